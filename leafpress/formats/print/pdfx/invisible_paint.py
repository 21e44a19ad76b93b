"""PDF/X-1a: painting done at alpha 0 dropped, with the ``gs`` that made it invisible."""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Operator

# Painting operators, and what is left of them when the fill or the stroke
# is invisible: (fill invisible, stroke invisible, both invisible).
_PAINT: dict[str, tuple[str, str, str]] = {
    "f": ("n", "f", "n"), "F": ("n", "F", "n"), "f*": ("n", "f*", "n"),
    "S": ("S", "n", "n"), "s": ("s", "n", "n"),
    "B": ("S", "f", "n"), "B*": ("S", "f*", "n"),
    "b": ("s", "f", "n"), "b*": ("s", "f*", "n"),
}
_FILL_ONLY = {"sh", "Do", "BI"}
_SHOW_TEXT = {"Tj", "TJ", "'", '"'}


def _alpha_state(resources, name) -> dict[str, float] | None:
    """The constant alphas an ExtGState sets, if it sets nothing else."""
    state = resources.get("/ExtGState", Dictionary()).get(name) if resources is not None else None
    if state is None or set(state.keys()) - {"/Type", "/ca", "/CA"}:
        return None
    return {key: float(state[key]) for key in ("/ca", "/CA") if key in state}


def drop_invisible_paint(operations: list, resources) -> list:
    """Remove painting done at alpha 0, and the ``gs`` that made it invisible.

    WeasyPrint paints transparent things (``transparent`` borders, SVG
    ``fill="transparent"``) as black under an ExtGState with ``ca 0``.
    PDF/X-1a forbids constant alpha; dropping the invisible paint keeps the
    look without it. Partial alpha is left alone, for preflight to report.
    """
    state = {"ca": 1.0, "CA": 1.0, "Tr": 0}
    saved: list[dict] = []
    out: list = []
    for item in operations:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            if state["ca"] != 0:
                out.append(item)
            continue
        operands, operator = item[0], str(item[1])
        if operator == "q":
            saved.append(dict(state))
        elif operator == "Q" and saved:
            state = saved.pop()
        elif operator == "Tr" and operands:
            state["Tr"] = int(operands[0])
        elif operator == "gs":
            alphas = _alpha_state(resources, operands[0])
            if alphas is not None and set(alphas.values()) <= {0.0, 1.0}:
                state["ca"] = alphas.get("/ca", state["ca"])
                state["CA"] = alphas.get("/CA", state["CA"])
                if 0.0 in alphas.values():
                    continue
        fill_hidden, stroke_hidden = state["ca"] == 0, state["CA"] == 0
        if operator in _PAINT and (fill_hidden or stroke_hidden):
            index = 2 if fill_hidden and stroke_hidden else (0 if fill_hidden else 1)
            out.append(([], Operator(_PAINT[operator][index])))
            continue
        if operator in _FILL_ONLY and fill_hidden:
            continue
        if operator in _SHOW_TEXT and fill_hidden:
            out += [([3], Operator("Tr")), item, ([state["Tr"]], Operator("Tr"))]
            continue
        out.append(item)
    return out
