"""Which box made which structure element and painted which MCID (what fixes 1-13 stand on).

The PDF does not say which box made which structure element. While the PDF is
written, WeasyPrint's tag builder runs through a recorder
(:func:`leafpress.upstream.weasyprint_adapter.recording_tags`, report §A1 and §A2
of ``leafpress/upstream/weasyprint.md``): the PDF it adds objects to notes the box
the builder was on and each page's box-to-MCID table notes which box's MCID was
taken. :func:`pair` checks the recording against the tree before anything is
changed: every recorded element must have a box and every painted MCID an
element; otherwise :class:`~leafpress.formats.pdf.tags.tree.TagPairingError`.

:func:`find_boxes` walks the laid-out pages once for what the fixes look for in the
boxes (margin boxes, repeated fixed boxes, links, line boxes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tree import NULL, Leaf, TagPairingError, Tree, number
from leafpress.upstream.weasyprint_adapter import LineBox, MarginBox, Recording, page_box, walk


@dataclass(frozen=True)
class Pairing:
    leaves: tuple[Leaf, ...]  # in the order WeasyPrint's builder met them
    object_references: frozenset  # b"n 0 R" of every ``OBJR`` (an annotation's place in the tree)
    boxes: dict  # structure element number -> the box it was made for


def pair(tree: Tree, recording: Recording) -> Pairing:
    """Every marked-content sequence and structure element with its box, as recorded;
    checked against the tree before anything is changed."""
    made_for = {}
    object_references = set()
    for pdf_object, box in recording.made:
        kind = pdf_object.get("Type") if isinstance(pdf_object, pydyf.Dictionary) else None
        if kind == "/StructElem":
            if box is None and pdf_object is not tree.document:
                raise TagPairingError("WeasyPrint's builder made a structure element without a box")
            made_for[pdf_object.number] = box
        elif kind == "/OBJR":
            object_references.add(pdf_object.reference)
    leaves = tuple(Leaf(page, mcid, box) for page, box, mcid in recording.painted)
    for leaf in leaves:
        nums = tree.page_nums[leaf.page]
        if leaf.mcid >= len(nums) or nums[leaf.mcid] == NULL or number(nums[leaf.mcid]) not in made_for:
            raise TagPairingError(f"MCID {leaf.mcid} on page {leaf.page + 1} is not in a recorded element")
    return Pairing(leaves, frozenset(object_references), made_for)


@dataclass(frozen=True)
class FoundBoxes:
    """What the fixes look for in the laid-out boxes, found in one walk (:func:`find_boxes`)."""

    margins: dict  # id(box) -> "Header", "Footer" or "" for everything in a page margin box
    repeats: set  # id(box) for everything in a ``position: fixed`` box after its first page
    links: list  # the boxes with a link annotation, in document order
    lines: tuple  # every line box, in document order (13: :func:`leafpress.formats.pdf.tags.spaces.line_ends`)


def find_boxes(document: Any) -> FoundBoxes:
    """:class:`FoundBoxes` of ``document``, each page's boxes walked once."""
    margins: dict[int, str] = {}
    repeats: set[int] = set()
    links = []
    lines = []
    seen: set[int] = set()  # id() of the HTML elements of fixed boxes on earlier pages
    for page in document.pages:
        fixed = []
        for box in walk(page_box(page)):
            if box.style["position"] == "fixed":
                fixed.append(box)
            if getattr(box, "link_annotation", None) is not None:
                links.append(box)
            if isinstance(box, LineBox):
                lines.append(box)
        for margin in page_box(page).children:
            if isinstance(margin, MarginBox):
                subtype = margin_subtype(margin.at_keyword)
                margins.update((id(box), subtype) for box in walk(margin))
        for box in fixed:
            if id(box.element) in seen:
                repeats.update(id(inner) for inner in walk(box))
        seen.update(id(box.element) for box in fixed)
    return FoundBoxes(margins, repeats, links, tuple(lines))


def margin_subtype(at_keyword: str) -> str:
    if at_keyword.startswith("@top"):
        return "Header"
    if at_keyword.startswith("@bottom"):
        return "Footer"
    return ""
