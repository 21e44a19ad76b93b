"""Figures: a paragraph that holds one image is a figure, and the image's title its caption.

A core rule runs after the block parse, before translation and inline parsing,
and turns::

    paragraph_open   inline '![alt](media/x.png "Caption")'   paragraph_close

into::

    figure_open   inline '![alt](media/x.png "Caption")'
                  figcaption_open   inline 'Caption'   figcaption_close
    figure_close

so that a caption is inline Markdown like any other text: its citations are
numbered, checked and listed, and it is translated as a message of its own.
Of the image's Markdown only its description (the alt text) is a message
(``segments.PART``). A decorative image (``{.decorative}``) is no figure, has
no caption and no message.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .segments import PART


def is_decorative(image: Token) -> bool:
    return "decorative" in str(image.attrGet("class") or "").split()


def lone_image(children: list[Token]) -> Token | None:
    """The image of inline content that holds nothing else, if any."""
    shown = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(shown) == 1 and shown[0].type == "image":
        return shown[0]
    return None


def parsed_image(state: StateCore, content: str) -> tuple[Token, tuple[int, int]] | None:
    """The image that ``content`` consists of, parsed as the inline rule will parse it,
    and where its description (the alt text) is in ``content``."""
    start = content.find("![")
    if start < 0 or content[:start].strip():
        return None  # nearly every paragraph: nothing to parse for
    children: list[Token] = []
    state.md.inline.parse(content, state.md, state.env, children)
    image = lone_image(children)
    if image is None:
        return None
    end = state.md.helpers.parseLinkLabel(StateInline(content, state.md, state.env, []), start + 1, False)
    return image, (start + 2, end)


def split_figures(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        opener, inline, closer = tokens[index:index + 3]
        found = (parsed_image(state, inline.content)
                 if opener.type == "paragraph_open" and inline.type == "inline" else None)
        if found is None:
            index += 1
            continue
        image, alt = found
        if is_decorative(image):
            inline.meta[PART] = (0, 0)  # nothing to translate: no message
            index += 3
            continue
        inline.meta[PART] = alt
        figure = _block(opener, "figure_open", "figure", 1)
        parts = [figure, inline]
        caption = str(image.attrGet("title") or "").strip()
        if caption:
            text = Token("inline", "", 0, content=caption, map=opener.map, level=inline.level + 1, children=[])
            parts += [_block(opener, "figcaption_open", "figcaption", 1, 1), text,
                      _block(opener, "figcaption_close", "figcaption", -1, 1)]
        parts.append(_block(closer, "figure_close", "figure", -1))
        tokens[index:index + 3] = parts
        index += len(parts)


def _block(like: Token, kind: str, tag: str, nesting: int, deeper: int = 0) -> Token:
    return Token(kind, tag, nesting, map=like.map, level=like.level + deeper, block=True)


def image_language(state: StateCore) -> None:
    """After inline parsing: an image description left in the source language (a draft)
    gives its image that language (the translate rule marked the inline token)."""
    for token in state.tokens:
        lang = token.attrGet("lang") if token.type == "inline" and PART in token.meta else None
        if lang is not None:
            image = lone_image(token.children or [])
            if image is not None:
                image.attrSet("lang", lang)
