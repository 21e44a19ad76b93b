"""The website (issue 18): dist/site/, read as a browser and a search engine read it.

Every address a leaflet prints (its QR code and link) is a page; every link, alternate and
download of every page is a file of the site; nothing is fetched from another host and no
script runs; right-to-left pages say so; what is not published has no page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pikepdf
import pytest
from test_axe import needs_axe

from leafpress.build.pipeline import published_languages
from leafpress.render.html import direction
from leafpress.source.load import load_project
from leafpress.validate.axe import axe_modules, run_axe, site_pages

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# where a page may point without a file of the site behind it: a phone call, an e-mail
NOT_FILES = ("tel:", "mailto:")


@dataclass
class Page:
    """What a parser finds in one HTML file: every element with its attributes, ids, scripts, text."""

    path: Path
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def html(self) -> dict[str, str]:
        return self.all("html")[0]


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.script: dict[str, str] | None = None
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.elements.append((tag, values))
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "script":
            self.script, self.chunks = values, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script, "".join(self.chunks)))
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.chunks.append(data)
        else:
            self.page.text += data


def parse(path: Path) -> Page:
    page = Page(path)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return page


def site_of(root: Path) -> Path:
    return root / "dist" / "site"


def pages(root: Path) -> list[Page]:
    return [parse(path) for path in sorted(site_of(root).rglob("*.html"))]


def local_target(site: Path, base_url: str, page: Path, url: str) -> tuple[Path | None, str]:
    """The file of the site ``url`` (as written in ``page``) leads to, and its fragment;
    (None, "") for a link to another host."""
    if url.startswith(base_url + "/"):
        relative = url.removeprefix(base_url + "/")
        target = site / unquote(urlsplit(relative).path)
    elif urlsplit(url).scheme or url.startswith("//"):
        return None, ""
    else:
        path = urlsplit(url).path
        target = (page.parent / unquote(path)) if path else page
    if target.is_dir():  # a folder's address (…/ketamine-en-mdma/): its index.html, as a web server serves it
        target = target / "index.html"
    return target.resolve(), urlsplit(url).fragment


@pytest.fixture(scope="module")
def real(real_built):
    project, _ = load_project(real_built.root)
    assert project is not None
    return real_built.root, project


def qr_codes(pdf: Path, page: int, folder: Path) -> list[str]:
    """What the QR codes on ``page`` of ``pdf`` say, read from a picture of the page (as a phone does)."""
    subprocess.run(["pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-png", str(pdf),
                    str(folder / "page")], check=True)
    pictures = sorted(folder.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--raw", "-q", *map(str, pictures)], capture_output=True, text=True).stdout
    for picture in pictures:
        picture.unlink()
    return out.splitlines()


def test_every_address_a_leaflet_prints_is_a_page(real, tmp_path):
    """The QR code on the back of every published leaflet, its printed link and its links to
    related leaflets lead to pages of the site, the QR code and link to the leaflet's own."""
    root, project = real
    base = project.site.base_url
    published = published_languages(project)
    site = site_of(root)
    found = 0
    for article_id, languages in published.items():
        for lang in languages:
            own = f"{base}/{lang}/{article_id}/"
            screen = root / "dist" / "leaflets" / lang / f"{article_id}.pdf"
            with pikepdf.open(screen) as pdf:
                uris = {str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                        if "/A" in annot and "/URI" in annot.A}
                last = len(pdf.pages)
            ours = [uri for uri in uris if uri.startswith(base + "/")]
            assert own in ours, uris
            if shutil.which("pdftoppm") and shutil.which("zbarimg"):
                assert qr_codes(screen, last, tmp_path) == [own]
            for uri in ours:
                target, _ = local_target(site, base, site / "index.html", uri)
                assert target is not None and target.is_file(), uri
                assert parse(target).html()["lang"] == lang
            found += 1
    assert found == sum(len(v) for v in published.values()) == 18


def test_every_link_alternate_and_download_is_a_file(real):
    root, project = real
    site = site_of(root)
    base = project.site.base_url
    checked = 0
    for page in pages(root):
        for tag, attrs in page.elements:
            for name in ("href", "src"):
                url = attrs.get(name)
                if url is None or url.startswith(NOT_FILES):
                    continue
                target, fragment = local_target(site, base, page.path, url)
                if target is None:  # another host: only a plain link out, never a loaded resource
                    assert tag == "a" and name == "href", (page.path, tag, url)
                    continue
                assert target.is_file(), (page.path, url)
                assert target.is_relative_to(site.resolve()), (page.path, url)
                if fragment:
                    assert fragment in parse(target).ids, (page.path, url)
                checked += 1
        assert checked
    assert checked > 500


def test_downloads_are_the_outputs_the_build_made(real):
    root, project = real
    for lang in project.site.languages:
        for article_id in project.articles:
            folder = site_of(root) / lang / article_id
            assert (folder / f"{article_id}-{lang}.pdf").read_bytes() == (
                root / "dist" / "leaflets" / lang / f"{article_id}.pdf").read_bytes()
            assert (folder / f"{article_id}-{lang}-brochure.pdf").read_bytes() == (
                root / "dist" / "brochures" / lang / f"{article_id}.pdf").read_bytes()
            links = [a["href"] for a in parse(folder / "index.html").all("a") if "download" in a]
            assert links == [f"{article_id}-{lang}.pdf", f"{article_id}-{lang}-brochure.pdf",
                             f"../psychedelica-en-ggz-{lang}.epub"]
        assert (site_of(root) / lang / f"psychedelica-en-ggz-{lang}.epub").read_bytes() == (
            root / "dist" / "booklets" / lang / "psychedelica-en-ggz.epub").read_bytes()


def test_nothing_from_another_host_and_no_script(real):
    root, _project = real
    for page in pages(root):
        for tag, attrs in page.elements:
            assert not any(name.startswith("on") for name in attrs), (page.path, tag, attrs)
            if tag in ("img", "link", "source", "iframe", "embed", "object", "video", "audio"):
                for name in ("src", "href", "srcset", "data"):
                    assert not re.match(r"(https?:)?//", attrs.get(name, "")) or (
                        tag == "link" and attrs.get("rel") in ("canonical", "alternate")), (page.path, tag, attrs)
            assert "url(" not in attrs.get("style", "")
        assert [attrs.get("type") for attrs, _ in page.scripts] in ([], ["application/ld+json"]), page.path
    css = (site_of(root) / "site.css").read_text(encoding="utf-8")
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls and all(not re.match(r"['\"]?(https?:)?//", u) for u in urls)
    assert all((site_of(root) / u.strip("'\"")).is_file() for u in urls)
    assert "@import" not in css


def test_each_page_in_its_language_and_direction(real):
    root, project = real
    for page in pages(root):
        relative = page.path.relative_to(site_of(root))
        lang = relative.parts[0] if len(relative.parts) > 1 else project.source_language
        assert page.html()["lang"] == lang
        assert page.html()["dir"] == direction(lang) == ("rtl" if lang == "ar" else "ltr")
        assert len(page.all("h1")) == 1, page.path
        assert [a for a in page.all("a")][0] == {"class": "skip-link", "href": "#main"}
        assert "main" in page.ids and len(page.all("main")) == 1
        assert page.all("header") and page.all("footer")
        assert page.all("meta")[1]["name"] == "viewport"


def test_page_has_the_whole_article(real):
    """What the leaflet has: boxes, help lines one tap away, citations linked to the list, the
    dates and owner of the colophon, related articles as pages of the site."""
    root, project = real
    page = parse(site_of(root) / "nl" / "ketamine-en-mdma" / "index.html")
    classes = {c for _tag, attrs in page.elements for c in attrs.get("class", "").split()}
    assert {"keypoints", "helpline-box", "reference-list", "related", "colophon", "downloads"} <= classes
    assert any(a["href"].startswith("tel:") for a in page.all("a"))
    citations = [a["href"] for a in page.all("a") if a.get("class") == "citation-link"]
    assert citations and all(c.removeprefix("#") in page.ids for c in citations)
    related = [a["href"] for a in page.all("a") if a["href"].startswith("../") and a["href"].count("/") == 2]
    assert "../microdoseren-ketamine/" in related
    meta = project.articles["ketamine-en-mdma"].meta
    assert "21 november 2026" in page.text and meta.owner in page.text  # reviewed, by whom
    assert [a for a in page.all("time") if a["datetime"] == meta.reviewed.isoformat()]
    alternates = {a["hreflang"]: a["href"] for a in page.all("link") if a.get("rel") == "alternate"}
    assert set(alternates) == {*project.site.languages, "x-default"}
    switch = [a for a in page.all("a") if "lang" in a and a["href"].startswith("../../")]
    assert [a["lang"] for a in switch] == list(project.site.languages)
    assert [a for a in switch if a.get("aria-current") == "page"][0]["lang"] == "nl"


def test_json_ld_says_when_and_by_whom_it_was_reviewed(real):
    root, project = real
    for lang in project.site.languages:
        for article_id, article in project.articles.items():
            page = parse(site_of(root) / lang / article_id / "index.html")
            (data,) = [json.loads(text) for attrs, text in page.scripts]
            assert data["@type"] == "MedicalWebPage" and data["inLanguage"] == lang
            assert data["lastReviewed"] == article.meta.reviewed.isoformat()
            assert data["reviewedBy"]["parentOrganization"]["name"] == project.site.organisation
            assert data["url"] == f"{project.site.base_url}/{lang}/{article_id}/"
            if lang == "nl":
                assert data["reviewedBy"]["name"] == article.meta.owner


def test_sitemap_lists_every_page_at_its_address(real):
    root, project = real
    tree = ElementTree.parse(site_of(root) / "sitemap.xml")
    locations = [loc.text or "" for loc in tree.iter(f"{SITEMAP}loc")]
    assert len(locations) == 1 + 6 + 18
    for location in locations:
        target, _ = local_target(site_of(root), project.site.base_url, site_of(root) / "index.html", location)
        assert target is not None and target.is_file(), location


def test_root_names_each_language_in_its_own_script(real):
    root, _project = real
    page = parse(site_of(root) / "index.html")
    choices = {a["lang"]: a["href"] for a in page.all("a") if "hreflang" in a}
    assert choices == {lang: f"{lang}/" for lang in ("nl", "en", "ar", "tr", "pl", "uk")}
    for name in ("Nederlands", "English", "العربية", "Türkçe", "Polski", "Українська", "اختر لغتك"):
        assert name in page.text


def test_language_index_groups_leaflets_by_booklet(real):
    root, _project = real
    page = parse(site_of(root) / "ar" / "index.html")
    assert [s for s in page.all("section")][0]["aria-labelledby"] == "booklet-psychedelica-en-ggz"
    leaflets = [a["href"] for a in page.all("a") if re.fullmatch(r"[a-z-]+/", a["href"])]
    assert leaflets == ["microdoseren-ketamine/", "ketamine-en-mdma/", "microdosing-in-therapie/"]


def _unpublish_tweede_in_english(project) -> None:
    project.edit("translations/en/LC_MESSAGES/tweede.po", 'msgstr "A paragraph that also mentions @szigeti2021."',
                 'msgstr ""')


def test_only_what_is_published_and_removed_when_no_longer(basic, capsys):
    run = basic.build(capsys, "site")
    assert run.code == 0, run.err
    site = site_of(basic.root)
    assert (site / "en" / "tweede" / "index.html").is_file()
    assert (site / "en" / "proef" / "media" / "schema.png").is_file()  # its picture, copied
    _unpublish_tweede_in_english(basic)
    run = basic.build(capsys, "site")
    assert run.code == 0, run.err
    assert "removed dist/site/en/tweede/index.html: no longer published" in run.err
    assert not (site / "en" / "tweede").exists()
    assert not (site / "en" / "bundel-en.epub").exists()  # the booklet has it, so it is not published either
    assert (site / "nl" / "tweede" / "index.html").is_file()
    nl = parse(site / "nl" / "tweede" / "index.html")
    assert {a["hreflang"] for a in nl.all("link") if a.get("rel") == "alternate"} == {"nl", "x-default"}
    assert [a["lang"] for a in nl.all("a") if "lang" in a] == ["nl"] or not nl.all("nav")
    english = parse(site / "en" / "index.html")
    assert [a["href"] for a in english.all("a") if a["href"] in ("proef/", "tweede/")] == ["proef/"]
    assert "/en/tweede/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_drafts_only_with_draft(basic, capsys):
    _unpublish_tweede_in_english(basic)
    assert basic.build(capsys, "site").code == 0
    assert not (site_of(basic.root) / "en" / "tweede").exists()
    run = basic.build(capsys, "site", "--draft")
    assert run.code == 0, run.err
    draft = parse(site_of(basic.root) / "en" / "tweede" / "index.html")
    assert {"name": "robots", "content": "noindex"} in draft.all("meta")
    assert "draft-notice" in {attrs.get("class") for _tag, attrs in draft.elements}


def test_incremental(basic, capsys):
    assert basic.build(capsys, "site").code == 0
    assert "nothing to do" in basic.build(capsys, "site").out
    basic.edit("templates/site/site.css", "phone first", "phone first, edited")
    run = basic.build(capsys, "site")
    assert re.search(r"built 1 job\(s\) \(\d+ files\)", run.out), run.out  # the stylesheet and fonts only
    basic.edit("content/articles/tweede.md", 'version: "2.1"', 'version: "2.2"')
    run = basic.build(capsys, "site", "--lang", "nl")
    # the nl leaflet and its page, the booklet and the index that offers it
    assert "built 4 job(s)" in run.out, run.out
    colophon = parse(site_of(basic.root) / "nl" / "tweede" / "index.html").text
    assert "Versie2.2" in re.sub(r"\s+", "", colophon)


@needs_axe
def test_axe_core_finds_no_wcag_violation_on_any_page_of_the_real_site(real_built):
    """axe-core in Chromium, WCAG 2.1 A and AA, on every page of the real site (the leaflets'
    pages, the indexes and the language choice) at a phone's width, and at a desktop's on one
    page of each kind in a left-to-right and a right-to-left language (``make check`` runs
    every page at both: a page of a kind differs from the others of it by its words only)."""
    site = real_built.path("dist/site")
    pages = site_pages(site)
    assert len(pages) >= 25  # 18 leaflets, 6 indexes, the root
    wide = [site / "index.html", *(site / lang / "index.html" for lang in ("nl", "ar")),
            *(site / lang / "ketamine-en-mdma" / "index.html" for lang in ("nl", "ar"))]
    assert all(page in pages for page in wide)
    found = []
    for checked, widths in ((pages, (390,)), (wide, (1280,))):
        violations, unchecked = run_axe(site, checked, axe_modules(), widths)
        found += [d.format() for d in unchecked] + [v.finding().format() for v in violations]
    assert found == []
