"""Transparency, for X-1a: soft masks, constant alpha below 1, blend modes other than
Normal/Compatible, transparency groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pikepdf
from pikepdf import Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.preflight.content import Operation, resource
from leafpress.formats.print.preflight.finding import preflight_finding


def transparency_findings(ops: Iterable[Operation], pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    for number, page in enumerate(pdf.pages, start=1):
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == Name.Transparency:
            yield preflight_finding("transparency", "page has a transparency group", number)
    for op in ops:
        if op.operator == "gs":
            state = resource(op.resources, "/ExtGState", op.operands[0])
            if state is None:
                continue
            if state.get("/SMask", Name("/None")) != Name("/None"):
                yield preflight_finding("transparency", f"soft mask in graphics state {op.operands[0]}", op.page)
            for key in ("/CA", "/ca"):
                if key in state and float(state[key]) < 1:
                    yield preflight_finding("transparency", f"{key[1:]} {float(state[key]):g} (opacity) in graphics "
                                                            f"state {op.operands[0]}", op.page)
            blend = state.get("/BM")
            if blend is not None and blend not in (Name.Normal, Name.Compatible):
                yield preflight_finding("transparency",
                                        f"blend mode {blend} in graphics state {op.operands[0]}", op.page)
        elif op.operator == "Do":
            xobject = resource(op.resources, "/XObject", op.operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == Name.Image and (
                "/SMask" in xobject or int(xobject.get("/SMaskInData", 0)) > 0
            ):
                yield preflight_finding("transparency", f"image {op.operands[0]} has a soft mask (alpha)", op.page)
            group = xobject.get("/Group")
            if group is not None and group.get("/S") == Name.Transparency:
                yield preflight_finding("transparency", f"form {op.operands[0]} is a transparency group", op.page)
