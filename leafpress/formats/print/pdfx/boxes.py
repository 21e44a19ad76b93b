"""The page boxes of a print file (TrimBox, BleedBox, MediaBox with a slug) and the crop
marks in the /All registration colour outside the bleed.
"""

from __future__ import annotations

from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from leafpress.formats.paper import MM
from leafpress.formats.print.pdfx.spec import MARK_GAP_MM, MARK_LENGTH_MM, PrintSpec

MARK_WIDTH_PT = 0.25
REGISTRATION = "/LeafpressRegistration"


Box = tuple[float, float, float, float]


def _box(values) -> Box:
    return tuple(float(v) for v in values)  # type: ignore[return-value]


def grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def crop_marks(trim: Box, bleed_pt: float) -> str:
    """Content-stream operators for the eight crop marks of ``trim``, outside the bleed."""
    start = bleed_pt + MARK_GAP_MM * MM
    end = start + MARK_LENGTH_MM * MM
    x0, y0, x1, y1 = trim
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * start, y, x + sx * end, y))  # horizontal
            lines.append((x, y + sy * start, x, y + sy * end))  # vertical
    path = "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l " for a, b, c, d in lines)
    return f"q {REGISTRATION} CS 1 SCN {MARK_WIDTH_PT} w 0 J [] 0 d {path}S Q\n"


def registration_colour_space(pdf: Pdf) -> Array:
    """The /All separation: marks that print on every plate."""
    tint = Dictionary(
        FunctionType=2,
        Domain=Array([0, 1]),
        C0=Array([0, 0, 0, 0]),
        C1=Array([1, 1, 1, 1]),
        N=1,
    )
    return Array([Name.Separation, Name.All, Name.DeviceCMYK, pdf.make_indirect(tint)])


def set_boxes_and_marks(pdf: Pdf, page: pikepdf.Page, spec: PrintSpec) -> None:
    # the screen PDF is cropped to the trim; WeasyPrint's own output says where it is
    trim = _box(page.obj.TrimBox if "/TrimBox" in page.obj else page.obj.MediaBox)
    bleed = grow(trim, spec.bleed_mm * MM)
    media = grow(bleed, spec.slug_mm * MM)
    page.obj.TrimBox = Array([Decimal(f"{v:.4f}") for v in trim])
    page.obj.BleedBox = Array([Decimal(f"{v:.4f}") for v in bleed])
    page.obj.MediaBox = Array([Decimal(f"{v:.4f}") for v in media])
    for key in ("/CropBox", "/ArtBox"):
        if key in page.obj:
            del page.obj[key]
    clip = f"q {bleed[0]:.4f} {bleed[1]:.4f} {bleed[2] - bleed[0]:.4f} {bleed[3] - bleed[1]:.4f} re W n\n"
    original = page.obj.Contents.read_bytes()
    marks = crop_marks(trim, spec.bleed_mm * MM)
    page.obj.Contents = pdf.make_stream(clip.encode() + original + b"\nQ\n" + marks.encode())
    resources = page.obj.Resources
    if "/ColorSpace" not in resources:
        resources.ColorSpace = Dictionary()
    if REGISTRATION not in resources.ColorSpace:
        resources.ColorSpace[REGISTRATION] = registration_colour_space(pdf)
