"""The medical review of 'Ketamine en MDMA' (issue 19) as a reader of the leaflets meets it.

What pdftotext gets from the built leaflets (the text a screen reader reads and a copy
gives): the corrected driving advice from the package leaflet, esketamine together with an
SSRI or SNRI, the Dutch reimbursement rule with its source in the reference list, and none
of the sentences the review found wrong, in Dutch and in the translations.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from leafpress.readability.figures import measure
from leafpress.source.project import load_article


def leaflet_text(project, lang: str) -> str:
    """The leaflet's text in reading order, lines joined and words hyphenated at a line end mended."""
    pdf = project.path(f"dist/leaflets/{lang}/ketamine-en-mdma.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"[\u00ad-]\n(?=\w)", "", text)
    return re.sub(r"\s+", " ", text)


# what each leaflet must say, and what the review struck out (the old sentence about driving
# "that day" and "together with an antidepressant" instead of an SSRI or SNRI)
SAYS = {
    "nl": ["tot de volgende dag, na een goede nachtrust", "samen met een SSRI of een SNRI",
           "Sinds 1 september 2021 wordt esketamine vergoed", "met 90 en 104 deelnemers"],
    "en": ["until the next day, after a good night's sleep", "together with an SSRI or an SNRI",
           "Since 1 September 2021, esketamine has been covered", "with 90 and 104 participants"],
    "pl": ["aż do następnego dnia, po dobrze przespanej nocy", "z lekiem z grupy SSRI lub SNRI"],
    "tr": ["iyi bir gece uykusundan sonrasına kadar", "Bir SSRI veya SNRI ile birlikte"],
    "uk": ["до наступного дня, після доброго нічного сну", "групи SSRI або SNRI"],
}
STRUCK = {
    "nl": ["Je mag die dag niet meer autorijden", "samen met een antidepressivum", "grote onderzoek",
           "volle dosis, met begeleiding"],
    "en": ["rest of that day", "together with an antidepressant", "In a large study", "two large studies",
           "second large study"],
    "pl": ["Tego dnia nie możesz już prowadzić", "dużym badaniu", "dużych badaniach"],
    "tr": ["O gün artık araba kullanmamalısınız", "büyük araştırmada", "İki büyük araştırmada"],
    "uk": ["Того дня вам більше не можна", "великому дослідженні", "двох великих дослідженнях"],
}


@pytest.mark.parametrize("lang", sorted(SAYS))
def test_leaflet_says_the_corrected_advice(real_built, lang):
    text = leaflet_text(real_built, lang)
    assert [s for s in SAYS[lang] if s not in text] == []
    assert [s for s in STRUCK[lang] if s in text] == []


def test_arabic_leaflet_has_the_new_sources_and_not_the_old_driving_rule(real_built):
    """Arabic comes out of pdftotext in pieces; the citation keys' entries and the figures do not."""
    text = leaflet_text(real_built, "ar")
    assert "SNRI" in text and "2021" in text
    assert "Esketamine neusspray in verzekerd pakket" in text


def test_reference_list_names_the_sources_of_the_corrections(real_built):
    text = leaflet_text(real_built, "nl")
    references = text[text.rindex("Bronnen"):] if "Bronnen" in text else text
    assert "Esketamine neusspray in verzekerd pakket" in references       # NVvP, reimbursement
    assert "package leaflet" in references                                  # EMA, driving
    assert "Independent Scientific Committee on Drugs" in references        # Morgan & Curran 2012
    assert "Ot’alora G." in references and "Ot'alora" not in references


def test_article_is_plain_dutch_with_four_key_points(real_built):
    article, _ = load_article(real_built.path("content/articles/ketamine-en-mdma.md"))
    figures, _ = measure(article)
    assert figures.flesch_douma >= 60
    assert [box.items for box in figures.boxes] == [4]
