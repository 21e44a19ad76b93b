"""The website each leaflet's QR code points to: ``dist/site/`` (:mod:`leafpress.formats.site`).

A page per published article and language at the address the leaflet prints, an index per
language, the root page with the sitemap, and the stylesheet and fonts. It offers the leaflets'
PDFs and the booklets for download, copied from their formats' outputs: ``build.py site`` builds
those first (``needs``), and a page is made after them, or not at all when its leaflet failed
(``copies``). Checked by axe-core in Chromium.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from leafpress.formats.format import Check, Format, MadeFrom

if TYPE_CHECKING:
    from leafpress.build.inputs import Inputs
    from leafpress.build.outputs import Staging
    from leafpress.build.pipeline import Job, Made, Publishing, Session
    from leafpress.source.load import Project
    from leafpress.validate.check import Checking, ToolResult

FOLDER = "site"


def _articles(project: Project, job: Job) -> tuple[str, ...]:
    """The article a page shows (the glyph check reads its text); an index or the root shows titles only."""
    return (job.id,) if job.id in project.articles else ()


def _plan(format: Format, publishing: Publishing) -> Iterable[Job]:
    from leafpress.formats.site.plan import site_jobs

    return site_jobs(publishing)


def _make(session: Session, job: Job, staging: Staging) -> Made:
    from leafpress.formats.site.make import make_site

    return make_site(session, job, staging)


def _fingerprint(inputs: Inputs, job: Job) -> str:
    from leafpress.formats.site.inputs import site_fingerprint

    return site_fingerprint(inputs, job)


def _copies(project: Project, published: Mapping[str, tuple[str, ...]], job: Job) -> list[str]:
    from leafpress.formats.site.plan import copied_from

    return copied_from(project, published, job)


def _axe(checking: Checking) -> ToolResult:
    from leafpress.validate.check import axe_check

    return axe_check(checking)


SITE = Format(
    kind="site",
    target="site",
    folders=(FOLDER,),
    units="articles",
    made_from=MadeFrom(articles=_articles),
    make=_make,
    priority=2,  # after the leaflets and booklets whose files it copies
    checks=(Check("axe", _axe),),
    plan=_plan,
    needs=("leaflets", "booklets"),
    # `build.py site` is everything (the site offers the leaflets and booklets), and `make all` runs it;
    # `build.py all` stays the leaflets and booklets, what the benchmark compares with pandoc
    in_all=False,
    fingerprint=_fingerprint,
    copies=_copies,
)
