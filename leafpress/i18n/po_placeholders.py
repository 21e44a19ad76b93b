"""A finished translation against its msgid: line breaks at its ends, and (in the interface)
its placeholders."""

from __future__ import annotations

import re
import string

from leafpress.i18n.po_lex import Message, Problem

_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
                      r"(?P<conv>[diouxXeEfFgGcrsa%])")


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
