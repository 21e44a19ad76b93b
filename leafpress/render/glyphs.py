"""Before anything is laid out: a glyph in a bundled font for every character the outputs show.

A letter that no bundled font has is drawn as an empty box (.notdef), and the
reader gets boxes where the words should be. So the build looks first: the
text of every planned leaflet and booklet, where it comes from (the articles,
the catalogs, the help lines, the bibliography, and what Babel writes for a
language: dates, language names, digits), is held against the fonts of the
@font-face rules (:mod:`leafpress.render.fonts`). A script the fonts lack is one error
per language, at the first place its letters occur, and nothing is built.
Text from elsewhere (a template, say) is still caught while the leaflet is laid
out (:func:`leafpress.formats.leaflet_job.lay_out`), and that leaflet is not written.
What a job shows is what its format declares (:class:`leafpress.formats.format.MadeFrom`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leafpress.build.parse_cache import Parsed
from leafpress.build.pipeline import Job
from leafpress.diagnostics import Diagnostic, error
from leafpress.formats import registry
from leafpress.i18n.numerals import numerals
from leafpress.i18n.translations import source_body
from leafpress.render.fonts import by_script, covered, font_faces, lacking, missing_message
from leafpress.render.html import language_name, long_date
from leafpress.source.load import Project

CODE = "font.missing-script"


@dataclass(frozen=True)
class Shown:
    """A piece of text an output shows, and where it comes from."""

    lang: str | None  # its language (None: the same in every language: numbers, names, references)
    path: Path
    line: int | None
    text: str
    what: str = ""    # for text leafpress writes itself: what it is


def glyph_findings(project: Project, jobs: Sequence[Job], published: dict[str, tuple[str, ...]],
                   parsed: Parsed) -> list[Diagnostic]:
    """Font files the @font-face rules name but are not there, and scripts of the planned
    outputs that no bundled font covers: one error per script and language."""
    faces, found = font_faces(project.paths.templates, parsed)
    have = covered(faces, parsed)
    pieces = list(shown(project, jobs, published))
    if not lacking("".join(piece.text for piece in pieces), have):
        return found  # the usual case, found at once: one set of every character shown
    reported: set[tuple[str | None, str | None]] = set()
    for piece in pieces:
        missing = lacking(piece.text, have)
        for script, chars in by_script(missing).items():
            if (piece.lang, script) in reported:
                continue
            reported.add((piece.lang, script))
            sample = _sample(piece.text, chars[0]) + (f", {piece.what}" if piece.what else "")
            found.append(error(piece.path, piece.line, CODE, missing_message(script, sample, chars)))
    return found


def _sample(text: str, char: str) -> str:
    """The word with ``char`` in it, and "…" if the text goes on: "ጽቡቕ…"."""
    start = text.index(char)
    begin = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    ends = [i for i in (text.find(" ", start), text.find("\n", start)) if i >= 0]
    end = min(ends) if ends else len(text)
    word = text[begin:end][:16]
    return word + ("…" if text[end:].strip() or end - begin > 16 else "")


def shown(project: Project, jobs: Iterable[Job], published: dict[str, tuple[str, ...]]) -> Iterator[Shown]:
    """The text the planned ``jobs`` lay out, each piece once, with its source."""
    paths = project.paths
    first = _first_time()
    site_lines = _lines(paths.site)
    languages_line = next((n for n, text in site_lines if re.match(r"languages\s*:", text)), None)
    digits_line = next((n for n, text in site_lines if re.match(r"digits\s*:", text)), languages_line)
    if first("site"):
        yield Shown(None, paths.site, next((n for n, t in site_lines if project.site.organisation in t), None),
                    project.site.organisation)
        yield from _file(None, paths.helplines)
    for job in jobs:
        lang = job.lang
        language = project.languages.get(lang)
        made_from = registry.of_kind(job.kind).made_from
        if lang == project.source_language or job.draft:  # the source's text where a translation is missing
            for path in made_from.sources(project, job):
                if first("source", path):
                    yield from _file(project.source_language, path)
        for article_id in made_from.articles(project, job):
            yield from _article_pieces(project, job, article_id, first, languages_line)
        for other in made_from.language_names(job, published):
            if first("name", other):
                yield Shown(other, paths.site, languages_line, language_name(other),
                            f"the name of '{other}' in the leaflets' list of languages")
        if language is not None and first("interface", lang):
            yield from _catalog(lang, language.ui)
            yield from _catalog(lang, language.shared)
        if first("digits", lang):
            chosen = numerals(lang, project.site.digits.get(lang))
            yield Shown(lang, paths.site, digits_line, chosen.digits, f"the digits of '{lang}'")


def _first_time() -> Callable[..., bool]:
    """A test that is true the first time it is asked about a key, then false."""
    done: set[tuple] = set()

    def first(*key: object) -> bool:
        if key in done:
            return False
        done.add(key)
        return True

    return first


def _article_pieces(project: Project, job: Job, article_id: str, first: Callable[..., bool],
                    languages_line: int | None) -> Iterator[Shown]:
    """What a job shows of one article: its text, the titles of what it relates to, what it cites, its dates."""
    lang = job.lang
    language = project.languages.get(lang)
    article = project.articles[article_id]
    if (lang == project.source_language or job.draft) and first("article", article_id):
        yield from _file(project.source_language, article.path)
    if language is not None and first("catalog", lang, article_id):
        yield from _catalog(lang, language.articles.get(article_id))
    for other in article.meta.related:  # their titles, in a "read also" list
        if language is not None and other in project.articles and first("catalog", lang, other):
            yield from _catalog(lang, language.articles.get(other))
    bibliography = project.bibliography
    for key in sorted(source_body(article.body).citation_keys):  # a translation cites the same
        if bibliography is not None and key in bibliography.items and first("reference", key):
            yield Shown(None, Path(bibliography.path), bibliography.line(key), _text_of(bibliography.items[key]))
    if first("dates", lang, article_id):
        meta = article.meta
        chosen = numerals(lang, project.site.digits.get(lang))
        dates = " ".join(long_date(d, lang, chosen) for d in (meta.published, meta.reviewed, meta.next_review))
        yield Shown(lang, project.paths.site, languages_line, dates, f"in the dates of the '{lang}' outputs")


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))
    except (OSError, UnicodeDecodeError):
        return []


def _file(lang: str | None, path: Path) -> Iterator[Shown]:
    for number, text in _lines(path):
        yield Shown(lang, path, number, text)


def _catalog(lang: str, catalog) -> Iterator[Shown]:  # noqa: ANN001 - catalogs.Catalog or None
    if catalog is None:
        return
    for entry in catalog.entries.values():
        if entry.fuzzy:
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        text = "\n".join(s for s in strings if s)
        if text:
            yield Shown(lang, catalog.path, entry.line, text)


def _text_of(value: object) -> str:
    """The text values of a CSL item, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "\n".join(_text_of(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "\n".join(_text_of(v) for v in value)
    return ""
