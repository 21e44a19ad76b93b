"""Walking content streams: every operator with the CTM it runs under, into the forms and
tiling patterns a page paints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Name

from leafpress.formats.print.preflight.geometry import IDENTITY, Matrix, as_matrix, multiply

MAX_FORM_DEPTH = 12


@dataclass(frozen=True)
class Operation:
    """One content-stream operator, where it ran and with what CTM."""

    page: int
    operator: str
    operands: tuple
    ctm: Matrix
    resources: pikepdf.Object | None
    depth: int = 0  # 0 for the page's own content, 1 inside a form or pattern it paints, ...


def resource(resources, category: str, name) -> pikepdf.Object | None:
    if resources is None or category not in resources:
        return None
    return resources[category].get(name)


def walk(owner, resources, page: int, ctm: Matrix = IDENTITY, depth: int = 0) -> Iterator[Operation]:
    """Interpret a content stream roughly: track q/Q/cm, enter forms and patterns."""
    if depth > MAX_FORM_DEPTH:
        return
    yield from _walk_patterns(resources, page, ctm, depth)
    stack: list[Matrix] = []
    for item in pikepdf.parse_content_stream(owner):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            yield Operation(page, "BI", (item.iimage,), ctm, resources, depth)
            continue
        operands, operator = tuple(item.operands), str(item.operator)
        if operator == "q":
            stack.append(ctm)
        elif operator == "Q" and stack:
            ctm = stack.pop()
        elif operator == "cm" and len(operands) == 6:
            ctm = multiply(as_matrix(operands), ctm)
        yield Operation(page, operator, operands, ctm, resources, depth)
        if operator == "Do":
            xobject = resource(resources, "/XObject", operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Form:
                inner = multiply(as_matrix(xobject.get("/Matrix", IDENTITY)), ctm)
                yield from walk(xobject, xobject.get("/Resources"), page, inner, depth + 1)


def _walk_patterns(resources, page: int, base: Matrix, depth: int) -> Iterator[Operation]:
    """Tiling patterns paint in pattern space: their Matrix maps it to ``base``."""
    if resources is None:
        return
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if int(pattern.get("/PatternType", 0)) == 1:
            inner = multiply(as_matrix(pattern.get("/Matrix", IDENTITY)), base)
            yield from walk(pattern, pattern.get("/Resources"), page, inner, depth + 1)


def operations(pdf: pikepdf.Pdf) -> Iterator[Operation]:
    for number, page in enumerate(pdf.pages, start=1):
        yield from walk(page.obj, page.obj.get("/Resources"), number)
