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
- anything else (words without marks, Latin, numbers) is painted as WeasyPrint does.

The structure tree's ``/ActualText`` (:mod:`leafpress.pdf_tags`) is not touched:
screen readers read the elements. The code repeats part of WeasyPrint 70's
``draw_first_line``; :func:`weasyprint_unchanged` says whether WeasyPrint still has
that function (a test fails loudly when it does not).
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass
from typing import Any

#: sha256 of the source of ``weasyprint.draw.text.draw_first_line`` this module repeats (WeasyPrint 70.0)
DRAW_FIRST_LINE_SHA256 = "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b"
#: the tag of the inner marked content, which poppler passes over
PDFIUM_TAG = "Word"


def weasyprint_unchanged() -> bool:
    """Whether WeasyPrint's ``draw_first_line`` is still the one :func:`line_glyphs` repeats."""
    from weasyprint.draw import text

    function = inspect.unwrap(text.draw_first_line)
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest() == DRAW_FIRST_LINE_SHA256


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
    """Paint WeasyPrint's right-to-left lines with :func:`draw_first_line` (once per process)."""
    from weasyprint.draw import text

    if getattr(text.draw_first_line, "_leafpress_rtl", False):
        return
    original = text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        return paint_line(original, stream, textbox, text_overflow, block_ellipsis, matrix)

    draw_first_line._leafpress_rtl = True  # type: ignore[attr-defined]
    draw_first_line.__wrapped__ = original  # type: ignore[attr-defined]
    text.draw_first_line = draw_first_line


def paint_line(original, stream, textbox, text_overflow, block_ellipsis, matrix) -> list:
    """``original(...)`` for a line without right-to-left glyphs, else the same glyphs word by word."""
    from weasyprint.text.ffi import pango

    if (text_overflow == "ellipsis" or block_ellipsis != "none" or not textbox.text.strip()
            or textbox.style["font_size"] < 1e-6 or not has_right_to_left(textbox.text)):
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    glyphs = line_glyphs(stream, textbox)
    if glyphs is None or not any(glyph.rtl for glyph in glyphs):
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    stream.set_text_matrix(*matrix.values)
    paint(stream, glyphs)
    return []


def has_right_to_left(text: str) -> bool:
    import unicodedata

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
    """For PDFium (the innermost ``/ActualText``): each run of right-to-left letters and each run of
    other characters (vowel marks, punctuation) reversed in place and the runs left in logical order,
    brackets mirrored: PDFium reverses and mirrors each such run of the text it is given, and puts
    the words of the line in order itself."""
    import unicodedata

    runs: list[tuple[bool, str]] = []
    for char in logical:
        strong = unicodedata.bidirectional(char) in ("R", "AL")
        if runs and runs[-1][0] == strong:
            runs[-1] = (strong, runs[-1][1] + char)
        else:
            runs.append((strong, char))
    return "".join(text[::-1] if strong else mirrored(text[::-1]) for strong, text in runs)


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
    import unicodedata

    classes = {"R" if unicodedata.bidirectional(c) in ("R", "AL") else "#" if c in POPPLER_NUMBER
               else "L" if unicodedata.bidirectional(c) == "L" else "N" for c in text}
    return next((kind for kind in "R#L" if kind in classes), "N")


def paint(stream: Any, glyphs: list[Glyph]) -> None:
    painter = Painter(stream)
    for word, run in words(glyphs):
        if word and any(glyph.mark for glyph in run):
            logical = logical_text(run)
            painter.marked(poppler_text(logical), pdfium_text(logical))
            for glyph in word_order(run):
                painter.glyph(glyph)
            painter.end_marked()
            continue
        for glyph in run:
            for_poppler = poppler_glyph_text(glyphs, glyph)
            for_pdfium = pdfium_glyph_text(glyphs, glyph)
            if for_poppler is None and for_pdfium is None:
                painter.glyph(glyph)
            else:  # an empty innermost /ActualText sends PDFium to the glyph
                painter.marked(for_poppler, for_pdfium or "")
                painter.glyph(glyph)
                painter.end_marked()
    painter.finish()


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
    if right is None or poppler_class(right.text) not in ("L", "#"):
        return False
    if space.rtl and not right.rtl:  # right-to-left text, then a left-to-right run: "(placebo).", "2019."
        return True
    left = next((g for g in reversed(glyphs[:index]) if g.text), None)
    return left is not None and poppler_class(left.text) == "R"


def pdfium_glyph_text(glyphs: list[Glyph], glyph: Glyph) -> str | None:
    """What PDFium should read for a bracket or guillemet (None: its glyph gives the right character).

    PDFium reads the glyph's ``/ToUnicode`` character (the first text WeasyPrint gave that glyph,
    which for a mirrored glyph may be either bracket) and mirrors it when it takes it for
    right-to-left (:func:`mirrored_by_pdfium`), an ``/ActualText`` character as well: it gets the
    character that comes out as the logical one."""
    if glyph.text not in MIRRORED:
        return None
    right_to_left = mirrored_by_pdfium(glyphs, glyph)
    reads = glyph.font.to_unicode.get(int(glyph.code, 16), glyph.text)
    if (mirrored(reads) if right_to_left else reads) == glyph.text:
        return None
    return RLM + MIRRORED[glyph.text] if right_to_left else LRM + glyph.text


def mirrored_by_pdfium(glyphs: list[Glyph], bracket: Glyph) -> bool:
    """Whether PDFium takes a bracket for right-to-left: the nearest letter to its right on the line
    is Arabic (digits do not count), or there is none (``CloseTempLine``: a neutral takes the
    direction before it)."""
    import unicodedata

    for glyph in sorted((g for g in glyphs if g.x > bracket.x + 0.01), key=lambda g: g.x):
        for char in glyph.text:
            if unicodedata.bidirectional(char) in ("R", "AL"):
                return True
            if unicodedata.category(char).startswith("L"):
                return False
    return True
