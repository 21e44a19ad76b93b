"""Size: MCIDs and objects numbered anew once the fixes are done (fix 11).

Each page's MCIDs are numbered 0, 1, 2... again, an ``OBJR`` goes inside its
``Link``, and the dropped objects leave the file and the objects after them are
numbered anew (:func:`compact`): pydyf would write each as ``<<>>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tree import NULL, TagPairingError, Tree, number, property_lists

REFERENCE = re.compile(rb"(\d+) 0 R")
EMBEDDED_REFERENCE = re.compile(rb"(\d+) \d+ R\b")


def compact(tree: Tree, pdf: pydyf.PDF) -> None:
    """Drop the discarded objects and number the objects after the first of them anew.

    The structure tree is the last thing WeasyPrint adds (only the XMP metadata
    comes after it), so that is where the folds leave their holes. Left in place,
    each would be ``<<>>`` in the object stream or a free entry in the
    cross-reference stream, a few bytes each, hundreds of them. References
    are plain ``b"n 0 R"`` values in dictionaries and arrays (and the page
    tree's ``n 0 R`` triples); every one that points at a moved object is
    rewritten. A reference in any other form to a moved object, or one to a
    discarded object, means the objects are not what this module knows:
    :class:`TagPairingError`.
    """
    gone = {id(pdf_object) for pdf_object in tree.discarded}
    if not gone:
        return
    objects = pdf.objects
    first = next(index for index, pdf_object in enumerate(objects) if id(pdf_object) in gone)
    kept = [pdf_object for pdf_object in objects[first:] if id(pdf_object) not in gone]
    moved = {pdf_object.number: first + index for index, pdf_object in enumerate(kept)}
    renumbering = plan_renumbering(moved, {pdf_object.number for pdf_object in tree.discarded}, first)
    for pdf_object in objects:
        value = pdf_object.extra if isinstance(pdf_object, pydyf.Stream) else pdf_object
        if id(pdf_object) not in gone and isinstance(value, (dict, list)):
            renumber_references(value, renumbering)
    objects[first:] = kept
    for index, pdf_object in enumerate(kept, start=first):
        pdf_object.number = index
    tree.discarded.clear()


@dataclass(frozen=True)
class Renumbering:
    """What :func:`compact` moves: object numbers, and the same as references."""

    moved: dict  # old number -> new number
    dropped: set  # numbers of the discarded objects
    first: int  # the first number that moves or goes
    references: dict  # b"old 0 R" -> b"new 0 R" for every moved object
    unmoved: set  # b"n 0 R" for every object before ``first``


def plan_renumbering(moved: dict[int, int], dropped: set[int], first: int) -> Renumbering:
    """The :class:`Renumbering` for ``moved`` (old number -> new) and ``dropped`` numbers, the
    references written out once so each one in the file is a dictionary lookup."""
    return Renumbering(moved, dropped, first, {b"%d 0 R" % old: b"%d 0 R" % new for old, new in moved.items()},
                       {b"%d 0 R" % old for old in range(first)})


NUMBERS = frozenset({int, float})


def renumber_references(value: Any, renumbering: Renumbering) -> None:
    """Rewrite, in place, the references in ``value`` (a dictionary or an array) to moved objects."""
    references, unmoved = renumbering.references, renumbering.unmoved
    pending = [value]
    while pending:
        container = pending.pop()
        triples = False
        if isinstance(container, list):
            triples = "R" in container  # a page tree's ``n 0 R``
            if not triples and NUMBERS.issuperset(map(type, container)):  # a font's widths
                continue
            items = enumerate(container)
        else:
            items = container.items()
        for key, item in items:
            if isinstance(item, bytes):
                if item in references:
                    container[key] = references[item]
                elif item not in unmoved and b" R" in item:
                    check_reference(item, renumbering)
            elif isinstance(item, (dict, list)):
                pending.append(item)
            elif (triples and isinstance(item, int) and item >= renumbering.first
                  and container[key + 1:key + 3] == [0, "R"]):
                if item in renumbering.dropped:
                    raise TagPairingError(f"object {item} was dropped but is still referenced")
                container[key] = renumbering.moved.get(item, item)


def check_reference(item: bytes, renumbering: Renumbering) -> None:
    """Raise if ``item`` (not a plain reference to an object that moves or stays) may point
    at an object that moved or went."""
    match = REFERENCE.fullmatch(item)
    if match is None:
        if any(int(n) >= renumbering.first for n in EMBEDDED_REFERENCE.findall(item)):
            raise TagPairingError(f"a reference in an unknown form: {item[:60]!r}")
    elif int(match.group(1)) in renumbering.dropped:
        raise TagPairingError(f"object {int(match.group(1))} was dropped but is still referenced")


def number_marked_content(tree: Tree, final: list[pydyf.Dictionary]) -> None:
    """Number each page's MCIDs 0, 1, 2... again, in the order they had.

    Joins, folds and artifacts leave most MCIDs unused (a real leaflet: 273 of
    436); each is a ``null`` in the parent tree. The content stream, the
    elements' kids and the parent tree are renumbered together; an MCID
    painted but not in the parent tree is not renumbered but an error.
    ``final``: every structure element (:func:`elements`).
    """
    renumbered = []
    for nums in tree.page_nums:
        live = [mcid for mcid, reference in enumerate(nums) if reference != NULL]
        renumbered.append({old: new for new, old in enumerate(live)})
        nums[:] = [nums[mcid] for mcid in live]
    for page, stream in enumerate(tree.streams):
        for item in property_lists(stream.stream, tree.markers[page]):
            if item["MCID"] not in renumbered[page]:
                raise TagPairingError(f"MCID {item['MCID']} on page {page + 1} is painted but in no element")
            item["MCID"] = renumbered[page][item["MCID"]]
    for element in final:
        kids = element["K"]
        for position, kid in enumerate(kids):
            if isinstance(kid, int):
                kids[position] = renumbered[tree.page_index[element["Pg"]]][kid]
            elif isinstance(kid, pydyf.Dictionary) and kid.get("Type") == "/MCR":
                kid["MCID"] = renumbered[tree.page_index[kid["Pg"]]][kid["MCID"]]


def inline_object_references(tree: Tree, final: list[pydyf.Dictionary], object_references: frozenset) -> None:
    """Put each ``OBJR`` (a link's annotation) into its element's kids instead of an object
    of its own: nothing else refers to it, and an object costs bytes in two places.
    ``final``: every structure element (:func:`elements`); ``object_references``:
    :attr:`Pairing.object_references`."""
    for element in final:
        kids = element["K"]
        for position, kid in enumerate(kids):
            if isinstance(kid, bytes) and kid in object_references:
                target = tree.objects[number(kid)]
                kids[position] = target
                tree.discarded.append(target)  # as an object; it lives on inside ``kids``
