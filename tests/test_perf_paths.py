"""The quick paths of a build (task-perf): what they skip must never hide a change.

A build after every source was touched (same bytes, new times) finds every job up to
date; one changed byte rebuilds; a translation checked in an earlier build and broken
since is refused all the same, though the checks' results are kept in the parse cache;
the manifest's output paths are confined to dist/ with each folder resolved once; a
build with nothing to make imports none of what only making a document needs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from leafpress.build import manifest
from leafpress.build.manifest import Confinement, confined

REPO = Path(__file__).resolve().parent.parent


def _touch_sources(root: Path) -> None:
    later = os.stat(root / "content").st_mtime_ns + 5 * 10**9
    for folder in ("content", "translations"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                os.utime(path, ns=(later, later))


def _built(out: str) -> int:
    found = re.search(r"built (\d+) job\(s\)", out)
    assert found, out
    return int(found.group(1))


def test_touched_sources_are_up_to_date_and_a_changed_byte_rebuilds(basic, capsys):
    first = basic.build(capsys, "booklets")
    assert first.code == 0, first.err
    epub = basic.path("dist/booklets/en/bundel.epub")
    made = epub.read_bytes()
    _touch_sources(basic.root)
    touched = basic.build(capsys, "booklets")
    assert touched.code == 0, touched.err
    assert not touched.out.startswith("nothing to do")  # the times changed: every fingerprint worked out
    assert _built(touched.out) == 0 and "up to date" in touched.out
    assert epub.read_bytes() == made
    basic.edit("translations/en/LC_MESSAGES/proef.po", "That has not been proven", "That has never been proven")
    changed = basic.build(capsys, "booklets")
    assert changed.code == 0, changed.err
    assert _built(changed.out) >= 1


def test_a_translation_broken_after_its_checks_were_kept_is_refused(basic, capsys):
    assert basic.build(capsys, "booklets").code == 0  # the marks of every text kept in the parse cache
    basic.edit("translations/en/LC_MESSAGES/proef.po", 'msgstr "That has not been proven [@szigeti2021; @morgan2012]."',
               'msgstr "That has not been proven [@szigeti2021]."')
    for _ in range(2):  # and again, once the broken text's marks are kept too
        refused = basic.build(capsys, "booklets")
        assert refused.code == 1
        assert "translations/en/LC_MESSAGES/proef.po" in refused.err and "[i18n.inconsistent]" in refused.err
        assert "missing morgan2012" in refused.err


def test_a_link_made_unsafe_in_a_translation_after_a_build_is_refused(basic, capsys):
    assert basic.build(capsys, "booklets").code == 0
    basic.edit("translations/en/LC_MESSAGES/proef.po", "website](https://example.org/info)",
               "website](javascript:alert(1))")
    for _ in range(2):
        refused = basic.build(capsys, "booklets")
        assert refused.code == 1
        assert re.search(r"proef\.po:\d+: error: link .*javascript:alert\(1\).*\[url\.scheme\]", refused.err), refused.err


def test_one_confinement_answers_as_confined_for_every_path(tmp_path):
    root = tmp_path / "project"
    dist = root / "dist"
    (dist / "leaflets" / "nl").mkdir(parents=True)
    (dist / "leaflets" / "nl" / "a.pdf").write_bytes(b"%PDF")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("not ours", encoding="utf-8")
    (dist / "out").symlink_to(outside)  # a folder leading out of dist/
    (dist / "leaflets" / "nl" / "link.pdf").symlink_to(outside / "secret.txt")  # a file leading out
    (dist / "leaflets" / "nl" / "inside.pdf").symlink_to(dist / "leaflets" / "nl" / "a.pdf")
    (dist / "loop").symlink_to(dist / "loop")
    relatives = ["dist/leaflets/nl/a.pdf", "dist/leaflets/nl/link.pdf", "dist/leaflets/nl/inside.pdf",
                 "dist/leaflets/nl/gone.pdf", "dist/out/secret.txt", "dist/loop/x.pdf", "dist/out",
                 "dist", "dist/../dist/leaflets/nl/a.pdf", "dist/./leaflets/nl/a.pdf", "dist//leaflets/nl/a.pdf",
                 "/dist/leaflets/nl/a.pdf", "leaflets/nl/a.pdf", "dist/leaflets/nl/a.pdf/"]
    expected = {"dist/leaflets/nl/a.pdf", "dist/leaflets/nl/inside.pdf", "dist/leaflets/nl/gone.pdf"}
    shared = Confinement(root)
    for relative in relatives:
        answer = shared(relative)
        assert answer == confined(root, relative)
        assert (answer == root / relative) if relative in expected else answer is None, relative


def test_the_snapshot_names_every_source_and_a_dangling_link(tmp_path):
    root = tmp_path / "project"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "articles" / "a.md").write_text("x", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "content" / "gone.yaml").symlink_to(root / "nowhere.yaml")
    found = manifest.snapshot(root)
    assert found[os.path.join("content", "articles", "a.md")] == (1, os.stat(root / "content/articles/a.md").st_mtime_ns)
    assert found[os.path.join("content", "gone.yaml")] == (-1, 0)
    assert "<leafpress>/cli.py" in found and "<leafpress>/build/manifest.py" in found
    assert list(found) == sorted(found)


def test_planning_and_fingerprints_import_nothing_only_making_needs():
    """What a build with every job up to date imports: not Jinja, citeproc-py, the QR codes or WeasyPrint."""
    probe = ("import sys\n"
             "import leafpress.build.command, leafpress.build.runner, leafpress.build.inputs\n"
             "import leafpress.formats.site.plan, leafpress.formats.site.inputs\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                            check=True).stdout.split()
    assert not {"jinja2", "citeproc", "segno", "weasyprint", "lxml"} & set(loaded)
