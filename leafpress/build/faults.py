"""Faults of the machine rather than of the project: a full disk, a folder that may not
be written. Each becomes one sentence that says what to do, never a traceback."""

from __future__ import annotations

import errno
from pathlib import Path

#: errno -> what to do about it
ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "your disk quota is used up; free some space and build again",
    errno.EFBIG: "the file is larger than this system allows (a file-size limit); raise the limit and build again",
    errno.EROFS: "the disk is mounted read-only; build the project on a writable disk",
    errno.EACCES: "permission denied; make it writable for you (e.g. chmod -R u+w dist) and build again",
    errno.EPERM: "operation not permitted; make it writable for you (e.g. chmod -R u+w dist) and build again",
}


def fault_message(exc: OSError, root: Path, unnamed: str = "a file") -> str | None:
    """The sentence for an OSError that the machine caused, or None for any other
    (a bug, reported with its traceback). ``unnamed``: what was being written when the
    error names no file (a failed write() does not)."""
    advice = ADVICE.get(exc.errno or 0)
    if advice is None:
        return None
    named = exc.filename2 or exc.filename  # a rename names the file it makes second
    where = _shown(named, root) if named else unnamed
    verb = "cannot write" if where.startswith("dist") or not named else "cannot read or write"
    return f"build.py: error: {verb} {where}: {advice}"


def _shown(filename: object, root: Path) -> str:
    """The file as the user knows it: from the project, and the output a temporary stands for."""
    from leafpress.build.outputs import target_of

    path = target_of(Path(str(filename)))
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except (ValueError, OSError):
        return str(path)
