"""The leaflets: per published article and language a tagged screen PDF (PDF/UA-1), a print-shop
PDF (PDF/X) and an office brochure (A5 pages on A4 sheets), from one layout.

    dist/leaflets/<lang>/<id>.pdf   dist/print/<lang>/<id>.pdf   dist/brochures/<lang>/<id>.pdf

Made by :func:`leafpress.formats.leaflet_job.make_leaflet`; checked by ``make check`` with our
PDF/UA checker, veraPDF, the page sizes and print preflight (:mod:`leafpress.validate.check`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from leafpress.formats.format import Check, Format, MadeFrom

if TYPE_CHECKING:
    from leafpress.build.outputs import Staging
    from leafpress.build.pipeline import Job, Made, Session
    from leafpress.source.load import Project
    from leafpress.validate.check import Checking, ToolResult

SCREEN, PRINT, BROCHURES = "leaflets", "print", "brochures"
TEMPLATES = ("leaflet.html", "_article.html", "labels.html", "leaflet.css", "theme.css", "bleed.css")


def _article(project: Project, job: Job) -> tuple[str, ...]:
    return (job.id,)


def _print_profile(project: Project, job: Job) -> tuple[Path, ...]:
    """The print PDF's output intent: the print shop's profile, or the default."""
    return (project.site.icc_profile_path(project.paths),)


def _other_languages(job: Job, published: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The languages its "also available in" list names."""
    return published.get(job.id, ())


def make(session: Session, job: Job, staging: Staging) -> Made:
    from leafpress.formats.leaflet_job import make_leaflet

    return make_leaflet(session, job, staging)


def _set_up(session: Session) -> object:
    """WeasyPrint, the fonts and the stylesheets, once per worker."""
    return session.pdf_engine()


def _pdfua(checking: Checking) -> ToolResult:
    from leafpress.validate.check import check_leaflets

    return check_leaflets(checking.files(SCREEN, ".pdf"))


def _verapdf(checking: Checking) -> ToolResult:
    from leafpress.validate.check import check_verapdf

    return check_verapdf(checking.files(SCREEN, ".pdf"))


def _pages(checking: Checking) -> ToolResult:
    from leafpress.validate.check import check_pages

    return check_pages(checking.files(SCREEN, ".pdf"), checking.files(BROCHURES, ".pdf"), checking.formats)


def _preflight(checking: Checking) -> ToolResult:
    from leafpress.validate.check import check_print

    return check_print(checking.files(PRINT, ".pdf"), checking.formats)


LEAFLETS = Format(
    kind="leaflet",
    target="leaflets",
    folders=(SCREEN, PRINT, BROCHURES),
    units="articles",
    made_from=MadeFrom(articles=_article, templates=TEMPLATES, template_dirs=("fonts", "csl", "icc"),
                       files=_print_profile, language_names=_other_languages),
    make=make,
    setup=_set_up,
    priority=0,  # long (a second or more each): first, so that the workers end together
    checks=(Check("pdfua", _pdfua), Check("verapdf", _verapdf, beside=True), Check("pages", _pages),
            Check("preflight", _preflight)),
)
