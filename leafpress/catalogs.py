"""gettext catalogs: reading .po files, completeness, and lookup functions.

Catalogs are read straight from the translators' .po files (Babel's reader),
so the build sees fuzzy flags and needs no compile step. Domains:

- ``ui``: interface strings of the templates;
- ``shared``: help lines and booklet titles;
- one domain per article, named by its id.
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from babel.messages.pofile import PoFileError, read_po

from .diagnostics import Diagnostic, error

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

    def __add__(self, other: "Status") -> "Status":
        return Status(self.translated + other.translated, self.fuzzy + other.fuzzy,
                      self.untranslated + other.untranslated)


EMPTY = Status(0, 0, 0)


def catalog_path(translations: Path, lang: str, domain: str) -> Path:
    return translations / lang / "LC_MESSAGES" / f"{domain}.po"


def template_path(translations: Path, domain: str) -> Path:
    return translations / "templates" / f"{domain}.pot"


def load_catalog(path: Path, lang: str) -> tuple[Catalog | None, list[Diagnostic]]:
    """Read one .po file; a missing file is simply no catalog."""
    if not path.exists():
        return None, []
    try:
        with path.open("rb") as handle:
            po = read_po(handle, locale=None, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        return None, [error(path, getattr(exc, "lineno", None), "po.syntax",
                            f"cannot read this catalog: {exc}; open it in Poedit or run msgfmt --check")]
    entries = {}
    for message in po:
        if not message.id:
            continue
        string = message.string if isinstance(message.string, str) else tuple(message.string)
        entries[message.id] = Entry(string, message.fuzzy, message.lineno or 1)
    plural = gettext_module.c2py(po.plural_expr) if po.plural_expr else (lambda n: int(n != 1))
    return Catalog(path, lang, entries, plural), []


def status(catalog: Catalog | None, msgids: Iterable[str]) -> Status:
    """Counts for the messages the source has now (obsolete entries ignored)."""
    translated = fuzzy = untranslated = 0
    for msgid in msgids:
        entry = catalog.entries.get(msgid) if catalog else None
        if entry is None or not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            untranslated += 1
        elif entry.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return Status(translated, fuzzy, untranslated)


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
