"""A request path to a file inside ``dist/site``, and never to anything outside it.

The path is taken apart into names, and each is opened inside the folder before it
(``openat`` with ``O_NOFOLLOW``): a ``..``, an empty name (``//etc/passwd``), a
backslash or a NUL in a name is a bad request; a symbolic link anywhere on the way,
``dist`` and ``dist/site`` too, is not found, wherever it leads. A folder answers with
its ``index.html`` or not at all: there is no listing.
"""

from __future__ import annotations

import mimetypes
import os
import stat as stat_module
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

SITE = ("dist", "site")  # the folder served, from the project folder
INDEX = "index.html"
LIMIT = 64 * 2**20  # bytes: a page, a picture or a font of the site is far smaller

Kind = Literal["file", "redirect", "missing", "bad", "no-site"]
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Answer:
    kind: Kind
    body: bytes = b""
    content_type: str = "application/octet-stream"
    location: str = ""  # where a redirect leads

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


def names(target: str) -> list[str] | None:
    """The names a request target's path is made of (the last one empty for a folder);
    None when it is not a plain path inside the site."""
    if not target.startswith("/") or target.startswith("//"):
        return None  # the absolute form (http://host/...), '*', or a path starting from the root of the disk
    try:
        parts = [unquote(part, errors="strict") for part in urlsplit(target).path.split("/")[1:]]
    except UnicodeDecodeError:
        return None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part in (".", "..") or (not part and not last) or any(c in part for c in "/\\\0"):
            return None
    return parts


def _open_in(folder: int, name: str) -> int | None:
    try:
        return os.open(name, _OPEN, dir_fd=folder)
    except OSError:  # not there, a symbolic link (ELOOP), not allowed
        return None


def _read(descriptor: int) -> bytes | None:
    info = os.fstat(descriptor)
    if not stat_module.S_ISREG(info.st_mode) or info.st_size > LIMIT:
        return None
    with os.fdopen(os.dup(descriptor), "rb") as handle:
        return handle.read(LIMIT + 1)[:LIMIT]


def content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("+xml") else guessed


def find(root: Path, target: str, inside: tuple[str, ...] = SITE) -> Answer:
    """What the request ``target`` (``/nl/x/``, with its query) finds in the folder ``inside``
    (names, each opened without following a link) of ``root``: by default ``root``/dist/site."""
    parts = names(target)
    if parts is None:
        return Answer("bad")
    opened: list[int] = []
    try:
        current = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
        opened.append(current)
        for name in inside:
            step = _open_in(current, name)
            if step is None:
                return Answer("no-site")
            opened.append(step)
            current = step
        for index, name in enumerate(parts):
            if not name:  # the trailing slash: this folder's index page
                name = INDEX
            step = _open_in(current, name)
            if step is None:
                return Answer("missing")
            opened.append(step)
            current = step
            is_folder = stat_module.S_ISDIR(os.fstat(step).st_mode)
            if is_folder and index == len(parts) - 1:  # /nl/x -> /nl/x/, so that its relative links work
                path = urlsplit(target)
                return Answer("redirect", location=path.path + "/" + (f"?{path.query}" if path.query else ""))
        body = _read(current)
        name = parts[-1] or INDEX
        return Answer("missing") if body is None else Answer("file", body, content_type(name))
    except OSError:
        return Answer("missing")
    finally:
        for descriptor in opened:
            os.close(descriptor)
