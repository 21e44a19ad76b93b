"""What a format declares: one value per kind of output, registered in :mod:`leafpress.formats.registry`.

A format says what its jobs are called and which command builds them, where in ``dist/``
it writes, which units of content a job is made of (under the one publishing policy of
:func:`leafpress.build.pipeline.plan`), what a job is made from (its fingerprint), how
one is made, when it is handed to a worker, and how its outputs are validated.

Named tuples, not dataclasses: the registry is read on the way to "nothing to do",
before anything heavy is imported (as :class:`leafpress.diagnostics.Diagnostic`). So a
format's module imports nothing heavy either; its ``make`` and ``checks`` import what they
need when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from leafpress.build.inputs import Inputs
    from leafpress.build.outputs import Staging
    from leafpress.build.pipeline import Job, Made, Publishing, Session
    from leafpress.source.load import Project
    from leafpress.validate.check import Checking, ToolResult

Units = Literal["articles", "booklets"]


def nothing(project: Project, job: Job) -> tuple[Path, ...]:
    return ()


def no_values(job: Job) -> tuple[tuple[str, str], ...]:
    return ()


def no_languages(job: Job, published: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return ()


class MadeFrom(NamedTuple):
    """What a job's outputs show and are made from: a change to any of it makes them again.

    Besides these, every job is made from the site, help lines and glossary, the articles'
    files and catalogs, their pictures and the bibliography entries they cite, and, in a
    translation, the interface and shared catalogs (:meth:`leafpress.build.inputs.Inputs.fingerprint`).
    """

    articles: Callable[[Project, Job], tuple[str, ...]]  # the articles whose text it shows
    templates: tuple[str, ...] = ()       # files in templates/ (a missing one is an error, theme.missing)
    template_dirs: tuple[str, ...] = ()   # folders in templates/, every file in them
    sources: Callable[[Project, Job], tuple[Path, ...]] = nothing   # other project files whose text it shows
    files: Callable[[Project, Job], tuple[Path, ...]] = nothing     # other files it is made from
    values: Callable[[Job], tuple[tuple[str, str], ...]] = no_values  # settings it depends on, as (name, value)
    # the languages whose names it shows (for the glyph check)
    language_names: Callable[[Job, Mapping[str, tuple[str, ...]]], tuple[str, ...]] = no_languages


class Check(NamedTuple):
    """One tool of ``make check`` on a format's outputs; ``tool`` starts the code of its findings."""

    tool: str
    run: Callable[[Checking], ToolResult]
    beside: bool = False  # runs in a thread beside the others (veraPDF's one long Java run)


def per_unit(format: Format, publishing: Publishing) -> Iterable[Job]:
    """The usual plan: one job per unit (article or booklet) the policy publishes, or previews with --draft."""
    return [publishing.job(format.kind, unit) for unit in publishing.units(format.units)]


class Format(NamedTuple):
    """One kind of output. ``plan`` turns what the publishing policy lets out into jobs (one per
    unit, unless it says otherwise: an index per language, say); ``make`` writes one job's files
    in ``folders`` only; ``checks`` are its tools in ``make check``."""

    kind: str                   # a job's kind, and the first part of its key in the manifest: "leaflet"
    target: str                 # the command that builds it: "leaflets"
    folders: tuple[str, ...]    # what it writes in dist/: dist/<folder>/..., nothing else
    units: Units                # what a job is made of, as the publishing policy decides
    made_from: MadeFrom
    make: Callable[[Session, Job, Staging], Made]  # writes a job's files where the Staging says
    priority: int               # workers get the jobs of a lower one first
    checks: tuple[Check, ...] = ()
    plan: Callable[[Format, Publishing], Iterable[Job]] = per_unit
    setup: Callable[[Session], object] | None = None  # what a worker sets up once for all its jobs
    preload: Callable[[], object] | None = None  # imported once before workers are forked, shared by them
    in_all: bool = True         # built by `all` (a new format can start outside it)
    needs: tuple[str, ...] = ()  # the targets whose outputs it offers: built with it, before it
    # what a job is made from, when ``made_from`` cannot say it (a web page: its leaflet's fingerprint)
    fingerprint: Callable[[Inputs, Job], str] | None = None
    # the jobs (manifest keys, kind:lang:id) whose files a job copies: it is made after every job
    # of the formats without, and left for the next build when one of those failed
    copies: Callable[[Project, Mapping[str, tuple[str, ...]], Job], list[str]] | None = None
