"""A PDF/UA finding: an error :class:`~leafpress.diagnostics.Diagnostic`, on a page, naming an
object.
"""

from __future__ import annotations

from leafpress.diagnostics import Diagnostic, error


def pdfua_finding(code: str, message: str, page: int | None = None, object_ref: str | None = None) -> Diagnostic:
    """A PDF/UA problem (always an error), on ``page`` (1-based) if of one page, naming the object
    ``object_ref`` ("12 0 R") if of one object; placed in its file by :func:`leafpress.validate.pdfua.check_pdf`."""
    return error("", None, code, f"{message} ({object_ref})" if object_ref else message, page)
