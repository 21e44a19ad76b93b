"""The readers test root (tests/roots/readers) in the PDF's structure tree and the EPUB.

Its first article has a comparison table whose first column holds the rows'
labels, a figure with a description and a caption, and a term in English
(``[brain-derived neurotrophic factor]{lang=en}``); its second has citations
and help lines. A screen reader must get the labels as row headers, the
figure as a Figure with its description and caption, and the English term
in English. (What the views read, word for word, is asserted in
test_reader_views.py and the golden views.)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from leafpress.validate.pdfua import check_pdf
from leafpress.validate.pdfua.objects import name, opened, text
from leafpress.validate.pdfua.reading import Reader, spoken_languages
from leafpress.validate.pdfua.tables import attribute_values
from leafpress.validate.reader_views import inline_text

XHTML = "{http://www.w3.org/1999/xhtml}"
ROW_LABELS = {
    "nl": ["Waar", "Hoe je het krijgt", "Duur van een sessie", "Therapie tijdens de sessie", "Na de sessie"],
    "en": ["Where", "How you get it", "Length of a session", "Therapy during the session", "After the session"],
}
COLUMN_HEADINGS = {"nl": ["Ketamine", "MDMA-therapie in onderzoek"], "en": ["Ketamine", "MDMA therapy in research"]}
FIGURE = {
    "nl": ("Twee balken op een tijdlijn van 0 tot 8 uur.",
           "Hoe lang een sessie ongeveer duurt. Donker: de kortste duur. Licht: hoe lang het kan duren."),
    "en": ("Two bars on a timeline from 0 to 8 hours.",
           "About how long a session takes. Dark: the shortest time. Light: how long it can take."),
}
TERM = "brain-derived neurotrophic factor"


def elements(pdf: Path) -> list[dict]:
    """Every structure element: its type, attributes we look at, text and the types of its kids."""
    with opened(pdf) as document:
        reader = Reader.of(document)
        found = []
        for index, element in enumerate(reader.structure.elements):
            obj = element.obj
            found.append({
                "type": element.type,
                "scope": [name(v) for v in attribute_values(obj, "/Scope")],
                "alt": text(obj.get("/Alt")),
                "lang": text(obj.get("/Lang")),
                "text": " ".join(inline_text(reader, index).split()),
                "kids": [(reader.structure.elements[k].type, " ".join(inline_text(reader, k).split()))
                         for k in reader.children[index]],
            })
        return found


def leaflet(readers_built, lang: str, article: str) -> Path:
    return readers_built.path(f"dist/leaflets/{lang}/{article}.pdf")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_row_labels_are_row_headers_and_headings_column_headers(readers_built, lang):
    cells = [e for e in elements(leaflet(readers_built, lang, "behandelsessie")) if e["type"] in ("TH", "TD")]
    headers = {e["text"]: e["scope"] for e in cells if e["type"] == "TH"}
    assert headers == {**{label: ["Column"] for label in COLUMN_HEADINGS[lang]},
                       **{label: ["Row"] for label in ROW_LABELS[lang]}}
    # the empty top-left cell is no header; every other cell is data
    assert [e["text"] for e in cells if e["type"] == "TD"][0] == ""
    assert len([e for e in cells if e["type"] == "TD"]) == 1 + 2 * len(ROW_LABELS[lang])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_figure_has_its_description_and_its_caption(readers_built, lang):
    description, caption = FIGURE[lang]
    figures = [e for e in elements(leaflet(readers_built, lang, "behandelsessie"))
               if e["type"] == "Figure" and not e["alt"].startswith(("QR", "QR-"))]
    assert len(figures) == 1
    assert figures[0]["alt"].startswith(description)
    assert ("Caption", caption) in figures[0]["kids"]


def test_the_english_term_is_a_span_with_lang_en_in_the_dutch_leaflet(readers_built):
    pdf = leaflet(readers_built, "nl", "behandelsessie")
    spans = [(e["type"], e["lang"]) for e in elements(pdf) if e["text"] == TERM]
    assert spans == [("Span", "en")]
    pieces = spoken_languages(pdf)
    assert [lang for piece, lang in pieces if TERM in piece] == ["en"]
    assert [lang for piece, lang in pieces if "De hersenen maken dan" in piece] == ["nl"]


def test_reference_titles_are_english_in_the_dutch_leaflet(readers_built):
    pieces = spoken_languages(leaflet(readers_built, "nl", "gesprek"))
    titles = ["Spravato (esketamine): summary of opinion", "Understanding the changes to MDMA and psilocybin access"]
    english = "".join(piece for piece, lang in pieces if lang == "en")
    assert all(title in " ".join(english.split()) for title in titles)
    assert [lang for piece, lang in pieces if "European Medicines Agency. (2019" in piece] == ["nl"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_leaflets_pass_our_pdfua_checker(readers_built, lang):
    for article in ("behandelsessie", "gesprek"):
        assert check_pdf(leaflet(readers_built, lang, article)) == []


def test_epub_has_the_row_headers_the_figure_and_the_term(readers_built):
    with zipfile.ZipFile(readers_built.path("dist/booklets/nl/lezen.epub")) as book:
        names = [n for n in book.namelist() if n.endswith(".xhtml")]
        documents = [etree.fromstring(book.read(n)) for n in names]
    rows = [" ".join("".join(th.itertext()).split()) for d in documents for th in d.iter(f"{XHTML}th")
            if th.get("scope") == "row"]
    assert rows == ROW_LABELS["nl"]
    captions = [" ".join("".join(c.itertext()).split()) for d in documents for c in d.iter(f"{XHTML}figcaption")]
    assert FIGURE["nl"][1] in captions
    terms = [s for d in documents for s in d.iter(f"{XHTML}span") if "".join(s.itertext()) == TERM]
    assert [s.get("lang") for s in terms] == ["en"]
