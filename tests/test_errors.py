"""Bad input: a clear 'path:line: error: message [code]', exit 1, and nothing written."""

from __future__ import annotations

import pytest

ARTICLE = "content/articles/proef.md"

CASES = [
    # (file, old text, new text, expected line, expected code)
    (ARTICLE, "owner: Testteam", "owner: [Testteam", 6, "meta.yaml"),
    (ARTICLE, "keywords: [test]", "keywords: [test]\ncolour: blue", 12, "meta.unknown"),
    (ARTICLE, "owner: Testteam\n", "", 2, "meta.required"),
    (ARTICLE, "published: 2026-01-05", "published: 5 januari", 8, "meta.invalid"),
    (ARTICLE, "[@szigeti2021; @morgan2012]", "[@szigeti2021; @nobody1999]", 32, "cite.unknown"),
    (ARTICLE, "helplines: [testlijn]", "helplines: [geenlijn]", 12, "helpline.unknown"),
    (ARTICLE, "::: helpline testlijn", "::: helpline geenlijn", 50, "helpline.unknown"),
    (ARTICLE, "::: note", "::: tip", 39, "block.unknown"),
    (ARTICLE, "![Schema van de twee middelen naast elkaar]", "![]", 48, "figure.alt"),
    (ARTICLE, "media/schema.png", "media/missing.png", 48, "figure.missing"),
    (ARTICLE, "media/schema.png", "http://example.org/x.png", 48, "figure.src"),
    (ARTICLE, "media/schema.png", "../../../../etc/passwd", 48, "figure.src"),
    (ARTICLE, "::: fact\nDat", "::: note\nDat", 28, "block.myth"),
    (ARTICLE, "related: [tweede]", "related: [derde]", 13, "meta.related"),
    (ARTICLE, "[Engelse term]{lang=en}", "[Engelse term]{lang=e_n}", 16, "lang.invalid"),
    ("content/references.yaml", "- id: morgan2012", "- id: morgan2012\n  title: [unclosed", 15, "bib.yaml"),
    ("content/helplines.yaml", "  number: 0800-0000\n", "", 1, "helpline.invalid"),
    ("content/booklets/bundel.yaml", "articles: [proef, tweede]", "articles: [proef, derde]", 4, "booklet.article"),
    ("content/site.yaml", "format: A5", "format: A3", 5, "config.field"),
]


@pytest.mark.parametrize("relative, old, new, line, code", CASES, ids=[c[4] + "-" + str(i) for i, c in enumerate(CASES)])
def test_bad_input_is_reported_with_file_and_line(basic, capsys, relative, old, new, line, code):
    run = basic.build_refused(capsys, relative, old, new)
    expected = f"{relative}:{line}: error: "
    matching = [l for l in run.err.splitlines() if l.startswith(expected) and l.endswith(f"[{code}]")]
    assert matching, f"no '{expected}... [{code}]' in:\n{run.err}"


def test_every_problem_is_reported_at_once(basic, capsys):
    basic.edit(ARTICLE, "::: note", "::: tip")
    basic.edit(ARTICLE, "[@szigeti2021; @morgan2012]", "[@nobody1999]")
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert "[block.unknown]" in run.err and "[cite.unknown]" in run.err


def test_clean_project_checks_without_errors(basic, capsys):
    run = basic.build(capsys, "check")
    assert run.code == 0, run.err
    assert run.err == ""
