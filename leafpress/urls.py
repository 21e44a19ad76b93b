"""What a document may load: files under content/ and templates/, nothing else.

The checks use :func:`local_file` to reject a stray ``![](http://...)`` or
``![](../../etc/passwd)`` with a message; WeasyPrint gets the fetcher of
:mod:`leafpress.fetcher`, built on :func:`allowed_file`, so such a file can
never be fetched even if a check missed it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

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
