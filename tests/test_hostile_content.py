"""Hostile content: pictures that do not load, text that would be clipped or dropped,
references citeproc cannot print. Each is a 'path:line: error: ... [code]', exit 1,
no traceback, and dist/ as a good build left it (issue 16)."""

from __future__ import annotations

import struct
import subprocess
import zlib

import pytest

from leafpress.markdown.figures import MAX_PIXELS, image_problem

ARTICLE = "content/articles/proef.md"
REFERENCES = "content/references.yaml"
IMAGE = "content/media/schema.png"
IMAGE_LINE = 48


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels (a decompression bomb's header) and
    holds one compressed row: a few dozen bytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    row = zlib.compress(b"\0" * (1 + (width + 7) // 8))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", row) + _chunk(b"IEND", b"")


XXE_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><text y="20">&secret;</text></svg>
"""
LAUGHS_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>
"""
UNDECLARED_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>'

# (name, file bytes, file name in media/, what the message says)
PICTURES = [
    ("svg-external-entity", XXE_SVG, "x.svg", "<!DOCTYPE"),
    ("svg-billion-laughs", LAUGHS_SVG, "x.svg", "<!DOCTYPE"),
    ("svg-undeclared-entity", UNDECLARED_SVG, "x.svg", "not a well-formed SVG (line 1: undefined entity)"),
    ("png-decompression-bomb", png_header(100_000, 100_000), "bomb.png", "unpacks to more than 43 million pixels (a decompression bomb)"),
    ("png-too-many-pixels", png_header(10_000, 10_000), "big.png", "is 10000×10000 pixels, more than a leaflet can use (43 million)"),
    ("png-truncated", None, "schema.png", "damaged and cannot be decoded (image file is truncated)"),
    ("text-named-png", b"not a picture at all\n", "x.png", "not a PNG, JPEG, GIF or WebP picture"),
    ("eps-named-png", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "x.png", "not a PNG, JPEG"),
    ("html-named-png", b"<html><body>hi</body></html>", "x.png", "neither a PNG, JPEG, GIF or WebP picture nor an SVG"),
]


@pytest.mark.parametrize("data, name, says", [p[1:] for p in PICTURES], ids=[p[0] for p in PICTURES])
def test_a_picture_that_does_not_load_is_an_error_at_its_line(basic, capsys, data, name, says):
    media = basic.path("content/media")
    if data is None:  # the good picture, cut short
        data = (media / "schema.png").read_bytes()[:60]
    (media / name).write_bytes(data)
    run = basic.build_refused(capsys, ARTICLE, "media/schema.png", f"media/{name}")
    (line,) = [l for l in run.err.splitlines() if l.endswith("[figure.load]")]
    assert line.startswith(f"{ARTICLE}:{IMAGE_LINE}: error: image 'media/{name}' does not load: it "), line
    assert says in line


def test_a_picture_that_does_not_load_stops_a_strict_build_too(basic, capsys):
    basic.path("content/media/x.svg").write_bytes(XXE_SVG)
    basic.edit(ARTICLE, "media/schema.png", "media/x.svg")
    run = basic.build(capsys, "leaflets", "--strict")
    assert run.code == 1 and "[figure.load]" in run.err and "Traceback" not in run.err
    assert not basic.path("dist").exists()


def test_the_pixel_limit_lets_a_print_sized_picture_through(tmp_path):
    """The limit refuses bombs, not photographs: a whole A4 page at 300 ppi loads."""
    from PIL import Image

    assert MAX_PIXELS >= 4 * 2480 * 3508
    Image.new("L", (2480, 3508), 200).save(tmp_path / "page.png")
    assert image_problem(tmp_path / "page.png") is None
    (tmp_path / "huge.png").write_bytes(png_header(2480 * 3, 3508 * 2))
    assert "pixels, more than a leaflet can use" in image_problem(tmp_path / "huge.png")


def test_a_word_longer_than_a_line_is_an_error_not_clipped(basic, capsys):
    run = basic.build_refused(capsys, ARTICLE, "Laatste alinea.", "Laatste " + "a" * 1_000_000 + " alinea.")
    assert f"{ARTICLE}:55: error: a word of 1000000 characters ('aaaaaaaaaaaaaaaaaaaa…') does not fit " in run.err
    assert run.err.rstrip().splitlines()[0].endswith("[text.long-word]")
    assert len(run.err) < 2000  # the word is not quoted whole


def test_a_word_on_a_later_line_of_a_paragraph_is_found_at_that_line(basic, capsys):
    run = basic.build_refused(capsys, ARTICLE, "in de tekst.", "in de\n" + "b" * 61 + " tekst.")
    assert f"{ARTICLE}:18: error: a word of 61 characters " in run.err and "[text.long-word]" in run.err


def test_a_list_nested_too_deep_is_an_error_not_dropped(basic, capsys):
    nested = "\n".join("  " * depth + f"- punt {depth}" for depth in range(5000))
    run = basic.build_refused(capsys, ARTICLE, "Laatste alinea.", "Laatste alinea.\n\n" + nested)
    # the list starts at line 57; its 7th level is the first too deep
    assert any(l.startswith(f"{ARTICLE}:63: error: lists, quotes and boxes are nested more than 6 deep")
               and l.endswith("[block.depth]") for l in run.err.splitlines()), run.err
    assert run.err.count("[block.depth]") == 1


def test_quotes_nested_too_deep_are_an_error(basic, capsys):
    run = basic.build_refused(capsys, ARTICLE, "Laatste alinea.", "> " * 30 + "Diep.")
    assert f"{ARTICLE}:55: error: lists, quotes and boxes are nested more than 6 deep" in run.err


def test_a_cited_reference_without_title_or_author_is_an_error(basic, capsys):
    run = basic.build_refused(capsys, REFERENCES, '  title: "Ketamine use: a review"\n  author:\n'
                              "    - {family: Morgan, given: Celia J. A.}\n    - {family: Curran, given: H. Valerie}\n", "")
    assert (f"{REFERENCES}:14: error: 'morgan2012' is cited but has no title and no author: its reference "
            "would not say which work it is") in run.err and "[bib.incomplete]" in run.err


def test_an_uncited_or_untitled_but_dated_and_authored_reference_is_fine(basic, capsys):
    basic.edit(REFERENCES, "  title: A book nobody cites\n  author: [{family: Nobody, given: N.}]\n", "")
    basic.edit(REFERENCES, "  title: Self-blinding citizen science to explore psychedelic microdosing\n", "")
    run = basic.build(capsys, "check")
    assert run.code == 0, run.err


SZIGETI_DATE = "  issued: {date-parts: [[2021]]}"
DATES = [
    # (CSL date, what the message says); citeproc-py printed the first ones wrong, stopped on the others
    ("{date-parts: [[2020, 13]]}", "month 13 does not exist (1 to 12)"),
    ("{date-parts: [[2020, 2, 30]]}", "2020-02-30 does not exist"),
    ("{date-parts: [['x']]}", "cannot read issued date {'date-parts': [['x']]}"),
    ("{date-parts: []}", "cannot read issued date"),
    ("{}", "cannot read issued date {}"),
    ("{date-parts: [[2020]], season: 2}", "a season cannot be printed"),
    ("{date-parts: [[2020, 3], [2020, 5]]}", "a range within one year (2020) cannot be printed"),
    ("{date-parts: [[2019], [2020], [2021]]}", "a date range has a start and an end, not 3 dates"),
]


@pytest.mark.parametrize("date, says", DATES, ids=[d[1][:24] for d in DATES])
def test_a_date_citeproc_cannot_print_is_an_error_at_its_line(basic, capsys, date, says):
    run = basic.build_refused(capsys, REFERENCES, SZIGETI_DATE, f"  issued: {date}")
    expected = f"{REFERENCES}:12: error: 'szigeti2021': {says}"
    assert any(l.startswith(expected) and l.endswith("[bib.date]") for l in run.err.splitlines()), run.err


def _leaflet_text(project, lang: str = "nl", name: str = "proef") -> str:
    pdf = project.path(f"dist/leaflets/{lang}/{name}.pdf")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("date, printed", [("{date-parts: [[2021]], circa: true}", "c. 2021"),
                                           ("{date-parts: [[2020, 12, 31], [2021, 1, 2]]}", "2020"),
                                           ("'2019/2020'", "2019")])
def test_unusual_dates_that_can_be_printed_are(basic, capsys, date, printed):
    basic.edit(REFERENCES, SZIGETI_DATE, f"  issued: {date}")
    run = basic.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    assert f"Szigeti e.a., {printed}" in _leaflet_text(basic)


def test_superscript_digits_in_an_author_name_are_printed_not_a_crash(basic, capsys):
    basic.edit(REFERENCES, "{family: Szigeti, given: Balázs}", "{literal: '¹²³'}")
    basic.edit(REFERENCES, "{family: Morgan, given: Celia J. A.}", "{family: Morgan², given: Celia}")
    run = basic.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    text = _leaflet_text(basic)
    assert "¹²³" in text and "Morgan²" in text


def test_text_over_the_trim_edge_fails_its_leaflet_and_writes_none_of_it(basic, capsys):
    """A preflight finding called 'error' fails the build: a 55-letter word in a heading
    (short enough for body text) runs past the page edge."""
    yesterday = basic.path("dist/leaflets/nl/proef.pdf")
    yesterday.parent.mkdir(parents=True)
    yesterday.write_bytes(b"the good leaflet from yesterday")
    basic.edit(ARTICLE, "## Een kop", "## Een Ketaminebehandelingsmogelijkhedenonderzoeksprogrammaatjes")
    run = basic.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert run.code == 1 and "Traceback" not in run.err
    assert (f"{ARTICLE}: error: the 'nl' leaflet fails print preflight: page 1: text closer than 5 mm to "
            "the trim edge: 'Ketaminebehandelingsmogelijkhedenonderz…'") in run.err
    assert run.err.rstrip().endswith("[preflight.text.safe-area]")
    proef = {k: v for k, v in basic.outputs().items() if "proef" in k}
    assert proef == {"leaflets/nl/proef.pdf": b"the good leaflet from yesterday"}
    assert "leaflets/nl/tweede.pdf" in basic.outputs()  # the other article is made


EN_CATALOG = "translations/en/LC_MESSAGES/proef.po"


def test_a_translated_word_the_layout_leaves_out_fails_that_leaflet(basic, capsys):
    """The source check does not read translations; the layout check does: Pango lays a
    1 MB word out as a box of no width, which no reader would see."""
    yesterday = basic.path("dist/leaflets/en/proef.pdf")
    yesterday.parent.mkdir(parents=True)
    yesterday.write_bytes(b"the good leaflet from yesterday")
    basic.edit(EN_CATALOG, 'msgstr "Last paragraph."', 'msgstr "Last ' + "a" * 1_000_000 + ' paragraph."')
    run = basic.build(capsys, "leaflets", "--lang", "en", "-j1")
    assert run.code == 1 and "Traceback" not in run.err
    assert (f"{EN_CATALOG}:142: error: the 'en' leaflet leaves out text it should show: "
            "'Last aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…'; shorten it") in run.err
    assert "[layout.missing-text]" in run.err and len(run.err) < 2000
    proef = {k: v for k, v in basic.outputs().items() if "proef" in k}
    assert proef == {"leaflets/en/proef.pdf": b"the good leaflet from yesterday"}


def test_the_layout_check_finds_a_block_that_is_not_laid_out():
    """missing_text compares the HTML's runs of text with the laid-out boxes; a block
    WeasyPrint drops (display: none stands for any reason) is found, in order."""
    import weasyprint

    from leafpress.formats.print.layout_checks import html_runs, missing_text

    html = ("<html><head><title>Niet getoond</title><style>.gone { display: none }</style></head><body>"
            "<h1>Een kop</h1><p>Eerste <em>alinea</em> met een-heel-lang&shy;woord.</p>"
            "<ul><li>Punt<ul><li>Dieper</li></ul></li></ul><p class='gone'>Weggevallen tekst</p>"
            "<svg><title>Ook niet</title></svg><table><tr><td>Cel</td></tr></table></body></html>")
    assert html_runs(html) == ["Een kop", "Eerste alinea met een-heel-lang\xadwoord.", "Punt", "Dieper",
                               "Weggevallen tekst", "Cel"]
    document = weasyprint.HTML(string=html).render()
    assert missing_text(document, html) == ["Weggevallen tekst"]
    shown = html.replace(" class='gone'", "")
    assert missing_text(weasyprint.HTML(string=shown).render(), shown) == []


def test_a_truncated_picture_is_found_after_weasyprint_was_imported(basic):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES on import; the check is not fooled,
    and leaves the setting as it found it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    cut = basic.path("content/media/cut.png")
    cut.write_bytes(basic.path(IMAGE).read_bytes()[:60])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert "damaged and cannot be decoded" in image_problem(cut)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert image_problem(basic.path(IMAGE)) is None


def test_a_picture_that_passes_the_check_but_not_weasyprint_fails_its_leaflet(basic, capsys, monkeypatch):
    """The layout's own backstop: were a picture to pass figure.load and still fail in
    WeasyPrint (simulated by switching the check off), the leaflet is not published
    without it."""
    monkeypatch.setattr("leafpress.source.checks.image_problem", lambda path: None)
    basic.path("content/media/x.svg").write_bytes(XXE_SVG)
    basic.edit(ARTICLE, "media/schema.png", "media/x.svg")
    run = basic.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert run.code == 1 and "Traceback" not in run.err
    assert (f"{ARTICLE}: error: the 'nl' leaflet would be printed without a picture: WeasyPrint: load image at "
            "'content/media/x.svg': ; check the picture in an image editor and export it again [figure.load]"
            ) in run.err.splitlines()
    assert not any("proef" in name for name in basic.outputs())


@pytest.mark.parametrize("link", ["file:///etc/passwd", "http://example.org/x.png", "schema.png"])
def test_an_svg_that_loads_another_file_is_an_error(basic, capsys, link):
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           f'<image xlink:href="{link}" width="10" height="10"/></svg>')
    basic.path("content/media/x.svg").write_text(svg, encoding="utf-8")
    run = basic.build_refused(capsys, ARTICLE, "media/schema.png", "media/x.svg")
    assert (f"{ARTICLE}:{IMAGE_LINE}: error: image 'media/x.svg' does not load: it is an SVG that loads another "
            f"file ('{link}', line 1); an SVG in a leaflet must hold all it shows") in run.err


def test_an_svg_with_its_own_fragments_and_embedded_pictures_loads(tmp_path):
    svg = tmp_path / "ok.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><defs><rect id="r" width="5" height="5"/></defs>'
                   '<use href="#r"/><image href="data:image/png;base64,iVBORw0KGgo="/>'
                   '<a href="https://example.org"><text>link</text></a></svg>', encoding="utf-8")
    assert image_problem(svg) is None


def test_a_long_word_with_soft_hyphens_where_it_may_break_is_fine(basic, capsys):
    basic.edit(ARTICLE, "Laatste alinea.", "Laatste " + "&shy;".join(["verantwoordelijkheids"] * 4) + " alinea.")
    run = basic.build(capsys, "check")
    assert run.code == 0, run.err


def test_strict_stops_on_a_layout_warning_before_writing(basic, capsys):
    """--strict stops on warnings: also on those only the layout finds (the basic
    example's picture has 96 ppi, fewer than print needs), and writes none of the leaflet."""
    run = basic.build(capsys, "leaflets", "--lang", "nl", "--strict", "-j1")
    assert run.code == 1 and "Traceback" not in run.err
    assert ("dist/print/nl/proef.pdf: error: page 2: image media/schema.png (40×20 px at 10.6 mm × 5.3 mm) is "
            "96 ppi; print needs 300 (a warning; --strict stops on it) [preflight.image.resolution]"
            ) in run.err.splitlines()
    assert not any("proef" in name for name in basic.outputs())
    assert "leaflets/nl/tweede.pdf" in basic.outputs()
    # made without --strict, the same leaflet is a warning; a strict build after it fails on it, writing nothing
    assert basic.build(capsys, "leaflets", "--lang", "nl", "-j1").code == 0
    before = basic.outputs()
    again = basic.build(capsys, "leaflets", "--lang", "nl", "--strict", "-j1")
    assert again.code == 1 and "build.py: --strict: 1 warning(s) of outputs already in dist/" in again.err
    assert basic.outputs().keys() == before.keys()
