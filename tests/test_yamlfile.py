"""YAML mappings read by libyaml where there is one, with the same results as PyYAML's parser."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leafpress.source.frontmatter import split_front_matter
from leafpress.source.yamlfile import FAST_LOADER, _load_mapping, load_mapping

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(FAST_LOADER is yaml.SafeLoader, reason="PyYAML without libyaml")


def _texts() -> list[tuple[str, str, int]]:
    """Every YAML mapping of the project and the test roots: (name, text, line offset)."""
    found = []
    for base in (REPO / "content", REPO / "tests" / "roots"):
        for path in sorted(base.rglob("*.yaml")):
            found.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8"), 0))
        for path in sorted(base.rglob("*.md")):
            front, _body, _line = split_front_matter(path.read_text(encoding="utf-8"))
            if front is not None:
                found.append((str(path.relative_to(REPO)), front, 1))
    return found


TRICKY = """\
title: "Ketamine: wat is het?"
reviewed: 2025-03-01
draft: no
count: 012
ratio: 1.5e3
empty:
list: [a, 'b, c', "d"]
folded: >
  een lange
  regel
literal: |
  twee
  regels
arabic: الكيتامين
nested: {a: 1, b: [x, y]}
"""


def test_libyaml_reads_every_mapping_as_pyyaml_does():
    texts = _texts() + [("tricky", TRICKY, 3)]
    assert len(texts) > 15
    refused = 0
    for name, text, offset in texts:
        try:
            plain = _load_mapping(text, name, offset, "t", yaml.SafeLoader)
        except yaml.YAMLError:  # a broken file of a test root: libyaml must refuse it too
            refused += 1
            with pytest.raises(yaml.YAMLError):
                _load_mapping(text, name, offset, "t", FAST_LOADER)
            continue
        assert _load_mapping(text, name, offset, "t", FAST_LOADER) == plain, name
    assert refused < len(texts) / 2


def test_what_libyaml_refuses_is_reported_by_pyyaml():
    located, problems = load_mapping("title: [unclosed\nsummary: x\n", "a.md", line_offset=1)
    assert located is None
    assert [(p.line, p.code) for p in problems] == [(2, "yaml.syntax")]
    assert "check brackets, quotes, colons and indentation" in problems[0].message
