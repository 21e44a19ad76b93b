"""What each output was made from, so unchanged outputs are not made again.

``dist/.leafpress-manifest.json`` records, per job, a fingerprint of its
inputs (content hashes of its article, catalogs, templates, bibliography
items, fonts, configuration, and leafpress's own code) and the size and
mtime of the files it wrote. A build first compares a snapshot of every
project file's size and mtime with the last one: when nothing changed and
every output is still in place, it is done without loading anything else
(this module imports only what that check needs, so it is quick; the
fingerprints themselves are worked out in :mod:`leafpress.inputs`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

NAME = ".leafpress-manifest.json"
WATCHED = ("content", "templates", "translations")
PACKAGE = Path(__file__).resolve().parent
FORMAT = 1
KIND = {"leaflets": "leaflet", "booklets": "booklet"}  # what a build target makes: a job's kind

Stat = tuple[int, int]  # size, mtime in ns


def manifest_path(root: Path) -> Path:
    return root / "dist" / NAME


def _stat(path: Path) -> Stat:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def code_stats() -> dict[str, Stat]:
    """Size and mtime of each of leafpress's own modules, by file name."""
    return {path.name: _stat(path) for path in PACKAGE.glob("*.py")}


def snapshot(root: Path) -> dict[str, Stat]:
    """Size and mtime of every project file and of leafpress's own modules."""
    found: dict[str, Stat] = {}
    for folder in WATCHED:
        for directory, _dirs, files in os.walk(root / folder):
            for name in files:
                path = Path(directory, name)
                found[str(path.relative_to(root))] = _stat(path) if path.exists() else (-1, 0)  # a dangling link
    for name, stat in code_stats().items():
        found[f"<leafpress>/{name}"] = stat
    return dict(sorted(found.items()))


def load(root: Path) -> dict:
    try:
        data = json.loads(manifest_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "runs": {}, "jobs": {}}
    if data.get("format") != FORMAT:
        return {"format": FORMAT, "runs": {}, "jobs": {}}
    return data


def save(root: Path, data: dict) -> None:
    path = manifest_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    try:
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    finally:  # a full disk leaves no half-written temporary behind
        temporary.unlink(missing_ok=True)


def outputs_in_place(root: Path, outputs: dict[str, list[int]]) -> bool:
    for relative, recorded in outputs.items():
        try:
            if list(_stat(root / relative)) != recorded:
                return False
        except OSError:
            return False
    return True


def nothing_to_do(root: Path, data: dict, run_key: str, kinds: Iterable[str], languages: Iterable[str]) -> bool:
    """True when no project file changed since the last run with these options, and no
    other run has since made an output this run would remove (an article built with
    ``--lang nl``, then deleted again: its leaflet must go). ``kinds`` and ``languages``
    (empty: those of the last run) are what this run covers."""
    run = data["runs"].get(run_key)
    if run is None or run["snapshot"] != {k: list(v) for k, v in snapshot(root).items()}:
        return False
    planned = set(run["jobs"])
    covered = set(languages) or {job.split(":")[1] for job in planned}
    for job in data["jobs"]:
        kind, lang, _id = job.split(":", 2)
        if job not in planned and kind in kinds and lang in covered:
            return False
    return all(outputs_in_place(root, data["jobs"].get(job, {}).get("outputs", {})) for job in planned)


def record(root: Path, paths: Iterable[Path]) -> dict[str, list[int]]:
    return {str(p.relative_to(root)): list(_stat(p)) for p in paths}
