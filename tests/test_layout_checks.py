"""The build's print warnings come from the layout; they must say what preflight says of the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from leafpress.formats.print.layout_checks import layout_findings
from leafpress.formats.print.pdfx.spec import PrintSpec
from leafpress.formats.print.pdfx.writer import print_from_pdf
from leafpress.formats.print.preflight import preflight

ROOT = Path(__file__).parent / "roots" / "print"
CHECKED = {"preflight.text.safe-area", "preflight.image.resolution"}


def layout_and_file(name: str, tmp_path: Path):
    document = weasyprint.HTML(filename=str(ROOT / f"{name}.html")).render()
    printed = print_from_pdf(document.write_pdf(), tmp_path / f"{name}.pdf", PrintSpec())
    from_file = [(f.code, f.page, f.level) for f in preflight(printed) if f.code in CHECKED]
    return layout_findings(document), from_file


@pytest.mark.parametrize("name, code", [("edge", "preflight.text.safe-area"),
                                        ("lowres", "preflight.image.resolution")])
def test_layout_sees_what_preflight_sees(name, code, tmp_path):
    from_layout, from_file = layout_and_file(name, tmp_path)
    assert [(f.code, f.page, f.level) for f in from_layout] == from_file
    assert [f.code for f in from_layout] == [code]


def test_messages_name_the_image_and_the_text(tmp_path):
    (low,), _ = layout_and_file("lowres", tmp_path)
    assert low.message.startswith("image lowres.png (60×45 px at 40.0 mm × 30.0 mm) is 38 ppi; print needs 300")
    (edge,), _ = layout_and_file("edge", tmp_path)
    assert "text closer than 5 mm to the trim edge" in edge.message


def test_good_leaflet_has_no_findings(tmp_path):
    from_layout, from_file = layout_and_file("leaflet", tmp_path)
    assert from_layout == [] and from_file == []


def test_build_prints_the_warning_at_the_print_pdf(basic, capsys):
    from PIL import Image

    Image.new("RGB", (60, 45), "#336699").save(basic.path("content/media/klein.png"))
    basic.edit("content/articles/tweede.md", "noemt.", "noemt.\n\n![Een blauw vlak](media/klein.png)\n")
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0
    assert "dist/print/nl/tweede.pdf:" in run.err and "image media/klein.png (60×45 px" in run.err
    assert "[preflight.image.resolution]" in run.err
