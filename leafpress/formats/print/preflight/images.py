"""Image resolution: pixel size against the image's CTM on the page, forms and tiling
patterns included (a warning below ``min_dpi``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from pikepdf import Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.preflight.content import Operation, resource
from leafpress.formats.print.preflight.finding import preflight_finding
from leafpress.formats.print.preflight.geometry import Matrix, shown_mm


def image_resolution(width_px: int, height_px: int, ctm: Matrix) -> float:
    """Effective pixels per inch of an image drawn in the unit square under ``ctm``."""
    a, b, c, d, _, _ = ctm
    width_in = math.hypot(a, b) / 72
    height_in = math.hypot(c, d) / 72
    if width_in == 0 or height_in == 0:
        return math.inf
    return min(width_px / width_in, height_px / height_in)


def resolution_findings(ops: Iterable[Operation], min_dpi: float) -> Iterator[Diagnostic]:
    for op in ops:
        if op.operator != "Do":
            continue
        xobject = resource(op.resources, "/XObject", op.operands[0])
        if xobject is None or xobject.get("/Subtype") != Name.Image or xobject.get("/ImageMask", False):
            continue
        width, height = int(xobject.Width), int(xobject.Height)
        finding = resolution_finding(f"image {op.operands[0]}", (width, height),
                                     (math.hypot(op.ctm[0], op.ctm[1]), math.hypot(op.ctm[2], op.ctm[3])),
                                     op.page, min_dpi)
        if finding is not None:
            yield finding


def resolution_finding(name: str, pixels: tuple[int, int], size_pt: tuple[float, float], page: int,
                       min_dpi: float) -> Diagnostic | None:
    """A warning if an image of ``pixels`` shown at ``size_pt`` has fewer than ``min_dpi`` ppi."""
    ppi = image_resolution(*pixels, (size_pt[0], 0, 0, size_pt[1], 0, 0))
    if ppi >= min_dpi:
        return None
    return preflight_finding(
        "image.resolution",
        f"{name} ({pixels[0]}×{pixels[1]} px at {shown_mm(size_pt[0])} × {shown_mm(size_pt[1])}) is {ppi:.0f} ppi; "
        f"print needs {min_dpi:g}",
        page,
        "warning",
    )
