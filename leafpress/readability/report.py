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
  (:func:`glossary_terms`) and not an abbreviation in capitals (MDMA; in a compound,
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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it.token import Token

from leafpress.diagnostics import Diagnostic, warning
from leafpress.i18n.catalogs import Catalog
from leafpress.i18n.localize import localize_article
from leafpress.i18n.translations import source_body
from leafpress.markdown.blocks import container_kind, registry
from leafpress.markdown.placeholders import TOKEN as PLACEHOLDER
from leafpress.markdown.segments import inline_line, segment_text, walk_inline
from leafpress.readability.formulas import Counts, Formula, dutch_syllables, is_abbreviation, measures
from leafpress.readability.word_frequency import rarity
from leafpress.source.glossary import Glossary
from leafpress.source.project import Article, Readability

if TYPE_CHECKING:
    from leafpress.source.load import Project

#: the source language, whose articles get every measure
DUTCH = "nl"
#: what a reader reads for a placeholder ({{organisation}}): a name, one short word, never a difficult one
NAME_STAND_IN = "Naam"

#: endings of Dutch inflection: what a word may have that the glossary has without
#: (ketamines: ketamine), and the forms of a word reported once (capsule, capsules)
_SUFFIXES = ("en", "n", "s", "e", "'s")


def _stem_forms(word: str) -> Iterable[str]:
    lower = word.lower()
    yield lower
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 3:
            yield lower[:-len(suffix)]


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class Prose:
    """One block a reader reads: its kind (heading h2, paragraph, list item, box), line and sentences."""

    kind: str
    line: int
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Box:
    line: int
    items: int


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    blocks: int  # paragraphs, list items and box texts under the h2, its subsections included


#: the Dutch syllables of a word (by this module's name for them)
syllables = dutch_syllables


@dataclass(frozen=True)
class Figures:
    """The measures of one article in one language."""

    article: str
    lang: str
    path: Path             # the article, or for a translation its catalog
    words: int
    syllables: int         # 0 where they are not counted (measures(lang).syllables is None)
    sentences: tuple[Sentence, ...]
    long_words: int        # of four or more syllables
    boxes: tuple[Box, ...]
    sections: tuple[Section, ...]
    first_line: int        # the line of the first prose block
    untranslated: int = 0  # texts of a translation not translated yet, left out

    @property
    def formula(self) -> Formula | None:
        return measures(self.lang).formula

    @property
    def score(self) -> float | None:
        """The reading ease (or difficulty) by the language's formula; None without one."""
        if self.formula is None:
            return None
        if not self.words or not self.sentences:
            return 0.0
        return self.formula.score(Counts(self.words, self.syllables, len(self.sentences), self.long_words))

    @property
    def flesch_douma(self) -> float:
        assert self.lang == DUTCH, self.lang
        return self.score or 0.0

    @property
    def mean_sentence(self) -> float:
        return self.words / len(self.sentences) if self.sentences else 0.0

    @property
    def longest_sentence(self) -> int:
        return max((len(s.words) for s in self.sentences), default=0)

    def long_sentence_share(self, limit: int) -> float:
        return sum(len(s.words) > limit for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    @property
    def long_word_share(self) -> float | None:
        if measures(self.lang).syllables is None:
            return None
        return self.long_words / self.words if self.words else 0.0


#: combining marks, part of the word they are on: Arabic vowel signs and shadda (يُذكر, ويُسمّى),
#: Latin and Cyrillic accents written apart (a text in NFD)
MARKS = "\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_LETTERS = rf"[^\W\d_](?:[^\W\d_]|[{MARKS}])*"
WORD = re.compile(rf"{_LETTERS}(?:['\u2019\-]{_LETTERS})*")
#: what is written as an address, not read as words (the mask keeps the offsets), up to the
#: punctuation after it: the full stop after "113.nl." still ends the sentence
ADDRESS = re.compile(r"(?:\b(?:https?://|mailto:|www\.)|\S+@|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|net|eu|be|info)\b)"
                     r"\S*?(?=[.,;:!?)\"'\u2019]*(?:\s|$))", re.IGNORECASE)
#: where a sentence may end: its mark, closing quotes or brackets, then white space or the end
SENTENCE_END = re.compile(r"[.!?\u2026\u061f]+[\"'\u2019\u201d\u00bb)]*(?=\s|$)")  # \u061f: Arabic ?
#: Dutch abbreviations whose full stop ends no sentence
ABBREVIATIONS = frozenset("bijv bv o.a d.w.z i.p.v enz etc nr dr drs mr ca m.n t.o.v incl excl vs e.d z.d p pp blz "
                          "mevr dhr jl a.s".split())


def _prose_kind(stack: Sequence[Token]) -> str | None:
    """What kind of prose the inline token inside ``stack`` is, or None when it is no prose."""
    kind = "paragraph"
    for token in stack:
        if token.type in ("table_open", "figure_open", "figcaption_open"):
            return None
        if token.type == "container_block_open" and not registry().block_of(token).reading.prose:
            return None
        if token.type == "heading_open":
            kind = f"heading {token.tag}"
        elif token.type == "list_item_open" and kind == "paragraph":
            kind = "list item"
    return kind


def _pieces(inline: Token, line: int) -> list[tuple[int, str]]:
    """The text a reader reads of an inline token, as (line, text) pieces: no citation,
    no image, no autolink's address."""
    pieces: list[tuple[int, str]] = []
    autolink = False
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            pieces.append((line, " "))
            line += 1
        elif child.type == "link_open":
            autolink = child.markup == "autolink"
        elif child.type == "link_close":
            autolink = False
        elif child.type == "citation":
            pieces.append((line, " "))
        elif child.type in ("text", "code_inline") and not autolink:
            pieces.append((line, child.content))
        elif child.type == PLACEHOLDER:
            pieces.append((line, NAME_STAND_IN))
    return pieces


def _sentences(pieces: Sequence[tuple[int, str]]) -> tuple[str, tuple[Sentence, ...]]:
    text = "".join(piece for _, piece in pieces)
    starts, offset = [], 0
    for line, piece in pieces:
        starts.append((offset, line))
        offset += len(piece)
    masked = ADDRESS.sub(lambda m: " " * len(m.group()), text)

    def line_at(position: int) -> int:
        return next((line for start, line in reversed(starts) if start <= position), pieces[0][0] if pieces else 0)

    sentences, begin = [], 0
    ends = [m.end() for m in SENTENCE_END.finditer(masked) if _ends_sentence(masked, m.start(), m.end())]
    for end in [*ends, len(masked)]:
        chunk = masked[begin:end]
        words = tuple(WORD.findall(chunk))
        if words:
            first = begin + len(chunk) - len(chunk.lstrip())
            sentences.append(Sentence(" ".join(text[first:end].split()), line_at(first), words))
        begin = end
    return text, tuple(sentences)


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the mark at ``start:end`` ends a sentence: not after an abbreviation, not before lower case."""
    before = re.search(r"([\w.]+)$", text[:start])
    if before and text[start] == "." and before.group(1).lower().strip(".") in ABBREVIATIONS:
        return False
    after = text[end:].lstrip()
    return not (after and after[0].islower())


def prose(tokens: Sequence[Token], first_line: int,
          lines: Sequence[int | None] | None = None) -> list[Prose]:
    """Every block of prose of a parsed body, in order, with its sentences and their lines.
    With ``lines`` (one per inline token, in order) a block is at that line, and left out
    where it is None (a translation's text that is not translated)."""
    blocks = []
    for index, (inline, stack) in enumerate(walk_inline(tokens)):
        kind = _prose_kind(stack)
        if kind is None:
            continue
        boxes = [container_kind(t) for t in stack if t.type == "container_block_open"]
        if boxes and not kind.startswith("heading"):
            kind = f"{boxes[-1]} box ({kind})"
        line = inline_line(inline, stack, first_line) if lines is None else (
            lines[index] if index < len(lines) else None)
        if line is None:
            continue
        text, sentences = _sentences(_pieces(inline, line))
        if sentences:
            blocks.append(Prose(kind, line, text, sentences))
    return blocks


def keypoint_boxes(tokens: Sequence[Token], first_line: int) -> tuple[Box, ...]:
    """Each key-point box (``::: keypoints``) with its line and the number of items of its list."""
    boxes = []
    for index, token in enumerate(tokens):
        if token.type == "container_block_open" and registry().block_of(token).reading.key_points:
            items, depth = 0, 0
            for inner in tokens[index:]:
                depth += inner.nesting
                if inner.type == "list_item_open" and inner.level == token.level + 2:
                    items += 1
                if depth == 0:
                    break
            boxes.append(Box((token.map[0] if token.map else 0) + first_line, items))
    return tuple(boxes)


def sections(blocks: Sequence[Prose]) -> tuple[Section, ...]:
    """The h2 sections with the number of blocks of prose below each heading (up to the next h2)."""
    found: list[Section] = []
    for block in blocks:
        if block.kind == "heading h2":
            found.append(Section(block.text.strip(), block.line, 0))
        elif found and not block.kind.startswith("heading"):
            last = found[-1]
            found[-1] = Section(last.title, last.line, last.blocks + 1)
    return tuple(found)


def _figures(article: Article, lang: str, path: Path, tokens: Sequence[Token], blocks: Sequence[Prose],
             first_line: int, untranslated: int = 0) -> Figures:
    sentences = tuple(s for block in blocks for s in block.sentences)
    words = [w for s in sentences for w in s.words]
    count = measures(lang).syllables
    known = {w: count(w) for w in set(words)} if count else {}  # a word is counted once per text
    counts = [known[w] for w in words] if count else []
    return Figures(article.id, lang, path, len(words), sum(counts), sentences, sum(c >= 4 for c in counts),
                   keypoint_boxes(tokens, first_line), sections(blocks), blocks[0].line if blocks else first_line,
                   untranslated)


def measure(article: Article) -> tuple[Figures, list[Prose]]:
    """The figures of one article (in its own language) and its prose."""
    tokens = source_body(article.body).tokens
    blocks = prose(tokens, article.body_line)
    return _figures(article, article.meta.lang, article.path, tokens, blocks, article.body_line), blocks


def measure_translation(article: Article, catalog: Catalog) -> tuple[Figures, list[Prose]]:
    """The figures of an article's translation as its reader gets it (parsed with the catalog),
    each text at the line of its entry in the catalog; the texts not translated are left out."""
    localized = localize_article(article, catalog.lang, catalog.translation)
    lines: list[int | None] = []
    untranslated = 0
    for inline, stack in walk_inline(source_body(article.body).tokens):
        msgid = segment_text(inline)
        finished = bool(msgid) and catalog.translation(msgid) is not None
        lines.append(catalog.entries[msgid].line if finished else None)
        untranslated += bool(msgid) and not finished and _prose_kind(stack) is not None
    blocks = prose(localized.tokens, article.body_line, lines)
    first = blocks[0].line if blocks else 1
    return _figures(article, catalog.lang, catalog.path, localized.tokens, blocks, first, untranslated), blocks


def glossary_terms(glossary: Glossary) -> frozenset[str]:
    """The words the glossary explains, in lower case: each term and its ``forms``, and each
    word of one of several words (``bipolaire`` of ``bipolaire stoornis``)."""
    phrases = {word.lower() for term in glossary for word in term.words}
    return frozenset(phrases | {part for phrase in phrases for part in phrase.split()})


@dataclass(frozen=True)
class Difficult:
    word: str
    line: int
    part: str    # the word, or its part that is rare (receptor in NMDA-receptor)
    zipf: float  # the part's frequency in Dutch


def difficult_words(blocks: Sequence[Prose], explained: frozenset[str], rare_zipf_max: float) -> list[Difficult]:
    """Each Dutch word a B1 reader probably does not know (see the module), once (its
    inflections with it: capsule, capsules), at its first line."""
    found: list[Difficult] = []
    seen: set[str] = set()
    for block in blocks:
        for sentence in block.sentences:
            for word in sentence.words:
                forms = set(_stem_forms(word))
                if forms & seen or is_abbreviation(word) or forms & explained:
                    continue
                seen |= forms
                rare = rarity(word, rare_zipf_max)
                if rare is not None:
                    found.append(Difficult(word, sentence.line, rare.part, rare.zipf))
    return found


def sentence_findings(figures: Figures, limits: Readability) -> list[Diagnostic]:
    """The sentence-length warnings, the ones that mean the same in every language."""
    path, found = figures.path, []
    share = figures.long_sentence_share(limits.sentence_max)
    if share > limits.long_sentence_share_max:
        found.append(warning(path, figures.first_line, "plain.sentence",
                             f"{share:.0%} of the sentences have more than {limits.sentence_max} words "
                             f"(at most {limits.long_sentence_share_max:.0%})"))
    for sentence in figures.sentences:
        if len(sentence.words) > limits.sentence_max:
            found.append(warning(path, sentence.line, "plain.sentence",
                                 f"sentence of {len(sentence.words)} words (more than {limits.sentence_max}): "
                                 f"{_quoted(sentence.text)}; split it"))
    return found


def findings(figures: Figures, blocks: Sequence[Prose], limits: Readability,
             explained: frozenset[str]) -> list[Diagnostic]:
    """The warnings of one Dutch article, in line order."""
    path, found = figures.path, []
    if figures.sentences and figures.flesch_douma < limits.flesch_min:
        found.append(warning(path, figures.first_line, "plain.flesch",
                             f"Flesch-Douma {figures.flesch_douma:.1f} is below {limits.flesch_min:g}: the text is "
                             "harder than plain Dutch; shorter sentences and shorter words raise it"))
    found += sentence_findings(figures, limits)
    for box in figures.boxes:
        if box.items > limits.keypoints_max:
            found.append(warning(path, box.line, "plain.keypoints",
                                 f"{box.items} key points in this box (at most {limits.keypoints_max}); "
                                 f"keep the {limits.keypoints_max} that matter most"))
    for section in figures.sections:
        if section.blocks > limits.section_paragraphs_max:
            found.append(warning(path, section.line, "plain.section",
                                 f"section '{section.title}' has {section.blocks} paragraphs, list items and box texts "
                                 f"(at most {limits.section_paragraphs_max}); split it under a new heading"))
    for word in difficult_words(blocks, explained, limits.rare_zipf_max):
        of = f" of '{word.part}'" if word.part != word.word else ""
        found.append(warning(path, word.line, "plain.word",
                             f"'{word.word}' is probably unknown to a B1 reader (Zipf frequency {word.zipf:.2f}{of} "
                             f"in Dutch, under {limits.rare_zipf_max:g}); explain it where it is "
                             "first used or in content/glossary.yaml, or use a simpler word"))
    return sorted(found, key=lambda d: d.line or 0)


def _quoted(text: str, width: int = 60) -> str:
    return f"'{text}'" if len(text) <= width else f"'{text[:width - 1].rstrip()}…'"


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
