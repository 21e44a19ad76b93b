"""The syntax of a gettext catalog: its bytes, its lines, its entries as written.

:func:`lex` reads a catalog's text as msgfmt's grammar has it, one string a line,
into :class:`Message` values and the problems of its syntax (``(line, code, message)``,
see :mod:`leafpress.i18n.po_checks`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: one problem: the 1-based line (None: the whole file), the code, the message
Problem = tuple[int | None, str, str]

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=[\s\"]|$)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_READ_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}  # what every reader reads alike


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


class _Lexer:
    """One reading of a catalog's lines: the entries so far and what is wrong (only inside :func:`lex`)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.problems: list[Problem] = []
        self.entry: _Entry | None = None
        self.flags: set[str] = set()
        self.pieces: list | None = None  # where a continuation string goes

    def read(self, text: str) -> tuple[list[Message], list[Problem]]:
        for number, raw in enumerate(text.split("\n"), start=1):
            self.line(number, raw.strip(" \t\r"))
        self.finish()
        return self.messages, self.problems

    def line(self, number: int, line: str) -> None:
        if line[:1] == "#" and self.comment(line):
            return
        content = _unmarked(line)
        if content is None:
            return
        text, obsolete, previous = content
        if text.startswith('"'):
            self.string(number, text, previous)
        else:
            self.keyword(number, text, obsolete, previous)

    def comment(self, line: str) -> bool:
        """A line starting with #: it ends an entry that has no msgstr yet (as for msgfmt, also
        before its msgstr), except an obsolete line. True when it is only a comment or flags."""
        if line[1:2] != "~" and self.entry is not None and not self.entry.translated():
            self.finish()
        if line[1:2] in ("~", "|"):
            return False
        self.pieces = None
        if line[1:2] == ",":
            self.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        return True

    def string(self, number: int, text: str, previous: bool) -> None:
        """A line that is only a quoted string: the continuation of the keyword before it."""
        value, problem = parse_string(text)
        if problem:
            self.problems.append((number, "po.string", problem))
            if self.entry is not None and self.pieces is not None and not previous:
                self.entry.broken = True
        elif previous:
            pass  # inside #| lines: strings are checked, not kept
        elif self.pieces is None:
            self.problems.append((number, "po.syntax", "a string that belongs to no msgid or msgstr; "
                                                       "a line of its own starts with msgid, msgstr or #"))
        else:
            self.pieces.append((number, value))

    def keyword(self, number: int, text: str, obsolete: bool, previous: bool) -> None:
        """A line that starts with a keyword (msgid, msgstr[1], …) and its string."""
        keyword_match = _KEYWORD.match(text)
        if keyword_match is None:
            word = text.split()[0] if text.split() else text
            self.problems.append((number, "po.syntax", f"a stray line: {word[:30]!r} is no keyword; every line "
                                                       "is a comment (#), a keyword (msgid, msgstr, …) or a quoted "
                                                       "string"))
            self.pieces = None
            return
        keyword = keyword_match.group(1)
        value, problem = _keyword_string(keyword, text[keyword_match.end():])
        if problem:
            self.problems.append((number, "po.string", problem))
            value = ""
        if previous:
            if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                self.problems.append((number, "po.syntax", f"{keyword} in a #| line (previous msgid); "
                                                           "only msgctxt, msgid and msgid_plural belong there"))
            self.pieces = None
            return
        self.field(number, keyword, keyword_match.group(2), value or "", problem is not None, obsolete)

    def field(self, number: int, keyword: str, index: str | None, value: str, broken: bool,
              obsolete: bool) -> None:
        """A keyword's string where it belongs: a new entry, or the fields of the one being read."""
        entry = self.entry
        starts_entry = keyword in ("msgctxt", "msgid") and entry is not None and entry.translated()
        if entry is not None and entry.obsolete != obsolete and not starts_entry:
            self.problems.append((number, "po.syntax", "an entry is partly obsolete (#~) and partly not"))
        self.pieces = [(number, value)]
        if keyword in ("msgctxt", "msgid"):
            self.start(number, keyword, obsolete, broken)
        elif entry is None or not entry.has("msgid"):
            self.problems.append((number, "po.syntax", f"{keyword} without a msgid before it"))
            self.pieces = None
        else:
            self.problems += _placement_problems(entry, number, keyword, index)
            entry.fields.append([keyword, number, self.pieces])
            entry.broken |= broken

    def start(self, number: int, keyword: str, obsolete: bool, broken: bool) -> None:
        """A msgctxt or msgid: a msgid continues an entry that has only its msgctxt; anything
        else starts one."""
        entry = self.entry
        if entry is not None and (keyword == "msgctxt" or entry.has("msgid") or entry.translated()):
            self.finish()
        if self.entry is None:
            self.entry = _Entry([], frozenset(self.flags), obsolete)
            self.flags = set()
        self.entry.fields.append([keyword, number, self.pieces])
        self.entry.broken |= broken

    def finish(self) -> None:
        """The entry being read is complete (a msgid without msgstr is a problem)."""
        entry = self.entry
        if entry is not None:
            if not entry.translated():
                first = entry.fields[0]
                self.problems.append((first[1], "po.syntax", f"{first[0]} without msgstr: every msgid needs a "
                                                             "msgstr line right after it, no comment between "
                                                             "(msgstr \"\" while untranslated)"))
            self.messages.append(entry.freeze())
        self.entry = None


def _unmarked(line: str) -> tuple[str, bool, bool] | None:
    """A line's keyword or string without its mark of an obsolete entry (#~) or of a
    previous msgid (#|, #~|): (text, obsolete, previous); None for nothing to read."""
    if line[:2] == "#~":
        rest = line[2:].strip(" \t")
        if not rest or rest.startswith("#"):  # a comment of an obsolete entry
            return None
        if rest.startswith("|"):
            return rest[1:].strip(" \t"), True, True
        return rest, True, False
    if line[:1] == "#":  # #| previous msgid
        return line[2:].strip(" \t"), False, True
    if not line:
        return None
    return line, False, False


def _keyword_string(keyword: str, after: str) -> tuple[str | None, str | None]:
    """The string after a keyword, or why it cannot be read."""
    value, problem = parse_string(after)
    if after.strip().startswith('"') and not after.startswith(' "'):  # msgfmt takes any, the readers differ
        return None, f"write one space between {keyword} and its string"
    return value, problem


def _placement_problems(entry: _Entry, number: int, keyword: str, index: str | None) -> list[Problem]:
    """A msgid_plural, msgstr or msgstr[n] where the entry read so far has no place for it."""
    if keyword == "msgid_plural":
        if entry.has("msgid_plural") or entry.translated():
            return [(number, "po.syntax", "msgid_plural in the wrong place: once, right after the msgid")]
        return []
    if keyword == "msgstr":
        if entry.has("msgid_plural"):
            return [(number, "po.syntax", "this entry has a msgid_plural: its translations are "
                                          "msgstr[0], msgstr[1], … (one for each plural form)")]
        if entry.translated():
            return [(number, "po.syntax", "a second msgstr for the same msgid")]
        return []
    expected = sum(1 for f in entry.fields if f[0].startswith("msgstr["))
    if not entry.has("msgid_plural"):
        return [(number, "po.syntax", f"{keyword} without msgid_plural: an entry without plural has one msgstr")]
    if int(index or 0) != expected or entry.has("msgstr"):
        return [(number, "po.syntax", f"plural form has the wrong index: expected msgstr[{expected}]")]
    return []


def lex(text: str) -> tuple[list[Message], list[Problem]]:
    """The entries of a catalog and what is wrong with its syntax (msgfmt's grammar, one string a line)."""
    return _Lexer().read(text)


def short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "…")
