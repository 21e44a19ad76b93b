"""Fixtures: copies of example projects (tests/roots/*, or the real one) built in-process."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from leafpress.cli import main
from leafpress.validate.golden import copy_sources

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session", autouse=True)
def site_fonts_cut_once(tmp_path_factory):
    """Each test root builds its website from nothing, and cutting its six faces down to WOFF2
    takes some 9 s: in the tests a face with the same bytes and ranges is cut once, by the
    site's own ``woff2``, and kept in a folder of the session (the build's workers fork from
    this process and find it there)."""
    from leafpress.formats.site import assets, make

    folder = tmp_path_factory.mktemp("woff2")

    def cut_once(font: assets.SiteFont) -> bytes:
        key = hashlib.sha256(font.face.file.read_bytes() + repr(font.ranges).encode()).hexdigest()
        path = folder / f"{key}.woff2"
        if not path.is_file():
            partial = path.with_name(f"{key}.{os.getpid()}.part")
            partial.write_bytes(assets.woff2(font))
            os.replace(partial, path)
        return path.read_bytes()

    patch = pytest.MonkeyPatch()
    patch.setattr(make, "woff2", cut_once)
    yield
    patch.undo()


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path

    def build(self, capsys, *args: str) -> Run:
        capsys.readouterr()
        code = main([*args, "--root", str(self.root)])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def path(self, relative: str) -> Path:
        return self.root / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.path(relative)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def build_refused(self, capsys, relative: str, old: str, new: str) -> Run:
        """Edit ``relative`` into a mistake and build: refused with exit 1, no traceback,
        and the leaflet a good build made yesterday still the only thing in dist/."""
        yesterday = self.path("dist/leaflets/nl/proef.pdf")
        yesterday.parent.mkdir(parents=True)
        yesterday.write_bytes(b"the good leaflet from yesterday")
        self.edit(relative, old, new)
        run = self.build(capsys, "all")
        assert run.code == 1, run.err
        assert "Traceback" not in run.err
        assert self.outputs() == {"leaflets/nl/proef.pdf": b"the good leaflet from yesterday"}
        return run

    def outputs(self) -> dict[str, bytes]:
        dist = self.root / "dist"
        return {str(p.relative_to(dist)): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


def copy_project(source: Path, target: Path) -> Project:
    """A project to build: the example's content and translations, the real templates."""
    return Project(copy_sources(source, target))


@pytest.fixture
def basic(tmp_path: Path) -> Project:
    return copy_project(ROOTS / "basic", tmp_path / "basic")


@pytest.fixture
def real_copy(tmp_path: Path) -> Project:
    return copy_project(REPO, tmp_path / "real")


@pytest.fixture(scope="session")
def srgb_icc(tmp_path_factory) -> Path:
    """An sRGB display profile (class mntr, space RGB), made by Little CMS through Pillow.

    The tests need an RGB profile that is not a printer's; making one keeps them
    independent of what the machine has in /usr/share/color/icc.
    """
    from PIL import ImageCms

    path = tmp_path_factory.mktemp("icc") / "sRGB.icc"
    path.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    return path


@pytest.fixture(scope="session")
def basic_built(tmp_path_factory) -> Project:
    """The basic example, built once in every language (shared by read-only tests)."""
    project = copy_project(ROOTS / "basic", tmp_path_factory.mktemp("basic-built") / "basic")
    assert main(["site", "--root", str(project.root)]) == 0  # everything: the site needs the rest
    return project


@pytest.fixture(scope="session")
def readers_built(tmp_path_factory) -> Project:
    """The readers example (a table with row headers, a figure, a span in English, citations and
    help lines, in nl and en), built once (shared by read-only tests)."""
    project = copy_project(ROOTS / "readers", tmp_path_factory.mktemp("readers-built") / "readers")
    assert main(["site", "--root", str(project.root)]) == 0  # everything: the site needs the rest
    return project


@pytest.fixture(scope="session")
def real_built(tmp_path_factory) -> Project:
    """The real catalogue, built once (shared by read-only tests)."""
    project = copy_project(REPO, tmp_path_factory.mktemp("real-built") / "real")
    assert main(["site", "--root", str(project.root)]) == 0  # everything: the site needs the rest
    return project
