"""How poppler puts the characters of a right-to-left line in order, and the ``/ActualText``
it needs to come out with a given logical text.

poppler reads a line left to right (the order of the glyphs, or of the ``/ActualText`` strings,
on the page) and then applies a bidi pass of its own, simpler than Unicode's:

- poppler (``reorderText`` in ``TextOutputDev.cc``, a line of a right-to-left page) takes the
  line from its right end, alternately a run of characters that are neither left-to-right
  nor of its number class (reversed, not mirrored) and a run of characters that are not
  right-to-left (as they stand). :func:`poppler_reorder` repeats it.
- PDFium (pypdfium2's 159.0.8149, Chrome's engine) reverses what it reads of a text object it
  takes for a right-to-left one, then runs ``CPDF_TextPage::CloseTempLine`` over the line: its
  runs of one direction taken from the end of the line when it has more right-to-left runs than
  left-to-right ones, each as it stands, mirrored at a right-to-left level.
  :func:`pdfium_reorder` repeats it; measured with crafted ``/ActualText`` on an Arabic leaflet
  (an earlier model of the upstream source, where runs are reversed and a tie is right to left,
  gave the runs of a line in reverse order on some lines and wholly reversed on others).

:func:`pdfium_actual_text` gives the string PDFium turns into a line's logical text.
:func:`poppler_actual_text` gives the string that comes out of poppler's as the logical text, bounded
by right-to-left marks (U+200F) so that what stands next to it on the line (another text box,
a list number) keeps its place. The marks show nothing and a search passes over them
(:func:`leafpress.validate.reader_views.searched_text`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import groupby

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


@lru_cache(maxsize=4096)  # a line's text is asked for again by the tags and the painter
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


# --- PDFium -----------------------------------------------------------------------

#: PDFium's ``/ActualText`` that reads as nothing: only characters it counts as unprintable, so
#: ``CPDF_TextPage::PreMarkedContent`` answers ``kDone`` and the text object gives no text
PDFIUM_NOTHING = "\x01"

MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))
MIRROR = str.maketrans(MIRRORED)


@lru_cache(maxsize=4096)  # some 200 000 characters per Arabic leaflet, a few hundred distinct
def pdfium_direction(char: str) -> str:
    """PDFium's direction of a character (``CFX_BidiChar::AppendChar``): L, W (weak), R or N."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "R" if kind in ("R", "AL") else "N"


def pdfium_runs(text: str) -> list[str]:
    """``text`` in runs of one PDFium direction each (``CFX_BidiString``'s segments)."""
    return ["".join(run) for _, run in groupby(text, pdfium_direction)]


def pdfium_right_to_left(text: str) -> bool:
    """Whether PDFium takes a text object with these characters for a right-to-left one (and
    reverses what it reads of it): more right-to-left runs than left-to-right ones."""
    directions = [pdfium_direction(run[0]) for run in pdfium_runs(text)]
    return directions.count("R") > directions.count("L")


def pdfium_reorder(given: str, reversed_object: bool = True) -> str:
    """What PDFium (pypdfium2's 159.0.8149) makes of the ``/ActualText`` of a right-to-left
    text object that holds a whole line (measured: ``CPDF_TextPage::CloseTempLine`` on the
    text reversed, as it reverses the glyphs of a right-to-left object). The reversed text in
    runs of one direction; right to left overall when it has more right-to-left runs than
    left-to-right ones, and then the runs are taken from the end; each run as it stands, a
    right-to-left run, or a neutral one while the text around is right to left, mirrored (a
    weak run, a digit or vowel mark, does not change the direction around). An object PDFium
    does not take for a right-to-left one (``reversed_object=False``) is not reversed first
    (not measured: the planned lines put their text on right-to-left objects)."""
    line = given[::-1] if reversed_object else given
    line = " ".join(part for part in line.split(" ") if part) if "  " in line else line
    runs = pdfium_runs(line)
    directions = [pdfium_direction(run[0]) for run in runs]
    right = directions.count("R") > directions.count("L")
    order = list(zip(runs, directions))
    if right:
        order.reverse()
    return "".join(mirrored_runs(order, right))


def mirrored_runs(order: list[tuple[str, str]], right: bool) -> list[str]:
    """The runs, in the order PDFium takes them, each mirrored where PDFium mirrors it."""
    current = "R" if right else "L"
    out = []
    for run, direction in order:
        if direction == "R" or (direction == "N" and current == "R"):
            current = "R"
            out.append(run.translate(MIRROR))
        else:
            if direction != "W":
                current = "L"
            out.append(run)
    return out


def pdfium_actual_text(logical: str, reversed_object: bool = True) -> str | None:
    """The string PDFium turns into ``logical`` (:func:`pdfium_reorder`), None if there is none:
    each run of the logical text mirrored where PDFium mirrors it and reversed, in their order
    when PDFium reads the line right to left, else the whole text reversed. A no-break space is
    a plain space (as :func:`poppler_actual_text`); spaces are collapsed, a space at the end kept.

    For an object PDFium does not reverse (``reversed_object=False``) it is the same string
    reversed: PDFium reads the same line from either, so there is one for both or for neither."""
    text = right_to_left_object_text(logical)
    return text if text is None or reversed_object else text[::-1]


@lru_cache(maxsize=4096)  # the plan, the painter and the tags each ask for a line's text
def right_to_left_object_text(logical: str) -> str | None:
    """:func:`pdfium_actual_text` for an object PDFium reads right to left."""
    logical = " ".join(logical.translate(PLAIN_SPACES).split()) + (" " if logical[-1:].isspace() else "")
    runs = pdfium_runs(logical)
    directions = [pdfium_direction(run[0]) for run in runs]
    right = directions.count("R") > directions.count("L")
    runs = mirrored_runs(list(zip(runs, directions)), right)
    text = "".join(run[::-1] for run in runs) if right else "".join(runs)[::-1]
    return text if pdfium_reorder(text) == logical else None
