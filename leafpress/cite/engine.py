"""The cite stage: pandoc citations, the shared bibliography, APA 7 in every language.

Parsing lives in :mod:`leafpress.cite.syntax` (a markdown-it plugin), loading
in :mod:`leafpress.cite.bibliography`; this module is the stage's door: one call
per document formats its citations and its reference list. citeproc-py 0.11
formats single cites and reference entries (:mod:`leafpress.cite.formatting`,
with "et al." after an author list marked ``authors-incomplete``); leafpress adds
what it lacks: year suffixes (2012a/2012b), narrative and author-suppressed
citations, prefixes and suffixes, collapsing of one author's years
(:mod:`leafpress.cite.intext`), titles in another language and DOI/URL links
(:mod:`leafpress.cite.html_marks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import citeproc
from markupsafe import Markup

from leafpress.cite.bibliography import Bibliography, load_bibliography, parse_bibliography, thaw
from leafpress.cite.formatting import Document, Formatted, StyleId
from leafpress.cite.html_marks import link_urls, tidy, work_language
from leafpress.cite.intext import assemble, render_one, year_suffixes
from leafpress.cite.syntax import (
    Citation,
    CiteItem,
    citations_plugin,
    find_citation_keys,
    find_citations,
    parse_bracket,
)
from leafpress.i18n.numerals import Numerals
from leafpress.shipped import SHIPPED_CSL_STYLE

__all__ = [
    "BibEntry", "Bibliography", "Citation", "CiteItem", "Formatted", "RenderedCitations",
    "citations_plugin", "cited_keys", "csl_locale", "find_citation_keys", "find_citations",
    "load_bibliography", "parse_bibliography", "parse_bracket", "render_citations",
    "unknown_keys", "DEFAULT_STYLE",
]

#: without a ``style``: the one that comes with leafpress (a build passes its project's, ``Paths.csl_style``)
DEFAULT_STYLE = SHIPPED_CSL_STYLE

#: leafpress language -> CSL locale (citeproc-py ships these locale files)
CSL_LOCALES: Mapping[str, str] = MappingProxyType({
    "nl": "nl-NL", "en": "en-US", "ar": "ar", "tr": "tr-TR", "pl": "pl-PL", "uk": "uk-UA",
})


@dataclass(frozen=True)
class BibEntry:
    key: str
    html: Markup  # HTML: a template shows its tags as tags (autoescaping leaves Markup alone)


@dataclass(frozen=True)
class RenderedCitations:
    inline: tuple[str, ...]      # HTML, one per citation, in the order given
    entries: tuple[BibEntry, ...]  # the reference list of the cited works, APA order


# -- public helpers -------------------------------------------------------------

def csl_locale(lang: str) -> str:
    """The CSL locale for a language code ('nl' -> 'nl-NL'); en-US if unknown."""
    code = lang.replace("_", "-")
    if code in CSL_LOCALES:
        return CSL_LOCALES[code]
    if code in citeproc.LANGUAGE_NAMES:
        return code
    return citeproc.PRIMARY_DIALECTS.get(code.split("-")[0].lower(), "en-US")


def cited_keys(citations: Iterable[Citation]) -> list[str]:
    """Every key cited, once, in order of first citation."""
    return list(dict.fromkeys(item.key for c in citations for item in c.items))


def unknown_keys(bibliography: Bibliography, citations: Iterable[Citation]) -> list[str]:
    """Cited keys that the bibliography lacks, once each, in order of first citation."""
    return [key for key in cited_keys(citations) if key not in bibliography]


def render_citations(bibliography: Bibliography, lang: str, citations: Sequence[Citation],
                     *, style: Path | str | None = None, numerals: Numerals | None = None,
                     formatted: Formatted | None = None) -> RenderedCitations:
    """Format citations and the reference list of exactly the works they cite.

    One call per document: a booklet passes all its chapters' citations and
    gets one merged list, with year suffixes that agree everywhere. With
    ``numerals`` the in-text citations have the language's digits, comma and
    semicolon (:mod:`leafpress.i18n.numerals`); the entries stay as the works are written.
    A title or journal name in another language than ``lang`` is a
    ``<span lang>`` (:func:`leafpress.cite.html_marks.work_language`).
    ``formatted`` keeps what citeproc-py made for the next documents of the build
    (without it, for this call only).
    """
    rendered = _render_citations(bibliography, lang, citations, style, formatted or Formatted())
    if numerals is None or numerals.latin:
        return rendered
    return RenderedCitations(tuple(numerals.citation(html) for html in rendered.inline), rendered.entries)


def _render_citations(bibliography: Bibliography, lang: str, citations: Sequence[Citation],
                      style: Path | str | None, formatted: Formatted) -> RenderedCitations:
    keys = [k for k in cited_keys(citations) if k in bibliography]
    if not keys:
        return RenderedCitations(tuple(assemble(c, {}, {}) for c in citations), ())
    document = Document(StyleId.of(Path(style or DEFAULT_STYLE)), csl_locale(lang),
                        [thaw(bibliography.items[k]) for k in keys], formatted)
    suffixes = year_suffixes(document.order, {k: document.cite(k) for k in keys})
    if suffixes:
        document = document.with_year_suffixes(suffixes)
    inline = tuple(render_one(document, c, lang) for c in citations)
    entries = tuple(BibEntry(k, Markup(link_urls(tidy(work_language(html, document.references[k], lang)))))
                    for k in document.order if (html := document.entry(k)) is not None)
    return RenderedCitations(inline, entries)
