"""The screen PDF leaflet: tagged, titled, in its language, with the works it cites."""

from __future__ import annotations

import subprocess

import pikepdf
import pytest

from leafpress.formats.pdf.leaflet import make_engine, write_leaflet


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_leaflet_is_tagged_and_carries_language_and_title(basic_built):
    for lang, title in (("nl", "Een proeffolder"), ("en", "A test leaflet")):
        with pikepdf.open(basic_built.path(f"dist/leaflets/{lang}/proef.pdf")) as pdf:
            assert pdf.Root.MarkInfo.Marked is True
            assert str(pdf.Root.Lang) == lang
            assert "/StructTreeRoot" in pdf.Root
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == title
                assert xmp["pdfuaid:part"] == "1"


def structure_types(pdf: pikepdf.Pdf) -> list[str]:
    found = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(str(node.S))
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return found


def test_structure_tree_has_headings_lists_and_table(basic_built):
    with pikepdf.open(basic_built.path("dist/leaflets/nl/proef.pdf")) as pdf:
        types = structure_types(pdf)
    for expected in ("/H1", "/H2", "/H3", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/P", "/Link"):
        assert expected in types, f"{expected} missing from the structure tree"


def test_reference_list_shows_exactly_the_cited_works(basic_built):
    text = pdf_text(basic_built.path("dist/leaflets/nl/proef.pdf"))
    assert "Bronnen" in text
    assert "Szigeti, B., Kartner, L., Blemings, A., & Rosas, F. (2021)" in text
    assert "Morgan, C. J. A., & Curran, H. V. (2012)" in text
    assert "nobody cites" not in text
    assert "(Szigeti e.a., 2021, p. 4)" in text  # Dutch APA: e.a.
    assert "Morgan en Curran (2012)" in text or "Morgan & Curran (2012)" in text


def test_leaflet_shows_blocks_labels_disclaimer_dates_and_page_numbers(basic_built):
    text = pdf_text(basic_built.path("dist/leaflets/nl/proef.pdf"))
    for expected in ("In het kort", "Mythe", "Feit", "Let op", "Goed om te weten", "Testlijn", "0800-0000",
                     "Geen medisch advies", "5 januari 2026", "1 juni 2099", "pagina 1 van", "Een schema",
                     "Lees ook", "De tweede folder"):
        assert expected in text, expected
    english = pdf_text(basic_built.path("dist/leaflets/en/proef.pdf"))
    for expected in ("In short", "Myth", "Fact", "page 1 of", "Not medical advice", "A diagram",
                     "(Szigeti et al., 2021, p. 4)", "also available in: Nederlands"):
        assert expected in english, expected


def test_renderer_refuses_the_network_and_files_outside_the_project(basic, tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    engine = make_engine(basic.path("content"), basic.path("templates"))
    out = tmp_path / "out"
    for src in ("http://example.org/x.png", "file:///etc/hostname", "../../../../etc/hostname"):
        html = f'<html lang="nl"><body><img alt="x" src="{src}"></body></html>'
        target = out / "leaflet.pdf"
        with pytest.raises(FatalURLFetchingError):
            write_leaflet(engine, html, target)
        assert not target.exists()
        assert not out.exists() or list(out.iterdir()) == []  # no temporary file left behind
