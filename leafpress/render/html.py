"""The render stage: Jinja templates turn a localized article into HTML/XHTML."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from leafpress.i18n.localize import LocalizedArticle
from leafpress.i18n.numerals import Numerals
from leafpress.markdown.blocks import helpline_list, registry
from leafpress.markdown.dialect import render
from leafpress.markdown.html_rules import text_direction
from leafpress.markdown.placeholders import render_env
from leafpress.markdown.segments import inline_helplines
from leafpress.source.glossary import Entry, anchor, mark_first_uses
from leafpress.source.project import Helpline, Site

if TYPE_CHECKING:  # Jinja and the citation engine only for a document made, not for the checks
    import jinja2

    from leafpress.cite.engine import BibEntry

PAGE, PAGES = "\x00page\x00", "\x00pages\x00"
# Dates for readers in the Netherlands: English as written in Europe (5 October 2026).
DATE_LOCALES = {"en": "en_GB"}


@dataclass(frozen=True)
class Interface:
    """The reader's language: direction, names, and the interface translations."""

    lang: str
    dir: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    numerals: Numerals  # the digits of dates, page numbers, lists and citations

    def date(self, value: Any) -> str:
        return long_date(value, self.lang, self.numerals)

    def context(self) -> dict[str, Any]:
        gettext = self.gettext

        def translate(message: str, **values: Any) -> str:
            text = gettext(message)
            return text % values if values else text

        return {"_": translate, "gettext": translate, "ngettext": self.ngettext,
                "lang": self.lang, "dir": self.dir, "PAGE": PAGE, "PAGES": PAGES,
                "counter_style": self.numerals.counter_style}


def long_date(value: Any, lang: str, numerals: Numerals) -> str:
    """A date as the leaflets print it: "5 oktober 2026", "۵ اکتبر ۲۰۲۶"."""
    return numerals.number(format_date(value, format="long", locale=DATE_LOCALES.get(lang, lang)))


def direction(lang: str) -> str:
    return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"


def language_name(lang: str) -> str:
    """The language's own name in its own script, e.g. العربية, Türkçe, українська."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element."""
    cleaned = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(f'"{cleaned}"')


def css_counter(text: str, style: str = "decimal") -> Markup:
    """'pagina <page> van <pages>' → CSS content: "pagina " counter(page) " van " counter(pages),
    the numbers in counter ``style`` (``persian``: counter(page, persian))."""
    parts = []
    for chunk in text.replace(PAGES, "\x01pages\x01").replace(PAGE, "\x01page\x01").split("\x01"):
        if chunk in ("page", "pages"):
            parts.append(f"counter({chunk})" if style == "decimal" else f"counter({chunk}, {style})")
        elif chunk:
            parts.append(str(css_string(chunk)))
    return Markup(" ".join(parts) or '""')


@lru_cache(maxsize=4)
def environment(templates: Path) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_counter"] = css_counter
    env.filters["css_string"] = css_string
    env.filters["text_direction"] = text_direction
    return env


def labels(templates: Path, interface: Interface) -> dict[str, str]:
    """The labels in the reader's language: each block kind's (by its name) and those of labels.html."""
    module = environment(templates).get_template("labels.html").make_module(interface.context())
    return {**registry().labels(interface.gettext), **module.labels}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Related:
    title: str
    href: str | None


def end_helplines(listed: Sequence[str], tokens: Sequence[Any]) -> tuple[str, ...]:
    """The help lines of the end box: those of the front matter that no inline box shows.

    An inline ``::: helpline a b`` box shows its lines where it stands; the end box lists
    the rest, and is left out when nothing is left. No help line is printed twice.
    """
    shown = set(inline_helplines(tokens))
    return tuple(line for line in dict.fromkeys(listed) if line not in shown)


def article_context(localized: LocalizedArticle, *, site: Site, interface: Interface,
                    templates: Path, helplines: Mapping[str, Helpline],
                    citation_html: Sequence[str], references: Sequence[BibEntry],
                    related: Sequence[Related], glossary: Sequence[Entry] = (),
                    glossary_links: bool = False) -> dict[str, Any]:
    """Everything the article templates need, body already rendered to HTML.

    ``glossary``: the difficult words the article uses, in the reader's language and order;
    their first use is marked, with ``glossary_links`` as a link to the entry (e-books)."""
    block_env = {"labels": labels(templates, interface), "helplines": helplines,
                 "citation_html": list(citation_html), "dir": interface.dir, "article_id": localized.id,
                 "lang": interface.lang, **render_env(site.organisation, site.source_language)}
    tokens = mark_first_uses(localized.tokens, glossary, localized.id, glossary_links)
    body = render(list(tokens), block_env)
    meta = localized.article.meta
    rest = end_helplines(meta.helplines, localized.tokens)
    helpline_box = helpline_list(rest, block_env) if rest else ""
    return {
        **interface.context(),
        "id": meta.id,
        "title": localized.title,
        "summary": localized.summary,
        "organisation": site.organisation,
        "owner": localized.owner,
        "version": meta.version,
        "keywords": localized.keywords,
        "published": interface.date(meta.published),
        "reviewed": interface.date(meta.reviewed),
        "next_review": interface.date(meta.next_review),
        "published_iso": meta.published.isoformat(),
        "reviewed_iso": meta.reviewed.isoformat(),
        "draft": localized.draft,
        "body": Markup(body),
        "helplines": Markup(helpline_box),
        "related": related,
        "references": references,
        "glossary": [{"term": e.term, "text": e.text, "anchor": anchor(meta.id, e.key)} for e in glossary],
        "glossary_links": glossary_links,
    }


def render_template(templates: Path, name: str, context: Mapping[str, Any]) -> str:
    return environment(templates).get_template(name).render(context)
