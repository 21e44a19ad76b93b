"""What the screen PDF has and a print file does without: the structure tree, annotations
and form fields, colour spaces that nothing selects.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf


def strip_structure(pdf: Pdf) -> None:
    """Drop the structure tree (marked-content operators go in the colour pass)."""
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]


def remove_annotations(page: pikepdf.Page) -> None:
    """PDF/X allows only PrinterMark and TrapNet annotations in the bleed box."""
    annots = page.obj.get("/Annots")
    if annots is None:
        return
    kept = Array([a for a in annots if a.get("/Subtype") in (Name.PrinterMark, Name.TrapNet)])
    if len(kept):
        page.obj.Annots = kept
    else:
        del page.obj["/Annots"]


def _content_streams(pdf: Pdf) -> Iterator[pikepdf.Object]:
    """Every page, form and tiling-pattern content stream, once."""
    seen = set()

    def walk(owner, resources) -> Iterator[pikepdf.Object]:
        yield owner
        if resources is None:
            return
        children = list(resources.get("/XObject", Dictionary()).values())
        children += list(resources.get("/Pattern", Dictionary()).values())
        for child in children:
            if child.objgen in seen:
                continue
            seen.add(child.objgen)
            if child.get("/Subtype") == Name.Form or int(child.get("/PatternType", 0)) == 1:
                yield from walk(child, child.get("/Resources"))

    for page in pdf.pages:
        yield from walk(page.obj, page.obj.get("/Resources"))


def prune_colour_spaces(pdf: Pdf, used: set[str]) -> None:
    """Drop named colour spaces that no content stream selects (``used``, seen while converting)."""
    dictionaries = {}
    for owner in _content_streams(pdf):
        resources = owner.get("/Resources")
        if resources is not None and "/ColorSpace" in resources:
            spaces = resources.ColorSpace
            dictionaries[spaces.objgen if spaces.is_indirect else id(spaces)] = spaces
    for spaces in dictionaries.values():
        for key in list(spaces.keys()):
            if key not in used:
                del spaces[key]
