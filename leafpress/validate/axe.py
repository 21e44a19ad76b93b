"""Run axe-core on the web pages of the site in a real browser, at a phone's and a desktop's width.

axe-core (through ``@axe-core/puppeteer``, with ``puppeteer-core``; ``make`` installs both
from npm into .venv/axe, no browser download) runs in Debian's Chromium, headless, on
every page, each at :data:`WIDTHS` CSS pixels wide (a page can fail at one width only: a
table that overflows, text that overlaps), with the rules of WCAG 2.0 and 2.1 at levels A
and AA (:data:`TAGS`). The pages are served from their folder on 127.0.0.1 for the run
(through :func:`leafpress.serve.files.find`: nothing outside the folder, no symbolic
links), and the browser is offline: any request to another address is aborted.

Each violation is a :class:`AxeViolation`: the page, axe's rule id, its impact, the
element (a CSS selector) and the widths it was found at; as a finding (:meth:`AxeViolation.finding`)
an error coded ``axe.<rule>``, as Ace's are ``ace.<rule>``.

    python -m leafpress.validate.axe dist/site

prints one line per violation and exits 1 if there are any. The npm folder is taken from
``LEAFPRESS_AXE`` (the Makefile sets it to .venv/axe).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from leafpress.diagnostics import Diagnostic, error
from leafpress.serve.files import find
from leafpress.validate.ace import CHROMIUM, ace_environment

AXE_ENV = "LEAFPRESS_AXE"
SCRIPT = Path(__file__).with_name("axe_pages.mjs")
WIDTHS = (390, 1280)  # CSS pixels: a phone held upright, a desktop window
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
PACKAGES = ("puppeteer-core", "@axe-core/puppeteer")
TIMEOUT_S = 120     # Chromium's start and the first page
PAGE_TIMEOUT_S = 30  # each further page, at each width


@dataclass(frozen=True)
class AxeViolation:
    page: Path
    rule: str    # axe's rule id: image-alt, color-contrast, ...
    impact: str  # minor, moderate, serious or critical
    help: str    # what the rule asks, in axe's words
    target: str  # the element, as a CSS selector
    widths: tuple[int, ...]  # the page widths (CSS px) it was found at

    def finding(self) -> Diagnostic:
        """An error, of any impact: each one fails WCAG 2.1 AA."""
        wide = " and ".join(f"{width} px" for width in self.widths)
        return error(self.page, None, f"axe.{self.rule}",
                     f"{self.help} at {self.target} ({self.impact}; {wide} wide)")


class AxeFailed(RuntimeError):
    """axe did not run (not installed, no Node or Chromium, a crash, too slow)."""


def axe_modules(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The node_modules folder with :data:`PACKAGES` that ``LEAFPRESS_AXE`` names (it, or the folder it is in)."""
    named = environ.get(AXE_ENV, "").strip()
    if not named:
        return None
    for candidate in (Path(named) / "node_modules", Path(named)):
        if all((candidate / package / "package.json").is_file() for package in PACKAGES):
            return candidate
    return None


def site_pages(site: Path) -> list[Path]:
    return sorted(site.glob("**/*.html"))


# --- the pages, served for the run --------------------------------------------------------

class _Folder(BaseHTTPRequestHandler):
    server: _FolderServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # the name http.server calls
        found = find(self.server.folder.parent, self.path, (self.server.folder.name,))
        if found.kind == "redirect":
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK if found.kind == "file" else HTTPStatus.NOT_FOUND
        body = found.body if found.kind == "file" else b"not found\n"
        self.send_response(status)
        self.send_header("Content-Type", found.content_type if found.kind == "file" else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _FolderServer(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def __init__(self, folder: Path):
        self.folder = folder
        super().__init__(("127.0.0.1", 0), _Folder)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` on 127.0.0.1 while the block runs; its address (``http://127.0.0.1:PORT``)."""
    server = _FolderServer(folder.resolve())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="leafpress-axe")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- axe ----------------------------------------------------------------------------------

def _url(origin: str, site: Path, page: Path) -> str:
    """The page's address: its path inside ``site`` as written, links not followed (the server
    follows none either: a page that is a link, or in a linked folder, is not found)."""
    return origin + "/" + quote(Path(os.path.abspath(page)).relative_to(os.path.abspath(site)).as_posix())


def _job(origin: str, urls: Sequence[str], widths: Sequence[int], tags: Sequence[str], chromium: Path) -> str:
    return json.dumps({"chromium": str(chromium), "urls": list(urls), "widths": list(widths), "tags": list(tags),
                       "origin": origin})


def _answer(command: list[str], job: str, env: dict[str, str], timeout: float) -> dict:
    try:
        done = subprocess.run(command, input=job, env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AxeFailed(f"axe could not run: {exc}") from exc
    if done.returncode != 0:
        raise AxeFailed(f"axe stopped (exit {done.returncode}): {done.stderr.strip()[-2000:] or 'no output'}")
    try:
        return json.loads(done.stdout)
    except ValueError as exc:
        raise AxeFailed(f"axe's answer cannot be read: {exc}") from exc


def run_axe(site: Path, pages: Sequence[Path], modules: Path, widths: Sequence[int] = WIDTHS,
            tags: Sequence[str] = TAGS, chromium: Path = CHROMIUM) -> tuple[list[AxeViolation], list[Diagnostic]]:
    """axe on each of ``pages`` (inside the folder ``site``) at each width: the violations, one per
    page, rule and element (with the widths it was found at), and the pages that could not be checked."""
    if not pages:
        return [], []
    if not chromium.is_file():
        raise AxeFailed(f"axe needs Chromium at {chromium}: install it (apt-get install chromium; make does this)")
    by_url = {_url("", site, page): page for page in pages}
    with tempfile.TemporaryDirectory(prefix="axe-") as tmpdir, served(site) as origin:
        answer = _answer(["node", str(SCRIPT), str(modules)],
                         _job(origin, [origin + url for url in by_url], widths, tags, chromium),
                         ace_environment(Path(tmpdir), chromium=chromium),
                         TIMEOUT_S + PAGE_TIMEOUT_S * len(pages) * len(widths))
    found: dict[tuple[Path, str, str], AxeViolation] = {}
    unchecked: list[Diagnostic] = []
    for result in answer.get("results", []):
        page = by_url[str(result["url"]).removeprefix(origin)]
        if result.get("error"):
            unchecked.append(error(page, None, "axe.unavailable",
                                   f"not checked at {result['width']} px: {result['error']}"))
        for violation in result["violations"]:
            for target in violation["targets"] or [""]:
                key = (page, violation["id"], target)
                seen = found.get(key)
                widths_found = (*seen.widths, result["width"]) if seen else (result["width"],)
                found[key] = AxeViolation(page, violation["id"], violation["impact"], violation["help"], target,
                                          widths_found)
    return list(found.values()), unchecked


def axe_findings(site: Path, modules: Path | None, pages: Sequence[Path] | None = None) -> list[Diagnostic]:
    """Every violation on the pages of ``site`` as an error; axe missing or failing is one on each page."""
    pages = site_pages(site) if pages is None else pages
    if not pages:
        return []
    if modules is None:
        return [error(page, None, "axe.unavailable", f"not checked: axe-core not found; set {AXE_ENV} or run "
                      "'make check'") for page in pages]
    try:
        violations, unchecked = run_axe(site, pages, modules)
    except AxeFailed as failed:
        return [error(page, None, "axe.unavailable", str(failed)) for page in pages]
    return [*unchecked, *(v.finding() for v in violations)]


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m leafpress.validate.axe SITE_FOLDER", file=sys.stderr)
        return 2
    modules = axe_modules()
    if modules is None:
        print(f"axe-core not found: set {AXE_ENV} to the folder make installs it in (.venv/axe)", file=sys.stderr)
        return 2
    found = axe_findings(Path(argv[0]), modules)
    for finding in found:
        print(finding.format())
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
