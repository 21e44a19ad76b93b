"""Run Ace by DAISY on an EPUB and read its report.

Ace (``@daisy/ace-cli`` from npm, installed by ``make`` into .venv/ace)
drives a headless Chromium through puppeteer to run axe-core on every
content document, and checks the package's accessibility metadata. We use
Debian's Chromium (``PUPPETEER_EXECUTABLE_PATH``); Ace 1.4 itself launches it
with ``--no-sandbox --disable-setuid-sandbox``, so it also runs as root in a
container, and nothing else needs to be passed.

Ace exits 0 even when it finds violations, so the verdict is read from
``report.json``: every assertion whose ``earl:outcome`` is ``fail``, with
its rule (``dct:title``), impact (minor, moderate, serious, critical), the
document it is in and its message.

    python -m leafpress.validate.ace BOOK.epub...

prints one line per violation and exits 1 if there are any. The Ace binary
is taken from ``LEAFPRESS_ACE`` (the Makefile sets it).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACE_ENV = "LEAFPRESS_ACE"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_S = 300


@dataclass(frozen=True)
class AceViolation:
    rule: str      # e.g. "color-contrast", "metadata-accessibilityfeature-invalid"
    impact: str    # minor, moderate, serious or critical
    file: str      # the document inside the EPUB, e.g. "ketamine-en-mdma.xhtml" or "EPUB/content.opf"
    message: str
    location: str = ""  # a CSS selector or snippet of the offending element, when Ace gives one

    def format(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.file}: {self.rule} ({self.impact}): {self.message}{where}"


@dataclass(frozen=True)
class AceReport:
    epub: Path
    report: Path  # report.json
    version: str  # Ace's version, from the report
    violations: tuple[AceViolation, ...]

    @property
    def passed(self) -> bool:
        return not self.violations


class AceFailed(RuntimeError):
    """Ace did not produce a report (not installed, Chromium missing, crashed, timed out)."""


def ace_binary(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The Ace executable named by LEAFPRESS_ACE, if it exists.

    npm installs @daisy/ace-cli's executable as ``ace-cli`` (the package's
    ``bin`` is a plain string, so npm names it after the package); when
    LEAFPRESS_ACE names ``.../.bin/ace`` and only ``ace-cli`` sits next to
    it, that one is used.
    """
    named = environ.get(ACE_ENV, "").strip()
    if not named:
        return None
    path = Path(named)
    for candidate in (path, path.with_name("ace-cli")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def ace_command(epub: Path, ace: Path, outdir: Path, verbose: bool = False) -> list[str]:
    return [str(ace), "--outdir", str(outdir), "--force", "--verbose" if verbose else "--silent", str(epub)]


def ace_environment(tmpdir: Path, base: Mapping[str, str] = os.environ,
                    chromium: Path = CHROMIUM) -> dict[str, str]:
    """The environment Ace runs in: Debian's Chromium (never a downloaded one), temporary files in ``tmpdir``.

    Ace unpacks the EPUB, and puppeteer and Chromium keep their profile and
    sockets, in the temporary folder; a folder of our own is removed after
    the run, whatever Chromium left. Keep its path short: Chromium puts a
    Unix socket in it, and socket paths end at 107 bytes.
    """
    env = dict(base)
    env.setdefault("PUPPETEER_EXECUTABLE_PATH", str(chromium))
    env["PUPPETEER_SKIP_DOWNLOAD"] = "1"
    env["TMPDIR"] = str(tmpdir)
    return env


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return " ".join(str(value or "").split())


def _location(result: Mapping[str, Any]) -> str:
    pointer = result.get("earl:pointer") or {}
    selectors = pointer.get("css") if isinstance(pointer, Mapping) else None
    if selectors:
        return _text(selectors)
    return _text(result.get("html", ""))[:160]


def _violation(assertion: Mapping[str, Any], file: str) -> AceViolation:
    test = assertion.get("earl:test", {})
    result = assertion.get("earl:result", {})
    # axe puts the rule in the test and the specifics in the result; Ace's own checks the other way round
    rule_text = _text(test.get("dct:description"))
    detail = _text(str(result.get("dct:description") or "").split("\n", 1)[0])
    message = rule_text if detail in ("", rule_text) else f"{rule_text} ({detail})" if rule_text else detail
    return AceViolation(rule=_text(test.get("dct:title")) or "unknown", impact=_text(test.get("earl:impact")),
                        file=file, message=message, location=_location(result))


def read_report(report: Mapping[str, Any]) -> tuple[AceViolation, ...]:
    """Every failed assertion of an Ace report.json, document by document."""
    found = []
    for document in report.get("assertions", []):
        file = _text(document.get("earl:testSubject", {}).get("url")).lstrip("/")
        for assertion in document.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") == "fail":
                found.append(_violation(assertion, file))
    return tuple(found)


def _run(command: list[str], env: dict[str, str], timeout: float, epub: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AceFailed(f"Ace could not run on {epub}: {exc}") from exc


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _errors(done: subprocess.CompletedProcess) -> str:
    """Ace's error lines (all of its output when it names none), without colours."""
    lines = [ANSI.sub("", line).strip() for line in (done.stdout + "\n" + done.stderr).splitlines()]
    lines = [line for line in lines if line]
    errors = [line for line in lines if line.lower().startswith("error")]
    return " / ".join(dict.fromkeys(errors or lines or ["no output"]))[-2000:]


def run_ace(epub_path: Path, ace_binary: Path, workdir: Path, timeout: float = TIMEOUT_S) -> AceReport:
    """Check one EPUB; Ace writes its reports into ``workdir`` (replacing what is there)."""
    epub_path, workdir = Path(epub_path), Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    report_path = workdir / "report.json"
    report_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="ace-") as tmpdir:
        env = ace_environment(Path(tmpdir))
        if not Path(env["PUPPETEER_EXECUTABLE_PATH"]).is_file():
            raise AceFailed(f"Ace needs Chromium at {env['PUPPETEER_EXECUTABLE_PATH']}: "
                            "install it (apt-get install chromium; make does this)")
        done = _run(ace_command(epub_path, Path(ace_binary), workdir), env, timeout, epub_path)
        if not report_path.is_file():
            # --silent hides why; run again, verbosely, to say what went wrong
            done = _run(ace_command(epub_path, Path(ace_binary), workdir, verbose=True), env, timeout, epub_path)
            raise AceFailed(f"Ace wrote no report for {epub_path} (exit {done.returncode}): {_errors(done)}")
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AceFailed(f"Ace's report for {epub_path} cannot be read: {exc}") from exc
    version = _text(report.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision"))
    return AceReport(epub_path, report_path, version, read_report(report))


def run_aces(epubs: Sequence[Path], ace_binary: Path, workdir: Path,
             jobs: int | None = None) -> list[AceReport | AceFailed]:
    """Check several EPUBs, ``jobs`` Ace processes at a time (default: the number of CPUs, at most 4).

    Each EPUB gets its own report folder under ``workdir``; the result is in
    the order of ``epubs``, an :class:`AceFailed` where Ace did not run.
    """
    def one(item: tuple[int, Path]) -> AceReport | AceFailed:
        index, epub = item
        try:
            return run_ace(epub, ace_binary, Path(workdir) / f"{index:03d}-{Path(epub).stem}")
        except AceFailed as failed:
            return failed

    workers = max(1, jobs or min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, enumerate(epubs)))


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m leafpress.validate.ace BOOK.epub...", file=sys.stderr)
        return 2
    ace = ace_binary()
    if ace is None:
        print(f"Ace by DAISY not found: set {ACE_ENV} to its executable (make installs it in .venv/ace)",
              file=sys.stderr)
        return 2
    failed = False
    with tempfile.TemporaryDirectory(prefix="leafpress-ace-") as workdir:
        for epub, result in zip(argv, run_aces([Path(a) for a in argv], ace, Path(workdir))):
            if isinstance(result, AceFailed):
                print(f"{epub}: {result}")
                failed = True
                continue
            for violation in result.violations:
                print(f"{epub}: {violation.format()}")
            failed = failed or not result.passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
