"""How poppler puts the characters of a right-to-left line in order, and the ``/ActualText``
it needs to come out with a given logical text.

poppler reads a line left to right (the order of the glyphs, or of the ``/ActualText`` strings,
on the page) and then applies a bidi pass of its own, simpler than Unicode's:

- poppler (``reorderText`` in ``TextOutputDev.cc``, a line of a right-to-left page) takes the
  line from its right end, alternately a run of characters that are neither left-to-right
  nor of its number class (reversed, not mirrored) and a run of characters that are not
  right-to-left (as they stand). :func:`poppler_reorder` repeats it.
- (PDFium's pass, ``CPDF_TextPage::CloseTempLine``, is not modelled here: measured with
  pypdfium2's PDFium 159.0.8149, one line-wide ``/ActualText`` came out with its runs in reverse
  order on some lines and wholly reversed on others.)

:func:`poppler_actual_text` gives the string that comes out of it as the logical text, bounded
by right-to-left marks (U+200F) so that what stands next to it on the line (another text box,
a list number) keeps its place. The marks show nothing and a search passes over them
(:func:`leafpress.validate.reader_views.searched_text`).
"""

from __future__ import annotations

import unicodedata

RLM = "\u200f"
#: poppler's own character classes (``UnicodeTypeTable.cc``): these count as part of a number
POPPLER_NUMBER = frozenset("#$%+,-./:0123456789\u00a0\u060c")


# --- poppler ----------------------------------------------------------------------

def poppler_kind(char: str) -> str:
    """'R', 'L', '#' (poppler's number class) or 'N'."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL") or char == RLM:
        return "R"
    if char in POPPLER_NUMBER or kind in ("EN", "AN"):
        return "#"
    return "L" if kind == "L" else "N"


def poppler_reorder(line: str) -> str:
    """What poppler makes of a line of a right-to-left page (its text left to right)."""
    out: list[str] = []
    i = len(line) - 1
    while i >= 0:
        j = i
        while j >= 0 and poppler_kind(line[j]) not in ("L", "#"):
            j -= 1
        out.append(line[j + 1:i + 1][::-1])
        i = j
        j = i
        while j >= 0 and poppler_kind(line[j]) != "R":
            j -= 1
        out.append(line[j + 1:i + 1])
        i = j
    return "".join(out)


PLAIN_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def poppler_actual_text(logical: str) -> str:
    """The string poppler turns into ``RLM + logical + RLM``: the pieces of the text from its
    end, a right-to-left piece reversed, a left-to-right run (from a letter or digit to a
    letter or digit, no right-to-left letter in between) as it is, between two marks. A
    no-break space (which keeps a citation on one line) is a plain space here: what one copies
    and what a search box matches is "European Medicines Agency" typed with the space bar."""
    logical = logical.translate(PLAIN_SPACES)
    pieces: list[str] = []
    start = 0
    for run_start, run_end in left_to_right_runs(logical):
        pieces.append(logical[start:run_start][::-1])
        pieces.append(RLM + logical[run_start:run_end] + RLM)
        start = run_end
    pieces.append(logical[start:][::-1])
    return RLM + "".join(reversed(pieces)) + RLM


def left_to_right_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run that poppler keeps in its order."""
    runs = []
    start = None
    last = None
    for index, char in enumerate(text + "\u0627"):  # an Arabic letter ends the last run
        kind = poppler_kind(char)
        if kind == "R":
            if start is not None and last is not None:
                runs.append((start, last + 1))
            start = last = None
        elif kind in ("L", "#"):
            start = index if start is None else start
            last = index
    return runs
