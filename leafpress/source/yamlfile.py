"""YAML loading that keeps line numbers and turns every problem into a diagnostic.

Every YAML file of a project (front matter, site.yaml, helplines.yaml,
references.yaml, booklets) is read with limits, checked on libyaml's event
stream before anything is built from it (:func:`structure_problems`):

- no aliases (``*name``): no project file uses them, and nested aliases grow
  without bound when the data is copied (an 11-line "alias bomb");
- at most :data:`MAX_DEPTH` levels of nesting (libyaml's composer crashes the
  process on very deep nesting) and :data:`MAX_BYTES` of text;
- only YAML's standard tags (``!!python/object`` and the like are refused);
- no key twice in one mapping (the second would silently replace the first),
  and no merge key ``<<`` (whose fields give way silently to those beside it).

A value the constructor cannot make (``2026-02-30``, ``!!float x``) is an
error at its line too (:func:`construct`): nothing here raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from leafpress.diagnostics import Diagnostic, error

#: libyaml's loader where PyYAML was built with it (the same results, ten times faster)
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: the largest YAML text read (a CSL export of several thousand references fits)
MAX_BYTES = 4 * 1024 * 1024
#: the deepest nesting read (a CSL date is 5 levels deep: list, item, issued, date-parts, parts)
MAX_DEPTH = 32
#: the explicit tags a value may carry: YAML's own scalar and collection types
STANDARD_TAGS = frozenset("tag:yaml.org,2002:" + name for name in (
    "str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
#: what SafeConstructor raises on a value it cannot make (int("x"), a day 30 in February, !!bool x, an empty !!float)
CONSTRUCT_ERRORS = (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError)


@dataclass(frozen=True)
class Located:
    """A YAML mapping's values with the 1-based source line of each key."""

    data: dict[str, Any]
    lines: dict[str, int]
    line: int


#: YAML's line breaks (what its marks count as lines)
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: a "field:" line, as a quoted value that is not closed swallows them
FIELD_LINE = re.compile(r"[\r\n\x85\u2028\u2029][ \t]*(?:-[ \t]+)?[\w-]+:(?:[ \t]|$)", re.MULTILINE)
FIELD_BEFORE = re.compile(r"[ \t]*(?:-[ \t]+)?([\w-]+):[ \t]*")


def _runaway_quote(exc: yaml.MarkedYAMLError, text: str) -> yaml.Mark | None:
    """Where a quoted value begins whose closing quote is missing, when that is what broke the YAML.

    Such a value runs on to the next quote in the text, over the fields below it, and
    the error comes lines later, where the rest no longer fits ("expected <block end>");
    without a later quote it runs to the end ("while scanning a quoted scalar").
    """
    if exc.context == "while scanning a quoted scalar":  # not an unknown escape such as "C:\Users"
        ran_out = any(end in (exc.problem or "") for end in ("end of stream", "unexpected document"))
        return exc.context_mark if ran_out else None
    problem = exc.problem_mark
    if problem is None:
        return None
    previous = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if (token.start_mark.line, token.start_mark.column) >= (problem.line, problem.column):
                break
            previous = token
    except yaml.YAMLError:
        pass
    if (isinstance(previous, yaml.ScalarToken) and previous.style in ('"', "'")
            and previous.end_mark.line > previous.start_mark.line
            and FIELD_LINE.search(text, previous.start_mark.index, previous.end_mark.index)):
        return previous.start_mark
    return None


def _unclosed_quote_message(mark: yaml.Mark, text: str) -> str | None:
    lines = LINE_BREAK.split(text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    quote = line[mark.column:mark.column + 1]
    if quote not in ('"', "'"):
        return None
    field = FIELD_BEFORE.fullmatch(line[:mark.column])
    value = f"the value of '{field.group(1)}'" if field else "this value"
    return (f"{value} opens a quote ({quote}) that is not closed on its line; "
            f"put the closing {quote} at the end of the value")


def yaml_error(exc: yaml.MarkedYAMLError, text: str, path: Path | str, code: str,
               line_offset: int = 0) -> Diagnostic:
    """A YAML syntax error at the line where the broken construct starts.

    PyYAML notices an unclosed bracket or quote only lines later; the start of
    the construct (its context mark) is where the editor has to look. A quoted
    value without its closing quote (found in ``text``, the YAML read) is named in plain words,
    at the line where it begins.
    """
    runaway = _runaway_quote(exc, text)
    plain = _unclosed_quote_message(runaway, text) if runaway is not None else None
    if runaway is not None and plain is not None:
        return error(path, runaway.line + 1 + line_offset, code, plain)
    mark = exc.context_mark or exc.problem_mark
    line = mark.line + 1 + line_offset if mark else None
    message = f"malformed YAML: {exc.problem or exc.context or 'invalid YAML'}"
    if exc.context and exc.problem_mark and exc.context_mark and exc.problem_mark.line != exc.context_mark.line:
        message += f" ({exc.context}, noticed at line {exc.problem_mark.line + 1 + line_offset})"
    return error(path, line, code, message + "; check brackets, quotes, colons and indentation")


def _shown(text: str, limit: int = 40) -> str:
    """A short, one-line quotation of a key or value for a message."""
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in " ".join(str(text).split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def structure_problems(text: str, path: Path | str, line_offset: int = 0,
                       loader_class: type = FAST_LOADER) -> list[Diagnostic]:
    """Aliases, too deep nesting, foreign tags and duplicate keys in ``text``, from one pass over its events.

    An alias or too deep nesting ends the pass (what follows is not read); every
    duplicate key and tag is reported. A syntax error raises ``yaml.YAMLError``,
    as composing would.
    """
    found: list[Diagnostic] = []
    # one entry per open collection: a mapping's keys (key -> line) and whether a key comes next,
    # or None for a sequence
    open_: list[list[Any] | None] = []
    loader = loader_class(text)
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is alias:
                return found + [_alias_problem(event, path, line_offset)]
            if kind is not scalar and kind not in starts:
                if kind in ends:
                    open_.pop()
                elif kind is yaml.StreamEndEvent:
                    return found
                continue
            line = event.start_mark.line + 1 + line_offset
            found += _node_problems(event, kind is scalar, open_[-1] if open_ else None, path, line)
            if kind is not scalar:
                open_.append([{}, True] if kind is yaml.MappingStartEvent else None)
                if len(open_) > MAX_DEPTH:
                    return found + [error(path, line, "yaml.depth",
                                          f"nested more than {MAX_DEPTH} levels deep; "
                                          "leafpress's YAML files need only a few levels")]
    finally:
        loader.dispose()


def _alias_problem(event: yaml.AliasEvent, path: Path | str, line_offset: int) -> Diagnostic:
    return error(path, event.start_mark.line + 1 + line_offset, "yaml.alias",
                 f"alias '*{_shown(event.anchor)}': YAML aliases are not allowed "
                 "(they repeat another part of the file, and nested ones grow without bound); "
                 "write the value out in full")


def _node_problems(event: yaml.NodeEvent, is_scalar: bool, mapping: list[Any] | None, path: Path | str,
                   line: int) -> list[Diagnostic]:
    """The problems of one scalar or collection start at ``line``: a foreign tag; and in a mapping
    (``mapping``: its keys so far, and whether a key comes next; None in a sequence or at the top),
    a merge key, a key given twice, a key that is not plain text. A key joins ``mapping``."""
    found: list[Diagnostic] = []
    tag = event.tag
    if tag is not None and tag != "!" and tag not in STANDARD_TAGS:
        found.append(error(path, line, "yaml.tag",
                           f"the YAML tag '{_shown(_tag_name(tag))}' is not allowed; remove it "
                           "(put the value in quotes if it is meant as text)"))
    if mapping is None:
        return found
    keys, key_next = mapping
    mapping[1] = not key_next
    if key_next and is_scalar:
        if event.value == "<<" and not event.style:  # plain: None from PyYAML, "" from libyaml
            found.append(error(path, line, "yaml.merge",
                               "the merge key '<<' is not allowed (its fields would give way "
                               "silently to the ones beside it); write the fields out"))
        elif event.value in keys:
            found.append(error(path, line, "yaml.duplicate",
                               f"'{_shown(event.value)}' is given twice in the same place "
                               f"(first at line {keys[event.value]}); the second would silently "
                               "replace the first: keep one"))
        else:
            keys[event.value] = line
    elif key_next:
        found.append(error(path, line, "yaml.key", "a key must be plain text, not a list or a mapping"))
    return found


def size_problem(size: int, path: Path | str) -> Diagnostic | None:
    """The error for a YAML text of ``size`` bytes (or characters) over :data:`MAX_BYTES`, if it is."""
    if size <= MAX_BYTES:
        return None
    return error(path, None, "yaml.size",
                 f"{size / 1024 / 1024:.1f} MiB is too large for a YAML file "
                 f"(at most {MAX_BYTES // 1024 // 1024} MiB); split it or remove what is not used")


def compose(text: str, path: Path | str, line_offset: int = 0, code: str = "yaml.syntax",
            first_document: bool = False) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """The node tree of ``text``, checked (:func:`structure_problems`): (None, problems) if it is not usable.

    One document, or with ``first_document`` the first that is not empty (pandoc
    may close its block with '---'). libyaml reads it when it is there; what libyaml
    refuses is read again by PyYAML's own parser, whose messages and marks the
    diagnostics are made from. (None, []) is an empty document.
    """
    too_large = size_problem(len(text), path)
    if too_large is not None:
        return None, [too_large]
    loaders = [FAST_LOADER] + ([yaml.SafeLoader] if FAST_LOADER is not yaml.SafeLoader else [])
    for loader_class in loaders:
        try:
            return _compose(text, path, line_offset, loader_class, first_document)
        except yaml.MarkedYAMLError as exc:
            failure = yaml_error(exc, text, path, code, line_offset)
        except yaml.YAMLError as exc:
            failure = error(path, line_offset + 1, code, f"malformed YAML: {exc}")
    return None, [failure]


def _compose(text: str, path: Path | str, line_offset: int, loader_class: type,
             first_document: bool) -> tuple[yaml.Node | None, list[Diagnostic]]:
    problems = structure_problems(text, path, line_offset, loader_class)
    if problems:
        return None, problems
    loader = loader_class(text)
    try:
        if not first_document:
            return loader.get_single_node(), []
        while loader.check_node():
            node = loader.get_node()
            if node is not None and not (isinstance(node, yaml.ScalarNode) and node.value == ""):
                return node, []
        return None, []
    finally:
        loader.dispose()


def construct(node: yaml.Node, path: Path | str, line_offset: int = 0) -> tuple[Any, list[Diagnostic]]:
    """The Python value of a checked node tree (see :func:`compose`), or (None, the problem)."""
    try:
        return SafeConstructor().construct_document(node), []
    except CONSTRUCT_ERRORS as exc:
        return None, [_construct_error(node, exc, path, line_offset)]


def _construct_error(node: yaml.Node, exc: Exception, path: Path | str, line_offset: int) -> Diagnostic:
    """The value below ``node`` that could not be made, at its line (only called when one failed)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            try:
                SafeConstructor().construct_object(current, deep=True)
            except CONSTRUCT_ERRORS as problem:
                return _value_error(current, problem, path, line_offset)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(value for pair in reversed(current.value) for value in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    mark = getattr(exc, "problem_mark", None) or node.start_mark
    return error(path, mark.line + 1 + line_offset, "yaml.value",
                 f"cannot read this YAML value ({_shown(str(getattr(exc, 'problem', None) or exc), 80)})")


def _value_error(node: yaml.ScalarNode, exc: Exception, path: Path | str, line_offset: int) -> Diagnostic:
    line = node.start_mark.line + 1 + line_offset
    value = _shown(node.value)
    if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(exc, ValueError):
        return error(path, line, "yaml.date",
                     f"'{value}' is not a date ({exc}); write a real date as YYYY-MM-DD")
    kind = node.tag.removeprefix("tag:yaml.org,2002:")
    described = {"int": "a whole number", "float": "a number", "bool": "true or false",
                 "timestamp": "a date"}.get(kind, f"a YAML {kind}")
    return error(path, line, "yaml.value",
                 f"'{value}' cannot be read as {described}; "
                 "correct it, or put it in quotes (and drop the tag) if it is meant as text")


def load_mapping(text: str, path: Path | str, line_offset: int = 0,
                 code: str = "yaml.syntax") -> tuple[Located | None, list[Diagnostic]]:
    """Parse ``text`` as one YAML mapping; lines are shifted by ``line_offset``.

    libyaml reads it when it is there (an article's front matter in 0.3 ms instead of
    2 ms); see :func:`compose` for what is refused and how.
    """
    node, problems = compose(text, path, line_offset, code)
    if problems:
        return None, problems
    return _located(node, path, line_offset, code)


def _load_mapping(text: str, path: Path | str, line_offset: int, code: str,
                  loader_class: type) -> tuple[Located | None, list[Diagnostic]]:
    """:func:`load_mapping` with one loader only (raises ``yaml.YAMLError`` on a syntax error)."""
    node, problems = _compose(text, path, line_offset, loader_class, first_document=False)
    if problems:
        return None, problems
    return _located(node, path, line_offset, code)


def _located(node: yaml.Node | None, path: Path | str, line_offset: int,
             code: str) -> tuple[Located | None, list[Diagnostic]]:
    if node is None:
        return Located({}, {}, line_offset + 1), []
    if not isinstance(node, yaml.MappingNode):
        return None, [error(path, node.start_mark.line + 1 + line_offset, code,
                            "expected a mapping of 'field: value' lines")]
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for key_node, value_node in node.value:
        key, found = construct(key_node, path, line_offset)
        value, more = construct(value_node, path, line_offset)
        problems += found + more
        data[str(key)] = value
        lines[str(key)] = key_node.start_mark.line + 1 + line_offset
    if problems:
        return None, problems
    return Located(data, lines, node.start_mark.line + 1 + line_offset), []


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """A YAML file's text, or the reason it cannot be read (missing, too large, not UTF-8)."""
    try:
        too_large = size_problem(path.stat().st_size, path)
        if too_large is not None:
            return None, [too_large]
        return path.read_text(encoding="utf-8"), []
    except FileNotFoundError:
        return None, [error(path, None, "file.missing", "file not found")]
    except UnicodeDecodeError as exc:
        return None, [error(path, None, "file.encoding", f"not UTF-8 text ({exc.reason}); save the file as UTF-8")]


def load_file_mapping(path: Path, code: str = "yaml.syntax") -> tuple[Located | None, list[Diagnostic]]:
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return load_mapping(text, path, code=code)


def field_line(lines: Sequence[str], line: int, field: str) -> int:
    """The line of ``field:`` in the indented block below the key at ``line`` of a mapping's
    text ``lines`` (``line`` if not found)."""
    for number in range(line, len(lines)):
        text = lines[number]
        if text.strip() and not text[0].isspace():
            break
        if re.match(rf"\s+{re.escape(field)}\s*:", text):
            return number + 1
    return line
