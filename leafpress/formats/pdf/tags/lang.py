"""Languages (fix 1).

``lang`` on an element is dropped. Every marked-content sequence gets the
language of the box that painted it; a structure element whose content is
all in one language that differs from its parent's gets ``/Lang``; an
inline ``NonStruct`` that gets one (the ``<i>`` around a ``<span lang>``)
becomes a ``Span``.
"""

from __future__ import annotations

import pydyf

from leafpress.formats.pdf.tags.tree import Leaf, Tree, holder, number
from leafpress.upstream.weasyprint_adapter import InlineBox


def set_languages(tree: Tree, leaves: list[Leaf], default: str, made_for: dict | None = None) -> None:
    """Put ``/Lang`` on the outermost elements whose content is all in one other language.

    Each leaf's language goes up from the element that holds it (the parent
    tree) along ``/P`` to the root, stopping where it is known already, so
    every element learns the languages of its content. Only an element with
    content in a language other than the document's (``default``; letter
    case does not count) can need ``/Lang``: one whose content is all in one
    such language gets it, and what lies below it is in that language too.

    Such an element made for an inline box (``made_for``: structure element
    number -> box) that WeasyPrint tagged ``NonStruct`` (``<i>`` around
    ``<span lang="en">``: the ``i`` is the outermost element all in English)
    becomes a ``Span``, the inline element of the standard for a run of text
    with attributes of its own.
    """
    found: dict[int, set] = {}  # element number -> the languages of its content
    for leaf in leaves:
        element = holder(tree, leaf)
        lang = leaf.box.style["lang"] or default
        while element is not None:
            langs = found.setdefault(element.number, set())
            if lang in langs:
                break
            langs.add(lang)
            element = None if element is tree.document else tree.objects[number(element["P"])]
    other = {element for element, langs in found.items()
             if any(lang.lower() != default.lower() for lang in langs)}
    stack = [tree.document] if tree.document.number in other else []
    while stack:
        element = stack.pop()
        langs = found[element.number]
        if len(langs) == 1:
            element["Lang"] = pydyf.String(next(iter(langs)))
            if element.get("S") == "/NonStruct" and isinstance((made_for or {}).get(element.number), InlineBox):
                element["S"] = "/Span"
            continue
        stack.extend(kid for kid in (tree.objects[number(k)] for k in element["K"] if isinstance(k, bytes))
                     if kid.number in other)
