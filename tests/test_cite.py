"""Citations: pandoc syntax in markdown-it, the bibliography, APA 7 per language."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

from leafpress.cite.engine import (
    BibEntry,
    Citation,
    CiteItem,
    RenderedCitations,
    citations_plugin,
    csl_locale,
    find_citation_keys,
    find_citations,
    load_bibliography,
    parse_bibliography,
    render_citations,
    unknown_keys,
)

ROOT = Path(__file__).parent / "roots" / "cite"

pytestmark = pytest.mark.filterwarnings("error")  # a stray warning is a bug


def md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(attrs_plugin, spans=True).use(citations_plugin)


def citation_tokens(text: str) -> list:
    return [child for token in md().parse(text) for child in token.children or ()
            if child.type == "citation"]


def one(text: str) -> Citation:
    (token,) = citation_tokens(text)
    return token.meta["citation"]


def item(key: str, locator: str | None = None, label: str | None = None,
         prefix: str = "", suffix: str = "") -> CiteItem:
    return CiteItem(key, locator, label, prefix, suffix)


@pytest.fixture(scope="module")
def bib():
    bibliography, problems = load_bibliography(ROOT / "references.yaml")
    assert problems == []
    return bibliography


def render(bib, lang: str, text: str) -> RenderedCitations:
    return render_citations(bib, lang, find_citations(text))


def inline(bib, lang: str, text: str) -> str:
    (html,) = render(bib, lang, text).inline
    return html


def entry(bib, lang: str, key: str) -> str:
    (found,) = render(bib, lang, f"[@{key}]").entries
    return found.html


# -- syntax --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("[@key]", Citation((item("key"),), False, False)),
    ("[@key, p. 4]", Citation((item("key", "4", "page"),), False, False)),
    ("[@key, pp. 4-6]", Citation((item("key", "4-6", "page"),), False, False)),
    ("[@a; @b]", Citation((item("a"), item("b")), False, False)),
    ("[see @a, p. 4]", Citation((item("a", "4", "page", prefix="see"),), False, False)),
    ("[@a, p. 4; @b]", Citation((item("a", "4", "page"), item("b")), False, False)),
    ("[zie @a, hfst. 3]", Citation((item("a", "3", "chapter", prefix="zie"),), False, False)),
    ("[@a, p. 4, emphasis added]",
     Citation((item("a", "4", "page", suffix=", emphasis added"),), False, False)),
    ("[@a, 33, 35-37]", Citation((item("a", "33, 35-37", "page"),), False, False)),
    ("[@a, in press]", Citation((item("a", suffix=", in press"),), False, False)),
    ("[-@key]", Citation((item("key"),), False, True)),
    ("[-@a; -@b]", Citation((item("a"), item("b")), False, True)),
    ("@key", Citation((item("key"),), True, False)),
    ("@key [p. 4] zegt", Citation((item("key", "4", "page"),), True, False)),
    ("Zie @smith:2020.x-y.", Citation((item("smith:2020.x-y"),), True, False)),
    ("@{odd key}", Citation((item("odd key"),), True, False)),
])
def test_citation_forms(text, expected):
    assert one(text) == expected


def test_narrative_in_running_text():
    assert one("Volgens @szigeti2021 helpt het.").narrative
    assert one("(@szigeti2021)").items[0].key == "szigeti2021"


@pytest.mark.parametrize("text", [
    "Mail info@clinic.nl voor vragen.",
    "<info@clinic.nl>",
    "wachtwoord@home en e-mail@adres",
    "volg twitter.com/@ggz",
    r"\@niet geciteerd",
    "`[@code]` en `@code`",
    "[site](https://example.org/@a)",
    "[mail info@clinic.nl]",
])
def test_no_citation(text):
    assert citation_tokens(text) == []


def test_links_and_spans_still_work():
    html = md().renderInline("[tekst](https://x.nl) [word]{lang=en} [@a] [zie @b]{lang=en}")
    assert '<a href="https://x.nl">tekst</a>' in html
    assert '<span lang="en">word</span>' in html
    assert '<span class="citation" data-cites="a">[@a]</span>' in html
    assert '<span lang="en">zie <span class="citation" data-cites="b">@b</span></span>' in html


def test_bracket_before_parenthesis_is_a_link():
    html = md().renderInline("[@a](https://x.nl)")
    assert html.startswith('<a href="https://x.nl">')


def test_reference_definition_wins():
    html = md().render("[@a]\n\n[@a]: https://x.nl\n")
    assert '<a href="https://x.nl">' in html


def test_default_render_rule_escapes():
    html = md().renderInline('[see <b> & "x" @a; @b]')
    assert html == '<span class="citation" data-cites="a b">[see &lt;b&gt; &amp; "x" @a; @b]</span>'


def test_default_render_rule():
    assert md().renderInline("[@a; @b]") == '<span class="citation" data-cites="a b">[@a; @b]</span>'


def test_citation_across_a_line_break():
    assert [c.keys for c in find_citations("Zie [@a;\n@b, p. 3] en\n@c.")] == [("a", "b"), ("c",)]


def test_token_keeps_source():
    (token,) = citation_tokens("Zie [@a, p. 4].")
    assert token.content == "[@a, p. 4]"


def test_citations_in_table_cells():
    assert find_citation_keys("a | b\n--|--\n[@t] | @u\n") == ["t", "u"]


def test_find_citation_keys_for_translation_checks():
    source = "Piekeren houdt je wakker [@bakker, p. 4]; zie @szigeti. Mail info@x.nl."
    good = "Worrying keeps you awake [@bakker, p. 4]; see @szigeti. Mail info@x.nl."
    bad = "Worrying keeps you awake [@baker, p. 4]."
    assert find_citation_keys(source) == ["bakker", "szigeti"]
    assert find_citation_keys(good) == find_citation_keys(source)
    assert find_citation_keys(bad) != find_citation_keys(source)


def test_find_citation_keys_agrees_with_parser():
    text = (ROOT / "chapter-angst.md").read_text(encoding="utf-8")
    from_tokens = [k for t in citation_tokens(text) for k in t.meta["citation"].keys]
    assert find_citation_keys(text) == from_tokens
    assert from_tokens == ["bakker-ouderen", "jansen2019", "bakker-zorgen", "vanbalkom2020", "trimbos2023"]


# -- bibliography ------------------------------------------------------------------------

def test_load_yaml_with_lines(bib):
    assert len(bib) == 8
    assert bib.line("szigeti2021") == 2
    assert bib.line("jansen2019") == 20
    assert bib.get("jansen2019")["issued"]["date-parts"] == ((2019,),)
    assert bib.get("thuisarts-angst")["accessed"]["date-parts"] == ((2025, 3, 12),)
    assert bib.get("szigeti2021")["DOI"] == "10.7554/eLife.62878"  # resolver prefix dropped


def test_bibliography_is_immutable(bib):
    with pytest.raises(TypeError):
        bib.items["x"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        bib.get("jansen2019")["title"] = "x"  # type: ignore[index]
    assert isinstance(bib.items, MappingProxyType)


def test_load_csl_json_with_lines():
    bibliography, problems = load_bibliography(ROOT / "more.json")
    assert problems == []
    assert bibliography.line("preprint2023") == 5
    assert bibliography.get("ggz-standaard")["issued"]["date-parts"] == ((2017,),)


def test_load_pandoc_references_mapping():
    bibliography, problems = load_bibliography(ROOT / "pandoc.yaml")
    assert problems == []
    assert sorted(bibliography.items) == ["one", "two"]
    assert bibliography.line("two") == 8
    assert bibliography.get("one")["issued"]["date-parts"] == ((2001,),)


@pytest.mark.parametrize("name, line, words", [
    ("indent.yaml", 6, "mapping values are not allowed"),
    # an unclosed quote points at its start (yamlfile.yaml_error), not at the end of the file
    ("bad.yaml", 6, "the value of 'title' opens a quote (\") that is not closed on its line"),
])
def test_malformed_yaml(name, line, words):
    bibliography, problems = load_bibliography(ROOT / name)
    (problem,) = problems
    assert (problem.level, problem.code, problem.line) == ("error", "bib.yaml", line)
    assert words in problem.message
    assert len(bibliography) == 0
    assert problem.format().startswith(f"{ROOT / name}:{line}: error: ")


def test_malformed_json():
    _, problems = load_bibliography(ROOT / "bad.json")
    (problem,) = problems
    assert (problem.code, problem.line) == ("bib.json", 3)


def test_missing_and_duplicate_ids():
    bibliography, problems = load_bibliography(ROOT / "ids.yaml")
    assert [(p.code, p.line) for p in problems] == [
        ("bib.id", 4), ("bib.duplicate", 9), ("bib.duplicate", 12)]
    assert "first at line 1" in problems[1].message
    assert "differ only in case" in problems[2].message
    assert sorted(bibliography.items) == ["alpha", "beta"]


def test_not_a_list():
    _, problems = parse_bibliography("title: not a bibliography\n", "x.yaml")
    assert [(p.code, p.line) for p in problems] == [("bib.format", 1)]


def test_missing_type_is_a_warning():
    bibliography, problems = parse_bibliography("- id: a\n  title: A\n", "x.yaml")
    assert [(p.level, p.code, p.line) for p in problems] == [("warning", "bib.type", 1)]
    assert bibliography.get("a")["type"] == "document"


def test_missing_file():
    _, problems = load_bibliography(ROOT / "nope.yaml")
    assert problems[0].code == "file.missing"


# -- rendering -----------------------------------------------------------------------------

def test_four_authors(bib):
    assert inline(bib, "en", "[@szigeti2021]") == "(Szigeti et al., 2021)"
    assert inline(bib, "nl", "[@szigeti2021]") == "(Szigeti e.a., 2021)"
    assert inline(bib, "en", "@szigeti2021") == "Szigeti et al. (2021)"
    assert inline(bib, "nl", "@szigeti2021") == "Szigeti e.a. (2021)"


def test_four_authors_entry(bib):
    assert entry(bib, "en", "szigeti2021") == (
        "Szigeti, B., Kartner, L., Blemings, A., &amp; Rosas, F. (2021). "
        "Self-blinding citizen science to explore psychedelic microdosing. "
        "<i>eLife</i>, <i>10</i>, e62878. "
        '<a href="https://doi.org/10.7554/eLife.62878">https://doi.org/10.7554/eLife.62878</a>')


def test_two_authors(bib):
    assert inline(bib, "en", "[@jansen2019]") == "(Jansen &amp; aan het Rot, 2019)"
    assert inline(bib, "nl", "[@jansen2019]") == "(Jansen &amp; aan het Rot, 2019)"
    assert inline(bib, "en", "@jansen2019") == "Jansen and aan het Rot (2019)"  # APA 8.17
    assert inline(bib, "nl", "@jansen2019") == "Jansen en aan het Rot (2019)"
    assert entry(bib, "nl", "jansen2019") == (
        "Jansen, P., &amp; aan het Rot, M. (2019). <i>Angst bij kinderen en jongeren</i>. Boom.")


def test_no_date_and_webpage(bib):
    assert inline(bib, "en", "[@thuisarts-angst]") == "(Nederlands Huisartsen Genootschap, n.d.)"
    assert inline(bib, "nl", "[@thuisarts-angst]") == "(Nederlands Huisartsen Genootschap, z.d.)"
    url = "https://www.thuisarts.nl/angst?a=1&amp;b=2"
    assert entry(bib, "nl", "thuisarts-angst") == (
        "Nederlands Huisartsen Genootschap. (z.d.). <i>Angst en paniek</i>. Thuisarts.nl. "
        f'Geraadpleegd op 12 maart 2025, van <a href="{url}">{url}</a>')
    assert "(n.d.)" in entry(bib, "en", "thuisarts-angst")
    assert "Retrieved March 12, 2025, from <a " in entry(bib, "en", "thuisarts-angst")


def test_locators(bib):
    assert inline(bib, "en", "[@szigeti2021, p. 4]") == "(Szigeti et al., 2021, p. 4)"
    assert inline(bib, "nl", "[@szigeti2021, p. 4]") == "(Szigeti e.a., 2021, p. 4)"
    assert inline(bib, "en", "[@szigeti2021, pp. 4-6]") == "(Szigeti et al., 2021, pp. 4–6)"
    assert inline(bib, "nl", "[@vanbalkom2020, hfst. 3]") == "(van Balkom &amp; van Oppen, 2020, Hoofdstuk 3)"
    assert inline(bib, "nl", "@szigeti2021 [p. 4]") == "Szigeti e.a. (2021, p. 4)"


def test_prefix_suffix_and_suppressed_author(bib):
    assert inline(bib, "nl", "[zie @szigeti2021, p. 4, nadruk toegevoegd]") == \
        "(zie Szigeti e.a., 2021, p. 4, nadruk toegevoegd)"
    assert inline(bib, "nl", "[-@szigeti2021]") == "(2021)"


def test_several_works_in_apa_order(bib):
    assert inline(bib, "en", "[@szigeti2021; @jansen2019]") == \
        "(Jansen &amp; aan het Rot, 2019; Szigeti et al., 2021)"


def test_edited_book_and_chapter(bib):
    assert entry(bib, "en", "vanbalkom2020") == (
        "van Balkom, A., &amp; van Oppen, P. (Eds.). (2020). <i>Handboek angststoornissen</i> "
        "(3rd ed.). De Tijdstroom.")
    assert entry(bib, "nl", "vanbalkom2020") == (
        "van Balkom, A., &amp; van Oppen, P. (Red.). (2020). <i>Handboek angststoornissen</i> "
        "(3de dr.). De Tijdstroom.")
    assert entry(bib, "nl", "bakker-ouderen") == (
        "Bakker, A. (2012). Angststoornissen bij ouderen. In K. de Vries &amp; J. Smit (Red.), "
        "<i>Handboek ouderenpsychiatrie</i> (pp. 45–67). De Tijdstroom.")


def test_title_case_only_for_english_items(bib):
    assert "<i>Tijdschrift voor Psychiatrie</i>" in entry(bib, "en", "bakker-zorgen")
    assert ('<i><span lang="en" xml:lang="en">Clinical Child and Family Psychology Review</span></i>'
            in entry(bib, "nl", "muris2017"))


def test_booklet_merges_chapters(bib):
    chapters = [(ROOT / name).read_text(encoding="utf-8") for name in ("chapter-slaap.md", "chapter-angst.md")]
    citations = [c for text in chapters for c in find_citations(text)]
    rendered = render_citations(bib, "nl", citations)
    keys = [e.key for e in rendered.entries]
    assert keys == ["bakker-ouderen", "bakker-zorgen", "vanbalkom2020", "jansen2019", "muris2017",
                    "thuisarts-angst", "szigeti2021", "trimbos2023"]  # particles sort under B and R
    assert len(set(keys)) == len(keys) == len(bib)
    assert rendered.inline[0] == "(Bakker, 2012b, p. 4)"  # "Zorgen ..." sorts after "Angst..."
    assert rendered.inline[4] == "(Bakker, 2012a, pp. 45–50)"
    assert rendered.inline[5] == "(Bakker, 2012b; Jansen &amp; aan het Rot, 2019)"
    assert rendered.entries[0].html.startswith("Bakker, A. (2012a). Angststoornissen")
    assert rendered.entries[1].html.startswith("Bakker, A. (2012b). Zorgen")
    # one chapter alone has no ambiguity, hence no suffix
    alone = render_citations(bib, "nl", find_citations(chapters[0]))
    assert alone.inline[0] == "(Bakker, 2012, p. 4)"


def test_one_authors_years_collapse(bib):
    assert inline(bib, "en", "[@bakker-zorgen; @bakker-ouderen]") == "(Bakker, 2012a, 2012b)"


def test_unknown_keys(bib):
    citations = find_citations("[@szigeti2021; @nope] en @nope en @ook-niet")
    assert unknown_keys(bib, citations) == ["nope", "ook-niet"]
    rendered = render_citations(bib, "nl", citations)
    assert rendered.inline == ("(Szigeti e.a., 2021; <b>nope?</b>)", "<b>nope?</b>", "<b>ook-niet?</b>")
    assert [e.key for e in rendered.entries] == ["szigeti2021"]
    assert render_citations(bib, "nl", find_citations("[@nope]")).inline == ("(<b>nope?</b>)",)


def test_nothing_cited(bib):
    assert render_citations(bib, "nl", []) == RenderedCitations((), ())


def test_escaping():
    bibliography, _ = parse_bibliography(
        '- id: x\n  type: article-journal\n  title: "Fish & <chips> <i>E. coli</i>"\n'
        '  container-title: "J & <K>"\n  author: [{family: "O\'Brien & <Co>", given: A}]\n'
        '  URL: "https://x.org/?a=1&b=2"\n  issued: 2020\n', "x.yaml")
    rendered = render_citations(bibliography, "en", find_citations("[@x, p. 4]"))
    assert rendered.inline == ("(O'Brien &amp; &lt;Co&gt;, 2020, p. 4)",)
    assert rendered.entries == (BibEntry("x", (
        "O'Brien &amp; &lt;Co&gt;, A. (2020). Fish &amp; &lt;chips&gt; E. coli. <i>J &amp; &lt;K&gt;</i>. "
        '<a href="https://x.org/?a=1&amp;b=2">https://x.org/?a=1&amp;b=2</a>')),)


@pytest.mark.parametrize("lang, et_al, no_date, page", [
    ("en", "et al.", "n.d.", "p. 4"),
    ("nl", "e.a.", "z.d.", "p. 4"),
    ("tr", "vd.", "t.y.", "s. 4"),
    ("pl", "i in.", "b.d.", "s. 4"),
    ("uk", "та ін.", "б. д.", "с. 4"),
    ("ar", "وآخرون", "د.ت", "ص 4"),
])
def test_each_language_uses_its_locale(bib, lang, et_al, no_date, page):
    assert inline(bib, lang, "[@szigeti2021, p. 4]") == f"(Szigeti {et_al}, 2021, {page})"
    assert inline(bib, lang, "[@thuisarts-angst]") == f"(Nederlands Huisartsen Genootschap, {no_date})"


@pytest.mark.parametrize("lang, retrieved", [
    ("en", "Retrieved March 12, 2025, from"),
    ("nl", "Geraadpleegd op 12 maart 2025, van"),
    ("tr", "Erişim tarihi: 12 Mart 2025, erişim adresi:"),
    ("pl", "Pobrano 12 marca 2025, z"),
    ("uk", "Отримано 12 березня 2025, з"),
    ("ar", "استرجع في 12 مارس، 2025, من"),
])
def test_retrieved_per_language(bib, lang, retrieved):
    assert f"{retrieved} <a href=" in entry(bib, lang, "thuisarts-angst")


def test_dates_in_each_language():
    bibliography, _ = parse_bibliography(
        "- id: a\n  type: webpage\n  title: Page\n  container-title: Site\n"
        "  author: [{literal: Org}]\n  issued: 2024-08-05\n  URL: https://x.org\n", "x.yaml")
    dates = {lang: render_citations(bibliography, lang, find_citations("[@a]")).entries[0].html.split(")")[0]
             for lang in ("en", "nl", "tr", "pl", "uk", "ar")}
    assert dates == {"en": "Org. (2024, August 5", "nl": "Org. (2024, 5 augustus", "tr": "Org. (2024, 5 Ağustos",
                     "pl": "Org. (2024, 5 sierpnia", "uk": "Org. (2024, 5 серпня", "ar": "Org. (2024, 5 أغسطس"}


def test_no_full_stop_after_question_mark():
    bibliography, _ = parse_bibliography(
        "- id: q\n  type: article-journal\n  title: Where do we go from here?\n"
        "  container-title: J\n  issued: 2012\n  author: [{family: Rot, given: M}]\n", "x.yaml")
    html = render_citations(bibliography, "en", find_citations("[@q]")).entries[0].html
    assert html == "Rot, M. (2012). Where do we go from here? <i>J</i>."


def test_csl_locale():
    assert [csl_locale(x) for x in ("nl", "en", "ar", "tr", "pl", "uk", "de", "pt_BR", "xx")] == [
        "nl-NL", "en-US", "ar", "tr-TR", "pl-PL", "uk-UA", "de-DE", "pt-BR", "en-US"]


def test_30_citations_8_entries(bib):
    chapters = [(ROOT / name).read_text(encoding="utf-8") for name in ("chapter-slaap.md", "chapter-angst.md")]
    citations = [c for _ in range(4) for text in chapters for c in find_citations(text)][:30]
    rendered = render_citations(bib, "nl", citations)
    assert len(rendered.inline) == 30 and len(rendered.entries) == 8
