"""Reading text the way the structure tree tells it, as a screen reader walks the tags:
:func:`element_texts` and :func:`spoken_languages`, for tests, and the :class:`Reader`
the link checks use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from leafpress.validate.pdfua.objects import as_list, opened, text
from leafpress.validate.pdfua.structure import Structure, children_of, read_structure

TEXT_SHOWING = frozenset(["Tj", "TJ", "'", '"'])


def element_texts(source: str | Path | pikepdf.Pdf, structure_type: str) -> list[str]:
    """The text of every element of ``structure_type`` (e.g. ``"P"``), in tree order.

    Reads like a screen reader that walks the tags: an element's
    ``/ActualText``, or else its ``/Alt``, stands for everything under it;
    otherwise the text of its marked content, decoded through the fonts'
    ``/ToUnicode``, in content-stream order (marked-content ``/ActualText``
    honoured). Whitespace is collapsed.
    """
    with opened(source) as pdf:
        reader = Reader.of(pdf)
        return [" ".join(" ".join(text for text, _ in reader.read(i, "")).split())
                for i, e in enumerate(reader.structure.elements) if e.type == structure_type]


def spoken_languages(source: str | Path | pikepdf.Pdf) -> list[tuple[str, str]]:
    """(text, language) for every piece of content, in tree order.

    The language is what a screen reader would switch to: the nearest
    ``/Lang`` on the element or its ancestors, else the catalog's.
    """
    with opened(source) as pdf:
        reader = Reader.of(pdf)
        lang = text(pdf.Root.get("/Lang"))
        tops = [i for i, e in enumerate(reader.structure.elements) if e.parent is None]
        return [piece for top in tops for piece in reader.read(top, lang)]


@dataclass(frozen=True)
class Reader:
    structure: Structure
    children: dict
    pages: dict
    texts: dict  # page objgen -> {MCID: text}, filled as pages are read

    @classmethod
    def of(cls, pdf: pikepdf.Pdf) -> Reader:
        structure = read_structure(pdf)
        return cls(structure, children_of(structure), {p.obj.objgen: p for p in pdf.pages}, {})

    def read(self, index: int, lang: str) -> Iterator[tuple[str, str]]:
        element = self.structure.elements[index]
        obj = element.obj
        lang = text(obj.get("/Lang")) or lang
        for key in ("/ActualText", "/Alt"):
            if isinstance(obj.get(key), pikepdf.String):
                yield str(obj.get(key)), lang
                return
        child_indexes = iter(self.children[index])
        for kid in as_list(obj.get("/K")):
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"):
                yield self.marked(kid, element.page), lang
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                yield from self.read(next(child_indexes), lang)

    def marked(self, kid: Any, page: tuple | None) -> str:
        if isinstance(kid, pikepdf.Dictionary):
            page = kid.Pg.objgen if "/Pg" in kid else page
            kid = kid.MCID
        if page not in self.texts and page in self.pages:
            self.texts[page] = marked_texts(self.pages[page])
        return self.texts.get(page, {}).get(int(kid), "")


def marked_texts(page: pikepdf.Page) -> dict[int, str]:
    """MCID -> the text painted in it (its ``/ActualText`` if it has one)."""
    fonts = {str(k): unicode_map(f) for k, f in (page.obj.Resources.get("/Font") or {}).items()}
    found: dict[int, list[str]] = {}
    stack: list[tuple[int | None, bool]] = []  # (MCID, has ActualText)
    font: tuple[int, dict] = (1, {})
    for instruction in pikepdf.parse_content_stream(page):
        operator, operands = str(instruction.operator), instruction.operands
        if operator in ("BDC", "BMC"):
            has_props = len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary)
            props: pikepdf.Object | dict = operands[1] if has_props else {}
            mcid = int(props["/MCID"]) if "/MCID" in props else None
            actual = props.get("/ActualText") if props else None
            target = mcid if mcid is not None else innermost(stack)
            if isinstance(actual, pikepdf.String) and target is not None:
                found.setdefault(target, []).append(str(actual))
            stack.append((mcid, isinstance(actual, pikepdf.String) or any(a for _, a in stack)))
        elif operator == "EMC" and stack:
            stack.pop()
        elif operator == "Tf":
            font = fonts.get(str(operands[0]), (1, {}))
        elif operator in TEXT_SHOWING and (inner := innermost(stack)) is not None and not (stack and stack[-1][1]):
            found.setdefault(inner, []).append(decode(list(operands), font))
    return {mcid: "".join(parts) for mcid, parts in found.items()}


def innermost(stack: list[tuple[int | None, bool]]) -> int | None:
    mcids = [mcid for mcid, _ in stack if mcid is not None]
    return mcids[-1] if mcids else None


def decode(operands: list, font: tuple[int, dict]) -> str:
    width, mapping = font
    strings = [o for o in (operands[-1] if isinstance(operands[-1], pikepdf.Array) else [operands[-1]])
               if isinstance(o, pikepdf.String)]
    data = b"".join(bytes(s) for s in strings)
    codes = (int.from_bytes(data[i:i + width], "big") for i in range(0, len(data), width))
    return "".join(mapping.get(code, "\ufffd") for code in codes)


def unicode_map(font: Any) -> tuple[int, dict[int, str]]:
    """(code width in bytes, code -> text) from a font's ``/ToUnicode`` CMap."""
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    cmap = font.get("/ToUnicode")
    if not isinstance(cmap, pikepdf.Stream):
        return width, {}
    data = cmap.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = utf16(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                                           block):
            values = re.findall(r"<([0-9A-Fa-f]*)>", value)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                if value.startswith("["):
                    mapping[code] = utf16(values[offset]) if offset < len(values) else ""
                else:
                    mapping[code] = utf16(f"{int(values[0], 16) + offset:0{len(values[0])}x}")
    return width, mapping


def utf16(hex_string: str) -> str:
    return bytes.fromhex(hex_string).decode("utf-16-be", errors="replace")
