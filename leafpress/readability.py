"""Plain-language figures of the Dutch articles: ``build.py readability``.

What is measured is the prose a reader reads: headings, paragraphs, list items
and the texts of boxes, taken from the project's own Markdown parse
(:func:`leafpress.translations.source_body`, :func:`leafpress.segments.walk_inline`)
with the source line of every sentence. Left out: front matter, citations
(``[@key]``, ``@key``), link targets and URLs written as text, images, figure
captions, tables (their cells are not sentences) and the help-line boxes (made
from helplines.yaml). Numbers are not words here.

- Flesch-Douma, Flesch's reading ease for Dutch (Douma 1960):
  206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence;
  60 or more is "plain", 50-60 "fairly difficult".
- Mean and longest sentence in words, and the share of sentences longer than
  ``sentence_max`` words; the share of words of four or more syllables.
- Key points per ``::: keypoints`` box, and the paragraphs, list items and box
  texts per h2 section.
- Words a B1 reader probably does not know. Without a word-frequency list (no
  package may be installed for it, and none is in the project) the test is a
  length heuristic: a word of four or more syllables or of 13 or more letters
  (Dutch compounds: ``ontwenningsverschijnselen``), not in :data:`COMMON_LONG_WORDS`
  (long words of everyday Dutch, picked by hand) and not explained in
  content/glossary.yaml when there is one. Abbreviations in capitals (MDMA) are
  not words here; compounds with them (NMDA-receptor) are. Long words are the
  hard ones in Dutch health texts, but short rare words (infuus, glutamaat) slip
  through: the next step is a frequency list (the ``wordfreq`` package's Dutch
  list, with a Zipf threshold), with this heuristic as its fallback.

Syllables are Dutch vowel groups (:func:`syllables`); thresholds come from
site.yaml ``readability:`` (:class:`leafpress.project.Readability`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from markdown_it.token import Token

from .diagnostics import Diagnostic, warning
from .glossary import load_glossary
from .project import Article, Readability
from .segments import container_kind, inline_line, walk_inline
from .translations import source_body

if TYPE_CHECKING:
    from .load import Project

#: the language the measures are made for
DUTCH = "nl"

#: vowel groups that are one syllable, longest first (``koeien`` is koei-en, ``theater`` the-a-ter)
VOWEL_GROUPS = ("aai", "ooi", "oei", "eeu", "ieu", "eau",
                "ij", "ie", "oe", "eu", "ei", "au", "ou", "ui", "aa", "ee", "oo", "uu")
VOWELS = frozenset("aeiouy")
DIAERESIS = "\u0308"  # ë ï ü: the vowel starts a new syllable (ideeën, ruïne)


def _letters(word: str) -> list[tuple[str, bool]]:
    """Each letter of a word in lower case without accents, and whether it had a diaeresis."""
    letters: list[tuple[str, bool]] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(char):
            if char == DIAERESIS and letters:
                letters[-1] = (letters[-1][0], True)
        else:
            letters.append((char, False))
    return letters


def _vowel_groups(part: str) -> int:
    letters = _letters(part)
    base = "".join(char for char, _ in letters)
    count, index = 0, 0
    while index < len(base):
        char = base[index]
        if char not in VOWELS or (char == "y" and index == 0 and base[1:2] in VOWELS):  # yoga: y is a consonant
            index += 1
            continue
        group = next((g for g in VOWEL_GROUPS if base.startswith(g, index)
                      and not any(marked for _, marked in letters[index + 1:index + len(g)])), char)
        count += 1
        index += len(group)
    return count


def syllables(word: str) -> int:
    """Dutch syllables of a word: its vowel groups, at least one for each part between hyphens;
    an abbreviation in capitals (MDMA) is spelled out, a syllable a letter."""
    total = 0
    for part in word.replace("'", "").replace("\u2019", "").split("-"):
        if not part:
            continue
        total += len(part) if is_abbreviation(part) else max(1, _vowel_groups(part))
    return max(1, total)


def is_abbreviation(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


#: long words of everyday Dutch that a B1 reader knows (with their inflections, see :func:`_stem_forms`);
#: picked by hand from the words the length test would otherwise report in patient texts
COMMON_LONG_WORDS = frozenset("""
    informatie behandeling behandelingen behandelaar behandelaars verschillende verschillend
    onderzoek onderzoeken onderzoeker onderzoekers bijvoorbeeld medicijn medicijnen mogelijkheid
    mogelijkheden gebeurtenis gebeurtenissen vergelijken vergelijking ongeveer tegelijkertijd
    iedereen helemaal misschien waarschijnlijk natuurlijk eigenlijk belangrijk belangrijkste
    gevaarlijk verantwoordelijk afspraak afspraken telefoon telefoneren televisie ziekenhuis
    ziekenhuizen verpleegkundige verpleegkundigen ervaring ervaringen verandering veranderingen
    veranderen verandert gewoonlijk ogenblik onmiddellijk uiteindelijk oorspronkelijk
    voorwaarde voorwaarden toestemming begeleiding verzekering nederland nederlandse europa
    europese amerika amerikaanse australië verenigde deelnemer deelnemers therapeut therapeuten
    psychiater psychiaters huisarts apotheek apotheker vertrouwen mensen eventueel
    communiceren combineren combineert problemen probleem alternatief alternatieven
    geneesmiddel geneesmiddelen lichamelijk psychisch psychische gezondheid gezondheidszorg
    ongeluk ongelukken allebei regelmatig regelmatige onderwerp onderwerpen
    operatie operaties volwassene volwassenen langdurig langdurige resultaat resultaten
    speciaal speciale sociaal sociale positief positieve negatief negatieve duidelijk duidelijke
    onduidelijk onduidelijke begrijpelijk onbegrijpelijk onbekend onbekende afgenomen aangeboden
    reageren reageert autorijden universiteit concentreren concentratie beschadigen veroordelen
    overtuigend belangstelling vragenlijst vragenlijsten envelop enveloppe enveloppen begeleider
    begeleiders wondermiddel levensgevaar levensgevaarlijk experimenteren experiment
    australische europeanen amerikanen gebeurtenissen ingewikkeld ingewikkelde bijzonder
    bijzondere ontzettend uitzondering uitzonderingen medewerker medewerkers verzekeraar
    zorgverlener zorgverleners huisartsen hulpverlener hulpverleners verschijnselen
""".split())

_SUFFIXES = ("en", "n", "s", "e", "'s")


def _stem_forms(word: str) -> Iterable[str]:
    lower = word.lower()
    yield lower
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 3:
            yield lower[:-len(suffix)]


def is_common(word: str) -> bool:
    return any(form in COMMON_LONG_WORDS for form in _stem_forms(word))


def is_long(word: str) -> bool:
    """Four or more syllables, or 13 or more letters."""
    return syllables(word) >= 4 or sum(c.isalpha() for c in word) >= 13


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


@dataclass(frozen=True)
class Figures:
    """The measures of one article."""

    article: str
    path: Path
    words: int
    syllables: int
    sentences: tuple[Sentence, ...]
    long_words: int        # of four or more syllables
    boxes: tuple[Box, ...]
    sections: tuple[Section, ...]
    first_line: int        # the line of the first prose block

    @property
    def flesch_douma(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 206.84 - 0.77 * (100 * self.syllables / self.words) - 0.93 * (self.words / len(self.sentences))

    @property
    def mean_sentence(self) -> float:
        return self.words / len(self.sentences) if self.sentences else 0.0

    @property
    def longest_sentence(self) -> int:
        return max((len(s.words) for s in self.sentences), default=0)

    def long_sentence_share(self, limit: int) -> float:
        return sum(len(s.words) > limit for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    @property
    def long_word_share(self) -> float:
        return self.long_words / self.words if self.words else 0.0


WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
#: what is written as an address, not read as words (the mask keeps the offsets), up to the
#: punctuation after it: the full stop after "113.nl." still ends the sentence
ADDRESS = re.compile(r"(?:\b(?:https?://|mailto:|www\.)|\S+@|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|net|eu|be|info)\b)"
                     r"\S*?(?=[.,;:!?)\"'\u2019]*(?:\s|$))", re.IGNORECASE)
#: where a sentence may end: its mark, closing quotes or brackets, then white space or the end
SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u2019\u201d)]*(?=\s|$)")
#: Dutch abbreviations whose full stop ends no sentence
ABBREVIATIONS = frozenset("bijv bv o.a d.w.z i.p.v enz etc nr dr drs mr ca m.n t.o.v incl excl vs e.d z.d p pp blz "
                          "mevr dhr jl a.s".split())


def _prose_kind(stack: Sequence[Token]) -> str | None:
    """What kind of prose the inline token inside ``stack`` is, or None when it is no prose."""
    kind = "paragraph"
    for token in stack:
        if token.type in ("table_open", "figure_open", "figcaption_open"):
            return None
        if token.type == "container_block_open" and container_kind(token) == "helpline":
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


def prose(tokens: Sequence[Token], first_line: int) -> list[Prose]:
    """Every block of prose of a parsed body, in order, with its sentences and their lines."""
    blocks = []
    for inline, stack in walk_inline(tokens):
        kind = _prose_kind(stack)
        if kind is None:
            continue
        boxes = [container_kind(t) for t in stack if t.type == "container_block_open"]
        if boxes and not kind.startswith("heading"):
            kind = f"{boxes[-1]} box ({kind})"
        line = inline_line(inline, stack, first_line)
        text, sentences = _sentences(_pieces(inline, line))
        if sentences:
            blocks.append(Prose(kind, line, text, sentences))
    return blocks


def keypoint_boxes(tokens: Sequence[Token], first_line: int) -> tuple[Box, ...]:
    """Each ``::: keypoints`` box with its line and the number of items of its list."""
    boxes = []
    for index, token in enumerate(tokens):
        if token.type == "container_block_open" and container_kind(token) == "keypoints":
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


def measure(article: Article) -> tuple[Figures, list[Prose]]:
    """The figures of one article and its prose."""
    tokens = source_body(article.body).tokens
    blocks = prose(tokens, article.body_line)
    sentences = tuple(s for block in blocks for s in block.sentences)
    words = [w for s in sentences for w in s.words]
    counts = [syllables(w) for w in words]
    figures = Figures(article.id, article.path, len(words), sum(counts), sentences,
                      sum(c >= 4 for c in counts), keypoint_boxes(tokens, article.body_line), sections(blocks),
                      blocks[0].line if blocks else article.body_line)
    return figures, blocks


def glossary_terms(path: Path) -> tuple[frozenset[str], list[Diagnostic]]:
    """The words content/glossary.yaml explains, in lower case: each term and its ``forms``, and each
    word of one of several words (``bipolaire`` of ``bipolaire stoornis``); none when there is no
    glossary (read by :func:`leafpress.glossary.load_glossary`, which reports its errors)."""
    glossary, diagnostics = load_glossary(path)
    phrases = {word.lower() for term in glossary for word in term.words}
    return frozenset(phrases | {part for phrase in phrases for part in phrase.split()}), diagnostics


def difficult_words(blocks: Sequence[Prose], explained: frozenset[str]) -> list[tuple[str, int]]:
    """Each word a B1 reader probably does not know (see the module), once, with its first line."""
    found: dict[str, tuple[str, int]] = {}
    for block in blocks:
        for sentence in block.sentences:
            for word in sentence.words:
                key = word.lower()
                if (key in found or is_abbreviation(word) or not is_long(word) or is_common(word)
                        or any(form in explained for form in _stem_forms(word))):
                    continue
                found[key] = (word, sentence.line)
    return list(found.values())


def findings(figures: Figures, blocks: Sequence[Prose], limits: Readability,
             explained: frozenset[str]) -> list[Diagnostic]:
    """The warnings of one article, in line order."""
    path, found = figures.path, []
    if figures.sentences and figures.flesch_douma < limits.flesch_min:
        found.append(warning(path, figures.first_line, "plain.flesch",
                             f"Flesch-Douma {figures.flesch_douma:.1f} is below {limits.flesch_min:g}: the text is "
                             "harder than plain Dutch; shorter sentences and shorter words raise it"))
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
    for word, line in difficult_words(blocks, explained):
        found.append(warning(path, line, "plain.word",
                             f"'{word}' is probably unknown to a B1 reader ({syllables(word)} syllables, "
                             f"{sum(c.isalpha() for c in word)} letters); explain it where it is first used or "
                             "in content/glossary.yaml, or use a simpler word"))
    return sorted(found, key=lambda d: d.line or 0)


def _quoted(text: str, width: int = 60) -> str:
    return f"'{text}'" if len(text) <= width else f"'{text[:width - 1].rstrip()}…'"


def dutch_articles(project: "Project") -> list[Article]:
    return [a for a in project.articles.values() if a.meta.lang == DUTCH]


def table(rows: Sequence[tuple[Figures, int]], limits: Readability) -> list[str]:
    """The figures as a table, one line per article; ``rows`` pairs them with the number of difficult words."""
    longer = f"> {limits.sentence_max} words"
    header = (f"{'article':28} {'words':>5} {'Flesch-Douma':>12} {'sentence mean/longest':>22} "
              f"{longer:>10} {'4+ syllables':>12}  {'key points':10} difficult words")
    lines = [header]
    for figures, difficult in rows:
        points = ", ".join(str(b.items) for b in figures.boxes) or "-"
        lines.append(f"{figures.article:28} {figures.words:5d} {figures.flesch_douma:12.1f} "
                     f"{figures.mean_sentence:15.1f} / {figures.longest_sentence:4d} "
                     f"{figures.long_sentence_share(limits.sentence_max):10.1%} {figures.long_word_share:12.1%}  "
                     f"{points:10} {difficult}")
    return lines


def readability(project: "Project") -> tuple[list[str], list[Diagnostic]]:
    """The table and the warnings of every Dutch article of the project."""
    limits = project.site.readability
    explained, diagnostics = glossary_terms(project.paths.content / "glossary.yaml")
    rows = []
    for article in dutch_articles(project):
        figures, blocks = measure(article)
        found = findings(figures, blocks, limits, explained)
        diagnostics += found
        rows.append((figures, sum(d.code == "plain.word" for d in found)))
    lines = table(rows, limits)
    others = sorted(a.id for a in project.articles.values() if a.meta.lang != DUTCH)
    if others:
        lines.append(f"not measured (Flesch-Douma and these word lists are for Dutch): {', '.join(others)}")
    return lines, diagnostics
