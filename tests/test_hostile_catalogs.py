"""Hostile catalogs (issue 16): every .po that ``msgfmt --check`` refuses is refused, and more.

Each case edits one file of tests/roots/basic into a mistake a translator (or an
editor, or a tool) can make and builds: exit 1, no traceback, ``dist/`` as it
was (``Project.build_refused``), and the one message at the file and line.
Each case also says what GNU ``msgfmt --check`` (0.21) makes of the same file:
the fragment of its fatal error, or None where msgfmt accepts the file and we
are stricter; it is asserted where msgfmt is installed. (msgfmt says line 25
for an unterminated string on line 24: it counts the line break it read.)
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from leafpress.build import parse_cache
from leafpress.i18n import catalogs
from leafpress.i18n.po_checks import check_po
from leafpress.source.load import load_project

PO = "translations/en/LC_MESSAGES/proef.po"
UI = "translations/en/LC_MESSAGES/ui.po"
MSGFMT = shutil.which("msgfmt")
REPO = Path(__file__).resolve().parent.parent

# (id, file, old text, new text, line, code, what msgfmt --check says (None: it accepts the file))
CASES = [
    # syntax
    ("unterminated-msgstr", PO, 'msgstr "A test leaflet"', 'msgstr "A test leaflet', 24, "po.string",
     "end-of-line within string"),
    ("unterminated-msgid", PO, 'msgid "Testteam"', 'msgid "Testteam', 33, "po.string", "end-of-line within string"),
    ("unterminated-header", PO, 'msgid ""\nmsgstr ""\n"Project', 'msgid "\nmsgstr ""\n"Project', 6, "po.string",
     "end-of-line within string"),
    ("stray-line", PO, 'msgstr "Test team"\n', 'msgstr "Test team"\nTest team\n', 35, "po.syntax",
     'keyword "Test" unknown'),
    ("missing-msgstr", PO, 'msgstr "Test team"\n', "", 33, "po.syntax", "missing 'msgstr' section"),
    ("unknown-escape", PO, 'msgstr "Test team"', 'msgstr "Test\\q team"', 34, "po.string",
     "invalid control sequence"),
    ("escape-babel-reads-literally", PO, 'msgstr "Test team"', 'msgstr "Test\\x41 team"', 34, "po.string", None),
    ("quote-inside-string", PO, 'msgstr "Test team"', 'msgstr "Test "team""', 34, "po.string",
     'keyword "team" unknown'),
    ("two-strings-on-a-line", PO, 'msgstr "Test team"', 'msgstr "Test" " team"', 34, "po.string", None),
    ("comment-between-msgid-and-msgstr", PO, 'msgid "Testteam"\n', 'msgid "Testteam"\n# a note\n', (33, 35),
     "po.syntax", "missing 'msgstr' section"),  # msgfmt too: 33 missing msgstr, 35 syntax error
    ("no-space-after-keyword", PO, 'msgstr "Test team"', 'msgstr"Test team"', 34, "po.string", None),
    ("two-spaces-after-keyword", PO, 'msgstr "Test team"', 'msgstr  "Test team"', 34, "po.string", None),
    ("msgstr-without-msgid", PO, 'msgid "Testteam"\n', "", 33, "po.syntax", "syntax error"),
    ("duplicate-msgid", PO, 'msgstr "Test team"\n', 'msgstr "Test team"\n\nmsgid "Testteam"\nmsgstr "Other"\n',
     36, "po.duplicate", "duplicate message definition"),
    ("duplicate-msgid-same-msgctxt", PO, "#. owner\n",
     'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n\n#. owner\n',
     36, "po.duplicate", "duplicate message definition"),
    ("same-msgid-other-msgctxt", PO, "#. owner\n", 'msgctxt "x"\nmsgid "Testteam"\nmsgstr "Other"\n\n#. owner\n',
     37, "po.duplicate", None),
    ("obsolete-duplicate", PO, 'msgstr "Test team"\n', 'msgstr "Test team"\n\n#~ msgid "Testteam"\n#~ msgstr "Old"\n',
     36, "po.duplicate", "duplicate message definition"),
    ("plural-with-plain-msgstr", UI, 'msgstr "Read also"\n', 'msgstr "Read also"\n\nmsgid "een folder"\n'
     'msgid_plural "%(n)s folders"\nmsgstr "a leaflet"\n', 60, "po.syntax", "syntax error"),
    ("plural-without-msgstr", UI, 'msgstr "Read also"\n', 'msgstr "Read also"\n\nmsgid "een folder"\n'
     'msgid_plural "folders"\n', 58, "po.syntax", "missing 'msgstr[]' section"),
    ("plural-too-few-forms", UI, 'msgstr "Read also"\n', 'msgstr "Read also"\n\nmsgid "een folder"\n'
     'msgid_plural "folders"\nmsgstr[0] "a leaflet"\n', 58, "po.plural", "some messages have only one plural form"),
    ("plural-wrong-index", UI, 'msgstr "Read also"\n', 'msgstr "Read also"\n\nmsgid "een folder"\n'
     'msgid_plural "folders"\nmsgstr[0] "a leaflet"\nmsgstr[2] "leaflets"\n', 61, "po.syntax",
     "plural form has wrong index"),
    ("newline-at-end", PO, 'msgstr "Test team"', 'msgstr "Test team\\n"', 34, "po.newline",
     "do not both end with '\\n'"),
    ("no-header", PO, 'msgid ""\nmsgstr ""\n"Project-Id', 'msgid "x\\n"\nmsgstr ""\n"Project-Id', 1, "po.header",
     "PO file header missing or invalid"),
    ("header-field-twice", PO, '"MIME-Version', '"Plural-Forms: nplurals=1; plural=0;\\n"\n"MIME-Version', 16,
     "po.header", None),
    # charset
    ("unknown-charset", PO, "charset=utf-8", "charset=klingon", 17, "po.charset", None),  # msgfmt: a warning
    ("declared-latin1-written-utf8", PO, "charset=utf-8", "charset=ISO-8859-1", 17, "po.charset", None),
    # Plural-Forms
    ("plural-forms-unreadable", PO, "plural=(n != 1);", "plural=(n !=;", 15, "po.plural",
     "invalid plural expression"),
    ("plural-forms-nplurals-not-a-number", PO, "nplurals=2;", "nplurals=x;", 15, "po.plural",
     "invalid nplurals value"),
    ("plural-forms-without-plural", PO, "nplurals=2; plural=(n != 1);", "nplurals=2;", 15, "po.plural", None),
    ("plural-forms-form-out-of-range", PO, "plural=(n != 1);", "plural=(n > 1 ? 2 : 0);", 15, "po.plural",
     "plural expression can produce values as large as 2"),
    ("plural-forms-division-by-zero", PO, "plural=(n != 1);", "plural=(n % 0);", 15, "po.plural",
     "plural expression can produce division by zero"),
    ("plural-count-not-the-languages", PO, "nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;", 15,
     "po.plural", None),
    ("no-plural-forms", PO, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', "", 6, "po.plural", None),
    # placeholders of the interface
    ("placeholder-dropped", UI, 'msgstr "page %(page)s of %(pages)s"', 'msgstr "page %(page)s"', 139,
     "po.placeholder", "a format specification for argument 'pages' doesn't exist in 'msgstr'"),
    ("placeholder-renamed", UI, 'msgstr "page %(page)s of %(pages)s"', 'msgstr "page %(page)s of %(pagez)s"', 139,
     "po.placeholder", "a format specification for argument 'pages' doesn't exist in 'msgstr'"),
    ("placeholder-other-conversion", UI, 'msgstr "page %(page)s of %(pages)s"',
     'msgstr "page %(page)d of %(pages)s"', 139, "po.placeholder",
     "format specifications in 'msgid' and 'msgstr' for argument 'page' are not the same"),
    ("placeholder-unnamed", UI, 'msgstr "page %(page)s of %(pages)s"', 'msgstr "page %s of %s"', 139,
     "po.placeholder", "in 'msgid' expect a mapping, those in 'msgstr' expect a tuple"),
    ("percent-sign-not-a-placeholder", UI, 'msgstr "QR code: the latest version of this leaflet, %(address)s"',
     'msgstr "QR code: 100% the latest, %(address)s"', 180, "po.placeholder",
     "'msgstr' is not a valid Python format string"),
    ("placeholder-renamed-flag-removed", UI, '#, python-format\nmsgid "pagina',
     'msgid "pagina', 138, "po.placeholder", None),  # the second edit renames, see PRE_EDITS
    # the language
    ("unknown-language-header", UI, "Language: en", "Language: xx_YY", 13, "po.language", None),
    ("other-language-header", UI, "Language: en", "Language: nl", 13, "po.language", None),
]

#: edits made before the case's own (build_refused makes one)
PRE_EDITS = {
    "declared-latin1-written-utf8": (PO, "Test team", "Tëst team"),
    "placeholder-renamed-flag-removed": (UI, 'msgstr "page %(page)s of %(pages)s"', 'msgstr "page %(page)s of %(x)s"'),
}


def _msgfmt(project, relative: str) -> subprocess.CompletedProcess:
    return subprocess.run([MSGFMT, "--check", "-o", "/dev/null", relative], cwd=project.root,
                          capture_output=True, text=True)


def _assert_only(run, expected: str, code: str) -> None:
    errors = [line for line in run.err.splitlines() if ": error: " in line]
    assert errors and all(line.startswith(expected) and line.endswith(f"[{code}]") for line in errors), run.err


def _assert_lines(run, relative: str, lines: int | tuple[int, ...], code: str) -> None:
    """Errors at exactly these lines of the file, all with this code."""
    errors = [line for line in run.err.splitlines() if ": error: " in line]
    wanted = (lines,) if isinstance(lines, int) else lines
    assert [line.split(": error: ")[0] for line in errors] == [f"{relative}:{n}" for n in wanted], run.err
    assert all(line.endswith(f"[{code}]") for line in errors), run.err


def _assert_msgfmt(project, relative: str, says: str | None) -> None:
    if MSGFMT is None:
        return
    checked = _msgfmt(project, relative)
    if says is None:
        assert checked.returncode == 0, checked.stderr  # msgfmt accepts it: we are stricter
    else:
        assert checked.returncode == 1 and says in checked.stderr, checked.stderr


@pytest.mark.parametrize("case, relative, old, new, line, code, msgfmt_says", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_catalog_is_refused_at_its_line(basic, capsys, case, relative, old, new, line, code, msgfmt_says):
    if case in PRE_EDITS:
        basic.edit(*PRE_EDITS[case])
    run = basic.build_refused(capsys, relative, old, new)
    _assert_lines(run, relative, line, code)
    _assert_msgfmt(basic, relative, msgfmt_says)


def _build_refused_bytes(project, capsys, relative: str, data: bytes):
    """Project.build_refused for an edit that is not UTF-8 text."""
    yesterday = project.path("dist/leaflets/nl/proef.pdf")
    yesterday.parent.mkdir(parents=True)
    yesterday.write_bytes(b"the good leaflet from yesterday")
    project.path(relative).write_bytes(data)
    run = project.build(capsys, "all")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert project.outputs() == {"leaflets/nl/proef.pdf": b"the good leaflet from yesterday"}
    return run


@pytest.mark.parametrize("change, line, msgfmt_says", [
    pytest.param(lambda data: data.replace(b"Test team", "Tëst team".encode("latin-1")),
                 34, "invalid multibyte sequence", id="declared-utf8-written-latin1"),
    pytest.param(lambda data: b"\xef\xbb\xbf" + data, 1, "syntax error", id="byte-order-mark"),
])
def test_bytes_that_are_not_the_declared_utf8_are_refused(basic, capsys, change, line, msgfmt_says):
    data = change(basic.path(PO).read_bytes())
    run = _build_refused_bytes(basic, capsys, PO, data)
    _assert_lines(run, PO, line, "po.charset")
    _assert_msgfmt(basic, PO, msgfmt_says)


def test_the_unterminated_title_used_to_lose_a_character(basic, capsys):
    """What the first case was: Babel read 'A test leaflet' without its closing quote as 'A test leafle'."""
    run = basic.build_refused(capsys, PO, 'msgstr "A test leaflet"', 'msgstr "A test leaflet')
    assert run.err.splitlines()[0] == (f'{PO}:24: error: the string does not end on this line (a closing " is '
                                       'missing) [po.string]')


def test_a_language_babel_does_not_know_in_site_yaml_is_one_error(basic, capsys):
    shutil.copytree(basic.path("translations/en"), basic.path("translations/qq"))
    run = basic.build_refused(capsys, "content/site.yaml", "languages: [nl, en]", "languages: [nl, en, qq]")
    assert run.err.splitlines()[0] == (
        "content/site.yaml:4: error: Babel does not know the language 'qq'; leafpress needs Babel's dates, "
        "numbers, plural rules and script direction for it; use a code Babel knows, e.g. en, ar, uk "
        "[config.language]")
    _assert_only(run, "content/site.yaml:4: error: ", "config.language")


def test_a_folder_of_catalogs_for_a_language_babel_does_not_know_is_an_error(basic, capsys):
    shutil.copytree(basic.path("translations/en"), basic.path("translations/xx_YY"))
    run = basic.build_refused(capsys, "translations/xx_YY/LC_MESSAGES/ui.po", "Language: en", "Language: xx_YY")
    _assert_only(run, "translations/xx_YY: error: this folder of catalogs is named 'xx_YY': ", "po.language")


def test_every_problem_of_a_catalog_is_reported_at_once(basic, capsys):
    basic.edit(PO, 'msgstr "A test leaflet"', 'msgstr "A test leaflet')
    basic.edit(PO, 'msgstr "Test team"', 'msgstr "Test\\q team"')
    basic.edit(UI, 'msgstr "page %(page)s of %(pages)s"', 'msgstr "page %(page)s"')
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert f"{PO}:24: error: " in run.err and f"{PO}:34: error: " in run.err and f"{UI}:139: error: " in run.err


def test_a_binary_file_gives_a_bounded_list_of_problems(basic, capsys):
    basic.path(PO).write_bytes(bytes(range(256)) * 64)
    run = basic.build(capsys, "check")
    assert run.code == 1 and "Traceback" not in run.err
    assert len([line for line in run.err.splitlines() if line.startswith(PO)]) <= 21
    assert f"{PO}:1: error: " in run.err


def test_the_real_projects_catalogs_pass(real_copy, capsys):
    run = real_copy.build(capsys, "check")
    assert run.code == 0, run.err
    if MSGFMT:
        for po in sorted(real_copy.root.glob("translations/*/LC_MESSAGES/*.po")):
            assert _msgfmt(real_copy, str(po.relative_to(real_copy.root))).returncode == 0, po


def test_every_catalog_in_the_repository_passes_the_checks():
    """The same on the test projects' catalogs and the templates (which have no language)."""
    files = sorted(REPO.glob("translations/**/*.po*")) + sorted(REPO.glob("tests/roots/*/translations/**/*.po*"))
    assert len(files) > 40
    for path in files:
        lang = "" if path.suffix == ".pot" else path.parent.parent.name
        assert check_po(path.read_bytes(), lang, path.stem == "ui") == (), path


def test_a_warm_build_does_not_check_the_catalogs_again(basic, monkeypatch):
    parsed = parse_cache.load(basic.root)
    assert load_project(basic.root, parsed)[1] == []
    parse_cache.save(basic.root, parsed)

    def no_checking(*_):
        raise AssertionError("checked again")

    monkeypatch.setattr(catalogs, "check_po", no_checking)
    assert load_project(basic.root, parse_cache.load(basic.root))[1] == []


@pytest.mark.parametrize("translation, problem", [
    ("pagina %(page)s van %(pages)s", None),
    ("%(pages)s: pagina %(page)s", None),  # another order is fine for named placeholders
    ("pagina %(page)s", "it lacks %(pages)s"),
    ("pagina %(page)s van %(pages)s %(extra)s", "it has %(extra)s, which the Dutch text has not"),
    ("pagina %(page)r van %(pages)s", "%(page)r instead of %(page)s"),
    ("pagina 100%", "'%' followed by '' is no placeholder"),
    ("50%% van %(page)s/%(pages)s", None),
])
def test_named_placeholders(translation, problem):
    from leafpress.i18n.po_checks import placeholder_problem

    found = placeholder_problem("pagina %(page)s van %(pages)s", translation, frozenset({"python-format"}))
    assert (found is None) if problem is None else (problem in (found or "")), found


@pytest.mark.parametrize("source, translation, flags, problem", [
    ("%s van %d", "%s of %d", frozenset(), None),
    ("%s van %d", "%d of %s", frozenset(), "in this order"),
    ("%s van %d", "%s", frozenset(), "in this order"),
    ("hallo {name}", "hello {name}", frozenset(), None),
    ("hallo {name}", "hello {nam}", frozenset(), "it lacks {name}"),
    ("hallo {name}", "hello {name", frozenset(), "not a valid {} format"),
    ("50 procent", "50 % zeker", frozenset(), None),  # no placeholders, no flag: % is a character
    ("50 procent", "50 % zeker", frozenset({"python-format"}), "is no placeholder"),
    ("%(x)s", "%(y)s", frozenset({"no-python-format"}), None),
])
def test_other_placeholders(source, translation, flags, problem):
    from leafpress.i18n.po_checks import placeholder_problem

    found = placeholder_problem(source, translation, flags)
    assert (found is None) if problem is None else (problem in (found or "")), found


def _mutant(rnd, text: str) -> str:
    """The text with one to three random edits: a character deleted or inserted, a line copied, deleted or moved."""
    for _ in range(rnd.randint(1, 3)):
        lines = text.split("\n")
        kind, at = rnd.randrange(5), rnd.randrange(len(text) + 1)
        if kind == 0:
            text = text[:at] + text[at + 1:]
        elif kind == 1:
            text = text[:at] + rnd.choice(_INSERTS) + text[at:]
        elif kind == 2:
            lines.insert(rnd.randrange(len(lines)), rnd.choice(lines))
            text = "\n".join(lines)
        elif kind == 3:
            del lines[rnd.randrange(len(lines))]
            text = "\n".join(lines)
        else:
            a, b = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


_INSERTS = ['"', "\\", "\n", "#", " ", "\t", "x", "é", "%", "{", "\x00", "~", "|", "msgid ", "msgstr ", "[1]", ",", "n"]


def test_a_mutated_catalog_is_refused_or_read_as_written():
    """1500 random edits of the basic catalogs: the checks never fail themselves; what they accept,
    the reader reads without error and exactly as the checks' own lexer sees it (each msgid's msgstr),
    and msgfmt --check accepts too (every 10th, where msgfmt is installed). This found a comment
    between msgid and msgstr, 'msgstr"x"' and 'msgid  "x"' (the hand-written reader of then kept a
    quote of it)."""
    import random
    import tempfile

    from leafpress.i18n.catalogs import read_entries
    from leafpress.i18n.po_checks import lex

    rnd = random.Random(16)
    seeds = [(REPO / "tests/roots/basic/translations/en/LC_MESSAGES" / name).read_text(encoding="utf-8")
             for name in ("ui.po", "proef.po")]
    accepted = 0
    with tempfile.TemporaryDirectory() as folder:
        for number in range(1500):
            data = _mutant(rnd, rnd.choice(seeds)).encode("utf-8")
            if check_po(data, "en", True):
                continue
            accepted += 1
            entries, _plural = read_entries(data)
            messages, _ = lex(data.decode("utf-8"))
            expected = {(m.msgid if m.plural_id is None else (m.msgid, m.plural_id)):
                        (m.strings[0].value if m.plural_id is None else tuple(s.value for s in m.strings))
                        for m in messages if not m.obsolete and not m.is_header}
            assert {key: entry.string for key, entry in entries.items()} == expected, data.decode()
            if MSGFMT and number % 10 == 0:
                path = Path(folder) / "mutant.po"
                path.write_bytes(data)
                checked = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True,
                                         text=True)
                assert checked.returncode == 0, (checked.stderr, data.decode())
    assert 200 < accepted < 1400  # most edits of a comment or a translation are harmless; many are not


def test_the_readmes_catalog_example_is_what_the_build_says(real_copy, capsys):
    example = next(line.strip(" `.") for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
                   if "[po.placeholder]" in line)
    real_copy.edit("translations/tr/LC_MESSAGES/ui.po", 'msgstr "sayfa %(page)s / %(pages)s"', 'msgstr "sayfa %(page)s"')
    run = real_copy.build(capsys, "check")
    assert run.code == 1 and run.err.splitlines()[0] == example
