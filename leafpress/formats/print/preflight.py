"""Our PDF/X preflight: what a print shop's checker would reject, found first.

    python -m leafpress.formats.print.preflight dist/print/nl/angst.pdf [--variant pdf/x-1a]

prints one line per finding and exits 1 if there are any. What is checked:

- boxes: TrimBox of the expected size; BleedBox = TrimBox + bleed on every
  side; MediaBox containing the BleedBox;
- an output intent /GTS_PDFX with an embedded CMYK (N=4) printer profile;
- the PDF/X version keys (Info for X-1a, XMP ``pdfxid`` for X-4), the PDF
  version, /Trapped, a title and a file identifier; no encryption;
- colour spaces actually used by content streams, shadings, images and
  transparency groups: X-1a allows no RGB, Lab or ICC-based colour; X-4
  allows ICC-tagged RGB and Lab but not DeviceRGB (ISO 15930-7 permits
  DeviceRGB under a CMYK output intent only with a DefaultRGB space);
- transparency, for X-1a: soft masks, constant alpha below 1, blend modes
  other than Normal/Compatible, transparency groups;
- black text (a neutral grey or black at least 85 % dark, the rule of
  :func:`leafpress.formats.print.pdfx.black_text.is_black_text`) that is not 100 % K
  (``0 0 0 1 k``) overprinting (``/OP true /op true /OPM 1``): a 90 % black
  is screened into dots on small text, and black that knocks out shows white
  edges when the plates shift;
- every font embedded;
- annotations and form fields inside the bleed box (PDF/X forbids them);
- image resolution: pixel size against the image's CTM on the page,
  forms and tiling patterns included (warning below ``min_dpi``);
- text at least ``safe_mm`` inside the trim, from the word boxes of
  ``pdftotext -bbox`` (poppler): poppler knows the fonts' metrics and every
  text-positioning operator, which a hand-rolled Tm/Td tracker does not.
  Word boxes span the font's ascent and descent, so the check errs on the
  safe side by a fraction of a millimetre.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from html import unescape
from pathlib import Path
from typing import Literal

import pikepdf
from pikepdf import Array, Dictionary, Name

from leafpress.diagnostics import Diagnostic, Level
from leafpress.formats.paper import MM, SIZES_MM, TOLERANCE_MM
from leafpress.formats.print.pdfx.black_text import BLACK, is_black_text

Variant = Literal["pdf/x-4", "pdf/x-1a"]
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 12
PRINTER_ANNOTATIONS = (Name.PrinterMark, Name.TrapNet)


def _finding(code: str, message: str, page: int | None = None, level: Level = "error") -> Diagnostic:
    """A preflight problem ``preflight.<code>``, on ``page`` (1-based) if of one page; placed in its
    file by :func:`preflight` (the checks of a file's parts do not know its name)."""
    return Diagnostic("", None, level, f"preflight.{code}", message, page)


# --- geometry ----------------------------------------------------------------


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention: m · n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(values) -> Matrix:
    return tuple(float(v) for v in values)  # type: ignore[return-value]


def _box(values) -> Box:
    x0, y0, x1, y1 = (float(v) for v in values)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


def _intersects(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- walking content ---------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One content-stream operator, where it ran and with what CTM."""

    page: int
    operator: str
    operands: tuple
    ctm: Matrix
    resources: pikepdf.Object | None
    depth: int = 0  # 0 for the page's own content, 1 inside a form or pattern it paints, ...


def _resource(resources, category: str, name) -> pikepdf.Object | None:
    if resources is None or category not in resources:
        return None
    return resources[category].get(name)


def walk(owner, resources, page: int, ctm: Matrix = IDENTITY, depth: int = 0) -> Iterator[Operation]:
    """Interpret a content stream roughly: track q/Q/cm, enter forms and patterns."""
    if depth > MAX_FORM_DEPTH:
        return
    yield from _walk_patterns(resources, page, ctm, depth)
    stack: list[Matrix] = []
    for item in pikepdf.parse_content_stream(owner):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            yield Operation(page, "BI", (item.iimage,), ctm, resources, depth)
            continue
        operands, operator = tuple(item.operands), str(item.operator)
        if operator == "q":
            stack.append(ctm)
        elif operator == "Q" and stack:
            ctm = stack.pop()
        elif operator == "cm" and len(operands) == 6:
            ctm = multiply(_matrix(operands), ctm)
        yield Operation(page, operator, operands, ctm, resources, depth)
        if operator == "Do":
            xobject = _resource(resources, "/XObject", operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Form:
                inner = multiply(_matrix(xobject.get("/Matrix", IDENTITY)), ctm)
                yield from walk(xobject, xobject.get("/Resources"), page, inner, depth + 1)


def _walk_patterns(resources, page: int, base: Matrix, depth: int) -> Iterator[Operation]:
    """Tiling patterns paint in pattern space: their Matrix maps it to ``base``."""
    if resources is None:
        return
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if int(pattern.get("/PatternType", 0)) == 1:
            inner = multiply(_matrix(pattern.get("/Matrix", IDENTITY)), base)
            yield from walk(pattern, pattern.get("/Resources"), page, inner, depth + 1)


def operations(pdf: pikepdf.Pdf) -> Iterator[Operation]:
    for number, page in enumerate(pdf.pages, start=1):
        yield from walk(page.obj, page.obj.get("/Resources"), number)


# --- colour ------------------------------------------------------------------

ColourClass = Literal["device-rgb", "icc-rgb", "lab", "icc", "ok"]


def classify(space, resources=None) -> ColourClass:
    """Sort a colour space into what PDF/X cares about."""
    if isinstance(space, Name) and resources is not None:
        named = _resource(resources, "/ColorSpace", space)
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
            return _finding("colour.rgb", f"RGB colour in {what}; PDF/X-1a allows only CMYK, grey and spot colours", page)
        if kind == "lab":
            return _finding("colour.lab", f"Lab colour in {what}; PDF/X-1a allows only CMYK, grey and spot colours", page)
        if kind == "icc":
            return _finding("colour.icc", f"ICC-based colour in {what}; PDF/X-1a allows only device colour", page)
    elif kind == "device-rgb" and not has_default_rgb:
        return _finding("colour.rgb", f"DeviceRGB colour in {what} under a CMYK output intent", page)
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
        yield _finding(
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
            shading = _resource(op.resources, "/Shading", op.operands[0])
            if shading is not None:
                kind, what = classify(shading.get("/ColorSpace")), f"shading {op.operands[0]}"
                yield from _shading_findings(shading, what, op.page)
        elif op.operator == "Do":
            xobject = _resource(op.resources, "/XObject", op.operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Image:
                kind, what = classify(_image_space(xobject)), f"image {op.operands[0]}"
            elif xobject is not None and "/Group" in xobject:
                kind, what = classify(xobject.Group.get("/CS")), f"transparency group of {op.operands[0]}"
        elif op.operator == "BI":
            space = op.operands[0].obj.get("/CS", op.operands[0].obj.get("/ColorSpace"))
            kind, what = classify(space, op.resources), "inline image"
        elif op.operator in ("scn", "SCN") and op.operands and isinstance(op.operands[-1], Name):
            pattern = _resource(op.resources, "/Pattern", op.operands[-1])
            if pattern is not None and "/Shading" in pattern:
                kind, what = classify(pattern.Shading.get("/ColorSpace")), f"shading pattern {op.operands[-1]}"
                yield from _shading_findings(pattern.Shading, what, op.page)
        finding = _colour_finding(kind, variant, what, op.page, op.resources)
        if finding is not None:
            yield finding


# --- transparency (X-1a) -----------------------------------------------------


def transparency_findings(ops: Iterable[Operation], pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    for number, page in enumerate(pdf.pages, start=1):
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == Name.Transparency:
            yield _finding("transparency", "page has a transparency group", number)
    for op in ops:
        if op.operator == "gs":
            state = _resource(op.resources, "/ExtGState", op.operands[0])
            if state is None:
                continue
            if state.get("/SMask", Name("/None")) != Name("/None"):
                yield _finding("transparency", f"soft mask in graphics state {op.operands[0]}", op.page)
            for key in ("/CA", "/ca"):
                if key in state and float(state[key]) < 1:
                    yield _finding("transparency", f"{key[1:]} {float(state[key]):g} (opacity) in graphics state {op.operands[0]}", op.page)
            blend = state.get("/BM")
            if blend is not None and blend not in (Name.Normal, Name.Compatible):
                yield _finding("transparency", f"blend mode {blend} in graphics state {op.operands[0]}", op.page)
        elif op.operator == "Do":
            xobject = _resource(op.resources, "/XObject", op.operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == Name.Image and (
                "/SMask" in xobject or int(xobject.get("/SMaskInData", 0)) > 0
            ):
                yield _finding("transparency", f"image {op.operands[0]} has a soft mask (alpha)", op.page)
            group = xobject.get("/Group")
            if group is not None and group.get("/S") == Name.Transparency:
                yield _finding("transparency", f"form {op.operands[0]} is a transparency group", op.page)


# --- black text ----------------------------------------------------------------

SHOW_TEXT = frozenset({"Tj", "TJ", "'", '"'})
NO_OVERPRINT = (False, False, 0)
BLACK_OVERPRINT = (True, True, 1)  # /OP, /op, /OPM


@dataclass(frozen=True)
class Paint:
    """What text is painted with: the fill colour as CMYK (None: not CMYK or grey) and as
    written, the components of the fill colour space, the overprint settings, and whether
    the text rendering mode paints at all."""

    fill: tuple[float, ...] | None = BLACK  # the initial fill colour: DeviceGray black
    written: str = "the initial black (0 g)"
    components: int | None = 1  # 4: CMYK, 1: grey, None: another colour space
    overprint: tuple[bool, bool, int] = NO_OVERPRINT
    visible: bool = True


def _numbers(operands) -> list[float] | None:
    try:
        return [float(v) for v in operands]
    except (TypeError, ValueError):
        return None


def _components(space, resources) -> int | None:
    """4 for a CMYK colour space, 1 for grey, None for anything else."""
    named = _resource(resources, "/ColorSpace", space) if isinstance(space, Name) else None
    if named is not None:
        space = named
    if space in (Name.DeviceCMYK, Name.CMYK):
        return 4
    if space in (Name.DeviceGray, Name.G):
        return 1
    if isinstance(space, Array) and len(space) == 2 and space[0] == Name.ICCBased:
        n = int(space[1].get("/N", 0))
        return n if n in (1, 4) else None
    return None


def _as_cmyk(values: list[float] | None, components: int | None) -> tuple[float, ...] | None:
    if values is not None and components == len(values) == 4:
        return tuple(values)
    if values is not None and components == len(values) == 1:
        return (0.0, 0.0, 0.0, 1 - values[0])
    return None


def _format(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _paint(paint: Paint, op: Operation) -> Paint:
    """``paint`` after ``op``."""
    operator, operands = op.operator, op.operands
    values = _numbers(operands)
    written = " ".join([*(_format(v) for v in values or ()), operator])
    if operator in ("k", "g", "rg"):
        components = {"k": 4, "g": 1, "rg": None}[operator]
        return replace(paint, fill=_as_cmyk(values, components), written=written, components=components)
    if operator == "cs" and operands:
        components = _components(operands[0], op.resources)
        # a CMYK or grey space starts out black
        return replace(paint, fill=BLACK if components else None, written=f"{operands[0]} cs",
                       components=components)
    if operator in ("sc", "scn"):
        return replace(paint, fill=_as_cmyk(values, paint.components), written=written)
    if operator == "gs" and operands:
        state = _resource(op.resources, "/ExtGState", operands[0])
        if state is None:
            return paint
        stroke, fill, mode = paint.overprint
        if "/OP" in state:  # for both, unless /op says otherwise for the fill
            stroke = fill = bool(state.OP)
        fill = bool(state.op) if "/op" in state else fill
        mode = int(state.OPM) if "/OPM" in state else mode
        return replace(paint, overprint=(stroke, fill, mode))
    if operator == "Tr" and values:
        return replace(paint, visible=int(values[0]) not in (3, 7))  # 3: invisible, 7: clip only
    return paint


def black_text_findings(ops: Iterable[Operation]) -> Iterator[Diagnostic]:
    """One finding per page with black text that is not 100 % K overprinting."""
    reported: set[int] = set()
    page = None
    paint = Paint()
    saved: list[Paint] = []  # by q
    outer: list[tuple[Paint, list[Paint]]] = []  # where each form or pattern being painted was entered
    for op in ops:
        if op.page != page:
            page, paint, saved, outer = op.page, Paint(), [], []
        while len(outer) < op.depth:  # into a form: it starts with the state it is painted in
            outer.append((paint, saved))
            saved = []
        while len(outer) > op.depth:  # and leaves that state as it was
            paint, saved = outer.pop()
        if op.operator == "q":
            saved.append(paint)
        elif op.operator == "Q" and saved:
            paint = saved.pop()
        elif op.operator in SHOW_TEXT:
            if (op.page not in reported and paint.visible and paint.fill is not None
                    and is_black_text(paint.fill)
                    and (paint.fill != BLACK or paint.overprint != BLACK_OVERPRINT)):
                reported.add(op.page)
                yield _black_text_finding(paint, op.page)
        else:
            paint = _paint(paint, op)


def _black_text_finding(paint: Paint, page: int) -> Diagnostic:
    problems, reasons = [], []
    if paint.fill is not None and paint.fill != BLACK:
        problems.append(f"is {paint.written} ({paint.fill[3] * 100:.0f} % K), not 0 0 0 1 k")
        reasons.append("grey is screened into dots on small text")
    if paint.overprint != BLACK_OVERPRINT:
        problems.append("does not overprint (/OP true /op true /OPM 1)")
        reasons.append("black that knocks out shows white edges when the plates shift")
    return _finding("text.black", f"black text {', and '.join(problems)}: {'; '.join(reasons)}", page)


# --- images ------------------------------------------------------------------


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
        xobject = _resource(op.resources, "/XObject", op.operands[0])
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
    return _finding(
        "image.resolution",
        f"{name} ({pixels[0]}×{pixels[1]} px at {_mm(size_pt[0])} × {_mm(size_pt[1])}) is {ppi:.0f} ppi; "
        f"print needs {min_dpi:g}",
        page,
        "warning",
    )


# --- fonts -------------------------------------------------------------------


def _fonts(resources, seen: set) -> Iterator[tuple[str, pikepdf.Object]]:
    if resources is None:
        return
    for name, font in resources.get("/Font", Dictionary()).items():
        yield name, font
        if font.get("/Subtype") == Name.Type3:
            yield from _fonts(font.get("/Resources"), seen)
    children = list(resources.get("/XObject", Dictionary()).values())
    children += list(resources.get("/Pattern", Dictionary()).values())
    for child in children:
        if child.objgen in seen and child.objgen != (0, 0):
            continue
        seen.add(child.objgen)
        yield from _fonts(child.get("/Resources"), seen)


def font_embedded(font) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def font_findings(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    reported = set()
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in _fonts(page.obj.get("/Resources"), set()):
            base = str(font.get("/BaseFont", name))
            if base not in reported and not font_embedded(font):
                reported.add(base)
                yield _finding("font.not-embedded", f"font {base} is not embedded", number)


# --- document and boxes --------------------------------------------------------


def _pdfx_version(pdf: pikepdf.Pdf) -> str | None:
    """XMP ``pdfxid:GTS_PDFXVersion``, however the packet spells it (element or attribute)."""
    if "/Metadata" not in pdf.Root:
        return None
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        value = meta.get("pdfxid:GTS_PDFXVersion")
    except (pikepdf.PdfError, ValueError, SyntaxError):  # unreadable: reported as missing
        return None
    return str(value).strip() if value else None


def version_findings(pdf: pikepdf.Pdf, variant: Variant) -> Iterator[Diagnostic]:
    info = pdf.docinfo
    if variant == "pdf/x-1a":
        version = str(info.get("/GTS_PDFXVersion", ""))
        if not version.startswith("PDF/X-1"):
            yield _finding("version", f"Info /GTS_PDFXVersion is {version or 'missing'!s}, expected PDF/X-1a:2003")
        conformance = str(info.get("/GTS_PDFXConformance", ""))
        if not conformance.startswith("PDF/X-1a"):
            yield _finding("version", f"Info /GTS_PDFXConformance is {conformance or 'missing'!s}, expected PDF/X-1a:2003")
        if pdf.pdf_version > "1.4":
            yield _finding("version", f"PDF {pdf.pdf_version}; PDF/X-1a:2003 allows at most 1.4")
    else:
        xmp_version = _pdfx_version(pdf)
        if xmp_version != "PDF/X-4":
            yield _finding("version", f"XMP pdfxid:GTS_PDFXVersion is {xmp_version or 'missing'}, expected PDF/X-4")
        if pdf.pdf_version > "1.6":
            yield _finding("version", f"PDF {pdf.pdf_version}; PDF/X-4 allows at most 1.6")
    if info.get("/Trapped") not in (Name("/True"), Name("/False")):
        yield _finding("metadata.trapped", "Info /Trapped must be /True or /False")
    if not str(info.get("/Title", "")).strip():
        yield _finding("metadata.title", "no document title (Info /Title)")
    if "/ID" not in pdf.trailer:
        yield _finding("metadata.id", "no file identifier (trailer /ID)")
    if pdf.is_encrypted:
        yield _finding("encrypted", "PDF/X files must not be encrypted")
    if "/AcroForm" in pdf.Root and len(pdf.Root.AcroForm.get("/Fields", [])):
        yield _finding("form", "interactive form fields are not allowed in PDF/X")


def icc_header(profile: bytes) -> tuple[str, str]:
    """(device class, colour space) from an ICC profile header."""
    return profile[12:16].decode("latin-1"), profile[16:20].decode("latin-1").strip()


def output_intent_findings(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    intents = [i for i in pdf.Root.get("/OutputIntents", Array()) if i.get("/S") == Name.GTS_PDFX]
    if len(intents) != 1:
        yield _finding("output-intent", f"expected one /GTS_PDFX output intent, found {len(intents)}")
        return
    intent = intents[0]
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        yield _finding("output-intent", "output intent has no /OutputConditionIdentifier")
    profile = intent.get("/DestOutputProfile")
    if profile is None:
        yield _finding("output-intent", "output intent has no embedded ICC profile (/DestOutputProfile)")
        return
    if int(profile.get("/N", 0)) != 4:
        yield _finding("output-intent", f"output profile has /N {profile.get('/N')}, expected 4 (CMYK)")
    device_class, space = icc_header(profile.read_bytes())
    if device_class != "prtr" or space != "CMYK":
        yield _finding("output-intent", f"output profile is a {device_class}/{space} profile, expected prtr/CMYK")


def box_findings(page: pikepdf.Page, number: int, trim_mm: Sequence[float] | None,
                 bleed_mm: float) -> Iterator[Diagnostic]:
    """The page's boxes; ``trim_mm`` None: any trim size will do."""
    tol = TOLERANCE_MM * MM
    obj = page.obj
    if "/TrimBox" not in obj:
        yield _finding("box.trim", "no TrimBox", number)
        return
    trim = _box(obj.TrimBox)
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    if trim_mm is not None and (abs(width - trim_mm[0] * MM) > tol or abs(height - trim_mm[1] * MM) > tol):
        yield _finding(
            "box.trim",
            f"TrimBox is {_mm(width)} × {_mm(height)}, expected {trim_mm[0]:g} × {trim_mm[1]:g} mm",
            number,
        )
    if "/BleedBox" not in obj:
        yield _finding("box.bleed", f"no BleedBox; expected {bleed_mm:g} mm bleed on every side", number)
        bleed = trim
    else:
        bleed = _box(obj.BleedBox)
        sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if any(abs(side - bleed_mm * MM) > tol for side in sides):
            shown = ", ".join(_mm(s) for s in sides)
            yield _finding(
                "box.bleed",
                f"bleed is {shown} (left, bottom, right, top); expected {bleed_mm:g} mm on every side",
                number,
            )
    media = _box(obj.MediaBox)
    if not (media[0] <= bleed[0] + tol and media[1] <= bleed[1] + tol and media[2] >= bleed[2] - tol and media[3] >= bleed[3] - tol):
        yield _finding("box.media", "MediaBox does not contain the BleedBox", number)


def annotation_findings(page: pikepdf.Page, number: int) -> Iterator[Diagnostic]:
    obj = page.obj
    area = _box(obj.get("/BleedBox", obj.get("/TrimBox", obj.MediaBox)))
    for annot in obj.get("/Annots", Array()):
        if annot.get("/Subtype") in PRINTER_ANNOTATIONS or "/Rect" not in annot:
            continue
        if _intersects(_box(annot.Rect), area):
            yield _finding("annotation", f"{annot.get('/Subtype')} annotation inside the bleed box", number)


# --- text safe area --------------------------------------------------------------

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
        views = [_box(p.obj.get("/CropBox", p.obj.MediaBox)) for p in pdf.pages]
    found = []
    for number, (page_xml, view) in enumerate(zip(_PAGE_RE.findall(xhtml), views), start=1):
        for x0, y0, x1, y1, text in _WORD_RE.findall(page_xml):
            box = (view[0] + float(x0), view[3] - float(y1), view[0] + float(x1), view[3] - float(y0))
            found.append(Word(number, unescape(text), box))
    return found


def safe_area_findings(path: Path, pdf: pikepdf.Pdf, safe_mm: float) -> Iterator[Diagnostic]:
    if shutil.which("pdftotext") is None:
        yield _finding("text.unchecked", "pdftotext (poppler-utils) not found; text safe area not checked", level="warning")
        return
    trims = [_box(p.obj.get("/TrimBox", p.obj.MediaBox)) for p in pdf.pages]
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
        yield _finding("text.safe-area", f"text closer than {safe_mm:g} mm to the trim edge: {shown}", number)


# --- the whole check -------------------------------------------------------------


def _unique(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(findings))


def preflight(
    path: Path | str,
    *,
    variant: Variant = "pdf/x-4",
    trim_mm: Sequence[float] | None = SIZES_MM["A5"],
    bleed_mm: float = 3,
    min_dpi: float = 300,
    safe_mm: float = 5,
) -> list[Diagnostic]:
    """Check a print-shop PDF; an empty list means it passes. ``trim_mm`` None: the trim
    size is not checked (whoever calls says why)."""
    path = Path(path)
    with pikepdf.open(path) as pdf:
        ops = list(operations(pdf))
        findings: list[Diagnostic] = []
        findings += version_findings(pdf, variant)
        findings += output_intent_findings(pdf)
        for number, page in enumerate(pdf.pages, start=1):
            findings += box_findings(page, number, trim_mm, bleed_mm)
            findings += annotation_findings(page, number)
        findings += colour_findings(ops, variant)
        findings += black_text_findings(ops)
        if variant == "pdf/x-1a":
            findings += transparency_findings(ops, pdf)
        findings += font_findings(pdf)
        findings += resolution_findings(ops, min_dpi)
        findings += safe_area_findings(path, pdf, safe_mm)
    return [finding.at(path) for finding in _unique(findings)]


def _size(text: str) -> tuple[float, float]:
    width, _, height = text.lower().partition("x")
    return float(width), float(height)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leafpress.formats.print.preflight", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--variant", choices=("pdf/x-4", "pdf/x-1a"), default="pdf/x-4")
    parser.add_argument("--trim", type=_size, default=SIZES_MM["A5"], metavar="WxH", help="trim size in mm (148x210)")
    parser.add_argument("--bleed", type=float, default=3, metavar="MM")
    parser.add_argument("--min-dpi", type=float, default=300)
    parser.add_argument("--safe", type=float, default=5, metavar="MM", help="text inset from the trim")
    args = parser.parse_args(argv)
    failed = False
    for path in args.files:
        findings = preflight(
            path, variant=args.variant, trim_mm=args.trim, bleed_mm=args.bleed,
            min_dpi=args.min_dpi, safe_mm=args.safe,
        )
        for finding in findings:
            print(finding.format())
        failed = failed or bool(findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
