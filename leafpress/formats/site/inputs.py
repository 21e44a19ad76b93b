"""What each job of the site is made from (its fingerprint, :mod:`leafpress.build.inputs`).

A page: everything its leaflet is made from (the fingerprint of the leaflet job, whose PDFs
it copies), the site templates and the booklets it links to. An index: the titles and
summaries of its language's articles, the booklets and the fingerprints of the booklet jobs
whose EPUBs it copies. The root: which languages have pages. The assets: the fonts and
stylesheets. Each also leafpress's own code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from leafpress.build.inputs import Inputs, fingerprint
from leafpress.build.pipeline import Job
from leafpress.formats.site.layout import ASSETS, INDEX, ROOT
from leafpress.formats.site.plan import booklet_published, booklets_in, listed_articles
from leafpress.i18n.catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path

SITE_TEMPLATES = ("site/_layout.html", "site/page.html", "site/index.html", "site/root.html")
ASSET_FILES = ("site/site.css", "theme.css", "leaflet.css")  # leaflet.css: the @font-face rules


def site_fingerprint(inputs: Inputs, job: Job) -> str:
    project = inputs.project
    templates = project.paths.templates
    files = [*(templates / name for name in SITE_TEMPLATES), project.paths.site]
    values = [("job", f"{job.kind} {job.lang} {job.id} draft={job.draft}"), ("code", inputs.code)]
    if job.id == ASSETS:
        files = [*(templates / name for name in ASSET_FILES),
                 *(p for p in (templates / "fonts").rglob("*") if p.is_file())]
        values.append(("languages", json.dumps(project.site.languages)))
    elif job.id == ROOT:
        files += _ui_catalogs(inputs, project.site.languages)
        values.append(("published", json.dumps(inputs.published, sort_keys=True)))
    elif job.id == INDEX:
        articles = listed_articles(project, inputs.published, job.lang, job.draft)
        booklets = booklets_in(project, inputs.published, job.lang, job.draft)
        files += [*inputs.article_files(job.lang, articles), *(b.path for b in project.booklets.values()),
                  *_ui_catalogs(inputs, [job.lang]), *_shared_catalog(inputs, job.lang)]
        values += [("published", json.dumps(inputs.published, sort_keys=True)),
                   ("booklets", json.dumps([inputs.fingerprint(_booklet_job(inputs, job, b.id)) for b in booklets]))]
    else:
        leaflet = Job("leaflet", job.lang, job.id, job.draft)
        linked = [b.id for b in project.booklets.values() if job.id in b.articles
                  and (job.draft or booklet_published(project, inputs.published, job.lang, b))]
        files += [*(project.booklets[b].path for b in linked)]
        values += [("leaflet", inputs.fingerprint(leaflet)), ("booklets", json.dumps(linked))]
    return fingerprint([*inputs.hasher.files(files), *values])


def _booklet_job(inputs: Inputs, index: Job, booklet_id: str) -> Job:
    """The booklet job :func:`leafpress.build.pipeline.plan` makes (its fingerprint names the EPUB copied)."""
    booklet = inputs.project.booklets[booklet_id]
    complete = booklet_published(inputs.project, inputs.published, index.lang, booklet)
    return Job("booklet", index.lang, booklet_id, not complete)


def _ui_catalogs(inputs: Inputs, languages: Iterable[str]) -> list[Path]:
    project = inputs.project
    return [catalog_path(project.paths.translations, lang, UI_DOMAIN)
            for lang in languages if lang != project.source_language]


def _shared_catalog(inputs: Inputs, lang: str) -> list[Path]:
    project = inputs.project
    return [] if lang == project.source_language else [catalog_path(project.paths.translations, lang, SHARED_DOMAIN)]
