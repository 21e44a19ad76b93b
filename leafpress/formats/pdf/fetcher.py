"""WeasyPrint's URL fetcher for leafpress: local project files only, never the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from leafpress.source.urls import allowed_file


class ProjectFetcher(URLFetcher):
    """Serves files under the allowed folders; anything else stops the render."""

    def __init__(self, allowed: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.allowed = tuple(root.resolve() for root in allowed)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = allowed_file(url, self.allowed)
        if path is None:
            raise FatalURLFetchingError(
                f"refused to load {url!r}: leafpress documents load files under content/ and templates/ only")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": mime or "application/octet-stream"})
