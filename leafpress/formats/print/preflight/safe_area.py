"""Text at least ``safe_mm`` inside the trim, from the word boxes of ``pdftotext -bbox``
(poppler): poppler knows the fonts' metrics and every text-positioning operator, which
a hand-rolled Tm/Td tracker does not. Word boxes span the font's ascent and descent, so
the check errs on the safe side by a fraction of a millimetre.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.formats.paper import MM, TOLERANCE_MM
from leafpress.formats.print.preflight.finding import preflight_finding
from leafpress.formats.print.preflight.geometry import Box, as_box

_PAGE_RE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.S)
_WORD_RE = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', re.S
)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    box: Box  # PDF user space of the page


def words(path: Path) -> list[Word]:
    """Word boxes from ``pdftotext -bbox``, mapped back to PDF coordinates."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    with pikepdf.open(path) as pdf:
        views = [as_box(p.obj.get("/CropBox", p.obj.MediaBox)) for p in pdf.pages]
    found = []
    for number, (page_xml, view) in enumerate(zip(_PAGE_RE.findall(xhtml), views), start=1):
        for x0, y0, x1, y1, text in _WORD_RE.findall(page_xml):
            box = (view[0] + float(x0), view[3] - float(y1), view[0] + float(x1), view[3] - float(y0))
            found.append(Word(number, unescape(text), box))
    return found


def safe_area_findings(path: Path, pdf: pikepdf.Pdf, safe_mm: float) -> Iterator[Diagnostic]:
    if shutil.which("pdftotext") is None:
        yield preflight_finding("text.unchecked",
                                "pdftotext (poppler-utils) not found; text safe area not checked", level="warning")
        return
    trims = [as_box(p.obj.get("/TrimBox", p.obj.MediaBox)) for p in pdf.pages]
    yield from outside_safe_area(words(path), trims, safe_mm)


def outside_safe_area(found: Iterable[Word], trims: Sequence[Box], safe_mm: float) -> Iterator[Diagnostic]:
    """A finding per page with text closer than ``safe_mm`` to its trim (``trims[page - 1]``).

    Word and trim boxes only need to share one coordinate system (y up or down).
    """
    outside: dict[int, list[Word]] = {}
    inset = safe_mm * MM - TOLERANCE_MM * MM
    for word in found:
        safe = trims[word.page - 1]
        x0, y0, x1, y1 = word.box
        if x0 < safe[0] + inset or y0 < safe[1] + inset or x1 > safe[2] - inset or y1 > safe[3] - inset:
            outside.setdefault(word.page, []).append(word)
    for number, bad in sorted(outside.items()):
        shown = ", ".join(repr(w.text) for w in bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        yield preflight_finding("text.safe-area", f"text closer than {safe_mm:g} mm to the trim edge: {shown}", number)
