"""HTML render rules for the leafpress figures, tables, links and citations.

Rules read what they need from ``env``: ``citation_html`` (one HTML string per
citation, in document order). The ``:::`` boxes render through their kinds
(blocks.py), with ``labels`` (localized block labels) and ``helplines`` (id ->
Helpline, translated).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from leafpress.markdown.blocks import helpline_list, spoken_elsewhere  # noqa: F401  (the help lines' HTML, with their block kind)
from leafpress.markdown.figures import is_decorative
from leafpress.markdown.placeholders import TOKEN as PLACEHOLDER
from leafpress.source.urls import link_problem


def _figure_open(self, tokens, idx, options, env) -> str:
    return f"<figure{self.renderAttrs(tokens[idx])}>\n"


def _figure_close(self, tokens, idx, options, env) -> str:
    return "</figure>\n" if tokens[idx - 1].type == "figcaption_close" else "\n</figure>\n"


def _figcaption_open(self, tokens, idx, options, env) -> str:
    return f"\n<figcaption{self.renderAttrs(tokens[idx])}>"


def _figcaption_close(self, tokens, idx, options, env) -> str:
    return "</figcaption>\n"


def _image(self, tokens, idx, options, env) -> str:
    """<img> with its alt text; the title is shown as the caption instead.

    Render rules must not change tokens: a localized article is rendered
    more than once (leaflet and booklet chapter) from the same tokens.
    """
    image = tokens[idx]
    attrs = {k: v for k, v in image.attrs.items() if k != "title"}
    if is_decorative(image):
        attrs.update(alt="", role="presentation")
    else:
        attrs["alt"] = self.renderInlineAsText(image.children or [], options, env)
    rendered = "".join(f' {name}="{escape(str(value))}"' for name, value in attrs.items())
    return f"<img{rendered} />"


# WeasyPrint 70 lays out "0800-0113" in a right-to-left line as "0113-0800"
# (its bidi pass splits the number at the hyphen); isolating it fixes that.
JOINED_NUMBER = re.compile(r"\d+(?:[-\u2013./]\d+)+")


def isolate_numbers(html_text: str) -> str:
    return JOINED_NUMBER.sub(lambda m: f"<bdi>{m.group(0)}</bdi>", html_text)


def _text(self, tokens, idx, options, env) -> str:
    text = escape(tokens[idx].content, quote=False)
    return isolate_numbers(text) if env.get("dir") == "rtl" else text


def cell_tag(tokens: Sequence[Token], idx: int) -> tuple[str, str | None]:
    """The tag and ``scope`` of the table cell opened at ``idx``.

    The header row's cells are column headers. In a table of two or more
    columns the first column holds the rows' labels (a comparison table:
    "| Works on | glutamate | serotonin |"), so each body row's first cell
    is a row header. An empty cell is never a header: the empty top-left
    corner above the labels (``| | Ketamine | MDMA |``) is a plain cell.
    """
    labelled = tokens[idx - 1].type == "tr_open" and tokens[idx + 3].type in ("th_open", "td_open")
    if labelled and not tokens[idx + 1].content.strip():
        return "td", None
    if tokens[idx].type == "th_open":
        return "th", "col"
    return ("th", "row") if labelled else ("td", None)


def _cell_open(self, tokens, idx, options, env) -> str:
    tag, scope = cell_tag(tokens, idx)
    attrs = {**tokens[idx].attrs, **({"scope": scope} if scope else {})}
    return f"<{tag}{self.renderAttrs(tokens[idx].copy(attrs=attrs))}>"


def _cell_close(self, tokens, idx, options, env) -> str:
    tag, _scope = cell_tag(tokens, idx - 2)  # a cell is open, inline, close
    return f"</{tag}>\n"


def _citation(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    rendered = env.get("citation_html")
    if rendered is None or "index" not in token.meta:
        return f'<span class="citation">{escape(token.content)}</span>'
    html_text = rendered[token.meta["index"]]
    if env.get("dir") == "rtl":
        return isolate_citation(html_text)
    return f'<span class="citation">{html_text}</span>'


# A Latin citation in a right-to-left line, broken over two lines, comes out of
# WeasyPrint 70 with its second half at the wrong end of the next line
# ("(European Medicines" ... "Agency, 2019)" read last). Each cited work is
# kept on one line, in its own direction; lines still break between works.
TAG = re.compile(r"(<[^>]*>)")
SPACE_IN_WORK = re.compile(r"(?<!;) ")


def isolate_citation(html_text: str) -> str:
    """The citation as one unit in a right-to-left text: its own direction, no break inside a work."""
    parts = TAG.split(html_text)
    kept = "".join(part if part.startswith("<") else SPACE_IN_WORK.sub("\u00a0", part) for part in parts)
    direction = citation_direction(text_of(html_text))
    return f'<span class="citation" dir="{direction}">{kept}</span>'


SECTION_LEVELS = ("h2", "h3")


def section_ids(tokens: Sequence[Token], article_id: str) -> dict[int, str]:
    """The id of each section heading of an article body, by token index.

    The n-th ``##`` heading is ``<article>-section-<n>``, the m-th ``###``
    under it ``<article>-section-<n>-<m>``: the same in every language (a
    translation has the same headings), so links and a table of contents
    agree across builds. A heading given an id in the source keeps it.
    """
    ids: dict[int, str] = {}
    major = minor = 0
    for idx, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in SECTION_LEVELS:
            continue
        if token.tag == "h2":
            major, minor = major + 1, 0
            number = f"{major}"
        else:
            minor += 1
            number = f"{major}-{minor}"
        ids[idx] = str(token.attrGet("id") or f"{article_id}-section-{number}")
    return ids


def heading_text(inline: Token, placeholders: Mapping[str, str] | None = None) -> str:
    """The plain words of a heading (for a table of contents); a ``{{name}}`` placeholder
    is its value in ``placeholders`` (site.yaml's organisation)."""
    parts = []
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == PLACEHOLDER:
            parts.append((placeholders or {}).get(child.content, child.markup))
    return " ".join("".join(parts).split())


def _heading_open(self, tokens, idx, options, env) -> str:
    """``<h2 id>``: a section heading with the id :func:`section_ids` gives it (tokens stay as they are)."""
    token = tokens[idx]
    article_id = env.get("article_id")
    if not article_id or token.tag not in SECTION_LEVELS or token.attrGet("id"):
        return self.renderToken(tokens, idx, options, env)
    ident = section_ids(tokens, article_id)[idx]
    return f'<{token.tag}{self.renderAttrs(token)} id="{escape(ident)}">'


def text_of(html_text: str) -> str:
    """The text of an HTML fragment, its tags left out (entities stay as they are)."""
    return "".join(part for part in TAG.split(html_text) if not part.startswith("<"))


def text_direction(html_text: str) -> str:
    """"ltr" or "rtl" from the first letter that has a direction, as ``dir="auto"`` would
    (WeasyPrint knows no ``auto``); "ltr" when no letter has one. For a reference-list
    entry: a Latin reference stays one left-to-right line of text in an Arabic leaflet."""
    for char in text_of(str(html_text)):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def citation_direction(text: str) -> str:
    """"ltr" for a citation in Latin letters only; "rtl" as soon as it holds right-to-left
    letters ("Popova وآخرون, 2019" reads right to left, the name as one word in it)."""
    kinds = {unicodedata.bidirectional(char) for char in text}
    return "rtl" if kinds & {"R", "AL"} or "L" not in kinds else "ltr"


def _link_open(self, tokens, idx, options, env) -> str:
    """``<a href>``, without the href when its address is not one a leaflet may link to.

    The load refuses such a link (markup_checks.py); this keeps one out of a document
    even if a check were skipped.
    """
    token = tokens[idx]
    if link_problem(str(token.attrGet("href") or ""), fragment=True) is None:
        return self.renderToken(tokens, idx, options, env)
    safe = token.copy(attrs={k: v for k, v in token.attrs.items() if k != "href"})
    return self.renderToken([*tokens[:idx], safe, *tokens[idx + 1:]], idx, options, env)


def install_render_rules(md: MarkdownIt) -> None:
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("figure_open", _figure_open)
    md.add_render_rule("figure_close", _figure_close)
    md.add_render_rule("figcaption_open", _figcaption_open)
    md.add_render_rule("figcaption_close", _figcaption_close)
    md.add_render_rule("image", _image)
    for cell in ("th", "td"):
        md.add_render_rule(f"{cell}_open", _cell_open)
        md.add_render_rule(f"{cell}_close", _cell_close)
    md.add_render_rule("text", _text)
    md.add_render_rule("citation", _citation)
    md.add_render_rule("heading_open", _heading_open)
