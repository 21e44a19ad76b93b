"""The kinds of ``:::`` box an editor may write, each declared once.

A block kind is one :class:`Block` value: its name, the help lines its argument
line names, its checks, its label (the Dutch msgid and the translator's comment),
how it renders to HTML and what readability does with it. :data:`BLOCKS` lists
them, and parsing, the checks, rendering, extraction and readability ask it
instead of naming kinds. A new kind is one entry in :data:`BLOCKS` (and, for a
look of its own, its rules in templates/leaflet.css and epub.css)::

    STEPS = Block("steps", label="Wat kun je doen?",
                  label_comment="Label above a box with numbered steps ...",
                  message_kind="step")

:func:`blocks_plugin` makes the boxes a markdown-it-py plugin: mdit-py-plugins'
container plugin for the ``:::`` fences, and render rules that hand each box to
its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from babel import Locale
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from leafpress.diagnostics import Diagnostic, error
from leafpress.source.urls import link_problem

OPEN, CLOSE = "container_block_open", "container_block_close"


def container_kind(token: Token) -> str:
    """The kind a ``::: kind args`` opener names: its first word."""
    return token.info.strip().split(" ", 1)[0] if token.info.strip() else ""


def arguments(token: Token) -> tuple[str, ...]:
    """The words after the kind on a ``::: kind a b`` line."""
    return tuple(token.info.split()[1:])


@dataclass(frozen=True)
class Box:
    """One ``::: kind`` box of an article, as the checks of its kind see it."""

    tokens: Sequence[Token]
    index: int             # of its opener in ``tokens``
    path: Path
    body_line: int         # the file line of the body's line 0
    helplines: frozenset[str]  # the help lines content/helplines.yaml defines

    @property
    def opener(self) -> Token:
        return self.tokens[self.index]

    @property
    def line(self) -> int:
        return line_of(self.opener, self.body_line)

    @property
    def has_body(self) -> bool:
        """Whether anything stands between its ``::: kind`` line and its ``:::``."""
        return self.index + 1 < len(self.tokens) and self.tokens[self.index + 1].type != CLOSE

    def next_box(self) -> Token | None:
        """The opener of the box right after this one at the same level, if a box comes next."""
        after = _siblings(self.tokens, self.index)[1]
        return after if after is not None and after.type == OPEN else None

    def previous_box(self) -> Token | None:
        """The opener of the box right before this one at the same level, if a box came before."""
        return _opener_of(self.tokens, _siblings(self.tokens, self.index)[0])

    def earlier_boxes(self) -> Iterable[Token]:
        """The openers of the boxes before this one, at any level, in document order."""
        return (t for t in self.tokens[:self.index] if t.type == OPEN)


def line_of(token: Token, body_line: int) -> int:
    return (token.map[0] if token.map else 0) + body_line


def _siblings(tokens: Sequence[Token], idx: int) -> tuple[Token | None, Token | None]:
    """The block before this container's opener and after its closer, at the same level."""
    level = tokens[idx].level
    before = next((t for t in reversed(tokens[:idx]) if t.level == level and t.nesting != 1), None)
    depth = 0
    after = None
    for later in range(idx, len(tokens)):
        depth += tokens[later].nesting
        if depth == 0:
            after = next((t for t in tokens[later + 1:] if t.level == level), None)
            break
    return before, after


def _opener_of(tokens: Sequence[Token], close: Token | None) -> Token | None:
    if close is None or close.type != CLOSE:
        return None
    index = next(i for i, t in enumerate(tokens) if t is close)
    return next((t for t in reversed(tokens[:index]) if t.type == OPEN and t.level == close.level), None)


Check = Callable[[Box], list[Diagnostic]]
#: renders a box's opener or closer: (its kind, the token, the render env) -> HTML
Render = Callable[["Block", Token, Mapping[str, Any]], str]


def label(env: Mapping[str, Any], name: str) -> str:
    """A label in the reader's language (``env['labels']``, see render.labels), escaped."""
    return escape(env.get("labels", {}).get(name, name))


def section_open(block: Block, token: Token, env: Mapping[str, Any]) -> str:
    return f'<section class="block {block.name}">\n<p class="block-label">{label(env, block.name)}</p>\n'


def section_close(block: Block, token: Token, env: Mapping[str, Any]) -> str:
    return "</section>\n"


def no_helplines(token: Token) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Reading:
    """What readability does with a box."""

    prose: bool = True        # its text is measured as prose (sentences, words, ...)
    key_points: bool = False  # the items of its list are key points (at most ``keypoints_max`` a box)


@dataclass(frozen=True)
class Block:
    """One kind of ``::: name`` box."""

    name: str
    label: str           # the Dutch label above the box: its msgid in the "ui" catalogs
    label_comment: str   # what a translator is told about the label
    #: what a translator is told a text inside the box is ("key point"); None: the box holds no text
    message_kind: str | None = None
    checks: tuple[Check, ...] = ()
    render_open: Render = section_open
    render_close: Render = section_close
    #: the help lines the box's ``::: name a b`` line names
    helplines: Callable[[Token], tuple[str, ...]] = no_helplines
    reading: Reading = field(default_factory=Reading)


@dataclass(frozen=True)
class Registry:
    """The block kinds an article may use, in the order the editors' messages list them."""

    kinds: tuple[Block, ...]

    def __post_init__(self) -> None:
        names = [b.name for b in self.kinds]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"block kinds declared twice: {', '.join(twice)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.kinds)

    def get(self, name: str) -> Block | None:
        return next((b for b in self.kinds if b.name == name), None)

    def adding(self, *blocks: Block) -> Registry:
        """This registry with ``blocks`` added after its kinds."""
        return Registry((*self.kinds, *blocks))

    def block_of(self, token: Token) -> Block:
        """The kind of a box opener; one the registry does not know renders as a plain box
        (the checks refuse it: block.unknown)."""
        kind = container_kind(token)
        return self.get(kind) or Block(kind, label=kind, label_comment="")

    def helplines_named(self, tokens: Iterable[Token]) -> tuple[str, ...]:
        """Every help line the boxes of a body name, in document order."""
        return tuple(hid for token in tokens if token.type == OPEN
                     for hid in self.block_of(token).helplines(token))

    def labels(self, gettext: Callable[[str], str]) -> dict[str, str]:
        """Each kind's label in a language: kind name -> label."""
        return {b.name: gettext(b.label) for b in self.kinds}


# --- myth and fact: a myth is followed directly by the fact that corrects it

def _followed_by_fact(box: Box) -> list[Diagnostic]:
    following = box.next_box()
    if following is None or container_kind(following) != "fact":
        return [error(box.path, box.line, "block.myth",
                      "a '::: myth' block must be followed directly by a '::: fact' block")]
    return []


def _after_myth(box: Box) -> list[Diagnostic]:
    previous = box.previous_box()
    if previous is None or container_kind(previous) != "myth":
        return [error(box.path, box.line, "block.fact",
                      "a '::: fact' block must directly follow a '::: myth' block")]
    return []


def _myth_open(block: Block, token: Token, env: Mapping[str, Any]) -> str:
    return '<div class="myth-fact">\n' + section_open(block, token, env)


def _fact_close(block: Block, token: Token, env: Mapping[str, Any]) -> str:
    return "</section>\n</div>\n"


# --- helpline: a box filled from content/helplines.yaml with the lines its ``::: helpline a b`` names

def _helpline_ids(token: Token) -> tuple[str, ...]:
    return arguments(token)


def unknown_helplines(ids: Iterable[str], known: Iterable[str], path: Path, line: int | None) -> list[Diagnostic]:
    known = frozenset(known)
    return [error(path, line, "helpline.unknown",
                  f"unknown help line '{h}'; add it to content/helplines.yaml or use one of: "
                  f"{', '.join(sorted(known)) or '(none defined)'}")
            for h in ids if h not in known]


def named_twice(ids: Iterable[str], shown: Mapping[str, int | None], path: Path, line: int | None,
                here: str, advice: str) -> list[Diagnostic]:
    """A help line named again (``shown``: id -> line of the box that named it before).

    Each help line is printed once: an inline box shows it where it stands, the end box
    (front matter ``helplines:``) lists only the lines no inline box shows.
    """
    seen = dict(shown)
    found = []
    for helpline_id in ids:
        if helpline_id in seen:
            earlier = seen[helpline_id]
            place = here if earlier == line else f"here and in the help-line box at line {earlier}"
            found.append(error(path, line, "helpline.twice",
                               f"help line '{helpline_id}' is named twice, {place}; {advice}"))
        else:
            seen[helpline_id] = line
    return found


def _check_helplines(box: Box) -> list[Diagnostic]:
    ids = _helpline_ids(box.opener)
    found = []
    if not ids:
        found.append(error(box.path, box.line, "helpline.empty",
                           "name the help lines: '::: helpline drugs-infolijn 113-zelfmoordpreventie'"))
    found += unknown_helplines(ids, box.helplines, box.path, box.line)
    shown: dict[str, int | None] = {}
    for earlier in box.earlier_boxes():
        for hid in registry().block_of(earlier).helplines(earlier):
            shown.setdefault(hid, line_of(earlier, box.body_line))
    found += named_twice(ids, shown, box.path, box.line, "in this box", "name each help line in one box only")
    if box.has_body:
        found.append(error(box.path, box.line, "helpline.body",
                           "a help-line box is filled from content/helplines.yaml; leave it empty"))
    return found


def helpline_list(ids: Sequence[str], env: Mapping[str, Any]) -> str:
    """The help lines as a list: name, number (a tel: link), hours and web address.

    The end box of an article is this list under its own heading (templates/_article.html).
    """
    registry_ = env.get("helplines", {})
    items = []
    for helpline_id in ids:
        line = registry_.get(helpline_id)
        if line is None:
            continue
        digits = "".join(ch for ch in line.number if ch.isdigit() or ch == "+")
        parts = [f'<strong class="helpline-name">{escape(line.name)}</strong>',
                 f'<a class="helpline-number" href="tel:{escape(digits)}"><bdi>{escape(line.number)}</bdi></a>']
        when = [f'<span class="helpline-hours">{escape(line.hours)}</span>'] if line.hours else []
        if spoken := spoken_elsewhere(line.languages, env.get("lang", "")):  # on the line of the hours: no page more
            when.append(f'<span class="helpline-languages">{label(env, "helpline_languages")}: {escape(spoken)}</span>')
        if when:
            parts.append(" · ".join(when))
        if line.description:
            parts.append(f'<span class="helpline-description">{escape(line.description)}</span>')
        if line.url and link_problem(line.url) is None:  # checked at load (project.py); never a javascript: link
            shown = line.url.removeprefix("https://").removeprefix("http://").rstrip("/")
            parts.append(f'<a class="helpline-url" href="{escape(line.url)}">{escape(shown)}</a>')
        items.append("<li>" + "<br />".join(parts) + "</li>")
    return '<ul class="helpline-list">\n' + "\n".join(items) + "\n</ul>\n"


def spoken_elsewhere(languages: Sequence[str], lang: str) -> str:
    """The names, in ``lang``, of the languages a help line answers in, when ``lang`` is not
    one of them (a Dutch line in an Arabic leaflet: "الهولندية"); else nothing."""
    if not languages or not lang or lang.split("-")[0] in {code.split("-")[0] for code in languages}:
        return ""
    names = Locale.parse(lang.replace("-", "_")).languages
    return ", ".join(names.get(code.split("-")[0], code) for code in languages)


def _helpline_open(block: Block, token: Token, env: Mapping[str, Any]) -> str:
    """An inline help-line box (``::: helpline a b``): its label and the list."""
    return (f'<section class="block helplines">\n<p class="block-label">{label(env, block.name)}</p>\n'
            + helpline_list(block.helplines(token), env) + "</section>\n")


def _nothing(block: Block, token: Token, env: Mapping[str, Any]) -> str:
    return ""


BLOCKS = Registry((
    Block("keypoints", label="In het kort",
          label_comment="Label above the box with the most important points of a leaflet, at its start.",
          message_kind="key point", reading=Reading(key_points=True)),
    Block("myth", label="Mythe",
          label_comment=("Label above a box with something people often believe that is not true. "
                         "The box after it says what is true."),
          message_kind="myth", checks=(_followed_by_fact,), render_open=_myth_open),
    Block("fact", label="Feit",
          label_comment="Label above the box that says what is true, right after a box with a myth.",
          message_kind="fact", checks=(_after_myth,), render_close=_fact_close),
    Block("warning", label="Let op",
          label_comment="Label above a box with a warning: something to watch out for.",
          message_kind="warning"),
    Block("note", label="Goed om te weten",
          label_comment="Label above a box with extra information that is useful to know.",
          message_kind="note"),
    Block("helpline", label="Hulp en informatie",
          label_comment=("Label above a box with help lines (name, phone number, opening hours) "
                         "in the text of a leaflet."),
          checks=(_check_helplines,), render_open=_helpline_open, render_close=_nothing,
          helplines=_helpline_ids, reading=Reading(prose=False)),
))


def registry() -> Registry:
    """The block kinds of this build (:data:`BLOCKS`)."""
    return BLOCKS


def _render_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Mapping[str, Any]) -> str:
    block = registry().block_of(tokens[idx])
    return block.render_open(block, tokens[idx], env)


def _render_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Mapping[str, Any]) -> str:
    level = tokens[idx].level
    opener = next(t for t in reversed(tokens[:idx]) if t.type == OPEN and t.level == level)
    block = registry().block_of(opener)
    return block.render_close(block, opener, env)


def blocks_plugin(md: MarkdownIt) -> None:
    """The ``::: kind`` boxes: mdit-py-plugins' container plugin, rendered by each box's kind."""
    md.use(container_plugin, "block", validate=lambda params, *args: bool(params.strip()))
    md.add_render_rule(OPEN, _render_open)
    md.add_render_rule(CLOSE, _render_close)


def check_box(box: Box) -> list[Diagnostic]:
    """What the kind of a known box finds wrong with it."""
    block = registry().block_of(box.opener)
    return [found for check in block.checks for found in check(box)]
