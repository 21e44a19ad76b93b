"""One structure element per HTML element, across page and line breaks (fixes 7 and 8).

7. An element that runs over a page break (a paragraph, a list, a table,
   ``main``) is one structure element per page. Fragments made for the same
   HTML element are merged, down the tree (content on the later page is
   referenced with ``/MCR``); a table header repeated on the next page
   becomes a pagination artifact and ``/Headers`` point at the first copy
   (:mod:`leafpress.formats.pdf.tags.tables`).
8. A link broken over two lines, or over a page break, is two ``Link``
   elements; they become one (one element, two annotations; over a page
   break its content on the next page is referenced with ``/MCR``). So
   does a ``Span`` with ``/Lang`` (a ``<span lang>`` broken over lines).
"""

from __future__ import annotations

from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tables import drop_repeats
from leafpress.formats.pdf.tags.tree import Tree, absorb, element_of, elements, number, number_of
from leafpress.upstream.weasyprint_adapter import FootnoteAreaBox


def link_elements(links: list) -> dict[int, Any]:
    """id(link annotation) -> the HTML element it was made for (``links``: :attr:`.pairing.FoundBoxes.links`)."""
    return {id(box.link_annotation): box.element for box in links}


def join_split_links(tree: Tree, made_for: dict[int, Any]) -> None:
    """One ``Link`` for one HTML link, even when it breaks over lines."""
    for element in list(elements(tree)):
        kids = element.get("K", ())
        if len(kids) < 2:
            continue
        index = 1
        first = link_source(tree, kids[0], made_for)
        while index < len(kids):
            second = link_source(tree, kids[index], made_for)
            if first is not None and first == second:  # the first keeps its annotation, so its source
                absorb(tree, tree.objects[number(kids[index - 1])], tree.objects[number(kids[index])])
                del kids[index]
            else:
                first = second
                index += 1


def join_split_spans(tree: Tree, made_for: dict) -> None:
    """One ``Span`` with ``/Lang`` for one HTML element, even when it breaks over lines.

    WeasyPrint makes an element per box, and an inline element broken over
    two lines is two boxes: a screen reader would switch language twice
    within ``<span lang="en">brain-derived neurotrophic factor</span>``.
    Two neighbouring kids that are ``Span`` elements with the same ``/Lang``,
    made for boxes of the same HTML element (``made_for``: structure element
    number -> box), become the first of them.
    """
    for element in list(elements(tree)):
        kids = element.get("K", ())
        index = 1
        while index < len(kids):
            first, second = element_of(tree, kids[index - 1]), element_of(tree, kids[index])
            if same_language_span(first, second, made_for):
                absorb(tree, first, second)
                del kids[index]
            else:
                index += 1


def same_language_span(first: Any, second: Any, made_for: dict) -> bool:
    if first is None or second is None or not first.get("S") == second.get("S") == "/Span":
        return False
    if "Lang" not in first or "Lang" not in second or first["Lang"].string != second["Lang"].string:
        return False
    html = getattr(made_for.get(first.number), "element", None)
    return html is not None and html is getattr(made_for.get(second.number), "element", None)


def link_source(tree: Tree, kid: Any, made_for: dict[int, Any]) -> int | None:
    """id() of the HTML element a ``Link`` kid was made for, if it is one."""
    element = tree.objects[number(kid)] if isinstance(kid, bytes) else None
    if element is None or element.get("S") != "/Link":
        return None
    for objr in (tree.objects[number(k)] for k in element["K"] if isinstance(k, bytes)):
        if objr.get("Type") == "/OBJR":
            html = made_for.get(id(tree.objects[number(objr["Obj"])]))
            return None if html is None else id(html)
    return None


UNSPLIT = frozenset({"/Span", "/Link", "/Figure", "/Lbl"})


def join_fragments(tree: Tree, parent: pydyf.Dictionary, made_for: dict) -> None:
    """One structure element per HTML element, even across page breaks.

    WeasyPrint builds the tree page by page, so a paragraph, list, table or
    ``main`` that runs onto the next page comes out as one element per page.
    Where the last kid on one page and the first on the next were made for
    the same HTML element, the second is merged into the first, and so on
    down. A table header (or footer) repeated on the next page becomes a
    pagination artifact.
    """
    kids = parent["K"]
    index = 1
    while index < len(kids):
        before = index - 1
        while before > 0 and out_of_flow(made_for.get(number_of(kids[before]))):
            before -= 1
        first, second = element_of(tree, kids[before]), element_of(tree, kids[index])
        if continues(first, second, made_for):
            merge_fragment(tree, first, second, made_for)
            del kids[index]
        else:
            index += 1


def out_of_flow(box: Any) -> bool:
    """Footnotes and fixed or absolute boxes: they may sit between two fragments."""
    if box is None:
        return False
    style = box.style
    return (isinstance(box, FootnoteAreaBox) or style["position"] in ("fixed", "absolute")
            or style["float"] == "footnote")


def continues(first: Any, second: Any, made_for: dict) -> bool:
    if first is None or second is None or first.get("Pg") == second.get("Pg"):
        return False
    if first.get("S") != second.get("S") or first.get("S") in UNSPLIT:
        return False
    html = getattr(made_for.get(first.number), "element", None)
    return html is not None and html is getattr(made_for.get(second.number), "element", None)


def merge_fragment(tree: Tree, first: pydyf.Dictionary, second: pydyf.Dictionary, made_for: dict) -> None:
    drop_repeats(tree, first, second, made_for)
    boundary = len(first["K"])
    absorb(tree, first, second)
    if boundary:
        join_fragments_at(tree, first, boundary, made_for)


def join_fragments_at(tree: Tree, parent: pydyf.Dictionary, boundary: int, made_for: dict) -> None:
    kids = parent["K"]
    first, second = (element_of(tree, kid) for kid in kids[boundary - 1:boundary + 1])
    if continues(first, second, made_for):
        merge_fragment(tree, first, second, made_for)
        del kids[boundary]
