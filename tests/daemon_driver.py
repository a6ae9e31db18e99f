"""A real `rasd run` daemon whose crawl job a test drives, one command a line on stdin, so the test decides
what happens between two cycles (a reader's verdict, a new page) without racing the scheduler.

    python -m tests.daemon_driver CONFIG      then on stdin: "crawl" (every source group's crawl job once;
                                              prints each run's status as JSON, then "done"), "quit"

The daemon is built as `rasd run` builds it (`Daemon(settings, reactor)`, its worker pool and store) on
Scrapy's asyncio reactor; only the scheduler is left unstarted, the test taking its place: each crawl goes
through `Daemon._job` as the scheduler's would (what it checks before a job, the run recorded).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasd.monitor.daemon import Daemon
    from rasd.monitor.logs import JobRun


async def as_scheduled(daemon: Daemon, group: str, names: list[str]) -> JobRun:
    """The group's crawl job through `Daemon._job`, as the scheduler runs it; its run."""
    runs: list[JobRun] = []

    async def crawl() -> JobRun:
        runs.append(await daemon.crawl(group, names))
        return runs[-1]

    await daemon._job(f"crawl:{group}", crawl)
    return runs[0]


def main() -> None:
    from rasd.crawler import install_asyncio_reactor

    reactor = install_asyncio_reactor()
    from rasd.config import load_settings
    from rasd.monitor.daemon import Daemon, source_groups
    from rasd.monitor.work import WORKER_EXIT_SECONDS, stop_workers

    settings = load_settings(Path(sys.argv[1]))

    async def drive() -> None:
        daemon = Daemon(settings, reactor)
        try:
            while (await asyncio.to_thread(sys.stdin.readline)).strip() == "crawl":
                for group, names in source_groups(settings).items():
                    run = await as_scheduled(daemon, group, names)
                    print(json.dumps({"job": run.job, "status": run.status, "error": run.error}), flush=True)
                print("done", flush=True)
        finally:
            stop_workers(daemon.workers, WORKER_EXIT_SECONDS)
            daemon.store.close()
            reactor.stop()

    reactor.callWhenRunning(lambda: asyncio.ensure_future(drive()))
    reactor.run(installSignalHandlers=False)


if __name__ == "__main__":
    main()
