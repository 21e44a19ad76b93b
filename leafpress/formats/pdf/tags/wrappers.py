"""Size: plain wrappers folded, neighbouring marked content joined (fix 11).

Every text box is a ``Span`` of its own, one object per line of text.
A ``Span`` or ``NonStruct`` that carries nothing (no ``/Lang``, no
``/ActualText``) is dropped and what it holds handed to its parent (never
marked content to a grouping element such as ``L``), and two sequences that
follow each other in one element become one. PDF/UA is meant to cost at most
15 % more bytes than the plain PDF.
"""

from __future__ import annotations

from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tree import NULL, Tree, discard, elements, holds, is_content, number

SILENT_KEYS = frozenset({"Type", "S", "P", "K", "Pg"})
# Elements that group other elements: marked content is never handed to one of these.
GROUPING = frozenset({"/Document", "/Part", "/Art", "/Sect", "/Div", "/L", "/Table", "/THead",
                      "/TBody", "/TFoot", "/TR", "/TOC", "/Index", "/Form"})


def plain_wrapper(tree: Tree, kid: Any) -> pydyf.Dictionary | None:
    """``kid`` if it is a ``Span`` or ``NonStruct`` that says nothing (no /Lang, /ActualText...)
    around marked content and structure elements (not annotations: their parent-tree entries
    would have to move too)."""
    if not isinstance(kid, bytes):
        return None
    wrapper = tree.objects[number(kid)]
    if wrapper.get("S") not in ("/Span", "/NonStruct") or not wrapper.keys() <= SILENT_KEYS:
        return None
    for content in wrapper["K"]:
        if isinstance(content, bytes):
            if tree.objects[number(content)].get("Type") != "/StructElem":
                return None
        elif not is_content(content):
            return None
    return wrapper


def fold_plain_wrappers(tree: Tree) -> None:
    """Hand what a plain ``Span`` or ``NonStruct`` holds to its parent and drop the wrapper.

    WeasyPrint makes one ``Span`` per text box, a line of a paragraph or a
    styled run, and a ``NonStruct`` per ``div`` or ``span`` that means
    nothing: each one more object in the file and in the parent tree. One
    that carries no attribute means nothing its parent holding the content
    directly does not (the standard reads a ``NonStruct``'s content as its
    parent's anyway); it goes, and so does one left empty. Marked content
    only goes to a parent that may hold content (a paragraph, a list body,
    a cell, a link...), never to a grouping element such as ``L`` or
    ``TR``. MCIDs on the parent's page become plain integers, others
    marked-content references, and the parent tree points at the parent.

    Children before parents, so a wrapper emptied of its own wrappers is
    plain when its parent's turn comes.
    """
    for element in reversed(list(elements(tree))):
        if "K" not in element:  # folded away already
            continue
        wrappers = plain_wrappers(tree, element)
        if wrappers:
            element["K"][:] = unwrapped(tree, element, wrappers)


def plain_wrappers(tree: Tree, element: pydyf.Dictionary) -> dict[int, pydyf.Dictionary]:
    """Position in ``element``'s kids -> the plain wrapper (:func:`plain_wrapper`) there that
    may be folded into it: one with marked content not into a grouping element."""
    grouping = element.get("S") in GROUPING
    wrappers = {}
    for position, kid in enumerate(element["K"]):
        wrapper = plain_wrapper(tree, kid) if isinstance(kid, bytes) else None
        if wrapper is not None and not (grouping and any(map(is_content, wrapper["K"]))):
            wrappers[position] = wrapper
    return wrappers


def unwrapped(tree: Tree, element: pydyf.Dictionary, wrappers: dict[int, pydyf.Dictionary]) -> list:
    """``element``'s kids with each of ``wrappers`` (:func:`plain_wrappers`) replaced by what
    it holds; the wrappers are discarded."""
    kids = []
    for position, kid in enumerate(element["K"]):
        wrapper = wrappers.get(position)
        if wrapper is None:
            kids.append(kid)
            continue
        kids.extend(handed_over(tree, element, wrapper, content) for content in wrapper["K"])
        discard(tree, wrapper)
    return kids


def handed_over(tree: Tree, element: pydyf.Dictionary, wrapper: pydyf.Dictionary, content: Any) -> Any:
    """``content``, a kid of ``wrapper``, as a kid of ``element``: a structure element's ``/P``
    and an MCID's parent-tree entry point at ``element``; an MCID on ``element``'s page
    becomes a plain integer, one on another page a marked-content reference."""
    if isinstance(content, bytes):
        tree.objects[number(content)]["P"] = element.reference
        return content
    page_ref, mcid = (wrapper["Pg"], content) if isinstance(content, int) else (content["Pg"], content["MCID"])
    if "Pg" not in element and not any(isinstance(k, int) for k in element["K"]):
        element["Pg"] = page_ref
    tree.page_nums[tree.page_index[page_ref]][mcid] = element.reference
    if page_ref == element.get("Pg"):
        return mcid
    return pydyf.Dictionary({"Type": "/MCR", "Pg": page_ref, "MCID": mcid})


def join_marked_content(tree: Tree) -> None:
    """Make one marked-content sequence of two that follow each other and belong to one element.

    WeasyPrint opens a sequence per text box: ``EMC /Span <</MCID n>> BDC``
    between two lines of one paragraph is 30 bytes, an entry in the parent
    tree and one in the paragraph's kids, for nothing. Only where the second
    sequence opens right where the first closes, and where both MCIDs follow
    each other in the element's kids (so the reading order stays the same).
    """
    for page, stream in enumerate(tree.streams):
        items = stream.stream
        nums = tree.page_nums[page]
        page_ref = tree.page_refs[page]
        joins: list[int] = []  # where an ``EMC /Tag <<MCID>> BDC`` run goes
        opened: list = []  # MCID (or None) of every sequence open at this point
        absorbed_opening = -1  # the BDC of the last join: it opens nothing
        markers = tree.markers[page]
        for index in markers:
            if index == absorbed_opening:
                continue
            item = items[index]
            if item == b"EMC" and opened:
                closed = opened.pop()
                following = items[index + 1:index + 4]
                position = (joinable(tree, nums, page_ref, closed, following[1]["MCID"])
                            if (closed is not None and len(following) == 3 and following[2] == b"BDC"
                                and isinstance(following[1], pydyf.Dictionary) and "MCID" in following[1])
                            else None)
                if position is not None:
                    absorbed = following[1]["MCID"]
                    del tree.objects[number(nums[absorbed])]["K"][position]
                    nums[absorbed] = NULL
                    opened.append(closed)  # the sequence goes on
                    joins.append(index)
                    absorbed_opening = index + 3
            elif item == b"BDC":
                properties = items[index - 1] if index else None
                opened.append(properties.get("MCID") if isinstance(properties, pydyf.Dictionary) else None)
            elif item == b"BMC":
                opened.append(None)
        for index in reversed(joins):
            del items[index:index + 4]
        markers[:] = after_joins(markers, joins)


def after_joins(markers: list[int], joins: list[int]) -> list[int]:
    """``markers`` once the four items at each of ``joins`` (``EMC /Tag <<MCID>> BDC``) are gone."""
    moved, shift, pending = [], 0, iter(joins)
    join = next(pending, None)
    for index in markers:
        while join is not None and index >= join + 4:
            shift += 4
            join = next(pending, None)
        if join is not None and join <= index < join + 4:
            continue
        moved.append(index - shift)
    return moved


def joinable(tree: Tree, nums: Any, page_ref: Any, first: int, second: int) -> int | None:
    """Where MCID ``second`` stands in the kids of the element that holds both, if it
    follows ``first`` there; None if the two cannot be joined."""
    if not (first < len(nums) and second < len(nums)) or NULL in (nums[first], nums[second]):
        return None
    if nums[first] != nums[second]:
        return None
    element = tree.objects[number(nums[first])]
    kids = element["K"]
    position = content_position(element, page_ref, first)
    if position is None or position + 1 >= len(kids) or not holds(element, kids[position + 1], page_ref, second):
        return None
    return position + 1


def content_position(element: pydyf.Dictionary, page_ref: Any, mcid: int) -> int | None:
    """Where MCID ``mcid`` of page ``page_ref`` stands in ``element``'s kids (see :func:`holds`)."""
    kids = element["K"]
    if element.get("Pg") == page_ref and mcid in kids:
        return kids.index(mcid)  # a plain integer: a scan in C
    for position, kid in enumerate(kids):
        if isinstance(kid, pydyf.Dictionary) and holds(element, kid, page_ref, mcid):
            return position
    return None
