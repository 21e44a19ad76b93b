"""What leafpress does to citeproc-py's HTML: titles in another language, links, a doubled stop.

Around every title and journal (container, series) name citeproc-py prints,
:func:`leafpress.cite.formatting.mark_work_language` puts :data:`OPEN` and
:data:`CLOSE`; :func:`work_language` makes them a ``<span lang>`` where the work's
language is not the document's, or drops them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape, unescape
from typing import Any

OPEN, CLOSE = "\ue001", "\ue002"
MARKS = re.compile("[\ue001\ue002]")
#: citeproc-py drops a doubled space or punctuation mark where two pieces meet
#: (``normalize_seam``); a mark between them hides the double, so it is dropped here
_DOUBLE_AT_MARK = re.compile(r"([ .,;:!?])([\ue001\ue002])\1")
_URL = re.compile(r"https?://[^\s<>\"]+")
_DOUBLE_STOP = re.compile(r"([?!])((?:</(?:i|span)>)*)\.(?=\s|$)")


def work_language(html_text: str, item: Mapping[str, Any], lang: str) -> str:
    """Titles and journal names of a work in another language than ``lang`` as ``<span lang>``.

    A work's language is its CSL ``language`` ("en", "en-GB"); a work without
    one, or in the document's language, keeps its text as it is. Names, dates
    and the style's own words (in the document's language) stay outside.
    """
    html_text = _DOUBLE_AT_MARK.sub(r"\1\2", html_text)
    work = str(item.get("language") or "").strip()
    if not work or work.lower() == "und" or _primary(work) == _primary(lang):
        return MARKS.sub("", html_text)
    code = escape(work, quote=True)
    return html_text.replace(OPEN, f'<span lang="{code}" xml:lang="{code}">').replace(CLOSE, "</span>")


def _primary(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def tidy(html_text: str) -> str:
    """Drop the full stop after a title that ends in ? or ! (citeproc-py keeps both)."""
    return _DOUBLE_STOP.sub(r"\1\2", html_text)


def link_urls(html_text: str) -> str:
    """Turn the DOIs (https://doi.org/...) and URLs of an entry into links."""
    return _URL.sub(_link, html_text)


def _link(match: re.Match[str]) -> str:
    text = match.group(0)
    trail = ""
    while text and (text[-1] in ".,:" or (text[-1] == ")" and text.count("(") < text.count(")"))):
        text, trail = text[:-1], text[-1] + trail
    href = escape(unescape(text), quote=True)
    return f'<a href="{href}">{text}</a>{trail}'
