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
made in one place, at the cost of relying on WeasyPrint 70 internals, all
reached through :mod:`leafpress.upstream.weasyprint_adapter` (see
:mod:`leafpress.formats.pdf.tags.pairing`); a change there makes
:func:`finish_tags` raise :class:`~leafpress.formats.pdf.tags.tree.TagPairingError`
before it touches anything, never a silently mistagged leaflet.

The gaps, each a module of this package and a report in
``leafpress/upstream/weasyprint.md`` under the same number:

1. ``lang`` on an element is dropped: :mod:`.lang`.
2. Running headers, footers and page numbers are tagged as content: :mod:`.furniture`.
3. A link around an image gives two link annotations; a link's ``/Contents`` is its URL: :mod:`.links`.
4. ``alt=""`` images are figures without alternative text: :mod:`.furniture`.
5. ``<figure>`` with ``<figcaption>`` is nested ``NonStruct`` around a ``Figure``: :mod:`.figures`.
6. Right-to-left text has no logical order for tag readers: :mod:`.rtl`.
7. An element that runs over a page break is one element per page: :mod:`.fragments`
   (a repeated table header: :mod:`.tables`).
8. A link or a ``Span`` with ``/Lang`` broken over lines is one element per line: :mod:`.fragments`.
9. Text boxes with no text get empty ``Span`` elements: :mod:`.furniture`.
10. A ``position: fixed`` box is tagged on every page: :mod:`.furniture`.
11. Size: a ``Span`` per line, ``<<>>`` for every dropped object: :mod:`.wrappers`, :mod:`.renumber`.
12. ``TH`` has no ``/Scope``: :mod:`.tables`.
13. The space at a line break is dropped from the text: :mod:`.spaces`.
14. Size: structure elements written with what says nothing: :mod:`leafpress.formats.pdf.tag_bytes`.

What the fixes edit (the structure tree, the parent tree, the content streams) is
read once into a :class:`~leafpress.formats.pdf.tags.tree.Tree`; which box made which
element and painted which MCID is :mod:`.pairing`'s. :func:`finish_tags` shows the
order the fixes run in, and why.

Not handled: links and images inside running headers and footers (their
annotations stay on orphan elements), forms, ``pdf/ua-2`` beyond what is
shared with ``pdf/ua-1`` (untested).
"""

from __future__ import annotations

from typing import Any

import pydyf

from leafpress.formats.pdf.tag_bytes import write_compactly
from leafpress.formats.pdf.tags.figures import fold_figures
from leafpress.formats.pdf.tags.fragments import join_fragments, join_split_links, join_split_spans, link_elements
from leafpress.formats.pdf.tags.furniture import untag_furniture
from leafpress.formats.pdf.tags.lang import set_languages
from leafpress.formats.pdf.tags.links import describe_links, merge_link_annotations
from leafpress.formats.pdf.tags.pairing import find_boxes, pair
from leafpress.formats.pdf.tags.renumber import compact, inline_object_references, number_marked_content
from leafpress.formats.pdf.tags.rtl import misread_boxes, set_actual_texts
from leafpress.formats.pdf.tags.spaces import end_actual_texts_with_spaces, put_back_spaces, swallowed_spaces
from leafpress.formats.pdf.tags.tables import scope_headers
from leafpress.formats.pdf.tags.tree import document_lang, elements, read_tree
from leafpress.formats.pdf.tags.wrappers import fold_plain_wrappers, join_marked_content
from leafpress.upstream.weasyprint_adapter import Recording, recording_tags


def finish_tags(document: Any, pdf: pydyf.PDF, recording: Recording) -> None:
    """Make ``pdf/ua-1`` output tag what it paints (in a WeasyPrint finisher).

    ``recording``: what :func:`leafpress.upstream.weasyprint_adapter.recording_tags`
    noted while WeasyPrint built this PDF's tags; :func:`write_tagged` does all of
    it. Does nothing to an untagged PDF. Raises
    :class:`~leafpress.formats.pdf.tags.tree.TagPairingError` if the structure tree
    does not match the recording (another WeasyPrint version).
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
    misread = misread_boxes(kept, found.lines)  # 6: each box's text looked at once, for both steps below
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


def write_tagged(document: Any, finisher: Any = None) -> bytes:
    """``document`` (a laid-out ``weasyprint.Document``) as PDF/UA-1 with the gaps closed;
    ``finisher`` (optional) runs after :func:`finish_tags`."""
    with recording_tags() as recording:
        def finish(document: Any, pdf: pydyf.PDF) -> None:
            finish_tags(document, pdf, recording)
            if finisher is not None:
                finisher(document, pdf)

        return document.write_pdf(pdf_variant="pdf/ua-1", finisher=finish)
