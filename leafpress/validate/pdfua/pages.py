"""Every page: ``/Tabs /S`` (``pdfua.tabs``; Matterhorn 28), its annotations, its content."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.annotations import check_annotations
from leafpress.validate.pdfua.content import check_content
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.reading import Reader


def check_pages(pdf: pikepdf.Pdf, reader: Reader) -> Iterator[Diagnostic]:
    for number, page in enumerate(pdf.pages, start=1):
        page_obj = page.obj
        if page_obj.get("/Tabs") != "/S":
            yield pdfua_finding("pdfua.tabs", "page has no /Tabs /S", number)
        yield from check_annotations(page_obj, number, reader)
        yield from check_content(page, number, reader.structure)
