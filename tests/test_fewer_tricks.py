"""Fewer private tricks (issue 17): what replaced them gives what they gave.

- .po files are read by Babel's reader alone (the hand-written one is gone): the same
  entries, fuzzy flags, plural forms and lines, also for what ``msgmerge --previous``
  writes into obsolete entries, which Babel 2.18 by itself refuses;
- formatted citations are kept per build (:class:`leafpress.cite.engine.Formatted`),
  not in a module's dictionary.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from leafpress.i18n.catalogs import Entry, read_entries

MSGFMT = shutil.which("msgfmt")
PO = "translations/en/LC_MESSAGES/proef.po"

TRICKY = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

#. paragraph
#: content/articles/a.md:3
#, fuzzy
#| msgid "Oud"
msgid "Een \\"lange\\" "
"regel"
msgstr "Een vertaling"

msgid "Eén bestand"
msgid_plural "%(n)s bestanden"
msgstr[0] "один файл"
msgstr[1] "%(n)s файли"
msgstr[2] "%(n)s файлів"

#, fuzzy
#~| msgid "Weg geweest"
#~ msgid "Weg"
#~ msgstr "Gone"

#~ #, fuzzy
#~ msgid "Ook weg"
#~ msgstr "Also gone"

msgid "Leeg"
msgstr ""
'''


def test_the_reader_gives_entries_flags_plurals_and_lines():
    entries, plural = read_entries(TRICKY.encode("utf-8"))
    assert entries == {
        'Een "lange" regel': Entry("Een vertaling", True, 10),
        ("Eén bestand", "%(n)s bestanden"): Entry(("один файл", "%(n)s файли", "%(n)s файлів"), False, 14),
        "Leeg": Entry("", False, 29),  # not fuzzy: the flags before an obsolete entry are that entry's
    }
    assert plural.startswith("(n%10==1 && n%100!=11 ? 0")


def _obsolete_as_msgmerge_writes(basic) -> str:
    """proef.po with an obsolete entry of a previous msgid and a comment inside, before a translated entry."""
    basic.edit(PO, 'msgid "Testteam"\n', '#, fuzzy\n#~| msgid "Oude tekst"\n#~ msgid "Tekst"\n#~ msgstr "Text"\n\n'
                                         '#~ #, fuzzy\n#~ msgid "Weg"\n#~ msgstr "Gone"\n\nmsgid "Testteam"\n')
    return basic.path(PO).read_text(encoding="utf-8")


def test_obsolete_entries_with_a_previous_msgid_are_read_as_before(basic, capsys):
    before = basic.build(capsys, "status")
    _obsolete_as_msgmerge_writes(basic)
    if MSGFMT:
        checked = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(basic.path(PO))], capture_output=True)
        assert checked.returncode == 0, checked.stderr
    after = basic.build(capsys, "status")
    assert "Traceback" not in after.err and "[po." not in after.err, after.err
    assert after.out == before.out and "65 translated,   0 fuzzy" in after.out, after.out


def test_a_catalog_only_the_reader_refuses_is_one_error_at_its_line(basic, capsys):
    """A comment inside a translation's continued lines: Babel stops at the string after it
    (msgfmt refuses it too); the message names that line, counted from 1 as an editor does."""
    text = basic.path(PO).read_text(encoding="utf-8")
    basic.edit(PO, 'msgstr ""\n"This is the introduction', 'msgstr ""\n#| "x"\n"This is the introduction')
    line = text.splitlines().index('"This is the introduction with a source [@szigeti2021, p. 4] and a [Dutch "') + 2
    run = basic.build(capsys, "status")
    assert run.code == 1 and "Traceback" not in run.err
    assert f"{PO}:{line}: error: cannot read this catalog: " in run.err and "[po.syntax]" in run.err, run.err


BIBLIOGRAPHY = ("- id: a\n  type: book\n  title: Een boek\n  author: [{family: Jansen, given: Anna}]\n"
                "  issued: {date-parts: [[2020]]}\n  publisher: Uitgeverij\n")


def test_formatted_citations_are_kept_in_the_store_a_build_passes(monkeypatch):
    from leafpress.cite import formatting
    from leafpress.cite.bibliography import parse_bibliography
    from leafpress.cite.engine import Formatted, find_citations, render_citations

    bibliography, problems = parse_bibliography(BIBLIOGRAPHY, "references.yaml")
    assert not problems
    cites = find_citations("[@a, p. 3] en @a")
    store = Formatted()
    first = render_citations(bibliography, "nl", cites, formatted=store)
    assert first.inline == ("(Jansen, 2020, p. 3)", "Jansen (2020)")

    def no_citeproc(*_args):
        raise AssertionError("citeproc-py set up again")

    monkeypatch.setattr(formatting, "Engine", no_citeproc)
    assert render_citations(bibliography, "nl", cites, formatted=store) == first  # all from the store
    with pytest.raises(AssertionError, match="set up again"):  # another build (or none): nothing kept
        render_citations(bibliography, "nl", cites)


def test_the_cite_package_keeps_no_mutable_module_state():
    """What was the process's dictionary of formatted citations is the build's now (above)."""
    import importlib
    import pkgutil

    import leafpress.cite

    found = []
    for package in (leafpress.cite,):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found += [f"{module.__name__}.{name}" for name, value in vars(module).items()
                      if not name.startswith("__") and type(value) in (dict, list, set, bytearray)]
    assert found == []


IMPORTED = ("import sys; from leafpress.cli import main; code = main([{args}]); "
            "print(code, 'weasyprint' in sys.modules)")


def _build_imports_weasyprint(root, *args: str) -> tuple[str, str]:
    import sys

    from conftest import REPO

    listed = ", ".join(repr(a) for a in (*args, "--root", str(root)))
    run = subprocess.run([sys.executable, "-c", IMPORTED.format(args=listed)], cwd=REPO, capture_output=True,
                         text=True, check=True)
    return tuple(run.stdout.split()[-2:])  # type: ignore[return-value]


def test_workers_get_weasyprint_from_the_main_process_and_a_no_op_never_imports_it(basic, monkeypatch):
    """-j2 imports WeasyPrint once, before the workers fork (the main process has it afterwards);
    the no-op rebuild after it does not import it at all."""
    from leafpress.build import runner

    if "fork" not in runner.multiprocessing.get_all_start_methods():
        pytest.skip("without fork the workers import it themselves")
    assert _build_imports_weasyprint(basic.root, "all", "-j2") == ("0", "True")
    assert _build_imports_weasyprint(basic.root, "all", "-j2") == ("0", "False")


def test_a_header_date_a_hand_edit_broke_does_not_lose_the_translations():
    """Babel parses POT-Creation-Date and PO-Revision-Date and refuses a date not in its format;
    msgfmt takes any text there, and the build reads no date: the translations are read all the same."""
    from leafpress.i18n.catalogs import read_entries

    data = (b'msgid ""\nmsgstr ""\n"POT-Creation-Date: 2026-12-03 16:39+0000nLast-Translator: x\\n"\n'
            b'"PO-Revision-Date: gisteren\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
            b'msgid "Een kop"\nmsgstr "A heading"\n')
    entries, plural = read_entries(data)
    assert entries["Een kop"].string == "A heading" and entries["Een kop"].line == 7
    assert plural == "(n != 1)"
