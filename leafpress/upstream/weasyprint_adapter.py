"""The one door to WeasyPrint 70's internals: every private name, swapped function and
undocumented object leafpress reaches into is reached here, and nowhere else.

Each function names the reports in ``leafpress/upstream/weasyprint.md`` it belongs to: the
internal it reaches (``§A1`` ... ``§A6``) and the gap or speed fix that needs it (``§1`` ...
``§16``, ``§S1``). ``tests/test_weasyprint_adapter.py`` has a test per internal that
fails, with a sentence saying what changed, on a WeasyPrint that no longer has it as this
module uses it. When WeasyPrint closes a report, the function
for it goes, and the test with it.

Here, not in :mod:`leafpress.formats.pdf`: the print checks (:mod:`leafpress.formats.print.layout_checks`)
walk the laid-out boxes too, and the reports this module cites live in this package. It
imports WeasyPrint through :func:`leafpress.upstream.weasyprint_libraries.import_weasyprint`
first, so whoever imports it first, the libraries are found without a search per name.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from leafpress.upstream.weasyprint_libraries import import_weasyprint

import_weasyprint()

import weasyprint.pdf as weasyprint_pdf  # noqa: E402  (after the libraries' lookup above)
from weasyprint import document as weasyprint_document  # noqa: E402
from weasyprint.draw import text as weasyprint_text  # noqa: E402
from weasyprint.formatting_structure.boxes import (  # noqa: E402
    FootnoteAreaBox,
    InlineBox,
    LineBox,
    MarginBox,
    ReplacedBox,
    TextBox,
)
from weasyprint.images import RasterImage  # noqa: E402
from weasyprint.pdf import fonts as weasyprint_fonts  # noqa: E402
from weasyprint.pdf.tags import add_tags  # noqa: E402

#: the box classes the tag fixes and the print checks tell apart, and the raster image class (§A3)
__all__ = ["FootnoteAreaBox", "InlineBox", "LineBox", "MarginBox", "RasterImage", "ReplacedBox", "TextBox"]

#: sha256 of the source of ``weasyprint.draw.text.draw_first_line`` that
#: :func:`leafpress.formats.pdf.rtl_glyphs.line_glyphs` repeats (WeasyPrint 70.0; §A4, for §15)
DRAW_FIRST_LINE_SHA256 = "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b"
#: the mark :func:`install_line_painter` leaves on the function it puts in place
_PAINTER_MARK = "_leafpress_rtl"


class WeasyPrintChanged(RuntimeError):
    """WeasyPrint is not the version 70 whose internals (§A1-§A6) this module knows."""


# --- the laid-out boxes (§A3; for §2-§13 and the print checks) ------------------------

def page_box(page: Any) -> Any:
    """The laid-out box tree of a ``weasyprint.Page`` (its private ``_page_box``). §A3."""
    return page._page_box


def walk(box: Any) -> Iterator[Any]:
    """Every box under ``box`` in document order, absolutely placed ones included: an
    absolutely placed box is left in the flow as a placeholder whose private ``_box`` is
    the box itself. §A3."""
    stack = [box]
    while stack:
        current = stack.pop()
        current = getattr(current, "_box", current)  # an absolutely placed box's placeholder
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))


# --- pairing boxes with structure elements (§A1, §A2; for §1-§13) --------------------

@dataclass
class Recording:
    """What WeasyPrint's tag builder did, noted while it ran (:func:`recording_tags`). §A1."""

    made: list = field(default_factory=list)  # (pdf object, the box the builder was on)
    painted: list = field(default_factory=list)  # (page number, box, MCID) as the builder met them


class RecordingPdf:
    """Stands in for the ``pydyf.PDF`` while WeasyPrint's ``add_tags`` runs. §A1.

    Each object goes on to the real PDF; the box the builder was working on
    when it made it (its local ``box``, read from the calling frame) is
    noted. ``page_references`` is read once: pydyf builds that tuple anew on
    every access and the builder asks for it once per element (some 800
    times for a leaflet of 11 pages).
    """

    def __init__(self, pdf: Any, made: list) -> None:
        self._pdf = pdf
        self._made = made
        self.page_references = tuple(pdf.page_references)

    def add_object(self, pdf_object: Any) -> None:
        self._pdf.add_object(pdf_object)
        self._made.append((pdf_object, sys._getframe(1).f_locals.get("box")))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pdf, name)


class PoppedTags(dict):
    """A page's box-to-MCID table (a stream's private ``_tags``) that notes which box the
    builder took, in order. §A2, for §1-§13."""

    def __init__(self, table: dict, page: int, painted: list) -> None:
        super().__init__(table)
        self._page, self._painted = page, painted

    def pop(self, box: Any, *default: Any) -> Any:
        entry = super().pop(box, *default)
        if isinstance(entry, dict) and "mcid" in entry:
            self._painted.append((self._page, box, entry["mcid"]))
        return entry


@contextmanager
def recording_tags() -> Iterator[Recording]:
    """While the block runs, WeasyPrint builds its structure tree through a recorder. §A1, §A2.

    ``weasyprint.pdf.generate_pdf`` calls the module's ``add_tags``; for the
    length of the block that name is a wrapper that hands the original a
    :class:`RecordingPdf` and each page a :class:`PoppedTags`, so the
    finisher learns which box made which element and painted which MCID
    from the one run there is. The name is put back however the block ends.
    """
    original = weasyprint_pdf.add_tags
    if original is not add_tags:
        raise WeasyPrintChanged("weasyprint.pdf.add_tags is not WeasyPrint 70's tag builder")
    recording = Recording()

    def recorded(pdf: Any, document: Any, pdf_version: Any, page_streams: list) -> None:
        for page, stream in enumerate(page_streams):
            stream._tags = PoppedTags(stream._tags, page, recording.painted)
        original(RecordingPdf(pdf, recording.made), document, pdf_version, page_streams)

    weasyprint_pdf.add_tags = recorded
    try:
        yield recording
    finally:
        weasyprint_pdf.add_tags = original


# --- the fonts of a written document (§A5, for §13) ------------------------------------

def space_glyphs(document: Any) -> dict[bytes, bytes]:
    """Font resource name -> its space glyph as written in a ``TJ`` string (``<0003>``), for
    the fonts of ``document`` that painted a space (only those have it in their subset and
    ``/ToUnicode``). Reads WeasyPrint's ``Font`` objects (``to_unicode``, ``hash``,
    ``bitmap``) after the pages were painted. §A5, for §13."""
    found = {}
    for font in document.fonts.values():
        codes = sorted(glyph for glyph, text in font.to_unicode.items() if text == " ")
        if codes:
            found[font.hash.encode()] = b"<%0*x>" % (2 if font.bitmap else 4, codes[0])
    return found


# --- painting right-to-left lines (§A4, for §15) --------------------------------------

def draw_first_line_unchanged() -> bool:
    """Whether ``weasyprint.draw.text.draw_first_line`` is still the one
    :func:`leafpress.formats.pdf.rtl_glyphs.line_glyphs` repeats (its source's sha256). §A4, for §15."""
    function = inspect.unwrap(weasyprint_text.draw_first_line)
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest() == DRAW_FIRST_LINE_SHA256


def install_line_painter(paint_line: Callable[..., list]) -> None:
    """Have WeasyPrint paint each line's text with ``paint_line(original, stream, textbox,
    text_overflow, block_ellipsis, matrix)``, ``original`` being its own ``draw_first_line``
    (once per process: a second call does nothing). The function put in place keeps the
    original as ``__wrapped__`` (``inspect.unwrap`` gives it back). §A4, for §15."""
    if getattr(weasyprint_text.draw_first_line, _PAINTER_MARK, False):
        return
    original = weasyprint_text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        return paint_line(original, stream, textbox, text_overflow, block_ellipsis, matrix)

    setattr(draw_first_line, _PAINTER_MARK, True)
    draw_first_line.__wrapped__ = original  # type: ignore[attr-defined]
    weasyprint_text.draw_first_line = draw_first_line


def install_page_planner(plan_page: Callable[[Any], object]) -> None:
    """Have WeasyPrint work out ``plan_page(page box)`` just before it paints each page, for the
    line painter to read with :func:`page_plan_of` (once per process). ``weasyprint.document``
    calls ``draw_page(page_box, stream)`` by its module name; the function put in place keeps the
    original as ``__wrapped__``. §A4, for §15: a line's text boxes are painted one at a time, and
    what each gives the viewers to copy depends on the others of its line and table cell."""
    if getattr(weasyprint_document.draw_page, _PAINTER_MARK, False):
        return
    original = weasyprint_document.draw_page

    def draw_page(page, stream):
        stream._leafpress_page_plan = plan_page(page)
        try:
            return original(page, stream)
        finally:
            stream._leafpress_page_plan = None

    setattr(draw_page, _PAINTER_MARK, True)
    draw_page.__wrapped__ = original  # type: ignore[attr-defined]
    weasyprint_document.draw_page = draw_page


def page_plan_of(stream: Any) -> Any:
    """What :func:`install_page_planner`'s ``plan_page`` made for the page ``stream`` paints, or None. §A4."""
    return getattr(stream, "_leafpress_page_plan", None)


def line_painter_installed() -> bool:
    """Whether :func:`install_line_painter` has put a painter in place in this process. §A4."""
    return bool(getattr(weasyprint_text.draw_first_line, _PAINTER_MARK, False))


# --- two values set from outside (§A6): font subsetting (§S1), image names (§16) ------

def install_font_ffi(wrap: Callable[[Any], Any], wrapped: type) -> None:
    """Give ``weasyprint.pdf.fonts`` the cffi ``FFI`` ``wrap(its ffi)`` (once: a second call,
    when its ``ffi`` is a ``wrapped`` already, does nothing). §A6, for §S1."""
    if not isinstance(weasyprint_fonts.ffi, wrapped):
        weasyprint_fonts.ffi = wrap(weasyprint_fonts.ffi)


def rename_raster_images(cache: dict[Any, Any], name: Callable[[bytes], str]) -> None:
    """Give every raster image in ``cache`` (a layout's image cache, ``render(cache=...)``)
    the id ``name(its bytes)``, which WeasyPrint writes as the image's XObject name. §A6, for §16."""
    for image in list(cache.values()):
        if isinstance(image, RasterImage):
            image.id = name(image.image_data.data)
