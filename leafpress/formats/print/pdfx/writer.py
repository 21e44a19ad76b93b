"""The print-shop PDF file: from a leaflet PDF laid out with the bleed, the post-pass in the
order it runs (see :mod:`leafpress.formats.print.pdfx`), saved atomically.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Array, Pdf

from leafpress.build.outputs import atomic_path
from leafpress.formats.print.icc import HEADER_SIZE, cmyk_problem
from leafpress.formats.print.pdfx.boxes import set_boxes_and_marks
from leafpress.formats.print.pdfx.colour_conversion import ColourConverter
from leafpress.formats.print.pdfx.layout import render_print_pdf
from leafpress.formats.print.pdfx.metadata import set_pdfx_metadata
from leafpress.formats.print.pdfx.output_intent import set_output_intent
from leafpress.formats.print.pdfx.recolour import convert_stream, drop_transparency_group
from leafpress.formats.print.pdfx.spec import (
    BLEED_MM,
    DEFAULT_ICC_PROFILE,
    PDF_VERSIONS,
    PrintPdfError,
    PrintSpec,
    Variant,
)
from leafpress.formats.print.pdfx.strip import prune_colour_spaces, remove_annotations, strip_structure
from leafpress.shipped import SHIPPED_TEMPLATES


def write_print_pdf(
    html: str,
    base_url,
    out_path: Path | str,
    *,
    variant: Variant = "pdf/x-4",
    icc_profile: Path = DEFAULT_ICC_PROFILE,
    bleed_mm: float = BLEED_MM,
    url_fetcher=None,
    font_config=None,
    stylesheets: Sequence = (),
    templates: Path = SHIPPED_TEMPLATES,
) -> Path:
    """Render ``html`` and write it as a print-shop PDF/X file at ``out_path`` (atomically).

    ``icc_profile`` is the CMYK output-intent profile (the print shop's, if
    they gave one). ``stylesheets`` are the leaflet's own user stylesheets,
    if the HTML does not link them; ``templates`` is the folder with ``bleed.css``.
    """
    spec = PrintSpec(variant, Path(icc_profile), float(bleed_mm))
    read_cmyk_profile(spec.icc_profile)  # a wrong profile is said before the render, not after
    raw = render_print_pdf(
        html, base_url, spec, stylesheets=stylesheets, url_fetcher=url_fetcher, font_config=font_config,
        templates=templates,
    )
    return print_from_pdf(raw, out_path, spec)


def print_from_pdf(source: bytes, out_path: Path | str, spec: PrintSpec) -> Path:
    """Write the print-shop version of the PDF ``source`` (a leaflet laid out with the bleed)."""
    icc = read_cmyk_profile(spec.icc_profile)
    with Pdf.open(io.BytesIO(source)) as pdf:
        if "/ID" not in pdf.trailer:  # the document's identifier, from what it is made from
            made_from = pikepdf.String(hashlib.md5(source, usedforsecurity=False).digest())
            pdf.trailer.ID = Array([made_from, made_from])
        finish_print_pdf(pdf, spec, icc)
        out = Path(out_path)
        _save_atomically(pdf, out, spec.variant)
    return out


def read_cmyk_profile(path: Path) -> bytes:
    """The ICC profile at ``path``; refuse anything but a CMYK output (printer) profile."""
    try:
        icc = Path(path).read_bytes()
    except OSError as exc:
        raise PrintPdfError(f"cannot read ICC profile {path}: {exc}") from exc
    problem = cmyk_problem(icc[:HEADER_SIZE])
    if problem:  # in words, never the file's bytes (it may be any file)
        raise PrintPdfError(f"{path} {problem} (not a CMYK printer ICC profile)")
    return icc


def _save_atomically(pdf: Pdf, out_path: Path, variant: Variant) -> None:
    with atomic_path(out_path) as temporary:
        pdf.save(
            temporary,
            force_version=PDF_VERSIONS[variant],
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            fix_metadata_version=False,
            deterministic_id=True,  # the /ID's second half from the file's bytes, not at random
        )


# --- the post-pass ---------------------------------------------------------


def finish_print_pdf(pdf: Pdf, spec: PrintSpec, icc: bytes) -> None:
    """Turn a leaflet PDF (laid out with the bleed) into what a print shop accepts;
    ``icc`` is the CMYK profile of the output intent."""
    strip_structure(pdf)
    set_output_intent(pdf, icc)
    converter = ColourConverter.for_profile(icc)
    flatten = spec.variant == "pdf/x-1a"
    seen: set = set()  # forms, images and patterns already converted
    used: set[str] = set()  # colour spaces the content selects (cs, CS), after conversion
    for page in pdf.pages:
        page.contents_coalesce()
        convert_stream(page.obj, page.obj.Resources, converter, flatten, seen, used)
        remove_annotations(page)
        if flatten:
            drop_transparency_group(page.obj)
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    prune_colour_spaces(pdf, used)
    for page in pdf.pages:
        set_boxes_and_marks(pdf, page, spec)
    set_pdfx_metadata(pdf, spec.variant)
