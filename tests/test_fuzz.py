"""Hypothesis fuzz of everything that reads what editors and translators write.

Each target mutates a real file of the basic root (inserts, deletes and
replaces, drawn from the characters and keywords that matter to its
format: YAML indicators, Markdown and block fences, citation brackets, .po
keywords, dates, tags, bidi controls, NUL) and loads and checks the whole
project as ``build.py check`` does. The promise under test: whatever the
input, the reader answers with located diagnostics, never an exception.
A found problem must be an error (or warning) with a file and a line.

``make test`` runs a bounded number of examples per target (about a minute
in all); ``LEAFPRESS_FUZZ_EXAMPLES=20000`` runs them long.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOTS, copy_project
from leafpress.cite.syntax import find_citations
from leafpress.diagnostics import Diagnostic
from leafpress.i18n.po_checks import check_po
from leafpress.source.frontmatter import parse_front_matter
from leafpress.source.load import load_and_check

EXAMPLES = int(os.environ.get("LEAFPRESS_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="LEAFPRESS_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
# Pieces that mean something to one of the readers.
PIECES = [
    "\n", "\t", " ", ":", ": ", "- ", "-", "[", "]", "{", "}", "#", "&a ", "*a", "!", "!!float x", "!!python/name:os.system",
    "|", ">", "'", '"', "%", "@", "`", ",", "?", "---\n", "...\n", "<<: ", "2026-02-30", "2026-13-45", "1e999",
    "::: ", ":::\n", "::: note\n", "::: helpline testlijn\n", "[@", "[@szigeti2021]", "@morgan2012", "]{", "{lang=en}",
    "{style=\"x\"}", "{.decorative}", "](javascript:alert(1))", "![x](media/schema.png)", "\\", "**", "_", "<b>", "&amp;",
    "msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "#, fuzzy\n", "\"\"\n", "%(pages)s", "{name}",
    "\u202e", "\u200f", "\x00", "\ufeff", "é", "ي", "ً", "𝔸", "0800-0113", "nplurals=0; plural=n/0;",
]
EDIT = st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=60),
                 st.one_of(st.sampled_from(PIECES), st.text(max_size=12)))


def mutate(seed: str, edits: list[tuple[int, int, str]]) -> str:
    """``seed`` with each (where, how many characters to drop, what to put there) applied."""
    text = seed
    for where, dropped, inserted in edits:
        at = where % (len(text) + 1)
        text = text[:at] + inserted + text[at + dropped:]
    return text


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(ROOTS / "basic", tmp_path_factory.mktemp("fuzz") / "basic")


def files_of(root: Path) -> list[str]:
    """Every file an editor or translator writes, relative to the project."""
    found = [p for folder in ("content", "translations") for p in sorted((root / folder).rglob("*"))
             if p.is_file() and p.suffix in (".md", ".yaml", ".po")]
    return [str(p.relative_to(root)) for p in found]


BASIC_FILES = files_of(ROOTS / "basic")


def assert_located(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.path, diagnostic


@FUZZ
@given(relative=st.sampled_from(BASIC_FILES), edits=st.lists(EDIT, min_size=1, max_size=6))
def test_the_whole_project_loads_whatever_one_file_says(project, relative, edits):
    path = project.path(relative)
    seed = (ROOTS / "basic" / relative).read_text(encoding="utf-8")
    path.write_text(mutate(seed, edits), encoding="utf-8", errors="surrogatepass")
    try:
        _, diagnostics = load_and_check(project.root)
    finally:
        path.write_text(seed, encoding="utf-8")
    assert_located(diagnostics)


@FUZZ
@given(relative=st.sampled_from([f for f in BASIC_FILES if f.endswith(".po")]),
       edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=8), st.binary(max_size=6)),
                      min_size=1, max_size=4))
def test_catalog_bytes_are_checked_without_an_exception(relative, edits):
    seed = (ROOTS / "basic" / relative).read_bytes()
    data = seed
    for where, dropped, inserted in edits:
        at = where % (len(data) + 1)
        data = data[:at] + inserted + data[at + dropped:]
    for line, code, message in check_po(data, lang="en", interface=relative.endswith("ui.po")):
        assert code.startswith("po.") and message and (line is None or line >= 1)


@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=8))
def test_front_matter_is_read_without_an_exception(edits):
    seed = (ROOTS / "basic" / "content" / "articles" / "proef.md").read_text(encoding="utf-8")
    meta, _body, _line, diagnostics = parse_front_matter(mutate(seed, edits), Path("content/articles/proef.md"))
    assert meta is not None or any(d.level == "error" for d in diagnostics)
    assert_located(diagnostics)


@FUZZ
@given(text=st.lists(st.sampled_from(list("[]@;:,-_ ab12pg.{}\\`*\n") + ["p. ", "hoofdstuk ", "-@", "szigeti2021"]),
                     max_size=40).map("".join))
def test_citation_brackets_are_read_without_an_exception(text):
    for citation in find_citations(text):
        assert all(item.key for item in citation.items)


def test_the_fuzz_targets_cover_every_kind_of_file():
    kinds = {Path(f).suffix for f in BASIC_FILES} | {Path(f).name for f in BASIC_FILES}
    assert {".md", ".yaml", ".po", "site.yaml", "helplines.yaml", "references.yaml", "ui.po"} <= kinds
