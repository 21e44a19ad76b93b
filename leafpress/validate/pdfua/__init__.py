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

Besides :func:`check_pdf`, two readers for tests: :func:`.reading.element_texts`
(the text of the elements of one structure type, read the way a screen
reader walks the tags: ``/ActualText`` or ``/Alt`` replaces what is under
it) and :func:`.reading.spoken_languages` (each piece of text with the language a
screen reader would speak it in).

Command line: ``python -m leafpress.validate.pdfua FILE...`` prints
``FILE: error: page N: message (object) [pdfua.rule]`` per finding (a
:class:`~leafpress.diagnostics.Diagnostic`) and exits 1 if there are any.

One module per family of checks: :mod:`.document` (catalog, metadata), :mod:`.elements`
(role map, types, alt text, ``/Lang``), :mod:`.headings`, :mod:`.tables`, :mod:`.pages`
(tabs, then :mod:`.annotations` and :mod:`.content`), :mod:`.fonts`; they read the tree
through :mod:`.structure`, and the readers are in :mod:`.reading`. The command line is in
:mod:`.__main__`.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.document import check_catalog, check_metadata
from leafpress.validate.pdfua.elements import check_elements, check_role_map
from leafpress.validate.pdfua.fonts import check_fonts
from leafpress.validate.pdfua.headings import check_headings
from leafpress.validate.pdfua.objects import opened
from leafpress.validate.pdfua.pages import check_pages
from leafpress.validate.pdfua.reading import Reader
from leafpress.validate.pdfua.tables import check_tables


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
