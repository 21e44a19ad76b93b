"""What a translator meets in Poedit, and what `build.py status` tells them.

Issue "A new user's first week", rows 8, 11, 12 and 13: figure captions with
citations, a status that names the blocking messages, no format flags on
Markdown, and figure, decorative-image and interface messages a translator can
understand.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pikepdf
from babel.messages.pofile import read_po, write_po

from leafpress.i18n import tasks as i18n_tasks

PROEF_PO = "translations/en/LC_MESSAGES/proef.po"


def update_catalogs(project, monkeypatch) -> None:
    monkeypatch.chdir(project.root)
    assert i18n_tasks.main(["update"]) == 0


def flags_of(text: str) -> dict[str, set[str]]:
    """msgid (its quoted lines joined) -> the flags Poedit reads from its '#,' line."""
    found: dict[str, set[str]] = {}
    flags: set[str] = set()
    msgid: list[str] | None = None
    for line in text.split("\n"):
        if msgid is not None and line.startswith('"'):
            msgid.append(line[1:-1])
            continue
        if msgid is not None:
            found["".join(msgid)] = flags
            msgid, flags = None, set()
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("msgid "):
            msgid = [line[7:-1]]
    return found


# -- row 12: no format flag on content messages ----------------------------------

def test_content_messages_carry_no_python_format_flag(basic, monkeypatch):
    basic.edit("content/articles/proef.md", "Laatste alinea.",
               "Laatste alinea: 50% van de mensen merkt er [niets]{lang=en} van.")
    basic.edit("content/helplines.yaml", "description: Gratis en anoniem",
               "description: Gratis, anoniem en 100% [online]{lang=en}")
    update_catalogs(basic, monkeypatch)
    for relative in ("translations/templates/proef.pot", PROEF_PO,
                     "translations/templates/shared.pot", "translations/en/LC_MESSAGES/shared.po"):
        messages = flags_of(basic.path(relative).read_text(encoding="utf-8"))
        flagged = {msgid: flags & {"python-format", "python-brace-format"} for msgid, flags in messages.items()}
        assert not any(flagged.values()), (relative, {m: f for m, f in flagged.items() if f})
    proef = flags_of(basic.path(PROEF_PO).read_text(encoding="utf-8"))
    assert any("50% van de mensen" in msgid for msgid in proef)  # the new text is there, without a flag
    assert any("{lang=en}" in msgid for msgid in proef)
    # the interface strings are Jinja's %-format strings: their flag stays
    ui = flags_of(basic.path("translations/en/LC_MESSAGES/ui.po").read_text(encoding="utf-8"))
    assert ui["pagina %(page)s van %(pages)s"] == {"python-format"}


def test_a_fuzzy_content_message_keeps_its_fuzzy_flag(basic, monkeypatch):
    basic.edit("content/articles/proef.md", "een\n[Engelse term]{lang=en} in de tekst.",
               "een\n[Engelse term]{lang=en} in de hele tekst.")
    update_catalogs(basic, monkeypatch)
    text = basic.path(PROEF_PO).read_text(encoding="utf-8")
    flags = [flags for msgid, flags in flags_of(text).items() if "in de hele tekst" in msgid]
    assert flags == [{"fuzzy"}]
    assert not re.search(r"^#,.*python", text, re.MULTILINE)


# -- row 11: status names the file and line of what blocks publishing ----------------

SHARED_PO = "translations/en/LC_MESSAGES/shared.po"
NEW_HELPLINE = """
nieuwelijn:
  name: Nieuwe lijn
  number: 0800-1111
  hours: Elke werkdag
"""


def add_helpline_to_proef(project) -> None:
    path = project.path("content/helplines.yaml")
    path.write_text(path.read_text(encoding="utf-8") + NEW_HELPLINE, encoding="utf-8")
    project.edit("content/articles/proef.md", "helplines: [testlijn]", "helplines: [testlijn, nieuwelijn]")


def line_of(project, relative: str, msgid_line: str) -> int:
    return project.path(relative).read_text(encoding="utf-8").split("\n").index(msgid_line) + 1


def test_status_names_the_shared_po_line_that_blocks_a_complete_article(basic, capsys, monkeypatch):
    add_helpline_to_proef(basic)
    update_catalogs(basic, monkeypatch)
    run = basic.build(capsys, "status")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    name, hours = (line_of(basic, SHARED_PO, f'msgid "{text}"') for text in ("Nieuwe lijn", "Elke werkdag"))
    assert f'{SHARED_PO}:{name}: untranslated: "Nieuwe lijn" (blocks proef)' in lines
    assert f'{SHARED_PO}:{hours}: untranslated: "Elke werkdag" (blocks proef)' in lines
    assert "proef.po" not in run.out  # the article's own catalog is complete
    assert [l for l in lines if l.startswith("en ") and "not ready" in l] == [l for l in lines if " proef " in l]


def test_status_names_a_fuzzy_message_and_one_not_in_the_catalog_yet(basic, capsys, monkeypatch):
    basic.edit("content/articles/proef.md", "Laatste alinea.", "Laatste alinea, herschreven.")
    update_catalogs(basic, monkeypatch)
    add_helpline_to_proef(basic)  # and no `make translations` after it
    run = basic.build(capsys, "status")
    lines = run.out.splitlines()
    fuzzy = line_of(basic, PROEF_PO, 'msgid "Laatste alinea, herschreven."')
    assert f'{PROEF_PO}:{fuzzy}: fuzzy: "Laatste alinea, herschreven." (blocks proef)' in lines
    assert (f'{SHARED_PO}: untranslated: "Nieuwe lijn" is not in this catalog yet; run make translations '
            "(blocks proef)") in lines


def test_status_lang_limits_to_that_language_and_json_has_the_blocking_messages(basic, capsys, monkeypatch):
    monkeypatch.chdir(basic.root)
    assert i18n_tasks.main(["init", "tr"]) == 0
    basic.edit("content/site.yaml", "languages: [nl, en]", "languages: [nl, en, tr]")

    run = basic.build(capsys, "status", "--lang", "en")
    assert run.code == 0 and run.out.count("  ready") == 2 and " tr " not in run.out and "tr/" not in run.out

    run = basic.build(capsys, "status", "--lang", "tr")
    lines = run.out.splitlines()
    assert [l.split()[:2] for l in lines if not l.startswith("translations/")] == [["tr", "proef"], ["tr", "tweede"]]
    title = line_of(basic, "translations/tr/LC_MESSAGES/proef.po", 'msgid "Een proeffolder"')
    assert f'translations/tr/LC_MESSAGES/proef.po:{title}: untranslated: "Een proeffolder" (blocks proef)' in lines
    # an interface string blocks both articles: one line names both
    assert any(l.startswith("translations/tr/LC_MESSAGES/ui.po:") and l.endswith("(blocks proef, tweede)")
               for l in lines)

    run = basic.build(capsys, "status", "--lang", "tr", "--json")
    rows = json.loads(run.out)
    assert {r["language"] for r in rows} == {"tr"}
    proef = next(r for r in rows if r["article"] == "proef")
    assert proef["untranslated"] == len(proef["blocking"]) and not proef["complete"]
    assert {"path": "translations/tr/LC_MESSAGES/proef.po", "line": title, "state": "untranslated",
            "message": "Een proeffolder"} in proef["blocking"]

    run = basic.build(capsys, "status", "--lang", "xx")
    assert run.code == 1 and "unknown language xx" in run.err


# -- row 8: a citation in a figure caption ---------------------------------------------

FIGURE = '![Schema van de twee middelen naast elkaar](media/schema.png "Een schema")'


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_citation_in_a_caption_is_formatted_and_listed(basic, capsys):
    basic.edit("content/articles/proef.md", '"Een schema")', '"Een schema naar [@unused2020]")')
    run = basic.build(capsys, "leaflets", "--lang", "nl")
    assert run.code == 0, run.err
    text = pdf_text(basic.path("dist/leaflets/nl/proef.pdf"))
    assert "[@unused2020]" not in text
    assert "Een schema naar (Nobody, 2020)" in " ".join(text.split())
    assert "A book nobody cites" in text  # in the reference list, with the works the text cites


def test_an_unknown_key_in_a_caption_is_an_error_at_its_line(basic, capsys):
    basic.edit("content/articles/proef.md", '"Een schema")', '"Een schema naar [@trauer2015]")')
    line = line_of(basic, "content/articles/proef.md", FIGURE.replace('"Een schema"', '"Een schema naar [@trauer2015]"'))
    run = basic.build(capsys, "leaflets")
    assert run.code == 1
    assert (f"content/articles/proef.md:{line}: error: unknown citation key 'trauer2015'; add it to "
            "content/references.yaml or correct the key [cite.unknown]") in run.err.splitlines()
    assert not basic.path("dist").exists() or not list(basic.path("dist").rglob("*.pdf"))


def test_a_caption_translation_with_other_citation_keys_is_an_error_at_its_po_line(basic, capsys, monkeypatch):
    basic.edit("content/articles/proef.md", '"Een schema")', '"Een schema naar [@unused2020]")')
    update_catalogs(basic, monkeypatch)
    path = basic.path(PROEF_PO)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    caption = catalog.get("Een schema naar [@unused2020]")
    assert caption is not None and caption.auto_comments == ["caption"]
    caption.string, caption.flags = "A diagram after [@morgan2012]", set()
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    line = line_of(basic, PROEF_PO, 'msgid "Een schema naar [@unused2020]"')
    run = basic.build(capsys, "check")
    assert run.code == 1
    assert (f"{PROEF_PO}:{line}: error: translation has other citation keys than the source (missing unused2020; "
            "unexpected morgan2012); copy them unchanged from the Dutch text [i18n.inconsistent]") in run.err


# -- row 13: figure, decorative-image and interface messages -----------------------------

OLD_FIGURE_ENTRY = '''#. paragraph
#: content/articles/proef.md:48
msgid ""
"![Schema van de twee middelen naast elkaar](media/schema.png \\"Een "
"schema\\")"
msgstr ""
"![Diagram of the two substances side by side](media/schema.png \\"A "
"diagram\\")"
'''


def messages(project, relative: str) -> dict:
    with project.path(relative).open("rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def figure_alts(path) -> list[str]:
    with pikepdf.open(path) as pdf:
        found, stack = [], [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    found.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
            elif isinstance(node, pikepdf.Array):
                stack.extend(node)
    return found


def test_a_figure_is_an_image_description_and_a_caption_message(basic, monkeypatch):
    update_catalogs(basic, monkeypatch)
    pot = messages(basic, "translations/templates/proef.pot")
    alt, caption = pot["Schema van de twee middelen naast elkaar"], pot["Een schema"]
    assert alt.auto_comments == ["image description"] and caption.auto_comments == ["caption"]
    assert alt.locations == caption.locations == [("content/articles/proef.md", 48)]
    assert not [msgid for msgid in pot if "media/" in msgid or "![" in msgid]  # no raw Markdown image


def test_a_decorative_image_is_no_message(basic, monkeypatch):
    basic.edit("content/articles/proef.md", "### Een subkop",
               "![](media/schema.png){.decorative}\n\n![Lijntje](media/schema.png){.decorative}\n\n### Een subkop")
    update_catalogs(basic, monkeypatch)
    pot = messages(basic, "translations/templates/proef.pot")
    assert not [msgid for msgid in pot if "decorative" in msgid or "Lijntje" in msgid or "![" in msgid]
    assert len(pot) == len(messages(basic, PROEF_PO))  # and en has nothing new to translate


def test_every_interface_string_has_a_translator_comment(basic, monkeypatch):
    update_catalogs(basic, monkeypatch)
    for relative in ("translations/templates/ui.pot", "translations/en/LC_MESSAGES/ui.po"):
        ui = messages(basic, relative)
        assert len(ui) >= 20
        assert [msgid for msgid, m in ui.items() if not m.auto_comments] == [], relative
    page = messages(basic, "translations/templates/ui.pot")["pagina %(page)s van %(pages)s"]
    assert "%(page)s" in " ".join(page.auto_comments)  # says what to keep
    assert any("Label above" in c for c in messages(basic, "translations/templates/ui.pot")["Mythe"].auto_comments)


def test_an_old_figure_translation_is_split_into_its_two_messages(basic, capsys, monkeypatch):
    # a catalog from before: the figure was one message of raw Markdown
    po = basic.path(PROEF_PO)
    text = po.read_text(encoding="utf-8")
    start = text.index("#. image description")
    end = text.index("#. heading h3")
    po.write_text(text[:start] + OLD_FIGURE_ENTRY + "\n" + text[end:], encoding="utf-8")
    update_catalogs(basic, monkeypatch)
    en = messages(basic, PROEF_PO)
    assert en["Schema van de twee middelen naast elkaar"].string == "Diagram of the two substances side by side"
    assert en["Een schema"].string == "A diagram"
    assert not en["Een schema"].fuzzy and "media/schema.png" not in po.read_text(encoding="utf-8")
    run = basic.build(capsys, "leaflets", "--lang", "en")
    assert run.code == 0 and "[i18n.incomplete]" not in run.err, run.err
    pdf = basic.path("dist/leaflets/en/proef.pdf")
    assert "Diagram of the two substances side by side" in figure_alts(pdf)
    assert "A diagram" in pdf_text(pdf)


def test_a_translated_image_description_with_a_bracket_stays_the_image_description(basic, capsys):
    path = basic.path(PROEF_PO)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "Diagram of the two substances side by side"',
                                 'msgstr "Diagram [1] of the two substances] side by side"'), encoding="utf-8")
    run = basic.build(capsys, "leaflets", "--lang", "en")
    assert run.code == 0, run.err
    pdf = basic.path("dist/leaflets/en/proef.pdf")
    assert "Diagram [1] of the two substances] side by side" in figure_alts(pdf)
    assert "substances]" not in pdf_text(pdf)


def test_a_draft_marks_only_the_untranslated_image_description_as_dutch(basic, capsys):
    path = basic.path(PROEF_PO)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Diagram of the two substances side by side"', 'msgstr ""'), encoding="utf-8")
    run = basic.build(capsys, "booklets", "--draft", "--lang", "en")
    assert run.code == 0, run.err
    with zipfile.ZipFile(basic.path("dist/booklets/en/bundel.epub")) as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist()
                       if n.endswith(".xhtml") and "schema.png" in epub.read(n).decode())
    figure = chapter[chapter.index("<figure"):chapter.index("</figure>")]
    assert re.search(r'<img [^>]*alt="Schema van de twee middelen naast elkaar"[^>]*lang="nl"', figure), figure
    assert "<figure>" in figure and '<figcaption>A diagram</figcaption>' in figure  # the caption is English


def test_an_old_fuzzy_figure_translation_fills_an_empty_part_and_stays_fuzzy(basic, monkeypatch):
    po = basic.path(PROEF_PO)
    text = po.read_text(encoding="utf-8")
    start, end = text.index("#. image description"), text.index("#. caption")
    old = OLD_FIGURE_ENTRY.replace("#: content/articles/proef.md:48\n", "#: content/articles/proef.md:48\n#, fuzzy\n")
    text = text[:start] + old + "\n" + text[end:]  # the new caption message is there already
    po.write_text(text.replace('msgid "Een schema"\nmsgstr "A diagram"', 'msgid "Een schema"\nmsgstr ""'),
                  encoding="utf-8")
    update_catalogs(basic, monkeypatch)
    en = messages(basic, PROEF_PO)
    alt, caption = en["Schema van de twee middelen naast elkaar"], en["Een schema"]
    assert (alt.string, caption.string) == ("Diagram of the two substances side by side", "A diagram")
    assert alt.fuzzy and caption.fuzzy  # an unchecked translation stays unchecked
