"""Colour spaces actually used by content streams, shadings, images and transparency
groups: X-1a allows no RGB, Lab or ICC-based colour; X-4 allows ICC-tagged RGB and Lab
but not DeviceRGB (ISO 15930-7 permits DeviceRGB under a CMYK output intent only with a
DefaultRGB space). Also shadings whose function gives the wrong number of values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pikepdf import Array, Dictionary, Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.pdfx.spec import Variant
from leafpress.formats.print.preflight.content import Operation, resource
from leafpress.formats.print.preflight.finding import preflight_finding

ColourClass = Literal["device-rgb", "icc-rgb", "lab", "icc", "ok"]


def classify(space, resources=None) -> ColourClass:
    """Sort a colour space into what PDF/X cares about."""
    if isinstance(space, Name) and resources is not None:
        named = resource(resources, "/ColorSpace", space)
        if named is not None:
            return classify(named)
    if space in (Name.DeviceRGB, Name.RGB):
        return "device-rgb"
    if space == Name.CalRGB:
        return "icc-rgb"
    if space == Name.Lab:
        return "lab"
    if isinstance(space, Array) and len(space) >= 1:
        family = space[0]
        if family == Name.CalRGB:
            return "icc-rgb"
        if family == Name.Lab:
            return "lab"
        if family == Name.ICCBased:
            return "icc-rgb" if int(space[1].get("/N", 0)) == 3 else "icc"
        if family in (Name.Indexed, Name.I):
            return classify(space[1])
        if family in (Name.Separation, Name.DeviceN):
            return "ok"  # spot colours; the alternate space is only a preview
        if family == Name.Pattern and len(space) > 1:
            return classify(space[1])
    return "ok"


def _colour_finding(kind: ColourClass, variant: Variant, what: str, page: int, resources) -> Diagnostic | None:
    has_default_rgb = resources is not None and "/DefaultRGB" in resources.get("/ColorSpace", Dictionary())
    if variant == "pdf/x-1a":
        if kind in ("device-rgb", "icc-rgb"):
            return preflight_finding("colour.rgb",
                                     f"RGB colour in {what}; PDF/X-1a allows only CMYK, grey and spot colours", page)
        if kind == "lab":
            return preflight_finding("colour.lab",
                                     f"Lab colour in {what}; PDF/X-1a allows only CMYK, grey and spot colours", page)
        if kind == "icc":
            return preflight_finding("colour.icc",
                                     f"ICC-based colour in {what}; PDF/X-1a allows only device colour", page)
    elif kind == "device-rgb" and not has_default_rgb:
        return preflight_finding("colour.rgb", f"DeviceRGB colour in {what} under a CMYK output intent", page)
    return None


def _shading_findings(shading, what: str, page: int) -> Iterator[Diagnostic]:
    """A shading whose function gives fewer values than its colour space has
    components (WeasyPrint 70 gradients under a CMYK output intent)."""
    space, function = shading.get("/ColorSpace"), shading.get("/Function")
    if function is None or isinstance(function, Array):
        return
    functions = function.get("/Functions", Array([function]))
    outputs = {len(f.get("/C0", [0])) for f in functions if int(f.get("/FunctionType", -1)) == 2}
    wanted = 4 if space == Name.DeviceCMYK or (
        isinstance(space, Array) and space[0] == Name.ICCBased and int(space[1].get("/N", 0)) == 4
    ) else None
    if wanted and outputs and outputs != {wanted}:
        yield preflight_finding(
            "shading",
            f"{what} gives {', '.join(map(str, sorted(outputs)))} colour values for a "
            f"{wanted}-component colour space",
            page,
        )


def _image_space(xobject):
    if xobject.get("/ImageMask", False):
        return None
    return xobject.get("/ColorSpace")


def colour_findings(ops: Iterable[Operation], variant: Variant) -> Iterator[Diagnostic]:
    for op in ops:
        kind: ColourClass = "ok"
        what = ""
        if op.operator in ("rg", "RG"):
            kind, what = "device-rgb", f"'{op.operator}' operator"
        elif op.operator in ("cs", "CS"):
            kind, what = classify(op.operands[0], op.resources), f"colour space {op.operands[0]}"
        elif op.operator == "sh":
            shading = resource(op.resources, "/Shading", op.operands[0])
            if shading is not None:
                kind, what = classify(shading.get("/ColorSpace")), f"shading {op.operands[0]}"
                yield from _shading_findings(shading, what, op.page)
        elif op.operator == "Do":
            xobject = resource(op.resources, "/XObject", op.operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Image:
                kind, what = classify(_image_space(xobject)), f"image {op.operands[0]}"
            elif xobject is not None and "/Group" in xobject:
                kind, what = classify(xobject.Group.get("/CS")), f"transparency group of {op.operands[0]}"
        elif op.operator == "BI":
            space = op.operands[0].obj.get("/CS", op.operands[0].obj.get("/ColorSpace"))
            kind, what = classify(space, op.resources), "inline image"
        elif op.operator in ("scn", "SCN") and op.operands and isinstance(op.operands[-1], Name):
            pattern = resource(op.resources, "/Pattern", op.operands[-1])
            if pattern is not None and "/Shading" in pattern:
                kind, what = classify(pattern.Shading.get("/ColorSpace")), f"shading pattern {op.operands[-1]}"
                yield from _shading_findings(pattern.Shading, what, op.page)
        finding = _colour_finding(kind, variant, what, op.page, op.resources)
        if finding is not None:
            yield finding
