"""The spaces line breaks swallowed (fix 13).

WeasyPrint drops the space at which a line breaks (each line is painted
on its own), so the text of the tags, what a screen reader says, runs
the last word of a line into the first of the next ("wat is
hetverschil?"); so it does where one structure element holds several
blocks (a help-line box: "113 Zelfmoordpreventie0800-0113"). Where the
HTML has white space (or a ``<br>``) between the last text box of a
line and the next one, or the next text of the same structure element
is in another block, the line's last text run gets its font's space
glyph after its last glyph: invisible, a few bytes, and poppler, PDFium
and tag readers all get the space. A break after a hyphen (``0800-``)
has no white space and stays joined. Text painted out of order gets
the space in its per-line ``/ActualText`` instead (element-level
``/ActualText`` has it already); a run whose font never painted a space
gets a ``Span`` whose ``/ActualText`` has it. The same where a space
stands between two inline elements (``</span> <i>``): WeasyPrint paints
a text box of white space alone as nothing, so the run before it gets
the space glyph; and where an element's ``/ActualText`` ends at a line
end whose space a reader needs (a ``Span`` of another language broken
over two lines: two elements, the first one's text ends the line), that
text ends with a space.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf

from leafpress.formats.pdf.tags.rtl import out_of_order
from leafpress.formats.pdf.tags.tree import (
    CSS_WHITE_SPACE,
    Leaf,
    TextString,
    Tree,
    collapse_white_space,
    holder,
    holds,
    local_name,
    wrap_mcid,
)
from leafpress.upstream.weasyprint_adapter import InlineBox, TextBox, space_glyphs


def swallowed_spaces(tree: Tree, line_boxes: tuple, leaves: list[Leaf]) -> frozenset:
    """``id()`` of every text box after which a reader needs a space its marked content lacks.

    At the end of a line (the break swallowed the space), and before a blank
    text box in the line (:func:`is_blank_box`). ``line_boxes``: every line box in document
    order (:attr:`.pairing.FoundBoxes.lines`); ``leaves``: the marked content in painting order.
    """
    lines, by_element = line_ends(line_boxes)
    alignments: dict[int, dict[int, tuple[int, int, bool]]] = {}
    texts = [leaf for leaf in leaves if isinstance(leaf.box, TextBox) and leaf.box.text]
    heard = [(index, leaf) for index, leaf in enumerate(texts) if not is_blank_box(leaf.box)]
    spaced = set()
    for (index, first), (after, second) in zip(heard, heard[1:]):
        here, there = lines.get(id(first.box)), lines.get(id(second.box))
        if here is None or there is None or CSS_WHITE_SPACE.fullmatch(first.box.text[-1]):
            continue
        if here[0] is there[0]:
            if after > index + 1:  # a blank box between them: the space between two inline elements
                spaced.add(id(first.box))
            continue
        if not here[1]:
            continue  # not the end of a line
        element = here[0].element
        if element is not None and element is there[0].element:
            if id(element) not in alignments:
                alignments[id(element)] = align(element, by_element[id(element)])
            if white_space_between(alignments[id(element)], first.box, second.box):
                spaced.add(id(first.box))
        elif holder(tree, first) is not None and holder(tree, first) is holder(tree, second):
            spaced.add(id(first.box))
    return frozenset(spaced)


def is_blank_box(box: Any) -> bool:
    """A text box of white space alone that no reader hears: WeasyPrint paints nothing for it
    (``draw_first_line`` skips text that is all white space), so its marked content is empty.

    Such a box is the space between two inline elements (``</span> <i>``, ``</b> <i>``);
    the text before it gets the space. Not one that may be painted out of order: that one
    gets ``/ActualText`` with its space (6).
    """
    return not box.text.strip() and not out_of_order(box)


def end_actual_texts_with_spaces(tree: Tree, leaves: list[Leaf], spaced: frozenset) -> None:
    """End with a space the ``/ActualText`` of each element whose last text is a line in ``spaced``.

    An element's ``/ActualText`` (6) replaces its content, so the space glyph
    :func:`put_back_spaces` painted after its last line is not read, and the
    lines put together have spaces only between them. Where the element ends at
    such a line and the text after it is in another element (a ``Span`` of
    another language broken over lines is one element per line), the space
    goes at the end of the ``/ActualText``.
    """
    for leaf in leaves:
        element = holder(tree, leaf) if id(leaf.box) in spaced else None
        actual = element.get("ActualText") if element is not None else None
        if (element is not None and isinstance(actual, pydyf.String) and actual.string
                and not actual.string[-1].isspace()
                and element["K"] and holds(element, element["K"][-1], tree.page_refs[leaf.page], leaf.mcid)):
            element["ActualText"] = TextString(actual.string + " ")


def line_ends(line_boxes: tuple) -> tuple[dict[int, tuple[Any, bool]], dict[int, list]]:
    """``id()`` of every text box in one of ``line_boxes`` (line boxes in document order) -> (its
    line box, whether it is the line's last text); and ``id()`` of each HTML element -> the
    text boxes of its lines, in order. Blank boxes (:func:`is_blank_box`) are left out: they
    hold nothing a reader hears."""
    found: dict[int, tuple[Any, bool]] = {}
    by_element: dict[int, list] = {}
    for box in line_boxes:
        texts = [text for text in inline_texts(box) if text.text and not is_blank_box(text)]
        found.update((id(text), (box, index == len(texts) - 1)) for index, text in enumerate(texts))
        by_element.setdefault(id(box.element), []).extend(texts)
    return found, by_element


def inline_texts(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        if isinstance(child, TextBox):
            yield child
        elif isinstance(child, InlineBox):
            yield from inline_texts(child)


def align(element: Any, texts: list) -> dict[int, tuple[int, int, bool]]:
    """``id()`` of each of ``texts`` (an element's text boxes in order) -> (start, end, and
    whether only white space stands before it since the box before) in ``element``'s text."""
    written = collapse_white_space(written_text(element))
    placed: dict[int, tuple[int, int, bool]] = {}
    cursor, lost = 0, False
    for box in texts:
        start = written.find(box.text, cursor)
        if start < 0:
            lost = True  # a list marker, text-transform: not in the HTML as it is painted
            continue
        placed[id(box)] = (start, start + len(box.text), not lost and not written[cursor:start].strip(" "))
        cursor, lost = start + len(box.text), False
    return placed


def white_space_between(placed: dict, first: Any, second: Any) -> bool:
    if id(first) not in placed or id(second) not in placed:
        return False
    start, _, sure = placed[id(second)]
    return sure and start > placed[id(first)][1]


def written_text(element: Any) -> str:
    """The text of an HTML element as written, a ``<br>`` as a space."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(" " if local_name(child.tag) == "br" else written_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def put_back_spaces(tree: Tree, pdf: pydyf.PDF, document: Any, leaves: list[Leaf], spaced: frozenset,
                    misread: frozenset) -> None:
    """Paint the font's space glyph after the last glyph of every line in ``spaced``.

    Not where the text may be painted out of order: its ``/ActualText`` carries the space.
    A line whose font has no space glyph (a bold word that ends a line and holds no
    space) gets a ``Span`` with ``/ActualText``: tag readers get the space, viewers not.
    """
    glyphs = space_glyphs(document)
    for leaf in leaves:
        if id(leaf.box) not in spaced or id(leaf.box) in misread:
            continue
        items = tree.streams[leaf.page].stream
        shown = last_text_shown(items, tree.properties[leaf.page][leaf.mcid] + 2)
        font = current_font(items, shown) if shown is not None else None
        if font in glyphs:
            items[shown] = items[shown][:-len(b"] TJ")] + glyphs[font] + b"] TJ"
        elif (element := holder(tree, leaf)) is not None:
            wrap_mcid(tree, pdf, element, leaf)["ActualText"] = TextString(f"{leaf.box.text} ")


def last_text_shown(items: list, start: int) -> int | None:
    """Where the last ``TJ`` of the marked-content sequence whose content starts at ``start`` is."""
    depth, last = 0, None
    for index in range(start, len(items)):
        item = items[index]
        if item in (b"BDC", b"BMC"):
            depth += 1
        elif item == b"EMC":
            if depth == 0:
                return last
            depth -= 1
        elif isinstance(item, bytes) and item.endswith(b"] TJ"):
            last = index
    return last


def current_font(items: list, index: int) -> bytes | None:
    """The font resource name of the last ``Tf`` before ``items[index]``."""
    for position in range(index - 1, -1, -1):
        item = items[position]
        if isinstance(item, bytes) and item.endswith(b" Tf"):
            return item.split()[0][1:]
    return None
