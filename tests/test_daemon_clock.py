"""The machine's clock set back while `rasd run` runs (NTP correcting a machine that booted a day ahead, an
operator's `date -s`). APScheduler keeps each job's next run in wall-clock time and sleeps on the monotonic
clock: after the clock went back a day it woke, found its next crawl a day away, and slept again — no crawl,
no digest, nothing said, until the clock caught up. The daemon compares the two clocks and moves every next
run back as far as the clock went.

The clock is set back for the daemon alone (the machine's is everyone's): a planted `time.time`, and the
`datetime.now` APScheduler's scheduler and executor read, add the seconds a file holds, which the test
writes once the first crawl has run; the monotonic clock the event loop sleeps on is the real one, as on a
machine whose clock is set."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import PLANTED_MAIN, write_config
from tests.sites import homepage, route, sources, stories
from tests.test_daemon import FAST, DaemonProcess

CLOCK_SET = (
    '''
import os
import time
from datetime import datetime
from pathlib import Path

import apscheduler.executors.base as running
import apscheduler.schedulers.base as scheduling

SET_BY = Path(os.environ["RASD_TEST_CLOCK"])
real_time = time.time


def wall() -> float:
    """The machine's clock as it was set: the real time plus the seconds the test's file holds."""
    return real_time() + float(SET_BY.read_text() or 0)


class SetClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(wall(), tz)


time.time = wall
scheduling.datetime = running.datetime = SetClock  # when a job is due; whether it ran too late
'''
    + PLANTED_MAIN
)


def _stored(db: Path) -> set[str]:
    with sqlite3.connect(db, timeout=30) as connection:
        return {url for (url,) in connection.execute("SELECT url FROM articles")}


def test_the_daemon_goes_on_crawling_and_checking_digests_when_the_clock_is_set_back_a_day(
    sites: list[str], tmp_path: Path
) -> None:
    base = sites[0]
    first = stories(base, "before", 2)
    route(f"{base}/", 200, homepage(None, first))
    config = write_config(tmp_path, sources(("Clock", base, "")), extra=FAST)
    clock = tmp_path / "clock-offset"
    clock.write_text("0")
    planted = tmp_path / "planted.py"
    planted.write_text(CLOCK_SET, encoding="utf-8")

    with DaemonProcess(config, tmp_path, planted=planted, env={"RASD_TEST_CLOCK": str(clock)}) as daemon:
        daemon.wait_for(lambda: bool(daemon.runs("crawl:")) and bool(daemon.runs("digest")), timeout=120)
        assert _stored(tmp_path / "rasd.db") == set(first)
        clock.write_text(str(-86_400))  # NTP: the machine had booted a day ahead
        crawls, digests = len(daemon.runs("crawl:")), len(daemon.runs("digest"))
        later = stories(base, "after", 2)
        route(f"{base}/", 200, homepage(None, first + later))

        # two more of each: at least one started after the clock went back (one may have been under way)
        daemon.wait_for(
            lambda: len(daemon.runs("crawl:")) >= crawls + 2 and len(daemon.runs("digest")) >= digests + 2, timeout=120
        )
        assert _stored(tmp_path / "rasd.db") == set(first + later)
        said = [str(line["message"]) for line in daemon.lines if "clock went back" in str(line.get("message"))]
        assert len(said) == 1 and said[0].startswith("the clock went back 24.0 h (now "), said
        daemon.terminate()
    assert daemon.process.returncode == 0, "".join(daemon.raw)
