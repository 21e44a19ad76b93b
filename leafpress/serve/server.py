"""The preview's web server: 127.0.0.1 only, files from ``dist/site`` only, GET and HEAD only.

Besides the site's files it answers :data:`~leafpress.serve.inject.EVENTS` (Server-Sent
Events: the page's reload script hears there that a build is done), the script itself and
:data:`~leafpress.serve.inject.STATUS`. A request that names another host than this one
(a web page that points a name of its own at 127.0.0.1, "DNS rebinding") is refused.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from leafpress.serve import inject
from leafpress.serve.builds import Builds
from leafpress.serve.files import SITE, find

HOST = "127.0.0.1"  # never another interface: the preview is for the person at this computer
HEARTBEAT_S = 10    # a comment down an idle event stream, so a closed page is noticed
SOCKET_TIMEOUT_S = 5  # a connection that sends no request holds a thread (and Ctrl-C) no longer


class PreviewServer(ThreadingHTTPServer):
    """One thread per request; :meth:`server_close` waits for them (Builds.close ends the event streams)."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, root: Path, builds: Builds, port: int):
        self.root = root
        self.builds = builds
        super().__init__((HOST, port), PreviewHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    timeout = SOCKET_TIMEOUT_S
    server_version = "leafpress-preview"

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the build's own output

    def do_HEAD(self) -> None:  # the names http.server calls
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        host = self.headers.get("Host")
        if host is not None and host.lower() not in self.server.hosts():
            return self._send(HTTPStatus.MISDIRECTED_REQUEST, b"not this server\n", "text/plain; charset=utf-8", head)
        path = urlsplit(self.path).path if self.path.startswith("/") else ""
        if path == inject.EVENTS:
            return self._events(head)
        if path == inject.SCRIPT:
            return self._send(HTTPStatus.OK, inject.RELOAD_JS, "text/javascript; charset=utf-8", head)
        if path == inject.STATUS:
            return self._send(HTTPStatus.OK, _status(self.server.builds), "application/json", head)
        self._site(head)

    def _site(self, head: bool) -> None:
        found = find(self.server.root, self.path)
        build = self.server.builds.latest
        if found.kind == "file":
            body = inject.into_page(found.body, build) if found.is_html else found.body
            return self._send(HTTPStatus.OK, body, found.content_type, head)
        if found.kind == "redirect":
            return self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, {"Location": found.location})
        if found.kind == "bad":
            status, title, text = HTTPStatus.BAD_REQUEST, "Bad request", "Not a path of a page of the site."
        elif found.kind == "no-site":
            status, title = HTTPStatus.NOT_FOUND, "No site built yet"
            text = f"There is no {'/'.join(SITE)} folder yet; this page reloads when the build has made it."
        else:
            status, title, text = HTTPStatus.NOT_FOUND, "Not found", "The site has no such page."
        self._send(status, inject.into_page(inject.page(title, text), build), "text/html; charset=utf-8", head)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, head: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, head: bool) -> None:
        """``data: N`` each time build N is done that is not the build ``since`` names."""
        query = parse_qs(urlsplit(self.path).query)
        try:
            seen = int(query.get("since", ["-1"])[0])
        except ValueError:
            seen = -1
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        builds = self.server.builds
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not builds.closed:
                build = builds.wait_other(seen, HEARTBEAT_S)
                message = b": waiting\n\n" if build is None else f"data: {build.number}\n\n".encode()
                if build is not None:
                    seen = build.number
                if not builds.closed:
                    self.wfile.write(message)
                    self.wfile.flush()
        except (TimeoutError, ConnectionError):
            pass  # the page went away


def _status(builds: Builds) -> bytes:
    build = builds.latest
    return json.dumps({"build": build.number, "code": build.code, "changed": list(build.changed),
                       "seconds": round(build.seconds, 3), "finished": build.finished,
                       "problems": [d.format() for d in build.diagnostics]}).encode("utf-8")
