"""The site's stylesheet and fonts: the bundled fonts of the leaflets (templates/fonts), each cut
down to the scripts the site's languages are written in and packed as WOFF2, with a
``unicode-range`` so that a browser fetches only the fonts a page has letters of."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leafpress.build.parse_cache import Parsed
from leafpress.render.fonts import FontFace, coverage, font_faces
from leafpress.render.html import language_name

# (first, last) code points of the blocks a site page may show: Latin with its
# extensions, Greek, Cyrillic, Arabic with its presentation forms, Ethiopic, and the
# punctuation, symbols and marks around them.
BLOCKS = (
    (0x0000, 0x024F), (0x0250, 0x02FF), (0x0300, 0x036F), (0x0370, 0x03FF), (0x0400, 0x052F),
    (0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0x1200, 0x139F), (0x1E00, 0x1EFF),
    (0x2000, 0x206F), (0x2070, 0x20CF), (0x2100, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF),
    (0x25A0, 0x25FF), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
    (0xFFFD, 0xFFFD),
)


@dataclass(frozen=True)
class SiteFont:
    face: FontFace
    href: str                         # relative to dist/site/: fonts/NotoSans-Regular.woff2
    ranges: tuple[tuple[int, int], ...]

    def css(self) -> str:
        ranges = ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in self.ranges)
        return (f'@font-face {{ font-family: "{self.face.family}"; src: url({self.href}) format("woff2"); '
                f"font-weight: {self.face.weight}; font-style: {self.face.style}; font-display: swap; "
                f"unicode-range: {ranges}; }}\n")


def site_fonts(templates: Path, parsed: Parsed, languages: Sequence[str]) -> tuple[SiteFont, ...]:
    """The bundled faces of the families the ``languages`` are written in (the first family
    that has the letters of the language's own name; and the Latin family, for names and
    addresses), each with the blocks it has letters of. The first block, ASCII, only for a
    face with Latin letters: the Arabic face leaves digits and Latin names to the Latin one."""
    faces, _ = font_faces(templates, parsed)
    needed = {"a", *"".join(language_name(lang) for lang in languages)}
    families = {next((f.family for f in faces if c in coverage(f, parsed)), None) for c in needed if c.isalpha()}
    fonts = []
    for face in faces:
        if face.family not in families:
            continue
        chars = {ord(c) for c in coverage(face, parsed)}
        ranges = tuple((a, b) for a, b in BLOCKS if any(a <= c <= b for c in chars)
                       and (a, b) != (0x0000, 0x024F) or (a, b) == (0x0000, 0x024F) and ord("a") in chars)
        fonts.append(SiteFont(face, f"fonts/{face.file.stem}.woff2", ranges))
    return tuple(fonts)


def woff2(font: SiteFont) -> bytes:
    """The face cut down to its ranges, as WOFF2 (fontTools; Brotli)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    loaded = subset.load_font(str(font.face.file), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for a, b in font.ranges for c in range(a, b + 1)])
    subsetter.subset(loaded)
    out = io.BytesIO()
    subset.save_font(loaded, out, options)
    return out.getvalue()


def stylesheet(templates: Path, fonts: Sequence[SiteFont]) -> bytes:
    """site.css: the clinic's colours (theme.css), the fonts' rules, then templates/site/site.css."""
    faces = "".join(font.css() for font in fonts)
    return ((templates / "theme.css").read_bytes() + b"\n" + faces.encode("utf-8")
            + (templates / "site" / "site.css").read_bytes())
