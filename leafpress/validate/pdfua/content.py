"""Page content (``pdfua.untagged-content``, ``pdfua.parent-tree``; Matterhorn 01): every
painting operator in an artifact or in marked content the structure tree holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.lang import well_formed_lang
from leafpress.validate.pdfua.objects import as_list, text
from leafpress.validate.pdfua.structure import Element, Structure

PAINTING = frozenset(["Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"])


def check_content(page: pikepdf.Page, number: int, structure: Structure) -> Iterator[Diagnostic]:
    """Painting operators must be in an artifact or in marked content the tree holds."""
    page_obj = page.obj
    tagged = structure.mcids.get(page_obj.objgen, {})
    key = page_obj.get("/StructParents")
    mapping = structure.parent_tree.get(int(key)) if key is not None else None
    mapped = as_list(mapping)
    properties: Any = (page_obj.get("/Resources") or pikepdf.Dictionary()).get("/Properties") or {}
    stack: list[tuple[bool, int | None]] = []  # (artifact, MCID)
    stray: list[str] = []
    orphans: set[int] = set()
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            entry, lang = marked_entry(list(instruction.operands), properties)
            stack.append(entry)
            if lang is not None and not well_formed_lang(lang):
                yield pdfua_finding("pdfua.lang",
                                    f"marked-content /Lang {lang!r} is not a well-formed BCP 47 tag", number)
        elif operator == "EMC":
            if stack:
                stack.pop()
        elif operator in PAINTING or operator == "INLINE IMAGE":
            state = paint_state(stack)
            if state is None:
                stray.append(operator)
            elif state >= 0 and (state not in tagged or not maps_to(mapped, state, structure.elements[tagged[state]])):
                orphans.add(state)
    if stray:
        yield pdfua_finding("pdfua.untagged-content",
                            f"{len(stray)} painting operator(s) outside marked content and artifacts "
                            f"(first: {stray[0]})",
                            number)
    for mcid in sorted(orphans):
        what = "is not held by any element of the structure tree" if mcid not in tagged else \
            "is not mapped back to its element by the parent tree"
        yield pdfua_finding("pdfua.untagged-content" if mcid not in tagged else "pdfua.parent-tree",
                            f"marked content MCID {mcid} {what}", number)


def marked_entry(operands: list, properties: Any) -> tuple[tuple[bool, int | None], str | None]:
    tag = str(operands[0]) if operands else ""
    props = operands[1] if len(operands) > 1 else None
    if isinstance(props, pikepdf.Name):
        props = properties.get(props)
    mcid = lang = None
    if isinstance(props, pikepdf.Dictionary):
        mcid = int(props["/MCID"]) if "/MCID" in props else None
        lang = text(props["/Lang"]) if "/Lang" in props else None
    return (tag == "/Artifact", mcid), lang


def paint_state(stack: list[tuple[bool, int | None]]) -> int | None:
    """-1 inside an artifact, the innermost MCID, or None when untagged."""
    if any(artifact for artifact, _ in stack):
        return -1
    mcids = [mcid for _, mcid in stack if mcid is not None]
    return mcids[-1] if mcids else None


def maps_to(mapped: list, mcid: int, element: Element) -> bool:
    if mcid >= len(mapped) or not isinstance(mapped[mcid], pikepdf.Dictionary):
        return False
    return element.obj.is_indirect and mapped[mcid].objgen == element.obj.objgen
