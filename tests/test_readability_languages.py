"""build.py readability, issue 19: rare Dutch words by word frequency, and the translations measured."""

from __future__ import annotations

import re

import pytest

from leafpress.readability.figures import measure
from leafpress.readability.formulas import english_syllables, turkish_syllables
from leafpress.readability.word_frequency import rarity, zipf
from leafpress.source.project import load_article

LANGUAGES = ("en", "ar", "tr", "pl", "uk")
ARTICLES = ("ketamine-en-mdma", "microdoseren-ketamine", "microdosing-in-therapie")


def _rows(out: str) -> dict[tuple[str, str], list[str]]:
    """The table's rows by (article, language)."""
    rows = [line.split() for line in out.splitlines()[1:] if ":" not in line]
    return {(row[0], row[1]): row for row in rows}


def _words(err: str, article: str) -> set[str]:
    return set(re.findall(rf"^content/articles/{article}\.md:\d+: warning: '([^']+)' is probably unknown", err, re.M))


@pytest.mark.parametrize("word", ["infuus", "glutamaat", "psychose", "zorgverzekeraar", "ontwenningsverschijnselen"])
def test_rare_words(word):
    assert rarity(word, 3.6) is not None


@pytest.mark.parametrize("word", [
    "behandeling", "onderzoek", "verslaafd",
    "behandelingen",       # an inflection of a frequent word
    "therapiegesprekken",  # not in the list, its parts are: therapie + gesprekken
    "neusspray",           # neus + spray
    "vergelijkingsgroep",  # vergelijking + s + groep
    "afgemeten",           # af + gemeten
    "óók",                 # an emphasis accent is no other word
])
def test_common_words(word):
    assert rarity(word, 3.6) is None


def test_rare_part_of_a_hyphenated_word():
    found = rarity("NMDA-receptor", 3.6)
    assert (found.part, found.zipf) == ("receptor", zipf("receptor"))
    assert rarity("MDMA-therapie", 3.6) is None  # the abbreviation is not looked up, therapie is frequent


def test_real_words_reported_with_their_frequency(real_copy, capsys):
    real_copy.path("content/glossary.yaml").unlink()  # the frequency rule alone; the glossary explains some of them
    run = real_copy.build(capsys, "readability")
    assert run.code == 0, run.err
    words = _words(run.err, "ketamine-en-mdma")
    # short rare words the length test missed; long everyday ones it reported are gone
    assert {"infuus", "glutamaat", "therapieresistente", "NMDA-receptor"} <= words
    assert not words & {"therapiegesprekken", "wetenschappelijk", "hartproblemen", "behandeling"}
    assert re.search(r"^content/articles/ketamine-en-mdma\.md:\d+: warning: 'infuus' is probably unknown to a B1 "
                     r"reader \(Zipf frequency 3\.30 in Dutch, under 3\.6\).*\[plain\.word\]$", run.err, re.M)
    assert "'NMDA-receptor' is probably unknown to a B1 reader (Zipf frequency 2.67 of 'receptor' in Dutch" in run.err
    assert "psychose" in {w.lower() for w in _words(run.err, "microdoseren-ketamine")}
    # each word once per article, with its inflections: capsule and capsules are one finding
    assert len([w for w in _words(run.err, "microdoseren-ketamine") if w.lower().startswith("capsule")]) == 1


def test_threshold_from_site_yaml(real_copy, capsys):
    real_copy.path("content/glossary.yaml").unlink()  # the frequency rule alone
    with real_copy.path("content/site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("readability:\n  rare_zipf_max: 3.0\n")
    run = real_copy.build(capsys, "readability")
    assert run.code == 0, run.err
    words = _words(run.err, "ketamine-en-mdma")
    assert "infuus" not in words and "zorgverzekeraar" not in words  # 3.30 and 3.59: frequent enough now
    assert "glutamaat" in words                                      # 1.90
    assert "under 3)" in run.err


@pytest.mark.parametrize("value, message", [
    ("veel", "readability threshold 'rare_zipf_max' must be a Zipf frequency from 0 to 8, e.g. 3.6, not 'veel'"),
    ("9", "readability threshold 'rare_zipf_max' must be a Zipf frequency from 0 to 8, e.g. 3.6, not '9'"),
])
def test_bad_zipf_threshold(basic, capsys, value, message):
    site = basic.path("content/site.yaml")
    before = site.read_text(encoding="utf-8")
    site.write_text(before + f"readability:\n  sentence_max: 20\n  rare_zipf_max: {value}\n", encoding="utf-8")
    run = basic.build(capsys, "readability")
    assert run.code == 1
    line = len(before.splitlines()) + 3
    assert re.search(rf"^content/site\.yaml:{line}: error: {re.escape(message)} \[config\.field\]$", run.err, re.M), \
        run.err
    assert "Traceback" not in run.err


def _article(basic, lang: str, body: str):
    path = basic.path("content/articles/proef.md")
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].replace("lang: nl", f"lang: {lang}")
    path.write_text(f"{front}\n---\n\n{body}\n", encoding="utf-8")
    article, diagnostics = load_article(path)
    assert article is not None, diagnostics
    return article


def test_flesch_reading_ease_by_hand(basic):
    # 2 sentences, 11 words; syllables one each but ta-ble, hap-py (2) and med-i-cine (3): 15
    text = "The cat sat on the table. It was a happy medicine."
    by_hand = {"The": 1, "cat": 1, "sat": 1, "on": 1, "the": 1, "table": 2,
               "It": 1, "was": 1, "a": 1, "happy": 2, "medicine": 3}
    assert {w: english_syllables(w) for w in by_hand} == by_hand
    figures, _ = measure(_article(basic, "en", text))
    assert (figures.words, figures.syllables, len(figures.sentences)) == (11, 15, 2)
    # Flesch 1948: 206.835 - 1.015 x 11/2 - 84.6 x 15/11 = 206.835 - 5.5825 - 115.3636 = 85.889
    assert figures.score == pytest.approx(85.889, abs=0.001)
    assert figures.formula.name == "Flesch"


def test_atesman_by_hand(basic):
    # Bu(1) kitap(2) çok(1) güzel(2). Okula(3) gidiyorum(4). -> 6 words, 13 syllables, 2 sentences
    figures, _ = measure(_article(basic, "tr", "Bu kitap çok güzel. Okula gidiyorum."))
    assert [turkish_syllables(w) for s in figures.sentences for w in s.words] == [1, 2, 1, 2, 3, 4]
    assert (figures.words, figures.syllables, len(figures.sentences)) == (6, 13, 2)
    # Ateşman 1997: 198.825 - 40.175 x 13/6 - 2.610 x 6/2 = 198.825 - 87.0458 - 7.83 = 103.949
    assert figures.score == pytest.approx(103.949, abs=0.001)
    assert figures.formula.name == "Ateşman"


def test_translated_rows_for_the_real_catalogue(real_copy, capsys):
    run = real_copy.build(capsys, "readability")
    assert run.code == 0, run.err
    rows = _rows(run.out)
    assert set(rows) == {(a, lang) for a in ARTICLES for lang in ("nl", *LANGUAGES)}
    for article in ARTICLES:
        assert rows[article, "en"][4] == "Flesch" and rows[article, "tr"][4] == "Ateşman"
        assert rows[article, "pl"][4] == "FOG-PL"
        assert rows[article, "ar"][3] == "-" and rows[article, "uk"][3] == "-"
        for lang in LANGUAGES:
            assert 800 < int(rows[article, lang][2]) < 2500  # the translated prose, not the Dutch
    # a warning about a translation is at the entry of its text in the catalog
    found = re.findall(r"^(translations/[a-z]+/LC_MESSAGES/[a-z-]+\.po):(\d+): warning: sentence of \d+ words "
                       r"\(more than 20\): '(.{20})", run.err, re.M)
    assert found
    for path, line, start in found:
        entry = real_copy.path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1:int(line) + 30]
        assert entry[0].startswith("msgid")
        translation = " ".join(entry[next(i for i, t in enumerate(entry) if t.startswith("msgstr")):]).replace('" "', "")
        assert start.split()[0] in translation
    assert "[plain.flesch]" not in "".join(l for l in run.err.splitlines() if l.startswith("translations/"))


def test_untranslated_text_is_left_out(real_copy, capsys):
    before = _rows(real_copy.build(capsys, "readability").out)
    po = real_copy.path("translations/en/LC_MESSAGES/ketamine-en-mdma.po")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('#. paragraph\n#: content/articles/ketamine-en-mdma.md:18\n',
                               '#. paragraph\n#: content/articles/ketamine-en-mdma.md:18\n#, fuzzy\n', 1),
                  encoding="utf-8")
    run = real_copy.build(capsys, "readability")
    after = _rows(run.out)
    assert int(after["ketamine-en-mdma", "en"][2]) < int(before["ketamine-en-mdma", "en"][2])
    assert after["microdoseren-ketamine", "en"] == before["microdoseren-ketamine", "en"]
    assert "ketamine-en-mdma (en): 1 text(s) not translated yet, not measured" in run.out


@pytest.mark.parametrize("word", ["infuus", "behandeling", "Ketamine", "paddo's", "receptor", "therapiegesprekken"])
def test_zipf_is_wordfreqs(word):
    """The list is read as a dict for speed; a word's value is the one wordfreq gives."""
    import wordfreq

    assert zipf(word) == wordfreq.zipf_frequency(word, "nl")


def test_arabic_vowel_signs_stay_in_their_word(basic):
    # يُذكر has a damma, ويُسمّى a damma and a shadda: two words, not five; no syllables, no formula
    figures, _ = measure(_article(basic, "ar", "يُذكر الكيتامين كثيرًا. ويُسمّى هذا دواءً؟ نعم."))
    assert [s.words for s in figures.sentences] == [("يُذكر", "الكيتامين", "كثيرًا"), ("ويُسمّى", "هذا", "دواءً"),
                                                    ("نعم",)]
    assert figures.score is None and figures.long_word_share is None
