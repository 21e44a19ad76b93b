"""Load the whole project and check it, before anything is rendered.

Every problem in every file is collected, so an editor sees them all at once;
the build renders nothing while any error stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from leafpress.build.parse_cache import Parsed
from leafpress.cite.bibliography import NAME_FIELDS, Bibliography, is_incomplete, load_bibliography
from leafpress.diagnostics import Diagnostic, error, has_errors
from leafpress.i18n.translations import (
    Language,
    Sources,
    check_folders,
    check_language,
    collect_sources,
    load_language,
    source_body,
)
from leafpress.markdown.placeholders import front_matter_problems
from leafpress.shipped import CSL_STYLE, ICC_PROFILE
from leafpress.source.checks import Known, check_article
from leafpress.source.glossary import Glossary, load_glossary
from leafpress.source.lint import lint_article, lint_theme
from leafpress.source.markup_checks import check_catalog_markup, check_markup
from leafpress.source.project import (
    Article,
    Booklet,
    Helpline,
    Paths,
    Site,
    load_article,
    load_booklet,
    load_helplines,
    load_site,
)


@dataclass(frozen=True)
class Project:
    paths: Paths
    site: Site
    helplines: dict[str, Helpline]
    bibliography: Any  # bibliography.Bibliography, None when it could not be read
    articles: dict[str, Article]
    booklets: dict[str, Booklet]
    sources: Sources
    languages: dict[str, Language]  # every target language, source language excluded
    glossary: Glossary = ()          # content/glossary.yaml

    @property
    def source_language(self) -> str:
        return self.site.source_language


def load_project(root: Path, parsed: Parsed | None = None) -> tuple[Project | None, list[Diagnostic]]:
    """The project at ``root``; ``parsed`` keeps what its files parse to between builds."""
    parsed = parsed if parsed is not None else Parsed()
    paths = Paths(root)
    diagnostics: list[Diagnostic] = []
    if not paths.content.is_dir():
        return None, [error(paths.content, None, "project.layout",
                            "no content/ folder here; run leafpress from the project's top folder")]
    site, found = load_site(paths.site)
    diagnostics += found
    helplines, found = load_helplines(paths.helplines)
    diagnostics += found
    glossary, found = load_glossary(paths.glossary)
    diagnostics += found
    loaded, found = load_bibliography(paths.references)
    bibliography: Bibliography | None = loaded
    diagnostics += found
    if has_errors(found):
        bibliography = None  # unusable: its keys are not checked, nothing is rendered
    articles: dict[str, Article] = {}
    article_files, found = source_files(paths.articles, "*.md", "article")
    diagnostics += found
    for path in article_files:
        article, found = load_article(path)
        diagnostics += found
        if article is not None:
            articles[article.id] = article
    booklets: dict[str, Booklet] = {}
    booklet_files, found = source_files(paths.booklets, "*.yaml", "booklet")
    diagnostics += found
    for path in booklet_files:
        booklet, found = load_booklet(path)
        diagnostics += found
        if booklet is not None:
            booklets[booklet.id] = booklet
    if site is None:
        return None, diagnostics
    sources = collect_sources(paths.translations, articles, paths.helplines, helplines, booklet_files, parsed,
                              glossary)
    languages: dict[str, Language] = {}
    for lang in site.languages:
        if lang != site.source_language:
            languages[lang], found = load_language(paths.translations, lang, articles, parsed)
            diagnostics += found
    diagnostics += check_folders(paths.translations, site.languages)
    project = Project(paths, site, helplines, bibliography, articles, booklets, sources, languages, glossary)
    return project, diagnostics


def source_files(folder: Path, pattern: str, kind: str) -> tuple[list[Path], list[Diagnostic]]:
    """The files in ``folder`` that match ``pattern``, and an error for each name that
    matches but is no file (a folder named ``x.md``, a symbolic link to nothing)."""
    files: list[Path] = []
    found: list[Diagnostic] = []
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            files.append(path)
        elif path.is_symlink() and not path.exists():
            found.append(error(path, None, f"{kind}.file", f"symbolic link to '{path.readlink()}', which does "
                               f"not exist; remove the link or restore the {kind} it points to"))
        else:
            a_or_an = "an" if kind[0] in "aeiou" else "a"
            found.append(error(path, None, f"{kind}.file", f"a folder, not {a_or_an} {kind} file, has this name; "
                               f"rename the folder (only {kind} files may end in '{pattern[1:]}')"))
    return files, found


def missing_templates(templates: Path) -> list[Diagnostic]:
    """Each template file a format is made with that is not there."""
    from leafpress.formats import registry

    formats = [name for f in registry.FORMATS for name in f.made_from.templates]
    needed = dict.fromkeys((*formats, CSL_STYLE, ICC_PROFILE))
    return [error(templates / name, None, "theme.missing",
                  f"template file missing; restore it (git checkout templates/{name}, or copy it from "
                  "leafpress's templates/ folder)") for name in needed if not (templates / name).is_file()]


def check_project(project: Project, parsed: Parsed | None = None) -> list[Diagnostic]:
    known = Known(
        articles=frozenset(p.stem for p in project.paths.articles.glob("*.md")),
        helplines=frozenset(project.helplines),
        citation_keys=None if project.bibliography is None else frozenset(project.bibliography.items),
        content=project.paths.content,
    )
    found: list[Diagnostic] = []
    cited: dict[str, None] = {}
    for article in project.articles.values():
        tokens = source_body(article.body).tokens
        found += check_article(article, tokens, known)
        found += check_markup(article.path, tokens, article.body_line)
        found += [error(article.path, line, "text.placeholder", message)
                  for line, message in front_matter_problems(article.meta)]
        found += lint_article(article, tokens)
        cited.update(dict.fromkeys(citation_keys(tokens)))
    found += check_cited_references(project.bibliography, cited)
    missing = missing_templates(project.paths.templates)
    found += missing or lint_theme(project.paths.templates)
    for booklet in project.booklets.values():
        for article_id in booklet.articles:
            if article_id not in known.articles:
                found.append(error(booklet.path, booklet.lines.get("articles"), "booklet.article",
                                   f"article '{article_id}' does not exist in content/articles/"))
    for language in project.languages.values():
        found += check_language(language, project.sources, parsed)
        for article_id, msgids in project.sources.articles.items():  # the texts parsed as Markdown
            found += check_catalog_markup(language.articles.get(article_id), msgids, parsed)
    return found


def citation_keys(tokens: Iterable[Token]) -> Iterator[str]:
    """The keys an article's tokens cite, in order, with repeats."""
    for token in tokens:
        for child in token.children or ():
            if child.type == "citation":
                yield from (item.key for item in child.meta["citation"].items)


def check_cited_references(bibliography: Any, cited: Iterable[str]) -> list[Diagnostic]:
    """A cited work that no reader could look up: no title, and no author or no date."""
    if bibliography is None:
        return []
    return [error(bibliography.path, bibliography.line(key), "bib.incomplete",
                  f"'{key}' is cited but has no title{'' if item.get('issued') else ' and no date'}"
                  f"{'' if any(item.get(n) for n in NAME_FIELDS) else ' and no author'}: its reference would not "
                  "say which work it is (with neither: only '(z.d.)'); add its title, author and issued date")
            for key in cited if (item := bibliography.get(key)) is not None and is_incomplete(item)]


def load_and_check(root: Path, parsed: Parsed | None = None) -> tuple[Project | None, list[Diagnostic]]:
    project, diagnostics = load_project(root, parsed)
    if project is None:
        return None, diagnostics
    return project, diagnostics + check_project(project, parsed)
