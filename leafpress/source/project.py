"""The project on disk: site configuration, help lines, booklets and articles.

Everything here is read once per build and passed on as immutable values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from leafpress.diagnostics import Diagnostic, error
from leafpress.formats.paper import FORMATS
from leafpress.formats.print.icc import HEADER_SIZE, cmyk_problem
from leafpress.i18n.numerals import choice_problem
from leafpress.i18n.po_checks import language_problem
from leafpress.shipped import CSL_STYLE, ICC_PROFILE
from leafpress.source.frontmatter import ID_PATTERN, LANG_PATTERN, ArticleMeta, parse_front_matter
from leafpress.source.urls import WEB_SCHEMES, link_problem, shown
from leafpress.source.yamlfile import Located, field_line, load_file_mapping


@dataclass(frozen=True)
class Readability:
    """The thresholds of ``build.py readability`` (site.yaml ``readability:``; every one optional)."""

    flesch_min: float = 60.0              # Flesch-Douma below this: [plain.flesch]
    sentence_max: int = 20                # words; a longer sentence: [plain.sentence]
    long_sentence_share_max: float = 0.10  # share of sentences longer than sentence_max
    keypoints_max: int = 4                # items in one ::: keypoints box
    section_paragraphs_max: int = 8       # paragraphs, list items and box texts under one h2
    rare_zipf_max: float = 3.6            # a Dutch word less frequent than this (Zipf): [plain.word]


#: each threshold's type: whole numbers for counts, any number for a score or a share
READABILITY_TYPES = {"flesch_min": float, "sentence_max": int, "long_sentence_share_max": float,
                     "keypoints_max": int, "section_paragraphs_max": int, "rare_zipf_max": float}
#: the thresholds with an upper bound too: a share, a Zipf frequency (7 is "de", 8 no word reaches)
READABILITY_RANGES = {"long_sentence_share_max": (1, "a share from 0 to 1, e.g. 0.10"),
                      "rare_zipf_max": (8, "a Zipf frequency from 0 to 8, e.g. 3.6")}


@dataclass(frozen=True)
class Site:
    organisation: str
    base_url: str
    source_language: str
    languages: tuple[str, ...]
    format: str
    icc_profile: str | None  # the print shop's CMYK profile, relative to the project
    print_variant: str       # pdf/x-4 or pdf/x-1a
    path: Path
    digits: Mapping[str, str] = field(default_factory=dict)  # language -> native or latin (numerals.py)
    readability: Readability = Readability()

    def icc_profile_path(self, paths: Paths) -> Path:
        if self.icc_profile:
            return paths.root / self.icc_profile
        return paths.templates / ICC_PROFILE


@dataclass(frozen=True)
class Helpline:
    id: str
    name: str
    number: str
    hours: str
    url: str
    description: str
    line: int
    languages: tuple[str, ...] = ()  # what the line speaks; shown in leaflets in another language


@dataclass(frozen=True)
class Booklet:
    id: str
    title: str
    description: str
    articles: tuple[str, ...]
    path: Path
    lines: dict[str, int]


@dataclass(frozen=True)
class Article:
    path: Path
    meta: ArticleMeta
    source: str     # the whole file
    body: str
    body_line: int  # file line of the body's first line

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def csl_style(self) -> Path:
        return self.templates / CSL_STYLE

    @property
    def translations(self) -> Path:
        return self.root / "translations"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def articles(self) -> Path:
        return self.content / "articles"

    @property
    def booklets(self) -> Path:
        return self.content / "booklets"

    @property
    def references(self) -> Path:
        return self.content / "references.yaml"

    @property
    def helplines(self) -> Path:
        return self.content / "helplines.yaml"

    @property
    def site(self) -> Path:
        return self.content / "site.yaml"

    @property
    def glossary(self) -> Path:
        return self.content / "glossary.yaml"


def _require_text(located: Located, key: str, path: Path, diagnostics: list[Diagnostic],
                  default: str | None = None, where: int | None = None) -> str:
    value = located.data.get(key, default)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    line = located.lines.get(key, where or located.line)
    diagnostics.append(error(path, line, "config.field", f"'{key}' must be given as text"))
    return ""


def load_site(path: Path) -> tuple[Site | None, list[Diagnostic]]:
    located, diagnostics = load_file_mapping(path, code="config.yaml")
    if located is None:
        return None, diagnostics
    languages = located.data.get("languages")
    if not (isinstance(languages, list) and languages
            and all(isinstance(x, str) and LANG_PATTERN.match(x) for x in languages)):
        diagnostics.append(error(path, located.lines.get("languages", located.line), "config.field",
                                 "'languages' must be a list of language codes, e.g. [nl, en, ar]"))
        languages = []
    for lang in languages:  # dates, numerals, plural rules and direction all come from Babel
        if problem := language_problem(lang):
            diagnostics.append(error(path, located.lines.get("languages", located.line), "config.language", problem))
    site = Site(
        organisation=_require_text(located, "organisation", path, diagnostics),
        base_url=_require_text(located, "base_url", path, diagnostics).rstrip("/"),
        source_language=_require_text(located, "source_language", path, diagnostics, "nl"),
        languages=tuple(languages),
        format=_require_text(located, "format", path, diagnostics, "A5"),
        icc_profile=located.data.get("icc_profile"),
        print_variant=_require_text(located, "print_variant", path, diagnostics, "pdf/x-4"),
        path=path,
        digits=_digits(located, path, tuple(languages), diagnostics),
        readability=_readability(located, path, diagnostics),
    )
    if site.print_variant not in ("pdf/x-4", "pdf/x-1a"):
        diagnostics.append(error(path, located.lines.get("print_variant"), "config.field",
                                 "'print_variant' must be pdf/x-4 or pdf/x-1a"))
    if site.icc_profile is not None:
        problem = icc_problem(path.parent.parent, site.icc_profile)
        if problem:
            diagnostics.append(error(path, located.lines.get("icc_profile"), "config.icc", problem))
    if site.base_url:
        problem = link_problem(site.base_url, WEB_SCHEMES)
        if problem:
            diagnostics.append(error(path, located.lines.get("base_url"), "url.scheme",
                                     f"'base_url': {problem} (the address of the online leaflets)"))
    if site.format not in FORMATS:
        diagnostics.append(error(path, located.lines.get("format"), "config.field",
                                 f"'format' must be {' or '.join(FORMATS)}"))
    if languages and site.source_language not in site.languages:
        diagnostics.append(error(path, located.lines.get("languages"), "config.field",
                                 f"'languages' must include the source language '{site.source_language}'"))
    return (None if diagnostics else site), diagnostics


def icc_problem(root: Path, value: object) -> str | None:
    """Why ``icc_profile: value`` cannot be the print profile, or None.

    It must be a file inside the project (no absolute path, no '..', no symbolic
    link out of it) with the header of a CMYK printer profile (ICC.1 7.2: the
    'acsp' signature, device class 'prtr', colour space 'CMYK'). The file's
    bytes are never quoted: only what the header says, in words.
    """
    example = "give its path from the project folder, e.g. templates/icc/printshop.icc"
    if not isinstance(value, str) or not value.strip():
        return f"'icc_profile' must be a file name; {example}"
    relative = Path(value.strip())
    if relative.is_absolute() or ".." in relative.parts:
        return f"the ICC profile must be a file inside the project folder; {example}"
    named = shown(str(relative))  # as the messages show it
    try:
        target = (root / relative).resolve()
        if not target.is_relative_to(root.resolve()):
            return f"the ICC profile '{named}' leads outside the project folder (a symbolic link); {example}"
        if not target.is_file():
            return f"ICC profile '{named}' not found; {example}"
        with target.open("rb") as stream:
            header = stream.read(HEADER_SIZE)
    except (OSError, RuntimeError, ValueError) as exc:  # a symbolic link loop, a NUL in the name
        reason = getattr(exc, "strerror", None) or "not a usable file name"
        return f"the ICC profile '{named}' cannot be read ({reason}); {example}"
    problem = cmyk_problem(header)
    return f"'{named}' {problem}; ask the print shop for its CMYK profile (.icc)" if problem else None


def _digits(located: Located, path: Path, languages: tuple[str, ...],
            diagnostics: list[Diagnostic]) -> dict[str, str]:
    """``digits: {fa: native, ar: latin}``: the choices, each checked (see :mod:`leafpress.i18n.numerals`)."""
    value = located.data.get("digits")
    if value is None:
        return {}
    line = located.lines.get("digits")
    if not isinstance(value, dict):
        diagnostics.append(error(path, line, "config.field",
                                 "'digits' must map languages to native or latin, e.g. digits: {ar: latin}"))
        return {}
    block = []  # the indented lines below 'digits:', with their numbers
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines()[line or 0:], start=(line or 0) + 1):
        if text.strip() and not text[0].isspace():
            break
        block.append((number, text))
    chosen = {}
    for lang, choice in value.items():
        where = next((number for number, text in block if re.match(rf"\s+{re.escape(str(lang))}\s*:", text)), line)
        problem = (f"digits for '{lang}': '{lang}' is not in 'languages'" if lang not in languages
                   else choice_problem(str(lang), choice))
        if problem:
            diagnostics.append(error(path, where, "config.field", problem))
        else:
            chosen[str(lang)] = str(choice)
    return chosen


def _readability(located: Located, path: Path, diagnostics: list[Diagnostic]) -> Readability:
    """``readability: {flesch_min: 60, ...}``: the thresholds given, each checked; the defaults for the rest."""
    value = located.data.get("readability")
    if value is None:
        return Readability()
    line = located.lines.get("readability")
    known = ", ".join(READABILITY_TYPES)
    if not isinstance(value, dict):
        diagnostics.append(error(path, line, "config.field",
                                 f"'readability' must map thresholds to numbers, e.g. readability: {{flesch_min: 60}}; "
                                 f"known thresholds: {known}"))
        return Readability()
    chosen = {}
    for key, number in value.items():
        where = _field_line(path, line, str(key)) if line else None
        kind = READABILITY_TYPES.get(str(key))
        if kind is None:
            diagnostics.append(error(path, where, "config.field",
                                     f"unknown readability threshold '{key}'; known thresholds: {known}"))
        elif (isinstance(number, bool) or not isinstance(number, (int, float))
              or (kind is int and not isinstance(number, int)) or number < 0
              or (key in READABILITY_RANGES and number > READABILITY_RANGES[key][0])):
            wanted = (READABILITY_RANGES[key][1] if key in READABILITY_RANGES
                      else "a whole number, e.g. 4" if kind is int else "a number, e.g. 60")
            diagnostics.append(error(path, where, "config.field",
                                     f"readability threshold '{key}' must be {wanted}, not '{number}'"))
        else:
            chosen[str(key)] = kind(number)
    return Readability(**chosen)


def load_helplines(path: Path) -> tuple[dict[str, Helpline], list[Diagnostic]]:
    located, diagnostics = load_file_mapping(path, code="helpline.yaml")
    if located is None:
        return {}, diagnostics
    registry: dict[str, Helpline] = {}
    for key, value in located.data.items():
        line = located.lines[key]
        if not ID_PATTERN.match(key) or not isinstance(value, dict):
            diagnostics.append(error(path, line, "helpline.invalid",
                                     f"help line '{key}' must be an id with name, number, hours and url below it"))
            continue
        missing = [f for f in ("name", "number") if not str(value.get(f) or "").strip()]
        if missing:
            diagnostics.append(error(path, line, "helpline.invalid",
                                     f"help line '{key}' needs {' and '.join(missing)}"))
            continue
        url = str(value.get("url") or "").strip()
        problem = link_problem(url) if url else None
        if problem:
            diagnostics.append(error(path, _field_line(path, line, "url"), "url.scheme",
                                     f"help line '{key}': 'url' {problem}"))
            continue
        spoken = value.get("languages") or []
        if not isinstance(spoken, list) or not all(isinstance(code, str) and LANG_PATTERN.match(code)
                                                   for code in spoken):
            diagnostics.append(error(path, _field_line(path, line, "languages"), "helpline.invalid",
                                     f"help line '{key}': 'languages' is a list of the language codes the line "
                                     "answers in, e.g. [nl] or [nl, en]"))
            continue
        registry[key] = Helpline(key, str(value["name"]).strip(), str(value["number"]).strip(),
                                 str(value.get("hours") or "").strip(), url,
                                 str(value.get("description") or "").strip(), line, tuple(spoken))
    return registry, diagnostics


def _field_line(path: Path, line: int, field: str) -> int:
    """The line of ``field:`` in the indented block below the key at ``line`` (``line`` if not found)."""
    return field_line(path.read_text(encoding="utf-8").splitlines(), line, field)


def load_booklet(path: Path) -> tuple[Booklet | None, list[Diagnostic]]:
    located, diagnostics = load_file_mapping(path, code="booklet.yaml")
    if located is None:
        return None, diagnostics
    for key in located.data:
        if key not in ("id", "title", "description", "articles"):
            diagnostics.append(error(path, located.lines[key], "booklet.unknown",
                                     f"unknown field '{key}'; known fields: id, title, description, articles"))
    articles = located.data.get("articles")
    if not (isinstance(articles, list) and articles and all(isinstance(a, str) for a in articles)):
        diagnostics.append(error(path, located.lines.get("articles", located.line), "booklet.articles",
                                 "'articles' must be a list of article ids"))
        articles = []
    booklet = Booklet(
        id=_require_text(located, "id", path, diagnostics),
        title=_require_text(located, "title", path, diagnostics),
        description=str(located.data.get("description") or "").strip(),
        articles=tuple(articles),
        path=path,
        lines=dict(located.lines),
    )
    if booklet.id and booklet.id != path.stem:
        diagnostics.append(error(path, located.lines.get("id"), "booklet.id",
                                 f"id '{booklet.id}' must equal the file name '{path.stem}'"))
    return (None if diagnostics else booklet), diagnostics


def load_article(path: Path) -> tuple[Article | None, list[Diagnostic]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [error(path, None, "file.encoding", f"not UTF-8 text ({exc.reason}); save the file as UTF-8")]
    meta, body, body_line, diagnostics = parse_front_matter(text, path)
    if meta is None:
        return None, diagnostics
    return Article(path, meta, text, body, body_line), diagnostics
