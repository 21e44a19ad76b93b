"""What a document may load: files under content/ and templates/, nothing else.

WeasyPrint gets :func:`make_url_fetcher`, so a stray ``![](http://...)`` or
``![](../../etc/passwd)`` can never be fetched, even if a check missed it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

REMOTE_SCHEMES = ("http", "https", "ftp", "file", "data", "javascript")


class FetchRefused(ValueError):
    pass


def local_file(src: str, base: Path, allowed: tuple[Path, ...]) -> Path | None:
    """The file ``src`` names, relative to ``base``, if it lies inside an allowed folder."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    candidate = (base / unquote(parts.path)).resolve()
    if any(candidate.is_relative_to(root.resolve()) for root in allowed):
        return candidate
    return None


def make_url_fetcher(allowed: tuple[Path, ...]) -> Callable[[str], dict]:
    """A WeasyPrint url_fetcher serving files inside ``allowed`` folders only."""
    roots = tuple(root.resolve() for root in allowed)

    def fetch(url: str, *args: object, **kwargs: object) -> dict:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise FetchRefused(f"refused to fetch {url!r}: leafpress documents load local files only")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url!r}: not a file under content/ or templates/")
        mime, _ = mimetypes.guess_type(path.name)
        return {"string": path.read_bytes(), "mime_type": mime, "redirected_url": path.as_uri(),
                "filename": path.name}

    return fetch
