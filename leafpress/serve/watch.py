"""Which project files changed: the build manifest's snapshot (size and mtime of every file
in content/, templates/, translations/ and of leafpress's own modules), taken again and again."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

from leafpress.build import manifest

Snapshot = Mapping[str, manifest.Stat]
INTERVAL_S = 0.3  # between two looks at the project
SETTLE_S = 0.05   # after a change, until the files stay as they are (an editor writes, renames, writes again)
SETTLE_TRIES = 20


def take(root: Path) -> Snapshot | None:
    """The snapshot of ``root``; None while a file vanishes under the walk (look again later)."""
    try:
        return manifest.snapshot(root)
    except OSError:
        return None


def settled(root: Path, first: Snapshot, look: Callable[[Path], Snapshot | None] = take) -> Snapshot:
    """``first``, or what the project became once two looks a moment apart agree."""
    current = first
    for _ in range(SETTLE_TRIES):
        time.sleep(SETTLE_S)
        again = look(root)
        if again == current:
            break
        if again is not None:
            current = again
    return current


def changed_files(before: Snapshot | None, after: Snapshot) -> tuple[str, ...]:
    """The files added, changed or removed between two snapshots (every file, the first time)."""
    if before is None:
        return ()
    names = set(before) | set(after)
    return tuple(sorted(name for name in names if before.get(name) != after.get(name)))


def described(changed: tuple[str, ...], most: int = 3) -> str:
    """``content/articles/x.md changed``, or the first few and how many more."""
    if not changed:
        return "first build"
    shown = ", ".join(changed[:most])
    more = f" and {len(changed) - most} more" if len(changed) > most else ""
    return f"{shown}{more} changed"
