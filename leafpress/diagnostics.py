"""Problems found in a project, as values that point at the source.

A diagnostic prints like a compiler message::

    content/articles/x.md:12: error: unknown citation key 'foo' [cite.unknown]

Stages collect diagnostics and return them; the build decides whether to stop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    path: Path | str
    line: int | None
    level: Level
    code: str
    message: str

    def format(self, root: Path | None = None) -> str:
        path = Path(self.path)
        if root is not None:
            try:
                # the folder resolved, not the file: a symbolic link is named as itself
                path = (path.parent.resolve() / path.name).relative_to(root.resolve())
            except ValueError:
                pass
        where = f"{path}:{self.line}" if self.line else f"{path}"
        return f"{where}: {self.level}: {self.message} [{self.code}]"


def error(path: Path | str, line: int | None, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, "error", code, message)


def warning(path: Path | str, line: int | None, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, "warning", code, message)


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    failing = {"error", "warning"} if strict else {"error"}
    return any(d.level in failing for d in diagnostics)


class BuildFailed(Exception):
    """Raised to stop a build; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))
