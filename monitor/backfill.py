"""`rasd backfill`: a new deployment fetches the past from each site's sitemaps (crawler.backfill), through
the same extract → classify → store pipeline as a crawl cycle, under the crawl lock."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime

from rasd.config import Settings
from rasd.crawler import FetchedPage, FetchRecord, backfill, stop_crawls
from rasd.monitor.cycle import CycleSummary, _CycleSink, plans_for
from rasd.monitor.lock import RunLock
from rasd.monitor.options import terminal_language
from rasd.monitor.session import classifier_spec
from rasd.monitor.work import start_workers
from rasd.storage import Store


@dataclass
class BackfillSummary:
    cycle: CycleSummary
    planned: int = 0  # article pages the sitemaps listed that were not stored, within the budget
    left: dict[str, int] = field(default_factory=dict)  # source → articles over the budget, for the next run


def _to_stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


class Progress:
    """A progress bar on stderr: on a terminal one line redrawn in place, otherwise a line every 25 pages."""

    WIDTH = 30

    def __init__(self, write: Callable[[str], object] | None = None, live: bool | None = None) -> None:
        self.write = write or _to_stderr
        self.live = sys.stderr.isatty() if live is None else live
        self.planned = 0
        self.fetched = 0

    def plan(self, source: str, count: int) -> None:
        self.planned += count
        self.show()

    def page(self) -> None:
        self.fetched += 1
        if self.live or self.fetched % 25 == 0:
            self.show()

    def show(self) -> None:
        done = min(self.fetched, self.planned)
        filled = int(self.WIDTH * done / self.planned) if self.planned else 0
        line = f"backfill [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.planned} article pages"
        self.write(f"\r{line}" if self.live else f"{line}\n")

    def end(self) -> None:
        """The final count, then (on a terminal) the line ended."""
        if self.planned:
            self.show()
            if self.live:
                self.write("\n")


class _BackfillSink(_CycleSink):
    def __init__(self, *args: object, progress: Progress) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.progress = progress

    def page(self, page: FetchedPage) -> None:
        super().page(page)
        self.progress.page()

    def fetch(self, record: FetchRecord) -> None:
        """A planned article that failed (refused by robots.txt, HTTP error) is done too: the bar counts what
        was tried, so it ends full whichever pages the budget took (the sitemaps answer in any order)."""
        super().fetch(record)
        if record.kind == "article" and record.outcome not in ("ok", "not_modified"):
            self.progress.page()


async def _run(
    settings: Settings, store: Store, workers: Executor, since: datetime, only: list[str] | None, progress: Progress
) -> BackfillSummary:
    started = time.monotonic()
    sources = [settings.source_named(name) for name in only] if only else list(settings.sources)
    store.sync_sources(sources)
    flagged_before = store.count_articles()[1]
    summary = BackfillSummary(CycleSummary(sources=len(sources)))
    sink = _BackfillSink(store, workers, {s.name: s for s in sources}, summary.cycle, progress=progress)
    try:
        summary.left = await backfill(plans_for(settings, sources, store), settings.crawler, sink, since, progress.plan)
    finally:
        await sink.finish()
        summary.planned = progress.planned
        summary.cycle.sse_flagged = store.count_articles()[1] - flagged_before
        summary.cycle.seconds = time.monotonic() - started
    return summary


def one_backfill(
    settings: Settings,
    since: datetime,
    only: list[str] | None = None,
    wait: float = 0.0,
    progress: Progress | None = None,
) -> BackfillSummary:
    """The past since `since` for the configured sources (or `only` these), under the crawl lock (LockHeld
    when a crawl runs). A first SIGINT/SIGTERM stops early: what arrived is stored, the next run resumes."""
    from rasd.monitor.cli import Interrupted, run_on_reactor

    progress = progress or Progress()
    with RunLock(settings.storage.url, "crawl") as lock:
        lock.acquire(wait, "rasd backfill")
        store = Store(settings.storage.url)
        workers = start_workers(classifier_spec(settings, store), settings.crawler.workers)
        try:
            language = terminal_language(settings)
            summary = run_on_reactor(
                lambda: _run(settings, store, workers, since, only, progress), stop_crawls, language
            )
        except Interrupted as interrupted:
            if not isinstance(interrupted.result, BackfillSummary):
                raise
            summary = interrupted.result
            summary.cycle.stopped_by = interrupted.signum
        finally:
            progress.end()
            workers.shutdown(cancel_futures=True)
            store.close()
    return summary
