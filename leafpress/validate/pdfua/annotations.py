"""Annotations (Matterhorn 28): links inside ``Link`` elements, not in a ``Figure``, with
``/Contents`` that are not the bare target; other annotations tagged and described; each
led back to its element by the parent tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.objects import as_list, ref, text
from leafpress.validate.pdfua.reading import Reader
from leafpress.validate.pdfua.structure import Structure, role

UNTAGGED_ANNOTATIONS = frozenset(["/Popup", "/PrinterMark", "/TrapNet"])


def check_annotations(page: Any, number: int, reader: Reader) -> Iterator[Diagnostic]:
    structure = reader.structure
    for annotation in as_list(page.get("/Annots")):
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = str(annotation.get("/Subtype"))
        if subtype in UNTAGGED_ANNOTATIONS:
            continue
        where = ref(annotation)
        index = structure.objrs.get(annotation.objgen) if annotation.is_indirect else None
        contents = text(annotation.get("/Contents")).strip()
        if subtype == "/Link":
            yield from check_link(annotation, index, contents, number, reader)
        elif index is None:
            yield pdfua_finding("pdfua.annot-untagged",
                                f"{subtype} annotation is not in the structure tree", number, where)
        elif subtype == "/Widget" and role(structure, index) != "Form":
            yield pdfua_finding("pdfua.annot-untagged", "widget annotation is not inside a Form element", number, where)
        if subtype not in ("/Link", "/Widget") and not contents:
            yield pdfua_finding("pdfua.annot-contents", f"{subtype} annotation has no /Contents", number, where)
        if index is not None:
            yield from check_struct_parent(annotation, index, number, structure)


def check_link(annotation: Any, index: int | None, contents: str, number: int,
               reader: Reader) -> Iterator[Diagnostic]:
    structure = reader.structure
    where = ref(annotation)
    if index is None:
        yield pdfua_finding("pdfua.link-untagged",
                            "Link annotation is not referenced by any OBJR in the structure tree",
                            number, where)
    else:
        element = structure.elements[index]
        if element.role != "Link":
            yield pdfua_finding("pdfua.link-tag", f"Link annotation's OBJR sits in /{element.type}, not in a Link",
                                number, where)
        if any(structure.elements[i].role == "Figure" for i in ancestry(structure, index)):
            yield pdfua_finding("pdfua.link-in-figure", "Link annotation is nested in a Figure", number, where)
    if not contents:
        yield pdfua_finding("pdfua.link-contents", "Link annotation has no /Contents", number, where)
    elif contents in link_targets(annotation) and index is not None:
        words = " ".join(" ".join(text for text, _ in reader.read(index, "")).split())
        if words and "".join(words.split()) != "".join(contents.split()):  # a URL may break over lines
            yield pdfua_finding("pdfua.link-contents-url",
                                f"Link /Contents is the bare target {contents!r}, not the link's words {words!r}",
                                number, where)


def ancestry(structure: Structure, index: int | None) -> Iterator[int]:
    while index is not None:
        yield index
        index = structure.elements[index].parent


def link_targets(annotation: Any) -> set[str]:
    action = annotation.get("/A")
    found = {text(annotation.get("/Dest"))}
    if isinstance(action, pikepdf.Dictionary):
        found.add(text(action.get("/URI")))
    return found - {""}


def check_struct_parent(annotation: Any, index: int, number: int, structure: Structure) -> Iterator[Diagnostic]:
    key = annotation.get("/StructParent")
    mapped = structure.parent_tree.get(int(key)) if key is not None else None
    element = structure.elements[index].obj
    if mapped is None or not element.is_indirect or mapped.objgen != element.objgen:
        yield pdfua_finding("pdfua.parent-tree",
                            "annotation's /StructParent does not lead to the element holding its OBJR",
                            number, ref(annotation))
