"""The glossary: difficult words explained in plain words (content/glossary.yaml).

Each entry is an id with the word as it is listed (``term``, the id when left
out), the other forms it takes in the Dutch text (``forms``: plurals, inflections)
and its explanation (``text``)::

    psychose:
      forms: [psychosen]
      text: Je beleeft de werkelijkheid anders dan anderen. ...

Which words a leaflet (or a booklet's chapter) lists is found in the Dutch
text, term and forms, so it is the same set in every language. Its translation
is two messages of the "shared" domain per entry (like the help lines): the
word and its forms in the translator's language, separated by commas (the
first is the word listed, all are looked for in the translated text), and the
explanation. The first use of each listed word in the text (not in a heading,
a link or a citation) is marked: a ``<span class="glossref">`` in a leaflet,
a link to its entry in an e-book (``epub:type="glossref"``; in a leaflet's PDF a
link would cost a Link element and annotation per word, 1.5 % of the tagged file).

Words are found whole, ignoring case: ``placebo`` is not found in
``placebo-effect``, which is an entry of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it.token import Token

from leafpress.diagnostics import Diagnostic, error
from leafpress.markdown.segments import Segment, normalize, walk_inline
from leafpress.source.frontmatter import ID_PATTERN
from leafpress.source.yamlfile import field_line, load_mapping, read_text

FIELDS = ("term", "forms", "text")
#: what separates the forms in a translation: a comma (also the Arabic one) or a semicolon
SEPARATOR = re.compile(r"\s*[,;\u060c\u061b]\s*")
#: block tokens inside which no first use is marked
UNMARKED_BLOCKS = frozenset({"heading_open", "figure_open"})


@dataclass(frozen=True)
class Term:
    key: str
    term: str                # the word as listed
    forms: tuple[str, ...]   # its other forms in the Dutch text
    text: str                # the explanation
    line: int
    text_line: int

    @property
    def names(self) -> str:
        """The message with the word and its forms: "psychose, psychosen"."""
        return ", ".join((self.term, *self.forms))

    @property
    def words(self) -> tuple[str, ...]:
        return (self.term, *self.forms)


@dataclass(frozen=True)
class Entry:
    """One listed word in the reader's language."""

    key: str
    term: str
    forms: tuple[str, ...]  # every form looked for in the text, the term first
    text: str


Glossary = tuple[Term, ...]


def load_glossary(path: Path) -> tuple[Glossary, list[Diagnostic]]:
    """The entries of content/glossary.yaml in file order, and what is wrong in it; none without the file."""
    if not path.is_file():
        return (), []
    text, problems = read_text(path)
    if text is None:
        return (), problems
    return read_glossary(text, path)


def read_glossary(text: str, path: Path | str) -> tuple[Glossary, list[Diagnostic]]:
    """The entries of a glossary's text (none while it has errors) and its errors, at their lines."""
    located, diagnostics = load_mapping(text, path, code="glossary.yaml")
    if located is None:
        return (), diagnostics
    lines = text.splitlines()
    terms: list[Term] = []
    owners: dict[str, tuple[str, int]] = {}  # a word in lower case -> the entry that has it, its line
    for key, value in located.data.items():
        line = located.lines[key]
        term, found = _term(path, key, value, line, lines)
        diagnostics += found
        if term is None:
            continue
        clash = False
        for word in term.words:
            owner = owners.get(word.casefold())
            if owner and owner[0] != key:
                diagnostics.append(error(path, line, "glossary.duplicate",
                                         f"'{word}' is also a word of '{owner[0]}' (line {owner[1]}); a word "
                                         "may belong to one entry only: remove it from one of them"))
                clash = True
            owners.setdefault(word.casefold(), (key, line))
        if not clash:
            terms.append(term)
    return (tuple(terms) if not diagnostics else ()), diagnostics


def _term(path: Path | str, key: str, value: object, line: int,
          lines: Sequence[str]) -> tuple[Term | None, list[Diagnostic]]:
    example = "e.g. psychose: {forms: [psychosen], text: \"…\"}"
    if not ID_PATTERN.match(key) or not isinstance(value, dict):
        return None, [error(path, line, "glossary.invalid",
                            f"glossary entry '{key}' must be an id (lower case, hyphens) with text and, if "
                            f"needed, term and forms below it; {example}")]
    found = [error(path, field_line(lines, line, str(name)), "glossary.unknown",
                   f"unknown field '{name}' in glossary entry '{key}'; known fields: {', '.join(FIELDS)}")
             for name in value if name not in FIELDS]
    term = value.get("term", key)
    if not isinstance(term, str) or not term.strip() or SEPARATOR.search(term):
        found.append(error(path, field_line(lines, line, "term"), "glossary.term",
                           f"glossary entry '{key}': 'term' is the word as it is listed, as text without "
                           "commas or semicolons"))
    forms = value.get("forms", [])
    if not (isinstance(forms, list) and all(isinstance(f, str) and f.strip() and not SEPARATOR.search(f)
                                            for f in forms)):
        found.append(error(path, field_line(lines, line, "forms"), "glossary.forms",
                           f"glossary entry '{key}': 'forms' is a list of the other forms of the word in the "
                           "text (plurals, inflections), each without commas or semicolons, e.g. [psychosen]"))
        forms = []
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        found.append(error(path, field_line(lines, line, "text"), "glossary.text",
                           f"glossary entry '{key}' needs 'text': the explanation in plain words (B1)"))
    if found:
        return None, found
    words = tuple(dict.fromkeys(f.strip() for f in forms if f.strip().casefold() != term.strip().casefold()))
    return Term(key, term.strip(), words, normalize(str(text)), line, field_line(lines, line, "text")), []


# -- translation ------------------------------------------------------------------

def segments(glossary: Glossary) -> list[Segment]:
    """The messages of the glossary (domain "shared"), each with a translator comment."""
    found = []
    for term in glossary:
        found.append(Segment(term.names, term.line,
                             f"glossary '{term.term}': the word as it is listed under 'Moeilijke woorden' "
                             "(difficult words), then, separated by commas, every other form it takes in your "
                             "translation of the leaflets (plural, other cases), so that its first use there can "
                             "be found and marked; e.g. 'psychosis, psychoses'"))
        found.append(Segment(term.text, term.text_line,
                             f"glossary '{term.term}': what the word means, in plain words (level B1), "
                             "listed under 'Moeilijke woorden' (difficult words)"))
    return found


def text_segments(text: str) -> list[Segment]:
    """The messages of a glossary file's text (none while it has errors: the build says which)."""
    glossary, _problems = read_glossary(text, "glossary.yaml")
    return segments(glossary)


def localized(glossary: Glossary, keys: Iterable[str], translate: Callable[[str], str | None] | None,
              lang: str) -> tuple[Entry, ...]:
    """The entries ``keys`` in the reader's language, in its alphabetical order; an untranslated
    entry (a draft) in Dutch."""
    wanted = set(keys)
    entries = []
    for term in glossary:
        if term.key not in wanted:
            continue
        names = translate(term.names) if translate else None
        text = translate(term.text) if translate else None
        words = tuple(w for w in SEPARATOR.split(names.strip()) if w) if names else ()
        if not words or not text:
            words, text = term.words, term.text
        entries.append(Entry(term.key, words[0], words, text))
    return tuple(sorted(entries, key=lambda e: sort_key(e.term, lang)))


# -- order ------------------------------------------------------------------------

#: alphabets whose order Unicode's does not follow (CLDR's; no collation library is installed)
ALPHABETS = {
    "pl": "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż",
    "tr": "abcçdefgğhıijklmnoöprsştuüvwxyz",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
}


def sort_key(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """A word's place in the alphabet of ``lang``: its letters in that alphabet's order; elsewhere,
    letters without their accents, case folded (Unicode's order)."""
    alphabet = ALPHABETS.get(lang)
    lower = text.replace("I", "ı").replace("İ", "i").lower() if lang == "tr" else text.casefold()
    key = []
    for char in unicodedata.normalize("NFC", lower):
        if alphabet and char in alphabet:
            key.append((0, alphabet.index(char)))
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if alphabet and base in alphabet:
            key.append((0, alphabet.index(base)))
        elif base.isalnum():
            key.append((1, ord(base[:1])))
    return tuple(key)


# -- finding and marking the words ---------------------------------------------------

def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words``, whole (not inside a longer word or a compound with a hyphen), any case."""
    alternatives = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _texts(tokens: Sequence[Token]) -> Iterable[str]:
    """The words of every inline token (links' words too, not an address written as a link),
    anything else (a line break, a citation, an image) as a space."""
    for inline, _stack in walk_inline(tokens):
        pieces, autolink = [], False
        for child in inline.children or ():
            if child.type in ("link_open", "link_close"):
                autolink = child.type == "link_open" and child.markup == "autolink"
            pieces.append(child.content if child.type == "text" and not autolink else " ")
        yield "".join(pieces)


def used_terms(tokens: Sequence[Token], glossary: Glossary) -> tuple[str, ...]:
    """The keys of the entries whose term or forms the (Dutch) body uses, in glossary order:
    anywhere in its text, headings and links included (where no first use is marked)."""
    text = "\n".join(_texts(tokens))
    return tuple(term.key for term in glossary if word_pattern(term.words).search(text))


def anchor(article_id: str, key: str) -> str:
    return f"{article_id}-gloss-{key}"


def mark_first_uses(tokens: Sequence[Token], entries: Sequence[Entry], article_id: str,
                    links: bool) -> tuple[Token, ...]:
    """``tokens`` with the first use of each entry marked (new tokens where they change; the
    ones given are shared and stay as they are): a link to its entry with ``links``, else a span.
    Not in headings, images, links or citations: only in text."""
    patterns = {e.key: word_pattern(e.forms) for e in entries}
    result: list[Token] = []
    stack: list[Token] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token)
        elif token.nesting == -1 and stack:
            stack.pop()
        if (token.type != "inline" or not patterns or not token.children
                or any(t.type in UNMARKED_BLOCKS for t in stack)):
            result.append(token)
            continue
        children, changed, in_link = [], False, 0
        for child in token.children:
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            if child.type == "text" and not in_link and patterns:
                pieces = _mark(child, patterns, article_id, links)
                changed = changed or len(pieces) > 1
                children += pieces
            else:
                children.append(child)
        result.append(replace(token, children=children) if changed else token)
    return tuple(result)


def _mark(child: Token, patterns: dict[str, re.Pattern[str]], article_id: str, links: bool) -> list[Token]:
    """A text token as text and marks, for every entry not marked yet that it uses (removed from ``patterns``)."""
    pieces: list[Token] = []
    rest = child.content
    while patterns:
        hits = [(m.start(), -len(m.group()), key, m) for key, p in patterns.items() if (m := p.search(rest))]
        if not hits:
            break
        _start, _length, key, match = min(hits, key=lambda hit: hit[:2])
        del patterns[key]
        if match.start():
            pieces.append(replace(child, content=rest[:match.start()]))
        if links:
            attrs: dict[str, str | int | float] = {"href": f"#{anchor(article_id, key)}", "epub:type": "glossref",
                                                   "role": "doc-glossref", "class": "glossref"}
            tag = "a"
        else:
            attrs, tag = {"class": "glossref"}, "span"
        pieces += [Token("glossref_open", tag, 1, attrs=attrs, meta={"glossary": key}),
                   replace(child, content=match.group()),
                   Token("glossref_close", tag, -1)]
        rest = rest[match.end():]
    if not pieces:
        return [child]
    if rest:
        pieces.append(replace(child, content=rest))
    return pieces


def unmarked(tokens: Sequence[Token], entries: Sequence[Entry], article_id: str) -> tuple[Entry, ...]:
    """The entries whose first use :func:`mark_first_uses` finds nowhere in ``tokens`` (a translation
    whose forms miss the one its text uses, or a word only in a heading or a link)."""
    marked = {child.meta.get("glossary") for token in mark_first_uses(tokens, entries, article_id, False)
              for child in token.children or () if child.type == "glossref_open"}
    return tuple(e for e in entries if e.key not in marked)
