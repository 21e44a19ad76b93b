"""What each job is made from: the files and values its fingerprint covers.

A change to a template, the bibliography or a catalog rebuilds exactly the
outputs that use it: a leaflet depends on its article and its language's
catalog for it, the help lines and the glossary, the leaflet templates and fonts, only the bibliography
entries it cites, and of the articles it lists under "read also" only what
it shows of them: their title in its language and whether they are published.
What is particular to a format (its templates, a booklet's own file, the print profile)
it declares itself (:class:`leafpress.formats.format.MadeFrom`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from leafpress.build.manifest import code_files, code_name
from leafpress.build.pipeline import Job
from leafpress.formats import registry
from leafpress.formats.format import MadeFrom
from leafpress.i18n.catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path
from leafpress.i18n.translations import source_body
from leafpress.markdown.segments import normalize
from leafpress.source.load import Project


@dataclass
class Hasher:
    """Content hashes of files, each file read once per build, and shared by every job that is
    made from it (a catalog by some twenty jobs of its language, the templates by all of them)."""

    root: Path
    _cache: dict[Path, str] = field(default_factory=dict)
    _labels: dict[Path, str] = field(default_factory=dict)

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
        if path not in self._labels:
            try:
                self._labels[path] = str(path.relative_to(self.root))
            except ValueError:
                self._labels[path] = str(path)
        return self._labels[path]

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

    _templates: dict[str, list[Path]] = field(default_factory=dict)
    _prints: dict[Job, str] = field(default_factory=dict)

    def templates(self, kind: str, made_from: MadeFrom) -> list[Path]:
        """The template files of a format (its templates, every file in its template folders), looked up once."""
        if kind not in self._templates:
            templates = self.project.paths.templates
            files = [templates / name for name in made_from.templates]
            for folder in made_from.template_dirs:
                files += [p for p in (templates / folder).rglob("*") if p.is_file()]
            self._templates[kind] = files
        return self._templates[kind]

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
        """What ``job`` is made from, as its format declares it, and what every job is made from;
        worked out once per build (a web page is made from its leaflet's, an index from its booklets')."""
        if job not in self._prints:
            self._prints[job] = self._fingerprint(job)
        return self._prints[job]

    def _fingerprint(self, job: Job) -> str:
        project = self.project
        declared = registry.of_kind(job.kind)
        if declared.fingerprint is not None:
            return declared.fingerprint(self, job)
        made_from = declared.made_from
        articles = list(made_from.articles(project, job))
        related = sorted({r for a in articles for r in project.articles[a].meta.related if r in project.articles})
        files = [*self.templates(job.kind, made_from), *made_from.sources(project, job),
                 *made_from.files(project, job), project.paths.site, project.paths.helplines, project.paths.glossary,
                 *self.article_files(job.lang, articles),
                 *(m for a in articles for m in self.media(a))]
        if job.lang != project.source_language:
            files += [catalog_path(project.paths.translations, job.lang, d) for d in (UI_DOMAIN, SHARED_DOMAIN)]
        values = [
            ("job", f"{job.kind} {job.lang} {job.id} draft={job.draft}"),
            ("code", self.code),
            ("bibliography", self.cited_items(articles)),
            ("related", self.related_titles(job.lang, related)),
            ("published", json.dumps({a: self.published.get(a, ()) for a in articles})),
            *made_from.values(job),
        ]
        return fingerprint([*self.hasher.files(files), *values])
