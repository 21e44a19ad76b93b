"""Heading order (``pdfua.heading-order``; Matterhorn 14): the first numbered heading is
``H1``, no level skipped going down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.structure import Structure


def check_headings(structure: Structure) -> Iterator[Diagnostic]:
    previous = 0
    for element in structure.elements:
        if re.fullmatch(r"H[1-6]", element.role):
            level = int(element.role[1])
            if previous == 0 and level != 1:
                yield pdfua_finding("pdfua.heading-order", f"the first heading is H{level}, not H1", None, element.ref)
            elif previous and level > previous + 1:
                yield pdfua_finding("pdfua.heading-order", f"H{level} follows H{previous}: a level is skipped",
                                    None, element.ref)
            previous = level
