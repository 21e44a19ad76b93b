"""The command line: ``python build.py [leaflets|booklets|all|check|status]``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Sequence

from .diagnostics import Diagnostic, has_errors
from .load import Project, load_and_check
from .pipeline import Options, Session, plan, published_languages, run_job
from .translations import article_status

COMMANDS = ("leaflets", "booklets", "all", "check", "status")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build accessible PDF leaflets and EPUB booklets from content/.")
    parser.add_argument("command", nargs="?", default="all", choices=COMMANDS,
                        help="what to do (default: all = leaflets and booklets)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    parser.add_argument("--lang", action="append", default=[], metavar="LANG",
                        help="build only this language (repeatable)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--draft", action="store_true",
                        help="also build unfinished translations, marked as draft, with Dutch where text is missing")
    parser.add_argument("--json", action="store_true", help="status: print JSON for tools")
    return parser.parse_args(argv)


def report(diagnostics: Sequence[Diagnostic], root: Path) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(root), file=sys.stderr)


def status_rows(project: Project) -> list[dict]:
    rows = []
    for lang, language in project.languages.items():
        for article in project.articles.values():
            counts = article_status(language, project.sources, article)
            rows.append({"language": lang, "article": article.id, "translated": counts.translated,
                         "fuzzy": counts.fuzzy, "untranslated": counts.untranslated,
                         "percent": round(counts.percent, 1), "complete": counts.complete})
    return rows


def print_status(project: Project, as_json: bool) -> None:
    rows = status_rows(project)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        mark = "ready" if row["complete"] else "not ready"
        print(f"{row['language']:4} {row['article']:28} {row['translated']:4} translated, "
              f"{row['fuzzy']:3} fuzzy, {row['untranslated']:3} untranslated  {row['percent']:5.1f}%  {mark}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    root = args.root.resolve()
    started = time.perf_counter()
    project, diagnostics = load_and_check(root)
    if project is not None and args.command == "status":
        report(diagnostics, root)
        print_status(project, args.json)
        return 1 if has_errors(diagnostics) else 0
    unknown = [lang for lang in args.lang if project is not None and lang not in project.site.languages]
    if unknown:
        print(f"build.py: error: unknown language {', '.join(unknown)}; configured in content/site.yaml: "
              f"{', '.join(project.site.languages)}", file=sys.stderr)  # type: ignore[union-attr]
        return 1
    targets = {"leaflets": ("leaflets",), "booklets": ("booklets",)}.get(args.command, ("leaflets", "booklets"))
    options = Options(languages=tuple(args.lang), targets=targets, draft=args.draft, strict=args.strict)
    jobs = []
    if project is not None and not has_errors(diagnostics):
        jobs, found = plan(project, options)
        diagnostics = diagnostics + found
    report(diagnostics, root)
    if project is None or has_errors(diagnostics, args.strict):
        errors = sum(d.level == "error" or args.strict for d in diagnostics)
        print(f"build.py: {errors} problem(s); nothing was written", file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"check: {len(project.articles)} articles, {len(project.booklets)} booklets: no errors")
        return 0
    session = Session(project, published_languages(jobs))
    written = []
    for job in jobs:
        written += run_job(session, job)
    elapsed = time.perf_counter() - started
    print(f"built {len(written)} file(s) in {elapsed:.1f} s: {len(jobs)} job(s) "
          f"({sum(j.draft for j in jobs)} draft)")
    return 0
