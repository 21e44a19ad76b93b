"""The translate stage: an article in one language, parsed, with its citations in order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from markdown_it.token import Token

from leafpress.markdown.dialect import FALLBACK_LANG, TRANSLATE, parse
from leafpress.markdown.segments import normalize
from leafpress.source.project import Article, Booklet, Helpline

Lookup = Callable[[str], str | None]


@dataclass(frozen=True)
class LocalizedArticle:
    article: Article
    lang: str
    title: str
    summary: str
    owner: str
    keywords: tuple[str, ...]
    tokens: tuple[Token, ...]
    citations: tuple[Any, ...]  # cite.Citation, in document order
    draft: bool                 # some segments fell back to the source language

    @property
    def id(self) -> str:
        return self.article.id


def _text(value: str, translate: Lookup | None) -> tuple[str, bool]:
    """A front-matter text in the target language, and whether it fell back."""
    if translate is None:
        return value, False
    translated = translate(normalize(value))
    return (translated, False) if translated else (value, True)


def localize_article(article: Article, lang: str, translate: Lookup | None,
                     fallback_lang: str | None = None) -> LocalizedArticle:
    """Parse the article in ``lang``; ``translate`` is None for the source language.

    With ``fallback_lang`` (draft builds) an untranslated block keeps its
    source text and is marked with the source language.
    """
    env: dict[str, Any] = {}
    if translate is not None:
        env[TRANSLATE] = translate
        env[FALLBACK_LANG] = fallback_lang
    tokens = parse(article.body, env)
    title, title_fallback = _text(article.meta.title, translate)
    summary, summary_fallback = _text(article.meta.summary, translate)
    owner, owner_fallback = _text(article.meta.owner, translate)
    keywords = [_text(word, translate) for word in article.meta.keywords]
    fell_back = title_fallback or summary_fallback or owner_fallback or any(
        fallback for _word, fallback in keywords) or any(t.meta.get("fallback") for t in tokens)
    return LocalizedArticle(article, lang, title, summary, owner, tuple(word for word, _ in keywords), tuple(tokens),
                            tuple(env.get("citations", ())), fell_back)


def localize_title(article: Article, translate: Lookup | None) -> str:
    """Only the title in the target language (what a "read also" list shows; the body is not parsed)."""
    return _text(article.meta.title, translate)[0]


def localize_helplines(registry: Mapping[str, Helpline], translate: Lookup | None) -> dict[str, Helpline]:
    if translate is None:
        return dict(registry)
    return {key: replace(h, name=_text(h.name, translate)[0], hours=_text(h.hours, translate)[0] if h.hours else "",
                         description=_text(h.description, translate)[0] if h.description else "")
            for key, h in registry.items()}


def localize_booklet(booklet: Booklet, translate: Lookup | None) -> tuple[str, str]:
    title = _text(booklet.title, translate)[0]
    description = _text(booklet.description, translate)[0] if booklet.description else ""
    return title, description
