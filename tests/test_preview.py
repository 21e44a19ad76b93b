"""``build.py serve``: the preview server rebuilds on a save, the open page hears of it and
shows the build's problems, and nothing but dist/site is served, on 127.0.0.1 only.

Each test starts the real command (``python -m leafpress serve --port 0``) in a
subprocess on a copy of the basic example, and talks to it over HTTP as a browser does.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, ROOTS, Project, copy_project
from leafpress.cli import main
from leafpress.diagnostics import error, warning
from leafpress.formats import registry
from leafpress.serve.files import names
from leafpress.serve.inject import BANNER_ID, banner, into_page
from leafpress.serve.rebuild import BuildResult, build_command, build_environment, parse_diagnostic
from leafpress.validate.ace import CHROMIUM, ace_environment
from leafpress.validate.axe import AXE_ENV, axe_modules

ARTICLE = "content/articles/proef.md"
PAGE = "/nl/proef/"  # where the site target puts the Dutch leaflet of the article 'proef'
HAS_SITE = "site" in registry.build_commands()
FIXTURE_PAGE = ("<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Proef</title></head>"
                "<body><main><h1>Een proeffolder</h1></main></body></html>")
BUILD_TIMEOUT_S = 120  # a build of the basic example takes 1-2 s; a machine shared by many takes longer


@dataclass
class Preview:
    root: Path
    process: subprocess.Popen
    port: int
    lines: queue.Queue[str]

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def get(self, target: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        connection = self.connection()
        try:
            connection.request("GET", target, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def status(self) -> dict:
        code, body = self.get("/__leafpress/status")
        assert code == 200
        return json.loads(body)

    def wait_for_build(self, number: int) -> dict:
        deadline = time.monotonic() + BUILD_TIMEOUT_S
        while time.monotonic() < deadline:
            status = self.status()
            if status["build"] >= number:
                return status
            time.sleep(0.1)
        raise AssertionError(f"build {number} did not finish; the server said:\n{self.output()}")

    def edit(self, old: str, new: str) -> None:
        path = self.root / ARTICLE
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def output(self) -> str:
        found = []
        while not self.lines.empty():
            found.append(self.lines.get())
        return "\n".join(found)


def _read_lines(stream, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))


def start(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "leafpress", "serve", "--root", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


@pytest.fixture(scope="module")
def built_basic(tmp_path_factory) -> Path:
    """The basic example with its Dutch site built once (in this process: the fonts are cut
    once, :func:`conftest.site_fonts_cut_once`); each test serves a copy of it, so the server's
    first build finds everything up to date and the tests time what a save does."""
    project = copy_project(ROOTS / "basic", tmp_path_factory.mktemp("preview") / "basic")
    assert main(["site" if HAS_SITE else "all", "--root", str(project.root), "--lang", "nl"]) == 0
    return project.root


@pytest.fixture
def preview(tmp_path: Path, built_basic: Path) -> Iterator[Preview]:
    shutil.copytree(built_basic, tmp_path / "basic", symlinks=True)
    project = Project(tmp_path / "basic")
    if not HAS_SITE:  # a page where the site will be, to serve before `build.py site` exists
        page = project.path("dist/site" + PAGE + "index.html")
        page.parent.mkdir(parents=True)
        page.write_text(FIXTURE_PAGE, encoding="utf-8")
    process = start(project.root, "--port", "0", "--lang", "nl")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    first = lines.get(timeout=60)
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    assert found, first
    server = Preview(project.root, process, int(found[1]), lines)
    server.wait_for_build(1)
    yield server
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(30)


def events_after(server: Preview, build: int) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """An open event stream, as the reload script of a page made by ``build`` holds it."""
    connection = server.connection()
    connection.request("GET", f"/__leafpress/events?since={build}")
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    return connection, response


def next_event(response: http.client.HTTPResponse) -> str:
    while True:
        line = response.readline().decode("utf-8")
        assert line, "the event stream ended"
        if line.startswith("data: "):
            return line.removeprefix("data: ").strip()


def test_a_save_rebuilds_and_the_open_page_hears_of_it_within_seconds(preview):
    code, page = preview.get(PAGE)
    assert code == 200
    made_by = int(re.search(r"data-build='(\d+)'", page)[1])
    assert "src='/__leafpress/reload.js'" in page
    connection, events = events_after(preview, made_by)
    try:
        saved = time.monotonic()
        preview.edit("Dit is de inleiding", "Dit is de vernieuwde inleiding")
        assert next_event(events) == str(made_by + 1)
        latency = time.monotonic() - saved
    finally:
        connection.close()
    status = preview.wait_for_build(made_by + 1)
    assert status["code"] == 0 and status["changed"] == [ARTICLE]
    print(f"save -> reload event: {latency:.2f} s (the build itself: {status['seconds']:.2f} s)")
    assert latency < 30
    code, script = preview.get("/__leafpress/reload.js")
    assert code == 200 and "location.reload()" in script and "EventSource" in script


def test_the_page_served_after_a_save_shows_the_edit(preview):
    code, before = preview.get(PAGE)
    assert code == 200 and "Dit is de inleiding" in before
    preview.edit("Dit is de inleiding", "Dit is de vernieuwde inleiding")
    preview.wait_for_build(2)
    code, after = preview.get(PAGE)
    assert code == 200 and "Dit is de vernieuwde inleiding" in after
    on_disk = (preview.root / "dist/site" / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Dit is de vernieuwde inleiding" in on_disk and "__leafpress" not in on_disk  # the preview's, not the site's


def test_a_bad_save_shows_its_file_and_line_in_the_page_and_the_terminal(preview):
    preview.edit("[@szigeti2021; @morgan2012]", "[@szigeti2021; @nobody1999]")
    line = next(number for number, text in enumerate(
        (preview.root / ARTICLE).read_text(encoding="utf-8").splitlines(), start=1) if "@nobody1999" in text)
    status = preview.wait_for_build(2)
    assert status["code"] == 1
    code, page = preview.get(PAGE)
    assert code == 200
    shown = re.search(rf"<div id='{BANNER_ID}' role='alert'.*?</div>", page, re.DOTALL)
    assert shown, page
    assert f"{ARTICLE}:{line}: error: " in shown[0] and "[cite.unknown]" in shown[0]
    assert "nobody1999" in shown[0]
    time.sleep(0.5)
    assert f"{ARTICLE}:{line}: error: " in preview.output()
    preview.edit("@nobody1999", "@morgan2012")  # mended: the banner goes
    assert preview.wait_for_build(3)["code"] == 0
    assert "role='alert'" not in preview.get(PAGE)[1]


# A real browser on the page: each time the page has loaded, a line of what it shows.
BROWSER_JS = """
import { createRequire } from "node:module";
import path from "node:path";
const [modules, url, chromium, banner] = process.argv.slice(2);
const puppeteer = createRequire(path.join(modules, "x.cjs"))("puppeteer-core");
const browser = await puppeteer.launch({ executablePath: chromium, headless: true,
                                         args: ["--no-sandbox", "--disable-setuid-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
page.on("load", async () => {
  const at = Date.now();
  try {
    const seen = await page.evaluate((id) => ({
      build: document.querySelector("script[data-build]")?.dataset.build ?? "",
      banner: document.getElementById(id)?.textContent ?? "" }), banner);
    process.stdout.write(JSON.stringify({ at, ...seen }) + "\\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ at, error: String(error) }) + "\\n");
  }
});
await page.goto(url);
process.stdin.on("data", async () => { await browser.close(); process.exit(0); });
"""
MODULES = axe_modules()


@pytest.mark.skipif(MODULES is None or not CHROMIUM.is_file(),
                    reason=f"puppeteer-core (with axe-core, {AXE_ENV}) or {CHROMIUM} is not installed")
def test_the_page_in_a_browser_reloads_by_itself_and_shows_the_problem(preview, tmp_path):
    script = tmp_path / "browser.mjs"
    script.write_text(BROWSER_JS, encoding="utf-8")
    short = Path(tempfile.mkdtemp(prefix="lp-"))  # Chromium's socket path in it must stay under 108 bytes
    browser = subprocess.Popen(["node", str(script), str(MODULES), f"http://127.0.0.1:{preview.port}{PAGE}",
                                str(CHROMIUM), BANNER_ID], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, env=ace_environment(short))
    loads: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(browser.stdout, loads), daemon=True).start()

    def next_load(build: int) -> dict:
        while True:
            shown = json.loads(loads.get(timeout=BUILD_TIMEOUT_S))
            assert "error" not in shown, shown
            if shown["build"] == str(build):
                return shown

    try:
        assert not next_load(1)["banner"].startswith("The build failed")
        time.sleep(0.5)  # the reload script connects
        saved = time.time()
        preview.edit("Dit is de inleiding", "Dit is de vernieuwde inleiding")
        reloaded = next_load(2)
        seconds = reloaded["at"] / 1000 - saved
        build = preview.status()["seconds"]
        print(f"save -> page reloaded in the browser: {seconds:.2f} s (the build itself: {build:.2f} s, "
              f"the rest: {seconds - build:.2f} s)")
        assert seconds - build < 1.0  # all but the build itself: the look at the files, the event, the reload
        preview.edit("[@szigeti2021; @morgan2012]", "[@szigeti2021; @nobody1999]")
        failed = next_load(3)
        assert failed["banner"].startswith("The build failed (exit 1)")
        assert re.search(rf"{ARTICLE}:\d+: error: .*nobody1999.*\[cite\.unknown\]", failed["banner"])
    finally:
        browser.communicate("stop\n", timeout=30)
        shutil.rmtree(short, ignore_errors=True)


def raw_request(server: Preview, target: str, host: str | None = None) -> int:
    """The status of a GET of ``target`` exactly as written (no client tidies it up)."""
    connection = server.connection()
    try:
        connection.putrequest("GET", target, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{server.port}")
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_nothing_outside_dist_site_is_served(preview, tmp_path):
    site = preview.root / "dist/site"
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (site / "outside.txt").symlink_to(tmp_path / "secret.txt")
    (site / "content").symlink_to(preview.root / "content", target_is_directory=True)
    (site / "empty").mkdir()
    assert raw_request(preview, PAGE) == 200
    for target in ("/../content/site.yaml", "/nl/../../content/site.yaml", "/%2e%2e/content/site.yaml",
                   "/nl/..%2f..%2fcontent/site.yaml", "/..\\content\\site.yaml", "//etc/passwd",
                   f"http://127.0.0.1:{preview.port}/../content/site.yaml", "/nl/%00"):
        assert raw_request(preview, target) in (400, 404), target
    assert raw_request(preview, "/etc/passwd") == 404  # a path of the site, which has no such file
    assert raw_request(preview, "/outside.txt") == 404  # a symbolic link out of the site
    assert raw_request(preview, "/content/site.yaml") == 404  # nor through a linked folder
    assert raw_request(preview, "/empty/") == 404  # a folder without index.html: no listing
    assert raw_request(preview, "/nl/proef") == 301  # a folder: to its address with a slash
    assert raw_request(preview, PAGE, host="attacker.example:80") == 421  # DNS rebinding


def test_the_server_listens_on_127_0_0_1_only(preview, tmp_path):
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(table).exists():
            for row in Path(table).read_text().splitlines()[1:]:
                local, state = row.split()[1], row.split()[3]
                address, port = local.rsplit(":", 1)
                if int(port, 16) == preview.port and state == "0A":  # LISTEN
                    listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and neither 0.0.0.0 nor any IPv6 address
    refused = subprocess.run([sys.executable, "-m", "leafpress", "serve", "--root", str(preview.root),
                              "--host", "0.0.0.0"], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert refused.returncode == 2 and "127.0.0.1 only" in refused.stderr and "Traceback" not in refused.stderr


def test_ctrl_c_stops_the_server_and_its_threads_cleanly(preview):
    connection, _events = events_after(preview, preview.status()["build"])  # an open page holds a thread
    try:
        preview.process.send_signal(signal.SIGINT)
        assert preview.process.wait(15) == 0
    finally:
        connection.close()
    time.sleep(0.2)
    said = preview.output()
    assert "serve: stopped" in said and "Traceback" not in said


def test_ctrl_c_during_a_build_stops_the_build_too(preview):
    preview.edit("Dit is de inleiding", "Dit is de vernieuwde inleiding")
    said = []
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while not any(line.startswith("serve: build 2:") for line in said) and time.monotonic() < deadline:
        said.append(preview.lines.get(timeout=BUILD_TIMEOUT_S))
    time.sleep(0.3)  # the build is under way
    preview.process.send_signal(signal.SIGINT)
    assert preview.process.wait(30) == 0
    time.sleep(0.2)
    said += preview.output().splitlines()
    assert "serve: stopped" in said and not any("Traceback" in line for line in said), said
    assert sorted((preview.root / "dist").rglob("*.tmp")) == []  # the build stopped whole: no half-written file


def test_no_site_yet_is_a_page_that_waits_for_one(tmp_path):
    project = copy_project(ROOTS / "basic", tmp_path / "basic")
    process = start(project.root, "--port", "0", "--lang", "nl")
    try:
        first = process.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", first)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/")
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        assert response.status == 404 and "No site built yet" in body and "reload.js" in body
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)


# --- the parts, one by one -------------------------------------------------------------------

def test_a_build_runs_the_leafpress_the_server_runs(tmp_path):
    command = build_command(tmp_path, ("nl", "en"), draft=True, jobs=2)
    assert command[:3] == [sys.executable, "-m", "leafpress"]
    assert command[4:] == ["--root", str(tmp_path), "--lang", "nl", "--lang", "en", "--draft", "--jobs", "2"]
    assert build_environment({})["PYTHONPATH"] == str(REPO)
    assert build_environment({"PYTHONPATH": f"/elsewhere{os.pathsep}{REPO}"})["PYTHONPATH"] == \
        f"{REPO}{os.pathsep}/elsewhere"


def test_diagnostics_printed_by_the_build_are_read_back():
    for diagnostic in (error("content/articles/x.md", 12, "cite.unknown", "unknown citation key 'a: b'"),
                       warning("dist/print/nl/x.pdf", None, "preflight.image.resolution", "96 ppi", page=2),
                       error("content/site.yaml", None, "config.field", "format: expected A5 or A4")):
        assert parse_diagnostic(diagnostic.format()) == diagnostic
    assert parse_diagnostic("built 3 job(s) (7 files), 0 up to date, 0 failed, 0 removed, in 1.4 s") is None
    assert parse_diagnostic("build.py: 1 problem(s); nothing was written") is None


def test_the_banner_escapes_what_the_build_said():
    hostile = error("content/articles/<x>.md", 3, "meta.invalid", "title: '<script>alert(1)</script>' & more")
    shown = banner(BuildResult(2, 1, (), (hostile,), ("<img src=x onerror=alert(1)>",)))
    assert "<script>" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "content/articles/&lt;x&gt;.md:3: error:" in shown
    assert banner(BuildResult(3, 0)) == ""


def test_the_preview_adds_to_html_just_inside_the_body():
    page = into_page(b"<html><BODY class='x'><main>text</main></BODY></html>", BuildResult(4, 0))
    assert page.startswith(b"<html><BODY class='x'><script src='/__leafpress/reload.js' data-build='4' defer>")
    assert page.endswith(b"<main>text</main></BODY></html>")


def test_request_paths_are_names_inside_the_site():
    assert names("/") == [""]
    assert names("/nl/proef/?q=1") == ["nl", "proef", ""]
    assert names("/nl/caf%C3%A9.html") == ["nl", "café.html"]
    for bad in ("/../x", "/a/./b", "//etc/passwd", "/a//b", "http://h/x", "*", "/a%2Fb", "/a%5Cb", "/%00", "/%ff"):
        assert names(bad) is None, bad
