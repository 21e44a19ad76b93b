"""axe-core in Chromium finds what a web page does to its readers, at a phone's and a desktop's width.

Small pages written here: one accessible, one with an image without alternative text and
grey text on white, one whose text is too pale only on a narrow screen, one that asks for
a stylesheet from another address (the browser is offline: the request never arrives).
The runs need the npm packages (``make test`` installs them into .venv/axe and sets
LEAFPRESS_AXE) and Debian's Chromium; they are skipped only when those are absent.
"""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from leafpress.validate import check
from leafpress.validate.ace import CHROMIUM
from leafpress.validate.axe import AXE_ENV, WIDTHS, AxeViolation, axe_findings, axe_modules, run_axe

MODULES = axe_modules()
needs_axe = pytest.mark.skipif(MODULES is None or not CHROMIUM.is_file(),
                               reason=f"axe-core is not installed ({AXE_ENV}={os.environ.get(AXE_ENV, '')!r}) "
                                      f"or there is no {CHROMIUM}")

HEAD = ("<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>{extra}</head>")
GOOD = (HEAD.format(title="Een goede pagina", extra="") +
        "<body><main><h1>Een goede pagina</h1><p>Zwarte tekst op wit.</p>"
        "<img src='stip.svg' alt='Een zwarte stip'></main></body></html>")
BAD = (HEAD.format(title="Een slechte pagina", extra="") +
       "<body><main><h1>Een slechte pagina</h1><p id='grijs' style='color:#bbbbbb;background:#ffffff'>"
       "Nauwelijks leesbaar</p><img id='zonder-alt' src='stip.svg'></main></body></html>")
NARROW = (HEAD.format(title="Smal", extra="<style>@media (max-width: 600px) { #smal { color: #c0c0c0 } }</style>") +
          "<body><main><h1>Smal</h1><p id='smal' style='background:#fff'>Bleek op een telefoon</p>"
          "</main></body></html>")
STIP = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><circle cx='5' cy='5' r='5'/></svg>"


class _Counting(BaseHTTPRequestHandler):
    asked: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: #eeeeee }")


@pytest.fixture(scope="module")
def elsewhere():
    """Another address on this computer, which the pages must not reach."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counting.asked
    server.shutdown()
    server.server_close()


def write_site(folder: Path, elsewhere_url: str) -> Path:
    (folder / "nl").mkdir(parents=True)
    (folder / "stip.svg").write_text(STIP, encoding="utf-8")
    (folder / "nl/stip.svg").write_text(STIP, encoding="utf-8")
    (folder / "index.html").write_text(GOOD, encoding="utf-8")
    (folder / "nl/slecht.html").write_text(BAD, encoding="utf-8")
    (folder / "nl/smal.html").write_text(NARROW, encoding="utf-8")
    offline = GOOD.replace("</head>", f"<link rel='stylesheet' href='{elsewhere_url}/pale.css'></head>")
    (folder / "nl/offline.html").write_text(offline, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def results(tmp_path_factory, elsewhere) -> tuple[Path, dict[str, list[AxeViolation]], list]:
    site = write_site(tmp_path_factory.mktemp("axe") / "site", elsewhere[0])
    pages = sorted(site.glob("**/*.html"))
    violations, unchecked = run_axe(site, pages, MODULES)
    by_page: dict[str, list[AxeViolation]] = {str(p.relative_to(site)): [] for p in pages}
    for violation in violations:
        by_page[str(violation.page.relative_to(site))].append(violation)
    return site, by_page, unchecked


@needs_axe
def test_an_accessible_page_has_no_violations(results):
    _site, by_page, unchecked = results
    assert unchecked == []
    assert by_page["index.html"] == []


@needs_axe
def test_a_missing_alt_and_low_contrast_are_found_with_their_rule_at_both_widths(results):
    _site, by_page, _unchecked = results
    found = {(v.rule, v.target): v for v in by_page["nl/slecht.html"]}
    assert set(found) == {("image-alt", "#zonder-alt"), ("color-contrast", "#grijs")}
    assert found["image-alt", "#zonder-alt"].impact == "critical"
    assert found["color-contrast", "#grijs"].impact == "serious"
    assert all(v.widths == WIDTHS for v in found.values())
    line = found["image-alt", "#zonder-alt"].finding().format()
    assert line.endswith("/nl/slecht.html: error: Images must have alternative text at #zonder-alt "
                         "(critical; 390 px and 1280 px wide) [axe.image-alt]")


@needs_axe
def test_a_problem_of_the_narrow_screen_only_is_found_at_390_px_only(results):
    _site, by_page, _unchecked = results
    assert [(v.rule, v.target, v.widths) for v in by_page["nl/smal.html"]] == [("color-contrast", "#smal", (390,))]


@needs_axe
def test_the_browser_is_offline(results, elsewhere):
    _site, by_page, _unchecked = results
    assert by_page["nl/offline.html"] == []  # the pale stylesheet did not arrive
    assert elsewhere[1] == []                # nor was it asked for


@needs_axe
def test_make_check_runs_axe_on_dist_site(tmp_path, capsys, monkeypatch):
    dist = tmp_path / "dist"
    site = dist / "site"
    site.mkdir(parents=True)
    (site / "stip.svg").write_text(STIP, encoding="utf-8")
    (site / "index.html").write_text(GOOD, encoding="utf-8")
    (site / "slecht.html").write_text(BAD, encoding="utf-8")
    monkeypatch.delenv("LEAFPRESS_ACE", raising=False)  # no EPUBs, so Ace is not needed
    assert check.main([str(dist), "--axe", str(MODULES)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert sorted(l.rpartition(" [")[2] for l in lines[:-1]) == ["axe.color-contrast]", "axe.image-alt]"]
    assert all(l.startswith(f"{site / 'slecht.html'}: error: ") for l in lines[:-1])
    assert lines[-1].endswith("; axe: 2 file(s), 2 finding(s): 2 finding(s)")


@needs_axe
def test_a_page_that_is_a_symbolic_link_is_not_checked_but_reported(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "elders.html").write_text(BAD, encoding="utf-8")
    site.mkdir()
    (site / "index.html").write_text(GOOD.replace("<img src='stip.svg' alt='Een zwarte stip'>", ""), encoding="utf-8")
    (site / "elders.html").symlink_to(outside / "elders.html")
    (site / "map").symlink_to(outside, target_is_directory=True)  # listed or not, never served
    found = [d.format() for d in axe_findings(site, MODULES)]
    assert [line for line in found if "/elders.html:" not in line] == []
    assert f"{site / 'elders.html'}: error: not checked at 390 px: HTTP 404 [axe.unavailable]" in found
    assert not any("[axe.image-alt]" in line for line in found)  # what the link leads to is not read


def test_without_axe_every_page_is_a_finding(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(GOOD, encoding="utf-8")
    assert [d.format() for d in axe_findings(tmp_path, None)] == [
        f"{page}: error: not checked: axe-core not found; set {AXE_ENV} or run 'make check' [axe.unavailable]"]


def test_without_dist_site_make_check_says_so(tmp_path, capsys, monkeypatch):
    (tmp_path / "dist").mkdir()
    monkeypatch.delenv("LEAFPRESS_ACE", raising=False)
    assert check.main([str(tmp_path / "dist")]) == 1  # nothing at all to check
    captured = capsys.readouterr()
    assert "so axe-core checked no web page" in captured.err and "axe: 0 file(s)" in captured.out


def test_the_npm_folder_is_found_from_the_variable(tmp_path):
    for package in ("puppeteer-core", "@axe-core/puppeteer"):
        (tmp_path / "node_modules" / package).mkdir(parents=True)
        (tmp_path / "node_modules" / package / "package.json").write_text("{}", encoding="utf-8")
    assert axe_modules({AXE_ENV: str(tmp_path)}) == tmp_path / "node_modules"
    assert axe_modules({AXE_ENV: str(tmp_path / "node_modules")}) == tmp_path / "node_modules"
    assert axe_modules({AXE_ENV: str(tmp_path / "nothing")}) is None
    assert axe_modules({}) is None
