"""leafpress.formats.pdf.rtl_plan and engine_bidi: poppler copies a right-to-left line put together
from several text boxes (a bold word, a Latin citation) and a table cell of several lines in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leafpress.formats.pdf.engine_bidi import pdfium_actual_text, pdfium_reorder, poppler_actual_text, poppler_reorder
from leafpress.formats.pdf.leaflet import make_engine, render_document, screen_pdf
from leafpress.validate.reader_views import copy_view_poppler, searched_text, without_bidi_controls

REPO = Path(__file__).resolve().parent.parent

LOGICAL = [
    "منذ 1 سبتمبر (أيلول) 2021 يغطي التأمين الصحي الأساسي (basispakket) تكاليف الإسكيتامين.",
    "ما تشتريه لا يخضع للفحص. LSD والسيلوسيبين ممنوعان:",
    "طلبت شركة Lykos Therapeutics الموافقة على",
    "(Andrade, 2017). والمادة نفسها",
]


@pytest.mark.parametrize("text", LOGICAL)
def test_poppler_reads_the_actual_text_as_written(text):
    assert without_bidi_controls(poppler_reorder(poppler_actual_text(text))) == text


@pytest.mark.parametrize("text", LOGICAL)
def test_two_boxes_side_by_side_keep_their_order(text):
    first, second = text[:len(text) // 2], text[len(text) // 2:]
    # the first box stands on the right; poppler may put a space between the two
    for gap in ("", " "):
        line = poppler_actual_text(second) + gap + poppler_actual_text(first)
        assert without_bidi_controls(poppler_reorder(line)) in (text, first + " " + second)


@pytest.mark.parametrize("text", LOGICAL + ["(FDA, 2024).", "الجرعة 0,5 مغ/كغ [1]", "«نص» و‹نص›"])
def test_pdfium_reads_the_given_line_as_written_from_either_kind_of_object(text):
    given = pdfium_actual_text(text)
    assert given is not None
    assert pdfium_reorder(given) == text
    assert pdfium_actual_text(text, reversed_object=False) == given[::-1]
    assert pdfium_reorder(given[::-1], reversed_object=False) == text


def test_without_the_marks_a_latin_run_takes_the_space_next_to_it():
    # the model can fail: the visual string of "و MDMA معا" without marks comes out wrong
    assert without_bidi_controls(poppler_reorder("اعم MDMA و")) == "و  MDMAمعا"


CELL = ("<table><tr><th style='width: 3em'>يعمل أساسًا على</th><td>الغلوتامات (مستقبِل NMDA)</td>"
        "<td style='width: 4em'>السيروتونين والدوبامين والنورأدرينالين</td></tr></table>")
CITED = "<p>في التخدير (<a href='#r'>Andrade, 2017</a>). والمادة <strong>نفسها</strong> هي العلاج.</p>"


def pdf_of(tmp_path: Path, body: str) -> Path:
    engine = make_engine(REPO / "content", REPO / "templates")
    html = (f'<html lang="ar" dir="rtl"><head><title>t</title></head><body><main>{body}</main>'
            "<p id='r'>Andrade</p></body></html>")
    path = tmp_path / "plan.pdf"
    path.write_bytes(screen_pdf(render_document(engine, html)))
    return path


def found(piece: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text) is not None


def test_poppler_copies_each_table_cell_of_several_lines_in_one_piece(tmp_path):
    text = searched_text(copy_view_poppler(pdf_of(tmp_path, CELL)))
    assert found("يعمل أساسًا على", text), text
    assert found("السيروتونين والدوبامين والنورأدرينالين", text), text


def test_poppler_copies_a_citation_link_and_the_period_after_it(tmp_path):
    text = searched_text(copy_view_poppler(pdf_of(tmp_path, CITED)))
    assert found("في التخدير (Andrade, 2017). والمادة نفسها هي العلاج.", text), text
