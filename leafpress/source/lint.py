"""Source lint: accessibility problems an editor can fix in the Markdown, found before rendering.

Each finding is a warning (code ``lint.*``) at the file and line of the
source; ``--strict`` turns the build down on them. What is checked:

- ``lint.heading-h1``: a ``#`` heading in the body (the title is the only level 1);
- ``lint.heading-skip``: a heading more than one level below the one before
  it, counting the title as level 1 (so the body starts at ``##``);
- ``lint.link-text``: link text that does not say where the link goes
  ("klik hier", "lees meer", "click here", ...);
- ``lint.link-url``: link text that is a bare web address or repeats the link target;
- ``lint.link-empty``: a link with no text at all;
- ``lint.table-header``: a table whose header row is empty;
- ``lint.contrast`` / ``lint.theme-colour``: theme colours below WCAG 4.5:1
  (see :mod:`leafpress.source.contrast`).

Images without alt text are errors in :mod:`leafpress.source.checks`, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from markdown_it.token import Token

from leafpress.diagnostics import Diagnostic, warning
from leafpress.markdown.segments import inline_line, walk_inline
from leafpress.source.contrast import theme_diagnostics
from leafpress.source.project import Article

# Compared after lower-casing, collapsing spaces and dropping surrounding punctuation.
VAGUE_LINK_TEXT = frozenset({
    "klik hier", "hier", "lees meer", "meer", "link", "deze link",
    "click here", "here", "read more", "more",
})
URL_TEXT = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$", re.IGNORECASE)
EDGE_PUNCTUATION = " \t\n.,:;!?…'\"‘’“”()[]«»-–—>"


# --- headings --------------------------------------------------------------------------

def _heading_text(tokens: Sequence[Token], index: int) -> str:
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following.content.strip() if following is not None and following.type == "inline" else ""


def lint_headings(article: Article, tokens: Sequence[Token]) -> list[Diagnostic]:
    found = []
    previous = 1  # the title, rendered as <h1> by the template
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1:])
        line = (token.map[0] if token.map else 0) + article.body_line
        text = _heading_text(tokens, index)
        if level == 1:
            found.append(warning(article.path, line, "lint.heading-h1",
                                 f"heading '# {text}' is at the level of the article title; "
                                 "sections start at '## '"))
        elif level > previous + 1:
            wanted = "#" * (previous + 1)
            after = "the article title" if previous == 1 else f"a level-{previous} heading"
            found.append(warning(article.path, line, "lint.heading-skip",
                                 f"heading '{'#' * level} {text}' skips a level after {after}; "
                                 f"make it '{wanted} ' (a screen reader lists headings by level)"))
        previous = level
    return found


# --- links ---------------------------------------------------------------------------

def _normalized(text: str) -> str:
    return " ".join(text.lower().split()).strip(EDGE_PUNCTUATION)


def _bare(address: str) -> str:
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", address.strip().lower()).removeprefix("www.").rstrip("/")


def _links(children: Sequence[Token]) -> Iterator[tuple[Token, str, bool, int]]:
    """Each link: its opening token, its text, whether it holds an image, and the softbreaks before it."""
    breaks = 0
    index = 0
    while index < len(children):
        child = children[index]
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
        if child.type != "link_open":
            index += 1
            continue
        depth, text, image, inner = 1, [], False, index + 1
        while inner < len(children) and depth:
            part = children[inner]
            depth += 1 if part.type == "link_open" else -1 if part.type == "link_close" else 0
            if part.type in ("text", "code_inline"):
                text.append(part.content)
            elif part.type in ("softbreak", "hardbreak"):
                text.append(" ")
            elif part.type == "image":
                image = True
            inner += 1
        yield child, "".join(text), image, breaks
        breaks += sum(1 for part in children[index + 1:inner] if part.type in ("softbreak", "hardbreak"))
        index = inner


def _link_finding(path: Path, line: int, text: str, href: str, image: bool) -> Diagnostic | None:
    shown = " ".join(text.split())
    if not shown:
        if image:
            return None  # a linked image: its alt text names the link, checked in checks.py
        return warning(path, line, "lint.link-empty",
                       f"link to '{href}' has no text; write where it goes: [Drugs Infolijn]({href})")
    if _normalized(text) in VAGUE_LINK_TEXT:
        return warning(path, line, "lint.link-text",
                       f"link text '{shown}' does not say where the link goes; name the destination, "
                       f"e.g. [the website of the Drugs Infolijn]({href})")
    if URL_TEXT.match(shown) or shown == href or (_bare(shown) == _bare(href) and "." in shown):
        return warning(path, line, "lint.link-url",
                       f"link text '{shown}' is a web address; a screen reader spells it out. "
                       "Name the destination in words, e.g. [Drugs Infolijn](https://www.drugsinfolijn.nl)")
    return None


def lint_links(article: Article, tokens: Sequence[Token]) -> list[Diagnostic]:
    found = []
    for inline, stack in walk_inline(tokens):
        first = inline_line(inline, stack, article.body_line)
        for link, text, image, breaks in _links(inline.children or ()):
            finding = _link_finding(article.path, first + breaks, text, str(link.attrGet("href") or ""), image)
            if finding is not None:
                found.append(finding)
    return found


# --- tables --------------------------------------------------------------------------

def _header_cells(tokens: Sequence[Token], start: int) -> list[str]:
    cells = []
    for token in tokens[start + 1:]:
        if token.type in ("thead_close", "table_close"):
            break
        if token.type == "inline":
            cells.append(token.content.strip())
    return cells


def lint_tables(article: Article, tokens: Sequence[Token]) -> list[Diagnostic]:
    found = []
    for index, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        if not any(_header_cells(tokens, index)):
            line = (token.map[0] if token.map else 0) + article.body_line
            found.append(warning(article.path, line, "lint.table-header",
                                 "this table has no header row (its first row is empty); write the column "
                                 "names in the first row so a screen reader can announce them"))
    return found


# --- entry points ----------------------------------------------------------------------

def lint_article(article: Article, tokens: Sequence[Token]) -> list[Diagnostic]:
    """Accessibility warnings for one article's Dutch source (tokens from :func:`leafpress.markdown.dialect.parse`)."""
    return lint_headings(article, tokens) + lint_links(article, tokens) + lint_tables(article, tokens)


def lint_theme(templates_dir: Path) -> list[Diagnostic]:
    """Contrast warnings for the theme colours in ``templates_dir/theme.css``."""
    return theme_diagnostics(templates_dir / "theme.css")
