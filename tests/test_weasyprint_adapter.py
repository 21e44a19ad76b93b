"""leafpress.upstream.weasyprint_adapter: one test per WeasyPrint internal it reaches, against the
installed WeasyPrint. Each fails with a sentence naming what changed and the report in
leafpress/upstream/weasyprint.md (A1-A6) it belongs to: the day one fails, the fix that needs the
internal is checked against the new WeasyPrint, or dropped if WeasyPrint closed the gap."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import weasyprint
import weasyprint.pdf
from weasyprint import HTML
from weasyprint.draw import text as weasyprint_text
from weasyprint.formatting_structure import boxes as weasyprint_boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.pdf.tags import add_tags

from leafpress.upstream import weasyprint_adapter as adapter

REPO = Path(__file__).resolve().parent.parent
PICTURE = REPO / "tests" / "roots" / "basic" / "content" / "media" / "schema.png"
REPORTS = "leafpress/upstream/weasyprint.md"


def changed(what: str, section: str) -> str:
    return f"WeasyPrint {weasyprint.__version__} changed {what}: see {REPORTS} {section} and the adapter"


def recorded(html: str):
    """(the recording, the PDF bytes) of ``html`` written as pdf/ua-1 through the recorder."""
    document = HTML(string=html).render()
    with adapter.recording_tags() as recording:
        data = document.write_pdf(pdf_variant="pdf/ua-1")
    return recording, data


def structure_type(pdf_object) -> str | None:
    return pdf_object.get("S") if isinstance(pdf_object, dict) and pdf_object.get("Type") == "/StructElem" else None


# --- A1: the tag builder, replaced for one write, and its local ``box`` ---------------

def test_a1_the_tag_builder_is_called_by_name_with_the_signature_the_recorder_takes():
    assert weasyprint.pdf.add_tags is add_tags, changed("where generate_pdf finds add_tags", "A1")
    assert "add_tags" in weasyprint.pdf.generate_pdf.__code__.co_names, changed(
        "generate_pdf: it no longer calls add_tags by its module-global name, so the recorder is not used", "A1")
    assert list(inspect.signature(add_tags).parameters) == ["pdf", "document", "pdf_version", "page_streams"], \
        changed("the signature of weasyprint.pdf.tags.add_tags", "A1")


def test_a1_the_recorder_learns_the_box_of_every_element_from_the_builders_frame():
    recording, _ = recorded("<html lang=nl><title>t</title><p>Hallo <em>daar</em></p>")
    made = [(structure_type(pdf_object), box) for pdf_object, box in recording.made if structure_type(pdf_object)]
    assert made, changed("add_tags: the recorder saw no structure element being added", "A1")
    boxes_of = {kind: box for kind, box in made if kind != "/Document"}
    assert "/P" in boxes_of, changed("add_tags: no /P element for a <p>", "A1")
    for kind, box in made:
        if kind != "/Document":
            assert box is not None, changed(
                f"add_tags: no local named 'box' in the frame that adds a {kind} element", "A1")
    assert getattr(boxes_of["/P"], "element_tag", None) == "p", changed(
        "add_tags: the local 'box' where a /P is added is not the <p>'s box", "A1")


def test_a1_the_builder_is_put_back_and_a_foreign_one_is_refused(monkeypatch):
    with pytest.raises(RuntimeError, match="mid-write"), adapter.recording_tags():
        assert weasyprint.pdf.add_tags is not add_tags
        raise RuntimeError("mid-write")
    assert weasyprint.pdf.add_tags is add_tags
    monkeypatch.setattr(weasyprint.pdf, "add_tags", lambda *arguments: None)
    with pytest.raises(adapter.WeasyPrintChanged, match="not WeasyPrint 70's tag builder"), adapter.recording_tags():
        pass


# --- A2: a page's box-to-MCID table, ``stream._tags`` -----------------------------------

def test_a2_each_page_stream_has_a_box_to_mcid_table_the_builder_pops():
    source = inspect.getsource(weasyprint.pdf.stream.Stream)
    assert "self._tags[box] = {'tag': tag, 'mcid': mcid}" in source, changed(
        "Stream._tags (box -> {'tag', 'mcid'}) in weasyprint.pdf.stream", "A2")
    assert "stream._tags" in inspect.getsource(add_tags), changed("add_tags: it no longer reads stream._tags", "A2")
    recording, _ = recorded("<html lang=nl><title>t</title><p>Hallo</p><p>daar</p>")
    assert recording.painted, changed("add_tags: it took no MCID from stream._tags with pop()", "A2")
    texts = [box.text for _, box, _ in recording.painted if isinstance(box, weasyprint_boxes.TextBox)]
    assert texts == ["Hallo", "daar"], changed("add_tags: the boxes it pops from stream._tags", "A2")
    assert [mcid for page, _, mcid in recording.painted] == list(range(len(recording.painted))), changed(
        "the MCIDs in stream._tags (no longer 0, 1, 2... in painting order)", "A2")


# --- A3: the laid-out boxes ----------------------------------------------------------

def test_a3_a_page_keeps_its_laid_out_box_tree_in_page_box():
    document = HTML(string="<html lang=nl><title>t</title><p>Hallo</p>").render()
    page = document.pages[0]
    assert hasattr(page, "_page_box"), changed("weasyprint.Page: it has no _page_box", "A3")
    assert isinstance(adapter.page_box(page), weasyprint_boxes.PageBox), changed("Page._page_box: not a PageBox", "A3")
    texts = [box.text for box in adapter.walk(adapter.page_box(page)) if isinstance(box, weasyprint_boxes.TextBox)]
    assert texts == ["Hallo"], changed("the box tree under Page._page_box", "A3")


def test_a3_an_absolutely_placed_box_is_a_placeholder_holding_it_in_box():
    html = "<html lang=nl><title>t</title><div style='position: relative'><p style='position: absolute'>Vast</p></div>"
    document = HTML(string=html).render()
    placeholders = []
    stack = [adapter.page_box(document.pages[0])]
    while stack:  # the raw tree, without the adapter's walk
        box = stack.pop()
        placeholders += [child for child in getattr(box, "children", ()) if isinstance(child, AbsolutePlaceholder)]
        stack.extend(getattr(box, "children", ()))
    assert placeholders, changed("absolute layout: no AbsolutePlaceholder left in the flow", "A3")
    assert all(isinstance(placeholder._box, weasyprint_boxes.Box) for placeholder in placeholders), changed(
        "AbsolutePlaceholder: its box is no longer in _box", "A3")
    texts = [box.text for box in adapter.walk(adapter.page_box(document.pages[0]))
             if isinstance(box, weasyprint_boxes.TextBox)]
    assert texts == ["Vast"], changed("what AbsolutePlaceholder._box holds", "A3")


def test_a3_the_box_classes_and_the_attributes_the_fixes_read():
    for name in adapter.__all__:
        if name != "RasterImage":
            assert getattr(adapter, name) is getattr(weasyprint_boxes, name, None), changed(
                f"weasyprint.formatting_structure.boxes.{name}", "A3")
    html = ("<html lang=nl><title>t</title><style>@page { @bottom-center { content: 'Pagina ' counter(page) } }"
            "</style><p dir=rtl>Hallo <a href='https://example.org/'>daar</a></p>")
    document = HTML(string=html).render()
    document.write_pdf()  # which sets each link's link_annotation, as in the tag finisher
    found = list(adapter.walk(adapter.page_box(document.pages[0])))
    kinds = {type(box).__name__ for box in found}
    for name in ("TextBox", "InlineBox", "LineBox", "MarginBox"):
        assert name in kinds, changed(f"layout: no {name} where one was laid out", "A3")
    margins = [box for box in found if isinstance(box, adapter.MarginBox)]
    assert [box.at_keyword for box in margins] == ["@bottom-center"], changed("MarginBox.at_keyword", "A3")
    links = [box for box in found if getattr(box, "link_annotation", None) is not None]
    assert [box.element.tag for box in links] == ["a"], changed("the link_annotation of a link's box", "A3")
    hallo = next(box for box in found if isinstance(box, adapter.TextBox) and box.text.startswith("Hallo"))
    assert hallo.style["direction"] == "rtl" and hallo.style["lang"] == "nl", changed("a box's style", "A3")
    assert hallo.element is not None and hallo.element.tag == "p", changed("a text box's element", "A3")
    assert "lang" in hallo.style and "position" in hallo.style and "float" in hallo.style, changed("style keys", "A3")


def test_a3_footnote_areas_and_replaced_boxes_are_the_classes_named():
    html = (f"<html lang=nl><title>t</title><p>Hallo<span style='float: footnote'>noot</span></p>"
            f"<img src='{PICTURE.as_uri()}' alt='Schema'>")
    document = HTML(string=html).render()
    found = list(adapter.walk(adapter.page_box(document.pages[0])))
    assert any(isinstance(box, adapter.FootnoteAreaBox) for box in found), changed("the footnote area's class", "A3")
    images = [box for box in found if isinstance(box, adapter.ReplacedBox)]
    assert images and isinstance(images[0].replacement, adapter.RasterImage), changed("a picture's box", "A3")
    assert images[0].element.attrib.get("alt") == "Schema", changed("a replaced box's element", "A3")


# --- A4: draw_first_line, replaced; its glyph loop repeated ----------------------------

def test_a4_draw_first_line_is_the_function_rtl_paint_repeats():
    assert adapter.draw_first_line_unchanged(), changed(
        "weasyprint.draw.text.draw_first_line (its source's sha256): check leafpress.formats.pdf.rtl_glyphs."
        "line_glyphs against it, then update DRAW_FIRST_LINE_SHA256", "A4")
    original = inspect.unwrap(weasyprint_text.draw_first_line)
    assert list(inspect.signature(original).parameters) == [
        "stream", "textbox", "text_overflow", "block_ellipsis", "matrix"], changed("draw_first_line's signature", "A4")
    assert "draw_first_line" in weasyprint_text.draw_text.__code__.co_names, changed(
        "draw_text: it no longer calls draw_first_line by its module-global name", "A4")


def test_a4_the_painter_put_in_place_paints_every_line_and_gives_the_original_back():
    """In a child process: the painter is put in place once per process."""
    script = """
import inspect, sys
from weasyprint import HTML
from weasyprint.draw import text
from leafpress.upstream import weasyprint_adapter as adapter
original = text.draw_first_line
seen = []
def paint_line(draw, stream, textbox, *rest):
    seen.append(textbox.text)
    return draw(stream, textbox, *rest)
assert not adapter.line_painter_installed()
adapter.install_line_painter(paint_line)
adapter.install_line_painter(lambda *arguments: 1 / 0)  # a second call does nothing
plain = HTML(string="<p>een twee</p>").render().write_pdf()
assert adapter.line_painter_installed() and inspect.unwrap(text.draw_first_line) is original
text.draw_first_line = original
sys.stdout.write(repr(seen) + " " + str(plain == HTML(string="<p>een twee</p>").render().write_pdf()))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "['een twee'] True", changed("how draw_text calls draw_first_line per line", "A4")


def test_a4_the_page_planner_sees_each_page_box_before_its_lines_are_painted():
    """In a child process: ``draw_page`` is wrapped once, the plan of a page is what its lines read."""
    script = """
import inspect, sys
from weasyprint import HTML, document
from weasyprint.formatting_structure import boxes
from leafpress.upstream import weasyprint_adapter as adapter
original = document.draw_page
pages, read = [], []
def plan(page_box):
    pages.append(isinstance(page_box, boxes.PageBox))
    return len(pages)
def paint_line(draw, stream, textbox, *rest):
    read.append(adapter.page_plan_of(stream))
    return draw(stream, textbox, *rest)
adapter.install_page_planner(plan)
adapter.install_page_planner(lambda page: 1 / 0)  # a second call does nothing
adapter.install_line_painter(paint_line)
HTML(string="<p>een</p><p style='break-before: page'>twee</p>").render().write_pdf()
assert inspect.unwrap(document.draw_page) is original
sys.stdout.write(repr((pages, read)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "([True, True], [1, 2])", changed(
        "weasyprint.document: it no longer calls draw_page(page_box, stream) by its module name per page", "A4")


# --- A5: the fonts of a written document ---------------------------------------------

def test_a5_a_written_document_keeps_its_fonts_with_the_text_of_each_glyph():
    document = HTML(string="<html lang=nl><title>t</title><p>een twee</p>").render()
    data = document.write_pdf(uncompressed_pdf=True)
    assert document.fonts, changed("Document.fonts: empty after write_pdf", "A5")
    for font in document.fonts.values():
        assert isinstance(font.to_unicode, dict) and isinstance(font.hash, str) and isinstance(font.bitmap, bool), \
            changed("weasyprint.pdf.fonts.Font (to_unicode, hash, bitmap)", "A5")
    spaces = adapter.space_glyphs(document)
    assert spaces, changed("Font.to_unicode: no glyph maps to a space", "A5")
    for name, glyph in spaces.items():
        assert re.fullmatch(rb"<[0-9a-f]{4}>", glyph), changed("the glyph codes of Font.to_unicode", "A5")
        assert b"/" + name in data, changed("Font.hash: not the font's resource name in the PDF", "A5")


# --- A6: two values set from outside ---------------------------------------------------

def test_a6_font_subsetting_asks_the_module_ffi_for_sized_arrays():
    assert hasattr(weasyprint_fonts, "ffi") and hasattr(weasyprint_fonts.ffi, "new"), changed(
        "weasyprint.pdf.fonts.ffi (the module global the font-array fix wraps)", "A6, S1")
    assert "ffi.new(f'hb_codepoint_t[{" in inspect.getsource(weasyprint_fonts), changed(
        "font subsetting: no sized hb_codepoint_t arrays any more (S1 may be fixed: drop font_arrays)", "A6, S1")


def test_a6_a_raster_image_is_written_under_its_id(tmp_path):
    shutil.copy(PICTURE, tmp_path / "schema.png")
    cache: dict = {}
    document = HTML(string="<img src='schema.png' alt='Schema'>", base_url=str(tmp_path) + "/").render(cache=cache)
    images = [image for image in cache.values() if isinstance(image, adapter.RasterImage)]
    assert len(images) == 1 and isinstance(images[0].image_data.data, bytes), changed(
        "the image cache of render(cache=...) or RasterImage.image_data", "A6, 16")
    adapter.rename_raster_images(cache, lambda data: "feedface" + str(len(data) > 0))
    assert b"/ifeedfaceTrue" in document.write_pdf(uncompressed_pdf=True), changed("the XObject name written from RasterImage.id", "A6, 16")


def test_a4_what_rtl_paint_calls_besides_the_repeated_loop_is_there():
    """rtl_paint's painting (another module's code) calls pango through WeasyPrint's ffi and paints
    with WeasyPrint's Stream; what it calls outside the glyph loop the hash guards is checked here."""
    from weasyprint.pdf.stream import Stream
    from weasyprint.text import ffi as weasyprint_ffi

    for name in ("pango_layout_set_single_paragraph_mode", "pango_version", "pango_font_get_glyph_extents",
                 "PANGO_GLYPH_EMPTY", "PANGO_GLYPH_UNKNOWN_FLAG"):
        assert hasattr(weasyprint_ffi.pango, name), changed(f"weasyprint.text.ffi.pango.{name}", "A4")
    assert hasattr(weasyprint_ffi, "FROM_UNITS") and hasattr(weasyprint_ffi.ffi, "NULL"), changed(
        "weasyprint.text.ffi (FROM_UNITS, ffi)", "A4")
    for name in ("add_font", "set_text_matrix", "set_font_size", "set_text_rise", "show_text",
                 "begin_marked_content", "end_marked_content"):
        assert callable(getattr(Stream, name, None)), changed(f"weasyprint.pdf.stream.Stream.{name}", "A4")
    assert "self.ink_rect" in inspect.getsource(Stream) and "self.logical_rect" in inspect.getsource(Stream), \
        changed("Stream.ink_rect and Stream.logical_rect", "A4")
