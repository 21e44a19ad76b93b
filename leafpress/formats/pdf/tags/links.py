"""Link annotations and their words (fix 3).

A link around an image gives two link annotations, the inner one inside
the ``Figure``. The inner annotation is merged into the link's own (one
rectangle covering both), dropped from ``/Annots`` and from the parent
tree. An annotation with no ``Link`` above it gets a new ``Link``
element. Every link's ``/Contents`` becomes its words (text, image
``alt``), ``aria-label`` first, ``title`` last, the URL only if there is
nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tree import (
    TextString,
    Tree,
    collapse_white_space,
    discard,
    elements,
    local_name,
    number,
    point_annotation,
    remove_kid,
)


def merge_link_annotations(tree: Tree, pdf: pydyf.PDF, object_references: frozenset) -> None:
    """Give every link annotation a ``Link`` element; merge duplicates.
    ``object_references``: :attr:`Pairing.object_references`."""
    for element in list(elements(tree)):
        if element.get("S") == "/Link":
            continue
        for kid in list(element["K"]):
            if not (isinstance(kid, bytes) and kid in object_references):
                continue
            objr = tree.objects[number(kid)]
            annotation = tree.objects[number(objr["Obj"])]
            if annotation.get("Subtype") != "/Link":
                continue
            link = ancestor(tree, element, "/Link")
            twin = same_target(tree, link, annotation) if link is not None else None
            if twin is not None:
                drop_annotation(tree, element, objr, annotation, twin)
            else:
                wrap_in_link(tree, pdf, element, objr, annotation, link)


def ancestor(tree: Tree, element: pydyf.Dictionary, structure_type: str) -> pydyf.Dictionary | None:
    while element is not tree.document:
        element = tree.objects[number(element["P"])]
        if element.get("S") == structure_type:
            return element
    return None


def target(annotation: pydyf.Dictionary) -> bytes:
    if "Dest" in annotation:
        return annotation["Dest"].data
    return annotation["A"]["URI"].data


def same_target(tree: Tree, link: pydyf.Dictionary, annotation: pydyf.Dictionary) -> pydyf.Dictionary | None:
    for kid in link["K"]:
        if isinstance(kid, bytes):
            objr = tree.objects[number(kid)]
            if objr.get("Type") == "/OBJR":
                other = tree.objects[number(objr["Obj"])]
                if other.get("Subtype") == "/Link" and target(other) == target(annotation):
                    return other
    return None


def drop_annotation(tree: Tree, element: pydyf.Dictionary, objr: pydyf.Dictionary,
                    annotation: pydyf.Dictionary, kept: pydyf.Dictionary) -> None:
    kept["Rect"] = union(kept["Rect"], annotation["Rect"])
    page = tree.objects[number(objr["Pg"])]
    page["Annots"][:] = [ref for ref in page["Annots"] if ref != annotation.reference]
    if not page["Annots"]:
        del page["Annots"]
    key = annotation.get("StructParent")
    pairs = [(k, v) for k, v in zip(tree.nums[::2], tree.nums[1::2]) if k != key]
    tree.nums[:] = [item for pair in pairs for item in pair]
    remove_kid(element, objr.reference)
    discard(tree, objr)
    discard(tree, annotation)


def union(first: list, second: list) -> pydyf.Array:
    xs = [first[0], first[2], second[0], second[2]]
    ys = [first[1], first[3], second[1], second[3]]
    return pydyf.Array([min(xs), min(ys), max(xs), max(ys)])


def wrap_in_link(tree: Tree, pdf: pydyf.PDF, element: pydyf.Dictionary, objr: pydyf.Dictionary,
                 annotation: pydyf.Dictionary, link: pydyf.Dictionary | None) -> None:
    """Move the annotation's OBJR to ``link``, or to a new ``Link`` around ``element``."""
    remove_kid(element, objr.reference)
    if link is None:
        parent = tree.objects[number(element["P"])]
        link = pydyf.Dictionary({"Type": "/StructElem", "S": "/Link", "K": pydyf.Array([element.reference]),
                                 "P": parent.reference, "Pg": element["Pg"]})
        pdf.add_object(link)
        parent["K"][:] = [link.reference if k == element.reference else k for k in parent["K"]]
        element["P"] = link.reference
    link["K"].insert(0, objr.reference)
    point_annotation(tree, annotation, link)


def describe_links(links: list) -> None:
    """Set each link annotation's ``/Contents`` to the link's words (``links``: :attr:`.pairing.FoundBoxes.links`)."""
    for box in links:
        annotation = box.link_annotation
        if annotation and box.element is not None and "Subtype" in annotation:
            words = link_words(box.element)
            if words:
                annotation["Contents"] = TextString(words)


def link_words(element: Any) -> str:
    label = element.get("aria-label", "").strip()
    if label:
        return label
    words = collapse_white_space(" ".join(element_words(element)))
    return words or collapse_white_space(element.get("title", ""))


def element_words(element: Any) -> Iterator[str]:
    if local_name(element.tag) == "img":
        yield element.get("alt", "")
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            yield from element_words(child)
        yield child.tail or ""
