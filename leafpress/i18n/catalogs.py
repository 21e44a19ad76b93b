"""gettext catalogs: reading .po files, completeness, and lookup functions.

Catalogs are read straight from the translators' .po files (a plain reader
that gives what Babel's gives, Babel's own for anything unusual), so the
build sees fuzzy flags and needs no compile step. Domains:

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
from email import message_from_string
from functools import cache
from pathlib import Path

from babel.messages.catalog import parse_separated_header
from babel.messages.pofile import PoFileError, read_po, unescape

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

    It is read only when :func:`leafpress.i18n.po_checks.check_po` finds nothing wrong
    (else its problems are the diagnostics, each at its line). A plain UTF-8
    catalog is read by :func:`read_plain_po`, a few times faster; anything
    else goes through Babel's reader.
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
        entries, plural_expr = parsed.get("po", data, lambda: read_plain_po(data) or read_po_with_babel(data))
        plural = plural_function(plural_expr)
    except (PoFileError, ValueError, UnicodeDecodeError, LookupError) as exc:
        return None, [error(path, getattr(exc, "lineno", None), "po.syntax",
                            f"cannot read this catalog: {exc}; open it in Poedit or run msgfmt --check")]
    return Catalog(path, lang, entries, plural), []


@cache
def plural_function(expression: str | None) -> Callable[[int], int]:
    """A catalog's Plural-Forms expression as a function (the same for all of a language's)."""
    return gettext_module.c2py(expression) if expression else (lambda n: int(n != 1))


def read_po_with_babel(data: bytes) -> tuple[dict, str]:
    """Entries and plural expression of any catalog, through Babel's reader."""
    po = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    entries = {}
    for message in po:
        if not message.id:
            continue
        string = message.string if isinstance(message.string, str) else tuple(message.string or ())
        entries[message.id] = Entry(string, message.fuzzy, message.lineno or 1)
    return entries, po.plural_expr


_LINE_BREAKS = re.compile("[\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines() splits there


def read_plain_po(data: bytes) -> tuple[dict, str] | None:
    """Entries and plural expression of a plain catalog, exactly as Babel reads them.

    Plain: UTF-8, a header with Plural-Forms, no msgctxt, no duplicate
    msgids, nothing Babel would complain about. Returns None for anything
    else, so that Babel reads it (and reports what is wrong).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _LINE_BREAKS.search(text):
        return None
    entries: dict = {}
    header: dict[str, str] | None = None
    plurals = 0
    flags: list[str] = []
    message: list | None = None  # [msgid pieces, [msgid_plural pieces], {index: msgstr pieces}, fuzzy, line]
    pieces: list[str] | None = None  # where a continuation line goes

    def finish() -> bool:
        nonlocal message, header, plurals
        if message is None:
            return True
        ids, plural_ids, strings, fuzzy, line = message
        message = None
        if not strings:
            return False
        msgid = "".join(unescape(p) for p in ids)
        if plural_ids:
            if header is None or max(strings) >= plurals:
                return False
            key: str | tuple = (msgid, "".join(unescape(p) for p in plural_ids))
            string: str | tuple = tuple("".join(unescape(p) for p in strings.get(i, ())) for i in range(plurals))
        else:
            key, string = msgid, "".join(unescape(p) for p in next(iter(strings.values())))
        if key == "":
            assert isinstance(string, str)  # the header is one message, never a plural
            if header is not None:
                return False
            header = {name.lower(): value for name, value in message_from_string(string).items()}
            if "charset=utf-8" not in header.get("content-type", "").lower().replace(" ", ""):
                return False
            if "plural-forms" not in header:
                return False
            plurals = int(parse_separated_header(f" ;{header['plural-forms']}").get("nplurals", 2))
            return True
        if key in entries or header is None:
            return False
        entries[key] = Entry(string, fuzzy, line)
        return True

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        first = line[0]
        if first == '"':
            if pieces is None:
                return None
            pieces.append(line)
            continue
        if first == "#":
            second = line[1:2]
            obsolete_msgid = second == "~" and line[2:].lstrip().startswith("msgid ")
            if second == "~" and not obsolete_msgid and (message is not None or "msgctxt" in line):
                return None
            if message is not None and not finish():
                return None
            pieces = None
            if second == ",":
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif obsolete_msgid:  # obsolete messages are not needed; they take the flags before them
                flags = []
            continue  # other comments are not needed
        keyword, _, argument = line.partition(" ")
        argument = argument.lstrip()  # as Babel: 'msgid  "x"' is "x"
        if keyword == "msgid":
            if not finish():
                return None
            message = [[argument], [], {}, "fuzzy" in flags, number]
            flags = []
            pieces = message[0]
        elif keyword == "msgid_plural" and message is not None and not message[1] and not message[2]:
            pieces = message[1]
            pieces.append(argument)
        elif keyword.startswith("msgstr") and message is not None:
            index = 0
            if keyword != "msgstr":
                if not (keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit()):
                    return None
                index = int(keyword[7:-1])
            if index in message[2]:
                return None
            pieces = message[2][index] = [argument]
        else:
            return None
    if not finish() or header is None:
        return None
    return entries, parse_separated_header(f" ;{header['plural-forms']}").get("plural", "(n != 1)")


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
