"""The shared bibliography: CSL-YAML or CSL-JSON, as Zotero and pandoc export it.

Loading never raises on bad content: problems come back as diagnostics that
point at the line of the item (``bib.yaml``, ``bib.json``, ``bib.format``,
``bib.id``, ``bib.duplicate``, ``bib.type``, ``bib.date``, ``bib.authors``). Items are
normalised on the way in (dates to ``date-parts``, DOIs without their
resolver prefix, names as CSL name mappings: :mod:`leafpress.cite.csl_items`) so
rendering meets clean data.

One field is leafpress's own, not CSL's: ``authors-incomplete: true`` says the
``author`` list names only some of the authors (those that could be checked);
the reference then ends the list with the locale's "et al." (see
:mod:`leafpress.cite.formatting`). Zotero and pandoc ignore it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from leafpress.cite.csl_items import AUTHORS_INCOMPLETE, NAME_FIELDS, is_incomplete, normalize_item
from leafpress.diagnostics import Diagnostic, error
from leafpress.source.urls import WEB_SCHEMES, link_problem, shown
from leafpress.source.yamlfile import compose, construct, read_text, size_problem

__all__ = ["AUTHORS_INCOMPLETE", "NAME_FIELDS", "Bibliography", "is_incomplete", "load_bibliography",
           "normalize_item", "parse_bibliography", "thaw"]

_DOI = re.compile(r"^10\.\d+(?:\.\d+)*/[^\s\x00-\x1f\x7f]+$")


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


# -- checking and normalising (one item: leafpress.cite.csl_items) ----------------

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
