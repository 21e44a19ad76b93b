"""Scripts and digits: a Tigrinya (Ethiopic) and a Persian translation of one short article.

The fixture (tests/roots/scripts) has Persian complete and Tigrinya in part, so it
is built with --draft. What is asserted is what a reader gets: the letters in the
PDF text and drawn with a font that has them, the digits and commas of the page,
the fonts inside the EPUB, and for a script no bundled font covers, one error
that says what to do, with nothing in dist/ changed.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from contextlib import redirect_stderr
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOTS, Project, copy_project
from leafpress.cli import main
from leafpress.validate.reader_views import without_bidi_controls

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def pdf_text(path: Path, *options: str) -> str:
    text = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return without_bidi_controls(text)


def digits_on_lines_with(text: str, word: str) -> set[str]:
    """The digits of every line that has ``word`` (pdftotext moves digits about in
    right-to-left lines, so the lines' digits are compared, not their order)."""
    lines = [line for line in text.splitlines() if word in line]
    assert lines, f"{word!r} not in the text"
    return set(re.findall(r"\d", " ".join(lines)))


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def visible_text(xhtml: bytes) -> str:
    body = re.split(r"<body[^>]*>", xhtml.decode("utf-8"), maxsplit=1)[1]
    blocks = re.sub(r"</?(?:p|h\d|li|ul|ol|div|section|header|nav)\b[^>]*>", " ", body)
    return " ".join(without_bidi_controls(unescape(re.sub(r"<[^>]+>", "", blocks))).split())


def scripts_copy(target: Path) -> Project:
    return copy_project(ROOTS / "scripts", target)


def remove_ethiopic_font(project: Project) -> None:
    """The templates as they were before Ethiopic was bundled: no font files, no @font-face."""
    for font in project.path("templates/fonts").glob("NotoSansEthiopic-*"):
        font.unlink()
    for css in project.path("templates").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        kept = [line for line in text.splitlines(keepends=True) if "@font-face" not in line or "Ethiopic" not in line]
        css.write_text("".join(kept).replace(', "Noto Sans Ethiopic"', ""), encoding="utf-8")


@pytest.fixture(scope="module")
def scripts_built(tmp_path_factory) -> tuple[Project, str]:
    """The fixture built once in all three languages; with what the build printed."""
    project = scripts_copy(tmp_path_factory.mktemp("scripts-built") / "scripts")
    printed = io.StringIO()
    with redirect_stderr(printed):
        code = main(["all", "--draft", "-j1", "--root", str(project.root)])
    assert code == 0, printed.getvalue()
    return project, printed.getvalue()


# -- row 9: every script has a font; tofu is never published ------------------------

def test_tigrinya_and_persian_leaflets_show_their_letters(scripts_built):
    project, printed = scripts_built
    assert "notdef" not in printed and "[render.weasyprint]" not in printed
    tigrinya = project.path("dist/leaflets/ti/goed-slapen.pdf")
    text = pdf_text(tigrinya)
    for words in ("ጽቡቕ ድቃስ", "ድቃስ ንጥዕናኻ ኣገዳሲ እዩ", "ሕቶ እንተሎካ፣ ሓኪምካ ሕተት።", "ምንጭታት"):
        assert words in text
    # drawn with a font that has the letters, not as .notdef boxes of Noto Sans
    assert "NotoSansEthiopic" in pdf_fonts(tigrinya).replace("-", "")
    persian = project.path("dist/leaflets/fa/goed-slapen.pdf")
    text = pdf_text(persian)
    for words in ("خوب خوابیدن", "به رختخواب بروید", "توصیهٔ پزشکی نیست"):
        assert words in text
    assert "NotoNaskhArabic" in pdf_fonts(persian).replace("-", "")


def test_a_script_without_a_font_is_one_error_and_nothing_is_written(tmp_path, capsys):
    project = scripts_copy(tmp_path / "scripts")
    assert project.build(capsys, "all", "--draft", "-j1").code == 0
    before = project.outputs()
    remove_ethiopic_font(project)
    run = project.build(capsys, "all", "--draft", "-j1")
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if "[font.missing-script]" in line]
    assert errors == [
        "translations/ti/LC_MESSAGES/goed-slapen.po:23: error: the bundled fonts have no Ethiopic "
        "letters (ጽቡቕ…); add a font that covers Ethiopic to templates/fonts/ and its @font-face to "
        "templates/leaflet.css [font.missing-script]"]
    assert "notdef" not in run.err and "nothing was written" in run.err
    assert project.outputs() == before


def test_a_font_face_whose_file_is_gone_is_an_error(tmp_path, capsys):
    project = scripts_copy(tmp_path / "scripts")
    project.path("templates/fonts/NotoSansEthiopic-Bold.ttf").unlink()
    run = project.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert run.code == 1
    assert re.search(r"^templates/leaflet\.css:\d+: error: the font file fonts/NotoSansEthiopic-Bold\.ttf "
                     r"of this @font-face is not there .*\[font\.missing-file\]$", run.err, re.M), run.err
    assert not project.path("dist/leaflets").exists()


def test_tofu_the_check_cannot_foresee_stops_that_leaflet(tmp_path, capsys):
    """Text that comes from a template (here a Vai letter no bundled font has) is
    found when the leaflet is laid out: one error for the script, and no leaflet."""
    project = scripts_copy(tmp_path / "scripts")
    project.edit("templates/leaflet.html", "<main>", "<main><p>ꔀꔁ</p>")
    run = project.build(capsys, "leaflets", "--lang", "nl", "-j1")
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if "[font.missing-script]" in line]
    assert errors == ["dist/leaflets/nl/goed-slapen.pdf: error: the bundled fonts have no Vai letters (ꔀꔁ); "
                      "add a font that covers Vai to templates/fonts/ and its @font-face to "
                      "templates/leaflet.css [font.missing-script]"]
    assert "notdef" not in run.err and "internal error" not in run.err
    assert not project.path("dist/leaflets/nl/goed-slapen.pdf").exists()


def test_the_tigrinya_booklet_embeds_the_ethiopic_font(scripts_built):
    from leafpress.validate.check import check_epubcheck

    project, _ = scripts_built
    book = epub_files(project.path("dist/booklets/ti/slapen.epub"))
    fonts = project.path("templates/fonts")
    for face in ("Regular", "Bold"):
        assert book[f"EPUB/fonts/NotoSansEthiopic-{face}.ttf"] == (fonts / f"NotoSansEthiopic-{face}.ttf").read_bytes()
    opf = book["EPUB/content.opf"].decode("utf-8")
    assert re.search(r'<item href="fonts/NotoSansEthiopic-Regular\.ttf" [^>]*media-type="font/ttf"', opf)
    style = book["EPUB/style.css"].decode("utf-8")
    assert re.search(r'@font-face \{ font-family: "Noto Sans Ethiopic"; '
                     r'src: url\(fonts/NotoSansEthiopic-Regular\.ttf\);', style)
    assert "ጽቡቕ ድቃስ" in visible_text(book["EPUB/goed-slapen.xhtml"])
    # Latin and Arabic script: every reading system has fonts, nothing is embedded
    for lang in ("nl", "fa"):
        assert not [n for n in epub_files(project.path(f"dist/booklets/{lang}/slapen.epub")) if "/fonts/" in n]
    result = check_epubcheck([project.path("dist/booklets/ti/slapen.epub")])
    assert result.files == 1 and not result.findings, result


# -- row 10: the language's own digits and punctuation ------------------------------

def test_persian_pages_use_persian_digits_and_punctuation(scripts_built):
    project, _ = scripts_built
    text = pdf_text(project.path("dist/leaflets/fa/goed-slapen.pdf"))
    assert digits_on_lines_with(text, "صفحه") == {"۱", "۲"}  # page 1 of 2, page 2 of 2
    assert "۲۰۹۹" in text and "2099" not in text              # next review: 1 June 2099
    assert digits_on_lines_with(text, "رختخواب") == {"۱"}     # the numbered list
    book = epub_files(project.path("dist/booklets/fa/slapen.epub"))
    chapter = visible_text(book["EPUB/goed-slapen.xhtml"])
    assert "مهم است (Walker، ۲۰۱۷، ص ۴)." in chapter
    assert "(Irish و همکاران، ۲۰۱۵؛ Walker، ۲۰۱۷)." in chapter
    # the reference list is in the language of the works it lists: as it was
    assert "Walker, M. (2017)." in visible_text(book["EPUB/references.xhtml"])
    # Tigrinya writes 0-9 (CLDR's default for ti): unchanged
    tigrinya = pdf_text(project.path("dist/leaflets/ti/goed-slapen.pdf"))
    assert "ገጽ 1 ካብ 2" in tigrinya and "(Walker, 2017, p. 4)" in tigrinya


def test_site_setting_latin_digits_for_persian(tmp_path, capsys):
    project = scripts_copy(tmp_path / "scripts")
    assert project.build(capsys, "leaflets", "--lang", "fa", "-j1").code == 0
    assert "۲۰۹۹" in pdf_text(project.path("dist/leaflets/fa/goed-slapen.pdf"))  # CLDR's default for fa
    project.edit("content/site.yaml", "format: A5", "format: A5\ndigits:\n  fa: latin")
    assert project.build(capsys, "all", "--lang", "fa", "-j1").code == 0
    text = pdf_text(project.path("dist/leaflets/fa/goed-slapen.pdf"))
    assert digits_on_lines_with(text, "صفحه") == {"1", "2"} and "2099" in text
    assert not set(PERSIAN_DIGITS) & set(text)
    chapter = visible_text(epub_files(project.path("dist/booklets/fa/slapen.epub"))["EPUB/goed-slapen.xhtml"])
    assert "(Walker, 2017, ص 4)" in chapter and "(Irish و همکاران, 2015; Walker, 2017)" in chapter


@pytest.mark.parametrize("setting, message", [
    ("digits:\n  fa: persian", "content/site.yaml:7: error: digits for 'fa' must be native or latin"),
    ("digits:\n  de: latin", "content/site.yaml:7: error: digits for 'de': 'de' is not in 'languages'"),
    ("digits: [fa]", "content/site.yaml:6: error: 'digits' must map languages to native or latin"),
])
def test_a_wrong_digits_setting_is_an_error(tmp_path, capsys, setting, message):
    project = scripts_copy(tmp_path / "scripts")
    project.edit("content/site.yaml", "format: A5", f"format: A5\n{setting}")
    run = project.build(capsys, "check")
    assert run.code == 1 and message in run.err, run.err


def test_arabic_keeps_western_digits_unless_the_site_says_native(real_copy, capsys):
    site = real_copy.path("content/site.yaml")
    site.write_text(re.sub(r"(?m)^digits:.*\n(?:  .*\n)*", "", site.read_text(encoding="utf-8")), encoding="utf-8")
    assert real_copy.build(capsys, "leaflets", "--lang", "ar", "-j1").code == 0
    leaflet = real_copy.path("dist/leaflets/ar/ketamine-en-mdma.pdf")
    text = pdf_text(leaflet, "-f", "1", "-l", "1")
    assert digits_on_lines_with(text, "الصفحة") <= set("0123456789") and not set(ARABIC_INDIC_DIGITS) & set(text)
    real_copy.edit("content/site.yaml", "format: A5", "format: A5\ndigits:\n  ar: native")
    assert real_copy.build(capsys, "leaflets", "--lang", "ar", "-j1").code == 0
    text = pdf_text(leaflet, "-f", "1", "-l", "1")
    footer = digits_on_lines_with(text, "الصفحة")
    assert "١" in footer and footer <= set(ARABIC_INDIC_DIGITS)
