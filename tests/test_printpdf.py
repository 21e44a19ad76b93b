"""The print-shop PDF: each WeasyPrint 70 gap, shown open and shown closed.

A "gap" test renders with plain WeasyPrint (the leaflet laid out with the
bleed, no post-pass: what the build converts) and asserts the shortcoming is
there; when a WeasyPrint upgrade fixes it, that test fails and tells us the
fix-up can go.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from pikepdf import Name
from PIL import Image

from leafpress.formats.paper import MM
from leafpress.formats.print.pdfx.colour_conversion import ColourConverter
from leafpress.formats.print.pdfx.invisible_paint import drop_invisible_paint
from leafpress.formats.print.pdfx.layout import bleed_stylesheets, render_print_pdf
from leafpress.formats.print.pdfx.spec import DEFAULT_ICC_PROFILE, MARK_GAP_MM, MARK_LENGTH_MM, PrintPdfError, PrintSpec
from leafpress.formats.print.pdfx.writer import print_from_pdf, write_print_pdf
from leafpress.formats.print.preflight import preflight
from leafpress.formats.print.preflight.content import operations
from leafpress.render.qr import qr_svg

ROOT = Path(__file__).parent / "roots" / "print"
BASE_URL = str(ROOT) + "/"
QR_URL = "https://www.ggz-voorbeeld.nl/angst"
A5 = (148 * MM, 210 * MM)
needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")


def leaflet_html(name: str = "leaflet") -> str:
    return (ROOT / f"{name}.html").read_text().replace("<!-- qr -->", qr_svg(QR_URL))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The good leaflet as PDF/X-4 and PDF/X-1a; no WeasyPrint warnings allowed."""
    out = tmp_path_factory.mktemp("print")
    logger = logging.getLogger("weasyprint")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        paths = {
            variant: write_print_pdf(leaflet_html(), BASE_URL, out / f"x{variant[6:]}.pdf", variant=variant)
            for variant in ("pdf/x-4", "pdf/x-1a")
        }
    finally:
        logger.removeHandler(handler)
    assert not records, [r.getMessage() for r in records]
    return paths


@pytest.fixture(scope="module")
def raw() -> pikepdf.Pdf:
    """What WeasyPrint 70 alone makes of the same leaflet (plain PDF, laid out with the bleed)."""
    data = render_print_pdf(leaflet_html(), BASE_URL, PrintSpec("pdf/x-4"))
    return pikepdf.open(io.BytesIO(data))


def colour_operators(pdf: pikepdf.Pdf) -> set[str]:
    return {op.operator for op in operations(pdf) if op.operator in {"rg", "RG", "k", "K", "g", "G", "sc", "scn", "SC", "SCN"}}


def images(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [
        x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()
        if x.get("/Subtype") == Name.Image
    ]


def shadings(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/ShadingType" in o]


# --- the whole result passes our preflight -------------------------------------


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/x-1a"])
def test_preflight_clean(built, variant):
    assert preflight(built[variant], variant=variant) == []


def test_leaflet_has_two_pages(built):
    with pikepdf.open(built["pdf/x-4"]) as pdf:
        assert len(pdf.pages) == 2


# --- boxes and crop marks ----------------------------------------------------------


def test_boxes(built):
    with pikepdf.open(built["pdf/x-4"]) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert trim == pytest.approx([0, 0, *A5], abs=0.01)
            assert bleed == pytest.approx([-3 * MM, -3 * MM, A5[0] + 3 * MM, A5[1] + 3 * MM], abs=0.01)
            slug = (3 + MARK_GAP_MM + MARK_LENGTH_MM + 2) * MM
            assert media == pytest.approx([-slug, -slug, A5[0] + slug, A5[1] + slug], abs=0.01)


def test_gap_weasyprint_draws_crop_marks_inside_the_bleed():
    html = "<style>@page { size: A5; bleed: 3mm; marks: crop }</style><p>x</p>"
    with pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf())) as pdf:
        page = pdf.pages[0].obj
        assert [float(v) for v in page.MediaBox] == [float(v) for v in page.BleedBox]


def _crop_mark_lines(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    content = page.obj.Contents.read_bytes().decode()
    marks = content[content.rindex("/LeafpressRegistration CS"):]
    return [tuple(map(float, m)) for m in re.findall(r"([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l", marks)]


def test_crop_marks_lie_outside_the_bleed_and_inside_the_media(built):
    with pikepdf.open(built["pdf/x-4"]) as pdf:
        page = pdf.pages[0]
        bleed = [float(v) for v in page.obj.BleedBox]
        media = [float(v) for v in page.obj.MediaBox]
        trim = [float(v) for v in page.obj.TrimBox]
        lines = _crop_mark_lines(page)
        assert len(lines) == 8
        for x0, y0, x1, y1 in lines:
            for x, y in ((x0, y0), (x1, y1)):
                inside_bleed = bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]
                assert not inside_bleed
                assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
            on_vertical_trim = x0 == x1 and min(abs(x0 - trim[0]), abs(x0 - trim[2])) < 0.01
            on_horizontal_trim = y0 == y1 and min(abs(y0 - trim[1]), abs(y0 - trim[3])) < 0.01
            assert on_vertical_trim or on_horizontal_trim
        space = page.Resources.ColorSpace["/LeafpressRegistration"]
        assert space[0] == Name.Separation and space[1] == Name.All


@needs_poppler
def test_marks_visible_and_background_bleeds(built, tmp_path):
    subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(built["pdf/x-4"]), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    px = 100 / 25.4  # pixels per mm
    slug = 3 + MARK_GAP_MM + MARK_LENGTH_MM + 2
    # the vertical mark at the left trim edge, above the sheet's top bleed
    assert image.getpixel((round(slug * px), round((2 + 2.5) * px))) < 128
    # the page background reaches the bleed edge, 1 mm outside the trim
    assert image.getpixel((round((slug - 2) * px), round((slug + 100) * px))) > 200
    assert image.getpixel((round((slug - 2) * px), round((slug + 100) * px))) < 255
    # the header band (.bleed-x .bleed-top) too, at the top-left bleed corner
    assert image.getpixel((round((slug - 2.5) * px), round((slug - 2.5) * px))) < 128
    # and the slug itself stays paper-white
    assert image.getpixel((round(2 * px), round((slug + 100) * px))) == 255


# --- output intent and version keys --------------------------------------------------


@pytest.mark.parametrize("variant, version", [("pdf/x-4", "1.6"), ("pdf/x-1a", "1.4")])
def test_output_intent_and_version(built, variant, version):
    with pikepdf.open(built[variant]) as pdf:
        assert pdf.pdf_version == version
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFX
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes() == DEFAULT_ICC_PROFILE.read_bytes()
        assert str(intent.OutputConditionIdentifier) == "Artifex CMYK SWOP Profile"
        assert pdf.docinfo.Trapped == Name("/False")
        meta = pdf.open_metadata()
        if variant == "pdf/x-4":
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        else:
            assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
        assert str(pdf.docinfo.Title) == "Angst en paniek"
        assert str(pdf.Root.Lang) == "nl"


def test_icc_profile_must_be_cmyk(tmp_path, srgb_icc):
    with pytest.raises(PrintPdfError, match="not a CMYK printer ICC profile"):
        write_print_pdf("<p>x</p>", BASE_URL, tmp_path / "x.pdf", icc_profile=srgb_icc)
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_variant_and_bleed(tmp_path):
    with pytest.raises(PrintPdfError, match="variant"):
        write_print_pdf("<p>x</p>", BASE_URL, tmp_path / "x.pdf", variant="pdf/x-3")  # type: ignore[arg-type]
    with pytest.raises(PrintPdfError, match="bleed"):
        write_print_pdf("<p>x</p>", BASE_URL, tmp_path / "x.pdf", bleed_mm=12)
    assert list(tmp_path.iterdir()) == []


def test_a4_trim_and_other_bleed(tmp_path):
    """The trim is the page as laid out; the bleed of the layout and of the boxes agree."""
    a4 = weasyprint.CSS(string="@page { size: A4 !important }")
    out = write_print_pdf(leaflet_html(), BASE_URL, tmp_path / "a4.pdf", bleed_mm=5, stylesheets=[a4])
    assert preflight(out, trim_mm=(210, 297), bleed_mm=5) == []


# --- colours -------------------------------------------------------------------------


def test_gap_weasyprint_leaves_rgb(raw):
    assert {"rg", "RG"} & colour_operators(raw)  # hex colours, links, SVG fills
    assert any(x.ColorSpace == Name.DeviceRGB for x in images(raw))


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/x-1a"])
def test_no_rgb_left(built, variant):
    with pikepdf.open(built[variant]) as pdf:
        assert not {"rg", "RG"} & colour_operators(pdf)
        for op in operations(pdf):
            if op.operator in ("cs", "CS"):
                assert op.operands[0] in (Name.DeviceCMYK, Name.DeviceGray, Name.Pattern, Name("/LeafpressRegistration"))
        assert all(x.ColorSpace in (Name.DeviceCMYK, Name.DeviceGray) for x in images(pdf))
        assert all(s.ColorSpace == Name.DeviceCMYK for s in shadings(pdf) if s.ColorSpace != Name.DeviceGray)


def test_text_is_k_only(built):
    """Body text (#222) and black print with the black ink alone."""
    with pikepdf.open(built["pdf/x-4"]) as pdf:
        fill = None
        text_fills = set()
        for op in operations(pdf):
            if op.operator == "k":
                fill = tuple(float(v) for v in op.operands)
            elif op.operator == "scn" and len(op.operands) == 4:
                fill = tuple(float(v) for v in op.operands)
            elif op.operator in ("Tj", "TJ") and fill is not None:
                text_fills.add(fill)
        assert (0, 0, 0, 1) in text_fills, text_fills  # #222 is black text: 100 % K (tests/test_reproducible_print.py)
        assert not [f for f in text_fills if f[:3] == (0, 0, 0) and 0.85 <= f[3] < 1], text_fills  # not 87 %
        assert (0, 0, 0, 0) in text_fills  # the white header text: no ink at all


def test_brand_blue_becomes_process_cmyk(built):
    with pikepdf.open(built["pdf/x-4"]) as pdf:
        fills = {tuple(round(float(v), 2) for v in op.operands) for op in operations(pdf) if op.operator == "k"}
    blue = [f for f in fills if f[0] > 0.8 and f[1] > 0.3 and f[2] < 0.3]
    assert blue, fills  # #005a8c: lots of cyan, some magenta, little yellow


def test_gap_weasyprint_gradients_are_rgb(raw):
    colour = [s for s in shadings(raw) if s.get("/ShadingType") in (2, 3) and s.ColorSpace != Name.DeviceGray]
    assert colour
    for shading in colour:
        assert shading.ColorSpace == Name.DeviceRGB and len(shading.Function.Functions[0].C0) == 3


def test_gradients_are_cmyk(built):
    with pikepdf.open(built["pdf/x-1a"]) as pdf:
        colour = [s for s in shadings(pdf) if s.ColorSpace != Name.DeviceGray]
        assert colour
        for shading in colour:
            assert shading.ColorSpace == Name.DeviceCMYK
            for function in shading.Function.Functions:
                assert len(function.C0) == len(function.C1) == 4


def test_gap_weasyprint_paints_transparent_borders_at_alpha_0():
    html = "<div style='border: 3mm solid transparent; background: #fc0'>x</div>"
    data = weasyprint.HTML(string=html).write_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        states = pdf.pages[0].Resources.ExtGState.values()
        assert any(float(s.get("/ca", 1)) == 0 for s in states)


def test_x1a_drops_invisible_paint(built):
    with pikepdf.open(built["pdf/x-1a"]) as pdf:
        for op in operations(pdf):
            if op.operator == "gs":
                state = op.resources.ExtGState[op.operands[0]]
                assert float(state.get("/ca", 1)) == 1 and float(state.get("/CA", 1)) == 1


def test_drop_invisible_paint_keeps_geometry_and_text_flow():
    resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(
        a0=pikepdf.Dictionary(ca=0), a1=pikepdf.Dictionary(ca=1), A0=pikepdf.Dictionary(CA=0),
    ))
    pdf = pikepdf.Pdf.new()
    ops = pikepdf.parse_content_stream(pdf.make_stream(
        b"q /a0 gs 0 0 10 10 re f 0 0 5 5 re B BT (hidden) Tj ET /A0 gs 1 1 m 2 2 l S Q "
        b"/a1 gs 0 0 1 1 re f"
    ))
    out = pikepdf.unparse_content_stream(drop_invisible_paint(list(ops), resources)).decode()
    assert out.split() == (
        "q 0 0 10 10 re n 0 0 5 5 re S BT 3 Tr (hidden) Tj 0 Tr ET 1 1 m 2 2 l n Q "
        "/a1 gs 0 0 1 1 re f"
    ).split()


def test_x1a_flattens_image_alpha_and_drops_groups(built):
    with pikepdf.open(built["pdf/x-1a"]) as pdf:
        assert not any("/SMask" in x for x in images(pdf))
        assert not any("/Group" in o for o in pdf.objects if isinstance(o, pikepdf.Stream))
    with pikepdf.open(built["pdf/x-4"]) as pdf:  # X-4 keeps live transparency
        assert any("/SMask" in x for x in images(pdf))


def test_unused_colour_spaces_dropped(raw, built):
    assert "/lab-d50" in raw.pages[0].Resources.ColorSpace
    with pikepdf.open(built["pdf/x-1a"]) as pdf:
        assert set(pdf.pages[0].Resources.ColorSpace.keys()) == {"/LeafpressRegistration"}


# --- annotations, fonts, QR ------------------------------------------------------------


def test_gap_weasyprint_keeps_link_annotations(raw):
    assert any("/Annots" in page.obj for page in raw.pages)


def test_links_removed(built):
    with pikepdf.open(built["pdf/x-4"]) as pdf:
        assert not any("/Annots" in page.obj for page in pdf.pages)


def test_fonts_embedded(built):
    with pikepdf.open(built["pdf/x-1a"]) as pdf:
        fonts = list(pdf.pages[0].Resources.Font.values())
        assert fonts
        for font in fonts:
            descriptor = font.DescendantFonts[0].FontDescriptor if font.Subtype == Name.Type0 else font.FontDescriptor
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs pdftoppm and zbarimg")
def test_qr_code_survives_the_cmyk_pass(built, tmp_path):
    subprocess.run(["pdftoppm", "-r", "300", "-f", "2", "-l", "2", "-png", str(built["pdf/x-1a"]), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", *map(str, tmp_path.glob("p*.png"))], capture_output=True, text=True, check=True
    ).stdout.split()
    assert decoded == [QR_URL]


# --- what the post-pass cannot fix, preflight reports ----------------------------------------


def test_opacity_in_x1a_is_reported_not_hidden(tmp_path):
    out = write_print_pdf(leaflet_html("opacity"), BASE_URL, tmp_path / "o.pdf", variant="pdf/x-1a")
    codes = {f.code for f in preflight(out, variant="pdf/x-1a")}
    assert codes == {"preflight.transparency"}


def test_lab_oklch_and_jpeg_become_cmyk(tmp_path):
    Image.open(ROOT / "hires.png").convert("RGB").save(tmp_path / "photo.jpg", quality=85)
    html = (
        "<!doctype html><html lang='nl'><head><title>Kleur</title><style>"
        f"@font-face {{ font-family: Noto; src: url({(ROOT.parents[2] / 'templates/fonts/NotoSans-Regular.ttf').as_uri()}) }}"
        "body { font-family: Noto; margin: 0 } @page { size: A5; margin: 15mm }"
        ".lab { color: lab(45% 40 -30) } .ok { background: oklch(70% 0.1 150) } img { width: 30mm }"
        "</style></head><body><p class='lab'>Lab</p><p class='ok'>OKLCh</p><img src='photo.jpg' alt=''></body></html>"
    )
    raw = render_print_pdf(html, str(tmp_path) + "/", PrintSpec("pdf/x-1a"))
    with pikepdf.open(io.BytesIO(raw)) as pdf:  # the gap: Lab colour spaces, a DCT RGB image
        assert {"/lab-d50", "/lab-d65"} <= {str(op.operands[0]) for op in operations(pdf) if op.operator == "cs"}
        assert any(x.get("/Filter") == Name.DCTDecode and x.ColorSpace == Name.DeviceRGB for x in images(pdf))
    out = write_print_pdf(html, str(tmp_path) + "/", tmp_path / "lab.pdf", variant="pdf/x-1a")
    assert preflight(out, variant="pdf/x-1a") == []
    with pikepdf.open(out) as pdf:
        (photo,) = images(pdf)
        assert photo.ColorSpace == Name.DeviceCMYK
        assert pikepdf.PdfImage(photo).as_pil_image().size == (600, 450)


def test_converter_keeps_neutrals_on_black_only():
    converter = ColourConverter.for_profile(DEFAULT_ICC_PROFILE.read_bytes())
    assert converter.rgb(0, 0, 0) == (0, 0, 0, 1)
    assert converter.rgb(1, 1, 1) == (0, 0, 0, 0)
    assert converter.lab("lab-d50", 50, 0, 0) == (0, 0, 0, 0.5)
    c, m, y, k = converter.rgb(1, 0, 0)
    assert c < 0.1 and m > 0.9 and y > 0.9
    c, m, y, k = converter.lab("lab-d50", 45, 40, -30)  # a violet
    assert c > 0.3 and m > 0.5 and y < 0.3


def test_missing_profile_is_an_error(tmp_path):
    with pytest.raises(PrintPdfError, match="cannot read ICC profile"):
        write_print_pdf("<title>x</title><p>x</p>", BASE_URL, tmp_path / "x.pdf", icc_profile=tmp_path / "shop.icc")
    assert list(tmp_path.iterdir()) == []


def test_leaflet_stylesheets_passed_as_objects_come_before_the_bleed_rules(tmp_path):
    """As leafpress.formats.pdf.leaflet does it: leaflet.css given to WeasyPrint, not linked."""
    html = leaflet_html().replace('<link rel="stylesheet" href="leaflet.css">', "")
    sheet = weasyprint.CSS(filename=str(ROOT / "leaflet.css"))
    out = write_print_pdf(html, BASE_URL, tmp_path / "s.pdf", stylesheets=[sheet])
    assert preflight(out) == []
    with pikepdf.open(out) as pdf:
        fills = {tuple(round(float(v), 2) for v in op.operands) for op in operations(pdf) if op.operator == "k"}
        assert any(c > 0.8 for c, m, y, k in fills)  # the blue band of leaflet.css is there
        assert float(pdf.pages[0].obj.BleedBox[0]) == pytest.approx(-3 * MM, abs=0.01)  # the bleed rules too


# --- from the screen PDF: one layout, two files -------------------------------------------


@pytest.fixture(scope="module")
def from_screen(tmp_path_factory) -> tuple[bytes, Path]:
    """As the build does it: one layout, written as PDF/UA (cropped to the trim), then converted."""
    from leafpress.formats.pdf.leaflet import crop_to_trim

    sheets = bleed_stylesheets(ROOT.parents[2] / "templates")
    document = weasyprint.HTML(string=leaflet_html(), base_url=BASE_URL).render(stylesheets=sheets)
    screen = document.write_pdf(pdf_variant="pdf/ua-1", finisher=lambda _, pdf: crop_to_trim(pdf))
    out = tmp_path_factory.mktemp("screen") / "print.pdf"
    return screen, print_from_pdf(screen, out, PrintSpec())


def test_x1a_from_the_tagged_screen_pdf(from_screen, tmp_path):
    screen, _ = from_screen
    printed = print_from_pdf(screen, tmp_path / "x1a.pdf", PrintSpec("pdf/x-1a"))
    assert preflight(printed, variant="pdf/x-1a") == []
    with pikepdf.open(printed) as pdf:
        assert pdf.pdf_version == "1.4" and "/StructTreeRoot" not in pdf.Root
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"


def test_screen_pdf_is_cropped_to_the_trim(from_screen):
    screen, _ = from_screen
    with pikepdf.open(io.BytesIO(screen)) as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.obj.MediaBox] == pytest.approx([0, 0, *A5], abs=0.01)
            assert "/TrimBox" not in page.obj and "/BleedBox" not in page.obj


def test_print_from_the_tagged_screen_pdf(from_screen):
    screen, printed = from_screen
    assert preflight(printed) == []
    with pikepdf.open(io.BytesIO(screen)) as source, pikepdf.open(printed) as pdf:
        assert "/StructTreeRoot" in source.Root
        assert len(pdf.pages) == len(source.pages)
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        assert not any("/StructParents" in page.obj for page in pdf.pages)
        assert not {"BDC", "BMC", "EMC"} & {op.operator for op in operations(pdf)}
        assert "pdfuaid:part" in source.open_metadata()
        meta = pdf.open_metadata()
        assert "pdfuaid:part" not in meta and "pdfuaid:part" not in pdf.Root.Metadata.read_bytes().decode()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["xmpMM:DocumentID"].startswith("uuid:")


@needs_poppler
def test_print_from_screen_shows_the_bleed_the_screen_hides(from_screen, tmp_path):
    """The header band runs into the bleed on paper; the screen page ends at the trim."""
    screen, printed = from_screen
    (tmp_path / "screen.pdf").write_bytes(screen)
    for name in ("screen", "print"):
        source = tmp_path / "screen.pdf" if name == "screen" else printed
        subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(source), str(tmp_path / name)], check=True)
    px = 100 / 25.4
    screen_image = Image.open(next(tmp_path.glob("screen*.png"))).convert("L")
    assert screen_image.size == (round(148 * px), round(210 * px))
    paper = Image.open(next(tmp_path.glob("print*.png"))).convert("L")
    slug = 3 + MARK_GAP_MM + MARK_LENGTH_MM + 2
    assert paper.getpixel((round((slug - 2.5) * px), round((slug - 2.5) * px))) < 128


# --- the fast colour pass says what the pikepdf one says -----------------------------------


def same_operations(pdf: pikepdf.Pdf) -> None:
    """Every page converted both ways: the same operations, the same colour spaces in use."""
    from leafpress.formats.print.pdfx.content import convert_content
    from leafpress.formats.print.pdfx.content_fast import convert_content_fast

    converter = ColourConverter.for_profile(DEFAULT_ICC_PROFILE.read_bytes())

    def normal(operations):
        return [(str(op.operator), [round(float(v), 4) if isinstance(v, (int, float, Decimal)) else v.unparse()
                                    for v in op.operands]) for op in operations]

    for page in pdf.pages:
        page.contents_coalesce()
        used_fast: set[str] = set()
        used_slow: set[str] = set()
        fast = convert_content_fast(page.obj.Contents.read_bytes(), page.obj.Resources, converter, used_fast)
        slow = convert_content(page.obj, page.obj.Resources, converter, False, used_slow)
        assert fast is not None
        assert normal(pikepdf.parse_content_stream(pdf.make_stream(fast))) == normal(
            pikepdf.parse_content_stream(pdf.make_stream(slow)))
        assert used_fast == used_slow


def test_fast_colour_pass_equals_the_pikepdf_one(from_screen, raw):
    screen, _ = from_screen
    with pikepdf.open(io.BytesIO(screen)) as pdf:  # tagged: marked content to drop
        same_operations(pdf)
    same_operations(raw)  # gradients, images, SVG, transparency


@pytest.mark.parametrize("content", [b"BT (Hallo) Tj ET", b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI",
                                     b"% comment\n0 0 1 rg", b"<</A <</B 1>>>> BDC EMC",
                                     b"q 0 0 1 rg Q 1 0 0", b"0 0 1rg", b"q (x) Tj Q"])
def test_fast_colour_pass_leaves_what_it_does_not_read(content):
    from leafpress.formats.print.pdfx.content_fast import convert_content_fast

    converter = ColourConverter.for_profile(DEFAULT_ICC_PROFILE.read_bytes())
    assert convert_content_fast(content, pikepdf.Dictionary(), converter, set()) is None


def test_fast_colour_pass_reads_operators_and_operands_however_they_are_spaced():
    from leafpress.formats.print.pdfx.content_fast import convert_content_fast

    converter = ColourConverter.for_profile(DEFAULT_ICC_PROFILE.read_bytes())
    content = (b"/Span<</MCID 0>>BDC q 0 0 1 rg BT/F1 12 Tf[<0102>-20<03>]TJ T* true 1 d0 ET Q EMC"
               b"\n/Artifact BMC 0 0 0 RG 1 w 0 0 m 5 5 l S EMC")
    lines = convert_content_fast(content, pikepdf.Dictionary(), converter, set()).splitlines()
    assert [line.split()[-1] if line.endswith((b" k", b" K")) else line for line in lines] == [
        b"q", b"k", b"BT/F1 12 Tf[<0102>-20<03>]TJ T* true 1 d0 ET", b"Q", b"K", b"1 w 0 0 m 5 5 l S"]
    assert len(lines[1].split()) == len(lines[4].split()) == 5  # four CMYK values
