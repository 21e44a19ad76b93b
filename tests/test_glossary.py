"""The glossary of difficult words (content/glossary.yaml, leafpress.source.glossary): what readers get.

On a copy of the basic root with a small glossary (and its English translation, in the
shared catalog like the help lines): the errors of the file at their lines, the section
"Moeilijke woorden" in the Dutch and the English leaflet as a screen reader reads it, the
first use marked (not in a heading or a link), the e-book's glossary links landing on their
entries, a word no leaflet uses listed nowhere; on the real catalogue: the Arabic leaflet's
section and the readability findings the glossary answers.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from test_fuzz import EDIT, FUZZ, mutate

from leafpress.build.pipeline import Job, Session, published_languages
from leafpress.formats.leaflet_job import leaflet_html
from leafpress.i18n.translations import article_status
from leafpress.source.glossary import read_glossary, sort_key, text_segments, used_terms
from leafpress.source.load import load_project
from leafpress.validate.reader_views import screen_reader_view

GLOSSARY = """\
# difficult words of the test root
kop:
  text: Een titel boven een stuk tekst.
bron:
  forms: [bronnen]
  text: Waar een feit vandaan komt.
website:
  text: Een plek op internet.
glutamaat:
  text: Een stofje in de hersenen.
ongebruikt:
  term: zeldzaamwoord
  text: Dit woord staat in geen enkele folder.
"""

ENGLISH = {
    "kop": "heading", "Een titel boven een stuk tekst.": "A title above a piece of text.",
    "bron, bronnen": "source, sources", "Waar een feit vandaan komt.": "Where a fact comes from.",
    "website": "website", "Een plek op internet.": "A place on the internet.",
    "glutamaat": "glutamate", "Een stofje in de hersenen.": "A substance in the brain.",
    "zeldzaamwoord": "rare word", "Dit woord staat in geen enkele folder.": "This word is in no leaflet.",
}

EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def add_glossary(project, translated=ENGLISH) -> None:
    project.path("content/glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    entries = "".join(f'\nmsgid "{source}"\nmsgstr "{target}"\n' for source, target in translated.items())
    with project.path("translations/en/LC_MESSAGES/shared.po").open("a", encoding="utf-8") as handle:
        handle.write(entries)


@pytest.fixture
def glossary_built(basic, capsys):
    add_glossary(basic)
    run = basic.build(capsys, "all")
    assert run.code == 0, run.err
    return basic


def section(view: str, heading: str) -> list[str]:
    """The lines of the screen-reader view from ``heading`` to the next heading."""
    lines = view.splitlines()
    start = lines.index(heading)
    rest = lines[start + 1:]
    end = next((i for i, line in enumerate(rest) if re.match(r"H\d? ", line)), len(rest))
    return rest[:end]


# -- the file ---------------------------------------------------------------------

def test_mistakes_in_the_glossary_are_errors_at_their_lines(basic, capsys):
    basic.path("content/glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    broken = ("kop:\n  txt: Een titel.\n"               # 1-2: unknown field, no text
              "bron:\n  forms: [bronnen, kop]\n  text: Waar een feit vandaan komt.\n"  # 3-5: 'kop' twice
              "Website:\n  text: Een plek op internet.\n"  # 6: not an id
              "glutamaat:\n  forms: bronnen, stofjes\n  text: Een stofje.\n")  # 8-9: forms not a list
    run = basic.build_refused(capsys, "content/glossary.yaml", GLOSSARY, broken)
    for expected in ("content/glossary.yaml:2: error: unknown field 'txt' in glossary entry 'kop'",
                     "content/glossary.yaml:1: error: glossary entry 'kop' needs 'text'",
                     "content/glossary.yaml:6: error: glossary entry 'Website' must be an id",
                     "content/glossary.yaml:9: error: glossary entry 'glutamaat': 'forms' is a list"):
        assert expected in run.err, run.err
    assert re.search(r"content/glossary\.yaml:\d+: error: .*\[glossary\.(unknown|text|invalid|forms)\]", run.err)


def test_a_word_in_two_entries_is_refused(basic, capsys):
    basic.path("content/glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    run = basic.build_refused(capsys, "content/glossary.yaml", "  forms: [bronnen]",
                              "  forms: [bronnen, Glutamaat]")
    assert ("content/glossary.yaml:9: error: 'glutamaat' is also a word of 'bron' (line 4); a word may belong "
            "to one entry only: remove it from one of them [glossary.duplicate]") in run.err


# -- the leaflets -------------------------------------------------------------------

def test_the_dutch_leaflet_lists_the_words_it_uses_alphabetically(glossary_built):
    view = screen_reader_view(glossary_built.path("dist/leaflets/nl/proef.pdf"))
    assert section(view, "H2 [nl]: Moeilijke woorden") == [
        "P [nl]: bron: Waar een feit vandaan komt.",
        "P [nl]: glutamaat: Een stofje in de hersenen.",
        "P [nl]: kop: Een titel boven een stuk tekst.",
        "P [nl]: website: Een plek op internet.",
    ]
    assert "zeldzaamwoord" not in view  # in the glossary, in no leaflet's text
    # the mark splits no word: the paragraph reads as before
    assert "P [nl]: Dit is de inleiding met een bron (" in view


def test_the_english_leaflet_lists_them_in_english_in_english_order(glossary_built):
    view = screen_reader_view(glossary_built.path("dist/leaflets/en/proef.pdf"))
    assert section(view, "H2 [en]: Difficult words") == [
        "P [en]: glutamate: A substance in the brain.",
        "P [en]: heading: A title above a piece of text.",
        "P [en]: source: Where a fact comes from.",
        "P [en]: website: A place on the internet.",
    ]
    assert "Moeilijke" not in view and "zeldzaam" not in view and "rare word" not in view
    # before the help lines and the references
    assert view.index("Difficult words") < view.index("H2 [en]: References")


def test_the_first_use_is_marked_once_and_not_in_headings_or_links(basic, capsys):
    add_glossary(basic)
    project, _ = load_project(basic.root)
    session = Session(project, published_languages(project))
    for lang, marked in (("nl", ["bron", "Glutamaat"]), ("en", ["source", "Glutamate"])):
        html = leaflet_html(session, Job("leaflet", lang, "proef", False))
        assert re.findall(r'<span class="glossref">([^<]*)</span>', html) == marked
        for element in ("h2", "h3", "a"):  # 'kop' is only in headings, 'website' only in a link
            assert not re.search(rf"<{element}\b[^>]*>(?:(?!</{element}>).)*glossref", html, re.S), element
        assert 'class="glossref"' not in html.split('id="proef-glossary"')[1]  # the list marks nothing


def test_an_untranslated_word_keeps_the_leaflet_from_being_published(basic, capsys):
    missing = {source: target for source, target in ENGLISH.items() if source != "Waar een feit vandaan komt."}
    add_glossary(basic, missing)
    project, _ = load_project(basic.root)
    language = project.languages["en"]
    assert not article_status(language, project.sources, project.articles["proef"]).complete
    run = basic.build(capsys, "leaflets")
    assert "article 'proef' is not published in 'en'" in run.err
    assert not basic.path("dist/leaflets/en/proef.pdf").exists()


def test_a_translation_whose_forms_miss_the_text_is_named_at_its_line(basic, capsys):
    add_glossary(basic, {**ENGLISH, "bron, bronnen": "origin, origins"})  # the English text says "source"
    run = basic.build(capsys, "leaflets")
    assert run.code == 0, run.err
    line = next(number for number, text in enumerate(
        basic.path("translations/en/LC_MESSAGES/shared.po").read_text(encoding="utf-8").splitlines(), start=1)
        if text == 'msgid "bron, bronnen"')
    assert (f"translations/en/LC_MESSAGES/shared.po:{line}: warning: the 'en' leaflet 'proef' uses 'origin' "
            "(bron, bronnen), but none of its forms here (origin, origins) is in the translated text, so its "
            "first use is not marked; add the form the translation uses, after a comma [glossary.form]") in run.err
    assert run.err.count("[glossary.form]") == 1  # 'heading' and 'website' are not marked in Dutch either
    view = screen_reader_view(basic.path("dist/leaflets/en/proef.pdf"))
    assert "P [en]: origin: Where a fact comes from." in view  # still listed


def test_a_changed_glossary_rebuilds_the_leaflets_it_changes(glossary_built, capsys):
    assert "Moeilijke woorden" not in screen_reader_view(glossary_built.path("dist/leaflets/nl/tweede.pdf"))
    # Dutch only, so that no translation falls behind (which would rebuild them anyway)
    glossary_built.edit("content/site.yaml", "languages: [nl, en]", "languages: [nl]")
    assert glossary_built.build(capsys, "leaflets").code == 0
    assert "2 job(s) up to date" in glossary_built.build(capsys, "leaflets").out  # nothing changed since
    glossary_built.edit("content/glossary.yaml", "Een stofje in de hersenen.", "Een signaalstof in de hersenen.")
    with glossary_built.path("content/glossary.yaml").open("a", encoding="utf-8") as handle:
        handle.write("alinea:\n  text: Een stuk tekst.\n")  # a word of the other leaflet
    run = glossary_built.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0, run.err
    assert "0 up to date" in run.out
    assert "P [nl]: glutamaat: Een signaalstof in de hersenen." in screen_reader_view(
        glossary_built.path("dist/leaflets/nl/proef.pdf"))
    assert "P [nl]: alinea: Een stuk tekst." in screen_reader_view(glossary_built.path("dist/leaflets/nl/tweede.pdf"))


# -- the e-book ---------------------------------------------------------------------

def test_ebook_glossary_links_land_on_their_entries(glossary_built):
    with zipfile.ZipFile(glossary_built.path("dist/booklets/en/bundel.epub")) as epub:
        chapter = etree.fromstring(epub.read("EPUB/proef.xhtml"))
    ns = {"x": XHTML_NS, "epub": EPUB_NS}
    links = chapter.xpath("//x:a[@epub:type='glossref']", namespaces=ns)
    assert [link.text for link in links] == ["source", "Glutamate"]
    glossary = chapter.xpath("//x:section[@epub:type='glossary']", namespaces=ns)
    assert len(glossary) == 1 and glossary[0].get("role") == "doc-glossary"
    terms = glossary[0].xpath(".//x:dt", namespaces=ns)
    assert ["".join(dt.xpath(".//x:dfn//text()", namespaces=ns)) for dt in terms] == [
        "glutamate", "heading", "source", "website"]
    ids = {dt.get("id"): "".join(dt.itertext()) for dt in terms}
    for link in links:
        assert link.get("role") == "doc-glossref"
        assert ids[link.get("href").removeprefix("#")].lower() == link.text.lower()
    assert all(dt.getnext().tag == f"{{{XHTML_NS}}}dd" for dt in terms)


# -- the real catalogue -------------------------------------------------------------

def test_the_arabic_leaflet_lists_its_words_in_arabic(real_built):
    view = screen_reader_view(real_built.path("dist/leaflets/ar/microdoseren-ketamine.pdf"))
    entries = section(view, "H2 [ar]: كلمات صعبة")
    assert len(entries) == 9 and all(line.startswith("P [ar]: ") for line in entries)
    assert "P [ar]: الذهان: تعيش الواقع بطريقة مختلفة عن الآخرين." in "\n".join(entries)
    terms = [line.removeprefix("P [ar]: ").split(":")[0] for line in entries]
    assert terms == sorted(terms, key=lambda term: sort_key(term, "ar"))
    assert not re.search(r"[a-z]{4,}", "".join(terms))  # no Dutch word left in the list


def test_every_real_leaflet_lists_the_words_it_uses_in_its_language(real_built):
    """In all six languages, every leaflet has the section with one entry per word its Dutch text
    uses, each in the reader's language (the same explanation as the shared catalog's)."""
    project, _ = load_project(real_built.root)
    published = published_languages(project)
    session = Session(project, published)
    checked = set()
    for article_id, languages in published.items():
        for lang in languages:
            entries = session.glossary(lang, article_id)
            assert entries, (lang, article_id)
            heading = session.interface(lang).gettext("Moeilijke woorden")
            view = screen_reader_view(real_built.path(f"dist/leaflets/{lang}/{article_id}.pdf"))
            lines = section(view, f"H2 [{lang}]: {heading}")
            assert len(lines) == len(entries), (lang, article_id, lines)
            for entry in entries:
                assert f"{entry.term}: {entry.text}" in "\n".join(lines), (lang, article_id, entry.term)
            checked.add(lang)
    assert checked == {"nl", "en", "ar", "pl", "tr", "uk"}


def test_readability_counts_the_glossary_words_as_explained(real_copy, capsys):
    explained = ("ontwenningsverschijnselen", "therapieresistente", "bipolaire", "serotoninesyndroom",
                 "glutamaat", "psychedelica")
    run = real_copy.build(capsys, "readability")
    assert run.code == 0, run.err
    for word in explained:
        assert f"'{word}' is probably unknown" not in run.err
    real_copy.path("content/glossary.yaml").unlink()
    without = real_copy.build(capsys, "readability")
    for word in explained:
        assert f"'{word}' is probably unknown" in without.err


def test_alphabetical_order_of_each_language():
    assert sorted(["ґудзик", "гора", "їжак", "іній", "дім"], key=lambda w: sort_key(w, "uk")) == [
        "гора", "ґудзик", "дім", "іній", "їжак"]
    assert sorted(["łza", "lek", "mama"], key=lambda w: sort_key(w, "pl")) == ["lek", "łza", "mama"]
    assert sorted(["ilaç", "ışık", "hap"], key=lambda w: sort_key(w, "tr")) == ["hap", "ışık", "ilaç"]
    assert sorted(["Placebo", "off-label", "Éénmalig"], key=lambda w: sort_key(w, "nl")) == [
        "Éénmalig", "off-label", "Placebo"]


@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=6))
def test_a_glossary_is_read_without_an_exception_whatever_it_says(edits):
    text = mutate(GLOSSARY, edits)
    glossary, diagnostics = read_glossary(text, "content/glossary.yaml")
    assert all(d.path and d.level == "error" for d in diagnostics)
    assert not (glossary and diagnostics)  # nothing is used from a glossary with a mistake
    for term in glossary:
        assert term.text and term.term and used_terms((), glossary) == ()
    assert isinstance(text_segments(text), list)  # what pybabel extracts
