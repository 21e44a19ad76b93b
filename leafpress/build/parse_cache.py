"""What parsing a source file gave, kept in ``dist/`` between builds and found by its bytes.

Every build reads every article and every catalog, whatever it makes: the
translation status of each language decides what is published, and each leaflet
names the languages it is in. In a catalogue of 30 articles in six languages that
is some 200 files, and parsing them (the catalogs' entries, the articles'
translatable segments) took 0.4 s of every build, also of one that remakes a
single leaflet after an edit.

:class:`Parsed` hands out what was parsed from the same bytes before, else parses
and keeps the result; :func:`save` writes what this build used to
``dist/.leafpress-parsed.json`` (so it never grows with what is gone).

The file is data, never code: JSON of strings, numbers and lists, one
:data:`CODECS` entry per kind of result (:data:`FAMILIES` for kinds named with
what they depend on) saying how it is written and how it is read back, checking
every value's type on the way in; a kind without one is not kept. Anyone who can write
``dist/`` (a restored CI cache, a synced folder) could write this file too; what
is not exactly what :func:`save` writes is thrown away whole, with a note, and the
sources are parsed again. So is a file left by another version of leafpress (its
modules' sizes and modification times, as the manifest sees them), silently.
Before this format the results were pickled, and unpickling runs whatever the
file says; that file (``.leafpress-parsed.pickle``) is never read, and the next
save deletes it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from leafpress.build.manifest import code_stats, read_regular
from leafpress.build.outputs import atomic_path

NAME = ".leafpress-parsed.json"
LEGACY = ".leafpress-parsed.pickle"  # what leafpress wrote before; never read (unpickling runs code)
FORMAT = 2
MAGIC = "leafpress parse results"
LIMIT = 64 * 2**20  # bytes; the real catalogue's is 0.5 MB
T = TypeVar("T")
_DIGEST = re.compile("[0-9a-f]{32}")


class Invalid(ValueError):
    """The cache file holds something :func:`save` does not write."""


@dataclass
class Parsed:
    """Parse results by (what was parsed, digest of the bytes): those stored by the last
    build, and those this build asked for."""

    version: tuple = ()  # leafpress's code the stored results came from (:func:`code_version`)
    stored: dict[tuple[str, bytes], Any] = field(default_factory=dict)
    used: dict[tuple[str, bytes], Any] = field(default_factory=dict)

    def get(self, what: str, source: bytes | str, parse: Callable[[], T]) -> T:
        """What ``parse()`` returns for ``source``; parsed only if not seen before.
        The result is shared: nobody may change it."""
        data = source.encode("utf-8") if isinstance(source, str) else source
        key = (what, hashlib.blake2b(data, digest_size=16).digest())
        if key not in self.used:
            self.used[key] = self.stored[key] if key in self.stored else parse()
        return self.used[key]


# --- the encoding: one codec per kind of result ---------------------------------


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise Invalid(what)


def _text(value: Any) -> str:
    _check(type(value) is str, "a string")
    return value


def _number(value: Any) -> int:
    _check(type(value) is int and value >= 0, "a whole number")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    _check(type(value) is list, "a list")
    return tuple(map(_text, value))


def _text_or_texts(value: Any) -> str | tuple[str, ...]:
    return value if type(value) is str else _texts(value)


def _plain(value: str | tuple[str, ...]) -> str | list[str]:
    return value if isinstance(value, str) else list(value)


def _po_out(value: tuple[dict, str | None]) -> dict:
    entries, plural = value
    return {"plural": plural,
            "entries": [[_plain(key), _plain(e.string), e.fuzzy, e.line] for key, e in entries.items()]}


def _po_in(value: Any) -> tuple[dict, str | None]:
    from leafpress.i18n.catalogs import Entry

    _check(type(value) is dict and value.keys() == {"plural", "entries"}, "a catalog")
    plural = value["plural"]
    _check(plural is None or type(plural) is str, "a plural expression")
    rows = value["entries"]
    _check(type(rows) is list, "a list of entries")
    entries = {}
    for row in rows:
        _check(type(row) is list and len(row) == 4 and type(row[2]) is bool, "an entry")
        key = _text_or_texts(row[0])
        _check(key not in entries, "one entry per message")
        entries[key] = Entry(_text_or_texts(row[1]), row[2], _number(row[3]))
    return entries, plural


def _rules_out(value: tuple[tuple[str, str, str, str, int], ...]) -> list:
    return [list(rule) for rule in value]


def _rules_in(value: Any) -> tuple[tuple[str, str, str, str, int], ...]:
    _check(type(value) is list, "a list of rules")
    rules = []
    for rule in value:
        _check(type(rule) is list and len(rule) == 5, "a @font-face rule")
        rules.append((*map(_text, rule[:4]), _number(rule[4])))
    return tuple(rules)  # type: ignore[arg-type]


def _characters_out(value: frozenset[str]) -> str:
    """The characters in code point order, as one string (never more than the file holds)."""
    return "".join(sorted(value))


def _characters_in(value: Any) -> frozenset[str]:
    _check(type(value) is str, "a string of characters")
    found = frozenset(value)
    _check(len(found) == len(value) and "".join(sorted(found)) == value, "characters in order, once each")
    return found


def _problems_out(value: tuple[tuple[int | None, str, str], ...]) -> list:
    return [list(problem) for problem in value]


def _problems_in(value: Any) -> tuple[tuple[int | None, str, str], ...]:
    _check(type(value) is list, "a list of problems")
    problems = []
    for problem in value:
        _check(type(problem) is list and len(problem) == 3, "a problem")
        line = problem[0] if problem[0] is None else _number(problem[0])
        problems.append((line, _text(problem[1]), _text(problem[2])))
    return tuple(problems)


def _marks_out(value: tuple[tuple[str, ...], ...]) -> list:
    return [list(texts) for texts in value]


def _marks_in(value: Any) -> tuple[tuple[str, ...], ...]:
    _check(type(value) is list and len(value) == 3, "citation keys, link targets and placeholders")
    return tuple(map(_texts, value))


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (value -> JSON, JSON -> value or Invalid)
CODECS: dict[str, Codec] = {
    "po": (_po_out, _po_in),  # catalogs.load_catalog: (entries by msgid, Plural-Forms expression)
    "segment texts": (list, _texts),  # translations.collect_sources: an article's segments
    "font-face rules": (_rules_out, _rules_in),  # fonts.font_faces: (family, src, weight, style, line)
    "font cmap": (_characters_out, _characters_in),  # fonts.coverage: one font's characters
    "fonts cmap": (_characters_out, _characters_in),  # fonts.covered: all the bundled fonts' characters
    "segment marks": (_marks_out, _marks_in),  # translations.marks: (citation keys, link targets, placeholders)
    "text problems": (_problems_out, _problems_in),  # markup_checks.text_problems: (breaks, code, message)
}
# kinds named with what they depend on: "po checks <lang> <interface>" (catalogs.load_catalog:
# po_checks.check_po's (line, code, message) problems)
FAMILIES: dict[str, Codec] = {"po checks ": (_problems_out, _problems_in)}


def codec(what: str) -> Codec | None:
    """How results of kind ``what`` are kept, if they are."""
    found = CODECS.get(what)
    return found if found else next((c for prefix, c in FAMILIES.items() if what.startswith(prefix)), None)


def encode(what: str, value: Any) -> Any:
    """``value`` as JSON, or None when it cannot be kept: no codec for ``what``, or it does
    not read back as the same value (a parser that now returns something else)."""
    found = codec(what)
    if found is None:
        return None
    try:
        plain = found[0](value)
        return plain if found[1](json.loads(json.dumps(plain))) == value else None
    except (Invalid, TypeError, ValueError, AttributeError):
        return None


def decode(data: bytes, version: tuple) -> dict[tuple[str, bytes], Any] | None:
    """The results in a cache file's bytes; None when they come from other code.
    Raises :class:`Invalid` for anything :func:`save` does not write."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise Invalid("JSON") from exc
    _check(type(document) is dict and document.keys() == {"leafpress", "format", "code", "results"}
           and document["leafpress"] == MAGIC, "the fields of a parse cache")
    if document["format"] != FORMAT or document["code"] != _plain_version(version):
        return None
    results = document["results"]
    _check(type(results) is dict, "results by kind")
    stored: dict[tuple[str, bytes], Any] = {}
    for what, by_digest in results.items():
        found = codec(what)
        if found is None or type(by_digest) is not dict:
            raise Invalid("results of known kinds")
        for digest, value in by_digest.items():
            _check(_DIGEST.fullmatch(digest) is not None, "digests")
            stored[what, bytes.fromhex(digest)] = found[1](value)
    return stored


def _plain_version(version: tuple) -> Any:
    """``version`` as it reads back from JSON (lists for tuples)."""
    return json.loads(json.dumps(version))


# --- the file --------------------------------------------------------------------


def cache_path(root: Path) -> Path:
    return root / "dist" / NAME


def code_version() -> tuple:
    return tuple(sorted(code_stats().items()))


def load(root: Path) -> Parsed:
    """The last build's parse results, or none if there are none this code can use.
    A file that is not what :func:`save` writes gets a one-line note on stderr."""
    current = code_version()
    path = cache_path(root)
    collecting = gc.isenabled()
    gc.disable()  # some 10 000 new lists and entries: the collector walked them all again, 4 times slower
    try:
        data = read_regular(path, LIMIT)
        if data is None:
            return Parsed(current)
        stored = decode(data, current)
    except (ValueError, OSError) as exc:
        what = f"expected {exc}" if isinstance(exc, Invalid) else str(exc)
        print(f"dist/{NAME}: note: not a parse cache this leafpress wrote ({what}); "
              "ignored, the sources are parsed again", file=sys.stderr)
        return Parsed(current)
    finally:
        if collecting:
            gc.enable()
    return Parsed(current, stored or {})


def save(root: Path, parsed: Parsed) -> None:
    """Keep what this build parsed or used for the next one."""
    legacy = root / "dist" / LEGACY
    if legacy.is_file() or legacy.is_symlink():
        legacy.unlink()
    if parsed.used.keys() == parsed.stored.keys():  # a key is a digest of what was parsed
        return
    results: dict[str, dict[str, Any]] = {}
    for (what, digest), value in parsed.used.items():
        plain = encode(what, value)
        if plain is not None:
            results.setdefault(what, {})[digest.hex()] = plain
    document = {"leafpress": MAGIC, "format": FORMAT, "code": _plain_version(parsed.version), "results": results}
    with atomic_path(cache_path(root)) as temporary:
        # UTF-8, and a lone surrogate as its code (json.loads of bytes reads it back so)
        temporary.write_bytes(json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                              .encode("utf-8", "surrogatepass"))
