"""What the reader meets: the text an e-reader shows, the text a PDF reader extracts.

EPUBCheck and Ace accept an XHTML document whose text reads ``<i>BMJ</i>``:
it is valid, only wrong. These tests open the built files the way a reader
does and look at the visible text.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
# Markup or entities that show up as text when HTML is escaped once too often.
MARKUP_AS_TEXT = ("<i>", "</", "<a ", "&amp;", "&lt;", "&#")


def xhtml_documents(epub: Path) -> dict[str, etree._Element]:
    """Every XHTML document of an EPUB, parsed as an e-reader parses it (XML)."""
    with zipfile.ZipFile(epub) as book:
        return {name: etree.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")}


def visible_text(document: etree._Element) -> str:
    return "".join(document.find(f"{XHTML}body").itertext())


def all_booklets(basic_built, real_built) -> list[Path]:
    found = [basic_built.path(f"dist/booklets/{lang}/bundel.epub") for lang in ("nl", "en")]
    found += sorted(real_built.path("dist/booklets").glob("*/*.epub"))
    assert len(found) == 8  # the basic booklet in 2 languages, the real one in 6
    return found


def markup_shown(text: str) -> list[str]:
    return [piece for piece in MARKUP_AS_TEXT if piece in text]


# --- row 2: the reference list is markup, not text -------------------------------------------

def test_no_booklet_shows_markup_as_text(basic_built, real_built):
    shown = {}
    for epub in all_booklets(basic_built, real_built):
        for name, document in xhtml_documents(epub).items():
            if found := markup_shown(visible_text(document)):
                shown[f"{epub.parent.name}/{epub.name}/{name}"] = found
    assert shown == {}


def test_reference_list_has_italic_titles_and_doi_links(basic_built, real_built):
    for epub in all_booklets(basic_built, real_built):
        references = xhtml_documents(epub)["EPUB/references.xhtml"]
        entries = list(references.iter(f"{XHTML}li"))
        assert entries, epub
        links = [a.get("href") for a in references.iter(f"{XHTML}a")]
        dois = [href for href in links if href.startswith("https://doi.org/")]
        assert dois, epub
        # the link says where it goes: its text is the address itself
        assert all(a.text == a.get("href") for a in references.iter(f"{XHTML}a")), epub
        assert len(list(references.iter(f"{XHTML}i"))) >= len(dois), epub


def test_real_reference_entry_reads_as_apa(real_built):
    references = xhtml_documents(real_built.path("dist/booklets/nl/psychedelica-en-ggz.epub"))["EPUB/references.xhtml"]
    entry = references.find(f".//{XHTML}li[@id='ref-morgan2012']")
    assert "".join(entry.itertext()) == ("Morgan, C. J. A., & Curran, H. V. (2012). Ketamine use: a review. "
                                         "Addiction, 107(1), 27–38. https://doi.org/10.1111/j.1360-0443.2011.03576.x")
    assert [i.text for i in entry.iter(f"{XHTML}i")] == ["Addiction", "107"]


def test_no_leaflet_shows_markup_as_text(real_built):
    """The same reference list (and every other piece of HTML) in the screen PDFs."""
    paths = sorted(real_built.path("dist/leaflets").glob("*/*.pdf"))
    assert len(paths) == 18
    shown = {}
    for path in paths:
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        if found := markup_shown(text):
            shown[f"{path.parent.name}/{path.name}"] = found
    assert shown == {}
