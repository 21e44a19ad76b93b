"""A work whose author list names only the authors that could be checked.

content/references.yaml lists three of the sixteen authors of Popova 2019 and only the
first author of Mitchell 2023, with ``authors-incomplete: true``. A printed list that
reads "Popova, V., Daly, E. J., & Trivedi, M. H." says these were all the authors: the
reference list must end the listed names with the locale's "et al." (no "&" before it)
and the text must cite "Mitchell et al." also with one listed author (APA: three or more
authors). These tests read what a screen reader and an e-reader get from the built
leaflets and booklets, and refuse a flag that is not true or false at its line.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from leafpress.cite.bibliography import parse_bibliography
from leafpress.cite.engine import find_citations, render_citations
from leafpress.validate.reader_views import ereader_view, screen_reader_view

REFERENCES = Path(__file__).resolve().parent.parent / "content" / "references.yaml"
XHTML = "{http://www.w3.org/1999/xhtml}"
#: each language's et-al term, from the style's locale blocks (pl: the style's own "i in.")
ET_AL = {"nl": "e.a.", "en": "et al.", "pl": "i in.", "ar": "وآخرون", "tr": "vd.", "uk": "та ін."}
LEAFLET_LANGUAGES = ("nl", "en", "pl", "ar")
MARKUP = re.compile(r"&amp;|&lt;|<|\ue003|\ufffd")


def entry_start(authors: str, term: str, year: int) -> str:
    """The listed authors, the et-al term and the year, as the reference list prints them
    (a term with its own full stop takes the element's)."""
    return f"{authors}, {term}{'' if term.endswith('.') else '.'} ({year})."


def spoken(project, lang: str, article: str = "ketamine-en-mdma") -> list[str]:
    return screen_reader_view(project.path(f"dist/leaflets/{lang}/{article}.pdf")).splitlines()


def reference_line(lines: list[str], start: str) -> str:
    (line,) = [line for line in lines if line.startswith("LI [") and start in line]
    return line


# --- the built leaflets ------------------------------------------------------------------

@pytest.mark.parametrize("lang", LEAFLET_LANGUAGES)
def test_reference_list_ends_the_listed_authors_with_et_al(real_built, lang):
    term = ET_AL[lang]
    lines = spoken(real_built, lang)
    popova = reference_line(lines, "Popova, V.")
    mitchell = reference_line(lines, "Mitchell, J. M., " + term)
    assert popova.split(": ", 1)[1].startswith(entry_start("Popova, V., Daly, E. J., Trivedi, M. H.", term, 2019))
    assert mitchell.split(": ", 1)[1].startswith(entry_start("Mitchell, J. M.", term, 2023))
    # no "&" before the last listed author, and not the list as if it were complete
    assert "&" not in popova.split("(2019)")[0] and "&" not in mitchell.split("(2023)")[0]
    assert not any("Trivedi, M. H. (2019)" in line or "Mitchell, J. M. (2023)" in line for line in lines)
    assert not any(MARKUP.search(line) for line in lines)


@pytest.mark.parametrize("lang", LEAFLET_LANGUAGES)
def test_the_text_cites_one_listed_author_with_et_al(real_built, lang):
    term, text = ET_AL[lang], "\n".join(spoken(real_built, lang))
    assert f"(Mitchell {term}, 2023)" in text            # "[@mitchell2023]"
    assert f"(Mitchell {term}, 2021, 2023)" in text      # "[@mitchell2021; @mitchell2023]": one author group
    assert f"(Popova {term}, 2019)" in text
    assert "(Mitchell, 2023)" not in text and "Mitchell &" not in text


def test_a_work_without_the_flag_keeps_its_full_list_with_the_ampersand(real_built):
    lines = spoken(real_built, "nl", "microdosing-in-therapie")
    szigeti = reference_line(lines, "Szigeti, B.")
    assert "Nutt, D. J., Carhart-Harris, R. L., & Erritzoe, D. (2021)." in szigeti
    assert "e.a." not in szigeti.split("(2021)")[0]
    mitchell2021 = reference_line(lines, "Bogenschutz")
    assert "van der Kolk, B., … Doblin, R. (2021)." in mitchell2021


@pytest.mark.parametrize("lang", ("nl", "ar"))
def test_epub_reference_list_shows_the_term_as_text_outside_the_title_language(real_built, lang):
    epub = real_built.path(f"dist/booklets/{lang}/psychedelica-en-ggz.epub")
    view = ereader_view(epub).splitlines()
    term = ET_AL[lang]
    (popova,) = [line for line in view if line.startswith("Popova, V.")]
    assert popova.startswith(entry_start("Popova, V., Daly, E. J., Trivedi, M. H.", term, 2019))
    assert any(line.startswith(entry_start("Mitchell, J. M.", term, 2023)) for line in view)
    assert not any(MARKUP.search(line) for line in view)
    # in the XHTML: the names and the term in the booklet's language, the title a span in English
    with zipfile.ZipFile(epub) as book:
        items = [etree.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")]
    (entry,) = [li for document in items for li in document.iter(f"{XHTML}li")
                if "".join(li.itertext()).startswith("Popova, V.")]
    english = entry.find(f"{XHTML}span[@lang='en']")
    assert english is not None and "".join(english.itertext()).startswith("Efficacy and safety")
    assert entry.text == f"Popova, V., Daly, E. J., Trivedi, M. H., {term}{'' if term.endswith('.') else '.'} (2019). "


# --- rendering, in every language -------------------------------------------------------

ITEMS = """\
- id: jansen2020
  type: article-journal
  title: Een onderzoek
  authors-incomplete: true
  author:
    - {family: Jansen, given: Anna}
    - {family: Rot, given: Bram, non-dropping-particle: de}
  issued: 2020
  container-title: Tijdschrift
- id: jansen2020b
  type: article-journal
  title: Een ander onderzoek
  authors-incomplete: false
  author:
    - {family: Jansen, given: Anna}
    - {family: Rot, given: Bram, non-dropping-particle: de}
  issued: 2020
  container-title: Tijdschrift
"""


def rendered(text: str, lang: str, cites: str):
    bibliography, problems = parse_bibliography(text, "references.yaml")
    assert problems == []
    return render_citations(bibliography, lang, find_citations(cites))


@pytest.mark.parametrize("lang", sorted(ET_AL))
def test_two_listed_authors_are_cited_as_the_first_and_et_al(lang):
    term = ET_AL[lang]
    result = rendered(ITEMS, lang, "[@jansen2020] @jansen2020 [@jansen2020b]")
    cited, narrative, unflagged = result.inline
    assert cited == f"(Jansen {term}, 2020)" and narrative == f"Jansen {term} (2020)"
    assert unflagged.startswith("(Jansen &amp; de Rot, 2020)")  # false: as without the flag
    entries = {e.key: e.html for e in result.entries}
    assert entries["jansen2020"].startswith(entry_start("Jansen, A., de Rot, B.", term, 2020))
    assert entries["jansen2020b"].startswith("Jansen, A., &amp; de Rot, B. (2020).")


def test_the_flag_changes_only_its_own_work():
    """Every other work of the real bibliography renders byte for byte as without the flags."""
    flagged = REFERENCES.read_text(encoding="utf-8")
    plain = flagged.replace("  authors-incomplete: true\n", "")
    assert plain.count("\n") == flagged.count("\n") - 2
    keys = [item["id"] for item in parse_bibliography(plain, "references.yaml")[0].items.values()]
    cites = " ".join(f"[@{key}] @{key} [@{key}, p. 3]" for key in keys)
    for lang in ET_AL:
        with_flags, without = rendered(flagged, lang, cites), rendered(plain, lang, cites)
        changed = {key for key, a, b in zip(keys, zip(*[iter(with_flags.inline)] * 3),
                                            zip(*[iter(without.inline)] * 3)) if a != b}
        assert changed <= {"mitchell2023"}, lang
        entries = dict((e.key, e.html) for e in with_flags.entries)
        assert {k for k, html in ((e.key, e.html) for e in without.entries) if entries[k] != html} \
            == {"popova2019", "mitchell2023"}, lang


# --- a flag that is not true or false ---------------------------------------------------

@pytest.mark.parametrize("value, says", [
    ('"true"', "(only some of the authors are listed) or false, without quotes"),
    ("ja", "or false, not 'ja'"),
    ("1", "or false, not '1'"),
    ("", "or false, not empty"),
    ("[true]", "or false, not a list"),
])
def test_a_bad_flag_is_an_error_at_its_line(value, says):
    text = ITEMS.replace("  authors-incomplete: true\n", f"  authors-incomplete: {value}\n".replace(": \n", ":\n"))
    _, problems = parse_bibliography(text, "content/references.yaml")
    (problem,) = problems
    assert problem.format().startswith("content/references.yaml:4: error: 'jansen2020': authors-incomplete ")
    assert says in problem.message and problem.code == "bib.authors"


def test_the_flag_needs_an_author_list():
    text = "- id: nvvp\n  type: webpage\n  title: Esketamine\n  editor: [{family: Bos}]\n  authors-incomplete: true\n"
    _, problems = parse_bibliography(text, "references.yaml")
    assert [p.format() for p in problems] == [
        "references.yaml:5: error: 'nvvp': authors-incomplete: true needs the authors that could be "
        "checked in 'author'; they are printed followed by 'et al.' [bib.authors]"]


def test_the_build_refuses_a_bad_flag_at_its_line(real_copy, capsys):
    text = real_copy.path("content/references.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("- id: popova2019")
    line = 1 + next(n for n in range(start, len(lines)) if lines[n].startswith("  authors-incomplete:"))
    run = real_copy.build_refused(capsys, "content/references.yaml",
                                  "  authors-incomplete: true\n  author:\n    - family: Popova",
                                  "  authors-incomplete: sometimes\n  author:\n    - family: Popova")
    assert (f"content/references.yaml:{line}: error: 'popova2019': authors-incomplete is true "
            "(only some of the authors are listed) or false, not 'sometimes' [bib.authors]") in run.err, run.err
