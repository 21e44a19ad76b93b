"""The pydyf objects the fixes edit, read once, and the small edits they all make.

A :class:`Tree` holds handles on the structure tree, the parent tree and each
page's content stream; a :class:`Leaf` is one marked-content sequence and the
box that painted it. Which element holds a leaf is asked of the parent tree,
every time (:func:`holder`): the fixes move MCIDs. The edits shared by several
fixes are here: an MCID made an artifact (:func:`make_artifact`), an element
emptied and left to :func:`leafpress.formats.pdf.tags.renumber.compact`
(:func:`discard`), one element's kids handed to another (:func:`absorb`), a ``Span``
put around one MCID (:func:`wrap_mcid`), and text strings as literals (:class:`TextString`).
"""

from __future__ import annotations

import re
from codecs import BOM_UTF16_BE
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import pydyf

from leafpress.upstream.weasyprint_adapter import WeasyPrintChanged

NULL = b"null"
MARKED_CONTENT_OPERATORS = (b"BDC", b"BMC", b"EMC")  # as items of a pydyf content stream
CSS_WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")
# In a literal string: the backslash and brackets escaped, a carriage return written
# as \r (a bare one would be read as a line feed).
LITERAL_ESCAPES = re.compile(rb"[\\()\r]")
LITERAL_ESCAPE = {b"\\": b"\\\\", b"(": b"\\(", b")": b"\\)", b"\r": b"\\r"}


class TagPairingError(WeasyPrintChanged):
    """WeasyPrint's structure tree is not the one this package knows how to fix."""


class Leaf(NamedTuple):
    """One marked-content sequence: where it is and which box painted it.

    Deliberately not which element holds it: the fixes move MCIDs (a link
    broken over lines becomes one ``Link``, a paragraph split by a page
    break one ``P``, a repeated table header artifacts), so that is asked
    of the parent tree, every time, with :func:`holder`.
    """

    page: int
    mcid: int
    box: Any


@dataclass(frozen=True)
class Tree:
    """Handles on the pydyf objects the fixes edit (the objects stay mutable)."""

    objects: list
    document: pydyf.Dictionary
    nums: pydyf.Array  # the parent tree's flat /Nums
    page_nums: tuple  # per page: the parent-tree array indexed by MCID
    page_refs: tuple  # per page: b"n 0 R"
    page_index: dict  # b"n 0 R" of a page -> its index in ``page_refs``
    streams: tuple  # per page: the content stream (pydyf.Stream)
    properties: tuple  # per page: {MCID: index of its property list in the stream}
    markers: tuple  # per page: where BDC, BMC and EMC stand in the stream, in order (kept current)
    discarded: list  # objects nothing refers to any more, dropped by :func:`.renumber.compact`


def number(reference: bytes | str) -> int:
    """The object number of a reference as pydyf writes them, ``b"n 0 R"``."""
    return int(reference[:-4])


def read_tree(pdf: pydyf.PDF) -> Tree:
    objects = pdf.objects
    root = objects[number(pdf.catalog["StructTreeRoot"])]
    document = objects[number(root["K"][0])]
    nums = objects[number(root["ParentTree"])]["Nums"]
    page_refs = tuple(pdf.page_references)
    pages = [objects[number(ref)] for ref in page_refs]
    streams = tuple(objects[number(page["Contents"])] for page in pages)
    by_key = dict(zip(nums[::2], nums[1::2]))
    page_nums = tuple(by_key[page["StructParents"]] for page in pages)
    markers = tuple(marker_positions(stream.stream) for stream in streams)
    return Tree(objects, document, nums, page_nums, page_refs,
                {ref: index for index, ref in enumerate(page_refs)}, streams,
                tuple(property_indexes(stream.stream, found) for stream, found in zip(streams, markers)),
                markers, [])


def holder(tree: Tree, leaf: Leaf) -> pydyf.Dictionary | None:
    """The structure element that holds ``leaf``'s MCID now; None once it is an artifact.

    The parent tree is the one record every fix keeps up to date when it
    moves an MCID to another element or makes it an artifact.
    """
    reference = tree.page_nums[leaf.page][leaf.mcid]
    return None if reference == NULL else tree.objects[number(reference)]


def holds(element: pydyf.Dictionary, kid: Any, page_ref: Any, mcid: int) -> bool:
    """Whether ``kid`` of ``element`` is MCID ``mcid`` of page ``page_ref``.

    A plain integer kid is on the element's own page; content on another
    page (after fragments were merged) is a marked-content reference.
    """
    if isinstance(kid, pydyf.Dictionary):
        return kid.get("Type") == "/MCR" and kid.get("Pg") == page_ref and kid.get("MCID") == mcid
    return isinstance(kid, int) and kid == mcid and element.get("Pg") == page_ref


def property_indexes(items: list, markers: list[int]) -> dict[int, int]:
    """MCID -> where its property list stands in a content stream's ``items``."""
    return {items[index]["MCID"]: index for index in property_list_positions(items, markers)}


def property_lists(items: list, markers: list[int]) -> Iterator[pydyf.Dictionary]:
    """The property lists with an MCID in a content stream's ``items``, in order."""
    return (items[index] for index in property_list_positions(items, markers))


def property_list_positions(items: list, markers: list[int]) -> Iterator[int]:
    """Where the property lists with an MCID stand: pydyf writes one just before its ``BDC``.
    ``markers``: :func:`marker_positions`."""
    for index in markers:
        item = items[index - 1]
        if items[index] == b"BDC" and isinstance(item, pydyf.Dictionary) and "MCID" in item:
            yield index - 1


def marker_positions(items: list) -> list[int]:
    """Where the marked-content operators stand in a content stream's items, in order.

    ``list.index`` does the scan in C: a page holds thousands of items, a
    few hundred of them marked-content operators.
    """
    found = []
    for operator in MARKED_CONTENT_OPERATORS:
        index = -1
        try:
            while True:
                index = items.index(operator, index + 1)
                found.append(index)
        except ValueError:
            pass
    return sorted(found)


def document_lang(pdf: pydyf.PDF) -> str:
    lang = pdf.catalog.get("Lang")
    return getattr(lang, "string", "") or ""


def pagination(subtype: str) -> pydyf.Dictionary:
    properties = pydyf.Dictionary({"Type": "/Pagination"})
    if subtype:
        properties["Subtype"] = f"/{subtype}"
    return properties


def make_artifact(tree: Tree, leaf: Leaf, properties: pydyf.Dictionary) -> None:
    """Turn one marked-content sequence into an artifact and untag it."""
    element = holder(tree, leaf)
    if element is None:
        return
    stream = tree.streams[leaf.page].stream
    index = tree.properties[leaf.page][leaf.mcid]
    stream[index - 1] = "/Artifact"
    stream[index] = properties
    tree.page_nums[leaf.page][leaf.mcid] = NULL
    page_ref = tree.page_refs[leaf.page]
    element["K"][:] = [k for k in element["K"] if not holds(element, k, page_ref, leaf.mcid)]
    prune(tree, element)


def remove_kid(element: pydyf.Dictionary, kid: Any) -> None:
    element["K"][:] = [k for k in element["K"] if k != kid]


def discard(tree: Tree, pdf_object: pydyf.Dictionary) -> None:
    """Empty an object that nothing refers to any more; :func:`.renumber.compact` drops it at the end."""
    pdf_object.clear()
    tree.discarded.append(pdf_object)


def prune(tree: Tree, element: pydyf.Dictionary) -> None:
    """Drop ``element`` and then its ancestors while they are left empty."""
    while element is not tree.document and not element["K"]:
        parent = tree.objects[number(element["P"])]
        remove_kid(parent, element.reference)
        discard(tree, element)
        element = parent


def elements(tree: Tree) -> Iterator[pydyf.Dictionary]:
    """Every structure element, the document first (each element before its kids)."""
    objects = tree.objects
    stack = [tree.document]
    while stack:
        element = stack.pop()
        yield element
        for reference in element["K"]:
            if isinstance(reference, bytes):
                kid = objects[int(reference[:-4])]  # :func:`number`, inlined: the hottest loop here
                if kid.get("Type") == "/StructElem":
                    stack.append(kid)


def absorb(tree: Tree, first: pydyf.Dictionary, second: pydyf.Dictionary) -> None:
    """Move all of ``second``'s kids to the end of ``first`` and empty ``second``."""
    page = tree.page_index[second["Pg"]]
    for kid in second["K"]:
        if isinstance(kid, int):
            tree.page_nums[page][kid] = first.reference
            if second["Pg"] != first["Pg"]:
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": second["Pg"], "MCID": kid})
        elif isinstance(kid, pydyf.Dictionary):  # an MCR from an earlier merge
            tree.page_nums[tree.page_index[kid["Pg"]]][kid["MCID"]] = first.reference
            if kid["Pg"] == first["Pg"]:
                kid = kid["MCID"]
        elif tree.objects[number(kid)].get("Type") == "/OBJR":
            point_annotation(tree, tree.objects[number(tree.objects[number(kid)]["Obj"])], first)
        else:
            tree.objects[number(kid)]["P"] = first.reference
        first["K"].append(kid)
    discard(tree, second)


def local_name(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def number_of(kid: Any) -> int | None:
    return number(kid) if isinstance(kid, bytes) else None


def element_of(tree: Tree, kid: Any) -> pydyf.Dictionary | None:
    if not isinstance(kid, bytes):
        return None
    element = tree.objects[number(kid)]
    return element if element.get("Type") == "/StructElem" else None


def point_annotation(tree: Tree, annotation: pydyf.Dictionary, link: pydyf.Dictionary) -> None:
    """Make the parent tree lead ``annotation`` to ``link``."""
    key = annotation.get("StructParent")
    for index in range(0, len(tree.nums), 2):
        if tree.nums[index] == key:
            tree.nums[index + 1] = link.reference


def is_content(kid: Any) -> bool:
    """An MCID kid: a plain integer or a marked-content reference."""
    return isinstance(kid, int) or (isinstance(kid, pydyf.Dictionary) and kid.get("Type") == "/MCR")


def collapse_white_space(text: str) -> str:
    """``text`` as CSS ``white-space: normal`` lays it out (a no-break space is no white space)."""
    return " ".join(part for part in CSS_WHITE_SPACE.split(text) if part)


class TextString(pydyf.String):
    """A PDF text string, written as a literal: ASCII as it is, anything else UTF-16BE.

    pydyf writes non-ASCII text as hexadecimal UTF-16, twice the bytes and
    less compressible; ``/ActualText`` of an Arabic leaflet is all of its text.
    """

    @property
    def data(self) -> bytes:
        raw = self.string.encode("ascii") if self.string.isascii() else BOM_UTF16_BE + self.string.encode("utf-16-be")
        return b"(" + LITERAL_ESCAPES.sub(lambda m: LITERAL_ESCAPE[m.group()], raw) + b")"


def wrap_mcid(tree: Tree, pdf: pydyf.PDF, parent: pydyf.Dictionary, leaf: Leaf) -> pydyf.Dictionary:
    """Put a ``Span`` between ``parent`` and one of its MCIDs (a plain kid or an MCR)."""
    page_ref = tree.page_refs[leaf.page]
    span = pydyf.Dictionary({"Type": "/StructElem", "S": "/Span", "K": pydyf.Array([leaf.mcid]),
                             "P": parent.reference, "Pg": page_ref})
    pdf.add_object(span)
    parent["K"][:] = [span.reference if holds(parent, k, page_ref, leaf.mcid) else k for k in parent["K"]]
    tree.page_nums[leaf.page][leaf.mcid] = span.reference
    return span
