"""WeasyPrint imported with its libraries looked up in the linker's cache only."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from pathlib import Path

import pytest

from leafpress.upstream.weasyprint_libraries import _linker_cache, finder

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or _linker_cache() is None,
                                reason="the lookup is changed only on Linux with ldconfig")

LOADED = ("import sys; {imports}; "
          "print('\\n'.join(sorted({{line.split()[-1] for line in open('/proc/self/maps') if '.so' in line}})))")


def test_a_name_in_the_cache_is_answered_as_ctypes_answers_it():
    find = finder(_linker_cache())
    for name in ("pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig", "gobject-2.0", "c", "m"):
        assert find(name) == ctypes.util.find_library(name), name
        assert find(name) is not None, name


def test_names_for_other_platforms_are_absent_without_asking_gcc():
    find = finder(b"\tlibpango-1.0.so.0 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0\n")
    assert find("libpango-1.0-0") is None
    assert find("pango-1.0-0") is None
    assert find("libpango-1.0.dylib") is None


def test_weasyprint_loads_the_same_libraries_either_way():
    def loaded(imports: str) -> list[str]:
        out = subprocess.run([sys.executable, "-c", LOADED.format(imports=imports)], cwd=REPO,
                             capture_output=True, text=True, check=True)
        return out.stdout.split()

    plain = loaded("import weasyprint")
    ours = loaded("from leafpress.upstream.weasyprint_libraries import import_weasyprint; import_weasyprint()")
    assert any("libpango-1.0" in path for path in plain)
    assert ours == plain
