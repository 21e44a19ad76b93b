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

import codecs
import gettext
import re
import string
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

#: one problem: the 1-based line (None: the whole file), the code, the message
Problem = tuple[int | None, str, str]

#: where Babel's plural table disagrees with CLDR and GNU gettext practice
PLURAL_FORMS = {
    "tr": "nplurals=2; plural=(n != 1);",  # CLDR: one/other; Babel 2.18 says one form
}

#: more than this many problems in one file are summed up in one line
MAX_PROBLEMS = 20

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=[\s\"]|$)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_READ_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}  # what every reader reads alike
_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
                      r"(?P<conv>[diouxXeEfFgGcrsa%])")
_LANGUAGE_HELP = ("leafpress needs Babel's dates, numbers, plural rules and script direction for it; "
                  "use a code Babel knows, e.g. en, ar, uk")


@dataclass(frozen=True)
class Field:
    """One keyword of an entry (msgid, msgstr[1], …) and its strings joined."""

    keyword: str
    line: int
    value: str
    pieces: tuple[tuple[int, str], ...]  # (line, text) of each string, for header fields


@dataclass(frozen=True)
class Message:
    """One entry as written, whatever a reader would make of it."""

    line: int                 # of its msgid
    fields: tuple[Field, ...]
    flags: frozenset[str]
    obsolete: bool

    context: str | None       # msgctxt, if it has one
    msgid: str
    plural_id: str | None     # msgid_plural, if it has one
    strings: tuple[Field, ...]  # msgstr, or msgstr[0], msgstr[1], …
    broken: bool = False        # a string of it could not be read: its values say nothing

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.context is None and not self.obsolete and not self.broken


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


def encoding_problems(data: bytes) -> list[Problem]:
    """A byte order mark, or the first bytes that are not UTF-8."""
    found: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        found.append((1, "po.charset", "the file starts with a byte order mark, which msgfmt refuses; "
                                       "save it as UTF-8 without BOM"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        found.append((line, "po.charset", f"byte 0x{data[exc.start]:02x} is not UTF-8 (was the file saved as "
                                          "ISO-8859-1 or Windows-1252?); save it as UTF-8, e.g. in Poedit"))
    return found


def parse_string(rest: str) -> tuple[str | None, str | None]:
    """The one quoted string of a line's rest, unescaped, or a reason why not."""
    rest = rest.strip()
    if len(rest) > 1 and rest[0] == rest[-1] == '"' and '"' not in rest[1:-1] and "\\" not in rest:
        return rest[1:-1], None  # most strings: nothing to unescape
    if not rest.startswith('"'):
        return None, "a quoted string is missing here" if not rest else f"expected a quoted string, not {rest[:30]!r}"
    match = _STRING.match(rest)
    if match is None:
        return None, "the string does not end on this line (a closing \" is missing)"
    after = rest[match.end():].strip()
    if after.startswith('"'):
        return None, "two strings on one line; put each on a line of its own (readers differ on it)"
    if after:
        return None, (f"text after the string: {after[:30]!r}; write a quote inside a string as \\\" "
                      "and begin a comment with #")
    body = match.group(1)
    for escape in _ESCAPE.finditer(body):
        if escape.group(1) not in _READ_ESCAPES:
            return None, (f"unknown escape \\{escape.group(1)} (only \\n, \\t, \\r, \\\\ and \\\" are read "
                          "alike by msgfmt and Babel); write the character itself")
    return _ESCAPE.sub(lambda m: _READ_ESCAPES[m.group(1)], body), None


@dataclass
class _Entry:
    """An entry being read: its fields so far (only inside :func:`lex`)."""

    fields: list[list]  # [keyword, line, [(line, text), ...]]
    flags: frozenset[str]
    obsolete: bool
    broken: bool = False

    def has(self, keyword: str) -> bool:
        return any(f[0] == keyword for f in self.fields)

    def translated(self) -> bool:
        return any(f[0].startswith("msgstr") for f in self.fields)

    def freeze(self) -> Message:
        fields = {k: Field(k, line, "".join(t for _l, t in pieces), tuple(pieces)) for k, line, pieces in self.fields}
        msgid = fields.get("msgid")
        context, plural = fields.get("msgctxt"), fields.get("msgid_plural")
        return Message(msgid.line if msgid else self.fields[0][1], tuple(fields.values()), self.flags, self.obsolete,
                       context.value if context else None, msgid.value if msgid else "",
                       plural.value if plural else None,
                       tuple(f for k, f in fields.items() if k.startswith("msgstr")), self.broken)


def lex(text: str) -> tuple[list[Message], list[Problem]]:
    """The entries of a catalog and what is wrong with its syntax (msgfmt's grammar, one string a line)."""
    messages: list[Message] = []
    problems: list[Problem] = []
    entry: _Entry | None = None
    flags: set[str] = set()
    pieces: list | None = None  # where a continuation string goes
    previous = False  # inside #| lines: strings are checked, not kept

    def finish() -> None:
        nonlocal entry
        if entry is not None:
            if not entry.translated():
                first = entry.fields[0]
                problems.append((first[1], "po.syntax", f"{first[0]} without msgstr: every msgid needs a msgstr "
                                                        "line right after it, no comment between (msgstr \"\" "
                                                        "while untranslated)"))
            messages.append(entry.freeze())
        entry = None

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(" \t\r")
        first = line[:1]
        if first == "#" and line[1:2] != "~" and entry is not None and not entry.translated():
            finish()  # a comment ends an entry for msgfmt, also before its msgstr
        if first == "#" and line[1:2] not in ("~", "|"):
            pieces = None
            if line[1:2] == ",":
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue  # most lines: comments, flags
        obsolete = first == "#" and line[1:2] == "~"
        if obsolete:
            line = line[2:].strip(" \t")
            if not line:
                continue
            if line.startswith("|"):
                line, previous = line[1:].strip(" \t"), True
            elif line.startswith("#"):
                continue  # a comment of an obsolete entry
            else:
                previous = False
        elif first == "#":
            line, previous = line[2:].strip(" \t"), True  # #| previous msgid
        elif not line:
            continue
        else:
            previous = False
        if line.startswith('"'):
            value, problem = parse_string(line)
            if problem:
                problems.append((number, "po.string", problem))
                if entry is not None and pieces is not None and not previous:
                    entry.broken = True
            elif previous:
                pass
            elif pieces is None:
                problems.append((number, "po.syntax", "a string that belongs to no msgid or msgstr; "
                                                      "a line of its own starts with msgid, msgstr or #"))
            else:
                pieces.append((number, value))
            continue
        keyword_match = _KEYWORD.match(line)
        if keyword_match is None:
            word = line.split()[0] if line.split() else line
            problems.append((number, "po.syntax", f"a stray line: {word[:30]!r} is no keyword; every line is a "
                                                  "comment (#), a keyword (msgid, msgstr, …) or a quoted string"))
            pieces = None
            continue
        keyword = keyword_match.group(1)
        value, problem = parse_string(line[keyword_match.end():])
        after = line[keyword_match.end():]
        if after.strip().startswith('"') and not after.startswith(' "'):  # msgfmt takes any, the readers differ
            value, problem = None, f"write one space between {keyword} and its string"
        if problem:
            problems.append((number, "po.string", problem))
            value = ""
        if previous:
            if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                problems.append((number, "po.syntax", f"{keyword} in a #| line (previous msgid); "
                                                      "only msgctxt, msgid and msgid_plural belong there"))
            pieces = None
            continue
        starts_entry = keyword in ("msgctxt", "msgid") and entry is not None and entry.translated()
        if entry is not None and entry.obsolete != obsolete and not starts_entry:
            problems.append((number, "po.syntax", "an entry is partly obsolete (#~) and partly not"))
        pieces = [(number, value)]
        if keyword in ("msgctxt", "msgid"):
            # a msgid continues an entry that has only its msgctxt; anything else starts one
            if entry is not None and (keyword == "msgctxt" or entry.has("msgid") or entry.translated()):
                finish()
            if entry is None:
                entry = _Entry([], frozenset(flags), obsolete)
                flags = set()
            entry.fields.append([keyword, number, pieces])
            entry.broken |= problem is not None
        elif entry is None or not entry.has("msgid"):
            problems.append((number, "po.syntax", f"{keyword} without a msgid before it"))
            pieces = None
        elif keyword == "msgid_plural":
            if entry.has("msgid_plural") or entry.translated():
                problems.append((number, "po.syntax", "msgid_plural in the wrong place: once, right after the msgid"))
            entry.fields.append([keyword, number, pieces])
            entry.broken |= problem is not None
        elif keyword == "msgstr":
            if entry.has("msgid_plural"):
                problems.append((number, "po.syntax", "this entry has a msgid_plural: its translations are "
                                                      "msgstr[0], msgstr[1], … (one for each plural form)"))
            elif entry.translated():
                problems.append((number, "po.syntax", "a second msgstr for the same msgid"))
            entry.fields.append([keyword, number, pieces])
            entry.broken |= problem is not None
        else:
            index = int(keyword_match.group(2))
            expected = sum(1 for f in entry.fields if f[0].startswith("msgstr["))
            if not entry.has("msgid_plural"):
                problems.append((number, "po.syntax", f"{keyword} without msgid_plural: an entry without plural "
                                                      "has one msgstr"))
            elif index != expected or entry.has("msgstr"):
                problems.append((number, "po.syntax", f"plural form has the wrong index: expected msgstr[{expected}]"))
            entry.fields.append([keyword, number, pieces])
            entry.broken |= problem is not None
    finish()
    return messages, problems


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
        what = "the header (msgid \"\")" if message.msgid == "" else f"msgid {_short(message.msgid)}"
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
        return f"the plural expression {_short(expression)} is not one gettext can read ({exc})"
    for n in (*range(0, 1001), 10_000, 100_000, 1_000_000):
        try:
            form = function(n)
        except (ArithmeticError, RecursionError):
            return f"the plural expression {_short(expression)} fails for n={n} (division by zero)"
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


def translation_problems(message: Message, interface: bool) -> list[Problem]:
    """A finished translation's line breaks and placeholders against its msgid."""
    found: list[Problem] = []
    for form in message.strings:
        if not form.value:
            continue
        source = message.msgid if form.keyword in ("msgstr", "msgstr[0]") or message.plural_id is None \
            else message.plural_id
        for edge, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(source, "\n") != test(form.value, "\n"):
                found.append((form.line, "po.newline", f"the msgid and {form.keyword} do not both {edge} with a "
                                                       "line break (\\n); msgfmt refuses it"))
        problem = placeholder_problem(source, form.value, message.flags) if interface else None
        if problem:
            found.append((form.line, "po.placeholder", problem))
    return found


def _percent_placeholders(text: str) -> tuple[list[tuple[str | None, str]], str | None]:
    """The %-placeholders of a text as (name or None, conversion), or why it is no %-format."""
    found: list[tuple[str | None, str]] = []
    position = text.find("%")
    while position >= 0:
        match = _PERCENT.match(text, position)
        if match is None:
            return found, f"'%' followed by {text[position + 1:position + 3]!r} is no placeholder (write %% for a %)"
        if match.group("conv") != "%":
            found.append((match.group("key"), match.group("conv")))
        position = text.find("%", match.end())
    names = {name is None for name, _ in found}
    if len(names) > 1:
        return found, "named (%(x)s) and unnamed (%s) placeholders mixed"
    return found, None


def _brace_placeholders(text: str) -> tuple[list[str], str | None]:
    """The {}-fields of a text, or why it is no str.format string."""
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None], None
    except ValueError as exc:
        return [], f"not a valid {{}} format ({exc}); write {{{{ and }}}} for a brace"


def placeholder_problem(source: str, translation: str, flags: frozenset[str]) -> str | None:
    """How an interface translation's placeholders differ from the source's, or None.

    Checked where the entry is flagged python-format or python-brace-format (as msgfmt
    does), and wherever the Dutch text has placeholders: the templates fill them in
    whatever the flags say. (Articles and shared texts are Markdown, not format
    strings: their flags are wrong where Babel adds them, see i18n_tasks.drop_format_flags,
    and their marks are compared by translations.check_catalog.)
    """
    source_percent, source_bad = _percent_placeholders(source)
    if "no-python-format" not in flags and ("python-format" in flags or source_percent) \
            and not source_bad:
        placeholders, problem = _percent_placeholders(translation)
        if problem:
            return f"the translation is not a valid Python format string: {problem}"
        source_named = any(name is not None for name, _ in source_percent)
        named = any(name is not None for name, _ in placeholders)
        if source_percent and placeholders and source_named != named:
            return (f"the translation has {'named' if named else 'unnamed'} placeholders where the Dutch text has "
                    f"{_show_percent(source_percent)}; copy them unchanged")
        if source_named or named:
            return _compare(dict(source_percent), dict(placeholders), "%({})", lambda c: c)
        if [c for _, c in source_percent] != [c for _, c in placeholders]:
            return (f"the translation has the placeholders {_show_percent(placeholders)} where the Dutch text has "
                    f"{_show_percent(source_percent)}, in this order; copy them unchanged")
    source_braces, brace_bad = _brace_placeholders(source)
    if "no-python-brace-format" not in flags and ("python-brace-format" in flags or source_braces) \
            and not brace_bad:
        placeholders_b, problem = _brace_placeholders(translation)
        if problem:
            return f"the translation is not a valid Python format string: {problem}"
        return _compare({n: "" for n in source_braces}, {n: "" for n in placeholders_b}, "{{{}}}", lambda c: "")
    return None


def _compare(expected: dict, actual: dict, shape: str, suffix) -> str | None:
    """What differs between the named placeholders of the source and of the translation."""
    show = lambda name, conv: shape.format(name) + suffix(conv)  # noqa: E731
    missing = [show(n, c) for n, c in expected.items() if n not in actual]
    extra = [show(n, c) for n, c in actual.items() if n not in expected]
    changed = [f"{show(n, actual[n])} instead of {show(n, c)}" for n, c in expected.items()
               if n in actual and actual[n] != c]
    parts = ([f"it lacks {', '.join(missing)}"] if missing else []) + \
            ([f"it has {', '.join(extra)}, which the Dutch text has not"] if extra else []) + \
            ([f"it has {', '.join(changed)}"] if changed else [])
    if not parts:
        return None
    return "placeholders differ from the Dutch text: " + "; ".join(parts) + "; copy them unchanged"


def _show_percent(placeholders: list[tuple[str | None, str]]) -> str:
    return ", ".join(f"%({n}){c}" if n is not None else f"%{c}" for n, c in placeholders) or "none"


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "…")

