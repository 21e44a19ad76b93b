"""What poppler and PDFium are given to copy for a right-to-left line: each engine runs its own
bidi pass, so each gets the string that comes out logical after it (right-to-left marks around
numbers and punctuation, mirrored brackets, Latin groups in the order PDFium reverses them into)."""

from __future__ import annotations

import unicodedata

from leafpress.formats.pdf.engine_bidi import MIRRORED, pdfium_direction, pdfium_runs
from leafpress.formats.pdf.rtl_glyphs import Glyph, words


def poppler_text(logical: str) -> str:
    """For poppler (``/Span`` ``/ActualText``): the word in visual order; poppler reverses the
    right-to-left runs of a line and mirrors nothing."""
    return logical[::-1]


def pdfium_text(logical: str) -> str:
    """For PDFium (the innermost ``/ActualText``): the text in PDFium's direction runs
    (:func:`pdfium_runs`), in logical order, each as PDFium turns it back into its own:
    right-to-left letters reversed, other characters (vowel marks, brackets, guillemets) reversed
    and mirrored after a right-to-left mark, which keeps them from joining the space next to the
    word; digits and number punctuation (PDFium's weak runs) as they are, after a right-to-left mark."""
    parts = []
    for segment in pdfium_runs(logical):
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


def mirrored(text: str) -> str:
    """``text`` with each bracket and guillemet turned the other way."""
    return "".join(MIRRORED.get(char, char) for char in text)


#: poppler's own character classes (``UnicodeTypeTable.cc``): these count as part of a number
POPPLER_NUMBER = frozenset("#$%+,-./:0123456789\u00a0\u060c")


RLM = "\u200f"


LRM = "\u200e"


def poppler_class(text: str) -> str:
    """'R', 'L', '#' (number) or 'N' for a glyph's characters, as poppler classes them."""
    classes = {"R" if unicodedata.bidirectional(c) in ("R", "AL") else "#" if c in POPPLER_NUMBER
               else "L" if unicodedata.bidirectional(c) == "L" else "N" for c in text}
    return next((kind for kind in "R#L" if kind in classes), "N")


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
