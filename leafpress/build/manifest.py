"""What each output was made from, so unchanged outputs are not made again.

``dist/.leafpress-manifest.json`` records, per job, a fingerprint of its
inputs (content hashes of its article, catalogs, templates, bibliography
items, fonts, configuration, and leafpress's own code) and the size and
mtime of the files it wrote. A build first compares a snapshot of every
project file's size and mtime with the last one: when nothing changed and
every output is still in place, it is done without loading anything else
(this module imports only what that check needs, so it is quick; the
fingerprints themselves are worked out in :mod:`leafpress.build.inputs`).

The manifest is read as untrusted data: anyone who can write ``dist/`` can
write it. What is not exactly what :func:`update` writes (another shape, an
output path that is not a plain path inside ``dist/`` or that leads out of it
through a symbolic link) makes the whole file count as absent, with a warning:
every output is made again, and nothing it names is looked at or removed. Builds
that overlap each change the manifest as it is on disk when they finish, one at
a time (an ``fcntl`` lock on the ``dist`` folder itself, so no lock file is left behind).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat as stat_module
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from leafpress.diagnostics import Diagnostic, from_json, warning
from leafpress.formats import registry

NAME = ".leafpress-manifest.json"
LIMIT = 64 * 2**20  # bytes; the real catalogue's manifest is 12 kB
WATCHED = ("content", "templates", "translations")
PACKAGE = Path(__file__).resolve().parents[1]
FORMAT = 1

Stat = tuple[int, int]  # size, mtime in ns


def manifest_path(root: Path) -> Path:
    return root / "dist" / NAME


def _stat(path: Path) -> Stat:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def code_files() -> list[Path]:
    """Every module of leafpress, in its subpackages too: a change to any of them may change every output."""
    return sorted(PACKAGE.rglob("*.py"))


def code_name(path: Path) -> str:
    """A module's name in fingerprints: its path inside the package, the same wherever leafpress is installed."""
    return path.relative_to(PACKAGE).as_posix()


def code_stats() -> dict[str, Stat]:
    """Size and mtime of each of leafpress's own modules, by their path inside the package
    (:func:`code_name` of each of :func:`code_files`)."""
    top = os.fspath(PACKAGE)
    found = {}
    for directory, folders, files in os.walk(top):
        inside = directory[len(top) + 1:].replace(os.sep, "/")
        for name in (*folders, *files):  # as rglob("*.py"), which would list a folder so named
            if name.endswith(".py"):
                found[f"{inside}/{name}" if inside else name] = _stat(Path(directory, name))
    return found


def snapshot(root: Path) -> dict[str, Stat]:
    """Size and mtime of every project file and of leafpress's own modules.

    Walked with :mod:`os` and plain strings, no :class:`~pathlib.Path` per file: this is most of
    what a build with nothing to do does."""
    found: dict[str, Stat] = {}
    for folder in WATCHED:
        top = os.path.join(root, folder)
        for directory, _dirs, files in os.walk(top):
            inside = folder + directory[len(top):]  # the folder's path from the project, as relative_to says
            for name in files:
                found[os.path.join(inside, name)] = _stat_or_dangling(os.path.join(directory, name))
    for name, stat in code_stats().items():
        found[f"<leafpress>/{name}"] = stat
    return dict(sorted(found.items()))


_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})  # what Path.exists() calls absent


def _stat_or_dangling(path: str) -> Stat:
    """Size and mtime of ``path``, or (-1, 0) for a symbolic link that leads nowhere."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno in _MISSING:
            return -1, 0
        raise
    return info.st_size, info.st_mtime_ns


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path``; None if there is no such file. Raises ValueError for
    anything but a regular file of at most ``limit`` bytes (a symbolic link, which
    could lead anywhere, a FIFO, which would block), OSError if it cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("a symbolic link, not a file") from exc
        raise
    with open(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat_module.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // 2**20} MB")
    return data


def empty() -> dict:
    return {"format": FORMAT, "runs": {}, "jobs": {}}


def load(root: Path) -> dict:
    """The manifest, or an empty one if there is none or it is not one :func:`update` wrote."""
    return read(root)[0]


def read(root: Path) -> tuple[dict, Diagnostic | None]:
    """The manifest, and the warning that says why it was ignored if it was."""
    path = manifest_path(root)
    try:
        data = read_regular(path, LIMIT)
        if data is None:
            return empty(), None
        manifest = json.loads(data)
        problem = shape_problem(root, manifest)
    except (OSError, ValueError, RecursionError) as exc:
        not_json = isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError, RecursionError))
        problem = "not JSON" if not_json else str(exc)
    if problem is None:
        return manifest, None
    return empty(), warning(f"dist/{NAME}", None, "manifest.invalid", f"not a manifest this leafpress wrote "
                            f"({problem}); ignored, so every output is made again")


_JOB = re.compile(r"(?P<kind>[^:]+):[^:]+:.+", re.DOTALL)  # kind:lang:id, the kind a registered format's


def _is_stat(value: Any) -> bool:
    return (type(value) is list and len(value) == 2 and all(type(n) is int for n in value) and value[0] >= 0)


def _is_diagnostics(value: Any) -> bool:
    return type(value) is list and all(from_json(d) is not None for d in value)


def diagnostics(values: Iterable[Any]) -> list[Diagnostic]:
    """The warnings a manifest :func:`read` accepted, as diagnostics again."""
    return [d for d in map(from_json, values) if d is not None]


def _is_job(value: Any) -> bool:
    found = _JOB.fullmatch(value) if type(value) is str else None
    return found is not None and found.group("kind") in registry.known_kinds()


def shape_problem(root: Path, data: Any) -> str | None:
    """What makes ``data`` other than a manifest :func:`update` writes for ``root``; None if nothing."""
    if type(data) is not dict or data.keys() != {"format", "runs", "jobs"}:
        return "expected an object with format, runs and jobs"
    if data["format"] != FORMAT:
        return f"format {data['format']!r}, expected {FORMAT}"
    if type(data["runs"]) is not dict or type(data["jobs"]) is not dict:
        return "expected runs and jobs to be objects"
    for key, run in data["runs"].items():
        if (type(run) is not dict or run.keys() != {"snapshot", "jobs", "warnings"}
                or type(run["snapshot"]) is not dict or not all(map(_is_stat, run["snapshot"].values()))
                or type(run["jobs"]) is not list or not all(map(_is_job, run["jobs"]))
                or not _is_diagnostics(run["warnings"])):
            return f"run {key[:60]!r} is not a snapshot, jobs and warnings"
    confinement = Confinement(root)
    for key, job in data["jobs"].items():
        if (not _is_job(key) or type(job) is not dict or job.keys() != {"fingerprint", "outputs", "warnings"}
                or type(job["fingerprint"]) is not str or type(job["outputs"]) is not dict
                or not all(map(_is_stat, job["outputs"].values())) or not _is_diagnostics(job["warnings"])):
            return f"job {key[:60]!r} is not a fingerprint, outputs and warnings"
        for relative in job["outputs"]:
            if confinement(relative) is None:
                return f"job {key[:60]!r} names {relative[:80]!r}, which is not a file inside dist/"
    return None


def confined(root: Path, relative: str) -> Path | None:
    """``root / relative`` if ``relative`` is a plain relative path of a file inside
    ``dist/`` (no '..', not absolute) that stays there when symbolic links are followed;
    else None."""
    return Confinement(root)(relative)


class Confinement:
    """:func:`confined` for many paths, as the files are now: ``dist/`` and each folder are
    resolved once (a manifest names some 150 outputs in a few dozen folders), a file only when
    it is a symbolic link itself; plain strings until the answer. Make a new one after removing
    or linking anything in ``dist/``."""

    def __init__(self, root: Path):
        self.root = root
        dist = str((root / "dist").resolve())
        self.dist = dist
        self.inside = dist.rstrip(os.sep) + os.sep  # what a path inside it starts with
        self._folders: dict[str, str] = {}

    def __call__(self, relative: str) -> Path | None:
        parts = relative.split("/")
        # "", "." and ".." as PurePosixPath(relative) would drop or keep them: not a plain path
        if "\0" in relative or len(parts) < 2 or parts[0] != "dist" or not all(p not in ("", ".", "..") for p in parts):
            return None
        path = os.path.join(self.root, *parts)
        resolved = self._resolved(path)
        return Path(path) if resolved is not None and resolved.startswith(self.inside) else None

    def _resolved(self, path: str) -> str | None:
        """``Path(path).resolve()``, its folders resolved once each; None for a loop of symbolic links."""
        try:
            if os.path.islink(path):
                return str(Path(path).resolve())
            folder, name = os.path.split(path)
            return os.path.join(self._folder(folder), name)
        except (OSError, RuntimeError):  # a loop of symbolic links
            return None

    def _folder(self, folder: str) -> str:
        """A folder at or under dist/, resolved: its parent's resolution and its name, unless it
        is a symbolic link itself (as :func:`os.path.realpath` goes, one part after the other)."""
        if folder not in self._folders:
            parent, name = os.path.split(folder)
            if folder == os.path.join(self.root, "dist"):
                self._folders[folder] = self.dist
            elif os.path.islink(folder) or parent == folder:
                self._folders[folder] = str(Path(folder).resolve())
            else:
                self._folders[folder] = os.path.join(self._folder(parent), name)
        return self._folders[folder]


def update(root: Path, change: Callable[[dict], None]) -> None:
    """Apply ``change`` to the manifest as it is now (another build may have written it
    since this one read it) and write it whole, one build at a time."""
    from leafpress.build.outputs import atomic_path

    path = manifest_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.parent):
        data = load(root)
        change(data)
        with atomic_path(path) as temporary:
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


class _locked:
    """An exclusive ``flock`` on the folder ``path`` while the block runs (none where there is
    no fcntl). A folder, not a lock file beside the manifest: a build that fails writes
    nothing in ``dist/``, and there is no file an attacker could swap for a link."""

    def __init__(self, path: Path):
        self.path = path
        self.descriptor: int | None = None

    def __enter__(self) -> None:
        try:
            import fcntl
        except ImportError:
            return
        self.descriptor = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)

    def __exit__(self, *_: object) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)  # closing releases the lock


def outputs_in_place(root: Path, outputs: dict[str, list[int]], confinement: Confinement | None = None) -> bool:
    """Every file of ``outputs`` still inside dist/, of the size and mtime recorded."""
    confinement = confinement or Confinement(root)
    for relative, recorded in outputs.items():
        path = confinement(relative)
        try:
            if path is None or list(_stat(path)) != recorded:
                return False
        except OSError:
            return False
    return True


def nothing_to_do(root: Path, data: dict, run_key: str, kinds: Iterable[str], languages: Iterable[str]) -> bool:
    """True when no project file changed since the last run with these options, and no
    other run has since made an output this run would remove (an article built with
    ``--lang nl``, then deleted again: its leaflet must go). ``kinds`` and ``languages``
    (empty: those of the last run) are what this run covers."""
    run = data["runs"].get(run_key)
    if run is None or run["snapshot"] != {k: list(v) for k, v in snapshot(root).items()}:
        return False
    planned = set(run["jobs"])
    covered = set(languages) or {job.split(":")[1] for job in planned}
    for job in data["jobs"]:
        kind, lang, _id = job.split(":", 2)
        if job not in planned and kind in kinds and lang in covered:
            return False
    confinement = Confinement(root)
    return all(outputs_in_place(root, data["jobs"].get(job, {}).get("outputs", {}), confinement) for job in planned)


def record(root: Path, paths: Iterable[Path]) -> dict[str, list[int]]:
    return {str(p.relative_to(root)): list(_stat(p)) for p in paths}
