"""QR codes: vector SVG, accessible, and readable after print rasterisation."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
import weasyprint
from PIL import Image

from leafpress.render.qr import QUIET_ZONE, qr_svg, qr_symbol

FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"
URLS = [
    "https://www.ggz-voorbeeld.nl/folders/angst",
    "https://www.ggz-voorbeeld.nl/folders/depressie?taal=ar&versie=3#hulp",
]

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils (pdftoppm) and zbar-tools (zbarimg)",
)


def test_svg_is_vector_and_accessible():
    svg = qr_svg(URLS[0])
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert f'aria-label="{URLS[0]}"' in svg
    assert f"<title>{URLS[0]}</title>" in svg
    assert 'width="22mm"' in svg and 'height="22mm"' in svg
    assert "<image" not in svg and "base64" not in svg
    assert 'stroke="#000"' in svg and 'fill="#fff"' in svg


def test_label_is_escaped():
    svg = qr_svg('https://x.nl/?a=1&b="2"')
    assert 'aria-label="https://x.nl/?a=1&amp;b=&quot;2&quot;"' in svg


def test_quiet_zone_is_four_white_modules():
    symbol = qr_symbol(URLS[0])
    rows = symbol.rows
    for ring in range(QUIET_ZONE):
        assert not any(rows[ring]) and not any(rows[-1 - ring])
        assert not any(row[ring] or row[-1 - ring] for row in rows)
    assert any(rows[QUIET_ZONE])  # the finder pattern starts right after it


def test_viewbox_matches_symbol_with_quiet_zone():
    n = qr_symbol(URLS[0]).size
    assert f'viewBox="0 0 {n} {n}"' in qr_svg(URLS[0])


@pytest.mark.parametrize("size", [0, 10, 19.9])
def test_too_small_is_refused(size):
    with pytest.raises(ValueError, match="at least 20 mm"):
        qr_svg(URLS[0], size_mm=size)


def test_too_dense_is_refused():
    with pytest.raises(ValueError, match="URL too long"):
        qr_svg("https://example.org/" + "x" * 600, size_mm=20)


def _render_and_decode(html: str, tmp_path: Path) -> list[str]:
    pdf = tmp_path / "qr.pdf"
    weasyprint.HTML(string=html, base_url=str(tmp_path)).write_pdf(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    out = subprocess.run(
        ["zbarimg", "--raw", "-q", *map(str, pages)],
        check=True, capture_output=True, text=True,
    ).stdout
    return out.splitlines()


@needs_tools
@pytest.mark.parametrize("url", URLS)
def test_decodes_after_render_and_rasterise(url, tmp_path, caplog):
    html = (
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><style>"
        f"@font-face {{ font-family: Noto; src: url({(FONTS / 'NotoSans-Regular.ttf').as_uri()}) }}"
        "@page { size: A5; margin: 15mm } body { font-family: Noto }"
        f"</style></head><body><p>Lees online:</p>{qr_svg(url)}</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert _render_and_decode(html, tmp_path) == [url]
    assert not caplog.records, [r.getMessage() for r in caplog.records]


@needs_tools
def test_minimum_size_still_decodes(tmp_path):
    assert _render_and_decode(
        f"<body style='margin:0'>{qr_svg(URLS[1], size_mm=20)}</body>", tmp_path
    ) == [URLS[1]]


@needs_tools
def test_rendered_size_is_as_asked(tmp_path):
    """At 254 dpi (10 px/mm) the dark modules span size × (n - 8) / n mm."""
    pdf = tmp_path / "size.pdf"
    weasyprint.HTML(string=f"<style>@page {{ margin: 0 }}</style><body style='margin:0'>{qr_svg(URLS[0], 25)}</body>").write_pdf(pdf)
    subprocess.run(["pdftoppm", "-r", "254", "-png", "-singlefile", str(pdf), str(tmp_path / "s")], check=True)
    image = Image.open(tmp_path / "s.png").convert("L").point(lambda v: 255 if v < 128 else 0)
    left, top, right, bottom = image.getbbox()
    n = qr_symbol(URLS[0]).size
    expected = 25 * (n - 2 * QUIET_ZONE) / n * 10
    assert abs((right - left) - expected) <= 2 and abs((bottom - top) - expected) <= 2
    assert abs(left - 25 * QUIET_ZONE / n * 10) <= 2  # the quiet zone is there, white


def test_survives_jinja_autoescape():
    import jinja2

    template = jinja2.Environment(autoescape=True).from_string("<p>{{ qr }}</p>")
    assert template.render(qr=qr_svg(URLS[1])).startswith("<p><svg ")
