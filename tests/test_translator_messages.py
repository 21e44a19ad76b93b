"""What a translator meets in Poedit, and what `build.py status` tells them.

Issue "A new user's first week", rows 8, 11, 12 and 13: figure captions with
citations, a status that names the blocking messages, no format flags on
Markdown, and figure, decorative-image and interface messages a translator can
understand.
"""

from __future__ import annotations

import re

from leafpress import i18n_tasks

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
