"""Tables (``pdfua.table-rows``, ``pdfua.table-headers``, ``pdfua.th-scope``; Matterhorn 15):
rows, header cells, ``/Headers`` that name a ``TH`` of the table, a ``/Scope`` on every ``TH``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.objects import as_list
from leafpress.validate.pdfua.structure import Structure, children_of, role

SCOPES = frozenset(["/Row", "/Column", "/Both"])


def check_tables(structure: Structure) -> Iterator[Diagnostic]:
    children = children_of(structure)
    for index, element in enumerate(structure.elements):
        if element.role != "Table":
            continue
        rows = [r for c in children[index] for r in ([c] if role(structure, c) == "TR" else
                [g for g in children[c] if role(structure, g) == "TR"]
                if role(structure, c) in ("THead", "TBody", "TFoot") else [])]
        cells = [cell for row in rows for cell in children[row]]
        headers = [c for c in cells if role(structure, c) == "TH"]
        if not rows:
            yield pdfua_finding("pdfua.table-rows", "Table without TR", None, element.ref)
        elif not headers:
            yield pdfua_finding("pdfua.table-headers", "Table without any TH cell", None, element.ref)
        named = {bytes(h) for c in cells for h in attribute_values(structure.elements[c].obj, "/Headers")}
        ids = {bytes(structure.elements[h].obj.get("/ID")) for h in headers
               if isinstance(structure.elements[h].obj.get("/ID"), pikepdf.String)}
        for missing in sorted(named - ids):
            yield pdfua_finding("pdfua.table-headers", f"a cell's /Headers names {missing.decode(errors='replace')!r}, "
                                "which is no TH of this table", None, element.ref)
        for cell in headers:
            scopes = [str(s) for s in attribute_values(structure.elements[cell].obj, "/Scope")]
            if not scopes or not set(scopes) <= SCOPES:
                found = f"with /Scope {' '.join(scopes)}" if scopes else "without /Scope"
                yield pdfua_finding("pdfua.th-scope", f"TH {found}: it must be /Row, /Column or /Both",
                                    None, structure.elements[cell].ref)


def attribute_values(obj: Any, key: str) -> Iterator[Any]:
    """Values of ``key`` in an element's attribute object(s) (``/A``)."""
    for attributes in as_list(obj.get("/A")):
        if isinstance(attributes, pikepdf.Dictionary) and key in attributes:
            value = attributes[key]
            yield from (as_list(value) if key == "/Headers" else [value])
