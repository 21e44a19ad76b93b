"""Syllables and reading-ease formulas per language: what ``build.py readability`` can say of a text.

One declaration per language in :data:`LANGUAGES`. A formula is given only where it was
published for the language and its syllables can be counted from the spelling:

- nl: Flesch-Douma (Douma 1960), 206.84 - 0.77 x syllables per 100 words - 0.93 x words
  per sentence; syllables are vowel groups (:func:`dutch_syllables`).
- en: Flesch Reading Ease (Flesch 1948, "A new readability yardstick", Journal of Applied
  Psychology 32(3):221-233), 206.835 - 1.015 x words per sentence - 84.6 x syllables per
  word; 60-70 is "plain English". English spelling does not show its syllables: they are
  vowel groups less a silent final e, -es and -ed (:func:`english_syllables`), right for
  most words of a patient text, off by one for some (the score moves by some 0.8 per
  wrong syllable in 100 words).
- tr: Ateşman (1997, "Türkçede okunabilirliğin ölçülmesi", Dil Dergisi 58:71-74), Flesch
  fitted to Turkish: 198.825 - 40.175 x syllables per word - 2.610 x words per sentence;
  90-100 very easy, 50-69 of medium difficulty, under 50 difficult. A Turkish syllable has
  exactly one vowel (:func:`turkish_syllables`).
- pl: FOG-PL, Gunning's fog index (Gunning 1952, "The technique of clear writing") as the
  Pracownia Prostej Polszczyzny of the University of Wrocław adapted it to Polish (the FOG-PL
  tool, logios.pl): 0.4 x (words per sentence + percentage of hard words), a hard word having
  four or more syllables, as Polish readability research counts them (Pisarek; Seretny;
  Miodek et al.). A difficulty in years of schooling (7-9 plain, 10-12 fairly plain; higher is
  harder), not an ease. Polish syllables are vowels, an i before another vowel being none
  (nie, się: :func:`polish_syllables`).
- uk: no published formula for Ukrainian was found; syllables are vowels (exactly, as in
  Turkish), so the share of words of four or more syllables is given.
- ar: no formula, no syllables: short vowels are not written. Sentence length only.

The sentence measures (mean, longest, share over the limit) exist for every language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

#: vowel groups that are one syllable, longest first (``koeien`` is koei-en, ``theater`` the-a-ter)
VOWEL_GROUPS = ("aai", "ooi", "oei", "eeu", "ieu", "eau",
                "ij", "ie", "oe", "eu", "ei", "au", "ou", "ui", "aa", "ee", "oo", "uu")
VOWELS = frozenset("aeiouy")
DIAERESIS = "\u0308"  # ë ï ü: the vowel starts a new syllable (ideeën, ruïne)


def is_abbreviation(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


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


def _dutch_vowel_groups(part: str) -> int:
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


def _per_part(word: str, count: Callable[[str], int]) -> int:
    """``count`` of each part between hyphens, at least one each; an abbreviation in capitals
    (MDMA) is spelled out, a syllable a letter."""
    total = 0
    for part in word.replace("'", "").replace("\u2019", "").split("-"):
        if part:
            total += len(part) if is_abbreviation(part) else max(1, count(part))
    return max(1, total)


def dutch_syllables(word: str) -> int:
    """Dutch syllables of a word: its vowel groups."""
    return _per_part(word, _dutch_vowel_groups)


#: English endings whose e is silent after a consonant (make, used, makes), unless the
#: ending is a syllable of its own (wanted, boxes, table)
_SILENT_E = re.compile(r"[^aeiouy](?:e|es|ed)$")
_SOUNDED = re.compile(r"(?:[td]ed|(?:[sxzc]|sh|ch|g)es|[^aeiouy]le)$")


def _english_vowel_groups(part: str) -> int:
    word = "".join(char for char, _ in _letters(part))
    count = len(re.findall(r"[aeiouy]+", word))
    if count > 1 and _SILENT_E.search(word) and not _SOUNDED.search(word):
        count -= 1
    # two vowels that are two syllables: me-di-a, ra-di-o, u-su-al (not in -tion, -cious)
    count += len(re.findall(r"(?<![tcsx])i[ao](?!u)|(?<![qg])ua(?!y)", word))
    return count


def english_syllables(word: str) -> int:
    return _per_part(word, _english_vowel_groups)


TURKISH_VOWELS = frozenset("aeıioöuüâîû")


def turkish_syllables(word: str) -> int:
    """A Turkish syllable has one vowel: the vowels of the word."""
    return _per_part(word, lambda part: sum(c in TURKISH_VOWELS for c in part.lower()))


POLISH_VOWELS = frozenset("aąeęioóuy")


def polish_syllables(word: str) -> int:
    """Polish vowels, an i before another vowel softening the consonant (nie, się, historia)."""
    def count(part: str) -> int:
        lower = part.lower()
        return sum(c in POLISH_VOWELS and not (c == "i" and lower[i + 1:i + 2] in POLISH_VOWELS)
                   for i, c in enumerate(lower))
    return _per_part(word, count)


UKRAINIAN_VOWELS = frozenset("аеєиіїоуюя")


def ukrainian_syllables(word: str) -> int:
    """A Ukrainian syllable has one vowel letter (я, ю, є, ї included)."""
    return _per_part(word, lambda part: sum(c in UKRAINIAN_VOWELS for c in part.lower()))


@dataclass(frozen=True)
class Counts:
    words: int
    syllables: int
    sentences: int
    long_words: int  # of four or more syllables


@dataclass(frozen=True)
class Formula:
    name: str
    score: Callable[[Counts], float]
    easier: bool  # whether a higher score is an easier text (Flesch) or a harder one (FOG-PL)


def flesch_douma(c: Counts) -> float:
    return 206.84 - 0.77 * (100 * c.syllables / c.words) - 0.93 * (c.words / c.sentences)


def flesch(c: Counts) -> float:
    return 206.835 - 1.015 * (c.words / c.sentences) - 84.6 * (c.syllables / c.words)


def atesman(c: Counts) -> float:
    return 198.825 - 40.175 * (c.syllables / c.words) - 2.610 * (c.words / c.sentences)


def fog_pl(c: Counts) -> float:
    return 0.4 * (c.words / c.sentences + 100 * c.long_words / c.words)


@dataclass(frozen=True)
class Measures:
    """What can be measured in one language beyond sentence length."""

    syllables: Callable[[str], int] | None
    formula: Formula | None


LANGUAGES: dict[str, Measures] = {
    "nl": Measures(dutch_syllables, Formula("Flesch-Douma", flesch_douma, easier=True)),
    "en": Measures(english_syllables, Formula("Flesch", flesch, easier=True)),
    "tr": Measures(turkish_syllables, Formula("Ateşman", atesman, easier=True)),
    "pl": Measures(polish_syllables, Formula("FOG-PL", fog_pl, easier=False)),
    "uk": Measures(ukrainian_syllables, None),
}
#: a language not listed: sentence length only (Arabic: its short vowels are not written)
SENTENCES_ONLY = Measures(None, None)


def measures(lang: str) -> Measures:
    return LANGUAGES.get(lang, SENTENCES_ONLY)
