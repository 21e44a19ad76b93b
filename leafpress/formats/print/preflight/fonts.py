"""Every font embedded."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Dictionary, Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.preflight.finding import preflight_finding


def _fonts(resources, seen: set) -> Iterator[tuple[str, pikepdf.Object]]:
    if resources is None:
        return
    for name, font in resources.get("/Font", Dictionary()).items():
        yield name, font
        if font.get("/Subtype") == Name.Type3:
            yield from _fonts(font.get("/Resources"), seen)
    children = list(resources.get("/XObject", Dictionary()).values())
    children += list(resources.get("/Pattern", Dictionary()).values())
    for child in children:
        if child.objgen in seen and child.objgen != (0, 0):
            continue
        seen.add(child.objgen)
        yield from _fonts(child.get("/Resources"), seen)


def font_embedded(font) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def font_findings(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    reported = set()
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in _fonts(page.obj.get("/Resources"), set()):
            base = str(font.get("/BaseFont", name))
            if base not in reported and not font_embedded(font):
                reported.add(base)
                yield preflight_finding("font.not-embedded", f"font {base} is not embedded", number)
