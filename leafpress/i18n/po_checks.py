"""Checks of a gettext catalog's bytes, at least as strict as ``msgfmt --check``.

Plain functions on the text and lines of one .po (or .pot) file, independent of
the reader that turns it into entries (:mod:`leafpress.i18n.catalogs`): whatever
reads the catalog, it reads only a catalog that passed these. A problem is a
plain value ``(line, code, message)``, so that the parse cache can keep it.

Besides what msgfmt refuses, a catalog is refused where the readers would
disagree or leafpress would print something else than the translator wrote:
escapes other than ``\\n \\t \\r \\\\ \\"`` (msgfmt reads ``\\x41`` as "A", Babel
as four characters), two strings on one line, a charset other than UTF-8 (a
file declared ISO-8859-1 but written UTF-8 reads as mojibake), a Plural-Forms
count that is not the language's, and interface placeholders that differ from
the Dutch text's even where the format flag is missing.
"""

from __future__ import annotations

from leafpress.i18n.po_header import PLURAL_FORMS, header_problems, language_problem
from leafpress.i18n.po_lex import Message, Problem, encoding_problems, lex, short
from leafpress.i18n.po_placeholders import placeholder_problem, translation_problems

__all__ = ["MAX_PROBLEMS", "PLURAL_FORMS", "Problem", "check_po", "duplicate_problems", "language_problem",
           "lex", "placeholder_problem"]

#: more than this many problems in one file are summed up in one line
MAX_PROBLEMS = 20


def check_po(data: bytes, lang: str = "", interface: bool = False) -> tuple[Problem, ...]:
    """Everything wrong with one catalog, in the order of its lines.

    ``lang`` is the language of its folder ("" for a template: no language checks);
    ``interface``: the templates' strings, the only ones whose placeholders are compared.
    """
    problems: list[Problem] = list(encoding_problems(data))
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    messages, found = lex(text)
    problems += found
    problems += duplicate_problems(messages)
    header = next((m for m in messages if m.is_header), None)
    if header is not None or not any(m.broken for m in messages):  # else the header may be what is broken
        problems += header_problems(header, lang, messages)
    for message in messages:
        if not message.obsolete and not message.is_header and not message.broken and "fuzzy" not in message.flags:
            problems += translation_problems(message, interface)
    problems.sort(key=lambda p: p[0] or 0)
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [(None, "po.syntax", f"and {rest} more problems in this catalog")]
    return tuple(problems)


def duplicate_problems(messages: list[Message]) -> list[Problem]:
    """A msgid (with the same msgctxt) that is in the catalog twice, obsolete entries included, as msgfmt
    counts; and a msgid under two contexts, which leafpress (no pgettext) would read as one message."""
    first: dict[tuple[str | None, str], int] = {}
    contexts: dict[str, tuple[str | None, int]] = {}
    found: list[Problem] = []
    for message in messages:
        if message.broken:
            continue
        key = (message.context, message.msgid)
        what = "the header (msgid \"\")" if message.msgid == "" else f"msgid {short(message.msgid)}"
        if key in first:
            found.append((message.line, "po.duplicate", f"{what} is already at line {first[key]}; "
                                                       "a message may be in a catalog once: keep one of them"))
            continue
        first[key] = message.line
        if message.obsolete:
            continue
        if message.msgid in contexts and contexts[message.msgid][0] != message.context:
            found.append((message.line, "po.duplicate", f"{what} is also at line {contexts[message.msgid][1]} "
                                                       "with another msgctxt; leafpress's texts have no contexts, "
                                                       "so one would replace the other: remove the msgctxt"))
        contexts.setdefault(message.msgid, (message.context, message.line))
    return found
