"""``{{organisation}}`` in an article is site.yaml's organisation in every output (issue 19).

What a reader gets: the name in the PDF text (poppler, the copy/search view) and in
the e-reader's text of the EPUB, in Dutch and in the translation; another name in
site.yaml, another name in the outputs. What an editor or translator gets: a
placeholder that is not known, or a translation that drops one, is an error at its
line.
"""

from __future__ import annotations

import re
import zipfile

from leafpress.validate.reader_views import copy_view_poppler, ereader_view

PROEF = "content/articles/proef.md"
PO = "translations/en/LC_MESSAGES/proef.po"
SOURCE = "Laatste alinea van {{organisation}}."
TRANSLATION = "Last paragraph from {{organisation}}."


def with_placeholder(project, translation: str = TRANSLATION) -> None:
    """The last paragraph of the basic leaflet names the organisation, in Dutch and in English."""
    project.edit(PROEF, "Laatste alinea.", SOURCE)
    project.edit(PO, 'msgid "Laatste alinea."\nmsgstr "Last paragraph."',
                 f'msgid "{SOURCE}"\nmsgstr "{translation}"')


def po_line(project, msgid: str) -> int:
    lines = project.path(PO).read_text(encoding="utf-8").split("\n")
    return next(number for number, text in enumerate(lines, 1) if text == f'msgid "{msgid}"')


def pdf_text(project, lang: str) -> str:
    return " ".join("\n".join(copy_view_poppler(project.path(f"dist/leaflets/{lang}/proef.pdf"))).split())


def epub_text(project, lang: str) -> str:
    return ereader_view(project.path(f"dist/booklets/{lang}/bundel.epub"))


def build_outputs(project, capsys) -> None:
    for command in ("leaflets", "booklets"):
        run = project.build(capsys, command)
        assert run.code == 0, run.err
        # the basic root's picture is too coarse for print (a warning of its own); nothing else
        others = [line for line in run.err.splitlines() if line and "[preflight.image.resolution]" not in line]
        assert not others, run.err


def test_the_pdf_and_the_epub_print_the_organisation_of_site_yaml(basic, capsys):
    with_placeholder(basic)
    build_outputs(basic, capsys)
    assert "Laatste alinea van Testkliniek." in pdf_text(basic, "nl")
    assert "Last paragraph from Testkliniek." in pdf_text(basic, "en")
    assert "Laatste alinea van Testkliniek." in epub_text(basic, "nl").split("\n")
    assert "Last paragraph from Testkliniek." in epub_text(basic, "en").split("\n")
    for lang in ("nl", "en"):
        assert "{{" not in pdf_text(basic, lang) and "organisation" not in pdf_text(basic, lang)
        assert "{{" not in epub_text(basic, lang)


def test_another_organisation_in_site_yaml_is_another_name_in_every_output(basic, capsys):
    with_placeholder(basic)
    build_outputs(basic, capsys)  # yesterday's outputs: the next build must not keep them
    basic.edit("content/site.yaml", "organisation: Testkliniek", "organisation: GGZ Zuid & Co <Oost>")
    build_outputs(basic, capsys)
    for lang, sentence in (("nl", "Laatste alinea van GGZ Zuid & Co <Oost>."),
                           ("en", "Last paragraph from GGZ Zuid & Co <Oost>.")):
        assert sentence in pdf_text(basic, lang)
        assert sentence in epub_text(basic, lang).split("\n")
        assert "Testkliniek" not in pdf_text(basic, lang)


def test_the_organisation_in_an_english_sentence_is_marked_as_written_in_dutch(basic, capsys):
    with_placeholder(basic)
    build_outputs(basic, capsys)
    with zipfile.ZipFile(basic.path("dist/booklets/en/bundel.epub")) as book:
        chapters = [book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml")]
    assert any('from <span lang="nl">Testkliniek</span>.' in chapter for chapter in chapters)


def test_a_translation_that_drops_the_placeholder_is_an_error_at_its_po_line(basic, capsys):
    with_placeholder(basic, translation="Last paragraph from our clinic.")
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert (f"{PO}:{po_line(basic, SOURCE)}: error: translation has other placeholders than the source "
            "(missing {{organisation}}); copy them unchanged from the Dutch text [i18n.inconsistent]") in run.err
    assert "Traceback" not in run.err


def test_a_translation_that_alters_the_placeholder_is_an_error_at_its_po_line(basic, capsys):
    with_placeholder(basic, translation="Last paragraph from {{organization}}.")
    run = basic.build(capsys, "check")
    assert run.code == 1
    line = po_line(basic, SOURCE)
    assert f"{PO}:{line}: error: unknown placeholder '{{{{organization}}}}'" in run.err
    assert "[text.placeholder]" in run.err
    assert re.search(rf"{re.escape(PO)}:{line}: error: translation has other placeholders .*"
                     r"missing \{\{organisation\}\}; unexpected \{\{organization\}\}", run.err)


def test_an_unknown_placeholder_in_an_article_is_an_error_at_its_line(basic, capsys):
    basic.edit(PROEF, "Laatste alinea.", "Laatste alinea van {{kliniek}}.")
    line = basic.path(PROEF).read_text(encoding="utf-8").split("\n").index("Laatste alinea van {{kliniek}}.") + 1
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert (f"{PROEF}:{line}: error: unknown placeholder '{{{{kliniek}}}}'; write {{{{organisation}}}} "
            "(site.yaml's organisation), or \\{{ for two braces as text [text.placeholder]") in run.err
    assert "Traceback" not in run.err


def test_braces_in_code_or_escaped_stay_text_and_attributes_still_work(basic, capsys):
    basic.edit(PROEF, "Laatste alinea.",
               "Laatste alinea: `{{organisation}}` en \\{{organisation}} en [{{organisation}}]{lang=nl}.")
    basic.edit(PO, 'msgid "Laatste alinea."\nmsgstr "Last paragraph."',
               'msgid "Laatste alinea: `{{organisation}}` en \\\\{{organisation}} en [{{organisation}}]{lang=nl}."\n'
               'msgstr "Last paragraph: `{{organisation}}` and \\\\{{organisation}} and [{{organisation}}]{lang=nl}."')
    build_outputs(basic, capsys)
    assert ("Laatste alinea: {{organisation}} en {{organisation}} en Testkliniek."
            in pdf_text(basic, "nl"))
    assert "Last paragraph: {{organisation}} and {{organisation}} and Testkliniek." in pdf_text(basic, "en")


def test_readability_reads_the_placeholder_as_a_name(basic, capsys):
    basic.edit(PROEF, "Laatste alinea.", "Laatste alinea van {{organisation}}.")
    run = basic.build(capsys, "readability")
    assert "organisation" not in run.out + run.err
    assert "{{" not in run.out + run.err


def test_a_placeholder_in_the_front_matter_is_an_error_at_its_field(basic, capsys):
    basic.edit(PROEF, "summary: Deze folder test alle blokken van leafpress.",
               "summary: Deze folder van {{organisation}} test alle blokken.")
    line = basic.path(PROEF).read_text(encoding="utf-8").split("\n").index(
        "summary: Deze folder van {{organisation}} test alle blokken.") + 1
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert (f"{PROEF}:{line}: error: 'summary' holds a placeholder, which is filled in only in the text "
            "below the front matter; write the name itself here [text.placeholder]") in run.err


def test_a_heading_with_the_placeholder_names_the_organisation_in_the_e_books_contents(basic, capsys):
    basic.edit(PROEF, "## Een kop", "## Een kop van {{organisation}}")
    basic.edit(PO, 'msgid "Een kop"\nmsgstr "A heading"',
               'msgid "Een kop van {{organisation}}"\nmsgstr "A heading from {{organisation}}"')
    build_outputs(basic, capsys)
    contents = epub_text(basic, "en").split("=== table of contents")[1]
    assert "A heading from Testkliniek" in contents
    assert "Een kop van Testkliniek" in epub_text(basic, "nl").split("=== table of contents")[1]
