"""The booklets: per published booklet and language an EPUB 3 (EPUB Accessibility 1.1) that binds
its articles, with one shared reference list: ``dist/booklets/<lang>/<id>.epub``.

A booklet is out in a language when its title and every one of its articles are translated
(:func:`leafpress.build.pipeline.publishing_policy`). Made by
:func:`leafpress.formats.epub.booklet.booklet_package`; checked by EPUBCheck and Ace by DAISY.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leafpress.build import source_date
from leafpress.formats.format import Check, Format, MadeFrom

if TYPE_CHECKING:
    from leafpress.build.outputs import Staging
    from leafpress.build.pipeline import Job, Made, Session
    from leafpress.source.load import Project
    from leafpress.validate.check import Checking, ToolResult

FOLDER = "booklets"
TEMPLATES = ("chapter.xhtml", "_xhtml_head.xhtml", "titlepage.xhtml", "references.xhtml", "nav.xhtml",
             "_article.html", "labels.html", "epub.css",
             "theme.css", "leaflet.css")  # their @font-face rules: the fonts a booklet may carry


def _articles(project: Project, job: Job) -> tuple[str, ...]:
    return tuple(project.booklets[job.id].articles)


def _booklet_file(project: Project, job: Job) -> tuple[Path, ...]:
    """Its title and the order of its articles."""
    return (project.booklets[job.id].path,)


def _file_times(job: Job) -> tuple[tuple[str, str], ...]:
    """The file times in its zip."""
    return (("source_date", source_date.setting()),)


def make(session: Session, job: Job, staging: Staging) -> Made:
    from leafpress.build.pipeline import Made, output_path
    from leafpress.formats.epub.booklet import booklet_package
    from leafpress.formats.epub.writer import write_booklet

    package = booklet_package(session, job)
    target = output_path(session.project, FOLDER, job.lang, f"{job.id}.epub")
    write_booklet(package, staging.path(target))
    return Made((target,))


def _epubcheck(checking: Checking) -> ToolResult:
    from leafpress.validate.check import check_epubcheck

    return check_epubcheck(checking.files(FOLDER, ".epub"), checking.jobs)


def _ace(checking: Checking) -> ToolResult:
    from leafpress.validate.check import check_ace

    return check_ace(checking.files(FOLDER, ".epub"), checking.ace, checking.jobs)


BOOKLETS = Format(
    kind="booklet",
    target="booklets",
    folders=(FOLDER,),
    units="booklets",
    made_from=MadeFrom(articles=_articles, templates=TEMPLATES, template_dirs=("csl", "fonts"),
                       sources=_booklet_file, values=_file_times),
    make=make,
    priority=1,  # short (a few hundredths of a second): last, when a worker has made most of its articles
    checks=(Check("epubcheck", _epubcheck), Check("ace", _ace)),
)
