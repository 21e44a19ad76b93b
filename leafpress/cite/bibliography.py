"""The shared bibliography: CSL-YAML or CSL-JSON, as Zotero and pandoc export it.

Loading never raises on bad content: problems come back as diagnostics that
point at the line of the item (``bib.yaml``, ``bib.json``, ``bib.format``,
``bib.id``, ``bib.duplicate``, ``bib.type``, ``bib.date``, ``bib.authors``). Items are
normalised on the way in (dates to ``date-parts``, DOIs without their
resolver prefix, names as CSL name mappings) so rendering meets clean data.

One field is leafpress's own, not CSL's: ``authors-incomplete: true`` says the
``author`` list names only some of the authors (those that could be checked);
the reference then ends the list with the locale's "et al." (see
:mod:`leafpress.cite.formatting`). Zotero and pandoc ignore it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from leafpress.diagnostics import Diagnostic, error, warning
from leafpress.source.urls import WEB_SCHEMES, link_problem, shown
from leafpress.source.yamlfile import compose, construct, read_text, size_problem

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
_DOI = re.compile(r"^10\.\d+(?:\.\d+)*/[^\s\x00-\x1f\x7f]+$")
_EDTF = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Bibliography:
    """CSL items by id (read-only), with the source line of each item."""

    path: str = ""
    items: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def __contains__(self, key: object) -> bool:
        return key in self.items

    def __len__(self) -> int:
        return len(self.items)

    def get(self, key: str) -> Mapping[str, Any] | None:
        return self.items.get(key)

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


# -- reading -----------------------------------------------------------------

@dataclass(frozen=True)
class _Raw:
    """One item as read, with the line of the item and of its id."""

    data: Any
    line: int | None
    id_line: int | None
    node: yaml.Node | None = None  # for the line of a field, when one is wrong


def load_bibliography(path: Path | str) -> tuple[Bibliography, list[Diagnostic]]:
    """Read a CSL-YAML (.yaml/.yml) or CSL-JSON (.json) bibliography."""
    path = Path(path)
    text, problems = read_text(path)
    if text is None:
        if problems[0].code == "file.missing":
            problems = [error(path, None, "file.missing", "bibliography not found")]
        return Bibliography(str(path)), problems
    return parse_bibliography(text, path)


def parse_bibliography(text: str, path: Path | str) -> tuple[Bibliography, list[Diagnostic]]:
    """Parse bibliography text; JSON when the path ends in .json, else YAML."""
    if str(path).lower().endswith(".json"):
        raws, problems = _read_json(text, path)
    else:
        raws, problems = _read_yaml(text, path)
    if raws is None:
        return Bibliography(str(path)), problems
    items, lines, more = _collect(raws, path)
    return Bibliography(str(path), MappingProxyType(items), MappingProxyType(lines)), problems + more


def _read_yaml(text: str, path: Path | str) -> tuple[list[_Raw] | None, list[Diagnostic]]:
    node, problems = compose(text, path, code="bib.yaml", first_document=True)
    if problems:
        return None, problems
    if node is None:
        return [], []
    data, problems = construct(node, path)
    if problems:
        return None, problems
    return _items_from(data, node, path)


def _read_json(text: str, path: Path | str) -> tuple[list[_Raw] | None, list[Diagnostic]]:
    too_large = size_problem(len(text), path)
    if too_large is not None:
        return None, [too_large]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [error(path, exc.lineno, "bib.json", f"malformed JSON: {exc.msg}")]
    except RecursionError:
        return None, [error(path, None, "yaml.depth", "nested too deeply; a CSL item needs only a few levels")]
    node, problems = _json_nodes(text, path)
    if problems:
        return None, problems
    return _items_from(data, node, path)


def _json_nodes(text: str, path: Path | str) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """The YAML node tree of JSON text, for line numbers (None if YAML disagrees), and the
    problems YAML sees that JSON reading does not: a key given twice, too deep nesting."""
    node, problems = compose(text.replace("\t", " "), path, code="bib.json")
    if any(p.code in ("yaml.duplicate", "yaml.depth") for p in problems):
        return None, [p for p in problems if p.code in ("yaml.duplicate", "yaml.depth")]
    return (None if problems else node), []


def _items_from(data: Any, node: yaml.Node | None, path: Path | str) -> tuple[list[_Raw] | None, list[Diagnostic]]:
    if isinstance(data, dict) and "references" in data:
        data, node = data["references"], _mapping_value(node, "references")
    if data is None:
        return [], []
    if not isinstance(data, list):
        line = node.start_mark.line + 1 if node is not None else None
        return None, [error(path, line, "bib.format",
                            "expected a list of CSL items (or a mapping with 'references:')")]
    nodes = list(node.value) if isinstance(node, yaml.SequenceNode) and len(node.value) == len(data) else []
    return [_raw(item, nodes[i] if nodes else None) for i, item in enumerate(data)], []


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _raw(item: Any, node: yaml.Node | None) -> _Raw:
    line = node.start_mark.line + 1 if node is not None else None
    id_node = _mapping_value(node, "id")
    id_line = id_node.start_mark.line + 1 if id_node is not None else line
    return _Raw(item, line, id_line, node)


# -- checking and normalising --------------------------------------------------

def _collect(raws: list[_Raw], path: Path | str) -> tuple[dict[str, Any], dict[str, int], list[Diagnostic]]:
    items: dict[str, Any] = {}
    lines: dict[str, int] = {}
    folded: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for number, raw in enumerate(raws, start=1):
        if not isinstance(raw.data, dict):
            problems.append(error(path, raw.line, "bib.format", f"item {number} is not a mapping of CSL fields"))
            continue
        key = raw.data.get("id")
        if key is None or isinstance(key, (dict, list)) or str(key).strip() == "":
            problems.append(error(path, raw.line, "bib.id", f"item {number} has no 'id'"))
            continue
        key = str(key).strip()
        if key.casefold() in folded:
            first = folded[key.casefold()]
            where = f" (first at line {lines[first]})" if lines.get(first) else ""
            same = "" if first == key else f" (as '{first}': ids may not differ only in case)"
            problems.append(error(path, raw.id_line, "bib.duplicate", f"duplicate id '{key}'{same}{where}"))
            continue
        item, more = normalize_item(raw.data, key, path, raw.line, _field_lines(raw.node))
        problems.extend(more)
        problems.extend(_link_problems(item, key, raw, path))
        folded[key.casefold()] = key
        items[key] = _freeze(item)
        if raw.line is not None:
            lines[key] = raw.line
    return items, lines, problems


def _link_problems(item: Mapping[str, Any], key: str, raw: _Raw, path: Path | str) -> list[Diagnostic]:
    """A reference's ``URL`` that is not a web address and ``DOI`` that is not a DOI (10.xxxx/...)."""
    problems = []
    for name, problem, code in (
            ("URL", lambda v: link_problem(v, WEB_SCHEMES), "url.scheme"),
            ("DOI", lambda v: None if _DOI.match(v) else
             f"'{shown(v)}' is not a DOI; a DOI starts with 10. and a slash, e.g. 10.7554/eLife.62878", "bib.doi")):
        value = item.get(name)
        if value is None:
            continue
        reason = problem(str(value).strip()) if isinstance(value, str) else "must be text"
        if reason:
            node = _mapping_value(raw.node, name)
            line = node.start_mark.line + 1 if node is not None else raw.line
            problems.append(error(path, line, code, f"'{key}': {name} {reason}"))
    return problems


def _field_lines(node: yaml.Node | None) -> dict[str, int]:
    """Field name -> the line of its key, in an item's mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


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


# -- immutability --------------------------------------------------------------

def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """A plain (mutable) copy of a frozen item, for libraries that want dicts."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value
