"""Per language: which catalogs exist, how complete they are, and whether they are safe.

An article is published in a language only when everything it shows is
translated and nothing is fuzzy: its own catalog, the interface, and the help
lines it names. Translated segments must keep the citation keys and link targets
of their source (as Sphinx checks translated messages).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from markdown_it.token import Token

from leafpress.build.parse_cache import Parsed
from leafpress.diagnostics import Diagnostic, error
from leafpress.i18n.catalogs import (
    EMPTY,
    SHARED_DOMAIN,
    TRANSLATED,
    UI_DOMAIN,
    Catalog,
    Status,
    catalog_path,
    load_catalog,
    message_state,
    status,
    template_path,
)
from leafpress.i18n.extract import article_segments, yaml_file_segments
from leafpress.i18n.po_checks import language_problem
from leafpress.markdown.dialect import parse
from leafpress.markdown.placeholders import names_in, written
from leafpress.markdown.segments import inline_helplines, normalize, walk_inline
from leafpress.source.glossary import Glossary, used_terms
from leafpress.source.glossary import segments as glossary_segments
from leafpress.source.project import Article, Booklet, Helpline


@dataclass(frozen=True)
class Sources:
    """The msgids the project has now, per domain (from the sources, not the .pot)."""

    ui: tuple[str, ...]
    shared: tuple[str, ...]
    helpline_texts: dict[str, tuple[str, ...]]
    articles: dict[str, tuple[str, ...]]
    glossary_texts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entry -> its two messages
    article_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)   # article -> the entries it uses


@dataclass(frozen=True)
class Language:
    lang: str
    ui: Catalog | None
    shared: Catalog | None
    articles: dict[str, Catalog | None]


def ui_msgids(translations: Path, parsed: Parsed) -> tuple[str, ...]:
    pot, _ = load_catalog(template_path(translations, UI_DOMAIN), "", parsed)
    return tuple(m for m in (pot.entries if pot else ()) if isinstance(m, str))


def _segment_texts(article: Article) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.text for s in article_segments(article)))


def collect_sources(translations: Path, articles: Mapping[str, Article], helplines_path: Path,
                    helplines: Mapping[str, Helpline], booklet_paths: Iterable[Path],
                    parsed: Parsed, glossary: Glossary = ()) -> Sources:
    shared = [s.text for s in yaml_file_segments(helplines_path)]
    for path in booklet_paths:
        shared += [s.text for s in yaml_file_segments(path)]
    shared += [s.text for s in glossary_segments(glossary)]
    helpline_texts = {key: tuple(normalize(t) for t in (h.name, h.hours, h.description) if t)
                      for key, h in helplines.items()}
    return Sources(
        ui=ui_msgids(translations, parsed),
        shared=tuple(dict.fromkeys(shared)),
        helpline_texts=helpline_texts,
        articles={key: parsed.get("segment texts", a.source, partial(_segment_texts, a))
                  for key, a in articles.items()},
        glossary_texts={term.key: (term.names, term.text) for term in glossary},
        article_terms={key: used_terms(source_body(a.body).tokens, glossary) for key, a in articles.items()},
    )


def load_language(translations: Path, lang: str, article_ids: Iterable[str],
                  parsed: Parsed) -> tuple[Language, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []

    def load(domain: str) -> Catalog | None:
        catalog, found = load_catalog(catalog_path(translations, lang, domain), lang, parsed)
        diagnostics.extend(found)
        return catalog

    return Language(lang, load(UI_DOMAIN), load(SHARED_DOMAIN), {a: load(a) for a in article_ids}), diagnostics


def check_folders(translations: Path, languages: Collection[str]) -> list[Diagnostic]:
    """A folder of catalogs that site.yaml does not list (those are checked there) must be named
    after a language Babel knows: make translations and a later site.yaml would use it."""
    if not translations.is_dir():
        return []
    found = []
    for folder in sorted(translations.iterdir()):
        if folder.name in languages or folder.name == "templates" or not (folder / "LC_MESSAGES").is_dir():
            continue
        if problem := language_problem(folder.name):
            found.append(error(folder, None, "po.language", f"this folder of catalogs is named {folder.name!r}: "
                                                            f"{problem}; rename or remove the folder"))
    return found


def _article_messages(language: Language, sources: Sources,
                      article: Article) -> tuple[tuple[str, Catalog | None, Iterable[str]], ...]:
    """Everything a reader of this article sees, per domain: its text, the interface, its help lines."""
    shared_ids = [text for h in article.meta.helplines for text in sources.helpline_texts.get(h, ())]
    for helpline_id in _inline_helplines(article):
        shared_ids += list(sources.helpline_texts.get(helpline_id, ()))
    for key in sources.article_terms.get(article.id, ()):  # its difficult words, like its help lines
        shared_ids += list(sources.glossary_texts.get(key, ()))
    return ((article.id, language.articles.get(article.id), sources.articles[article.id]),
            (UI_DOMAIN, language.ui, sources.ui),
            (SHARED_DOMAIN, language.shared, dict.fromkeys(shared_ids)))


def article_status(language: Language, sources: Sources, article: Article) -> Status:
    total = EMPTY
    for _domain, catalog, msgids in _article_messages(language, sources, article):
        total += status(catalog, msgids)
    return total


@dataclass(frozen=True)
class Blocker:
    """A message that keeps an article from being published in a language."""

    path: Path          # the catalog to open in Poedit
    line: int | None    # the message's entry; None when the catalog lacks it (or does not exist)
    state: str          # catalogs.FUZZY or catalogs.UNTRANSLATED
    msgid: str


UNREADABLE = "unreadable"  # a catalog that exists but has errors


def article_blockers(translations: Path, language: Language, sources: Sources,
                     article: Article) -> list[Blocker]:
    """Every message of :func:`article_status` that is not finished, with its file and line."""
    found = []
    for domain, catalog, msgids in _article_messages(language, sources, article):
        path = catalog.path if catalog else catalog_path(translations, language.lang, domain)
        if catalog is None and path.exists():  # it has errors: load reported them at their lines
            found.append(Blocker(path, None, UNREADABLE, ""))
            continue
        for msgid in msgids:
            state = message_state(catalog, msgid)
            if state != TRANSLATED:
                entry = catalog.entries.get(msgid) if catalog else None
                found.append(Blocker(path, entry.line if entry else None, state, msgid))
    return found


def _inline_helplines(article: Article) -> tuple[str, ...]:
    return source_body(article.body).helplines


@dataclass(frozen=True)
class SourceBody:
    """An article's body in the source language, parsed."""

    tokens: tuple[Token, ...]  # shared: read them, never change them
    helplines: tuple[str, ...]  # named by ``::: helpline`` blocks
    citation_keys: frozenset[str]


@lru_cache(maxsize=1024)
def source_body(body: str) -> SourceBody:
    """The source body parsed once per process: the checks, the status in every
    language and the fingerprint of every job all read it."""
    env: dict = {}
    tokens = tuple(parse(body, env))
    helplines = inline_helplines(tokens)
    keys = frozenset(key for citation in env.get("citations", ()) for key in citation.keys)
    return SourceBody(tokens, helplines, keys)


def booklet_status(language: Language, sources: Sources, booklet: Booklet) -> Status:
    return status(language.shared, [normalize(t) for t in (booklet.title, booklet.description) if t])


#: every citation has '@'; every link or image '[' (inline, reference) or '<' (autolink); a placeholder '{'
_MARK_CHARACTERS = ("@", "[", "<", "{")
#: what :func:`_marks` returns, in its order, as the error names them
_MARK_KINDS = ("citation keys", "link targets", "placeholders")


@lru_cache(maxsize=8192)
def _marks(markdown: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Citation keys, link/image targets and placeholders (``{{organisation}}``) of one segment, each sorted.

    Language marks are not compared: an English term marked in the Dutch
    text is not foreign in the English translation, and a translator may
    mark a Dutch term ([huisarts]{lang=nl}) that the source has unmarked.
    Cached: a source text is compared with its translation in every language.
    """
    if not any(mark in markdown for mark in _MARK_CHARACTERS):
        return (), (), ()  # most segments: nothing to parse for
    env: dict = {}
    targets, placeholders = [], []
    for inline, _stack in walk_inline(parse(markdown, env)):
        for child in inline.children or ():
            if child.type in ("link_open", "image"):
                targets.append(str(child.attrGet("href") or child.attrGet("src")))
        placeholders += [written(name) for name in names_in(inline.children or ())]
    keys = [key for citation in env.get("citations", ()) for key in citation.keys]
    return tuple(sorted(keys)), tuple(sorted(targets)), tuple(sorted(placeholders))


def marks(markdown: str, parsed: Parsed | None = None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """:func:`_marks`, kept in ``parsed`` (the parse cache) for the next build: a build after every
    file was touched parses no text again that it parsed before."""
    if parsed is None or not any(mark in markdown for mark in _MARK_CHARACTERS):
        return _marks(markdown)
    return parsed.get("segment marks", markdown, partial(_marks, markdown))


def check_catalog(catalog: Catalog | None, msgids: Iterable[str], parsed: Parsed | None = None) -> list[Diagnostic]:
    """Finished translations whose citations, links or placeholders differ from the source."""
    if catalog is None:
        return []
    found = []
    for msgid, translated, line in catalog.finished(msgids):
        if "\n:::" in "\n" + translated or translated.lstrip().startswith("#") != msgid.lstrip().startswith("#"):
            found.append(error(catalog.path, line, "i18n.markup",
                               "the translation adds or drops block markup (':::' or '#'); keep the source's"))
            continue
        source, translation = marks(msgid, parsed), marks(translated, parsed)
        if source == translation:
            continue
        for what, expected, actual in zip(_MARK_KINDS, source, translation):
            if expected != actual:
                missing = sorted((Counter(expected) - Counter(actual)).elements())
                extra = sorted((Counter(actual) - Counter(expected)).elements())
                detail = "; ".join(part for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(extra)}" if extra else "") if part)
                found.append(error(catalog.path, line, "i18n.inconsistent",
                                   f"translation has other {what} than the source ({detail}); "
                                   "copy them unchanged from the Dutch text"))
    return found


def check_language(language: Language, sources: Sources, parsed: Parsed | None = None) -> list[Diagnostic]:
    found = check_catalog(language.shared, sources.shared, parsed)
    for article_id, msgids in sources.articles.items():
        found += check_catalog(language.articles.get(article_id), msgids, parsed)
    return found
