"""PDF/UA-1 checks a machine can make, on pikepdf.

veraPDF, the reference PDF/UA validator, runs in ``make check``
(:mod:`leafpress.validate.verapdf`) but takes seconds to start; this module checks,
fast, the part of the Matterhorn Protocol 1.1 that needs no human judgement
and that our leaflets can get wrong. It is a guard for our own output (the fast
one the tests use), not a conformance claim.

Covered (finding code; the Matterhorn checkpoint it belongs to):

- ``pdfua.markinfo``: ``/MarkInfo /Marked true``, ``/Suspects`` not true (01)
- ``pdfua.lang``: catalog ``/Lang`` present and a well-formed BCP 47 tag
  (RFC 5646 grammar, not the registry); every ``/Lang`` of a structure
  element or a marked-content property list well-formed (11)
- ``pdfua.display-doc-title``: ``/ViewerPreferences /DisplayDocTitle true`` (07)
- ``pdfua.xmp``, ``pdfua.title``, ``pdfua.identifier``: XMP metadata
  present, ``dc:title`` non-empty, ``pdfuaid:part`` = 1 (06)
- ``pdfua.struct-tree``: a ``StructTreeRoot`` with kids (01)
- ``pdfua.rolemap``: no standard type remapped, every mapping ends in a
  standard type, no cycles; ``pdfua.nonstandard-type``: every element's
  type is standard or role-mapped (02)
- ``pdfua.tabs``: every page has ``/Tabs /S`` (28; asked of every page,
  not only those with annotations)
- ``pdfua.figure-alt``: ``Figure`` and ``Formula`` have ``/Alt`` or
  ``/ActualText`` (13, 17)
- ``pdfua.heading-order``: the first numbered heading is ``H1``; no level
  skipped going down (14)
- ``pdfua.table-rows``, ``pdfua.table-headers``, ``pdfua.th-scope``: a
  ``Table`` has ``TR`` (directly or in ``THead``/``TBody``/``TFoot``) and
  ``TH``; every name in a ``/Headers`` is the ``/ID`` of a ``TH`` of the
  same table; each ``TH`` has a ``/Scope`` of ``/Row``, ``/Column`` or
  ``/Both`` (15; stricter than Matterhorn 15-003, which lets a ``TH``
  named in some cell's ``/Headers`` go without: leafpress policy, as
  readers that go by ``/Scope`` alone exist)
- ``pdfua.link-untagged``, ``pdfua.link-tag``, ``pdfua.link-in-figure``,
  ``pdfua.link-contents``: every Link annotation is the object of an
  ``OBJR`` inside a ``Link`` element, not inside a ``Figure``, with
  non-empty ``/Contents``; ``pdfua.annot-untagged`` /
  ``pdfua.annot-contents`` for other annotations except popups, printer's
  marks and trap nets (widgets: in a ``Form``, no ``/Contents`` check) (28)
- ``pdfua.link-contents-url``: leafpress policy, not Matterhorn: a link's
  ``/Contents`` is its bare target (URL or destination name) while the
  link itself shows other words
- ``pdfua.parent-tree``: the parent tree leads every MCID and annotation
  back to the element that holds it (01, 28)
- ``pdfua.font-embedded``, ``pdfua.font-tounicode``: every font in page and
  form resources is embedded (Type 3 excepted) and has ``/ToUnicode``,
  unless it is a non-symbolic simple font with a standard encoding (31,
  simplified: see below)
- ``pdfua.untagged-content``: walking each page's content stream, every
  text, path, shading, image and XObject painting operator is inside an
  ``/Artifact`` or inside marked content whose MCID a structure element in
  the tree holds (01)
- ``pdfua.unreadable`` (command line only): the file does not open.

NOT covered (needs a human, veraPDF, or more code than it is worth here):
reading order and whether the tags mean what the content says (01, 09);
whether alt text is any good (13); contrast and colour (04); the inside of
Form XObjects, annotation appearances and Type 3 glyph procedures (each is
checked as one painted unit); artifacts nested in tagged content and
tagged content inside artifacts; ``/Lang`` being the *right* language
(only well-formed); glyph-level font checks (width consistency,
``.notdef``, every used code having a Unicode mapping, CIDSet/CharSet);
fonts reached only from annotations; optional content (20); embedded files
(21); security (26); XFA (25); navigation, outlines vs. headings (27);
notes and references (19); mixing ``H`` with ``H1``-``H6`` (14); list
structure (16); page ``/Annots`` holding only that page's annotations.

Besides :func:`check_pdf`, two readers for tests: :func:`element_texts`
(the text of the elements of one structure type, read the way a screen
reader walks the tags: ``/ActualText`` or ``/Alt`` replaces what is under
it) and :func:`spoken_languages` (each piece of text with the language a
screen reader would speak it in).

Command line: ``python -m leafpress.validate.pdfua FILE...`` prints
``FILE: error: page N: message (object) [pdfua.rule]`` per finding (a
:class:`~leafpress.diagnostics.Diagnostic`) and exits 1 if there are any.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from leafpress.diagnostics import Diagnostic, error

STANDARD_TYPES = frozenset("""
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form
""".split())
PAINTING = frozenset(["Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"])
TEXT_SHOWING = frozenset(["Tj", "TJ", "'", '"'])
STANDARD_ENCODINGS = frozenset(["/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/MacExpertEncoding"])
SCOPES = frozenset(["/Row", "/Column", "/Both"])
UNTAGGED_ANNOTATIONS = frozenset(["/Popup", "/PrinterMark", "/TrapNet"])
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
# RFC 5646 well-formedness (not registry validity), case-insensitive.
BCP47 = re.compile(r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})   # language, extlangs
      (?:-[a-z]{4})?                                      # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                         # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*            # variants
      (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*                 # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                          # private use
    | x(?:-[a-z0-9]{1,8})+
    | en-gb-oed | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | sgn-(?:be-fr|be-nl|ch-de)
    )""", re.VERBOSE | re.IGNORECASE)


def _finding(code: str, message: str, page: int | None = None, object_ref: str | None = None) -> Diagnostic:
    """A PDF/UA problem (always an error), on ``page`` (1-based) if of one page, naming the object
    ``object_ref`` ("12 0 R") if of one object; placed in its file by :func:`check_pdf`."""
    return error("", None, code, f"{message} ({object_ref})" if object_ref else message, page)


@dataclass(frozen=True)
class Element:
    obj: Any  # pikepdf.Dictionary
    ref: str | None
    type: str  # as written, without the slash
    role: str  # the standard type it maps to, "" if none
    parent: int | None  # index in Structure.elements
    page: tuple | None  # objgen of /Pg


@dataclass(frozen=True)
class Structure:
    elements: tuple[Element, ...]  # document order
    mcids: dict  # page objgen -> {MCID: element index}
    objrs: dict  # annotation objgen -> element index
    parent_tree: dict  # number -> pikepdf object
    role_map: dict  # name -> name


# --- entry point ------------------------------------------------------------

def check_pdf(source: str | Path | pikepdf.Pdf) -> list[Diagnostic]:
    """Every finding for one PDF, a path or an open :class:`pikepdf.Pdf`; in the file ``source``
    names (in no file for an open PDF: :meth:`~leafpress.diagnostics.Diagnostic.at` places them)."""
    with opened(source) as pdf:
        found = check(pdf)
    return found if isinstance(source, pikepdf.Pdf) else [d.at(source) for d in found]


def check(pdf: pikepdf.Pdf) -> list[Diagnostic]:
    reader = Reader.of(pdf)
    structure = reader.structure
    return [
        *check_catalog(pdf),
        *check_metadata(pdf),
        *check_role_map(structure),
        *check_elements(structure),
        *check_headings(structure),
        *check_tables(structure),
        *check_pages(pdf, reader),
        *check_fonts(pdf),
    ]


# --- small readers ------------------------------------------------------------

def ref(obj: Any) -> str | None:
    return f"{obj.objgen[0]} {obj.objgen[1]} R" if obj.is_indirect else None


def name(value: Any) -> str:
    return str(value)[1:] if isinstance(value, pikepdf.Name) else ""


def text(value: Any) -> str:
    return str(value) if isinstance(value, pikepdf.String) else ""


def as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def is_true(value: Any) -> bool:
    return isinstance(value, bool) and value


def well_formed_lang(value: str) -> bool:
    return BCP47.fullmatch(value) is not None


def number_tree(node: Any) -> dict:
    """Flatten a number tree (``/Nums`` and ``/Kids``) into a dict."""
    found: dict = {}
    stack = [node]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        nums = as_list(node.get("/Nums"))
        found.update(zip((int(k) for k in nums[::2]), nums[1::2]))
        stack.extend(as_list(node.get("/Kids")))
    return found


# --- catalog and metadata -----------------------------------------------------

def check_catalog(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or not is_true(mark_info.get("/Marked")):
        yield _finding("pdfua.markinfo", "catalog /MarkInfo /Marked is not true")
    elif is_true(mark_info.get("/Suspects")):
        yield _finding("pdfua.markinfo", "catalog /MarkInfo /Suspects is true")
    lang = text(root.get("/Lang"))
    if not lang:
        yield _finding("pdfua.lang", "catalog has no /Lang")
    elif not well_formed_lang(lang):
        yield _finding("pdfua.lang", f"catalog /Lang {lang!r} is not a well-formed BCP 47 tag")
    preferences = root.get("/ViewerPreferences")
    if not isinstance(preferences, pikepdf.Dictionary) or not is_true(preferences.get("/DisplayDocTitle")):
        yield _finding("pdfua.display-doc-title", "/ViewerPreferences /DisplayDocTitle is not true")


def check_metadata(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        yield _finding("pdfua.xmp", "catalog has no XMP /Metadata stream")
        return
    try:
        xmp = ET.fromstring(stream.read_bytes())
    except ET.ParseError as exc:
        yield _finding("pdfua.xmp", f"XMP metadata does not parse: {exc}")
        return
    titles = [li.text or "" for li in xmp.iterfind(".//dc:title/rdf:Alt/rdf:li", NS)]
    if not any(title.strip() for title in titles):
        yield _finding("pdfua.title", "XMP has no non-empty dc:title")
    part = [d.get(f"{{{NS['pdfuaid']}}}part") for d in xmp.iterfind(".//rdf:Description", NS)]
    part += [e.text for e in xmp.iterfind(".//pdfuaid:part", NS)]
    if "1" not in [(p or "").strip() for p in part]:
        yield _finding("pdfua.identifier", "XMP has no pdfuaid:part = 1")


# --- the structure tree -------------------------------------------------------

def read_structure(pdf: pikepdf.Pdf) -> Structure:
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return Structure((), {}, {}, {}, {})
    role_map = {str(k)[1:]: name(v) for k, v in (root.get("/RoleMap") or {}).items()}
    elements: list[Element] = []
    mcids: dict = {}
    objrs: dict = {}
    seen: set = set()
    stack: list[tuple[Any, int | None]] = [(kid, None) for kid in reversed(as_list(root.get("/K")))]
    while stack:
        obj, parent = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary) or (obj.is_indirect and obj.objgen in seen):
            continue
        if obj.is_indirect:
            seen.add(obj.objgen)
        index = len(elements)
        page = obj.get("/Pg")
        page_id = page.objgen if isinstance(page, pikepdf.Dictionary) else None
        kind = name(obj.get("/S"))
        elements.append(Element(obj, ref(obj), kind, resolve(kind, role_map), parent, page_id))
        children: list[tuple[Any, int | None]] = []
        for kid in as_list(obj.get("/K")):
            if isinstance(kid, int):
                mcids.setdefault(page_id, {})[int(kid)] = index
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                kid_page = kid.get("/Pg")
                kid_page_id = kid_page.objgen if isinstance(kid_page, pikepdf.Dictionary) else page_id
                mcids.setdefault(kid_page_id, {})[int(kid["/MCID"])] = index
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                target = kid.get("/Obj")
                if isinstance(target, pikepdf.Object) and target.is_indirect:
                    objrs[target.objgen] = index
            else:
                children.append((kid, index))
        stack.extend(reversed(children))
    return Structure(tuple(elements), mcids, objrs, number_tree(root.get("/ParentTree")), role_map)


def resolve(kind: str, role_map: dict) -> str:
    seen = set()
    while kind not in STANDARD_TYPES and kind in role_map and kind not in seen:
        seen.add(kind)
        kind = role_map[kind]
    return kind if kind in STANDARD_TYPES else ""


def check_role_map(structure: Structure) -> Iterator[Diagnostic]:
    for key, value in structure.role_map.items():
        if key in STANDARD_TYPES:
            yield _finding("pdfua.rolemap", f"standard structure type /{key} is remapped to /{value}")
        elif not resolve(key, structure.role_map):
            yield _finding("pdfua.rolemap", f"/{key} does not map to a standard structure type")


def check_elements(structure: Structure) -> Iterator[Diagnostic]:
    if not structure.elements:
        yield _finding("pdfua.struct-tree", "no structure tree (or an empty one)")
    for element in structure.elements:
        obj = element.obj
        if not element.role:
            yield _finding("pdfua.nonstandard-type",
                          f"structure type /{element.type} is neither standard nor role-mapped",
                          None, element.ref)
        if element.role in ("Figure", "Formula") and not (text(obj.get("/Alt")) or text(obj.get("/ActualText"))):
            yield _finding("pdfua.figure-alt", f"{element.role} without /Alt or /ActualText", None, element.ref)
        lang = obj.get("/Lang")
        if lang is not None and not well_formed_lang(text(lang)):
            yield _finding("pdfua.lang", f"element /Lang {text(lang)!r} is not a well-formed BCP 47 tag",
                          None, element.ref)


def check_headings(structure: Structure) -> Iterator[Diagnostic]:
    previous = 0
    for element in structure.elements:
        if re.fullmatch(r"H[1-6]", element.role):
            level = int(element.role[1])
            if previous == 0 and level != 1:
                yield _finding("pdfua.heading-order", f"the first heading is H{level}, not H1", None, element.ref)
            elif previous and level > previous + 1:
                yield _finding("pdfua.heading-order", f"H{level} follows H{previous}: a level is skipped",
                              None, element.ref)
            previous = level


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
            yield _finding("pdfua.table-rows", "Table without TR", None, element.ref)
        elif not headers:
            yield _finding("pdfua.table-headers", "Table without any TH cell", None, element.ref)
        named = {bytes(h) for c in cells for h in attribute_values(structure.elements[c].obj, "/Headers")}
        ids = {bytes(structure.elements[h].obj.get("/ID")) for h in headers
               if isinstance(structure.elements[h].obj.get("/ID"), pikepdf.String)}
        for missing in sorted(named - ids):
            yield _finding("pdfua.table-headers", f"a cell's /Headers names {missing.decode(errors='replace')!r}, "
                          "which is no TH of this table", None, element.ref)
        for cell in headers:
            scopes = [str(s) for s in attribute_values(structure.elements[cell].obj, "/Scope")]
            if not scopes or not set(scopes) <= SCOPES:
                found = f"with /Scope {' '.join(scopes)}" if scopes else "without /Scope"
                yield _finding("pdfua.th-scope", f"TH {found}: it must be /Row, /Column or /Both",
                              None, structure.elements[cell].ref)


def children_of(structure: Structure) -> dict[int | None, list[int]]:
    found: dict[int | None, list[int]] = {i: [] for i in range(len(structure.elements))}
    for index, element in enumerate(structure.elements):
        found.setdefault(element.parent, []).append(index)
    return found


def role(structure: Structure, index: int) -> str:
    return structure.elements[index].role


def attribute_values(obj: Any, key: str) -> Iterator[Any]:
    """Values of ``key`` in an element's attribute object(s) (``/A``)."""
    for attributes in as_list(obj.get("/A")):
        if isinstance(attributes, pikepdf.Dictionary) and key in attributes:
            value = attributes[key]
            yield from (as_list(value) if key == "/Headers" else [value])


# --- pages: tabs, annotations, content ----------------------------------------

def check_pages(pdf: pikepdf.Pdf, reader: Reader) -> Iterator[Diagnostic]:
    for number, page in enumerate(pdf.pages, start=1):
        page_obj = page.obj
        if page_obj.get("/Tabs") != "/S":
            yield _finding("pdfua.tabs", "page has no /Tabs /S", number)
        yield from check_annotations(page_obj, number, reader)
        yield from check_content(page, number, reader.structure)


def check_annotations(page: Any, number: int, reader: Reader) -> Iterator[Diagnostic]:
    structure = reader.structure
    for annotation in as_list(page.get("/Annots")):
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = str(annotation.get("/Subtype"))
        if subtype in UNTAGGED_ANNOTATIONS:
            continue
        where = ref(annotation)
        index = structure.objrs.get(annotation.objgen) if annotation.is_indirect else None
        contents = text(annotation.get("/Contents")).strip()
        if subtype == "/Link":
            yield from check_link(annotation, index, contents, number, reader)
        elif index is None:
            yield _finding("pdfua.annot-untagged", f"{subtype} annotation is not in the structure tree", number, where)
        elif subtype == "/Widget" and role(structure, index) != "Form":
            yield _finding("pdfua.annot-untagged", "widget annotation is not inside a Form element", number, where)
        if subtype not in ("/Link", "/Widget") and not contents:
            yield _finding("pdfua.annot-contents", f"{subtype} annotation has no /Contents", number, where)
        if index is not None:
            yield from check_struct_parent(annotation, index, number, structure)


def check_link(annotation: Any, index: int | None, contents: str, number: int,
               reader: Reader) -> Iterator[Diagnostic]:
    structure = reader.structure
    where = ref(annotation)
    if index is None:
        yield _finding("pdfua.link-untagged", "Link annotation is not referenced by any OBJR in the structure tree",
                      number, where)
    else:
        element = structure.elements[index]
        if element.role != "Link":
            yield _finding("pdfua.link-tag", f"Link annotation's OBJR sits in /{element.type}, not in a Link",
                          number, where)
        if any(structure.elements[i].role == "Figure" for i in ancestry(structure, index)):
            yield _finding("pdfua.link-in-figure", "Link annotation is nested in a Figure", number, where)
    if not contents:
        yield _finding("pdfua.link-contents", "Link annotation has no /Contents", number, where)
    elif contents in link_targets(annotation) and index is not None:
        words = " ".join(" ".join(text for text, _ in reader.read(index, "")).split())
        if words and "".join(words.split()) != "".join(contents.split()):  # a URL may break over lines
            yield _finding("pdfua.link-contents-url",
                          f"Link /Contents is the bare target {contents!r}, not the link's words {words!r}",
                          number, where)


def ancestry(structure: Structure, index: int | None) -> Iterator[int]:
    while index is not None:
        yield index
        index = structure.elements[index].parent


def link_targets(annotation: Any) -> set[str]:
    action = annotation.get("/A")
    found = {text(annotation.get("/Dest"))}
    if isinstance(action, pikepdf.Dictionary):
        found.add(text(action.get("/URI")))
    return found - {""}


def check_struct_parent(annotation: Any, index: int, number: int, structure: Structure) -> Iterator[Diagnostic]:
    key = annotation.get("/StructParent")
    mapped = structure.parent_tree.get(int(key)) if key is not None else None
    element = structure.elements[index].obj
    if mapped is None or not element.is_indirect or mapped.objgen != element.objgen:
        yield _finding("pdfua.parent-tree", "annotation's /StructParent does not lead to the element holding its OBJR",
                      number, ref(annotation))


def check_content(page: pikepdf.Page, number: int, structure: Structure) -> Iterator[Diagnostic]:
    """Painting operators must be in an artifact or in marked content the tree holds."""
    page_obj = page.obj
    tagged = structure.mcids.get(page_obj.objgen, {})
    key = page_obj.get("/StructParents")
    mapping = structure.parent_tree.get(int(key)) if key is not None else None
    mapped = as_list(mapping)
    properties: Any = (page_obj.get("/Resources") or pikepdf.Dictionary()).get("/Properties") or {}
    stack: list[tuple[bool, int | None]] = []  # (artifact, MCID)
    stray: list[str] = []
    orphans: set[int] = set()
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            entry, lang = marked_entry(list(instruction.operands), properties)
            stack.append(entry)
            if lang is not None and not well_formed_lang(lang):
                yield _finding("pdfua.lang", f"marked-content /Lang {lang!r} is not a well-formed BCP 47 tag", number)
        elif operator == "EMC":
            if stack:
                stack.pop()
        elif operator in PAINTING or operator == "INLINE IMAGE":
            state = paint_state(stack)
            if state is None:
                stray.append(operator)
            elif state >= 0 and (state not in tagged or not maps_to(mapped, state, structure.elements[tagged[state]])):
                orphans.add(state)
    if stray:
        yield _finding("pdfua.untagged-content",
                      f"{len(stray)} painting operator(s) outside marked content and artifacts (first: {stray[0]})",
                      number)
    for mcid in sorted(orphans):
        what = "is not held by any element of the structure tree" if mcid not in tagged else \
            "is not mapped back to its element by the parent tree"
        yield _finding("pdfua.untagged-content" if mcid not in tagged else "pdfua.parent-tree",
                      f"marked content MCID {mcid} {what}", number)


def marked_entry(operands: list, properties: Any) -> tuple[tuple[bool, int | None], str | None]:
    tag = str(operands[0]) if operands else ""
    props = operands[1] if len(operands) > 1 else None
    if isinstance(props, pikepdf.Name):
        props = properties.get(props)
    mcid = lang = None
    if isinstance(props, pikepdf.Dictionary):
        mcid = int(props["/MCID"]) if "/MCID" in props else None
        lang = text(props["/Lang"]) if "/Lang" in props else None
    return (tag == "/Artifact", mcid), lang


def paint_state(stack: list[tuple[bool, int | None]]) -> int | None:
    """-1 inside an artifact, the innermost MCID, or None when untagged."""
    if any(artifact for artifact, _ in stack):
        return -1
    mcids = [mcid for _, mcid in stack if mcid is not None]
    return mcids[-1] if mcids else None


def maps_to(mapped: list, mcid: int, element: Element) -> bool:
    if mcid >= len(mapped) or not isinstance(mapped[mcid], pikepdf.Dictionary):
        return False
    return element.obj.is_indirect and mapped[mcid].objgen == element.obj.objgen


# --- fonts ----------------------------------------------------------------------

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
            yield _finding("pdfua.font-embedded", f"font {label} is not embedded", number, ref(font))
    if "/ToUnicode" not in font and not standard_simple_font(font, subtype, descriptor):
        yield _finding("pdfua.font-tounicode", f"font {label} has no /ToUnicode and no standard encoding",
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


# --- reading text the way the structure tree tells it ---------------------------

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


class opened:
    """``with opened(path_or_pdf) as pdf``: opens and closes paths, leaves a Pdf open."""

    def __init__(self, source: str | Path | pikepdf.Pdf) -> None:
        self.source = source
        self.pdf: pikepdf.Pdf | None = None

    def __enter__(self) -> pikepdf.Pdf:
        if isinstance(self.source, pikepdf.Pdf):
            return self.source
        self.pdf = pikepdf.open(self.source)
        return self.pdf

    def __exit__(self, *exc: Any) -> None:
        if self.pdf is not None:
            self.pdf.close()


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


# --- command line ---------------------------------------------------------------

def main(argv: Iterable[str]) -> int:
    paths = list(argv)
    if not paths:
        print("usage: python -m leafpress.validate.pdfua FILE...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        try:
            findings = check_pdf(path)
        except (OSError, pikepdf.PdfError) as exc:
            findings = [error(path, None, "pdfua.unreadable", f"cannot be read: {exc}")]
        for finding in findings:
            print(finding.format())
        failed = failed or bool(findings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
