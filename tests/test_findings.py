"""One finding type from parse to validation (issue 17).

Every problem leafpress prints, in a build or in ``make check``, is a
:class:`~leafpress.diagnostics.Diagnostic` printed one way,
``path[:line]: level: [page N: ]message [code]``, and ``--strict`` counts the
warnings of a job as it counts the warnings of the source. Asserted on what a
real build of tests/roots/basic prints (its picture has 96 ppi, fewer than print
needs: a warning of the print PDF's preflight, found in a worker process) and on
what ``python -m leafpress.validate.check`` prints for broken outputs.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_validate import without_markinfo

from conftest import ROOTS, copy_project
from leafpress.build import manifest
from leafpress.diagnostics import Diagnostic, from_json, to_json
from leafpress.validate import check as validate
from leafpress.validate.ace import ACE_ENV

# path, an optional source line, the level, an optional output page, the message, the dotted code
DIAGNOSTIC = re.compile(r"(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?P<level>error|warning): "
                        r"(?:page (?P<page>\d+): )?(?P<message>.+) \[(?P<code>[a-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\]")
# the lines of a build that are not findings: its own verdicts and the progress it reports
VERDICTS = re.compile(r"build\.py: |built \d+ job|nothing to do: |removed \S+: no longer published")
MESSAGE = "image media/schema.png (40×20 px at 10.6 mm × 5.3 mm) is 96 ppi; print needs 300"
RESOLUTION = f"dist/print/nl/proef.pdf: warning: page 2: {MESSAGE} [preflight.image.resolution]"


def findings_in(err: str) -> list[re.Match]:
    """Each line of a build's stderr as a Diagnostic; fails on a line that is neither one nor a verdict."""
    found = []
    for line in err.splitlines():
        match = DIAGNOSTIC.fullmatch(line)
        assert match or VERDICTS.match(line), f"not a diagnostic: {line!r}"
        if match:
            found.append(match)
    return found


def test_a_job_warning_made_in_a_worker_prints_as_a_diagnostic_and_again_from_the_manifest(basic, capsys):
    run = basic.build(capsys, "leaflets", "-j2")  # nl and en: two jobs, two worker processes
    assert run.code == 0 and "Traceback" not in run.err, run.err
    lines = run.err.splitlines()
    assert RESOLUTION in lines
    assert RESOLUTION.replace("/nl/", "/en/") in lines
    assert {m["code"] for m in findings_in(run.err)} == {"preflight.image.resolution"}

    recorded = json.loads(basic.path(f"dist/{manifest.NAME}").read_text(encoding="utf-8"))
    warned = recorded["jobs"]["leaflet:nl:proef"]["warnings"]
    assert warned == [{"path": "dist/print/nl/proef.pdf", "line": None, "level": "warning", "page": 2,
                       "code": "preflight.image.resolution", "message": MESSAGE}]

    again = basic.build(capsys, "leaflets")  # nothing to do: the warnings are told again, the same way
    assert again.code == 0 and again.out.startswith("nothing to do")
    assert again.err.splitlines().count(RESOLUTION) == 1
    findings_in(again.err)


def test_strict_fails_on_a_job_warning_of_outputs_already_made_and_changes_nothing(basic, capsys):
    assert basic.build(capsys, "leaflets", "--lang", "nl", "-j1").code == 0
    before = basic.outputs()
    run = basic.build(capsys, "leaflets", "--lang", "nl", "--strict", "-j1")
    assert run.code == 1 and "Traceback" not in run.err
    assert run.err.splitlines().count(RESOLUTION) == 1  # printed once, as the build printed it
    assert "build.py: --strict: 1 warning(s) of outputs already in dist/" in run.err
    findings_in(run.err)
    assert basic.outputs() == before  # dist/ unchanged, the manifest too


def test_strict_stops_a_job_on_its_warning_before_it_writes(basic, capsys):
    run = basic.build(capsys, "leaflets", "--lang", "nl", "--strict", "-j1")
    assert run.code == 1
    [refused] = [m for m in findings_in(run.err) if m["code"] == "preflight.image.resolution"]
    assert (refused["path"], refused["level"], refused["page"]) == ("dist/print/nl/proef.pdf", "error", "2")
    assert refused["message"].endswith("print needs 300 (a warning; --strict stops on it)")
    assert not any("proef" in name for name in basic.outputs())


def test_a_source_problem_and_a_job_warning_print_the_same_way(basic, capsys):
    basic.edit("content/articles/proef.md", "[@szigeti2021, p. 4]", "[@onbekend]")  # a source error
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 1
    [unknown] = findings_in(run.err)
    assert unknown["path"] == "content/articles/proef.md" and unknown["line"] and unknown["code"] == "cite.unknown"


def test_a_manifest_whose_warnings_are_not_diagnostics_is_ignored(basic, capsys):
    """The manifest is in dist/, which anyone may write: a warning there is plain JSON fields or
    the whole manifest counts as absent (never unpickled, never run)."""
    assert basic.build(capsys, "leaflets", "--lang", "nl").code == 0
    path = basic.path(f"dist/{manifest.NAME}")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["jobs"]["leaflet:nl:proef"]["warnings"] = [RESOLUTION]  # a line of text, as leafpress kept them before
    path.write_text(json.dumps(data), encoding="utf-8")
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0
    [ignored] = [m for m in findings_in(run.err) if m["code"] == "manifest.invalid"]
    assert ignored["path"] == f"dist/{manifest.NAME}" and ignored["level"] == "warning"
    assert "job 'leaflet:nl:proef' is not a fingerprint, outputs and warnings" in ignored["message"]


@pytest.mark.parametrize("bad", [
    {"line": "12"}, {"line": 0}, {"page": -1}, {"level": "fatal"}, {"path": ["x"]}, {"extra": 1}, {"code": None}])
def test_from_json_takes_only_what_to_json_writes(bad):
    good = to_json(Diagnostic(Path("/p/dist/x.pdf"), None, "warning", "preflight.x", "m", 3), Path("/p"))
    assert good["path"] == "dist/x.pdf"
    assert from_json(good) == Diagnostic("dist/x.pdf", None, "warning", "preflight.x", "m", 3)
    assert from_json({**good, **bad}) is None


def test_make_check_prints_pdfua_preflight_and_page_findings_as_diagnostics(basic_built, tmp_path, capsys,
                                                                            monkeypatch):
    monkeypatch.delenv(ACE_ENV, raising=False)  # no EPUBs, so Ace is not needed
    monkeypatch.setattr(validate, "check_verapdf", lambda paths: validate.ToolResult("verapdf", len(paths), ()))
    project = copy_project(ROOTS / "basic", tmp_path / "basic")
    dist = project.path("dist")
    leaflet = without_markinfo(basic_built.path("dist/leaflets/nl/tweede.pdf"), dist / "leaflets/nl/tweede.pdf")
    printed = dist / "print/nl/proef.pdf"
    printed.parent.mkdir(parents=True)
    shutil.copyfile(basic_built.path("dist/leaflets/nl/proef.pdf"), printed)  # a screen PDF sent to the printer

    assert validate.main([str(dist)]) == 1
    *lines, summary = capsys.readouterr().out.strip().splitlines()
    found = [DIAGNOSTIC.fullmatch(line) for line in lines]
    assert all(found), lines
    assert f"{leaflet}: error: catalog /MarkInfo /Marked is not true [pdfua.markinfo]" in lines
    codes = {m["code"].split(".")[0] for m in found if m}
    assert codes == {"pdfua", "preflight"}
    paged = [m for m in found if m and m["code"].startswith("preflight.") and m["page"]]
    assert paged and all(m["path"] == str(printed) for m in paged)
    assert summary.endswith(f": {len(lines)} finding(s)")
