"""In-text citations as links to their entries of the reference list (``#ref-<key>``), for the web."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from leafpress.cite.syntax import Citation

# between the cited works of one citation: "; " (APA), "؛ " in Arabic
SEPARATOR = re.compile(r"(?<=[^<>]);\s|(?<=[^<>])؛\s")
TAG = re.compile(r"<[^>]*>")


def _link(html: str, key: str) -> str:
    return f'<a class="citation-link" href="#ref-{escape(key, quote=True)}">{html}</a>'


def linked_citations(inline: Sequence[str], citations: Sequence[Citation], keys: Sequence[str]) -> tuple[str, ...]:
    """Each citation of ``inline`` (HTML, one per citation) with every cited work a link to its
    entry: the works of a citation come in the order of the list (``keys``); when the parts
    between semicolons are not one per work (one author's years together), the whole citation
    links to the entry of its first work. A citation of no known work stays as it is."""
    return tuple(_linked(html, citation, keys) for html, citation in zip(inline, citations, strict=True))


def _linked(html: str, citation: Citation, keys: Sequence[str]) -> str:
    known = sorted({k for k in citation.keys if k in keys}, key=keys.index)
    if not known:
        return html
    opened = html.startswith("(") and html.endswith(")")
    inner = html[1:-1] if opened else html
    parts = SEPARATOR.split(inner)
    separators = SEPARATOR.findall(inner)
    if len(parts) == len(known) and all(TAG.sub("", p).strip() for p in parts):
        linked = _link(parts[0], known[0])
        for separator, part, key in zip(separators, parts[1:], known[1:], strict=True):
            linked += separator + _link(part, key)
    else:
        linked = _link(inner, known[0])
    return f"({linked})" if opened else linked
