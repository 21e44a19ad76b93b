"""A help line says which languages it answers in, in leaflets in another language (issue 19).

The Dutch help lines answer in Dutch; a patient who reads the Arabic leaflet
must know that before calling. ``languages:`` in content/helplines.yaml
lists them; the help-line box of a leaflet in any other language shows
"Language spoken: Dutch" in the reader's language (the label from ui.po,
the language names from Babel's CLDR data).
"""

from __future__ import annotations

import pytest

from leafpress.markdown.html_rules import spoken_elsewhere
from leafpress.validate.reader_views import screen_reader_view

SHOWN = {
    "en": "Language spoken: Dutch",
    "ar": "لغة المحادثة: الهولندية",
    "tr": "Görüşme dili: Felemenkçe",
    "pl": "Język rozmowy: niderlandzki",
    "uk": "Мова розмови: нідерландська",
}


@pytest.mark.parametrize("lang", sorted(SHOWN))
def test_a_translated_leaflet_says_the_help_lines_answer_in_dutch(real_built, lang):
    spoken = screen_reader_view(real_built.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf"))
    lines = [line for line in spoken.splitlines() if SHOWN[lang] in line]
    # the Drugs Infolijn and 113, each in its list item, in the leaflet's language, after the hours
    assert len(lines) == 2, spoken
    assert all(line.startswith(f"LI [{lang}]: ") for line in lines), lines
    assert "0900-1995" in lines[0] and "0800-0113" in lines[1]


def test_the_dutch_leaflet_does_not(real_built):
    spoken = screen_reader_view(real_built.path("dist/leaflets/nl/ketamine-en-mdma.pdf"))
    assert "Gesprekstaal" not in spoken and "0800-0113" in spoken


def test_the_names_are_in_the_readers_language():
    assert spoken_elsewhere(("nl",), "en") == "Dutch"
    assert spoken_elsewhere(("nl", "en"), "ar") == "الهولندية, الإنجليزية"
    assert spoken_elsewhere(("nl",), "nl") == ""
    assert spoken_elsewhere(("nl",), "nl-BE") == ""  # a region of the same language
    assert spoken_elsewhere((), "en") == ""


@pytest.mark.parametrize("value", ["nl", "[n_l]", "[12]", "{nl: yes}"])
def test_languages_that_are_no_list_of_codes_are_refused_at_their_line(basic, capsys, value):
    run = basic.build_refused(capsys, "content/helplines.yaml", "  url: https://example.org/hulp\n",
                              f"  url: https://example.org/hulp\n  languages: {value}\n")
    assert "content/helplines.yaml:6: error: help line 'testlijn': 'languages' is a list of the language codes" \
           in run.err, run.err
    assert "[helpline.invalid]" in run.err
