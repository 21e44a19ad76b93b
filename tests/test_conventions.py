"""The conventions of a Python project (issue 17): one command line behind three doors, the
package's own files found from the project, the fingerprint over every module of the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from leafpress.build import manifest
from leafpress.build.inputs import Hasher
from leafpress.source.load import load_project

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
INSTALLED_SCRIPT = Path(sys.executable).parent / "leafpress"  # where pip install -e puts the console script


def _run(command: list[str], cwd: Path, pythonpath: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _entry_point() -> list[str]:
    """The ``[project.scripts]`` entry, called as pip's generated script calls it."""
    module, function = PYPROJECT["project"]["scripts"]["leafpress"].split(":")
    script = (f"import sys; sys.argv[0] = 'leafpress'; from {module} import {function}; "
              f"sys.exit({function}())")
    return [sys.executable, "-c", script]


DOORS = {
    "build.py": [sys.executable, str(REPO / "build.py")],
    "python -m leafpress": [sys.executable, "-m", "leafpress"],
    "leafpress (entry point)": _entry_point(),
}


def test_the_console_script_is_declared():
    assert PYPROJECT["project"]["scripts"] == {"leafpress": "leafpress.cli:main"}
    assert (REPO / "leafpress" / "__main__.py").is_file()


@pytest.mark.parametrize("args", [["status"], ["status", "--json"], ["status", "--lang", "en"]])
def test_every_door_gives_the_same_status(basic, tmp_path, args):
    runs = {door: _run([*command, *args, "--root", str(basic.root)], cwd=tmp_path)
            for door, command in DOORS.items()}
    first = runs["build.py"]
    assert first.returncode == 0, first.stderr
    assert "proef" in first.stdout
    for door, run in runs.items():
        assert (run.returncode, run.stdout, run.stderr) == (first.returncode, first.stdout, first.stderr), door


def test_every_door_builds_the_same_booklets(tmp_path):
    from leafpress.validate.golden import copy_sources

    made = {}
    for number, (door, command) in enumerate(DOORS.items()):
        root = copy_sources(REPO / "tests" / "roots" / "basic", tmp_path / f"root-{number}")
        run = _run([*command, "booklets", "--root", str(root)], cwd=tmp_path)
        assert run.returncode == 0, f"{door}: {run.stderr}"
        assert run.stdout.startswith("built "), door
        dist = root / "dist"
        made[door] = {str(p.relative_to(dist)): p.read_bytes() for p in sorted(dist.rglob("*.epub"))}
    assert made["build.py"], "no booklet was made"
    assert all(files == made["build.py"] for files in made.values())  # byte for byte: reproducible builds


def test_every_door_refuses_a_mistake_alike(basic, tmp_path):
    """An unknown command: exit 2, the usage naming the door the user came through."""
    names = {"build.py": "build.py", "python -m leafpress": "python -m leafpress",
             "leafpress (entry point)": "leafpress"}
    for door, command in DOORS.items():
        run = _run([*command, "publish", "--root", str(basic.root)], cwd=tmp_path)
        assert run.returncode == 2, door
        assert run.stderr.startswith(f"usage: {names[door]} "), run.stderr
        assert "invalid choice: 'publish'" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.skipif(not INSTALLED_SCRIPT.exists(), reason="no console script in this venv yet: reinstall it "
                    "(make setup, which runs pip install -e '.[test]' when pyproject.toml changed)")
def test_the_installed_script_gives_the_same_status(basic, tmp_path):
    script = _run([str(INSTALLED_SCRIPT), "status", "--json", "--root", str(basic.root)], cwd=tmp_path)
    build_py = _run([*DOORS["build.py"], "status", "--json", "--root", str(basic.root)], cwd=tmp_path)
    assert script.returncode == build_py.returncode == 0, script.stderr
    assert script.stdout == build_py.stdout


# --- the project's templates, not the package's folder ----------------------------------------------


def test_no_module_finds_templates_from_where_it_lies():
    """Templates come from the project (``Paths.templates``); where a module looks at its own file,
    it is for the code itself, and only leafpress/shipped.py knows the templates that come with it."""
    looking = {path.relative_to(REPO / "leafpress").as_posix() for path in (REPO / "leafpress").rglob("*.py")
               if "__file__" in path.read_text(encoding="utf-8")}
    assert looking == {
        "shipped.py",   # the templates that come with leafpress, named once
        "build/manifest.py",    # the package's own modules: the code fingerprint
        "validate/verapdf.py",  # VeraPDFCheck.java, package data next to it
        "validate/axe.py",      # axe_pages.mjs, package data next to it
        "validate/golden.py",   # a developer's tool over the repository's own tests/golden/
    }


def test_the_build_takes_the_csl_style_from_the_project(basic, capsys):
    """A project's own reference style is the one its booklets are made with (the e-reader
    shows its reference list as that style writes it), not the one that comes with leafpress."""
    style = basic.path("templates/csl/apa-7-leafpress.csl")
    text = style.read_text(encoding="utf-8")
    assert text.count("    <layout>\n      <choose>") == 1  # the reference list's layout
    style.write_text(text.replace("    <layout>\n      <choose>", '    <layout prefix="EIGEN-STIJL ">\n      <choose>'),
                     encoding="utf-8")
    assert load_project(basic.root)[0].paths.csl_style == style
    assert basic.build(capsys, "booklets", "--lang", "nl").code == 0
    with zipfile.ZipFile(next(basic.path("dist/booklets/nl").glob("*.epub"))) as epub:
        pages = " ".join(epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith(".xhtml"))
    assert pages.count("EIGEN-STIJL") == 2  # szigeti2021 and morgan2012


# --- the code fingerprint ---------------------------------------------------------------------------


@pytest.fixture
def package_copy(tmp_path, monkeypatch) -> Path:
    """A copy of leafpress with a subpackage, as the next change will have, put in the package's place."""
    package = tmp_path / "code" / "leafpress"
    shutil.copytree(REPO / "leafpress", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "stages").mkdir()
    (package / "stages" / "__init__.py").write_text("", encoding="utf-8")
    (package / "stages" / "parse.py").write_text("STAGE = 'parse'\n", encoding="utf-8")
    monkeypatch.setattr(manifest, "PACKAGE", package)
    return package


def test_every_module_of_the_package_is_in_the_fingerprint(package_copy, tmp_path):
    assert "stages/parse.py" in manifest.code_stats()
    assert {manifest.code_name(p) for p in manifest.code_files()} >= {"cli.py", "stages/__init__.py",
                                                                      "stages/parse.py"}
    before = Hasher(tmp_path).code(), manifest.code_stats()["stages/parse.py"]
    (package_copy / "stages" / "parse.py").write_text("STAGE = 'parse, changed'\n", encoding="utf-8")
    after = Hasher(tmp_path).code(), manifest.code_stats()["stages/parse.py"]
    assert before[0] != after[0]  # what a job's fingerprint is made from
    assert before[1] != after[1]  # what the quick nothing-to-do check compares


def test_the_fingerprint_does_not_depend_on_where_leafpress_is(package_copy, tmp_path):
    here = Hasher(tmp_path).code()
    elsewhere = tmp_path / "elsewhere" / "leafpress"
    shutil.move(package_copy, elsewhere)
    manifest.PACKAGE = elsewhere  # undone by monkeypatch with the rest
    assert Hasher(tmp_path).code() == here


def test_a_change_in_a_subpackage_rebuilds(tmp_path):
    """End to end: the same booklets, built by a copy of leafpress that then gets a changed module
    in a subpackage; the next build makes them again instead of answering "nothing to do"."""
    from leafpress.validate.golden import copy_sources

    code = tmp_path / "code"
    shutil.copytree(REPO / "leafpress", code / "leafpress", ignore=shutil.ignore_patterns("__pycache__"))
    (code / "leafpress" / "stages").mkdir()
    (code / "leafpress" / "stages" / "__init__.py").write_text("", encoding="utf-8")
    module = code / "leafpress" / "stages" / "parse.py"
    module.write_text("STAGE = 'parse'\n", encoding="utf-8")
    root = copy_sources(REPO / "tests" / "roots" / "basic", tmp_path / "basic")
    build = [sys.executable, "-m", "leafpress", "booklets", "--root", str(root)]
    first = _run(build, cwd=tmp_path, pythonpath=code)
    assert first.returncode == 0 and first.stdout.startswith("built 2 job(s)"), first.stdout + first.stderr
    again = _run(build, cwd=tmp_path, pythonpath=code)
    assert again.stdout.startswith("nothing to do"), again.stdout
    module.write_text("STAGE = 'parse, changed'\n", encoding="utf-8")
    changed = _run(build, cwd=tmp_path, pythonpath=code)
    assert changed.returncode == 0 and changed.stdout.startswith("built 2 job(s)"), changed.stdout + changed.stderr


def test_a_print_shop_profile_is_in_the_fingerprint(basic):
    from leafpress.build.inputs import Inputs
    from leafpress.build.pipeline import Job

    shutil.copyfile(REPO / "templates" / "icc" / "ghostscript-default_cmyk.icc", basic.path("shop.icc"))
    basic.edit("content/site.yaml", "format: A5", "format: A5\nicc_profile: shop.icc")
    project, _ = load_project(basic.root)
    job = Job("leaflet", "nl", "proef", False, False)

    def fingerprint() -> str:
        return Inputs(project, {"proef": ("nl",)}, Hasher(basic.root), "code").fingerprint(job)

    before = fingerprint()
    with basic.path("shop.icc").open("ab") as profile:
        profile.write(b"\0")
    assert fingerprint() != before


# --- the benchmark, out of the package ------------------------------------------------------------


def test_the_benchmark_is_not_in_the_package():
    assert not (REPO / "leafpress" / "bench.py").exists()
    run = _run([sys.executable, str(REPO / "tests" / "bench.py"), "--help"], cwd=REPO)
    assert run.returncode == 0 and run.stdout.startswith("usage: python tests/bench.py"), run.stderr
    assert "tests/bench.py $(ARGS)" in (REPO / "Makefile").read_text(encoding="utf-8")
