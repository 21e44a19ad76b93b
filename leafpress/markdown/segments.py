"""Translation segments: one block of raw Markdown each, with its line and kind.

A segment is what a translator sees as one msgid: a paragraph, a heading, a
list item, a table cell, a front-matter title. Inline markup and citation
keys travel with the text. The same walk over the token stream serves the
Babel extractor and the build, so both agree on what a segment is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from leafpress.markdown.blocks import registry


@dataclass(frozen=True)
class Segment:
    text: str
    line: int  # 1-based line in the source file
    kind: str  # heading, paragraph, list item, table cell, myth, fact, ... (a box's: blocks.py)


#: ``token.meta`` key of an inline token of which only a part is a message: (start, end) in its content
#: (a figure's image: its description; a decorative image: nothing)
PART = "translatable part"


def segment_text(token: Token) -> str:
    """What a translator sees of an inline token: its Markdown, or the part of it that is a message."""
    part = token.meta.get(PART)
    return normalize(token.content if part is None else token.content[part[0]:part[1]])


def set_translation(token: Token, translated: str) -> None:
    """Put a translation in the place of the message's text in the token."""
    part = token.meta.get(PART)
    if part is None:
        token.content = translated
    else:
        start, end = part
        text = UNESCAPED_BRACKET.sub(r"\\\1", translated)
        token.content = token.content[:start] + text + token.content[end:]
        token.meta[PART] = (start, start + len(text))


#: a bracket in an image description would end it (or open a link) in the Markdown it goes back into
UNESCAPED_BRACKET = re.compile(r"(?<!\\)([\[\]])")


def normalize(content: str) -> str:
    """Join soft line breaks so re-wrapping a Dutch paragraph changes nothing.

    Hard breaks (two trailing spaces or a backslash) are kept.
    """
    lines = content.strip().split("\n")
    joined = lines[0]
    for previous, line in zip(lines, lines[1:]):
        hard = previous.endswith("  ") or previous.endswith("\\")
        joined = (joined + "\n" if hard else joined.rstrip() + " ") + line.strip()
    return joined


def inline_helplines(tokens: Iterable[Token]) -> tuple[str, ...]:
    """Every help line named by a ``::: helpline`` box of a body, in document order."""
    return registry().helplines_named(tokens)


def describe(stack: Sequence[Token]) -> str:
    """Name what an inline token is, from the open tokens around it."""
    kind = "paragraph"
    for token in stack:
        if token.type == "heading_open":
            kind = f"heading {token.tag}"
        elif token.type == "list_item_open":
            kind = "list item"
        elif token.type == "th_open":
            kind = "table header cell"
        elif token.type == "td_open":
            kind = "table cell"
        elif token.type == "figure_open":
            kind = "image description"
        elif token.type == "figcaption_open":
            kind = "caption"
    for token in reversed(stack):
        if token.type == "container_block_open":
            block = registry().block_of(token).message_kind
            if block:
                return f"{block} ({kind})" if kind != "paragraph" else block
    return kind


def walk_inline(tokens: Iterable[Token]) -> Iterable[tuple[Token, tuple[Token, ...]]]:
    """Yield every inline token with the stack of block tokens that enclose it."""
    stack: list[Token] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token)
        elif token.nesting == -1 and stack:
            stack.pop()
        elif token.type == "inline":
            yield token, tuple(stack)


def inline_line(token: Token, stack: Sequence[Token], first_line: int) -> int:
    for candidate in (token, *reversed(stack)):
        if candidate.map:
            return candidate.map[0] + first_line
    return first_line


def body_segments(tokens: Sequence[Token], first_line: int) -> list[Segment]:
    """Segments of a parsed body; ``first_line`` is the file line of the body's line 0."""
    segments = []
    for token, stack in walk_inline(tokens):
        text = segment_text(token)
        if text:
            segments.append(Segment(text, inline_line(token, stack, first_line), describe(stack)))
    return segments
