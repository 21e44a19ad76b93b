"""The job runner's process set-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_settle_puts_what_lives_on_out_of_the_collectors_sight():
    """After settle, the project (and WeasyPrint, when there are PDFs) is frozen: a full
    garbage collection no longer walks it. In a child process: freezing is for the process."""
    code = ("import gc; from pathlib import Path; from leafpress.source.load import load_project; "
            "from leafpress.build.pipeline import Session, published_languages; from leafpress.build.runner import settle; "
            "p, _ = load_project(Path('.')); s = Session(p, published_languages(p)); "
            "before = gc.get_freeze_count(); settle(s, {'leaflet'}); "
            "print(before, gc.get_freeze_count(), 'weasyprint' in __import__('sys').modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    before, after, imported = out.stdout.split()
    assert int(before) == 0
    assert int(after) > 50_000  # WeasyPrint and the project: some 75 000 objects
    assert imported == "True"


def test_what_each_job_of_a_batch_leaves_alive_is_frozen_too():
    """In one process, after each job but the last, the survivors join the frozen
    objects: the caches a job filled are not walked by every later full collection."""
    code = ("import gc, json; from pathlib import Path; from leafpress.build import runner; "
            "from leafpress.source.load import load_project; from leafpress.build.pipeline import Job, Made, published_languages; "
            "p, _ = load_project(Path('tests/roots/basic')); kept = []; counts = []; "
            "runner.run_job = lambda s, j: (kept.append([[] for _ in range(1000)]), "
            "counts.append(gc.get_freeze_count()), Made(()))[-1]; "
            "jobs = [Job('booklet', 'nl', str(n), False) for n in range(3)]; "
            "runner.make(p, jobs, published_languages(p), workers=1); counts.append(gc.get_freeze_count()); "
            "print(json.dumps(counts))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    during_first, during_second, during_third, after = json.loads(out.stdout)
    assert during_second >= during_first + 1000  # the first job's 1000 lists, frozen
    assert during_third >= during_second + 1000
    assert after < during_third + 1000  # nothing follows the last job: its lists stay unfrozen


def _jobs(*specs: str) -> list:
    from leafpress.build.pipeline import Job

    kinds = {"L": "leaflet", "B": "booklet"}
    return [Job(kinds[spec[0]], spec[1:3], spec[4:], False) for spec in specs]


def _described(job) -> str:
    return f"{job.kind[0].upper()}{job.lang}/{job.id}"


def test_a_worker_stays_in_its_languages_and_booklets_come_last():
    from leafpress.build.schedule import Schedule

    schedule = Schedule.of(_jobs("Lnl/a", "Lnl/b", "Bnl/x", "Len/a", "Len/b", "Ben/x", "Lar/a", "Bar/x"))
    order = [(worker, _described(schedule.take(worker))) for worker in (1, 2, 1, 2, 1, 2, 1, 2)]
    assert order == [
        (1, "Lnl/a"), (2, "Len/a"),  # each its own language
        (1, "Lnl/b"), (2, "Len/b"),
        (1, "Lar/a"),                # worker 1's language is done: one nobody has started
        (2, "Ben/x"),                # no leaflet left: a booklet, in a language worker 2 knows
        (1, "Bnl/x"), (2, "Bar/x")]
    assert schedule.take(1) is None and schedule.waiting == []


def test_a_worker_with_nothing_left_in_its_languages_helps_with_another():
    from leafpress.build.schedule import Schedule

    schedule = Schedule.of(_jobs("Lnl/a", "Lnl/b", "Lnl/c", "Lnl/d", "Len/a"))
    order = [_described(schedule.take(worker)) for worker in (1, 2, 2, 1, 2)]
    assert order == ["Lnl/a", "Len/a", "Lnl/b", "Lnl/c", "Lnl/d"]


def test_a_worker_that_dies_fails_the_job_it_was_making_and_the_others_make_the_rest(monkeypatch):
    """The workers fork from this process, so they run the stand-in ``run_job``: it kills
    the worker that gets booklet 'b' of 'en' and makes nothing for the others."""
    import os

    from leafpress.build import runner
    from leafpress.build.pipeline import Made, published_languages
    from leafpress.source.load import load_project

    if runner._process_context().get_start_method() != "fork":
        pytest.skip("the stand-in reaches the workers only when they fork")

    def run_job(session, job):
        if (job.lang, job.id) == ("en", "b"):
            os._exit(3)
        return Made(())

    monkeypatch.setattr(runner, "run_job", run_job)
    project, _ = load_project(REPO / "tests" / "roots" / "basic")
    jobs = _jobs(*(f"B{lang}/{name}" for lang in ("nl", "en", "ar") for name in "abc"))
    outcomes = runner.make(project, jobs, published_languages(project), workers=2)
    assert sorted((o.job.lang, o.job.id) for o in outcomes) == sorted((j.lang, j.id) for j in jobs)
    failed = [o for o in outcomes if o.error]
    assert [(o.job.lang, o.job.id) for o in failed] == [("en", "b")]
    assert "exit code 3" in failed[0].error


def test_ctrl_c_stops_the_workers_and_leaves_no_half_written_file(tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) once the first leaflet is out:
    every process is gone, exit 130 with a sentence, no traceback, no temporary file."""
    import os
    import shutil
    import signal
    import time

    root = tmp_path / "basic"
    shutil.copytree(REPO / "tests" / "roots" / "basic", root)
    shutil.copytree(REPO / "templates", root / "templates")
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "all", "-j2", "--root", str(root)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list((root / "dist").rglob("*.pdf")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be stopped"
    os.killpg(build.pid, signal.SIGINT)
    _, err = build.communicate(timeout=30)
    assert build.returncode == 130
    assert "stopped" in err and "Traceback" not in err
    assert not [p for p in (root / "dist").rglob("*") if p.name.endswith(".tmp")]
    for _ in range(100):  # the workers follow the main process out
        try:
            os.killpg(build.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("a worker process outlived the build")
