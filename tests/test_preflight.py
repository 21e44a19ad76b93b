"""Preflight on good and deliberately bad print PDFs."""

from __future__ import annotations

import math
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from pikepdf import Array, Dictionary, Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.pdfx.layout import bleed_stylesheets
from leafpress.formats.print.pdfx.spec import DEFAULT_ICC_PROFILE
from leafpress.formats.print.pdfx.writer import write_print_pdf
from leafpress.formats.print.preflight import preflight
from leafpress.formats.print.preflight.__main__ import main
from leafpress.formats.print.preflight.geometry import IDENTITY, multiply
from leafpress.formats.print.preflight.images import image_resolution

ROOT = Path(__file__).parent / "roots" / "print"
BASE_URL = str(ROOT) + "/"
MM = 72 / 25.4


def weasyprint_pdf_x(html: str, variant: str) -> bytes:
    """WeasyPrint 70's own PDF/X (CMYK output intent, bleed), with no post-pass: what
    preflight must catch if anyone shipped it."""
    profiles: dict = {}
    profile = (f"@color-profile device-cmyk {{ components: cyan, magenta, yellow, black; "
               f"src: url({DEFAULT_ICC_PROFILE.as_uri()}) }}")
    sheets = [weasyprint.CSS(string=profile, color_profiles=profiles),
              *bleed_stylesheets(ROOT.parents[2] / "templates", color_profiles=profiles)]
    return weasyprint.HTML(string=html, base_url=BASE_URL).write_pdf(
        stylesheets=sheets, color_profiles=profiles, pdf_variant=variant, output_intent="device-cmyk")


def codes(findings: list[Diagnostic]) -> set[str]:
    return {f.code for f in findings}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("preflight")


def _print(out: Path, name: str, variant: str = "pdf/x-4") -> Path:
    html = (ROOT / f"{name}.html").read_text()
    return write_print_pdf(html, BASE_URL, out / f"{name}-{variant[6:]}.pdf", variant=variant)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def good(out) -> dict[str, Path]:
    return {v: _print(out, "leaflet", v) for v in ("pdf/x-4", "pdf/x-1a")}


def _edit(source: Path, target: Path, change) -> Path:
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _replace_page(pdf: pikepdf.Pdf, content: bytes, resources: Dictionary) -> None:
    """Keep the good document (intent, metadata, boxes), swap page 1's content."""
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(content)
    page.Resources = resources
    del pdf.pages[1:]


def _image(pdf: pikepdf.Pdf, width: int, height: int, space=Name.DeviceCMYK, channels: int = 4) -> pikepdf.Stream:
    data = zlib.compress(bytes(width * height * channels))
    return pdf.make_stream(
        data, Type=Name.XObject, Subtype=Name.Image, Width=width, Height=height,
        ColorSpace=space, BitsPerComponent=8, Filter=Name.FlateDecode,
    )


# --- good files ---------------------------------------------------------------


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/x-1a"])
def test_good_leaflet_passes(good, variant):
    assert preflight(good[variant], variant=variant) == []


# --- the bad fixtures ----------------------------------------------------------


def test_rgb_text_and_links_without_the_post_pass(out):
    """Plain WeasyPrint: hex colours stay RGB, links stay annotations, gradients break."""
    raw = out / "raw.pdf"
    raw.write_bytes(weasyprint_pdf_x((ROOT / "leaflet.html").read_text(), "pdf/x-4"))
    findings = preflight(raw)
    assert codes(findings) == {"preflight.colour.rgb", "preflight.annotation", "preflight.shading"}
    assert any("'rg' operator" in f.message for f in findings)
    assert all(f.level == "error" for f in findings)
    assert any("shading" in f.message and "3 colour values" in f.message for f in findings)


def test_rgb_in_x1a_is_reported_for_each_kind(out):
    raw = out / "raw1a.pdf"
    raw.write_bytes(weasyprint_pdf_x((ROOT / "leaflet.html").read_text(), "pdf/x-1a"))
    messages = " | ".join(f.message for f in preflight(raw, variant="pdf/x-1a"))
    for what in ("'rg' operator", "image /", "shading", "ICC-based colour", "soft mask", "ca 0"):
        assert what in messages
    assert "3 colour values for a 4-component colour space" in messages


def test_missing_bleed(good, out):
    def no_bleed(pdf):
        for page in pdf.pages:
            page.obj.BleedBox = page.obj.TrimBox

    findings = preflight(_edit(good["pdf/x-4"], out / "nobleed.pdf", no_bleed))
    assert codes(findings) == {"preflight.box.bleed"}
    assert [f.page for f in findings] == [1]
    assert "bleed is 0.0 mm, 0.0 mm, 0.0 mm, 0.0 mm" in findings[0].message


def test_bleed_box_absent(good, out):
    def drop(pdf):
        del pdf.pages[0].obj["/BleedBox"]

    assert codes(preflight(_edit(good["pdf/x-4"], out / "nobleedbox.pdf", drop))) == {"preflight.box.bleed"}


def test_media_box_smaller_than_bleed(good, out):
    def shrink(pdf):
        pdf.pages[0].obj.MediaBox = pdf.pages[0].obj.TrimBox

    findings = preflight(_edit(good["pdf/x-4"], out / "smallmedia.pdf", shrink))
    assert "preflight.box.media" in codes(findings)


def test_wrong_trim_size(good):
    findings = preflight(good["pdf/x-4"], trim_mm=(210, 297))
    assert codes(findings) == {"preflight.box.trim"}
    assert "TrimBox is 148.0 mm × 210.0 mm, expected 210 × 297 mm" in findings[0].message


def test_text_at_the_edge(out):
    findings = preflight(_print(out, "edge"))
    assert codes(findings) == {"preflight.text.safe-area"}
    assert "'Randtekst'" in findings[0].message and findings[0].page == 1


def test_safe_area_is_a_parameter(out):
    assert preflight(_print(out, "edge"), safe_mm=1.5) == []


def test_low_resolution_image_is_a_warning(out):
    (finding,) = preflight(_print(out, "lowres"))
    assert finding.code == "preflight.image.resolution"
    assert finding.level == "warning"
    assert "60×45 px at 40.0 mm × 30.0 mm) is 38 ppi" in finding.message


def test_transparency_in_x1a(out):
    findings = preflight(_print(out, "opacity", "pdf/x-1a"), variant="pdf/x-1a")
    assert codes(findings) == {"preflight.transparency"}
    assert any("ca 0.5" in f.message for f in findings)


def test_transparency_is_fine_in_x4(out):
    assert preflight(_print(out, "opacity", "pdf/x-4")) == []


def test_plain_pdf_is_no_pdf_x(out):
    plain = out / "plain.pdf"
    weasyprint.HTML(string="<title>t</title><p>Hallo</p>").write_pdf(plain)
    found = codes(preflight(plain))
    assert {"preflight.output-intent", "preflight.version", "preflight.metadata.trapped", "preflight.box.trim"} <= found


def test_x4_file_checked_as_x1a(good):
    findings = preflight(good["pdf/x-4"], variant="pdf/x-1a")
    assert "preflight.version" in codes(findings)
    assert any("PDF 1.6" in f.message for f in findings)


def test_rgb_output_profile(good, out, srgb_icc):
    def rgb_intent(pdf):
        profile = srgb_icc.read_bytes()
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_stream(profile, N=3)

    findings = preflight(_edit(good["pdf/x-4"], out / "rgbintent.pdf", rgb_intent))
    assert codes(findings) == {"preflight.output-intent"}
    assert {f.message for f in findings} == {
        "output profile has /N 3, expected 4 (CMYK)",
        "output profile is a mntr/RGB profile, expected prtr/CMYK",
    }


def test_unembedded_font(good, out):
    def helvetica(pdf):
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        _replace_page(pdf, b"1 0 0 0 k BT /F1 12 Tf 100 300 Td (Hallo) Tj ET",
                      Dictionary(Font=Dictionary(F1=font)))

    findings = preflight(_edit(good["pdf/x-4"], out / "helvetica.pdf", helvetica))
    assert codes(findings) == {"preflight.font.not-embedded"}
    assert "font /Helvetica is not embedded" in findings[0].message


def test_icc_tagged_rgb_image_is_allowed_in_x4_not_in_x1a(good, out, srgb_icc):
    def icc_image(pdf):
        icc = pdf.make_stream(srgb_icc.read_bytes(), N=3)
        image = _image(pdf, 600, 600, Array([Name.ICCBased, icc]), 3)
        _replace_page(pdf, b"q 144 0 0 144 100 100 cm /Im1 Do Q", Dictionary(XObject=Dictionary(Im1=image)))

    path = _edit(good["pdf/x-4"], out / "iccimage.pdf", icc_image)
    assert preflight(path) == []
    assert "preflight.colour.rgb" in codes(preflight(path, variant="pdf/x-1a"))


def test_device_rgb_is_allowed_with_default_rgb(good, out, srgb_icc):
    def device_rgb(pdf, default: bool):
        icc = pdf.make_stream(srgb_icc.read_bytes(), N=3)
        spaces = Dictionary(DefaultRGB=Array([Name.ICCBased, icc])) if default else Dictionary()
        _replace_page(pdf, b"1 0 0 rg 100 100 50 50 re f", Dictionary(ColorSpace=spaces))

    plain = _edit(good["pdf/x-4"], out / "rgb.pdf", lambda pdf: device_rgb(pdf, False))
    tagged = _edit(good["pdf/x-4"], out / "rgbdefault.pdf", lambda pdf: device_rgb(pdf, True))
    assert codes(preflight(plain)) == {"preflight.colour.rgb"}
    assert preflight(tagged) == []


def test_image_resolution_through_a_scaled_form(good, out):
    """600 px drawn 1 unit (72 pt) wide inside a form scaled by 3: 3 in, 200 ppi."""
    def nested(pdf):
        image = _image(pdf, 600, 600)
        form = pdf.make_stream(
            b"q 72 0 0 72 0 0 cm /Im1 Do Q", Type=Name.XObject, Subtype=Name.Form,
            BBox=Array([0, 0, 72, 72]), Matrix=Array([3, 0, 0, 3, 0, 0]),
            Resources=Dictionary(XObject=Dictionary(Im1=image)),
        )
        _replace_page(pdf, b"q 1 0 0 1 50 50 cm /Fm1 Do Q", Dictionary(XObject=Dictionary(Fm1=form)))

    (finding,) = preflight(_edit(good["pdf/x-4"], out / "form.pdf", nested))
    assert "600×600 px at 76.2 mm × 76.2 mm) is 200 ppi" in finding.message


def test_image_in_a_tiling_pattern(good, out):
    def pattern(pdf):
        image = _image(pdf, 100, 100)
        tile = pdf.make_stream(
            b"q 72 0 0 72 0 0 cm /Im1 Do Q", Type=Name.Pattern, PatternType=1, PaintType=1,
            TilingType=1, BBox=Array([0, 0, 72, 72]), XStep=72, YStep=72,
            Matrix=Array([1, 0, 0, 1, 0, 0]), Resources=Dictionary(XObject=Dictionary(Im1=image)),
        )
        _replace_page(pdf, b"/Pattern cs /P1 scn 50 50 144 144 re f", Dictionary(Pattern=Dictionary(P1=tile)))

    (finding,) = preflight(_edit(good["pdf/x-4"], out / "pattern.pdf", pattern))
    assert finding.code == "preflight.image.resolution" and "is 100 ppi" in finding.message


def test_annotation_outside_the_bleed_is_fine(good, out):
    def link(pdf, rect):
        pdf.pages[0].obj.Annots = Array([Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(rect))])

    inside = _edit(good["pdf/x-4"], out / "annot-in.pdf", lambda p: link(p, [10, 10, 50, 20]))
    outside = _edit(good["pdf/x-4"], out / "annot-out.pdf", lambda p: link(p, [-30, -30, -20, -20]))
    assert codes(preflight(inside)) == {"preflight.annotation"}
    assert preflight(outside) == []


# --- geometry helpers ----------------------------------------------------------


def test_image_resolution_math():
    assert image_resolution(300, 300, (72, 0, 0, 72, 0, 0)) == pytest.approx(300)
    assert image_resolution(300, 150, (144, 0, 0, 72, 0, 0)) == pytest.approx(150)
    rotated = (0, 72, -72, 0, 0, 0)
    assert image_resolution(300, 300, rotated) == pytest.approx(300)
    assert image_resolution(10, 10, (0, 0, 0, 0, 0, 0)) == math.inf


def test_multiply_applies_left_matrix_first():
    scale, move = (2, 0, 0, 2, 0, 0), (1, 0, 0, 1, 10, 0)
    assert multiply(scale, move) == (2, 0, 0, 2, 10, 0)  # scale, then move
    assert multiply(move, scale) == (2, 0, 0, 2, 20, 0)  # move, then scale
    assert multiply(IDENTITY, move) == move


# --- the command line ------------------------------------------------------------


def test_cli_passes_good_file(good, capsys):
    assert main([str(good["pdf/x-1a"]), "--variant", "pdf/x-1a"]) == 0
    assert capsys.readouterr().out == ""


def test_cli_reports_and_fails(good, out, capsys):
    edge = _print(out, "edge")
    assert main([str(good["pdf/x-4"]), str(edge)]) == 1
    line = capsys.readouterr().out.strip()
    assert line == (
        f"{edge}: error: page 1: text closer than 5 mm to the trim edge: 'Randtekst' "
        "[preflight.text.safe-area]"
    )


def test_cli_as_module(good):
    result = subprocess.run(
        [sys.executable, "-m", "leafpress.formats.print.preflight", str(good["pdf/x-4"]), "--trim", "210x297"],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "[preflight.box.trim]" in result.stdout
