"""Figures with captions (fix 5).

``<figure><img alt><figcaption>`` comes out as ``NonStruct`` wrappers
around a ``Figure`` and a ``Caption``. The outermost wrapper that holds
only the image and caption(s) becomes the ``Figure``: it takes the
image's ``/Alt``, its layout attributes and its MCID, and keeps the
``Caption`` as a child.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tree import Leaf, Tree, discard, holder, make_artifact, number, number_of
from leafpress.upstream.weasyprint_adapter import ReplacedBox, TextBox


def fold_figures(tree: Tree, leaves: list[Leaf]) -> None:
    blanks = {element.number: leaf for leaf in leaves
              if is_blank(leaf, tree) and (element := holder(tree, leaf)) is not None}
    for leaf in leaves:
        element = holder(tree, leaf)
        if isinstance(leaf.box, ReplacedBox) and element is not None:
            fold_figure(tree, element, blanks)


def fold_figure(tree: Tree, figure: pydyf.Dictionary, blanks: dict[int, Leaf]) -> None:
    """Make the wrapper holding just this image and its caption(s) the Figure.

    Blank text next to the image (the space an inline image leaves on its
    line) may sit in the wrappers too; it becomes an artifact.
    """
    if figure.get("S") != "/Figure":
        return
    chain, top = [figure], figure
    captions, spaces = [], []
    while top is not tree.document:
        parent = tree.objects[number(top["P"])]
        others = [k for k in parent["K"] if k != top.reference]
        if parent.get("S") != "/NonStruct" or not all(
                is_caption(tree, k) or number_of(k) in blanks for k in others):
            break
        captions += [k for k in others if is_caption(tree, k)]
        spaces += [blanks[n] for k in others if (n := number_of(k)) is not None and n in blanks]
        chain.append(parent)
        top = parent
    if not captions:
        return
    for leaf in spaces:
        make_artifact(tree, leaf, pydyf.Dictionary())
    kids = pydyf.Array(flatten(tree, top, chain, figure))
    for kid in kids:
        if isinstance(kid, bytes):
            tree.objects[number(kid)]["P"] = top.reference
    page = tree.page_index[figure["Pg"]]
    for kid in figure["K"]:
        if isinstance(kid, int):
            tree.page_nums[page][kid] = top.reference
    for key in ("Alt", "ActualText", "A"):
        if key in figure:
            top[key] = figure[key]
    top["S"] = "/Figure"
    top["Pg"] = figure["Pg"]
    top["K"] = kids
    for element in chain[:-1]:
        discard(tree, element)


def is_blank(leaf: Leaf, tree: Tree) -> bool:
    """Whitespace alone in a ``Span`` of its own."""
    element = holder(tree, leaf) if isinstance(leaf.box, TextBox) and not leaf.box.text.strip() else None
    return element is not None and element.get("S") == "/Span"


def is_caption(tree: Tree, kid: Any) -> bool:
    return isinstance(kid, bytes) and tree.objects[number(kid)].get("S") == "/Caption"


def flatten(tree: Tree, element: pydyf.Dictionary, chain: list, figure: pydyf.Dictionary) -> Iterator[Any]:
    for kid in element["K"]:
        child = tree.objects[number(kid)] if isinstance(kid, bytes) else None
        if child is not None and child is figure:
            yield from figure["K"]
        elif child is not None and any(child is wrapper for wrapper in chain):
            yield from flatten(tree, child, chain, figure)
        else:
            yield kid
