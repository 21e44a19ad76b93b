"""The PDF/X identification in Info and XMP (version keys, /Trapped, document and version
IDs), in place of the screen file's PDF/UA one.
"""

from __future__ import annotations

import uuid

from pikepdf import Name, Pdf

from leafpress.formats.print.pdfx.spec import PDFX_VERSIONS, Variant


def set_pdfx_metadata(pdf: Pdf, variant: Variant) -> None:
    """The PDF/X identification in Info and XMP, in place of the screen file's PDF/UA one."""
    version = PDFX_VERSIONS[variant]
    identifier = bytes(pdf.trailer.ID[0]) if "/ID" in pdf.trailer else pdf.Root.unparse(resolved=False)
    had_xmp = "/Metadata" in pdf.Root
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if not had_xmp:
            meta.load_from_docinfo(pdf.docinfo)
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
        if variant == "pdf/x-4":
            meta["pdfxid:GTS_PDFXVersion"] = version
        meta["pdf:Trapped"] = "False"
        # the same document gives the same ID, so an unchanged leaflet gives an unchanged file
        meta["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_OID, identifier.hex())}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        modified = meta.get("xmp:ModifyDate") or meta.get("xmp:CreateDate")
        if modified:
            meta["xmp:MetadataDate"] = modified
    info = pdf.docinfo
    info.Trapped = Name("/False")
    if variant == "pdf/x-1a":
        info.GTS_PDFXVersion = version
        info.GTS_PDFXConformance = version
