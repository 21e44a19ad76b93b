"""``build.py serve``: serve dist/site on 127.0.0.1, rebuild on every save, reload the open pages.

    build.py serve [--port N] [--lang LANG] [--draft] [--strict] [-j N]

The port: ``--port N`` (0: any free one), else :data:`DEFAULT_PORT` when it is free,
else any free one; the address is printed. Ctrl-C (or SIGTERM) stops the build under
way, the server and its threads, and exits 0 (143 for SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

from leafpress.build.outputs import Terminated, sigterm_exits
from leafpress.serve import watch
from leafpress.serve.builds import Builds
from leafpress.serve.files import SITE
from leafpress.serve.rebuild import TARGET, build_command, run_build
from leafpress.serve.server import HOST, PreviewServer

DEFAULT_PORT = 8000


def listen(root: Path, builds: Builds, port: int | None) -> PreviewServer:
    """The server on ``port``; without one, on :data:`DEFAULT_PORT` or, when that is taken, any free port."""
    if port is not None:
        return PreviewServer(root, builds, port)
    try:
        return PreviewServer(root, builds, DEFAULT_PORT)
    except OSError:
        return PreviewServer(root, builds, 0)


def serve(args: argparse.Namespace, root: Path) -> int:
    if args.host is not None:
        print(f"build.py: error: serve listens on {HOST} only, for this computer alone; "
              "there is no --host", file=sys.stderr)
        return 2
    if args.port is not None and not 0 <= args.port <= 65535:
        print(f"build.py: error: --port {args.port}: a port is 0 (any free one) to 65535", file=sys.stderr)
        return 2
    builds = Builds()
    try:
        server = listen(root, builds, args.port)
    except OSError as exc:
        print(f"build.py: error: cannot listen on {HOST}:{args.port}: {exc.strerror or exc}; "
              "--port 0 takes any free port", file=sys.stderr)
        return 1
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="leafpress-serve")
    thread.start()
    print(f"serving {'/'.join(SITE)} at {server.url} (build.py {TARGET} on every change; Ctrl-C stops)",
          flush=True)
    command = build_command(root, args.lang, args.draft, args.strict, args.jobs)
    code = 0
    try:
        with sigterm_exits():
            keep_building(root, command, builds)
    except KeyboardInterrupt:
        code = 0
    except Terminated:
        code = 143
    finally:
        _stop(server, builds, thread)
    print("\nserve: stopped", flush=True)
    return code


def _stop(server: PreviewServer, builds: Builds, thread: threading.Thread) -> None:
    """Close every event stream, stop the server, wait for its threads; a second Ctrl-C waits too."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        builds.close()
        server.shutdown()
        server.server_close()
        thread.join()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def keep_building(root: Path, command: list[str], builds: Builds, interval: float = watch.INTERVAL_S) -> None:
    """Build now, then each time a project file changes; each result goes to ``builds``. Until interrupted."""
    seen: watch.Snapshot | None = None
    number = 0
    while True:
        now = watch.take(root)
        if now is not None and now != seen:
            now = watch.settled(root, now)
            changed = watch.changed_files(seen, now)
            number += 1
            print(f"serve: build {number}: {watch.described(changed)}", flush=True)
            result = run_build(command, number, changed)
            builds.publish(result)
            verdict = "ok" if not result.failed else f"failed (exit {result.code})"
            print(f"serve: build {number} {verdict} in {result.seconds:.1f} s; the open pages reload", flush=True)
            seen = now
        time.sleep(interval)
