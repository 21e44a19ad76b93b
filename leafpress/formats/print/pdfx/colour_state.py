"""The colour state of one content stream while it is converted, and the CMYK
replacement of each colour operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pikepdf import Dictionary, Name

from leafpress.formats.print.pdfx.black_text import (
    BLACK,
    CLOSE_BLACK_TEXT,
    KNOCKOUT,
    OPEN_BLACK_TEXT,
    OVERPRINT,
    Operation,
    is_black_text,
    overprint_state,
)
from leafpress.formats.print.pdfx.colour_conversion import ColourConverter, ColourKind, colour_kind
from leafpress.formats.print.pdfx.spec import PrintPdfError


def operand_numbers(operands) -> list[float] | None:
    try:
        return [float(v) for v in operands]
    except (TypeError, ValueError):
        return None


@dataclass
class ColourState:
    """The colour spaces in force while one content stream is converted, saved and
    restored with ``q``/``Q``; notes the colour spaces the stream selects (``used``).

    It also knows whether the fill colour is black text's (:func:`.black_text.is_black_text`): a
    text object begun in it is wrapped in ``q`` (overprint on, ``0 0 0 1 k``) and ``Q``.
    Inside a wrapped text object the overprint follows any change of fill colour
    (WeasyPrint sets the colour before ``BT``, never inside). The ``Q`` after ``ET``
    restores the text state too: WeasyPrint sets the font in every text object, and
    its text rise is back at 0 before ``ET``.
    """

    resources: Dictionary | None
    converter: ColourConverter
    used: set[str]
    fill: ColourKind = "other"
    stroke: ColourKind = "other"
    black_fill: bool = False  # the fill colour is black text's
    in_black_text: bool = False  # between a wrapped BT and its ET
    _saved: list[tuple[ColourKind, ColourKind, bool]] = field(default_factory=list)
    _declared: set[str] = field(default_factory=set)  # ExtGStates known to be in the resources

    def recolour(self, operator: str, numbers: list[float] | None, space) -> list[Operation | None] | None:
        """The CMYK replacement (one or more operations; None among them: the operation as it
        was read) of one operation; None to keep it.

        ``numbers``: its operands as numbers (None if they are not all numbers);
        ``space``: its operand for ``cs``/``CS``.
        """
        if operator in ("q", "Q", "BT", "ET"):
            return self._nest(operator)
        if operator in ("rg", "RG", "k", "g"):
            return self._device_colour(operator, numbers)
        if operator in ("cs", "CS") and space is not None:
            return self._colour_space(operator, space)
        if operator in ("sc", "scn", "SC", "SCN"):
            return self._colour_values(operator, numbers)
        return None

    def _nest(self, operator: str) -> list[Operation | None] | None:
        """``q``/``Q`` save and restore the colour state; ``BT``/``ET`` of black text are wrapped."""
        if operator == "q":
            self._saved.append((self.fill, self.stroke, self.black_fill))
        elif operator == "Q" and self._saved:
            self.fill, self.stroke, self.black_fill = self._saved.pop()
        elif operator == "BT" and self.wraps_text():
            self._saved.append((self.fill, self.stroke, self.black_fill))
            self.in_black_text = True
            return [*OPEN_BLACK_TEXT, None]
        elif operator == "ET" and self.in_black_text:
            self.in_black_text = False
            self.fill, self.stroke, self.black_fill = self._saved.pop()
            return [None, *CLOSE_BLACK_TEXT]
        return None

    def _device_colour(self, operator: str, numbers: list[float] | None) -> list[Operation | None] | None:
        """``rg``/``RG`` to CMYK; ``k``/``g`` kept, but they set the fill colour black text is known by."""
        if operator == "rg" and numbers is not None and len(numbers) == 3:
            cmyk = self.converter.rgb(*numbers)
            return self._fill(("k", list(cmyk)), cmyk)
        if operator == "RG" and numbers is not None and len(numbers) == 3:
            return [("K", list(self.converter.rgb(*numbers)))]
        if operator in ("k", "g") and numbers is not None and len(numbers) == (4 if operator == "k" else 1):
            change = self._fill(None, numbers if operator == "k" else (0.0, 0.0, 0.0, 1 - numbers[0]))
            return None if change == [None] else change
        return None

    def _colour_space(self, operator: str, space) -> list[Operation | None] | None:
        """``cs``/``CS``: an RGB or Lab space becomes DeviceCMYK; any other is kept (and noted as used)."""
        kind = colour_kind(space, self.resources)
        if operator == "CS":
            self.stroke = kind
        else:
            self.fill = kind
        if kind != "other":
            self.used.add("/DeviceCMYK")
            written = (operator, [Name.DeviceCMYK])
            # an RGB or Lab space starts out black, and so does its CMYK in place
            return [written] if operator == "CS" else self._fill(written, BLACK)
        self.used.add(str(space))
        if operator == "cs":
            change = self._fill(None, None)
            return None if change == [None] else change
        return None

    def _colour_values(self, operator: str, numbers: list[float] | None) -> list[Operation | None] | None:
        """``sc``/``scn``/``SC``/``SCN`` in an RGB or Lab space to CMYK (the space became DeviceCMYK)."""
        kind = self.fill if operator.islower() else self.stroke
        if kind != "other" and numbers is not None and len(numbers) == 3:
            converter = self.converter
            cmyk = converter.rgb(*numbers) if kind == "rgb" else converter.lab(kind, *numbers)
            return self._fill((operator, list(cmyk)), cmyk) if operator.islower() else [(operator, list(cmyk))]
        if operator.islower():  # a pattern, a spot colour, CMYK: not black text
            change = self._fill(None, None)
            return None if change == [None] else change
        return None

    def wraps_text(self) -> bool:
        """Whether a text object begun now is black text (:data:`OPEN_BLACK_TEXT` goes before it)."""
        if not self.black_fill or self.resources is None:
            return False
        self._declare(OVERPRINT, True)
        return True

    def _fill(self, written: Operation | None, cmyk: Sequence[float] | None) -> list[Operation | None]:
        """What to write for an operation that sets the fill colour to ``cmyk`` (None: not a
        colour of ours) and is written as ``written`` (None: as it was read): that, but inside
        black text ``0 0 0 1 k`` for black and a return to knocking out for any other colour."""
        self.black_fill = cmyk is not None and is_black_text(cmyk)
        if not self.in_black_text:
            return [written]
        if self.black_fill:
            return [("k", list(BLACK)), ("gs", [self._declare(OVERPRINT, True)])]
        return [written, ("gs", [self._declare(KNOCKOUT, False)])]

    def _declare(self, name: str, overprint: bool) -> Name:
        """``name`` in the stream's ExtGState resources (added if missing)."""
        resources = self.resources
        if resources is None:  # in_black_text begins only where there are resources (wraps_text)
            raise PrintPdfError("black text in a content stream without resources")
        if name not in self._declared:
            if "/ExtGState" not in resources:
                resources.ExtGState = Dictionary()
            if name not in resources.ExtGState:
                resources.ExtGState[name] = overprint_state(overprint)
            self._declared.add(name)
        return Name(name)
