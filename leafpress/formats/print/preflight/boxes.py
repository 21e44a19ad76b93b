"""The page boxes (TrimBox of the expected size; BleedBox = TrimBox + bleed on every side;
MediaBox containing the BleedBox), and annotations inside the bleed box.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pikepdf
from pikepdf import Array, Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.paper import MM, TOLERANCE_MM
from leafpress.formats.print.preflight.finding import preflight_finding
from leafpress.formats.print.preflight.geometry import as_box, intersects, shown_mm

PRINTER_ANNOTATIONS = (Name.PrinterMark, Name.TrapNet)


def box_findings(page: pikepdf.Page, number: int, trim_mm: Sequence[float] | None,
                 bleed_mm: float) -> Iterator[Diagnostic]:
    """The page's boxes; ``trim_mm`` None: any trim size will do."""
    tol = TOLERANCE_MM * MM
    obj = page.obj
    if "/TrimBox" not in obj:
        yield preflight_finding("box.trim", "no TrimBox", number)
        return
    trim = as_box(obj.TrimBox)
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    if trim_mm is not None and (abs(width - trim_mm[0] * MM) > tol or abs(height - trim_mm[1] * MM) > tol):
        yield preflight_finding(
            "box.trim",
            f"TrimBox is {shown_mm(width)} × {shown_mm(height)}, expected {trim_mm[0]:g} × {trim_mm[1]:g} mm",
            number,
        )
    if "/BleedBox" not in obj:
        yield preflight_finding("box.bleed", f"no BleedBox; expected {bleed_mm:g} mm bleed on every side", number)
        bleed = trim
    else:
        bleed = as_box(obj.BleedBox)
        sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if any(abs(side - bleed_mm * MM) > tol for side in sides):
            shown = ", ".join(shown_mm(s) for s in sides)
            yield preflight_finding(
                "box.bleed",
                f"bleed is {shown} (left, bottom, right, top); expected {bleed_mm:g} mm on every side",
                number,
            )
    media = as_box(obj.MediaBox)
    if not (media[0] <= bleed[0] + tol and media[1] <= bleed[1] + tol
            and media[2] >= bleed[2] - tol and media[3] >= bleed[3] - tol):
        yield preflight_finding("box.media", "MediaBox does not contain the BleedBox", number)


def annotation_findings(page: pikepdf.Page, number: int) -> Iterator[Diagnostic]:
    obj = page.obj
    area = as_box(obj.get("/BleedBox", obj.get("/TrimBox", obj.MediaBox)))
    for annot in obj.get("/Annots", Array()):
        if annot.get("/Subtype") in PRINTER_ANNOTATIONS or "/Rect" not in annot:
            continue
        if intersects(as_box(annot.Rect), area):
            yield preflight_finding("annotation", f"{annot.get('/Subtype')} annotation inside the bleed box", number)
