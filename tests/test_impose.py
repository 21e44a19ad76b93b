"""Saddle-stitch imposition of the screen PDF into a foldable brochure."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from leafpress.formats.paper import MM
from leafpress.formats.print.impose import (
    Side,
    impose_saddle_stitch,
    placement,
    reading_order,
    saddle_stitch_sides,
    sheet_size,
)

FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def screen_pdf(path: Path, pages: int, size: str = "A5") -> Path:
    """A tagged (PDF/UA-1) screen PDF with a big page number on each page."""
    sections = "".join(f"<section><p class='n'>{i}</p></section>" for i in range(1, pages + 1))
    html = (
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Brochure</title><style>"
        f"@font-face {{ font-family: Noto; src: url({(FONTS / 'NotoSans-Bold.ttf').as_uri()}) }}"
        f"@page {{ size: {size}; margin: 20mm }} body {{ font-family: Noto }}"
        "section { break-after: page } section:last-child { break-after: auto }"
        ".n { font-size: 120pt; text-align: center; margin: 0 }"
        f"</style></head><body>{sections}</body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


# --- the order, as pure functions ---------------------------------------------


@pytest.mark.parametrize(
    "pages, expected",
    [
        (1, (1, None, None, None)),
        (2, (1, None, None, 2)),
        (4, (1, 2, 3, 4)),
        (5, (1, 2, 3, 4, None, None, None, 5)),
        (6, (1, 2, 3, 4, 5, None, None, 6)),
        (8, (1, 2, 3, 4, 5, 6, 7, 8)),
    ],
)
def test_reading_order_pads_before_the_back_cover(pages, expected):
    assert reading_order(pages) == expected


def test_no_pages_is_an_error():
    with pytest.raises(ValueError):
        reading_order(0)


def test_eight_pages_in_saddle_stitch_order():
    assert saddle_stitch_sides(8) == (
        Side(8, 1), Side(2, 7),  # sheet 1: front, back
        Side(6, 3), Side(4, 5),  # sheet 2
    )


def test_twelve_pages():
    assert saddle_stitch_sides(12) == (
        Side(12, 1), Side(2, 11), Side(10, 3), Side(4, 9), Side(8, 5), Side(6, 7),
    )


def test_right_to_left_booklet_is_the_mirror_image():
    assert saddle_stitch_sides(8, right_to_left=True) == (
        Side(1, 8), Side(7, 2),  # sheet 1: the front cover on the left half, the spine on its right
        Side(3, 6), Side(5, 4),
    )


@pytest.mark.parametrize("pages", range(1, 30))
def test_every_page_exactly_once_and_facing_pages_add_up(pages):
    sides = saddle_stitch_sides(pages)
    slots = [s for side in sides for s in (side.left, side.right)]
    assert sorted(s for s in slots if s is not None) == list(range(1, pages + 1))
    assert len(sides) % 2 == 0
    order = reading_order(pages)
    padded = len(order)
    position = {page: i + 1 for i, page in enumerate(order) if page is not None}
    for side in sides:  # on every spread the reading positions add up to n + 1
        if side.left is not None and side.right is not None:
            assert position[side.left] + position[side.right] == padded + 1


def test_sheet_sizes_are_landscape():
    assert sheet_size("A4") == pytest.approx((297 * MM, 210 * MM))
    assert sheet_size("A3") == pytest.approx((420 * MM, 297 * MM))
    with pytest.raises(ValueError):
        sheet_size("Letter")


def test_placement_pushes_pages_against_the_spine():
    a5 = (0.0, 0.0, 148 * MM, 210 * MM)
    left_half = (0.0, 0.0, 148.5 * MM, 210 * MM)
    right_half = (148.5 * MM, 0.0, 297 * MM, 210 * MM)
    assert placement(a5, left_half, spine="right") == pytest.approx((1, 0, 0, 1, 0.5 * MM, 0))
    assert placement(a5, right_half, spine="left") == pytest.approx((1, 0, 0, 1, 148.5 * MM, 0))


def test_placement_scales_a_larger_page_down():
    a4 = (0.0, 0.0, 210 * MM, 297 * MM)
    half = (0.0, 0.0, 148.5 * MM, 210 * MM)
    a, _, _, d, e, f = placement(a4, half, spine="right")
    assert a == d == pytest.approx(210 / 297)
    assert e + 210 * MM * a == pytest.approx(148.5 * MM)


# --- the brochure PDF ---------------------------------------------------------


@pytest.fixture(scope="module")
def six_pages(tmp_path_factory) -> Path:
    return screen_pdf(tmp_path_factory.mktemp("impose") / "screen6.pdf", 6)


@pytest.fixture(scope="module")
def brochure(six_pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("impose") / "brochure.pdf"
    result = impose_saddle_stitch(six_pages, out)
    return result, out


def _placed(page: pikepdf.Page) -> list[str]:
    return re.findall(rb"/(P\d+) Do", page.obj.Contents.read_bytes())


def test_result_describes_the_imposition(brochure):
    result, _ = brochure
    assert (result.pages, result.blanks, result.sheets) == (6, 2, 2)
    assert result.sides == (Side(6, 1), Side(2, None), Side(None, 3), Side(4, 5))


def test_sheets_are_landscape_a4(brochure):
    _, out = brochure
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 4  # 2 sheets, duplex
        for page in pdf.pages:
            assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, 297 * MM, 210 * MM], abs=0.01)


def test_pages_are_form_xobjects_in_order(brochure):
    _, out = brochure
    with pikepdf.open(out) as pdf:
        placed = [[n.decode() for n in _placed(p)] for p in pdf.pages]
        assert placed == [["P6", "P1"], ["P2"], ["P3"], ["P4", "P5"]]
        for page in pdf.pages:
            for xobject in page.Resources.XObject.values():
                assert xobject.Subtype == pikepdf.Name.Form


@needs_pdftotext
def test_page_numbers_read_left_to_right(brochure):
    _, out = brochure

    def text(page: int) -> list[str]:
        result = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(out), "-"],
            check=True, capture_output=True, text=True,
        )
        return result.stdout.split()

    assert [text(n) for n in (1, 2, 3, 4)] == [["6", "1"], ["2"], ["3"], ["4", "5"]]


@needs_pdftotext
def test_left_page_sits_left_of_the_fold(brochure):
    _, out = brochure
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(out), "-"],
        check=True, capture_output=True, text=True,
    ).stdout
    words = dict(
        (w, float(x)) for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>(\d+)</word>', xml)
    )
    fold = 297 * MM / 2
    assert words["6"] < fold < words["1"]


def test_brochure_keeps_title_and_language_but_claims_no_pdf_ua(brochure, six_pages):
    _, out = brochure
    with pikepdf.open(six_pages) as screen:
        assert "/StructTreeRoot" in screen.Root  # the screen PDF is tagged ...
    with pikepdf.open(out) as pdf:  # ... the brochure is not, and says nothing of it
        assert str(pdf.docinfo.Title) == "Brochure"
        assert str(pdf.Root.Lang) == "nl"
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
        assert "/StructParents" not in pdf.pages[0].obj
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "pdfuaid" not in xmp
        assert "Brochure" in xmp


@pytest.mark.parametrize("pages, sheets", [(1, 1), (4, 1), (5, 2), (8, 2), (9, 3)])
def test_sheet_count(pages, sheets, tmp_path):
    screen = screen_pdf(tmp_path / "s.pdf", pages)
    result = impose_saddle_stitch(screen, tmp_path / "b.pdf")
    assert result.sheets == sheets
    with pikepdf.open(tmp_path / "b.pdf") as pdf:
        assert len(pdf.pages) == 2 * sheets


def test_a4_pages_on_a3_sheets(tmp_path):
    screen = screen_pdf(tmp_path / "a4.pdf", 4, size="A4")
    impose_saddle_stitch(screen, tmp_path / "b.pdf", sheet="A3")
    with pikepdf.open(tmp_path / "b.pdf") as pdf:
        assert [float(v) for v in pdf.pages[0].mediabox] == pytest.approx([0, 0, 420 * MM, 297 * MM], abs=0.01)
        content = pdf.pages[0].obj.Contents.read_bytes().decode()
        assert content.startswith("q 1 0 0 1 ")  # A4 on half an A3: no scaling


def test_output_is_replaced_atomically(six_pages, tmp_path):
    out = tmp_path / "b.pdf"
    out.write_bytes(b"old")
    impose_saddle_stitch(six_pages, out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdf"]
