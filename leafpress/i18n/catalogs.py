"""gettext catalogs: reading .po files, completeness, and lookup functions.

Catalogs are read straight from the translators' .po files with Babel's reader,
so the build sees fuzzy flags and needs no compile step. Domains:

- ``ui``: interface strings of the templates;
- ``shared``: help lines and booklet titles;
- one domain per article, named by its id.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from leafpress.build.parse_cache import Parsed
from leafpress.diagnostics import Diagnostic, error
from leafpress.i18n.po_checks import check_po

UI_DOMAIN = "ui"
SHARED_DOMAIN = "shared"


@dataclass(frozen=True)
class Entry:
    string: str | tuple[str, ...]
    fuzzy: bool
    line: int


@dataclass(frozen=True)
class Catalog:
    path: Path
    lang: str
    entries: dict[str | tuple[str, ...], Entry]
    plural: Callable[[int], int]

    def translation(self, msgid: str) -> str | None:
        """The translation if it is finished (not empty, not fuzzy)."""
        entry = self.entries.get(msgid)
        if entry is None or entry.fuzzy or not isinstance(entry.string, str) or not entry.string:
            return None
        return entry.string

    def finished(self, msgids: Iterable[str]) -> Iterator[tuple[str, str, int | None]]:
        """(msgid, its finished translation, the line of its entry) for each of ``msgids``
        that is translated: what the checks of translated text look at."""
        for msgid in msgids:
            translated = self.translation(msgid)
            if translated:
                yield msgid, translated, self.entries[msgid].line


@dataclass(frozen=True)
class Status:
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def complete(self) -> bool:
        return self.fuzzy == 0 and self.untranslated == 0

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.translated / self.total

    def __add__(self, other: Status) -> Status:
        return Status(self.translated + other.translated, self.fuzzy + other.fuzzy,
                      self.untranslated + other.untranslated)


EMPTY = Status(0, 0, 0)


def catalog_path(translations: Path, lang: str, domain: str) -> Path:
    return translations / lang / "LC_MESSAGES" / f"{domain}.po"


def template_path(translations: Path, domain: str) -> Path:
    return translations / "templates" / f"{domain}.pot"


def load_catalog(path: Path, lang: str, parsed: Parsed) -> tuple[Catalog | None, list[Diagnostic]]:
    """Read one .po file; a missing file is simply no catalog.

    It is read (:func:`read_entries`) only when :func:`leafpress.i18n.po_checks.check_po`
    finds nothing wrong (else its problems are the diagnostics, each at its line).
    ``parsed`` has what the same bytes gave before, if anything (:mod:`leafpress.build.parse_cache`).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    interface = path.stem == UI_DOMAIN
    problems = parsed.get(f"po checks {lang} {interface}", data, lambda: check_po(data, lang, interface))
    if problems:
        return None, [error(path, line, code, message) for line, code, message in problems]
    try:
        entries, plural_expr = parsed.get("po", data, lambda: read_entries(data))
        plural = plural_function(plural_expr)
    except (PoFileError, ValueError, UnicodeDecodeError, LookupError) as exc:
        return None, [error(path, _error_line(exc), "po.syntax",
                            f"cannot read this catalog: {exc}; open it in Poedit or run msgfmt --check")]
    return Catalog(path, lang, entries, plural), []


@cache
def plural_function(expression: str | None) -> Callable[[int], int]:
    """A catalog's Plural-Forms expression as a function (the same for all of a language's)."""
    return gettext_module.c2py(expression) if expression else (lambda n: int(n != 1))


#: lines of an obsolete entry Babel 2.18's reader refuses ("Unknown or misformatted keyword") and
#: msgfmt reads: a previous msgid (``#~| msgid "..."``, which ``msgmerge --previous`` writes) and
#: a comment (``#~ #, fuzzy``). The build never reads obsolete entries; these lines go blank
#: (the line numbers stay) before Babel reads the rest.
_OBSOLETE_EXTRAS = re.compile(rb"^[ \t]*#~[ \t]*[|#][^\n]*", re.MULTILINE)


def read_entries(data: bytes) -> tuple[dict, str]:
    """Entries and plural expression of a catalog that passed
    :func:`~leafpress.i18n.po_checks.check_po`, read by Babel's reader (obsolete entries left out)."""
    po = read_po(io.BytesIO(_without_header_dates(_OBSOLETE_EXTRAS.sub(b"", data))), locale=None,
                 abort_invalid=True)
    entries = {}
    for message in po:
        if not message.id:
            continue
        string = message.string if isinstance(message.string, str) else tuple(message.string or ())
        entries[message.id] = Entry(string, message.fuzzy, message.lineno or 1)
    return entries, po.plural_expr


#: the header's dates, which Babel parses and refuses when they are not its format (msgfmt takes any text)
_HEADER_DATES = re.compile(rb"\b(POT-Creation-Date|PO-Revision-Date):")


def _without_header_dates(data: bytes) -> bytes:
    """The catalog with its header's date fields renamed, so that Babel keeps them as text: the build
    reads no date, and a date a hand edit broke is no reason to refuse the translations (lines unchanged)."""
    end = data.find(b"\nmsgid ", data.find(b'msgid ""') + 1)
    head, rest = (data, b"") if end < 0 else (data[:end], data[end:])
    return _HEADER_DATES.sub(rb"X-Unread-\1:", head) + rest


def _error_line(exc: Exception) -> int | None:
    """The 1-based line of a reader's error (Babel's PoFileError counts from 0)."""
    line = getattr(exc, "lineno", None)
    return line + 1 if isinstance(exc, PoFileError) and isinstance(line, int) else line


TRANSLATED, FUZZY, UNTRANSLATED = "translated", "fuzzy", "untranslated"


def message_state(catalog: Catalog | None, msgid: str) -> str:
    """TRANSLATED, FUZZY or UNTRANSLATED (also when the catalog lacks the message)."""
    entry = catalog.entries.get(msgid) if catalog else None
    if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
        return UNTRANSLATED
    return FUZZY if entry.fuzzy else TRANSLATED


def status(catalog: Catalog | None, msgids: Iterable[str]) -> Status:
    """Counts for the messages the source has now (obsolete entries ignored)."""
    counts = Counter(message_state(catalog, msgid) for msgid in msgids)
    return Status(counts[TRANSLATED], counts[FUZZY], counts[UNTRANSLATED])


def lookup(catalog: Catalog | None) -> Callable[[str], str | None]:
    if catalog is None:
        return lambda msgid: None
    return catalog.translation


def gettext_callables(catalog: Catalog | None) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """gettext and ngettext for Jinja's i18n extension; unfinished strings fall back to the source."""

    def gettext(message: str) -> str:
        return (catalog.translation(message) if catalog else None) or message

    def ngettext(singular: str, plural: str, n: int) -> str:
        entry = catalog.entries.get((singular, plural)) if catalog else None
        if entry and not entry.fuzzy and isinstance(entry.string, tuple):
            index = catalog.plural(n)  # type: ignore[union-attr]
            if 0 <= index < len(entry.string) and entry.string[index]:
                return entry.string[index]
        return singular if n == 1 else plural

    return gettext, ngettext
