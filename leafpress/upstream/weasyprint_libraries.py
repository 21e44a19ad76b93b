"""Import WeasyPrint with its C libraries found in one reading of the linker's cache.

WeasyPrint 70 opens GObject, Pango, PangoFT2, HarfBuzz, fontconfig and their kin by
trying, for each, the names it has on every platform: ``libpango-1.0-0``,
``pango-1.0-0``, ``pango-1.0``, ``libpango-1.0.so.0``, ... cffi hands every name it
cannot open as it stands to :func:`ctypes.util.find_library`, which on Linux runs
``ldconfig -p`` and, for a name not in that cache, gcc and then ld. That is 22
lookups, most of them for names no Linux system has, each spawning up to three
processes: 0.3 s of every process that lays out a leaflet (``import weasyprint``
0.71-0.80 s, with this 0.43-0.49 s, on the development machine).

While WeasyPrint is imported, :func:`import_weasyprint` answers those lookups from one
``ldconfig -p``, with ctypes' own pattern. A name not in the cache is answered as
absent at once instead of after gcc and ld: what those find there, ctypes returns as
a bare soname for the dynamic linker to open, and WeasyPrint's list for each library
ends with the sonames themselves (``libpango-1.0.so.0``), which it opens directly. The
libraries loaded are the same (the process's memory map, compared). Elsewhere than
Linux, or where ``ldconfig -p`` does not answer, nothing is changed.

Issue 17 asked whether importing WeasyPrint in the main process before the workers
fork would do instead. Measured on 2026-12-03 (2 cores shared with other builds; CPU
seconds of the process and its children until WeasyPrint is imported where it is
needed, median of 5, wall time in brackets):

============================================  =============  =============
                                              with this      without
============================================  =============  =============
one process (-j1, a rebuild of one leaflet)   0.44 (0.97)    0.66 (1.39)
-j2: each of two forked workers imports       0.91 (2.25)
-j2: the main process imports, then forks     0.47 (1.03)    0.75 (1.52)
============================================  =============  =============

Importing before the fork alone does not give the same: it saves nothing where one
process builds (-j1, and the rebuild of one edited leaflet). Both are kept: this
lookup, and the import before the fork (:func:`leafpress.build.runner._make_in_workers`),
never in a build that makes no PDF (the no-op rebuild: 60-65 ms, WeasyPrint not imported).
"""

from __future__ import annotations

import ctypes.util
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: ctypes' names for the ABI column of ``ldconfig -p`` (``ctypes.util._findSoname_ldconfig``)
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def import_weasyprint() -> None:
    """Import WeasyPrint (its C bindings and everything they need), once per process."""
    if "weasyprint" in sys.modules:
        return
    with libraries_from_linker_cache():
        import weasyprint  # noqa: F401


@contextmanager
def libraries_from_linker_cache() -> Iterator[None]:
    """While the block runs, ``ctypes.util.find_library`` looks only in ``ldconfig -p``."""
    cache = _linker_cache() if sys.platform.startswith("linux") else None
    if cache is None:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = finder(cache)  # type: ignore[assignment]  # for the block only, restored below
    try:
        yield
    finally:
        ctypes.util.find_library = original


def finder(cache: bytes) -> Callable[[str], str | None]:
    """``find_library`` answered from the text of ``ldconfig -p``, as ctypes reads it."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = _ABI.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), cache)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


def _linker_cache() -> bytes | None:
    try:
        listed = subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return listed.stdout or None
