"""The translator's round trip: extract, update, status, publishing policy, draft builds, checks."""

from __future__ import annotations

import json
import re
import subprocess

import pikepdf
from babel.messages.pofile import read_po, write_po

from leafpress.i18n import tasks as i18n_tasks

PO = "translations/en/LC_MESSAGES/proef.po"
CHANGED = ("Laatste alinea.", "Laatste alinea, herschreven.")


def set_translation(project, msgid_start: str, old: str, new: str) -> int:
    """Edit one msgstr as a translator would; returns the entry's line in the .po file."""
    path = project.path(PO)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.id and m.id.startswith(msgid_start))
    assert old in message.string
    message.string = message.string.replace(old, new)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    with path.open("rb") as handle:
        return next(m.lineno for m in read_po(handle) if m.id == message.id)


def update_catalogs(project, monkeypatch):
    monkeypatch.chdir(project.root)
    assert i18n_tasks.main(["update"]) == 0


def test_extraction_carries_file_line_and_kind(basic, monkeypatch):
    update_catalogs(basic, monkeypatch)
    with basic.path("translations/templates/proef.pot").open("rb") as handle:
        pot = read_po(handle)
    by_id = {m.id: m for m in pot if m.id}
    assert by_id["Een proeffolder"].locations == [("content/articles/proef.md", 3)]
    assert by_id["Een proeffolder"].auto_comments == ["title"]
    assert by_id["Een kop"].auto_comments == ["heading h2"]
    assert by_id["Eerste kernpunt."].auto_comments == ["key point (list item)"]
    assert by_id["Een kleine hoeveelheid is altijd veilig."].auto_comments == ["myth"]
    assert by_id["Ketamine"].auto_comments == ["table cell"]
    assert by_id["Middel"].auto_comments == ["table header cell"]
    soft_wrapped = "Dit is de inleiding met een bron [@szigeti2021, p. 4] en een [Engelse term]{lang=en} in de tekst."
    assert by_id[soft_wrapped].locations == [("content/articles/proef.md", 16)]


def test_update_without_new_text_changes_no_file(basic, monkeypatch):
    update_catalogs(basic, monkeypatch)
    files = sorted(basic.path("translations").rglob("*.po*"))
    for path in files:  # made long ago: pybabel would write today's date
        path.write_text(re.sub(r'"POT-Creation-Date: [^"]*"', r'"POT-Creation-Date: 2020-01-01 00:00+0000\\n"',
                               path.read_text(encoding="utf-8")), encoding="utf-8")
    before = {path: path.read_bytes() for path in files}
    update_catalogs(basic, monkeypatch)
    assert {path: path.read_bytes() for path in files} == before


def test_status_counts_per_language_and_article(basic, capsys):
    run = basic.build(capsys, "status", "--json")
    assert run.code == 0
    rows = {(r["language"], r["article"]): r for r in json.loads(run.out)}
    assert rows["en", "proef"]["complete"] is True
    assert rows["en", "proef"]["untranslated"] == 0 and rows["en", "proef"]["percent"] == 100.0


def test_changed_source_makes_translation_fuzzy_and_unpublished(basic, capsys, monkeypatch):
    basic.edit("content/articles/proef.md", *CHANGED)
    update_catalogs(basic, monkeypatch)
    with basic.path(PO).open("rb") as handle:
        entry = read_po(handle).get(CHANGED[1])
    assert entry is not None and entry.fuzzy
    assert f'#| msgid "{CHANGED[0]}"' in basic.path(PO).read_text(encoding="utf-8")  # Poedit shows the old text

    run = basic.build(capsys, "leaflets")
    assert run.code == 0
    warning = [l for l in run.err.splitlines() if "[i18n.incomplete]" in l]
    assert warning == ["content/articles/proef.md: warning: article 'proef' is not published in 'en': "
                       "0 untranslated and 1 fuzzy of 65 messages (98% done); finish the translation, "
                       "or build with --draft to preview it [i18n.incomplete]"]
    assert not basic.path("dist/leaflets/en/proef.pdf").exists()
    assert basic.path("dist/leaflets/en/tweede.pdf").exists()
    assert basic.path("dist/leaflets/nl/proef.pdf").exists()

    assert basic.build(capsys, "leaflets", "--strict").code == 1


def test_draft_build_marks_fallback_text_as_dutch(basic, capsys, monkeypatch):
    basic.edit("content/articles/proef.md", *CHANGED)
    update_catalogs(basic, monkeypatch)
    run = basic.build(capsys, "leaflets", "--draft", "--lang", "en")
    assert run.code == 0, run.err
    path = basic.path("dist/leaflets/en/proef.pdf")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("Draft translation") >= 2  # the notice, and the running head on each page
    assert CHANGED[1] in text
    with pikepdf.open(path) as pdf:
        langs = set()
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node:
                    langs.add(str(node.Lang))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    assert "nl" in langs


def test_translation_with_other_citation_key_is_an_error_at_its_po_line(basic, capsys):
    line = set_translation(basic, "Dat is niet bewezen", "[@szigeti2021; @morgan2012]", "[@szigeti2021]")
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert (f"{PO}:{line}: error: translation has other citation keys than the source (missing morgan2012); "
            "copy them unchanged from the Dutch text [i18n.inconsistent]") in run.err


def test_translation_with_other_link_target_is_an_error(basic, capsys):
    set_translation(basic, "@morgan2012 beschreef", "https://example.org/info", "https://example.org/other")
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert "[i18n.inconsistent]" in run.err and "link targets" in run.err


def test_new_language_is_one_command(basic, monkeypatch, capsys):
    monkeypatch.chdir(basic.root)
    assert i18n_tasks.main(["init", "tr"]) == 0
    with basic.path("translations/tr/LC_MESSAGES/proef.po").open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.plural_forms.startswith("nplurals=2;")
    basic.edit("content/site.yaml", "languages: [nl, en]", "languages: [nl, en, tr]")
    run = basic.build(capsys, "leaflets")
    assert run.code == 0
    assert "is not published in 'tr'" in run.err


def test_updated_catalogs_stay_valid_for_msgfmt_with_quotes_in_the_old_text(basic, monkeypatch):
    # Babel 2.18 wraps a long previous msgid inside its quotes; i18n_tasks repairs it
    quoted = 'Een "schema" van de twee middelen naast elkaar, met de werking en de risico\'s van elk'
    basic.edit("content/articles/proef.md", '"Een schema")', f"({quoted}))")  # a title in parentheses
    update_catalogs(basic, monkeypatch)
    set_translation(basic, quoted, "", "A diagram of the two substances")
    basic.edit("content/articles/proef.md", "van elk))", "van elk, in kleur))")
    update_catalogs(basic, monkeypatch)
    text = basic.path(PO).read_text(encoding="utf-8")
    assert ('#| msgid "Een \\"schema\\" van de twee middelen naast elkaar, met de werking en de risico\'s '
            'van elk"') in text
    for po in basic.root.glob("translations/*/LC_MESSAGES/*.po"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_update_refuses_a_broken_catalog_at_its_line_and_changes_nothing(basic, monkeypatch, capsys):
    po = basic.path("translations/en/LC_MESSAGES/proef.po")
    text = po.read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if row.startswith('msgstr "') and row != 'msgstr ""')
    rows = text.splitlines()
    rows[line - 1] = rows[line - 1][:-1]  # the closing quote of a translation lost
    po.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in sorted(basic.path("translations").rglob("*.po*"))}
    monkeypatch.chdir(basic.root)
    capsys.readouterr()
    assert i18n_tasks.main(["update"]) == 1
    err = capsys.readouterr().err
    assert f"translations/en/LC_MESSAGES/proef.po:{line}: error: " in err and "[po.string]" in err, err
    assert "Traceback" not in err and "nothing updated" in err
    assert {path: path.read_bytes() for path in sorted(basic.path("translations").rglob("*.po*"))} == before


def test_status_names_a_broken_catalog_once_instead_of_every_message(basic, capsys):
    po = basic.path("translations/en/LC_MESSAGES/proef.po")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "A test leaflet"', 'msgstr "A test leaflet', 1), encoding="utf-8")
    assert 'msgstr "A test leaflet' in po.read_text(encoding="utf-8")
    run = basic.build(capsys, "status")
    assert run.code == 1
    assert "[po.string]" in run.err
    shown = [line for line in (run.out + run.err).splitlines() if "proef.po" in line and "[po." not in line]
    assert shown == ["translations/en/LC_MESSAGES/proef.po: unreadable: this catalog has the errors above; mend "
                     "them (Poedit shows the line), then the messages are counted again (blocks proef)"], shown
