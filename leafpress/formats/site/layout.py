"""Where the site's files go, and the ids of its jobs that are not an article's page."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from leafpress.build.pipeline import Job
from leafpress.source.load import Project

KIND: Final = "site"  # the kind of every job of the site
FOLDER = "site"    # dist/site
INDEX = "+index"   # the id of a language's index job (an article id is a slug, never starts with +)
ROOT = "+root"     # the id of the root job: the language choice and the sitemap
ASSETS = "+assets" # the id of the job of the stylesheet and the fonts (slow to make, seldom changed)


def site_dir(project: Project) -> Path:
    return project.paths.dist / FOLDER


def page_dir(project: Project, lang: str, article_id: str) -> Path:
    return site_dir(project) / lang / article_id


def leaflet_file(article_id: str, lang: str) -> str:
    return f"{article_id}-{lang}.pdf"


def brochure_file(article_id: str, lang: str) -> str:
    return f"{article_id}-{lang}-brochure.pdf"


def booklet_file(booklet_id: str, lang: str) -> str:
    return f"{booklet_id}-{lang}.epub"


def is_page(job: Job) -> bool:
    return job.id not in (INDEX, ROOT, ASSETS)
