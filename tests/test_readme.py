"""The README is what editors follow word for word: its examples must be true."""

from __future__ import annotations

import re

import yaml

from conftest import REPO
from leafpress.source.frontmatter import SCHEMA

README = (REPO / "README.md").read_text(encoding="utf-8")


def _front_matter_example() -> dict:
    block = re.search(r"```yaml\n---\n(.*?)\n---\n```", README, re.S)
    assert block, "the README shows no front-matter example"
    return yaml.safe_load(block.group(1))


def test_front_matter_example_shows_every_field():
    assert set(_front_matter_example()) == set(SCHEMA)


def test_front_matter_example_is_a_valid_article(real_copy, capsys):
    example = (REPO / "README.md").read_text(encoding="utf-8")
    front = re.search(r"```yaml\n(---\n.*?\n---\n)```", example, re.S).group(1)
    article = real_copy.path("content/articles/ketamine-en-mdma.md")
    body = article.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    article.write_text(front + body, encoding="utf-8")
    run = real_copy.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0, run.err
    assert real_copy.path("dist/leaflets/nl/ketamine-en-mdma.pdf").exists()


def test_every_folder_the_readme_names_exists():
    for folder in re.findall(r"`((?:content|translations|templates)/[\w/]*)/`", README):
        if "<" not in folder:
            assert (REPO / folder).is_dir(), f"the README names {folder}/, which the project does not have"
