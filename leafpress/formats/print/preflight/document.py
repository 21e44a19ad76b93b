"""The document: the PDF/X version keys (Info for X-1a, XMP ``pdfxid`` for X-4), the PDF
version, /Trapped, a title, a file identifier, no encryption, no form fields; and one
/GTS_PDFX output intent with an embedded CMYK (N=4) printer profile.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Name

from leafpress.diagnostics import Diagnostic
from leafpress.formats.print.pdfx.spec import Variant
from leafpress.formats.print.preflight.finding import preflight_finding


def _pdfx_version(pdf: pikepdf.Pdf) -> str | None:
    """XMP ``pdfxid:GTS_PDFXVersion``, however the packet spells it (element or attribute)."""
    if "/Metadata" not in pdf.Root:
        return None
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        value = meta.get("pdfxid:GTS_PDFXVersion")
    except (pikepdf.PdfError, ValueError, SyntaxError):  # unreadable: reported as missing
        return None
    return str(value).strip() if value else None


def version_findings(pdf: pikepdf.Pdf, variant: Variant) -> Iterator[Diagnostic]:
    info = pdf.docinfo
    if variant == "pdf/x-1a":
        version = str(info.get("/GTS_PDFXVersion", ""))
        if not version.startswith("PDF/X-1"):
            yield preflight_finding("version",
                                    f"Info /GTS_PDFXVersion is {version or 'missing'!s}, expected PDF/X-1a:2003")
        conformance = str(info.get("/GTS_PDFXConformance", ""))
        if not conformance.startswith("PDF/X-1a"):
            yield preflight_finding("version", f"Info /GTS_PDFXConformance is {conformance or 'missing'!s}, "
                                               "expected PDF/X-1a:2003")
        if pdf.pdf_version > "1.4":
            yield preflight_finding("version", f"PDF {pdf.pdf_version}; PDF/X-1a:2003 allows at most 1.4")
    else:
        xmp_version = _pdfx_version(pdf)
        if xmp_version != "PDF/X-4":
            yield preflight_finding("version",
                                    f"XMP pdfxid:GTS_PDFXVersion is {xmp_version or 'missing'}, expected PDF/X-4")
        if pdf.pdf_version > "1.6":
            yield preflight_finding("version", f"PDF {pdf.pdf_version}; PDF/X-4 allows at most 1.6")
    if info.get("/Trapped") not in (Name("/True"), Name("/False")):
        yield preflight_finding("metadata.trapped", "Info /Trapped must be /True or /False")
    if not str(info.get("/Title", "")).strip():
        yield preflight_finding("metadata.title", "no document title (Info /Title)")
    if "/ID" not in pdf.trailer:
        yield preflight_finding("metadata.id", "no file identifier (trailer /ID)")
    if pdf.is_encrypted:
        yield preflight_finding("encrypted", "PDF/X files must not be encrypted")
    if "/AcroForm" in pdf.Root and len(pdf.Root.AcroForm.get("/Fields", [])):
        yield preflight_finding("form", "interactive form fields are not allowed in PDF/X")


def icc_header(profile: bytes) -> tuple[str, str]:
    """(device class, colour space) from an ICC profile header."""
    return profile[12:16].decode("latin-1"), profile[16:20].decode("latin-1").strip()


def output_intent_findings(pdf: pikepdf.Pdf) -> Iterator[Diagnostic]:
    intents = [i for i in pdf.Root.get("/OutputIntents", Array()) if i.get("/S") == Name.GTS_PDFX]
    if len(intents) != 1:
        yield preflight_finding("output-intent", f"expected one /GTS_PDFX output intent, found {len(intents)}")
        return
    intent = intents[0]
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        yield preflight_finding("output-intent", "output intent has no /OutputConditionIdentifier")
    profile = intent.get("/DestOutputProfile")
    if profile is None:
        yield preflight_finding("output-intent", "output intent has no embedded ICC profile (/DestOutputProfile)")
        return
    if int(profile.get("/N", 0)) != 4:
        yield preflight_finding("output-intent", f"output profile has /N {profile.get('/N')}, expected 4 (CMYK)")
    device_class, space = icc_header(profile.read_bytes())
    if device_class != "prtr" or space != "CMYK":
        yield preflight_finding("output-intent",
                                f"output profile is a {device_class}/{space} profile, expected prtr/CMYK")
