"""``SOURCE_DATE_EPOCH``: the time a build stamps where it would otherwise read the clock.

The same sources give the same files (https://reproducible-builds.org/).
leafpress takes its dates from the content: the PDFs' creation and
modification dates and an EPUB's ``dcterms:modified`` are the articles'
``published`` and ``reviewed``. The one place a clock used to stamp is the
file times inside an EPUB (a zip): they are ``SOURCE_DATE_EPOCH`` when it is
set (seconds since 1970-01-01 UTC, as the reproducible-builds specification
says), else the booklet's own date (:mod:`leafpress.formats.epub.booklet`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a moment is made: the check for nothing to do reads only the setting
    import datetime as dt

NAME = "SOURCE_DATE_EPOCH"


def source_date_epoch(environ: Mapping[str, str] = os.environ) -> dt.datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names, in UTC (without a time zone); None when it is
    not set or empty. ValueError, with a sentence for the user, when it is not a whole,
    non-negative number of seconds."""
    import datetime as dt

    value = environ.get(NAME, "")
    if not value.strip():
        return None
    try:
        if not value.strip().isdigit():
            raise ValueError(value)
        return dt.datetime.fromtimestamp(int(value), dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"{NAME} is {value!r}; it must be a whole number of seconds since "
                         "1970-01-01 00:00 UTC, such as the time of the last commit: "
                         "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)") from None


def setting(environ: Mapping[str, str] = os.environ) -> str:
    """What a build's fingerprints record of it (the value as set, or nothing)."""
    return environ.get(NAME, "").strip()
