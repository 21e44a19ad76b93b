"""The structure elements of a tagged PDF, written with fewer bytes than pydyf writes them.

pydyf writes a dictionary as ``<</Type /StructElem/S /P/K [3]/Pg 6 0 R/P 90 0 R>>``:
a space after every key, every kid list in brackets. A leaflet has hundreds of
structure elements (an Arabic one a thousand), so :class:`StructElement` writes
the same element as ``<</S/P/K 3/Pg 6 0 R/P 90 0 R>>``, leaving out only what
ISO 32000-1 (14.7.2, Table 323) makes optional and says nothing:

- ``/Type /StructElem`` (optional: an element is known by being a kid);
- ``/Pg`` where no kid is a plain MCID (the page of an element is only the
  page of its integer kids; a marked-content reference has its own ``/Pg``);
- the brackets around a single kid (``/K`` may be one kid or an array);
- the space between a key and a value that starts with a delimiter (``/``,
  ``[``, ``<``, ``(``), in the element and in what it holds (``/A``, ``/MCR``).

Only the bytes change: the dictionary keeps every key, so a step that runs
after :func:`write_compactly` (another finisher) sees the element as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pydyf

DELIMITERS = frozenset(b"/[<(")
OMITTED = frozenset({"Type"})


class StructElement(pydyf.Dictionary):
    """A structure element that writes itself compactly (see the module)."""

    @property
    def data(self) -> bytes:
        kids = self.get("K")
        on_a_page = isinstance(kids, list) and any(type(kid) is int for kid in kids)
        pieces = []
        for key, value in self.items():
            if key in OMITTED or (key == "Pg" and not on_a_page):
                continue
            if key == "K" and isinstance(value, list) and len(value) == 1:
                value = value[0]
            pieces.append(keyed(key, value))
        return b"<<" + b"".join(pieces) + b">>"


def keyed(key: str, value: Any) -> bytes:
    """``/key value``, with no space where ``value`` starts with a delimiter."""
    written = compact(value)
    return b"/" + key.encode("ascii") + (written if written[0] in DELIMITERS else b" " + written)


def compact(value: Any) -> bytes:
    """``value`` as pydyf writes it, dictionaries and arrays inside it written compactly too."""
    if isinstance(value, pydyf.Dictionary) and not isinstance(value, pydyf.Stream):
        return b"<<" + b"".join(keyed(str(key), item) for key, item in value.items()) + b">>"
    if isinstance(value, list):
        return b"[" + b" ".join(compact(item) for item in value) + b"]"
    return pydyf._to_bytes(value)


def write_compactly(objects: list, elements: Iterable[pydyf.Dictionary]) -> None:
    """Have each of ``elements`` (structure elements, in ``objects``, the PDF's objects)
    written as a :class:`StructElement`: same number, same keys and values."""
    for element in elements:
        replacement = StructElement(element)
        replacement.number, replacement.generation = element.number, element.generation
        objects[element.number] = replacement
