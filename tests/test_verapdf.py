"""veraPDF, for real: its PDF/UA-1 profile passes the fixture's leaflets, and names the rule a broken one fails.

Each test starts Java once (seconds); the other tests use our own checker
(leafpress.validate.pdfua), which is fast, or a stand-in (test_validate.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOTS, copy_project
from leafpress.validate import check as validate
from leafpress.validate import verapdf
from leafpress.validate.ace import ACE_ENV
from leafpress.validate.pdfua import check_pdf

needs_java = pytest.mark.skipif(shutil.which("java") is None,
                                reason="veraPDF needs Java (make installs default-jre-headless)")


def leaflets(project) -> list[Path]:
    return sorted(project.path("dist/leaflets").glob("*/*.pdf"))


@needs_java
def test_the_fixture_leaflets_pass_verapdf(basic_built):
    paths = leaflets(basic_built)
    assert len(paths) == 4  # two articles, Dutch and English
    run = verapdf.run_verapdf(paths)
    assert run.profile == "PDF/UA-1 validation profile" and run.rules > 100 and run.model.startswith("1.31.")
    assert [r.path for r in run.results] == paths
    for result in run.results:
        assert result.checks > 1000, result        # it did look
        assert result.failed == () and result.problem == "", result
    assert verapdf.findings_of(run) == []


def without_markinfo(source: Path, target: Path) -> Path:
    with pikepdf.open(source) as pdf:
        del pdf.Root.MarkInfo
        pdf.save(target)
    return target


def with_wrong_widths(source: Path, target: Path) -> Path:
    """Every glyph width in the PDF's font dictionaries doubled: the text is painted wider
    than its font program says (PDF/UA-1 7.21.5), which our own checker does not look at."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", []):
                    descendant.W = pikepdf.Array(
                        [pikepdf.Array([2 * w for w in v]) if isinstance(v, pikepdf.Array) else v
                         for v in descendant.W])
        pdf.save(target)
    return target


@needs_java
def test_make_check_names_the_rule_a_broken_leaflet_fails(basic_built, tmp_path, capsys, monkeypatch):
    """python -m leafpress.validate.check (make check) runs veraPDF on every screen leaflet, in one Java run."""
    monkeypatch.delenv(ACE_ENV, raising=False)  # no EPUBs, so Ace is not needed
    copy_project(ROOTS / "basic", tmp_path)
    folder = tmp_path / "dist/leaflets/nl"
    folder.mkdir(parents=True)
    source = basic_built.path("dist/leaflets/nl/proef.pdf")
    clean = Path(shutil.copyfile(source, folder / "proef.pdf"))
    unmarked = without_markinfo(basic_built.path("dist/leaflets/nl/tweede.pdf"), folder / "tweede.pdf")
    widths = with_wrong_widths(source, tmp_path / "widths.pdf")
    assert check_pdf(widths) == []  # our checker passes it: that is why veraPDF is in make check
    shutil.copyfile(widths, folder / "proef-widths.pdf")  # not an article: a pages finding, not our business

    assert validate.main([str(tmp_path / "dist")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    by_file = {path: [l for l in lines if l.startswith(f"{path}: error: veraPDF ")]
               for path in (clean, unmarked, folder / "proef-widths.pdf")}
    assert by_file[clean] == []
    assert by_file[unmarked] == [
        f"{unmarked}: error: veraPDF PDF/UA-1 6.2-1: The document catalog dictionary shall include a MarkInfo "
        "dictionary containing an entry, Marked, whose value shall be true (1 failed check; first at root) "
        "[verapdf.6.2-1]"]
    [wide] = by_file[folder / "proef-widths.pdf"]
    assert "veraPDF PDF/UA-1 7.21.5-1: For every font embedded in a conforming file and used for rendering, " \
           "the glyph width information in the font dictionary and in the embedded font program shall be " \
           "consistent (" in wide and wide.endswith("[verapdf.7.21.5-1]")
    assert "; verapdf: 3 file(s), 2 finding(s); pages: 3 file(s), " in lines[-1]


@needs_java
def test_a_file_verapdf_cannot_read_is_a_finding(basic_built, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_text("not a PDF\n", encoding="utf-8")
    clean = basic_built.path("dist/leaflets/en/tweede.pdf")
    [finding] = verapdf.verapdf_findings([junk, clean])
    assert finding.path == junk and finding.code == "verapdf.unreadable"
    assert finding.format().startswith(f"{junk}: error: veraPDF could not check it: ModelParsingException")


def test_without_java_or_jaxb_nothing_passes_unchecked(basic_built, tmp_path, monkeypatch):
    """make check never passes because veraPDF could not run: each leaflet gets a finding saying what to install."""
    paths = leaflets(basic_built)[:2]
    monkeypatch.setattr(verapdf, "JAVA_LIBRARIES", tmp_path)  # no libjaxb-java there
    found = verapdf.verapdf_findings(paths)
    assert [(f.path, f.code) for f in found] == [(p, "verapdf.unavailable") for p in paths]
    assert "install the Debian package libjaxb-java (make does this)" in found[0].message

    monkeypatch.setenv("PATH", str(tmp_path))  # no java
    found = verapdf.verapdf_findings(paths)
    assert [f.code for f in found] == ["verapdf.unavailable"] * 2
    assert found[0].message == "not checked: veraPDF needs Java: install default-jre-headless (make does this)"
    assert verapdf.verapdf_findings([]) == []  # nothing to check: nothing is missing
