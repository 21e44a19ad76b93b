"""The leaflet's tags written with fewer bytes (leafpress.formats.pdf.tag_bytes) and its text shown without
zero adjustments (leafpress.formats.pdf.text_runs), and nothing a reader gets changed by either.

Each test makes the screen PDF of one real leaflet twice from the same layout: once
as it is shipped, once with both savings switched off, and compares the two.
"""

from __future__ import annotations

import io
import re
import zlib
from functools import cache

import pikepdf
import pydyf
import pytest

from conftest import REPO
from leafpress.build.pipeline import Job, Session, published_languages
from leafpress.formats.leaflet_job import leaflet_html
from leafpress.formats.pdf import tags as pdf_tags
from leafpress.formats.pdf import text_runs
from leafpress.formats.pdf.leaflet import render_document, screen_pdf
from leafpress.formats.pdf.tag_bytes import StructElement, compact
from leafpress.formats.pdf.tags.tree import TextString
from leafpress.formats.pdf.text_runs import without_zeros
from leafpress.source.load import load_project
from leafpress.validate.pdfua import check_pdf, spoken_languages
from leafpress.validate.reader_views import (
    copy_view_pdfium,
    copy_view_poppler,
    screen_reader_view,
)

LEAFLETS = [("nl", "ketamine-en-mdma"), ("ar", "ketamine-en-mdma"), ("pl", "microdosing-in-therapie")]


@cache
def both_pdfs(lang: str, article_id: str) -> tuple[bytes, bytes]:
    """(as shipped, without the two savings) of one leaflet of the real catalogue, one layout."""
    project, _ = load_project(REPO)
    session = Session(project, published_languages(project))
    document = render_document(session.pdf_engine(), leaflet_html(session, Job("leaflet", lang, article_id, False)))
    shipped = screen_pdf(document)
    saved = (pdf_tags.write_compactly, text_runs.drop_zero_adjustments)
    pdf_tags.write_compactly, text_runs.drop_zero_adjustments = (lambda *_: None), (lambda *_: None)
    try:
        before = screen_pdf(document)
    finally:
        pdf_tags.write_compactly, text_runs.drop_zero_adjustments = saved
    return shipped, before


def object_stream(data: bytes) -> bytes:
    """The decoded object stream (pydyf writes one, with every dictionary) of ``data``."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/ObjStm"]
        assert len(streams) == 1
        return streams[0].read_bytes()


def content(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return b"".join(page.Contents.read_bytes() for page in pdf.pages)


@pytest.mark.parametrize("lang, article_id", LEAFLETS)
def test_every_reader_gets_the_same(lang, article_id):
    shipped, before = (pikepdf.open(io.BytesIO(data)) for data in both_pdfs(lang, article_id))
    assert screen_reader_view(shipped) == screen_reader_view(before)
    assert spoken_languages(shipped) == spoken_languages(before)
    assert check_pdf(shipped) == []


@pytest.mark.parametrize("lang, article_id", LEAFLETS)
def test_copy_views_are_the_same(tmp_path, lang, article_id):
    shipped, before = tmp_path / "shipped.pdf", tmp_path / "before.pdf"
    for path, data in zip((shipped, before), both_pdfs(lang, article_id)):
        path.write_bytes(data)
    assert copy_view_poppler(shipped) == copy_view_poppler(before)
    assert copy_view_pdfium(shipped) == copy_view_pdfium(before)


@pytest.mark.parametrize("lang, article_id", LEAFLETS)
def test_the_screen_pdf_is_smaller(lang, article_id):
    shipped, before = both_pdfs(lang, article_id)
    # measured: 400 to 1,600 bytes a leaflet, tags and text together
    assert len(before) - len(shipped) > 300


def test_structure_elements_are_written_without_type_brackets_or_spaces():
    shipped, before = both_pdfs("nl", "ketamine-en-mdma")
    stream = object_stream(shipped)
    assert b"/StructElem" not in stream and b"/StructElem" in object_stream(before)
    # a paragraph with one marked-content sequence: its MCID as /K, with no brackets
    assert re.search(rb"<</S/P/K \d+/Pg \d+ 0 R/P \d+ 0 R>>", stream)
    assert not re.search(rb"/K \[\d+\]", stream)
    # a title of the reference list: a Span with /Lang en
    assert re.search(rb"<</S/Span/K \d+/Pg \d+ 0 R/P \d+ 0 R/Lang\(en\)>>", stream)
    # an element with only elements below it has no /Pg
    with pikepdf.open(io.BytesIO(shipped)) as pdf:
        document = pdf.Root.StructTreeRoot.K[0]
        assert "/Pg" not in document and "/Type" not in document
        part = document.K
        assert isinstance(part, pikepdf.Dictionary) and part.S == "/Part" and "/Pg" not in part


def test_a_struct_element_keeps_its_keys_and_writes_compactly():
    element = StructElement({"Type": "/StructElem", "S": "/Span", "K": [3],
                             "P": b"7 0 R", "Pg": b"4 0 R", "Lang": TextString("en")})
    assert element.data == b"<</S/Span/K 3/P 7 0 R/Pg 4 0 R/Lang(en)>>"
    assert element["Type"] == "/StructElem"  # a later step still sees what it was
    grouping = StructElement({"S": "/Div", "K": [b"8 0 R", b"9 0 R"], "P": b"7 0 R", "Pg": b"4 0 R"})
    assert grouping.data == b"<</S/Div/K[8 0 R 9 0 R]/P 7 0 R>>"
    continued = StructElement({"S": "/P", "K": [pydyf.Dictionary({"Type": "/MCR", "Pg": b"5 0 R", "MCID": 2})], "P": b"7 0 R",
                               "Pg": b"4 0 R"})
    assert continued.data == b"<</S/P/K<</Type/MCR/Pg 5 0 R/MCID 2>>/P 7 0 R>>"
    assert compact([1, b"2 0 R", "/Name"]) == b"[1 2 0 R /Name]"


def test_zero_adjustments_are_gone_and_the_others_stay():
    assert without_zeros(b"[<0025>0<004c>20<0003>0] TJ") == b"[<0025004c>20<0003>] TJ"
    assert without_zeros(b"[<0025>-0.5<004c>10<0003>] TJ") == b"[<0025>-0.5<004c>10<0003>] TJ"
    shipped, before = both_pdfs("ar", "ketamine-en-mdma")
    assert b">0<" in content(before) and b">0<" not in content(shipped)
    assert re.search(rb">-?[1-9]\d*<", content(shipped))  # kerning is kept


def test_compression_is_what_pydyf_writes():
    # the object stream stays one Flate stream at zlib level 9: the saving is in the bytes written
    shipped, _ = both_pdfs("pl", "microdosing-in-therapie")
    raw = object_stream(shipped)
    with pikepdf.open(io.BytesIO(shipped)) as pdf:
        stream = next(o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/ObjStm")
        assert len(stream.read_raw_bytes()) == len(zlib.compress(raw, 9))
