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
A decorative image (``{.decorative}``) is no figure and has no caption.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def is_decorative(image: Token) -> bool:
    return "decorative" in str(image.attrGet("class") or "").split()


def lone_image(children: list[Token]) -> Token | None:
    """The image of inline content that holds nothing else, if any."""
    shown = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(shown) == 1 and shown[0].type == "image":
        return shown[0]
    return None


def parsed_image(state: StateCore, content: str) -> Token | None:
    """The image that ``content`` consists of, parsed as the inline rule will parse it."""
    if not content.lstrip().startswith("!["):
        return None  # nearly every paragraph: nothing to parse for
    children: list[Token] = []
    state.md.inline.parse(content, state.md, state.env, children)
    return lone_image(children)


def split_figures(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        opener, inline, closer = tokens[index:index + 3]
        image = (parsed_image(state, inline.content)
                 if opener.type == "paragraph_open" and inline.type == "inline" else None)
        if image is None or is_decorative(image):
            index += 1
            continue
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
