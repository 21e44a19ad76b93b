"""Every format leafpress makes, in one place: what the command line offers, what a build plans,
fingerprints, makes and schedules, what the manifest accepts and what ``make check`` validates
all come from :data:`FORMATS`.

Adding a format is one module that declares a :class:`~leafpress.formats.format.Format`, and its
name in :data:`FORMATS`. Light on purpose: read on the way to "nothing to do".
"""

from __future__ import annotations

from collections.abc import Iterable

from leafpress.formats.booklet_format import BOOKLETS
from leafpress.formats.format import Format
from leafpress.formats.leaflet_format import LEAFLETS
from leafpress.formats.site_format import SITE

FORMATS: tuple[Format, ...] = (LEAFLETS, BOOKLETS, SITE)
ALL = "all"  # the command that builds every format with in_all


def targets(command: str) -> tuple[str, ...]:
    """The targets ``command`` builds: itself, or for ``all`` each format's that is in it; () for another command."""
    asked = {f.target for f in FORMATS if (f.in_all if command == ALL else f.target == command)}
    for f in FORMATS:
        if f.target in asked:
            asked.update(f.needs)
    return tuple(f.target for f in FORMATS if f.target in asked)


def build_commands() -> tuple[str, ...]:
    """The commands that build: one per format, then ``all``."""
    return (*(f.target for f in FORMATS), ALL)


def chosen(targets: Iterable[str]) -> tuple[Format, ...]:
    """The formats of ``targets``, in registry order."""
    wanted = set(targets)
    return tuple(f for f in FORMATS if f.target in wanted)


def kinds(targets: Iterable[str]) -> tuple[str, ...]:
    """The job kinds that ``targets`` make."""
    return tuple(f.kind for f in chosen(targets))


def of_kind(kind: str) -> Format:
    """The format that makes jobs of ``kind``; KeyError for a kind no format makes."""
    for candidate in FORMATS:
        if candidate.kind == kind:
            return candidate
    raise KeyError(kind)


def known_kinds() -> frozenset[str]:
    return frozenset(f.kind for f in FORMATS)
