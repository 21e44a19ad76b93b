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
from pathlib import Path

import pytest

from leafpress import manifest, parse_cache

from conftest import Project

MANIFEST = "dist/.leafpress-manifest.json"
CACHE = "dist/.leafpress-parsed.json"
VICTIM = b"a file outside the project, which no build may touch\n"


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
        next(iter(d["results"]["fonts cmap"])): [[70, 80], [10, 20]]}}},
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
    from leafpress.glyphs import glyph_findings
    from leafpress.load import load_and_check
    from leafpress.pipeline import Options, plan, published_languages

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
