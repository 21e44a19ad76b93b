"""What a document may load and link to.

It may load files under content/ and templates/, nothing else; it may link
only to web pages, e-mail addresses and phone numbers (:data:`LINK_SCHEMES`,
checked by :func:`link_problem` when the project is loaded).

The checks use :func:`local_file` to reject a stray ``![](http://...)`` or
``![](../../etc/passwd)`` with a message; WeasyPrint gets the fetcher of
:mod:`leafpress.formats.pdf.fetcher`, built on :func:`allowed_file`, so such a file can
never be fetched even if a check missed it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

#: the schemes a link in a leaflet, a booklet or the configuration may have
LINK_SCHEMES = ("https", "http", "mailto", "tel")
WEB_SCHEMES = ("https", "http")

def local_file(src: str, base: Path, allowed: tuple[Path, ...]) -> Path | None:
    """The file ``src`` names, relative to ``base``, if it lies inside an allowed folder."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    candidate = (base / unquote(parts.path)).resolve()
    if any(candidate.is_relative_to(root.resolve()) for root in allowed):
        return candidate
    return None


def allowed_file(url: str, allowed: tuple[Path, ...]) -> Path | None:
    """The file a ``file:`` URL names, if it is a file inside an allowed folder."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if path.is_file() and any(path.is_relative_to(root.resolve()) for root in allowed):
        return path
    return None


def link_problem(url: str, schemes: tuple[str, ...] = LINK_SCHEMES, fragment: bool = False) -> str | None:
    """Why ``url`` may not be a link target, or None when it may.

    Its scheme must be one of ``schemes`` (a web address must name its site:
    ``https://host/...``); with ``fragment`` a link to a place in the same
    document (``#section``) is allowed too. Spaces and control characters are
    refused: browsers drop some of them (a tab inside "javascript:" hides it from a look).
    """
    quoted = shown(url)
    if not url:
        return "the address is empty"
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        return f"the address '{quoted}' contains spaces or control characters"
    if fragment and url.startswith("#"):
        return None
    expected = ", ".join(f"{s}://" if s in WEB_SCHEMES else f"{s}:" for s in schemes)
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"'{quoted}' is not a valid address"
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        what = f"the scheme '{scheme}:'" if scheme else "no scheme"
        return f"'{quoted}' has {what}; a link must start with {expected}"
    if scheme in WEB_SCHEMES and not parts.netloc:
        return f"'{quoted}' names no site; write it as {scheme}://www.example.org/..."
    return None


def shown(text: str, limit: int = 60) -> str:
    """``text`` for a message: shortened, control characters written as escapes (never sent to a terminal)."""
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"
