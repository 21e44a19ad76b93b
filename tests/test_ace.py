"""Ace by DAISY finds nothing in our EPUB booklets, and we read its report right.

The Ace runs need the Ace binary (``make test`` installs it and sets
LEAFPRESS_ACE); they are skipped only when it is absent. All EPUBs go
through Ace in one parallel batch, shared by the tests.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zipfile
from pathlib import Path

import pytest

from leafpress.validate.ace import (
    ACE_ENV,
    AceFailed,
    AceReport,
    ace_binary,
    ace_command,
    read_report,
    run_ace,
    run_aces,
)

ACE = ace_binary()
NO_ACE = (f"Ace by DAISY is not installed: {ACE_ENV} is unset" if not os.environ.get(ACE_ENV)
          else f"Ace by DAISY is not installed: {ACE_ENV}={os.environ[ACE_ENV]} does not exist")
needs_ace = pytest.mark.skipif(ACE is None, reason=NO_ACE)

BROKEN_TITLEPAGE = (b'<p style="color:#cccccc">Nauwelijks leesbaar</p>\n'
                    b'<a href="nav.xhtml"></a>\n</section>')
BROKEN_METADATA = b'<meta property="schema:accessibilityFeature">table</meta>\n</metadata>'


def broken_copy(source: Path, target: Path) -> Path:
    """The booklet with a low-contrast paragraph, an empty link and an invalid metadata value."""
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w") as out:
        for info in book.infolist():
            data = book.read(info.filename)
            if info.filename == "EPUB/titlepage.xhtml":
                data = data.replace(b"</section>", BROKEN_TITLEPAGE, 1)
            elif info.filename == "EPUB/content.opf":
                data = data.replace(b"</metadata>", BROKEN_METADATA, 1)
            out.writestr(info, data, compress_type=info.compress_type)
    return target


@pytest.fixture(scope="session")
def ace_results(basic_built, real_built, tmp_path_factory) -> dict[str, AceReport | AceFailed]:
    epubs = {f"basic/{lang}": basic_built.path(f"dist/booklets/{lang}/bundel.epub") for lang in ("nl", "en")}
    for path in sorted(real_built.path("dist/booklets").glob("*/*.epub")):
        epubs[f"real/{path.parent.name}/{path.stem}"] = path
    work = tmp_path_factory.mktemp("ace")
    epubs["broken"] = broken_copy(epubs["basic/nl"], work / "broken.epub")
    return dict(zip(epubs, run_aces(list(epubs.values()), ACE, work / "reports")))


def violations(result: AceReport | AceFailed) -> list[str]:
    if isinstance(result, AceFailed):
        raise result
    return [v.format() for v in result.violations]


@needs_ace
def test_basic_booklets_have_no_violations(ace_results):
    assert {name: violations(result) for name, result in ace_results.items() if name.startswith("basic/")} == {
        "basic/nl": [], "basic/en": []}


@needs_ace
def test_real_booklets_have_no_violations_in_any_built_language(ace_results):
    real = {name: violations(result) for name, result in ace_results.items() if name.startswith("real/")}
    assert "real/nl/psychedelica-en-ggz" in real
    assert real == {name: [] for name in real}


@needs_ace
def test_ace_runs_and_finds_what_is_wrong(ace_results):
    result = ace_results["broken"]
    assert isinstance(result, AceReport), result
    assert result.version.startswith("1.4")
    found = {(v.rule, v.impact, v.file) for v in result.violations}
    assert found == {
        ("color-contrast", "serious", "titlepage.xhtml"),
        ("link-name", "serious", "titlepage.xhtml"),
        ("metadata-accessibilityfeature-invalid", "minor", "EPUB/content.opf"),
    }
    contrast = next(v for v in result.violations if v.rule == "color-contrast")
    assert "#cccccc" in contrast.message and contrast.location
    metadata = next(v for v in result.violations if v.rule == "metadata-accessibilityfeature-invalid")
    assert "'table'" in metadata.message


# --- without Ace -------------------------------------------------------------------------------

REPORT = {
    "earl:assertedBy": {"doap:release": {"doap:revision": "1.4.6"}},
    "assertions": [
        {"earl:testSubject": {"url": "/EPUB/nav.xhtml"}, "earl:result": {"earl:outcome": "pass"}, "assertions": []},
        {"earl:testSubject": {"url": "chapter.xhtml"}, "earl:result": {"earl:outcome": "fail"}, "assertions": [
            {"earl:result": {"earl:outcome": "fail",
                             "dct:description": "Element has insufficient color contrast of 1.6\nmore",
                             "earl:pointer": {"css": ["p:nth-child(7)"]}},
             "earl:test": {"earl:impact": "serious", "dct:title": "color-contrast",
                           "dct:description": "Ensure the contrast is enough"}},
            {"earl:result": {"earl:outcome": "pass"},
             "earl:test": {"earl:impact": "minor", "dct:title": "region", "dct:description": "fine"}},
        ]},
    ],
}


def test_report_reading():
    [violation] = read_report(REPORT)
    assert violation.rule == "color-contrast" and violation.impact == "serious"
    assert violation.file == "chapter.xhtml" and violation.location == "p:nth-child(7)"
    assert violation.message == "Ensure the contrast is enough (Element has insufficient color contrast of 1.6)"
    assert violation.format() == ("chapter.xhtml: color-contrast (serious): Ensure the contrast is enough "
                                  "(Element has insufficient color contrast of 1.6) at p:nth-child(7)")
    assert read_report({"assertions": []}) == ()


def test_command_line():
    assert ace_command(Path("b.epub"), Path("/x/ace"), Path("/out")) == [
        "/x/ace", "--outdir", "/out", "--force", "--silent", "b.epub"]
    assert ace_command(Path("b.epub"), Path("/x/ace"), Path("/out"), verbose=True)[4] == "--verbose"


def executable(path: Path, script: str) -> Path:
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_binary_from_the_environment(tmp_path):
    assert ace_binary({}) is None
    assert ace_binary({ACE_ENV: str(tmp_path / "ace")}) is None
    cli = executable(tmp_path / "ace-cli", "exit 0\n")
    assert ace_binary({ACE_ENV: str(tmp_path / "ace")}) == cli  # npm names @daisy/ace-cli's binary ace-cli
    ace = executable(tmp_path / "ace", "exit 0\n")
    assert ace_binary({ACE_ENV: str(ace)}) == ace


@pytest.fixture
def any_chromium(monkeypatch):
    """The stand-in Ace scripts below need no browser; run_ace only checks that the file exists."""
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", sys.executable)


def test_no_report_is_a_failure_with_ace_output(tmp_path, any_chromium):
    fake = executable(tmp_path / "ace", "echo 'Failed to launch the browser process' >&2\nexit 1\n")
    with pytest.raises(AceFailed, match="exit 1.*Failed to launch the browser process"):
        run_ace(tmp_path / "book.epub", fake, tmp_path / "out")


def test_missing_chromium_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", str(tmp_path / "chromium"))
    fake = executable(tmp_path / "ace", "exit 0\n")
    with pytest.raises(AceFailed, match="Ace needs Chromium at .*chromium: install it"):
        run_ace(tmp_path / "book.epub", fake, tmp_path / "out")


def test_report_from_the_outdir_argument(tmp_path, any_chromium):
    fake = executable(tmp_path / "ace", f"cat > \"$2/report.json\" <<'EOF'\n{json.dumps(REPORT)}\nEOF\n")
    [first, second] = run_aces([tmp_path / "a.epub", tmp_path / "b.epub"], fake, tmp_path / "work")
    assert isinstance(first, AceReport) and first.version == "1.4.6"
    assert [v.rule for v in first.violations] == ["color-contrast"] and not first.passed
    assert first.report.parent != second.report.parent
