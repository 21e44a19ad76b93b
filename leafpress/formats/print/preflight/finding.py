"""A preflight finding: a :class:`~leafpress.diagnostics.Diagnostic` with the code
``preflight.<code>``.
"""

from __future__ import annotations

from leafpress.diagnostics import Diagnostic, Level


def preflight_finding(code: str, message: str, page: int | None = None, level: Level = "error") -> Diagnostic:
    """A preflight problem ``preflight.<code>``, on ``page`` (1-based) if of one page; placed in its
    file by :func:`leafpress.formats.print.preflight.preflight` (the checks of a file's parts do not know its name)."""
    return Diagnostic("", None, level, f"preflight.{code}", message, page)
