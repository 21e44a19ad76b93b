"""A catalog's header: its charset, its Language, and its Plural-Forms against the language's."""

from __future__ import annotations

import codecs
import gettext
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from leafpress.i18n.po_lex import Message, Problem, short

#: where Babel's plural table disagrees with CLDR and GNU gettext practice
PLURAL_FORMS = {
    "tr": "nplurals=2; plural=(n != 1);",  # CLDR: one/other; Babel 2.18 says one form
}
_LANGUAGE_HELP = ("leafpress needs Babel's dates, numbers, plural rules and script direction for it; "
                  "use a code Babel knows, e.g. en, ar, uk")


def header_fields(header: Message) -> dict[str, tuple[int, str]]:
    """The header's fields by lower-case name: (line where the field starts, value); the first of a name."""
    fields: dict[str, tuple[int, str]] = {}
    for name, line, value in header_rows(header):
        fields.setdefault(name, (line, value))
    return fields


def header_rows(header: Message) -> list[tuple[str, int, str]]:
    """The header's fields in their order: (lower-case name, line where the field starts, value)."""
    strings = header.strings
    if not strings:
        return []
    rows: list[tuple[str, int, str]] = []
    text, lines = "", []
    for line, piece in strings[0].pieces:
        text += piece
        lines += [line] * len(piece)
    start = 0
    for row in text.split("\n"):
        name, colon, value = row.partition(":")
        if colon and name.strip():
            rows.append((name.strip().lower(), lines[start] if start < len(lines) else strings[0].line, value.strip()))
        start += len(row) + 1
    return rows


def header_problems(header: Message | None, lang: str, messages: list[Message]) -> list[Problem]:
    """The header: its charset, and in a language's catalog its Language and Plural-Forms."""
    if header is None:
        return [(1, "po.header", "the catalog has no header (msgid \"\" with Content-Type, Plural-Forms, …); "
                                 "msgfmt refuses it: start it from the template with make new-language")]
    fields = header_fields(header)
    rows = header_rows(header)
    found: list[Problem] = [(line, "po.header", f"a second {name.title()} in the header (the first is at line "
                                                f"{fields[name][0]}); readers differ on which counts: keep one")
                            for index, (name, line, _) in enumerate(rows) if name in {n for n, _l, _v in rows[:index]}]
    found += charset_problems(fields, header.line)
    if lang:
        found += language_problems(fields, lang)
        found += plural_problems(fields, header.line, lang, messages)
    return found


def charset_problems(fields: dict[str, tuple[int, str]], line: int) -> list[Problem]:
    """The Content-Type must declare UTF-8: the bytes are read as UTF-8, whatever else a file says."""
    where, content_type = fields.get("content-type", (line, ""))
    match = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.IGNORECASE)
    if match is None:
        return [(where, "po.charset", "the header has no 'Content-Type: text/plain; charset=UTF-8'; add it")]
    charset = match.group(1)
    try:
        name = codecs.lookup(charset).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return [(where, "po.charset", f"unknown charset {charset!r} in the header; catalogs are UTF-8: "
                                      "write charset=UTF-8")]
    if name != "utf-8":
        return [(where, "po.charset", f"the header declares charset {charset!r}, but leafpress reads catalogs as "
                                      "UTF-8 (a mismatch prints mojibake); save the file as UTF-8 and declare "
                                      "charset=UTF-8 (Poedit: Catalog > Properties)")]
    return []


def language_problem(lang: str) -> str | None:
    """Why Babel cannot print ``lang`` (as leafpress names it), or None if it can."""
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError, TypeError, LookupError):
        return f"Babel does not know the language {lang!r}; {_LANGUAGE_HELP}"
    if not locale.english_name:
        return f"Babel does not know the language {lang!r}; {_LANGUAGE_HELP}"
    return None


def language_problems(fields: dict[str, tuple[int, str]], lang: str) -> list[Problem]:
    """The header's Language must be one Babel knows and the folder's."""
    if "language" not in fields or not fields["language"][1]:
        return []
    line, value = fields["language"]
    problem = language_problem(value)
    if problem:
        return [(line, "po.language", f"Language: {value}: {problem}")]
    if language_problem(lang) is None and Locale.parse(value).language != Locale.parse(lang).language:
        return [(line, "po.language", f"the header says Language: {value}, but the catalog is in the folder of "
                                      f"{lang!r}; correct the header or move the file")]
    return []


def parse_plural_forms(value: str) -> tuple[int | None, str | None, str | None]:
    """nplurals and the plural expression of a Plural-Forms value, or why it cannot be used."""
    parts = {}
    for part in value.split(";"):
        name, equals, setting = part.partition("=")
        if equals:
            parts[name.strip().lower()] = setting.strip()
    if "nplurals" not in parts or "plural" not in parts:
        return None, None, "it must read 'nplurals=N; plural=EXPRESSION;'"
    if not parts["nplurals"].isdigit() or not 1 <= int(parts["nplurals"]) <= 100:
        return None, None, f"nplurals={parts['nplurals']} is not a number of forms"
    problem = plural_expression_problem(parts["plural"], int(parts["nplurals"]))
    return int(parts["nplurals"]), parts["plural"], problem


@lru_cache(maxsize=64)
def plural_expression_problem(expression: str, nplurals: int) -> str | None:
    """Why a plural expression cannot be used with ``nplurals`` forms, or None."""
    try:
        function = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        return f"the plural expression {short(expression)} is not one gettext can read ({exc})"
    for n in (*range(0, 1001), 10_000, 100_000, 1_000_000):
        try:
            form = function(n)
        except (ArithmeticError, RecursionError):
            return f"the plural expression {short(expression)} fails for n={n} (division by zero)"
        if not 0 <= form < nplurals:
            return f"the plural expression gives form {form} for n={n}, but nplurals={nplurals}"
    return None


def expected_plural_forms(lang: str) -> tuple[int, str] | None:
    """The language's number of plural forms and its rule (CLDR, as make new-language writes them)."""
    if lang in PLURAL_FORMS:
        count, expression, _ = parse_plural_forms(PLURAL_FORMS[lang])
        return count or 2, expression or ""
    try:
        rule = get_plural(lang)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return rule.num_plurals, rule.plural_expr


def plural_problems(fields: dict[str, tuple[int, str]], line: int, lang: str,
                    messages: list[Message]) -> list[Problem]:
    """Plural-Forms readable, fit for the language, and as many msgstr[n] in each plural entry."""
    if "plural-forms" not in fields:
        return [(line, "po.plural", "the header has no Plural-Forms; add the language's, "
                                    "e.g. 'Plural-Forms: nplurals=2; plural=(n != 1);'")]
    where, value = fields["plural-forms"]
    count, _expression, problem = parse_plural_forms(value)
    if problem or count is None:
        return [(where, "po.plural", f"Plural-Forms cannot be used: {problem}")]
    found: list[Problem] = []
    expected = expected_plural_forms(lang)
    if expected and expected[0] != count:
        name = Locale.parse(lang).english_name if language_problem(lang) is None else lang
        found.append((where, "po.plural", f"Plural-Forms says nplurals={count}, but {name} has {expected[0]} "
                                          f"plural form(s): write 'Plural-Forms: nplurals={expected[0]}; "
                                          f"plural={expected[1]};'"))
    for message in messages:
        forms = [f for f in message.strings if f.keyword.startswith("msgstr[")]
        if message.plural_id is not None and forms and len(forms) != count and not message.obsolete:
            found.append((message.line, "po.plural", f"{len(forms)} plural form(s) (msgstr[0]…), but "
                                                     f"Plural-Forms says nplurals={count}"))
    return found
