"""The latest build, shared by the loop that makes builds and the requests that show them."""

from __future__ import annotations

import threading

from leafpress.serve.rebuild import BuildResult


class Builds:
    """The latest :class:`BuildResult`; waiters hear of the next one, or of the end."""

    def __init__(self) -> None:
        self._latest = BuildResult(0)
        self._closed = False
        self._changed = threading.Condition()

    @property
    def latest(self) -> BuildResult:
        with self._changed:
            return self._latest

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def publish(self, result: BuildResult) -> None:
        with self._changed:
            self._latest = result
            self._changed.notify_all()

    def close(self) -> None:
        """The server stops: every waiter returns now."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_other(self, seen: int, timeout: float) -> BuildResult | None:
        """The latest build once its number is not ``seen`` (a page made by build 3 waits for
        build 4; after a restart, build 1 is news to it too); None after ``timeout`` seconds
        or when closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._latest.number != seen, timeout)
            return None if self._closed or self._latest.number == seen else self._latest
