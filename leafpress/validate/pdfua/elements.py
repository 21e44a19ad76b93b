"""The role map (``pdfua.rolemap``; Matterhorn 02) and every structure element: a standard or
role-mapped type (``pdfua.nonstandard-type``), ``/Alt`` on figures and formulas
(``pdfua.figure-alt``; 13, 17), a well-formed ``/Lang`` (``pdfua.lang``; 11).
"""

from __future__ import annotations

from collections.abc import Iterator

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.lang import well_formed_lang
from leafpress.validate.pdfua.objects import text
from leafpress.validate.pdfua.structure import STANDARD_TYPES, Structure, resolve


def check_role_map(structure: Structure) -> Iterator[Diagnostic]:
    for key, value in structure.role_map.items():
        if key in STANDARD_TYPES:
            yield pdfua_finding("pdfua.rolemap", f"standard structure type /{key} is remapped to /{value}")
        elif not resolve(key, structure.role_map):
            yield pdfua_finding("pdfua.rolemap", f"/{key} does not map to a standard structure type")


def check_elements(structure: Structure) -> Iterator[Diagnostic]:
    if not structure.elements:
        yield pdfua_finding("pdfua.struct-tree", "no structure tree (or an empty one)")
    for element in structure.elements:
        obj = element.obj
        if not element.role:
            yield pdfua_finding("pdfua.nonstandard-type",
                                f"structure type /{element.type} is neither standard nor role-mapped",
                                None, element.ref)
        if element.role in ("Figure", "Formula") and not (text(obj.get("/Alt")) or text(obj.get("/ActualText"))):
            yield pdfua_finding("pdfua.figure-alt", f"{element.role} without /Alt or /ActualText", None, element.ref)
        lang = obj.get("/Lang")
        if lang is not None and not well_formed_lang(text(lang)):
            yield pdfua_finding("pdfua.lang", f"element /Lang {text(lang)!r} is not a well-formed BCP 47 tag",
                                None, element.ref)
