"""What an editor or translator may write in Markdown beyond the text: link targets and ``{...}`` attributes.

A link goes to a web page, an e-mail address, a phone number or a place in the
same document (:func:`leafpress.source.urls.link_problem`); ``javascript:`` and the
like never reach a PDF link action, a QR code or an EPUB. An attribute is
``lang``, ``dir`` (ltr or rtl) or one of the documented classes
(:data:`DOCUMENTED_CLASSES`): a ``style`` could make an e-reader fetch a URL, an
``id`` collide with the section ids, an ``on*`` run script. Each problem is
``path:line: error: ... [url.scheme | markdown.attribute]``, in an article at its
line, in a translation at its entry in the .po file. A placeholder other than
``{{organisation}}`` (:mod:`leafpress.markdown.placeholders`) is ``[text.placeholder]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from pathlib import Path

from markdown_it.token import Token

from leafpress.build.parse_cache import Parsed
from leafpress.diagnostics import Diagnostic, error
from leafpress.i18n.catalogs import Catalog
from leafpress.markdown.dialect import shared_parser
from leafpress.markdown.placeholders import TOKEN as PLACEHOLDER
from leafpress.markdown.placeholders import problem as placeholder_problem
from leafpress.markdown.segments import inline_line, walk_inline
from leafpress.source.frontmatter import LANG_PATTERN
from leafpress.source.urls import link_problem, shown

#: the classes the README documents for editors
DOCUMENTED_CLASSES = ("decorative",)
DIRECTIONS = ("ltr", "rtl")
#: text without any of these has no link and no attribute (most segments): nothing to parse
_MARKUP_CHARACTERS = ("[", "<", "{")


def inline_problems(inline: Token) -> list[tuple[int, str, str]]:
    """(lines after the inline's first, code, message) for each link and attribute of ``inline`` that is refused."""
    found = []
    breaks = 0
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
            continue
        if child.type == "link_open":
            problem = link_problem(str(child.attrGet("href") or ""), fragment=True)
            if problem:
                found.append((breaks, "url.scheme", f"link {problem} (or #a-section-id)"))
        if child.type == PLACEHOLDER and (refused := placeholder_problem(child.content)):
            found.append((breaks, "text.placeholder", refused))
        found += [(breaks, code, message) for code, message in _attribute_problems(child)]
    return found


def _attribute_problems(token: Token) -> list[tuple[str, str]]:
    found = []
    refused = token.meta.get("insecure_attrs") or {}
    for name in refused:
        found.append(("markdown.attribute",
                      f"the attribute '{shown(str(name), 30)}' is not allowed; "
                      f"write only {{lang=..}}, {{dir=rtl}} or {{.decorative}} on a picture"))
    classes = str(token.attrGet("class") or "").split()
    for name in classes:
        if name not in DOCUMENTED_CLASSES:
            found.append(("markdown.attribute",
                          f"the class '.{shown(name, 30)}' is not one leafpress knows; "
                          f"use {', '.join('.' + c for c in DOCUMENTED_CLASSES)} (on a picture) or none"))
    direction = token.attrGet("dir")
    if direction is not None and direction not in DIRECTIONS:
        found.append(("markdown.attribute",
                      f"dir='{shown(str(direction), 30)}' must be {' or '.join(DIRECTIONS)}"))
    return found


def check_markup(path: Path, tokens: Sequence[Token], first_line: int) -> list[Diagnostic]:
    """The refused links and attributes of an article body parsed into ``tokens``."""
    found = []
    for inline, stack in walk_inline(tokens):
        line = inline_line(inline, stack, first_line)
        found += [error(path, line + breaks, code, message) for breaks, code, message in inline_problems(inline)]
    return found


@lru_cache(maxsize=8192)
def text_problems(markdown: str) -> tuple[tuple[int, str, str], ...]:
    """The refused links and attributes of one translated text, parsed as the build parses it
    (inline, in place of its source segment). Cached: a text comes back in every build."""
    if not any(mark in markdown for mark in _MARKUP_CHARACTERS):
        return ()
    found = []
    for inline, _stack in walk_inline(shared_parser().parseInline(markdown, {})):
        found += inline_problems(inline)
        for child in inline.children or ():
            lang = child.attrGet("lang")
            if lang is not None and not LANG_PATTERN.match(str(lang)):
                found.append((0, "lang.invalid",
                              f"'{shown(str(lang), 30)}' is not a language code; write e.g. {{lang=en}}"))
    return tuple(found)


def cached_text_problems(markdown: str, parsed: Parsed | None = None) -> tuple[tuple[int, str, str], ...]:
    """:func:`text_problems`, kept in ``parsed`` (the parse cache) for the next build."""
    if parsed is None or not any(mark in markdown for mark in _MARKUP_CHARACTERS):
        return text_problems(markdown)
    return parsed.get("text problems", markdown, partial(text_problems, markdown))


def check_catalog_markup(catalog: Catalog | None, msgids: Iterable[str],
                         parsed: Parsed | None = None) -> list[Diagnostic]:
    """The refused links and attributes in the finished translations of ``msgids``, at their .po entries."""
    if catalog is None:
        return []
    found = []
    for _msgid, translated, line in catalog.finished(msgids):
        found += [error(catalog.path, line, code, message)
                  for _breaks, code, message in cached_text_problems(translated, parsed)]
    return found
