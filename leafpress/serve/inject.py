"""What the preview adds to each HTML page it serves, and only there (the site itself has no script):
a reload script that waits for the next build, and a banner with the problems of the last one.

The banner is plain HTML made by the server, every text escaped: it shows even where
scripts are off. The script is a file of its own (``/__leafpress/reload.js``), so a page
whose policy allows only scripts of its own site still reloads.
"""

from __future__ import annotations

import html
import re

from leafpress.serve.rebuild import BuildResult

PREFIX = "/__leafpress/"
EVENTS = PREFIX + "events"     # Server-Sent Events: one 'data: N' when build N is done
SCRIPT = PREFIX + "reload.js"
STATUS = PREFIX + "status"     # the latest build as JSON
BANNER_ID = "leafpress-preview-problems"
MOST_LINES = 60  # of a failed build's other output

RELOAD_JS = b"""// leafpress preview: reload this page when the next build is done.
(() => {
  const seen = document.currentScript.dataset.build;
  const events = new EventSource("%s?since=" + encodeURIComponent(seen));
  events.onmessage = () => { events.close(); location.reload(); };
})();
""" % EVENTS.encode()

_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_STYLE = ("position:fixed;z-index:2147483647;top:0;left:0;right:0;max-height:60vh;overflow:auto;margin:0;"
          "padding:0.75em 1em;font:15px/1.4 system-ui,sans-serif;text-align:left;direction:ltr;"
          "box-shadow:0 2px 8px rgba(0,0,0,.4);")
_FAILED = "background:#fff0f0;color:#5c0000;border-bottom:4px solid #b00000;"
_WARNED = "background:#fffbe6;color:#3d3000;border-bottom:3px solid #8a6d00;"


def _lines(items: list[str]) -> str:
    return "".join(f"<li><code>{html.escape(item)}</code></li>" for item in items)


def banner(build: BuildResult) -> str:
    """The problems of ``build`` as an HTML block; empty when there are none."""
    shown = [d.format() for d in build.diagnostics]
    if build.failed:
        heading = f"The build failed (exit {build.code}); the page shows what the last good build made."
        other = list(build.output[-MOST_LINES:]) if build.output else []
        details = f"<pre style='white-space:pre-wrap;margin:0.5em 0 0'>{html.escape(chr(10).join(other))}</pre>" \
            if other else ""
        return (f"<div id='{BANNER_ID}' role='alert' lang='en' style='{_STYLE}{_FAILED}'>"
                f"<strong>{html.escape(heading)}</strong><ul style='margin:0.5em 0 0;padding-left:1.2em'>"
                f"{_lines(shown)}</ul>{details}</div>")
    if shown:
        return (f"<details id='{BANNER_ID}' lang='en' style='{_STYLE}{_WARNED}'><summary>"
                f"The build has {len(shown)} warning(s)</summary><ul style='margin:0.5em 0 0;padding-left:1.2em'>"
                f"{_lines(shown)}</ul></details>")
    return ""


def script_tag(build: BuildResult) -> str:
    return f"<script src='{SCRIPT}' data-build='{build.number}' defer></script>"


def into_page(page: bytes, build: BuildResult) -> bytes:
    """``page`` with the banner and the reload script just inside its ``<body>`` (or first, without one)."""
    added = (banner(build) + script_tag(build)).encode("utf-8")
    found = _BODY.search(page)
    at = found.end() if found else 0
    return page[:at] + added + page[at:]


def page(title: str, text: str) -> bytes:
    """A page of the preview's own (not found; no site built yet), to be sent :func:`into_page`."""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"</head><body><main><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></main></body>"
            "</html>").encode()
