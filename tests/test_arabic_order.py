"""leafpress.formats.pdf.rtl_paint: what poppler and PDFium copy from an Arabic leaflet paragraph, and that
the page, the tags and Dutch text stay as WeasyPrint makes them.

The paragraphs are rendered with the project's fonts and stylesheets (leafpress.formats.pdf.leaflet), once with
the right-to-left painting (installed by make_engine) and once with WeasyPrint's own
``draw_first_line``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops

from leafpress.formats.pdf.leaflet import make_engine, render_document, screen_pdf
from leafpress.upstream.weasyprint_adapter import draw_first_line_unchanged
from leafpress.validate.pdfua import check_pdf
from leafpress.validate.reader_views import (
    copy_view_pdfium,
    copy_view_poppler,
    screen_reader_view,
    searched_text,
)

REPO = Path(__file__).resolve().parent.parent

# vowel marks (كثيرًا, يُذكر, معًا), a Latin acronym in the Arabic sentence, the Arabic comma,
# a number and the full stop after the sentence
MARKS_LATIN_NUMBER = "كثيرًا ما يُذكر الكيتامين و MDMA معًا، منذ عام 2019 في هولندا."
# the same with brackets
BRACKETS = "يُستعمل مع دواء من نوع SSRI أو SNRI، ومنذ 2019 يُسمّى (Spravato) و(التخدير العام)."
DUTCH = "Ketamine en MDMA (xtc) worden vaak samen genoemd, sinds 2019."
# sentences of the catalogue each engine got wrong before round 2 of rtl_paint (what PDFium or
# poppler gave in a comment): brackets and guillemets after Arabic, a bracket next to a space
# and a Latin word, a two-word Latin run, number punctuation after a number
EXACT = {
    "brackets after Arabic": "باضطراب ذهاني (فقدان الصلة بالواقع)، أو بالاضطراب",  # ذهاني( فقدان
    "guillemets": "يُسمّى كلاهما «العلاج بالمواد المهلوسة». لكنهما",  # كلاهما« العلاج
    "bracket before Latin": "حبوب الإكستاسي (xtc). ويدرس",  # الإكستاسي )xtc)
    "a word with a ligature in brackets": "الدواء الوهمي (البلاسيبو). والدواء",  # البلاسيبو.)
    "two-word Latin run": "طلبت شركة Lykos Therapeutics الموافقة على",  # Therapeutics Lykos
    "two-word Latin run in brackets": "القائمة الأولى (Lijst I) من قانون",  # )I Lijst )من
    "a Latin run with a hyphen": "هذا التصميم «التعمية الذاتية» (self-blinding). وبعد",  # blinding-self
    "a number with a period": "اتصل إذن بالرقم 112. في الختام",  # .112
    "a number with a comma": "منذ عام 2023، ولكن بشروط",  # ،2023
}
# lines of several text boxes (a Latin word in a span of its own, a bold word with vowel marks,
# a link) next to words with vowel marks, which PDFium put together in paint order around a
# raised mark until rtl_plan gave it each line on one text object: what it gave in a comment
MIXED = {
    'تحدّث مع طبيب العائلة (<span lang="nl">huisarts</span>) أو مقدّم الرعاية.':
        "تحدّث مع طبيب العائلة (huisarts) أو مقدّم الرعاية.",  # ) أو مقدّم( huisarts مقدّم
    'معروفة <strong>خصوصًا</strong> بسبب <a href="#lsd">LSD</a> والسيلوسيبين، وهو المادة.':
        "معروفة خصوصًا بسبب LSD والسيلوسيبين، وهو المادة.",  # خصوصًا والسيلوسيبين، وهو المادة خصوصًا بسبب LSD
    'ويسمّي الباحثون هذا «انحياز الاختيار» (<em lang="en">selection bias</em>): أي أنك ترى.':
        "ويسمّي الباحثون هذا «انحياز الاختيار» (selection bias): أي أنك ترى.",
}
# a bold sentence (its own text box) ending in a period, then a sentence: poppler took the
# space into the period's "number" ("فأكبر .قد")
BOX_EDGE = "<strong>قد تحتاج إلى كمية أكبر فأكبر.</strong> قد يعتاد جسمك على المادة."
BOX_EDGE_TEXT = "قد تحتاج إلى كمية أكبر فأكبر. قد يعتاد جسمك على المادة."


@pytest.fixture(scope="module")
def engine():
    return make_engine(REPO / "content", REPO / "templates")


def html(text: str, lang: str = "ar") -> str:
    return document(f"<p>{text}</p>", lang)


def document(body: str, lang: str = "ar") -> str:
    direction = ' dir="rtl"' if lang == "ar" else ""
    return (f'<html lang="{lang}"{direction}><head><title>t</title></head>'
            f"<body><main>{body}</main></body></html>")


def pdf_of(engine, tmp_path: Path, text: str, name: str, lang: str = "ar") -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(screen_pdf(render_document(engine, html(text, lang))))
    return path


def weasyprint_painting(monkeypatch) -> None:
    """WeasyPrint's own draw_first_line for the rest of the test."""
    import inspect

    from weasyprint.draw import text

    monkeypatch.setattr(text, "draw_first_line", inspect.unwrap(text.draw_first_line))


copied = searched_text  # what a search box searches


def test_weasyprint_still_has_the_function_rtl_paint_repeats():
    # rtl_glyphs.line_glyphs repeats WeasyPrint 70's glyph loop to paint each glyph where WeasyPrint
    # would. A new WeasyPrint: compare its draw_first_line with line_glyphs, then update the hash.
    assert draw_first_line_unchanged(), (
        "weasyprint.draw.text.draw_first_line changed: check leafpress.formats.pdf.rtl_glyphs.line_glyphs against it")


def test_make_engine_installs_the_painting(engine):
    from weasyprint.draw import text

    assert getattr(text.draw_first_line, "_leafpress_rtl", False)


def test_poppler_copies_vowel_marks_latin_numbers_and_commas_in_order(engine, tmp_path):
    pdf = pdf_of(engine, tmp_path, MARKS_LATIN_NUMBER, "marks")
    assert copied(copy_view_poppler(pdf)) == MARKS_LATIN_NUMBER


def test_pdfium_copies_vowel_marks_latin_numbers_and_commas_in_order(engine, tmp_path):
    pdf = pdf_of(engine, tmp_path, MARKS_LATIN_NUMBER, "marks")
    assert copied(copy_view_pdfium(pdf)) == MARKS_LATIN_NUMBER


def test_poppler_copies_brackets_the_right_way_round(engine, tmp_path):
    pdf = pdf_of(engine, tmp_path, BRACKETS, "brackets")
    assert copied(copy_view_poppler(pdf)) == BRACKETS


def test_pdfium_copies_brackets_the_right_way_round(engine, tmp_path):
    pdf = pdf_of(engine, tmp_path, BRACKETS, "brackets")
    assert copied(copy_view_pdfium(pdf)) == BRACKETS


def exact_pdf(engine, tmp_path: Path) -> Path:
    path = tmp_path / "exact.pdf"
    body = "".join(f"<p>{text}</p>" for text in EXACT.values())
    path.write_bytes(screen_pdf(render_document(engine, document(body))))
    return path


@pytest.mark.parametrize("view", [copy_view_poppler, copy_view_pdfium], ids=["poppler", "pdfium"])
def test_both_engines_copy_the_sentences_they_got_wrong(engine, tmp_path, view):
    text = copied(view(exact_pdf(engine, tmp_path)))
    wrong = [name for name, sentence in EXACT.items() if sentence not in text]
    assert wrong == [], text


def test_weasyprint_painting_gets_them_wrong_in_pdfium(engine, tmp_path, monkeypatch):
    weasyprint_painting(monkeypatch)
    text = copied(copy_view_pdfium(exact_pdf(engine, tmp_path)))
    assert [sentence for sentence in EXACT.values() if sentence not in text]


@pytest.mark.parametrize("view", [copy_view_poppler, copy_view_pdfium], ids=["poppler", "pdfium"])
def test_both_engines_copy_lines_of_several_text_boxes_in_order(engine, tmp_path, view):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(screen_pdf(render_document(engine, document("".join(f"<p>{html}</p>" for html in MIXED)))))
    text = copied(view(path))
    assert [sentence for sentence in MIXED.values() if sentence not in text] == [], text


def test_every_text_object_of_a_right_to_left_line_but_one_reads_as_nothing_in_pdfium(engine, tmp_path):
    # the line's text is on one object; a screen reader reads the structure elements' /ActualText
    path = tmp_path / "mixed.pdf"
    path.write_bytes(screen_pdf(render_document(engine, document("".join(f"<p>{html}</p>" for html in MIXED)))))
    with pikepdf.open(path) as pdf:
        texts = [bytes(operands[1].ActualText) for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
                 if operator == pikepdf.Operator("BDC") and operands[0] == "/Word"]
    assert len([text for text in texts if text != b"\x01"]) == len(MIXED)  # one per line
    assert all(line in screen_reader_view(path) for line in MIXED.values())


@pytest.mark.parametrize("view", [copy_view_poppler, copy_view_pdfium], ids=["poppler", "pdfium"])
def test_a_period_at_the_end_of_a_bold_text_box_stays_with_its_sentence(engine, tmp_path, view):
    pdf = pdf_of(engine, tmp_path, BOX_EDGE, "box-edge")
    assert copied(view(pdf)) == BOX_EDGE_TEXT


LIST_ITEMS = ("ما الذي آمل أن يتغيّر؟", "ما العلاجات التي جرّبتها حتى الآن؟")


def list_text(engine, tmp_path: Path, view) -> str:
    path = tmp_path / "list.pdf"
    body = "<ol>" + "".join(f"<li>{item}</li>" for item in LIST_ITEMS) + "</ol>"
    path.write_bytes(screen_pdf(render_document(engine, document(body))))
    return copied(view(path))


def test_pdfium_copies_numbered_list_items_apart_from_their_numbers(engine, tmp_path):
    text = list_text(engine, tmp_path, copy_view_pdfium)
    assert all(re.search(rf"(?<!\w){re.escape(item)}(?!\w)", text) for item in LIST_ITEMS), text


# poppler glued the list number (its own text box) to the item's first word ('.2ما') until
# rtl_plan gave the number right-to-left marks of its own
def test_poppler_copies_numbered_list_items_apart_from_their_numbers(engine, tmp_path):
    text = list_text(engine, tmp_path, copy_view_poppler)
    assert all(re.search(rf"(?<!\w){re.escape(item)}(?!\w)", text) for item in LIST_ITEMS), text


def test_without_it_the_engines_scramble_the_marks(engine, tmp_path, monkeypatch):
    # the tests above can fail: WeasyPrint's own painting splits the words at the vowel marks
    weasyprint_painting(monkeypatch)
    pdf = pdf_of(engine, tmp_path, MARKS_LATIN_NUMBER, "plain")
    assert copied(copy_view_poppler(pdf)) != MARKS_LATIN_NUMBER
    assert copied(copy_view_pdfium(pdf)) != MARKS_LATIN_NUMBER


def page_image(pdf: Path) -> Image.Image:
    """The first page at 100 dpi, in grey."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", str(pdf), str(prefix)], check=True)
    return Image.open(prefix.with_suffix(".png")).convert("L")


def test_the_page_looks_the_same_and_reads_the_same(engine, tmp_path, monkeypatch):
    text = " ".join([MARKS_LATIN_NUMBER, BRACKETS, *EXACT.values(), BOX_EDGE, *MIXED])
    painted = pdf_of(engine, tmp_path, text, "painted")
    weasyprint_painting(monkeypatch)
    plain = pdf_of(engine, tmp_path, text, "plain")
    difference = ImageChops.difference(page_image(painted), page_image(plain))
    # every glyph in its place: at most a level of anti-aliasing here and there (the TJ moves are
    # written with three decimals, WeasyPrint writes them in full)
    assert difference.getextrema()[1] <= 8  # the largest difference of a grey level
    assert screen_reader_view(painted) == screen_reader_view(plain)
    assert check_pdf(pikepdf.open(painted)) == []


def content_streams(pdf: Path) -> list[bytes]:
    with pikepdf.open(pdf) as document:
        return [page.obj.Contents.read_bytes() for page in document.pages]


def test_a_dutch_line_is_painted_by_weasyprint_byte_for_byte(engine, tmp_path, monkeypatch):
    painted = content_streams(pdf_of(engine, tmp_path, DUTCH, "nl-painted", "nl"))
    weasyprint_painting(monkeypatch)
    assert content_streams(pdf_of(engine, tmp_path, DUTCH, "nl-plain", "nl")) == painted


def test_the_print_conversion_keeps_the_actual_text_and_reads_it_fast(engine, tmp_path):
    from leafpress.formats.print.pdfx.content import kept_marked_content
    from leafpress.formats.print.pdfx.content_fast import _OPERATION

    pdf = pdf_of(engine, tmp_path, MARKS_LATIN_NUMBER, "print-source")
    with pikepdf.open(pdf) as document:
        data = document.pages[0].Contents.read_bytes()
    position = 0
    while position < len(data):  # the fast pass (no pikepdf parse) reads every operation
        match = _OPERATION.match(data, position)
        assert match is not None and match.end() > position, data[position:position + 80]
        position = match.end()
    kept: list[bool] = []
    assert [kept_marked_content(kept, op, actual) for op, actual in
            [("BDC", False), ("BDC", True), ("BDC", True), ("EMC", False), ("EMC", False), ("BMC", False),
             ("EMC", False), ("EMC", False), ("MP", False)]] == [False, True, True, True, True, False, False,
                                                                 False, False]
    assert kept == []
