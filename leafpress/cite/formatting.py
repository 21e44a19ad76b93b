"""citeproc-py set up for one document, and what it made kept for the rest of the build.

:class:`Engine` is citeproc-py with a document's cited items registered, in the
style ``templates/csl/apa-7-leafpress.csl`` and the target language's CSL locale.
:class:`Document` asks it only for what :class:`Formatted`, the build's store of
citeproc-py's results, does not hold yet. Besides formatting, leafpress's own
additions to what citeproc-py prints: the titles marked for
:func:`leafpress.cite.html_marks.work_language`, "et al." after an author list
marked ``authors-incomplete`` (:func:`end_unlisted_authors`), and a reference
list sorted case- and accent-folded (:meth:`Engine.sort_values`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any

import citeproc
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.source.json import CiteProcJSON

from leafpress.cite.csl_items import AUTHORS_INCOMPLETE
from leafpress.cite.html_marks import CLOSE, MARKS, OPEN
from leafpress.upstream.citeproc_macros import install as index_macros

_SEAM = "\ue000"  # the style marks the end of the author part with this
_IN_WORK_LANGUAGE = frozenset({"title", "container-title", "collection-title"})
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
_CITEPROC_FIELDS = frozenset(citeproc.VARIABLES) | {"uri", "container_uri", "contributor", "date"}


@dataclass(frozen=True)
class Cite:
    """One rendered cite: the author part and the date-and-locator part (HTML)."""

    author: str
    rest: str


@dataclass(frozen=True)
class StyleId:
    """A CSL file as it is now (a changed file is another style)."""

    path: str
    stat: tuple[int, int]

    @classmethod
    def of(cls, path: Path) -> StyleId:
        info = path.stat()
        return cls(str(path), (info.st_size, info.st_mtime_ns))


class Formatted:
    """What citeproc-py made in one build, by (style, locale, what, item as JSON, ...).

    citeproc-py's output for one item depends only on the style, the locale, the
    item and the locator, and takes it milliseconds (tens for an entry); many
    documents cite the same works in the same language, so a build keeps each
    result for its later documents: one per process of the build
    (:attr:`leafpress.build.pipeline.Session.formatted`), handed to
    :func:`leafpress.cite.engine.render_citations`. Results are shared: nobody may change one.
    """

    def __init__(self) -> None:
        self._results: dict[tuple, Any] = {}

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """The result for ``key``, computed the first time it is asked for."""
        if key not in self._results:
            self._results[key] = compute()
        return self._results[key]

    def get_all(self, keys: Iterable[tuple], compute: Callable[[], Mapping[tuple, Any]]) -> list[Any]:
        """The results for ``keys``; if any is missing, all that ``compute()`` gives are kept first."""
        keys = list(keys)
        if any(key not in self._results for key in keys):
            self._results.update(compute())
        return [self._results[key] for key in keys]


class Document:
    """The works one document cites, formatted through a :class:`Formatted`.

    citeproc-py (an :class:`Engine` for this document's items) is set up
    only when something is not formatted yet.
    """

    def __init__(self, style: StyleId, locale: str, items: list[dict[str, Any]], formatted: Formatted,
                 order: tuple[str, ...] | None = None):
        self.style, self.locale, self.items, self.formatted = style, locale, items, formatted
        self.references = {str(item["id"]): item for item in items}
        self._json = {key: json.dumps(item, sort_keys=True, default=str) for key, item in self.references.items()}
        self._engine: Engine | None = None
        self.order = order or self._sorted()
        self.and_term: str = self._memo(("and",), lambda: self.engine.and_term)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(self.style.path, self.locale, self.items)
        return self._engine

    def _key(self, *what: Any) -> tuple:
        return (self.style, self.locale, *what)

    def _memo(self, what: tuple, compute: Callable[[], Any]) -> Any:
        return self.formatted.get(self._key(*what), compute)

    def _sorted(self) -> tuple[str, ...]:
        """The keys in reference-list order (see :meth:`Engine.sort_values`)."""
        keys = list(self.references)
        memos = [self._key("sort", self._json[key]) for key in keys]

        def sort_values() -> dict[tuple, tuple]:
            values = self.engine.sort_values()
            return {memo: values[key] for key, memo in zip(keys, memos)}

        by_key = dict(zip(keys, self.formatted.get_all(memos, sort_values)))
        return tuple(sorted(keys, key=lambda key: by_key[key]))

    def with_year_suffixes(self, suffixes: Mapping[str, str]) -> Document:
        """The same document with year suffixes; the order stays (suffixes do not sort)."""
        items = [dict(i, **{"year-suffix": suffixes[i["id"]]}) if i["id"] in suffixes else i
                 for i in self.items]
        return Document(self.style, self.locale, items, self.formatted, self.order)

    def cite(self, key: str, locator: str | None = None, label: str | None = None) -> Cite:
        return self._memo(("cite", self._json[key], locator, label), lambda: self.engine.cite(key, locator, label))

    def entry(self, key: str) -> str | None:
        return self._memo(("entry", self._json[key]), lambda: self.engine.entry(key))


class Engine:
    """citeproc-py set up for one document: the cited items, registered."""

    def __init__(self, style_path: str, locale: str, items: list[dict[str, Any]]):
        index_macros()
        self.style = CitationStylesStyle(style_path, locale=locale, validate=False)
        mark_work_language(self.style)
        self.references = {str(item["id"]): item for item in items}
        self.bib = CitationStylesBibliography(self.style, CiteProcJSON([for_citeproc(i) for i in items]),
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
        return {by_lower[row[-1].key]: tuple(sort_value(v) for v in row[:-1])
                for row in zip(*columns, self.bib.items)}

    def cite(self, key: str, locator: str | None = None, label: str | None = None) -> Cite:
        extra = {"locator": Locator(label or "page", escape(locator, quote=False))} if locator else {}
        citation = CslCitation([CitationItem(key, **extra)])
        self.bib.register(citation)
        text = end_unlisted_authors(str(self.bib.cite(citation, lambda item: None)), self.et_al_term)
        author, seam, rest = text.partition(_SEAM)
        return Cite(author, rest) if seam else Cite("", text)

    def entry(self, key: str) -> str | None:
        item = next(i for i in self.bib.items if i.key == key.lower())
        rendered = self.style.render_bibliography([item])
        return end_unlisted_authors(str(rendered[0]), self.et_al_term) if rendered else None


def end_unlisted_authors(html_text: str, et_al_term: str) -> str:
    """citeproc-py's text with the name :data:`_UNLISTED` made the et-al term: "Popova, V.,
    Daly, E. J., Trivedi, M. H., e.a. (2019)", "Mitchell e.a." (no "&" before it)."""
    term = escape(et_al_term, quote=False)
    return _UNLISTED_NAME.sub(lambda m: term + ("" if term.endswith(".") else m[1] or ""), html_text)


def mark_work_language(style: CitationStylesStyle) -> None:
    """Put :data:`~leafpress.cite.html_marks.OPEN` and ``CLOSE`` around every title and journal
    name the style prints.

    They go into the affixes of the style's ``<text variable="title">`` (and
    container and series titles), so they stand outside the text case and the
    italics citeproc-py applies, and only where the variable is printed.
    """
    for text in style.root.iterfind(".//cs:text", style.root.nsmap):
        if text.get("variable") in _IN_WORK_LANGUAGE:
            text.set("prefix", text.get("prefix", "") + OPEN)
            text.set("suffix", CLOSE + text.get("suffix", ""))


def sort_value(value: Any) -> tuple[int, Any]:
    """A comparable sort key: missing values last, numbers as numbers, text folded."""
    if value is None:
        return (2, "")
    text = MARKS.sub("", _UNLISTED_NAME.sub(_AFTER_EVERY_NAME, str(value)))
    if text.isdecimal():  # not isdigit: '²' is a digit that int() refuses
        return (0, int(text))
    plain = unicodedata.normalize("NFKD", unescape(text).casefold())
    return (1, "".join(ch for ch in plain if not unicodedata.combining(ch)))


_RICH_TEXT = re.compile(r"</?(?:i|b|sup|sub|sc)>|<span style=\"font-variant:\s*small-caps;?\">", re.I)
_NOCASE = re.compile(r"&lt;(/?)span( class=\"nocase\")?&gt;", re.I)


def for_citeproc(item: Mapping[str, Any]) -> dict[str, Any]:
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
