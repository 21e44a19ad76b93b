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
- PDFium (``CPDF_TextPage``) makes a text object of every ``TJ``, puts a space
  between objects that do not touch and reads the innermost ``/ActualText`` of any
  tag; an empty one sends it back to the glyphs. It reverses, and mirrors, each run
  of right-to-left or neutral characters of an ``/ActualText`` where it stands.

:func:`install` replaces WeasyPrint's function for lines that hold right-to-left
glyphs; every other line is painted by WeasyPrint itself, byte for byte. In such a
line each glyph is painted where WeasyPrint paints it (the same TJ moves, its
``int()`` of the kerning included), only the order and the marked content change:

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
screen readers read the elements. The code repeats part of WeasyPrint 70's
``draw_first_line``; :func:`leafpress.upstream.weasyprint_adapter.draw_first_line_unchanged` says
whether WeasyPrint still has that function (a test fails loudly when it does not), and the
adapter puts :func:`paint_line` in its place (:func:`install`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

#: the tag of the inner marked content, which poppler passes over
PDFIUM_TAG = "Word"


@dataclass(frozen=True)
class Glyph:
    """One glyph as WeasyPrint would paint it: where (text space, points), with what, for which text."""

    font: Any  # weasyprint.pdf.fonts.Font
    size: float  # the Tf size
    code: str  # hex glyph id as the TJ string holds it
    x: float  # origin of the glyph, points from the line's start
    rise: float  # Ts value while it is painted
    advance: float  # what painting it moves the pen by (its /W width), points
    text: str  # the characters of its cluster it maps ("" for a glyph that shares a cluster)
    rtl: bool  # painted at a right-to-left bidi level
    space: bool  # a glyph of whitespace

    @property
    def mark(self) -> bool:
        return bool(self.rise) or self.advance == 0


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
    if box_plan is not None:
        return paint_planned(original, stream, textbox, text_overflow, block_ellipsis, matrix, box_plan)
    if not has_right_to_left(textbox.text):
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    glyphs = line_glyphs(stream, textbox)
    if glyphs is None or not any(glyph.rtl for glyph in glyphs):
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_text_matrix(*matrix.values)
    paint(stream, glyphs)
    return []


def paint_planned(original, stream, textbox, text_overflow, block_ellipsis, matrix, box_plan) -> list:
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
        paint(stream, glyphs, poppler=False)
    else:
        emojis = original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pydyf.Stream.end_marked_content(stream)
    return emojis


def box_order(glyphs: list[Glyph]) -> list[Glyph]:
    """The leftmost glyph that is no vowel mark, the marks, then the other glyphs left to right."""
    letters = sorted((g for g in glyphs if not g.mark), key=lambda g: g.x)
    marks = [g for g in glyphs if g.mark]
    return letters[:1] + marks + letters[1:]


#: the blocks that hold every character of bidi class R or AL (Hebrew to the Arabic extensions,
#: the right-to-left mark, the Hebrew and Arabic presentation forms, and the right-to-left
#: scripts of the supplementary planes): a line with none of them is left to WeasyPrint at once
MAYBE_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff"
                                 "\U0001e800-\U0001efff]")


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (bidi class R or AL)."""
    if MAYBE_RIGHT_TO_LEFT.search(text) is None:  # most lines of most leaflets: one regex scan
        return False
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def line_glyphs(stream: Any, textbox: Any) -> list[Glyph] | None:
    """The first line's glyphs with the positions WeasyPrint 70's ``draw_first_line`` paints
    them at (its ``int()`` of the kerning included), or None for a font with colour glyphs."""
    from weasyprint.logger import LOGGER
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    first_line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    glyphs: list[Glyph] = []
    pen = 0.0  # points
    previous_font = None
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        clusters = glyph_string.log_clusters
        count = glyph_string.num_glyphs
        rtl = bool(glyph_item.item.analysis.level % 2)
        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_font:
            previous_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if font.svg or font.png or font.colr:
                return None
            if pango.pango_version() < 14802:
                font_size = textbox.style["font_size"]
            size = 1 if font.bitmap else font_size
        item_offset = glyph_item.item.offset
        for i, info in enumerate(glyph_string.glyphs[0:count]):
            glyph_id = info.glyph
            width = info.geometry.width
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                pen += width / font_size * size / 1000
                continue
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning('.notdef glyph rendered for Unicode string unsupported by fonts: '
                               '"%s" (U+%04X)', chr(codepoint), codepoint)
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    font.widths[0] = font.widths[glyph_id]
            start = clusters[i]
            if rtl:
                end = glyph_item.item.length if i == 0 else clusters[i - 1]
            else:
                end = glyph_item.item.length if i == count - 1 else clusters[i + 1]
            text = utf8[item_offset + start:item_offset + end].decode() if end > start else ""
            if glyph_id not in font.to_unicode:
                font.to_unicode[glyph_id] = text
            offset = info.geometry.x_offset / font_size
            rise = info.geometry.y_offset / 1000
            if glyph_id not in font.widths:
                pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                font.widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
            logical_width = font.widths[glyph_id]
            pen += offset * size / 1000
            code = f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"
            glyphs.append(Glyph(font, size, code, pen, -rise if rise else 0, logical_width * size / 1000,
                                text, rtl, bool(text) and not text.strip()))
            pen += logical_width * size / 1000
            kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
            if kerning:
                pen -= int(kerning) * size / 1000
    return glyphs


def words(glyphs: list[Glyph]) -> list[tuple[bool, list[Glyph]]]:
    """The glyphs in runs, in painting order: (True, a right-to-left word) or (False, other glyphs)."""
    runs: list[tuple[bool, list[Glyph]]] = []
    for glyph in glyphs:
        word = glyph.rtl and not glyph.space
        if runs and runs[-1][0] == word:
            runs[-1][1].append(glyph)
        else:
            runs.append((word, [glyph]))
    return runs


def word_order(word: list[Glyph]) -> list[Glyph]:
    """The leftmost letter, the marks, then the other letters (each group left to right)."""
    letters = sorted((g for g in word if not g.mark), key=lambda g: g.x)
    marks = [g for g in word if g.mark]
    return letters[:1] + marks + letters[1:]


def logical_text(word: list[Glyph]) -> str:
    """The word's characters in logical order: its clusters (each logical inside) right to left."""
    return "".join(glyph.text for glyph in reversed(word))


def poppler_text(logical: str) -> str:
    """For poppler (``/Span`` ``/ActualText``): the word in visual order; poppler reverses the
    right-to-left runs of a line and mirrors nothing."""
    return logical[::-1]


def pdfium_text(logical: str) -> str:
    """For PDFium (the innermost ``/ActualText``): the text in PDFium's direction runs
    (:func:`pdfium_segments`), in logical order, each as PDFium turns it back into its own:
    right-to-left letters reversed, other characters (vowel marks, brackets, guillemets) reversed
    and mirrored after a right-to-left mark, which keeps them from joining the space next to the
    word; digits and number punctuation (PDFium's weak runs) as they are, after a right-to-left mark."""
    parts = []
    for segment in pdfium_segments(logical):
        direction = pdfium_direction(segment[0])
        if direction == "R":
            parts.append(segment[::-1])
        elif direction == "N":
            parts.append(RLM + mirrored(segment[::-1]))
        elif all(unicodedata.category(char) == "Mn" for char in segment):  # vowel marks
            parts.append(segment[::-1])
        else:
            parts.append(segment)
    return "".join(parts)


MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))


def mirrored(text: str) -> str:
    """``text`` with each bracket and guillemet turned the other way."""
    return "".join(MIRRORED.get(char, char) for char in text)


def text_string(text: str) -> bytes:
    """A PDF text string in hexadecimal (UTF-16BE unless ASCII), as WeasyPrint writes its strings:
    the print conversion's fast reading of content streams takes no literal strings."""
    raw = text.encode("ascii") if text.isascii() else b"\xfe\xff" + text.encode("utf-16-be")
    return b"<" + raw.hex().encode() + b">"


class Painter:
    """Writes glyphs at given positions into TJ arrays, switching font and rise as needed."""

    def __init__(self, stream: Any):
        self.stream = stream
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

    def marked(self, for_poppler: str | None, for_pdfium: str) -> None:
        """Begin a word: poppler reads ``/ActualText`` only on ``/Span`` (None: none, poppler reads
        the glyphs), PDFium the innermost one."""
        import pydyf

        self.flush()
        self.depth.append(1 if for_poppler is None else 2)
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


#: poppler's own character classes (``UnicodeTypeTable.cc``): these count as part of a number
POPPLER_NUMBER = frozenset("#$%+,-./:0123456789\u00a0\u060c")
RLM = "\u200f"
LRM = "\u200e"


def poppler_class(text: str) -> str:
    """'R', 'L', '#' (number) or 'N' for a glyph's characters, as poppler classes them."""
    classes = {"R" if unicodedata.bidirectional(c) in ("R", "AL") else "#" if c in POPPLER_NUMBER
               else "L" if unicodedata.bidirectional(c) == "L" else "N" for c in text}
    return next((kind for kind in "R#L" if kind in classes), "N")


def paint(stream: Any, glyphs: list[Glyph], poppler: bool = True) -> None:
    """The glyphs run by run. ``poppler=False``: inside a box whose ``/Span`` gives poppler its
    text already (:func:`paint_planned`), only PDFium's marked content, and every glyph it should
    read itself under an empty ``/ActualText`` (else it would read poppler's)."""
    painter = Painter(stream)
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


def poppler_glyph_text(glyphs: list[Glyph], glyph: Glyph) -> str | None:
    """What poppler should read for a glyph of a right-to-left line, None for its own text.

    A bracket at a right-to-left level is painted with the mirrored glyph, and poppler does not
    mirror: it gets the character itself. Before a left-to-right run it gets a right-to-left mark
    too (:func:`before_number_or_latin`)."""
    if not glyph.text or not (glyph.rtl or glyph.space):
        return None
    text = glyph.text if glyph.rtl and glyph.text in MIRRORED else None
    if before_number_or_latin(glyphs, glyph):
        return (text or glyph.text) + RLM
    return text


def before_number_or_latin(glyphs: list[Glyph], space: Glyph) -> bool:
    """A space with right-to-left text on its left and a number, number punctuation (``.`` ``:``
    ``،``) or Latin on its right. poppler's ``reorderText`` puts every character that is not
    right-to-left next to a number or a Latin run into that run, so the space would come out
    before it ("و  MDMAمعًا", "معًا .وأحيانًا"); a right-to-left mark (U+200F) after the space, in
    poppler's ``/ActualText``, keeps it with the right-to-left words."""
    index = glyphs.index(space)
    right = next((g for g in glyphs[index + 1:] if g.text), None)
    if right is None:  # the end of the text box: the next one may start with a number or Latin
        return space.rtl and (space.space and left_is_right_to_left(glyphs, index) or space.text in MIRRORED)
    if poppler_class(right.text) not in ("L", "#"):
        return False
    if space.rtl and not right.rtl:  # right-to-left text, then a left-to-right run: "(placebo).", "2019."
        return True
    return left_is_right_to_left(glyphs, index)


def left_is_right_to_left(glyphs: list[Glyph], index: int) -> bool:
    left = next((g for g in reversed(glyphs[:index]) if g.text), None)
    return left is not None and poppler_class(left.text) == "R"


def pdfium_glyph_text(glyphs: list[Glyph], glyph: Glyph) -> str | None:
    """What PDFium should read for a bracket, a guillemet or a number's punctuation in a
    right-to-left line (None: its glyph's own character).

    PDFium reads a bracket's ``/ToUnicode`` character (the first text WeasyPrint gave that glyph,
    which for a mirrored glyph may be either bracket), mirrors it or not by the direction of the
    text around it, and a neutral joins the space next to it ("ذهاني( فقدان"); a period or comma
    next to a number joins the number (".2024", "،2023"). After a right-to-left mark (U+200F) a
    bracket is read right to left, so it is given mirrored (PDFium mirrors it back). Measured on
    the Arabic leaflets with pypdfium2: the mark after it only where the glyph on its right is
    not a letter of a word PDFium reads from the glyphs (that word would come out unreversed),
    and the one before it not for a bracket between a space and such a letter. A closing bracket
    at the right end of its text box (the bracket of "(huisarts)" whose Latin word is a text box
    of its own on its right, or that of a Latin citation link) gets the mark after it too."""
    if glyph.text in MIRRORED:
        index = glyphs.index(glyph)
        left = glyphs[index - 1] if index else None
        right = glyphs[index + 1] if index + 1 < len(glyphs) else None
        after_letter = plain_letter(glyphs, right)
        start = "" if left is not None and left.space and after_letter else RLM
        closes_box = right is None and glyph.text in ")]}"
        end = "" if (right is None and not closes_box) or after_letter else RLM
        return start + MIRRORED[glyph.text] + end
    if (glyph.rtl and glyph.text and all(pdfium_direction(c) == "W" for c in glyph.text)
            and next_to_number(glyphs, glyph)):
        return RLM + glyph.text + RLM
    return None


def next_to_number(glyphs: list[Glyph], glyph: Glyph) -> bool:
    """A glyph next to a left-to-right one of PDFium's weak direction (a digit)."""
    index = glyphs.index(glyph)
    return any(not g.rtl and g.text and pdfium_direction(g.text[0]) == "W"
               for g in glyphs[max(index - 1, 0):index + 2] if g is not glyph)


def plain_letter(glyphs: list[Glyph], glyph: Glyph | None) -> bool:
    """A right-to-left letter PDFium reads from its glyph (of a word without vowel marks)."""
    if glyph is None or not glyph.rtl or poppler_class(glyph.text) != "R":
        return False
    return not any(g.mark for g in word_of(glyphs, glyph))


def word_of(glyphs: list[Glyph], glyph: Glyph) -> list[Glyph]:
    """The right-to-left word (:func:`words`) ``glyph`` is in."""
    return next(run for word, run in words(glyphs) if any(g is glyph for g in run))


def left_to_right_groups(run: list[Glyph]) -> list[tuple[bool, list[Glyph]]]:
    """The run in groups of glyphs at a left-to-right level (True) and the others (False)."""
    groups: list[tuple[bool, list[Glyph]]] = []
    for glyph in run:
        latin = not glyph.rtl
        if groups and groups[-1][0] == latin:
            groups[-1][1].append(glyph)
        else:
            groups.append((latin, [glyph]))
    return groups


def pdfium_direction(char: str) -> str:
    """PDFium's direction of a character (``CFX_BidiChar::AppendChar``): L, W (weak), R or N."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "R" if kind in ("R", "AL") else "N"


def pdfium_segments(text: str) -> list[str]:
    """``text`` in the runs of one PDFium direction each (``CFX_BidiString``). In a right-to-left
    line PDFium puts the runs in the reverse order of the text it reads: a left-to-right run of
    several (a Latin word group, "self-blinding") is given to it with its runs reversed."""
    segments: list[str] = []
    previous = None
    for char in text:
        direction = pdfium_direction(char)
        if segments and direction == previous:
            segments[-1] += char
        else:
            segments.append(char)
        previous = direction
    return segments
