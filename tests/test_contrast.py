"""WCAG 2.1 contrast of the theme colours, for the pairs the leaflet stylesheet uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leafpress.source.contrast import (
    MINIMUM,
    PAIRS,
    Pair,
    check_pairs,
    contrast_ratio,
    parse_colour,
    read_theme,
    relative_luminance,
    resolve,
    theme_diagnostics,
)

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"


@pytest.mark.parametrize("value, expected", [
    ("#fff", (255, 255, 255, 1.0)),
    ("#FFFFFF", (255, 255, 255, 1.0)),
    ("#0a5873", (10, 88, 115, 1.0)),
    ("#0008", (0, 0, 0, 0x88 / 255)),
    ("#00000080", (0, 0, 0, 0x80 / 255)),
    ("rgb(10, 88, 115)", (10, 88, 115, 1.0)),
    ("rgb(10 88 115)", (10, 88, 115, 1.0)),
    ("RGB(100%, 0%, 50%)", (255, 0, 127.5, 1.0)),
    ("rgba(0, 0, 0, 0.5)", (0, 0, 0, 0.5)),
    ("rgb(0 0 0 / 50%)", (0, 0, 0, 0.5)),
    ("white", (255, 255, 255, 1.0)),
    ("  #abc  ", (0xaa, 0xbb, 0xcc, 1.0)),
])
def test_colours_are_parsed(value, expected):
    assert parse_colour(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["#ab", "#abcde", "blue-ish", "rgb(1, 2)", "hsl(0, 0%, 0%)", "rgb(a, b, c)"])
def test_unreadable_colours(value):
    assert parse_colour(value) is None


def test_wcag_reference_values():
    black, white = parse_colour("#000"), parse_colour("#fff")
    assert relative_luminance(black) == 0 and relative_luminance(white) == pytest.approx(1)
    assert contrast_ratio(black, white) == pytest.approx(21)
    assert contrast_ratio(white, black) == pytest.approx(21)
    assert contrast_ratio(white, white) == pytest.approx(1)
    # the classic threshold greys: #767676 is the lightest grey that passes on white
    assert contrast_ratio(parse_colour("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(parse_colour("#777777"), white) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(parse_colour("#0000ff"), white) == pytest.approx(8.59, abs=0.01)


def test_translucent_text_is_blended_over_its_background():
    white = parse_colour("#fff")
    assert contrast_ratio(parse_colour("rgba(0, 0, 0, 0.5)"), white) == pytest.approx(
        contrast_ratio(parse_colour("rgb(127.5, 127.5, 127.5)"), white))


def test_theme_properties_with_lines_comments_and_references():
    css = ("/* --fake: #000; in a comment\n   over two lines */\n:root {\n  --text: #1a1a1a;\n"
           "  --page: rgb(255 255 255);\n  --link: var(--text);\n  --heading: var(--nothing, #333);\n"
           "  --loop: var(--loop);\n  --last: #fff }\n")
    theme = read_theme(css)
    assert sorted(theme) == ["heading", "last", "link", "loop", "page", "text"]
    assert (theme["text"].line, theme["page"].line, theme["last"].line) == (4, 5, 9)
    assert theme["last"].value == "#fff"
    assert resolve("link", theme) == parse_colour("#1a1a1a")
    assert resolve("heading", theme) == parse_colour("#333")
    assert resolve("loop", theme) is None and resolve("absent", theme) is None


def test_failing_pairs_are_warnings_at_the_text_colour_line(tmp_path):
    path = tmp_path / "theme.css"
    path.write_text(":root {\n  --page: #ffffff;\n  --text: #777;\n  --box-bg: #eef6f9;\n  --link: #0a5873;\n}\n",
                    encoding="utf-8")
    pairs = (Pair("text", "page", "body text"), Pair("link", "page", "links"), Pair("text", "box-bg", "boxes"))
    found = theme_diagnostics(path, pairs)
    assert [(d.line, d.code, d.level) for d in found] == [(3, "lint.contrast", "warning")] * 2
    assert "'--text' (#777) on '--page' (#ffffff, line 2) has a contrast of 4.48:1" in found[0].message
    assert "(used for body text)" in found[0].message
    assert "on '--box-bg'" in found[1].message


def test_missing_and_unreadable_colours_are_reported(tmp_path):
    path = tmp_path / "theme.css"
    path.write_text(":root {\n  --text: bluish;\n}\n", encoding="utf-8")
    found = theme_diagnostics(path, (Pair("text", "page", "body text"),))
    assert [(d.line, d.code) for d in found] == [(2, "lint.theme-colour"), (None, "lint.theme-colour")]
    assert theme_diagnostics(tmp_path / "absent.css") == []


def test_the_real_theme_passes_every_pair():
    theme = read_theme((TEMPLATES / "theme.css").read_text(encoding="utf-8"))
    results = check_pairs(theme)
    assert len(results) == len(PAIRS)  # every colour readable
    failing = [(r.pair, round(r.ratio, 2)) for r in results if r.ratio < MINIMUM]
    assert failing == []
    assert theme_diagnostics(TEMPLATES / "theme.css") == []


def test_pairs_follow_the_leaflet_stylesheet():
    """Every pair's colours are used by leaflet.css, and every text colour it sets is checked."""
    css = (TEMPLATES / "leaflet.css").read_text(encoding="utf-8")
    used = set(re.findall(r"var\(--([a-z-]+)\)", css))
    for pair in PAIRS:
        assert {pair.foreground, pair.background} <= used | {"page"}, pair
    text_colours = set(re.findall(r"(?<![-\w])color:\s*var\(--([a-z-]+)\)", css))
    backgrounds = set(re.findall(r"background:\s*var\(--([a-z-]+)\)", css))
    assert text_colours <= {p.foreground for p in PAIRS}
    assert backgrounds <= {p.background for p in PAIRS}
    assert len(set(PAIRS)) == len(PAIRS)
