"""What a print-shop PDF is asked to be: PDF/X-4 or PDF/X-1a, its CMYK output profile, its bleed
and the slug that holds the crop marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from leafpress.shipped import SHIPPED_ICC_PROFILE

Variant = Literal["pdf/x-4", "pdf/x-1a"]
VARIANTS: tuple[Variant, ...] = ("pdf/x-4", "pdf/x-1a")
PDF_VERSIONS: dict[str, str] = {"pdf/x-4": "1.6", "pdf/x-1a": "1.4"}
PDFX_VERSIONS: dict[str, str] = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}

#: without a profile: the one that comes with leafpress (a build passes its project's, ``Site.icc_profile_path``)
DEFAULT_ICC_PROFILE = SHIPPED_ICC_PROFILE

BLEED_MM = 3.0  # what print shops ask for; the layout and the BleedBox both use it

MARK_GAP_MM = 1.0  # between the bleed edge and the start of a crop mark
MARK_LENGTH_MM = 5.0
SLUG_MARGIN_MM = 2.0  # white paper beyond the end of the marks


class PrintPdfError(RuntimeError):
    """The print-shop PDF could not be made as asked."""


def variant_named(name: str) -> Variant:
    """The variant ``name`` (``print_variant`` in site.yaml, checked at load) names."""
    for variant in VARIANTS:
        if name == variant:
            return variant
    raise PrintPdfError(f"unknown variant {name!r}; use one of {', '.join(VARIANTS)}")


@dataclass(frozen=True)
class PrintSpec:
    variant: Variant = "pdf/x-4"
    icc_profile: Path = DEFAULT_ICC_PROFILE
    bleed_mm: float = BLEED_MM

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise PrintPdfError(f"unknown variant {self.variant!r}; use one of {', '.join(VARIANTS)}")
        if not 0 <= self.bleed_mm <= 10:
            raise PrintPdfError(f"bleed of {self.bleed_mm:g} mm is out of range (0 to 10 mm)")

    @property
    def slug_mm(self) -> float:
        """How far the MediaBox reaches beyond the BleedBox."""
        return MARK_GAP_MM + MARK_LENGTH_MM + SLUG_MARGIN_MM
