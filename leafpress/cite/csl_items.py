"""One CSL item checked and normalised: names as CSL name mappings, dates as
``date-parts`` that citeproc-py can print, a DOI without its resolver prefix, and
leafpress's own ``authors-incomplete`` (see :mod:`leafpress.cite.bibliography`)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leafpress.diagnostics import Diagnostic, error, warning
from leafpress.source.urls import shown

NAME_FIELDS = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient",
    "reviewed-author", "script-writer", "series-creator", "translator",
})
DATE_FIELDS = frozenset({
    "accessed", "available-date", "container", "event-date", "issued",
    "original-date", "submitted",
})
#: leafpress's field for an author list that names only some of the authors
AUTHORS_INCOMPLETE = "authors-incomplete"
NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_EDTF = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def normalize_item(data: Mapping[str, Any], key: str, path: Path | str = "", line: int | None = None,
                   fields: Mapping[str, int] | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
    """A CSL item with clean names, dates and DOI, and the problems found (at the line
    of the field in ``fields``, else of the item)."""
    item: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for name, value in data.items():
        name = str(name)
        if name == AUTHORS_INCOMPLETE:
            problem = _authors_incomplete_problem(value, data)
            if problem is not None:
                problems.append(error(path, (fields or {}).get(name, line), "bib.authors", f"'{key}': {problem}"))
            else:
                item[name] = value
            continue
        if value is None:
            continue
        if name in NAME_FIELDS:
            item[name] = _names(value)
        elif name in DATE_FIELDS:
            date = normalize_date(value)
            problem = (f"cannot read {name} date {value!r}; write e.g. {name}: 2021-03-12, "
                       f"{name}: 2021 or {name}: {{date-parts: [[2021, 3]]}}") if date is None else date_problem(date)
            if problem is not None:  # citeproc-py would print it wrong, or stop with a traceback
                problems.append(error(path, (fields or {}).get(name, line), "bib.date", f"'{key}': {problem}"))
            else:
                item[name] = date
        elif name == "DOI":
            item[name] = _DOI_PREFIX.sub("", str(value).strip())
        elif isinstance(value, (dict, list)):
            item[name] = value
        else:
            item[name] = str(value) if not isinstance(value, str) else value
    item["id"] = key
    if not item.get("type"):
        problems.append(warning(path, line, "bib.type", f"'{key}' has no 'type'; treated as 'document'"))
        item["type"] = "document"
    return item, problems


def _authors_incomplete_problem(value: Any, data: Mapping[str, Any]) -> str | None:
    """Why an ``authors-incomplete`` value cannot be used, or None: it is true or false,
    and true only where there is an ``author`` list to end with "et al."."""
    expected = f"{AUTHORS_INCOMPLETE} is true (only some of the authors are listed) or false"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return f"{expected}, without quotes"
    if not isinstance(value, bool):
        what = ("empty" if value is None else "a list" if isinstance(value, list)
                else "a mapping" if isinstance(value, dict) else f"'{shown(str(value))}'")
        return f"{expected}, not {what}"
    if value and not _names(data.get("author") or []):
        return (f"{AUTHORS_INCOMPLETE}: true needs the authors that could be checked in 'author'; "
                "they are printed followed by 'et al.'")
    return None


def _names(value: Any) -> list[dict[str, str]]:
    values = value if isinstance(value, list) else [value]
    return [_name(v) for v in values if v]


def _name(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {"literal": str(value)}
    name = {part: str(value[part]) for part in NAME_PARTS if value.get(part) not in (None, "")}
    if "literal" in name:
        return {"literal": name["literal"]}
    return name or {"literal": ""}


def normalize_date(value: Any) -> dict[str, Any] | None:
    """A CSL date as ``{'date-parts': [[y, m, d]]}`` (or ``{'literal': ...}``)."""
    if isinstance(value, dt.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        return _date_from_text(value)
    if isinstance(value, list):  # pandoc's old [{year: .., month: ..}] form
        parts = [_parts_from_mapping(v) for v in value if isinstance(v, dict)]
        return {"date-parts": parts} if parts and all(parts) else None
    if not isinstance(value, dict):
        return None
    if "date-parts" in value:
        return _date_parts(value)
    if "raw" in value:
        return _date_from_text(str(value["raw"]))
    if "literal" in value:
        return {"literal": str(value["literal"])}
    mapped = _parts_from_mapping(value)
    return {"date-parts": [mapped]} if mapped else None


def _date_parts(value: Mapping[str, Any]) -> dict[str, Any] | None:
    ranges = value["date-parts"]
    if not isinstance(ranges, list) or not ranges:
        return None
    out = []
    for parts in ranges:
        parts = parts if isinstance(parts, list) else [parts]
        try:
            ints = [int(p) for p in parts if p not in (None, "")]
        except (TypeError, ValueError):
            return None
        if not ints:
            return None
        out.append(ints[:3])
    date: dict[str, Any] = {"date-parts": out}
    for extra in ("season", "circa"):
        if extra in value:
            date[extra] = value[extra]
    return date


def date_problem(date: Mapping[str, Any]) -> str | None:
    """Why citeproc-py cannot print a normalized date (it prints a month 13 as nothing,
    2020-02-30 as '30 februari' and stops on seasons and ranges within one year), or None."""
    if "season" in date:
        return ("a season cannot be printed; write the month the work appeared "
                "(e.g. issued: 2020-04) or only the year")
    ranges = date.get("date-parts", ())
    if len(ranges) > 2:
        return f"a date range has a start and an end, not {len(ranges)} dates"
    for parts in ranges:
        if len(parts) > 1 and not 1 <= parts[1] <= 12:
            return f"month {parts[1]} does not exist (1 to 12)"
        if len(parts) > 2 and not 1 <= parts[2] <= calendar.monthrange(parts[0] if parts[0] > 0 else 2000, parts[1])[1]:
            return f"{parts[0]}-{parts[1]:02}-{parts[2]:02} does not exist"
    if len(ranges) == 2 and ranges[0][0] == ranges[1][0]:
        return (f"a range within one year ({ranges[0][0]}) cannot be printed; give the first date only, "
                "or a range of years (e.g. issued: 2019/2020)")
    return None


def is_incomplete(item: Mapping[str, Any]) -> bool:
    """Whether an item has no title and no author or no date: its reference would read
    '(z.d.)' or just a name and a year, which no reader can look up."""
    named = any(item.get(name) for name in NAME_FIELDS)
    return not str(item.get("title") or "").strip() and not (named and item.get("issued"))


def _parts_from_mapping(value: Mapping[str, Any]) -> list[int]:
    try:
        return [int(value[p]) for p in ("year", "month", "day") if p in value]
    except (TypeError, ValueError):
        return []


def _date_from_text(text: str) -> dict[str, Any] | None:
    """EDTF-like ``2021``, ``2021-03``, ``2021-03-12``, ranges ``2019/2020``."""
    pieces = [p.strip() for p in text.strip().split("/")]
    out = []
    for piece in pieces:
        match = _EDTF.match(piece)
        if match is None:
            return {"literal": text.strip()} if text.strip() else None
        out.append([int(g) for g in match.groups() if g is not None])
    return {"date-parts": out}
