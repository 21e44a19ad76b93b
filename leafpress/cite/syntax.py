"""Pandoc citation syntax as a markdown-it-py inline plugin.

Recognised forms (as in pandoc)::

    [@key]  [@key, p. 4]  [@key, pp. 4-6]  [see @a, p. 4; @b]  [-@key]
    @key            narrative: "Szigeti et al. (2021)"
    @key [p. 4]     narrative with a locator: "Szigeti et al. (2021, p. 4)"

A key starts with a letter, digit or ``_`` and may contain ``-:.`` between
word characters (``@{any key}`` takes anything but ``}``). A bare ``@`` only
starts a citation at the start of the text, after white space or after an
opening bracket, quote or emphasis mark, so ``info@clinic.nl`` and
``twitter.com/@x`` are left alone; write ``\\@`` for a literal ``@``.

A bracket followed by ``(``, ``[`` or ``{``, or one that names a link
reference definition, is left to the link and attribute-span rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from types import MappingProxyType

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token


@dataclass(frozen=True)
class CiteItem:
    key: str
    locator: str | None
    label: str | None  # a CSL locator term: "page", "chapter", ...
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Citation:
    items: tuple[CiteItem, ...]
    narrative: bool
    suppress_author: bool

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


_KEY = r"(?:\w(?:\w|[-:.](?=\w))*|\{[^{}]+\})"
_ITEM_RE = re.compile(r"(?P<prefix>.*?)(?:(?<=\s)|^)(?P<minus>-?)@(?P<key>" + _KEY + ")(?P<rest>.*)", re.S)
_BARE_RE = re.compile(r"@(?P<key>" + _KEY + ")")
_NUM = r"(?:\d+[a-z]?|[ivxlcdm]+|[IVXLCDM]+)(?!\w)"
_RANGE = _NUM + r"(?:\s*[-\u2013]\s*" + _NUM + ")?"
_VALUE = _RANGE + r"(?:\s*(?:,|&|and|en)\s*" + _RANGE + ")*"
_LOCATOR_RE = re.compile(r"\s*,?\s*(?:(?P<label>[^\W\d]+\.?|§§?|¶¶?)\s*)?"
                         r"(?P<value>" + _VALUE + r")(?P<suffix>.*)", re.S)

#: locator labels as written (lower case, without the full stop) -> CSL locator term
LOCATOR_LABELS: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys(("p", "pp", "pg", "pag", "page", "pages", "blz", "s", "ss", "str",
                      "с", "стор", "ص"), "page"),
    **dict.fromkeys(("ch", "chs", "chap", "chapter", "chapters", "hfst", "hoofdstuk"), "chapter"),
    **dict.fromkeys(("sec", "sect", "section", "sections", "§", "§§"), "section"),
    **dict.fromkeys(("para", "paras", "paragraph", "paragraphs", "¶", "¶¶", "alinea"), "paragraph"),
    **dict.fromkeys(("fig", "figs", "figure", "figures", "figuur"), "figure"),
    **dict.fromkeys(("tab", "table", "tables", "tabel"), "table"),
    **dict.fromkeys(("vol", "vols", "volume", "volumes"), "volume"),
    **dict.fromkeys(("n", "nn", "note", "notes", "noot"), "note"),
    **dict.fromkeys(("l", "ll", "line", "lines"), "line"),
})

#: characters after which a bare ``@`` may start a citation (besides white space)
_OPENERS = frozenset("([{*_~\"'\u201c\u2018\u201e\u00ab\u2039\u201a\u2013\u2014")


def _clean_key(raw: str) -> str:
    return raw[1:-1].strip() if raw.startswith("{") else raw


def parse_locator(rest: str) -> tuple[str | None, str | None, str]:
    """Split what follows a key into (locator, label, suffix), as pandoc does."""
    text = rest.rstrip()
    match = _LOCATOR_RE.fullmatch(text)
    if not match or not (text.lstrip().startswith(",") or match["label"]):
        return None, None, text
    label = match["label"]
    if label is None:
        if not match["value"][0].isdigit():
            return None, None, text
        return match["value"], "page", match["suffix"]
    term = LOCATOR_LABELS.get(label.rstrip(".").lower())
    if term is None:
        return None, None, text
    return match["value"], term, match["suffix"]


def _parse_item(part: str) -> tuple[CiteItem, bool] | None:
    match = _ITEM_RE.fullmatch(part.strip())
    if match is None:
        return None
    locator, label, suffix = parse_locator(match["rest"])
    item = CiteItem(_clean_key(match["key"]), locator, label, match["prefix"].strip(), suffix)
    return item, bool(match["minus"])


def parse_bracket(content: str) -> Citation | None:
    """The citation written inside ``[...]``, or None when it is not one."""
    parsed = [_parse_item(part) for part in content.split(";")]
    if not parsed or any(p is None for p in parsed):
        return None
    items = tuple(p[0] for p in parsed)  # type: ignore[index]
    suppress = all(p[1] for p in parsed)  # type: ignore[index]
    return Citation(items, narrative=False, suppress_author=suppress)


def _is_reference_label(state: StateInline, label: str) -> bool:
    references = state.env.get("references") or {}
    return normalizeReference(label) in references


def _bracket_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "[":
        return False
    end = state.md.helpers.parseLinkLabel(state, start, True)
    if end < 0:
        return False
    follower = state.src[end + 1:end + 2]
    if follower in ("(", "[", "{"):
        return False
    content = state.src[start + 1:end]
    if "@" not in content or _is_reference_label(state, content):
        return False
    citation = parse_bracket(content)
    if citation is None:
        return False
    if not silent:
        _push(state, state.src[start:end + 1], citation)
    state.pos = end + 1
    return True


def _narrative_locator(state: StateInline, pos: int) -> tuple[int, str | None, str | None]:
    """``@key [p. 4]``: the end of the bracket and its locator, if one follows."""
    src = state.src
    if src[pos:pos + 2] != " [":
        return pos, None, None
    end = src.find("]", pos + 2)
    if end < 0 or end >= state.posMax or src[end + 1:end + 2] in ("(", "[", "{"):
        return pos, None, None
    locator, label, suffix = parse_locator(", " + src[pos + 2:end])
    if locator is None or suffix.strip():
        return pos, None, None
    return end + 1, locator, label


def _bare_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "@":
        return False
    before = state.src[start - 1] if start > 0 else " "
    if not (before.isspace() or before in _OPENERS):
        return False
    match = _BARE_RE.match(state.src, start, state.posMax)
    if match is None:
        return False
    end, locator, label = _narrative_locator(state, match.end())
    if not silent:
        item = CiteItem(_clean_key(match["key"]), locator, label, "", "")
        _push(state, state.src[start:end], Citation((item,), narrative=True, suppress_author=False))
    state.pos = end
    return True


def _push(state: StateInline, source: str, citation: Citation) -> None:
    token = state.push("citation", "span", 0)
    token.content = source
    token.markup = source
    token.meta["citation"] = citation


def render_citation_source(self, tokens: list[Token], idx: int, options, env) -> str:
    """Default rendering: the source text in a span that names its keys."""
    token = tokens[idx]
    keys = " ".join(token.meta["citation"].keys)
    return (f'<span class="citation" data-cites="{escape(keys)}">'
            f"{escape(token.content, quote=False)}</span>")


def citations_plugin(md: MarkdownIt) -> None:
    """Add pandoc citations to a markdown-it parser (tokens of type 'citation')."""
    if hasattr(md.inline, "add_terminator_char"):
        md.inline.add_terminator_char("@")
    md.inline.ruler.before("link", "citation", _bracket_rule)
    md.inline.ruler.before("link", "citation_bare", _bare_rule)
    md.add_render_rule("citation", render_citation_source)


@lru_cache(maxsize=1)
def _key_parser() -> MarkdownIt:
    from mdit_py_plugins.attrs import attrs_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.use(attrs_plugin, spans=True).use(citations_plugin)


def find_citations(markdown_text: str) -> list[Citation]:
    """Every citation in a piece of Markdown, in order."""
    found: list[Citation] = []
    for token in _key_parser().parse(markdown_text, {}):
        for child in token.children or ():
            if child.type == "citation":
                found.append(child.meta["citation"])
    return found


def find_citation_keys(markdown_text: str) -> list[str]:
    """The citation keys of a piece of Markdown, in order, with repeats."""
    return [key for citation in find_citations(markdown_text) for key in citation.keys]
