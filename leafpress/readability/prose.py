"""The prose a reader reads, block by block: headings, paragraphs, list items and the texts
of boxes, with the source line of every sentence. Left out: citations, link targets and
URLs written as text, images, figure captions, tables and boxes that are not prose; a
placeholder reads as a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from leafpress.markdown.blocks import container_kind, registry
from leafpress.markdown.placeholders import TOKEN as PLACEHOLDER
from leafpress.markdown.segments import inline_line, walk_inline
from leafpress.readability.sentences import Sentence, split_sentences

#: what a reader reads for a placeholder ({{organisation}}): a name, one short word, never a difficult one
NAME_STAND_IN = "Naam"


@dataclass(frozen=True)
class Prose:
    """One block a reader reads: its kind (heading h2, paragraph, list item, box), line and sentences."""

    kind: str
    line: int
    text: str
    sentences: tuple[Sentence, ...]


def prose_kind(stack: Sequence[Token]) -> str | None:
    """What kind of prose the inline token inside ``stack`` is, or None when it is no prose."""
    kind = "paragraph"
    for token in stack:
        if token.type in ("table_open", "figure_open", "figcaption_open"):
            return None
        if token.type == "container_block_open" and not registry().block_of(token).reading.prose:
            return None
        if token.type == "heading_open":
            kind = f"heading {token.tag}"
        elif token.type == "list_item_open" and kind == "paragraph":
            kind = "list item"
    return kind


def _pieces(inline: Token, line: int) -> list[tuple[int, str]]:
    """The text a reader reads of an inline token, as (line, text) pieces: no citation,
    no image, no autolink's address."""
    pieces: list[tuple[int, str]] = []
    autolink = False
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            pieces.append((line, " "))
            line += 1
        elif child.type == "link_open":
            autolink = child.markup == "autolink"
        elif child.type == "link_close":
            autolink = False
        elif child.type == "citation":
            pieces.append((line, " "))
        elif child.type in ("text", "code_inline") and not autolink:
            pieces.append((line, child.content))
        elif child.type == PLACEHOLDER:
            pieces.append((line, NAME_STAND_IN))
    return pieces


def prose(tokens: Sequence[Token], first_line: int,
          lines: Sequence[int | None] | None = None) -> list[Prose]:
    """Every block of prose of a parsed body, in order, with its sentences and their lines.
    With ``lines`` (one per inline token, in order) a block is at that line, and left out
    where it is None (a translation's text that is not translated)."""
    blocks = []
    for index, (inline, stack) in enumerate(walk_inline(tokens)):
        kind = prose_kind(stack)
        if kind is None:
            continue
        boxes = [container_kind(t) for t in stack if t.type == "container_block_open"]
        if boxes and not kind.startswith("heading"):
            kind = f"{boxes[-1]} box ({kind})"
        line = inline_line(inline, stack, first_line) if lines is None else (
            lines[index] if index < len(lines) else None)
        if line is None:
            continue
        text, sentences = split_sentences(_pieces(inline, line))
        if sentences:
            blocks.append(Prose(kind, line, text, sentences))
    return blocks
