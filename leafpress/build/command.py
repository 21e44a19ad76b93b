"""The commands behind the command line, once the quick up-to-date check has said no."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from leafpress.build import manifest, parse_cache
from leafpress.build.outputs import Terminated, sigterm_exits, sweep_temporaries
from leafpress.build.pipeline import Job, Options, plan, published_languages
from leafpress.build.runner import (
    Outcome,
    default_workers,
    describe,
    fingerprints,
    job_key,
    make,
    remember,
    split_by_freshness,
)
from leafpress.build.source_date import source_date_epoch
from leafpress.diagnostics import Diagnostic, failing, has_errors, to_json
from leafpress.formats import registry
from leafpress.formats.registry import ALL
from leafpress.i18n.translations import UNREADABLE, article_blockers, article_status
from leafpress.render.glyphs import glyph_findings
from leafpress.source.load import Project, load_and_check


def report(diagnostics: Sequence[Diagnostic], root: Path) -> list[Diagnostic]:
    """Print ``diagnostics`` on stderr, one line each, paths from the project folder; return them."""
    for diagnostic in diagnostics:
        print(diagnostic.format(root), file=sys.stderr)
    return list(diagnostics)


def status_rows(project: Project, languages: Sequence[str] = ()) -> list[dict]:
    """Per language and article: the counts, and every message that keeps it unpublished."""
    rows = []
    for lang, language in project.languages.items():
        if languages and lang not in languages:
            continue
        for article in project.articles.values():
            counts = article_status(language, project.sources, article)
            blocking = article_blockers(project.paths.translations, language, project.sources, article)
            rows.append({"language": lang, "article": article.id, "translated": counts.translated,
                         "fuzzy": counts.fuzzy, "untranslated": counts.untranslated,
                         "percent": round(counts.percent, 1), "complete": counts.complete,
                         "blocking": [{"path": _relative(b.path, project.paths.root), "line": b.line,
                                       "state": b.state, "message": b.msgid} for b in blocking]})
    return rows


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _shown(msgid: str, width: int = 70) -> str:
    """A message as one short quoted line."""
    text = msgid.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"' if len(text) <= width else f'"{text[:width - 1].rstrip()}…"'


def blocker_lines(rows: Sequence[dict], root: Path) -> list[str]:
    """One `path:line:` line per blocking message, naming the articles it blocks; a missing
    catalog is one line."""
    blocks: dict[tuple, list[str]] = {}
    for row in rows:
        for b in row["blocking"]:
            missing = not (root / b["path"]).exists()
            key = (b["path"], None, "missing", "") if missing else (b["path"], b["line"], b["state"], b["message"])
            articles = blocks.setdefault(key, [])
            if row["article"] not in articles:
                articles.append(row["article"])
    lines = []
    for (path, line, state, message), articles in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        blocked = f"(blocks {', '.join(articles)})"
        if state == "missing":
            lines.append(f"{path}: missing: this catalog does not exist yet; run make translations {blocked}")
        elif state == UNREADABLE:
            lines.append(f"{path}: {state}: this catalog has the errors above; mend them (Poedit shows "
                         f"the line), then the messages are counted again {blocked}")
        elif line is None:
            lines.append(f"{path}: {state}: {_shown(message)} is not in this catalog yet; "
                         f"run make translations {blocked}")
        else:
            lines.append(f"{path}:{line}: {state}: {_shown(message)} {blocked}")
    return lines


def print_status(project: Project, as_json: bool, languages: Sequence[str] = ()) -> None:
    rows = status_rows(project, languages)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if project.source_language in languages:
        print(f"{project.source_language}: the source language; nothing to translate")
    for lang in dict.fromkeys(row["language"] for row in rows):
        in_lang = [row for row in rows if row["language"] == lang]
        for row in in_lang:
            mark = "ready" if row["complete"] else "not ready"
            print(f"{row['language']:4} {row['article']:28} {row['translated']:4} translated, "
                  f"{row['fuzzy']:3} fuzzy, {row['untranslated']:3} untranslated  {row['percent']:5.1f}%  {mark}")
        for line in blocker_lines(in_lang, project.paths.root):
            print(line)


def print_readability(project: Project, diagnostics: Sequence[Diagnostic], root: Path, strict: bool) -> int:
    """``build.py readability``: the project's problems, the plain-language warnings (errors
    with --strict) on stderr, the figures per article and language on stdout."""
    from leafpress.readability.report import readability  # here: only this command needs it

    lines, found = readability(project)
    if strict:
        found = [d._replace(level="error") if d.level == "warning" else d for d in found]
    report([*diagnostics, *found], root)
    for line in lines:
        print(line)
    problems = len(failing([*diagnostics, *found], strict))
    if problems:
        print(f"build.py: {problems} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def unpublished(project: Project, recorded: dict, jobs: Sequence[Job], options: Options) -> list[str]:
    """The recorded jobs this run covers but no longer plans (their outputs must go)."""
    planned = {job_key(j) for j in jobs}
    in_scope = set(registry.kinds(options.targets))
    languages = set(options.languages or project.site.languages)
    gone = []
    for key in recorded:
        kind, lang, _id = key.split(":", 2)
        if key not in planned and kind in in_scope and lang in languages:
            gone.append(key)
    return gone


def remove_outputs(root: Path, recorded: dict, keys: Sequence[str]) -> list[str]:
    """Delete the outputs of the jobs ``keys``, so an outdated translation is never printed;
    only files inside dist/ (:func:`leafpress.build.manifest.confined`), whatever the manifest says."""
    removed = []
    for key in keys:
        for relative in recorded[key]["outputs"]:
            path = manifest.confined(root, relative)
            if path is not None and (path.is_file() or path.is_symlink()):
                path.unlink()
                removed.append(relative)
                _remove_empty_folders(root / "dist", path.parent)
    return removed


def remove_left_behind(root: Path, recorded: dict, outcomes: Sequence[Outcome]) -> list[str]:
    """Delete what a job made last time and no longer makes (a web page's picture, a booklet its
    index stopped offering), once the job has been made again."""
    removed = []
    for outcome in outcomes:
        entry = recorded.get(job_key(outcome.job))
        if outcome.failed or entry is None:
            continue
        now = {str(path.relative_to(root)) for path in outcome.outputs}
        for relative in entry["outputs"]:
            path = manifest.confined(root, relative)
            if relative not in now and path is not None and (path.is_file() or path.is_symlink()):
                path.unlink()
                removed.append(relative)
                _remove_empty_folders(root / "dist", path.parent)
    return removed


def _remove_empty_folders(dist: Path, folder: Path) -> None:
    """The folders a removed output leaves empty (a web page's), up to dist/."""
    while folder != dist and folder.is_relative_to(dist) and not folder.is_symlink():
        try:
            folder.rmdir()
        except OSError:  # not empty, or not there
            return
        folder = folder.parent


def run_command(args: argparse.Namespace, root: Path, started: float) -> int:
    """Run one command; SIGTERM stops it like Ctrl-C, leaving no temporary file, exit 143."""
    try:
        with sigterm_exits():
            return _run(args, root, started)
    except Terminated:
        print("\nbuild.py: stopped (SIGTERM); no half-written file is left in dist/, and the next build "
              "makes what is missing", file=sys.stderr)
        raise


def _run(args: argparse.Namespace, root: Path, started: float) -> int:
    """The build, step by step: load and check, plan, make, record."""
    if not _source_date_set():
        return 1
    snapshot = manifest.snapshot(root)  # before anything is read: what this run is made from
    parsed = parse_cache.load(root)
    project, diagnostics = load_and_check(root, parsed)
    if project is not None and (answered := _answer(args, root, project, diagnostics)) is not None:
        return answered
    planned = plan_build(args, root, project, diagnostics, parsed)
    if planned is None or project is None:  # (no project, no plan)
        return 1
    if args.command == "check":
        return print_check(project)
    work = sort_out(root, project, planned, args.force)
    outcomes = make_in_order(project, work.stale, planned.published, args.jobs or default_workers())
    work = work._replace(removed=work.removed + left_behind(root, work.recorded, outcomes))
    verdict = judge(root, work, outcomes, args.strict)
    record_run(root, args, snapshot, planned, work, outcomes, verdict)
    parse_cache.save(root, parsed)
    written = sum(len(o.outputs) for o in outcomes)
    print(f"built {len(work.stale) - len(verdict.failed)} job(s) ({written} files), {len(work.fresh)} up to date, "
          f"{len(verdict.failed)} failed, {len(work.removed)} removed, in {time.perf_counter() - started:.1f} s")
    return 0 if verdict.recorded else 1


def _source_date_set() -> bool:
    """SOURCE_DATE_EPOCH, read again where it is used: a bad value stops the build first."""
    try:
        source_date_epoch()
    except ValueError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return False
    return True


def print_check(project: Project) -> int:
    """``build.py check``: no errors (else the plan would have stopped it); what would be built from."""
    print(f"check: {len(project.articles)} articles, {len(project.booklets)} booklets, "
          f"{len(project.site.languages)} languages: no errors")
    return 0


def _answer(args: argparse.Namespace, root: Path, project: Project, diagnostics: list[Diagnostic]) -> int | None:
    """The exit code of a command that builds nothing (status, readability), or of an unknown
    --lang; None when the build goes on."""
    unknown = [lang for lang in args.lang if lang not in project.site.languages]
    if unknown:
        print(f"build.py: error: unknown language {', '.join(unknown)}; the languages in "
              f"content/site.yaml are {', '.join(project.site.languages)}", file=sys.stderr)
        return 1
    if args.command == "status":
        report(diagnostics, root)
        print_status(project, args.json, args.lang)
        return 1 if has_errors(diagnostics) else 0
    if args.command == "readability":
        return print_readability(project, diagnostics, root, args.strict)
    return None


class Planned(NamedTuple):
    """The jobs of this run, and every problem of the project and the plan (printed, and kept with the run)."""

    options: Options
    jobs: list[Job]
    published: dict[str, tuple[str, ...]]
    printed: list[Diagnostic]


def plan_build(args: argparse.Namespace, root: Path, project: Project | None, diagnostics: list[Diagnostic],
               parsed: parse_cache.Parsed) -> Planned | None:
    """Plan the jobs (:func:`leafpress.build.pipeline.plan`) and look for letters no font has;
    print every problem; None when they stop the build."""
    options = Options(languages=tuple(args.lang), targets=registry.targets(args.command) or registry.targets(ALL),
                      draft=args.draft, strict=args.strict)
    jobs: list[Job] = []
    published: dict[str, tuple[str, ...]] = {}
    if project is not None and not has_errors(diagnostics):
        jobs, found = plan(project, options)
        published = published_languages(project)
        diagnostics = diagnostics + found + glyph_findings(project, jobs, published, parsed)
    printed = report(diagnostics, root)
    if project is None or has_errors(diagnostics, args.strict):
        print(f"build.py: {len(failing(diagnostics, args.strict))} problem(s); nothing was written", file=sys.stderr)
        return None
    return Planned(options, jobs, published, printed)


class Work(NamedTuple):
    """The planned jobs sorted out against the manifest: to make, up to date, gone."""

    recorded: dict  # the manifest's jobs
    prints: dict[str, str]  # each planned job's fingerprint
    stale: list[Job]
    fresh: list[Job]
    gone: list[str]  # the keys of recorded jobs no longer planned
    removed: list[str]  # their outputs, deleted


def make_in_order(project: Project, jobs: Sequence[Job], published: dict[str, tuple[str, ...]],
                  workers: int) -> list[Outcome]:
    """Make ``jobs``: first those of the formats that copy nothing, then the others (the web
    pages, which offer the leaflets' files), without a job whose source failed just now: that
    one is left for the next build."""
    copying = {f.kind: f.copies for f in registry.FORMATS if f.copies is not None}
    outcomes = make(project, [j for j in jobs if j.kind not in copying], published, workers)
    failed = {job_key(o.job) for o in outcomes if o.failed}
    after = [j for j in jobs if j.kind in copying
             and not any(key in failed for key in copying[j.kind](project, published, j))]
    return outcomes + (make(project, after, published, workers) if after else [])


def left_behind(root: Path, recorded: dict, outcomes: Sequence[Outcome]) -> list[str]:
    """:func:`remove_left_behind`, each file said on stderr."""
    removed = remove_left_behind(root, recorded, outcomes)
    for relative in removed:
        print(f"removed {relative}: no longer published", file=sys.stderr)
    return removed


def sort_out(root: Path, project: Project, planned: Planned, force: bool) -> Work:
    """Which planned jobs are up to date; the outputs of what is no longer published deleted,
    and what stopped builds left behind."""
    recorded, problem = manifest.read(root)
    if problem:  # a cache thrown away, not a problem of what is published: not counted by --strict
        report([problem], root)
    jobs = planned.jobs
    prints = fingerprints(project, jobs, planned.published)
    stale, fresh = split_by_freshness(root, jobs, prints, recorded["jobs"]) if not force else (jobs, [])
    gone = unpublished(project, recorded["jobs"], jobs, planned.options)
    removed = remove_outputs(root, recorded["jobs"], gone)
    for relative in removed:
        print(f"removed {relative}: no longer published", file=sys.stderr)
    sweep_temporaries(project.paths.dist, time.time())
    return Work(recorded["jobs"], prints, stale, fresh, gone, removed)


class Verdict(NamedTuple):
    failed: list[Outcome]
    warnings: list[Diagnostic]  # of every output of the run, made now or before
    recorded: bool  # the run is kept in the manifest: nothing failed, nothing stopped --strict


def judge(root: Path, work: Work, outcomes: Sequence[Outcome], strict: bool) -> Verdict:
    """Print the warnings of every output of the run and why a job failed."""
    job_warnings = [d for o in outcomes for d in o.warnings]
    job_warnings += [d for j in work.fresh for d in manifest.diagnostics(work.recorded[job_key(j)]["warnings"])]
    printed = report(job_warnings, root)
    failed = [o for o in outcomes if o.failed]
    # --strict: the warnings of outputs made before (without it) stop the build as well;
    # the jobs made now stopped on theirs before writing (leaflet_job.make_leaflet)
    stopping = failing(job_warnings, strict)
    if stopping:
        print(f"build.py: --strict: {len(stopping)} warning(s) of outputs already in dist/", file=sys.stderr)
    for outcome in failed:
        if outcome.refusals:
            report(outcome.refusals, root)
        elif outcome.refused:
            print(outcome.error, file=sys.stderr)
        else:
            print(f"build.py: internal error while making {describe(outcome.job)}:\n{outcome.error}", file=sys.stderr)
    return Verdict(failed, printed, not failed and not stopping)


def record_run(root: Path, args: argparse.Namespace, snapshot: dict, planned: Planned, work: Work,
               outcomes: Sequence[Outcome], verdict: Verdict) -> None:
    """Write down what each job made from what, and (when it all went well) the run itself, for
    the next build's "nothing to do"."""
    run = None
    if verdict.recorded:
        from leafpress.cli import _run_key

        run = (_run_key(args), {"snapshot": {k: list(v) for k, v in snapshot.items()},
                                "jobs": [job_key(j) for j in planned.jobs],
                                "warnings": [to_json(d, root) for d in [*planned.printed, *verdict.warnings]]})

    def change(current: dict) -> None:  # the manifest as it is now: another build may have written it
        for key in work.gone:
            current["jobs"].pop(key, None)
        remember(root, current["jobs"], outcomes, work.prints)
        if run is not None:
            current["runs"][run[0]] = run[1]

    manifest.update(root, change)
