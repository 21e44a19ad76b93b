"""Golden reader views: ``python -m leafpress.validate.golden`` (``make golden``).

Builds the real catalogue and the test roots ``tests/roots/basic`` and
``tests/roots/readers`` in a temporary copy and writes, under ``tests/golden/<project>/<lang>/``, what
each kind of reader gets (see :mod:`leafpress.validate.reader_views`):

- ``<leaflet>.screenreader.txt``: the screen PDF's structure tree as a screen reader reads it;
- ``<leaflet>.poppler.txt`` and ``<leaflet>.pdfium.txt``: the text poppler and PDFium copy, per page;
- ``<booklet>.epub.txt``: the booklet's documents in spine order and its table of contents.

``tests/test_golden.py`` builds the same and compares. A change in what
readers get is then a diff to review: regenerate with ``make golden`` and
commit the golden files with the change that made them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from leafpress.validate.reader_views import (
    copy_view_pdfium,
    copy_view_poppler,
    ereader_view,
    pages_text,
    screen_reader_view,
)

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
# project name under tests/golden -> the project folder it is built from
PROJECTS = {"real": REPO, "basic": REPO / "tests" / "roots" / "basic",
            "readers": REPO / "tests" / "roots" / "readers"}


def copy_sources(source: Path, target: Path) -> Path:
    """A project to build: ``source``'s content and translations, the real templates."""
    shutil.copytree(source / "content", target / "content")
    if (source / "translations").exists():
        shutil.copytree(source / "translations", target / "translations")
    shutil.copytree(REPO / "templates", target / "templates")
    return target


def views(dist: Path) -> dict[str, str]:
    """``<lang>/<file>`` -> its text, for every screen leaflet and booklet in a built ``dist``."""
    found: dict[str, str] = {}
    for pdf in sorted(dist.glob("leaflets/*/*.pdf")):
        stem = f"{pdf.parent.name}/{pdf.stem}"
        found[f"{stem}.screenreader.txt"] = screen_reader_view(pdf)
        found[f"{stem}.poppler.txt"] = pages_text(copy_view_poppler(pdf))
        found[f"{stem}.pdfium.txt"] = pages_text(copy_view_pdfium(pdf))
    for epub in sorted(dist.glob("booklets/*/*.epub")):
        found[f"{epub.parent.name}/{epub.stem}.epub.txt"] = ereader_view(epub)
    return found


def stored(project: str) -> dict[str, str]:
    """The golden views of one project, as committed."""
    folder = GOLDEN / project
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.txt"))}


def write(project: str, texts: dict[str, str]) -> None:
    folder = GOLDEN / project
    if folder.exists():
        shutil.rmtree(folder)
    for relative, content in texts.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def main() -> int:
    from leafpress.cli import main as build

    with tempfile.TemporaryDirectory(prefix="leafpress-golden-") as scratch:
        for project, source in PROJECTS.items():
            root = copy_sources(source, Path(scratch) / project)
            if build(["all", "--root", str(root)]) != 0:
                print(f"golden: the {project} project did not build; nothing written", file=sys.stderr)
                return 1
            texts = views(root / "dist")
            write(project, texts)
            print(f"golden: {len(texts)} views of {project} in {(GOLDEN / project).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
