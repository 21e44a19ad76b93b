"""sitemap.xml: every published page at its absolute address (site.yaml base_url), with the date
its content was last checked, and the pages of its other languages (hreflang)."""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import quoteattr

from leafpress.source.load import Project

NAMESPACES = ('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              'xmlns:xhtml="http://www.w3.org/1999/xhtml"')


def site_languages(project: Project, published: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The languages with at least one published article, in the order of site.yaml."""
    return tuple(lang for lang in project.site.languages if any(lang in langs for langs in published.values()))


def sitemap_xml(project: Project, published: Mapping[str, tuple[str, ...]]) -> bytes:
    base = project.site.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<urlset {NAMESPACES}>"]

    def url(address: str, lastmod: str | None = None, others: Mapping[str, str] | None = None) -> None:
        lines.append(f"<url><loc>{_text(address)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else ""))
        for lang, href in (others or {}).items():
            lines.append(f'  <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>')
        lines.append("</url>")

    languages = site_languages(project, published)
    url(f"{base}/")
    for lang in languages:
        url(f"{base}/{lang}/", None, {other: f"{base}/{other}/" for other in languages})
    for lang in languages:
        for article in project.articles.values():
            if lang in published.get(article.id, ()):
                url(f"{base}/{lang}/{article.id}/", article.meta.reviewed.isoformat(),
                    {other: f"{base}/{other}/{article.id}/" for other in published[article.id]})
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
