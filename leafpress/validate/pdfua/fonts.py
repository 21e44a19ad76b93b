"""Fonts (``pdfua.font-embedded``, ``pdfua.font-tounicode``; Matterhorn 31, simplified): embedded
(Type 3 excepted), with ``/ToUnicode`` unless a non-symbolic simple font with a standard
encoding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.objects import ref

STANDARD_ENCODINGS = frozenset(["/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/MacExpertEncoding"])


def check_fonts(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    seen: set = set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in fonts_in(page.obj.get("/Resources"), set()):
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            yield from check_font(font, number)


def fonts_in(resources: Any, visited: set) -> Iterator[Any]:
    if not isinstance(resources, pikepdf.Dictionary) or (resources.is_indirect and resources.objgen in visited):
        return
    if resources.is_indirect:
        visited.add(resources.objgen)
    for font in (resources.get("/Font") or {}).values():
        if isinstance(font, pikepdf.Dictionary):
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
            yield from fonts_in(xobject.get("/Resources"), visited)


def check_font(font: Any, number: int) -> Iterator[Diagnostic]:
    subtype = str(font.get("/Subtype"))
    label = str(font.get("/BaseFont", subtype))
    descriptor_owner = font.DescendantFonts[0] if subtype == "/Type0" and "/DescendantFonts" in font else font
    descriptor = descriptor_owner.get("/FontDescriptor")
    if subtype != "/Type3":
        embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            yield pdfua_finding("pdfua.font-embedded", f"font {label} is not embedded", number, ref(font))
    if "/ToUnicode" not in font and not standard_simple_font(font, subtype, descriptor):
        yield pdfua_finding("pdfua.font-tounicode", f"font {label} has no /ToUnicode and no standard encoding",
                            number, ref(font))


def standard_simple_font(font: Any, subtype: str, descriptor: Any) -> bool:
    if subtype in ("/Type0", "/Type3"):
        return False
    flags = int(descriptor.get("/Flags", 0)) if isinstance(descriptor, pikepdf.Dictionary) else 0
    if flags & 4:  # symbolic
        return False
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary):
        encoding = encoding.get("/BaseEncoding", pikepdf.Name("/StandardEncoding"))
    return str(encoding) in STANDARD_ENCODINGS
