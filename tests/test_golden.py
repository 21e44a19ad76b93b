"""What readers get, compared with the committed golden views (tests/golden/, see leafpress.validate.golden).

A failure shows the change as a diff: if it is meant, run ``make golden``,
review the diff of tests/golden/ and commit it with the change.
"""

from __future__ import annotations

import difflib

import pytest

from leafpress.validate.golden import stored, views

HINT = "run make golden and review the diff"
MAX_DIFF_LINES = 60  # per file
MAX_FILES = 8


def differences(expected: dict[str, str], actual: dict[str, str]) -> str:
    """A readable report of what changed: files gone or new, and a unified diff per changed file."""
    report = [f"no longer made: {name}" for name in sorted(expected.keys() - actual.keys())]
    report += [f"new: {name}" for name in sorted(actual.keys() - expected.keys())]
    changed = [name for name in sorted(expected.keys() & actual.keys()) if expected[name] != actual[name]]
    for name in changed[:MAX_FILES]:
        diff = list(difflib.unified_diff(expected[name].splitlines(), actual[name].splitlines(),
                                         f"golden/{name}", f"built/{name}", n=1, lineterm=""))
        cut = len(diff) - MAX_DIFF_LINES
        report += diff[:MAX_DIFF_LINES] + ([f"... {cut} more diff lines"] if cut > 0 else [])
    if len(changed) > MAX_FILES:
        report.append(f"... and {len(changed) - MAX_FILES} more changed files")
    return "\n".join(report)


@pytest.mark.parametrize("project", ["real", "basic", "readers"])
def test_reader_views_match_the_golden_files(project, request):
    built = request.getfixturevalue(f"{project}_built")
    found = differences(stored(project), views(built.path("dist")))
    assert not found, f"what readers get changed ({HINT}):\n{found}"


def test_a_changed_view_is_reported_as_a_readable_diff():
    expected = {"nl/a.screenreader.txt": "H1 [nl]: Wat is het verschil?\nP [nl]: Bel 113.\n", "nl/gone.txt": ""}
    actual = {"nl/a.screenreader.txt": "H1 [nl]: Wat is hetverschil?\nP [nl]: Bel 113.\n"}
    report = differences(expected, actual)
    assert "no longer made: nl/gone.txt" in report
    assert "-H1 [nl]: Wat is het verschil?\n+H1 [nl]: Wat is hetverschil?" in report
    assert differences(actual, actual) == ""
