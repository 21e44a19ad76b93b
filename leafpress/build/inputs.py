"""What each job is made from: the files and values its fingerprint covers.

A change to a template, the bibliography or a catalog rebuilds exactly the
outputs that use it: a leaflet depends on its article and its language's
catalog for it, the help lines and the glossary, the leaflet templates and fonts, only the bibliography
entries it cites, and of the articles it lists under "read also" only what
it shows of them: their title in its language and whether they are published.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from leafpress.build import source_date
from leafpress.build.manifest import code_files, code_name
from leafpress.build.pipeline import Job
from leafpress.i18n.catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path
from leafpress.i18n.translations import source_body
from leafpress.markdown.segments import normalize
from leafpress.source.load import Project

LEAFLET_TEMPLATES = ("leaflet.html", "_article.html", "labels.html", "leaflet.css", "theme.css", "bleed.css")
BOOKLET_TEMPLATES = ("chapter.xhtml", "_xhtml_head.xhtml", "titlepage.xhtml", "references.xhtml", "nav.xhtml",
                     "_article.html", "labels.html", "epub.css",
                     "theme.css", "leaflet.css")  # their @font-face rules: the fonts a booklet may carry
LEAFLET_TEMPLATE_DIRS = ("fonts", "csl", "icc")
BOOKLET_TEMPLATE_DIRS = ("csl", "fonts")


@dataclass
class Hasher:
    """Content hashes of files, each file read once per build."""

    root: Path
    _cache: dict[Path, str] = field(default_factory=dict)

    def file(self, path: Path) -> str:
        if path not in self._cache:
            try:
                self._cache[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._cache[path] = "missing"
        return self._cache[path]

    def files(self, paths: Iterable[Path]) -> list[tuple[str, str]]:
        return [(self._label(p), self.file(p)) for p in sorted(set(paths))]

    def _label(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def code(self) -> str:
        """leafpress's own code, every module of the package: a change to it rebuilds everything."""
        return fingerprint((code_name(path), self.file(path)) for path in code_files())


def fingerprint(parts: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for label, value in parts:
        digest.update(f"{label}\0{value}\0".encode())
    return digest.hexdigest()


@dataclass
class Inputs:
    """Works out job fingerprints for one build; what jobs share is looked up once."""

    project: Project
    published: dict[str, tuple[str, ...]]
    hasher: Hasher
    code: str

    def _template_files(self, names: Iterable[str], folders: Iterable[str]) -> list[Path]:
        templates = self.project.paths.templates
        files = [templates / name for name in names]
        for folder in folders:
            files += [p for p in (templates / folder).rglob("*") if p.is_file()]
        return files

    @cached_property
    def leaflet_templates(self) -> list[Path]:
        return self._template_files(LEAFLET_TEMPLATES, LEAFLET_TEMPLATE_DIRS)

    @cached_property
    def booklet_templates(self) -> list[Path]:
        return self._template_files(BOOKLET_TEMPLATES, BOOKLET_TEMPLATE_DIRS)

    @cached_property
    def media_files(self) -> list[tuple[str, Path]]:
        content = self.project.paths.content
        return [(str(p.relative_to(content)), p) for p in sorted((content / "media").rglob("*")) if p.is_file()]

    def media(self, article_id: str) -> list[Path]:
        body = self.project.articles[article_id].body
        return [path for relative, path in self.media_files if relative in body]

    def cited_keys(self, article_id: str) -> frozenset[str]:
        return source_body(self.project.articles[article_id].body).citation_keys

    def cited_items(self, article_ids: Iterable[str]) -> str:
        bibliography = self.project.bibliography
        keys = sorted({k for a in article_ids for k in self.cited_keys(a)})
        items = {k: bibliography.items[k] for k in keys if k in bibliography}
        return json.dumps(items, sort_keys=True, default=str)

    def article_files(self, lang: str, article_ids: Iterable[str]) -> list[Path]:
        files = []
        for article_id in article_ids:
            files.append(self.project.articles[article_id].path)
            if lang != self.project.source_language:
                files.append(catalog_path(self.project.paths.translations, lang, article_id))
        return files

    def related_titles(self, lang: str, article_ids: Iterable[str]) -> str:
        """What a "read also" list shows of each article: its title in ``lang``, if it is published in it."""
        shown: dict[str, list | None] = {}
        for article_id in article_ids:
            if lang not in self.published.get(article_id, ()):
                shown[article_id] = None
                continue
            title = self.project.articles[article_id].meta.title
            translated = None
            if lang != self.project.source_language:
                catalog = self.project.languages[lang].articles.get(article_id)
                translated = catalog.translation(normalize(title)) if catalog else None
            shown[article_id] = [title, translated]
        return json.dumps(shown, sort_keys=True, ensure_ascii=False)

    def fingerprint(self, job: Job) -> str:
        project = self.project
        if job.kind == "leaflet":
            articles = [job.id]
            templates = self.leaflet_templates
            own = []
        else:
            booklet = project.booklets[job.id]
            articles = list(booklet.articles)
            templates = self.booklet_templates
            own = [booklet.path]
        related = sorted({r for a in articles for r in project.articles[a].meta.related if r in project.articles})
        files = [*templates, *own, project.paths.site, project.paths.helplines, project.paths.glossary,
                 *self.article_files(job.lang, articles),
                 *(m for a in articles for m in self.media(a))]
        if job.kind == "leaflet":  # its print PDF's output intent: the print shop's profile, or the default
            files.append(project.site.icc_profile_path(project.paths))
        if job.lang != project.source_language:
            files += [catalog_path(project.paths.translations, job.lang, d) for d in (UI_DOMAIN, SHARED_DOMAIN)]
        values = [
            ("job", f"{job.kind} {job.lang} {job.id} draft={job.draft}"),
            ("code", self.code),
            ("bibliography", self.cited_items(articles)),
            ("related", self.related_titles(job.lang, related)),
            ("published", json.dumps({a: self.published.get(a, ()) for a in articles})),
        ]
        if job.kind == "booklet":  # the file times in its zip
            values.append(("source_date", source_date.setting()))
        return fingerprint([*self.hasher.files(files), *values])
