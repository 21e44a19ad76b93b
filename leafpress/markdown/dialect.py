"""The Markdown dialect of leafpress: CommonMark, tables, attributes, blocks, citations.

One parser serves every stage. Translation happens inside the parse: a core
rule swaps each inline segment for its translation before inline parsing, so
the translated Markdown is parsed exactly like the source (the way Sphinx
translates a doctree).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from leafpress.cite.syntax import citations_plugin
from leafpress.markdown.blocks import blocks_plugin
from leafpress.markdown.figures import image_language, split_figures
from leafpress.markdown.html_rules import install_render_rules
from leafpress.markdown.placeholders import placeholders_plugin
from leafpress.markdown.segments import PART, segment_text, set_translation, walk_inline

#: the attributes an editor or translator may write in ``{...}``; the attrs plugin keeps any
#: other out of the tokens (in ``token.meta["insecure_attrs"]``, which markup_checks.py reports)
ALLOWED_ATTRIBUTES = ("lang", "dir", "class")

# env keys used while parsing
TRANSLATE = "translate"        # Callable[[str], str | None]: segment -> translation
FALLBACK_LANG = "fallback_lang"  # language of untranslated segments (draft builds)


def _translate_rule(state: StateCore) -> None:
    translate: Callable[[str], str | None] | None = state.env.get(TRANSLATE)
    if translate is None:
        return
    fallback = state.env.get(FALLBACK_LANG)
    for token, stack in walk_inline(state.tokens):
        source = segment_text(token)
        if not source:
            continue
        translated = translate(source)
        if translated:
            set_translation(token, translated)
        elif fallback:
            # an image description is in the image's alt text: the image carries the language
            carrier = token if PART in token.meta else next((t for t in reversed(stack) if not t.hidden), None)
            if carrier is not None:
                carrier.attrSet("lang", fallback)
                carrier.meta["fallback"] = True


def _number_citations(state: StateCore) -> None:
    """Give each citation token its index in document order: env['citations']."""
    found = state.env.setdefault("citations", [])
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "citation":
                child.meta["index"] = len(found)
                found.append(child.meta["citation"])


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    # every link becomes a token, whatever its scheme, so that markup_checks.py can name a
    # javascript: link instead of markdown-it leaving it as text; html_rules.py renders no
    # href that urls.link_problem refuses
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # markdown-it-py's documented way
    md.use(attrs_plugin, spans=True, allowed=ALLOWED_ATTRIBUTES)
    md.use(blocks_plugin)  # the ::: boxes, each rendered by its kind (blocks.py)
    md.use(citations_plugin)
    md.use(placeholders_plugin)
    md.core.ruler.before("inline", "leafpress_translate", _translate_rule)
    md.core.ruler.before("leafpress_translate", "leafpress_figures", split_figures)
    md.core.ruler.after("inline", "leafpress_image_language", image_language)
    md.core.ruler.after("inline", "leafpress_citations", _number_citations)
    install_render_rules(md)
    return md


@lru_cache(maxsize=1)
def shared_parser() -> MarkdownIt:
    """One parser per process: parsing and rendering keep their state in ``env``."""
    return make_parser()


def parse(source: str, env: dict[str, Any]) -> list[Token]:
    """Tokens of a Markdown body; ``env`` receives 'citations' (in order)."""
    return shared_parser().parse(source, env)


def render(tokens: list[Token], env: dict[str, Any]) -> str:
    md = shared_parser()
    return md.renderer.render(tokens, md.options, env)
