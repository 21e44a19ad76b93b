"""What each text box of a page with right-to-left lines gives the viewers to copy, decided
per line box (and per table cell) before the page is painted.

One text box at a time is too little: the engines put a line together from all its text boxes
(an Arabic word, a bold one, a Latin citation link, the closing bracket and period after it) and
then run their own bidi pass over the whole line (:mod:`leafpress.formats.pdf.engine_bidi`).

- poppler gets a ``/Span`` ``/ActualText`` per text box that would read wrong
  (:func:`leafpress.formats.pdf.tags.needs_actual_text`), bounded by right-to-left marks so that
  its bidi pass never carries a character from one box into the next; a box of plain Latin
  between letters is read from its glyphs. poppler keeps each line of a table cell a block of its
  own (the Arabic line height is more than its 1.5 font sizes) and orders the blocks of a table
  row by row, so the first box of a cell of several lines carries the whole cell's text and the
  other boxes an empty ``/ActualText``. A list number gets marks around it too.
- PDFium keeps what :func:`leafpress.formats.pdf.rtl_paint.paint` gives it word by word (inside
  poppler's ``/Span``, under ``/ActualText`` of its own, empty where it should read the glyphs).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from leafpress.formats.pdf.engine_bidi import PDFIUM_NOTHING, pdfium_actual_text, poppler_actual_text

#: the number of an item of an ordered list ("2.", "٣)"), as its line holds it
LIST_NUMBER = re.compile(r"\s*\d{1,3}\s*[.)]?\s*")


@dataclass(frozen=True)
class BoxPlan:
    """How one text box is painted: poppler's ``/ActualText`` (None: poppler reads the glyphs)."""

    poppler: str | None


@dataclass(frozen=True)
class PagePlan:
    boxes: dict[int, BoxPlan]  # id() of a text box -> its plan
    #: id() of a text box of a right-to-left line -> the line's logical text on the line's first
    #: right-to-left box, PDFIUM_NOTHING on the others (:func:`pdfium_line`)
    pdfium: dict[int, str]


def page_plan(page_box: Any) -> PagePlan | None:
    """The plan of a page, None when it has no right-to-left line."""
    from weasyprint.formatting_structure import boxes

    from leafpress.formats.pdf.rtl_glyphs import has_right_to_left
    from leafpress.formats.pdf.tags.rtl import has_mirrored, out_of_order
    from leafpress.upstream.weasyprint_adapter import walk

    plans: dict[int, BoxPlan] = {}
    pdfium: dict[int, str] = {}
    in_lines: set[int] = set()
    lines = [box for box in walk(page_box) if isinstance(box, boxes.LineBox)]
    in_cells: set[int] = set()  # only a page with a right-to-left line looks for them
    if any(line.style["direction"] == "rtl" for line in lines):
        in_cells = {id(line) for cell in walk(page_box) if isinstance(cell, boxes.TableCellBox)
                    for line in walk(cell) if isinstance(line, boxes.LineBox)}
    for line in lines:
        texts = text_boxes(line)
        in_lines.update(id(box) for box in texts)
        pdfium.update(pdfium_line(line, texts, id(line) in in_cells))
        if not any(has_right_to_left(box.text) for box in texts):
            if texts and line.style["direction"] == "rtl" and LIST_NUMBER.fullmatch("".join(b.text for b in texts)):
                for box in texts:  # a list number (not a phone number on a line of its own: PDFium reads that)
                    plans[id(box)] = BoxPlan(poppler_actual_text(box.text))
            elif line.style["direction"] == "rtl" and any(has_mirrored(box.text) for box in texts):
                # a Latin citation on a line of its own, "(FDA …, 2024).": the first box carries it
                plans[id(texts[0])] = BoxPlan(poppler_actual_text("".join(box.text for box in texts).strip()))
                plans.update((id(box), BoxPlan("")) for box in texts[1:])
            continue
        for box in texts:  # only what the tags read from the structure tree's /ActualText (tags.misread_boxes):
            if out_of_order(box) or has_mirrored(box.text):  # the others keep their marked content's text
                plans[id(box)] = BoxPlan(poppler_actual_text(box.text))
    if not plans and not pdfium:
        return None
    for cell in (box for box in walk(page_box) if isinstance(box, boxes.TableCellBox)):
        lines = [text_boxes(line) for line in walk(cell) if isinstance(line, boxes.LineBox)]
        lines = [line for line in lines if line]
        cell_boxes = [box for line in lines for box in line]
        if len(lines) < 2 or not all(id(box) in plans for box in cell_boxes):
            continue
        text = " ".join("".join(box.text for box in line).strip() for line in lines)
        plans[id(cell_boxes[0])] = BoxPlan(poppler_actual_text(text))
        for box in cell_boxes[1:]:
            plans[id(box)] = BoxPlan("")
    for box in walk(page_box):  # list numbers (an outside marker is no line's child)
        if (isinstance(box, boxes.TextBox) and id(box) not in in_lines and box.text.strip()
                and box.style["direction"] == "rtl"):
            plans[id(box)] = BoxPlan(poppler_actual_text(box.text))
    return PagePlan(plans, pdfium)


def pdfium_line(line: Any, texts: list[Any], in_cell: bool = False) -> dict[int, str]:
    """PDFium's text of a right-to-left line with right-to-left text (or a bracket): all of it
    on one text object of its first box with an Arabic word, nothing on the others (empty when
    PDFium cannot be given it, or the line is left to right: an Arabic word in a Dutch line is
    read word by word, :func:`leafpress.formats.pdf.rtl_paint.paint`).

    PDFium puts a line together from its text objects sorted by x, but starts a new run of them
    at every one that sits higher or lower (a raised vowel mark), so the boxes of a line would
    come out in paint order around such a mark; one object carrying the whole line is read the
    same in any order. The painter picks that object in the box (:func:`leafpress.formats.pdf.rtl_paint.carrier`)
    and gives it the line in the form PDFium turns back into it
    (:func:`leafpress.formats.pdf.engine_bidi.pdfium_actual_text`). PDFium spreads those
    characters over that object, so Chrome shows a found word on its line, but over the
    carrying words rather than where it stands.
    The other boxes read as nothing in the content stream, so their structure elements carry
    the text (:func:`leafpress.formats.pdf.tags.rtl.misread_boxes`)."""
    from leafpress.formats.pdf.rtl_glyphs import has_right_to_left
    from leafpress.formats.pdf.tags.rtl import has_mirrored

    if line.style["direction"] != "rtl":
        return {}
    first = next((box for box in texts if has_arabic_word(box.text)), None)  # PDFium is sure of its direction
    first = first or next((box for box in texts if has_right_to_left(box.text)), None)
    if first is None and any(has_mirrored(box.text) for box in texts):  # a Latin citation of its own
        first = next((box for box in texts if any(char.isalpha() for char in box.text)), None)
    if first is None:
        return {}
    # in a table cell a right-to-left mark and a space at the end: PDFium reads the cells of a row
    # as one line, and the mark keeps a bracket at the end of one cell from the next one
    text = " ".join("".join(box.text for box in texts).split())
    if not given_either_way(text):  # which of the two the carrier is, the painter finds out
        return {}
    if in_cell and given_either_way(text + "\u200f "):
        text += "\u200f "
    return {id(box): text if box is first else PDFIUM_NOTHING for box in texts}


def given_either_way(text: str) -> bool:
    """Whether PDFium can be given ``text`` on an object it reads right to left and on one it
    reads left to right (the one string reversed: there are both or neither)."""
    return pdfium_actual_text(text) is not None


def has_arabic_word(text: str) -> bool:
    """Whether ``text`` holds a word of right-to-left letters (and vowel marks) only."""
    return any(len(word) > 1 and all(unicodedata.bidirectional(c) in ("R", "AL", "NSM") for c in word)
               for word in text.split())


def pdfium_line_boxes(lines: Any) -> frozenset[int]:
    """``id()`` of every text box of ``lines`` (line boxes) that PDFium reads as part of its
    line's one text object (:func:`pdfium_line`)."""
    return frozenset(key for line in lines if line.style["direction"] == "rtl"
                     for key in pdfium_line(line, text_boxes(line)))


def text_boxes(line: Any) -> list[Any]:
    from weasyprint.formatting_structure import boxes

    from leafpress.upstream.weasyprint_adapter import walk

    return [box for box in walk(line) if isinstance(box, boxes.TextBox) and box.text]
