"""One-shot commands for cron: a crawl cycle and a digest run, doing the daemon's work once.

`rasd crawl` holds the crawl lock for the cycle (the daemon takes the same lock for each of its crawls),
so a cron crawl and the daemon's never overlap on one database; both record their run in the state file
`rasd status` reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rasd.config import telling
from rasd.monitor.lock import RunLock
from rasd.monitor.logs import JobRun, crawl_run, digest_run, record_run
from rasd.monitor.options import terminal_language
from rasd.monitor.signals import Interrupted, run_on_reactor, stop_event_on_signals
from rasd.monitor.verdicts import store_references
from rasd.storage import Store

if TYPE_CHECKING:  # each job imports what it runs: `rasd digest` and `housekeeping` never load Scrapy
    from rasd.alerts import DigestReport
    from rasd.config import Settings
    from rasd.monitor.cycle import CycleSummary
    from rasd.monitor.work import ClassifierSpec


def classifier_spec(settings: Settings, store: Store) -> ClassifierSpec:
    """What the workers build their classifier from, readers' verdicts (`rasd label`) included: labels
    given since the workers started are used from the next crawl (`rasd crawl`) or daemon start."""
    from rasd.monitor.work import ClassifierSpec

    return ClassifierSpec(
        seeds_dir=Path(settings.classifier.seeds_dir),
        threshold=settings.classifier.threshold,
        references=tuple(store_references(store)),
    )


def one_cycle(
    settings: Settings, only: list[str] | None = None, wait: float = 0.0, starting: Callable[[], None] | None = None
) -> CycleSummary:
    """One crawl cycle under the crawl lock (LockHeld when the daemon or another cron crawl has it). A first
    SIGINT/SIGTERM stops the crawl early (`summary.stopped_by`); a second abandons it (Interrupted).
    `starting` is called once the lock is held, before the first request."""

    from rasd.crawler import stop_crawls, stopped_by
    from rasd.monitor.cycle import CycleSummary, run_cycle
    from rasd.monitor.work import WORKER_EXIT_SECONDS, start_workers, stop_workers

    with RunLock(settings.storage.url, "crawl") as lock:
        lock.acquire(wait, "rasd crawl")
        if starting is not None:
            starting()
        # Opening the store (a new one's migrations) and starting the workers take seconds on a loaded
        # machine: a signal then (cron's `timeout`) is recorded too, or `rasd status` would show no trace of it.
        try:
            store = Store(settings.storage.url)
        except Interrupted as interrupted:
            _abandoned_starting(settings, interrupted)
            raise
        try:
            workers = start_workers(classifier_spec(settings, store), settings.crawler.workers)
        except Interrupted as interrupted:
            store.close()
            _abandoned_starting(settings, interrupted)
            raise
        try:
            language = terminal_language(settings)
            summary = run_on_reactor(lambda: run_cycle(settings, store, workers, only), stop_crawls, language)
        except Interrupted as interrupted:  # stopped early: what arrived is stored, and the run recorded
            if not isinstance(interrupted.result, CycleSummary):
                abandoned = telling.gettext("stopped by %(signal)s, then abandoned", signal=interrupted.signal_name)
                record_run(settings.storage.url, JobRun("crawl", "abandoned", error=abandoned))
                raise
            summary = interrupted.result
        finally:
            # stopped: what the workers returned is stored, and one still starting is not waited for
            stop_workers(workers, 0.5 if stopped_by() else WORKER_EXIT_SECONDS)
            store.close()
    record_run(settings.storage.url, crawl_run("crawl", summary))
    return summary


def _abandoned_starting(settings: Settings, interrupted: Interrupted) -> None:
    """A crawl stopped before its first request, recorded: `stopped by SIGTERM while it was starting`."""
    stopped = telling.gettext("stopped by %(signal)s while it was starting", signal=interrupted.signal_name)
    record_run(settings.storage.url, JobRun("crawl", "abandoned", error=stopped))


def one_digest(settings: Settings, dry_run: bool) -> DigestReport:
    """Due digests built and delivered once (concurrent runs are safe: digests are claimed in the database).
    A first SIGINT/SIGTERM stops the run between two digests (a slow SMTP session is cut after a few
    seconds): it is recorded, then Interrupted carries the report; a second abandons it at once."""
    from rasd.alerts import run_digests

    started = time.monotonic()
    # A dry run writes nothing: it reads a store nobody may write (a read-only mount, a copy) as well.
    store = Store.for_reading(settings.storage.url) if dry_run else Store(settings.storage.url)
    try:
        with stop_event_on_signals() as (stop, received):
            report = run_digests(
                store, settings, dry_run=dry_run, references=lambda: store_references(store), stop=stop
            )
    finally:
        store.close()
    if not dry_run:
        record_run(settings.storage.url, digest_run(report, time.monotonic() - started))
    if received:
        raise Interrupted(received[0], report)
    return report


def housekeep(store: Store, settings: Settings) -> JobRun:
    """Daily upkeep: fetch records older than `keep_fetches_days` pruned, search index optimised, VACUUM."""
    started = time.monotonic()
    pruned = store.prune_fetches(settings.schedule.keep_fetches_days)
    store.optimize()
    return JobRun("housekeeping", figures={"pruned_fetches": pruned}, seconds=time.monotonic() - started)


def one_housekeeping(settings: Settings, wait: float = 0.0) -> JobRun:
    """Housekeeping for cron, under the crawl lock so that VACUUM never runs in the middle of a crawl."""
    with RunLock(settings.storage.url, "crawl") as lock:
        lock.acquire(wait, "rasd housekeeping")
        store = Store(settings.storage.url)
        try:
            run = housekeep(store, settings)
        finally:
            store.close()
    record_run(settings.storage.url, run)
    return run
