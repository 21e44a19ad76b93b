"""Which job a worker gets next: by its format's priority (leaflets before booklets), and a
language the worker knows.

A worker keeps what a language cost it to set up for the rest of the build: the
localized articles and, above all, the citations formatted in that language
(citeproc-py, a quarter of the time a leaflet's HTML takes). Handed out in one queue,
every language went to every worker, and a cold ``-j2`` build of the real catalogue
formatted its citations 2.4 times over. So a worker stays in the languages it has
started; when those have nothing left it starts a language nobody has, and only then
helps with another worker's. Booklets wait until every leaflet is handed out: they are
short (a few hundredths of a second), so the workers end together, and by then a
worker has made most of a booklet's articles, citations included, itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from leafpress.build.pipeline import Job
from leafpress.formats import registry


@dataclass
class Schedule:
    """The jobs not handed out yet (in plan order) and the languages each worker has had."""

    waiting: list[Job]
    held: dict[Hashable, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, jobs: Sequence[Job]) -> Schedule:
        return cls(list(jobs))

    def take(self, worker: Hashable) -> Job | None:
        """The next job for ``worker``, or None when every job has been handed out."""
        if not self.waiting:
            return None
        kind = min(self.waiting, key=lambda job: registry.of_kind(job.kind).priority).kind  # the first of equals
        candidates = [job for job in self.waiting if job.kind == kind]
        mine = self.held.setdefault(worker, set())
        others = set().union(*(langs for held_by, langs in self.held.items() if held_by != worker))
        waiting = Counter(job.lang for job in candidates)
        # Its own language first, then one nobody has started, then the one with most left;
        # max() keeps the first of equals, so plan order breaks ties.
        lang = max(waiting, key=lambda lang: (lang in mine, lang not in others, waiting[lang]))
        job = next(job for job in candidates if job.lang == lang)
        self.waiting.remove(job)
        mine.add(lang)
        return job
