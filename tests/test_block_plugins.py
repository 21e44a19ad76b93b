"""A kind of ``:::`` box is one entry of the block registry (leafpress/markdown/blocks.py).

The test declares a ``::: steps`` box (numbered steps: what to do when you feel
unwell) as one Block value, adds it to the registry, and builds an article that
uses it: the leaflet's HTML, the PDF's text and its screen-reader view show the
box with its label; the translator gets its label and its texts with their
comments; an unknown kind is still refused with the same message.
"""

from __future__ import annotations

import subprocess

import pytest
from babel.messages.pofile import read_po

from leafpress.build.pipeline import Job, Session, published_languages
from leafpress.formats.leaflet_job import leaflet_html
from leafpress.i18n import tasks as i18n_tasks
from leafpress.markdown import blocks
from leafpress.markdown.blocks import Block
from leafpress.markdown.dialect import parse, render
from leafpress.source.load import load_project
from leafpress.validate.reader_views import screen_reader_view

ARTICLE = "content/articles/proef.md"
LABEL = "Wat kun je doen?"
COMMENT = "Label above a box with numbered steps: what to do, in order, e.g. when you feel unwell."

#: the whole of a new kind of box: its name, its label with the translator's comment, and
#: what a translator is told a text in it is; it renders and reads like the other boxes
STEPS = Block("steps", label=LABEL, label_comment=COMMENT, message_kind="step")

STEPS_BOX = """::: steps
1. Vertel iemand die je vertrouwt hoe je je voelt.
2. Bel je behandelaar.
3. Kun je je behandelaar niet bereiken? Bel de huisarts.
:::

## Een kop"""

STEP_TEXTS = ("Vertel iemand die je vertrouwt hoe je je voelt.", "Bel je behandelaar.",
              "Kun je je behandelaar niet bereiken? Bel de huisarts.")

BUILT_IN = ("keypoints", "myth", "fact", "warning", "note", "helpline")


@pytest.fixture
def with_steps(monkeypatch):
    """The registry with the steps box added: the one entry."""
    monkeypatch.setattr(blocks, "BLOCKS", blocks.BLOCKS.adding(STEPS))


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def leaflet_of(root, article_id: str = "proef", lang: str = "nl") -> str:
    project, found = load_project(root)
    assert project is not None, [d.format() for d in found]
    session = Session(project, published_languages(project))
    return leaflet_html(session, Job("leaflet", lang, article_id, False))


def test_a_steps_box_is_one_entry_and_prints_as_numbered_steps(basic, capsys, with_steps):
    basic.edit(ARTICLE, "## Een kop", STEPS_BOX)
    html = leaflet_of(basic.root)
    assert ('<section class="block steps">\n<p class="block-label">Wat kun je doen?</p>\n<ol>\n'
            '<li>Vertel iemand die je vertrouwt hoe je je voelt.</li>\n<li>Bel je behandelaar.</li>\n') in html
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0, run.err
    pdf = basic.path("dist/leaflets/nl/proef.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert f"{LABEL} 1. {STEP_TEXTS[0]} 2. {STEP_TEXTS[1]} 3. {STEP_TEXTS[2]}" in text
    # a screen reader: the label, then each step as a list item, in order
    view = screen_reader_view(pdf).splitlines()
    start = view.index(f"P [nl]: {LABEL}")
    assert view[start + 1:start + 4] == [f"LI [nl]: {n}. {step}" for n, step in enumerate(STEP_TEXTS, 1)]


def test_without_its_entry_steps_is_an_unknown_kind_with_the_same_message(basic, capsys):
    run = basic.build_refused(capsys, ARTICLE, "## Een kop", STEPS_BOX)
    assert (f"{ARTICLE}:24: error: unknown block kind 'steps'; use one of: "
            "keypoints, myth, fact, warning, note, helpline [block.unknown]") in run.err


def test_an_unknown_kind_lists_the_known_ones_with_the_new_one(basic, capsys, with_steps):
    run = basic.build_refused(capsys, ARTICLE, "## Een kop", STEPS_BOX.replace("::: steps", "::: stappen"))
    assert (f"{ARTICLE}:24: error: unknown block kind 'stappen'; use one of: "
            "keypoints, myth, fact, warning, note, helpline, steps [block.unknown]") in run.err


def test_the_translator_gets_the_label_and_the_steps_with_their_comments(basic, monkeypatch, with_steps):
    basic.edit(ARTICLE, "## Een kop", STEPS_BOX)
    monkeypatch.chdir(basic.root)
    assert i18n_tasks.main(["update"]) == 0
    with open(basic.path("translations/templates/ui.pot"), "rb") as handle:
        ui = read_po(handle)
    assert " ".join(ui[LABEL].auto_comments) == COMMENT  # (the .pot wraps long comments)
    for name in BUILT_IN:  # the labels that were in labels.html: the same msgids, comments and file
        block = blocks.BLOCKS.get(name)
        assert block is not None and block.label_comment in " ".join(ui[block.label].auto_comments)
        assert ("templates/labels.html", 2) in ui[block.label].locations
    with open(basic.path("translations/templates/proef.pot"), "rb") as handle:
        article = read_po(handle)
    assert [article[step].auto_comments for step in STEP_TEXTS] == [["step (list item)"]] * 3
    # English has the steps to translate, and the rest of its catalog as it was
    with open(basic.path("translations/en/LC_MESSAGES/ui.po"), "rb") as handle:
        english = read_po(handle)
    assert english[LABEL].string == "" and english["Mythe"].string == "Myth"


def test_every_kind_has_a_label_a_translator_comment_and_a_rendering(with_steps):
    for block in blocks.BLOCKS.kinds:
        assert block.label.strip() and block.label_comment.strip(), block.name
        arguments = " testlijn" if block.name == "helpline" else ""
        body = "" if block.name == "helpline" else "Een zin in het blok.\n"
        env = {"labels": {block.name: f"<{block.label}>"}, "helplines": {}}
        html = render(parse(f"::: {block.name}{arguments}\n{body}:::\n", {}), env)
        # the label, translated (here marked with <>) and escaped, above the box's text
        assert f'<p class="block-label">&lt;{block.label}&gt;</p>' in html, block.name
        assert html.startswith(("<section class=\"block", "<div class=\"myth-fact\">\n<section")), html
        assert html.count("<section") == html.count("</section>"), (block.name, html)
        if body:
            assert "<p>Een zin in het blok.</p>" in html


def test_the_built_in_kinds_are_the_ones_editors_know():
    assert blocks.BLOCKS.names == BUILT_IN
    with pytest.raises(ValueError, match="declared twice: note"):
        blocks.BLOCKS.adding(Block("note", label="Nog een", label_comment="x"))
