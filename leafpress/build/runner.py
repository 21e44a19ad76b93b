"""Run the planned jobs: skip what is up to date, make the rest, in one or more workers.

Each worker is one long-lived process that gets the project once (forked
from the main process, which has loaded it already, or loaded again where
there is no fork) and keeps fonts, stylesheets, localized articles and
formatted citations for all the jobs it is given; :mod:`leafpress.build.schedule`
chooses which, one at a time.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import traceback
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from leafpress.build.faults import fault_message
from leafpress.build.inputs import Hasher, Inputs
from leafpress.build.manifest import record
from leafpress.build.outputs import Terminated, on_sigterm_exit
from leafpress.build.pipeline import Job, Session, run_job
from leafpress.build.schedule import Schedule
from leafpress.diagnostics import BuildFailed, Diagnostic, to_json
from leafpress.formats import registry
from leafpress.source.load import Project, load_project


@dataclass(frozen=True)
class Outcome:
    """What making one job came to; sent back from a worker process pickled (plain values:
    paths, strings, :class:`~leafpress.diagnostics.Diagnostic`), never read from dist/."""

    job: Job
    outputs: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...] = ()  # of the outputs it wrote
    error: str | None = None  # leafpress failed (a traceback), or the machine did (a full disk: one sentence)
    refused: bool = False  # the error is the machine's (a full disk), not leafpress's: no "internal error"
    refusals: tuple[Diagnostic, ...] = ()  # the problems in the project that kept it from writing anything

    @property
    def failed(self) -> bool:
        return self.error is not None or bool(self.refusals)


def job_key(job: Job) -> str:
    return f"{job.kind}:{job.lang}:{job.id}"


def describe(job: Job) -> str:
    return f"{job.kind} {job.lang}/{job.id}" + (" (draft)" if job.draft else "")


def _run_one(session: Session, job: Job) -> Outcome:
    try:
        made = run_job(session, job)
        return Outcome(job, made.outputs, made.warnings)
    except BuildFailed as refused:  # e.g. letters no font has: nothing written, the reason said
        return Outcome(job, (), refusals=refused.diagnostics)
    except OSError as exc:  # a full disk, a read-only dist/: one sentence, not a traceback
        message = fault_message(exc, session.project.paths.root, f"dist/ (making {describe(job)})")
        if message is None:
            return Outcome(job, (), error=traceback.format_exc(limit=8))
        return Outcome(job, (), error=message, refused=True)
    except Exception:  # an internal failure: report it, keep building the rest
        return Outcome(job, (), error=traceback.format_exc(limit=8))


def _worker(connection: Connection, root: str, published: dict[str, tuple[str, ...]],
            project: Project | None, kinds: Collection[str]) -> None:
    """A worker process: set up once, then make each job the main process sends, until it
    sends None. ``project`` is None when the worker did not fork from the main process.

    A set-up that fails (WeasyPrint's libraries missing, say) is reported as the
    failure of every job the worker is sent, not as a worker that vanished. SIGTERM ends
    it with exit code 143, once the job at hand has removed its temporary files.
    """
    on_sigterm_exit()
    try:
        session: Session | None = None
        failure = None
        try:
            if project is None:
                project, _ = load_project(Path(root))
            assert project is not None
            ready = Session(project, published)
            settle(ready, kinds)
            session = ready
        except Exception:
            failure = traceback.format_exc(limit=8)
        while (job := connection.recv()) is not None:
            connection.send(_run_one(session, job) if session else Outcome(job, (), error=failure))
            freeze_survivors()
    except (KeyboardInterrupt, EOFError, BrokenPipeError):  # the build was stopped
        pass


def kinds_of(jobs: Sequence[Job]) -> frozenset[str]:
    return frozenset(job.kind for job in jobs)


def settle(session: Session, kinds: Collection[str]) -> None:
    """Set up what the jobs of each format of ``kinds`` share (for leaflets: WeasyPrint, fonts,
    stylesheets), then put everything alive out of the garbage collector's sight (:func:`gc.freeze`).

    Those objects live as long as the process; a full collection would walk all of them
    again and again (10 times in a cold build of the real catalogue, 0.3 to 0.8 s). After
    the freeze it walks only what the jobs make.
    """
    for chosen in registry.FORMATS:
        if chosen.kind in kinds and chosen.setup is not None:
            chosen.setup(session)
    freeze_survivors()


def freeze_survivors() -> None:
    """Collect the garbage, then freeze what is left: what lives on in a worker.

    Called again after each job of a batch: what a job leaves alive is what it added
    to the caches (localized articles, formatted citations, WeasyPrint's fonts), which
    stay to the end. Full collections walking all the caches again and again took
    0.31 s of a cold -j1 build of the real catalogue and 3.3 s of the generated one
    (30 articles); with this 0.21 s and 1.7 s, and the peak memory went from 121 to
    110 MiB and from 128 to 117 MiB.
    """
    gc.collect()
    gc.freeze()


Context = multiprocessing.context.ForkContext | multiprocessing.context.DefaultContext


def _process_context() -> Context:
    """Fork where there is fork: a worker then starts with the project the main process loaded."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


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
    """Make ``jobs``; in this process when one worker suffices (none: nothing is set up)."""
    if not jobs:
        return []
    progress = Progress(len(jobs))
    try:
        if workers <= 1 or len(jobs) <= 1:
            session = session or Session(project, published)
            if len(jobs) > 1:  # one job gains nothing from it
                settle(session, kinds_of(jobs))
            outcomes = []
            for number, job in enumerate(jobs, start=1):
                outcomes.append(_run_one(session, job))
                progress.step(describe(job))
                if number < len(jobs):
                    freeze_survivors()
            return outcomes
        return _make_in_workers(project, jobs, published, min(workers, len(jobs)), progress)
    finally:
        progress.close()


def preload(kinds: Collection[str]) -> None:
    """What the formats of ``kinds`` import once before the workers are forked, so that they share it."""
    for chosen in registry.FORMATS:
        if chosen.kind in kinds and chosen.preload is not None:
            chosen.preload()


def _make_in_workers(project: Project, jobs: Sequence[Job], published: dict[str, tuple[str, ...]],
                     count: int, progress: Progress) -> list[Outcome]:
    """Make ``jobs`` in ``count`` worker processes, each sent its next job as it finishes
    one (:class:`~leafpress.build.schedule.Schedule` says which). A worker that dies fails the
    job it was making; the others make the rest."""
    context = _process_context()
    inherited = project if context.get_start_method() == "fork" else None
    if inherited is not None:
        preload(kinds_of(jobs))
    arguments = (str(project.paths.root), published, inherited, kinds_of(jobs))
    schedule = Schedule.of(jobs)
    processes: dict[Connection, BaseProcess] = {}
    making: dict[Connection, Job] = {}
    outcomes: list[Outcome] = []

    def send_next(connection: Connection) -> None:
        job = schedule.take(connection)
        if job is not None:
            connection.send(job)
            making[connection] = job

    try:
        for _ in range(count):
            here, process = _start_worker(context, arguments)
            processes[here] = process
            send_next(here)
        while making:
            ready = wait(list(making))
            for connection in [c for c in making if c in ready]:  # as Connections, not what wait() may return
                job = making.pop(connection)
                try:
                    outcome = connection.recv()
                except EOFError:  # the worker died (a crash in a C library, say): no more for it
                    processes[connection].join()
                    outcome = Outcome(job, (), error=f"the worker process making it stopped "
                                                     f"(exit code {processes[connection].exitcode})")
                else:
                    send_next(connection)
                outcomes.append(outcome)
                progress.step(describe(job))
        outcomes += [Outcome(job, (), error="not made: every worker process had stopped")
                     for job in schedule.waiting]
        return outcomes
    except Terminated:  # SIGTERM to this process alone: stop the workers too, each cleaning up
        for process in processes.values():
            process.terminate()
        raise
    finally:
        _stop_workers(processes)


def _start_worker(context: Context, arguments: tuple) -> tuple[Connection, BaseProcess]:
    """A worker process, started, and this end of the pipe to it."""
    here, there = context.Pipe()
    process: BaseProcess = context.Process(target=_worker, args=(there, *arguments), daemon=True)
    process.start()
    there.close()  # the worker's end, so that its exit reads as EOF here
    return here, process


def _stop_workers(processes: dict[Connection, BaseProcess]) -> None:
    """Tell each worker still alive that there is nothing more, then wait for it (5 s at most)."""
    for connection, process in processes.items():
        if process.is_alive():
            try:
                connection.send(None)
            except OSError:
                pass
        connection.close()
    for process in processes.values():
        process.join(timeout=5)
        if process.is_alive():
            process.terminate()
            process.join()


def fingerprints(project: Project, jobs: Sequence[Job], published: dict[str, tuple[str, ...]]) -> dict[str, str]:
    hasher = Hasher(project.paths.root)
    inputs = Inputs(project, published, hasher, hasher.code())
    return {job_key(job): inputs.fingerprint(job) for job in jobs}


def split_by_freshness(root: Path, jobs: Sequence[Job], prints: dict[str, str],
                       recorded: dict) -> tuple[list[Job], list[Job]]:
    """(jobs to make, jobs whose outputs are up to date)."""
    from leafpress.build.manifest import Confinement, outputs_in_place

    stale, fresh = [], []
    confinement = Confinement(root)
    for job in jobs:
        entry = recorded.get(job_key(job))
        if (entry and entry["fingerprint"] == prints[job_key(job)]
                and outputs_in_place(root, entry["outputs"], confinement)):
            fresh.append(job)
        else:
            stale.append(job)
    return stale, fresh


def remember(root: Path, recorded: dict, outcomes: Sequence[Outcome], prints: dict[str, str]) -> None:
    for outcome in outcomes:
        if not outcome.failed:
            recorded[job_key(outcome.job)] = {"fingerprint": prints[job_key(outcome.job)],
                                              "outputs": record(root, outcome.outputs),
                                              "warnings": [to_json(d, root) for d in outcome.warnings]}
