"""How common a Dutch word is: the one door to the ``wordfreq`` package (its Dutch list).

A word's frequency is its Zipf value, ``wordfreq.zipf_frequency(word, "nl")``: log10 of
its occurrences per thousand million words (7 is "de", 3 once in a million words, 0 not in
the list). The list is read once per process (about 0.15 s) and looked up as a dict: the
compound test below looks up dozens of parts per word.

A word is common when it, an inflection of it or, for a compound the list lacks
(therapiegesprekken, neusspray), its two parts are frequent (:func:`rarity`):

- inflections: the word without an ending of :data:`SUFFIXES` (behandeling-en), a
  comparative or agent noun (:data:`COMPARATIVES`, on a stem of four letters or more)
  or :data:`DERIVATIONS`, and a verb stem's infinitive (bespreek-t: bespreken,
  vul-de: vullen);
- compounds: a word of :data:`MIN_COMPOUND` letters or more split at any point into
  a head and a tail of at least :data:`MIN_PART` letters (or a separable particle as
  head: af-gemeten), with an optional linking s, e or en (vergelijking-s-groep); the
  head must be as frequent as a word must be, the tail too or an inflection of a
  frequent word, or itself such a compound. A compound of rare parts
  (ontwenning-s-verschijnselen, zorg-verzekeraar) stays rare.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

LANGUAGE = "nl"
#: the shortest head or tail of a compound (shorter ones, "in", "de", make any word a compound)
MIN_PART = 3
#: linking letters between the parts of a Dutch compound (vergelijking-s-groep, pann-e-koek, boek-en-kast)
LINKS = ("", "s", "e", "en")
#: endings of inflection: without one the word may be in the list (behandeling-en, ernstig-e, combineer-t)
SUFFIXES = ("en", "n", "s", "'s", "e", "t", "te", "de", "ten", "den")
#: comparatives (blij-er), agent nouns (zorg-verlen-er) and superlatives (vaak-st): only on a
#: stem of four letters or more (dos-er is no comparative)
COMPARATIVES = ("er", "ers", "st", "ste")
#: transparent derivations (misselijk-heid, angst-ig): not on the tail of a compound either
#: (som-ber-heid is no compound)
DERIVATIONS = ("heid", "ig")
#: the shortest word tried as a compound: a shorter one (som-ber) splits into chance words
MIN_COMPOUND = 8
#: separable verb particles, heads of a compound of any length (af-wegen, na-denkt, mis-ging)
PARTICLES = frozenset("af na op in om bij toe uit mee aan door over voor weg terug samen mis".split())
#: emphasis accents (óók, dát) are no part of the word; the diaeresis (ideeën) is
EMPHASIS = frozenset("\u0301\u0300")


@lru_cache(maxsize=1)
def _frequencies() -> Mapping[str, float]:
    from wordfreq import get_frequency_dict  # imported here: only `build.py readability` needs it
    return get_frequency_dict(LANGUAGE)


def normalized(word: str) -> str:
    """The word as the list has it: lower case, without emphasis accents."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("\u2019", "'"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in EMPHASIS))


def zipf(word: str) -> float:
    """The word's Zipf frequency in Dutch, rounded as ``wordfreq.zipf_frequency`` rounds it."""
    frequency = _frequencies().get(normalized(word), 0.0)
    return round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0


@dataclass(frozen=True)
class Rarity:
    """Why a word counts as rare: the part that is (the word itself, or a part between
    hyphens: NMDA-receptor) and its Zipf frequency."""

    part: str
    zipf: float


VOWEL = "aeiou"


def _verb_forms(stem: str) -> tuple[str, ...]:
    """The infinitives a Dutch verb stem may have: bespreek-bespreken, beleef-beleven,
    vul-vullen, combineer-combineren, langzam-langzaam (a comparative's base)."""
    forms = [stem + "en"]
    match = re.search(r"([^aeiou])([aeou])\2([^aeiou])$", stem)
    if match:  # a long vowel written single in the open syllable
        short = stem[:-2] + stem[-1]
        forms += [short + "en", short[:-1] + {"f": "v", "s": "z"}.get(short[-1], short[-1]) + "en"]
    elif re.search(r"[^aeiou][aeiou][^aeiou]$", stem):
        forms += [stem + stem[-1] + "en", stem[:-1] + stem[-2] + stem[-1]]  # vul-vullen; langzam-langzaam
    return tuple(forms)


def _stems(word: str, derived: bool = True) -> tuple[str, ...]:
    """The word and what it may be without an ending of :data:`SUFFIXES` (and :data:`DERIVATIONS`)."""
    stems = [word[:-len(s)] for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= MIN_PART]
    longer = COMPARATIVES + DERIVATIONS if derived else COMPARATIVES
    stems += [word[:-len(s)] for s in longer if word.endswith(s) and len(word) - len(s) >= MIN_PART + 1]
    return (word, *stems)


def _inflected_frequent(word: str, limit: float, derived: bool = True) -> bool:
    return any(zipf(form) >= limit for stem in _stems(word, derived) for form in (stem, *_verb_forms(stem)))


def _compound_frequent(word: str, limit: float, depth: int = 2) -> bool:
    for cut in range(2, len(word) - MIN_PART + 1):
        head, rest = word[:cut], word[cut:]
        if head not in PARTICLES and (cut < MIN_PART or len(word) < MIN_COMPOUND) or zipf(head) < limit:
            continue
        for link in LINKS:
            if not rest.startswith(link):
                continue
            tail = rest[len(link):]
            if len(tail) >= MIN_PART and (_inflected_frequent(tail, limit, derived=False)
                                          or depth > 1 and _compound_frequent(tail, limit, depth - 1)):
                return True
    return False


@lru_cache(maxsize=8192)
def _frequent(word: str, limit: float) -> bool:
    return _inflected_frequent(word, limit) or any(_compound_frequent(stem, limit) for stem in _stems(word))


def rarity(word: str, limit: float) -> Rarity | None:
    """Why ``word`` is rare in Dutch (below ``limit``, see the module), or None when it is common.
    An abbreviation in capitals between hyphens (MDMA-therapie) is left to the caller's rule:
    only the other parts are looked up."""
    for part in word.split("-"):
        if not part or (len(part) >= 2 and part.isupper()):
            continue
        key = normalized(part)
        if not _frequent(key, limit):
            return Rarity(part, zipf(key))
    return None
