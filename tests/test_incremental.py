"""Builds that skip what is up to date, and never keep what is gone."""

from __future__ import annotations

import shutil


def test_nothing_changed_is_nothing_to_do(basic, capsys):
    assert basic.build(capsys, "booklets").code == 0
    again = basic.build(capsys, "booklets")
    assert again.code == 0 and again.out.startswith("nothing to do")


def test_a_deleted_article_loses_its_leaflet_even_when_the_project_is_as_at_an_earlier_run(basic, capsys):
    """'leaflets' runs, an article is added and built with --lang nl, then deleted: the
    project is exactly as at the first run, but the new article's leaflet must go."""
    assert basic.build(capsys, "leaflets", "--lang", "nl").code == 0
    articles = basic.path("content/articles")
    source = sorted(articles.glob("*.md"))[0]
    copy = articles / "kopie.md"
    shutil.copyfile(source, copy)
    basic.edit("content/articles/kopie.md", f"id: {source.stem}", "id: kopie")
    built = basic.build(capsys, "leaflets", "--lang", "nl", "--draft")
    assert built.code == 0 and basic.path("dist/leaflets/nl/kopie.pdf").exists()
    copy.unlink()
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0
    assert not run.out.startswith("nothing to do")
    assert not basic.path("dist/leaflets/nl/kopie.pdf").exists()
