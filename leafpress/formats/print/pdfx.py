"""The print-shop PDF: PDF/X-4 or PDF/X-1a, CMYK, bleed, crop marks.

The print PDF is made from the *same layout* as the screen PDF: WeasyPrint
lays the leaflet out once, with the bleed of :func:`bleed_css` and the
``.bleed-*`` rules of ``templates/bleed.css`` (backgrounds that reach a trim
edge run on into the bleed; on screen the page is cropped to the trim, so
nobody sees it). :func:`print_from_pdf` then turns that PDF into what a
print shop accepts, with pikepdf, without a second WeasyPrint render:

- tags: the structure tree and every marked-content operator go (they serve
  screen readers, not a RIP), and so do the PDF/UA identification in XMP; only
  ``/ActualText`` stays (the Arabic words of :mod:`leafpress.formats.pdf.rtl_paint`, so copy
  and search read the print file as the screen one);
- output intent: a /GTS_PDFX intent with the CMYK printer profile embedded,
  the PDF/X version keys (XMP ``pdfxid`` for X-4, Info for X-1a), /Trapped;
- colours: every RGB (and Lab) colour in content streams, shadings and
  images is converted to DeviceCMYK through that profile (relative
  colorimetric, black-point compensation); neutral greys and black become
  K-only, so text prints with one ink;
- black text: text painted in a near-black neutral (at least
  :data:`BLACK_TEXT_MIN_K` black once converted: the theme's body text
  ``#1a1a1a`` is 90 %, black is 100 %) prints ``0 0 0 1 k`` and overprints
  (``/OP true /op true /OPM 1``): each such text object is wrapped in
  ``q /LeafpressOverprint gs 0 0 0 1 k BT ... ET Q``. A 90 % black would be
  screened into dots on 10 pt text, and black that knocks out the colour
  under it shows white edges when the plates shift. The same grey painted as
  a line or an area keeps its converted value and knocks out;
- PDF/X-1a only: image soft masks are flattened onto white paper,
  transparency groups removed, and paint at alpha 0 (WeasyPrint draws
  ``transparent`` borders as black under ``ca 0``) dropped with its ``gs``;
- link annotations (PDF/X forbids annotations inside the bleed box) and
  form fields are removed;
- boxes: TrimBox = the page as laid out, BleedBox = TrimBox + bleed on every
  side, MediaBox = BleedBox + a slug holding crop marks in the /All
  registration colour *outside* the bleed (WeasyPrint's own ``marks: crop``
  land inside it); page content is clipped to the BleedBox;
- colour spaces declared but unused (WeasyPrint declares Lab and ICC ones
  on every page) are dropped, so X-1a validators do not trip on them.

Links keep the colour they have on screen: the layout is shared, so paper
shows them as the screen does (underlined, in the theme's link colour).

Some things cannot be fixed after the fact (partial opacity in X-1a,
low-resolution images, text too near the trim): ``leafpress.formats.print.preflight``
reports them.

"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, Pdf
from PIL import Image, ImageCms

from leafpress.build.outputs import atomic_path
from leafpress.formats.paper import MM
from leafpress.formats.print.icc import HEADER_SIZE, cmyk_problem
from leafpress.shipped import BLEED_CSS, SHIPPED_ICC_PROFILE, SHIPPED_TEMPLATES

Variant = Literal["pdf/x-4", "pdf/x-1a"]
VARIANTS: tuple[Variant, ...] = ("pdf/x-4", "pdf/x-1a")
PDF_VERSIONS: dict[str, str] = {"pdf/x-4": "1.6", "pdf/x-1a": "1.4"}
PDFX_VERSIONS: dict[str, str] = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}

#: without a profile: the one that comes with leafpress (a build passes its project's, ``Site.icc_profile_path``)
DEFAULT_ICC_PROFILE = SHIPPED_ICC_PROFILE

BLEED_MM = 3.0  # what print shops ask for; the layout and the BleedBox both use it

MARK_GAP_MM = 1.0  # between the bleed edge and the start of a crop mark
MARK_LENGTH_MM = 5.0
SLUG_MARGIN_MM = 2.0  # white paper beyond the end of the marks
MARK_WIDTH_PT = 0.25
REGISTRATION = "/LeafpressRegistration"

NEUTRAL_TOLERANCE = 0.5 / 255

#: text in a neutral at least this dark (once converted: ``0 0 0 k``) prints 100 % K, overprinting
BLACK_TEXT_MIN_K = 0.85
BLACK: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
OVERPRINT = "/LeafpressOverprint"  # the ExtGState black text is shown under
KNOCKOUT = "/LeafpressKnockout"  # back to knocking out, for a colour change inside such text

ColourKind = Literal["rgb", "lab-d50", "lab-d65", "other"]
Box = tuple[float, float, float, float]

MARKED_CONTENT = frozenset({"BDC", "BMC", "EMC", "MP", "DP"})


class PrintPdfError(RuntimeError):
    """The print-shop PDF could not be made as asked."""


def variant_named(name: str) -> Variant:
    """The variant ``name`` (``print_variant`` in site.yaml, checked at load) names."""
    for variant in VARIANTS:
        if name == variant:
            return variant
    raise PrintPdfError(f"unknown variant {name!r}; use one of {', '.join(VARIANTS)}")


@dataclass(frozen=True)
class PrintSpec:
    variant: Variant = "pdf/x-4"
    icc_profile: Path = DEFAULT_ICC_PROFILE
    bleed_mm: float = BLEED_MM

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise PrintPdfError(f"unknown variant {self.variant!r}; use one of {', '.join(VARIANTS)}")
        if not 0 <= self.bleed_mm <= 10:
            raise PrintPdfError(f"bleed of {self.bleed_mm:g} mm is out of range (0 to 10 mm)")

    @property
    def slug_mm(self) -> float:
        """How far the MediaBox reaches beyond the BleedBox."""
        return MARK_GAP_MM + MARK_LENGTH_MM + SLUG_MARGIN_MM


# --- the layout: bleed ------------------------------------------------------


def bleed_css(bleed_mm: float = BLEED_MM) -> str:
    """The generated part of the layout's print rules; ``templates/bleed.css`` uses the variable."""
    return (
        f"@page {{ bleed: {bleed_mm:g}mm !important; }}\n"
        f":root {{ --print-bleed: {bleed_mm:g}mm; }}\n"
    )


def render_print_pdf(
    html: str, base_url, spec: PrintSpec, *, stylesheets: Sequence = (), url_fetcher=None, font_config=None,
    templates: Path = SHIPPED_TEMPLATES,
) -> bytes:
    """What :func:`print_from_pdf` starts from: WeasyPrint's plain PDF of ``html``, with the bleed.

    ``stylesheets`` are the leaflet's own (theme.css, leaflet.css, as
    ``weasyprint.CSS`` objects or file names); the bleed rules follow them, with
    ``bleed.css`` from ``templates``.
    The build does not call this: it converts the screen PDF, which comes
    from a layout with the same bleed rules (:mod:`leafpress.formats.pdf.leaflet`).
    """
    import weasyprint

    fetcher = {"url_fetcher": url_fetcher} if url_fetcher is not None else {}
    document = weasyprint.HTML(string=html, base_url=base_url, **fetcher)
    sheets = [*stylesheets, *bleed_stylesheets(templates, spec.bleed_mm, font_config=font_config, **fetcher)]
    return document.write_pdf(stylesheets=sheets, font_config=font_config)


def bleed_stylesheets(templates: Path, bleed_mm: float = BLEED_MM, **options) -> list:
    """The bleed rules of a layout, after the leaflet's own sheets: the generated page rule and
    ``bleed.css`` from ``templates``; ``options`` go to ``weasyprint.CSS`` (fonts, fetcher)."""
    import weasyprint

    return [weasyprint.CSS(string=bleed_css(bleed_mm), **options),
            weasyprint.CSS(filename=str(templates / BLEED_CSS), **options)]


def write_print_pdf(
    html: str,
    base_url,
    out_path: Path | str,
    *,
    variant: Variant = "pdf/x-4",
    icc_profile: Path = DEFAULT_ICC_PROFILE,
    bleed_mm: float = BLEED_MM,
    url_fetcher=None,
    font_config=None,
    stylesheets: Sequence = (),
    templates: Path = SHIPPED_TEMPLATES,
) -> Path:
    """Render ``html`` and write it as a print-shop PDF/X file at ``out_path`` (atomically).

    ``icc_profile`` is the CMYK output-intent profile (the print shop's, if
    they gave one). ``stylesheets`` are the leaflet's own user stylesheets,
    if the HTML does not link them; ``templates`` is the folder with ``bleed.css``.
    """
    spec = PrintSpec(variant, Path(icc_profile), float(bleed_mm))
    read_cmyk_profile(spec.icc_profile)  # a wrong profile is said before the render, not after
    raw = render_print_pdf(
        html, base_url, spec, stylesheets=stylesheets, url_fetcher=url_fetcher, font_config=font_config,
        templates=templates,
    )
    return print_from_pdf(raw, out_path, spec)


def print_from_pdf(source: bytes, out_path: Path | str, spec: PrintSpec) -> Path:
    """Write the print-shop version of the PDF ``source`` (a leaflet laid out with the bleed)."""
    icc = read_cmyk_profile(spec.icc_profile)
    with Pdf.open(io.BytesIO(source)) as pdf:
        if "/ID" not in pdf.trailer:  # the document's identifier, from what it is made from
            made_from = pikepdf.String(hashlib.md5(source, usedforsecurity=False).digest())
            pdf.trailer.ID = Array([made_from, made_from])
        finish_print_pdf(pdf, spec, icc)
        out = Path(out_path)
        _save_atomically(pdf, out, spec.variant)
    return out


def read_cmyk_profile(path: Path) -> bytes:
    """The ICC profile at ``path``; refuse anything but a CMYK output (printer) profile."""
    try:
        icc = Path(path).read_bytes()
    except OSError as exc:
        raise PrintPdfError(f"cannot read ICC profile {path}: {exc}") from exc
    problem = cmyk_problem(icc[:HEADER_SIZE])
    if problem:  # in words, never the file's bytes (it may be any file)
        raise PrintPdfError(f"{path} {problem} (not a CMYK printer ICC profile)")
    return icc


def _save_atomically(pdf: Pdf, out_path: Path, variant: Variant) -> None:
    with atomic_path(out_path) as temporary:
        pdf.save(
            temporary,
            force_version=PDF_VERSIONS[variant],
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            fix_metadata_version=False,
            deterministic_id=True,  # the /ID's second half from the file's bytes, not at random
        )


# --- the post-pass ---------------------------------------------------------


def finish_print_pdf(pdf: Pdf, spec: PrintSpec, icc: bytes) -> None:
    """Turn a leaflet PDF (laid out with the bleed) into what a print shop accepts;
    ``icc`` is the CMYK profile of the output intent."""
    strip_structure(pdf)
    set_output_intent(pdf, icc)
    converter = ColourConverter.for_profile(icc)
    flatten = spec.variant == "pdf/x-1a"
    seen: set = set()  # forms, images and patterns already converted
    used: set[str] = set()  # colour spaces the content selects (cs, CS), after conversion
    for page in pdf.pages:
        page.contents_coalesce()
        _convert_stream(page.obj, page.obj.Resources, converter, flatten, seen, used)
        _remove_annotations(page)
        if flatten:
            _drop_transparency_group(page.obj)
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    _prune_colour_spaces(pdf, used)
    for page in pdf.pages:
        _set_boxes_and_marks(pdf, page, spec)
    set_pdfx_metadata(pdf, spec.variant)


def strip_structure(pdf: Pdf) -> None:
    """Drop the structure tree (marked-content operators go in the colour pass)."""
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]


def profile_name(icc: bytes) -> str:
    """The profile's own description, as the output condition's name."""
    try:
        name = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
    except (OSError, ImageCms.PyCMSError):
        name = ""
    return name or "CMYK printer profile"


def set_output_intent(pdf: Pdf, icc: bytes) -> None:
    """One /GTS_PDFX output intent with the printer profile embedded; no other intent."""
    profile = pdf.make_stream(icc, N=4)
    name = pikepdf.String(profile_name(icc))
    intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=name,
                        Info=name, DestOutputProfile=profile)
    pdf.Root.OutputIntents = Array([intent])


def set_pdfx_metadata(pdf: Pdf, variant: Variant) -> None:
    """The PDF/X identification in Info and XMP, in place of the screen file's PDF/UA one."""
    version = PDFX_VERSIONS[variant]
    identifier = bytes(pdf.trailer.ID[0]) if "/ID" in pdf.trailer else pdf.Root.unparse(resolved=False)
    had_xmp = "/Metadata" in pdf.Root
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if not had_xmp:
            meta.load_from_docinfo(pdf.docinfo)
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
        if variant == "pdf/x-4":
            meta["pdfxid:GTS_PDFXVersion"] = version
        meta["pdf:Trapped"] = "False"
        # the same document gives the same ID, so an unchanged leaflet gives an unchanged file
        meta["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_OID, identifier.hex())}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        modified = meta.get("xmp:ModifyDate") or meta.get("xmp:CreateDate")
        if modified:
            meta["xmp:MetadataDate"] = modified
    info = pdf.docinfo
    info.Trapped = Name("/False")
    if variant == "pdf/x-1a":
        info.GTS_PDFXVersion = version
        info.GTS_PDFXConformance = version


# Colours


@dataclass(frozen=True)
class ColourConverter:
    """Convert RGB and Lab colours to the output intent's CMYK.

    Lab transforms are built on first use, and each distinct colour is
    converted once (``_memo``, a cache), because Pillow re-serialises the
    output profile on every ``applyTransform``. ``for_profile`` hands every
    document of a process that uses the same profile the same converter, so
    the colours of the theme are converted once per process, not per document.
    """

    profile: ImageCms.ImageCmsProfile
    from_rgb: ImageCms.ImageCmsTransform
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_profile(cls, icc: bytes) -> ColourConverter:
        return _converter(icc)

    def rgb(self, r: float, g: float, b: float) -> tuple[float, float, float, float]:
        """CMYK for an sRGB colour (0..1); exact neutrals become K only."""
        if max(r, g, b) - min(r, g, b) <= NEUTRAL_TOLERANCE:
            return (0.0, 0.0, 0.0, round(1 - (r + g + b) / 3, 4))
        return self._pixel("rgb", self.from_rgb, (_byte(r), _byte(g), _byte(b)))

    def lab(self, kind: str, lightness: float, a: float, b: float) -> tuple[float, float, float, float]:
        """CMYK for a Lab colour relative to D50 (``lab-d50``) or D65 white."""
        if abs(a) < 0.5 and abs(b) < 0.5:  # neutral
            return (0.0, 0.0, 0.0, round(1 - max(0.0, min(100.0, lightness)) / 100, 4))
        if kind not in self._memo:
            white = 5000 if kind == "lab-d50" else 6500
            self._memo[kind] = _transform(ImageCms.createProfile("LAB", white), self.profile, "LAB")
        encoded = (
            max(0, min(255, round(lightness * 255 / 100))),
            max(0, min(255, round(a) + 128)),
            max(0, min(255, round(b) + 128)),
        )
        return self._pixel(kind, self._memo[kind], encoded)

    def _pixel(self, mode: str, transform, value: tuple[int, int, int]) -> tuple[float, float, float, float]:
        key = (mode, value)
        if key not in self._memo:
            pixel = Image.new("LAB" if mode.startswith("lab") else "RGB", (1, 1), value)
            self._memo[key] = _cmyk(_transformed(pixel, transform).getpixel((0, 0)))
        return self._memo[key]

    def image(self, image: Image.Image) -> Image.Image:
        """An RGB Pillow image converted to CMYK."""
        return _transformed(image.convert("RGB"), self.from_rgb)


def _transformed(image: Image.Image, transform) -> Image.Image:
    """``image`` through an ICC ``transform``, as a new image."""
    converted = ImageCms.applyTransform(image, transform)
    if converted is None:  # only when asked to convert in place, which leafpress never does
        raise PrintPdfError("the colour conversion returned no image")
    return converted


def _transform(source, cmyk, mode: str) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        source, cmyk, mode, "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


def _byte(value: float) -> int:
    return max(0, min(255, round(value * 255)))


@lru_cache(maxsize=4)
def _converter(icc: bytes) -> ColourConverter:
    cmyk = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    return ColourConverter(cmyk, _transform(ImageCms.createProfile("sRGB"), cmyk, "RGB"))


def _cmyk(pixel) -> tuple[float, float, float, float]:
    return tuple(round(v / 255, 4) for v in pixel)


def colour_kind(space, resources) -> ColourKind:
    """Classify a colour space operand or object: RGB, Lab or anything else."""
    if isinstance(space, Name) and resources is not None:
        named = resources.get("/ColorSpace", Dictionary()).get(space)
        if named is not None:
            return colour_kind(named, None)
    if space in (Name.DeviceRGB, Name.RGB, Name.CalRGB):
        return "rgb"
    if isinstance(space, Array) and len(space) >= 2:
        family = space[0]
        if family == Name.CalRGB:
            return "rgb"
        if family == Name.ICCBased and int(space[1].get("/N", 0)) == 3:
            return "rgb"
        if family == Name.Lab:
            white = [float(v) for v in space[1].WhitePoint]
            return "lab-d50" if abs(white[2] - 0.8251) < 0.01 else "lab-d65"
    return "other"


def _numbers(operands) -> list[float] | None:
    try:
        return [float(v) for v in operands]
    except (TypeError, ValueError):
        return None


def is_black_text(cmyk: Sequence[float]) -> bool:
    """Whether text painted in the (converted) colour ``cmyk`` is black text: a neutral at
    least :data:`BLACK_TEXT_MIN_K` black. A rich black (C, M or Y in it) is not."""
    c, m, y, k = cmyk
    return c == m == y == 0 and k >= BLACK_TEXT_MIN_K


def overprint_state(overprint: bool) -> Dictionary:
    """The ExtGState black text is shown under (``overprint``), or the one that ends it."""
    return Dictionary(Type=Name.ExtGState, OP=overprint, op=overprint, OPM=1 if overprint else 0)


Operation = tuple[str, Sequence]  # an operator and its operands, as the pass writes them
#: around a text object in black text: overprint on, 100 % K; ``Q`` restores what was before
OPEN_BLACK_TEXT: tuple[Operation, ...] = (("q", ()), ("gs", (Name(OVERPRINT),)), ("k", BLACK))
CLOSE_BLACK_TEXT: tuple[Operation, ...] = (("Q", ()),)


@dataclass
class ColourState:
    """The colour spaces in force while one content stream is converted, saved and
    restored with ``q``/``Q``; notes the colour spaces the stream selects (``used``).

    It also knows whether the fill colour is black text's (:func:`is_black_text`): a
    text object begun in it is wrapped in ``q`` (overprint on, ``0 0 0 1 k``) and ``Q``.
    Inside a wrapped text object the overprint follows any change of fill colour
    (WeasyPrint sets the colour before ``BT``, never inside). The ``Q`` after ``ET``
    restores the text state too: WeasyPrint sets the font in every text object, and
    its text rise is back at 0 before ``ET``.
    """

    resources: Dictionary | None
    converter: ColourConverter
    used: set[str]
    fill: ColourKind = "other"
    stroke: ColourKind = "other"
    black_fill: bool = False  # the fill colour is black text's
    in_black_text: bool = False  # between a wrapped BT and its ET
    _saved: list[tuple[ColourKind, ColourKind, bool]] = field(default_factory=list)
    _declared: set[str] = field(default_factory=set)  # ExtGStates known to be in the resources

    def recolour(self, operator: str, numbers: list[float] | None, space) -> list[Operation | None] | None:
        """The CMYK replacement (one or more operations; None among them: the operation as it
        was read) of one operation; None to keep it.

        ``numbers``: its operands as numbers (None if they are not all numbers);
        ``space``: its operand for ``cs``/``CS``.
        """
        if operator == "q":
            self._saved.append((self.fill, self.stroke, self.black_fill))
        elif operator == "Q" and self._saved:
            self.fill, self.stroke, self.black_fill = self._saved.pop()
        elif operator == "BT" and self.wraps_text():
            self._saved.append((self.fill, self.stroke, self.black_fill))
            self.in_black_text = True
            return [*OPEN_BLACK_TEXT, None]
        elif operator == "ET" and self.in_black_text:
            self.in_black_text = False
            self.fill, self.stroke, self.black_fill = self._saved.pop()
            return [None, *CLOSE_BLACK_TEXT]
        elif operator == "rg" and numbers is not None and len(numbers) == 3:
            cmyk = self.converter.rgb(*numbers)
            return self._fill(("k", list(cmyk)), cmyk)
        elif operator == "RG" and numbers is not None and len(numbers) == 3:
            return [("K", list(self.converter.rgb(*numbers)))]
        elif operator in ("k", "g") and numbers is not None and len(numbers) == (4 if operator == "k" else 1):
            change = self._fill(None, numbers if operator == "k" else (0.0, 0.0, 0.0, 1 - numbers[0]))
            return None if change == [None] else change
        elif operator in ("cs", "CS") and space is not None:
            kind = colour_kind(space, self.resources)
            if operator == "CS":
                self.stroke = kind
            else:
                self.fill = kind
            if kind != "other":
                self.used.add("/DeviceCMYK")
                written = (operator, [Name.DeviceCMYK])
                # an RGB or Lab space starts out black, and so does its CMYK in place
                return [written] if operator == "CS" else self._fill(written, BLACK)
            self.used.add(str(space))
            if operator == "cs":
                change = self._fill(None, None)
                return None if change == [None] else change
        elif operator in ("sc", "scn", "SC", "SCN"):
            kind = self.fill if operator.islower() else self.stroke
            if kind != "other" and numbers is not None and len(numbers) == 3:
                converter = self.converter
                cmyk = converter.rgb(*numbers) if kind == "rgb" else converter.lab(kind, *numbers)
                return self._fill((operator, list(cmyk)), cmyk) if operator.islower() else [(operator, list(cmyk))]
            if operator.islower():  # a pattern, a spot colour, CMYK: not black text
                change = self._fill(None, None)
                return None if change == [None] else change
        return None

    def wraps_text(self) -> bool:
        """Whether a text object begun now is black text (:data:`OPEN_BLACK_TEXT` goes before it)."""
        if not self.black_fill or self.resources is None:
            return False
        self._declare(OVERPRINT, True)
        return True

    def _fill(self, written: Operation | None, cmyk: Sequence[float] | None) -> list[Operation | None]:
        """What to write for an operation that sets the fill colour to ``cmyk`` (None: not a
        colour of ours) and is written as ``written`` (None: as it was read): that, but inside
        black text ``0 0 0 1 k`` for black and a return to knocking out for any other colour."""
        self.black_fill = cmyk is not None and is_black_text(cmyk)
        if not self.in_black_text:
            return [written]
        if self.black_fill:
            return [("k", list(BLACK)), ("gs", [self._declare(OVERPRINT, True)])]
        return [written, ("gs", [self._declare(KNOCKOUT, False)])]

    def _declare(self, name: str, overprint: bool) -> Name:
        """``name`` in the stream's ExtGState resources (added if missing)."""
        resources = self.resources
        if resources is None:  # in_black_text begins only where there are resources (wraps_text)
            raise PrintPdfError("black text in a content stream without resources")
        if name not in self._declared:
            if "/ExtGState" not in resources:
                resources.ExtGState = Dictionary()
            if name not in resources.ExtGState:
                resources.ExtGState[name] = overprint_state(overprint)
            self._declared.add(name)
        return Name(name)


def _convert_stream(stream_owner, resources, converter: ColourConverter, flatten: bool, seen: set,
                    used: set[str]) -> None:
    """Convert colours in one content stream and, recursively, what it uses."""
    target = stream_owner if isinstance(stream_owner, pikepdf.Stream) else stream_owner.Contents
    data = None if flatten else convert_content_fast(target.read_bytes(), resources, converter, used)
    if data is None:
        data = convert_content(stream_owner, resources, converter, flatten, used)
    target.write(data)
    if resources is not None:
        _convert_resources(resources, converter, flatten, seen, used)


def kept_marked_content(kept: list[bool], operator: str, actual_text: bool) -> bool:
    """Whether a marked-content operator stays: only ``/ActualText`` (what copy and search read
    for the glyphs inside, :mod:`leafpress.formats.pdf.rtl_paint`) and the ``EMC`` that closes it. ``kept``
    is the stack of the sequences open in the stream."""
    if operator in ("BDC", "BMC"):
        kept.append(operator == "BDC" and actual_text)
        return kept[-1]
    if operator == "EMC":
        return kept.pop() if kept else False
    return False


def convert_content(stream_owner, resources, converter: ColourConverter, flatten: bool,
                    used: set[str]) -> bytes:
    """One content stream with its colours converted and its marked content gone, through pikepdf."""
    state = ColourState(resources, converter, used)
    new: list[Any] = []  # inline images and (operands, operator) pairs, as unparse_content_stream takes them
    kept: list[bool] = []
    for item in pikepdf.parse_content_stream(stream_owner):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            new.append(item)
            continue
        operands, operator = item.operands, str(item.operator)
        if operator in MARKED_CONTENT:  # the structure tree is gone; its brackets go too
            if kept_marked_content(kept, operator, len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
                                   and "/ActualText" in operands[1]):
                new.append((operands, Operator(operator)))
            continue
        change = state.recolour(operator, _numbers(operands), operands[0] if len(operands) == 1 else None)
        for written in change or (None,):
            if written is None:
                new.append((operands, Operator(operator)))
            else:
                new.append(([v if isinstance(v, Name) else Decimal(str(v)) for v in written[1]],
                            Operator(written[0])))
    if flatten:
        new = drop_invisible_paint(new, resources)
    return pikepdf.unparse_content_stream(new)


# What WeasyPrint writes: operators, numbers, names, hex strings, flat arrays and flat
# dictionaries, read a whole operation (operands, then the operator) at a time. An
# operator is a regular token that begins with a letter or a quote; true, false and
# null are operands. A stream with anything else (a literal string, an inline image, a
# comment, nesting) does not read to its end and goes through pikepdf instead.
_REGULAR = rb"[^\s/\[\]()<>{}%]"
_OPERAND = (rb"(?:\[[^\[\]()%]*\]"  # an array, no literal string or nested array in it
            rb"|<<(?:[^<>()%]|<[0-9A-Fa-f\s]*>)*+>>"  # a dictionary, nothing nested but hex strings
            rb"|<[0-9A-Fa-f\s]*>"  # a hex string
            rb"|/" + _REGULAR + rb"*+"  # a name
            rb"|(?:true|false|null)(?!" + _REGULAR + rb")"
            rb"|[^\s/\[\]()<>{}%A-Za-z'\"]" + _REGULAR + rb"*+)")  # a number
_OPERANDS = re.compile(_OPERAND)
_OPERATOR = rb"[A-Za-z'\"]" + _REGULAR + rb"*+"
#: what the pass reads: colours, the graphics state they live in, text objects (black
#: text is wrapped), marked content (it goes), and an inline image (it cannot read one:
#: the pikepdf way takes the stream)
_READ = (*MARKED_CONTENT, "q", "Q", "BT", "ET", "rg", "RG", "k", "g", "cs", "CS", "sc", "scn", "SC", "SCN",
         "BI", "ID", "EI")
_ONE_OF_READ = (b"(?:" + b"|".join(op.encode() for op in sorted(_READ, key=len, reverse=True))
                + b")(?!" + _REGULAR + b")")
_KEPT = rb"(?:(?:" + _OPERAND + rb"\s*+)*+(?!" + _ONE_OF_READ + rb")" + _OPERATOR + rb"\s*+)"  # one not read
_OPERATION = re.compile(
    rb"\s*+" + _KEPT + rb"++"  # a run to keep
    # a text object with nothing in it that the pass reads (WeasyPrint's), whole: black text is wrapped
    rb"|\s*+(?P<text>BT(?!" + _REGULAR + rb")\s*+" + _KEPT + rb"*+ET(?!" + _REGULAR + rb"))\s*+"
    rb"|\s*+(?P<operands>(?:" + _OPERAND + rb"\s*+)*+)(?P<operator>" + _ONE_OF_READ + rb")\s*+"
)


def convert_content_fast(data: bytes, resources, converter: ColourConverter, used: set[str]) -> bytes | None:
    """What :func:`convert_content` makes of ``data`` (not for PDF/X-1a), on the bytes.

    Reads whole runs of operations it leaves alone as one match and looks only at
    the few it changes or drops: six to nine times faster than a parse into
    pikepdf objects and back (the 204 pages of the real leaflets: 0.11-0.16 s
    against 0.92-0.96 s). ``None`` when the stream holds something it does not read
    (see ``_OPERAND``), and then the caller takes the pikepdf way.
    """
    state = ColourState(resources, converter, used)
    out: list[bytes] = []
    kept: list[bool] = []
    position, end = 0, len(data)
    while position < end:
        match = _OPERATION.match(data, position)
        if match is None or match.end() == position:
            return None if data[position:].strip() else b"\n".join(out) + b"\n"
        position = match.end()
        text, operator = match.group("text", "operator")
        if text is not None:  # BT ... ET, as it was or wrapped as black text
            out += (_OPEN_BLACK_TEXT, text, _CLOSE_BLACK_TEXT) if state.wraps_text() else (text,)
            continue
        if operator is None:
            out.append(match.group().strip())
            continue
        name = operator.decode()
        if name in ("BI", "ID", "EI"):
            return None
        if name in MARKED_CONTENT:
            if kept_marked_content(kept, name, b"/ActualText" in match.group("operands")):
                out.append(match.group().strip())
            continue
        operands = _OPERANDS.findall(match.group("operands"))
        space = Name(operands[0].decode("latin-1")) if len(operands) == 1 and operands[0][:1] == b"/" else None
        change = state.recolour(name, _numbers(operands), space)
        for written in change or (None,):
            if written is None:
                out.append(b" ".join([*operands, operator]))
            else:
                out.append(_written(written[0], tuple(written[1])))
    return b"\n".join(out) + b"\n"


@lru_cache(maxsize=1024)
def _written(operator: str, operands: tuple) -> bytes:
    """One operation as the fast pass writes it (the theme's few colours come back again and again)."""
    return " ".join([*(str(v) if isinstance(v, Name) else _number(v) for v in operands), operator]).encode()


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


_OPEN_BLACK_TEXT = b"\n".join(_written(operator, operands) for operator, operands in OPEN_BLACK_TEXT)
_CLOSE_BLACK_TEXT = b"\n".join(_written(operator, operands) for operator, operands in CLOSE_BLACK_TEXT)


# Painting operators, and what is left of them when the fill or the stroke
# is invisible: (fill invisible, stroke invisible, both invisible).
_PAINT: dict[str, tuple[str, str, str]] = {
    "f": ("n", "f", "n"), "F": ("n", "F", "n"), "f*": ("n", "f*", "n"),
    "S": ("S", "n", "n"), "s": ("s", "n", "n"),
    "B": ("S", "f", "n"), "B*": ("S", "f*", "n"),
    "b": ("s", "f", "n"), "b*": ("s", "f*", "n"),
}
_FILL_ONLY = {"sh", "Do", "BI"}
_SHOW_TEXT = {"Tj", "TJ", "'", '"'}


def _alpha_state(resources, name) -> dict[str, float] | None:
    """The constant alphas an ExtGState sets, if it sets nothing else."""
    state = resources.get("/ExtGState", Dictionary()).get(name) if resources is not None else None
    if state is None or set(state.keys()) - {"/Type", "/ca", "/CA"}:
        return None
    return {key: float(state[key]) for key in ("/ca", "/CA") if key in state}


def drop_invisible_paint(operations: list, resources) -> list:
    """Remove painting done at alpha 0, and the ``gs`` that made it invisible.

    WeasyPrint paints transparent things (``transparent`` borders, SVG
    ``fill="transparent"``) as black under an ExtGState with ``ca 0``.
    PDF/X-1a forbids constant alpha; dropping the invisible paint keeps the
    look without it. Partial alpha is left alone, for preflight to report.
    """
    state = {"ca": 1.0, "CA": 1.0, "Tr": 0}
    saved: list[dict] = []
    out: list = []
    for item in operations:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            if state["ca"] != 0:
                out.append(item)
            continue
        operands, operator = item[0], str(item[1])
        if operator == "q":
            saved.append(dict(state))
        elif operator == "Q" and saved:
            state = saved.pop()
        elif operator == "Tr" and operands:
            state["Tr"] = int(operands[0])
        elif operator == "gs":
            alphas = _alpha_state(resources, operands[0])
            if alphas is not None and set(alphas.values()) <= {0.0, 1.0}:
                state["ca"] = alphas.get("/ca", state["ca"])
                state["CA"] = alphas.get("/CA", state["CA"])
                if 0.0 in alphas.values():
                    continue
        fill_hidden, stroke_hidden = state["ca"] == 0, state["CA"] == 0
        if operator in _PAINT and (fill_hidden or stroke_hidden):
            index = 2 if fill_hidden and stroke_hidden else (0 if fill_hidden else 1)
            out.append(([], Operator(_PAINT[operator][index])))
            continue
        if operator in _FILL_ONLY and fill_hidden:
            continue
        if operator in _SHOW_TEXT and fill_hidden:
            out += [([3], Operator("Tr")), item, ([state["Tr"]], Operator("Tr"))]
            continue
        out.append(item)
    return out


def _convert_resources(resources, converter: ColourConverter, flatten: bool, seen: set, used: set[str]) -> None:
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == Name.Form:
            if flatten:
                _drop_transparency_group(xobject)
            else:
                _cmyk_group(xobject)
            _convert_stream(xobject, xobject.get("/Resources"), converter, flatten, seen, used)
        elif xobject.get("/Subtype") == Name.Image:
            _convert_image(xobject, converter, flatten)
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if pattern.objgen in seen and pattern.objgen != (0, 0):
            continue
        seen.add(pattern.objgen)
        if int(pattern.get("/PatternType", 0)) == 1:
            _convert_stream(pattern, pattern.get("/Resources"), converter, flatten, seen, used)
        elif "/Shading" in pattern:
            _convert_shading(pattern.Shading, converter)
    for shading in resources.get("/Shading", Dictionary()).values():
        _convert_shading(shading, converter)


def _cmyk_group(xobject) -> None:
    group = xobject.get("/Group")
    if group is not None and colour_kind(group.get("/CS"), None) == "rgb":
        group.CS = Name.DeviceCMYK


def _drop_transparency_group(obj) -> None:
    group = obj.get("/Group")
    if group is not None and group.get("/S") == Name.Transparency:
        del obj["/Group"]


def _function_outputs(function) -> int | None:
    if int(function.get("/FunctionType", -1)) == 2:
        return len(function.get("/C0", [0]))
    if int(function.get("/FunctionType", -1)) == 3:
        outputs = {_function_outputs(f) for f in function.Functions}
        return outputs.pop() if len(outputs) == 1 else None
    return None


def _convert_function(function, converter: ColourConverter) -> None:
    if int(function.FunctionType) == 2:
        for key in ("/C0", "/C1"):
            values = [float(v) for v in function.get(key, [0, 0, 0] if key == "/C0" else [1, 1, 1])]
            function[key] = Array([Decimal(str(v)) for v in converter.rgb(*values)])
    else:
        for sub in function.Functions:
            _convert_function(sub, converter)


def _convert_shading(shading, converter: ColourConverter) -> None:
    """RGB shadings to CMYK."""
    kind = colour_kind(shading.get("/ColorSpace"), None)
    function = shading.get("/Function")
    if function is None or isinstance(function, Array):
        return
    outputs = _function_outputs(function)
    if outputs == 3 and kind == "rgb":
        _convert_function(function, converter)
        shading.ColorSpace = Name.DeviceCMYK


def _convert_image(image, converter: ColourConverter, flatten: bool) -> None:
    """RGB images to CMYK; for X-1a, soft masks flattened onto white paper."""
    kind = colour_kind(image.get("/ColorSpace"), None)
    indexed_rgb = (
        isinstance(image.get("/ColorSpace"), Array)
        and image.ColorSpace[0] == Name.Indexed
        and colour_kind(image.ColorSpace[1], None) == "rgb"
    )
    has_mask = flatten and "/SMask" in image
    if kind != "rgb" and not indexed_rgb and not has_mask:
        return
    picture = pikepdf.PdfImage(image).as_pil_image()
    if has_mask:
        mask = pikepdf.PdfImage(image.SMask).as_pil_image().convert("L")
        mode = "CMYK" if picture.mode == "CMYK" else ("L" if picture.mode in ("L", "1") else "RGB")
        white: dict[str, int | tuple[int, ...]] = {"CMYK": (0, 0, 0, 0), "L": 255, "RGB": (255, 255, 255)}
        paper = Image.new(mode, picture.size, white[mode])
        picture = Image.composite(picture.convert(mode), paper, mask.resize(picture.size))
        del image["/SMask"]
    if picture.mode not in ("CMYK", "L"):
        picture = converter.image(picture)
    _write_image(image, picture)


def _write_image(image, picture: Image.Image) -> None:
    space = {"CMYK": Name.DeviceCMYK, "L": Name.DeviceGray}[picture.mode]
    image.write(zlib.compress(picture.tobytes(), 6), filter=Name.FlateDecode)
    image.ColorSpace = space
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/SMaskInData"):
        if key in image:
            del image[key]


# Annotations, colour spaces, boxes


def _remove_annotations(page: pikepdf.Page) -> None:
    """PDF/X allows only PrinterMark and TrapNet annotations in the bleed box."""
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = Array([a for a in annots if a.get("/Subtype") in (Name.PrinterMark, Name.TrapNet)])
    if len(kept):
        page.obj.Annots = kept
    else:
        del page.obj["/Annots"]


def _content_streams(pdf: Pdf) -> Iterator[pikepdf.Object]:
    """Every page, form and tiling-pattern content stream, once."""
    seen = set()

    def walk(owner, resources) -> Iterator[pikepdf.Object]:
        yield owner
        if resources is None:
            return
        children = list(resources.get("/XObject", Dictionary()).values())
        children += list(resources.get("/Pattern", Dictionary()).values())
        for child in children:
            if child.objgen in seen:
                continue
            seen.add(child.objgen)
            if child.get("/Subtype") == Name.Form or int(child.get("/PatternType", 0)) == 1:
                yield from walk(child, child.get("/Resources"))

    for page in pdf.pages:
        yield from walk(page.obj, page.obj.get("/Resources"))


def _prune_colour_spaces(pdf: Pdf, used: set[str]) -> None:
    """Drop named colour spaces that no content stream selects (``used``, seen while converting)."""
    dictionaries = {}
    for owner in _content_streams(pdf):
        resources = owner.get("/Resources")
        if resources is not None and "/ColorSpace" in resources:
            spaces = resources.ColorSpace
            dictionaries[spaces.objgen if spaces.is_indirect else id(spaces)] = spaces
    for spaces in dictionaries.values():
        for key in list(spaces.keys()):
            if key not in used:
                del spaces[key]


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


def _set_boxes_and_marks(pdf: Pdf, page: pikepdf.Page, spec: PrintSpec) -> None:
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
