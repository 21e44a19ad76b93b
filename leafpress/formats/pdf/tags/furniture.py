"""What is not content becomes an artifact (fixes 2, 4, 9 and 10).

2. Running headers, footers and page numbers (``@page`` margin boxes) are
   marked as ``Span`` with MCIDs that point to structure elements that hang
   nowhere in the tree. They become ``/Artifact`` marked content of type
   ``/Pagination`` (subtype ``/Header`` or ``/Footer``), their MCIDs leave
   the parent tree and their orphan elements are emptied.
4. ``alt=""`` (also ``role="presentation"``/``"none"``, ``aria-hidden``)
   images become ``/Artifact`` marked content; their empty ``Figure`` leaves
   the tree.
9. Text boxes with no text still get an empty ``Span``; they become
   artifacts.
10. A ``position: fixed`` box is painted, and tagged, on every page; from
    its second page on it becomes a pagination artifact.
"""

from __future__ import annotations

from typing import Any

import pydyf

from leafpress.formats.pdf.tags.pairing import FoundBoxes
from leafpress.formats.pdf.tags.tree import Leaf, Tree, make_artifact, pagination
from leafpress.upstream.weasyprint_adapter import ReplacedBox

DECORATIVE_ROLES = frozenset({"presentation", "none"})


def untag_furniture(tree: Tree, found: FoundBoxes, leaves: tuple[Leaf, ...]) -> list[Leaf]:
    """Make artifacts of what is not content; return the leaves that are."""
    kept = []
    for leaf in leaves:
        if id(leaf.box) in found.margins:
            make_artifact(tree, leaf, pagination(found.margins[id(leaf.box)]))
        elif id(leaf.box) in found.repeats:
            make_artifact(tree, leaf, pagination(""))
        elif is_decorative(leaf.box) or getattr(leaf.box, "text", None) == "":
            make_artifact(tree, leaf, pydyf.Dictionary())
        else:
            kept.append(leaf)
    return kept


def is_decorative(box: Any) -> bool:
    if not isinstance(box, ReplacedBox) or box.element is None:
        return False
    attributes = box.element.attrib
    alt = attributes.get("alt")
    return ((alt is not None and not alt.strip())
            or attributes.get("role", "").strip().lower() in DECORATIVE_ROLES
            or attributes.get("aria-hidden", "").strip().lower() == "true")
