"""The job runner's process set-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_settle_puts_what_lives_on_out_of_the_collectors_sight():
    """After settle, the project (and WeasyPrint, when there are PDFs) is frozen: a full
    garbage collection no longer walks it. In a child process: freezing is for the process."""
    code = ("import gc; from pathlib import Path; from leafpress.load import load_project; "
            "from leafpress.pipeline import Session, published_languages; from leafpress.runner import settle; "
            "p, _ = load_project(Path('.')); s = Session(p, published_languages(p)); "
            "before = gc.get_freeze_count(); settle(s, pdfs=True); "
            "print(before, gc.get_freeze_count(), 'weasyprint' in __import__('sys').modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    before, after, imported = out.stdout.split()
    assert int(before) == 0
    assert int(after) > 50_000  # WeasyPrint and the project: some 75 000 objects
    assert imported == "True"


def test_a_pool_gets_the_leaflets_first_and_the_short_booklets_last():
    from leafpress.pipeline import Job
    from leafpress.runner import pool_order

    jobs = [Job("booklet", "ar", "b", False), Job("leaflet", "uk", "x", False),
            Job("booklet", "nl", "b", False), Job("leaflet", "ar", "y", False), Job("leaflet", "ar", "x", False)]
    assert [(j.kind, j.lang, j.id) for j in pool_order(jobs)] == [
        ("leaflet", "ar", "x"), ("leaflet", "ar", "y"), ("leaflet", "uk", "x"),
        ("booklet", "ar", "b"), ("booklet", "nl", "b")]
