"""The index of a language (its leaflets by booklet, with the booklets' EPUBs) and the root
page where a reader chooses a language."""

from __future__ import annotations

from typing import Any

from leafpress.build.outputs import Staging
from leafpress.build.pipeline import Job, Made, Session, output_path
from leafpress.formats.site.copies import copy_made
from leafpress.formats.site.layout import booklet_file, site_dir
from leafpress.formats.site.page import file_size, switcher
from leafpress.formats.site.plan import booklets_in, listed_articles
from leafpress.formats.site.sitemap import site_languages, sitemap_xml
from leafpress.i18n.localize import localize_booklet, localize_title
from leafpress.render.html import direction, language_name, render_template


def make_index(session: Session, job: Job, staging: Staging) -> Made:
    project = session.project
    folder = site_dir(project) / job.lang
    epubs = {}
    for booklet in booklets_in(project, session.published, job.lang, job.draft):
        target = folder / booklet_file(booklet.id, job.lang)
        source = output_path(project, "booklets", job.lang, f"{booklet.id}.epub")
        epubs[booklet.id] = (target, copy_made(project, source, target, staging))
    page = folder / "index.html"
    staging.path(page).write_text(index_html(session, job, {b: size for b, (_t, size) in epubs.items()}),
                                  encoding="utf-8")
    return Made((page, *(target for target, _size in epubs.values())))


def index_html(session: Session, job: Job, epub_sizes: dict[str, int]) -> str:
    project = session.project
    interface = session.interface(job.lang)
    listed = listed_articles(project, session.published, job.lang, job.draft)

    def article(article_id: str) -> dict[str, Any]:
        localized = session.localized(job.lang, article_id, job.draft and job.lang not in
                                      session.published.get(article_id, ()))
        return {"title": localize_title(project.articles[article_id], session.translate(job.lang, article_id)),
                "summary": localized.summary, "href": f"{article_id}/"}

    groups, grouped = [], set()
    for booklet in booklets_in(project, session.published, job.lang, job.draft):
        articles = [a for a in booklet.articles if a in listed]
        title, description = localize_booklet(booklet, session.shared_lookup(job.lang))
        size = epub_sizes.get(booklet.id)
        groups.append({"id": booklet.id, "title": title, "description": description,
                       "articles": [article(a) for a in articles],
                       "epub": booklet_file(booklet.id, job.lang) if size is not None else None,
                       "size": file_size(size, interface) if size is not None else None})
        grouped.update(articles)
    languages = site_languages(project, session.published)
    base = project.site.base_url
    context = {
        **interface.context(),
        "organisation": project.site.organisation,
        "groups": groups,
        "others": [article(a) for a in listed if a not in grouped],
        "canonical": f"{base}/{job.lang}/",
        "alternates": [{"lang": lang, "href": f"{base}/{lang}/"} for lang in languages],
        "x_default": f"{base}/",
        "languages": switcher(languages if job.lang in languages else (*languages, job.lang), job.lang,
                              lambda lang: f"../{lang}/"),
        "noindex": job.lang not in languages,
        "site_css": "../site.css", "home": "./", "root": "../",
    }
    return render_template(project.paths.templates, "site/index.html", context)


def make_root(session: Session, job: Job, staging: Staging) -> Made:
    """The language choice (index.html) and the sitemap."""
    project = session.project
    folder = site_dir(project)
    page, sitemap = folder / "index.html", folder / "sitemap.xml"
    staging.path(page).write_text(root_html(session, job), encoding="utf-8")
    staging.path(sitemap).write_bytes(sitemap_xml(project, session.published))
    return Made((page, sitemap))


def root_html(session: Session, job: Job) -> str:
    project = session.project
    interface = session.interface(job.lang)
    choices = [{"lang": lang, "dir": direction(lang), "name": language_name(lang), "href": f"{lang}/",
                "prompt": session.interface(lang).gettext("Kies je taal")}
               for lang in site_languages(project, session.published)]
    context = {
        **interface.context(),
        "organisation": project.site.organisation,
        "description": " · ".join(choice["prompt"] for choice in choices),
        "choices": choices,
        "canonical": f"{project.site.base_url}/",
        "alternates": [], "x_default": None, "languages": [], "noindex": False,
        "site_css": "site.css", "home": None, "root": None,
    }
    return render_template(project.paths.templates, "site/root.html", context)
