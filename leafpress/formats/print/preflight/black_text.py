"""Black text (the rule of :func:`leafpress.formats.print.pdfx.black_text.is_black_text`)
that is not 100 % K (``0 0 0 1 k``) overprinting (``/OP true /op true /OPM 1``): a
90 % black is screened into dots on small text, and black that knocks out shows white
edges when the plates shift.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from pikepdf import Array, Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.pdfx.black_text import BLACK, is_black_text
from leafpress.formats.print.preflight.content import Operation, resource
from leafpress.formats.print.preflight.finding import preflight_finding

SHOW_TEXT = frozenset({"Tj", "TJ", "'", '"'})
NO_OVERPRINT = (False, False, 0)
BLACK_OVERPRINT = (True, True, 1)  # /OP, /op, /OPM


@dataclass(frozen=True)
class Paint:
    """What text is painted with: the fill colour as CMYK (None: not CMYK or grey) and as
    written, the components of the fill colour space, the overprint settings, and whether
    the text rendering mode paints at all."""

    fill: tuple[float, ...] | None = BLACK  # the initial fill colour: DeviceGray black
    written: str = "the initial black (0 g)"
    components: int | None = 1  # 4: CMYK, 1: grey, None: another colour space
    overprint: tuple[bool, bool, int] = NO_OVERPRINT
    visible: bool = True


def _numbers(operands) -> list[float] | None:
    try:
        return [float(v) for v in operands]
    except (TypeError, ValueError):
        return None


def _components(space, resources) -> int | None:
    """4 for a CMYK colour space, 1 for grey, None for anything else."""
    named = resource(resources, "/ColorSpace", space) if isinstance(space, Name) else None
    if named is not None:
        space = named
    if space in (Name.DeviceCMYK, Name.CMYK):
        return 4
    if space in (Name.DeviceGray, Name.G):
        return 1
    if isinstance(space, Array) and len(space) == 2 and space[0] == Name.ICCBased:
        n = int(space[1].get("/N", 0))
        return n if n in (1, 4) else None
    return None


def _as_cmyk(values: list[float] | None, components: int | None) -> tuple[float, ...] | None:
    if values is not None and components == len(values) == 4:
        return tuple(values)
    if values is not None and components == len(values) == 1:
        return (0.0, 0.0, 0.0, 1 - values[0])
    return None


def _format(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _paint(paint: Paint, op: Operation) -> Paint:
    """``paint`` after ``op``."""
    operator, operands = op.operator, op.operands
    values = _numbers(operands)
    written = " ".join([*(_format(v) for v in values or ()), operator])
    if operator in ("k", "g", "rg"):
        components = {"k": 4, "g": 1, "rg": None}[operator]
        return replace(paint, fill=_as_cmyk(values, components), written=written, components=components)
    if operator == "cs" and operands:
        components = _components(operands[0], op.resources)
        # a CMYK or grey space starts out black
        return replace(paint, fill=BLACK if components else None, written=f"{operands[0]} cs",
                       components=components)
    if operator in ("sc", "scn"):
        return replace(paint, fill=_as_cmyk(values, paint.components), written=written)
    if operator == "gs" and operands:
        state = resource(op.resources, "/ExtGState", operands[0])
        if state is None:
            return paint
        stroke, fill, mode = paint.overprint
        if "/OP" in state:  # for both, unless /op says otherwise for the fill
            stroke = fill = bool(state.OP)
        fill = bool(state.op) if "/op" in state else fill
        mode = int(state.OPM) if "/OPM" in state else mode
        return replace(paint, overprint=(stroke, fill, mode))
    if operator == "Tr" and values:
        return replace(paint, visible=int(values[0]) not in (3, 7))  # 3: invisible, 7: clip only
    return paint


def black_text_findings(ops: Iterable[Operation]) -> Iterator[Diagnostic]:
    """One finding per page with black text that is not 100 % K overprinting."""
    reported: set[int] = set()
    page = None
    paint = Paint()
    saved: list[Paint] = []  # by q
    outer: list[tuple[Paint, list[Paint]]] = []  # where each form or pattern being painted was entered
    for op in ops:
        if op.page != page:
            page, paint, saved, outer = op.page, Paint(), [], []
        while len(outer) < op.depth:  # into a form: it starts with the state it is painted in
            outer.append((paint, saved))
            saved = []
        while len(outer) > op.depth:  # and leaves that state as it was
            paint, saved = outer.pop()
        if op.operator == "q":
            saved.append(paint)
        elif op.operator == "Q" and saved:
            paint = saved.pop()
        elif op.operator in SHOW_TEXT:
            if (op.page not in reported and paint.visible and paint.fill is not None
                    and is_black_text(paint.fill)
                    and (paint.fill != BLACK or paint.overprint != BLACK_OVERPRINT)):
                reported.add(op.page)
                yield _black_text_finding(paint, op.page)
        else:
            paint = _paint(paint, op)


def _black_text_finding(paint: Paint, page: int) -> Diagnostic:
    problems, reasons = [], []
    if paint.fill is not None and paint.fill != BLACK:
        problems.append(f"is {paint.written} ({paint.fill[3] * 100:.0f} % K), not 0 0 0 1 k")
        reasons.append("grey is screened into dots on small text")
    if paint.overprint != BLACK_OVERPRINT:
        problems.append("does not overprint (/OP true /op true /OPM 1)")
        reasons.append("black that knocks out shows white edges when the plates shift")
    return preflight_finding("text.black", f"black text {', and '.join(problems)}: {'; '.join(reasons)}", page)
