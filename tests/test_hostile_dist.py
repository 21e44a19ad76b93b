"""Hostile and broken files in dist/, and builds that fail, are stopped or overlap (issue 16).

Whoever can write ``dist/`` (a restored CI cache, a synced folder) can write the
bookkeeping files a build reads from it. Nothing in them may run code or make the
build touch a path outside ``dist/``; a file of the wrong shape is ignored with one
line, never a traceback. A job's outputs are replaced together or not at all, its
temporary files never outlive a build, and two builds at once leave a manifest that
records what both made.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, Project
from leafpress.build import manifest, parse_cache
from leafpress.build.outputs import TEMPORARY
from leafpress.diagnostics import BuildFailed, error

MANIFEST = "dist/.leafpress-manifest.json"
CACHE = "dist/.leafpress-parsed.json"
VICTIM = b"a file outside the project, which no build may touch\n"
LEAFLET = ("leaflets/nl/proef.pdf", "print/nl/proef.pdf", "brochures/nl/proef.pdf")


@pytest.fixture
def built(basic_built, tmp_path) -> Project:
    """A copy of the basic example as built in every language, with a victim file beside it."""
    project = Project(tmp_path / "basic")
    shutil.copytree(basic_built.root, project.root, symlinks=True)  # copy2: the manifest's times still hold
    (tmp_path / "victim.txt").write_bytes(VICTIM)
    return project


def outside(project: Project) -> dict[str, bytes]:
    """Every file around the project and in it, but for dist/: what no build may change."""
    base = project.root.parent
    dist = project.root / "dist"
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and not p.is_symlink() and dist not in p.parents}


def temporaries(project: Project) -> list[str]:
    return sorted(str(p.relative_to(project.root)) for p in project.path("dist").rglob("*")
                  if TEMPORARY.fullmatch(p.name))


def published(project: Project) -> dict[str, bytes]:
    """dist/ but for the build's own bookkeeping (``.leafpress-*``, rewritten by every build)."""
    return {name: data for name, data in project.outputs().items() if not Path(name).name.startswith(".leafpress-")}


def assert_clean(run, code: int = 0) -> None:
    assert run.code == code, run.err
    assert "Traceback" not in run.err


def job_entry(project: Project, outputs: dict) -> dict:
    """The manifest with one more job whose outputs are ``outputs`` (a job no longer
    planned: the build removes what it names)."""
    data = json.loads(project.path(MANIFEST).read_text(encoding="utf-8"))
    data["jobs"]["leaflet:nl:gone"] = {"fingerprint": "x", "outputs": outputs, "warnings": []}
    return data


# --- the parse cache -----------------------------------------------------------


class Payload:
    """Unpickling this runs code: it writes ``marker``."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('code from dist/ ran')",)


def payload(marker: Path) -> bytes:
    data = pickle.dumps((parse_cache.code_version(), {("po", b"0" * 16): Payload(marker)}))
    pickle.loads(data)  # the payload is live: loading it runs the code
    assert marker.read_text() == "code from dist/ ran"
    marker.unlink()
    return data


@pytest.mark.parametrize("command", ["check", "status", "build"])
def test_a_pickle_payload_in_the_old_cache_file_runs_nothing(built, capsys, tmp_path, command):
    marker = tmp_path / "marker"
    built.path("dist/.leafpress-parsed.pickle").write_bytes(payload(marker))
    before = outside(built)
    run = built.build(capsys, *(("booklets", "--lang", "nl", "--force") if command == "build" else (command,)))
    assert_clean(run)
    assert not marker.exists()
    assert outside(built) == before
    if command == "build":  # the old file is gone; the new one is data
        assert not built.path("dist/.leafpress-parsed.pickle").exists()
        assert parse_cache.load(built.root).stored


def test_a_pickle_payload_as_the_cache_file_is_ignored_with_a_note(built, capsys, tmp_path):
    marker = tmp_path / "marker"
    built.path(CACHE).write_bytes(payload(marker))
    dist = built.outputs()
    run = built.build(capsys, "check")
    assert_clean(run)
    assert not marker.exists()
    assert run.err.count("\n") == 1
    assert run.err.startswith(f"{CACHE}: note: not a parse cache this leafpress wrote (expected JSON); ignored")
    assert built.outputs() == dist


def _cache_document(project: Project) -> dict:
    return json.loads(project.path(CACHE).read_bytes())


def _po(document: dict) -> dict:
    return next(iter(document["results"]["po"].values()))


WRONG_CACHES = {
    "truncated": lambda d, raw: raw[: len(raw) // 2],
    "garbage": lambda d, raw: os.urandom(4000),
    "a list": lambda d, raw: b"[]",
    "unknown kind": lambda d, raw: {**d, "results": {**d["results"], "pickle": {}}},
    "bad digest": lambda d, raw: {**d, "results": {"po": {"../../victim": _po(d)}}},
    "line as a string": lambda d, raw: (_po(d)["entries"][0].__setitem__(3, "7"), d)[1],
    "fuzzy as a number": lambda d, raw: (_po(d)["entries"][0].__setitem__(2, 1), d)[1],
    "characters out of order": lambda d, raw: {**d, "results": {**d["results"], "fonts cmap": {
        next(iter(d["results"]["fonts cmap"])): "zab"}}},
    "characters as numbers": lambda d, raw: {**d, "results": {**d["results"], "fonts cmap": {
        next(iter(d["results"]["fonts cmap"])): [[0, 1114111]]}}},
    "an extra field": lambda d, raw: {**d, "extra": 1},
}


@pytest.mark.parametrize("case", WRONG_CACHES)
def test_a_cache_file_of_the_wrong_shape_is_parsed_anew_with_a_note(built, capsys, case):
    raw = built.path(CACHE).read_bytes()
    broken = WRONG_CACHES[case](_cache_document(built), raw)
    built.path(CACHE).write_bytes(broken if isinstance(broken, bytes) else json.dumps(broken).encode())
    assert parse_cache.load(built.root).stored == {}
    dist = built.outputs()
    run = built.build(capsys, "check")
    assert_clean(run)
    assert run.err.startswith(f"{CACHE}: note: not a parse cache this leafpress wrote")
    assert "no errors" in run.out
    assert built.outputs() == dist


def test_a_build_after_a_broken_cache_file_writes_a_good_one(built, capsys):
    raw = built.path(CACHE).read_bytes()
    built.path(CACHE).write_bytes(raw[: len(raw) // 3])
    run = built.build(capsys, "booklets", "--lang", "nl", "--force")
    assert_clean(run)
    assert run.err.count("note: not a parse cache") == 1
    assert parse_cache.load(built.root).stored
    assert built.path(CACHE).read_bytes() == raw  # the same results, written the same way


def test_a_cache_file_that_is_a_symbolic_link_is_not_followed(built, capsys, tmp_path):
    target = tmp_path / "victim.txt"
    built.path(CACHE).unlink()
    built.path(CACHE).symlink_to(target)
    assert parse_cache.load(built.root).stored == {}
    before = outside(built)
    run = built.build(capsys, "booklets", "--lang", "nl", "--force")
    assert_clean(run)
    assert "a symbolic link" in run.err
    assert outside(built) == before and target.read_bytes() == VICTIM
    assert not built.path(CACHE).is_symlink()


def test_everything_a_check_parses_is_kept_and_reads_back_the_same(built):
    """Every kind of parse result has a codec that writes it as data and reads it back
    equal (a parser that returns something new must get one, or it is parsed every time)."""
    from leafpress.build.pipeline import Options, plan, published_languages
    from leafpress.render.glyphs import glyph_findings
    from leafpress.source.load import load_and_check

    def check(parsed):
        project, _ = load_and_check(built.root, parsed)
        jobs, _ = plan(project, Options())
        glyph_findings(project, jobs, published_languages(project), parsed)
        return parsed

    fresh = check(parse_cache.Parsed(parse_cache.code_version()))
    stored = parse_cache.load(built.root).stored
    assert {what for what, _ in fresh.used} <= {what for what, _ in stored}
    assert {key: stored[key] for key in fresh.used} == fresh.used
    again = check(parse_cache.load(built.root))
    assert again.used.keys() <= again.stored.keys()  # nothing parsed again


# --- the manifest ----------------------------------------------------------------


@pytest.mark.parametrize("relative", ["dist/../../victim.txt", "{tmp}/victim.txt", "dist/leaflets/../../../victim.txt"])
def test_a_manifest_naming_a_file_outside_dist_removes_nothing(built, capsys, tmp_path, relative):
    relative = relative.format(tmp=tmp_path)
    data = job_entry(built, {relative: [len(VICTIM), 0]})
    built.path(MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    before = outside(built)
    run = built.build(capsys, "leaflets", "--lang", "nl")
    assert_clean(run)
    assert f"{MANIFEST}: warning: not a manifest this leafpress wrote (job 'leaflet:nl:gone' names " in run.err
    assert "which is not a file inside dist/); ignored, so every output is made again [manifest.invalid]" in run.err
    assert run.err.count("[manifest.invalid]") == 1
    assert "removed" not in run.err
    assert (tmp_path / "victim.txt").read_bytes() == VICTIM
    assert outside(built) == before


@pytest.mark.parametrize("link", ["folder", "file"])
def test_a_manifest_path_through_a_symbolic_link_leaving_dist_removes_nothing(built, capsys, tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_bytes(VICTIM)
    if link == "folder":
        built.path("dist/escape").symlink_to(elsewhere, target_is_directory=True)
        relative = "dist/escape/victim.txt"
    else:
        built.path("dist/leaflets/nl/gone.pdf").symlink_to(elsewhere / "victim.txt")
        relative = "dist/leaflets/nl/gone.pdf"
    built.path(MANIFEST).write_text(json.dumps(job_entry(built, {relative: [len(VICTIM), 0]})), encoding="utf-8")
    before = outside(built)
    run = built.build(capsys, "leaflets", "--lang", "nl")
    assert_clean(run)
    assert f"names '{relative}', which is not a file inside dist/" in run.err
    assert (elsewhere / "victim.txt").read_bytes() == VICTIM
    assert outside(built) == before


def test_an_unpublished_output_inside_dist_is_still_removed(built, capsys):
    """The confinement keeps what the manifest is for: an output no longer published goes."""
    gone = built.path("dist/leaflets/nl/gone.pdf")
    gone.write_bytes(b"an outdated translation")
    data = job_entry(built, {"dist/leaflets/nl/gone.pdf": [gone.stat().st_size, gone.stat().st_mtime_ns]})
    built.path(MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    run = built.build(capsys, "leaflets", "--lang", "nl")
    assert_clean(run)
    assert "removed dist/leaflets/nl/gone.pdf: no longer published" in run.err
    assert not gone.exists()


WRONG_MANIFESTS = {
    "a list": [],
    "a string": "dist/leaflets",
    "null": None,
    "jobs as a list": {"format": 1, "runs": {}, "jobs": []},
    "another format": {"format": 2, "runs": {}, "jobs": {}},
    "missing keys": {"format": 1, "jobs": {}},
    "a job without fingerprint": {"format": 1, "runs": {}, "jobs": {
        "leaflet:nl:proef": {"outputs": {}, "warnings": []}}},
    "outputs with text stats": {"format": 1, "runs": {}, "jobs": {
        "leaflet:nl:proef": {"fingerprint": "x", "outputs": {"dist/leaflets/nl/proef.pdf": ["big", 1.5]},
                             "warnings": []}}},
    "a job key without kind and language": {"format": 1, "runs": {}, "jobs": {
        "proef": {"fingerprint": "x", "outputs": {}, "warnings": []}}},
    "a run naming a job without colons": {"format": 1, "jobs": {}, "runs": {
        "run": {"snapshot": {}, "jobs": ["proef"], "warnings": []}}},
}


@pytest.mark.parametrize("case", [*WRONG_MANIFESTS, "not JSON", "deeply nested"])
def test_a_manifest_of_the_wrong_shape_is_ignored_with_one_line_and_the_next_build_is_fine(built, capsys, case):
    text = {"not JSON": '{"format": 1, "jobs": {', "deeply nested": "[" * 100_000 + "]" * 100_000}.get(case)
    built.path(MANIFEST).write_text(text if text is not None else json.dumps(WRONG_MANIFESTS[case]), encoding="utf-8")
    before = outside(built)
    run = built.build(capsys, "booklets", "--lang", "nl")
    assert_clean(run)
    assert run.err.count(f"{MANIFEST}: warning: not a manifest this leafpress wrote (") == 1
    assert "ignored, so every output is made again [manifest.invalid]" in run.err
    assert "built 1 job(s)" in run.out
    assert outside(built) == before
    assert manifest.read(built.root)[1] is None  # written whole again
    again = built.build(capsys, "booklets", "--lang", "nl")
    assert_clean(again)
    assert again.out.startswith("nothing to do") and "manifest" not in again.err


def test_a_manifest_that_is_a_symbolic_link_is_neither_followed_nor_written_through(built, capsys, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text(built.path(MANIFEST).read_text(encoding="utf-8"), encoding="utf-8")  # a manifest, even
    original = victim.read_bytes()
    built.path(MANIFEST).unlink()
    built.path(MANIFEST).symlink_to(victim)
    run = built.build(capsys, "booklets", "--lang", "nl")
    assert_clean(run)
    assert "(a symbolic link, not a file)" in run.err
    assert victim.read_bytes() == original
    assert not built.path(MANIFEST).is_symlink() and manifest.read(built.root)[1] is None


# --- a job's outputs: together or not at all --------------------------------------


@pytest.mark.parametrize("stage", ["formats.print.pdfx.writer.print_from_pdf", "formats.print.impose.impose_saddle_stitch"])
def test_a_leaflet_job_that_fails_midway_keeps_all_its_old_outputs(built, capsys, monkeypatch, stage):
    """The screen PDF (and for the brochure, the print PDF) is already written when the
    next step fails: every old file stays, no new one appears, no temporary file is left."""
    import importlib

    old = {name: f"yesterday's {name}".encode() for name in LEAFLET}
    for name, data in old.items():
        built.path(f"dist/{name}").write_bytes(data)
    module, function = stage.rsplit(".", 1)
    seen = []

    def fails(*args, **kwargs):
        written = [p for p in built.path("dist/leaflets/nl").iterdir() if p.name.startswith(".proef.pdf.")]
        seen.extend(p.stat().st_size for p in written)
        raise BuildFailed([error("dist/print/nl/proef.pdf", None, "test.fault", "the disk is full (a stand-in)")])

    monkeypatch.setattr(importlib.import_module(f"leafpress.{module}"), function, fails)
    before, dist = outside(built), published(built)
    run = built.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert_clean(run, 1)
    assert "dist/print/nl/proef.pdf: error: the disk is full (a stand-in) [test.fault]" in run.err
    assert seen and all(size > 1000 for size in seen)  # the new screen PDF was there, under its temporary name
    assert {name: built.path(f"dist/{name}").read_bytes() for name in LEAFLET} == old
    assert temporaries(built) == []
    assert published(built) == dist
    assert outside(built) == before
    monkeypatch.undo()
    again = built.build(capsys, "leaflets", "--lang", "nl")  # the old files no longer match the manifest
    assert_clean(again)
    assert all(built.path(f"dist/{name}").read_bytes().startswith(b"%PDF") for name in LEAFLET)


@pytest.mark.parametrize("there", [True, False])
def test_an_output_folder_linked_outside_dist_is_not_written_through(built, capsys, tmp_path, there):
    elsewhere = tmp_path / "elsewhere"
    if there:
        elsewhere.mkdir()
    shutil.rmtree(built.path("dist/print"))
    built.path("dist/print").symlink_to(elsewhere, target_is_directory=True)
    before, dist = outside(built), published(built)
    run = built.build(capsys, "leaflets", "--lang", "nl", "--force", "-j1")
    assert_clean(run, 1)
    assert ("dist/print: error: this folder is a symbolic link that leads outside dist/, so nothing is "
            "written through it; remove it and build again [dist.outside]") in run.err
    assert list(elsewhere.iterdir()) == [] if there else not elsewhere.exists()
    assert published(built) == dist
    assert outside(built) == before
    assert temporaries(built) == []


# --- temporary files: never left behind ---------------------------------------------


def _build_process(project: Project, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), *args, "--root", str(project.root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.parametrize("workers", ["-j1", "-j2"])
def test_sigterm_during_a_build_leaves_no_temporary_file(basic, capsys, workers):
    """SIGTERM to the build's main process while a job's files wait under their
    temporary names: exit 143 with a sentence, every temporary file gone, every process
    gone; the next build makes everything and leaves none either."""
    build = _build_process(basic, "all", workers)
    deadline = time.monotonic() + 120

    def job_files() -> list[str]:  # not the bookkeeping written at the very end
        return [name for name in temporaries(basic) if not Path(name).name.startswith(".leafpress-")]

    while not job_files() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert build.poll() is None, "the build ended before it could be stopped"
    os.kill(build.pid, signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 143, err
    assert "build.py: stopped (SIGTERM)" in err and "Traceback" not in err
    for _ in range(200):  # the workers are gone too
        try:
            os.killpg(build.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("a worker process outlived the build")
    assert temporaries(basic) == []
    run = basic.build(capsys, "all")
    assert_clean(run)
    assert temporaries(basic) == []


def _exited_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_next_build_sweeps_what_a_killed_build_left_and_keeps_another_builds(built, capsys):
    folder = built.path("dist/leaflets/nl")
    hour_ago = time.time() - 3600
    stale = [folder / f".proef.pdf.{_exited_pid()}.abcd_123.tmp", folder / ".tweede.pdf.x1y2z3w4.tmp",
             built.path("dist/.leafpress-manifest.tmp"), built.path(f"dist/.leafpress-parsed.json.{_exited_pid()}.qwertyui.tmp")]
    for path in stale:
        path.write_bytes(b"")
        os.utime(path, (hour_ago, hour_ago))
    another = folder / f".proef.pdf.{os.getpid()}.zzzzzzzz.tmp"  # a live process's: another build, writing
    another.write_bytes(b"half a PDF")
    run = built.build(capsys, "booklets", "--lang", "nl", "--force")
    assert_clean(run)
    assert temporaries(built) == [str(another.relative_to(built.root))]
    assert another.read_bytes() == b"half a PDF"


def test_two_builds_at_once_leave_a_manifest_that_records_both(basic, capsys):
    leaflets = _build_process(basic, "leaflets", "-j1")
    booklets = _build_process(basic, "booklets", "-j1")
    for build in (leaflets, booklets):
        _, err = build.communicate(timeout=300)
        assert build.returncode == 0 and "Traceback" not in err, err
    data, problem = manifest.read(basic.root)
    assert problem is None
    assert {key.split(":")[0] for key in data["jobs"]} == {"leaflet", "booklet"}
    assert temporaries(basic) == []
    run = basic.build(capsys, "all")
    assert_clean(run)
    assert "built 0 job(s) (0 files), 6 up to date" in run.out
