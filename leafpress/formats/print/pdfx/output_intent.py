"""The /GTS_PDFX output intent: the CMYK printer profile every colour is converted to,
embedded.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf
from PIL import ImageCms


def profile_name(icc: bytes) -> str:
    """The profile's own description, as the output condition's name."""
    try:
        name = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
    except (OSError, ImageCms.PyCMSError):
        name = ""
    return name or "CMYK printer profile"


def set_output_intent(pdf: Pdf, icc: bytes) -> None:
    """One /GTS_PDFX output intent with the printer profile embedded; no other intent."""
    profile = pdf.make_stream(icc, N=4)
    name = pikepdf.String(profile_name(icc))
    intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=name,
                        Info=name, DestOutputProfile=profile)
    pdf.Root.OutputIntents = Array([intent])
