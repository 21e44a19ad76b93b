"""Six languages in the real catalogue: catalogs valid, fonts complete, scripts and directions right."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from conftest import REPO

LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk")
TARGETS = ("en", "ar", "tr", "pl", "uk")
ARTICLES = ("microdoseren-ketamine", "ketamine-en-mdma", "microdosing-in-therapie")
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3;",
    "uk": "nplurals=3;",
    "ar": "nplurals=6;",
}


def catalogs() -> list[Path]:
    return sorted((REPO / "translations").glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("po", catalogs(), ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_catalog_passes_msgfmt_check_and_has_its_plural_forms(po):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with po.open("rb") as handle:
        catalog = read_po(handle)
    lang = po.parts[-3]
    assert catalog.plural_forms.startswith(PLURAL_FORMS[lang])


def test_every_language_has_every_catalog():
    for lang in TARGETS:
        for domain in ("ui", "shared", *ARTICLES):
            assert (REPO / "translations" / lang / "LC_MESSAGES" / f"{domain}.po").exists(), (lang, domain)


def test_every_article_is_built_in_every_language(real_built):
    for lang in LANGUAGES:
        for article in ARTICLES:
            for kind in ("leaflets",):
                assert real_built.path(f"dist/{kind}/{lang}/{article}.pdf").exists(), (kind, lang, article)
        assert real_built.path(f"dist/booklets/{lang}/psychedelica-en-ggz.epub").exists(), lang


def bundled_characters() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "templates" / "fonts").glob("*.ttf"):
        found |= {chr(code) for code in TTFont(path)["cmap"].getBestCmap()}
    return found


def embedded_fonts(pdf: pikepdf.Pdf) -> set[str]:
    names = set()
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.BaseFont).lstrip("/")).replace("-", ""))
    return names


def test_every_character_has_a_glyph_in_the_bundled_fonts(real_built):
    available = bundled_characters() | {"\n", "\x0c", " "}
    for path in sorted(real_built.path("dist/leaflets").rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            fonts = embedded_fonts(pdf)
        assert fonts and all(name.startswith(("NotoSans", "NotoNaskhArabic")) for name in fonts), (path, fonts)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        missing = {c for c in text if c not in available}
        assert not missing, (path, sorted(missing))


def test_scripts_languages_and_directions(real_built):
    cyrillic = re.compile("[\u0400-\u04ff]")
    arabic = re.compile("[\u0600-\u06ff]")
    for lang in LANGUAGES:
        path = real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf")
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == lang
        first_page = ["pdftotext", "-f", "1", "-l", "1", str(path), "-"]  # the back page names all languages
        text = subprocess.run(first_page, capture_output=True, text=True, check=True).stdout
        assert bool(cyrillic.search(text)) == (lang == "uk"), lang
        assert bool(arabic.search(text)) == (lang == "ar"), lang
        with zipfile.ZipFile(real_built.path(f"dist/booklets/{lang}/psychedelica-en-ggz.epub")) as book:
            opf = book.read("EPUB/content.opf").decode()
            chapter = book.read("EPUB/ketamine-en-mdma.xhtml").decode()
        assert f'xml:lang="{lang}"' in opf
        if lang == "ar":
            assert 'page-progression-direction="rtl"' in opf
            assert 'dir="rtl"' in chapter
        else:
            assert "page-progression-direction" not in opf
            assert 'dir="ltr"' in chapter


def test_other_languages_are_named_in_their_own_script(real_built):
    text = subprocess.run(["pdftotext", str(real_built.path("dist/leaflets/nl/ketamine-en-mdma.pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    for name in ("English", "العربية", "Türkçe", "Polski", "Українська"):
        assert name in text, name


def test_dates_and_page_counters_follow_the_locale(real_built):
    expected = {"nl": "pagina 1 van", "pl": "strona 1 z", "uk": "сторінка 1 з"}
    for lang, counter in expected.items():
        text = subprocess.run(["pdftotext", str(real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf")),
                               "-"], capture_output=True, text=True, check=True).stdout
        assert counter in text.lower(), lang
    nl = subprocess.run(["pdftotext", str(real_built.path("dist/leaflets/nl/ketamine-en-mdma.pdf")), "-"],
                        capture_output=True, text=True, check=True).stdout
    assert re.search(r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                     r"december) 20\d\d", nl)


def test_citations_in_arabic_stay_whole_and_in_reading_order(real_built):
    """A Latin citation is one unit in a right-to-left line: never split over two lines, read in order."""
    from leafpress.validate.pdfua.reading import element_texts

    path = real_built.path("dist/leaflets/ar/ketamine-en-mdma.pdf")
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert any("European Medicines Agency, 2019" in line for line in layout.splitlines())
    paragraphs = element_texts(path, "P")
    said = [p for p in paragraphs if "European Medicines Agency" in p]
    # the EPAR (2019) and the package leaflet (2023)
    assert len(said) >= 3 and all(re.search(r"\(European Medicines Agency, 20(19|23)", p) for p in said)
    assert any(re.search(r"\(Popova وآخرون، 2019\)|\(Popova وآخرون, 2019\)", p) for p in paragraphs)


@pytest.mark.parametrize("html, expected", [
    ("(European Medicines Agency, 2019)",
     '<span class="citation" dir="ltr">(European\u00a0Medicines\u00a0Agency,\u00a02019)</span>'),
    ("(Popova وآخرون, 2019; Mitchell, 2021)",
     '<span class="citation" dir="rtl">(Popova\u00a0وآخرون,\u00a02019; Mitchell,\u00a02021)</span>'),
    ('(<span class="nocase">iPhone</span> Study, 2020)',
     '<span class="citation" dir="ltr">(<span class="nocase">iPhone</span>\u00a0Study,\u00a02020)</span>'),
])
def test_isolate_citation(html, expected):
    from leafpress.markdown.html_rules import isolate_citation

    assert isolate_citation(html) == expected


def test_arabic_reference_list_and_web_address_read_left_to_right(real_built):
    """Latin references and the web address keep their own order on the page of an Arabic leaflet."""
    path = real_built.path("dist/leaflets/ar/ketamine-en-mdma.pdf")
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert re.search(r"Therapeutic Goods Administration\. \S2023\S\. Understanding the changes to MDMA", layout)
    assert re.search(r"Morgan, C\. J\. A\., Curran, H\. V\., & Independent Scientific Committee on Drugs\.\s+\S2012\S\. "
                     r"Ketamine use: a review", layout)
    assert re.search(r"(^|\s|\u202a|\u202b)www\.ggz-voorbeeldkliniek\.nl/folders/ar/ketamine-en-mdma/", layout)


@pytest.mark.parametrize("html, expected", [
    ("Popova, V. (2019). <i>Efficacy</i>.", "ltr"),
    ("<span>وزارة الصحة</span> (2020).", "rtl"),
    ("(2019) 123", "ltr"),
])
def test_text_direction_is_the_first_letters(html, expected):
    from leafpress.markdown.html_rules import text_direction

    assert text_direction(html) == expected
