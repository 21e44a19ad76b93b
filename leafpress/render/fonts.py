"""The bundled fonts: the @font-face rules of the leaflet stylesheets, and what each font covers.

The @font-face rules in templates/theme.css and templates/leaflet.css are the
list of fonts leafpress lays text out with (WeasyPrint loads exactly those;
a font file without a rule is never used). A font's coverage is the set of
characters its cmap maps, read with fontTools (which WeasyPrint uses to
subset fonts) once per font file and kept with the parse results
(:mod:`leafpress.build.parse_cache`), so a build reads no cmap it read before.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from leafpress.build.parse_cache import Parsed
from leafpress.diagnostics import Diagnostic, error
from leafpress.formats.pdf.leaflet import (
    STYLESHEETS as FONT_STYLESHEETS,  # the leaflets' stylesheets: where @font-face rules go
)
from leafpress.source.urls import local_file

#: where the message tells an editor to add a rule: next to the bundled fonts' own
FONT_RULES_HOME = "templates/leaflet.css"
#: scripts with no letters of their own (punctuation, digits, symbols; combining marks)
_NO_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})
#: scripts every reading system has fonts for: an EPUB in them carries no font and looks as
#: its reader has set it up; for any other script (Ethiopic) it carries the bundled font
READER_SCRIPTS = frozenset({"Latin", "Greek", "Cyrillic", "Arabic"})
#: media types of font files in an EPUB (EPUB 3.3 core media types)
FONT_MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
#: characters that are never drawn, so need no glyph: controls, format characters (ZWNJ, RLM, soft hyphen)
_NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp"})


@dataclass(frozen=True)
class FontFace:
    family: str
    file: Path    # the font file
    src: str      # the url() as written, relative to templates/
    weight: str   # as written: normal, bold, 700
    style: str    # normal, italic
    css: Path     # the stylesheet with the rule
    line: int


def font_faces(templates: Path, parsed: Parsed) -> tuple[tuple[FontFace, ...], list[Diagnostic]]:
    """The @font-face rules of the leaflet stylesheets, in order; a rule whose file is not
    there is a diagnostic (WeasyPrint would stop at it)."""
    faces: list[FontFace] = []
    found: list[Diagnostic] = []
    for name in FONT_STYLESHEETS:
        css = templates / name
        try:
            data = css.read_bytes()
        except FileNotFoundError:
            continue
        for family, src, weight, style, line in parsed.get("font-face rules", data, partial(_rules, data)):
            file = local_file(src, templates, (templates,))
            if file is None or not file.is_file():
                found.append(error(css, line, "font.missing-file",
                                   f"the font file {src} of this @font-face is not there (looked for "
                                   f"templates/{src}); put the font in templates/fonts/ or remove the rule"))
                continue
            faces.append(FontFace(family, file, src, weight, style, css, line))
    return tuple(faces), found


def _rules(data: bytes) -> tuple[tuple[str, str, str, str, int], ...]:
    """(family, src, weight, style, line) of each @font-face rule of a stylesheet."""
    import tinycss2

    rules = []
    for rule in tinycss2.parse_stylesheet(data.decode("utf-8"), skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
            continue
        values = {d.lower_name: [t for t in d.value if t.type not in ("whitespace", "comment")]
                  for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                  if d.type == "declaration"}
        family = " ".join(str(t.value) for t in values.get("font-family", ()) if t.type in ("string", "ident"))
        src = next((_url(t) for t in values.get("src", ()) if _url(t)), "")
        if family and src:
            rules.append((family, src, _keyword(values.get("font-weight"), "normal"),
                          _keyword(values.get("font-style"), "normal"), rule.source_line))
    return tuple(rules)


def _url(token) -> str:  # noqa: ANN001 - a tinycss2 token
    if token.type == "url":
        return str(token.value)
    if token.type == "function" and token.lower_name == "url":
        return next((str(t.value) for t in token.arguments if t.type == "string"), "")
    return ""


def _keyword(tokens, default: str) -> str:  # noqa: ANN001 - tinycss2 tokens
    return " ".join(str(t.value) for t in tokens or () if t.type in ("ident", "number")) or default


def coverage(face: FontFace, parsed: Parsed) -> frozenset[str]:
    """The characters ``face``'s font has glyphs for (found by its bytes in ``parsed``)."""
    data = face.file.read_bytes()
    return parsed.get("font cmap", data, lambda: _cmap(data))


def _cmap(data: bytes) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    return frozenset(map(chr, TTFont(io.BytesIO(data), lazy=True, fontNumber=0).getBestCmap() or ()))


def covered(faces: Sequence[FontFace], parsed: Parsed) -> frozenset[str]:
    """Every character some bundled font has a glyph for."""
    files = [face.file.read_bytes() for face in faces]
    return parsed.get("fonts cmap", b"\0".join(files), lambda: frozenset().union(*map(_cmap, files)))


def lacking(text: str | Iterable[str], have: frozenset[str]) -> list[str]:
    """The characters of ``text`` that need a glyph and have none in ``have``, in order, once each."""
    missing = {c for c in set(text) - have if drawn(c)}
    return [c for c in dict.fromkeys(text) if c in missing] if missing else []


def drawn(char: str) -> bool:
    """Whether ``char`` needs a glyph (a ZWNJ or right-to-left mark does not)."""
    return unicodedata.category(char) not in _NOT_DRAWN


def script_name(char: str) -> str | None:
    """The Unicode script of ``char`` ("Ethiopic", "Arabic"); None for digits, punctuation,
    symbols and marks, which belong to no one script."""
    from fontTools import unicodedata as ucd

    code = ucd.script(char)
    return None if code in _NO_SCRIPT else ucd.script_name(code)


def missing_message(script: str | None, sample: str, chars: str) -> str:
    """What to say when the bundled fonts lack ``script`` (or, for None, the symbols ``chars``)."""
    if script is not None:
        return (f"the bundled fonts have no {script} letters ({sample}); add a font that covers {script} "
                f"to templates/fonts/ and its @font-face to {FONT_RULES_HOME}")
    names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in chars[:4])
    return (f"the bundled fonts have no glyph for {' '.join(chars[:4])} ({names}); add a font that has "
            f"{'it' if len(chars) == 1 else 'them'} to templates/fonts/ and its @font-face to {FONT_RULES_HOME}")


def by_script(chars: Iterable[str]) -> Mapping[str | None, str]:
    """``chars`` grouped by script, in order of first appearance; None: no one script."""
    groups: dict[str | None, str] = {}
    for char in dict.fromkeys(chars):
        script = script_name(char)
        groups[script] = groups.get(script, "") + char
    return groups


def faces_to_embed(text: str, faces: Sequence[FontFace], parsed: Parsed) -> tuple[FontFace, ...]:
    """The bundled fonts an EPUB with ``text`` carries: every face of each family that has
    the letters of a script not in :data:`READER_SCRIPTS`."""
    foreign = [c for c in set(text) if c > "\u036f" and script_name(c) not in (None, *READER_SCRIPTS)]
    families = {next((f.family for f in faces if c in coverage(f, parsed)), None) for c in foreign}
    return tuple(face for face in faces if face.family in families)


def font_face_css(face: FontFace, href: str) -> str:
    """The @font-face rule of ``face`` with its file at ``href``."""
    return (f'@font-face {{ font-family: "{face.family}"; src: url({href}); '
            f"font-weight: {face.weight}; font-style: {face.style}; }}\n")
