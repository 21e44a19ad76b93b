"""The build: plan what to make in which language, then make it.

    load + check ─▶ plan (publishing policy; each format its jobs) ─▶ for each job, its format's make:
        localize ─▶ cite ─▶ render (Jinja) ─▶ PDF leaflet (+ tag fixes) ─▶ print PDF ─▶ brochure
        localize ─▶ cite ─▶ render (Jinja) ─▶ EPUB booklet

The formats, and what each makes, are in :mod:`leafpress.formats.registry`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leafpress.build.outputs import OutsideDist, staged
from leafpress.build.parse_cache import Parsed
from leafpress.diagnostics import BuildFailed, Diagnostic, Level, error
from leafpress.formats import registry
from leafpress.formats.format import Units
from leafpress.i18n.catalogs import Status, gettext_callables, lookup
from leafpress.i18n.localize import LocalizedArticle, localize_article, localize_title
from leafpress.i18n.numerals import numerals
from leafpress.i18n.translations import article_status, booklet_status
from leafpress.render.html import Interface, Related, direction
from leafpress.source.glossary import Entry
from leafpress.source.glossary import localized as localized_glossary
from leafpress.source.load import Project

if TYPE_CHECKING:
    from leafpress.cite.engine import Formatted


@dataclass(frozen=True)
class Options:
    languages: tuple[str, ...] = ()      # empty: every configured language
    targets: tuple[str, ...] = field(default_factory=lambda: registry.targets("all"))
    draft: bool = False
    strict: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Job:
    kind: str  # its format's (:data:`leafpress.formats.registry.FORMATS`)
    lang: str
    id: str
    draft: bool  # built with untranslated segments falling back to the source language
    strict: bool = False  # --strict: a warning of the layout stops it, before it writes anything


def _skip_message(what: str, lang: str, found: Status) -> str:
    return (f"{what} is not published in '{lang}': {found.untranslated} untranslated and "
            f"{found.fuzzy} fuzzy of {found.total} messages ({found.percent:.0f}% done); "
            "finish the translation, or build with --draft to preview it")


class Unit(NamedTuple):
    """An article or a booklet the publishing policy lets out in a language."""

    lang: str
    id: str
    draft: bool  # not completely translated: made only with --draft, the source language filling in


@dataclass(frozen=True)
class Publishing:
    """What this run may publish: per language (in the order built), the articles and the
    booklets that are completely translated, and with --draft the others too."""

    languages: tuple[str, ...]
    articles: tuple[Unit, ...]
    booklets: tuple[Unit, ...]
    strict: bool = False
    draft: bool = False  # --draft: what is not completely translated is previewed too
    source_language: str = ""  # the language of a job for the whole site

    def units(self, units: Units) -> tuple[Unit, ...]:
        return self.articles if units == "articles" else self.booklets

    def job(self, kind: str, unit: Unit) -> Job:
        """A job of ``kind`` for ``unit``. A job that is no unit's (the index of a language, say) is
        ``Job(kind, lang, id, False, publishing.strict)`` with a language of the run (one for the whole
        site: the source language), so that it is built, kept and removed with that language."""
        return Job(kind, unit.lang, unit.id, unit.draft, self.strict)


def plan(project: Project, options: Options) -> tuple[list[Job], list[Diagnostic]]:
    """Which jobs to make: the publishing policy says which articles and booklets are out in
    which language, then each format asked for plans its jobs from them, language by language."""
    formats = registry.chosen(options.targets)
    publishing, found = publishing_policy(project, options, {f.units for f in formats})
    jobs = [job for f in formats for job in f.plan(f, publishing)]
    return language_by_language(jobs, publishing.languages), [*found, *review_findings(project, options)]


def publishing_policy(project: Project, options: Options,
                      wanted: Collection[Units]) -> tuple[Publishing, list[Diagnostic]]:
    """The articles (always) and booklets (when ``wanted``) out in each language, and a warning
    (an error with --strict) for each one held back."""
    languages = tuple(options.languages or project.site.languages)
    level: Level = "error" if options.strict else "warning"
    articles: list[Unit] = []
    booklets: list[Unit] = []
    found: list[Diagnostic] = []
    for lang in languages:
        out, held = _articles_out(project, lang, options.draft, level)
        articles += out
        found += held
        if "booklets" in wanted:
            ready = {unit.id for unit in out if not unit.draft}
            out, held = _booklets_out(project, lang, ready, options.draft, level)
            booklets += out
            found += held
    return Publishing(languages, tuple(articles), tuple(booklets), options.strict, options.draft,
                       project.source_language), found


def _articles_out(project: Project, lang: str, draft: bool, level: Level) -> tuple[list[Unit], list[Diagnostic]]:
    out: list[Unit] = []
    held: list[Diagnostic] = []
    for article in project.articles.values():
        if lang == project.source_language:
            out.append(Unit(lang, article.id, False))
            continue
        counts = article_status(project.languages[lang], project.sources, article)
        if not counts.complete and not draft:
            held.append(Diagnostic(article.path, None, level, "i18n.incomplete",
                                   _skip_message(f"article '{article.id}'", lang, counts)))
        if counts.complete or draft:
            out.append(Unit(lang, article.id, not counts.complete))
    return out, held


def _booklets_out(project: Project, lang: str, ready: Collection[str], draft: bool,
                  level: Level) -> tuple[list[Unit], list[Diagnostic]]:
    """A booklet is out when its title and every one of its articles (``ready``) are translated."""
    out: list[Unit] = []
    held: list[Diagnostic] = []
    for booklet in project.booklets.values():
        counts = (booklet_status(project.languages[lang], project.sources, booklet)
                  if lang != project.source_language else Status(1, 0, 0))
        complete = counts.complete and all(a in ready for a in booklet.articles)
        if complete or draft:
            out.append(Unit(lang, booklet.id, not complete))
        else:
            held.append(Diagnostic(booklet.path, None, level, "i18n.incomplete",
                                   f"booklet '{booklet.id}' is not published in '{lang}': "
                                   "its title or one of its articles is not completely translated"))
    return out, held


def review_findings(project: Project, options: Options) -> list[Diagnostic]:
    level: Level = "error" if options.strict else "warning"
    return [Diagnostic(article.path, article.meta.lines.get("next_review"), level, "meta.review",
                       f"next review date {article.meta.next_review} has passed; review the "
                       "article and update reviewed and next_review")
            for article in project.articles.values() if article.meta.next_review < options.today]


def language_by_language(jobs: Sequence[Job], languages: Sequence[str]) -> list[Job]:
    """``jobs`` in the order of ``languages`` (a job of none of them last), each format's in
    registry order within one: a process keeps what a language cost it only while it makes that language."""
    order = {lang: number for number, lang in enumerate(languages)}
    return sorted(jobs, key=lambda job: order.get(job.lang, len(order)))


@dataclass
class Session:
    """What one process shares between jobs: the project, parsed CSS and fonts, localized
    articles (of the language at hand), formatted citations."""

    project: Project
    published: dict[str, tuple[str, ...]]  # article id -> languages it is published in
    engine: Any = None
    _localized: dict[tuple[str, str, bool], LocalizedArticle] = field(default_factory=dict)
    parsed: Parsed = field(default_factory=Parsed)  # the bundled fonts' cmaps, read once per process
    formatted: Formatted = field(default_factory=lambda: _formatted())  # what citeproc-py made, for the next documents

    def pdf_engine(self) -> Any:
        if self.engine is None:
            from leafpress.formats.pdf.leaflet import make_engine
            self.engine = make_engine(self.project.paths.content, self.project.paths.templates)
        return self.engine

    def translate(self, lang: str, article_id: str) -> Callable[[str], str | None] | None:
        if lang == self.project.source_language:
            return None
        return lookup(self.project.languages[lang].articles.get(article_id))

    def localized(self, lang: str, article_id: str, draft: bool) -> LocalizedArticle:
        key = (lang, article_id, draft)
        if key not in self._localized:
            # jobs come language by language; what another language needed is not asked for again,
            # and keeping it would grow a worker by some 200 kB per article and language
            for other in [k for k in self._localized if k[0] != lang]:
                del self._localized[other]
            article = self.project.articles[article_id]
            fallback = self.project.source_language if draft else None
            self._localized[key] = localize_article(article, lang, self.translate(lang, article_id), fallback)
        return self._localized[key]

    def interface(self, lang: str) -> Interface:
        catalog = None if lang == self.project.source_language else self.project.languages[lang].ui
        gettext, ngettext = gettext_callables(catalog)
        return Interface(lang, direction(lang), gettext, ngettext, numerals(lang, self.project.site.digits.get(lang)))

    def glossary(self, lang: str, article_id: str) -> tuple[Entry, ...]:
        """The difficult words the article uses (found in its Dutch text), in ``lang``."""
        keys = self.project.sources.article_terms.get(article_id, ())
        return localized_glossary(self.project.glossary, keys, self.shared_lookup(lang), lang)

    def shared_lookup(self, lang: str) -> Callable[[str], str | None] | None:
        if lang == self.project.source_language:
            return None
        return lookup(self.project.languages[lang].shared)


def _formatted() -> Formatted:
    """An empty store of what citeproc-py makes; citeproc-py imported only once a session is made,
    not by a build that finds everything up to date."""
    from leafpress.cite.engine import Formatted

    return Formatted()


def published_languages(project: Project) -> dict[str, tuple[str, ...]]:
    """Per article, the languages it is published in (complete translations only).

    Independent of --lang, so "also available in" is the same whatever one builds.
    """
    published: dict[str, tuple[str, ...]] = {}
    for article in project.articles.values():
        published[article.id] = tuple(
            lang for lang in project.site.languages
            if lang == project.source_language
            or article_status(project.languages[lang], project.sources, article).complete)
    return published


def online_url(project: Project, lang: str, article_id: str) -> str:
    return f"{project.site.base_url}/{lang}/{article_id}/"


def related_articles(session: Session, localized: LocalizedArticle, link: bool,
                     href: Callable[[str, str], str] | None = None) -> list[Related]:
    """The "read also" list: the related articles published in the reader's language, each
    linked (``link``) to its page: at ``href(lang, id)``, by default its online address."""
    address = href or (lambda lang, other: online_url(session.project, lang, other))
    related = []
    for other in localized.article.meta.related:
        if localized.lang in session.published.get(other, ()):
            title = localize_title(session.project.articles[other], session.translate(localized.lang, other))
            related.append(Related(title, address(localized.lang, other) if link else None))
    return related


def page_format(project: Project, article_id: str) -> str:
    """A5 or A4: the article's own choice, else the site's."""
    return project.articles[article_id].meta.format or project.site.format


def output_path(project: Project, kind: str, lang: str, name: str) -> Path:
    return project.paths.dist / kind / lang / name


@dataclass(frozen=True)
class Made:
    outputs: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...] = ()  # of outputs written all the same (all of them fail it under --strict)


def run_job(session: Session, job: Job) -> Made:
    """Make one job's files, by its format; they replace the old ones together when all are made,
    and when anything fails every old one stays as it was (:func:`leafpress.build.outputs.staged`)."""
    paths = session.project.paths
    made_by = registry.of_kind(job.kind)
    try:
        with staged(paths.dist, made_by.folders) as staging:
            return made_by.make(session, job, staging)
    except OutsideDist as exc:
        raise BuildFailed([error(exc.folder.relative_to(paths.root), None, "dist.outside",
                                 "this folder is a symbolic link that leads outside dist/, so nothing is "
                                 "written through it; remove it and build again")]) from None
