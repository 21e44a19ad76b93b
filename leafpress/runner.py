"""Run the planned jobs: skip what is up to date, make the rest, in one or more workers.

Each worker is one long-lived process that gets the project once (forked
from the main process, which has loaded it already, or loaded again where
there is no fork) and keeps fonts, stylesheets, localized articles and
formatted citations for all the jobs it is given.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .inputs import Hasher, Inputs
from .load import Project, load_project
from .manifest import record
from .pipeline import Job, Session, run_job


@dataclass(frozen=True)
class Outcome:
    job: Job
    outputs: tuple[Path, ...]
    warnings: tuple[str, ...] = ()
    error: str | None = None


def job_key(job: Job) -> str:
    return f"{job.kind}:{job.lang}:{job.id}"


def describe(job: Job) -> str:
    return f"{job.kind} {job.lang}/{job.id}" + (" (draft)" if job.draft else "")


def _run_one(session: Session, job: Job) -> Outcome:
    try:
        made = run_job(session, job)
        return Outcome(job, made.outputs, made.warnings)
    except Exception:  # an internal failure: report it, keep building the rest
        return Outcome(job, (), error=traceback.format_exc(limit=8))


# The one Session of a worker process, made by its initializer.
_WORKER_SESSION: Session | None = None


def _init_worker(root: str, published: dict[str, tuple[str, ...]], project: Project | None, pdfs: bool) -> None:
    """Set up the worker's Session; ``project`` is None when the worker did not fork from the main process."""
    global _WORKER_SESSION
    if project is None:
        project, _ = load_project(Path(root))
    assert project is not None
    _WORKER_SESSION = Session(project, published)
    settle(_WORKER_SESSION, pdfs)


def makes_pdfs(jobs: Sequence[Job]) -> bool:
    return any(job.kind == "leaflet" for job in jobs)


def settle(session: Session, pdfs: bool) -> None:
    """Set up what every leaflet shares (WeasyPrint, fonts, stylesheets), then put everything
    alive out of the garbage collector's sight (:func:`gc.freeze`).

    Those objects live as long as the process; a full collection would walk all of them
    again and again (10 times in a cold build of the real catalogue, 0.3 to 0.8 s). After
    the freeze it walks only what the jobs make.
    """
    if pdfs:
        session.pdf_engine()
    gc.collect()
    gc.freeze()


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork where there is fork: a worker then starts with the project the main process loaded."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _work(job: Job) -> Outcome:
    assert _WORKER_SESSION is not None
    return _run_one(_WORKER_SESSION, job)


class Progress:
    """One updating line on a terminal; silent otherwise."""

    def __init__(self, total: int, stream=None):
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.live = total > 0 and self.stream is not None and self.stream.isatty()

    def step(self, text: str) -> None:
        self.done += 1
        if self.live:
            self.stream.write(f"\r\033[K[{self.done}/{self.total}] {text}")
            self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def make(project: Project, jobs: Sequence[Job], published: dict[str, tuple[str, ...]],
         workers: int, session: Session | None = None) -> list[Outcome]:
    """Make ``jobs``; in this process when one worker suffices."""
    progress = Progress(len(jobs))
    outcomes: list[Outcome] = []
    try:
        if workers <= 1 or len(jobs) <= 1:
            session = session or Session(project, published)
            if len(jobs) > 1:  # one job gains nothing from it
                settle(session, makes_pdfs(jobs))
            for job in jobs:
                outcomes.append(_run_one(session, job))
                progress.step(describe(job))
            return outcomes
        ordered = pool_order(jobs)
        context = _pool_context()
        inherited = project if context.get_start_method() == "fork" else None
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, initializer=_init_worker,
                                 initargs=(str(project.paths.root), published, inherited, makes_pdfs(jobs))) as pool:
            futures = [pool.submit(_work, job) for job in ordered]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                progress.step(describe(outcome.job))
        return outcomes
    finally:
        progress.close()


def pool_order(jobs: Sequence[Job]) -> list[Job]:
    """The order jobs go to a pool: leaflets first (a leaflet takes about half a second,
    a booklet a few hundredths), so the workers end together on short jobs instead of
    one waiting for the other's last leaflet; by language within each kind, so a
    worker often gets the language it localized already."""
    return sorted(jobs, key=lambda j: (j.kind != "leaflet", j.lang, j.id))


def fingerprints(project: Project, jobs: Sequence[Job], published: dict[str, tuple[str, ...]]) -> dict[str, str]:
    hasher = Hasher(project.paths.root)
    inputs = Inputs(project, published, hasher, hasher.code())
    return {job_key(job): inputs.fingerprint(job) for job in jobs}


def split_by_freshness(root: Path, jobs: Sequence[Job], prints: dict[str, str],
                       recorded: dict) -> tuple[list[Job], list[Job]]:
    """(jobs to make, jobs whose outputs are up to date)."""
    from .manifest import outputs_in_place

    stale, fresh = [], []
    for job in jobs:
        entry = recorded.get(job_key(job))
        if entry and entry["fingerprint"] == prints[job_key(job)] and outputs_in_place(root, entry["outputs"]):
            fresh.append(job)
        else:
            stale.append(job)
    return stale, fresh


def remember(root: Path, recorded: dict, outcomes: Sequence[Outcome], prints: dict[str, str]) -> None:
    for outcome in outcomes:
        if outcome.error is None:
            recorded[job_key(outcome.job)] = {"fingerprint": prints[job_key(outcome.job)],
                                              "outputs": record(root, outcome.outputs),
                                              "warnings": list(outcome.warnings)}
