"""Source lint: headings, link text, table headers and theme contrast, each at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from leafpress.markdown.dialect import parse
from leafpress.source.lint import VAGUE_LINK_TEXT, lint_article, lint_theme
from leafpress.source.load import load_and_check
from leafpress.source.project import load_article

REPO = Path(__file__).resolve().parent.parent

FRONT_MATTER = """---
id: proef
title: Een proeffolder
lang: nl
summary: Een folder om de lint mee te testen.
owner: Testteam
version: "1.0"
published: 2026-01-05
reviewed: 2026-06-01
next_review: 2099-06-01
keywords: [test]
---
"""
BODY_LINE = FRONT_MATTER.count("\n") + 1  # file line of the body's first line


def lint(tmp_path: Path, body: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "proef.md"
    path.write_text(FRONT_MATTER + body, encoding="utf-8")
    article, diagnostics = load_article(path)
    assert article is not None, [d.format() for d in diagnostics]
    assert article.body_line == BODY_LINE
    found = lint_article(article, parse(article.body, {}))
    assert all(d.level == "warning" and d.code.startswith("lint.") and d.path == path for d in found)
    return [(d.line, d.code) for d in found]


# --- headings ----------------------------------------------------------------------------

def test_well_ordered_headings_pass(tmp_path):
    body = "Inleiding.\n\n## Een\n\n### Een a\n\n#### Een a i\n\n## Twee\n\n### Twee a\n"
    assert lint(tmp_path, body) == []


def test_body_must_start_at_level_two(tmp_path):
    assert lint(tmp_path, "Inleiding.\n\n### Te diep\n") == [(BODY_LINE + 2, "lint.heading-skip")]


def test_level_four_under_level_two_is_a_skip(tmp_path):
    body = "## Een\n\nTekst.\n\n#### Te diep\n\n## Twee\n"
    assert lint(tmp_path, body) == [(BODY_LINE + 4, "lint.heading-skip")]


def test_level_one_in_the_body_is_a_warning(tmp_path):
    body = "# Tweede titel\n\n## Sectie\n"
    assert lint(tmp_path, body) == [(BODY_LINE, "lint.heading-h1")]


def test_headings_inside_blocks_count_too(tmp_path):
    body = "## Een\n\n::: note\n#### Te diep in een blok\n:::\n"
    assert lint(tmp_path, body) == [(BODY_LINE + 3, "lint.heading-skip")]


def test_heading_message_names_the_heading_and_the_fix(tmp_path):
    path = tmp_path / "proef.md"
    path.write_text(FRONT_MATTER + "### Bijwerkingen\n", encoding="utf-8")
    article, _ = load_article(path)
    [found] = lint_article(article, parse(article.body, {}))
    assert "'### Bijwerkingen'" in found.message and "'## '" in found.message
    assert found.format().startswith(f"{path}:{BODY_LINE}: warning: ")
    assert found.format().endswith("[lint.heading-skip]")


# --- links ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", sorted(VAGUE_LINK_TEXT) + ["Klik hier!", "Lees meer…", "  LEES   MEER  ",
                                                          "(hier)"])
def test_link_text_that_says_nothing(tmp_path, text):
    assert lint(tmp_path, f"Informatie: [{text}](https://www.drugsinfolijn.nl).\n") == [
        (BODY_LINE, "lint.link-text")]


@pytest.mark.parametrize("link", [
    "[https://www.drugsinfolijn.nl](https://www.drugsinfolijn.nl)",
    "[www.drugsinfolijn.nl](https://www.drugsinfolijn.nl)",
    "[drugsinfolijn.nl](https://www.drugsinfolijn.nl/)",
    "[https://example.org/elders](https://www.drugsinfolijn.nl)",
    "<https://www.drugsinfolijn.nl>",
    "[mailto:info@example.org](mailto:info@example.org)",
])
def test_link_text_that_is_an_address(tmp_path, link):
    assert lint(tmp_path, f"Kijk op {link} voor meer.\n") == [(BODY_LINE, "lint.link-url")]


def test_link_without_text(tmp_path):
    assert lint(tmp_path, "Kijk [](https://www.drugsinfolijn.nl) hier.\n") == [(BODY_LINE, "lint.link-empty")]


@pytest.mark.parametrize("link", [
    "[de Drugs Infolijn](https://www.drugsinfolijn.nl)",
    "[meer over ketamine bij de Drugs Infolijn](https://www.drugsinfolijn.nl/ketamine)",
    "[info@example.org](mailto:info@example.org)",
    "[0800-1995](tel:08001995)",
    "[**hier** vind je de Drugs Infolijn](https://www.drugsinfolijn.nl)",
])
def test_descriptive_links_pass(tmp_path, link):
    assert lint(tmp_path, f"Zie {link}.\n") == []


def test_link_line_is_the_line_it_is_on(tmp_path):
    body = ("Een alinea\nover meerdere regels\nmet [klik\nhier](https://example.org) erin,\n"
            "en [hier](https://example.org).\n")
    assert lint(tmp_path, body) == [(BODY_LINE + 2, "lint.link-text"), (BODY_LINE + 4, "lint.link-text")]


def test_links_in_lists_tables_and_blocks(tmp_path):
    body = ("- Een punt met [lees meer](https://example.org).\n\n"
            "| Kop | Andere kop |\n|---|---|\n| cel | [link](https://example.org) |\n\n"
            "::: warning\nPas op, [klik hier](https://example.org).\n:::\n")
    assert lint(tmp_path, body) == [(BODY_LINE, "lint.link-text"), (BODY_LINE + 4, "lint.link-text"),
                                    (BODY_LINE + 7, "lint.link-text")]


# --- tables ----------------------------------------------------------------------------------

def test_table_with_empty_header_row(tmp_path):
    body = "Tekst.\n\n| | |\n|---|---|\n| Werkt op | glutamaat |\n"
    assert lint(tmp_path, body) == [(BODY_LINE + 2, "lint.table-header")]


def test_table_with_header_row_passes(tmp_path):
    # an empty corner cell is fine, as long as the row names the columns
    body = "| | Ketamine | MDMA |\n|---|---|---|\n| Werkt op | glutamaat | serotonine |\n"
    assert lint(tmp_path, body) == []


# --- images are checks.py's business ------------------------------------------------------------

def test_images_without_alt_are_not_linted_twice(tmp_path):
    assert lint(tmp_path, "![](media/schema.png)\n") == []


# --- the theme ------------------------------------------------------------------------------------

def test_theme_contrast_is_linted_at_the_colour_line(tmp_path):
    (tmp_path / "theme.css").write_text(
        ":root {\n  --text: #1a1a1a;\n  --page: #ffffff;\n  --muted: #999999;\n}\n", encoding="utf-8")
    found = [d for d in lint_theme(tmp_path) if d.code == "lint.contrast"]
    assert [(d.line, d.level) for d in found] == [(4, "warning")]
    assert "'--muted' (#999999) on '--page'" in found[0].message and "2.85:1" in found[0].message


# --- the real content is clean ------------------------------------------------------------------------

def test_real_articles_and_theme_have_no_lint_findings():
    found = []
    for path in sorted((REPO / "content" / "articles").glob("*.md")):
        article, _ = load_article(path)
        assert article is not None
        found += lint_article(article, parse(article.body, {}))
    found += lint_theme(REPO / "templates")
    assert [d.format() for d in found] == []


def test_fixture_project_has_no_lint_findings(basic):
    _, diagnostics = load_and_check(basic.root)
    assert [d.format() for d in diagnostics if d.code.startswith("lint.")] == []


# --- in the build ----------------------------------------------------------------------------------------

def test_build_warns_and_strict_build_stops(basic, capsys):
    basic.edit("content/articles/proef.md", "[de website van de test](https://example.org/info)",
               "[klik hier](https://example.org/info)")
    _, diagnostics = load_and_check(basic.root)
    [found] = [d for d in diagnostics if d.code.startswith("lint.")]
    assert (found.line, found.code) == (26, "lint.link-text")

    strict = basic.build(capsys, "booklets", "--lang", "nl", "--strict")
    assert strict.code == 1
    assert "content/articles/proef.md:26: " in strict.err and "[lint.link-text]" in strict.err
    assert not basic.path("dist/booklets/nl/bundel.epub").exists()
