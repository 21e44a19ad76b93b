"""One registry of output formats (issue 17): adding a format is one module that declares it and its
name in ``registry.FORMATS``. Here the module is this file: a plain-text note per published article
and language, and an index per language (a job that is not an article's, as the website's will be),
made through the real build command, kept up to date by the manifest, checked by ``make check``."""

from __future__ import annotations

import json
import shutil

import pytest

from leafpress.build import manifest
from leafpress.build.outputs import Staging, write_bytes
from leafpress.build.pipeline import Job, Made, Publishing, Session, output_path
from leafpress.diagnostics import error
from leafpress.formats import registry
from leafpress.formats.booklet_format import BOOKLETS
from leafpress.formats.format import Check, Format, MadeFrom, per_unit
from leafpress.source.load import Project
from leafpress.validate import check as validate
from leafpress.validate.check import Checking, ToolResult

# --- the module of a new format: everything it is, in one place -------------------------------------

FOLDER = "notes"
INDEX = "index"  # the job per language that lists every article out in it


def _shown(project: Project, job: Job) -> tuple[str, ...]:
    return tuple(project.articles) if job.id == INDEX else (job.id,)


def _plan(format: Format, publishing: Publishing) -> list[Job]:
    """A note per article out (by the one publishing policy), and an index per language."""
    notes = list(per_unit(format, publishing))
    return notes + [Job(format.kind, lang, INDEX, False, publishing.strict) for lang in publishing.languages]


def _make(session: Session, job: Job, staging: Staging) -> Made:
    project = session.project
    heading = (project.paths.templates / "note.txt").read_text(encoding="utf-8")
    if job.id == INDEX:
        lines = [session.localized(job.lang, a, False).title for a in project.articles
                 if job.lang in session.published[a]]
    else:
        lines = [session.localized(job.lang, job.id, job.draft).title]
    target = output_path(project, FOLDER, job.lang, f"{job.id}.txt")
    write_bytes(staging.path(target), (heading + "\n".join(lines) + "\n").encode("utf-8"))
    return Made((target,))


def _check_notes(checking: Checking) -> ToolResult:
    paths = checking.files(FOLDER, ".txt")
    found = [error(p, None, "notes.empty", "a note without a title") for p in paths
             if len(p.read_text(encoding="utf-8").splitlines()) < 2]
    return ToolResult("notes", len(paths), tuple(found))


NOTES = Format(kind="note", target="notes", folders=(FOLDER,), units="articles",
               made_from=MadeFrom(articles=_shown, templates=("note.txt",)), make=_make, priority=2,
               checks=(Check("notes", _check_notes),), plan=_plan, in_all=False)

# --- registering it, and what the build does with it ------------------------------------------------


@pytest.fixture
def noted(basic, monkeypatch):
    """The basic project, with the notes format registered and its template in templates/."""
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, NOTES))
    basic.path("templates/note.txt").write_text("Testkliniek\n", encoding="utf-8")
    return basic


def notes(project) -> dict[str, str]:
    return {str(p.relative_to(project.path("dist"))): p.read_text(encoding="utf-8")
            for p in sorted(project.path("dist").rglob("*.txt"))}


def test_a_registered_format_is_planned_made_and_written_where_it_says(noted, capsys):
    run = noted.build(capsys, "notes", "-j1")
    assert run.code == 0, run.err
    assert run.out.startswith("built 6 job(s) (6 files), 0 up to date, 0 failed"), run.out
    assert notes(noted) == {
        "notes/en/index.txt": "Testkliniek\nA test leaflet\nThe second leaflet\n",  # the translations
        "notes/en/proef.txt": "Testkliniek\nA test leaflet\n",
        "notes/en/tweede.txt": "Testkliniek\nThe second leaflet\n",
        "notes/nl/index.txt": "Testkliniek\nEen proeffolder\nDe tweede folder\n",
        "notes/nl/proef.txt": "Testkliniek\nEen proeffolder\n",
        "notes/nl/tweede.txt": "Testkliniek\nDe tweede folder\n",
    }
    made = {p.name for p in noted.path("dist").iterdir()}
    assert made == {"notes", manifest.NAME, ".leafpress-parsed.json"}  # no other format was built
    recorded = json.loads(noted.path(f"dist/{manifest.NAME}").read_text(encoding="utf-8"))
    assert sorted(recorded["jobs"]) == [f"note:{lang}:{id}" for lang in ("en", "nl")
                                        for id in ("index", "proef", "tweede")]


def test_the_manifest_keeps_a_new_format_up_to_date(noted, capsys):
    assert noted.build(capsys, "notes", "-j1").code == 0
    again = noted.build(capsys, "notes", "-j1")
    assert again.code == 0 and again.out.startswith("nothing to do: 6 job(s) up to date"), again.out

    noted.edit("content/articles/tweede.md", 'version: "2.1"', 'version: "2.2"')
    changed = noted.build(capsys, "notes", "-j1")  # tweede's notes and the indexes, which show it
    assert changed.code == 0 and changed.out.startswith("built 4 job(s) (4 files), 2 up to date"), changed.out

    noted.path("templates/note.txt").write_text("Kliniek\n", encoding="utf-8")  # what every note is made from
    restyled = noted.build(capsys, "notes", "-j1")
    assert restyled.out.startswith("built 6 job(s) (6 files), 0 up to date"), restyled.out
    assert notes(noted)["notes/nl/proef.txt"] == "Kliniek\nEen proeffolder\n"


def test_what_is_no_longer_published_loses_its_outputs(noted, capsys):
    articles = noted.path("content/articles")
    shutil.copyfile(articles / "tweede.md", articles / "kopie.md")
    noted.edit("content/articles/kopie.md", "id: tweede", "id: kopie")
    assert noted.build(capsys, "notes", "--lang", "nl", "-j1").code == 0
    assert notes(noted)["notes/nl/kopie.txt"] == "Testkliniek\nDe tweede folder\n"
    (articles / "kopie.md").unlink()
    run = noted.build(capsys, "notes", "--lang", "nl", "-j1")
    assert run.code == 0
    assert "removed dist/notes/nl/kopie.txt: no longer published" in run.err
    assert run.out.startswith("built 1 job(s) (1 files), 2 up to date, 0 failed, 1 removed"), run.out  # the index
    assert "notes/nl/kopie.txt" not in notes(noted)


def test_a_template_a_format_declares_is_required(noted, capsys):
    noted.path("templates/note.txt").unlink()
    run = noted.build(capsys, "booklets")  # whatever is built: the project lacks a template
    assert run.code == 1
    assert "templates/note.txt: error: template file missing; restore it" in run.err


def test_a_new_format_is_outside_all_until_it_says_so(basic, capsys, monkeypatch):
    """Leaflets out of the way (slow), so ``all`` is the booklets, and the notes only once they are in it."""
    basic.path("templates/note.txt").write_text("Testkliniek\n", encoding="utf-8")
    monkeypatch.setattr(registry, "FORMATS", (BOOKLETS, NOTES))
    assert basic.build(capsys, "all").code == 0
    assert not notes(basic) and list(basic.path("dist/booklets").rglob("*.epub"))
    monkeypatch.setattr(registry, "FORMATS", (BOOKLETS, NOTES._replace(in_all=True)))
    basic.path("templates/note.txt").write_text("Kliniek\n", encoding="utf-8")  # not what booklets are made from
    run = basic.build(capsys, "all")
    assert run.out.startswith("built 6 job(s) (6 files), 2 up to date"), run.out  # the booklets, made before
    assert len(notes(basic)) == 6


def test_make_check_runs_the_checks_a_format_declares(noted, capsys, monkeypatch):
    assert noted.build(capsys, "notes", "-j1").code == 0
    monkeypatch.setattr(registry, "FORMATS", (NOTES,))
    dist = noted.path("dist")
    assert validate.main([str(dist)]) == 0
    assert capsys.readouterr().out.strip() == "checked notes: 6 file(s), 0 finding(s): no findings"
    (dist / "notes/en/proef.txt").write_text("Testkliniek\n", encoding="utf-8")
    assert validate.main([str(dist)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{dist / 'notes/en/proef.txt'}: error: a note without a title [notes.empty]",
                   "checked notes: 6 file(s), 1 finding(s): 1 finding(s)"]


def test_a_format_writes_only_in_the_folders_it_declares(noted, capsys, monkeypatch):
    astray = NOTES._replace(folders=("leaflets",))  # declares one folder, writes in another
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS[:-1], astray))
    run = noted.build(capsys, "notes", "--lang", "nl", "-j1")
    assert run.code == 1
    assert "build.py: internal error while making note nl/proef:" in run.err
    assert "is not in the folders of dist/ its format writes: leaflets" in run.err
    assert not notes(noted)


def test_the_manifest_takes_only_the_kinds_of_registered_formats(noted, capsys, monkeypatch):
    assert noted.build(capsys, "notes", "--lang", "nl", "-j1").code == 0
    assert manifest.read(noted.root)[1] is None
    monkeypatch.setattr(registry, "FORMATS", registry.FORMATS[:-1])  # the notes format is gone again
    recorded, problem = manifest.read(noted.root)
    assert recorded == manifest.empty()  # ignored whole: nothing it names is looked at or removed
    assert problem is not None and problem.code == "manifest.invalid"
