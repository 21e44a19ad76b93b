"""Walking WeasyPrint's laid-out box tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk(box: Any) -> Iterator[Any]:
    """Every box under ``box`` in document order, absolutely placed ones included."""
    stack = [box]
    while stack:
        current = stack.pop()
        current = getattr(current, "_box", current)  # an absolutely placed box's placeholder
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))
