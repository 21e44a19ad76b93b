"""In-text citations in APA 7: year suffixes, narrative citations, prefixes and suffixes,
one author's years collapsed, all assembled from what citeproc-py gives for each cite
(:meth:`leafpress.cite.formatting.Document.cite`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from string import ascii_lowercase
from typing import Any

from leafpress.cite.formatting import Cite, Document
from leafpress.cite.html_marks import work_language
from leafpress.cite.syntax import Citation, CiteItem

#: name variables in the order the APA style falls back through them in-text
_PRIMARY_NAMES = ("composer", "author", "illustrator", "director", "guest", "host",
                  "producer", "executive-producer", "series-creator", "editor",
                  "editorial-director", "collection-editor", "compiler")


def year_suffixes(order: Sequence[str], cites: Mapping[str, Cite]) -> dict[str, str]:
    """'a', 'b', ... for works whose in-text author and year coincide (APA 8.19).

    Letters follow the reference-list order (which sorts such works by title).
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in order:
        cite = cites[key]
        if cite.author:
            groups[(cite.author, cite.rest)].append(key)
    return {key: _letters(n) for keys in groups.values() if len(keys) > 1
            for n, key in enumerate(keys)}


def _letters(n: int) -> str:
    return ascii_lowercase[n] if n < 26 else _letters(n // 26 - 1) + ascii_lowercase[n % 26]


def render_one(document: Document, citation: Citation, lang: str) -> str:
    """One in-text citation of ``document`` (HTML)."""
    cites = {i: Cite(work_language(cite.author, reference, lang),
                     work_language(cite.rest, reference, lang))
             for i, item in enumerate(citation.items) if item.key in document.references
             for reference in (document.references[item.key],)
             for cite in (document.cite(item.key, item.locator, item.label),)}
    if citation.narrative:
        cites = {i: Cite(_spell_and(c.author, document.references[citation.items[i].key], document.and_term),
                         c.rest) for i, c in cites.items()}
    position = {key: n for n, key in enumerate(document.order)}
    return assemble(citation, cites, position)


def assemble(citation: Citation, cites: Mapping[int, Cite], position: Mapping[str, int]) -> str:
    """The in-text citation: APA order, prefixes, suffixes, one author's years collapsed."""
    known = sorted(cites, key=lambda i: position[citation.items[i].key])
    unknown = [i for i in range(len(citation.items)) if i not in cites]
    if citation.narrative and not citation.suppress_author:
        parts = [_narrative(citation.items[i], cites[i]) for i in known]
        parts += [_unknown(citation.items[i]) for i in unknown]
        return "; ".join(parts)
    groups: list[list[str]] = []
    last_author = None
    for i in known:
        item, cite = citation.items[i], cites[i]
        author = "" if citation.suppress_author else cite.author
        if groups and author and author == last_author and not item.prefix and not _prev_suffix(citation, known, i):
            groups[-1].append(_with_affixes(item, cite.rest, prefix=False))
        else:
            groups.append([_with_affixes(item, _join(author, cite.rest))])
        last_author = author
    groups += [[_unknown(citation.items[i])] for i in unknown]
    return "(" + "; ".join(", ".join(g) for g in groups) + ")"


def _prev_suffix(citation: Citation, known: list[int], i: int) -> bool:
    before = known[known.index(i) - 1]
    return bool(citation.items[before].suffix)


def _narrative(item: CiteItem, cite: Cite) -> str:
    inner = _with_affixes(CiteItem(item.key, item.locator, item.label, "", item.suffix), cite.rest)
    text = f"{cite.author} ({inner})" if cite.author else f"({inner})"
    return f"{escape(item.prefix, quote=False)} {text}" if item.prefix else text


def _with_affixes(item: CiteItem, text: str, prefix: bool = True) -> str:
    if prefix and item.prefix:
        text = f"{escape(item.prefix, quote=False)} {text}"
    if item.suffix:
        gap = "" if item.suffix[0] in ",;:.)" or item.suffix[0].isspace() else " "
        text = f"{text}{gap}{escape(item.suffix.rstrip(), quote=False)}"
    return text


def _join(author: str, rest: str) -> str:
    return f"{author}, {rest}" if author and rest else author or rest


def _unknown(item: CiteItem) -> str:
    return f"<b>{escape(item.key, quote=False)}?</b>"


def _spell_and(author_html: str, reference: Mapping[str, Any], and_term: str) -> str:
    """Narrative citations spell out "and" (APA 8.17): "Jansen and Rot (2019)"."""
    names: list[Any] = next((reference[v] for v in _PRIMARY_NAMES if reference.get(v)), [])
    if len(names) < 2 or not and_term or any("&" in str(n.get("literal", "")) for n in names):
        return author_html
    head, amp, tail = author_html.rpartition(" &amp; ")
    return f"{head} {escape(and_term, quote=False)} {tail}" if amp else author_html
