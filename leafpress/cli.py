"""The command line: ``leafpress [leaflets|booklets|all|check|status|readability|serve]``.

Three doors lead here, all to :func:`main`: the ``leafpress`` console script
(``[project.scripts]`` in pyproject.toml), ``python -m leafpress``
(``leafpress/__main__.py``) and ``python build.py`` in the project folder.

A build with nothing to do answers from the manifest alone, before the rest
of leafpress (or WeasyPrint) is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from leafpress.build import manifest, source_date
from leafpress.formats import registry

OTHER_COMMANDS = ("check", "status", "readability", "serve")  # besides building one format, or all


def _arguments(argv: Sequence[str] | None, prog: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog, description="Build accessible PDF leaflets and EPUB booklets from content/.")
    parser.add_argument("command", nargs="?", default=registry.ALL,
                        choices=(*registry.build_commands(), *OTHER_COMMANDS),
                        help=f"what to do (default: all = {_and(registry.targets(registry.ALL))})")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    parser.add_argument("--lang", action="append", default=[], metavar="LANG",
                        help="build only this language (repeatable)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--draft", action="store_true",
                        help="also build unfinished translations, marked as draft, with Dutch where text is missing")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes (default: one per core)")
    parser.add_argument("--force", action="store_true", help="rebuild everything, even what is up to date")
    parser.add_argument("--json", action="store_true", help="status: print JSON for tools")
    parser.add_argument("--port", type=int, default=None, metavar="N",
                        help="serve: the port on 127.0.0.1 (0: any free one; default 8000, or any free one)")
    parser.add_argument("--host", default=None, help=argparse.SUPPRESS)  # refused by serve: 127.0.0.1 only
    return parser.parse_args(argv)


def _and(names: Sequence[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def _run_key(args: argparse.Namespace) -> str:
    return json.dumps([args.command, sorted(args.lang), args.draft, args.strict, _today(),
                       source_date.setting()])


def _today() -> str:
    """The local date, as ``datetime.date.today().isoformat()`` says it, without importing datetime."""
    return time.strftime("%Y-%m-%d", time.localtime())


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Run one command; ``prog`` is the name usage messages give (default: how Python was started)."""
    try:
        code = _main(argv, prog)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the interpreter's exit
        return code
    except BrokenPipeError:  # `build.py status | head -1`: the reader has all it wants
        return quiet_exit()


def _main(argv: Sequence[str] | None, prog: str | None) -> int:
    args = _arguments(argv, prog)
    root = args.root.resolve()
    started = time.perf_counter()
    if args.command == "serve":
        from leafpress.serve.command import serve

        return serve(args, root)
    if args.port is not None or args.host is not None:
        print(f"build.py: error: --port and --host are options of serve, not of {args.command}", file=sys.stderr)
        return 2
    if args.command in registry.build_commands() and not args.force:
        recorded = manifest.load(root)
        kinds = registry.kinds(registry.targets(args.command))
        if manifest.nothing_to_do(root, recorded, _run_key(args), kinds, args.lang):
            run = recorded["runs"][_run_key(args)]
            for diagnostic in manifest.diagnostics(run["warnings"]):
                print(diagnostic.format(root), file=sys.stderr)
            print(f"nothing to do: {len(run['jobs'])} job(s) up to date "
                  f"({time.perf_counter() - started:.2f} s)")
            return 0
    try:
        from leafpress.build.command import run_command  # in here: Ctrl-C may come while it is imported

        return run_command(args, root, started)
    except KeyboardInterrupt:  # Ctrl-C: every output is written whole or not at all
        print("\nbuild.py: stopped; no half-written file is left in dist/, and the next build "
              "makes what is missing", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except OSError as exc:
        from leafpress.build.faults import fault_message

        message = fault_message(exc, root)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1


def quiet_exit() -> int:
    """End like a command killed by SIGPIPE (128 + 13), without a word: what is still
    buffered for the closed pipe goes nowhere, so Python's exit does not fail on it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141
