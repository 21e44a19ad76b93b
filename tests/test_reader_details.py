"""What readers meet in the small things:
the PDF's keywords, the QR code's alternative text, the EPUB's table of contents.

Each test opens a built file of the real catalogue the way a reader's tool
does (a screen reader walking the PDF's tags, a search index reading the
metadata, an e-reader reading the EPUB) and looks at what it gets.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xhtml(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as book:
        return etree.fromstring(book.read(name))


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

    from leafpress.validate.pdfua.structure import read_structure

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
    assert len(sections) == 11
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
        assert sum("#" in href for href in links) == 28, epub  # 8 + 11 + 9 sections in every language
        for href in links:
            name, _, fragment = href.partition("#")
            assert name in ids and (not fragment or fragment in ids[name]), (epub, href)
