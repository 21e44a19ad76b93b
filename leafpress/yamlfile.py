"""YAML loading that keeps line numbers and turns syntax errors into diagnostics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, error

#: libyaml's loader where PyYAML was built with it (the same results, ten times faster)
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Located:
    """A YAML mapping's values with the 1-based source line of each key."""

    data: dict[str, Any]
    lines: dict[str, int]
    line: int


def _construct(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    return loader.construct_object(node, deep=True)


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


def load_mapping(text: str, path: Path | str, line_offset: int = 0,
                 code: str = "yaml.syntax") -> tuple[Located | None, list[Diagnostic]]:
    """Parse ``text`` as one YAML mapping; lines are shifted by ``line_offset``.

    libyaml reads it when it is there (an article's front matter in 0.3 ms instead of
    2 ms); what libyaml refuses is read again by PyYAML's own parser, whose messages
    and marks the diagnostics are made from.
    """
    if FAST_LOADER is not yaml.SafeLoader:
        try:
            return _load_mapping(text, path, line_offset, code, FAST_LOADER)
        except yaml.YAMLError:
            pass
    try:
        return _load_mapping(text, path, line_offset, code, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return None, [yaml_error(exc, text, path, code, line_offset)]
    except yaml.YAMLError as exc:
        return None, [error(path, line_offset + 1, code, f"malformed YAML: {exc}")]


def _load_mapping(text: str, path: Path | str, line_offset: int, code: str,
                  loader_class: type) -> tuple[Located | None, list[Diagnostic]]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, {}, line_offset + 1), []
        if not isinstance(node, yaml.MappingNode):
            return None, [error(path, node.start_mark.line + 1 + line_offset, code,
                                "expected a mapping of 'field: value' lines")]
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, loader)
            data[str(key)] = _construct(value_node, loader)
            lines[str(key)] = key_node.start_mark.line + 1 + line_offset
        return Located(data, lines, node.start_mark.line + 1 + line_offset), []
    finally:
        loader.dispose()


def load_file_mapping(path: Path, code: str = "yaml.syntax") -> tuple[Located | None, list[Diagnostic]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [error(path, None, "file.missing", "file not found")]
    except UnicodeDecodeError as exc:
        return None, [error(path, None, "file.encoding", f"not UTF-8 text ({exc.reason}); save the file as UTF-8")]
    return load_mapping(text, path, code=code)
