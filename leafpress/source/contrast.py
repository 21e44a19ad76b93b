"""WCAG 2.1 contrast of the theme colours, for the text/background pairs the templates use.

The clinic's colours are CSS custom properties in ``templates/theme.css``
(``--name: #hex;``). :data:`PAIRS` lists which colour is set as text on
which background in ``templates/leaflet.css``; each pair must reach
:data:`MINIMUM` (WCAG 2.1 success criterion 1.4.3, level AA, normal text).
A failing pair is reported at the line of its text colour in theme.css.

Colours may be written ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``,
``rgb(r, g, b)`` / ``rgba(r, g, b, a)`` (numbers or percentages, commas or
spaces, ``/ alpha``), ``black``/``white``/``transparent``, or
``var(--other)``. A translucent text colour is blended over its background,
a translucent background over the white page.

    python -m leafpress.source.contrast [templates/theme.css]

prints the ratio of every pair.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leafpress.diagnostics import Diagnostic, warning

MINIMUM = 4.5
RGBA = tuple[float, float, float, float]  # 0-255 channels, alpha 0-1
WHITE: RGBA = (255.0, 255.0, 255.0, 1.0)


@dataclass(frozen=True)
class Pair:
    foreground: str  # custom property name, without the leading '--'
    background: str
    used_for: str    # where leaflet.css sets this text on this background


# Read from templates/leaflet.css: every `color:` on every background it can sit on.
PAIRS: tuple[Pair, ...] = (
    Pair("text", "page", "body text"),
    Pair("heading", "page", "headings"),
    Pair("link", "page", "links"),
    Pair("accent-text", "page", "organisation name above the title"),
    Pair("muted", "page", "figure captions"),
    Pair("text", "box-bg", "text in key points, notes and facts"),
    Pair("heading", "box-bg", "table header cells"),
    Pair("link", "box-bg", "links in key points, notes and facts"),
    Pair("accent-text", "box-bg", "the 'fact' label"),
    Pair("muted", "box-bg", "figure captions in key points, notes and facts"),
    Pair("text", "warning-bg", "text in warnings"),
    Pair("warning-fg", "warning-bg", "the 'warning' label and the draft notice"),
    Pair("link", "warning-bg", "links in warnings"),
    Pair("text", "myth-bg", "text in myths"),
    Pair("myth-fg", "myth-bg", "the 'myth' label"),
    Pair("link", "myth-bg", "links in myths"),
    Pair("text", "help-bg", "help-line names and numbers"),
    Pair("heading", "help-bg", "the help-line box heading"),
    Pair("link", "help-bg", "help-line web addresses"),
)


@dataclass(frozen=True)
class ThemeColour:
    name: str
    value: str  # as written
    line: int


@dataclass(frozen=True)
class Result:
    pair: Pair
    ratio: float
    foreground: ThemeColour
    background: ThemeColour

    @property
    def passes(self) -> bool:
        return self.ratio >= MINIMUM


# --- reading colours -----------------------------------------------------------

PROPERTY = re.compile(r"--([A-Za-z0-9_-]+)\s*:\s*([^;}]+?)\s*(?:;|}|$)")
VAR = re.compile(r"^var\(\s*--([A-Za-z0-9_-]+)\s*(?:,\s*(.+))?\)$")
HEX = re.compile(r"^#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
RGB_FUNCTION = re.compile(r"^rgba?\(\s*(.*?)\s*\)$", re.IGNORECASE)
NAMED: Mapping[str, RGBA] = {"black": (0.0, 0.0, 0.0, 1.0), "white": WHITE, "transparent": (0.0, 0.0, 0.0, 0.0)}
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def read_theme(css: str) -> dict[str, ThemeColour]:
    """The custom properties of a stylesheet, with the line each is set on (the last one wins)."""
    text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)  # keep line numbers
    found: dict[str, ThemeColour] = {}
    for match in PROPERTY.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found[match.group(1)] = ThemeColour(match.group(1), match.group(2).strip(), line)
    return found


def _channel(text: str) -> float:
    if text.endswith("%"):
        return max(0.0, min(255.0, float(text[:-1]) * 2.55))
    return max(0.0, min(255.0, float(text)))


def _alpha(text: str) -> float:
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    return max(0.0, min(1.0, value))


def parse_colour(value: str) -> RGBA | None:
    """One CSS colour as (r, g, b, alpha); None when it is not a form we read."""
    value = value.strip().lower()
    if value in NAMED:
        return NAMED[value]
    match = HEX.match(value)
    if match:
        digits = match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
        alpha = channels[3] / 255 if len(channels) == 4 else 1.0
        return float(channels[0]), float(channels[1]), float(channels[2]), alpha
    match = RGB_FUNCTION.match(value)
    if match:
        colour, _, alpha_text = match.group(1).partition("/")
        parts = [p for p in re.split(r"[\s,]+", colour.strip()) if p]
        if alpha_text.strip():
            parts.append(alpha_text.strip())
        try:
            if len(parts) == 3:
                return _channel(parts[0]), _channel(parts[1]), _channel(parts[2]), 1.0
            if len(parts) == 4:
                return _channel(parts[0]), _channel(parts[1]), _channel(parts[2]), _alpha(parts[3])
        except ValueError:
            return None
    return None


def resolve(name: str, theme: Mapping[str, ThemeColour], seen: frozenset[str] = frozenset()) -> RGBA | None:
    """The colour of a custom property, following var(--other) references."""
    colour = theme.get(name)
    if colour is None or name in seen:
        return None
    reference = VAR.match(colour.value.strip())
    if reference is None:
        return parse_colour(colour.value)
    found = resolve(reference.group(1), theme, seen | {name})
    if found is None and reference.group(2):
        return parse_colour(reference.group(2))
    return found


# --- WCAG 2.1 ---------------------------------------------------------------------

def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: RGBA) -> float:
    """WCAG 2.1 relative luminance of an opaque sRGB colour (alpha is ignored)."""
    r, g, b, _ = colour
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def blend(top: RGBA, bottom: RGBA) -> RGBA:
    """``top`` painted over an opaque ``bottom``."""
    a = top[3]
    return (top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a),
            top[2] * a + bottom[2] * (1 - a), 1.0)


def contrast_ratio(foreground: RGBA, background: RGBA) -> float:
    """WCAG contrast ratio, from 1 to 21: (L1 + 0.05) / (L2 + 0.05), L1 the lighter."""
    behind = blend(background, WHITE)
    lighter, darker = sorted((relative_luminance(blend(foreground, behind)), relative_luminance(behind)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- checking the theme --------------------------------------------------------------

def check_pairs(theme: Mapping[str, ThemeColour], pairs: Sequence[Pair] = PAIRS) -> list[Result]:
    """The ratio of every pair whose two colours can be read."""
    results = []
    for pair in pairs:
        foreground, background = resolve(pair.foreground, theme), resolve(pair.background, theme)
        if foreground is not None and background is not None:
            results.append(Result(pair, contrast_ratio(foreground, background),
                                  theme[pair.foreground], theme[pair.background]))
    return results


def _unreadable(theme: Mapping[str, ThemeColour], pairs: Sequence[Pair], path: Path) -> Iterable[Diagnostic]:
    names = dict.fromkeys(name for pair in pairs for name in (pair.foreground, pair.background))
    for name in names:
        if name not in theme:
            yield warning(path, None, "lint.theme-colour",
                          f"colour '--{name}' is not defined; the templates use it (see leafpress/source/contrast.py)")
        elif resolve(name, theme) is None:
            yield warning(path, theme[name].line, "lint.theme-colour",
                          f"cannot read colour '--{name}: {theme[name].value}'; write it as #rrggbb or rgb(r, g, b)")


def theme_diagnostics(path: Path, pairs: Sequence[Pair] = PAIRS) -> list[Diagnostic]:
    """Warnings for each pair below :data:`MINIMUM`, at the line of its text colour.

    A project without a theme.css has no colours of its own to check.
    """
    if not path.exists():
        return []
    try:
        theme = read_theme(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return [warning(path, None, "lint.theme-colour", f"cannot read the theme colours: {exc.strerror}")]
    found = list(_unreadable(theme, pairs, path))
    for result in check_pairs(theme, pairs):
        if not result.passes:
            fg, bg = result.foreground, result.background
            found.append(warning(
                path, fg.line, "lint.contrast",
                f"'--{fg.name}' ({fg.value}) on '--{bg.name}' ({bg.value}, line {bg.line}) has a contrast of "
                f"{result.ratio:.2f}:1, below {MINIMUM}:1 (used for {result.pair.used_for}); "
                "darken the text or lighten the background"))
    return found


def main(argv: Sequence[str]) -> int:
    path = Path(argv[0]) if argv else Path("templates/theme.css")
    theme = read_theme(path.read_text(encoding="utf-8"))
    for result in check_pairs(theme):
        mark = "ok  " if result.passes else "FAIL"
        print(f"{mark} {result.ratio:5.2f}:1  --{result.pair.foreground} on --{result.pair.background}"
              f"  ({result.pair.used_for})")
    for diagnostic in _unreadable(theme, PAIRS, path):
        print(diagnostic.format())
    return 0 if all(r.passes for r in check_pairs(theme)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
