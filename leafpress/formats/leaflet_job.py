"""One leaflet job: the screen PDF, the print-shop PDF and the office brochure of one article
in one language, from one layout (:mod:`leafpress.formats.leaflet_format` declares the format).

    HTML (Jinja) ─▶ lay out (WeasyPrint) ─▶ refuse what no reader may get ─▶ warn ─▶ write the three

An article in another format than the brochure's pages (A4) is laid out once more for its
brochure, at that size, with the same type. Nothing is written when anything is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from leafpress.build.outputs import Staging
from leafpress.build.pipeline import Job, Made, Session, online_url, output_path, page_format, related_articles
from leafpress.cite.engine import render_citations
from leafpress.cite.links import linked_citations
from leafpress.diagnostics import BuildFailed, Diagnostic, error, warning
from leafpress.formats.leaflet_format import BROCHURES, PRINT, SCREEN
from leafpress.i18n.catalogs import catalog_path
from leafpress.i18n.localize import localize_helplines
from leafpress.i18n.translations import source_body
from leafpress.render.fonts import by_script, missing_message
from leafpress.render.html import article_context, direction, language_name, render_template
from leafpress.render.qr import qr_svg
from leafpress.source.glossary import localized as localized_glossary
from leafpress.source.glossary import unmarked
from leafpress.source.load import Project

# WeasyPrint logs this for every alt="", also for images marked decorative on
# purpose; checks.py already makes a missing description an error.
EXPECTED_MESSAGE = re.compile(r"has no required alt description")
# what WeasyPrint logs for a picture it leaves out (weasyprint/images.py), often with no reason
IMAGE_FAILED = re.compile(r"Failed to (?:load|render SVG) image")


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
                             style=project.paths.csl_style, formatted=session.formatted)
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


class Places(NamedTuple):
    """Where a leaflet's three files go: dist/<folder>/<lang>/<id>.pdf."""

    screen: Path
    printed: Path
    brochure: Path

    @classmethod
    def of(cls, project: Project, job: Job) -> Places:
        name = f"{job.id}.pdf"
        return cls(*(output_path(project, folder, job.lang, name) for folder in (SCREEN, PRINT, BROCHURES)))


class Laid(NamedTuple):
    """A leaflet laid out: its HTML, WeasyPrint's document, and what WeasyPrint said."""

    html: str
    document: Any
    screen: bytes    # the tagged screen PDF
    pages: bytes     # the brochure's pages: the screen PDF's, or laid out again at the brochure's size
    messages: list[str]


def make_leaflet(session: Session, job: Job, staging: Staging) -> Made:
    """Lay the leaflet out, refuse it when a reader would miss something (with --strict, when
    anything is warned of too), else write its three files where ``staging`` says."""
    from leafpress.formats.print.layout_checks import layout_findings

    places = Places.of(session.project, job)
    laid = lay_out(session, job, places)
    findings = layout_findings(laid.document)
    refused = refusals(session, job, laid, findings)
    warned = layout_warnings(session, job, laid, findings, places)
    if job.strict:  # --strict: the warnings stop this leaflet too, and it writes nothing
        refused += [d._replace(level="error", message=f"{d.message} (a warning; --strict stops on it)")
                    for d in warned]
    if refused:  # text left out, or what a print shop would reject (text over the trim edge): not published
        raise BuildFailed(refused)
    write_leaflet(session, job, laid, places, staging)
    return Made(tuple(places), tuple(warned))


def lay_out(session: Session, job: Job, places: Places) -> Laid:
    """The screen PDF and the brochure's pages, from one layout where the formats agree; refused
    (:class:`BuildFailed`) when letters no font has would be drawn as empty boxes."""
    from leafpress.formats.paper import BROCHURE_PAGE
    from leafpress.formats.pdf.leaflet import (
        drawn_as_boxes,
        plain_pdf,
        render_document,
        screen_pdf,
        weasyprint_messages,
    )

    project = session.project
    engine = session.pdf_engine()
    html = leaflet_html(session, job)
    with weasyprint_messages() as messages:
        document = render_document(engine, html)
        screen = screen_pdf(document)
        pages = screen if page_format(project, job.id) == BROCHURE_PAGE else plain_pdf(
            render_document(engine, leaflet_html(session, job, BROCHURE_PAGE)))
    boxes, messages = drawn_as_boxes(messages)
    if boxes:  # letters no font has, from where glyphs.py does not look: no leaflet of empty boxes
        raise BuildFailed([error(places.screen.relative_to(project.paths.root), None, "font.missing-script",
                                 missing_message(script, chars[:8] + ("…" if len(chars) > 8 else ""), chars))
                           for script, chars in by_script(boxes).items()])
    return Laid(html, document, screen, pages, messages)


def refusals(session: Session, job: Job, laid: Laid, findings: list) -> list[Diagnostic]:
    """What keeps the leaflet from being published: text it leaves out, a picture it would be
    printed without, and what print preflight rejects."""
    from leafpress.formats.print.layout_checks import missing_text

    project = session.project
    where = _relative(project, project.articles[job.id].path)
    left_out = [error(*_source_of(project, job, run), "layout.missing-text",
                      f"the '{job.lang}' leaflet leaves out text it should show: {_quoted(run)}; shorten it "
                      "(a word longer than a line is not laid out)")
                for run in missing_text(laid.document, laid.html)]
    left_out += [error(where, None, "figure.load", f"the '{job.lang}' leaflet would be printed without a "
                       f"picture: WeasyPrint: {_in_project(project, m.removeprefix('Failed to '))}; check "
                       "the picture in an "
                       "image editor and export it again")
                 for m in dict.fromkeys(laid.messages) if IMAGE_FAILED.match(m)]
    return left_out + [error(where, None, f.code, f"the '{job.lang}' leaflet fails print preflight: "
                             f"{_on_page(f.page)}{f.message}; shorten or break the text there")
                       for f in findings if f.level == "error"]


def layout_warnings(session: Session, job: Job, laid: Laid, findings: list, places: Places) -> list[Diagnostic]:
    """What the leaflet is published with all the same: WeasyPrint's messages, print preflight's
    warnings, difficult words whose first use cannot be marked."""
    root = session.project.paths.root
    warned = [warning(places.screen.relative_to(root), None, "render.weasyprint", f"WeasyPrint: {m}")
              for m in dict.fromkeys(laid.messages) if not EXPECTED_MESSAGE.search(m)]
    warned += [f.at(places.printed.relative_to(root)) for f in findings if f.level == "warning"]
    return warned + glossary_warnings(session, job)


def write_leaflet(session: Session, job: Job, laid: Laid, places: Places, staging: Staging) -> None:
    """The screen PDF as laid out, the print shop's PDF made from it, the brochure imposed from its pages."""
    from leafpress.build.outputs import write_bytes
    from leafpress.formats.paper import BROCHURE_SHEET
    from leafpress.formats.print.impose import impose_saddle_stitch
    from leafpress.formats.print.pdfx.spec import PrintSpec, variant_named
    from leafpress.formats.print.pdfx.writer import print_from_pdf

    project = session.project
    spec = PrintSpec(variant_named(project.site.print_variant), project.site.icc_profile_path(project.paths))
    write_bytes(staging.path(places.screen), laid.screen)
    print_from_pdf(laid.screen, staging.path(places.printed), spec)
    impose_saddle_stitch(laid.pages, staging.path(places.brochure), sheet=BROCHURE_SHEET,
                         right_to_left=direction(job.lang) == "rtl")


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
