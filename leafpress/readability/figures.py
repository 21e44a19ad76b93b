"""The measures of one article in one language (:class:`Figures`): words, syllables,
sentences, key points per box, blocks per h2 section; of the article as written or of a
translation as its reader gets it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from leafpress.i18n.catalogs import Catalog
from leafpress.i18n.localize import localize_article
from leafpress.i18n.translations import source_body
from leafpress.markdown.blocks import registry
from leafpress.markdown.segments import segment_text, walk_inline
from leafpress.readability.formulas import Counts, Formula, measures
from leafpress.readability.prose import Prose, prose, prose_kind
from leafpress.readability.sentences import Sentence
from leafpress.source.project import Article

#: the source language, whose articles get every measure
DUTCH = "nl"


@dataclass(frozen=True)
class Box:
    line: int
    items: int


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    blocks: int  # paragraphs, list items and box texts under the h2, its subsections included


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
        untranslated += bool(msgid) and not finished and prose_kind(stack) is not None
    blocks = prose(localized.tokens, article.body_line, lines)
    first = blocks[0].line if blocks else 1
    return _figures(article, catalog.lang, catalog.path, localized.tokens, blocks, first, untranslated), blocks
