"""One build of the preview: ``python -m leafpress TARGET --root ROOT``, as a subprocess.

A subprocess, not a call: every build sees leafpress's modules as they are on disk now
(the build's own fingerprints rebuild everything when one changes), and a build that
crashes leaves the server running. The build is incremental and answers "nothing to
do" from its manifest alone, so a save costs the outputs that changed.

What the build prints goes to the terminal as it comes; the lines that are diagnostics
(``path:line: error: message [code]``) are read back into :class:`Diagnostic` values for
the page's problems banner.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leafpress.build import manifest
from leafpress.diagnostics import Diagnostic
from leafpress.formats import registry

# What a rebuild makes: the website once `build.py site` exists; until then the whole build.
# One constant, for the integrator to set to "site".
TARGET = "site" if "site" in registry.build_commands() else registry.ALL
STOP_WAIT_S = 10  # for a build told to stop (Ctrl-C), before it is killed
PACKAGE_HOME = manifest.PACKAGE.parent  # the folder this leafpress is in, for the build's imports

_DIAGNOSTIC = re.compile(r"(?P<path>\S.*?)(?::(?P<line>\d+))?: (?P<level>error|warning): "
                         r"(?:page (?P<page>\d+): )?(?P<message>.*) \[(?P<code>[^\s\[\]]+)\]")


@dataclass(frozen=True)
class BuildResult:
    """A finished build (number 0: none yet), what set it off, and what it said."""

    number: int
    code: int | None = None  # the build's exit status; None before the first build
    changed: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    output: tuple[str, ...] = ()  # every other line it printed
    seconds: float = 0.0
    finished: float = field(default_factory=time.time)

    @property
    def failed(self) -> bool:
        return self.code not in (None, 0)


def parse_diagnostic(line: str) -> Diagnostic | None:
    """The diagnostic a line of the build's output prints (:meth:`Diagnostic.format`); None for other lines."""
    found = _DIAGNOSTIC.fullmatch(line.rstrip("\n"))
    if found is None:
        return None
    line_number, page = found["line"], found["page"]
    return Diagnostic(found["path"], int(line_number) if line_number else None, found["level"],  # type: ignore[arg-type]
                      found["code"], found["message"], int(page) if page else None)


def build_command(root: Path, languages: Sequence[str] = (), draft: bool = False, strict: bool = False,
                  jobs: int = 0, target: str = TARGET) -> list[str]:
    """The build a change sets off, with the preview's own options."""
    command = [sys.executable, "-m", "leafpress", target, "--root", str(root)]
    for lang in languages:
        command += ["--lang", lang]
    command += ["--draft"] * draft + ["--strict"] * strict
    return command + (["--jobs", str(jobs)] if jobs else [])


def build_environment(base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment of a build: this one, with this leafpress first on the import path (the
    build is the same code as the server, also where leafpress is not installed)."""
    paths = [str(PACKAGE_HOME), *filter(None, base.get("PYTHONPATH", "").split(os.pathsep))]
    return {**base, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def _echo(line: str, diagnostic: Diagnostic | None) -> None:
    print(line, file=sys.stderr if diagnostic is not None else sys.stdout, flush=True)


def run_build(command: Sequence[str], number: int, changed: tuple[str, ...] = (),
              echo: Callable[[str, Diagnostic | None], None] = _echo) -> BuildResult:
    """Run the build, echoing each line it prints; Ctrl-C (or SIGTERM) stops it first, then goes on up."""
    started = time.perf_counter()
    diagnostics: list[Diagnostic] = []
    output: list[str] = []
    # a session of its own: Ctrl-C in the terminal reaches the server alone, which then stops the build
    # with one SIGTERM (a SIGINT could cut its imports short with a traceback; before the build has a
    # handler, SIGTERM ends it without a word, after, it removes its temporary files)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          text=True, encoding="utf-8", errors="replace", bufsize=1, env=build_environment(),
                          start_new_session=True) as process:
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.rstrip("\n")
                diagnostic = parse_diagnostic(line)
                if diagnostic is None:
                    output.append(line)
                else:
                    diagnostics.append(diagnostic)
                echo(line, diagnostic)
            code = process.wait()
        except BaseException:  # Ctrl-C, SIGTERM: the build stops too, leaving no half-written file
            _stop(process, echo)
            raise
    return BuildResult(number, code, changed, tuple(diagnostics), tuple(output), time.perf_counter() - started)


def _stop(process: subprocess.Popen, echo: Callable[[str, Diagnostic | None], None]) -> None:
    """Stop the build (killed if it takes longer than :data:`STOP_WAIT_S`); echo its last words."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        for raw in process.stdout:
            echo(raw.rstrip("\n"), None)
