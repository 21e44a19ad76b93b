"""The titles of works in another language than the leaflet's are read in their language,
and no word is glued to the next where a span of another language meets the text around it.

A reference's title and journal name are a ``<span lang="en">`` where the
work's CSL item says ``language: en`` and the document is in another language
(leafpress.cite.engine), in the leaflets and the EPUB booklets; the tag finisher makes
that a ``Span`` with ``/Lang en`` (leafpress.formats.pdf.tags, 1). Where such a span meets the text around it, the space
between them is in no marked content of WeasyPrint's (a text box of white
space alone is painted as nothing, and a line break swallows the space at a
line end); the finisher puts it back (13). These tests look at the built
leaflets of the real catalogue the way a screen reader does, and at small
paragraphs broken over lines at every word.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from lxml import html as lxml_html
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from leafpress.build.pipeline import Job, Session, published_languages
from leafpress.formats.leaflet_job import leaflet_html
from leafpress.formats.pdf.tags import write_tagged
from leafpress.source.load import load_project
from leafpress.upstream.weasyprint_adapter import walk
from leafpress.validate.pdfua import Reader, check_pdf, opened, spoken_languages, text
from leafpress.validate.reader_views import inline_text, screen_reader_view

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OTHER_THAN_ENGLISH = ("nl", "ar", "tr", "pl", "uk")
REAL_LANGUAGES = ("nl", "en", *OTHER_THAN_ENGLISH[1:])
ROLE_PREFIX = re.compile(r"^\S+ \[[^\]]*\]: ", re.M)
# HTML elements that start a line of their own in the screen-reader view
BLOCK_TAGS = frozenset("""
    address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6
    header li main nav ol p section table td th tr ul br img
""".split())


# --- what a leaflet says, from its HTML ---------------------------------------------------

@cache
def leaflet_markup(root: Path, lang: str, article_id: str) -> str:
    project, _ = load_project(root)
    return leaflet_html(Session(project, published_languages(project)), Job("leaflet", lang, article_id, False))


def leaflets(root: Path, lang: str) -> list[str]:
    project, _ = load_project(root)
    return sorted(a for a, languages in published_languages(project).items() if lang in languages)


def booklet_titles(root: Path, lang: str) -> list[str]:
    """The text of each ``<span lang="en">`` in the reference lists of the ``lang`` booklets."""
    found = []
    for epub in sorted((root / "dist" / "booklets" / lang).glob("*.epub")):
        with zipfile.ZipFile(epub) as book:
            references = etree.fromstring(book.read("EPUB/references.xhtml"))
        found += [" ".join("".join(span.itertext()).split()) for span in references.iter(f"{XHTML}span")
                  if span.get("lang") == "en"]
    return found


def english_titles(markup: str) -> list[str]:
    """The text of each ``<span lang="en">`` of the leaflet's reference list."""
    document = lxml_html.fromstring(markup.encode("utf-8"))
    return [" ".join(span.text_content().split())
            for span in document.xpath("//section[contains(@class, 'references')]//span[@lang='en']")]


def block_words(markup: str) -> list[list[str]]:
    """The words of the leaflet's body, block by block, as the HTML has them."""
    body = lxml_html.fromstring(markup.encode("utf-8")).find(".//body")
    chunks: list[str] = []

    def collect(element) -> None:
        if not isinstance(element.tag, str):
            chunks.append(element.tail or "")
            return
        block = element.tag in BLOCK_TAGS
        chunks.append("\n" if block else "")
        if element.tag not in ("script", "style"):
            chunks.append(element.text or "")
            for child in element:
                collect(child)
        chunks.append("\n" if block else "")
        chunks.append(element.tail or "")

    collect(body)
    return [line.split() for line in "".join(chunks).split("\n") if line.strip()]


def glued(markup: str, spoken: str) -> list[str]:
    """Tokens a screen reader says that are two neighbouring words of the HTML run together."""
    lines = block_words(markup)
    words = {word for line in lines for word in line}
    pairs = {first + second for line in lines for first, second in zip(line, line[1:])}
    return [token for token in ROLE_PREFIX.sub("", spoken).split() if token in pairs and token not in words]


# --- what a screen reader gets, from the PDF's tags ---------------------------------------

def language_elements(pdf: Path) -> list[tuple[str, str, str]]:
    """(structure type, /Lang, text) of every structure element below the document with a ``/Lang``."""
    with opened(pdf) as document:
        reader = Reader.of(document)
        return [(element.type, text(element.obj.get("/Lang")), " ".join(inline_text(reader, index).split()))
                for index, element in enumerate(reader.structure.elements)
                if element.parent is not None and "/Lang" in element.obj]


def runs_in(pieces: list[tuple[str, str]], lang: str) -> list[str]:
    """What is read in ``lang`` without a switch, each stretch as one text (empty pieces skipped)."""
    runs: list[list[str]] = []
    previous = None
    for piece, piece_lang in pieces:
        if not piece:
            continue
        if piece_lang == lang:
            if previous != lang:
                runs.append([])
            runs[-1].append(piece)
        previous = piece_lang
    return [" ".join("".join(run).split()) for run in runs]


def spoken_as(pieces: list[tuple[str, str]], words: str) -> str:
    """The language a screen reader speaks ``words`` in (the first piece that holds them)."""
    found = [lang for piece, lang in pieces if words in piece]
    assert found, f"{words!r} is not read at all"
    return found[0]


# --- the real catalogue ----------------------------------------------------------------------

def within(titles: list[str], switches: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The elements of ``switches`` (:func:`language_elements`) whose text is part of one of ``titles``."""
    return [switch for switch in switches if switch[2] and any(switch[2] in title for title in titles)]


@pytest.mark.parametrize("lang", OTHER_THAN_ENGLISH)
def test_english_reference_titles_are_spans_with_lang_en(real_built, lang):
    checked = 0
    for article_id in leaflets(real_built.root, lang):
        pdf = real_built.path(f"dist/leaflets/{lang}/{article_id}.pdf")
        titles = english_titles(leaflet_markup(real_built.root, lang, article_id))
        switches = within(titles, language_elements(pdf))
        # each title (a line of it where it breaks) is a Span with /Lang en, not the NonStruct of its <i>
        assert switches and {(kind, element_lang) for kind, element_lang, _ in switches} == {("Span", "en")}, switches
        english = runs_in(spoken_languages(pdf), "en")
        missing = [title for title in titles if not any(title in run for run in english)]
        assert missing == [], f"{lang}/{article_id}: not read in English: {missing}"
        checked += len(titles)
    # every cited work of the catalogue says language: en; its title and journal are spans
    assert checked >= 20


@pytest.mark.parametrize("lang", OTHER_THAN_ENGLISH)
def test_names_and_the_style_words_stay_in_the_leaflet_language(real_built, lang):
    pieces = spoken_languages(real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf"))
    assert spoken_as(pieces, "Ketamine use: a review") == "en"
    assert spoken_as(pieces, "Biological Psychiatry") == "en"
    assert spoken_as(pieces, "Curran, H. V.") == lang
    # the DOI breaks over two lines (two pieces): read in the leaflet's language, with no switch
    assert any("https://doi.org/10.1111/j.1360-0443.2011.03576.x" in run for run in runs_in(pieces, lang))


def test_english_leaflet_switches_no_language_in_its_references(real_built):
    pdf = real_built.path("dist/leaflets/en/ketamine-en-mdma.pdf")
    titles = booklet_titles(real_built.root, "nl")  # the titles that are spans where they are
    assert "Ketamine use: a review" in titles
    assert english_titles(leaflet_markup(real_built.root, "en", "ketamine-en-mdma")) == []
    assert within(titles, language_elements(pdf)) == []
    assert spoken_as(spoken_languages(pdf), "Ketamine use: a review") == "en"


@pytest.mark.parametrize("lang", REAL_LANGUAGES)
def test_screen_reader_glues_no_words_reference_list_included(real_built, lang):
    # Before the finisher put back the spaces at span boundaries: 'here?Biological' in nl, tr, pl
    # and uk (2 each), and in ar also 'ofopinion.' and '(AustralianGovernment).' (4)
    found = {}
    for article_id in leaflets(real_built.root, lang):
        spoken = screen_reader_view(real_built.path(f"dist/leaflets/{lang}/{article_id}.pdf"))
        if words := glued(leaflet_markup(real_built.root, lang, article_id), spoken):
            found[article_id] = words
    assert found == {}


def test_epub_reference_titles_carry_their_language(real_built):
    with zipfile.ZipFile(real_built.path("dist/booklets/tr/psychedelica-en-ggz.epub")) as book:
        references = etree.fromstring(book.read("EPUB/references.xhtml"))
    entry = references.find(f".//{XHTML}li[@id='ref-morgan2012']")
    spans = {"".join(s.itertext()): (s.get("lang"), s.get(XML_LANG)) for s in entry.iter(f"{XHTML}span")}
    assert spans == {"Ketamine use: a review": ("en", "en"), "Addiction": ("en", "en")}
    # the visible text is what it was
    assert "".join(entry.itertext()).startswith("Morgan, C. J. A., Curran, H. V., & Independent Scientific Committee on "
                                                "Drugs. (2012). Ketamine use: a review. "
                                                "Addiction, 107(1)")


def test_title_language_follows_the_work_not_the_style(tmp_path):
    from leafpress.cite.engine import parse_bibliography, render_citations
    from leafpress.cite.syntax import Citation, CiteItem

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


# --- small paragraphs, broken over lines at every word ---------------------------------------

def narrow(paragraph: str, width: float, lang: str = "nl", direction: str = "ltr") -> str:
    return (f'<html lang="{lang}" dir="{direction}"><head><title>Regels</title></head>'
            f'<body style="width: {width}em; font: 12pt sans-serif"><p>{paragraph}</p></body></html>')


def line_ends(document) -> tuple[str, ...]:
    """The last word of every line of the first page but the last line."""
    lines = ["".join(box.text for box in walk(line) if isinstance(box, boxes.TextBox)).split()
             for line in walk(document.pages[0]._page_box) if isinstance(line, boxes.LineBox)]
    return tuple(words[-1] for words in lines[:-1] if words)


WIDTHS = [tenths / 10 for tenths in range(30, 400, 5)]
PARAGRAPHS = [
    # the example of the issue: a span of English in Dutch text
    ("nl", "ltr", 'Dutch text <span lang="en">English words</span> more text',
     "Dutch text English words more text", ["English", "words"], ["English words"]),
    # a reference entry: the space between two inline elements (painted as nothing by WeasyPrint)
    ("nl", "ltr", 'Rot (2012). <span lang="en">Where do we go from here?</span> '
                  '<i><span lang="en">Biological Psychiatry</span></i>, 72.',
     "Rot (2012). Where do we go from here? Biological Psychiatry, 72.", ["here?", "Biological"],
     ["Where do we go from here?", "Biological Psychiatry"]),
    # right to left: the English spans get /ActualText, which must end with the line's space
    ("ar", "rtl", 'ملخص <span lang="en">summary of opinion</span>. '
                  '<i><span lang="en">Government (Australian)</span></i> نص',
     "ملخص summary of opinion. Government (Australian) نص", ["opinion", "(Australian)"],
     ["summary of opinion", "Government (Australian)"]),
]


@pytest.mark.parametrize("lang, direction, paragraph, spoken, english, spans", PARAGRAPHS,
                         ids=["nl", "reference", "ar"])
def test_a_span_of_another_language_keeps_every_space_wherever_the_lines_break(lang, direction, paragraph,
                                                                                 spoken, english, spans):
    broken_at: set[str] = set()
    for width in WIDTHS:
        document = HTML(string=narrow(paragraph, width, lang, direction)).render()
        ends = line_ends(document)
        if any(word not in broken_at for word in ends) or not ends:
            pdf = pikepdf.open(io.BytesIO(write_tagged(document)))
            assert screen_reader_view(pdf) == f"P [{lang}]: {spoken}\n", f"{width}em, lines end at {ends}"
            pieces = spoken_languages(pdf)
            assert all(spoken_as(pieces, word) == "en" for word in english)
            # one Span /Lang en per span (or <i> around one), also where it breaks over lines
            assert language_elements(pdf) == [("Span", "en", words) for words in spans], f"{width}em"
            assert check_pdf(pdf) == []
        broken_at.update(ends)
    # every word but the last ended a line at one of the widths
    assert broken_at >= set(spoken.split()[:-1]), sorted(set(spoken.split()[:-1]) - broken_at)
