"""The cite stage: pandoc citations, the shared bibliography, APA 7 in every language.

Parsing lives in :mod:`leafpress.cite.syntax` (a markdown-it plugin), loading
in :mod:`leafpress.cite.bibliography`; this module formats with citeproc-py and the
style ``templates/csl/apa-7-leafpress.csl`` in the target language's CSL
locale. citeproc-py 0.11 formats single cites and reference entries; leafpress
adds what it lacks: year suffixes (2012a/2012b), narrative and
author-suppressed citations, prefixes and suffixes, collapsing of one
author's years, DOI/URL links, and "et al." after an author list marked
``authors-incomplete`` (:func:`_end_unlisted_authors`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from string import ascii_lowercase
from types import MappingProxyType
from typing import Any

import citeproc
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup

from leafpress.cite.bibliography import AUTHORS_INCOMPLETE, Bibliography, load_bibliography, parse_bibliography, thaw
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
from leafpress.upstream.citeproc_macros import install as index_macros

__all__ = [
    "BibEntry", "Bibliography", "Citation", "CiteItem", "RenderedCitations",
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

_SEAM = "\ue000"  # the style marks the end of the author part with this
#: around every title and journal (container, series) name citeproc-py prints,
#: :func:`_mark_work_language` puts these; :func:`_work_language` makes them a
#: ``<span lang>`` where the work's language is not the document's, or drops them
_OPEN, _CLOSE = "\ue001", "\ue002"
_IN_WORK_LANGUAGE = frozenset({"title", "container-title", "collection-title"})
_MARKS = re.compile("[\ue001\ue002]")
#: citeproc-py drops a doubled space or punctuation mark where two pieces meet
#: (``normalize_seam``); a mark between them hides the double, so it is dropped here
_DOUBLE_AT_MARK = re.compile(r"([ .,;:!?])([\ue001\ue002])\1")
_URL = re.compile(r"https?://[^\s<>\"]+")
#: an author list marked ``authors-incomplete`` goes to citeproc-py with this as one more
#: (literal) name, so that the style's et-al rules count the authors not listed: a work
#: with one listed author is cited as "Mitchell et al." (APA: 3 or more authors). Where
#: citeproc-py prints it (after "&" or an ellipsis, or after a comma) it becomes the
#: locale's et-al term, a full stop after it merging with the term's own
_UNLISTED = "\ue003"
_UNLISTED_NAME = re.compile(r"(?:&amp; |\u2026 )?\ue003(\.(?=\s|$|\ue000))?")
#: in the reference list's order the authors not listed come after every name: a work with
#: "Mitchell, J. M." and more after the work of Mitchell, J. M. and Bogenschutz, M., in
#: every language (the et-al terms would sort differently in each)
_AFTER_EVERY_NAME = "\uffff"
#: name variables in the order the APA style falls back through them in-text
_PRIMARY_NAMES = ("composer", "author", "illustrator", "director", "guest", "host",
                  "producer", "executive-producer", "series-creator", "editor",
                  "editorial-director", "collection-editor", "compiler")
_CITEPROC_FIELDS = frozenset(citeproc.VARIABLES) | {"uri", "container_uri", "contributor", "date"}


@dataclass(frozen=True)
class BibEntry:
    key: str
    html: Markup  # HTML: a template shows its tags as tags (autoescaping leaves Markup alone)


@dataclass(frozen=True)
class RenderedCitations:
    inline: tuple[str, ...]      # HTML, one per citation, in the order given
    entries: tuple[BibEntry, ...]  # the reference list of the cited works, APA order


@dataclass(frozen=True)
class _Cite:
    """One rendered cite: the author part and the date-and-locator part (HTML)."""

    author: str
    rest: str


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
                     *, style: Path | str | None = None, numerals: Numerals | None = None) -> RenderedCitations:
    """Format citations and the reference list of exactly the works they cite.

    One call per document: a booklet passes all its chapters' citations and
    gets one merged list, with year suffixes that agree everywhere. With
    ``numerals`` the in-text citations have the language's digits, comma and
    semicolon (:mod:`leafpress.i18n.numerals`); the entries stay as the works are written.
    A title or journal name in another language than ``lang`` is a
    ``<span lang>`` (:func:`_work_language`).
    """
    rendered = _render_citations(bibliography, lang, citations, style)
    if numerals is None or numerals.latin:
        return rendered
    return RenderedCitations(tuple(numerals.citation(html) for html in rendered.inline), rendered.entries)


def _render_citations(bibliography: Bibliography, lang: str, citations: Sequence[Citation],
                      style: Path | str | None) -> RenderedCitations:
    keys = [k for k in cited_keys(citations) if k in bibliography]
    if not keys:
        return RenderedCitations(tuple(_assemble(c, {}, {}) for c in citations), ())
    document = _Document(_StyleId.of(Path(style or DEFAULT_STYLE)), csl_locale(lang),
                         [thaw(bibliography.items[k]) for k in keys])
    suffixes = _year_suffixes(document.order, {k: document.cite(k) for k in keys})
    if suffixes:
        document = document.with_year_suffixes(suffixes)
    inline = tuple(_render_one(document, c, lang) for c in citations)
    entries = tuple(BibEntry(k, Markup(link_urls(_tidy(_work_language(html, document.references[k], lang)))))
                    for k in document.order if (html := document.entry(k)) is not None)
    return RenderedCitations(inline, entries)


# -- what citeproc-py made, kept for the process ---------------------------------

@dataclass(frozen=True)
class _StyleId:
    """A CSL file as it is now (a changed file is another style)."""

    path: str
    stat: tuple[int, int]

    @classmethod
    def of(cls, path: Path) -> _StyleId:
        info = path.stat()
        return cls(str(path), (info.st_size, info.st_mtime_ns))


#: citeproc-py's output for one item depends only on the style, the locale, the
#: item and the locator, and takes it milliseconds (tens for an entry); many
#: documents cite the same works in the same language, so each result is kept
#: for the life of the process. Key: (style, locale, what, item as JSON, ...).
_FORMATTED: dict[tuple, Any] = {}


class _Document:
    """The works one document cites, formatted through :data:`_FORMATTED`.

    citeproc-py (an :class:`_Engine` for this document's items) is set up
    only when something is not formatted yet.
    """

    def __init__(self, style: _StyleId, locale: str, items: list[dict[str, Any]],
                 order: tuple[str, ...] | None = None):
        self.style, self.locale, self.items = style, locale, items
        self.references = {str(item["id"]): item for item in items}
        self._json = {key: json.dumps(item, sort_keys=True, default=str) for key, item in self.references.items()}
        self._engine: _Engine | None = None
        self.order = order or self._sorted()
        self.and_term: str = self._memo(("and",), lambda: self.engine.and_term)

    @property
    def engine(self) -> _Engine:
        if self._engine is None:
            self._engine = _Engine(self.style.path, self.locale, self.items)
        return self._engine

    def _key(self, *what: Any) -> tuple:
        return (self.style, self.locale, *what)

    def _memo(self, what: tuple, compute: Callable[[], Any]) -> Any:
        key = self._key(*what)
        if key not in _FORMATTED:
            _FORMATTED[key] = compute()
        return _FORMATTED[key]

    def _sorted(self) -> tuple[str, ...]:
        """The keys in reference-list order (see :meth:`_Engine.sort_values`)."""
        known = {key: self._key("sort", self._json[key]) for key in self.references}
        if any(memo not in _FORMATTED for memo in known.values()):
            for key, values in self.engine.sort_values().items():
                _FORMATTED[known[key]] = values
        return tuple(sorted(self.references, key=lambda key: _FORMATTED[known[key]]))

    def with_year_suffixes(self, suffixes: Mapping[str, str]) -> _Document:
        """The same document with year suffixes; the order stays (suffixes do not sort)."""
        items = [dict(i, **{"year-suffix": suffixes[i["id"]]}) if i["id"] in suffixes else i
                 for i in self.items]
        return _Document(self.style, self.locale, items, self.order)

    def cite(self, key: str, locator: str | None = None, label: str | None = None) -> _Cite:
        return self._memo(("cite", self._json[key], locator, label), lambda: self.engine.cite(key, locator, label))

    def entry(self, key: str) -> str | None:
        return self._memo(("entry", self._json[key]), lambda: self.engine.entry(key))


# -- citeproc-py ---------------------------------------------------------------

class _Engine:
    """citeproc-py set up for one document: the cited items, registered."""

    def __init__(self, style_path: str, locale: str, items: list[dict[str, Any]]):
        index_macros()
        self.style = CitationStylesStyle(style_path, locale=locale, validate=False)
        _mark_work_language(self.style)
        self.references = {str(item["id"]): item for item in items}
        self.bib = CitationStylesBibliography(self.style, CiteProcJSON([_for_citeproc(i) for i in items]),
                                              formatter.html)
        for key in self.references:
            self.bib.register(CslCitation([CitationItem(key)]))
        self.and_term = str(self.style.root.get_single_term("and"))
        self.et_al_term = str(self.style.root.get_single_term("et-al"))

    def sort_values(self) -> dict[str, tuple]:
        """Per key, what the reference list is sorted by.

        citeproc-py's own sort compares code points ("Özdemir" after "Zwart")
        and sorts "van Balkom" under v even with ``sort-only`` particles, so
        leafpress takes the style's sort keys with particles demoted and
        compares them folded (case and accents ignored).
        """
        root, element = self.style.root, self.style.root.bibliography
        display = root.get("demote-non-dropping-particle", "never")
        root.set("demote-non-dropping-particle", "display-and-sort")
        try:
            columns = [key.sort_keys(self.bib.items, element.layout)
                       for key in element.find("cs:sort", element.nsmap).findall("cs:key", element.nsmap)]
        finally:
            root.set("demote-non-dropping-particle", display)
        by_lower = {key.lower(): key for key in self.references}
        return {by_lower[row[-1].key]: tuple(_sort_value(v) for v in row[:-1])
                for row in zip(*columns, self.bib.items)}

    def cite(self, key: str, locator: str | None = None, label: str | None = None) -> _Cite:
        extra = {"locator": Locator(label or "page", escape(locator, quote=False))} if locator else {}
        citation = CslCitation([CitationItem(key, **extra)])
        self.bib.register(citation)
        text = _end_unlisted_authors(str(self.bib.cite(citation, lambda item: None)), self.et_al_term)
        author, seam, rest = text.partition(_SEAM)
        return _Cite(author, rest) if seam else _Cite("", text)

    def entry(self, key: str) -> str | None:
        item = next(i for i in self.bib.items if i.key == key.lower())
        rendered = self.style.render_bibliography([item])
        return _end_unlisted_authors(str(rendered[0]), self.et_al_term) if rendered else None


def _end_unlisted_authors(html_text: str, et_al_term: str) -> str:
    """citeproc-py's text with the name :data:`_UNLISTED` made the et-al term: "Popova, V.,
    Daly, E. J., Trivedi, M. H., e.a. (2019)", "Mitchell e.a." (no "&" before it)."""
    term = escape(et_al_term, quote=False)
    return _UNLISTED_NAME.sub(lambda m: term + ("" if term.endswith(".") else m[1] or ""), html_text)


def _mark_work_language(style: CitationStylesStyle) -> None:
    """Put :data:`_OPEN` and :data:`_CLOSE` around every title and journal name the style prints.

    They go into the affixes of the style's ``<text variable="title">`` (and
    container and series titles), so they stand outside the text case and the
    italics citeproc-py applies, and only where the variable is printed.
    """
    for text in style.root.iterfind(".//cs:text", style.root.nsmap):
        if text.get("variable") in _IN_WORK_LANGUAGE:
            text.set("prefix", text.get("prefix", "") + _OPEN)
            text.set("suffix", _CLOSE + text.get("suffix", ""))


def _work_language(html_text: str, item: Mapping[str, Any], lang: str) -> str:
    """Titles and journal names of a work in another language than ``lang`` as ``<span lang>``.

    A work's language is its CSL ``language`` ("en", "en-GB"); a work without
    one, or in the document's language, keeps its text as it is. Names, dates
    and the style's own words (in the document's language) stay outside.
    """
    html_text = _DOUBLE_AT_MARK.sub(r"\1\2", html_text)
    work = str(item.get("language") or "").strip()
    if not work or work.lower() == "und" or _primary(work) == _primary(lang):
        return _MARKS.sub("", html_text)
    code = escape(work, quote=True)
    return html_text.replace(_OPEN, f'<span lang="{code}" xml:lang="{code}">').replace(_CLOSE, "</span>")


def _primary(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def _sort_value(value: Any) -> tuple[int, Any]:
    """A comparable sort key: missing values last, numbers as numbers, text folded."""
    if value is None:
        return (2, "")
    text = _MARKS.sub("", _UNLISTED_NAME.sub(_AFTER_EVERY_NAME, str(value)))
    if text.isdecimal():  # not isdigit: '²' is a digit that int() refuses
        return (0, int(text))
    plain = unicodedata.normalize("NFKD", unescape(text).casefold())
    return (1, "".join(ch for ch in plain if not unicodedata.combining(ch)))


_RICH_TEXT = re.compile(r"</?(?:i|b|sup|sub|sc)>|<span style=\"font-variant:\s*small-caps;?\">", re.I)
_NOCASE = re.compile(r"&lt;(/?)span( class=\"nocase\")?&gt;", re.I)


def _for_citeproc(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item as citeproc-py wants it: known fields only, text HTML-escaped.

    citeproc-py does not escape data. Zotero rich-text tags are dropped (their
    text stays); ``<span class="nocase">`` is kept for citeproc-py. Items
    without ``language`` get "und", so only items marked English are
    title-cased (CSL applies APA's title case to English only).
    """
    out = {k: _escaped(v) for k, v in item.items()
           if k in ("id", "type") or k.replace("-", "_") in _CITEPROC_FIELDS}
    out["id"], out["type"] = item["id"], item["type"]
    out["language"] = str(item.get("language") or "und").lower()
    if item.get(AUTHORS_INCOMPLETE) is True and out.get("author"):
        out["author"] = [*out["author"], {"literal": _UNLISTED}]
    return out


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        text = escape(_RICH_TEXT.sub("", value), quote=False)
        return _NOCASE.sub(lambda m: f"<{m[1]}span{m[2] or ''}>", text)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict) and "date-parts" not in value:
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _year_suffixes(order: Sequence[str], cites: Mapping[str, _Cite]) -> dict[str, str]:
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


# -- assembling in-text citations ----------------------------------------------

def _render_one(document: _Document, citation: Citation, lang: str) -> str:
    cites = {i: _Cite(_work_language(cite.author, reference, lang),
                      _work_language(cite.rest, reference, lang))
             for i, item in enumerate(citation.items) if item.key in document.references
             for reference in (document.references[item.key],)
             for cite in (document.cite(item.key, item.locator, item.label),)}
    if citation.narrative:
        cites = {i: _Cite(_spell_and(c.author, document.references[citation.items[i].key], document.and_term),
                          c.rest) for i, c in cites.items()}
    position = {key: n for n, key in enumerate(document.order)}
    return _assemble(citation, cites, position)


def _assemble(citation: Citation, cites: Mapping[int, _Cite], position: Mapping[str, int]) -> str:
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


def _narrative(item: CiteItem, cite: _Cite) -> str:
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


_DOUBLE_STOP = re.compile(r"([?!])((?:</(?:i|span)>)*)\.(?=\s|$)")


def _tidy(html_text: str) -> str:
    """Drop the full stop after a title that ends in ? or ! (citeproc-py keeps both)."""
    return _DOUBLE_STOP.sub(r"\1\2", html_text)


# -- links -------------------------------------------------------------------------

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
