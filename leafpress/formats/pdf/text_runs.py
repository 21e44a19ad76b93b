"""Shown text without WeasyPrint's zero adjustments between glyphs.

WeasyPrint writes a run of text as one ``TJ`` with an adjustment after every
glyph, most of them zero: ``[<0025>0<004c>0<004d>20<0003>0] TJ``. A zero
moves nothing (ISO 32000-1 9.4.3: the number is subtracted from the glyph
position in thousandths of a unit of text space), so the strings either side
of it are one string: ``[<0025004c004d>20<0003>] TJ`` paints the same glyphs
at the same places, and every viewer and text extractor gets the same
characters at the same positions. Hexadecimal strings are runs of hex digits
only, so ``>0<`` occurs nowhere but between two of them (a ``TJ`` with a
literal string, which WeasyPrint does not write, is left as it is).

This is a saving in the content streams, not in the tags: a plain PDF could
have it as well. It is a few percent of a leaflet's content streams.
"""

from __future__ import annotations

from typing import Any

SHOW_TEXT = b"] TJ"


def drop_zero_adjustments(pdf: Any) -> None:
    """In every page's content stream of ``pdf`` (a ``pydyf.PDF``), each ``TJ`` without its
    zero adjustments."""
    for reference in pdf.page_references:
        page = pdf.objects[int(reference.split()[0])]
        items = pdf.objects[int(page["Contents"].split()[0])].stream
        # hex strings only; one pass in a comprehension: a page has thousands of items
        items[:] = [without_zeros(item) if type(item) is bytes and item.endswith(SHOW_TEXT) and b"(" not in item
                    else item for item in items]


def without_zeros(operation: bytes) -> bytes:
    """``[<0025>0<004c>20<0003>0] TJ`` -> ``[<0025004c>20<0003>] TJ``."""
    return operation.replace(b">0<", b"").replace(b">0]", b">]")
