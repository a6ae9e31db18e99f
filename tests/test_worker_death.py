"""A worker of the extraction pool killed mid-crawl (the kernel's out-of-memory killer, a `kill -9`): the
crawl says so in one line, and the next crawl fetches and stores every page the dead worker never
extracted — although the site's feed, asked with its validators, would answer 304 Not Modified."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import REPO, write_config
from tests.sites import article, rss

ARTICLES = [f"/2026/12/coop-{n}.html" for n in range(1, 7)]
ETAG = '"feed-v1"'


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):  # a thread that ended after the listing
            continue
    return found


def _extraction_worker(pid: int) -> int | None:
    """The pool's worker among `pid`'s children (spawned: `multiprocessing.spawn` on its command line)."""
    for child in _children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except (FileNotFoundError, ProcessLookupError):  # gone between the listing and the read
            continue
    return None


def _gone(pid: int) -> bool:
    """Dead (a zombie) or reaped. Reaped between opening /proc/PID/stat and reading it, the read fails with
    ESRCH (ProcessLookupError), not ENOENT: the final CI saw that once, and the test's server thread died."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith(("Z", "X"))
    except (FileNotFoundError, ProcessLookupError):
        return True


class NewsSite(BaseHTTPRequestHandler):
    """A feed with an ETag (304 to a request that sends it back) and six article pages. While `kill_in` is
    set, the first article request kills the crawling rasd's extraction worker before it is answered."""

    crawler: ClassVar[int | None] = None
    killed: ClassVar[list[int]] = []
    feed_answers: ClassVar[list[int]] = []
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == ETAG:
                self.feed_answers.append(304)
                self._answer(304, b"", "application/rss+xml")
                return
            self.feed_answers.append(200)
            self._answer(200, rss([base + path for path in ARTICLES]), "application/rss+xml", {"ETag": ETAG})
        elif self.path in ARTICLES:
            with self.lock:
                if self.crawler is not None and not self.killed:
                    self._kill_worker(self.crawler)
            self._answer(200, article(f"تعاونية نسائية {self.path}"), "text/html; charset=utf-8")
        else:
            self._answer(404, b"", "text/plain")

    def _kill_worker(self, crawler: int) -> None:
        worker = None
        while worker is None:  # started with the crawl: it exists by the time an article is asked for
            worker = _extraction_worker(crawler)
            time.sleep(0.01)
        os.kill(worker, signal.SIGKILL)
        while not _gone(worker):
            time.sleep(0.01)
        self.killed.append(worker)

    def _answer(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), NewsSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    NewsSite.crawler, NewsSite.killed, NewsSite.feed_answers = None, [], []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _crawl(config: Path, tmp_path: Path, kill: bool) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    NewsSite.crawler = process.pid if kill else None
    out, err = process.communicate(timeout=180)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_a_killed_extraction_worker_is_one_line_and_the_next_crawl_stores_every_page(site: str, tmp_path: Path) -> None:
    source = f'[[sources]]\nname = "Tiznit Info"\nurl = "{site}/"\nfeeds = ["{site}/feed.xml"]\nregion = "MA-09"\n'
    config = write_config(tmp_path, source)

    first = _crawl(config, tmp_path, kill=True)
    assert NewsSite.killed, "the worker was killed while the crawl fetched its first article"
    assert first.returncode == 0, first.stderr
    warning = (
        "warning: the extraction worker stopped unexpectedly (killed, or out of memory?): 6 article pages were "
        "not stored; the next run fetches them again"
    )
    assert [line for line in first.stderr.splitlines() if "extraction worker" in line] == [warning], first.stderr
    assert "Traceback" not in first.stderr, first.stderr
    assert ": 0 new articles" in first.stdout, first.stdout

    second = _crawl(config, tmp_path, kill=False)
    assert second.returncode == 0 and "extraction worker" not in second.stderr, second.stderr
    assert ": 6 new articles" in second.stdout, second.stdout
    assert NewsSite.feed_answers == [200, 200], "the feed was read whole again, not answered 304"
    third = _crawl(config, tmp_path, kill=False)
    assert ": 0 new articles" in third.stdout and NewsSite.feed_answers[-1] == 304, third.stdout


def test_the_daemon_starts_its_workers_again_after_one_was_killed(site: str, tmp_path: Path) -> None:
    """The daemon keeps one pool for its life: a dead worker must not cost every later crawl its pages."""
    source = f'[[sources]]\nname = "Tiznit Info"\nurl = "{site}/"\nfeeds = ["{site}/feed.xml"]\nregion = "MA-09"\n'
    config = write_config(tmp_path, source)
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.daemon_driver", str(config)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert driver.stdin is not None and driver.stdout is not None

    def crawl() -> list[str]:
        assert driver.stdin is not None and driver.stdout is not None
        driver.stdin.write("crawl\n")
        driver.stdin.flush()
        return list(iter(driver.stdout.readline, "done\n"))

    NewsSite.crawler = driver.pid
    first = crawl()
    NewsSite.crawler = None
    second = crawl()
    _, err = driver.communicate("quit\n", timeout=120)
    assert NewsSite.killed and len(first) == 1 and len(second) == 1, (first, second, err)
    assert '"status": "ok"' in second[0], second
    lost = [line for line in err.splitlines() if "extraction worker stopped unexpectedly" in line]
    assert len(lost) == 1 and lost[0].endswith("; the workers are started again"), err
    assert "source failed: the extraction worker" not in err and "Traceback" not in err, err
    database = tmp_path / "rasd.db"
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone() == (6,)
