"""``make bench``: build speed and memory against the targets of issue 6.

    python tests/bench.py [--catalogue real|generated|both] [--runs N] [--quick]

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

How each is measured (medians; long measurements ``--runs`` times):

1. ``build.py all -j1`` on an empty dist/, against pandoc 3.9 (pypandoc-binary)
   with ``--pdf-engine=weasyprint``, one process per document, making what
   leafpress makes: per published leaflet the screen PDF (``--pdf-variant
   pdf/ua-1``) and the print PDF (``pdf/x-4`` + the bleed rules), with the leaflet
   stylesheets and ``--citeproc`` with our CSL style; per booklet an EPUB.
   pandoc reads the Dutch Markdown for every language (with ``lang`` set): it
   cannot read our catalogs, and the translated text costs about the same.
   The brochure has no pandoc equivalent; leafpress's time includes it.
2. the same build with ``-j2``.
3. every leaflet made in one process (a worker's batch: ``run_job``), against
   a bare ``weasyprint.HTML(string=html).write_pdf()`` of the same HTML with
   the same fonts and stylesheets, warm. A document is a file written (screen
   PDF, print PDF, brochure); the time per leaflet is shown too.
4. ``build.py all`` with nothing changed, the whole process from the outside;
   ``-X importtime`` shows whether WeasyPrint was imported.
5. the first paragraph of one Dutch article edited, ``build.py leaflets
   --lang nl``; which jobs were rebuilt comes from the outputs' mtimes and the
   summary line. The reference is the same command on a project holding only
   that article (seven of each, in turns). On the real catalogue, a template
   (epub.css), one catalog and one bibliography entry are changed too, each
   must rebuild exactly the jobs that use it.
6. in the batch of 3, the same HTML as PDF/UA-1 with the tag finisher (the
   screen leaflet) against the plain PDF, both from one layout, as the build
   makes them: time (per leaflet, the layout's median of three, plus the median
   of nine writes of each PDF from those layouts, in turns, after one untimed
   write of each layout) and bytes. The shared layout is timed once, not in
   each: on the development machine two renders of the same leaflet differ by
   12 % (coefficient of variation), which swamped a difference of a few percent
   made almost all in the write.
7. the -j1 build's high-water mark (``wait4``), and each -j2 worker's
   (VmHWM, sampled every 20 ms).

The generated catalogue repeats the real texts ten times: caches keyed by
text (a segment's links and citations, an article's parsed body, formatted
citations) hit more often there than in 30 different articles would.

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
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PANDOC_WHEEL = "pypandoc-binary==1.17"  # ships pandoc 3.9; `make bench` installs it
GENERATED_SETS = 10  # the 3 real articles x 10 = 30 articles
ROUNDS = 3  # targets 3 and 6: layouts of each sampled leaflet
WRITES = 3  # target 6: plain and PDF/UA PDFs written from each of those layouts, in turns
ONE_ARTICLE_RUNS = 7  # target 5: edited-article builds and one-shot builds, in turns
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

    from leafpress.i18n.catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path
    from leafpress.source.load import load_project

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
                text = re.sub(r"^id: (.*)$", lambda m, number=number: f"id: {m[1]}-{number:02d}", text,
                              count=1, flags=re.M)
                text = re.sub(r"^articles: \[(.*)\]$",
                              lambda m, rename=rename: "articles: [" + ", ".join(rename.get(a.strip(), a.strip())
                                                                  for a in m[1].split(",")) + "]",
                              text, count=1, flags=re.M)
                (booklet_dir / f"{path.stem}-{number:02d}.yaml").write_text(text, encoding="utf-8")
    return {"articles": len(list((root / "content" / "articles").glob("*.md"))),
            "booklets": len(list(booklet_dir.glob("*.yaml")))}


def single_article_project(source: Path, target: Path, article_id: str) -> Path:
    """A project with only ``article_id`` (no booklets, no "read also"): the one-shot reference."""
    shutil.copytree(source / "content", target / "content",
                    ignore=shutil.ignore_patterns("booklets"))
    (target / "content" / "booklets").mkdir()
    shutil.copytree(source / "templates", target / "templates")
    shutil.copytree(source / "translations", target / "translations")
    for path in (target / "content" / "articles").glob("*.md"):
        if path.stem != article_id:
            path.unlink()
    for path in (target / "translations").rglob("*.po*"):
        if path.stem not in (article_id, "ui", "shared"):
            path.unlink()
    article = target / "content" / "articles" / f"{article_id}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^related: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    return target


def edit_article(root: Path, article_id: str, mark: str) -> None:
    """Change the first paragraph of a Dutch article, as an editor would."""
    path = root / "content" / "articles" / f"{article_id}.md"
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    lines = body.split("\n")
    index = next(i for i, line in enumerate(lines) if line[:1].isalpha())
    lines[index] = re.sub(r"( Bewerkt \d+\.)?$", f" Bewerkt {mark}.", lines[index], count=1)
    path.write_text(head + sep + "\n".join(lines), encoding="utf-8")


# -- running processes -------------------------------------------------------------

@dataclass
class Process:
    """One measured process: wall and CPU time, memory, what it printed."""

    wall: float
    cpu: float
    peak_kib: int  # the process's own high-water mark (and of children it waited for)
    worker_peaks_kib: list[int]  # high-water marks of its child processes, sampled
    code: int
    out: str
    err: str

    def summary(self) -> tuple[int, int, int] | None:
        """(jobs built, files written, jobs up to date) from the summary line."""
        match = SUMMARY.search(self.out)
        return (int(match[1]), int(match[2]), int(match[3])) if match else None


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.update(int(p) for p in handle.read().split())
    except OSError:
        pass
    return found


def _high_water_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run(command: Sequence[str], *, cwd: Path | None = None, sample: bool = False,
        env: dict[str, str] | None = None, check: bool = True) -> Process:
    """Run ``command``; with ``sample``, watch its child processes' memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        peaks: dict[int, int] = {}
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.02):
                for child in _children(process.pid):
                    value = _high_water_kib(child)
                    if value is not None:
                        peaks[child] = max(peaks.get(child, 0), value)

        watcher = threading.Thread(target=watch, daemon=True) if sample else None
        if watcher:
            watcher.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        if watcher:
            watcher.join()
        out.seek(0)
        err.seek(0)
        result = Process(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, sorted(peaks.values()),
                         process.returncode, out.read().decode("utf-8", "replace"),
                         err.read().decode("utf-8", "replace"))
    if check and result.code != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.code}):\n{result.err[-3000:]}")
    return result


@dataclass(frozen=True)
class Code:
    """A copy of leafpress taken when the bench starts: what is measured does not
    change when someone edits the working tree meanwhile (which would also make
    every build a full rebuild, leafpress's code being part of every fingerprint)."""

    folder: Path

    @classmethod
    def copy(cls, target: Path) -> Code:
        shutil.copytree(REPO / "leafpress", target / "leafpress", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(REPO / "templates", target / "templates")  # the code's defaults (CSL style, bleed.css)
        shutil.copyfile(REPO / "build.py", target / "build.py")
        shutil.copyfile(Path(__file__), target / "bench.py")
        return cls(target)

    def build(self, root: Path, *args: str, sample: bool = False, extra: Sequence[str] = ()) -> Process:
        return run([sys.executable, *extra, str(self.folder / "build.py"), *args, "--root", str(root)],
                   cwd=self.folder, sample=sample)

    def batch(self, root: Path, every: int) -> list[dict]:
        # the copy's leafpress, ahead of the installed one (a script's own folder is not searched for packages)
        command = [sys.executable, str(self.folder / "bench.py"), "--inner-batch", str(root), "--every", str(every)]
        process = run(command, cwd=self.folder, env={**os.environ, "PYTHONPATH": str(self.folder)})
        return json.loads(process.out)["rows"]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


# -- the pandoc baseline ------------------------------------------------------------

def pandoc_binary() -> Path | None:
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:
        found = shutil.which("pandoc")
        return Path(found) if found else None
    return Path(pypandoc.get_pandoc_path())


def pandoc_version(pandoc: Path) -> str:
    first = subprocess.run([str(pandoc), "--version"], capture_output=True, text=True, check=True).stdout
    return first.splitlines()[0].split()[-1]


@dataclass(frozen=True)
class PandocDocument:
    kind: str  # screen, print, epub
    command: tuple[str, ...]


def pandoc_documents(root: Path, pandoc: Path, out: Path) -> list[PandocDocument]:
    """The documents leafpress makes, made by pandoc + WeasyPrint (one process each).

    Per published leaflet: the screen PDF (PDF/UA-1) and the print PDF
    (PDF/X-4), from the article's Dutch Markdown (a stand-in for the
    translation: pandoc cannot read our catalogs) with the language set, the
    leaflet stylesheets and citeproc with our CSL style; per booklet: an EPUB
    of its articles. The brochure has no pandoc equivalent (imposition).
    """
    from leafpress.build.pipeline import Options, plan
    from leafpress.formats.print.pdfx.layout import bleed_css
    from leafpress.source.load import load_project

    project, _ = load_project(root)
    assert project is not None
    jobs, _ = plan(project, Options())
    out.mkdir(parents=True, exist_ok=True)
    templates = project.paths.templates
    weasyprint = Path(sys.executable).with_name("weasyprint")
    common = ["--standalone", "--citeproc", "--bibliography", str(project.paths.references),
              "--csl", str(templates / "csl" / "apa-7-leafpress.csl")]
    css = [f"--css={(templates / name).resolve().as_uri()}" for name in ("theme.css", "leaflet.css")]
    generated = out / "bleed-page.css"
    generated.write_text(bleed_css())
    bleed = [f"--css={generated.resolve().as_uri()}", f"--css={(templates / 'bleed.css').resolve().as_uri()}"]
    documents = []
    for job in jobs:
        language = ["--metadata", f"lang={job.lang}"] + (["--metadata", "dir=rtl"] if job.lang == "ar" else [])
        if job.kind == "leaflet":
            source = str(project.articles[job.id].path)
            for kind, variant, extra_css in (("screen", "pdf/ua-1", []), ("print", "pdf/x-4", bleed)):
                target = out / f"{kind}-{job.lang}-{job.id}.pdf"
                documents.append(PandocDocument(kind, (
                    str(pandoc), source, *common, *language, *css, *extra_css, f"--pdf-engine={weasyprint}",
                    f"--pdf-engine-opt=--pdf-variant={variant}", "-o", str(target))))
        else:
            booklet = project.booklets[job.id]
            sources = [str(project.articles[a].path) for a in booklet.articles]
            target = out / f"{job.lang}-{job.id}.epub"
            documents.append(PandocDocument("epub", (
                str(pandoc), *sources, *common, *language, "--metadata", f"title={booklet.title}",
                f"--css={templates / 'epub.css'}", "-o", str(target))))
    return documents


def run_pandoc(documents: Sequence[PandocDocument], cwd: Path) -> dict[str, float]:
    """Wall time of making every document, one process after the other, by kind and in
    total, and the CPU time in total (pandoc and the WeasyPrint it runs)."""
    times: dict[str, float] = {}
    cpu = 0.0
    for document in documents:
        process = run(document.command, cwd=cwd)
        times[document.kind] = times.get(document.kind, 0.0) + process.wall
        cpu += process.cpu
    times["total"] = sum(times.values())
    times["cpu"] = cpu
    return times


# -- in one process: a batch of leaflets against bare renders (targets 3 and 6) -------

def measure_batch(root: Path, every: int) -> dict:
    """Make every leaflet in one process (a batch, as a worker does) and, for every
    ``every``-th job, render the same HTML bare (plain PDF) and as PDF/UA (what we ship).

    Runs in a child process (``--inner-batch``), so the bench itself never imports WeasyPrint.
    """
    from leafpress.build.pipeline import Options, Session, plan, published_languages, run_job
    from leafpress.build.runner import settle
    from leafpress.formats.leaflet_job import leaflet_html
    from leafpress.formats.pdf.leaflet import render_document, screen_pdf
    from leafpress.source.load import load_project

    project, _ = load_project(root)
    assert project is not None
    jobs, _ = plan(project, Options(targets=("leaflets",)))
    session = Session(project, published_languages(project))
    settle(session, {'leaflet'})  # as a build's worker does

    writers = {"plain": lambda document: document.write_pdf(),  # a bare WeasyPrint PDF
               "ua": screen_pdf}  # what the build ships as the screen leaflet

    def timed(function, *args, **kwargs):
        started = time.perf_counter()
        value = function(*args, **kwargs)
        return time.perf_counter() - started, value

    rows = []
    for number, job in enumerate(jobs):
        job_time, made = timed(run_job, session, job)
        row = {"job": f"{job.lang}/{job.id}", "job_s": job_time, "outputs": len(made.outputs)}
        if number % every == 0:
            html_time, html = timed(leaflet_html, session, job)
            layouts: list[float] = []
            writes: dict[str, list[float]] = {"plain": [], "ua": []}
            pdfs: dict[str, bytes] = {}
            for attempt in range(ROUNDS):
                layout_time, document = timed(render_document, session.pdf_engine(), html)
                layouts.append(layout_time)
                # The first write of a layout is 20-40 ms slower, whichever PDF it makes
                # (in both, as the build writes it): not timed, so that neither gets it.
                writers["ua" if attempt % 2 else "plain"](document)
                for turn in range(WRITES):  # in turns: neither always writes first
                    for kind in (("plain", "ua") if (attempt + turn) % 2 == 0 else ("ua", "plain")):
                        write_time, pdfs[kind] = timed(writers[kind], document)
                        writes[kind].append(write_time)
            layout = median(layouts)
            row.update(html_s=html_time, layout_s=layout, plain_s=layout + median(writes["plain"]),
                       ua_s=layout + median(writes["ua"]), plain_bytes=len(pdfs["plain"]),
                       ua_bytes=len(pdfs["ua"]))
        rows.append(row)
    return {"rows": rows}


# -- the measurements ------------------------------------------------------------------

@dataclass
class Row:
    target: str
    measured: str
    limit: str
    ok: bool | None  # None: informational
    value: float | None = None
    limit_value: float | None = None
    detail: dict = field(default_factory=dict)


def _ratio_row(target: str, ours: float, theirs: float, limit: float, what: str, **detail) -> Row:
    ratio = ours / theirs
    return Row(target, f"{ours:.2f} s vs {theirs:.2f} s {what} = {ratio:.2f}x", f"<= {limit:.2f}x",
               ratio <= limit, round(ratio, 3), limit, {"ours_s": ours, "theirs_s": theirs, **detail})


def _note(message: str) -> None:
    print(f"  .. {message}", flush=True)


def bench_catalogue(code: Code, name: str, root: Path, runs: int, short_runs: int, every: int,
                    pandoc: Path | None, dependency_checks: bool) -> tuple[list[Row], dict]:
    rows: list[Row] = []
    info: dict = {}
    dist = root / "dist"

    # 1, 2, 7: cold builds, one and two workers, side by side with pandoc
    documents = pandoc_documents(root, pandoc, root.parent / f"{name}-pandoc") if pandoc else []
    if documents:
        (root.parent / f"{name}-pandoc").mkdir(exist_ok=True)
    one, two, baseline = [], [], []
    for attempt in range(runs):
        shutil.rmtree(dist, ignore_errors=True)
        one.append(code.build(root, "all", "-j1", sample=True))
        _note(f"cold -j1 run {attempt + 1}: {one[-1].wall:.1f} s, {one[-1].summary()}")
        shutil.rmtree(dist, ignore_errors=True)
        two.append(code.build(root, "all", "-j2", sample=True))
        _note(f"cold -j2 run {attempt + 1}: {two[-1].wall:.1f} s")
        if documents:
            baseline.append(run_pandoc(documents, root.parent))
            _note(f"pandoc run {attempt + 1}: {baseline[-1]['total']:.1f} s for {len(documents)} documents")
    built, files, _fresh = one[0].summary() or (0, 0, 0)
    info.update(jobs=built, files=files, pandoc_documents=len(documents))
    cold_one = median(p.wall for p in one)
    cold_two = median(p.wall for p in two)
    if baseline:
        theirs = median(b["total"] for b in baseline)
        cpu_ours, cpu_theirs = median(p.cpu for p in one), median(b["cpu"] for b in baseline)
        rows.append(_ratio_row("1 cold build -j1 vs pandoc+WeasyPrint", cold_one, theirs, 0.25,
                               f"({len(documents)} docs; CPU {cpu_ours:.0f} s vs {cpu_theirs:.0f} s "
                               f"= {cpu_ours / cpu_theirs:.2f}x)", cpu_s=cpu_ours, pandoc_cpu_s=cpu_theirs,
                               pandoc_by_kind={k: median(b.get(k, 0.0) for b in baseline)
                                               for k in ("screen", "print", "epub")}))
        screen_epub = median(b.get("screen", 0.0) + b.get("epub", 0.0) for b in baseline)
        rows.append(_ratio_row("1b  same, pandoc making screen PDFs + EPUBs only", cold_one, screen_epub, 0.25, ""))
        rows[-1].ok = None
    else:
        rows.append(Row("1 cold build -j1 vs pandoc+WeasyPrint", f"{cold_one:.2f} s; no pandoc", "<= 0.25x", None))
    parallel = median(p.cpu / p.wall for p in two)  # about 2 when both workers had a core
    rows.append(_ratio_row("2 cold build -j2 vs -j1", cold_two, cold_one, 0.65, f"(-j2 CPU/wall {parallel:.2f})",
                           cpu_j1_s=median(p.cpu for p in one), cpu_j2_s=median(p.cpu for p in two),
                           runs_j1_s=[round(p.wall, 2) for p in one], runs_j2_s=[round(p.wall, 2) for p in two],
                           runs_pandoc_s=[round(b["total"], 2) for b in baseline]))
    one_peak = max(p.peak_kib for p in one) / 1024
    worker_peak = max(max(p.worker_peaks_kib or [0]) for p in two) / 1024
    peak = max(one_peak, worker_peak)
    rows.append(Row("7 peak memory per worker", f"{peak:.0f} MiB (-j1 process {one_peak:.0f}, "
                    f"-j2 workers {worker_peak:.0f}, -j2 main {max(p.peak_kib for p in two) / 1024:.0f})",
                    "<= 160 MiB", peak <= 160, round(peak, 1), 160.0))

    # 4: no-op rebuild
    code.build(root, "all")  # up to date, whatever ran before
    noop = [code.build(root, "all") for _ in range(short_runs)]
    quiet = [p for p in noop if p.out.startswith("nothing to do")] or noop
    noop_wall = median(p.wall for p in quiet)
    traced = code.build(root, "all", extra=["-X", "importtime"])
    weasy = any(re.search(r"\|\s+weasyprint(\.|$)", line) for line in traced.err.splitlines())
    modules = sum(1 for line in traced.err.splitlines() if line.startswith("import time:")) - 1
    said = noop[0].out.strip().splitlines()[-1] if noop[0].out.strip() else ""
    rows.append(Row("4 no-op rebuild, whole process", f"{noop_wall * 1000:.0f} ms; WeasyPrint imported: "
                    f"{'yes' if weasy else 'no'} ({modules} modules)", "< 100 ms, no WeasyPrint",
                    noop_wall < 0.1 and not weasy and len(quiet) == len(noop), round(noop_wall, 4), 0.1,
                    {"runs_s": [round(p.wall, 4) for p in noop], "said": said,
                     "python_alone_s": median(run([sys.executable, "-c", "pass"]).wall for _ in range(short_runs))}))

    rows += site_rows(code, root, short_runs)

    # 5: what depends on what (the real catalogue), then one article changed
    if dependency_checks:
        rows += dependency_rows(code, root)
    # Two builds of about two seconds each, which differ from run to run by up to a quarter
    # on the development machine: seven pairs, in turns, whatever --runs says.
    rows += one_article_rows(code, name, root, max(runs, ONE_ARTICLE_RUNS))

    # 3 and 6: a batch in one process
    rows += batch_rows(code.batch(root, every))
    return rows, info


def site_rows(code: Code, root: Path, runs: int) -> list[Row]:
    """8: the website (issue 18). Cold: the site's jobs once the leaflets and booklets are there
    (informational: its fonts are cut once); warm: every project file touched, nothing changed,
    so every job's fingerprint is worked out again and all are found up to date."""
    code.build(root, "all")
    cold = code.build(root, "site")
    warm = []
    for _ in range(runs):
        for path in (root / "content").rglob("*"):
            if path.is_file():
                path.touch()
        warm.append(code.build(root, "site"))
    warm_wall = median(p.wall for p in warm)
    said = warm[0].out.strip().splitlines()[-1] if warm[0].out.strip() else ""
    return [Row("8 site, cold (leaflets and booklets made)", f"{cold.wall:.2f} s", "", None, round(cold.wall, 3)),
            Row("8 site, warm build of the whole site", f"{warm_wall:.2f} s ({said})", "< 1 s",
                warm_wall < 1.0 and all(p.code == 0 for p in warm), round(warm_wall, 3), 1.0)]


def batch_rows(batch: list[dict]) -> list[Row]:
    sampled = [r for r in batch[1:] if "plain_s" in r] or [r for r in batch if "plain_s" in r]
    bare = statistics.mean(r["plain_s"] for r in sampled)
    jobs = sum(r["job_s"] for r in batch)
    outputs = sum(r["outputs"] for r in batch)
    per_document = jobs / outputs
    per_job = jobs / len(batch)
    rows = [_ratio_row("3 per document in a batch vs bare warm render", per_document, bare, 1.0,
                       "(a document = each file: screen, print, brochure)",
                       jobs=len(batch), documents=outputs, sampled=len(sampled)),
            _ratio_row("3b  per leaflet (3 files) vs one bare render", per_job, bare, 1.0, "")]
    rows[-1].ok = None
    ua_time = statistics.mean(r["ua_s"] for r in sampled)
    ua_size = sum(r["ua_bytes"] for r in sampled) / sum(r["plain_bytes"] for r in sampled)
    rows.append(_ratio_row("6 PDF/UA-1 (+ tag finisher) time vs plain PDF", ua_time, bare, 1.10, ""))
    rows.append(Row("6 PDF/UA-1 size vs plain PDF", f"{ua_size:.3f}x "
                    f"({sum(r['ua_bytes'] for r in sampled) // len(sampled)} vs "
                    f"{sum(r['plain_bytes'] for r in sampled) // len(sampled)} bytes per leaflet)",
                    "<= 1.15x", ua_size <= 1.15, round(ua_size, 3), 1.15))
    return rows


def _outputs_by_job(root: Path) -> dict[str, dict[str, list[int]]]:
    from leafpress.build.manifest import load

    return {key: entry["outputs"] for key, entry in load(root)["jobs"].items()}


def _rebuilt(root: Path, before: dict[str, dict[str, list[int]]]) -> set[str]:
    """Jobs whose outputs were written again since ``before``."""
    from leafpress.build.manifest import outputs_in_place

    return {key for key, outputs in before.items() if not outputs_in_place(root, outputs)}


def dependency_rows(code: Code, root: Path) -> list[Row]:
    """A change to a template, a catalog or one bibliography entry rebuilds exactly what uses it."""
    from babel.messages.pofile import read_po, write_po

    from leafpress.build.pipeline import Options, plan
    from leafpress.cite.syntax import find_citation_keys
    from leafpress.source.load import load_project

    project, _ = load_project(root)
    assert project is not None
    jobs, _ = plan(project, Options())
    planned = {f"{j.kind}:{j.lang}:{j.id}" for j in jobs}
    booklets_of = {a: {b.id for b in project.booklets.values() if a in b.articles} for a in project.articles}

    def article_jobs(article_ids: Iterable[str], languages: Iterable[str]) -> set[str]:
        found = set()
        for lang in languages:
            for article_id in article_ids:
                found.add(f"leaflet:{lang}:{article_id}")
                found |= {f"booklet:{lang}:{b}" for b in booklets_of[article_id]}
        return found & planned

    article = sorted(project.articles)[0]
    citing: dict[str, set[str]] = {}
    for article_id, item in project.articles.items():
        for key in find_citation_keys(item.body):
            citing.setdefault(key, set()).add(article_id)
    key = min(sorted(citing), key=lambda k: len(citing[k]))
    lang = next(lang for lang in project.site.languages if lang != project.source_language)

    def edit_template() -> None:
        with (root / "templates" / "epub.css").open("a", encoding="utf-8") as handle:
            handle.write("\n/* bench */\n")

    def edit_catalog() -> None:
        path = root / "translations" / lang / "LC_MESSAGES" / f"{article}.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        title = project.articles[article].meta.title
        message = next(m for m in catalog if m.id and m.string and m.id != title and not m.fuzzy
                       and "paragraph" in m.auto_comments)
        message.string += " (bench)"
        with path.open("wb") as handle:
            write_po(handle, catalog, width=76)

    def edit_bibliography() -> None:
        path = root / "content" / "references.yaml"
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"^(- id: {re.escape(key)}\n)", r"\1  note: bench\n", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")

    checks = [
        ("templates/epub.css", edit_template, {j for j in planned if j.startswith("booklet:")}),
        (f"translations/{lang}/…/{article}.po", edit_catalog, article_jobs([article], [lang])),
        (f"references.yaml item {key}", edit_bibliography, article_jobs(citing[key], project.site.languages)),
    ]
    rows = []
    for what, edit, expected in checks:
        before = _outputs_by_job(root)
        edit()
        process = code.build(root, "all")
        rebuilt = _rebuilt(root, before)
        exact = rebuilt == expected
        rows.append(Row(f"5b  change {what}", f"rebuilt {len(rebuilt)} job(s), expected {len(expected)}"
                        + ("" if exact else
                           f": extra {sorted(rebuilt - expected)}, missing {sorted(expected - rebuilt)}"),
                        "exactly its dependants", exact, detail={"seconds": round(process.wall, 2)}))
    return rows


def one_article_rows(code: Code, name: str, root: Path, runs: int) -> list[Row]:
    article = sorted(p.stem for p in (root / "content" / "articles").glob("*.md"))[0]
    original = (root / "content" / "articles" / f"{article}.md").read_text(encoding="utf-8")
    single = root.parent / f"{name}-single"
    shutil.rmtree(single, ignore_errors=True)
    single_article_project(root, single, article)
    changed, alone, counts = [], [], []
    try:
        code.build(root, "leaflets", "--lang", "nl")  # the state before: everything up to date
        for attempt in range(runs):
            edit_article(root, article, str(attempt + 1))
            before = _outputs_by_job(root)
            changed.append(code.build(root, "leaflets", "--lang", "nl"))
            counts.append((changed[-1].summary() or (None,))[0])
            rebuilt = _rebuilt(root, before)
            edit_article(single, article, str(attempt + 1))
            shutil.rmtree(single / "dist", ignore_errors=True)
            alone.append(code.build(single, "leaflets", "--lang", "nl"))
    finally:
        (root / "content" / "articles" / f"{article}.md").write_text(original, encoding="utf-8")
    ours, theirs = median(p.wall for p in changed), median(p.wall for p in alone)
    cpu_ours, cpu_theirs = median(p.cpu for p in changed), median(p.cpu for p in alone)
    only = all(c == 1 for c in counts) and rebuilt == {f"leaflet:nl:{article}"}
    row = _ratio_row("5 one article changed vs one-shot single leaflet", ours, theirs, 1.2,
                     f"(rebuilt {counts} job(s); CPU {cpu_ours / cpu_theirs:.2f}x)", article=article,
                     rebuilt=sorted(rebuilt), cpu_s=cpu_ours, one_shot_cpu_s=cpu_theirs,
                     runs_s=[round(p.wall, 2) for p in changed], one_shot_runs_s=[round(p.wall, 2) for p in alone])
    row.ok = row.ok and only
    return [row]


# -- the table -----------------------------------------------------------------------

def table(rows: Sequence[Row]) -> str:
    marks = {True: "pass", False: "FAIL", None: "info"}
    cells = [("target", "measured", "limit", "pass/fail")]
    cells += [(r.target, r.measured, r.limit, marks[r.ok]) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = [" | ".join(c[i].ljust(widths[i]) for i in range(4)).rstrip() for c in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def _load_average() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogue", choices=("real", "generated", "both"), default="both")
    parser.add_argument("--runs", type=int, default=3, help="runs of the long measurements (median)")
    parser.add_argument("--generated-runs", type=int, default=1,
                        help="runs of the long measurements on the generated catalogue")
    parser.add_argument("--short-runs", type=int, default=10, help="runs of the no-op rebuild")
    parser.add_argument("--no-pandoc", action="store_true", help="skip the pandoc baseline")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    parser.add_argument("--inner-batch", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--every", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner_batch:
        print(json.dumps(measure_batch(args.inner_batch, args.every)))
        return 0

    pandoc = None if args.no_pandoc else pandoc_binary()
    version = pandoc_version(pandoc) if pandoc else None
    if pandoc is None and not args.no_pandoc:
        print(f"no pandoc: pip install '{PANDOC_WHEEL}' (make bench does) or pass --no-pandoc", file=sys.stderr)
    elif version and version != "3.9":
        print(f"note: pandoc {version}, not 3.9", file=sys.stderr)
    results: dict = {"pandoc": version, "cores": len(os.sched_getaffinity(0)), "python": sys.version.split()[0],
                     "load_average_before": _load_average(), "catalogues": {}}
    workspace = Path(tempfile.mkdtemp(prefix="leafpress-bench-"))
    try:
        code = Code.copy(workspace / "code")
        names = ("real", "generated") if args.catalogue == "both" else (args.catalogue,)
        for name in names:
            root = copy_project(workspace / name)
            generated = generate_catalogue(root) if name == "generated" else {}
            filled = complete_translations(root)
            runs = args.runs if name == "real" else args.generated_runs
            print(f"\n== {name} catalogue ({runs} run(s) of the long measurements; "
                  f"{filled} unfinished message(s) filled with the Dutch text) ==", flush=True)
            started = time.perf_counter()
            rows, info = bench_catalogue(code, name, root, runs, args.short_runs, every=1 if name == "real" else 5,
                                         pandoc=pandoc, dependency_checks=name == "real")
            info.update(generated, filled_messages=filled, seconds=round(time.perf_counter() - started, 1))
            print(f"\n{name}: {info}\n" + table(rows), flush=True)
            results["catalogues"][name] = {"info": info, "rows": [asdict(r) for r in rows]}
    finally:
        if args.keep:
            print(f"workspace kept in {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    results["load_average_after"] = _load_average()
    out = REPO / ".bench" / "results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nload average before {results['load_average_before']}, after {results['load_average_after']}; "
          f"written to {out.relative_to(REPO)}")
    failed = [r for c in results["catalogues"].values() for r in c["rows"] if r["ok"] is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
