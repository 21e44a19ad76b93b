"""A hostile environment: full and read-only disks, missing templates, a language Babel
does not know, odd files in content/, a closed stdout. Each ends in one sentence that
says what to do (or, for a closed pipe, quietly), never a traceback, dist/ as it was
(issue 16)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, Project

YESTERDAY = b"the good leaflet from yesterday"


def with_yesterday(project: Project) -> None:
    leaflet = project.path("dist/leaflets/nl/proef.pdf")
    leaflet.parent.mkdir(parents=True)
    leaflet.write_bytes(YESTERDAY)


def refused(project: Project, capsys, *args: str):
    """Build; it must fail with exit 1, no traceback, and leave dist/ as it was."""
    run = project.build(capsys, *(args or ("all",)))
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert project.outputs() == {"leaflets/nl/proef.pdf": YESTERDAY}
    return run


def odd_file(project: Project, kind: str) -> str:
    folder, suffix = {"article": ("articles", "md"), "booklet": ("booklets", "yaml")}[kind]
    return f"content/{folder}/x.{suffix}"


@pytest.mark.parametrize("kind", ["article", "booklet"])
def test_a_dangling_symbolic_link_is_named_as_itself(basic, capsys, kind):
    relative = odd_file(basic, kind)
    basic.path(relative).symlink_to("gone." + relative.rsplit(".", 1)[1])
    with_yesterday(basic)
    run = refused(basic, capsys)
    assert (f"{relative}: error: symbolic link to 'gone.{relative.rsplit('.', 1)[1]}', which does not exist; "
            f"remove the link or restore the {kind} it points to [{kind}.file]") in run.err


@pytest.mark.parametrize("kind", ["article", "booklet"])
def test_a_folder_with_a_source_name_is_an_error(basic, capsys, kind):
    relative = odd_file(basic, kind)
    basic.path(relative).mkdir()
    with_yesterday(basic)
    run = refused(basic, capsys)
    assert f"{relative}: error: a folder, not a{'n' if kind == 'article' else ''} {kind} file, has this name" in run.err
    assert f"[{kind}.file]" in run.err


def test_a_dangling_link_added_after_a_build_is_not_nothing_to_do(basic, capsys):
    assert basic.build(capsys, "leaflets", "--lang", "nl").code == 0
    before = basic.outputs()
    basic.path("content/articles/x.md").symlink_to("gone.md")
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 1 and "[article.file]" in run.err and "Traceback" not in run.err
    assert basic.outputs().keys() == before.keys()


@pytest.mark.parametrize("name", ["leaflet.html", "theme.css", "chapter.xhtml", "icc/ghostscript-default_cmyk.icc"])
def test_a_missing_template_is_named_with_how_to_restore_it(basic, capsys, name):
    basic.path(f"templates/{name}").unlink()
    with_yesterday(basic)
    run = refused(basic, capsys)
    assert (f"templates/{name}: error: template file missing; restore it (git checkout templates/{name}, "
            "or copy it from leafpress's templates/ folder) [theme.missing]") in run.err.splitlines()


@pytest.mark.parametrize("code", ["qaa", "xx", "tlh"])
def test_a_language_babel_does_not_know_is_an_error_at_its_line(basic, capsys, code):
    basic.edit("content/site.yaml", "languages: [nl, en]", f"languages: [nl, en, {code}]")
    with_yesterday(basic)
    run = refused(basic, capsys)
    assert (f"content/site.yaml:4: error: Babel does not know the language '{code}'; leafpress needs Babel's "
            "dates, numbers, plural rules and script direction for it; use a code Babel knows, e.g. en, ar, uk "
            "[config.language]") in run.err.splitlines()
    status = basic.build(capsys, "status")
    assert status.code == 1 and "Traceback" not in status.err and "[config.language]" in status.err


def failing_replace(number: int, dist: Path):
    """os.replace that fails with ``number`` for anything put into ``dist`` (as a full
    or read-only disk would: every write there fails, nothing else)."""
    real = os.replace

    def replace(source, target, *args, **kwargs):
        if Path(target).resolve().is_relative_to(dist.resolve()):
            raise OSError(number, os.strerror(number), str(target))
        return real(source, target, *args, **kwargs)
    return replace


@pytest.mark.parametrize("number, advice", [
    (errno.ENOSPC, "the disk is full; free some space and build again"),
    (errno.EACCES, "permission denied; make it writable for you (e.g. chmod -R u+w dist) and build again"),
    (errno.EROFS, "the disk is mounted read-only; build the project on a writable disk"),
    (errno.EDQUOT, "your disk quota is used up; free some space and build again"),
])
def test_a_disk_that_takes_nothing_ends_in_one_sentence(basic, capsys, monkeypatch, number, advice):
    with_yesterday(basic)
    monkeypatch.setattr(os, "replace", failing_replace(number, basic.path("dist")))
    run = refused(basic, capsys, "leaflets", "-j1")
    faults = [l for l in run.err.splitlines() if l.startswith("build.py: error: cannot write dist/")]
    assert faults and all(l.endswith(": " + advice) for l in faults), run.err
    assert "build.py: error: cannot write dist/leaflets/nl/proef.pdf: " + advice in faults
    assert "internal error" not in run.err
    assert not [p for p in basic.path("dist").rglob("*") if p.name.endswith(".tmp")]  # no temporary left


def test_a_file_size_limit_ends_in_one_sentence(basic):
    """A real failing write, no monkeypatch: a 10 kB file-size limit (root may write to
    any folder, so chmod cannot make dist/ read-only here). WeasyPrint's temporary font
    files fail first; a failed write() names no file."""
    with_yesterday(basic)
    run = subprocess.run([sys.executable, "-c", "import resource, sys; "
                          "resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000)); "
                          "from leafpress.cli import main; sys.exit(main(sys.argv[1:]))",
                          "leaflets", "--lang", "nl", "-j1", "--root", str(basic.root)],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 1, run.stderr
    assert run.stderr == ("build.py: error: cannot write a file: the file is larger than this system allows "
                          "(a file-size limit); raise the limit and build again\n")
    assert basic.outputs() == {"leaflets/nl/proef.pdf": YESTERDAY}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_read_only_dist_ends_in_one_sentence(basic, capsys):
    with_yesterday(basic)
    folders = [basic.path("dist"), *[p for p in basic.path("dist").rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        run = refused(basic, capsys, "leaflets", "-j1")
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert "permission denied; make it writable for you (e.g. chmod -R u+w dist) and build again" in run.err


def test_status_into_a_closed_pipe_ends_quietly(basic):
    """`build.py status | head -1`: the reader is gone before leafpress writes."""
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "status", "--root", str(basic.root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait() == 141, error
    assert error == ""


def test_status_through_head_prints_its_first_line(basic):
    run = subprocess.run(f"'{sys.executable}' '{REPO / 'build.py'}' status --root '{basic.root}' | head -1",
                         shell=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.stdout.startswith("en   proef ") and run.stdout.count("\n") == 1
    assert run.stderr == ""


def test_nothing_to_do_into_a_closed_pipe_ends_quietly(basic, capsys):
    assert basic.build(capsys, "leaflets", "--lang", "nl").code == 0
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "leaflets", "--lang", "nl",
                                "--root", str(basic.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait() == 141
    assert "Traceback" not in error and "BrokenPipe" not in error
