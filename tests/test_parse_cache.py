"""Parse results kept between builds (dist/.leafpress-parsed.pickle), found by the bytes parsed."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from leafpress.build import parse_cache
from leafpress.i18n import catalogs
from leafpress.source.load import load_project


def _loaded(root: Path) -> tuple:
    """What the project's catalogs and articles parse to: every language's entries, the sources."""
    parsed = parse_cache.load(root)
    project, problems = load_project(root, parsed)
    assert project is not None and not problems
    parse_cache.save(root, parsed)
    entries = {(lang, domain): (catalog.entries if catalog else None)
               for lang, language in project.languages.items()
               for domain, catalog in [("ui", language.ui), ("shared", language.shared), *language.articles.items()]}
    return entries, project.sources


def test_a_second_build_reads_the_parse_results_and_gets_the_same(basic, monkeypatch):
    first = _loaded(basic.root)
    assert parse_cache.cache_path(basic.root).exists()

    def no_parsing(*_):
        raise AssertionError("parsed again")

    monkeypatch.setattr(catalogs, "read_entries", no_parsing)
    monkeypatch.setattr("leafpress.i18n.translations.article_segments", no_parsing)
    assert _loaded(basic.root) == first


def test_a_changed_file_is_parsed_again(basic):
    _loaded(basic.root)
    po = next(basic.root.glob("translations/en/LC_MESSAGES/*.po"))
    text = po.read_text(encoding="utf-8")
    assert text.count('msgstr "') > 1
    po.write_text(text + '\nmsgid "A sentence added for the test."\nmsgstr "Added."\n', encoding="utf-8")
    entries, _ = _loaded(basic.root)
    assert any("A sentence added for the test." in (found or {}) for found in entries.values())


def test_what_another_version_of_leafpress_stored_is_not_used(basic, monkeypatch):
    _loaded(basic.root)
    assert parse_cache.load(basic.root).stored
    monkeypatch.setattr(parse_cache, "code_version", lambda: ("another",))
    assert parse_cache.load(basic.root).stored == {}


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(("v", ["not", "a", "dict"]))])
def test_an_unreadable_cache_is_parsed_anew(basic, content):
    path = parse_cache.cache_path(basic.root)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert parse_cache.load(basic.root).stored == {}
    first, _ = _loaded(basic.root)
    assert first


def test_a_build_with_errors_writes_no_cache(basic, capsys):
    basic.edit("content/articles/" + next(p.name for p in basic.path("content/articles").glob("*.md")), "---", "--")
    run = basic.build(capsys, "leaflets")
    assert run.code == 1
    assert not parse_cache.cache_path(basic.root).exists()
