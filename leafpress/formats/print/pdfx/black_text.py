"""Black text: text painted in a near-black neutral prints 100 % K and overprints.

A 90 % black would be screened into dots on 10 pt text, and black that knocks out
the colour under it shows white edges when the plates shift.
"""

from __future__ import annotations

from collections.abc import Sequence

from pikepdf import Dictionary, Name

#: text in a neutral at least this dark (once converted: ``0 0 0 k``) prints 100 % K, overprinting
BLACK_TEXT_MIN_K = 0.85
BLACK: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
OVERPRINT = "/LeafpressOverprint"  # the ExtGState black text is shown under
KNOCKOUT = "/LeafpressKnockout"  # back to knocking out, for a colour change inside such text


def is_black_text(cmyk: Sequence[float]) -> bool:
    """Whether text painted in the (converted) colour ``cmyk`` is black text: a neutral at
    least :data:`BLACK_TEXT_MIN_K` black. A rich black (C, M or Y in it) is not."""
    c, m, y, k = cmyk
    return c == m == y == 0 and k >= BLACK_TEXT_MIN_K


def overprint_state(overprint: bool) -> Dictionary:
    """The ExtGState black text is shown under (``overprint``), or the one that ends it."""
    return Dictionary(Type=Name.ExtGState, OP=overprint, op=overprint, OPM=1 if overprint else 0)


Operation = tuple[str, Sequence]  # an operator and its operands, as the pass writes them
#: around a text object in black text: overprint on, 100 % K; ``Q`` restores what was before
OPEN_BLACK_TEXT: tuple[Operation, ...] = (("q", ()), ("gs", (Name(OVERPRINT),)), ("k", BLACK))
CLOSE_BLACK_TEXT: tuple[Operation, ...] = (("Q", ()),)
