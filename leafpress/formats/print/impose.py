"""Saddle-stitch imposition: a screen PDF as a foldable brochure.

Most clinics print leaflets in-house on an A4 duplex office printer and fold
the sheets into an A5 brochure. This module takes finished A5 pages (the
screen PDF; for an A4 article, the same leaflet laid out again at A5 by
:func:`leafpress.formats.leaflet_job.make_leaflet`) and places them two-up on landscape
sheets, in the order that makes the folded stack read 1, 2, 3, ... when
printed duplex with **flip on short edge**:

    sheet 1 front = [n, 1]      back = [2, n-1]
    sheet 2 front = [n-2, 3]    back = [4, n-3]    ...

A right-to-left booklet (Arabic) is bound on the right: every side is the
mirror image, ``front = [1, n]``, ``back = [n-1, 2]`` and so on.

The page count is padded to a multiple of four with intentionally blank
pages, inserted before the last page so the back cover stays the back cover.
Each source page becomes one Form XObject (``/P1``, ``/P2``, ...) drawn with
``q a b c d e f cm /Pn Do Q``; the form is clipped to the page's TrimBox
(qpdf's rule), so a print PDF with bleed imposes at its trim size too.

The brochure is a print product, not an accessible document: it keeps the
title and ``/Lang`` but claims no PDF/UA conformance and has no structure
tree; the screen PDF stays the accessible version.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from leafpress.build.outputs import atomic_path
from leafpress.formats.paper import points

# Portrait (width, height) of the paper sizes we impose onto, in points.
SHEETS: dict[str, tuple[float, float]] = {name: points(name) for name in ("A4", "A3")}

Slot = int | None  # a 1-based page number, or None for a blank page


@dataclass(frozen=True)
class Side:
    """One printed side of a sheet: the page in its left and right half."""

    left: Slot
    right: Slot


@dataclass(frozen=True)
class Imposition:
    """What ``impose_saddle_stitch`` did: page counts and the sides in order."""

    pages: int
    blanks: int
    sheet: str
    sides: tuple[Side, ...]  # front of sheet 1, back of sheet 1, front of sheet 2, ...

    @property
    def sheets(self) -> int:
        return len(self.sides) // 2


def reading_order(pages: int) -> tuple[Slot, ...]:
    """Page numbers in reading order, padded with blanks to a multiple of 4.

    Blanks go before the last page, so the last page stays the back cover;
    a one-page document gets its blanks after it.
    """
    if pages < 1:
        raise ValueError("cannot impose a document without pages")
    blanks = -pages % 4
    if pages == 1:
        return (1,) + (None,) * blanks
    return tuple(range(1, pages)) + (None,) * blanks + (pages,)


def saddle_stitch_sides(pages: int, right_to_left: bool = False) -> tuple[Side, ...]:
    """The printed sides, front then back for each sheet, outermost sheet first;
    mirrored for a booklet that opens from the right."""
    order = reading_order(pages)
    last = len(order) - 1
    sides: list[Side] = []
    for sheet in range(len(order) // 4):
        i = 2 * sheet
        sides.append(Side(left=order[last - i], right=order[i]))
        sides.append(Side(left=order[i + 1], right=order[last - i - 1]))
    if right_to_left:
        return tuple(Side(left=side.right, right=side.left) for side in sides)
    return tuple(sides)


def sheet_size(sheet: str) -> tuple[float, float]:
    """Landscape (width, height) in points of a named sheet."""
    try:
        short, long = SHEETS[sheet]
    except KeyError:
        raise ValueError(f"unknown sheet {sheet!r}; use one of {', '.join(SHEETS)}") from None
    return long, short


Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]


def _transform_box(box: Box, m: Matrix) -> Box:
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def placement(page_box: Box, slot: Box, *, spine: str) -> Matrix:
    """The ``cm`` matrix that fits ``page_box`` into ``slot``, against the spine.

    The page is scaled uniformly to fit the half sheet, centred vertically and
    pushed against the fold (``spine="right"`` for the left half, ``"left"``
    for the right half), so that a smaller page does not leave a gap at the fold.
    """
    width, height = page_box[2] - page_box[0], page_box[3] - page_box[1]
    slot_width, slot_height = slot[2] - slot[0], slot[3] - slot[1]
    scale = min(slot_width / width, slot_height / height)
    x = slot[2] - width * scale if spine == "right" else slot[0]
    y = slot[1] + (slot_height - height * scale) / 2
    return (scale, 0.0, 0.0, scale, x - page_box[0] * scale, y - page_box[1] * scale)


def form_box(form: pikepdf.Object) -> Box:
    """The area a page's form XObject paints, in the form's parent space."""
    bbox = tuple(float(v) for v in form.BBox)
    matrix = tuple(float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    return _transform_box(bbox, matrix)  # type: ignore[arg-type]


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def _draw(name: str, m: Matrix) -> str:
    return f"q {' '.join(_number(v) for v in m)} cm /{name} Do Q\n"


def _copy_metadata(source: Pdf, target: Pdf) -> None:
    """Keep the title, language and authorship; claim no PDF/UA or tagging."""
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator"):
        if key in source.docinfo:
            target.docinfo[key] = source.docinfo[key]
    if "/Lang" in source.Root:
        target.Root.Lang = source.Root.Lang
    target.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    title = str(source.docinfo.get("/Title", ""))
    with target.open_metadata(set_pikepdf_as_editor=False) as xmp:
        if title:
            xmp["dc:title"] = title
        if "/Lang" in source.Root:
            xmp["dc:language"] = [str(source.Root.Lang)]


def impose_saddle_stitch(
    pages_pdf: Path | str | bytes, out_path: Path | str, sheet: str = "A4", right_to_left: bool = False
) -> Imposition:
    """Write a two-up saddle-stitch brochure of the PDF ``pages_pdf`` (a path, or its bytes) to ``out_path``.

    Pages are placed as Form XObjects on landscape ``sheet`` paper ("A4" for
    A5 pages, "A3" for A4 pages); pages of another size are scaled to fit.
    Print the result duplex, flip on short edge, then fold and staple.
    ``right_to_left``: the booklet opens from the right (Arabic).
    """
    width, height = sheet_size(sheet)
    halves = ((0.0, 0.0, width / 2, height), (width / 2, 0.0, width, height))
    opened = io.BytesIO(pages_pdf) if isinstance(pages_pdf, bytes) else pages_pdf
    with Pdf.open(opened) as source, Pdf.new() as brochure:
        sides = saddle_stitch_sides(len(source.pages), right_to_left)
        forms = {
            number: brochure.copy_foreign(page.as_form_xobject())
            for number, page in enumerate(source.pages, start=1)
        }
        for side in sides:
            brochure.add_blank_page(page_size=(width, height))
            page = brochure.pages[-1]
            xobjects = Dictionary()
            content = ""
            for slot, half, spine in ((side.left, halves[0], "right"), (side.right, halves[1], "left")):
                if slot is None:
                    continue
                name = f"P{slot}"
                xobjects[Name("/" + name)] = forms[slot]
                content += _draw(name, placement(form_box(forms[slot]), half, spine=spine))
            page.obj.Resources = Dictionary(XObject=xobjects)
            page.obj.Contents = brochure.make_stream(content.encode("ascii"))
        _copy_metadata(source, brochure)
        with atomic_path(Path(out_path)) as temporary:
            brochure.save(temporary, deterministic_id=True)  # the /ID from the content, not at random
        pages = len(source.pages)
    return Imposition(pages=pages, blanks=-pages % 4, sheet=sheet, sides=sides)
