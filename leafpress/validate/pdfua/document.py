"""The catalog (``pdfua.markinfo``, ``pdfua.lang``, ``pdfua.display-doc-title``; Matterhorn 01,
11, 07) and the XMP metadata (``pdfua.xmp``, ``pdfua.title``, ``pdfua.identifier``; 06).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.validate.pdfua.finding import pdfua_finding
from leafpress.validate.pdfua.lang import well_formed_lang
from leafpress.validate.pdfua.objects import is_true, text

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


def check_catalog(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or not is_true(mark_info.get("/Marked")):
        yield pdfua_finding("pdfua.markinfo", "catalog /MarkInfo /Marked is not true")
    elif is_true(mark_info.get("/Suspects")):
        yield pdfua_finding("pdfua.markinfo", "catalog /MarkInfo /Suspects is true")
    lang = text(root.get("/Lang"))
    if not lang:
        yield pdfua_finding("pdfua.lang", "catalog has no /Lang")
    elif not well_formed_lang(lang):
        yield pdfua_finding("pdfua.lang", f"catalog /Lang {lang!r} is not a well-formed BCP 47 tag")
    preferences = root.get("/ViewerPreferences")
    if not isinstance(preferences, pikepdf.Dictionary) or not is_true(preferences.get("/DisplayDocTitle")):
        yield pdfua_finding("pdfua.display-doc-title", "/ViewerPreferences /DisplayDocTitle is not true")


def check_metadata(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        yield pdfua_finding("pdfua.xmp", "catalog has no XMP /Metadata stream")
        return
    try:
        xmp = ET.fromstring(stream.read_bytes())
    except ET.ParseError as exc:
        yield pdfua_finding("pdfua.xmp", f"XMP metadata does not parse: {exc}")
        return
    titles = [li.text or "" for li in xmp.iterfind(".//dc:title/rdf:Alt/rdf:li", NS)]
    if not any(title.strip() for title in titles):
        yield pdfua_finding("pdfua.title", "XMP has no non-empty dc:title")
    part = [d.get(f"{{{NS['pdfuaid']}}}part") for d in xmp.iterfind(".//rdf:Description", NS)]
    part += [e.text for e in xmp.iterfind(".//pdfuaid:part", NS)]
    if "1" not in [(p or "").strip() for p in part]:
        yield pdfua_finding("pdfua.identifier", "XMP has no pdfuaid:part = 1")
