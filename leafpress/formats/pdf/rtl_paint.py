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

- in a right-to-left line (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`) every text
  object is inside a ``/Word`` of its own for PDFium: the first one with a right-to-left
  letter carries the whole line, in the form PDFium turns back into it, the others read as
  nothing (:meth:`Painter.pdfium_text`); what follows for PDFium is for Arabic words in a
  left-to-right line;
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

The structure tree's ``/ActualText`` (:mod:`leafpress.formats.pdf.tags`) is not touched:
screen readers read the elements, and every element with text in a line PDFium reads from
one object has one (:func:`leafpress.formats.pdf.tags.rtl.misread_boxes`). The code repeats part of WeasyPrint 70's
``draw_first_line``; :func:`leafpress.upstream.weasyprint_adapter.draw_first_line_unchanged` says
whether WeasyPrint still has that function (a test fails loudly when it does not), and the
adapter puts :func:`paint_line` in its place (:func:`install`).
"""

from __future__ import annotations

from typing import Any

from leafpress.formats.pdf.engine_bidi import PDFIUM_NOTHING, pdfium_actual_text, pdfium_right_to_left
from leafpress.formats.pdf.rtl_engine_text import (
    left_to_right_groups,
    pdfium_glyph_text,
    pdfium_segments,
    pdfium_text,
    poppler_glyph_text,
    poppler_text,
)
from leafpress.formats.pdf.rtl_glyphs import Glyph, has_right_to_left, line_glyphs, logical_text, word_order, words
from leafpress.formats.pdf.rtl_plan import PdfiumLine

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
    carries = pdfium is not None and pdfium.text != ""
    if not has_right_to_left(textbox.text) and not carries:
        return painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix, pdfium)
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    glyphs = line_glyphs(stream, textbox)
    if glyphs is None or not (carries or any(glyph.rtl for glyph in glyphs)):
        return painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix, pdfium)
    stream.set_text_matrix(*matrix.values)
    paint(stream, glyphs, pdfium=pdfium, matrix=matrix.values).anchor(glyphs)
    return []


def painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix,
                          pdfium: PdfiumLine | None) -> list:
    """WeasyPrint's own painting of a text box; in a line PDFium reads from one text object
    (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`), inside an ``/ActualText`` that gives
    it nothing."""
    import pydyf

    if pdfium is None:
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pydyf.Stream.begin_marked_content(stream, PDFIUM_TAG, READS_AS_NOTHING)
    emojis = original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pydyf.Stream.end_marked_content(stream)
    return emojis


def paint_planned(original, stream, textbox, text_overflow, block_ellipsis, matrix, box_plan,
                  pdfium: PdfiumLine | None = None) -> list:
    """A text box of a right-to-left line, its glyphs where WeasyPrint paints them, inside the
    marked content its plan asks for: poppler's ``/Span`` (with its ``/ActualText``, or none),
    then PDFium's ``/Word`` with the line's property list. The leftmost letter is painted first
    and the rightmost last: poppler spreads an ``/ActualText`` from the one to the other."""
    import pydyf

    span = None if box_plan.poppler is None else b"<</ActualText " + text_string(box_plan.poppler) + b">>"
    emojis: list = []
    glyphs = None
    if not (text_overflow == "ellipsis" or block_ellipsis != "none" or textbox.style["font_size"] < 1e-6):
        from weasyprint.text.ffi import pango

        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
        glyphs = line_glyphs(stream, textbox)
    if glyphs:
        stream.set_text_matrix(*matrix.values)
        pydyf.Stream.begin_marked_content(stream, "Span", span)
        painter = paint(stream, glyphs, poppler=False, pdfium=pdfium, matrix=matrix.values)
        pydyf.Stream.end_marked_content(stream)
        painter.anchor(glyphs)  # after poppler's /Span: poppler spreads its /ActualText over what it holds
        return []
    pydyf.Stream.begin_marked_content(stream, "Span", span)
    emojis = painted_by_weasyprint(original, stream, textbox, text_overflow, block_ellipsis, matrix, pdfium)
    pydyf.Stream.end_marked_content(stream)
    return emojis


def text_string(text: str) -> bytes:
    """A PDF text string in hexadecimal (UTF-16BE unless ASCII), as WeasyPrint writes its strings:
    the print conversion's fast reading of content streams takes no literal strings."""
    raw = text.encode("ascii") if text.isascii() else b"\xfe\xff" + text.encode("utf-16-be")
    return b"<" + raw.hex().encode() + b">"


#: the property list of ``PDFIUM_TAG`` on a text object PDFium should read nothing of
READS_AS_NOTHING = b"<</ActualText " + text_string(PDFIUM_NOTHING) + b">>"


class Painter:
    """Writes glyphs at given positions into TJ arrays, switching font and rise as needed."""

    def __init__(self, stream: Any, pdfium: PdfiumLine | None = None, matrix: tuple = ()):
        self.stream = stream
        #: the line PDFium reads from one text object (:func:`leafpress.formats.pdf.rtl_plan.pdfium_line`):
        #: then every text object painted here reads as nothing, and :meth:`anchor` adds that one
        self.pdfium = pdfium
        self.matrix = matrix  # the box's text matrix
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
        if not self.parts:
            return
        if self.pdfium is None:
            self.stream.show_text("".join(self.parts))
        else:
            import pydyf

            pydyf.Stream.begin_marked_content(self.stream, PDFIUM_TAG, READS_AS_NOTHING)
            self.stream.show_text("".join(self.parts))
            pydyf.Stream.end_marked_content(self.stream)
        self.parts = []

    def anchor(self, glyphs: list[Glyph]) -> None:
        """On the box that carries its line for PDFium, after it is painted: the text object
        PDFium reads the line from. An invisible copy (text render mode 3) of the box's first
        right-to-left letter (of its first glyph, in a box without one), stretched by the
        text matrix from the line's left end to its right end, inside an empty ``/Span``
        ``/ActualText`` (poppler reads invisible text, and nothing of this) and a ``/Word`` with the
        text in the form for an object PDFium reads right to left (it reverses those) or not.
        The box's text matrix is set again after it."""
        import pydyf

        line = self.pdfium
        if line is None or not line.text:
            return
        painted = [g for g in glyphs if g.text and g.advance > 0]
        glyph = next((g for g in painted if has_right_to_left(g.text)),  # else a Latin letter, in a
                     next((g for g in painted if any(c.isalpha() for c in g.text)), None))  # Latin line
        text = None if glyph is None else pdfium_actual_text(line.text, pdfium_right_to_left(glyph.text))
        if glyph is None or text is None:
            return
        a, b, c, d, _, f = self.matrix
        scale = (line.right - line.left) / glyph.advance
        pydyf.Stream.begin_marked_content(self.stream, "Span", b"<</ActualText <>>>")
        pydyf.Stream.begin_marked_content(self.stream, PDFIUM_TAG, b"<</ActualText " + text_string(text) + b">>")
        self.stream.set_text_rendering(3)
        self.stream.set_text_matrix(a * scale, b * scale, c, d, line.left, f)
        self.stream.set_font_size(glyph.font.hash, glyph.size)
        self.font, self.size = glyph.font, glyph.size
        self.stream.show_text(f"<{glyph.code}>")
        self.stream.set_text_rendering(0)
        pydyf.Stream.end_marked_content(self.stream)
        pydyf.Stream.end_marked_content(self.stream)
        self.stream.set_text_matrix(*self.matrix)
        self.pen = 0.0

    def marked(self, for_poppler: str | None, for_pdfium: str | None) -> None:
        """Begin a word: poppler reads ``/ActualText`` only on ``/Span`` (None: none, poppler reads
        the glyphs), PDFium the innermost one."""
        import pydyf

        self.flush()
        if self.pdfium is not None:  # PDFium's text is on the text objects themselves
            for_pdfium = None
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


def paint(stream: Any, glyphs: list[Glyph], poppler: bool = True, pdfium: PdfiumLine | None = None,
          matrix: tuple = ()) -> Painter:
    """The glyphs run by run. ``poppler=False``: inside a box whose ``/Span`` gives poppler its
    text already (:func:`paint_planned`), only PDFium's marked content, and every glyph it should
    read itself under an empty ``/ActualText`` (else it would read poppler's)."""
    painter = Painter(stream, pdfium, matrix)
    for word, run in words(glyphs):
        if word and any(glyph.mark for glyph in run):
            logical = logical_text(run)
            painter.marked(poppler_text(logical) if poppler else None, pdfium_text(logical))
            for glyph in word_order(run):
                painter.glyph(glyph)
            painter.end_marked()
            continue
        for latin, group in left_to_right_groups(run):
            segments = pdfium_segments("".join(g.text for g in group))
            if latin and len(segments) > 1 and all(
                    poppler_glyph_text(glyphs, g) is None and pdfium_glyph_text(glyphs, g) is None for g in group):
                # PDFium puts the direction runs of a right-to-left line in reverse order
                painter.marked(None, "".join(reversed(segments)))
                for glyph in group:
                    painter.glyph(glyph)
                painter.end_marked()
                continue
            if not poppler:
                painter.marked(None, "")
            paint_glyphs(painter, glyphs, group, poppler)
            if not poppler:
                painter.end_marked()
    painter.finish()
    return painter


def paint_glyphs(painter: Painter, glyphs: list[Glyph], group: list[Glyph], poppler: bool = True) -> None:
    """Glyphs painted one by one, each with the ``/ActualText`` poppler or PDFium needs, if any."""
    for glyph in group:
        for_poppler = poppler_glyph_text(glyphs, glyph) if poppler else None
        for_pdfium = pdfium_glyph_text(glyphs, glyph)
        if for_poppler is None and for_pdfium is None:
            painter.glyph(glyph)
        else:  # an empty innermost /ActualText sends PDFium to the glyph
            painter.marked(for_poppler, for_pdfium or "")
            painter.glyph(glyph)
            painter.end_marked()
