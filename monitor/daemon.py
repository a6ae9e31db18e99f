"""`rasd run`: the APScheduler daemon on Scrapy's asyncio reactor.

One process, one reactor, one AsyncIOScheduler on the reactor's loop (see DESIGN.md, "Scrapy inside a
long-running process"): Scrapy's reactor cannot restart, so every crawl cycle runs on the same one, and
the spawn-based worker pool (monitor/work.py) lives as long as the daemon. Jobs are `async def` and await
their work, so `max_instances=1` really keeps a job from overlapping itself, and missed runs coalesce into
one. Crawl jobs (one per source group) also take turns on an `asyncio.Lock` and on the crawl lock file
shared with cron's `rasd crawl`; housekeeping waits for the crawl's turn too, so VACUUM never races a
crawl. A job that raises is logged with its traceback and the daemon goes on.

Digests: one frequent check (`digest_check_every_minutes`) rather than one job per subscription, because
`alerts.run_digests` already knows, from the database, which daily or weekly slot is due and not yet
built — so a slot that fell due while the daemon was down is sent at the first check, a failed delivery is
retried at every check, and the two schedules can never disagree.

Stopping: SIGTERM or SIGINT pauses the scheduler, asks the running Scrapy crawl to stop (the pages
already fetched are extracted and stored, up to 16 articles a transaction), waits for the jobs in
flight up to `stop_timeout_seconds`, then stops the reactor and the workers. A second signal abandons
at once. What is abandoned is never half-written: each batch of articles is one transaction on the
loop's thread, and the next cycle fetches whatever was not stored.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rasd.alerts import run_digests
from rasd.alerts.checks import check_channels
from rasd.config import Settings, telling
from rasd.crawler import stop_crawls
from rasd.monitor.config_watch import ConfigWatch, left_out_lines
from rasd.monitor.cycle import run_cycle
from rasd.monitor.errors import Refused
from rasd.monitor.lock import RunLock
from rasd.monitor.logs import (
    STOPPED,
    JobRun,
    StateFile,
    crawl_run,
    digest_run,
    job_name,
    now_iso,
    record_run,
    speak_logs,
    zone_line,
    zone_logs,
)
from rasd.monitor.options import terminal_language
from rasd.monitor.seed_files import seed_warnings
from rasd.monitor.session import classifier_spec, housekeep
from rasd.monitor.signals import StopSignals
from rasd.monitor.speech import Speech, decimal
from rasd.monitor.verdicts import store_references
from rasd.monitor.work import WORKER_EXIT_SECONDS, start_workers, stop_workers
from rasd.storage import Store, Unwritable, sqlite_file

log = logging.getLogger("rasd")
JOB_DEFAULTS: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 600}
# The wall clock is compared with the monotonic one this often (seconds); a step back of more than
# CLOCK_STEP_SECONDS moves every job's next run back as much (Daemon.check_clock).
CLOCK_CHECK_SECONDS = 10.0
CLOCK_STEP_SECONDS = 60.0


def source_groups(settings: Settings) -> dict[str, list[str]]:
    """Source names by `group`, in config order."""
    groups: dict[str, list[str]] = {}
    for source in settings.sources:
        groups.setdefault(source.group, []).append(source.name)
    return groups


class Daemon:
    """The scheduler's jobs and the state they share: store, workers, locks, the jobs in flight."""

    def __init__(self, settings: Settings, reactor: Any, language: str = "en") -> None:
        self.settings = settings
        # Its log lines' language: the reader's (`rasd run`), English for --log-json, which tools read.
        self.said = Speech(language)
        self.zone = ZoneInfo(settings.timezone)  # the log's times, and the next runs it announces
        self.reactor = reactor
        self.url = settings.storage.url
        self.store = Store(self.url)
        self.state = StateFile(self.url)
        self.crawl_lock = RunLock(self.url, "crawl")
        # Read before the references: a verdict given in between is then in the workers and makes one
        # needless restart, rather than being missed until the next verdict.
        self.labels_seen = self.store.labels_mark()
        self.workers_broken = False  # a worker died in the last crawl (killed, out of memory): start them again
        spec = classifier_spec(settings, self.store)
        self.workers: ProcessPoolExecutor = start_workers(spec, settings.crawler.workers)
        self.scheduler = AsyncIOScheduler(event_loop=asyncio.get_event_loop())
        self.crawl_turn = asyncio.Lock()
        self.running: dict[asyncio.Task[Any], str] = {}
        self.stopping = False
        self.stop_requested = threading.Event()  # for the jobs that run in threads (digests)
        self.stop_task: asyncio.Future[None] | None = None
        self.channel_check: asyncio.Future[None] | None = None
        self.database = _file_identity(self.url)  # the SQLite file as opened: (path, device, inode)
        self.failure: str | None = None  # why the daemon stopped itself (exit 1), not on a signal
        self.config_watch = ConfigWatch(settings)  # rasd.toml or sources.toml edited, or broken, meanwhile
        self.clock = (time.time(), time.monotonic())  # the wall clock and the monotonic one, last compared
        self.clock_check: asyncio.TimerHandle | None = None

    def job_words(self, job: str) -> str:
        """A job as its log line names it: `crawl:default` in English (operators' tools and habits), in the
        reader's words otherwise ("collecte (default)", as `rasd status` says it)."""
        return job if self.said.language == "en" else job_name(job, self.said)

    def figure(self, value: float) -> str:
        """A number of minutes or seconds as short as it goes ("0.05", "10"), written as the reader writes it."""
        return decimal(value, self.said.language, places=None)

    # ---- jobs -----------------------------------------------------------------------------------

    async def _job(self, job: str, work: Callable[[], Awaitable[JobRun]]) -> None:
        """Run one job: time it, turn an exception into a logged failed run, record it for `rasd status`."""
        task = asyncio.current_task()
        assert task is not None
        self.running[task] = job
        started = time.monotonic()
        if (changed := self.config_watch.check()) is not None:
            log.warning("%s", changed)
        if (gone := self.database_gone()) is not None:
            del self.running[task]
            self.stop_because(gone)
            return
        try:
            run = await work()
        except Unwritable as error:  # a full disk, a read-only database: one line, the next run tries again
            run = JobRun(job, "failed", error=error.args[0])
        except Exception as error:  # a job that raises is logged; the daemon goes on
            said = self.said
            raised = said.gettext("%(job)s raised:")
            log.error("%s\n%s", said(raised, job=self.job_words(job)), traceback.format_exc().rstrip())
            run = JobRun(job, "failed", error=f"{type(error).__name__}: {error}")
        finally:
            del self.running[task]
        run.seconds = time.monotonic() - started
        try:
            record_run(self.url, run)  # logs the run's line first
            self.save_schedule()
        except Unwritable:  # the state file is on the same full disk: the run's line above says so
            pass
        except FileNotFoundError:  # its folder was deleted with the database: the next job stops the daemon
            pass

    async def crawl(self, group: str, names: list[str]) -> JobRun:
        job = f"crawl:{group}"
        async with self.crawl_turn:
            if self.stopping:
                return JobRun(job, "skipped", error=telling.gettext("the daemon is stopping"))
            if not self.crawl_lock.try_acquire(f"rasd run ({job})"):
                holder = self.crawl_lock.holder() or {}
                held = telling.gettext("another crawl holds the lock (pid %(pid)s)", pid=holder.get("pid"))
                return JobRun(job, "skipped", error=held)
            try:
                await self.follow_verdicts()
                summary = await run_cycle(self.settings, self.store, self.workers, names)
            finally:
                self.crawl_lock.release()
        run = crawl_run(job, summary)
        if summary.pages_lost:
            self.workers_broken = True  # started again before the next crawl (`follow_verdicts`)
            said, language = self.said, self.said.language
            again = said.gettext("%(job)s: %(problem)s; the workers are started again")
            log.warning("%s", said(again, job=self.job_words(job), problem=summary.lost_lines(language)[0]))
        # a failed job's own line already says what most sources failed with (`network unreachable? …`)
        said, language = self.said, self.said.language
        if run.status == "failed":
            lines = summary.source_lines(language)
        else:
            lines = summary.failure_lines(with_lost=False, language=language)
        for line in lines:
            log.warning("%s", said(said.gettext("%(job)s source failed: %(line)s"), job=self.job_words(job), line=line))
        return run

    async def follow_verdicts(self) -> None:
        """Readers' verdicts given since the workers started (`rasd label`, `rasd browse`) become the
        classifier's references from this crawl on: the workers are started again with them. Only when a
        verdict came in (one query tells), so ordinary cycles keep their warm workers; a digest reads the
        verdicts itself each time, so a story marked not SSE is already out of the next digest. Also when a
        worker died in the last crawl: its pool is broken, and would lose every page of the next ones."""
        mark = await asyncio.to_thread(self.store.labels_mark)
        if mark == self.labels_seen and not self.workers_broken:
            return
        spec = await asyncio.to_thread(classifier_spec, self.settings, self.store)
        await asyncio.to_thread(stop_workers, self.workers, WORKER_EXIT_SECONDS)
        self.workers = start_workers(spec, self.settings.crawler.workers)
        if mark != self.labels_seen:
            said, count = self.said, len(spec.references)
            changed = said.ngettext(
                "readers' verdicts changed: the classifier now uses %(num)d labelled story",
                "readers' verdicts changed: the classifier now uses %(num)d labelled stories",
                count,
            )
            log.info("%s", said(changed, num=count))
        self.labels_seen, self.workers_broken = mark, False

    async def digest(self) -> JobRun:
        started = time.monotonic()
        report = await asyncio.to_thread(
            run_digests,
            self.store,
            self.settings,
            stop=self.stop_requested,
            references=lambda: store_references(self.store),
        )
        said = self.said
        for line in report.lines():
            log.info("%s", said(said.gettext("digest %(line)s"), line=said.told(line)))
        return digest_run(report, time.monotonic() - started)

    async def housekeeping(self) -> JobRun:
        async with self.crawl_turn:
            return await asyncio.to_thread(housekeep, self.store, self.settings)

    def schedule(self) -> None:
        plan = self.settings.schedule
        for group, names in source_groups(self.settings).items():
            minutes = plan.group_every_minutes.get(group, plan.crawl_every_minutes)
            self.scheduler.add_job(
                self._job,
                IntervalTrigger(seconds=minutes * 60),
                args=[f"crawl:{group}", lambda group=group, names=names: self.crawl(group, names)],
                id=f"crawl:{group}",
                name=f"crawl:{group}",
                next_run_time=datetime.now(),
                **JOB_DEFAULTS,
            )
        self.scheduler.add_job(
            self._job,
            IntervalTrigger(seconds=plan.digest_check_every_minutes * 60),
            args=["digest", self.digest],
            id="digest",
            name="digest",
            **JOB_DEFAULTS,
        )
        self.scheduler.add_job(
            self._job,
            CronTrigger(hour=plan.housekeeping_at.hour, minute=plan.housekeeping_at.minute),
            args=["housekeeping", self.housekeeping],
            id="housekeeping",
            name="housekeeping",
            **JOB_DEFAULTS,
        )

    def save_schedule(self) -> None:
        next_runs = {
            job.id: job.next_run_time.isoformat(timespec="seconds") if job.next_run_time else None
            for job in self.scheduler.get_jobs()
        }
        self.state.update(next_runs=next_runs)

    # ---- start and stop -------------------------------------------------------------------------

    def start(self) -> None:
        StopSignals(graceful=self.request_stop, abandon=self.abandon).install()
        self.schedule()
        self.scheduler.start()
        self.state.update(daemon={"pid": os.getpid(), "started_at": now_iso(), "stopped_at": None}, next_runs={})
        self.save_schedule()
        groups, said = source_groups(self.settings), self.said
        started = said.gettext(
            "rasd daemon started (pid %(pid)d): %(sources)d sources in %(groups)d group(s), crawl every %(crawl)s "
            "min, digest check every %(digest)s min"
        )
        plan = self.settings.schedule
        log.info(
            "%s",
            said(
                started,
                pid=os.getpid(),
                sources=len(self.settings.sources),
                groups=len(groups),
                crawl=self.figure(plan.crawl_every_minutes),
                digest=self.figure(plan.digest_check_every_minutes),
            ),
        )
        log.info("%s", zone_line(self.zone, said))  # every time of this log, said once (as `rasd status` does)
        for job in self.scheduler.get_jobs():  # when each job first runs; named in words in English too, so
            # that only a job's own line holds `crawl:GROUP` (what scripts wait for in the log)
            when = f"{job.next_run_time.astimezone(self.zone):%Y-%m-%d %H:%M:%S}" if job.next_run_time else "—"
            log.info("%s", said(said.gettext("next %(job)s at %(when)s"), job=job_name(job.id, said), when=when))
        self.channel_check = asyncio.ensure_future(self.check_channels())
        self.clock = (time.time(), time.monotonic())
        self.clock_check = asyncio.get_event_loop().call_later(CLOCK_CHECK_SECONDS, self.check_clock)
        language = terminal_language(self.settings)
        seeds = Path(self.settings.classifier.seeds_dir)
        for line in [*left_out_lines(self.settings, language), *seed_warnings(seeds, language)]:
            log.warning("%s", line)

    async def check_channels(self) -> None:
        """At start, each digest channel tried (connect, TLS, login; nothing sent), one log line each: a
        wrong password shows when the daemon starts, not when the first digest falls due."""
        for check in await asyncio.to_thread(check_channels, self.settings):
            line = self.said(self.said.gettext("digest channel %(line)s"), line=self.said.told(check.line()))
            if check.problem is None:
                log.info("%s", line)
            else:
                log.warning("%s", line)

    def check_clock(self) -> None:
        """Every job's next run moved back as far as the wall clock went back (NTP correcting a machine that
        booted a day ahead, an operator's `date -s`). APScheduler keeps its next runs in wall-clock time and
        sleeps on the monotonic clock: it woke, found its next crawl a day away, and slept again, so the
        daemon crawled and sent nothing until the clock caught up, without a word. A step forward needs
        nothing: the runs it skipped are due, and coalesce into one."""
        wall, steady = time.time(), time.monotonic()
        step = (wall - self.clock[0]) - (steady - self.clock[1])
        self.clock = (wall, steady)
        if self.stopping:
            return
        self.clock_check = asyncio.get_event_loop().call_later(CLOCK_CHECK_SECONDS, self.check_clock)
        if step > -CLOCK_STEP_SECONDS:
            return
        for job in self.scheduler.get_jobs():
            if job.next_run_time is not None:
                job.modify(next_run_time=job.next_run_time + timedelta(seconds=step))
        self.save_schedule()
        said = self.said
        back = said.gettext(
            "the clock went back %(hours)s h (now %(now)s): each job's next run moves back as much, none "
            "waits for the clock to catch up"
        )
        now = f"{datetime.fromtimestamp(wall, self.zone):%Y-%m-%d %H:%M}"
        log.warning("%s", said(back, hours=decimal(-step / 3600, said.language, places=1), now=now))

    def database_gone(self) -> str | None:
        """Why the jobs must not go on: the SQLite file was deleted or replaced since the daemon opened it.
        SQLite would go on writing into the deleted file (the daemon holds it open), every job saying ok,
        and all it stored from then on would vanish when the daemon stops."""
        if self.database is None:
            return None
        path, device, inode = self.database
        if _file_identity(self.url) == (path, device, inode):
            return None
        gone = self.said.gettext(
            "the database %(path)s was deleted or replaced while the daemon ran: what it stored from then on would "
            "be lost, so the daemon stops. Put the file back (or start the daemon again to begin a new, empty store)"
        )
        return self.said(gone, path=path)

    def stop_because(self, why: str) -> None:
        """Stop as on SIGTERM (the jobs in flight finish), but exit 1 with `why` as the last line."""
        if self.stopping:
            return
        log.error("%s", why)
        self.failure = why
        self.request_stop(signal.SIGTERM, signalled=False)

    def abandon(self, signum: int) -> None:
        again = self.said.gettext("%(signal)s again: abandoning the jobs in flight now")
        log.warning("%s", self.said(again, signal=signal.Signals(signum).name))
        if self.reactor.running:
            self.reactor.stop()

    def request_stop(self, signum: int, signalled: bool = True) -> None:
        """Stop as `signum` asks; `signalled` False: the daemon stops itself (`stop_because`), and its log
        said "SIGTERM: stopping" under the reason though no one had sent a signal (faults13 sweep)."""
        name = signal.Signals(signum).name
        self.stopping = True
        self.stop_requested.set()
        self.scheduler.pause()
        said = self.said
        running = said.gettext(", ").join(self.job_words(job) for job in sorted(self.running.values()))
        jobs = running or said.gettext("none")
        if signalled:
            log.info("%s", said(said.gettext("%(signal)s: stopping; jobs in flight: %(jobs)s"), signal=name, jobs=jobs))
        else:
            log.info("%s", said(said.gettext("stopping; jobs in flight: %(jobs)s"), jobs=jobs))
        self.stop_task = asyncio.ensure_future(self._stop(stop_crawls(signum)))

    async def _stop(self, crawls_stopping: asyncio.Future[Any]) -> None:
        pending = set(self.running)
        if pending:
            _, pending = await asyncio.wait(pending, timeout=self.settings.schedule.stop_timeout_seconds)
        for task in pending:
            job = self.running.get(task, "job")
            said = self.said
            abandoned = said.gettext(
                "%(job)s abandoned after %(seconds)s s (nothing half-written: articles are stored a batch to a "
                "transaction)"
            )
            seconds = self.figure(self.settings.schedule.stop_timeout_seconds)
            log.warning("%s", said(abandoned, job=self.job_words(job), seconds=seconds))
            self.state.record(JobRun(job, "abandoned", error=STOPPED))
        crawls_stopping.cancel()
        self.reactor.stop()

    def close(self) -> None:
        """After the reactor stopped: no more jobs, workers gone (bounded), database closed, state saved."""
        if self.clock_check is not None:
            self.clock_check.cancel()
        self.scheduler.shutdown(wait=False)
        stop_workers(self.workers, WORKER_EXIT_SECONDS)
        self.store.close()
        daemon = self.state.read().get("daemon", {})
        self.state.update(daemon={**daemon, "stopped_at": now_iso()}, next_runs={})


def run_daemon(settings: Settings, wait: float = 0.0, language: str = "en") -> None:
    """Hold the daemon lock (LockHeld when another daemon has it), then run until SIGTERM/SIGINT, its log
    lines in `language` (the plain log's; --log-json's stay English: `speak_logs`)."""
    from rasd.crawler import install_asyncio_reactor

    speak_logs(language)
    zone_logs(ZoneInfo(settings.timezone))  # the log's times are the reader's, as the digests' and status's
    with RunLock(settings.storage.url, "daemon") as lock:
        lock.acquire(wait, "rasd run")
        reactor = install_asyncio_reactor()
        daemon = Daemon(settings, reactor, language)
        try:
            reactor.callWhenRunning(daemon.start)
            reactor.run(installSignalHandlers=False)  # returns once _stop (or a second signal) stops it
        finally:
            daemon.close()
        log.info("%s", daemon.said(daemon.said.gettext("rasd daemon stopped")))
    if daemon.failure is not None:
        raise Refused(daemon.failure)


def _file_identity(url: str) -> tuple[Path, int, int] | None:
    """An SQLite store's file and its (device, inode); None for PostgreSQL, or when the file is gone."""
    if (path := sqlite_file(url)) is None:
        return None
    try:
        found = path.stat()
    except OSError:
        return None
    return path, found.st_dev, found.st_ino
