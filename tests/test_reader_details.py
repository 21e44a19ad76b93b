"""What readers meet in the small things: the language of a reference's title,
the PDF's keywords, the QR code's alternative text, the EPUB's table of contents.

Each test opens a built file of the real catalogue the way a reader's tool
does (a screen reader walking the PDF's tags, a search index reading the
metadata, an e-reader reading the EPUB) and looks at what it gets.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from leafpress.pdfua import spoken_languages

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xhtml(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as book:
        return etree.fromstring(book.read(name))


def spoken_as(pieces: list[tuple[str, str]], words: str) -> str:
    """The language a screen reader speaks ``words`` in (the first piece that holds them)."""
    found = [lang for text, lang in pieces if words in text]
    assert found, f"{words!r} is not read at all"
    return found[0]


# --- /Lang on the titles of works in another language -----------------------------------

def test_english_reference_titles_are_spoken_in_english_in_the_dutch_leaflet(real_built):
    pieces = spoken_languages(real_built.path("dist/leaflets/nl/ketamine-en-mdma.pdf"))
    assert spoken_as(pieces, "Ketamine use: a review") == "en"
    assert spoken_as(pieces, "Addiction") == "en"
    assert spoken_as(pieces, "Biological Psychiatry") == "en"
    # the authors' names and the style's own words stay in the leaflet's language
    assert spoken_as(pieces, "Morgan, C. J. A.") == "nl"
    assert spoken_as(pieces, "Bronnen") == "nl"


def test_english_leaflet_has_no_language_switch_in_its_references(real_built):
    pieces = spoken_languages(real_built.path("dist/leaflets/en/ketamine-en-mdma.pdf"))
    assert spoken_as(pieces, "Ketamine use: a review") == "en"
    assert spoken_as(pieces, "Morgan, C. J. A.") == "en"


def test_epub_reference_titles_carry_their_language(real_built):
    references = xhtml(real_built.path("dist/booklets/tr/psychedelica-en-ggz.epub"), "EPUB/references.xhtml")
    entry = references.find(f".//{XHTML}li[@id='ref-morgan2012']")
    spans = {"".join(s.itertext()): (s.get("lang"), s.get(XML_LANG)) for s in entry.iter(f"{XHTML}span")}
    assert spans == {"Ketamine use: a review": ("en", "en"), "Addiction": ("en", "en")}
    # the visible text is what it was
    assert "".join(entry.itertext()).startswith("Morgan, C. J. A., & Curran, H. V. (2012). Ketamine use: a review. "
                                                "Addiction, 107(1)")


def test_title_language_follows_the_work_not_the_style(tmp_path):
    from leafpress.cite import parse_bibliography, render_citations
    from leafpress.cite_syntax import Citation, CiteItem

    bib, problems = parse_bibliography("""
- {id: a, type: article-journal, title: "Drugs in the U.S.", container-title: "J. Drugs",
   author: [{family: Smith, given: A.}], issued: 2020, volume: "3", language: en}
- {id: b, type: book, title: "Angst bij kinderen", author: [{family: Jansen, given: B.}],
   issued: 2019, publisher: Boom, language: nl}
- {id: c, type: book, title: "Zonder taal", author: [{family: Pietersen, given: C.}], issued: 2018}
""", tmp_path / "bib.yaml")
    assert problems == []
    cites = [Citation((CiteItem(key, None, None, "", ""),), False, False) for key in "abc"]
    nl = {e.key: str(e.html) for e in render_citations(bib, "nl", cites).entries}
    en = {e.key: str(e.html) for e in render_citations(bib, "en", cites).entries}
    # the title's own full stop ends the sentence: no second one after the span
    assert nl["a"] == ('Smith, A. (2020). <span lang="en" xml:lang="en">Drugs in the U.S.</span> '
                       '<i><span lang="en" xml:lang="en">J. Drugs</span></i>, <i>3</i>.')
    assert en["a"] == "Smith, A. (2020). Drugs in the U.S. <i>J. Drugs</i>, <i>3</i>."
    assert en["b"] == 'Jansen, B. (2019). <i><span lang="nl" xml:lang="nl">Angst bij kinderen</span></i>. Boom.'
    assert nl["b"] == "Jansen, B. (2019). <i>Angst bij kinderen</i>. Boom."
    # a work without a language says nothing about it
    assert en["c"] == nl["c"] == "Pietersen, C. (2018). <i>Zonder taal</i>."


# --- the PDF's keywords and the EPUB's subjects, in the reader's language --------------

def test_leaflet_keywords_are_in_the_leaflet_language(real_built):
    import pikepdf

    expected = {"nl": "ketamine, esketamine, MDMA, PTSS, depressie",
                "en": "ketamine, esketamine, MDMA, PTSD, depression",
                "ar": "الكيتامين, الإسكيتامين, MDMA, اضطراب ما بعد الصدمة, الاكتئاب"}
    for lang, keywords in expected.items():
        with pikepdf.open(real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf")) as pdf:
            assert str(pdf.docinfo["/Keywords"]) == keywords, lang
            assert pdf.open_metadata()["pdf:Keywords"] == keywords, lang


def test_booklet_subjects_are_the_keywords_in_its_language(real_built):
    opf = etree.fromstring(zipfile.ZipFile(real_built.path("dist/booklets/pl/psychedelica-en-ggz.epub"))
                           .read("EPUB/content.opf"))
    subjects = [s.text for s in opf.iter("{http://purl.org/dc/elements/1.1/}subject")]
    assert subjects[:4] == ["ketamina", "mikrodawkowanie", "samoleczenie", "depresja"]
    assert "psychodeliki" in subjects and len(subjects) == len(set(subjects))


def test_keywords_are_messages_a_translation_must_have(basic, capsys):
    po = "translations/en/LC_MESSAGES/proef.po"
    text = basic.path(po).read_text(encoding="utf-8")
    assert ('#. keyword (a search word in the PDF\'s and e-book\'s properties; not printed)\n'
            '#: content/articles/proef.md:11\nmsgid "test"\nmsgstr "test"') in text
    basic.edit(po, 'msgid "test"\nmsgstr "test"', 'msgid "test"\nmsgstr ""')
    run = basic.build(capsys, "leaflets", "--lang", "en")
    assert run.code == 0
    assert "article 'proef' is not published in 'en': 1 untranslated" in run.err
    assert not basic.path("dist/leaflets/en/proef.pdf").exists()


# --- the QR code says what it is -----------------------------------------------------------

def test_qr_code_alt_text_says_what_it_is_in_the_leaflet_language(real_built):
    import pikepdf

    from leafpress.pdfua import read_structure

    expected = {"nl": "QR-code: de nieuwste versie van deze folder, ",
                "en": "QR code: the latest version of this leaflet, ",
                "ar": "رمز QR: أحدث إصدار من هذه النشرة، ",
                "uk": "QR-код: найновіша версія цієї брошури, "}
    for lang, words in expected.items():
        with pikepdf.open(real_built.path(f"dist/leaflets/{lang}/microdoseren-ketamine.pdf")) as pdf:
            figures = [str(e.obj.get("/Alt", "")) for e in read_structure(pdf).elements if e.type == "Figure"]
        address = f"www.ggz-voorbeeldkliniek.nl/folders/{lang}/microdoseren-ketamine/"
        assert words + address in figures, (lang, figures)
        assert not [f for f in figures if f.startswith("https://")]  # not the bare address any more


# --- the EPUB's table of contents has the sections as a second level ------------------

def nav_tree(epub: Path) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(title, href, [(section title, href)]) for each entry of the EPUB's toc nav."""
    nav = xhtml(epub, "EPUB/nav.xhtml").find(f".//{XHTML}nav[@id='toc']")
    entries = []
    for item in nav.find(f"{XHTML}ol").findall(f"{XHTML}li"):
        link = item.find(f"{XHTML}a")
        inner = item.find(f"{XHTML}ol")
        sections = [("".join(a.itertext()), a.get("href"))
                    for a in (inner.iterfind(f"{XHTML}li/{XHTML}a") if inner is not None else ())]
        entries.append(("".join(link.itertext()), link.get("href"), sections))
    return entries


def test_booklet_toc_lists_each_chapters_sections(real_built):
    epub = real_built.path("dist/booklets/nl/psychedelica-en-ggz.epub")
    toc = {href: (title, sections) for title, href, sections in nav_tree(epub)}
    chapter = xhtml(epub, "EPUB/ketamine-en-mdma.xhtml")
    headings = [("".join(h.itertext()).strip(), h.get("id"))
                for h in chapter.find(f"{XHTML}body").iter(f"{XHTML}h2")]
    article_headings = [text for text, ident in headings if (ident or "").startswith("ketamine-en-mdma-section-")]
    title, sections = toc["ketamine-en-mdma.xhtml"]
    assert title == "Ketamine en MDMA: wat is het verschil?"
    assert [text for text, _ in sections] == article_headings
    assert sections[0] == ("Twee middelen, twee verhalen", "ketamine-en-mdma.xhtml#ketamine-en-mdma-section-1")
    assert len(sections) == 10
    # the end matter (help lines, read also, disclaimer) is not a section of the text
    assert "Hulp en informatie" not in [text for text, _ in sections]
    assert toc["references.xhtml"] == ("Bronnen", [])


def test_every_toc_link_leads_to_an_element_that_exists(real_built):
    for epub in sorted(real_built.path("dist/booklets").glob("*/*.epub")):
        with zipfile.ZipFile(epub) as book:
            ids = {name.removeprefix("EPUB/"): {e.get("id") for e in etree.fromstring(book.read(name)).iter()}
                   for name in book.namelist() if name.endswith(".xhtml")}
            ncx = etree.fromstring(book.read("EPUB/toc.ncx"))
        links = [href for _t, href, sections in nav_tree(epub) for href in [href, *(h for _s, h in sections)]]
        ncx_links = [c.get("src") for c in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}content")]
        assert sorted(ncx_links) == sorted(links), epub
        assert sum("#" in href for href in links) == 27, epub  # 8 + 10 + 9 sections in every language
        for href in links:
            name, _, fragment = href.partition("#")
            assert name in ids and (not fragment or fragment in ids[name]), (epub, href)
