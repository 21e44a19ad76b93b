"""What the reader meets: the text an e-reader shows, the text a PDF reader extracts.

EPUBCheck and Ace accept an XHTML document whose text reads ``<i>BMJ</i>``:
it is valid, only wrong. These tests open the built files the way a reader
does and look at the visible text.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from weasyprint import HTML

from conftest import ROOTS, copy_project
from leafpress.cli import main
from leafpress.formats.pdf.tags import write_tagged
from leafpress.validate.ace import ace_binary, run_ace
from leafpress.validate.pdfua import check_pdf

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
    assert "".join(entry.itertext()) == ("Morgan, C. J. A., Curran, H. V., & Independent Scientific Committee on Drugs. "
                                         "(2012). Ketamine use: a review. "
                                         "Addiction, 107(1), 27–38. https://doi.org/10.1111/j.1360-0443.2011.03576.x")
    assert ["".join(i.itertext()) for i in entry.iter(f"{XHTML}i")] == ["Addiction", "107"]


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


# --- row 14: the README's table, with an empty top-left cell ----------------------------------

# The README's example, in Dutch: an empty corner above the row labels.
README_TABLE = """| | Ketamine | MDMA |
|---|---|---|
| Werkt vooral op | glutamaat | serotonine |
| Vooral onderzocht bij | depressie | PTSS |"""
BASIC_TABLE = """| Middel | Werking |
|---|---|
| Ketamine | Glutamaat |
| MDMA | Serotonine |"""


@pytest.fixture(scope="module")
def readme_table(tmp_path_factory):
    """The basic example with the README's table, built in Dutch (leaflet and booklet)."""
    project = copy_project(ROOTS / "basic", tmp_path_factory.mktemp("readme-table") / "basic")
    project.edit("content/articles/proef.md", BASIC_TABLE, README_TABLE)
    assert main(["all", "--lang", "nl", "--root", str(project.root)]) == 0
    return project


def html_rows(table: etree._Element) -> list[list[tuple[str, str | None, str]]]:
    """(tag, scope, text) of every cell, row by row."""
    return [[(etree.QName(cell).localname, cell.get("scope"), "".join(cell.itertext())) for cell in row]
            for row in table.iter(f"{XHTML}tr")]


def test_readme_table_in_the_booklet_has_a_plain_corner_and_row_headers(readme_table):
    chapter = xhtml_documents(readme_table.path("dist/booklets/nl/bundel.epub"))["EPUB/proef.xhtml"]
    assert html_rows(chapter.find(f".//{XHTML}table")) == [
        [("td", None, ""), ("th", "col", "Ketamine"), ("th", "col", "MDMA")],
        [("th", "row", "Werkt vooral op"), ("td", None, "glutamaat"), ("td", None, "serotonine")],
        [("th", "row", "Vooral onderzocht bij"), ("td", None, "depressie"), ("td", None, "PTSS")],
    ]


def structure_kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    # a structure element has a type (/S); its /Type /StructElem is optional, and the finisher leaves it out
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def structure_elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        if element.get("/S") == kind:
            found.append(element)
        stack.extend(reversed(structure_kids(element)))
    return found


def pdf_rows(table: pikepdf.Dictionary) -> list[list[tuple[str, str | None]]]:
    """(structure type, /Scope) of every cell of a Table element, row by row."""
    rows = [row for part in structure_kids(table)
            for row in (structure_kids(part) if part.S != "/TR" else [part])]
    return [[(str(cell.S)[1:], str(cell.A.Scope)[1:] if "/Scope" in cell.get("/A", {}) else None)
             for cell in structure_kids(row)] for row in rows]


def test_readme_table_in_the_screen_pdf_has_scopes(readme_table):
    path = readme_table.path("dist/leaflets/nl/proef.pdf")
    with pikepdf.open(path) as pdf:
        [table] = structure_elements(pdf, "/Table")
        assert pdf_rows(table) == [
            [("TD", None), ("TH", "Column"), ("TH", "Column")],
            [("TH", "Row"), ("TD", None), ("TD", None)],
            [("TH", "Row"), ("TD", None), ("TD", None)],
        ]
        assert all(th.A.O == "/Table" for th in structure_elements(pdf, "/TH"))
        assert check_pdf(pdf) == []


def test_real_comparison_tables_have_row_and_column_headers(real_built):
    """Ketamine and MDMA side by side: "Onderwerp" heads the labels, each label heads its row."""
    with pikepdf.open(real_built.path("dist/leaflets/nl/ketamine-en-mdma.pdf")) as pdf:
        [table] = structure_elements(pdf, "/Table")
        rows = pdf_rows(table)
    assert rows[0] == [("TH", "Column")] * 3
    assert rows[1:] == [[("TH", "Row"), ("TD", None), ("TD", None)]] * 7


def test_weasyprint_writes_no_scope_and_the_finisher_does():
    html = ("<html lang='nl'><body><table><thead><tr><td></td><th scope='col'>A</th><th>B</th></tr></thead>"
            "<tbody><tr><th scope='row'>Rij</th><td>1</td><td>2</td></tr></tbody></table></body></html>")
    document = HTML(string=html).render()

    def scopes(data: bytes) -> list:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return [str(th.A.get("/Scope")) for th in structure_elements(pdf, "/TH")]

    assert scopes(document.write_pdf(pdf_variant="pdf/ua-1")) == ["None"] * 3
    assert scopes(write_tagged(document)) == ["/Column", "/Column", "/Row"]


@pytest.mark.skipif(ace_binary() is None, reason="Ace by DAISY is not installed (LEAFPRESS_ACE)")
def test_ace_finds_nothing_in_a_booklet_with_the_readme_table(readme_table, tmp_path):
    report = run_ace(readme_table.path("dist/booklets/nl/bundel.epub"), ace_binary(), tmp_path)
    assert [v.format() for v in report.violations] == []
