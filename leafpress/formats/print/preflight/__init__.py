"""Our PDF/X preflight: what a print shop's checker would reject, found first.

    python -m leafpress.formats.print.preflight dist/print/nl/angst.pdf [--variant pdf/x-1a]

prints one line per finding and exits 1 if there are any. What is checked:

- boxes: TrimBox of the expected size; BleedBox = TrimBox + bleed on every
  side; MediaBox containing the BleedBox;
- an output intent /GTS_PDFX with an embedded CMYK (N=4) printer profile;
- the PDF/X version keys (Info for X-1a, XMP ``pdfxid`` for X-4), the PDF
  version, /Trapped, a title and a file identifier; no encryption;
- colour spaces actually used by content streams, shadings, images and
  transparency groups: X-1a allows no RGB, Lab or ICC-based colour; X-4
  allows ICC-tagged RGB and Lab but not DeviceRGB (ISO 15930-7 permits
  DeviceRGB under a CMYK output intent only with a DefaultRGB space);
- transparency, for X-1a: soft masks, constant alpha below 1, blend modes
  other than Normal/Compatible, transparency groups;
- black text (a neutral grey or black at least 85 % dark, the rule of
  :func:`leafpress.formats.print.pdfx.black_text.is_black_text`) that is not 100 % K
  (``0 0 0 1 k``) overprinting (``/OP true /op true /OPM 1``): a 90 % black
  is screened into dots on small text, and black that knocks out shows white
  edges when the plates shift;
- every font embedded;
- annotations and form fields inside the bleed box (PDF/X forbids them);
- image resolution: pixel size against the image's CTM on the page,
  forms and tiling patterns included (warning below ``min_dpi``);
- text at least ``safe_mm`` inside the trim, from the word boxes of
  ``pdftotext -bbox`` (poppler): poppler knows the fonts' metrics and every
  text-positioning operator, which a hand-rolled Tm/Td tracker does not.
  Word boxes span the font's ascent and descent, so the check errs on the
  safe side by a fraction of a millimetre.

One module per family of checks: :mod:`.boxes`, :mod:`.document` (version keys,
metadata, output intent), :mod:`.colour`, :mod:`.transparency`, :mod:`.black_text`,
:mod:`.fonts`, :mod:`.images`, :mod:`.safe_area`; they read the content streams
through :mod:`.content`. The command line is in :mod:`.__main__`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pikepdf

from leafpress.diagnostics import Diagnostic
from leafpress.formats.paper import SIZES_MM
from leafpress.formats.print.pdfx.spec import Variant
from leafpress.formats.print.preflight.black_text import black_text_findings
from leafpress.formats.print.preflight.boxes import annotation_findings, box_findings
from leafpress.formats.print.preflight.colour import colour_findings
from leafpress.formats.print.preflight.content import operations
from leafpress.formats.print.preflight.document import output_intent_findings, version_findings
from leafpress.formats.print.preflight.fonts import font_findings
from leafpress.formats.print.preflight.images import resolution_findings
from leafpress.formats.print.preflight.safe_area import safe_area_findings
from leafpress.formats.print.preflight.transparency import transparency_findings


def _unique(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(findings))


def preflight(
    path: Path | str,
    *,
    variant: Variant = "pdf/x-4",
    trim_mm: Sequence[float] | None = SIZES_MM["A5"],
    bleed_mm: float = 3,
    min_dpi: float = 300,
    safe_mm: float = 5,
) -> list[Diagnostic]:
    """Check a print-shop PDF; an empty list means it passes. ``trim_mm`` None: the trim
    size is not checked (whoever calls says why)."""
    path = Path(path)
    with pikepdf.open(path) as pdf:
        ops = list(operations(pdf))
        findings: list[Diagnostic] = []
        findings += version_findings(pdf, variant)
        findings += output_intent_findings(pdf)
        for number, page in enumerate(pdf.pages, start=1):
            findings += box_findings(page, number, trim_mm, bleed_mm)
            findings += annotation_findings(page, number)
        findings += colour_findings(ops, variant)
        findings += black_text_findings(ops)
        if variant == "pdf/x-1a":
            findings += transparency_findings(ops, pdf)
        findings += font_findings(pdf)
        findings += resolution_findings(ops, min_dpi)
        findings += safe_area_findings(path, pdf, safe_mm)
    return [finding.at(path) for finding in _unique(findings)]
