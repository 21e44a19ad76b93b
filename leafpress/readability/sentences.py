"""The sentences of a text and their words: a sentence ends at its mark (not after a Dutch
abbreviation, not before lower case); an address is not read as words; numbers are not
words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    words: tuple[str, ...]


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


def split_sentences(pieces: Sequence[tuple[int, str]]) -> tuple[str, tuple[Sentence, ...]]:
    """The text of ``pieces`` ((line, text) pairs, as :mod:`.prose` reads them) and its sentences,
    each at the line it begins on."""
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
