"""Small readers of pikepdf objects (references, names, strings, arrays, number trees), and
:class:`opened`, which opens a path and leaves an open PDF open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf


def ref(obj: Any) -> str | None:
    return f"{obj.objgen[0]} {obj.objgen[1]} R" if obj.is_indirect else None


def name(value: Any) -> str:
    return str(value)[1:] if isinstance(value, pikepdf.Name) else ""


def text(value: Any) -> str:
    return str(value) if isinstance(value, pikepdf.String) else ""


def as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def is_true(value: Any) -> bool:
    return isinstance(value, bool) and value


def number_tree(node: Any) -> dict:
    """Flatten a number tree (``/Nums`` and ``/Kids``) into a dict."""
    found: dict = {}
    stack = [node]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        nums = as_list(node.get("/Nums"))
        found.update(zip((int(k) for k in nums[::2]), nums[1::2]))
        stack.extend(as_list(node.get("/Kids")))
    return found


class opened:
    """``with opened(path_or_pdf) as pdf``: opens and closes paths, leaves a Pdf open."""

    def __init__(self, source: str | Path | pikepdf.Pdf) -> None:
        self.source = source
        self.pdf: pikepdf.Pdf | None = None

    def __enter__(self) -> pikepdf.Pdf:
        if isinstance(self.source, pikepdf.Pdf):
            return self.source
        self.pdf = pikepdf.open(self.source)
        return self.pdf

    def __exit__(self, *exc: Any) -> None:
        if self.pdf is not None:
            self.pdf.close()
