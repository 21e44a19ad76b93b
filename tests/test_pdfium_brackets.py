"""Issue 15: a closing bracket at the right end of its text box, whose Latin word is a text box of
its own ("(<span lang=nl>huisarts</span>)"), comes out of PDFium's copy the right way round
(it gave "(ggz(" before, fails on the code before issue 15), and poppler's copy stays right. (PDFium still puts the part of
the line after the Latin word first when the paragraph is one line: the line order is left out.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from leafpress.formats.pdf.leaflet import make_engine, render_document, screen_pdf
from leafpress.validate.reader_views import copy_view_pdfium, copy_view_poppler, searched_text

REPO = Path(__file__).resolve().parent.parent

SENTENCE = "فطبيب العائلة يستطيع أن يحيلك إلى مؤسسة للرعاية الصحية النفسية ({latin}). هل لديك اكتئاب شديد لا يزول؟ إذن يمكن للطبيب النفسي أن يناقش معك هل يناسبك العلاج بالإسكيتامين في عيادة، أو مقدّم الرعاية الذي يتابعك."
LATIN = ["huisarts", "ggz", "PTSS", "Opiumwet"]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    engine = make_engine(REPO / "content", REPO / "templates")
    body = "".join(f'<p>{SENTENCE.format(latin=f"<span lang=nl>{word}</span>")}</p>' for word in LATIN)
    html = f'<html lang="ar" dir="rtl"><head><title>t</title></head><body><main>{body}</main></body></html>'
    path = tmp_path_factory.mktemp("brackets") / "brackets.pdf"
    path.write_bytes(screen_pdf(render_document(engine, html)))
    return path


@pytest.mark.parametrize("view", [copy_view_pdfium, copy_view_poppler], ids=["pdfium", "poppler"])
@pytest.mark.parametrize("word", LATIN)
def test_a_bracket_after_a_latin_text_box_is_copied_the_right_way_round(pdf, view, word):
    text = " ".join(searched_text(view(pdf)).split())
    assert f"({word}" in text
    assert f"({word}(" not in text and f"({word} (" not in text
    assert text.count("(") == text.count(")") == len(LATIN)
