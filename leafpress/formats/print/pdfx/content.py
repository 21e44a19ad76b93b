"""One content stream converted through pikepdf: colours to CMYK, marked content gone
(``/ActualText`` kept), for PDF/X-1a invisible paint dropped.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pikepdf
from pikepdf import Name, Operator

from leafpress.formats.print.pdfx.colour_conversion import ColourConverter
from leafpress.formats.print.pdfx.colour_state import ColourState, operand_numbers
from leafpress.formats.print.pdfx.invisible_paint import drop_invisible_paint

MARKED_CONTENT = frozenset({"BDC", "BMC", "EMC", "MP", "DP"})


def kept_marked_content(kept: list[bool], operator: str, actual_text: bool) -> bool:
    """Whether a marked-content operator stays: only ``/ActualText`` (what copy and search read
    for the glyphs inside, :mod:`leafpress.formats.pdf.rtl_paint`) and the ``EMC`` that closes it. ``kept``
    is the stack of the sequences open in the stream."""
    if operator in ("BDC", "BMC"):
        kept.append(operator == "BDC" and actual_text)
        return kept[-1]
    if operator == "EMC":
        return kept.pop() if kept else False
    return False


def convert_content(stream_owner, resources, converter: ColourConverter, flatten: bool,
                    used: set[str]) -> bytes:
    """One content stream with its colours converted and its marked content gone, through pikepdf."""
    state = ColourState(resources, converter, used)
    new: list[Any] = []  # inline images and (operands, operator) pairs, as unparse_content_stream takes them
    kept: list[bool] = []
    for item in pikepdf.parse_content_stream(stream_owner):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            new.append(item)
            continue
        operands, operator = item.operands, str(item.operator)
        if operator in MARKED_CONTENT:  # the structure tree is gone; its brackets go too
            if kept_marked_content(kept, operator, len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
                                   and "/ActualText" in operands[1]):
                new.append((operands, Operator(operator)))
            continue
        change = state.recolour(operator, operand_numbers(operands), operands[0] if len(operands) == 1 else None)
        for written in change or (None,):
            if written is None:
                new.append((operands, Operator(operator)))
            else:
                new.append(([v if isinstance(v, Name) else Decimal(str(v)) for v in written[1]],
                            Operator(written[0])))
    if flatten:
        new = drop_invisible_paint(new, resources)
    return pikepdf.unparse_content_stream(new)
