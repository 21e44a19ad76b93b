"""Placeholders: ``{{organisation}}`` in an article's text is the publisher's name from site.yaml.

An article that speaks for the publisher ("{{organisation}} biedt geen …") can be
adopted by another clinic by changing one line of site.yaml. The placeholder is an
inline token of its own, made before any other inline rule reads a ``{`` (so it
never becomes an attribute block, ``]{lang=en}``), and rendered from ``env`` in
every output that renders the body: the PDF leaflets and the EPUB booklets.

A translator keeps the placeholder as written: the translation checks compare the
placeholders of a msgid and its msgstr as they compare citation keys and links.
``\\{{`` writes two braces as text. The front matter is printed as written: a
placeholder in its title or summary is an error there (:func:`front_matter_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

#: token type of a placeholder; its ``content`` is the name between the braces
TOKEN = "placeholder"
#: ``env`` keys the renderer reads: name -> text, and the language the texts are written in
VALUES = "placeholder_values"
VALUES_LANG = "placeholder_lang"
#: the names an editor may write, and what each stands for (a field of site.yaml)
NAMES = {"organisation": "organisation"}

_PLACEHOLDER = re.compile(r"\{\{([^{}\n]{0,60})\}\}")


def written(name: str) -> str:
    """How a placeholder is written in the text: ``{{organisation}}``."""
    return "{{" + name + "}}"


def _rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = _PLACEHOLDER.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push(TOKEN, "", 0)
        token.content = match.group(1).strip()
        token.markup = match.group(0)
    state.pos = match.end()
    return True


def _render(self, tokens: list[Token], idx: int, options: Any, env: Mapping[str, Any]) -> str:
    token = tokens[idx]
    values = env.get(VALUES) or {}
    if token.content not in values:  # a parse without a site (the checks): show what was written
        return escape(token.markup, quote=False)
    text = escape(values[token.content], quote=False)
    lang = env.get(VALUES_LANG)
    if lang and env.get("lang") and env.get("lang") != lang:
        return f'<span lang="{escape(lang)}">{text}</span>'  # a Dutch name in an Arabic sentence
    return text


def placeholders_plugin(md: MarkdownIt) -> None:
    """``{{name}}`` as a placeholder token, read after backslash escapes and before code spans,
    links and attributes."""
    md.inline.ruler.after("escape", TOKEN, _rule)
    md.add_render_rule(TOKEN, _render)


def values(organisation: str) -> dict[str, str]:
    """Each placeholder name and its text: site.yaml's ``organisation``."""
    return {"organisation": organisation}


def render_env(organisation: str, lang: str) -> dict[str, Any]:
    """What the renderer needs in ``env``: site.yaml's values, written in ``lang`` (its source language)."""
    return {VALUES: values(organisation), VALUES_LANG: lang}


def names_in(children: Iterable[Token]) -> list[str]:
    """The placeholder names of an inline token's children, in order."""
    return [child.content for child in children if child.type == TOKEN]


def problem(name: str) -> str | None:
    """Why a placeholder name is refused, or None."""
    if name in NAMES:
        return None
    known = ", ".join(written(n) for n in NAMES)
    return (f"unknown placeholder '{written(name[:40])}'; write {known} (site.yaml's organisation), "
            "or \\{{ for two braces as text")


#: the front-matter texts a reader sees: printed as written, so a placeholder there would show as braces
FRONT_MATTER_TEXTS = ("title", "summary", "owner", "keywords")


def front_matter_problems(meta: Any) -> list[tuple[int | None, str]]:
    """(line, message) for each front-matter text that holds a placeholder: it is replaced only in the body."""
    found = []
    for field in FRONT_MATTER_TEXTS:
        value = getattr(meta, field, "")
        texts = value if isinstance(value, (list, tuple)) else (value,)
        if any(_PLACEHOLDER.search(str(text)) for text in texts):
            found.append((meta.lines.get(field), f"'{field}' holds a placeholder, which is filled in only in "
                                                 "the text below the front matter; write the name itself here"))
    return found
