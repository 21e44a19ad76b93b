"""What parsing a source file gave, kept in ``dist/`` between builds and found by its bytes.

Every build reads every article and every catalog, whatever it makes: the
translation status of each language decides what is published, and each leaflet
names the languages it is in. In a catalogue of 30 articles in six languages that
is some 200 files, and parsing them (the catalogs' entries, the articles'
translatable segments) took 0.4 s of every build, also of one that remakes a
single leaflet after an edit.

:class:`Parsed` hands out what was parsed from the same bytes before, else parses
and keeps the result; :func:`save` writes what this build used to
``dist/.leafpress-parsed.pickle`` (so it never grows with what is gone).
The file is thrown away whole when leafpress's code changes (its modules' sizes and
modification times, as the manifest sees them), or when it cannot be read.
It holds only what leafpress parsed from this project's own files; pickle is what
Python reads back fastest, and the file is no more to be trusted than ``dist/``
itself.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from .manifest import code_stats
from .outputs import atomic_path

NAME = ".leafpress-parsed.pickle"
T = TypeVar("T")


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


def cache_path(root: Path) -> Path:
    return root / "dist" / NAME


def code_version() -> tuple:
    return tuple(sorted(code_stats().items()))


def load(root: Path) -> Parsed:
    """The last build's parse results, or none if there are none this code can use."""
    current = code_version()
    try:
        with cache_path(root).open("rb") as handle:
            version, stored = pickle.load(handle)
    except Exception:  # missing, truncated, from another Python: parse again
        return Parsed(current)
    return Parsed(current, stored) if version == current and isinstance(stored, dict) else Parsed(current)


def save(root: Path, parsed: Parsed) -> None:
    """Keep what this build parsed or used for the next one."""
    if parsed.used.keys() == parsed.stored.keys():  # a key is a digest of what was parsed
        return
    with atomic_path(cache_path(root)) as temporary:
        temporary.write_bytes(pickle.dumps((parsed.version, parsed.used), protocol=pickle.HIGHEST_PROTOCOL))
