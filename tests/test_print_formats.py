"""Page formats, from the article to the paper: what `make check` expects of an A4 article,
the brochure an A4 article gets, and where a brochure's blank pages go."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOTS, Project, copy_project
from leafpress.formats.paper import MM
from leafpress.formats.print.impose import impose_saddle_stitch
from leafpress.validate import check as validate
from leafpress.validate.ace import ACE_ENV

ROOT = ROOTS / "brochure"
LONG = "microdoseren-ketamine"  # nine A5 pages of text, the reference list from page 8 onto 9; then the back cover
A4 = "microdoseren-ketamine-a4"  # the same text, with `format: A4`


def with_a4_copy(project: Project) -> Project:
    """The project with a second article: the long one again, as ``A4``, at A4."""
    text = project.path(f"content/articles/{LONG}.md").read_text(encoding="utf-8")
    assert f"id: {LONG}\n" in text
    text = text.replace(f"id: {LONG}\n", f"id: {A4}\nformat: A4\n", 1)
    project.path(f"content/articles/{A4}.md").write_text(text, encoding="utf-8")
    return project


@pytest.fixture
def long_leaflet(tmp_path) -> Project:
    return copy_project(ROOT, tmp_path / "brochure")


@pytest.fixture
def no_ace(monkeypatch):
    monkeypatch.delenv(ACE_ENV, raising=False)  # no EPUBs are built, so Ace is not needed


def findings(out: str) -> list[str]:
    return out.strip().splitlines()[:-1]


def test_an_a4_article_passes_make_check_and_a_wrong_size_still_fails(long_leaflet, capsys, no_ace):
    """`format: A4` in the front matter: its screen and print PDF are checked as A4, the other article's as A5."""
    project = with_a4_copy(long_leaflet)
    assert project.build(capsys, "leaflets").code == 0
    dist = project.path("dist")
    assert validate.main([str(dist)]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert findings(out) == [] and out.strip().endswith(": no findings")
    assert "pages: 4 file(s), 0 finding(s); preflight: 2 file(s), 0 finding(s)" in out  # and two brochures

    leaflets, printed = dist / "leaflets/nl", dist / "print/nl"
    shutil.copyfile(leaflets / f"{LONG}.pdf", leaflets / "a5.pdf.tmp")
    shutil.copyfile(leaflets / f"{A4}.pdf", leaflets / f"{LONG}.pdf")  # A4 pages where A5 belongs
    (leaflets / "a5.pdf.tmp").rename(leaflets / f"{A4}.pdf")          # and A5 pages where A4 belongs
    shutil.copyfile(printed / f"{LONG}.pdf", printed / f"{A4}.pdf")    # an A5 print PDF for the A4 article
    a5_pages, a4_pages = page_count(leaflets / f"{A4}.pdf"), page_count(leaflets / f"{LONG}.pdf")
    assert validate.main([str(dist)]) == 1
    lines = findings(capsys.readouterr().out)
    assert lines == [
        f"{leaflets / f'{A4}.pdf'}: error: page 1 and {a5_pages - 1} more: the page is 148 × 210 mm, "
        f"expected A4, 210 × 297 mm (the format of article '{A4}') [pages.size]",
        f"{leaflets / f'{LONG}.pdf'}: error: page 1 and {a4_pages - 1} more: the page is 210 × 297 mm, "
        f"expected A5, 148 × 210 mm (the format of article '{LONG}') [pages.size]",
        *(f"{printed / f'{A4}.pdf'}: error: page {page}: TrimBox is 148.0 mm × 210.0 mm, "
          "expected 210 × 297 mm [preflight.box.trim]" for page in range(1, a5_pages + 1)),
    ]


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_outputs_of_no_known_article_are_not_assumed_a5(basic_built, tmp_path, capsys, no_ace):
    """Without the project, or without the article, the size cannot be told: a finding, not a guess."""
    dist = tmp_path / "dist"
    (dist / "print/nl").mkdir(parents=True)
    shutil.copyfile(basic_built.path("dist/print/nl/tweede.pdf"), dist / "print/nl/tweede.pdf")
    assert validate.main([str(dist)]) == 1
    assert findings(capsys.readouterr().out) == [
        f"{dist / 'print/nl/tweede.pdf'}: error: cannot tell its page size: no project at {tmp_path} "
        "(with content/site.yaml); name its folder with --root [validate.format]"]
    assert validate.main([str(dist), "--root", str(basic_built.root)]) == 0
    assert capsys.readouterr().out.strip().endswith(": no findings")
    shutil.copyfile(dist / "print/nl/tweede.pdf", dist / "print/nl/weg.pdf")
    assert validate.main([str(dist), "--root", str(basic_built.root)]) == 1
    assert findings(capsys.readouterr().out) == [
        f"{dist / 'print/nl/weg.pdf'}: error: cannot tell its page size: the project has no article 'weg'; "
        "build again, which removes what deleted articles left [validate.format]"]


def word_boxes(path: Path, page: int) -> dict[str, tuple[float, float]]:
    """Width and height (pt) of each word on one page of ``path`` (the first box of each word)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    found: dict[str, tuple[float, float]] = {}
    for x0, y0, x1, y1, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                           r"([^<]+)</word>", xhtml):
        found.setdefault(word, (float(x1) - float(x0), float(y1) - float(y0)))
    return found


def sheet_sizes_mm(path: Path) -> set[tuple[int, int]]:
    with pikepdf.open(path) as pdf:
        return {(round(float(p.mediabox[2] - p.mediabox[0]) / MM), round(float(p.mediabox[3] - p.mediabox[1]) / MM))
                for p in pdf.pages}


def test_the_brochure_of_an_a4_article_is_folded_from_a4_at_the_same_type_size(long_leaflet, capsys, no_ace):
    """An A4 article: A4 screen and print PDF, and a brochure laid out again at A5, on A4 sheets, type unchanged."""
    project = with_a4_copy(long_leaflet)
    assert project.build(capsys, "leaflets").code == 0
    dist = project.path("dist")
    screen, brochure = dist / f"leaflets/nl/{A4}.pdf", dist / f"brochures/nl/{A4}.pdf"
    assert sheet_sizes_mm(screen) == {(210, 297)}
    assert sheet_sizes_mm(brochure) == {(297, 210)}  # A4 landscape, as every brochure
    assert sheet_sizes_mm(dist / f"brochures/nl/{LONG}.pdf") == {(297, 210)}
    with pikepdf.open(dist / f"leaflets/nl/{LONG}.pdf") as a5, pikepdf.open(brochure) as sheets:
        assert len(sheets.pages) == 2 * -(-len(a5.pages) // 4)  # as many pages as the A5 layout has

    # the same type size: the front cover's words as big on the A5 page as on the A4 screen page
    on_screen, on_paper = word_boxes(screen, 1), word_boxes(brochure, 1)
    shared = [w for w in ("Microdoseren", "ketamine:", "weten", "echt?", "Voorbeeldkliniek") if w in on_screen]
    assert len(shared) >= 3, on_screen
    for word in shared:
        assert on_paper[word] == pytest.approx(on_screen[word], abs=0.2), word

    assert validate.main([str(dist)]) == 0, capsys.readouterr().out
    assert "pages: 4 file(s), 0 finding(s)" in capsys.readouterr().out  # two leaflets, two brochures

    impose_saddle_stitch(screen, brochure, sheet="A3")  # the brochure as it was: A4 pages on A3 sheets
    assert validate.main([str(dist)]) == 1
    assert findings(capsys.readouterr().out) == [
        f"{brochure}: error: page 1 and 3 more: the paper is 420 × 297 mm, expected A4, 297 × 210 mm landscape "
        "[pages.brochure]",
        f"{brochure}: error: page 1 and 3 more: a leaflet page on it is 210 × 297 mm, expected A5, 148 × 210 mm "
        "[pages.brochure]"]


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def brochure_in_reading_order(path: Path) -> list[str]:
    """The text of each half sheet of a left-to-right brochure, in the order the folded brochure is read.

    Worked out here, not taken from leafpress.formats.print.impose: with ``n`` reading positions, sheet ``s``
    (from 0) carries ``n - 2s`` and ``2s + 1`` on its front, ``2s + 2`` and ``n - 2s - 1`` on its back.
    """
    with pikepdf.open(path) as pdf:
        sides = len(pdf.pages)
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    positions = 2 * sides
    found: dict[int, str] = {}
    for side in range(sides):
        sheet = side // 2
        left, right = ((positions - 2 * sheet, 2 * sheet + 1) if side % 2 == 0
                       else (2 * sheet + 2, positions - 2 * sheet - 1))
        for position, x in ((left, 0), (right, width / 2)):
            found[position] = subprocess.run(
                ["pdftotext", "-layout", "-f", str(side + 1), "-l", str(side + 1), "-r", "72", "-x", str(round(x)),
                 "-y", "0", "-W", str(round(width / 2)), "-H", str(round(height)), str(path), "-"],
                capture_output=True, text=True, check=True).stdout.replace("\f", "")
    assert sorted(found) == list(range(1, positions + 1))
    return [found[position] for position in sorted(found)]


def kind(text: str) -> str:
    words = text.split()
    return "blank" if not words else "back cover" if words[:3] == ["Over", "deze", "folder"] else "text"


def test_a_brochure_has_its_blank_pages_before_the_back_cover_never_in_the_text(long_leaflet, capsys):
    """Nine A5 pages of text (nine pages in all before the back cover had a page of its own): the brochure reads
    the text pages in order, then blank pages, then the back cover; no blank page interrupts the reference list."""
    assert long_leaflet.build(capsys, "leaflets").code == 0
    screen = page_texts(long_leaflet.path(f"dist/leaflets/nl/{LONG}.pdf"))
    read = brochure_in_reading_order(long_leaflet.path(f"dist/brochures/nl/{LONG}.pdf"))
    assert len(read) > len(screen) >= 9  # a brochure with blank pages in it
    kinds = [kind(text) for text in read]
    text_pages = kinds.count("text")
    assert kinds == ["text"] * text_pages + ["blank"] * (len(read) - text_pages - 1) + ["back cover"], kinds
    assert text_pages == len(screen) - 1
    for number, (paper, page) in enumerate(zip(read[:text_pages] + read[-1:], screen), start=1):
        assert paper.split() == page.split(), number  # every page whole, in its place

    back = screen[-1]  # the back cover holds the colophon and nothing of the text before it
    assert "Geen medisch advies" not in back and "https://doi.org" not in back and "Bronnen" not in back
    assert "Geen medisch advies" in screen[-2]
    assert all(word in back for word in ("Uitgegeven door", "Volgende controle", "De nieuwste versie"))
