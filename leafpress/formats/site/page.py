"""One article's web page, at the address its leaflet prints (online_url): the article as the
leaflet has it (``_article.html``), its downloads, its colophon, and what search engines read."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from babel.numbers import format_decimal
from markupsafe import Markup

from leafpress.build.outputs import Staging
from leafpress.build.pipeline import Job, Made, Session, online_url, output_path
from leafpress.diagnostics import BuildFailed, error
from leafpress.formats.epub.booklet import article_images
from leafpress.formats.leaflet_job import leaflet_context
from leafpress.formats.site.copies import copy_file, copy_made
from leafpress.formats.site.layout import booklet_file, brochure_file, leaflet_file, page_dir
from leafpress.formats.site.plan import booklet_published
from leafpress.i18n.localize import localize_booklet
from leafpress.render.html import Interface, direction, language_name, render_template

TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)  # the body's tables (Markdown tables do not nest)


def make_page(session: Session, job: Job, staging: Staging) -> Made:
    project = session.project
    folder = page_dir(project, job.lang, job.id)
    screen, brochure = folder / leaflet_file(job.id, job.lang), folder / brochure_file(job.id, job.lang)
    sizes = {
        screen.name: copy_made(project, output_path(project, "leaflets", job.lang, f"{job.id}.pdf"), screen, staging),
        brochure.name: copy_made(project, output_path(project, "brochures", job.lang, f"{job.id}.pdf"), brochure,
                                 staging),
    }
    pictures = []
    for src, path in article_images(session, [session.localized(job.lang, job.id, job.draft)]):
        relative = PurePosixPath(src)
        if relative.is_absolute() or ".." in relative.parts:
            raise BuildFailed([error(project.articles[job.id].path.relative_to(project.paths.root), None,
                                     "site.picture", f"the picture {src} is not in content/media; "
                                     "refer to it as media/<file name>")])
        copy_file(path, folder / relative, staging)
        pictures.append(folder / relative)
    page = folder / "index.html"
    staging.path(page).write_text(page_html(session, job, sizes), encoding="utf-8")
    return Made((page, screen, brochure, *pictures))


def page_html(session: Session, job: Job, sizes: Mapping[str, int]) -> str:
    return render_template(session.project.paths.templates, "site/page.html", page_context(session, job, sizes))


def page_context(session: Session, job: Job, sizes: Mapping[str, int]) -> dict[str, Any]:
    """What site/page.html shows: the leaflet's context, with links between the site's pages."""
    project = session.project
    interface = session.interface(job.lang)
    context = leaflet_context(session, job, related_href=lambda _lang, other: f"../{other}/", citation_links=True)
    published = session.published.get(job.id, ())
    shown = published if job.lang in published else (*published, job.lang)  # a draft: its own page too
    downloads = [{"href": name, "kind": kind, "size": file_size(size, interface)}
                 for (name, size), kind in zip(sizes.items(), ("screen", "brochure"), strict=True)]
    context["body"] = scrolling_tables(context["body"])
    context["canonical"] = online_url(project, job.lang, job.id)
    context.update({
        "description": context["summary"],
        "alternates": [{"lang": lang, "href": online_url(project, lang, job.id)} for lang in published],
        "x_default": online_url(project, project.source_language, job.id)
        if project.source_language in published else None,
        "languages": switcher(shown, job.lang, lambda lang: f"../../{lang}/{job.id}/"),
        "downloads": downloads,
        "booklets": booklet_links(session, job, interface),
        "json_ld": json_ld(medical_web_page(context, project.site.organisation)),
        "noindex": job.draft,
        "site_css": "../../site.css", "home": "../", "root": "../../",
    })
    return context


def scrolling_tables(body: Markup) -> Markup:
    """Each table in a box of its own that scrolls sideways when the table is wider than the
    screen (a table needs its two dimensions: WCAG 1.4.10), reachable with the keyboard; the
    page itself never scrolls sideways and no word is broken inside."""
    wrapped = TABLE.sub(lambda found: f'<div class="table-scroll" tabindex="0">{found.group(0)}</div>', str(body))
    return Markup(wrapped)


def switcher(languages: Sequence[str], current: str, href) -> list[dict[str, Any]]:  # noqa: ANN001
    """The language switcher: every language, in its own name, the current one not a link."""
    return [{"lang": lang, "dir": direction(lang), "name": language_name(lang), "href": href(lang),
             "current": lang == current} for lang in languages]


def booklet_links(session: Session, job: Job, interface: Interface) -> list[dict[str, Any]]:
    """The booklets with the article, made in its language (a draft booklet only from a draft page)."""
    project = session.project
    found = []
    for booklet in project.booklets.values():
        if job.id not in booklet.articles:
            continue
        if not (job.draft or booklet_published(project, session.published, job.lang, booklet)):
            continue
        title, _description = localize_booklet(booklet, session.shared_lookup(job.lang))
        made = output_path(project, "booklets", job.lang, f"{booklet.id}.epub")
        size = made.stat().st_size if made.is_file() else None
        found.append({"title": title, "href": f"../{booklet_file(booklet.id, job.lang)}",
                      "size": file_size(size, interface) if size is not None else None})
    return found


def file_size(size: int, interface: Interface) -> str:
    """A file size as a reader says it: 230 kB, 1,2 MB (the language's decimal sign and digits)."""
    if size < 1_000_000:
        text = f"{format_decimal(max(1, round(size / 1000)), locale=_locale(interface.lang))} kB"
    else:
        text = f"{format_decimal(round(size / 1_000_000, 1), format='#,##0.0', locale=_locale(interface.lang))} MB"
    return interface.numerals.number(text)


def _locale(lang: str) -> str:
    return {"en": "en_GB"}.get(lang, lang)


def medical_web_page(context: Mapping[str, Any], organisation: str) -> dict[str, Any]:
    """schema.org MedicalWebPage: who checked the content (the owner, at the clinic) and when."""
    publisher = {"@type": "Organization", "name": organisation}
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": context["title"],
        "headline": context["title"],
        "description": context["summary"],
        "inLanguage": context["lang"],
        "url": context["canonical"],
        "version": context["version"],
        "keywords": ", ".join(context["keywords"]),
        "datePublished": context["published_iso"],
        "dateModified": context["reviewed_iso"],
        "lastReviewed": context["reviewed_iso"],
        "reviewedBy": {"@type": "Organization", "name": context["owner"], "parentOrganization": publisher},
        "publisher": publisher,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
    }


def json_ld(data: Mapping[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">: no '<', '>' or '&' that could end it early."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
