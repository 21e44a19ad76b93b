"""Writing outputs so that a crash never leaves half a file where a good one stood, and a
failed job never leaves some of its new files next to the old others.

Every file is first written under a temporary name beside its place,
``.<name>.<pid>.<random>.tmp``, and renamed into place when it is whole
(:func:`atomic_path`). A job's files wait under those names until the whole job
has succeeded, and are then renamed into place together (:class:`Staging`); a
job that fails leaves every old output as it was. A build stopped by Ctrl-C or
SIGTERM (:func:`sigterm_exits`) removes its temporary files on the way out; one
killed outright leaves them, and the next build removes them
(:func:`sweep_temporaries`) once the process named in them is gone.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXIT_SIGTERM = 128 + signal.SIGTERM
# what :func:`temporary_beside` makes (pid, random); before it (no pid); the manifest's old one
TEMPORARY_NAME = re.compile(r"\.(?P<name>.+?)\.\d+\.[a-z0-9_]{8}\.tmp", re.DOTALL)  # what temporary_beside makes
TEMPORARY = re.compile(r"\..+?\.(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\.tmp|\.leafpress-manifest\.tmp", re.DOTALL)


class Terminated(SystemExit):
    """SIGTERM arrived: unwinds like an exception (every ``finally`` removes its temporary
    files), then the process exits 143 like one killed by SIGTERM."""

    def __init__(self) -> None:
        super().__init__(EXIT_SIGTERM)


def _terminate(_signal: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # on the way out: a second one must not cut the clean-up short
    raise Terminated()


def on_sigterm_exit() -> None:
    """From now on, SIGTERM stops this process through :class:`Terminated` (a worker's set-up)."""
    signal.signal(signal.SIGTERM, _terminate)


@contextmanager
def sigterm_exits() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` while the block runs (the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


STOPPING = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait while the block runs (its few steps belong together), then
    arrive; where there is no pthread_sigmask they arrive at once."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def target_of(path: Path) -> Path:
    """The file a temporary of :func:`temporary_beside` stands in for; any other path itself."""
    found = TEMPORARY_NAME.fullmatch(path.name)
    return path.with_name(found.group("name")) if found else path


def temporary_beside(target: Path) -> Path:
    """A new empty file in ``target``'s folder, named for this process and at random.
    Called with signals held (:func:`signals_held`), so that it is known before anything
    can stop the process."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    return Path(name)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place on success.

    On any exception the temporary file is removed and ``target`` is untouched.
    """
    temporary = None
    try:
        with signals_held():
            temporary = temporary_beside(target)
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if temporary is not None:
            with signals_held():
                temporary.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


class OutsideDist(ValueError):
    """An output's folder leads out of ``dist/`` (a symbolic link in it)."""

    def __init__(self, folder: Path):
        self.folder = folder
        super().__init__(f"{folder} leads outside dist/ (a symbolic link); remove it and build again")


class Staging:
    """The files of one job, written under temporary names in ``dist`` until all are there; only
    in the ``folders`` of ``dist`` its format declares."""

    def __init__(self, dist: Path, folders: tuple[str, ...]):
        self.dist = dist
        self.folders = folders
        self.waiting: list[tuple[Path, Path]] = []  # (temporary, target)

    def path(self, target: Path) -> Path:
        """Where to write ``target`` for now: a temporary file beside it."""
        if not any(target.is_relative_to(self.dist / folder) for folder in self.folders):
            raise ValueError(f"{target} is not in the folders of dist/ its format writes: {', '.join(self.folders)}")
        _check_inside(self.dist, target)
        with signals_held():
            temporary = temporary_beside(target)
            self.waiting.append((temporary, target))
        return temporary

    def commit(self) -> None:
        """Rename every file into place, with SIGTERM and SIGINT held back until all are."""
        with signals_held():
            for temporary, _ in self.waiting:
                os.chmod(temporary, 0o644)
            for temporary, target in self.waiting:
                os.replace(temporary, target)
            self.waiting = []

    def discard(self) -> None:
        with signals_held():
            for temporary, _ in self.waiting:
                temporary.unlink(missing_ok=True)
            self.waiting = []


@contextmanager
def staged(dist: Path, folders: tuple[str, ...]) -> Iterator[Staging]:
    """A :class:`Staging` (for files in ``folders`` of ``dist``) whose files are moved into place
    when the block ends normally, and removed when it raises (the old outputs stay)."""
    staging = Staging(dist, folders)
    try:
        yield staging
        staging.commit()
    finally:
        staging.discard()


def _check_inside(dist: Path, target: Path) -> None:
    """Raise :class:`OutsideDist` if writing ``target`` (creating its missing folders) would
    write outside ``dist``: the nearest folder of it that exists must be ``dist`` or above
    it (then every folder made is new, inside), or resolve inside ``dist``."""
    existing = target.parent
    while not (existing.exists() or existing.is_symlink()) and existing != existing.parent:
        existing = existing.parent
    if existing == dist or existing in dist.parents:
        return
    base, resolved = dist.resolve(), existing.resolve()
    if resolved != base and base not in resolved.parents:
        raise OutsideDist(existing)


def sweep_temporaries(dist: Path, before: float | None = None) -> list[Path]:
    """Remove the temporary files that stopped builds left in ``dist`` (killed before
    they could): those older than ``before`` (a time.time(); now if None) of a process
    that is gone. Another build's files, still being written, stay."""
    before = time.time() if before is None else before
    removed = []
    for directory, _dirs, files in os.walk(dist):
        for name in files:
            found = TEMPORARY.fullmatch(name)
            if found is None:
                continue
            path = Path(directory, name)
            try:
                if path.lstat().st_mtime >= before or _running(found.group("pid")):
                    continue
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def _running(pid: str | None) -> bool:
    if pid is None or int(pid) <= 0 or int(pid) > 2**22:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
