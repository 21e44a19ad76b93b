"""Dutch words a B1 reader probably does not know: rare in the word-frequency list
(:mod:`leafpress.readability.word_frequency`), not explained in the glossary, not an
abbreviation in capitals (see :mod:`leafpress.readability.report`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leafpress.readability.formulas import is_abbreviation
from leafpress.readability.prose import Prose
from leafpress.readability.word_frequency import rarity
from leafpress.source.glossary import Glossary

#: endings of Dutch inflection: what a word may have that the glossary has without
#: (ketamines: ketamine), and the forms of a word reported once (capsule, capsules)
_SUFFIXES = ("en", "n", "s", "e", "'s")


def _stem_forms(word: str) -> Iterable[str]:
    lower = word.lower()
    yield lower
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 3:
            yield lower[:-len(suffix)]


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
