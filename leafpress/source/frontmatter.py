"""Front matter of an article: split it off, parse it, validate it against the schema."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leafpress.diagnostics import Diagnostic, error
from leafpress.formats.paper import FORMATS
from leafpress.source.yamlfile import Located, load_mapping

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class ArticleMeta:
    id: str
    title: str
    lang: str
    summary: str
    owner: str
    version: str
    published: dt.date
    reviewed: dt.date
    next_review: dt.date
    keywords: tuple[str, ...]
    helplines: tuple[str, ...]
    related: tuple[str, ...]
    format: str | None
    lines: dict[str, int]  # field -> source line, for later diagnostics


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, line number of the body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return "".join(lines[1:]), "", len(lines) + 1


def _text(value: Any) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _id_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) and ID_PATTERN.match(v) for v in value):
        return tuple(value)
    return None


def _text_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(_text(v) for v in value):
        return tuple(_text(v) for v in value)  # type: ignore[misc]
    return None


Field = tuple[Callable[[Any], Any], bool, str]

SCHEMA: dict[str, Field] = {
    "id": (lambda v: v if isinstance(v, str) and ID_PATTERN.match(v) else None, True,
           "lowercase letters, digits and hyphens, equal to the file name"),
    "title": (_text, True, "the title as text"),
    "lang": (lambda v: v if isinstance(v, str) and LANG_PATTERN.match(v) else None, True,
             "a language code such as nl"),
    "summary": (_text, True, "one or two sentences of text"),
    "owner": (_text, True, "the team or person responsible"),
    "version": (_text, True, 'a version such as "1.2"'),
    "published": (_date, True, "a date as YYYY-MM-DD"),
    "reviewed": (_date, True, "a date as YYYY-MM-DD"),
    "next_review": (_date, True, "a date as YYYY-MM-DD"),
    "keywords": (_text_list, False, "a list of words, e.g. [ketamine, depressie]"),
    "helplines": (_id_list, False, "a list of help-line ids from content/helplines.yaml"),
    "related": (_id_list, False, "a list of article ids"),
    "format": (lambda v: v if v in FORMATS else None, False, " or ".join(FORMATS)),
}


def parse_front_matter(text: str, path: Path) -> tuple[ArticleMeta | None, str, int, list[Diagnostic]]:
    """Parse and validate; returns (meta or None, body, body line, diagnostics)."""
    front, body, body_line = split_front_matter(text)
    if front is None:
        return None, body, body_line, [error(
            path, 1, "meta.missing",
            "the article must start with front matter between two '---' lines "
            "(id, title, lang, summary, owner, version, published, reviewed, next_review)")]
    located, diagnostics = load_mapping(front, path, line_offset=1, code="meta.yaml")
    if located is None:
        return None, body, body_line, diagnostics
    meta, diagnostics = validate(located, path)
    return meta, body, body_line, diagnostics


def validate(located: Located, path: Path) -> tuple[ArticleMeta | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, line in located.lines.items():
        if key not in SCHEMA:
            known = ", ".join(SCHEMA)
            diagnostics.append(error(path, line, "meta.unknown",
                                     f"unknown front-matter field '{key}'; known fields: {known}"))
    for key, (convert, required, expected) in SCHEMA.items():
        if key not in located.data or located.data[key] is None:
            if required:
                diagnostics.append(error(path, located.line, "meta.required",
                                         f"missing required field '{key}' ({expected})"))
            values[key] = None if key in ("format",) else ()
            continue
        value = convert(located.data[key])
        if value is None:
            diagnostics.append(error(path, located.lines[key], "meta.invalid",
                                     f"field '{key}' must be {expected}"))
        values[key] = value
    if diagnostics:
        return None, diagnostics
    if values["id"] != path.stem:
        diagnostics.append(error(path, located.lines["id"], "meta.id",
                                 f"id '{values['id']}' must equal the file name '{path.stem}'"))
    if values["next_review"] < values["reviewed"]:
        diagnostics.append(error(path, located.lines["next_review"], "meta.dates",
                                 "next_review lies before reviewed"))
    if diagnostics:
        return None, diagnostics
    return ArticleMeta(lines=dict(located.lines), **values), []
