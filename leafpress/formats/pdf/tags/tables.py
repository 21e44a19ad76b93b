"""Tables: a header repeated on the next page (fix 7) and ``/Scope`` (fix 12).

7. A table header (or footer) repeated on the next page becomes a pagination
   artifact when the table's fragments are merged, and the cells that named the
   dropped copy's header cells in ``/Headers`` are pointed at the kept copy's.
12. A ``TH`` has no ``/Scope``: WeasyPrint reads ``scope`` only to fill the
    data cells' ``/Headers``. Every ``TH`` gets ``/Scope /Row`` (for
    ``scope="row"``) or ``/Column`` (anything else, as WeasyPrint's
    ``/Headers`` count it) in its ``/A`` (PDF/UA-1 7.5, Matterhorn 15-003).
"""

from __future__ import annotations

from collections.abc import Iterator

import pydyf

from leafpress.formats.pdf.tags.tree import Leaf, Tree, element_of, make_artifact, pagination


def scope_headers(final: list[pydyf.Dictionary], made_for: dict) -> None:
    """Each ``TH`` its ``/Scope``, from the ``scope`` of the cell it was made for."""
    for element in final:
        if element.get("S") == "/TH":
            cell = getattr(made_for.get(element.number), "element", None)
            scope = "/Row" if cell is not None and cell.get("scope") == "row" else "/Column"
            element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope


REPEATED = frozenset({"/THead", "/TFoot"})


def drop_repeats(tree: Tree, first: pydyf.Dictionary, second: pydyf.Dictionary, made_for: dict) -> None:
    """A header repeated on the next page is an artifact; a footer counts where it ends.

    Cells that named the dropped copy's header cells in ``/Headers`` are
    pointed at the kept copy's.
    """
    earlier = {id(getattr(made_for.get(e.number), "element", None)): e
               for e in (element_of(tree, k) for k in first["K"]) if e is not None and e.get("S") in REPEATED}
    for kid in list(second["K"]):
        element = element_of(tree, kid)
        if element is None or element.get("S") not in REPEATED:
            continue
        previous = earlier.get(id(getattr(made_for.get(element.number), "element", None)))
        if previous is not None:
            dropped, kept = (element, previous) if element["S"] == "/THead" else (previous, element)
            renamed = dict(zip(header_ids(tree, dropped), header_ids(tree, kept)))
            artifact_tree(tree, dropped)
            for cell in (*descendants(tree, first), *descendants(tree, second)):
                rename_headers(cell, renamed)


def descendants(tree: Tree, element: pydyf.Dictionary) -> Iterator[pydyf.Dictionary]:
    for kid in element.get("K", ()):
        child = element_of(tree, kid)
        if child is not None:
            yield child
            yield from descendants(tree, child)


def header_ids(tree: Tree, element: pydyf.Dictionary) -> list[str]:
    return [cell["ID"].string for cell in descendants(tree, element) if cell.get("S") == "/TH" and "ID" in cell]


def rename_headers(cell: pydyf.Dictionary, renamed: dict[str, str]) -> None:
    attributes = cell.get("A")
    if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
        attributes["Headers"] = pydyf.Array(
            pydyf.String(renamed.get(h.string, h.string)) for h in attributes["Headers"])


def artifact_tree(tree: Tree, element: pydyf.Dictionary) -> None:
    """Turn all the marked content under ``element`` into pagination artifacts."""
    page = tree.page_index[element["Pg"]] if "Pg" in element else None
    for kid in list(element.get("K", ())):
        if isinstance(kid, int) and page is not None:
            make_artifact(tree, Leaf(page, kid, None), pagination(""))
        elif isinstance(kid, pydyf.Dictionary) and kid.get("Type") == "/MCR":
            make_artifact(tree, Leaf(tree.page_index[kid["Pg"]], kid["MCID"], None), pagination(""))
        elif element_of(tree, kid) is not None:
            artifact_tree(tree, element_of(tree, kid))
