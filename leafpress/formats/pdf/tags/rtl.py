"""Right-to-left text: ``/ActualText`` with the logical order (fix 6).

Right-to-left text (Arabic) is drawn in visual order, so a reader that
follows the content stream without a bidi pass gets it backwards. Text
whose glyphs may be painted out of logical order (right-to-left
characters; in a right-to-left box also Latin text with a neutral or a
number at either end, such as a URL broken after a hyphen) gets
``/ActualText`` with the logical string from the boxes: on the element
that holds it when that holds nothing but text (a paragraph, a heading,
a cell: the lines put together as the HTML has them, the spaces the line
breaks swallowed put back), else on a ``Span`` around each such line
(e.g. in a paragraph with a link). The element is looked up in the
parent tree at that point, not remembered from the pairing: merged
links and fragments and repeated table headers have moved MCIDs by
then. Not in the content stream: poppler reorders right-to-left glyphs
itself and would turn a logical ``/ActualText`` there backwards.

Mirrored glyphs too: a ``(`` at a right-to-left level is painted with
the glyph of ``)``, and WeasyPrint writes a glyph's ``/ToUnicode`` from
the first character it painted, so in a document with right-to-left
text the brackets of left-to-right text may read swapped
(``Popova, V. )2019(.``). One glyph serves both meanings, so no
``/ToUnicode`` is right for both (poppler does not mirror; correcting
the map breaks the Arabic brackets in ``pdftotext``). Once a bracket may
be painted at a right-to-left level (a text painted out of order that
holds one), every text with a bidi-mirrored character gets
``/ActualText`` as well.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pydyf

from leafpress.formats.pdf.tags.tree import Leaf, TextString, Tree, collapse_white_space, holder, is_content, wrap_mcid
from leafpress.upstream.weasyprint_adapter import TextBox

# Bidi classes that may make the painted glyph order differ from the logical
# one whatever the base direction: right-to-left letters, Arabic numbers,
# explicit embeddings, overrides and isolates.
REORDERING_CLASSES = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def needs_actual_text(text: str, rtl: bool = False) -> bool:
    """Whether pango may paint ``text`` in another order than it is written.

    WeasyPrint shapes every text box on its own, with the box's
    ``direction`` as the base direction (pango's automatic direction off).
    Left to right, only right-to-left letters, Arabic numbers and explicit
    bidi controls reorder anything. Right to left, Latin text keeps its
    order only if it begins and ends with a left-to-right letter: a
    hyphen, a space, a bracket or a number at either end resolves to the
    right-to-left base and moves (``lykos-`` where a URL breaks is painted
    ``-lykos``). Erring towards ``/ActualText`` is harmless: it is the
    logical text anyway.
    """
    if not rtl and text.isascii():  # no ASCII character reorders anything
        return False
    bidirectional = unicodedata.bidirectional
    if any(bidirectional(char) in REORDERING_CLASSES for char in text if not char.isascii()):
        return True
    return rtl and bool(text) and not (bidirectional(text[0]) == "L" and bidirectional(text[-1]) == "L")


def out_of_order(box: Any) -> bool:
    """Whether a text box may be painted in another order than it is written."""
    text = getattr(box, "text", None)
    return (isinstance(box, TextBox) and isinstance(text, str) and text != ""
            and needs_actual_text(text, box.style["direction"] == "rtl"))


def has_mirrored(text: str) -> bool:
    return any(unicodedata.mirrored(char) for char in text)


def misread_boxes(leaves: list[Leaf], lines: Any = ()) -> frozenset:
    """``id()`` of every text box of ``leaves`` whose glyphs, read in content-stream order
    through their ``/ToUnicode``, may not give its text as written (6).

    A box :func:`out_of_order`, and, once something in the document may paint a
    bracket with its mirror glyph, every box with a bidi-mirrored character: the
    ``/ToUnicode`` of mirrored glyphs cannot be trusted then. A character is
    mirrored only at a right-to-left level, and a box is shaped on its own, so
    only a box out of order can paint one mirrored (an Arabic word without
    brackets in a Dutch leaflet mirrors nothing).

    And every box of a right-to-left line (of ``lines``, the line boxes) whose text PDFium is
    given on one text object of the line: the others carry an ``/ActualText`` that reads as
    nothing, and a reader that honours it would hear nothing
    (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`).

    Each box is looked at once: the steps after ask this set, not the text, for
    every line (some 900 times per leaflet, most of the tag finisher's bidi work).
    """
    from leafpress.formats.pdf.rtl_plan import pdfium_line_boxes

    texts = {id(leaf.box): leaf.box for leaf in leaves if isinstance(leaf.box, TextBox) and leaf.box.text}
    in_one_object = pdfium_line_boxes(lines) & texts.keys()
    reordered = frozenset(key for key, box in texts.items() if out_of_order(box)) | in_one_object
    if not any(has_mirrored(texts[key].text) for key in reordered):
        return reordered
    return reordered | {key for key, box in texts.items() if has_mirrored(box.text)}


def set_actual_texts(tree: Tree, pdf: pydyf.PDF, leaves: list[Leaf], made_for: dict, misread: frozenset,
                     spaced: frozenset = frozenset()) -> None:
    """Give text that reads wrong its logical order as ``/ActualText`` (6).

    ``misread``: the boxes whose text reads wrong (:func:`misread_boxes`): painted
    out of order, or with a bracket whose mirror glyph the ``/ToUnicode`` may name.

    On the element that holds the text when it holds nothing but text (a
    paragraph, a heading, a cell: one string for all its lines); otherwise
    each line that reads wrong gets a ``Span`` of its own. Only on structure
    elements: poppler (``pdftotext``) reorders right-to-left glyphs itself,
    and an ``/ActualText`` in the content stream, being logical already,
    would come out reversed there.
    """
    texts = {(leaf.page, leaf.mcid): leaf.box.text for leaf in leaves
             if isinstance(leaf.box, TextBox) and leaf.box.text}
    groups: dict[int, tuple[pydyf.Dictionary, list[Leaf]]] = {}
    for leaf in leaves:
        element = holder(tree, leaf) if id(leaf.box) in misread else None
        if element is not None:  # None: made an artifact since (a repeated table header)
            groups.setdefault(id(element), (element, []))[1].append(leaf)
    for element, group in groups.values():
        text = logical_text(tree, element, texts, made_for.get(element.number))
        if text is not None:
            element["ActualText"] = TextString(text)
            continue
        for leaf in group:
            ending = " " if id(leaf.box) in spaced else ""  # 13: the space the line break swallowed
            wrap_mcid(tree, pdf, element, leaf)["ActualText"] = TextString(leaf.box.text + ending)


def logical_text(tree: Tree, element: pydyf.Dictionary, texts: dict, box: Any) -> str | None:
    """All of ``element``'s text as written, if it holds text only; None when unsure.

    One line is its own text. Several lines are put together along the
    HTML element the box was made for: each line must follow the one
    before it there, with nothing but white space between them (the space
    a line break swallowed); a hyphen that hyphenation added, text moved
    elsewhere or anything unexpected gives None, and the lines keep an
    ``/ActualText`` each.
    """
    pieces = []
    for kid in element["K"]:
        if isinstance(kid, int) and "Pg" in element:
            key = (tree.page_index[element["Pg"]], kid)
        elif is_content(kid) and not isinstance(kid, int):
            key = (tree.page_index[kid["Pg"]], kid["MCID"])
        else:
            return None
        if key not in texts:
            return None
        pieces.append(texts[key])
    if len(pieces) == 1:
        return pieces[0]
    source = getattr(box, "element", None)
    if not pieces or source is None:
        return None
    return follow(pieces, collapse_white_space("".join(source.itertext())))


def follow(pieces: list[str], written: str) -> str | None:
    """``pieces`` joined as they stand in ``written`` (one space where ``written`` has one
    between two of them), or None unless they make up all of ``written``."""
    parts: list[str] = []
    cursor = 0
    for piece in pieces:
        start = written.find(piece, cursor)
        if start < 0 or written[cursor:start].strip(" "):
            return None
        if parts and start > cursor:
            parts.append(" ")
        parts.append(piece)
        cursor = start + len(piece)
    return None if written[cursor:].strip(" ") else "".join(parts)
