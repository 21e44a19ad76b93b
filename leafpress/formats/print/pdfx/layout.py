"""The layout a print PDF is made from: the leaflet's own, with the bleed.

The generated page rule (:func:`bleed_css`) and ``templates/bleed.css`` follow the
leaflet's own stylesheets: backgrounds that reach a trim edge run on into the bleed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from leafpress.formats.print.pdfx.spec import BLEED_MM, PrintSpec
from leafpress.shipped import BLEED_CSS, SHIPPED_TEMPLATES


def bleed_css(bleed_mm: float = BLEED_MM) -> str:
    """The generated part of the layout's print rules; ``templates/bleed.css`` uses the variable."""
    return (
        f"@page {{ bleed: {bleed_mm:g}mm !important; }}\n"
        f":root {{ --print-bleed: {bleed_mm:g}mm; }}\n"
    )


def render_print_pdf(
    html: str, base_url, spec: PrintSpec, *, stylesheets: Sequence = (), url_fetcher=None, font_config=None,
    templates: Path = SHIPPED_TEMPLATES,
) -> bytes:
    """What :func:`.writer.print_from_pdf` starts from: WeasyPrint's plain PDF of ``html``, with the bleed.

    ``stylesheets`` are the leaflet's own (theme.css, leaflet.css, as
    ``weasyprint.CSS`` objects or file names); the bleed rules follow them, with
    ``bleed.css`` from ``templates``.
    The build does not call this: it converts the screen PDF, which comes
    from a layout with the same bleed rules (:mod:`leafpress.formats.pdf.leaflet`).
    """
    import weasyprint

    fetcher = {"url_fetcher": url_fetcher} if url_fetcher is not None else {}
    document = weasyprint.HTML(string=html, base_url=base_url, **fetcher)
    sheets = [*stylesheets, *bleed_stylesheets(templates, spec.bleed_mm, font_config=font_config, **fetcher)]
    return document.write_pdf(stylesheets=sheets, font_config=font_config)


def bleed_stylesheets(templates: Path, bleed_mm: float = BLEED_MM, **options) -> list:
    """The bleed rules of a layout, after the leaflet's own sheets: the generated page rule and
    ``bleed.css`` from ``templates``; ``options`` go to ``weasyprint.CSS`` (fonts, fetcher)."""
    import weasyprint

    return [weasyprint.CSS(string=bleed_css(bleed_mm), **options),
            weasyprint.CSS(filename=str(templates / BLEED_CSS), **options)]
