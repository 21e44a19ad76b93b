"""The PDF/UA checker: one clean leaflet, broken one way at a time."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from leafpress.formats.pdf.tags import write_tagged
from leafpress.validate.pdfua import check_pdf
from leafpress.validate.pdfua.__main__ import main
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.lang import well_formed_lang
from leafpress.validate.pdfua.structure import read_structure

ROOT = Path(__file__).parent / "roots" / "pdfua"


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    document = HTML(ROOT / "leaflet-nl.html").render()
    return {"raw": document.write_pdf(pdf_variant="pdf/ua-1"),
            "clean": write_tagged(document)}


def broken(rendered: dict[str, bytes], change: Callable[[pikepdf.Pdf], None]) -> set[str]:
    """The finding codes of the clean leaflet after ``change``."""
    pdf = pikepdf.open(io.BytesIO(rendered["clean"]))
    change(pdf)
    return {finding.code for finding in check_pdf(pdf)}


def elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    return [e.obj for e in read_structure(pdf).elements if e.type == role]


def first_annotation(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return next(a for page in pdf.pages for a in page.obj.get("/Annots", []))


def link_into_figure(pdf: pikepdf.Pdf) -> None:
    parent = elements(pdf, "Link")[0].P
    parent.S, parent.Alt = pikepdf.Name.Figure, pikepdf.String("een figuur")


def set_xmp(pdf: pikepdf.Pdf, old: bytes, new: bytes) -> None:
    pdf.Root.Metadata.write(pdf.Root.Metadata.read_bytes().replace(old, new))


# --- the good and the raw ----------------------------------------------------------

def test_clean_leaflet_has_no_findings(rendered):
    assert check_pdf(pikepdf.open(io.BytesIO(rendered["clean"]))) == []


def test_weasyprint_gaps_are_seen(rendered):
    found = {f.code for f in check_pdf(pikepdf.open(io.BytesIO(rendered["raw"])))}
    assert found == {"pdfua.untagged-content", "pdfua.figure-alt", "pdfua.link-tag",
                     "pdfua.link-in-figure", "pdfua.link-contents-url", "pdfua.th-scope"}


# --- one break at a time ---------------------------------------------------------------

def drop(key: str) -> Callable[[pikepdf.Pdf], None]:
    return lambda pdf: delattr(pdf.Root, key)


CASES: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "no MarkInfo": (drop("MarkInfo"), "pdfua.markinfo"),
    "suspects": (lambda pdf: setattr(pdf.Root.MarkInfo, "Suspects", True), "pdfua.markinfo"),
    "no Lang": (drop("Lang"), "pdfua.lang"),
    "underscore Lang": (lambda pdf: setattr(pdf.Root, "Lang", pikepdf.String("nl_NL")), "pdfua.lang"),
    "bad element Lang": (lambda pdf: setattr(elements(pdf, "P")[0], "Lang", pikepdf.String("en--x")), "pdfua.lang"),
    "title not shown": (lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False),
                        "pdfua.display-doc-title"),
    "no XMP": (drop("Metadata"), "pdfua.xmp"),
    "empty dc:title": (lambda pdf: set_xmp(pdf, b">Angst bij jongeren<", b"><"), "pdfua.title"),
    "PDF/UA-2 claim": (lambda pdf: set_xmp(pdf, b'pdfuaid:part="1"', b'pdfuaid:part="2"'), "pdfua.identifier"),
    "no structure tree": (drop("StructTreeRoot"), "pdfua.struct-tree"),
    "standard type remapped": (lambda pdf: setattr(pdf.Root.StructTreeRoot, "RoleMap",
                                                   pikepdf.Dictionary(P=pikepdf.Name.Span)), "pdfua.rolemap"),
    "unknown type": (lambda pdf: setattr(elements(pdf, "P")[0], "S", pikepdf.Name("/Paragraaf")),
                     "pdfua.nonstandard-type"),
    "no Tabs": (lambda pdf: delattr(pdf.pages[1].obj, "Tabs"), "pdfua.tabs"),
    "figure without alt": (lambda pdf: delattr(elements(pdf, "Figure")[0], "Alt"), "pdfua.figure-alt"),
    "first heading H2": (lambda pdf: setattr(elements(pdf, "H1")[0], "S", pikepdf.Name.H2), "pdfua.heading-order"),
    "H1 then H3": (lambda pdf: setattr(elements(pdf, "H2")[0], "S", pikepdf.Name.H3), "pdfua.heading-order"),
    "table without rows": (lambda pdf: [setattr(e, "S", pikepdf.Name.Div) for e in elements(pdf, "TR")],
                           "pdfua.table-rows"),
    "table without headers": (lambda pdf: [setattr(e, "S", pikepdf.Name.TD) for e in elements(pdf, "TH")],
                              "pdfua.table-headers"),
    "header without scope": (lambda pdf: delattr(elements(pdf, "TH")[0].A, "Scope"), "pdfua.th-scope"),
    "header scope not a scope": (lambda pdf: setattr(elements(pdf, "TH")[0].A, "Scope", pikepdf.Name.Col),
                                 "pdfua.th-scope"),
    "link outside Link": (lambda pdf: [setattr(e, "S", pikepdf.Name.Span) for e in elements(pdf, "Link")],
                          "pdfua.link-tag"),
    "link in figure": (lambda pdf: link_into_figure(pdf), "pdfua.link-in-figure"),
    "link without Contents": (lambda pdf: delattr(first_annotation(pdf), "Contents"), "pdfua.link-contents"),
    "link Contents is the target": (lambda pdf: setattr(first_annotation(pdf), "Contents", pikepdf.String("hulp")),
                                    "pdfua.link-contents-url"),
    "font not embedded": (lambda pdf: delattr(next(iter(pdf.pages[0].Resources.Font.values()))
                                              .DescendantFonts[0].FontDescriptor, "FontFile2"),
                          "pdfua.font-embedded"),
    "font without ToUnicode": (lambda pdf: delattr(next(iter(pdf.pages[0].Resources.Font.values())), "ToUnicode"),
                               "pdfua.font-tounicode"),
    "path outside tags": (lambda pdf: pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"0 0 m 10 10 l S")),
                          "pdfua.untagged-content"),
    "MCID dropped from the tree": (lambda pdf: setattr(elements(pdf, "H1")[0], "K", pikepdf.Array()),
                                   "pdfua.untagged-content"),
    "parent tree points elsewhere": (lambda pdf: pdf.Root.StructTreeRoot.ParentTree.Nums[1].__setitem__(
        0, elements(pdf, "P")[0]), "pdfua.parent-tree"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_break_is_found(rendered, case):
    change, code = CASES[case]
    assert code in broken(rendered, change)


def test_role_mapped_type_is_fine(rendered):
    def change(pdf):
        elements(pdf, "P")[0].S = pikepdf.Name("/Paragraaf")
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Paragraaf=pikepdf.Name.P)
    assert broken(rendered, change) == set()


def test_untagged_annotation(rendered):
    def change(pdf):
        note = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
                                                    Rect=[0, 0, 10, 10]))
        pdf.pages[0].obj.Annots.append(note)
    assert {"pdfua.annot-untagged", "pdfua.annot-contents"} <= broken(rendered, change)


def test_link_not_in_tree(rendered):
    def change(pdf):
        for link in elements(pdf, "Link"):
            link.K = pikepdf.Array([k for k in link.K if not isinstance(k, pikepdf.Dictionary)])
    assert "pdfua.link-untagged" in broken(rendered, change)


@pytest.mark.parametrize("tag", ["nl", "en-GB", "ar", "uk", "zh-Hant-TW", "de-CH-1996", "x-leaflet",
                                 "sgn-BE-FR", "en-a-bbb-x-a-ccc", "NL-nl"])
def test_well_formed_lang(tag):
    assert well_formed_lang(tag)


@pytest.mark.parametrize("tag", ["", "nl_NL", "n", "en-", "-en", "en--GB", "123", "nederlands1", "en-GB-", "x-leafpress"])
def test_malformed_lang(tag):
    assert not well_formed_lang(tag)


# --- the command line -------------------------------------------------------------------

def test_cli(rendered, tmp_path, capsys):
    clean, raw = tmp_path / "clean.pdf", tmp_path / "raw.pdf"
    clean.write_bytes(rendered["clean"])
    raw.write_bytes(rendered["raw"])
    assert main([str(clean)]) == 0
    assert capsys.readouterr().out == ""
    assert main([str(clean), str(raw)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith(f"{raw}: ") for line in lines)
    assert any(line.startswith(f"{raw}: error: page 1: marked content MCID ") and
               line.endswith(" [pdfua.untagged-content]") for line in lines)


def test_cli_unreadable(tmp_path, capsys):
    path = tmp_path / "not.pdf"
    path.write_bytes(b"hello")
    assert main([str(path)]) == 1
    assert "pdfua.unreadable" in capsys.readouterr().out


def test_finding_format():
    """A finding is a Diagnostic, printed like every other (the page after the level, the code last)."""
    assert pdfua_finding("pdfua.tabs", "page has no /Tabs /S", 2).at("x.pdf").format() == (
        "x.pdf: error: page 2: page has no /Tabs /S [pdfua.tabs]")
    assert pdfua_finding("pdfua.lang", "no", None, "3 0 R").at("x.pdf").format() == "x.pdf: error: no (3 0 R) [pdfua.lang]"
