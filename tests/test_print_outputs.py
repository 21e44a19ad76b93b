"""What the clinic prints: print-shop PDFs that pass our preflight, brochures in saddle-stitch order,
and a back page with dates, a working QR code and the other languages."""

from __future__ import annotations

import subprocess

import pikepdf

from leafpress.formats.print.impose import saddle_stitch_sides
from leafpress.formats.print.preflight import preflight

LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk")


def test_every_print_pdf_passes_preflight(real_built):
    paths = sorted(real_built.path("dist/print").rglob("*.pdf"))
    assert len(paths) == 18
    for path in paths:
        errors = [f for f in preflight(path, variant="pdf/x-4") if f.level == "error"]
        assert errors == [], (path, errors)
        with pikepdf.open(path) as pdf:
            assert "/OutputIntents" in pdf.Root
            page = pdf.pages[0]
            trim = [float(v) for v in page.TrimBox]
            assert round((trim[2] - trim[0]) / 72 * 25.4) == 148 and round((trim[3] - trim[1]) / 72 * 25.4) == 210
            meta = pdf.open_metadata()
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4" and "pdfuaid:part" not in meta
            assert meta["xmp:MetadataDate"] and meta["dc:title"]
            screen = real_built.path("dist/leaflets") / path.relative_to(real_built.path("dist/print"))
            with pikepdf.open(screen) as source:
                assert len(pdf.pages) == len(source.pages)


def test_print_pdf_is_the_screen_layout(real_built):
    """One layout makes both files: every page carries the same words."""
    for lang in ("nl", "ar"):
        pages = []
        for kind in ("leaflets", "print"):
            text = subprocess.run(["pdftotext", str(real_built.path(f"dist/{kind}/{lang}/ketamine-en-mdma.pdf")), "-"],
                                  capture_output=True, text=True, check=True).stdout
            # poppler's bidi embedding marks (U+202A-U+202C) depend on where a line sits on the
            # sheet (the print file has bleed), not on its words
            text = text.translate(dict.fromkeys((0x202A, 0x202B, 0x202C)))
            pages.append([sorted(page.split()) for page in text.split("\f")])
        screen, printed = pages
        assert screen == printed and sum(map(len, screen)) > 1000


def test_brochure_is_the_screen_pdf_in_saddle_stitch_order(real_built):
    for lang in ("nl", "ar"):
        screen = real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf")
        brochure = real_built.path(f"dist/brochures/{lang}/ketamine-en-mdma.pdf")
        with pikepdf.open(screen) as source, pikepdf.open(brochure) as sheets:
            pages = len(source.pages)
            sides = saddle_stitch_sides(pages)
            assert len(sheets.pages) == len(sides) == 2 * ((pages + 3) // 4)
            width, height = (float(v) for v in sheets.pages[0].MediaBox[2:])
            assert (round(width), round(height)) == (842, 595)  # A4 landscape
        first_sheet = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(brochure), "-"],
                                     capture_output=True, text=True, check=True).stdout
        cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(screen), "-"],
                               capture_output=True, text=True, check=True).stdout
        back = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(screen), "-"],
                              capture_output=True, text=True, check=True).stdout
        # the outside of the first sheet carries the back cover and the front cover
        assert cover.split()[0] in first_sheet and back.split()[-3] in first_sheet


def test_arabic_brochure_opens_from_the_right(real_built):
    """The outside of the first sheet: front cover on the left half in Arabic, on the right in Dutch."""
    for lang, cover_half in (("ar", "left"), ("nl", "right")):
        brochure = real_built.path(f"dist/brochures/{lang}/ketamine-en-mdma.pdf")
        screen = real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf")
        cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(screen), "-"],
                               capture_output=True, text=True, check=True).stdout.split()[2]
        halves = {}
        for half, x in (("left", 0), ("right", 421)):
            halves[half] = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-x", str(x), "-y", "0", "-W", "421",
                                           "-H", "595", "-r", "72", str(brochure), "-"],
                                          capture_output=True, text=True, check=True).stdout
        other = "right" if cover_half == "left" else "left"
        assert cover in halves[cover_half] and cover not in halves[other], (lang, cover)


def test_back_page_qr_code_decodes_to_the_online_version(real_built, tmp_path):
    for lang in ("nl", "uk"):
        path = real_built.path(f"dist/leaflets/{lang}/microdoseren-ketamine.pdf")
        with pikepdf.open(path) as pdf:
            last = len(pdf.pages)
        image = tmp_path / f"{lang}"
        subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", str(last), "-l", str(last), str(path), str(image)],
                       check=True)
        png = next(tmp_path.glob(f"{lang}*.png"))
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True).stdout
        assert decoded.strip() == f"https://www.ggz-voorbeeldkliniek.nl/folders/{lang}/microdoseren-ketamine/"


def test_review_date_that_has_passed_warns_and_fails_strict(basic, capsys):
    basic.edit("content/articles/tweede.md", "next_review: 2099-06-01", "next_review: 2020-06-01")
    basic.edit("content/articles/tweede.md", "reviewed: 2026-06-01", "reviewed: 2020-01-01")
    run = basic.build(capsys, "check")
    assert run.code == 0
    assert ("content/articles/tweede.md:10: warning: next review date 2020-06-01 has passed; review the article "
            "and update reviewed and next_review [meta.review]") in run.err
    assert basic.build(capsys, "check", "--strict").code == 1


def test_a4_article_gets_a4_pages_trim_and_an_a4_brochure(basic, capsys):
    basic.edit("content/articles/tweede.md", "related: [proef]", "related: [proef]\nformat: A4")
    assert basic.build(capsys, "leaflets", "--lang", "nl").code == 0
    mm = 25.4 / 72
    with pikepdf.open(basic.path("dist/leaflets/nl/tweede.pdf")) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert (round(box[2] * mm), round(box[3] * mm)) == (210, 297)
    with pikepdf.open(basic.path("dist/print/nl/tweede.pdf")) as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
        assert (round((trim[2] - trim[0]) * mm), round((trim[3] - trim[1]) * mm)) == (210, 297)
    assert [f for f in preflight(basic.path("dist/print/nl/tweede.pdf"), trim_mm=(210, 297))
            if f.level == "error"] == []
    with pikepdf.open(basic.path("dist/brochures/nl/tweede.pdf")) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert (round(box[2] * mm), round(box[3] * mm)) == (297, 210)  # A4 landscape: laid out again at A5
    with pikepdf.open(basic.path("dist/leaflets/nl/proef.pdf")) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert (round(box[2] * mm), round(box[3] * mm)) == (148, 210)
