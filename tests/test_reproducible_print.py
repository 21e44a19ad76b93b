"""What the print shop gets: black text on the black plate alone, overprinting; and the
same files from the same sources, wherever and whenever they are built.

The print PDF is read as a RIP reads it: content-stream operators, with the
fill colour and the overprint settings of the graphics state in force at
every text-showing operator. Body text (the ``--text`` colour of
templates/theme.css on screen) must be ``0 0 0 1 k`` under an ExtGState
with ``/OP true /op true /OPM 1``; the screen PDF keeps its RGB colours.

Two clean builds of one project, in two folders, must give byte-identical
outputs (the bookkeeping files ``dist/.leafpress-*`` record file times and
are not outputs); ``SOURCE_DATE_EPOCH`` sets the file times inside an EPUB.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import ROOTS, copy_project
from leafpress.cli import main
from leafpress.formats.print.pdfx.colour_conversion import ColourConverter
from leafpress.formats.print.pdfx.content import convert_content
from leafpress.formats.print.pdfx.content_fast import convert_content_fast
from leafpress.formats.print.pdfx.spec import DEFAULT_ICC_PROFILE
from leafpress.formats.print.preflight import preflight
from leafpress.source.contrast import read_theme, resolve

REPO = Path(__file__).resolve().parent.parent
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
BLACK = (0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True)
class Shown:
    """One text-showing operator and the graphics state it paints with."""

    page: int
    text: bytes  # its operands, as written
    fill: tuple[str, tuple[float, ...]]  # the operator that set the fill colour, and its values
    overprint: tuple[bool, bool, int]  # /OP, /op, /OPM


def shown_text(path: Path) -> list[Shown]:
    """Every text-showing operator of every page (forms included), in content order."""
    found: list[Shown] = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            _walk(page.obj, page.obj.get("/Resources"), number, initial_state(), found)
    return found


def initial_state() -> dict:
    return {"fill": ("g", (0.0,)), "overprint": (False, False, 0)}


def _walk(owner, resources, page: int, state: dict, found: list[Shown], painting=SHOW_TEXT) -> None:
    """What each operator in ``painting`` paints with, in ``found``."""
    saved: list[dict] = []
    for item in pikepdf.parse_content_stream(owner):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            continue
        operator, operands = str(item.operator), item.operands
        if operator == "q":
            saved.append(dict(state))
        elif operator == "Q":
            state.update(saved.pop())
        elif operator in ("g", "rg", "k", "sc", "scn") and not any(isinstance(v, pikepdf.Name) for v in operands):
            state["fill"] = (operator, tuple(round(float(v), 4) for v in operands))
        elif operator == "gs":
            gs = resources.ExtGState[operands[0]]
            op = bool(gs.get("/OP", state["overprint"][0]))
            state["overprint"] = (op, bool(gs.get("/op", op)), int(gs.get("/OPM", state["overprint"][2])))
        elif operator == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.get("/Subtype") == pikepdf.Name.Form:
                _walk(xobject, xobject.get("/Resources", resources), page, dict(state), found, painting)
        if operator in painting:
            found.append(Shown(page, pikepdf.unparse_content_stream([item]), state["fill"], state["overprint"]))


def theme_colour(name: str) -> tuple[float, float, float]:
    r, g, b, _ = resolve(name, read_theme((REPO / "templates" / "theme.css").read_text(encoding="utf-8")))
    return (round(r / 255, 4), round(g / 255, 4), round(b / 255, 4))


@pytest.fixture(scope="module")
def leaflet(basic_built) -> tuple[list[Shown], list[Shown], Path]:
    """The text of the built screen and print PDF of the basic example's fullest leaflet."""
    screen = basic_built.path("dist/leaflets/nl/proef.pdf")
    printed = basic_built.path("dist/print/nl/proef.pdf")
    return shown_text(screen), shown_text(printed), printed


# --- row 15: black text is 100 % K and overprints ------------------------------------------


def test_body_text_prints_100_percent_black_overprinting(leaflet):
    screen, printed, _ = leaflet
    body_colour = theme_colour("text")
    assert body_colour == (0.102, 0.102, 0.102)  # #1a1a1a: a 90 % grey, were it converted as it is
    # the print PDF shows the same text, operator for operator, as the screen PDF
    assert [(s.page, s.text) for s in screen] == [(p.page, p.text) for p in printed]
    body = [i for i, s in enumerate(screen) if s.fill == ("rg", body_colour)]
    assert len(body) > len(screen) / 2  # most of the words are body text
    for i in body:
        assert printed[i].fill == ("k", BLACK), (printed[i].text, printed[i].fill)
        assert printed[i].overprint == (True, True, 1), printed[i].text
    # coloured and white text (headings, links, labels) knocks out, as before
    others = [p for i, p in enumerate(printed) if i not in set(body)]
    assert others and all(p.fill != ("k", BLACK) and p.overprint == (False, False, 0) for p in others)


def converted(content: bytes, fast: bool) -> list[Shown]:
    """``content`` through the colour pass (the fast way or pikepdf's): what its text and
    its areas (``f``) are painted with."""
    converter = ColourConverter.for_profile(DEFAULT_ICC_PROFILE.read_bytes())
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page()
        page.obj.Contents = pdf.make_stream(content)
        resources = page.obj.Resources
        data = (convert_content_fast(content, resources, converter, set()) if fast
                else convert_content(page.obj, resources, converter, False, set()))
        assert data is not None
        page.obj.Contents = pdf.make_stream(data)
        found: list[Shown] = []
        _walk(page.obj, resources, 1, initial_state(), found, SHOW_TEXT | {"f"})
        return found


GREY_TEXT = b"0.101961 0.101961 0.101961 rg\n"  # #1a1a1a, the theme's --text
TEXT = b"BT\n/F1 10 Tf\n[<01>] TJ\nET\n"
AREA = b"0 0 10 10 re\nf\n"


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pikepdf"])
def test_the_same_grey_as_an_area_or_a_rule_keeps_its_value_and_knocks_out(fast):
    painted = converted(GREY_TEXT + AREA + TEXT + AREA, fast)
    area, text, area_after = ((p.fill, p.overprint) for p in painted)
    assert area == area_after == (("k", (0.0, 0.0, 0.0, 0.898)), (False, False, 0))
    assert text == (("k", BLACK), (True, True, 1))


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pikepdf"])
def test_rich_black_and_coloured_text_are_left_alone(fast):
    for colour in (b"0.04 0.04 0.12 rg\n", b"0.3 0.3 0.3 rg\n", b"0.043137 0.290196 0.435294 rg\n"):
        (text,) = converted(colour + TEXT, fast)
        assert text.fill != ("k", BLACK) and text.overprint == (False, False, 0), colour


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "pikepdf"])
def test_a_colour_change_inside_black_text_ends_the_overprint(fast):
    black, blue, black_again = converted(
        GREY_TEXT + b"BT\n/F1 10 Tf\n[<01>] TJ\n0 0 1 rg\n[<02>] TJ\n0 0 0 rg\n[<03>] TJ\nET\n", fast)
    assert (black.fill, black.overprint) == (("k", BLACK), (True, True, 1))
    assert blue.fill[1][0] > 0.5 and blue.overprint == (False, False, 0)
    assert (black_again.fill, black_again.overprint) == (("k", BLACK), (True, True, 1))


def test_screen_pdf_keeps_its_colours(leaflet):
    screen, _, _ = leaflet
    fills = {s.fill for s in screen}
    assert ("rg", theme_colour("text")) in fills and ("rg", theme_colour("heading")) in fills
    assert all(operator == "rg" for operator, _ in fills)  # RGB, as the theme says
    assert all(s.overprint == (False, False, 0) for s in screen)


def test_preflight_reports_black_text_that_is_not_100_k_overprinting(leaflet, tmp_path):
    _, _, printed = leaflet
    assert [f for f in preflight(printed) if f.level == "error"] == []
    with pikepdf.open(printed) as pdf:  # the black text as it was: 90 % K, knocking out
        for page in pdf.pages:
            operations = [([0, 0, 0, Decimal("0.898")], item.operator)
                          if str(item.operator) == "k" and [float(v) for v in item.operands] == [0, 0, 0, 1]
                          else item for item in pikepdf.parse_content_stream(page)]
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
            for gs in page.obj.Resources.get("/ExtGState", {}).values():
                if "/OP" in gs:
                    gs.OP = gs.op = False
        pdf.save(tmp_path / "old.pdf")
    codes = {(f.code, f.page) for f in preflight(tmp_path / "old.pdf")}
    assert ("preflight.text.black", 1) in codes, codes
    message = next(f.message for f in preflight(tmp_path / "old.pdf") if f.code == "preflight.text.black")
    assert "0 0 0 0.898 k" in message and "overprint" in message


OVERPRINTING = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=1)


@pytest.mark.parametrize("content, form, found", [
    (b"0 0 0 0.9 k BT (a) Tj ET", None, "black text is 0 0 0 0.9 k (90 % K), not 0 0 0 1 k, and does not"),
    (b"0.1 g BT (a) Tj ET", None, "black text is 0.1 g (90 % K)"),
    (b"0 0 0 1 k BT (a) Tj ET", None, "black text does not overprint"),
    (b"BT (a) Tj ET", None, "black text does not overprint"),  # the initial black: 100 % K, knocking out
    (b"0 0 0 0.9 k /Fm Do", b"BT (a) Tj ET", "black text is 0 0 0 0.9 k"),  # a form paints in its caller's colour
    (b"q /Op gs 0 0 0 1 k BT (a) Tj ET Q", None, None),
    (b"/Op gs q 0 0 0 1 k Q BT 0 0 0 1 k (a) Tj ET", None, None),
    (b"0 0 0 0.7 k BT (a) Tj ET 0 0 0 0.9 k 0 0 5 5 re f", None, None),  # a grey, and a grey area: no text
    (b"0.5 0 0 0.9 k BT (a) Tj ET", None, None),  # a rich black is not the print pass's black text
    (b"0 0 0 0.9 k BT 3 Tr (a) Tj ET", None, None),  # invisible
    (b"q 0 0 0 0.9 k Q 1 0 0 0 k BT (a) Tj ET", None, None),
])
def test_preflight_black_text_rule(content, form, found):
    from leafpress.formats.print.preflight.black_text import black_text_findings
    from leafpress.formats.print.preflight.content import operations

    with pikepdf.new() as pdf:
        page = pdf.add_blank_page()
        page.obj.Contents = pdf.make_stream(content)
        page.obj.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(Op=OVERPRINTING))
        if form is not None:
            page.obj.Resources.XObject = pikepdf.Dictionary(Fm=pdf.make_stream(
                form, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10]))
        messages = [f.message for f in black_text_findings(operations(pdf))]
    if found is None:
        assert messages == []
    else:
        assert len(messages) == 1 and messages[0].startswith(found), messages


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_rendered_body_text_is_solid_black_ink_over_the_colour_under_it(leaflet, tmp_path):
    """pdftoppm's CMYK rendering of page 1 with overprint on, as a RIP makes the plates:
    the letters are 100 % K; on white paper they have no C, M or Y, on a tinted box the
    box's tint stays under them (overprint) instead of a hole cut for the letters."""
    _, _, printed = leaflet
    dpi = 150
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-jpegcmyk", "-overprint",
                    str(printed), str(tmp_path / "page")], check=True)
    with pikepdf.open(printed) as pdf:
        media, trim = (tuple(float(v) for v in pdf.pages[0].obj[key]) for key in ("/MediaBox", "/TrimBox"))
    scale = dpi / 72
    crop = (round((trim[0] - media[0]) * scale), round((media[3] - trim[3]) * scale),
            round((trim[2] - media[0]) * scale), round((media[3] - trim[1]) * scale))
    image = Image.open(next(tmp_path.glob("page*.jpg"))).crop(crop)  # the trimmed page, no marks
    assert image.mode == "CMYK"
    histogram = image.getchannel("K").histogram()
    inked = max(range(128, 256), key=histogram.__getitem__)  # the K of most letter pixels
    assert inked >= 250, inked  # 100 % K (a JPEG, so give or take a little); not 90 % (229)
    solid = [(c, m, y) for c, m, y, k in zip(*(channel.tobytes() for channel in image.split())) if k >= 250]
    assert len(solid) > 3000
    assert max(max(p) for p in solid) < 40  # no rich black: at most a box's light tint under the ink
    assert sum(max(p) < 8 for p in solid) > len(solid) / 4  # on white paper: black ink alone
    assert sum(p[0] >= 8 for p in solid) > len(solid) / 10  # on the light blue boxes: their cyan stays


# --- row 16: the same sources give the same bytes ------------------------------------------


def outputs(root: Path) -> dict[str, bytes]:
    """Every output in ``root``/dist, by path; not the build's own bookkeeping (``.leafpress-*``)."""
    dist = root / "dist"
    return {str(p.relative_to(dist)): p.read_bytes() for p in sorted(dist.rglob("*"))
            if p.is_file() and not p.name.startswith(".leafpress-")}


def clean_build(source: Path, target: Path) -> dict[str, bytes]:
    project = copy_project(source, target)
    assert main(["all", "--root", str(project.root), "-j", "1"]) == 0
    return outputs(project.root)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The basic example (an image, a booklet, two languages) built in two folders of
    different names and depths, a few seconds apart."""
    first = clean_build(ROOTS / "basic", tmp_path_factory.mktemp("one") / "basic")
    second = clean_build(ROOTS / "basic", tmp_path_factory.mktemp("two") / "deeper" / "folder" / "clinic")
    return first, second


def test_two_clean_builds_in_two_folders_are_byte_identical(two_builds):
    first, second = two_builds
    kinds = {name.split("/")[0] for name in first}
    assert kinds == {"leaflets", "print", "brochures", "booklets"}, kinds
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_pdf_identifiers_come_from_the_content(two_builds):
    first, _ = two_builds
    identifiers, documents = set(), set()
    for name in ("print/nl/proef.pdf", "print/en/proef.pdf", "print/nl/tweede.pdf", "brochures/nl/proef.pdf"):
        with pikepdf.open(io.BytesIO(first[name])) as pdf:
            identifiers.add(bytes(pdf.trailer.ID[0]))
            if name.startswith("print/"):
                documents.add(pdf.open_metadata()["xmpMM:DocumentID"])
    assert len(identifiers) == 4  # one per file, not one for all
    assert len(documents) == 3  # each print PDF is a document of its own in XMP too


def test_pdf_dates_are_the_article_dates(two_builds):
    first, _ = two_builds
    for name in ("leaflets/nl/proef.pdf", "print/nl/proef.pdf"):
        with pikepdf.open(io.BytesIO(first[name])) as pdf:
            # published: 2026-01-05, reviewed: 2026-06-01 in tests/roots/basic/content/articles/proef.md
            assert (str(pdf.docinfo.CreationDate), str(pdf.docinfo.ModDate)) == ("D:20260105", "D:20260601")


def zip_times(data: bytes) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {info.date_time for info in book.infolist()}


def opf_modified(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        opf = book.read("EPUB/content.opf").decode()
    return opf.split('property="dcterms:modified">')[1].split("<")[0]


def test_epub_files_carry_the_booklets_date_not_the_clock(two_builds):
    first, _ = two_builds
    book = first["booklets/nl/bundel.epub"]
    assert zip_times(book) == {(2026, 6, 1, 0, 0, 0)}  # the latest 'reviewed' of its articles
    assert opf_modified(book) == "2026-06-01T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(book)) as zipped:
        names = zipped.namelist()
        assert names[:3] == ["mimetype", "META-INF/container.xml", "EPUB/content.opf"]
        assert zipped.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


def test_source_date_epoch_sets_the_epub_file_times(tmp_path, monkeypatch):
    moment = dt.datetime(2027, 3, 4, 5, 6, 8, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    first = clean_build(ROOTS / "basic", tmp_path / "one" / "basic")
    second = clean_build(ROOTS / "basic", tmp_path / "two" / "basic")
    assert [name for name in first if first[name] != second.get(name)] == []
    for name in ("booklets/nl/bundel.epub", "booklets/en/bundel.epub"):
        assert zip_times(first[name]) == {(2027, 3, 4, 5, 6, 8)}
        assert opf_modified(first[name]) == "2026-06-01T00:00:00Z"  # the content's date stays
    with pikepdf.open(io.BytesIO(first["print/nl/proef.pdf"])) as pdf:  # so do the PDFs' dates
        assert str(pdf.docinfo.ModDate) == "D:20260601"


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_an_error(basic, capsys, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = basic.build(capsys, "all")
    assert run.code == 1
    assert f"build.py: error: SOURCE_DATE_EPOCH is {value!r}" in run.err
    assert "Traceback" not in run.err
    assert not (basic.root / "dist" / "booklets").exists()


def test_a_changed_source_date_epoch_makes_the_booklets_again(basic, capsys, monkeypatch):
    assert basic.build(capsys, "booklets").code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    run = basic.build(capsys, "booklets")
    assert run.code == 0 and "nothing to do" not in run.out
    assert zip_times(basic.path("dist/booklets/nl/bundel.epub").read_bytes()) == {
        dt.datetime.fromtimestamp(1800000000, dt.UTC).timetuple()[:6]}


def image_names(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sorted(str(name) for page in pdf.pages for name in page.Resources.get("/XObject", {}).keys())


def test_gap_weasyprint_names_an_image_after_the_path_it_was_loaded_from(tmp_path):
    """WeasyPrint 70 calls a picture ``/i<md5 of its URL>``: the project's folder ends up in
    the PDF. Our layout names it after its content (:mod:`leafpress.upstream.image_names`)."""
    import weasyprint

    from leafpress.formats.pdf.leaflet import make_engine, render_document

    names = {}
    for folder in ("one", "two"):
        content = tmp_path / folder / "content"
        (content / "media").mkdir(parents=True)
        shutil.copy(ROOTS / "basic" / "content" / "media" / "schema.png", content / "media" / "schema.png")
        html = "<html lang=nl><body><img src='media/schema.png' alt='Schema'></body></html>"
        plain = weasyprint.HTML(string=html, base_url=str(content) + "/").write_pdf()
        ours = render_document(make_engine(content, REPO / "templates"), html).write_pdf()
        names[folder] = [image_names(data) for data in (plain, ours)]
    assert names["one"][0] != names["two"][0]  # the gap: a name from the path
    assert names["one"][1] == names["two"][1]  # closed: a name from the picture
