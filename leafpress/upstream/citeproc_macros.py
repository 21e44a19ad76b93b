"""citeproc-py's macro lookups from an index instead of an XPath search each.

citeproc-py 0.11 finds a CSL macro by name (``CitationStylesElement.get_macro``)
with an XPath search of the whole style, every time a macro is called. The APA
style calls macros from macros: a cold build of the real catalogue made 17 370
searches, about 0.6 s, a third of all the time citeproc-py took.

:func:`install` replaces that method with a lookup in a dictionary of the style's
macros, made on the first call and kept on the style's root element (an
element of the style being formatted, so it lives and goes with that style). The
first macro of a name wins, as with the XPath ``[1]``; an unknown name raises
``KeyError`` where citeproc-py raised ``IndexError`` (a broken style either way).
The fix belongs upstream (written up in ``leafpress/upstream/citeproc-py.md``); until
then it is installed when citeproc-py is first set up for a document
(:class:`leafpress.cite.formatting.Engine`).

Does it still pay (issue 17, measured 2026-12-03)? Formatting the citations and
reference lists of every document of a cold build of the real catalogue (18 leaflets,
6 booklets) in one process, 7 runs each, interleaved: 1.19 s CPU with the index, 2.01 s
without (medians; 1.04-1.75 against 1.59-2.40). citeproc-py's XPath searches went from
46 185 to 19 539: the 26 646 macro lookups are dictionary lookups now.
"""

from __future__ import annotations

from typing import Any

from citeproc.model import CitationStylesElement

_INDEX = "_leafpress_macros"


def macro_by_name(element: Any, name: str) -> Any:
    """The style's first ``<cs:macro name="name">``, as ``element.get_macro(name)``."""
    root = element.get_root()
    macros = root.__dict__.get(_INDEX)  # not getattr: citeproc-py reads unknown names as child elements
    if macros is None:
        macros = {}
        for macro in root.iterfind("cs:macro", root.nsmap):
            macros.setdefault(macro.get("name"), macro)
        root.__dict__[_INDEX] = macros
    return macros[name]


def install() -> None:
    """Make :func:`macro_by_name` citeproc-py's ``get_macro`` (a second call does nothing)."""
    CitationStylesElement.get_macro = macro_by_name
