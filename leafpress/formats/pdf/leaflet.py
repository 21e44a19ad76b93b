"""PDF leaflets with WeasyPrint: one set of fonts and stylesheets per process.

WeasyPrint is imported only here and only when a PDF is really made, so a
build with nothing to do never pays for the import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leafpress.build.outputs import write_bytes

STYLESHEETS = ("theme.css", "leaflet.css")


@dataclass(frozen=True)
class PdfEngine:
    """What every render in a process shares: fonts, parsed CSS, the fetcher."""

    content: Path
    font_config: Any
    stylesheets: tuple[Any, ...]
    url_fetcher: Any  # fetcher.ProjectFetcher


class RenderWarnings(logging.Handler):
    """Collects WeasyPrint's warnings and errors, so none goes unseen."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


#: what WeasyPrint logs for each glyph it draws as an empty box (weasyprint/draw/text.py)
_NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)" \(U\+[0-9A-F]+\)', re.S)


def drawn_as_boxes(messages: Iterable[str]) -> tuple[str, list[str]]:
    """The characters WeasyPrint drew as empty boxes, once each, and the other messages."""
    boxes: list[str] = []
    others: list[str] = []
    for message in messages:
        match = _NOTDEF.fullmatch(message)
        if match:
            boxes.append(match[1])
        else:
            others.append(message)
    return "".join(dict.fromkeys(boxes)), others


@contextmanager
def weasyprint_messages() -> Iterator[list[str]]:
    """Everything WeasyPrint logs at warning level or above while the block runs."""
    logger = logging.getLogger("weasyprint")
    collector = RenderWarnings()
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


def make_engine(content: Path, templates: Path, extra_css: tuple[str, ...] = ()) -> PdfEngine:
    from leafpress.upstream.weasyprint_libraries import import_weasyprint

    import_weasyprint()  # first: WeasyPrint's libraries found without a search per name
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from leafpress.formats.pdf.fetcher import ProjectFetcher
    from leafpress.formats.pdf.rtl_paint import install as install_rtl_paint
    from leafpress.formats.print.pdfx.layout import bleed_stylesheets
    from leafpress.upstream.font_arrays import install as install_font_arrays

    install_font_arrays()
    install_rtl_paint()
    font_config = FontConfiguration()
    fetcher = ProjectFetcher((content, templates))
    common = {"font_config": font_config, "url_fetcher": fetcher}
    sheets = (*(CSS(filename=str(templates / name), **common) for name in (*STYLESHEETS, *extra_css)),
              *bleed_stylesheets(templates, **common))
    return PdfEngine(content, font_config, sheets, fetcher)


def render_document(engine: PdfEngine, html: str) -> Any:
    """Lay ``html`` out once (a ``weasyprint.Document``): the screen and the print PDF both come
    from it. Its pictures are named after their content, not their path
    (:mod:`leafpress.upstream.image_names`), so the project's folder never reaches the PDFs."""
    from weasyprint import HTML

    from leafpress.upstream.image_names import name_by_content

    images: dict = {}
    document = HTML(string=html, base_url=str(engine.content) + "/", url_fetcher=engine.url_fetcher)
    laid_out = document.render(stylesheets=list(engine.stylesheets), font_config=engine.font_config, cache=images)
    name_by_content(images)
    return laid_out


def screen_pdf(document: Any) -> bytes:
    """The screen leaflet: PDF/UA-1, WeasyPrint's tagging gaps closed (:mod:`leafpress.formats.pdf.tags`),
    each page cropped to the trim (the bleed is for paper), its text shown without zero
    adjustments (:mod:`leafpress.formats.pdf.text_runs`), the cross-reference stream compressed with a
    predictor (:mod:`leafpress.formats.pdf.xref`)."""
    from leafpress.formats.pdf.tags import write_tagged
    from leafpress.formats.pdf.text_runs import drop_zero_adjustments
    from leafpress.formats.pdf.xref import predict_xref

    def finish(_: Any, pdf: Any) -> None:
        crop_to_trim(pdf)
        drop_zero_adjustments(pdf)

    return predict_xref(write_tagged(document, finisher=finish))


def plain_pdf(document: Any) -> bytes:
    """A layout as paper needs it, for the brochure: pages cropped to the trim, no tags."""
    return document.write_pdf(finisher=lambda _, pdf: crop_to_trim(pdf))


def crop_to_trim(pdf: Any) -> None:
    """MediaBox = TrimBox on every page of a ``pydyf.PDF``; no TrimBox or BleedBox left."""
    for reference in pdf.page_references:
        page = pdf.objects[int(reference.split()[0])]
        if "TrimBox" in page:
            page["MediaBox"] = page.pop("TrimBox")
        page.pop("BleedBox", None)


def write_leaflet(engine: PdfEngine, html: str, target: Path) -> None:
    """Render ``html`` and write its screen PDF to ``target`` atomically."""
    write_bytes(target, screen_pdf(render_document(engine, html)))
