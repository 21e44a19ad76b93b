"""Which site pages to make: the publishing policy of the leaflets (:func:`leafpress.build.pipeline.plan`).

A page for every leaflet planned, with its draft flag (drafts only with --draft); an index for
every language with a page; the root page (with the sitemap) and the assets (stylesheet,
fonts). The site's jobs are made after the leaflets and booklets, whose files they copy.
"""

from __future__ import annotations

from collections.abc import Mapping

from leafpress.build.pipeline import Job, Publishing
from leafpress.formats.site.layout import ASSETS, INDEX, KIND, ROOT
from leafpress.i18n.translations import booklet_status
from leafpress.source.load import Project
from leafpress.source.project import Booklet


def site_jobs(publishing: Publishing) -> list[Job]:
    """The site's jobs: a page for every article the publishing policy lets out (or previews, with
    --draft) in a language, an index for every language with a page, the root and the assets."""
    strict, draft = publishing.strict, publishing.draft
    pages = [Job(KIND, unit.lang, unit.id, unit.draft, strict) for unit in publishing.articles]
    languages = dict.fromkeys(page.lang for page in pages)
    indexes = [Job(KIND, lang, INDEX, draft, strict) for lang in languages]
    root = [Job(KIND, publishing.source_language, name, False, strict) for name in (ASSETS, ROOT)] if pages else []
    return [*pages, *indexes, *root]


def booklet_published(project: Project, published: Mapping[str, tuple[str, ...]], lang: str,
                      booklet: Booklet) -> bool:
    """Whether ``booklet`` is published in ``lang``: its title and every article of it translated
    (what :func:`leafpress.build.pipeline.plan` plans without --draft)."""
    if not all(lang in published.get(article, ()) for article in booklet.articles):
        return False
    return lang == project.source_language or booklet_status(project.languages[lang], project.sources,
                                                             booklet).complete


def booklets_in(project: Project, published: Mapping[str, tuple[str, ...]], lang: str,
                draft: bool) -> list[Booklet]:
    """The booklets made in ``lang``: the published ones, every one with --draft."""
    return [b for b in project.booklets.values() if draft or booklet_published(project, published, lang, b)]


def listed_articles(project: Project, published: Mapping[str, tuple[str, ...]], lang: str,
                    draft: bool) -> list[str]:
    """The articles with a page in ``lang``: the published ones, every one with --draft."""
    return [a for a in project.articles if draft or lang in published.get(a, ())]


def copied_from(project: Project, published: Mapping[str, tuple[str, ...]], job: Job) -> list[str]:
    """The jobs (as the manifest names them, kind:lang:id) whose outputs the site job ``job`` copies."""
    if job.id == INDEX:
        return [f"booklet:{job.lang}:{b.id}" for b in booklets_in(project, published, job.lang, job.draft)]
    if job.id in (ROOT, ASSETS):
        return []
    return [f"leaflet:{job.lang}:{job.id}"]
