"""`rasd status` never says a crawl (or the daemon) runs in a process that is gone or dying. After `kill -9`
of a crawl, `rasd status` at once said "crawling now: pid N" of the killed crawl (review12): the kernel frees a
killed process's memory before its files, and its lock stays held meanwhile; a lock's file may also outlive
the process it names in a child that inherited it. Status now asks the process itself (monitor/lock.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rasd.monitor.lock import RunLock, running
from rasd.monitor.logs import status_lines
from tests.conftest import REPO

# Takes the lock, writing its own pid in it, then forks a child that keeps the lock's file open (inherited)
# until its stdin closes, and ends: the lock names a process that is gone, and is still held.
HOLD = """
import os, sys
from rasd.monitor.lock import RunLock
RunLock(sys.argv[1], sys.argv[2]).acquire(0.0, "rasd crawl")
if os.fork() == 0:
    sys.stdin.read()
    os._exit(0)
os._exit(0)
"""


def _held_by_the_gone(url: str, name: str) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, url, name],
        stdin=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert holder.wait(timeout=120) == 0  # the process the lock names has ended (and is reaped)
    return holder


def test_status_says_no_crawl_runs_in_a_process_that_is_gone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    crawl = _held_by_the_gone(url, "crawl")
    daemon = _held_by_the_gone(url, "daemon")
    try:
        for name, gone in (("crawl", crawl), ("daemon", daemon)):
            held = RunLock(url, name).holder()
            assert held is not None and held["pid"] == gone.pid, held  # the lock is held, naming the gone process
            assert not running(gone.pid)
        lines = status_lines(url)
        assert not any("crawling now" in line or "daemon: running" in line for line in lines), lines
        assert lines[0] == "daemon: never started on this database", lines
    finally:
        for holder in (crawl, daemon):
            assert holder.stdin is not None
            holder.stdin.close()  # the children end; the locks are free again
    for name in ("crawl", "daemon"):
        lock = RunLock(url, name)
        lock.acquire(120.0, "test")  # waits for the child to end
        lock.release()


def test_a_zombie_and_a_reaped_process_are_not_running() -> None:
    """A process that has ended but is not reaped yet (a zombie) holds nothing and runs nothing."""
    assert running(os.getpid())
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    os.waitid(os.P_PID, ended.pid, os.WEXITED | os.WNOWAIT)  # ended, left unreaped: a zombie
    assert not running(ended.pid)
    ended.wait()
    assert not running(ended.pid)


def test_status_still_names_a_crawl_that_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    lock = RunLock(url, "crawl")
    lock.acquire(0.0, "rasd crawl")
    try:
        (line,) = [line for line in status_lines(url) if "crawling now" in line]
        assert line.startswith(f"crawling now: pid {os.getpid()} (rasd crawl), since "), line
    finally:
        lock.release()
