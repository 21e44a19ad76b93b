"""What each kind of reader gets from an output, as plain text.

Validators look at the file; these views look at what a person is given:

- :func:`screen_reader_view`: a screen PDF's structure tree walked in reading
  order, one line per block element (``Role [lang]: text``), the text taken
  from the element's marked content (decoded through the fonts'
  ``/ToUnicode``, as :mod:`leafpress.validate.pdfua` reads it) with ``/ActualText``
  applied and ``/Alt`` for figures. Pieces are joined as they are, with no
  space added: where the tags hold no space, a screen reader says none.
- :func:`copy_view_poppler` and :func:`copy_view_pdfium`: the text a viewer
  copies and searches, per page, from poppler (``pdftotext``: Evince, Okular)
  and PDFium (Chrome's engine, through pypdfium2).
- :func:`ereader_view`: an EPUB's XHTML documents in spine order as an
  e-reader shows them (blocks on lines of their own, images as their alt
  text), then the navigation document's table of contents.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

from leafpress.validate.pdfua.objects import as_list, opened, text
from leafpress.validate.pdfua.reading import Reader

# Structure types read as a line of their own (when nothing below them is one).
BLOCK_ROLES = frozenset("""
    P H H1 H2 H3 H4 H5 H6 LI TD TH Caption Figure Formula Title TOCI BlockQuote Note Code
""".split())

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
# XHTML elements an e-reader starts on a line of their own.
BLOCK_TAGS = frozenset("""
    address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6
    header hr li main nav ol p pre section table td th tr ul br
""".split())


# --- screen reader ------------------------------------------------------------

def screen_reader_view(pdf_path: str | Path) -> str:
    """The structure tree of a tagged PDF as a screen reader reads it, one block per line."""
    with opened(pdf_path) as pdf:
        reader = Reader.of(pdf)
        lang = text(pdf.Root.get("/Lang"))
        tops = [i for i, e in enumerate(reader.structure.elements) if e.parent is None]
        lines = [line for top in tops for line in element_lines(reader, top, lang)]
    return "".join(f"{line}\n" for line in lines)


def element_lines(reader: Reader, index: int, lang: str) -> Iterator[str]:
    """The lines of one element: itself if it is a block with no block below it, else its parts."""
    element = reader.structure.elements[index]
    obj = element.obj
    lang = text(obj.get("/Lang")) or lang
    role = element.role or element.type
    replaced = replacement(obj)
    if replaced is not None and "/ActualText" in obj:
        yield line(role, lang, replaced)
        return
    if replaced is not None:  # /Alt: said for the element, then any captions below it
        yield line(role, lang, replaced)
        for child in reader.children[index]:
            yield from element_lines(reader, child, lang)
        return
    if role in BLOCK_ROLES and not has_block_below(reader, index):
        yield line(role, lang, inline_text(reader, index))
        return
    pending: list[str] = []
    child_indexes = iter(reader.children[index])
    for kid in as_list(obj.get("/K")):
        if is_marked(kid):
            pending.append(reader.marked(kid, element.page))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
            child = next(child_indexes)
            if is_block(reader, child):
                if "".join(pending).strip():
                    yield line(role, lang, "".join(pending))
                pending = []
                yield from element_lines(reader, child, lang)
            else:
                pending.append(inline_text(reader, child))
    if "".join(pending).strip():
        yield line(role, lang, "".join(pending))


def inline_text(reader: Reader, index: int) -> str:
    """All the text under an element, pieces joined with nothing in between."""
    obj = reader.structure.elements[index].obj
    replaced = replacement(obj)
    if replaced is not None:
        return replaced
    parts = []
    child_indexes = iter(reader.children[index])
    for kid in as_list(obj.get("/K")):
        if is_marked(kid):
            parts.append(reader.marked(kid, reader.structure.elements[index].page))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
            parts.append(inline_text(reader, next(child_indexes)))
    return "".join(parts)


def replacement(obj: Any) -> str | None:
    for key in ("/ActualText", "/Alt"):
        if isinstance(obj.get(key), pikepdf.String):
            return str(obj.get(key))
    return None


def is_marked(kid: Any) -> bool:
    return isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR")


def is_block(reader: Reader, index: int) -> bool:
    element = reader.structure.elements[index]
    return (element.role or element.type) in BLOCK_ROLES or has_block_below(reader, index)


def has_block_below(reader: Reader, index: int) -> bool:
    return any(is_block(reader, child) for child in reader.children[index])


def line(role: str, lang: str, content: str) -> str:
    return f"{role} [{lang}]: {' '.join(content.split())}"


# --- copy and search ------------------------------------------------------------

#: Invisible bidi controls: pdftotext wraps every right-to-left line in U+202B ... U+202C and a
#: left-to-right run in it in U+202A ... U+202C, and leafpress.formats.pdf.rtl_paint gives poppler
#: U+200F marks. They show nothing, and a search box passes over them.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def searched_text(pages: list[str]) -> str:
    """What a search box searches: the pages' text with line ends as spaces, without the
    invisible bidi controls (else no Arabic block over two lines is ever found in poppler's text)."""
    return " ".join(without_bidi_controls(" ".join(pages)).split())


def copy_view_poppler(pdf_path: str | Path) -> list[str]:
    """The text poppler's ``pdftotext`` (reading order, not ``-layout``) extracts, per page."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
                         check=True, capture_output=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def copy_view_pdfium(pdf_path: str | Path) -> list[str]:
    """The text PDFium (Chrome's PDF engine) gives for each page, as copy and search use it."""
    import pypdfium2 as pdfium  # a test extra: only the views need it

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def pages_text(pages: list[str]) -> str:
    """Pages as one text, each under a ``--- page N ---`` line."""
    return "".join(f"--- page {number} ---\n{page.rstrip()}\n" for number, page in enumerate(pages, 1))


# --- e-reader ----------------------------------------------------------------

def ereader_view(epub_path: str | Path) -> str:
    """The visible text of an EPUB's documents in spine order, then its table of contents."""
    with zipfile.ZipFile(epub_path) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = container.find(f".//{CONTAINER}rootfile").get("full-path")
        opf = etree.fromstring(book.read(opf_path))
        base = posixpath.dirname(opf_path)
        items = {item.get("id"): item for item in opf.iter(f"{OPF}item")}
        spine = [items[ref.get("idref")].get("href") for ref in opf.iter(f"{OPF}itemref")]
        navs = [item.get("href") for item in items.values() if "nav" in (item.get("properties") or "").split()]
        out = []
        for href in spine:
            document = etree.fromstring(book.read(posixpath.join(base, href)))
            out.append(f"=== {href} ===\n")
            out += [f"{text_line}\n" for text_line in visible_lines(document)]
        for href in navs:
            document = etree.fromstring(book.read(posixpath.join(base, href)))
            out.append(f"=== table of contents ({href}) ===\n")
            out += [f"{entry}\n" for entry in toc_lines(document)]
    return "".join(out)


def visible_lines(document: etree._Element) -> list[str]:
    """The body's text, a line per block element, images as ``[image: alt]``."""
    chunks: list[str] = []
    body = document.find(f"{XHTML}body")
    if body is not None:
        collect(body, chunks)
    return [" ".join(part.split()) for part in "".join(chunks).split("\n") if part.strip()]


def collect(element: etree._Element, chunks: list[str]) -> None:
    if not isinstance(element.tag, str):  # comments, processing instructions
        chunks.append(element.tail or "")
        return
    tag = etree.QName(element).localname
    block = tag in BLOCK_TAGS
    if block:
        chunks.append("\n")
    if tag == "img":
        alt = element.get("alt")
        if alt:
            chunks.append(f"[image: {alt}]")
    chunks.append(element.text or "")
    for child in element:
        collect(child, chunks)
    if block:
        chunks.append("\n")
    chunks.append(element.tail or "")


def toc_lines(document: etree._Element) -> list[str]:
    """The ``toc`` navigation as an indented list (two spaces per level)."""
    navs = [nav for nav in document.iter(f"{XHTML}nav") if nav.get(f"{EPUB_NS}type") == "toc"]
    lines: list[str] = []
    for nav in navs:
        for ol in nav.iterfind(f"{XHTML}ol"):
            toc_entries(ol, 0, lines)
    return lines


def toc_entries(ol: etree._Element, depth: int, lines: list[str]) -> None:
    for li in ol.iterfind(f"{XHTML}li"):
        label = next((child for child in li if etree.QName(child).localname in ("a", "span")), None)
        words = " ".join("".join(label.itertext()).split()) if label is not None else ""
        lines.append(f"{'  ' * depth}- {words}")
        for sub in li.iterfind(f"{XHTML}ol"):
            toc_entries(sub, depth + 1, lines)
