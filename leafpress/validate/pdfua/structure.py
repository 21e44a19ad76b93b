"""The structure tree read once: its elements in document order with the standard type each
maps to, the MCIDs and annotations they hold, the parent tree and the role map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pikepdf

from leafpress.validate.pdfua.objects import as_list, name, number_tree, ref

STANDARD_TYPES = frozenset("""
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form
""".split())


@dataclass(frozen=True)
class Element:
    obj: Any  # pikepdf.Dictionary
    ref: str | None
    type: str  # as written, without the slash
    role: str  # the standard type it maps to, "" if none
    parent: int | None  # index in Structure.elements
    page: tuple | None  # objgen of /Pg


@dataclass(frozen=True)
class Structure:
    elements: tuple[Element, ...]  # document order
    mcids: dict  # page objgen -> {MCID: element index}
    objrs: dict  # annotation objgen -> element index
    parent_tree: dict  # number -> pikepdf object
    role_map: dict  # name -> name


def read_structure(pdf: pikepdf.Pdf) -> Structure:
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return Structure((), {}, {}, {}, {})
    role_map = {str(k)[1:]: name(v) for k, v in (root.get("/RoleMap") or {}).items()}
    elements: list[Element] = []
    mcids: dict = {}
    objrs: dict = {}
    seen: set = set()
    stack: list[tuple[Any, int | None]] = [(kid, None) for kid in reversed(as_list(root.get("/K")))]
    while stack:
        obj, parent = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary) or (obj.is_indirect and obj.objgen in seen):
            continue
        if obj.is_indirect:
            seen.add(obj.objgen)
        index = len(elements)
        page = obj.get("/Pg")
        page_id = page.objgen if isinstance(page, pikepdf.Dictionary) else None
        kind = name(obj.get("/S"))
        elements.append(Element(obj, ref(obj), kind, resolve(kind, role_map), parent, page_id))
        children: list[tuple[Any, int | None]] = []
        for kid in as_list(obj.get("/K")):
            if isinstance(kid, int):
                mcids.setdefault(page_id, {})[int(kid)] = index
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                kid_page = kid.get("/Pg")
                kid_page_id = kid_page.objgen if isinstance(kid_page, pikepdf.Dictionary) else page_id
                mcids.setdefault(kid_page_id, {})[int(kid["/MCID"])] = index
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                target = kid.get("/Obj")
                if isinstance(target, pikepdf.Object) and target.is_indirect:
                    objrs[target.objgen] = index
            else:
                children.append((kid, index))
        stack.extend(reversed(children))
    return Structure(tuple(elements), mcids, objrs, number_tree(root.get("/ParentTree")), role_map)


def resolve(kind: str, role_map: dict) -> str:
    seen = set()
    while kind not in STANDARD_TYPES and kind in role_map and kind not in seen:
        seen.add(kind)
        kind = role_map[kind]
    return kind if kind in STANDARD_TYPES else ""


def children_of(structure: Structure) -> dict[int | None, list[int]]:
    found: dict[int | None, list[int]] = {i: [] for i in range(len(structure.elements))}
    for index, element in enumerate(structure.elements):
        found.setdefault(element.parent, []).append(index)
    return found


def role(structure: Structure, index: int) -> str:
    return structure.elements[index].role
