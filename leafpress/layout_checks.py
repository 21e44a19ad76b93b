"""Print warnings read from the layout: text too near the trim, images with too few pixels.

The print PDF is converted from the very layout WeasyPrint made for the
screen PDF (:mod:`leafpress.printpdf`), so what a print shop would reject
for reasons of *content* can be seen in WeasyPrint's boxes already, without
reading the written file back (``pdftotext`` and a content-stream walk cost
more than a leaflet's conversion). The judgement itself is preflight's
(:func:`leafpress.preflight.outside_safe_area`,
:func:`leafpress.preflight.resolution_finding`); ``make check`` still runs
the whole preflight on the files.
"""

from __future__ import annotations

from typing import Any

from .box_tree import walk
from .preflight import Finding, Word, outside_safe_area, resolution_finding

PT_PER_PX = 0.75  # CSS px to PDF points


def layout_findings(document: Any, *, min_dpi: float = 300, safe_mm: float = 5) -> list[Finding]:
    """What preflight would say about text placement and image resolution of a ``weasyprint.Document``."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.images import RasterImage

    found_words: list[Word] = []
    findings: list[Finding] = []
    trims = []
    for number, page in enumerate(document.pages, start=1):
        trims.append((0.0, 0.0, page.width * PT_PER_PX, page.height * PT_PER_PX))
        for box in walk(page._page_box):
            if isinstance(box, boxes.TextBox) and box.text.strip():
                found_words.append(Word(number, _short(box.text), _points(box)))
            elif isinstance(box, boxes.ReplacedBox) and isinstance(box.replacement, RasterImage):
                image = box.replacement
                size = (box.width * PT_PER_PX, box.height * PT_PER_PX)
                finding = resolution_finding(f"image {_source(box)}", (image.width, image.height), size,
                                             number, min_dpi)
                if finding is not None:
                    findings.append(finding)
    return [*outside_safe_area(found_words, trims, safe_mm), *findings]


def _points(box: Any) -> tuple[float, float, float, float]:
    x, y = box.position_x * PT_PER_PX, box.position_y * PT_PER_PX
    return (x, y, x + box.width * PT_PER_PX, y + box.height * PT_PER_PX)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source(box: Any) -> str:
    element = getattr(box, "element", None)
    return element.get("src", "") if element is not None else ""
