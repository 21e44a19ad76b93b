"""A booklet: several articles in one language, one shared reference list, as an EPUB package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from leafpress.build.pipeline import Job, Session, related_articles
from leafpress.build.source_date import source_date_epoch
from leafpress.cite.engine import render_citations
from leafpress.formats.epub.writer import BookletPackage, Document, chapter_file, documents_in_order, stable_identifier
from leafpress.i18n.localize import localize_booklet, localize_helplines
from leafpress.i18n.numerals import Numerals
from leafpress.markdown.html_rules import heading_text, section_ids
from leafpress.markdown.placeholders import values as placeholder_values
from leafpress.markdown.segments import walk_inline
from leafpress.render.fonts import FontFace, faces_to_embed, font_face_css, font_faces
from leafpress.render.html import Interface, article_context, labels, render_template
from leafpress.source.urls import local_file


def article_images(session: Session, localized_articles) -> tuple[tuple[str, Path], ...]:
    """The pictures of the articles in content/: (src as the articles write it, the file)."""
    content = session.project.paths.content
    found: dict[str, Path] = {}
    for localized in localized_articles:
        for inline, _stack in walk_inline(localized.tokens):
            for child in inline.children or ():
                if child.type == "image":
                    src = str(child.attrGet("src"))
                    path = local_file(src, content, (content,))
                    if path is not None:
                        found[src] = path
    return tuple(found.items())


def _fonts(session: Session, text: str) -> tuple[tuple[str, FontFace], ...]:
    """The bundled fonts the booklet carries, each with its place in the EPUB (fonts/…)."""
    faces, _ = font_faces(session.project.paths.templates, session.parsed)
    return tuple((f"fonts/{face.file.name}", face) for face in faces_to_embed(text, faces, session.parsed))


def _stylesheet(templates: Path, fonts: Sequence[tuple[str, FontFace]], numerals: Numerals) -> bytes:
    """epub.css, after the @font-face rules of the fonts the booklet carries; numbered
    lists in the language's own digits where it has them."""
    faces = "".join(font_face_css(face, href) for href, face in fonts)
    lists = "" if numerals.latin else f"ol {{ list-style-type: {numerals.counter_style}; }}\n"
    return faces.encode("utf-8") + (templates / "epub.css").read_bytes() + lists.encode("utf-8")


def _sections(tokens, article_id: str, organisation: str) -> tuple[tuple[str, str], ...]:
    """(id, heading) of each ``##`` section of a chapter, as its HTML has them."""
    names = placeholder_values(organisation)
    return tuple((ident, heading_text(tokens[idx + 1], names))
                 for idx, ident in section_ids(tokens, article_id).items() if tokens[idx].tag == "h2")


def booklet_package(session: Session, job: Job) -> BookletPackage:
    """The EPUB package of ``job``'s booklet: a title page, a chapter per article, the references
    of them all in one list, the navigation, the fonts and images they use."""
    project = session.project
    booklet = project.booklets[job.id]
    interface = session.interface(job.lang)
    context = interface.context()
    templates = project.paths.templates
    title, description = localize_booklet(booklet, session.shared_lookup(job.lang))
    localized = [session.localized(job.lang, article_id, job.draft) for article_id in booklet.articles]
    all_citations = [c for item in localized for c in item.citations]
    cited = render_citations(project.bibliography, job.lang, all_citations, numerals=interface.numerals,
                             style=project.paths.csl_style, formatted=session.formatted)
    chapters = _chapters(session, job.lang, interface, localized, cited.inline)
    references = None
    if cited.entries:
        references = Document("references.xhtml", interface.gettext("Bronnen"), render_template(
            templates, "references.xhtml",
            {**context, "references": cited.entries}))
    toc = [{"href": d.file_name, "title": d.title} for d in chapters]
    titlepage = Document("titlepage.xhtml", title, render_template(templates, "titlepage.xhtml", {
        **context, "title": title, "description": description,
        "organisation": project.site.organisation, "chapters": toc}))
    documents = documents_in_order(titlepage, chapters, references)
    nav = _nav(templates, {**context, "title": title, "has_references": references is not None}, documents)
    reviewed = dt.datetime.combine(max(project.articles[a].meta.reviewed for a in booklet.articles), dt.time(0, 0))
    summary = labels(templates, interface)["accessibility_summary"]
    fonts = _fonts(session, "".join(d.xhtml for d in documents) + nav)
    return BookletPackage(
        identifier=stable_identifier(project.site.base_url, job.lang, booklet.id),
        title=title, description=description, lang=job.lang, dir=interface.dir,
        publisher=project.site.organisation,
        modified=reviewed,
        file_time=source_date_epoch() or reviewed,
        nav=nav, documents=documents,
        stylesheet=_stylesheet(templates, fonts, interface.numerals),
        images=article_images(session, localized), fonts=tuple((href, face.file) for href, face in fonts),
        accessibility_summary=summary, certified_by=project.site.organisation,
        subjects=tuple(dict.fromkeys(word for item in localized for word in item.keywords)))


def _chapters(session: Session, lang: str, interface: Interface, localized,
              inline_citations: Sequence[str]) -> list[Document]:
    """A chapter per article (``localized``), with its sections; ``inline_citations`` are the
    citations of them all, in order, as the shared reference list numbers them."""
    project = session.project
    templates = project.paths.templates
    helplines = localize_helplines(project.helplines, session.shared_lookup(lang))
    chapters = []
    start = 0
    for item in localized:
        inline = inline_citations[start:start + len(item.citations)]
        start += len(item.citations)
        chapter = article_context(item, site=project.site, interface=interface, templates=templates,
                                  helplines=helplines, citation_html=inline, references=(),
                                  related=related_articles(session, item, False),
                                  glossary=session.glossary(lang, item.id), glossary_links=True)
        sections = _sections(item.tokens, item.id, project.site.organisation)
        chapters.append(Document(chapter_file(item.id), item.title,
                                 render_template(templates, "chapter.xhtml", chapter), sections=sections))
    return chapters


def _nav(templates: Path, context: dict, documents: Sequence[Document]) -> str:
    """nav.xhtml: every document, and under each its ``##`` sections."""
    return render_template(templates, "nav.xhtml", {
        **context,
        "toc": [{"href": d.file_name, "title": d.title,
                 "sections": [{"href": f"{d.file_name}#{ident}", "title": heading} for ident, heading in d.sections]}
                for d in documents]})
