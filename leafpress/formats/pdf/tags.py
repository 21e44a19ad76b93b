"""Close the tagging gaps in WeasyPrint 70's ``pdf/ua-1`` output.

One entry point, :func:`write_tagged`, for a laid-out ``weasyprint.Document``::

    from leafpress.formats.pdf.tags import write_tagged
    data = write_tagged(HTML(filename).render())

It writes ``pdf/ua-1`` and fixes the ``pydyf.PDF`` in a WeasyPrint
*finisher* (:func:`finish_tags`), before a single byte is written, so there
is no second parse and no second write.

Why a finisher and not a pikepdf pass over the written file: half of the
gaps need facts that never reach the PDF. ``lang`` on an element, the
logical (not visual) order of Arabic text, ``alt=""`` as opposed to a
missing ``alt``, the words of a link: all of that lives only in WeasyPrint's
boxes. The finisher has both the boxes and the PDF objects, so every fix is
made in one place, at the cost of relying on WeasyPrint 70 internals (see
"Pairing" below); a change there makes :func:`finish_tags` raise
:class:`TagPairingError` before it touches anything, never a silently
mistagged leaflet.

The gaps, and what is done to each:

1. ``lang`` on an element is dropped. Every marked-content sequence gets the
   language of the box that painted it; a structure element whose content is
   all in one language that differs from its parent's gets ``/Lang``; an
   inline ``NonStruct`` that gets one (the ``<i>`` around a ``<span lang>``)
   becomes a ``Span``.
2. Running headers, footers and page numbers (``@page`` margin boxes) are
   marked as ``Span`` with MCIDs that point to structure elements that hang
   nowhere in the tree. They become ``/Artifact`` marked content of type
   ``/Pagination`` (subtype ``/Header`` or ``/Footer``), their MCIDs leave
   the parent tree and their orphan elements are emptied.
3. A link around an image gives two link annotations, the inner one inside
   the ``Figure``. The inner annotation is merged into the link's own (one
   rectangle covering both), dropped from ``/Annots`` and from the parent
   tree. An annotation with no ``Link`` above it gets a new ``Link``
   element. Every link's ``/Contents`` becomes its words (text, image
   ``alt``), ``aria-label`` first, ``title`` last, the URL only if there is
   nothing else.
4. ``alt=""`` (also ``role="presentation"``/``"none"``, ``aria-hidden``)
   images become ``/Artifact`` marked content; their empty ``Figure`` leaves
   the tree.
5. ``<figure><img alt><figcaption>`` comes out as ``NonStruct`` wrappers
   around a ``Figure`` and a ``Caption``. The outermost wrapper that holds
   only the image and caption(s) becomes the ``Figure``: it takes the
   image's ``/Alt``, its layout attributes and its MCID, and keeps the
   ``Caption`` as a child.
6. Right-to-left text (Arabic) is drawn in visual order, so a reader that
   follows the content stream without a bidi pass gets it backwards. Text
   whose glyphs may be painted out of logical order (right-to-left
   characters; in a right-to-left box also Latin text with a neutral or a
   number at either end, such as a URL broken after a hyphen) gets
   ``/ActualText`` with the logical string from the boxes: on the element
   that holds it when that holds nothing but text (a paragraph, a heading,
   a cell: the lines put together as the HTML has them, the spaces the line
   breaks swallowed put back), else on a ``Span`` around each such line
   (e.g. in a paragraph with a link). The element is looked up in the
   parent tree at that point, not remembered from the pairing: merged
   links and fragments and repeated table headers have moved MCIDs by
   then. Not in the content stream: poppler reorders right-to-left glyphs
   itself and would turn a logical ``/ActualText`` there backwards.

   Mirrored glyphs too: a ``(`` at a right-to-left level is painted with
   the glyph of ``)``, and WeasyPrint writes a glyph's ``/ToUnicode`` from
   the first character it painted, so in a document with right-to-left
   text the brackets of left-to-right text may read swapped
   (``Popova, V. )2019(.``). One glyph serves both meanings, so no
   ``/ToUnicode`` is right for both (poppler does not mirror; correcting
   the map breaks the Arabic brackets in ``pdftotext``). Once a bracket may
   be painted at a right-to-left level (a text painted out of order that
   holds one), every text with a bidi-mirrored character gets
   ``/ActualText`` as well.

Found on the way and closed too:

7. An element that runs over a page break (a paragraph, a list, a table,
   ``main``) is one structure element per page. Fragments made for the same
   HTML element are merged, down the tree (content on the later page is
   referenced with ``/MCR``); a table header repeated on the next page
   becomes a pagination artifact and ``/Headers`` point at the first copy.
8. A link broken over two lines, or over a page break, is two ``Link``
   elements; they become one (one element, two annotations; over a page
   break its content on the next page is referenced with ``/MCR``). So
   does a ``Span`` with ``/Lang`` (a ``<span lang>`` broken over lines).
9. Text boxes with no text still get an empty ``Span``; they become
   artifacts.
10. A ``position: fixed`` box is painted, and tagged, on every page; from
    its second page on it becomes a pagination artifact.

And for size (PDF/UA is meant to cost at most 15 % more bytes than the
plain PDF):

11. Every text box is a ``Span`` of its own, one object per line of text.
    A ``Span`` or ``NonStruct`` that carries nothing (no ``/Lang``, no
    ``/ActualText``) is dropped and what it holds handed to its parent (never
    marked content to a grouping element such as ``L``), two sequences that
    follow each other in one element become one, and each page's MCIDs are
    numbered 0, 1, 2... again. An ``OBJR`` goes inside its ``Link``. The
    dropped objects leave the file and the objects after them are numbered
    anew (:func:`compact`): pydyf would write each as ``<<>>``.

And one for tables:

12. A ``TH`` has no ``/Scope``: WeasyPrint reads ``scope`` only to fill the
    data cells' ``/Headers``. Every ``TH`` gets ``/Scope /Row`` (for
    ``scope="row"``) or ``/Column`` (anything else, as WeasyPrint's
    ``/Headers`` count it) in its ``/A`` (PDF/UA-1 7.5, Matterhorn 15-003).

And for the words:

13. WeasyPrint drops the space at which a line breaks (each line is painted
    on its own), so the text of the tags, what a screen reader says, runs
    the last word of a line into the first of the next ("wat is
    hetverschil?"); so it does where one structure element holds several
    blocks (a help-line box: "113 Zelfmoordpreventie0800-0113"). Where the
    HTML has white space (or a ``<br>``) between the last text box of a
    line and the next one, or the next text of the same structure element
    is in another block, the line's last text run gets its font's space
    glyph after its last glyph: invisible, a few bytes, and poppler, PDFium
    and tag readers all get the space. A break after a hyphen (``0800-``)
    has no white space and stays joined. Text painted out of order gets
    the space in its per-line ``/ActualText`` instead (element-level
    ``/ActualText`` has it already); a run whose font never painted a space
    gets a ``Span`` whose ``/ActualText`` has it. The same where a space
    stands between two inline elements (``</span> <i>``): WeasyPrint paints
    a text box of white space alone as nothing, so the run before it gets
    the space glyph; and where an element's ``/ActualText`` ends at a line
    end whose space a reader needs (a ``Span`` of another language broken
    over two lines: two elements, the first one's text ends the line), that
    text ends with a space.

And for size, in how the elements are written:

14. pydyf writes ``/Type /StructElem``, a ``/Pg`` on every element, a single
    kid in brackets and a space after every key. Each structure element is
    written without what is optional and says nothing (:mod:`leafpress.formats.pdf.tag_bytes`):
    ``<</S/P/K 3/Pg 6 0 R/P 90 0 R>>``; its keys stay in the dictionary.

Pairing: the PDF does not say which box made which structure element.
While the PDF is written, WeasyPrint's tag builder (``weasyprint.pdf.tags.
add_tags``, called by name from ``weasyprint.pdf``) runs through a recorder
(:func:`recording_tags`): the PDF it adds objects to notes the box the
builder was on (its local ``box``, read from the calling frame) and each
page's box-to-MCID table notes which box's MCID was taken. Before anything
is changed, every recorded element must have a box and every painted MCID
an element; otherwise :class:`TagPairingError`.

Not handled: links and images inside running headers and footers (their
annotations stay on orphan elements), forms, ``pdf/ua-2`` beyond what is
shared with ``pdf/ua-1`` (untested).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from codecs import BOM_UTF16_BE
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.tags import add_tags

from leafpress.formats.pdf.box_tree import walk
from leafpress.formats.pdf.tag_bytes import write_compactly

NULL = b"null"
REFERENCE = re.compile(rb"(\d+) 0 R")
EMBEDDED_REFERENCE = re.compile(rb"(\d+) \d+ R\b")
MARKED_CONTENT_OPERATORS = (b"BDC", b"BMC", b"EMC")  # as items of a pydyf content stream
# Bidi classes that may make the painted glyph order differ from the logical
# one whatever the base direction: right-to-left letters, Arabic numbers,
# explicit embeddings, overrides and isolates.
REORDERING_CLASSES = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
DECORATIVE_ROLES = frozenset({"presentation", "none"})
CSS_WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")
# In a literal string: the backslash and brackets escaped, a carriage return written
# as \r (a bare one would be read as a line feed).
LITERAL_ESCAPES = re.compile(rb"[\\()\r]")
LITERAL_ESCAPE = {b"\\": b"\\\\", b"(": b"\\(", b")": b"\\)", b"\r": b"\\r"}


class TagPairingError(RuntimeError):
    """WeasyPrint's structure tree is not the one this module knows how to fix."""


class Leaf(NamedTuple):
    """One marked-content sequence: where it is and which box painted it.

    Deliberately not which element holds it: the fixes move MCIDs (a link
    broken over lines becomes one ``Link``, a paragraph split by a page
    break one ``P``, a repeated table header artifacts), so that is asked
    of the parent tree, every time, with :func:`holder`.
    """

    page: int
    mcid: int
    box: Any


@dataclass(frozen=True)
class Pairing:
    leaves: tuple[Leaf, ...]  # in the order WeasyPrint's builder met them
    object_references: frozenset  # b"n 0 R" of every ``OBJR`` (an annotation's place in the tree)
    boxes: dict  # structure element number -> the box it was made for


@dataclass(frozen=True)
class Tree:
    """Handles on the pydyf objects the fixes edit (the objects stay mutable)."""

    objects: list
    document: pydyf.Dictionary
    nums: pydyf.Array  # the parent tree's flat /Nums
    page_nums: tuple  # per page: the parent-tree array indexed by MCID
    page_refs: tuple  # per page: b"n 0 R"
    page_index: dict  # b"n 0 R" of a page -> its index in ``page_refs``
    streams: tuple  # per page: the content stream (pydyf.Stream)
    properties: tuple  # per page: {MCID: index of its property list in the stream}
    markers: tuple  # per page: where BDC, BMC and EMC stand in the stream, in order (kept current)
    discarded: list  # objects nothing refers to any more, dropped by :func:`compact`


# --- entry point ------------------------------------------------------------

def finish_tags(document: Any, pdf: pydyf.PDF, recording: Recording) -> None:
    """Make ``pdf/ua-1`` output tag what it paints (in a WeasyPrint finisher).

    ``recording``: what :func:`recording_tags` noted while WeasyPrint built
    this PDF's tags; :func:`write_tagged` does all of it. Does nothing to an
    untagged PDF. Raises :class:`TagPairingError` if the structure tree does
    not match the recording (another WeasyPrint version).
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    tree = read_tree(pdf)
    pairing = pair(tree, recording)
    found = find_boxes(document)
    kept = untag_furniture(tree, found, pairing.leaves)  # 2, 4, 9, 10
    merge_link_annotations(tree, pdf, pairing.object_references)  # 3
    fold_figures(tree, kept)  # 5
    join_fragments(tree, tree.document, pairing.boxes)  # 7
    # 8, after 7: the two halves of a link over a page break sit in two
    # fragments of its paragraph until those are one.
    join_split_links(tree, link_elements(found.links))
    describe_links(found.links)  # 3
    set_languages(tree, kept, document_lang(pdf), pairing.boxes)  # 1
    fold_plain_wrappers(tree)  # 11, after 1: a Span with /Lang stays
    join_split_spans(tree, pairing.boxes)  # 8, after 11: the fragments are neighbours now
    misread = misread_boxes(kept)  # 6: each box's text looked at once, for both steps below
    spaced = swallowed_spaces(tree, found.lines, kept)  # 13, after 11: the elements that hold the lines now
    put_back_spaces(tree, pdf, document, kept, spaced, misread)  # 13
    set_actual_texts(tree, pdf, kept, pairing.boxes, misread, spaced)  # 6, after 11: on what holds the lines now
    end_actual_texts_with_spaces(tree, kept, spaced)  # 13, after 6
    join_marked_content(tree)  # 11, after the folds: they make neighbours share an element
    final = list(elements(tree))  # no step below adds or drops a structure element
    scope_headers(final, pairing.boxes)  # 12
    number_marked_content(tree, final)  # 11, after the joins
    inline_object_references(tree, final, pairing.object_references)  # 11
    compact(tree, pdf)  # 11
    write_compactly(pdf.objects, final)  # 14, last: after compact, which numbers the elements anew


def untag_furniture(tree: Tree, found: FoundBoxes, leaves: tuple[Leaf, ...]) -> list[Leaf]:
    """Make artifacts of what is not content; return the leaves that are."""
    kept = []
    for leaf in leaves:
        if id(leaf.box) in found.margins:
            make_artifact(tree, leaf, pagination(found.margins[id(leaf.box)]))
        elif id(leaf.box) in found.repeats:
            make_artifact(tree, leaf, pagination(""))
        elif is_decorative(leaf.box) or getattr(leaf.box, "text", None) == "":
            make_artifact(tree, leaf, pydyf.Dictionary())
        else:
            kept.append(leaf)
    return kept


def fold_figures(tree: Tree, leaves: list[Leaf]) -> None:
    blanks = {element.number: leaf for leaf in leaves
              if is_blank(leaf, tree) and (element := holder(tree, leaf)) is not None}
    for leaf in leaves:
        element = holder(tree, leaf)
        if isinstance(leaf.box, boxes.ReplacedBox) and element is not None:
            fold_figure(tree, element, blanks)


# --- reading the pydyf objects ----------------------------------------------

def number(reference: bytes | str) -> int:
    """The object number of a reference as pydyf writes them, ``b"n 0 R"``."""
    return int(reference[:-4])


def read_tree(pdf: pydyf.PDF) -> Tree:
    objects = pdf.objects
    root = objects[number(pdf.catalog["StructTreeRoot"])]
    document = objects[number(root["K"][0])]
    nums = objects[number(root["ParentTree"])]["Nums"]
    page_refs = tuple(pdf.page_references)
    pages = [objects[number(ref)] for ref in page_refs]
    streams = tuple(objects[number(page["Contents"])] for page in pages)
    by_key = dict(zip(nums[::2], nums[1::2]))
    page_nums = tuple(by_key[page["StructParents"]] for page in pages)
    markers = tuple(marker_positions(stream.stream) for stream in streams)
    return Tree(objects, document, nums, page_nums, page_refs,
                {ref: index for index, ref in enumerate(page_refs)}, streams,
                tuple(property_indexes(stream.stream, found) for stream, found in zip(streams, markers)),
                markers, [])


def holder(tree: Tree, leaf: Leaf) -> pydyf.Dictionary | None:
    """The structure element that holds ``leaf``'s MCID now; None once it is an artifact.

    The parent tree is the one record every fix keeps up to date when it
    moves an MCID to another element or makes it an artifact.
    """
    reference = tree.page_nums[leaf.page][leaf.mcid]
    return None if reference == NULL else tree.objects[number(reference)]


def holds(element: pydyf.Dictionary, kid: Any, page_ref: Any, mcid: int) -> bool:
    """Whether ``kid`` of ``element`` is MCID ``mcid`` of page ``page_ref``.

    A plain integer kid is on the element's own page; content on another
    page (after fragments were merged) is a marked-content reference.
    """
    if isinstance(kid, pydyf.Dictionary):
        return kid.get("Type") == "/MCR" and kid.get("Pg") == page_ref and kid.get("MCID") == mcid
    return isinstance(kid, int) and kid == mcid and element.get("Pg") == page_ref


def property_indexes(items: list, markers: list[int]) -> dict[int, int]:
    """MCID -> where its property list stands in a content stream's ``items``."""
    return {items[index]["MCID"]: index for index in property_list_positions(items, markers)}


def property_lists(items: list, markers: list[int]) -> Iterator[pydyf.Dictionary]:
    """The property lists with an MCID in a content stream's ``items``, in order."""
    return (items[index] for index in property_list_positions(items, markers))


def property_list_positions(items: list, markers: list[int]) -> Iterator[int]:
    """Where the property lists with an MCID stand: pydyf writes one just before its ``BDC``.
    ``markers``: :func:`marker_positions`."""
    for index in markers:
        item = items[index - 1]
        if items[index] == b"BDC" and isinstance(item, pydyf.Dictionary) and "MCID" in item:
            yield index - 1


def marker_positions(items: list) -> list[int]:
    """Where the marked-content operators stand in a content stream's items, in order.

    ``list.index`` does the scan in C: a page holds thousands of items, a
    few hundred of them marked-content operators.
    """
    found = []
    for operator in MARKED_CONTENT_OPERATORS:
        index = -1
        try:
            while True:
                index = items.index(operator, index + 1)
                found.append(index)
        except ValueError:
            pass
    return sorted(found)


def document_lang(pdf: pydyf.PDF) -> str:
    lang = pdf.catalog.get("Lang")
    return getattr(lang, "string", "") or ""


# --- pairing boxes with structure elements ----------------------------------

@dataclass
class Recording:
    """What WeasyPrint's tag builder did, noted while it ran (:func:`recording_tags`)."""

    made: list = field(default_factory=list)  # (pdf object, the box the builder was on)
    painted: list = field(default_factory=list)  # (page number, box, MCID) as the builder met them


class RecordingPdf:
    """Stands in for the ``pydyf.PDF`` while WeasyPrint's ``add_tags`` runs.

    Each object goes on to the real PDF; the box the builder was working on
    when it made it (its local ``box``, read from the calling frame) is
    noted. ``page_references`` is read once: pydyf builds that tuple anew on
    every access and the builder asks for it once per element (some 800
    times for a leaflet of 11 pages).
    """

    def __init__(self, pdf: pydyf.PDF, made: list) -> None:
        self._pdf = pdf
        self._made = made
        self.page_references = tuple(pdf.page_references)

    def add_object(self, pdf_object: Any) -> None:
        self._pdf.add_object(pdf_object)
        self._made.append((pdf_object, sys._getframe(1).f_locals.get("box")))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pdf, name)


class PoppedTags(dict):
    """A page's box-to-MCID table that notes which box the builder took, in order."""

    def __init__(self, table: dict, page: int, painted: list) -> None:
        super().__init__(table)
        self._page, self._painted = page, painted

    def pop(self, box: Any, *default: Any) -> Any:
        entry = super().pop(box, *default)
        if isinstance(entry, dict) and "mcid" in entry:
            self._painted.append((self._page, box, entry["mcid"]))
        return entry


@contextmanager
def recording_tags() -> Iterator[Recording]:
    """While the block runs, WeasyPrint builds its structure tree through a recorder.

    ``weasyprint.pdf.generate_pdf`` calls the module's ``add_tags``; for the
    length of the block that name is a wrapper that hands the original a
    :class:`RecordingPdf` and each page a :class:`PoppedTags`, so the
    finisher learns which box made which element and painted which MCID
    from the one run there is. The name is put back however the block ends.
    """
    import weasyprint.pdf as weasyprint_pdf

    original = weasyprint_pdf.add_tags
    if original is not add_tags:
        raise TagPairingError("weasyprint.pdf.add_tags is not WeasyPrint 70's tag builder")
    recording = Recording()

    def recorded(pdf: pydyf.PDF, document: Any, pdf_version: Any, page_streams: list) -> None:
        for page, stream in enumerate(page_streams):
            stream._tags = PoppedTags(stream._tags, page, recording.painted)
        original(RecordingPdf(pdf, recording.made), document, pdf_version, page_streams)

    weasyprint_pdf.add_tags = recorded
    try:
        yield recording
    finally:
        weasyprint_pdf.add_tags = original


def write_tagged(document: Any, finisher: Any = None) -> bytes:
    """``document`` (a laid-out ``weasyprint.Document``) as PDF/UA-1 with the gaps closed;
    ``finisher`` (optional) runs after :func:`finish_tags`."""
    with recording_tags() as recording:
        def finish(document: Any, pdf: pydyf.PDF) -> None:
            finish_tags(document, pdf, recording)
            if finisher is not None:
                finisher(document, pdf)

        return document.write_pdf(pdf_variant="pdf/ua-1", finisher=finish)


def pair(tree: Tree, recording: Recording) -> Pairing:
    """Every marked-content sequence and structure element with its box, as recorded;
    checked against the tree before anything is changed."""
    made_for = {}
    object_references = set()
    for pdf_object, box in recording.made:
        kind = pdf_object.get("Type") if isinstance(pdf_object, pydyf.Dictionary) else None
        if kind == "/StructElem":
            if box is None and pdf_object is not tree.document:
                raise TagPairingError("WeasyPrint's builder made a structure element without a box")
            made_for[pdf_object.number] = box
        elif kind == "/OBJR":
            object_references.add(pdf_object.reference)
    leaves = tuple(Leaf(page, mcid, box) for page, box, mcid in recording.painted)
    for leaf in leaves:
        nums = tree.page_nums[leaf.page]
        if leaf.mcid >= len(nums) or nums[leaf.mcid] == NULL or number(nums[leaf.mcid]) not in made_for:
            raise TagPairingError(f"MCID {leaf.mcid} on page {leaf.page + 1} is not in a recorded element")
    return Pairing(leaves, frozenset(object_references), made_for)


# --- margin boxes and decorative images become artifacts --------------------

@dataclass(frozen=True)
class FoundBoxes:
    """What the fixes look for in the laid-out boxes, found in one walk (:func:`find_boxes`)."""

    margins: dict  # id(box) -> "Header", "Footer" or "" for everything in a page margin box
    repeats: set  # id(box) for everything in a ``position: fixed`` box after its first page
    links: list  # the boxes with a link annotation, in document order
    lines: tuple  # every line box, in document order (13: :func:`line_ends`)


def find_boxes(document: Any) -> FoundBoxes:
    """:class:`FoundBoxes` of ``document``, each page's boxes walked once."""
    margins: dict[int, str] = {}
    repeats: set[int] = set()
    links = []
    lines = []
    seen: set[int] = set()  # id() of the HTML elements of fixed boxes on earlier pages
    for page in document.pages:
        fixed = []
        for box in walk(page._page_box):
            if box.style["position"] == "fixed":
                fixed.append(box)
            if getattr(box, "link_annotation", None) is not None:
                links.append(box)
            if isinstance(box, boxes.LineBox):
                lines.append(box)
        for margin in page._page_box.children:
            if isinstance(margin, boxes.MarginBox):
                subtype = margin_subtype(margin.at_keyword)
                margins.update((id(box), subtype) for box in walk(margin))
        for box in fixed:
            if id(box.element) in seen:
                repeats.update(id(inner) for inner in walk(box))
        seen.update(id(box.element) for box in fixed)
    return FoundBoxes(margins, repeats, links, tuple(lines))


def margin_subtype(at_keyword: str) -> str:
    if at_keyword.startswith("@top"):
        return "Header"
    if at_keyword.startswith("@bottom"):
        return "Footer"
    return ""


def pagination(subtype: str) -> pydyf.Dictionary:
    properties = pydyf.Dictionary({"Type": "/Pagination"})
    if subtype:
        properties["Subtype"] = f"/{subtype}"
    return properties


def is_decorative(box: Any) -> bool:
    if not isinstance(box, boxes.ReplacedBox) or box.element is None:
        return False
    attributes = box.element.attrib
    alt = attributes.get("alt")
    return ((alt is not None and not alt.strip())
            or attributes.get("role", "").strip().lower() in DECORATIVE_ROLES
            or attributes.get("aria-hidden", "").strip().lower() == "true")


def make_artifact(tree: Tree, leaf: Leaf, properties: pydyf.Dictionary) -> None:
    """Turn one marked-content sequence into an artifact and untag it."""
    element = holder(tree, leaf)
    if element is None:
        return
    stream = tree.streams[leaf.page].stream
    index = tree.properties[leaf.page][leaf.mcid]
    stream[index - 1] = "/Artifact"
    stream[index] = properties
    tree.page_nums[leaf.page][leaf.mcid] = NULL
    page_ref = tree.page_refs[leaf.page]
    element["K"][:] = [k for k in element["K"] if not holds(element, k, page_ref, leaf.mcid)]
    prune(tree, element)


def remove_kid(element: pydyf.Dictionary, kid: Any) -> None:
    element["K"][:] = [k for k in element["K"] if k != kid]


def discard(tree: Tree, pdf_object: pydyf.Dictionary) -> None:
    """Empty an object that nothing refers to any more; :func:`compact` drops it at the end."""
    pdf_object.clear()
    tree.discarded.append(pdf_object)


def compact(tree: Tree, pdf: pydyf.PDF) -> None:
    """Drop the discarded objects and number the objects after the first of them anew.

    The structure tree is the last thing WeasyPrint adds (only the XMP metadata
    comes after it), so that is where the folds leave their holes. Left in place,
    each would be ``<<>>`` in the object stream or a free entry in the
    cross-reference stream, a few bytes each, hundreds of them. References
    are plain ``b"n 0 R"`` values in dictionaries and arrays (and the page
    tree's ``n 0 R`` triples); every one that points at a moved object is
    rewritten. A reference in any other form to a moved object, or one to a
    discarded object, means the objects are not what this module knows:
    :class:`TagPairingError`.
    """
    gone = {id(pdf_object) for pdf_object in tree.discarded}
    if not gone:
        return
    objects = pdf.objects
    first = next(index for index, pdf_object in enumerate(objects) if id(pdf_object) in gone)
    kept = [pdf_object for pdf_object in objects[first:] if id(pdf_object) not in gone]
    moved = {pdf_object.number: first + index for index, pdf_object in enumerate(kept)}
    renumbering = plan_renumbering(moved, {pdf_object.number for pdf_object in tree.discarded}, first)
    for pdf_object in objects:
        value = pdf_object.extra if isinstance(pdf_object, pydyf.Stream) else pdf_object
        if id(pdf_object) not in gone and isinstance(value, (dict, list)):
            renumber_references(value, renumbering)
    objects[first:] = kept
    for index, pdf_object in enumerate(kept, start=first):
        pdf_object.number = index
    tree.discarded.clear()


@dataclass(frozen=True)
class Renumbering:
    """What :func:`compact` moves: object numbers, and the same as references."""

    moved: dict  # old number -> new number
    dropped: set  # numbers of the discarded objects
    first: int  # the first number that moves or goes
    references: dict  # b"old 0 R" -> b"new 0 R" for every moved object
    unmoved: set  # b"n 0 R" for every object before ``first``


def plan_renumbering(moved: dict[int, int], dropped: set[int], first: int) -> Renumbering:
    """The :class:`Renumbering` for ``moved`` (old number -> new) and ``dropped`` numbers, the
    references written out once so each one in the file is a dictionary lookup."""
    return Renumbering(moved, dropped, first, {b"%d 0 R" % old: b"%d 0 R" % new for old, new in moved.items()},
                       {b"%d 0 R" % old for old in range(first)})


NUMBERS = frozenset({int, float})


def renumber_references(value: Any, renumbering: Renumbering) -> None:
    """Rewrite, in place, the references in ``value`` (a dictionary or an array) to moved objects."""
    references, unmoved = renumbering.references, renumbering.unmoved
    pending = [value]
    while pending:
        container = pending.pop()
        triples = False
        if isinstance(container, list):
            triples = "R" in container  # a page tree's ``n 0 R``
            if not triples and NUMBERS.issuperset(map(type, container)):  # a font's widths
                continue
            items = enumerate(container)
        else:
            items = container.items()
        for key, item in items:
            if isinstance(item, bytes):
                if item in references:
                    container[key] = references[item]
                elif item not in unmoved and b" R" in item:
                    check_reference(item, renumbering)
            elif isinstance(item, (dict, list)):
                pending.append(item)
            elif (triples and isinstance(item, int) and item >= renumbering.first
                  and container[key + 1:key + 3] == [0, "R"]):
                if item in renumbering.dropped:
                    raise TagPairingError(f"object {item} was dropped but is still referenced")
                container[key] = renumbering.moved.get(item, item)


def check_reference(item: bytes, renumbering: Renumbering) -> None:
    """Raise if ``item`` (not a plain reference to an object that moves or stays) may point
    at an object that moved or went."""
    match = REFERENCE.fullmatch(item)
    if match is None:
        if any(int(n) >= renumbering.first for n in EMBEDDED_REFERENCE.findall(item)):
            raise TagPairingError(f"a reference in an unknown form: {item[:60]!r}")
    elif int(match.group(1)) in renumbering.dropped:
        raise TagPairingError(f"object {int(match.group(1))} was dropped but is still referenced")


def prune(tree: Tree, element: pydyf.Dictionary) -> None:
    """Drop ``element`` and then its ancestors while they are left empty."""
    while element is not tree.document and not element["K"]:
        parent = tree.objects[number(element["P"])]
        remove_kid(parent, element.reference)
        discard(tree, element)
        element = parent


# --- links --------------------------------------------------------------------

def merge_link_annotations(tree: Tree, pdf: pydyf.PDF, object_references: frozenset) -> None:
    """Give every link annotation a ``Link`` element; merge duplicates.
    ``object_references``: :attr:`Pairing.object_references`."""
    for element in list(elements(tree)):
        if element.get("S") == "/Link":
            continue
        for kid in list(element["K"]):
            if not (isinstance(kid, bytes) and kid in object_references):
                continue
            objr = tree.objects[number(kid)]
            annotation = tree.objects[number(objr["Obj"])]
            if annotation.get("Subtype") != "/Link":
                continue
            link = ancestor(tree, element, "/Link")
            twin = same_target(tree, link, annotation) if link is not None else None
            if twin is not None:
                drop_annotation(tree, element, objr, annotation, twin)
            else:
                wrap_in_link(tree, pdf, element, objr, annotation, link)


def elements(tree: Tree) -> Iterator[pydyf.Dictionary]:
    """Every structure element, the document first (each element before its kids)."""
    objects = tree.objects
    stack = [tree.document]
    while stack:
        element = stack.pop()
        yield element
        for reference in element["K"]:
            if isinstance(reference, bytes):
                kid = objects[int(reference[:-4])]  # :func:`number`, inlined: the hottest loop here
                if kid.get("Type") == "/StructElem":
                    stack.append(kid)


def scope_headers(final: list[pydyf.Dictionary], made_for: dict) -> None:
    """Each ``TH`` its ``/Scope``, from the ``scope`` of the cell it was made for."""
    for element in final:
        if element.get("S") == "/TH":
            cell = getattr(made_for.get(element.number), "element", None)
            scope = "/Row" if cell is not None and cell.get("scope") == "row" else "/Column"
            element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope


def ancestor(tree: Tree, element: pydyf.Dictionary, structure_type: str) -> pydyf.Dictionary | None:
    while element is not tree.document:
        element = tree.objects[number(element["P"])]
        if element.get("S") == structure_type:
            return element
    return None


def target(annotation: pydyf.Dictionary) -> bytes:
    if "Dest" in annotation:
        return annotation["Dest"].data
    return annotation["A"]["URI"].data


def same_target(tree: Tree, link: pydyf.Dictionary, annotation: pydyf.Dictionary) -> pydyf.Dictionary | None:
    for kid in link["K"]:
        if isinstance(kid, bytes):
            objr = tree.objects[number(kid)]
            if objr.get("Type") == "/OBJR":
                other = tree.objects[number(objr["Obj"])]
                if other.get("Subtype") == "/Link" and target(other) == target(annotation):
                    return other
    return None


def drop_annotation(tree: Tree, element: pydyf.Dictionary, objr: pydyf.Dictionary,
                    annotation: pydyf.Dictionary, kept: pydyf.Dictionary) -> None:
    kept["Rect"] = union(kept["Rect"], annotation["Rect"])
    page = tree.objects[number(objr["Pg"])]
    page["Annots"][:] = [ref for ref in page["Annots"] if ref != annotation.reference]
    if not page["Annots"]:
        del page["Annots"]
    key = annotation.get("StructParent")
    pairs = [(k, v) for k, v in zip(tree.nums[::2], tree.nums[1::2]) if k != key]
    tree.nums[:] = [item for pair in pairs for item in pair]
    remove_kid(element, objr.reference)
    discard(tree, objr)
    discard(tree, annotation)


def union(first: list, second: list) -> pydyf.Array:
    xs = [first[0], first[2], second[0], second[2]]
    ys = [first[1], first[3], second[1], second[3]]
    return pydyf.Array([min(xs), min(ys), max(xs), max(ys)])


def wrap_in_link(tree: Tree, pdf: pydyf.PDF, element: pydyf.Dictionary, objr: pydyf.Dictionary,
                 annotation: pydyf.Dictionary, link: pydyf.Dictionary | None) -> None:
    """Move the annotation's OBJR to ``link``, or to a new ``Link`` around ``element``."""
    remove_kid(element, objr.reference)
    if link is None:
        parent = tree.objects[number(element["P"])]
        link = pydyf.Dictionary({"Type": "/StructElem", "S": "/Link", "K": pydyf.Array([element.reference]),
                                 "P": parent.reference, "Pg": element["Pg"]})
        pdf.add_object(link)
        parent["K"][:] = [link.reference if k == element.reference else k for k in parent["K"]]
        element["P"] = link.reference
    link["K"].insert(0, objr.reference)
    point_annotation(tree, annotation, link)


def link_elements(links: list) -> dict[int, Any]:
    """id(link annotation) -> the HTML element it was made for (``links``: :attr:`FoundBoxes.links`)."""
    return {id(box.link_annotation): box.element for box in links}


def join_split_links(tree: Tree, made_for: dict[int, Any]) -> None:
    """One ``Link`` for one HTML link, even when it breaks over lines."""
    for element in list(elements(tree)):
        kids = element.get("K", ())
        if len(kids) < 2:
            continue
        index = 1
        first = link_source(tree, kids[0], made_for)
        while index < len(kids):
            second = link_source(tree, kids[index], made_for)
            if first is not None and first == second:  # the first keeps its annotation, so its source
                absorb(tree, tree.objects[number(kids[index - 1])], tree.objects[number(kids[index])])
                del kids[index]
            else:
                first = second
                index += 1


def join_split_spans(tree: Tree, made_for: dict) -> None:
    """One ``Span`` with ``/Lang`` for one HTML element, even when it breaks over lines.

    WeasyPrint makes an element per box, and an inline element broken over
    two lines is two boxes: a screen reader would switch language twice
    within ``<span lang="en">brain-derived neurotrophic factor</span>``.
    Two neighbouring kids that are ``Span`` elements with the same ``/Lang``,
    made for boxes of the same HTML element (``made_for``: structure element
    number -> box), become the first of them.
    """
    for element in list(elements(tree)):
        kids = element.get("K", ())
        index = 1
        while index < len(kids):
            first, second = element_of(tree, kids[index - 1]), element_of(tree, kids[index])
            if same_language_span(first, second, made_for):
                absorb(tree, first, second)
                del kids[index]
            else:
                index += 1


def same_language_span(first: Any, second: Any, made_for: dict) -> bool:
    if first is None or second is None or not first.get("S") == second.get("S") == "/Span":
        return False
    if "Lang" not in first or "Lang" not in second or first["Lang"].string != second["Lang"].string:
        return False
    html = getattr(made_for.get(first.number), "element", None)
    return html is not None and html is getattr(made_for.get(second.number), "element", None)


def link_source(tree: Tree, kid: Any, made_for: dict[int, Any]) -> int | None:
    """id() of the HTML element a ``Link`` kid was made for, if it is one."""
    element = tree.objects[number(kid)] if isinstance(kid, bytes) else None
    if element is None or element.get("S") != "/Link":
        return None
    for objr in (tree.objects[number(k)] for k in element["K"] if isinstance(k, bytes)):
        if objr.get("Type") == "/OBJR":
            html = made_for.get(id(tree.objects[number(objr["Obj"])]))
            return None if html is None else id(html)
    return None


def absorb(tree: Tree, first: pydyf.Dictionary, second: pydyf.Dictionary) -> None:
    """Move all of ``second``'s kids to the end of ``first`` and empty ``second``."""
    page = tree.page_index[second["Pg"]]
    for kid in second["K"]:
        if isinstance(kid, int):
            tree.page_nums[page][kid] = first.reference
            if second["Pg"] != first["Pg"]:
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": second["Pg"], "MCID": kid})
        elif isinstance(kid, pydyf.Dictionary):  # an MCR from an earlier merge
            tree.page_nums[tree.page_index[kid["Pg"]]][kid["MCID"]] = first.reference
            if kid["Pg"] == first["Pg"]:
                kid = kid["MCID"]
        elif tree.objects[number(kid)].get("Type") == "/OBJR":
            point_annotation(tree, tree.objects[number(tree.objects[number(kid)]["Obj"])], first)
        else:
            tree.objects[number(kid)]["P"] = first.reference
        first["K"].append(kid)
    discard(tree, second)


def describe_links(links: list) -> None:
    """Set each link annotation's ``/Contents`` to the link's words (``links``: :attr:`FoundBoxes.links`)."""
    for box in links:
        annotation = box.link_annotation
        if annotation and box.element is not None and "Subtype" in annotation:
            words = link_words(box.element)
            if words:
                annotation["Contents"] = TextString(words)


def link_words(element: Any) -> str:
    label = element.get("aria-label", "").strip()
    if label:
        return label
    words = collapse_white_space(" ".join(element_words(element)))
    return words or collapse_white_space(element.get("title", ""))


def element_words(element: Any) -> Iterator[str]:
    if local_name(element.tag) == "img":
        yield element.get("alt", "")
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            yield from element_words(child)
        yield child.tail or ""


def local_name(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


# --- figures with captions ----------------------------------------------------

def fold_figure(tree: Tree, figure: pydyf.Dictionary, blanks: dict[int, Leaf]) -> None:
    """Make the wrapper holding just this image and its caption(s) the Figure.

    Blank text next to the image (the space an inline image leaves on its
    line) may sit in the wrappers too; it becomes an artifact.
    """
    if figure.get("S") != "/Figure":
        return
    chain, top = [figure], figure
    captions, spaces = [], []
    while top is not tree.document:
        parent = tree.objects[number(top["P"])]
        others = [k for k in parent["K"] if k != top.reference]
        if parent.get("S") != "/NonStruct" or not all(
                is_caption(tree, k) or number_of(k) in blanks for k in others):
            break
        captions += [k for k in others if is_caption(tree, k)]
        spaces += [blanks[n] for k in others if (n := number_of(k)) is not None and n in blanks]
        chain.append(parent)
        top = parent
    if not captions:
        return
    for leaf in spaces:
        make_artifact(tree, leaf, pydyf.Dictionary())
    kids = pydyf.Array(flatten(tree, top, chain, figure))
    for kid in kids:
        if isinstance(kid, bytes):
            tree.objects[number(kid)]["P"] = top.reference
    page = tree.page_index[figure["Pg"]]
    for kid in figure["K"]:
        if isinstance(kid, int):
            tree.page_nums[page][kid] = top.reference
    for key in ("Alt", "ActualText", "A"):
        if key in figure:
            top[key] = figure[key]
    top["S"] = "/Figure"
    top["Pg"] = figure["Pg"]
    top["K"] = kids
    for element in chain[:-1]:
        discard(tree, element)


def is_blank(leaf: Leaf, tree: Tree) -> bool:
    """Whitespace alone in a ``Span`` of its own."""
    element = holder(tree, leaf) if isinstance(leaf.box, boxes.TextBox) and not leaf.box.text.strip() else None
    return element is not None and element.get("S") == "/Span"


def is_caption(tree: Tree, kid: Any) -> bool:
    return isinstance(kid, bytes) and tree.objects[number(kid)].get("S") == "/Caption"


def flatten(tree: Tree, element: pydyf.Dictionary, chain: list, figure: pydyf.Dictionary) -> Iterator[Any]:
    for kid in element["K"]:
        child = tree.objects[number(kid)] if isinstance(kid, bytes) else None
        if child is not None and child is figure:
            yield from figure["K"]
        elif child is not None and any(child is wrapper for wrapper in chain):
            yield from flatten(tree, child, chain, figure)
        else:
            yield kid


# --- elements split by a page break ------------------------------------------------

UNSPLIT = frozenset({"/Span", "/Link", "/Figure", "/Lbl"})
REPEATED = frozenset({"/THead", "/TFoot"})


def join_fragments(tree: Tree, parent: pydyf.Dictionary, made_for: dict) -> None:
    """One structure element per HTML element, even across page breaks.

    WeasyPrint builds the tree page by page, so a paragraph, list, table or
    ``main`` that runs onto the next page comes out as one element per page.
    Where the last kid on one page and the first on the next were made for
    the same HTML element, the second is merged into the first, and so on
    down. A table header (or footer) repeated on the next page becomes a
    pagination artifact.
    """
    kids = parent["K"]
    index = 1
    while index < len(kids):
        before = index - 1
        while before > 0 and out_of_flow(made_for.get(number_of(kids[before]))):
            before -= 1
        first, second = element_of(tree, kids[before]), element_of(tree, kids[index])
        if continues(first, second, made_for):
            merge_fragment(tree, first, second, made_for)
            del kids[index]
        else:
            index += 1


def number_of(kid: Any) -> int | None:
    return number(kid) if isinstance(kid, bytes) else None


def out_of_flow(box: Any) -> bool:
    """Footnotes and fixed or absolute boxes: they may sit between two fragments."""
    if box is None:
        return False
    style = box.style
    return (isinstance(box, boxes.FootnoteAreaBox) or style["position"] in ("fixed", "absolute")
            or style["float"] == "footnote")


def element_of(tree: Tree, kid: Any) -> pydyf.Dictionary | None:
    if not isinstance(kid, bytes):
        return None
    element = tree.objects[number(kid)]
    return element if element.get("Type") == "/StructElem" else None


def continues(first: Any, second: Any, made_for: dict) -> bool:
    if first is None or second is None or first.get("Pg") == second.get("Pg"):
        return False
    if first.get("S") != second.get("S") or first.get("S") in UNSPLIT:
        return False
    html = getattr(made_for.get(first.number), "element", None)
    return html is not None and html is getattr(made_for.get(second.number), "element", None)


def merge_fragment(tree: Tree, first: pydyf.Dictionary, second: pydyf.Dictionary, made_for: dict) -> None:
    drop_repeats(tree, first, second, made_for)
    boundary = len(first["K"])
    absorb(tree, first, second)
    if boundary:
        join_fragments_at(tree, first, boundary, made_for)


def join_fragments_at(tree: Tree, parent: pydyf.Dictionary, boundary: int, made_for: dict) -> None:
    kids = parent["K"]
    first, second = (element_of(tree, kid) for kid in kids[boundary - 1:boundary + 1])
    if continues(first, second, made_for):
        merge_fragment(tree, first, second, made_for)
        del kids[boundary]


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


def point_annotation(tree: Tree, annotation: pydyf.Dictionary, link: pydyf.Dictionary) -> None:
    """Make the parent tree lead ``annotation`` to ``link``."""
    key = annotation.get("StructParent")
    for index in range(0, len(tree.nums), 2):
        if tree.nums[index] == key:
            tree.nums[index + 1] = link.reference


# --- languages ------------------------------------------------------------------

def set_languages(tree: Tree, leaves: list[Leaf], default: str, made_for: dict | None = None) -> None:
    """Put ``/Lang`` on the outermost elements whose content is all in one other language.

    Each leaf's language goes up from the element that holds it (the parent
    tree) along ``/P`` to the root, stopping where it is known already, so
    every element learns the languages of its content. Only an element with
    content in a language other than the document's (``default``; letter
    case does not count) can need ``/Lang``: one whose content is all in one
    such language gets it, and what lies below it is in that language too.

    Such an element made for an inline box (``made_for``: structure element
    number -> box) that WeasyPrint tagged ``NonStruct`` (``<i>`` around
    ``<span lang="en">``: the ``i`` is the outermost element all in English)
    becomes a ``Span``, the inline element of the standard for a run of text
    with attributes of its own.
    """
    found: dict[int, set] = {}  # element number -> the languages of its content
    for leaf in leaves:
        element = holder(tree, leaf)
        lang = leaf.box.style["lang"] or default
        while element is not None:
            langs = found.setdefault(element.number, set())
            if lang in langs:
                break
            langs.add(lang)
            element = None if element is tree.document else tree.objects[number(element["P"])]
    other = {element for element, langs in found.items()
             if any(lang.lower() != default.lower() for lang in langs)}
    stack = [tree.document] if tree.document.number in other else []
    while stack:
        element = stack.pop()
        langs = found[element.number]
        if len(langs) == 1:
            element["Lang"] = pydyf.String(next(iter(langs)))
            if element.get("S") == "/NonStruct" and isinstance((made_for or {}).get(element.number), boxes.InlineBox):
                element["S"] = "/Span"
            continue
        stack.extend(kid for kid in (tree.objects[number(k)] for k in element["K"] if isinstance(k, bytes))
                     if kid.number in other)


# --- plain spans ---------------------------------------------------------------

SILENT_KEYS = frozenset({"Type", "S", "P", "K", "Pg"})
# Elements that group other elements: marked content is never handed to one of these.
GROUPING = frozenset({"/Document", "/Part", "/Art", "/Sect", "/Div", "/L", "/Table", "/THead",
                      "/TBody", "/TFoot", "/TR", "/TOC", "/Index", "/Form"})


def is_content(kid: Any) -> bool:
    """An MCID kid: a plain integer or a marked-content reference."""
    return isinstance(kid, int) or (isinstance(kid, pydyf.Dictionary) and kid.get("Type") == "/MCR")


def plain_wrapper(tree: Tree, kid: Any) -> pydyf.Dictionary | None:
    """``kid`` if it is a ``Span`` or ``NonStruct`` that says nothing (no /Lang, /ActualText...)
    around marked content and structure elements (not annotations: their parent-tree entries
    would have to move too)."""
    if not isinstance(kid, bytes):
        return None
    wrapper = tree.objects[number(kid)]
    if wrapper.get("S") not in ("/Span", "/NonStruct") or not wrapper.keys() <= SILENT_KEYS:
        return None
    for content in wrapper["K"]:
        if isinstance(content, bytes):
            if tree.objects[number(content)].get("Type") != "/StructElem":
                return None
        elif not is_content(content):
            return None
    return wrapper


def fold_plain_wrappers(tree: Tree) -> None:
    """Hand what a plain ``Span`` or ``NonStruct`` holds to its parent and drop the wrapper.

    WeasyPrint makes one ``Span`` per text box, a line of a paragraph or a
    styled run, and a ``NonStruct`` per ``div`` or ``span`` that means
    nothing: each one more object in the file and in the parent tree. One
    that carries no attribute means nothing its parent holding the content
    directly does not (the standard reads a ``NonStruct``'s content as its
    parent's anyway); it goes, and so does one left empty. Marked content
    only goes to a parent that may hold content (a paragraph, a list body,
    a cell, a link...), never to a grouping element such as ``L`` or
    ``TR``. MCIDs on the parent's page become plain integers, others
    marked-content references, and the parent tree points at the parent.

    Children before parents, so a wrapper emptied of its own wrappers is
    plain when its parent's turn comes.
    """
    for element in reversed(list(elements(tree))):
        if "K" not in element:  # folded away already
            continue
        grouping = element.get("S") in GROUPING
        wrappers = {}  # position in the kids -> the plain wrapper there
        for position, kid in enumerate(element["K"]):
            wrapper = plain_wrapper(tree, kid) if isinstance(kid, bytes) else None
            if wrapper is not None and not (grouping and any(map(is_content, wrapper["K"]))):
                wrappers[position] = wrapper
        if not wrappers:
            continue
        reference = element.reference
        kids = []
        for position, kid in enumerate(element["K"]):
            wrapper = wrappers.get(position)
            if wrapper is None:
                kids.append(kid)
                continue
            for content in wrapper["K"]:
                if isinstance(content, bytes):
                    tree.objects[number(content)]["P"] = reference
                    kids.append(content)
                    continue
                page_ref, mcid = ((wrapper["Pg"], content) if isinstance(content, int)
                                  else (content["Pg"], content["MCID"]))
                if "Pg" not in element and not any(isinstance(k, int) for k in element["K"]):
                    element["Pg"] = page_ref
                if page_ref == element.get("Pg"):
                    kids.append(mcid)
                else:
                    kids.append(pydyf.Dictionary({"Type": "/MCR", "Pg": page_ref, "MCID": mcid}))
                tree.page_nums[tree.page_index[page_ref]][mcid] = reference
            discard(tree, wrapper)
        element["K"][:] = kids


def join_marked_content(tree: Tree) -> None:
    """Make one marked-content sequence of two that follow each other and belong to one element.

    WeasyPrint opens a sequence per text box: ``EMC /Span <</MCID n>> BDC``
    between two lines of one paragraph is 30 bytes, an entry in the parent
    tree and one in the paragraph's kids, for nothing. Only where the second
    sequence opens right where the first closes, and where both MCIDs follow
    each other in the element's kids (so the reading order stays the same).
    """
    for page, stream in enumerate(tree.streams):
        items = stream.stream
        nums = tree.page_nums[page]
        page_ref = tree.page_refs[page]
        joins: list[int] = []  # where an ``EMC /Tag <<MCID>> BDC`` run goes
        opened: list = []  # MCID (or None) of every sequence open at this point
        absorbed_opening = -1  # the BDC of the last join: it opens nothing
        markers = tree.markers[page]
        for index in markers:
            if index == absorbed_opening:
                continue
            item = items[index]
            if item == b"EMC" and opened:
                closed = opened.pop()
                following = items[index + 1:index + 4]
                position = (joinable(tree, nums, page_ref, closed, following[1]["MCID"])
                            if (closed is not None and len(following) == 3 and following[2] == b"BDC"
                                and isinstance(following[1], pydyf.Dictionary) and "MCID" in following[1])
                            else None)
                if position is not None:
                    absorbed = following[1]["MCID"]
                    del tree.objects[number(nums[absorbed])]["K"][position]
                    nums[absorbed] = NULL
                    opened.append(closed)  # the sequence goes on
                    joins.append(index)
                    absorbed_opening = index + 3
            elif item == b"BDC":
                properties = items[index - 1] if index else None
                opened.append(properties.get("MCID") if isinstance(properties, pydyf.Dictionary) else None)
            elif item == b"BMC":
                opened.append(None)
        for index in reversed(joins):
            del items[index:index + 4]
        markers[:] = after_joins(markers, joins)


def after_joins(markers: list[int], joins: list[int]) -> list[int]:
    """``markers`` once the four items at each of ``joins`` (``EMC /Tag <<MCID>> BDC``) are gone."""
    moved, shift, pending = [], 0, iter(joins)
    join = next(pending, None)
    for index in markers:
        while join is not None and index >= join + 4:
            shift += 4
            join = next(pending, None)
        if join is not None and join <= index < join + 4:
            continue
        moved.append(index - shift)
    return moved


def number_marked_content(tree: Tree, final: list[pydyf.Dictionary]) -> None:
    """Number each page's MCIDs 0, 1, 2... again, in the order they had.

    Joins, folds and artifacts leave most MCIDs unused (a real leaflet: 273 of
    436); each is a ``null`` in the parent tree. The content stream, the
    elements' kids and the parent tree are renumbered together; an MCID
    painted but not in the parent tree is not renumbered but an error.
    ``final``: every structure element (:func:`elements`).
    """
    renumbered = []
    for nums in tree.page_nums:
        live = [mcid for mcid, reference in enumerate(nums) if reference != NULL]
        renumbered.append({old: new for new, old in enumerate(live)})
        nums[:] = [nums[mcid] for mcid in live]
    for page, stream in enumerate(tree.streams):
        for item in property_lists(stream.stream, tree.markers[page]):
            if item["MCID"] not in renumbered[page]:
                raise TagPairingError(f"MCID {item['MCID']} on page {page + 1} is painted but in no element")
            item["MCID"] = renumbered[page][item["MCID"]]
    for element in final:
        kids = element["K"]
        for position, kid in enumerate(kids):
            if isinstance(kid, int):
                kids[position] = renumbered[tree.page_index[element["Pg"]]][kid]
            elif isinstance(kid, pydyf.Dictionary) and kid.get("Type") == "/MCR":
                kid["MCID"] = renumbered[tree.page_index[kid["Pg"]]][kid["MCID"]]


def inline_object_references(tree: Tree, final: list[pydyf.Dictionary], object_references: frozenset) -> None:
    """Put each ``OBJR`` (a link's annotation) into its element's kids instead of an object
    of its own: nothing else refers to it, and an object costs bytes in two places.
    ``final``: every structure element (:func:`elements`); ``object_references``:
    :attr:`Pairing.object_references`."""
    for element in final:
        kids = element["K"]
        for position, kid in enumerate(kids):
            if isinstance(kid, bytes) and kid in object_references:
                target = tree.objects[number(kid)]
                kids[position] = target
                tree.discarded.append(target)  # as an object; it lives on inside ``kids``


def joinable(tree: Tree, nums: Any, page_ref: Any, first: int, second: int) -> int | None:
    """Where MCID ``second`` stands in the kids of the element that holds both, if it
    follows ``first`` there; None if the two cannot be joined."""
    if not (first < len(nums) and second < len(nums)) or NULL in (nums[first], nums[second]):
        return None
    if nums[first] != nums[second]:
        return None
    element = tree.objects[number(nums[first])]
    kids = element["K"]
    position = content_position(element, page_ref, first)
    if position is None or position + 1 >= len(kids) or not holds(element, kids[position + 1], page_ref, second):
        return None
    return position + 1


def content_position(element: pydyf.Dictionary, page_ref: Any, mcid: int) -> int | None:
    """Where MCID ``mcid`` of page ``page_ref`` stands in ``element``'s kids (see :func:`holds`)."""
    kids = element["K"]
    if element.get("Pg") == page_ref and mcid in kids:
        return kids.index(mcid)  # a plain integer: a scan in C
    for position, kid in enumerate(kids):
        if isinstance(kid, pydyf.Dictionary) and holds(element, kid, page_ref, mcid):
            return position
    return None


# --- right-to-left text ---------------------------------------------------------

def needs_actual_text(text: str, rtl: bool = False) -> bool:
    """Whether pango may paint ``text`` in another order than it is written.

    WeasyPrint shapes every text box on its own, with the box's
    ``direction`` as the base direction (pango's automatic direction off).
    Left to right, only right-to-left letters, Arabic numbers and explicit
    bidi controls reorder anything. Right to left, Latin text keeps its
    order only if it begins and ends with a left-to-right letter: a
    hyphen, a space, a bracket or a number at either end resolves to the
    right-to-left base and moves (``lykos-`` where a URL breaks is painted
    ``-lykos``). Erring towards ``/ActualText`` is harmless: it is the
    logical text anyway.
    """
    if not rtl and text.isascii():  # no ASCII character reorders anything
        return False
    bidirectional = unicodedata.bidirectional
    if any(bidirectional(char) in REORDERING_CLASSES for char in text if not char.isascii()):
        return True
    return rtl and bool(text) and not (bidirectional(text[0]) == "L" and bidirectional(text[-1]) == "L")


def out_of_order(box: Any) -> bool:
    """Whether a text box may be painted in another order than it is written."""
    text = getattr(box, "text", None)
    return (isinstance(box, boxes.TextBox) and isinstance(text, str) and text != ""
            and needs_actual_text(text, box.style["direction"] == "rtl"))


def has_mirrored(text: str) -> bool:
    return any(unicodedata.mirrored(char) for char in text)


def misread_boxes(leaves: list[Leaf]) -> frozenset:
    """``id()`` of every text box of ``leaves`` whose glyphs, read in content-stream order
    through their ``/ToUnicode``, may not give its text as written (6).

    A box :func:`out_of_order`, and, once something in the document may paint a
    bracket with its mirror glyph, every box with a bidi-mirrored character: the
    ``/ToUnicode`` of mirrored glyphs cannot be trusted then. A character is
    mirrored only at a right-to-left level, and a box is shaped on its own, so
    only a box out of order can paint one mirrored (an Arabic word without
    brackets in a Dutch leaflet mirrors nothing).

    Each box is looked at once: the steps after ask this set, not the text, for
    every line (some 900 times per leaflet, most of the tag finisher's bidi work).
    """
    texts = {id(leaf.box): leaf.box for leaf in leaves if isinstance(leaf.box, boxes.TextBox) and leaf.box.text}
    reordered = frozenset(key for key, box in texts.items() if out_of_order(box))
    if not any(has_mirrored(texts[key].text) for key in reordered):
        return reordered
    return reordered | {key for key, box in texts.items() if has_mirrored(box.text)}


def set_actual_texts(tree: Tree, pdf: pydyf.PDF, leaves: list[Leaf], made_for: dict, misread: frozenset,
                     spaced: frozenset = frozenset()) -> None:
    """Give text that reads wrong its logical order as ``/ActualText`` (6).

    ``misread``: the boxes whose text reads wrong (:func:`misread_boxes`): painted
    out of order, or with a bracket whose mirror glyph the ``/ToUnicode`` may name.

    On the element that holds the text when it holds nothing but text (a
    paragraph, a heading, a cell: one string for all its lines); otherwise
    each line that reads wrong gets a ``Span`` of its own. Only on structure
    elements: poppler (``pdftotext``) reorders right-to-left glyphs itself,
    and an ``/ActualText`` in the content stream, being logical already,
    would come out reversed there.
    """
    texts = {(leaf.page, leaf.mcid): leaf.box.text for leaf in leaves
             if isinstance(leaf.box, boxes.TextBox) and leaf.box.text}
    groups: dict[int, tuple[pydyf.Dictionary, list[Leaf]]] = {}
    for leaf in leaves:
        element = holder(tree, leaf) if id(leaf.box) in misread else None
        if element is not None:  # None: made an artifact since (a repeated table header)
            groups.setdefault(id(element), (element, []))[1].append(leaf)
    for element, group in groups.values():
        text = logical_text(tree, element, texts, made_for.get(element.number))
        if text is not None:
            element["ActualText"] = TextString(text)
            continue
        for leaf in group:
            ending = " " if id(leaf.box) in spaced else ""  # 13: the space the line break swallowed
            wrap_mcid(tree, pdf, element, leaf)["ActualText"] = TextString(leaf.box.text + ending)


def logical_text(tree: Tree, element: pydyf.Dictionary, texts: dict, box: Any) -> str | None:
    """All of ``element``'s text as written, if it holds text only; None when unsure.

    One line is its own text. Several lines are put together along the
    HTML element the box was made for: each line must follow the one
    before it there, with nothing but white space between them (the space
    a line break swallowed); a hyphen that hyphenation added, text moved
    elsewhere or anything unexpected gives None, and the lines keep an
    ``/ActualText`` each.
    """
    pieces = []
    for kid in element["K"]:
        if isinstance(kid, int) and "Pg" in element:
            key = (tree.page_index[element["Pg"]], kid)
        elif is_content(kid) and not isinstance(kid, int):
            key = (tree.page_index[kid["Pg"]], kid["MCID"])
        else:
            return None
        if key not in texts:
            return None
        pieces.append(texts[key])
    if len(pieces) == 1:
        return pieces[0]
    source = getattr(box, "element", None)
    if not pieces or source is None:
        return None
    return follow(pieces, collapse_white_space("".join(source.itertext())))


def collapse_white_space(text: str) -> str:
    """``text`` as CSS ``white-space: normal`` lays it out (a no-break space is no white space)."""
    return " ".join(part for part in CSS_WHITE_SPACE.split(text) if part)


def follow(pieces: list[str], written: str) -> str | None:
    """``pieces`` joined as they stand in ``written`` (one space where ``written`` has one
    between two of them), or None unless they make up all of ``written``."""
    parts: list[str] = []
    cursor = 0
    for piece in pieces:
        start = written.find(piece, cursor)
        if start < 0 or written[cursor:start].strip(" "):
            return None
        if parts and start > cursor:
            parts.append(" ")
        parts.append(piece)
        cursor = start + len(piece)
    return None if written[cursor:].strip(" ") else "".join(parts)


# --- the spaces line breaks swallowed (13) -------------------------------------

def swallowed_spaces(tree: Tree, line_boxes: tuple, leaves: list[Leaf]) -> frozenset:
    """``id()`` of every text box after which a reader needs a space its marked content lacks.

    At the end of a line (the break swallowed the space), and before a blank
    text box in the line (:func:`is_blank_box`). ``line_boxes``: every line box in document
    order (:attr:`FoundBoxes.lines`); ``leaves``: the marked content in painting order.
    """
    lines, by_element = line_ends(line_boxes)
    alignments: dict[int, dict[int, tuple[int, int, bool]]] = {}
    texts = [leaf for leaf in leaves if isinstance(leaf.box, boxes.TextBox) and leaf.box.text]
    heard = [(index, leaf) for index, leaf in enumerate(texts) if not is_blank_box(leaf.box)]
    spaced = set()
    for (index, first), (after, second) in zip(heard, heard[1:]):
        here, there = lines.get(id(first.box)), lines.get(id(second.box))
        if here is None or there is None or CSS_WHITE_SPACE.fullmatch(first.box.text[-1]):
            continue
        if here[0] is there[0]:
            if after > index + 1:  # a blank box between them: the space between two inline elements
                spaced.add(id(first.box))
            continue
        if not here[1]:
            continue  # not the end of a line
        element = here[0].element
        if element is not None and element is there[0].element:
            if id(element) not in alignments:
                alignments[id(element)] = align(element, by_element[id(element)])
            if white_space_between(alignments[id(element)], first.box, second.box):
                spaced.add(id(first.box))
        elif holder(tree, first) is not None and holder(tree, first) is holder(tree, second):
            spaced.add(id(first.box))
    return frozenset(spaced)


def is_blank_box(box: Any) -> bool:
    """A text box of white space alone that no reader hears: WeasyPrint paints nothing for it
    (``draw_first_line`` skips text that is all white space), so its marked content is empty.

    Such a box is the space between two inline elements (``</span> <i>``, ``</b> <i>``);
    the text before it gets the space. Not one that may be painted out of order: that one
    gets ``/ActualText`` with its space (6).
    """
    return not box.text.strip() and not out_of_order(box)


def end_actual_texts_with_spaces(tree: Tree, leaves: list[Leaf], spaced: frozenset) -> None:
    """End with a space the ``/ActualText`` of each element whose last text is a line in ``spaced``.

    An element's ``/ActualText`` (6) replaces its content, so the space glyph
    :func:`put_back_spaces` painted after its last line is not read, and the
    lines put together have spaces only between them. Where the element ends at
    such a line and the text after it is in another element (a ``Span`` of
    another language broken over lines is one element per line), the space
    goes at the end of the ``/ActualText``.
    """
    for leaf in leaves:
        element = holder(tree, leaf) if id(leaf.box) in spaced else None
        actual = element.get("ActualText") if element is not None else None
        if (element is not None and isinstance(actual, pydyf.String) and actual.string
                and not actual.string[-1].isspace()
                and element["K"] and holds(element, element["K"][-1], tree.page_refs[leaf.page], leaf.mcid)):
            element["ActualText"] = TextString(actual.string + " ")


def line_ends(line_boxes: tuple) -> tuple[dict[int, tuple[Any, bool]], dict[int, list]]:
    """``id()`` of every text box in one of ``line_boxes`` (line boxes in document order) -> (its
    line box, whether it is the line's last text); and ``id()`` of each HTML element -> the
    text boxes of its lines, in order. Blank boxes (:func:`is_blank_box`) are left out: they
    hold nothing a reader hears."""
    found: dict[int, tuple[Any, bool]] = {}
    by_element: dict[int, list] = {}
    for box in line_boxes:
        texts = [text for text in inline_texts(box) if text.text and not is_blank_box(text)]
        found.update((id(text), (box, index == len(texts) - 1)) for index, text in enumerate(texts))
        by_element.setdefault(id(box.element), []).extend(texts)
    return found, by_element


def inline_texts(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from inline_texts(child)


def align(element: Any, texts: list) -> dict[int, tuple[int, int, bool]]:
    """``id()`` of each of ``texts`` (an element's text boxes in order) -> (start, end, and
    whether only white space stands before it since the box before) in ``element``'s text."""
    written = collapse_white_space(written_text(element))
    placed: dict[int, tuple[int, int, bool]] = {}
    cursor, lost = 0, False
    for box in texts:
        start = written.find(box.text, cursor)
        if start < 0:
            lost = True  # a list marker, text-transform: not in the HTML as it is painted
            continue
        placed[id(box)] = (start, start + len(box.text), not lost and not written[cursor:start].strip(" "))
        cursor, lost = start + len(box.text), False
    return placed


def white_space_between(placed: dict, first: Any, second: Any) -> bool:
    if id(first) not in placed or id(second) not in placed:
        return False
    start, _, sure = placed[id(second)]
    return sure and start > placed[id(first)][1]


def written_text(element: Any) -> str:
    """The text of an HTML element as written, a ``<br>`` as a space."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(" " if local_name(child.tag) == "br" else written_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def put_back_spaces(tree: Tree, pdf: pydyf.PDF, document: Any, leaves: list[Leaf], spaced: frozenset,
                    misread: frozenset) -> None:
    """Paint the font's space glyph after the last glyph of every line in ``spaced``.

    Not where the text may be painted out of order: its ``/ActualText`` carries the space.
    A line whose font has no space glyph (a bold word that ends a line and holds no
    space) gets a ``Span`` with ``/ActualText``: tag readers get the space, viewers not.
    """
    glyphs = space_glyphs(document)
    for leaf in leaves:
        if id(leaf.box) not in spaced or id(leaf.box) in misread:
            continue
        items = tree.streams[leaf.page].stream
        shown = last_text_shown(items, tree.properties[leaf.page][leaf.mcid] + 2)
        font = current_font(items, shown) if shown is not None else None
        if font in glyphs:
            items[shown] = items[shown][:-len(b"] TJ")] + glyphs[font] + b"] TJ"
        elif (element := holder(tree, leaf)) is not None:
            wrap_mcid(tree, pdf, element, leaf)["ActualText"] = TextString(f"{leaf.box.text} ")


def space_glyphs(document: Any) -> dict[bytes, bytes]:
    """Font resource name -> its space glyph as written in a ``TJ`` string (``<0003>``), for
    the fonts that painted a space (only those have it in their subset and ``/ToUnicode``)."""
    found = {}
    for font in document.fonts.values():
        codes = sorted(glyph for glyph, text in font.to_unicode.items() if text == " ")
        if codes:
            found[font.hash.encode()] = b"<%0*x>" % (2 if font.bitmap else 4, codes[0])
    return found


def last_text_shown(items: list, start: int) -> int | None:
    """Where the last ``TJ`` of the marked-content sequence whose content starts at ``start`` is."""
    depth, last = 0, None
    for index in range(start, len(items)):
        item = items[index]
        if item in (b"BDC", b"BMC"):
            depth += 1
        elif item == b"EMC":
            if depth == 0:
                return last
            depth -= 1
        elif isinstance(item, bytes) and item.endswith(b"] TJ"):
            last = index
    return last


def current_font(items: list, index: int) -> bytes | None:
    """The font resource name of the last ``Tf`` before ``items[index]``."""
    for position in range(index - 1, -1, -1):
        item = items[position]
        if isinstance(item, bytes) and item.endswith(b" Tf"):
            return item.split()[0][1:]
    return None


class TextString(pydyf.String):
    """A PDF text string, written as a literal: ASCII as it is, anything else UTF-16BE.

    pydyf writes non-ASCII text as hexadecimal UTF-16, twice the bytes and
    less compressible; ``/ActualText`` of an Arabic leaflet is all of its text.
    """

    @property
    def data(self) -> bytes:
        raw = self.string.encode("ascii") if self.string.isascii() else BOM_UTF16_BE + self.string.encode("utf-16-be")
        return b"(" + LITERAL_ESCAPES.sub(lambda m: LITERAL_ESCAPE[m.group()], raw) + b")"


def wrap_mcid(tree: Tree, pdf: pydyf.PDF, parent: pydyf.Dictionary, leaf: Leaf) -> pydyf.Dictionary:
    """Put a ``Span`` between ``parent`` and one of its MCIDs (a plain kid or an MCR)."""
    page_ref = tree.page_refs[leaf.page]
    span = pydyf.Dictionary({"Type": "/StructElem", "S": "/Span", "K": pydyf.Array([leaf.mcid]),
                             "P": parent.reference, "Pg": page_ref})
    pdf.add_object(span)
    parent["K"][:] = [span.reference if holds(parent, k, page_ref, leaf.mcid) else k for k in parent["K"]]
    tree.page_nums[leaf.page][leaf.mcid] = span.reference
    return span
