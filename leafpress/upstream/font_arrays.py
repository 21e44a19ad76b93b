"""WeasyPrint's font subsetting without a run of the C parser per glyph count.

WeasyPrint 70 hands HarfBuzz the glyphs to keep as ``ffi.new(f"hb_codepoint_t[{n}]", glyphs)``
(``weasyprint.pdf.fonts``). cffi keeps a C type per distinct string, and every new
``n`` is a new string: pycparser parses it, about 4 ms each time. A leaflet embeds
four or five subsets, most with a glyph count not seen before: a cold build of the
real catalogue parsed 59 array types, 0.24 s; with :func:`install`, none.

:func:`install` gives that module an ``ffi`` that makes the same arrays from the one
type ``hb_codepoint_t[]``: the length comes from the values, as the sized type
said. Anything else goes to cffi unchanged. The fix belongs upstream (WeasyPrint
asking for ``hb_codepoint_t[]``); until then it is installed once per process, with
the shared fonts (:func:`leafpress.formats.pdf.leaflet.make_engine`).
"""

from __future__ import annotations

import re
from typing import Any

_SIZED_ARRAY = re.compile(r"([\w ]+?) *\[(\d+)\]")


class UnsizedArrays:
    """A cffi ``FFI`` whose ``new("T[n]", n values)`` is ``new("T[]", values)``."""

    def __init__(self, ffi: Any):
        self.ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ffi, name)

    def new(self, cdecl: Any, init: Any = None) -> Any:
        sized = _SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized and hasattr(init, "__len__") and len(init) == int(sized[2]):
            return self.ffi.new(f"{sized[1]}[]", init)
        return self.ffi.new(cdecl, init)


def install() -> None:
    """Give ``weasyprint.pdf.fonts`` the unsized arrays (once; a second call does nothing), through
    :func:`leafpress.upstream.weasyprint_adapter.install_font_ffi`."""
    from leafpress.upstream.weasyprint_adapter import install_font_ffi

    install_font_ffi(UnsizedArrays, UnsizedArrays)
