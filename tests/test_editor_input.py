"""What a clinic editor meets in their first week: help-line boxes, unclosed boxes, broken front matter.

Each test builds a copy of a project and asserts on what the reader gets (the
text pdftotext extracts, the visible text of the EPUB chapter) or on the
message the editor is shown.
"""

from __future__ import annotations

import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

HELP = "Hulp en informatie"
ARTICLE = "content/articles/proef.md"


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def chapter_text(epub, chapter: str) -> str:
    """The text of one EPUB chapter as a reader sees it (every element's text; epub.css hides none)."""
    with zipfile.ZipFile(epub) as book:
        root = ElementTree.fromstring(book.read(f"EPUB/{chapter}.xhtml"))
    body = root.find("{http://www.w3.org/1999/xhtml}body")
    return " ".join(" ".join(body.itertext()).split())


# --- help lines: an inline box shows its lines where it stands, the end box the rest ----------

REAL_LINES = ("Drugs Infolijn van het Trimbos-instituut", "113 Zelfmoordpreventie")


def test_real_leaflet_and_chapter_print_every_help_line_once(real_copy, capsys):
    """microdoseren-ketamine names both lines in its front matter and in an inline box."""
    run = real_copy.build(capsys, "all", "--lang", "nl")
    assert run.code == 0, run.err
    leaflet = pdf_text(real_copy.path("dist/leaflets/nl/microdoseren-ketamine.pdf"))
    epub = real_copy.path("dist/booklets/nl/psychedelica-en-ggz.epub")
    for text in (leaflet, chapter_text(epub, "microdoseren-ketamine"), chapter_text(epub, "microdosing-in-therapie")):
        for name in REAL_LINES:
            assert text.count(name) == 1, (name, text.count(name))
        assert text.count(HELP) == 1
    # an article with the end box only: the box's heading once, not a second label inside it
    chapter = chapter_text(epub, "ketamine-en-mdma")
    assert chapter.count(HELP) == 1
    for name in REAL_LINES:
        assert chapter.count(name) == 1


SECOND_LINE = """
tweedelijn:
  name: Tweede hulplijn
  number: 0800-1111
  hours: Werkdagen
  url: https://example.org/tweede
  description: Een tweede lijn
"""


def test_end_box_lists_only_the_lines_not_shown_inline(basic, capsys):
    basic.path("content/helplines.yaml").write_text(
        basic.path("content/helplines.yaml").read_text(encoding="utf-8") + SECOND_LINE, encoding="utf-8")
    basic.edit(ARTICLE, "helplines: [testlijn]", "helplines: [testlijn, tweedelijn]")  # testlijn is inline too

    run = basic.build(capsys, "all", "--lang", "nl")

    assert run.code == 0, run.err
    leaflet = pdf_text(basic.path("dist/leaflets/nl/proef.pdf"))
    chapter = chapter_text(basic.path("dist/booklets/nl/bundel.epub"), "proef")
    for text in (leaflet, chapter):
        assert text.count("Testlijn") == 1 and text.count("Tweede hulplijn") == 1
        assert text.count(HELP) == 2  # the inline box's label and the end box's heading
        # testlijn where the editor placed it (before the last section), the other at the end
        assert text.index("Testlijn") < text.index("Laatste alinea") < text.index("Tweede hulplijn")


@pytest.mark.parametrize("old, new, line", [
    ("::: helpline testlijn\n:::\n", "::: helpline testlijn\n:::\n\n::: helpline testlijn\n:::\n", 53),
    ("::: helpline testlijn", "::: helpline testlijn testlijn", 50),
    ("helplines: [testlijn]", "helplines: [testlijn, testlijn]", 12),
])
def test_a_help_line_named_twice_is_reported(basic, capsys, old, new, line):
    basic.edit(ARTICLE, old, new)
    run = basic.build(capsys, "check")
    assert run.code == 1
    expected = f"{ARTICLE}:{line}: error: help line 'testlijn' is named twice"
    matching = [l for l in run.err.splitlines() if l.startswith(expected) and l.endswith("[helpline.twice]")]
    assert len(matching) == 1, run.err
