"""Checks of an article against the project: blocks, help lines, citations, images, languages.

Each kind of box brings its own checks (blocks.py); this finds the boxes and the kinds no one knows.

Every problem is a Diagnostic with the file and line of the source, so an
editor can go straight to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from leafpress.diagnostics import Diagnostic, error
from leafpress.markdown.blocks import Box, check_box, container_kind, named_twice, registry, unknown_helplines
from leafpress.markdown.dialect import shared_parser
from leafpress.markdown.figures import image_problem, is_decorative
from leafpress.markdown.segments import inline_line, walk_inline
from leafpress.source.frontmatter import LANG_PATTERN
from leafpress.source.project import Article
from leafpress.source.urls import local_file


@dataclass(frozen=True)
class Known:
    """What articles may refer to."""

    articles: frozenset[str]
    helplines: frozenset[str]
    citation_keys: frozenset[str] | None  # None: the bibliography could not be read
    content: Path


def _is_closer(line: str, markup: str) -> bool:
    """Whether a source line is a ':::' line that closes a box opened with ``markup``."""
    text = line.strip()
    return len(text) >= len(markup) and set(text) == {markup[0]}


def unclosed_boxes(tokens: Sequence[Token], body: str) -> list[Token]:
    """The openers of the ``:::`` boxes that are never closed, in document order.

    The parser ends a box at the first ':::' line after it, or else at the end of the
    text (or of the box around it), without a word. So a box is unclosed when what ends
    it is not a ':::' line (it ran to the end of the text), or when it ends where the box
    around it ends: then, if its marker is the shorter (``:::`` in ``::::``), it ran to
    the end of that box; if not, it took the ':::' line of the box around it, which is
    the one left open (a warning without its ':::', followed by a myth).
    """
    lines = re.split(r"\r\n?|\n", body)  # as markdown-it counts lines
    found: dict[int, Token] = {}
    around: list[Token] = []
    for token in tokens:
        if token.type == "container_block_close" and around:
            around.pop()
        if token.type != "container_block_open" or not token.map:
            continue
        parent = around[-1] if around else None
        around.append(token)
        end = token.map[1]
        if end >= len(lines) or not _is_closer(lines[end], token.markup):
            found[id(token)] = token
        elif parent is not None and parent.map and end == parent.map[1]:
            culprit = token if len(token.markup) < len(parent.markup) else parent
            found[id(culprit)] = culprit
    return sorted(found.values(), key=_first_line)


def _first_line(token: Token) -> int:
    return token.map[0] if token.map else 0


def check_blocks(article: Article, tokens: Sequence[Token], known: Known) -> list[Diagnostic]:
    path = article.path
    unclosed = unclosed_boxes(tokens, article.body)
    if unclosed:  # the boxes after it are out of step: their errors would only confuse
        return [error(path, _first_line(token) + article.body_line, "block.unclosed",
                      f"box '{token.markup} {container_kind(token)}' opened here is never closed; "
                      f"add a line '{token.markup}' after its text") for token in unclosed]
    found = []
    for idx, token in enumerate(tokens):
        if token.type != "container_block_open":
            continue
        kind = container_kind(token)
        if registry().get(kind) is None:
            line = (token.map[0] if token.map else 0) + article.body_line
            found.append(error(path, line, "block.unknown",
                               f"unknown block kind '{kind}'; use one of: {', '.join(registry().names)}"))
            continue
        found += check_box(Box(tokens, idx, path, article.body_line, known.helplines))
    return found


def check_inline(article: Article, tokens: Sequence[Token], known: Known) -> list[Diagnostic]:
    found = []
    path = article.path
    media_base = known.content
    for inline, stack in walk_inline(tokens):
        line = inline_line(inline, stack, article.body_line)
        for child in inline.children or ():
            if child.type == "image":
                found += _check_image(child, path, line, media_base)
            elif child.type == "citation" and known.citation_keys is not None:
                for item in child.meta["citation"].items:
                    if item.key not in known.citation_keys:
                        found.append(error(path, line, "cite.unknown",
                                           f"unknown citation key '{item.key}'; add it to content/references.yaml "
                                           "or correct the key"))
            elif child.attrGet("lang") is not None:
                lang = str(child.attrGet("lang"))
                if not LANG_PATTERN.match(lang):
                    found.append(error(path, line, "lang.invalid",
                                       f"'{lang}' is not a language code; write e.g. {{lang=en}}"))
    return found


def _check_image(image: Token, path: Path, line: int, content: Path) -> list[Diagnostic]:
    src = str(image.attrGet("src") or "")
    alt = "".join(c.content for c in image.children or ()).strip()
    found = []
    if not alt and not is_decorative(image):
        found.append(error(path, line, "figure.alt",
                           f"image '{src}' has no alt text; describe it: ![what the image shows]({src}), "
                           "or mark a purely decorative image with {.decorative}"))
    target = local_file(src, content, (content,))
    if target is None:
        found.append(error(path, line, "figure.src",
                           f"image '{src}' must be a file under content/ (e.g. media/figure.png); "
                           "leafpress never loads images from the network or outside the project"))
    elif not target.is_file():
        found.append(error(path, line, "figure.missing",
                           f"image file '{src}' not found; put it in content/media/"))
    elif (problem := image_problem(target)) is not None:
        found.append(error(path, line, "figure.load", f"image '{src}' does not load: it {problem}"))
    return found


def check_meta(article: Article, known: Known) -> list[Diagnostic]:
    meta = article.meta
    line = meta.lines.get("helplines")
    found = unknown_helplines(meta.helplines, known.helplines, article.path, line)
    found += named_twice(meta.helplines, {}, article.path, line, "in 'helplines:'", "list each help line once")
    for related in meta.related:
        if related not in known.articles:
            found.append(error(article.path, meta.lines.get("related"), "meta.related",
                               f"related article '{related}' does not exist in content/articles/"))
    return found


#: the longest word a leaflet's line holds: some 60 letters fill an A5 column (a word
#: that does not fit is clipped at the page edge, not broken; Pango lays out a
#: 1 MB word as nothing at all)
MAX_WORD = 60
#: lists, quotes and boxes inside one another; markdown-it silently drops what lies
#: deeper than its ``maxNesting`` (20 levels, about 9 nested lists), so the check
#: stops well before that
MAX_DEPTH = 6
_CONTAINERS = frozenset({"bullet_list_open", "ordered_list_open", "blockquote_open", "container_block_open"})
#: where a line may break inside what is not a space: soft hyphen, zero-width space,
#: hyphens, dashes, slash; and scripts written without spaces (Thai, Lao, Myanmar,
#: Khmer, CJK), which break between letters
_BREAK = re.compile(r"[\s\u00ad\u200b\-\u2010\u2013\u2014/\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
                    r"\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def check_limits(article: Article, tokens: Sequence[Token]) -> list[Diagnostic]:
    """Text the layout would clip (a word longer than a line) and Markdown the parser
    would drop (blocks nested too deeply), each at its line; one error of each kind
    per article, at the first place."""
    max_nesting = shared_parser().options["maxNesting"]
    found = []
    for token, stack in walk_inline(tokens):
        word = max((w for child in token.children or () if child.type == "text"
                    for w in _BREAK.split(child.content)), key=len, default="")
        if len(word) > MAX_WORD:
            at = token.content.find(word)
            line = inline_line(token, stack, article.body_line) + (token.content.count("\n", 0, at) if at > 0 else 0)
            shown = word[:20] + "…" if len(word) > 20 else word
            found.append(error(article.path, line, "text.long-word",
                               f"a word of {len(word)} characters ('{shown}') does not fit a line of the leaflet "
                               f"and would be cut off (at most {MAX_WORD}); add spaces, or soft hyphens (&shy;) "
                               "where it may break"))
            break
    depth = 0
    for token in tokens:
        if token.type in _CONTAINERS:
            depth += 1
        elif token.nesting == -1 and token.type.replace("_close", "_open") in _CONTAINERS:
            depth -= 1
        if depth > MAX_DEPTH or token.level >= max_nesting - 1:
            line = (token.map[0] if token.map else 0) + article.body_line
            found.append(error(article.path, line, "block.depth",
                               f"lists, quotes and boxes are nested more than {MAX_DEPTH} deep from here; "
                               "what lies deeper would be left out of the leaflet without a word: "
                               "flatten the list (or split it into several)"))
            break
    return found


def check_article(article: Article, tokens: Sequence[Token], known: Known) -> list[Diagnostic]:
    return (check_meta(article, known) + check_blocks(article, tokens, known) + check_inline(article, tokens, known)
            + check_limits(article, tokens))
