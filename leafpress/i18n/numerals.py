"""Digits, and the punctuation of citations, per language: CLDR's (through Babel) or the site's.

A language is written with its own digits where CLDR's default numbering system
for it is not the Latin one (Persian: ۰۱۲…; Arabic's default is 0-9), unless
``digits`` in content/site.yaml says otherwise::

    digits:
      ar: latin    # 0-9, as CLDR has it for Arabic
      fa: native   # ۰-۹, as CLDR has it for Persian

Dates, page numbers and numbered lists then use those digits; in-text citations
use them too, with the language's comma (from CLDR's list patterns, Persian "،")
and semicolon (the list separator of the numbering system, Persian "؛"). With
Latin digits everything stays as it was: 0-9, "," and ";". Reference-list
entries are left alone: they are in the language of the works they list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from babel import Locale

NATIVE, LATIN = "native", "latin"
CHOICES = (NATIVE, LATIN)

#: the CLDR numbering systems leafpress writes: their zero (the other nine follow it in
#: Unicode) and the CSS counter style with the same digits (CSS Counter Styles 3, which
#: WeasyPrint has)
SYSTEMS = MappingProxyType({
    "latn": ("0", "decimal"),
    "arab": ("\u0660", "arabic-indic"),
    "arabext": ("\u06f0", "persian"),
    "beng": ("\u09e6", "bengali"),
    "deva": ("\u0966", "devanagari"),
    "gujr": ("\u0ae6", "gujarati"),
    "guru": ("\u0a66", "gurmukhi"),
    "knda": ("\u0ce6", "kannada"),
    "laoo": ("\u0ed0", "lao"),
    "mlym": ("\u0d66", "malayalam"),
    "mymr": ("\u1040", "myanmar"),
    "orya": ("\u0b66", "oriya"),
    "telu": ("\u0c66", "telugu"),
    "thai": ("\u0e50", "thai"),
    "tibt": ("\u0f20", "tibetan"),
})
_LATIN_DIGITS = "0123456789"
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


@dataclass(frozen=True)
class Numerals:
    system: str         # CLDR numbering system, e.g. "arabext"
    digits: str         # its ten digits
    counter_style: str  # the CSS counter style that writes them
    comma: str          # what follows an author in an in-text citation, space included
    semicolon: str      # what separates cited works, space included

    @property
    def latin(self) -> bool:
        return self.system == "latn"

    def number(self, text: str) -> str:
        """``text`` with its digits 0-9 written in these digits."""
        return text if self.latin else text.translate(str.maketrans(_LATIN_DIGITS, self.digits))

    def citation(self, html: str) -> str:
        """An in-text citation (HTML) with these digits, comma and semicolon; markup untouched."""
        if self.latin:
            return html
        pieces = _MARKUP.split(html)
        for index in range(0, len(pieces), 2):  # the text between tags and entities
            text = pieces[index].replace(", ", self.comma).replace("; ", self.semicolon)
            pieces[index] = self.number(text)
        return "".join(pieces)


def native_system(lang: str) -> str:
    """CLDR's native numbering system of ``lang`` (Arabic: arab, Persian: arabext, Dutch: latn)."""
    locale = Locale.parse(lang)
    return locale.other_numbering_systems.get("native") or locale.default_numbering_system


def choice_problem(lang: str, choice: object) -> str | None:
    """What is wrong with ``digits: {lang: choice}`` in site.yaml, if anything."""
    if choice not in CHOICES:
        return f"digits for '{lang}' must be native or latin, not {choice!r}"
    if choice == NATIVE and native_system(lang) not in SYSTEMS:
        return (f"digits for '{lang}': leafpress cannot write the native digits of '{lang}' "
                f"(CLDR numbering system '{native_system(lang)}'); use latin")
    return None


@lru_cache(maxsize=64)
def numerals(lang: str, choice: str | None = None) -> Numerals:
    """The digits and citation punctuation of ``lang``; ``choice`` is the site's (native or
    latin), None for CLDR's default."""
    locale = Locale.parse(lang)
    if choice == LATIN:
        system = "latn"
    elif choice == NATIVE:
        system = native_system(lang)
    else:
        system = locale.default_numbering_system
    if system not in SYSTEMS or system == "latn":
        return Numerals("latn", _LATIN_DIGITS, "decimal", ", ", "; ")
    zero, counter_style = SYSTEMS[system]
    digits = "".join(chr(ord(zero) + n) for n in range(10))
    semicolon = (locale.number_symbols.get(system, {}).get("list") or ";") + " "
    return Numerals(system, digits, counter_style, _list_comma(locale), semicolon)


def _list_comma(locale: Locale) -> str:
    """The comma of CLDR's list patterns ("{0}،\u200f {1}": "،\u200f "), or ", " if they have none.

    The standard pattern first; Arabic joins with "و" there and has its comma
    only in another one. Format characters after the comma (Persian's
    right-to-left mark, which keeps a Latin name and the year after it apart)
    are kept.
    """
    patterns = locale.list_patterns
    for name in ("standard", *sorted(patterns)):
        middle = (patterns.get(name) or {}).get("middle") or ""
        between = middle.replace("{0}", "\x00").replace("{1}", "\x00").split("\x00")[1:2]
        separator = between[0] if between else ""
        if separator and unicodedata.category(separator[0]) == "Po":
            end = 1
            while end < len(separator) and unicodedata.category(separator[end]) == "Cf":
                end += 1
            return separator[:end] + " "
    return ", "
