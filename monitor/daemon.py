"""`rasd run`: the APScheduler daemon on Scrapy's asyncio reactor.

One process, one reactor, one AsyncIOScheduler on the reactor's loop (see DESIGN.md, "Scrapy inside a
long-running process"). Jobs are `async def` and await their work, so `max_instances=1` really keeps
two crawls from overlapping, and missed runs coalesce into one. A job that raises is logged and the
daemon goes on. SIGTERM/SIGINT stop the reactor; work in flight is abandoned between transactions.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from alerts import run_digests
from config import Settings
from monitor.cycle import run_cycle
from monitor.session import classifier_spec
from monitor.work import start_workers
from storage import Store

log = logging.getLogger("rasd")
JOB_DEFAULTS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 600}


def schedule_jobs(scheduler: AsyncIOScheduler, settings: Settings, store: Store, config_hint: str) -> None:
    workers = start_workers(classifier_spec(settings))

    async def crawl_job() -> None:
        summary = await run_cycle(settings, store, workers)
        log.info("crawl %s", " ".join(f"{k}={v}" for k, v in summary.as_dict().items()))
        for line in summary.failure_lines():
            log.warning("crawl source failed: %s", line)

    async def digest_job() -> None:
        report = await asyncio.to_thread(run_digests, store, settings, config_hint)
        log.info("digest sent=%d failed=%d", len(report.sent), len(report.failed))
        for line in report.lines():
            log.info("digest %s", line)

    async def housekeeping_job() -> None:
        pruned = await asyncio.to_thread(store.prune_fetches, settings.schedule.keep_fetches_days)
        await asyncio.to_thread(store.optimize)
        log.info("housekeeping pruned_fetches=%d", pruned)

    scheduler.add_job(
        crawl_job,
        IntervalTrigger(minutes=settings.schedule.crawl_every_minutes),
        id="crawl",
        next_run_time=datetime.now(),
        **JOB_DEFAULTS,
    )
    scheduler.add_job(
        digest_job, IntervalTrigger(minutes=settings.schedule.digest_check_every_minutes), id="digest", **JOB_DEFAULTS
    )
    at = settings.schedule.housekeeping_at
    scheduler.add_job(
        housekeeping_job, CronTrigger(hour=at.hour, minute=at.minute), id="housekeeping", **JOB_DEFAULTS
    )


def run_daemon(settings: Settings, config_hint: str) -> None:
    from crawler import install_asyncio_reactor

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    reactor = install_asyncio_reactor()

    store = Store(settings.storage.url)
    scheduler = AsyncIOScheduler(event_loop=asyncio.get_event_loop())

    def start() -> None:
        schedule_jobs(scheduler, settings, store, config_hint)
        scheduler.start()
        log.info("rasd daemon started: %d sources, crawl every %s min", len(settings.sources),
                 settings.schedule.crawl_every_minutes)

    reactor.callWhenRunning(start)
    reactor.run()  # returns after SIGTERM/SIGINT
    scheduler.shutdown(wait=False)
    store.close()
    log.info("rasd daemon stopped")
