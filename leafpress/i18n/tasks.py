"""``make translations`` and ``make new-language``: plain pybabel, driven per domain.

    python -m leafpress.i18n.tasks update      extract every domain, update every catalog
    python -m leafpress.i18n.tasks init CODE   start catalogs for a new language

Each step is the pybabel command a translator could type; they run in-process
through Babel's own command line so the registered extractors are used.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from leafpress.diagnostics import Diagnostic, error
from leafpress.i18n.catalogs import SHARED_DOMAIN, UI_DOMAIN, catalog_path, template_path
from leafpress.i18n.extract import image_segments
from leafpress.i18n.po_checks import (  # PLURAL_FORMS: where Babel's plural table disagrees with CLDR
    PLURAL_FORMS,
    check_po,
)
from leafpress.source.project import Paths, load_site

HEADER = ["--project=leafpress", "--version=1", "--copyright-holder=the leafpress authors",
          "--msgid-bugs-address=redactie@example.org"]


def pybabel(*argv: str) -> None:
    print("pybabel " + " ".join(argv))
    CommandLineInterface().run(["pybabel", "--quiet", *argv])


def domains(paths: Paths) -> dict[str, tuple[str, list[str]]]:
    """domain -> (mapping file, inputs)."""
    found = {
        UI_DOMAIN: ("translations/ui.cfg", ["templates"]),
        SHARED_DOMAIN: ("translations/shared.cfg", ["content"]),
    }
    for article in sorted(paths.articles.glob("*.md")):
        found[article.stem] = ("translations/articles.cfg", [str(article.relative_to(paths.root))])
    return found


def extract(paths: Paths) -> list[str]:
    for domain, (mapping, inputs) in domains(paths).items():
        pot = template_path(paths.translations, domain)
        pot.parent.mkdir(parents=True, exist_ok=True)
        pybabel("extract", "-F", mapping, "-o", str(pot.relative_to(paths.root)), "--add-comments=TRANSLATORS:",
                "--sort-by-file", *HEADER, *inputs)
        if domain != UI_DOMAIN:
            drop_format_flags(pot)
    return list(domains(paths))


def broken_catalogs(paths: Paths, languages: list[str]) -> list[Diagnostic]:
    """What is wrong in the existing catalogs of ``languages``, at its .po line.

    An update rewrites every catalog through Babel's reader and writer: a catalog
    msgfmt would refuse is either a traceback half-way (other catalogs already
    rewritten) or read differently from what the translator wrote. So nothing is
    updated until the translator has mended it.
    """
    found = []
    for lang in languages:
        for po in sorted((paths.translations / lang / "LC_MESSAGES").glob("*.po")):
            problems = check_po(po.read_bytes(), lang, po.stem == UI_DOMAIN)
            found += [error(po.relative_to(paths.root), line, code, message) for line, code, message in problems]
    return found


def update(paths: Paths, languages: list[str]) -> None:
    before = {path: path.read_bytes() for path in paths.translations.rglob("*.po*")}
    try:
        _update(paths, languages)
    finally:
        keep_unchanged(before)


CREATION_DATE = re.compile(rb'^"POT-Creation-Date: [^"]*"$', re.MULTILINE)


def keep_unchanged(before: dict[Path, bytes]) -> None:
    """Put back every file in which pybabel changed nothing but the POT-Creation-Date,
    so that an update with no new Dutch text leaves no change for translators to review."""
    for path, old in before.items():
        try:
            new = path.read_bytes()
        except FileNotFoundError:
            continue
        if new != old and CREATION_DATE.sub(b"", new) == CREATION_DATE.sub(b"", old):
            path.write_bytes(old)


def _update(paths: Paths, languages: list[str]) -> None:
    for domain in extract(paths):
        pot = template_path(paths.translations, domain).relative_to(paths.root)
        for lang in languages:
            po = catalog_path(paths.translations, lang, domain)
            if po.exists():
                split_image_messages(po)
                pybabel("update", "-i", str(pot), "-d", "translations", "-D", domain, "-l", lang, "--previous")
                repair_previous(po)
            else:
                pybabel("init", "-i", str(pot), "-d", "translations", "-D", domain, "-l", lang)
                fix_plural_forms(po, lang)
            if domain != UI_DOMAIN:
                drop_format_flags(po)


def split_image_messages(po: Path) -> None:
    """Carry a figure's translation over to the messages its parts are now.

    A figure was one message of Markdown; its image description and its
    caption are messages of their own, and a decorative image is none. Each
    old translation is split the same way as its Dutch text, part for part,
    before pybabel update sees the catalog, so a finished translation stays
    finished (and a fuzzy one fuzzy); the old message goes. A part that
    already has a translation keeps it.
    """
    with po.open("rb") as handle:
        catalog = read_po(handle)
    changed = False
    for message in list(catalog):
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        sources, translations = image_segments(message.id), image_segments(str(message.string))
        if sources is None or translations is None or [s.kind for s in sources] != [t.kind for t in translations]:
            continue
        for source, translation in zip(sources, translations):
            existing = catalog.get(source.text)
            if existing is None:
                catalog.add(source.text, translation.text, locations=message.locations,
                            flags=message.flags & {"fuzzy"}, auto_comments=[source.kind])
            elif not existing.string:
                existing.string = translation.text
                existing.flags |= message.flags & {"fuzzy"}
        del catalog[message.id]  # all of it is in the new messages
        changed = True
    if changed:
        with po.open("wb") as handle:
            write_po(handle, catalog, width=76)


#: what Babel adds to any message that has a '{...}' or a '%' in it
FORMAT_FLAGS = frozenset({"python-format", "python-brace-format"})
FLAGS_LINE = re.compile(r"^#,(.*)\n", re.MULTILINE)


def drop_format_flags(catalog: Path) -> None:
    """Take the Python format flags off the messages of an article or of the shared texts.

    They are Markdown, not format strings: Babel marks ``[term]{lang=en}``
    python-brace-format (and "50%" python-format), and Poedit and Weblate then
    check the translation as a Python format string. Interface strings (ui) keep theirs.
    """
    text = catalog.read_text(encoding="utf-8")

    def without(match: re.Match[str]) -> str:
        flags = [flag.strip() for flag in match.group(1).split(",") if flag.strip()]
        kept = [flag for flag in flags if flag not in FORMAT_FLAGS]
        return f"#, {', '.join(kept)}\n" if kept else ""

    cleaned = FLAGS_LINE.sub(without, text)
    if cleaned != text:
        catalog.write_text(cleaned, encoding="utf-8")


PREVIOUS_RUN = re.compile(r"(?:^#\| .*\n)+", re.MULTILINE)
C_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
PREVIOUS_FIELD = re.compile(r"(msgctxt|msgid_plural|msgid)\s+((?:\"(?:[^\"\\]|\\.)*\"\s*)+)")


def repair_previous(po: Path) -> None:
    """Rewrite ``#|`` (previous msgid) comments that Babel wrapped mid-string.

    Babel 2.18 wraps the previous msgid like a comment, breaking it inside a
    quoted string ("end-of-line within string" for msgfmt). Each run of ``#|``
    lines is joined again and written as one line per field.
    """
    text = po.read_text(encoding="utf-8")

    def rewrite(match: re.Match[str]) -> str:
        joined = " ".join(line[3:] for line in match.group(0).rstrip("\n").split("\n"))
        lines = []
        for field, strings in PREVIOUS_FIELD.findall(joined):
            value = "".join(C_STRING.findall(strings))
            lines.append(f'#| {field} "{value}"\n')
        return "".join(lines) if lines else match.group(0)

    repaired = PREVIOUS_RUN.sub(rewrite, text)
    if repaired != text:
        po.write_text(repaired, encoding="utf-8")


def fix_plural_forms(po: Path, lang: str) -> None:
    """Write the CLDR plural rule into a new catalog's header where Babel's differs."""
    if lang not in PLURAL_FORMS:
        return
    text = po.read_text(encoding="utf-8")
    fixed = re.sub(r'"Plural-Forms: [^"]*\\n"', f'"Plural-Forms: {PLURAL_FORMS[lang]}\\\\n"', text, count=1)
    po.write_text(fixed, encoding="utf-8")


def main(argv: list[str]) -> int:
    paths = Paths(Path.cwd())
    site, diagnostics = load_site(paths.site)
    if site is None:
        for d in diagnostics:
            print(d.format(paths.root), file=sys.stderr)
        return 1
    targets = [lang for lang in site.languages if lang != site.source_language]
    if argv[:1] in (["update"], ["init"]) and (broken := broken_catalogs(paths, targets)):
        for d in broken:
            print(d.format(), file=sys.stderr)
        print("translations: nothing updated; mend these catalogs first (Poedit shows the line)", file=sys.stderr)
        return 1
    if argv[:1] == ["update"]:
        update(paths, targets)
        return 0
    if argv[:1] == ["init"] and len(argv) == 2:
        update(paths, [argv[1]])
        if argv[1] not in site.languages:
            print(f"Now add {argv[1]} to 'languages' in content/site.yaml.")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
