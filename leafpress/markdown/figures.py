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

:func:`image_problem` says why an image file would not load, before anything
is rendered: WeasyPrint logs a failed image with an empty reason and lays the
page out without it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Literal
from xml.parsers import expat

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from leafpress.markdown.segments import PART


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


def _block(like: Token, kind: str, tag: str, nesting: Literal[-1, 0, 1], deeper: int = 0) -> Token:
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


#: what a leaflet may show: 5 times the pixels of a whole A4 page at 300 ppi (2480 × 3508);
#: a larger image is a mistake or a decompression bomb (a few kB that unpack to gigabytes)
MAX_PIXELS = 5 * 2480 * 3508
#: the raster formats WeasyPrint embeds as they are; Pillow could open more, some through
#: outside programs (EPS through Ghostscript), so nothing else is opened at all
RASTER_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
SVG_MAX_BYTES = 5_000_000


def image_problem(path: Path) -> str | None:
    """Why the image file at ``path`` would not load, or None when it loads.

    An SVG (by name, or by content starting with ``<``) is parsed by expat with
    any DOCTYPE refused, so no entity (external or billion-laughs) is ever
    defined, and with no link to another file (WeasyPrint's fetcher refuses them
    and drops the whole drawing); any other file must be a PNG, JPEG, GIF or
    WebP that Pillow decodes whole within :data:`MAX_PIXELS`.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
            if path.suffix.lower() == ".svg" or head.lstrip().startswith(b"<"):
                return _svg_problem(head + stream.read(SVG_MAX_BYTES + 1 - len(head)))
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return _raster_problem(path)


class _Refused(Exception):
    """An SVG construct that is never loaded."""


def _refuse_doctype(*_args: object) -> None:
    raise _Refused("has a <!DOCTYPE …> declaration, which can define entities that read other files; "
                   "remove the DOCTYPE (an SVG needs none) and any &entity; it defines")


def _svg_problem(data: bytes) -> str | None:
    if len(data) > SVG_MAX_BYTES:
        return f"is an SVG of more than {SVG_MAX_BYTES // 1_000_000} MB; simplify it or use a PNG"
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    roots: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        roots.append(name)
        link = next((v for k, v in attrs.items() if k.rpartition(" ")[2] == "href"), None)
        if link is not None and not link.startswith(("#", "data:")) and name.rpartition(" ")[2] != "a":
            raise _Refused(f"loads another file ('{link[:60]}', line {parser.CurrentLineNumber}); "
                           "an SVG in a leaflet must hold all it shows: embed the picture, or place it "
                           "beside the SVG in the article")

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return f"is an SVG that {refused}"
    except expat.ExpatError as exc:
        return f"is not a well-formed SVG (line {exc.lineno}: {expat.ErrorString(exc.code)})"
    if not roots or roots[0].rpartition(" ")[2] != "svg":
        return "is neither a PNG, JPEG, GIF or WebP picture nor an SVG drawing"
    return None


def _raster_problem(path: Path) -> str | None:
    from PIL import ImageFile

    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is
    # imported (and then prints a cut-off picture); here a cut-off file is found
    tolerated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        return _decode_problem(path)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerated


def _decode_problem(path: Path) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # judged below, by our limit
            with Image.open(path, formats=RASTER_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (f"is {width}×{height} pixels, more than a leaflet can use "
                            f"({MAX_PIXELS // 1_000_000} million); scale it down")
                image.load()
    except Image.DecompressionBombError:
        return f"unpacks to more than {MAX_PIXELS // 1_000_000} million pixels (a decompression bomb); scale it down"
    except UnidentifiedImageError:
        return "is not a PNG, JPEG, GIF or WebP picture (or an SVG drawing); save it as PNG or JPEG"
    except (OSError, ValueError, SyntaxError) as exc:  # truncated, corrupt (Pillow raises all three)
        return f"is damaged and cannot be decoded ({exc}); export it again"
    return None
