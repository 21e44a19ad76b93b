"""How poppler and PDFium put the characters of a right-to-left line in order, and the
``/ActualText`` each needs to come out with a given logical text.

Both engines read a line left to right (the order of the glyphs, or of the ``/ActualText``
strings, on the page) and then apply a bidi pass of their own, simpler than Unicode's:

- poppler (``reorderText`` in ``TextOutputDev.cc``, a line of a right-to-left page) takes the
  line from its right end, alternately a run of characters that are neither left-to-right
  nor of its number class (reversed, not mirrored) and a run of characters that are not
  right-to-left (as they stand). :func:`poppler_reorder` repeats it.
- PDFium (``CPDF_TextPage::CloseTempLine`` with ``CFX_BidiString``) cuts the line into runs
  of one direction (left, weak, right, neutral); when right-to-left runs are at least as many
  as left-to-right ones it takes the runs from the last, mirroring a right-to-left run and a
  neutral one that follows a right-to-left run. The characters of a run of an ``/ActualText``
  keep their order (measured with pypdfium2's PDFium 159.0.8149: ``ابت (ثجح)`` comes out as
  ``(ثجح )ابت``). :func:`pdfium_reorder` repeats it.

:func:`poppler_actual_text` and :func:`pdfium_actual_text` give the string that comes out of
them as the logical text, bounded by right-to-left marks (U+200F) so that what stands next to
it on the line (another text box, a list number) keeps its place. The marks show nothing and a
search passes over them (:func:`leafpress.validate.reader_views.searched_text`).
"""

from __future__ import annotations

import unicodedata

RLM = "\u200f"
#: POP DIRECTIONAL FORMATTING: a neutral that shows nothing, between two marks that must stay apart
POP = "\u202c"
#: poppler's own character classes (``UnicodeTypeTable.cc``): these count as part of a number
POPPLER_NUMBER = frozenset("#$%+,-./:0123456789\u00a0\u060c")
MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))


def mirrored(text: str) -> str:
    """``text`` with each bracket and guillemet turned the other way."""
    return "".join(MIRRORED.get(char, char) for char in text)


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


def poppler_actual_text(logical: str) -> str:
    """The string poppler turns into ``RLM + logical + RLM``: the pieces of the text from its
    end, a right-to-left piece reversed, a left-to-right run (from a letter or digit to a
    letter or digit, no right-to-left letter in between) as it is, between two marks."""
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
            if start is not None:
                runs.append((start, last + 1))
            start = last = None
        elif kind in ("L", "#"):
            start = index if start is None else start
            last = index
    return runs


# --- PDFium -----------------------------------------------------------------------

def pdfium_direction(char: str) -> str:
    """PDFium's direction of a character (``CFX_BidiChar::AppendChar``): L, W (weak), R or N."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("AN", "EN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "R" if kind in ("R", "AL") else "N"


def pdfium_runs(text: str) -> list[str]:
    """``text`` in runs of one PDFium direction each."""
    runs: list[str] = []
    previous = None
    for char in text:
        direction = pdfium_direction(char)
        if runs and direction == previous:
            runs[-1] += char
        else:
            runs.append(char)
        previous = direction
    return runs


def right_to_left_line(runs: list[str]) -> bool:
    kinds = [pdfium_direction(run[0]) for run in runs]
    return kinds.count("R") > 0 and kinds.count("R") >= kinds.count("L")


def pdfium_reorder(line: str) -> str:
    """What PDFium makes of a line it read left to right (``CloseTempLine``)."""
    while "  " in line:
        line = line.replace("  ", " ")
    runs = pdfium_runs(line)
    right = right_to_left_line(runs)
    current = "R" if right else "L"
    out = []
    for run in (reversed(runs) if right else runs):
        direction = pdfium_direction(run[0])
        if direction == "R" or (direction == "N" and current == "R"):
            current = "R"
            out.append(mirrored(run))
        else:
            if direction != "W":
                current = "L"
            out.append(run)
    return "".join(out)


def pdfium_actual_text(logical: str) -> str:
    """The string PDFium turns into ``logical`` between marks, read in a right-to-left line:
    its runs in reverse order, each as PDFium turns it back (a right-to-left run, or a neutral
    one read right to left, mirrored). Marks are added at the end while the
    left-to-right runs outnumber the right-to-left ones."""
    text = RLM + logical + RLM
    runs = pdfium_runs(text)
    kinds = [pdfium_direction(run[0]) for run in runs]
    extra = max(0, kinds.count("L") + 1 - kinds.count("R"))
    text += (POP + RLM) * extra
    pieces = []
    current = "R"
    for run in pdfium_runs(text):
        direction = pdfium_direction(run[0])
        if direction == "R" or (direction == "N" and current == "R"):
            current = "R"
            pieces.append(mirrored(run))
        else:
            if direction != "W":
                current = "L"
            pieces.append(run)
    return "".join(reversed(pieces))
