"""Right-to-left lines painted so that copy and search give the words in logical order.

WeasyPrint paints a line's glyphs in visual order (left to right) in
``weasyprint.draw.text.draw_first_line``, an Arabic vowel mark (harakat) as a
zero-advance glyph of its own, raised (``Ts``) and moved over its letter. Viewers
rebuild the text from the glyphs and their places, each its own way:

- poppler (``TextPage::addChar``) starts a new word when a glyph's baseline moves by
  more than 0.5 pt or it overlaps the one before, so every mark is a word of its own
  ("ً كثير ُ ا" for "كثيرًا"). It reads ``/ActualText`` only on ``/Span`` marked
  content, spreads it over the glyphs painted inside (start and baseline from the
  first, end from the last) and then reverses the right-to-left runs of each line
  (``reorderText``), mirroring nothing. That pass counts ``. , : ،`` as part of a
  number, and a number or Latin run takes every space and neutral on its left into
  it ("و  MDMAمعًا", "معًا .وأحيانًا").
- PDFium (``CPDF_TextPage``) makes a text object of every ``TJ``, sorts a line's
  objects by x but starts again at one that sits higher (a raised vowel mark), puts a
  space between objects that do not touch and reads the innermost ``/ActualText`` of
  any tag; an empty one sends it back to the glyphs, one of unprintable characters
  only makes the object read as nothing. It then runs a bidi pass of its own over the
  line (:func:`leafpress.formats.pdf.engine_bidi.pdfium_reorder`).

:func:`install` replaces WeasyPrint's function for lines that hold right-to-left
glyphs; every other line is painted by WeasyPrint itself, byte for byte. In such a
line each glyph is painted where WeasyPrint paints it (the same TJ moves, its
``int()`` of the kerning included), only the order and the marked content change:

- in a right-to-left line (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`) every group
  of glyphs (:func:`painted_groups`) is inside a ``/Word`` for PDFium: one painted as a single
  text object carries the whole line, in the form PDFium turns back into it (:func:`carrier`),
  the others read as nothing; what follows for PDFium is for Arabic words in a left-to-right
  line;
- a right-to-left word with vowel marks is one ``/Span`` with the word in visual
  order for poppler, around an inner ``/Word`` with the text PDFium turns into the
  word (:func:`pdfium_text`); inside, its leftmost letter is painted first, then
  the marks, then the other letters;
- a bracket at a right-to-left level (painted with the mirrored glyph) gets its own
  character for poppler, and a space or right-to-left glyph just before a number or
  a Latin run gets a right-to-left mark (U+200F) after it for poppler, which keeps
  the space with the Arabic words; both with an empty ``/ActualText`` inside, so
  PDFium reads those glyphs as before;
- for PDFium, a bracket or guillemet gets the character that comes out right after a
  right-to-left mark (:func:`pdfium_glyph_text`), a period or comma next to a number sits
  between two such marks, and a Latin word group of several of PDFium's direction runs
  ("Lykos Therapeutics", "self-blinding") is given with its runs in reverse order, as PDFium
  reverses them in a right-to-left line; a space at the right end of a text box keeps poppler's
  mark, as the next box may start with a number or Latin;
- anything else (words without marks, Latin, numbers) is painted as WeasyPrint does.

Firefox's pdf.js reads no ``/ActualText``: it starts a text item at every marked-content
boundary, drops space glyphs (it puts a space where the pen moves on past a gap) and reverses
each right-to-left item on its own. So it gets each word right but a line's words left to
right (measured with pdfjs-dist 4: 2.8 % of the Arabic source blocks found, 4367 of 4845 words;
before this painting, when a text box was one item, 39.8 % and 4478 of 4575). Painting the
groups right to left gives the items in logical order but no spaces between them (it moves
back), which is worse (3871 words lost).

The structure tree's ``/ActualText`` (:mod:`leafpress.formats.pdf.tags`) is not touched:
screen readers read the elements, and every element with text in a line PDFium reads from
one object has one (:func:`leafpress.formats.pdf.tags.rtl.misread_boxes`). The code repeats part of WeasyPrint 70's
``draw_first_line``; :func:`leafpress.upstream.weasyprint_adapter.draw_first_line_unchanged` says
whether WeasyPrint still has that function (a test fails loudly when it does not), and the
adapter puts :func:`paint_line` in its place (:func:`install`).
"""

from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple

from leafpress.formats.pdf.engine_bidi import PDFIUM_NOTHING, pdfium_actual_text, pdfium_right_to_left, pdfium_runs
from leafpress.formats.pdf.rtl_engine_text import (
    left_to_right_groups,
    pdfium_glyph_text,
    pdfium_text,
    poppler_glyph_text,
    poppler_text,
)
from leafpress.formats.pdf.rtl_glyphs import Glyph, has_right_to_left, line_glyphs, logical_text, word_order, words

#: the tag of the inner marked content, which poppler passes over
PDFIUM_TAG = "Word"


def install() -> None:
    """Paint WeasyPrint's lines with :func:`paint_line` (once per process), each page with its
    :mod:`leafpress.formats.pdf.rtl_plan`; the swaps of ``draw_first_line`` and ``draw_page`` are the
    adapter's (:func:`leafpress.upstream.weasyprint_adapter.install_line_painter`,
    :func:`~leafpress.upstream.weasyprint_adapter.install_page_planner`)."""
    from leafpress.formats.pdf.rtl_plan import page_plan
    from leafpress.upstream.weasyprint_adapter import install_line_painter, install_page_planner

    install_page_planner(page_plan)
    install_line_painter(paint_line)


def paint_line(original, stream, textbox, text_overflow, block_ellipsis, matrix) -> list:
    """``original(...)`` for a line without right-to-left glyphs, else the same glyphs word by word."""
    from weasyprint.text.ffi import pango

    from leafpress.upstream.weasyprint_adapter import page_plan_of

    if (text_overflow == "ellipsis" or block_ellipsis != "none" or not textbox.text.strip()
            or textbox.style["font_size"] < 1e-6):
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    plan = page_plan_of(stream)
    box_plan = plan.boxes.get(id(textbox)) if plan is not None else None
    pdfium = plan.pdfium.get(id(textbox)) if plan is not None else None
    if box_plan is not None:
        return paint_planned(original, stream, textbox, text_overflow, block_ellipsis, matrix, box_plan, pdfium)
    carries = pdfium not in (None, PDFIUM_NOTHING)
    if not has_right_to_left(textbox.text) and not carries:
        return painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix, pdfium)
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    glyphs = line_glyphs(stream, textbox)
    if glyphs is None or not (carries or any(glyph.rtl for glyph in glyphs)):
        return painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix, pdfium)
    stream.set_text_matrix(*matrix.values)
    paint(stream, glyphs, pdfium=pdfium)
    return []


def painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix,
                          pdfium: str | None) -> list:
    """WeasyPrint's own painting of a text box; in a line PDFium reads from one text object
    (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`), inside an ``/ActualText`` that gives
    it nothing."""
    import pydyf

    if pdfium is None:
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pydyf.Stream.begin_marked_content(stream, PDFIUM_TAG, b"<</ActualText " + text_string(PDFIUM_NOTHING) + b">>")
    emojis = original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pydyf.Stream.end_marked_content(stream)
    return emojis


def paint_planned(original, stream, textbox, text_overflow, block_ellipsis, matrix, box_plan,
                  pdfium: str | None = None) -> list:
    """A text box of a right-to-left line, its glyphs where WeasyPrint paints them, inside the
    marked content its plan asks for: poppler's ``/Span`` (with its ``/ActualText``, or none),
    then PDFium's ``/Word`` with the line's property list. The leftmost letter is painted first
    and the rightmost last: poppler spreads an ``/ActualText`` from the one to the other."""
    import pydyf

    span = None if box_plan.poppler is None else b"<</ActualText " + text_string(box_plan.poppler) + b">>"
    pydyf.Stream.begin_marked_content(stream, "Span", span)
    emojis: list = []
    glyphs = None
    if not (text_overflow == "ellipsis" or block_ellipsis != "none" or textbox.style["font_size"] < 1e-6):
        from weasyprint.text.ffi import pango

        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
        glyphs = line_glyphs(stream, textbox)
    if glyphs:
        stream.set_text_matrix(*matrix.values)
        paint(stream, glyphs, poppler=False, pdfium=pdfium)
    else:
        emojis = painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix, pdfium)
    pydyf.Stream.end_marked_content(stream)
    return emojis


def text_string(text: str) -> bytes:
    """A PDF text string in hexadecimal (UTF-16BE unless ASCII), as WeasyPrint writes its strings:
    the print conversion's fast reading of content streams takes no literal strings."""
    raw = text.encode("ascii") if text.isascii() else b"\xfe\xff" + text.encode("utf-16-be")
    return b"<" + raw.hex().encode() + b">"


class Painter:
    """Writes glyphs at given positions into TJ arrays, switching font and rise as needed."""

    def __init__(self, stream: Any, pdfium: str | None = None):
        self.stream = stream
        #: the line's text when PDFium reads it from one text object of this box, PDFIUM_NOTHING
        #: when from another (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`), else None
        self.pdfium = pdfium
        self.pen = 0.0
        self.font: Any = None
        self.size: float | None = None
        self.rise = 0.0
        self.parts: list[str] = []
        self.depth: list[int] = []  # marked-content sequences begun by each open :meth:`marked`

    def glyph(self, glyph: Glyph) -> None:
        if glyph.font is not self.font or glyph.size != self.size:
            self.flush()
            self.font, self.size = glyph.font, glyph.size
            self.stream.set_font_size(glyph.font.hash, glyph.size)
        if glyph.rise != self.rise:
            self.flush()
            self.rise = glyph.rise
            self.stream.set_text_rise(glyph.rise)
        move = (self.pen - glyph.x) * 1000 / glyph.size
        if abs(move) >= 0.0005:
            self.parts.append(f"{move:.3f}".rstrip("0").rstrip("."))
        self.parts.append(f"<{glyph.code}>")
        self.pen = glyph.x + glyph.advance

    def flush(self) -> None:
        if self.parts:
            self.stream.show_text("".join(self.parts))
            self.parts = []

    def marked(self, for_poppler: str | None, for_pdfium: str | None, line: str | None = None) -> None:
        """Begin a word: poppler reads ``/ActualText`` only on ``/Span`` (None: none, poppler reads
        the glyphs), PDFium the innermost one; in a line PDFium reads from one object, ``line``
        on that one and nothing on the others."""
        import pydyf

        self.flush()
        if self.pdfium is not None:
            for_pdfium = line if line is not None else PDFIUM_NOTHING
        self.depth.append((for_poppler is not None) + (for_pdfium is not None))
        for tag, text in (("Span", for_poppler), (PDFIUM_TAG, for_pdfium)):
            if text is not None:
                pydyf.Stream.begin_marked_content(self.stream, tag, b"<</ActualText " + text_string(text) + b">>")

    def end_marked(self) -> None:
        import pydyf

        self.flush()
        for _ in range(self.depth.pop()):
            pydyf.Stream.end_marked_content(self.stream)

    def finish(self) -> None:
        self.flush()

        if self.rise:
            self.stream.set_text_rise(0)
            self.rise = 0.0


def paint(stream: Any, glyphs: list[Glyph], poppler: bool = True, pdfium: str | None = None) -> None:
    """The glyphs group by group (:func:`painted_groups`). ``poppler=False``: inside a box whose
    ``/Span`` gives poppler its text already (:func:`paint_planned`), only PDFium's marked content,
    and every glyph it should read itself under an empty ``/ActualText`` (else it would read
    poppler's). ``pdfium``: the box is in a line PDFium reads from one text object
    (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`): every group reads as nothing to it, but
    on the box that carries the line one group (:func:`carrier`) gives it the line."""
    painter = Painter(stream, pdfium)
    specials = special_texts(glyphs, poppler)
    groups = painted_groups(glyphs, specials)
    carried = carrier(groups, pdfium, specials) if pdfium not in (None, PDFIUM_NOTHING) else None
    for index, (kind, group) in enumerate(groups):
        here = carried is not None and index == carried.group
        line = carried.text if carried is not None and here and kind != "glyphs" else None
        if kind == "word":
            logical = logical_text(group)
            painter.marked(poppler_text(logical) if poppler else None, pdfium_text(logical), line)
            for glyph in word_order(group):
                painter.glyph(glyph)
            painter.end_marked()
        elif kind == "latin":  # PDFium puts the direction runs of a right-to-left line in reverse order
            painter.marked(None, "".join(reversed(pdfium_runs("".join(g.text for g in group)))), line)
            for glyph in group:
                painter.glyph(glyph)
            painter.end_marked()
        else:
            wrapped = not poppler or pdfium is not None
            if wrapped:
                painter.marked(None, "")
            paint_glyphs(painter, group, specials, carried if here else None)
            if wrapped:
                painter.end_marked()
    painter.finish()


def painted_groups(glyphs: list[Glyph], specials: dict[int, SpecialText]) -> list[tuple[str, list[Glyph]]]:
    """The glyphs in the groups they are painted in: "word" (a right-to-left word with vowel
    marks, one ``/ActualText`` for it), "latin" (a Latin word group of several of PDFium's
    direction runs, as one) and "glyphs" (the others, glyph by glyph, :func:`paint_glyphs`)."""
    groups: list[tuple[str, list[Glyph]]] = []
    for word, run in words(glyphs):
        if word and any(glyph.mark for glyph in run):
            groups.append(("word", run))
            continue
        for latin, group in left_to_right_groups(run):
            several = len(pdfium_runs("".join(g.text for g in group))) > 1
            if latin and several and not any(id(g) in specials for g in group):
                groups.append(("latin", group))
            else:
                groups.append(("glyphs", group))
    return groups


class SpecialText(NamedTuple):
    """What poppler and PDFium should read for a glyph painted inside marked content of its own
    (:func:`paint_glyphs`); None: its glyph's own character."""

    poppler: str | None
    pdfium: str | None


def special_texts(glyphs: list[Glyph], poppler: bool = True) -> dict[int, SpecialText]:
    """``id()`` of each glyph of the line painted inside marked content of its own -> its texts
    (:func:`leafpress.formats.pdf.rtl_engine_text.poppler_glyph_text`, none when poppler reads the
    box's ``/Span``, and :func:`~leafpress.formats.pdf.rtl_engine_text.pdfium_glyph_text`); worked
    out once per line, for the grouping, the carrier and the painting."""
    specials = {}
    for glyph in glyphs:
        text = SpecialText(poppler_glyph_text(glyphs, glyph) if poppler else None, pdfium_glyph_text(glyphs, glyph))
        if text != (None, None):
            specials[id(glyph)] = text
    return specials


class Carrier(NamedTuple):
    """Where a line PDFium reads from one text object is given to it (:func:`carrier`)."""

    group: int  # the index of the group in painted_groups
    start: int  # its glyphs painted as that object: group[start:end]
    end: int
    text: str  # the line, in the form PDFium turns back into it


def carrier(groups: list[tuple[str, list[Glyph]]], line: str, specials: dict[int, SpecialText]) -> Carrier | None:
    """Where ``line`` is given to PDFium: the first run of glyphs painted as one text object
    (one font, not raised, none with marked content of its own) of right-to-left letters and
    spaces only (Latin ones, in a line without a right-to-left letter), else the first such run
    with such a letter, else the first word with vowel marks; the line in the form for an
    object PDFium reads right to left or not (:func:`leafpress.formats.pdf.engine_bidi.pdfium_actual_text`):
    PDFium decides that by the object's own characters, which are unambiguous in the first kind.
    One object, not more: PDFium reads an ``/ActualText`` again at each object of it that does
    not come right after another one of it."""
    kinds = ("R", "AL", "NSM") if has_right_to_left(line) else ("L",)
    runs: list[tuple[int, int, int]] = []
    for index, (kind, group) in enumerate(groups):
        if kind == "word":
            continue
        start = 0
        for end in range(len(group) + 1):
            if end == len(group) or (kind == "glyphs" and id(group[end]) in specials):
                if end > start:
                    runs.append((index, start, end))
                start = end + 1

    def text(run: tuple[int, int, int]) -> str:
        index, start, end = run
        return "".join(g.text for g in groups[index][1][start:end])

    def one_object(run: tuple[int, int, int]) -> bool:
        index, start, end = run
        part = groups[index][1][start:end]
        return len({id(g.font) for g in part}) == 1 and not any(g.rise for g in part)

    def has_letter(value: str) -> bool:
        return any(unicodedata.bidirectional(c) in kinds[:2] for c in value)

    plain = [run for run in runs if one_object(run) and has_letter(text(run))]
    sure = [run for run in plain if all(c.isspace() or unicodedata.bidirectional(c) in kinds for c in text(run))]
    words = [(index, 0, len(group)) for index, (kind, group) in enumerate(groups) if kind == "word"]
    candidates = sure or plain or words
    if not candidates:
        return None
    chosen = candidates[0]
    given = pdfium_actual_text(line, pdfium_right_to_left(text(chosen)))
    return None if given is None else Carrier(*chosen, given)


def paint_glyphs(painter: Painter, group: list[Glyph], specials: dict[int, SpecialText],
                 carried: Carrier | None = None) -> None:
    """Glyphs painted one by one, each with the ``/ActualText`` poppler or PDFium needs, if any
    (:func:`special_texts`); ``carried``: the run of them that gives PDFium its line."""
    for index, glyph in enumerate(group):
        if carried is not None and index == carried.start:
            painter.marked(None, None, carried.text)
        special = specials.get(id(glyph))
        if special is None:
            painter.glyph(glyph)
        else:  # an empty innermost /ActualText sends PDFium to the glyph
            painter.marked(special.poppler, special.pdfium or "")
            painter.glyph(glyph)
            painter.end_marked()
        if carried is not None and index == carried.end - 1:
            painter.end_marked()
