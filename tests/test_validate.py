"""`python -m leafpress.validate.check dist`: every checker on every output, one line per finding, a summary.

PDF/UA, preflight and EPUBCheck run for real on copies of the basic
fixture's outputs, some of them broken on purpose; Ace is stood in for by a
script that writes a report (test_ace.py runs the real one), and veraPDF
by a checker that finds nothing (test_verapdf.py runs the real one), so the
test stays fast.
"""

from __future__ import annotations

import json
import shutil
import stat
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOTS, copy_project
from leafpress.validate import check as validate
from leafpress.validate.ace import ACE_ENV

VIOLATION_REPORT = {
    "earl:assertedBy": {"doap:release": {"doap:revision": "1.4.6"}},
    "assertions": [{"earl:testSubject": {"url": "titlepage.xhtml"}, "assertions": [{
        "earl:result": {"earl:outcome": "fail", "earl:pointer": {"css": ["a"]}},
        "earl:test": {"earl:impact": "serious", "dct:title": "link-name",
                      "dct:description": "Ensure links have discernible text"}}]}],
}
CLEAN_REPORT = {"earl:assertedBy": {"doap:release": {"doap:revision": "1.4.6"}}, "assertions": []}


def fake_ace(folder: Path, report: dict) -> Path:
    """A stand-in for Ace: writes ``report`` as report.json into the --outdir it is given."""
    path = folder / "ace"
    path.write_text(f"#!/bin/sh\ncat > \"$2/report.json\" <<'EOF'\n{json.dumps(report)}\nEOF\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture(autouse=True)
def any_chromium(monkeypatch):
    """The stand-in Ace needs no browser; leafpress.validate.ace only checks that the file exists."""
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", sys.executable)


@pytest.fixture(autouse=True)
def no_verapdf(monkeypatch):
    """veraPDF takes seconds to start; here it finds nothing (test_verapdf.py runs it for real)."""
    monkeypatch.setattr(validate, "verapdf_findings", lambda paths: [])


def copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def without_markinfo(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with pikepdf.open(source) as pdf:
        del pdf.Root.MarkInfo
        pdf.save(target)
    return target


def without_file(source: Path, target: Path, name: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w") as out:
        for info in book.infolist():
            if info.filename != name:
                out.writestr(info, book.read(info.filename), compress_type=info.compress_type)
    return target


@pytest.fixture
def clean_dist(basic_built, tmp_path) -> Path:
    """Two outputs of the basic project, in a dist/ beside its content (which gives each article's format)."""
    copy_project(ROOTS / "basic", tmp_path)
    dist = tmp_path / "dist"
    copy(basic_built.path("dist/leaflets/nl/proef.pdf"), dist / "leaflets/nl/proef.pdf")
    copy(basic_built.path("dist/print/en/tweede.pdf"), dist / "print/en/tweede.pdf")
    return dist


def summary_line(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_clean_outputs_pass(clean_dist, capsys, monkeypatch):
    monkeypatch.delenv(ACE_ENV, raising=False)  # no EPUBs, so Ace is not needed
    assert validate.main([str(clean_dist)]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines() == [
        "checked pdfua: 1 file(s), 0 finding(s); verapdf: 1 file(s), 0 finding(s); pages: 1 file(s), 0 finding(s); "
        "preflight: 1 file(s), 0 finding(s); "
        "epubcheck: 0 file(s), 0 finding(s); ace: 0 file(s), 0 finding(s); axe: 0 file(s), 0 finding(s): no findings"]


def test_every_tool_reports_its_findings(basic_built, clean_dist, tmp_path, capsys):
    dist = clean_dist
    bad_leaflet = without_markinfo(basic_built.path("dist/leaflets/nl/tweede.pdf"), dist / "leaflets/en/tweede.pdf")
    screen_as_print = copy(basic_built.path("dist/leaflets/en/proef.pdf"), dist / "print/nl/proef.pdf")
    bad_booklet = without_file(basic_built.path("dist/booklets/nl/bundel.epub"), dist / "booklets/nl/bundel.epub",
                               "EPUB/references.xhtml")
    ace = fake_ace(tmp_path, VIOLATION_REPORT)

    assert validate.main([str(dist), "--ace", str(ace)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    # one Diagnostic a line, its code naming the tool: path: level: [page N: ]message [tool.rule]
    by_tool = {tool: [l for l in lines if l.endswith("]") and l.rpartition(" [")[2].startswith(f"{tool}.")]
               for tool in validate.TOOLS}

    assert by_tool["pdfua"] and all(l.startswith(f"{bad_leaflet}: error: ") for l in by_tool["pdfua"])
    assert f"{bad_leaflet}: error: catalog /MarkInfo /Marked is not true [pdfua.markinfo]" in by_tool["pdfua"]
    assert by_tool["preflight"] and all(l.startswith(f"{screen_as_print}: ") for l in by_tool["preflight"])
    assert any(l.startswith(f"{screen_as_print}: error: page 1: ") for l in by_tool["preflight"])
    assert by_tool["epubcheck"] and all(l.startswith(f"{bad_booklet}: ") for l in by_tool["epubcheck"])
    assert any(l.startswith(f"{bad_booklet}: error: ") and "references.xhtml" in l for l in by_tool["epubcheck"])
    assert by_tool["ace"] == [f"{bad_booklet}: error: titlepage.xhtml: Ensure links have discernible text at a "
                              "(serious) [ace.link-name]"]

    counts = {tool: len(found) for tool, found in by_tool.items()}
    total = sum(counts.values())
    assert len(lines) == total + 1
    assert lines[-1] == (
        f"checked pdfua: 2 file(s), {counts['pdfua']} finding(s); verapdf: 2 file(s), 0 finding(s); "
        "pages: 2 file(s), 0 finding(s); "
        f"preflight: 2 file(s), {counts['preflight']} finding(s); "
        f"epubcheck: 1 file(s), {counts['epubcheck']} finding(s); "
        "ace: 1 file(s), 1 finding(s); axe: 0 file(s), 0 finding(s): "
        f"{total} finding(s)")


class PassingEpubCheck:
    """EPUBCheck without Java, for the tests about Ace."""

    def __init__(self, path: str) -> None:
        self.valid, self.messages = True, []


def test_missing_ace_is_a_finding(basic_built, clean_dist, capsys, monkeypatch):
    monkeypatch.setattr(validate, "EpubCheck", PassingEpubCheck)
    monkeypatch.delenv(ACE_ENV, raising=False)
    booklet = copy(basic_built.path("dist/booklets/en/bundel.epub"), clean_dist / "booklets/en/bundel.epub")
    assert validate.main([str(clean_dist)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"{booklet}: error: not checked: Ace by DAISY not found; set {ACE_ENV}")
    assert lines[0].endswith(" [ace.unavailable]")
    assert lines[-1].endswith("ace: 0 file(s), 1 finding(s); axe: 0 file(s), 0 finding(s): 1 finding(s)")


def test_ace_from_the_environment_and_ace_that_fails(basic_built, clean_dist, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(validate, "EpubCheck", PassingEpubCheck)
    booklet = copy(basic_built.path("dist/booklets/en/bundel.epub"), clean_dist / "booklets/en/bundel.epub")
    monkeypatch.setenv(ACE_ENV, str(fake_ace(tmp_path, CLEAN_REPORT)))
    assert validate.main([str(clean_dist)]) == 0
    assert summary_line(capsys.readouterr().out).endswith("ace: 1 file(s), 0 finding(s); axe: 0 file(s), 0 finding(s): no findings")

    broken = tmp_path / "broken-ace"
    broken.write_text("#!/bin/sh\necho 'Failed to launch the browser process' >&2\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    assert validate.main([str(clean_dist), "--ace", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{booklet}: error: Ace wrote no report for {booklet} (exit 1): Failed to launch the browser" in out


def test_nothing_to_check(tmp_path, capsys):
    assert validate.main([str(tmp_path / "absent")]) == 1
    assert ": error: no such folder; build first (make all) [validate.no-dist]" in capsys.readouterr().out
    (tmp_path / "dist").mkdir()
    assert validate.main([str(tmp_path / "dist")]) == 1
    assert ": error: nothing to check: " in capsys.readouterr().out


def test_print_pdfs_are_checked_as_the_variant_the_site_asks_for(tmp_path, capsys, monkeypatch):
    """A print shop that asks for PDF/X-1a gets it, and make check checks it as PDF/X-1a, not PDF/X-4."""
    monkeypatch.delenv(ACE_ENV, raising=False)
    project = copy_project(ROOTS / "basic", tmp_path / "x1a")
    site = project.path("content/site.yaml")
    site.write_text(site.read_text(encoding="utf-8") + "print_variant: pdf/x-1a\n", encoding="utf-8")
    assert project.build(capsys, "leaflets", "--lang", "nl").code == 0
    dist = project.path("dist")
    for folder in ("leaflets", "brochures"):
        shutil.rmtree(dist / folder)
    (dist / "print/nl/proef.pdf").unlink()  # its picture is too coarse for print, on purpose
    with pikepdf.open(dist / "print/nl/tweede.pdf") as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
    assert validate.main([str(dist)]) == 0, capsys.readouterr().out
