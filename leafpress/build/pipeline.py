"""The build: plan what to make in which language, then make it.

    load + check ─▶ plan (publishing policy) ─▶ for each job:
        localize ─▶ cite ─▶ render (Jinja) ─▶ PDF leaflet (+ tag fixes) ─▶ print PDF ─▶ brochure
        localize ─▶ cite ─▶ render (Jinja) ─▶ EPUB booklet
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from leafpress.build.outputs import OutsideDist, Staging, staged
from leafpress.build.parse_cache import Parsed
from leafpress.cite.engine import render_citations
from leafpress.cite.links import linked_citations
from leafpress.diagnostics import BuildFailed, Diagnostic, Level, error, warning
from leafpress.i18n.catalogs import Status, catalog_path, gettext_callables, lookup
from leafpress.i18n.localize import LocalizedArticle, localize_article, localize_helplines, localize_title
from leafpress.i18n.numerals import numerals
from leafpress.i18n.translations import article_status, booklet_status, source_body
from leafpress.render.fonts import by_script, missing_message
from leafpress.render.html import Interface, Related, article_context, direction, language_name, render_template
from leafpress.render.qr import qr_svg
from leafpress.source.glossary import Entry, unmarked
from leafpress.source.glossary import localized as localized_glossary
from leafpress.source.load import Project

Kind = Literal["leaflet", "booklet", "site"]
# WeasyPrint logs this for every alt="", also for images marked decorative on
# purpose; checks.py already makes a missing description an error.
EXPECTED_MESSAGE = re.compile(r"has no required alt description")
# what WeasyPrint logs for a picture it leaves out (weasyprint/images.py), often with no reason
IMAGE_FAILED = re.compile(r"Failed to (?:load|render SVG) image")
TARGETS = ("leaflets", "booklets")


@dataclass(frozen=True)
class Options:
    languages: tuple[str, ...] = ()      # empty: every configured language
    targets: tuple[str, ...] = TARGETS
    draft: bool = False
    strict: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Job:
    kind: Kind
    lang: str
    id: str
    draft: bool  # built with untranslated segments falling back to the source language
    strict: bool = False  # --strict: a warning of the layout stops it, before it writes anything


def _skip_message(what: str, lang: str, found: Status) -> str:
    return (f"{what} is not published in '{lang}': {found.untranslated} untranslated and "
            f"{found.fuzzy} fuzzy of {found.total} messages ({found.percent:.0f}% done); "
            "finish the translation, or build with --draft to preview it")


def plan(project: Project, options: Options) -> tuple[list[Job], list[Diagnostic]]:
    """Which leaflets and booklets to make, by the publishing policy."""
    jobs: list[Job] = []
    found: list[Diagnostic] = []
    languages = options.languages or project.site.languages
    ready: dict[tuple[str, str], bool] = {}
    level: Level = "error" if options.strict else "warning"
    for lang in languages:
        for article in project.articles.values():
            if lang == project.source_language:
                ready[lang, article.id] = True
                continue
            counts = article_status(project.languages[lang], project.sources, article)
            ready[lang, article.id] = counts.complete
            if not counts.complete and not options.draft:
                found.append(Diagnostic(article.path, None, level, "i18n.incomplete",
                                        _skip_message(f"article '{article.id}'", lang, counts)))
            if "leaflets" in options.targets and (counts.complete or options.draft):
                jobs.append(Job("leaflet", lang, article.id, not counts.complete, options.strict))
        if "leaflets" in options.targets and lang == project.source_language:
            jobs += [Job("leaflet", lang, a, False, options.strict) for a in project.articles]
        if "booklets" not in options.targets:
            continue
        for booklet in project.booklets.values():
            counts = (booklet_status(project.languages[lang], project.sources, booklet)
                      if lang != project.source_language else Status(1, 0, 0))
            complete = counts.complete and all(ready.get((lang, a), False) for a in booklet.articles)
            if complete or options.draft:
                jobs.append(Job("booklet", lang, booklet.id, not complete, options.strict))
            else:
                found.append(Diagnostic(booklet.path, None, level, "i18n.incomplete",
                                        f"booklet '{booklet.id}' is not published in '{lang}': "
                                        "its title or one of its articles is not completely translated"))
    for article in project.articles.values():
        if article.meta.next_review < options.today:
            found.append(Diagnostic(article.path, article.meta.lines.get("next_review"), level, "meta.review",
                                    f"next review date {article.meta.next_review} has passed; review the "
                                    "article and update reviewed and next_review"))
    return jobs, found


@dataclass
class Session:
    """What one process shares between jobs: the project, parsed CSS and fonts, localized
    articles (of the language at hand)."""

    project: Project
    published: dict[str, tuple[str, ...]]  # article id -> languages it is published in
    engine: Any = None
    _localized: dict[tuple[str, str, bool], LocalizedArticle] = field(default_factory=dict)
    parsed: Parsed = field(default_factory=Parsed)  # the bundled fonts' cmaps, read once per process

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


def leaflet_context(session: Session, job: Job, *, related_href: Callable[[str, str], str] | None = None,
                    citation_links: bool = False) -> dict[str, Any]:
    """What a leaflet's article shows, in its language: the article (:func:`article_context`),
    its reference list, its online address and the other languages it is published in.
    Shared by the PDF leaflet and its web page; ``related_href`` as in :func:`related_articles`,
    ``citation_links``: each in-text citation a link to its entry of the reference list."""
    project = session.project
    localized = session.localized(job.lang, job.id, job.draft)
    interface = session.interface(job.lang)
    # The titles of works in another language are a <span lang>, a Span with /Lang in the
    # tagged PDF, as in the booklets (EPUB).
    cited = render_citations(project.bibliography, job.lang, localized.citations, numerals=interface.numerals,
                             style=project.paths.csl_style)
    inline = (linked_citations(cited.inline, localized.citations, [e.key for e in cited.entries])
              if citation_links else cited.inline)
    context = article_context(
        localized, site=project.site, interface=interface, templates=project.paths.templates,
        helplines=localize_helplines(project.helplines, session.shared_lookup(job.lang)),
        citation_html=inline, references=cited.entries,
        related=related_articles(session, localized, True, related_href),
        glossary=session.glossary(job.lang, job.id))
    others = [lang for lang in session.published.get(job.id, ()) if lang != job.lang]
    context.update({
        "online_url": online_url(project, job.lang, job.id),
        "other_languages": [{"lang": o, "dir": direction(o), "name": language_name(o)} for o in others],
    })
    return context


def leaflet_html(session: Session, job: Job, size: str | None = None) -> str:
    """The leaflet's HTML, with pages of the article's format, or of ``size`` (A5, A4)."""
    context = leaflet_context(session, job)
    url = context["online_url"]
    context.update({
        "format": size or page_format(session.project, job.id),
        "online_url_text": url.removeprefix("https://"),
        "qr_code": lambda label: qr_svg(url, label=label),
    })
    return render_template(session.project.paths.templates, "leaflet.html", context)


def page_format(project: Project, article_id: str) -> str:
    """A5 or A4: the article's own choice, else the site's."""
    return project.articles[article_id].meta.format or project.site.format


def output_path(project: Project, kind: str, lang: str, name: str) -> Path:
    return project.paths.dist / kind / lang / name


@dataclass(frozen=True)
class Made:
    outputs: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...] = ()  # of outputs written all the same (all of them fail it under --strict)


def make_leaflet(session: Session, job: Job, staging: Staging) -> Made:
    """Screen PDF, print-shop PDF and office brochure of one article in one language,
    from one layout; an article in another format than the brochure's pages (A4) is laid
    out once more for its brochure, at that size, with the same type. Written where
    ``staging`` says, to be moved into place together."""
    from leafpress.build.outputs import write_bytes
    from leafpress.formats.paper import BROCHURE_PAGE, BROCHURE_SHEET
    from leafpress.formats.pdf.leaflet import (
        drawn_as_boxes,
        plain_pdf,
        render_document,
        screen_pdf,
        weasyprint_messages,
    )
    from leafpress.formats.print.impose import impose_saddle_stitch
    from leafpress.formats.print.layout_checks import layout_findings, missing_text
    from leafpress.formats.print.pdfx import PrintSpec, print_from_pdf, variant_named

    project = session.project
    engine = session.pdf_engine()
    html = leaflet_html(session, job)
    name = f"{job.id}.pdf"
    screen = output_path(project, "leaflets", job.lang, name)
    printed = output_path(project, "print", job.lang, name)
    brochure = output_path(project, "brochures", job.lang, name)
    trim = page_format(project, job.id)
    spec = PrintSpec(variant_named(project.site.print_variant), project.site.icc_profile_path(project.paths))
    with weasyprint_messages() as messages:
        document = render_document(engine, html)
        screen_bytes = screen_pdf(document)
        pages = screen_bytes if trim == BROCHURE_PAGE else plain_pdf(
            render_document(engine, leaflet_html(session, job, BROCHURE_PAGE)))
    boxes, messages = drawn_as_boxes(messages)
    if boxes:  # letters no font has, from where glyphs.py does not look: no leaflet of empty boxes
        raise BuildFailed([error(screen.relative_to(project.paths.root), None, "font.missing-script",
                                 missing_message(script, chars[:8] + ("…" if len(chars) > 8 else ""), chars))
                           for script, chars in by_script(boxes).items()])
    findings = layout_findings(document)
    where = _relative(project, project.articles[job.id].path)
    left_out = [error(*_source_of(project, job, run), "layout.missing-text",
                      f"the '{job.lang}' leaflet leaves out text it should show: {_quoted(run)}; shorten it "
                      "(a word longer than a line is not laid out)")
                for run in missing_text(document, html)]
    left_out += [error(where, None, "figure.load", f"the '{job.lang}' leaflet would be printed without a "
                       f"picture: WeasyPrint: {_in_project(project, m.removeprefix('Failed to '))}; check "
                       "the picture in an "
                       "image editor and export it again") for m in dict.fromkeys(messages) if IMAGE_FAILED.match(m)]
    refused = left_out + [error(where, None, f.code, f"the '{job.lang}' leaflet fails print preflight: "
                                f"{_on_page(f.page)}{f.message}; shorten or break the text there")
                          for f in findings if f.level == "error"]
    warned = [warning(screen.relative_to(project.paths.root), None, "render.weasyprint", f"WeasyPrint: {m}")
              for m in dict.fromkeys(messages) if not EXPECTED_MESSAGE.search(m)]
    warned += [f.at(printed.relative_to(project.paths.root)) for f in findings if f.level == "warning"]
    warned += glossary_warnings(session, job)
    if job.strict:  # --strict: the warnings stop this leaflet too, and it writes nothing
        refused += [d._replace(level="error", message=f"{d.message} (a warning; --strict stops on it)")
                    for d in warned]
    if refused:  # text left out, or what a print shop would reject (text over the trim edge): not published
        raise BuildFailed(refused)
    write_bytes(staging.path(screen), screen_bytes)
    print_from_pdf(screen_bytes, staging.path(printed), spec)
    impose_saddle_stitch(pages, staging.path(brochure), sheet=BROCHURE_SHEET,
                         right_to_left=direction(job.lang) == "rtl")
    return Made((screen, printed, brochure), tuple(warned))


def glossary_warnings(session: Session, job: Job) -> list[Diagnostic]:
    """A difficult word of a translated leaflet whose first use cannot be marked: none of the forms
    the translator gave is in the translated text (and the word is not only in a Dutch heading or link)."""
    project = session.project
    if job.lang == project.source_language or job.draft:
        return []
    catalog = project.languages[job.lang].shared
    source = {term.key: term for term in project.glossary}
    entries = session.glossary(job.lang, job.id)
    if catalog is None or not entries:
        return []
    in_dutch = localized_glossary(project.glossary, [e.key for e in entries], None, project.source_language)
    not_in_dutch = {e.key for e in unmarked(source_body(project.articles[job.id].body).tokens, in_dutch, job.id)}
    found = []
    for entry in unmarked(session.localized(job.lang, job.id, False).tokens, entries, job.id):
        if entry.key in not_in_dutch:  # only in a heading or a link: not marked in Dutch either
            continue
        names = source[entry.key].names
        line = catalog.entries[names].line if names in catalog.entries else None
        found.append(warning(_relative(project, catalog.path), line, "glossary.form",
                             f"the '{job.lang}' leaflet '{job.id}' uses '{entry.term}' ({names}), but none of its "
                             f"forms here ({', '.join(entry.forms)}) is in the translated text, so its first use is "
                             "not marked; add the form the translation uses, after a comma"))
    return found


def _on_page(page: int | None) -> str:
    return f"page {page}: " if page else ""


def _source_of(project: Project, job: Job, text: str) -> tuple[Path, int | None]:
    """Where ``text`` of a job's leaflet was written: the line of the article, or of its
    catalog for a translation, that holds its start (relative to the project); the
    article without a line when no line does."""
    article = project.articles[job.id].path
    candidates = [article] if job.lang == project.source_language else [
        catalog_path(project.paths.translations, job.lang, job.id), article]
    start = text[:30]
    for path in candidates:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        number = next((n for n, line in enumerate(lines, start=1) if start in line), None)
        if number is not None:
            return _relative(project, path), number
    return _relative(project, article), None


def _relative(project: Project, path: Path) -> Path:
    return path.relative_to(project.paths.root) if path.is_relative_to(project.paths.root) else path


def _in_project(project: Project, message: str) -> str:
    """A WeasyPrint message with the project's file URLs as paths from the project."""
    return message.replace(project.paths.root.as_uri() + "/", "")


def _quoted(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def make_booklet(session: Session, job: Job, staging: Staging) -> Made:
    from leafpress.formats.epub.booklet import booklet_package
    from leafpress.formats.epub.writer import write_booklet

    package = booklet_package(session, job)
    target = output_path(session.project, "booklets", job.lang, f"{job.id}.epub")
    write_booklet(package, staging.path(target))
    return Made((target,))


MAKERS: dict[str, Callable[[Session, Job, Staging], Made]] = {"leaflet": make_leaflet, "booklet": make_booklet}


def run_job(session: Session, job: Job) -> Made:
    """Make one job's files; they replace the old ones together when all are made, and
    when anything fails every old one stays as it was (:func:`leafpress.build.outputs.staged`)."""
    paths = session.project.paths
    try:
        with staged(paths.dist) as staging:
            return MAKERS[job.kind](session, job, staging)
    except OutsideDist as exc:
        raise BuildFailed([error(exc.folder.relative_to(paths.root), None, "dist.outside",
                                 "this folder is a symbolic link that leads outside dist/, so nothing is "
                                 "written through it; remove it and build again")]) from None
