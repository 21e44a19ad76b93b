"""The glyphs of one line as WeasyPrint 70 paints them, and their words in logical order: what
:mod:`leafpress.formats.pdf.rtl_paint` paints (:func:`line_glyphs` repeats WeasyPrint's
``draw_first_line`` glyph loop, guarded by the adapter's hash of it)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, eq=False)
class Glyph:
    """One glyph as WeasyPrint would paint it: where (text space, points), with what, for which text.
    Each is one painted glyph, equal only to itself (a line's glyphs are looked up in it by identity)."""

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
