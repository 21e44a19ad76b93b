"""build.py readability: the plain-language figures and warnings of the Dutch articles."""

from __future__ import annotations

import re

import pytest

from leafpress.readability.figures import measure
from leafpress.readability.formulas import dutch_syllables as syllables
from leafpress.source.project import load_article

#: Dutch words and their syllables as a dictionary splits them
SYLLABLES = {
    "ketamine": 4,                   # ke-ta-mi-ne
    "depressie": 3,                  # de-pres-sie
    "psychiater": 4,                 # psy-chi-a-ter: ia is two
    "koeien": 2,                     # koei-en: oei is one
    "mooie": 2,                      # mooi-e
    "ideeën": 3,                     # i-dee-ën: the diaeresis breaks
    "ruïne": 3,                      # ru-ï-ne
    "beëindigen": 4,                 # be-ëin-di-gen
    "Australië": 4,                  # au-stra-li-ë
    "nieuw": 1,
    "eeuw": 1,
    "duidelijk": 3,                  # dui-de-lijk
    "theater": 3,                    # the-a-ter
    "zorgverzekeraar": 5,            # zorg-ver-ze-ke-raar
    "ontwenningsverschijnselen": 7,  # ont-wen-nings-ver-schijn-se-len
    "één": 1,
    "risico's": 3,
    "MDMA": 4,                       # spelled: em-dee-em-aa
    "NMDA-receptor": 7,
}


@pytest.mark.parametrize("word, count", SYLLABLES.items())
def test_syllables(word, count):
    assert syllables(word) == count


def _table(out: str, lang: str = "nl") -> dict[str, list[str]]:
    """The table's rows of one language by article id: article, lang, words, score, formula, ..."""
    rows = [line.split() for line in out.splitlines()[1:] if not line.startswith("not measured") and ":" not in line]
    return {row[0]: row for row in rows if row[1] == lang}


def test_basic_figures(basic, capsys):
    run = basic.build(capsys, "readability")
    assert run.code == 0, run.err
    rows = _table(run.out)
    assert set(rows) == {"proef", "tweede"}
    assert "Traceback" not in run.err
    # proef has 2 key points: no keypoints warning; the table says 2
    assert rows["proef"][-2] == "2"
    assert "[plain.keypoints]" not in run.err
    article, _ = load_article(basic.path("content/articles/proef.md"))
    figures, blocks = measure(article)
    # the citations, the link's address and the table cells are no words
    words = [w for s in figures.sentences for w in s.words]
    assert "szigeti2021" not in words and "morgan" not in [w.lower() for w in words]
    assert "Glutamaat" not in words and "Serotonine" not in words and "example" not in words
    assert words[:4] == ["Dit", "is", "de", "inleiding"]
    assert figures.sentences[0].line == 16
    assert int(rows["proef"][2]) == figures.words


def test_addresses_are_no_words(basic, capsys):
    basic.edit("content/articles/proef.md", "Laatste alinea.",
               "Kijk op www.113.nl, mail naar info@example.org of lees <https://example.org/x>. "
               "Bel 113.nl. Dan is het klaar.")
    article, _ = load_article(basic.path("content/articles/proef.md"))
    figures, _ = measure(article)
    assert [s.words for s in figures.sentences[-3:]] == [
        ("Kijk", "op", "mail", "naar", "of", "lees"), ("Bel",), ("Dan", "is", "het", "klaar")]


def test_real_figures(real_copy, capsys):
    run = real_copy.build(capsys, "readability")
    assert run.code == 0, run.err
    rows = _table(run.out)
    assert set(rows) == {"ketamine-en-mdma", "microdoseren-ketamine", "microdosing-in-therapie"}
    article, _ = load_article(real_copy.path("content/articles/ketamine-en-mdma.md"))
    figures, _ = measure(article)
    assert 40 <= figures.flesch_douma <= 80
    assert rows["ketamine-en-mdma"][3:5] == [f"{figures.flesch_douma:.1f}", "Flesch-Douma"]
    assert 1000 < figures.words < 2000
    assert 8 <= figures.mean_sentence <= 14
    assert [b.items for b in figures.boxes] == [4]
    assert not [line for line in run.err.splitlines()
                if line.startswith("content/articles/ketamine-en-mdma.md:") and "[plain.keypoints]" in line]
    # each difficult word once per article, at its first line
    assert len([line for line in run.err.splitlines() if line.startswith("content/articles/ketamine-en-mdma.md:")
                and "'Spravato' is probably unknown" in line]) == 1
    assert re.search(r"^content/articles/ketamine-en-mdma\.md:108: warning: 'zenuwcellen' .*\[plain\.word\]$",
                     run.err, re.M)
    # explained in content/glossary.yaml (test_glossary.py)
    assert "'ontwenningsverschijnselen' is probably unknown" not in run.err and "'NMDA-receptor'" not in run.err
    assert "'behandeling'" not in run.err  # a long word of everyday Dutch


def test_long_sentence_and_keypoints(basic, capsys):
    long = "Wie " + " ".join(["lang"] * 23) + "."
    basic.edit("content/articles/proef.md", "Laatste alinea.", f"Laatste alinea. Korte zin.\n{long}")
    basic.edit("content/articles/proef.md", "- Tweede kernpunt.\n",
               "- Tweede kernpunt.\n" + "".join(f"- Kernpunt {n}.\n" for n in range(3, 7)))
    run = basic.build(capsys, "readability")
    assert run.code == 0, run.err
    lines = basic.path("content/articles/proef.md").read_text(encoding="utf-8").splitlines()
    sentence_line = lines.index(long) + 1
    assert (f"content/articles/proef.md:{sentence_line}: warning: sentence of 24 words (more than 20)"
            in run.err)
    box_line = lines.index("::: keypoints") + 1
    assert (f"content/articles/proef.md:{box_line}: warning: 6 key points in this box (at most 4); "
            "keep the 4 that matter most [plain.keypoints]") in run.err
    strict = basic.build(capsys, "readability", "--strict")
    assert strict.code == 1
    assert f"content/articles/proef.md:{box_line}: error: 6 key points" in strict.err
    assert "Traceback" not in strict.err


def test_thresholds_from_site_yaml(basic, capsys):
    with basic.path("content/site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("readability:\n  keypoints_max: 1\n  flesch_min: 100\n")
    run = basic.build(capsys, "readability")
    assert run.code == 0, run.err
    assert "content/articles/proef.md:19: warning: 2 key points in this box (at most 1)" in run.err
    assert re.search(r"^content/articles/tweede\.md:\d+: warning: Flesch-Douma .* is below 100", run.err, re.M)


@pytest.mark.parametrize("entry, message", [
    ("  keypoints_max: vier\n", "readability threshold 'keypoints_max' must be a whole number, e.g. 4, not 'vier'"),
    ("  keypoints_max: 2.5\n", "readability threshold 'keypoints_max' must be a whole number"),
    ("  long_sentence_share_max: 10\n", "readability threshold 'long_sentence_share_max' must be a share from 0 to 1"),
    ("  flesh_min: 60\n", "unknown readability threshold 'flesh_min'; known thresholds: flesch_min,"),
])
def test_bad_threshold(basic, capsys, entry, message):
    site = basic.path("content/site.yaml")
    before = site.read_text(encoding="utf-8")
    site.write_text(before + "readability:\n  sentence_max: 20\n" + entry, encoding="utf-8")
    line = len(before.splitlines()) + 3
    run = basic.build(capsys, "readability")
    assert run.code == 1
    expected = rf"^content/site\.yaml:{line}: error: {re.escape(message)}.*\[config\.field\]$"
    assert re.search(expected, run.err, re.M), run.err
    assert "Traceback" not in run.err
    assert basic.build(capsys, "check").code == 1  # the same threshold stops every command


def test_check_unchanged(basic, capsys):
    run = basic.build(capsys, "check")
    assert run.code == 0
    assert "plain." not in run.err


def test_readme_thresholds_are_the_defaults(basic, capsys):
    """The README's readability block is valid and gives the same figures and warnings as no block."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(readability:\n.*?)```", readme, re.S).group(1)
    without = basic.build(capsys, "readability")
    with basic.path("content/site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(block)
    given = basic.build(capsys, "readability")
    assert given.code == 0, given.err
    assert (given.out, given.err) == (without.out, without.err)


def test_glossary_explains_words(real_copy, capsys):
    real_copy.path("content/glossary.yaml").unlink()
    before = real_copy.build(capsys, "readability")
    assert "'ontwenningsverschijnselen' is probably unknown" in before.err
    assert "'Opiumwet' is probably unknown" in before.err
    real_copy.path("content/glossary.yaml").write_text(
        "ontwenningsverschijnselen:\n  text: Klachten als je stopt met een middel.\n"
        "wet:\n  term: Opiumwet\n  forms: [antidepressivum, antidepressiva]\n  text: De wet over drugs.\n", encoding="utf-8")
    after = real_copy.build(capsys, "readability")
    assert after.code == 0, after.err
    for word in ("ontwenningsverschijnselen", "Opiumwet", "antidepressivum", "antidepressiva"):
        assert f"'{word}' is probably unknown" not in after.err
    assert "'serotoninesyndroom' is probably unknown" in after.err


def test_long_section(basic, capsys):
    with basic.path("content/site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("readability:\n  section_paragraphs_max: 5\n")
    run = basic.build(capsys, "readability")
    # under '## Een kop': a paragraph, the myth, the fact, the warning, the note and, in its
    # subsection, the last paragraph; the table, the picture and the help line are no prose
    assert ("content/articles/proef.md:24: warning: section 'Een kop' has 6 paragraphs, list items and box "
            "texts (at most 5); split it under a new heading [plain.section]") in run.err
