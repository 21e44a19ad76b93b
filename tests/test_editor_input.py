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


# --- an unclosed box is reported where it opens, and only there ------------------------------

UNCLOSED = [
    # (old text, new text, line of the opener, the opener as the editor typed it)
    ("- Tweede kernpunt.\n:::\n", "- Tweede kernpunt.\n", 19, "::: keypoints"),
    ("altijd veilig.\n:::\n", "altijd veilig.\n", 28, "::: myth"),
    ("@morgan2012].\n:::\n", "@morgan2012].\n", 31, "::: fact"),
    ("Gebruik nooit zonder arts.\n:::\n", "Gebruik nooit zonder arts.\n", 35, "::: warning"),
    ("Goed om te weten.\n:::\n", "Goed om te weten.\n", 39, "::: note"),
    ("::: helpline testlijn\n:::\n", "::: helpline testlijn\n", 50, "::: helpline"),  # runs to the end
    # a box inside a box with a longer marker: the inner one is unclosed
    ("::: note\nGoed om te weten.\n:::\n", ":::: note\n::: warning\nGoed om te weten.\n::::\n", 40, "::: warning"),
]


def errors_of(run) -> list[str]:
    return [line for line in run.err.splitlines() if ": error: " in line]


@pytest.mark.parametrize("old, new, line, opener", UNCLOSED,
                         ids=["keypoints", "myth", "fact", "warning", "note", "helpline-at-end", "inner-of-nested"])
def test_unclosed_box_is_reported_at_its_opening_line(basic, capsys, old, new, line, opener):
    run = basic.build_refused(capsys, ARTICLE, old, new)
    # the one problem, where the editor has to look; no myth/fact or help-line errors after it
    assert errors_of(run) == [f"{ARTICLE}:{line}: error: box '{opener}' opened here is never closed; "
                              f"add a line '{opener.split()[0]}' after its text [block.unclosed]"], run.err


def test_unclosed_box_in_the_real_leaflet_is_reported_at_its_opening_line(real_copy, capsys):
    """The warning of microdoseren-ketamine, followed by myth/fact pairs, without its ':::'."""
    real_copy.edit("content/articles/microdoseren-ketamine.md",
                   "Dan kan de arts je goed helpen.\n:::\n", "Dan kan de arts je goed helpen.\n")
    run = real_copy.build(capsys, "check")
    assert run.code == 1
    assert errors_of(run) == ["content/articles/microdoseren-ketamine.md:76: error: box '::: warning' opened "
                              "here is never closed; add a line ':::' after its text [block.unclosed]"], run.err


def test_boxes_nested_with_a_longer_marker_are_not_unclosed(basic, capsys):
    basic.edit(ARTICLE, "::: note\nGoed om te weten.\n:::\n",
               ":::: note\nGoed om te weten.\n\n::: warning\nNiet alleen gebruiken.\n:::\n::::\n")
    run = basic.build(capsys, "check")
    assert run.code == 0, run.err


# --- an unclosed quote in the front matter is reported at the line of the quote --------------

QUOTE_CASES = [
    # (old, new, line, field, quote): a later quoted value closes the runaway one ...
    ("title: Een proeffolder", 'title: "Onafgesloten titel', 3, "title", '"'),
    # ... or nothing does and the front matter ends inside the quote
    ('version: "1.0"', 'version: "1.0', 7, "version", '"'),
    ("owner: Testteam", "owner: 'Testteam", 6, "owner", "'"),
]


@pytest.mark.parametrize("old, new, line, field, quote", QUOTE_CASES, ids=["closed-later", "never-closed", "single"])
def test_unclosed_quote_in_front_matter_is_reported_at_its_line(basic, capsys, old, new, line, field, quote):
    run = basic.build_refused(capsys, ARTICLE, old, new)
    assert errors_of(run) == [f"{ARTICLE}:{line}: error: the value of '{field}' opens a quote ({quote}) that is "
                              f"not closed on its line; put the closing {quote} at the end of the value "
                              "[meta.yaml]"], run.err


def test_unclosed_quote_in_a_real_title_is_reported_at_the_title(real_copy, capsys):
    real_copy.edit("content/articles/microdoseren-ketamine.md", 'wat weten we echt?"\n', "wat weten we echt?\n")
    run = real_copy.build(capsys, "check")
    assert run.code == 1
    errors = errors_of(run)
    assert len(errors) == 1 and errors[0].startswith("content/articles/microdoseren-ketamine.md:3: error: "
                                                     "the value of 'title' opens a quote (\")"), run.err
