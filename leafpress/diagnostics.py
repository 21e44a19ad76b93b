"""Problems found in a project or in what it made, as values that point at the place.

A diagnostic prints like a compiler message::

    content/articles/x.md:12: error: unknown citation key 'foo' [cite.unknown]
    dist/print/nl/x.pdf: error: page 3: TrimBox is 148.0 mm × 210.0 mm, expected ... [preflight.trimbox]

``line`` is a line of a source file (what an editor jumps to); ``page`` is a page of an
output file (a PDF has no lines), printed after the level. A problem of a whole file has
neither. Every problem leafpress reports is one of these: the source checks, the
warnings of a job (made in a worker process, sent back pickled; recorded in the manifest
as JSON, :func:`to_json` / :func:`from_json`), print preflight, our PDF/UA checker and
the validators of ``make check``.

Stages collect diagnostics and return them; the build decides whether to stop: on
errors always, on warnings too with ``--strict`` (:func:`failing`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, NamedTuple

Level = Literal["error", "warning"]
LEVELS = ("error", "warning")


class Diagnostic(NamedTuple):
    """One problem, at its place: a source line, or a page of an output, or a whole file.

    A named tuple, not a dataclass: the no-op rebuild reads the warnings kept in the manifest,
    and ``dataclasses`` (with the ``inspect`` it imports) was a third of its imports' time.
    """

    path: Path | str
    line: int | None
    level: Level
    code: str
    message: str
    page: int | None = None  # 1-based page of an output PDF; None for a source file or a whole document

    def format(self, root: Path | None = None) -> str:
        path = shown_path(self.path, root)
        where = f"{path}:{self.line}" if self.line else f"{path}"
        page = f"page {self.page}: " if self.page else ""
        return f"{where}: {self.level}: {page}{self.message} [{self.code}]"

    def at(self, path: Path | str) -> Diagnostic:
        """The same problem, in the file ``path`` (a check of a file's parts does not know its name)."""
        return self._replace(path=path)


def shown_path(path: Path | str, root: Path | None) -> Path:
    """``path`` from the project folder ``root`` when it is inside it (and root is given); a
    relative path is one from the project already (``dist/leaflets/nl/x.pdf``) and stays as it is."""
    path = Path(path)
    if root is not None and path.is_absolute():
        try:
            # the folder resolved, not the file: a symbolic link is named as itself
            return (path.parent.resolve() / path.name).relative_to(root.resolve())
        except ValueError:
            pass
    return path


def error(path: Path | str, line: int | None, code: str, message: str, page: int | None = None) -> Diagnostic:
    return Diagnostic(path, line, "error", code, message, page)


def warning(path: Path | str, line: int | None, code: str, message: str, page: int | None = None) -> Diagnostic:
    return Diagnostic(path, line, "warning", code, message, page)


def failing(diagnostics: Iterable[Diagnostic], strict: bool = False) -> list[Diagnostic]:
    """The diagnostics that fail a build: its errors, and with ``strict`` its warnings too."""
    levels = {"error", "warning"} if strict else {"error"}
    return [d for d in diagnostics if d.level in levels]


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    return bool(failing(diagnostics, strict))


FIELDS = ("path", "line", "level", "code", "message", "page")


def to_json(diagnostic: Diagnostic, root: Path | None = None) -> dict[str, Any]:
    """A diagnostic as plain JSON values; its path a string, from ``root`` if inside it."""
    return {"path": str(shown_path(diagnostic.path, root)), "line": diagnostic.line, "level": diagnostic.level,
            "code": diagnostic.code, "message": diagnostic.message, "page": diagnostic.page}


def _count(value: Any) -> bool:
    return value is None or (type(value) is int and value > 0)


def from_json(value: Any) -> Diagnostic | None:
    """The diagnostic :func:`to_json` made of it; None for anything else (it is read from dist/,
    which anyone may have written: only these plain fields, nothing executed)."""
    if type(value) is not dict or value.keys() != set(FIELDS):
        return None
    if not all(type(value[key]) is str for key in ("path", "code", "message")) or value["level"] not in LEVELS:
        return None
    if not (_count(value["line"]) and _count(value["page"])):
        return None
    return Diagnostic(value["path"], value["line"], value["level"], value["code"], value["message"], value["page"])


class BuildFailed(Exception):
    """Raised to stop a build; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))
