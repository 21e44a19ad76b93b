"""Plain-language figures of the articles and their translations: ``build.py readability``.

What is measured is the prose a reader reads: headings, paragraphs, list items
and the texts of boxes, taken from the project's own Markdown parse
(:func:`leafpress.i18n.translations.source_body`, :func:`leafpress.markdown.segments.walk_inline`)
with the source line of every sentence. Left out: front matter, citations
(``[@key]``, ``@key``), link targets and URLs written as text, images, figure
captions, tables (their cells are not sentences) and the help-line boxes (made
from helplines.yaml). Numbers are not words here.

- Reading ease by the language's published formula, where there is one and its
  syllables can be counted (:mod:`leafpress.readability.formulas`): Flesch-Douma for
  Dutch (Douma 1960; 60 or more is "plain"), Flesch for English, Ateşman for Turkish,
  FOG-PL for Polish; none for Ukrainian and Arabic.
- Mean and longest sentence in words, and the share of sentences longer than
  ``sentence_max`` words; the share of words of four or more syllables.
- Key points per ``::: keypoints`` box, and the paragraphs, list items and box
  texts per h2 section.
- Dutch words a B1 reader probably does not know: rare in the Dutch word-frequency
  list of the ``wordfreq`` package (Zipf frequency under ``rare_zipf_max``; an
  inflection or a compound of frequent words is not rare, see
  :mod:`leafpress.readability.word_frequency`), not explained in content/glossary.yaml
  (:func:`.difficult_words.glossary_terms`) and not an abbreviation in capitals (MDMA; in a compound,
  NMDA-receptor, its other parts are looked up). The message names the frequency.
  This replaces a test of length (four syllables or 13 letters) with a hand-picked
  list of long everyday words: on the three real articles it reported 89 words, 35
  of which the list finds frequent (wetenschappelijk, persoonlijke, bijwerkingen,
  therapiegesprekken), and missed 44 rare ones (infuus, glutamaat, psychose, narcose).
  The long words it found that are rare the list finds too; what a long word costs a
  reader beyond that is in the reading ease and the share of words of four syllables.

The translations are measured as their readers get them: the article parsed with
its catalog (:func:`leafpress.i18n.localize.localize_article`), each translated text at the
line of its entry in the .po file; a text not translated yet is left out (the table
says how many). For them only the sentence-length warnings are given: a score's
threshold is set for Dutch, and the word lists are Dutch.

Thresholds come from site.yaml ``readability:`` (:class:`leafpress.source.project.Readability`).

The parts: :mod:`.prose` (the blocks a reader reads) and :mod:`.sentences`,
:mod:`.figures` (the measures of one article in one language), :mod:`.difficult_words`,
:mod:`.findings` (the warnings); this module puts them together into the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from leafpress.diagnostics import Diagnostic
from leafpress.readability.difficult_words import glossary_terms
from leafpress.readability.figures import DUTCH, Figures, measure, measure_translation
from leafpress.readability.findings import findings, sentence_findings
from leafpress.source.project import Article, Readability

if TYPE_CHECKING:
    from leafpress.source.load import Project


def dutch_articles(project: Project) -> list[Article]:
    return [a for a in project.articles.values() if a.meta.lang == DUTCH]


def _score(figures: Figures) -> str:
    score = figures.score
    return "-" if score is None or figures.formula is None else f"{score:.1f} {figures.formula.name}"


def table(rows: Sequence[tuple[Figures, int | None]], limits: Readability) -> list[str]:
    """The figures as a table, one line per article and language; ``rows`` pairs them with the
    number of difficult words (None where words are not looked up)."""
    longer = f"> {limits.sentence_max} words"
    header = (f"{'article':24} {'lang':4} {'words':>5} {'reading ease (formula)':>22} {'sentence mean/longest':>22} "
              f"{longer:>10} {'4+ syllables':>12}  {'key points':10} difficult words")
    lines = [header]
    for figures, difficult in rows:
        points = ", ".join(str(b.items) for b in figures.boxes) or "-"
        share = figures.long_word_share
        lines.append(f"{figures.article:24} {figures.lang:4} {figures.words:5d} {_score(figures):>22} "
                     f"{figures.mean_sentence:15.1f} / {figures.longest_sentence:4d} "
                     f"{figures.long_sentence_share(limits.sentence_max):10.1%} "
                     f"{'-' if share is None else f'{share:.1%}':>12}  "
                     f"{points:10} {'-' if difficult is None else difficult}")
    return lines


def _notes(rows: Sequence[tuple[Figures, int | None]], project: Project) -> list[str]:
    notes = [f"{f.article} ({f.lang}): {f.untranslated} text(s) not translated yet, not measured"
             for f, _ in rows if f.untranslated]
    others = sorted(f"{a.id} ({a.meta.lang})" for a in project.articles.values() if a.meta.lang != DUTCH)
    if others:
        notes.append(f"not measured (written in another language than Dutch): {', '.join(others)}")
    return notes


def readability(project: Project) -> tuple[list[str], list[Diagnostic]]:
    """The table and the warnings of every Dutch article and of its translations."""
    limits = project.site.readability
    explained = glossary_terms(project.glossary)  # read and checked with the project
    diagnostics: list[Diagnostic] = []
    rows: list[tuple[Figures, int | None]] = []
    for article in dutch_articles(project):
        figures, blocks = measure(article)
        found = findings(figures, blocks, limits, explained)
        diagnostics += found
        rows.append((figures, sum(d.code == "plain.word" for d in found)))
        for language in project.languages.values():
            catalog = language.articles.get(article.id)
            if catalog is None:
                continue
            translated, _ = measure_translation(article, catalog)
            diagnostics += sorted(sentence_findings(translated, limits), key=lambda d: d.line or 0)
            rows.append((translated, None))
    return table(rows, limits) + _notes(rows, project), diagnostics
