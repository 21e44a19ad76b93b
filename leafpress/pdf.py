"""PDF leaflets with WeasyPrint: one set of fonts and stylesheets per process.

WeasyPrint is imported only here and only when a PDF is really made, so a
build with nothing to do never pays for the import.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from .outputs import atomic_path

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
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from .fetcher import ProjectFetcher

    font_config = FontConfiguration()
    fetcher = ProjectFetcher((content, templates))
    sheets = tuple(CSS(filename=str(templates / name), font_config=font_config, url_fetcher=fetcher)
                   for name in (*STYLESHEETS, *extra_css))
    return PdfEngine(content, font_config, sheets, fetcher)


def render_pdf(engine: PdfEngine, html: str, target: Path, *,
               finish: Callable[[Path], None] | None = None, **options: Any) -> None:
    """Render ``html`` to ``target`` atomically.

    ``finish`` post-processes the written temporary PDF before it is renamed
    into place; ``options`` go to WeasyPrint (``pdf_variant``, ``finisher``...).
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(engine.content) + "/", url_fetcher=engine.url_fetcher)
    with atomic_path(target) as temporary:
        document.write_pdf(str(temporary), stylesheets=list(engine.stylesheets),
                           font_config=engine.font_config, **options)
        if finish is not None:
            finish(temporary)


def write_leaflet(engine: PdfEngine, html: str, target: Path) -> None:
    """The screen leaflet: PDF/UA-1, with WeasyPrint's tagging gaps closed (:mod:`leafpress.pdf_tags`)."""
    from .pdf_tags import finish_tags

    render_pdf(engine, html, target, pdf_variant="pdf/ua-1", finisher=finish_tags)
