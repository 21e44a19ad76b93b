"""What each job is made from: the files and values its fingerprint covers.

A change to a template, the bibliography or a catalog rebuilds exactly the
outputs that use it: a leaflet depends on its article, the articles it
lists under "read also", its language's catalogs for those, the leaflet
templates and fonts, and only the bibliography entries it cites.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from .catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path
from .cite_syntax import find_citation_keys
from .load import Project
from .manifest import Hasher, fingerprint
from .pipeline import Job

LEAFLET_TEMPLATES = ("leaflet.html", "_article.html", "labels.html", "leaflet.css", "theme.css", "print.css")
BOOKLET_TEMPLATES = ("chapter.xhtml", "_xhtml_head.xhtml", "titlepage.xhtml", "references.xhtml", "nav.xhtml",
                     "_article.html", "labels.html", "epub.css")
LEAFLET_TEMPLATE_DIRS = ("fonts", "csl", "icc")
BOOKLET_TEMPLATE_DIRS = ("csl",)


def _template_files(project: Project, names: Iterable[str], folders: Iterable[str]) -> list[Path]:
    templates = project.paths.templates
    files = [templates / name for name in names]
    for folder in folders:
        files += [p for p in (templates / folder).rglob("*") if p.is_file()]
    return files


def _media(project: Project, article_id: str) -> list[Path]:
    media = project.paths.content / "media"
    body = project.articles[article_id].body
    return [p for p in media.rglob("*") if p.is_file() and str(p.relative_to(project.paths.content)) in body]


def _article_files(project: Project, lang: str, article_ids: Iterable[str]) -> list[Path]:
    files = []
    for article_id in article_ids:
        files.append(project.articles[article_id].path)
        if lang != project.source_language:
            files.append(catalog_path(project.paths.translations, lang, article_id))
    return files


def _cited_items(project: Project, article_ids: Iterable[str]) -> str:
    keys = sorted({k for a in article_ids for k in find_citation_keys(project.articles[a].body)})
    items = {k: project.bibliography.items[k] for k in keys if k in project.bibliography}
    return json.dumps(items, sort_keys=True, default=str)


def job_fingerprint(project: Project, job: Job, published: dict[str, tuple[str, ...]],
                    hasher: Hasher, code: str) -> str:
    if job.kind == "leaflet":
        articles = [job.id]
        templates = _template_files(project, LEAFLET_TEMPLATES, LEAFLET_TEMPLATE_DIRS)
        own = []
    else:
        booklet = project.booklets[job.id]
        articles = list(booklet.articles)
        templates = _template_files(project, BOOKLET_TEMPLATES, BOOKLET_TEMPLATE_DIRS)
        own = [booklet.path]
    related = sorted({r for a in articles for r in project.articles[a].meta.related if r in project.articles})
    files = [*templates, *own, project.paths.site, project.paths.helplines,
             *_article_files(project, job.lang, sorted(set(articles) | set(related))),
             *(m for a in articles for m in _media(project, a))]
    if job.lang != project.source_language:
        files += [catalog_path(project.paths.translations, job.lang, d) for d in (UI_DOMAIN, SHARED_DOMAIN)]
    values = [
        ("job", f"{job.kind} {job.lang} {job.id} draft={job.draft}"),
        ("code", code),
        ("bibliography", _cited_items(project, articles)),
        ("published", json.dumps({a: published.get(a, ()) for a in sorted(set(articles) | set(related))})),
    ]
    return fingerprint([*hasher.files(files), *values])
