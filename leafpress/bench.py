"""``make bench``: build speed and memory against the targets of issue 6.

    python -m leafpress.bench [--catalogue real|generated|both] [--runs N] [--quick]

Everything happens in a temporary copy of the project (the real ``dist/`` is
never touched). Two catalogues:

- **real**: ``content/``, ``translations/`` and ``templates/`` as they are
  (3 articles x 6 languages, one booklet);
- **generated**: the real articles copied under new ids
  (``ketamine-en-mdma-07``), each with its catalogs copied to the new domain
  name, 30 articles x 6 languages, three booklets. Deterministic.

In both, a message a translator has not finished yet is filled with its Dutch
text (a stand-in, counted in the output), so every language publishes and the
numbers do not depend on how far the translators are.

The targets (ratios, measured side by side in one run):

1. cold full build, one worker <= 0.25 x pandoc 3.9 + WeasyPrint making the same documents
2. two workers <= 0.65 x one worker
3. per document in a batch <= 1.0 x a bare warm WeasyPrint render of the same HTML
4. no-op rebuild < 0.1 s for the whole process, without importing WeasyPrint
5. one article changed: only its outputs, in <= 1.2 x a one-shot single leaflet
6. PDF/UA <= 1.10 x the time and 1.15 x the size of a plain PDF
7. peak memory <= 160 MiB per worker

The table goes to standard output and, as JSON, to ``.bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build.py"
PANDOC_BINARY = "pypandoc-binary==1.17"  # ships pandoc 3.9; installed by `make bench`
GENERATED_SETS = 10  # the 3 real articles x 10 = 30 articles
SUMMARY = re.compile(r"built (\d+) job\(s\) \((\d+) files\), (\d+) up to date")


# -- workspaces ------------------------------------------------------------------

def copy_project(target: Path) -> Path:
    """The project's sources (not its dist/) in ``target``."""
    for folder in ("content", "translations", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def complete_translations(root: Path) -> int:
    """Fill every unfinished message with its source text; return how many were filled.

    A stand-in translation, so that every language publishes whatever state
    the real catalogs are in.
    """
    from babel.messages.pofile import read_po, write_po

    from .catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path
    from .load import load_project

    project, _ = load_project(root)
    assert project is not None, "the project does not load"
    domains = {UI_DOMAIN: project.sources.ui, SHARED_DOMAIN: project.sources.shared,
               **project.sources.articles}
    filled = 0
    for lang in project.languages:
        for domain, msgids in domains.items():
            path = catalog_path(project.paths.translations, lang, domain)
            with path.open("rb") as handle:
                catalog = read_po(handle)
            changed = 0
            for msgid in msgids:
                message = catalog.get(msgid)
                if message is None:
                    catalog.add(msgid, msgid)
                elif message.fuzzy or not message.string:
                    message.string = message.string or msgid
                    message.flags.discard("fuzzy")
                else:
                    continue
                changed += 1
            if changed:
                with path.open("wb") as handle:
                    write_po(handle, catalog, width=76)
                filled += changed
    return filled


def _copy_article(root: Path, source_id: str, new_id: str, rename: dict[str, str], languages: Iterable[str]) -> None:
    articles = root / "content" / "articles"
    text = (articles / f"{source_id}.md").read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    head = re.sub(r"^id: .*$", f"id: {new_id}", head, count=1, flags=re.M)
    head = re.sub(r"^related: \[(.*)\]$",
                  lambda m: "related: [" + ", ".join(rename.get(r.strip(), r.strip())
                                                      for r in m[1].split(",")) + "]",
                  head, count=1, flags=re.M)
    (articles / f"{new_id}.md").write_text(head + sep + body, encoding="utf-8")
    translations = root / "translations"
    template = translations / "templates" / f"{source_id}.pot"
    if template.exists():
        shutil.copyfile(template, translations / "templates" / f"{new_id}.pot")
    for lang in languages:
        po = translations / lang / "LC_MESSAGES" / f"{source_id}.po"
        if po.exists():
            shutil.copyfile(po, po.with_name(f"{new_id}.po"))


def generate_catalogue(root: Path, sets: int = GENERATED_SETS) -> dict[str, int]:
    """Copy the real articles ``sets - 1`` more times under new ids; add booklets."""
    articles = sorted(p.stem for p in (root / "content" / "articles").glob("*.md"))
    languages = sorted(p.name for p in (root / "translations").iterdir()
                       if (p / "LC_MESSAGES").is_dir())
    booklet_dir = root / "content" / "booklets"
    booklets = sorted(booklet_dir.glob("*.yaml"))
    for number in range(2, sets + 1):
        rename = {a: f"{a}-{number:02d}" for a in articles}
        for source_id, new_id in rename.items():
            _copy_article(root, source_id, new_id, rename, languages)
        if number in (4, 8):  # two more booklets, binding a set each
            for path in booklets:
                text = path.read_text(encoding="utf-8")
                text = re.sub(r"^id: (.*)$", lambda m: f"id: {m[1]}-{number:02d}", text, count=1, flags=re.M)
                text = re.sub(r"^articles: \[(.*)\]$",
                              lambda m: "articles: [" + ", ".join(rename.get(a.strip(), a.strip())
                                                                  for a in m[1].split(",")) + "]",
                              text, count=1, flags=re.M)
                (booklet_dir / f"{path.stem}-{number:02d}.yaml").write_text(text, encoding="utf-8")
    return {"articles": len(list((root / "content" / "articles").glob("*.md"))),
            "booklets": len(list(booklet_dir.glob("*.yaml")))}
