"""A signal at any moment of `rasd crawl` ends it within a bound, with what arrived stored, the lock free,
the run recorded as stopped, and the next crawl storing the rest (issue 17).

Each moment is reached by evidence, not by time: the test holds the crawl lock, or the site holds its
answer to robots.txt, the feed or an article until the test has sent the signal and `rasd crawl` has
said it is stopping; the database is kept busy while a fetched article is on its way to it. The bound is
generous (BOUND seconds from the signal to the exit): it catches a hang, it does not measure speed.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasd.crawler import canonicalize_url
from rasd.monitor.lock import RunLock
from rasd.storage import Store
from tests.conftest import REPO, run_rasd, write_config
from tests.gatedweb import GatedSite, HeldAtRecipient, held_smtp
from tests.test_daemon import DaemonProcess

BOUND = 20.0  # seconds from the signal to the process's exit


class Crawl:
    """`rasd crawl` as a subprocess, its stderr read line by line as it comes."""

    def __init__(self, config: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl", *args],
            cwd=config.parent,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.err: list[str] = []
        self.out = ""
        self._stopping = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.err.append(line)
            if ": stopping; what has arrived is being stored" in line:
                self._stopping.set()

    def signal(self, number: int = signal.SIGTERM) -> float:
        """To the whole process group, as cron's `timeout` and systemd (KillMode=control-group) send it:
        the extraction workers get it too."""
        os.killpg(self.process.pid, number)
        return time.monotonic()

    def wait_stopping(self) -> None:
        """Until `rasd crawl` says it has taken the signal (nothing more is sent from then on)."""
        assert self._stopping.wait(BOUND), "no 'stopping' line:\n" + "".join(self.err)

    def finish(self, signalled_at: float) -> float:
        """Wait for the exit (within BOUND of the signal); returns the seconds it took."""
        assert self.process.stdout is not None
        try:
            self.out = self.process.stdout.read() if self.process.wait(timeout=BOUND) is not None else ""
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"still running {BOUND} s after the signal:\n" + "".join(self.err)) from None
        self._reader.join(timeout=5)
        return time.monotonic() - signalled_at

    def kill(self) -> None:
        """Whatever happened in the test, no `rasd crawl` or worker outlives it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def site() -> Iterator[GatedSite]:
    with GatedSite(host=61).serving() as site:
        yield site


@pytest.fixture
def held_server() -> Iterator[tuple[HeldAtRecipient, int]]:
    with held_smtp() as server:
        yield server


def _config(tmp_path: Path, site: GatedSite, delay: float = 0.0) -> Path:
    """One source, one request at a time to it; `delay`: the politeness delay between two requests."""
    config = write_config(tmp_path, site.sources_toml())
    text = config.read_text().replace("download_delay = 0.0", f"download_delay = {delay}")
    config.write_text(text.replace("[crawler]\n", "[crawler]\nconcurrent_requests_per_domain = 1\n"))
    return config


def _stored(db: Path) -> set[str]:
    try:
        with sqlite3.connect(db) as connection:
            return {url for (url,) in connection.execute("SELECT canonical_url FROM articles")}
    except sqlite3.OperationalError:  # no schema: nothing stored
        return set()


def _answered_articles(site: GatedSite) -> set[str]:
    return {canonicalize_url(site.article_url(path)) for path in site.answered if path in site.paths}


def _after_the_stop(
    config: Path, site: GatedSite, crawl: Crawl, seconds: float, number: signal.Signals = signal.SIGTERM
) -> None:
    """What every stop must leave: exit 143 (128 + the signal) within the bound, one line, what arrived
    stored, the run recorded as stopped, the lock free; and the next crawl stores the rest — nothing lost."""
    db = config.parent / "rasd.db"
    err = "".join(crawl.err)
    assert crawl.process.returncode == 128 + number, err
    assert seconds < BOUND
    assert "Traceback" not in err, err
    stored = _stored(db)
    assert stored == _answered_articles(site), "every article that arrived is stored, and only those"
    assert f": {len(stored)} new article" in crawl.out, crawl.out  # "1 new article", "5 new articles"
    # says it was stopped and how far it got, never "crawled 1 source" as if it had finished
    assert re.search(
        rf"^crawl stopped by {number.name} after [\d.]+s, before it finished: [01] of 1 source reached", crawl.out, re.M
    )
    assert "crawled" not in crawl.out, crawl.out
    with sqlite3.connect(db) as connection:
        query = "SELECT COUNT(*) FROM fetches WHERE kind = 'article' AND outcome = 'ok'"
        assert connection.execute(query).fetchone() == (len(stored),), "the fetch records of what it did are kept"
    assert RunLock(f"sqlite:///{db}", "crawl").holder() is None, "the crawl lock is free"
    assert f"rasd: stopped by {number.name}: what was fetched is stored; the next crawl fetches the rest" in err, err
    status = run_rasd("--config", str(config), "status", cwd=config.parent)
    assert "crawl: stopped · " in status.stdout, status.stdout
    assert f"stopped by {number.name} before it finished" in status.stdout, status.stdout
    # a French reader reads why in French, not the log's English line
    status = run_rasd("--config", str(config), "status", cwd=config.parent, env={"RASD_LANG": "fr"})
    assert "collecte : arrêté · " in status.stdout, status.stdout
    assert f"arrêté par {number.name} avant la fin" in status.stdout, status.stdout
    assert "before it finished" not in status.stdout, status.stdout
    site.release()
    rest = run_rasd("--config", str(config), "crawl", cwd=config.parent)
    assert rest.returncode == 0, rest.stderr
    assert _stored(db) == {canonicalize_url(site.article_url(path)) for path in site.paths}


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "rasd: stopped by SIGTERM before it finished\n"), ("fr", "rasd : arrêté par SIGTERM avant la fin\n")],
)
def test_sigterm_while_waiting_for_the_crawl_lock(
    site: GatedSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    """Before the reactor runs: `rasd crawl --wait` waiting for another crawl's lock; its one line in the
    reader's language."""
    monkeypatch.setenv("RASD_LANG", language)
    config = _config(tmp_path, site)
    lock = RunLock(f"sqlite:///{tmp_path / 'rasd.db'}", "crawl")
    lock.acquire(command="another crawl")
    crawl = Crawl(config, "--wait", "120")
    try:
        fds = Path(f"/proc/{crawl.process.pid}/fd")
        deadline = time.monotonic() + 60
        while os.path.realpath(lock.path) not in _links(fds):
            assert time.monotonic() < deadline and crawl.process.poll() is None, "".join(crawl.err)
            time.sleep(0.05)  # polling for evidence, not waiting for time to pass
        seconds = crawl.finish(crawl.signal())
    finally:
        crawl.kill()
        lock.release()
    assert crawl.process.returncode == 128 + signal.SIGTERM and seconds < BOUND
    assert "".join(crawl.err) == said
    assert site.requests == [] and _stored(tmp_path / "rasd.db") == set()


def _links(fds: Path) -> list[str]:
    """The files a process holds open (its /proc/PID/fd links' targets). A descriptor closed between the listing
    and the reading — the process is starting, its imports open and close files — is left out, not an error."""
    try:
        listed = list(fds.iterdir())
    except FileNotFoundError:
        return []
    targets = []
    for fd in listed:
        try:
            targets.append(os.readlink(fd))
        except FileNotFoundError:
            continue
    return targets


@pytest.mark.parametrize("moment", ["/robots.txt", "/feed/", "article"])
def test_sigterm_while_an_answer_is_on_its_way(site: GatedSite, tmp_path: Path, moment: str) -> None:
    """robots.txt, the feed, or the third article asked for and not answered yet when the signal comes;
    answered once `rasd crawl` has said it is stopping. A politeness delay keeps the other articles
    waiting in Scrapy's download queue: none of them may be sent after the stop."""
    config = _config(tmp_path, site, delay=1.0 if moment == "article" else 0.0)
    held = site.paths[2] if moment == "article" else moment
    site.hold(held)
    crawl = Crawl(config)
    try:
        site.wait_seen(held)
        signalled = crawl.signal()
        crawl.wait_stopping()
        asked = len(site.requests)
        site.release(held)
        seconds = crawl.finish(signalled)
    finally:
        crawl.kill()
    assert len(site.requests) == asked, f"sent after the stop: {site.requests[asked:]}"
    if moment == "article":
        assert canonicalize_url(site.article_url(held)) in _answered_articles(site)
        assert len(_answered_articles(site)) < len(site.paths), "the stop cut the crawl short"
    else:
        assert _answered_articles(site) == set()
    _after_the_stop(config, site, crawl, seconds)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_while_the_database_is_busy_storing(site: GatedSite, tmp_path: Path, number: signal.Signals) -> None:
    """The third article has arrived and the database is busy (another writer holds its lock): the signal
    comes while the article is on its way to storage; it is stored once the database is free. SIGHUP (the
    terminal closed) killed the crawl there in silence, the article with it; it stops as SIGTERM does."""
    config = _config(tmp_path, site)
    held = site.paths[2]
    site.hold(held)
    crawl = Crawl(config)
    try:
        site.wait_seen(held)
        writer = sqlite3.connect(tmp_path / "rasd.db", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # the crawl's next write waits for this one (busy_timeout)
        site.release(held)
        while held not in site.answered:
            assert crawl.process.poll() is None, "".join(crawl.err)
            time.sleep(0.02)  # polling for evidence: the article's answer is written
        signalled = crawl.signal(number)
        writer.execute("COMMIT")
        writer.close()
        seconds = crawl.finish(signalled)
    finally:
        crawl.kill()
    assert canonicalize_url(site.article_url(held)) in _stored(tmp_path / "rasd.db"), "".join(crawl.err)
    _after_the_stop(config, site, crawl, seconds, number)


def test_a_crawl_killed_before_its_batch_is_committed_leaves_it_to_the_next_crawl(
    site: GatedSite, tmp_path: Path
) -> None:
    """SIGKILL (the OOM killer, a power cut: no stop to carry out) while every article has arrived and none
    is committed — the database is busy, so the batch waits, in the crawl's hands or inside its transaction.
    Articles are stored a batch to a transaction (monitor.cycle.STORE_BATCH); what the kill took is not in
    the store, so the next crawl fetches every article again and stores each once."""
    config = _config(tmp_path, site)
    db = tmp_path / "rasd.db"
    first = site.paths[0]
    site.hold(first)
    crawl = Crawl(config)
    try:
        site.wait_seen(first)  # the store is open and the feed read: the crawl's next write is an article's
        writer = sqlite3.connect(db, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # the crawl's commits wait for this one (busy_timeout)
        site.release(first)
        while set(site.paths) - set(site.answered):
            assert crawl.process.poll() is None, "".join(crawl.err)
            time.sleep(0.02)  # polling for evidence: every article's answer is written
        crawl.signal(signal.SIGKILL)
        crawl.process.wait(timeout=BOUND)
        writer.execute("COMMIT")
        writer.close()
    finally:
        crawl.kill()
    assert _stored(db) == set(), "nothing of the killed crawl's articles was committed"
    site.requests.clear()
    rest = run_rasd("--config", str(config), "crawl", cwd=config.parent)
    assert rest.returncode == 0, rest.stderr
    every = {canonicalize_url(site.article_url(path)) for path in site.paths}
    assert _stored(db) == every
    assert sorted(path for path in site.requests if path in site.paths) == site.paths, "each fetched again, once"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM articles").fetchone() == (len(every),)


# The moment of issue 17's hang, which no outside evidence can reach: the crawl's engine is starting (its
# spider opened, the engine not running yet). A stop then used to leave the crawl idle for good.
DRIVER = """
import signal, sys
from scrapy import signals
import rasd.crawler.runner as runner
from rasd.config import CrawlerSettings
from rasd.crawler import SourcePlan, stop_crawls
from rasd.monitor.signals import run_on_reactor

def stop_now():
    stop_crawls(signal.SIGTERM)

made = runner.AsyncCrawlerRunner.create_crawler
def create_crawler(self, spidercls):
    crawler = made(self, spidercls)
    crawler.signals.connect(stop_now, signal=signals.engine_started)  # sent before the engine runs
    return crawler
runner.AsyncCrawlerRunner.create_crawler = create_crawler

class Sink:
    fetches = 0
    def page(self, page): raise AssertionError("no page after a stop")
    def fetch(self, record): Sink.fetches += 1
    def feed(self, state): pass
    def stored(self, urls): return set()

settings = CrawlerSettings(allow_private_networks=True, download_delay=0, autothrottle=False, download_timeout=5)
run_on_reactor(lambda: runner.crawl([SourcePlan("Souss Gate", sys.argv[1])], settings, {}, Sink()))
print("crawl returned; fetch records:", Sink.fetches)
"""


def test_a_stop_while_the_crawl_engine_is_starting_ends_the_crawl(site: GatedSite) -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, site.url],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=90,  # Python, Scrapy and the reactor start, then a crawl that sends nothing
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("the crawl never ended after a stop while its engine was starting") from None
    assert done.returncode == 0, done.stderr
    assert done.stdout == "crawl returned; fetch records: 0\n"
    assert site.requests == []


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_to_the_daemon_while_it_sends_a_digest_to_a_slow_server(
    site: GatedSite, held_server: tuple[HeldAtRecipient, int], tmp_path: Path, number: signal.Signals
) -> None:
    """`rasd run` asked to stop while an SMTP server holds its session (socket timeout 120 s): the session
    is cut, the daemon exits within the bound saying so last, the digest it was sending and the one it
    had not claimed are both pending, and the next `rasd digest` sends each once. SIGHUP (`kill -HUP`, the
    terminal it ran in closed) killed it there, silently, the digest left claimed; it stops as on SIGTERM."""
    handler, port = held_server
    subscribers = "".join(
        f'[[subscriptions]]\nname = "{name}"\nemail = "{name}@example.ma"\nfrequency = "immediate"\n'
        for name in ("first", "second")
    )
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\ntimeout = 120\n'
    schedule = "[schedule]\ncrawl_every_minutes = 60\ndigest_check_every_minutes = 0.02\nstop_timeout_seconds = 30\n"
    config = write_config(tmp_path, site.sources_toml(), smtp + schedule + subscribers)
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    with DaemonProcess(config, tmp_path) as daemon:
        assert handler.holding.wait(60), "".join(daemon.raw)
        seconds = daemon.terminate(number)
    assert daemon.process.returncode == 0, "".join(daemon.raw)
    assert seconds < BOUND, seconds
    assert daemon.lines[-1].get("message") == "rasd daemon stopped", daemon.raw
    assert daemon.runs("digest", "stopped"), daemon.raw
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        query = "SELECT subscription, status, attempts, last_error FROM digests ORDER BY id"
        first, second = connection.execute(query).fetchall()
    assert first[:3] == ("first", "pending", 1) and "stopped before the server accepted it" in first[3]
    assert second == ("second", "pending", 0, None), "not claimed, not tried"
    status = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert "digest: stopped · " in status.stdout, status.stdout

    handler.release.set()
    sent = run_rasd("--config", str(config), "digest", cwd=tmp_path)
    assert sent.returncode == 0, sent.stderr
    assert sorted(str(message["To"]) for message in handler.received) == ["first@example.ma", "second@example.ma"]


def _digest_to(port: int, tmp_path: Path, language: str = "") -> subprocess.Popen[str]:
    """`rasd digest` started with one digest due, to an SMTP server on 127.0.0.1:`port` (timeout 120 s), in
    `language` (RASD_LANG) when one is given."""
    from tests.test_alerts import EVERYTHING, SOURCES, fill

    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    store.close()
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\ntimeout = 120\n'
        f'[[subscriptions]]\nname = "{EVERYTHING["name"]}"\nemail = "{EVERYTHING["email"]}"\nfrequency = "immediate"\n',
        encoding="utf-8",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "rasd.monitor", "--config", str(config), "digest"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), **({"RASD_LANG": language} if language else {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigterm_to_rasd_digest_while_the_server_never_greets(tmp_path: Path) -> None:
    """A relay that accepts the connection and never says a word (a firewall's tarpit, a hung server):
    SMTP's timeout is 120 s, yet a SIGTERM ends `rasd digest` within the bound, the session cut after the
    stop grace (alerts.delivery.STOP_GRACE_SECONDS), the digest pending for the next run."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(60)
        digest = _digest_to(listener.getsockname()[1], tmp_path)
        try:
            connection, _ = listener.accept()  # `rasd digest` is connected and waits for the greeting
            with connection:
                signalled = time.monotonic()
                digest.send_signal(signal.SIGTERM)
                _out, err = digest.communicate(timeout=BOUND)
                seconds = time.monotonic() - signalled
        finally:
            if digest.poll() is None:
                digest.kill()
                digest.wait()
    assert digest.returncode == 128 + signal.SIGTERM and seconds < BOUND, err
    assert err.splitlines()[-1] == "rasd: stopped by SIGTERM: the digests not sent yet are kept for the next run", err
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        (row,) = db.execute("SELECT status, attempts, last_error FROM digests").fetchall()
    assert row[:2] == ("pending", 1) and "stopped before the server accepted it" in row[2], row


def _stopped_mid_send(held_server: tuple[HeldAtRecipient, int], tmp_path: Path, language: str = "") -> tuple[str, str]:
    """`rasd digest` sent SIGTERM while the server holds its message: its stdout and stderr, once it exited
    143 (the signal's) within the bound."""
    handler, port = held_server
    digest = _digest_to(port, tmp_path, language)
    try:
        assert handler.holding.wait(60), "the digest reached the server"
        digest.send_signal(signal.SIGTERM)
        out, err = digest.communicate(timeout=BOUND)
    finally:
        if digest.poll() is None:
            digest.kill()
            digest.wait()
    assert digest.returncode == 128 + signal.SIGTERM, err
    return out, err


def test_sigterm_to_rasd_digest_while_a_slow_server_holds_the_send(
    held_server: tuple[HeldAtRecipient, int], tmp_path: Path
) -> None:
    """Cron's `rasd digest` asked to stop mid-send: the session is cut, exit 143 within the bound with one
    line, and the digest is pending again for the next run (not left claimed for 15 minutes)."""
    out, err = _stopped_mid_send(held_server, tmp_path)
    assert err.splitlines()[-1] == "rasd: stopped by SIGTERM: the digests not sent yet are kept for the next run", err
    assert "Traceback" not in err
    assert "kept for the next run" not in out  # said once, on stderr
    with sqlite3.connect(tmp_path / "rasd.db") as connection:
        assert connection.execute("SELECT status, attempts FROM digests").fetchall() == [("pending", 1)]


def test_a_french_readers_digest_stopped_mid_send_says_so_in_french(
    held_server: tuple[HeldAtRecipient, int], tmp_path: Path
) -> None:
    """The stop's two lines were half English in French: "stopped by SIGTERM", "stopped before the server
    accepted it (sent at the next run)"."""
    out, err = _stopped_mid_send(held_server, tmp_path, "fr")
    kept = "rasd : arrêté par SIGTERM : les bulletins pas encore envoyés sont gardés pour la prochaine fois"
    assert err.splitlines()[-1] == kept, err
    port = held_server[1]
    assert f"smtp://127.0.0.1:{port} : arrêté avant que le serveur ne l’accepte (envoyé au prochain passage)" in out
    assert "stopped" not in out + err


# Blocks the import of one module until a signal comes: the file READY says the process got there.
HOLD_IMPORT = """
import importlib.abc, pathlib, signal, sys

held, ready = sys.argv[1:3]

class Hold(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == held:
            pathlib.Path(ready).touch()
            signal.pause()
        return None

sys.meta_path.insert(0, Hold())
sys.argv = ["rasd", *sys.argv[3:]]
from rasd.monitor.start import main
main()
"""


def _signalled_when_held(process: subprocess.Popen[str], ready: Path, signum: signal.Signals) -> tuple[str, str]:
    """Send `signum` once HOLD_IMPORT's process holds at its import (`ready` made); its stdout and stderr."""
    deadline = time.monotonic() + 120  # a hang, not a speed
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate(timeout=BOUND)
        time.sleep(0.05)
    process.send_signal(signum)
    try:
        return process.communicate(timeout=BOUND)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])  # SIGTERM: `timeout`, systemd
@pytest.mark.parametrize(
    "held",
    [
        "rasd.storage",  # while `rasd` itself is imported, before any handler or the command line exist
        "rasd.monitor.daemon",  # inside the command, before the daemon installs its handlers
    ],
)
def test_a_signal_while_rasd_starts_says_one_line(tmp_path: Path, held: str, signum: signal.Signals) -> None:
    """SIGTERM there used to end the process without a word (-15), where Ctrl-C said one line."""
    config = write_config(tmp_path, "")
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_IMPORT, held, str(ready), "--config", str(config), "run"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal (test_cli.py)
    )
    out, err = _signalled_when_held(process, ready, signum)
    assert process.returncode == 128 + signum, err
    assert err.strip() == f"rasd: stopped by {signum.name} before it finished" and not out


@pytest.mark.parametrize(
    ("language_line", "env", "said"),
    [
        ('language = "fr"\n', {}, "rasd : arrêté par SIGTERM avant la fin"),  # the config's, as the command's
        ('language = "fr"\n', {"RASD_LANG": "ar"}, "\u200frasd: أُوقف بإشارة SIGTERM قبل أن ينتهي"),
        ("", {"LANG": "fr_FR.UTF-8"}, "rasd : arrêté par SIGTERM avant la fin"),  # the system's
        ("", {"LANG": "C"}, "rasd: stopped by SIGTERM before it finished"),
    ],
)
def test_a_signal_while_rasd_is_imported_is_said_in_the_readers_language(
    tmp_path: Path, language_line: str, env: dict[str, str], said: str
) -> None:
    """The stop line said before Rasd is imported was English whatever the reader chose: a French reader's
    `timeout 1 rasd crawl`, or `systemctl stop` just after a start, got "rasd: stopped by SIGTERM before it
    finished" where a second later the command said "arrêté par SIGTERM" (faults13 sweep)."""
    config = write_config(tmp_path, "")
    config.write_text(language_line + config.read_text(encoding="utf-8"), encoding="utf-8")
    quiet = {name: "" for name in ("RASD_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    process, out, err = _status_stopped_at_import(config, HOLD_IMPORT, "rasd.storage", {**quiet, **env})
    assert process.returncode == 143 and err == said + "\n" and not out, err


@pytest.mark.parametrize("moment", ["opening the store", "starting the workers"])
def test_a_crawl_stopped_while_it_starts_is_recorded(
    site: GatedSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """Opening a new store (its migrations) and starting the workers take seconds on a loaded machine: cron's
    `timeout` stopping the crawl then left no trace in `rasd status` (its last runs showed an earlier crawl
    as if it were the last). The signal is delivered there as the handler delivers it, by Interrupted."""
    from rasd.config import load_settings
    from rasd.monitor import session, work
    from rasd.monitor.signals import Interrupted

    config = _config(tmp_path, site)
    Store(f"sqlite:///{config.parent / 'rasd.db'}").close()  # a store `rasd status` can read

    def interrupted(*args: object, **kwargs: object) -> None:
        raise Interrupted(signal.SIGTERM)

    if moment == "opening the store":
        monkeypatch.setattr(session, "Store", interrupted)
    else:
        monkeypatch.setattr(work, "start_workers", interrupted)
    with pytest.raises(Interrupted):
        session.one_cycle(load_settings(config))
    assert RunLock(f"sqlite:///{config.parent / 'rasd.db'}", "crawl").holder() is None, "the crawl lock is free"
    status = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert "الجمع: تُرك" in status.stdout, status.stdout
    assert "SIGTERM" in status.stdout and "while it was starting" not in status.stdout, status.stdout


HOLD_FIRST_IMPORT = """
import os, signal, sys

held, ready = sys.argv[1:3]

class Hold:  # no importlib.abc: it imports `typing`, the module held here
    def find_spec(self, name, path=None, target=None):
        if name == held:
            os.close(os.open(ready, os.O_CREAT | os.O_WRONLY))
            signal.pause()
        return None

sys.meta_path.insert(0, Hold())
sys.argv = ["rasd", *sys.argv[3:]]
from rasd.monitor.start import main
main()
"""


def test_a_signal_while_the_first_module_of_rasd_loads_says_one_line(tmp_path: Path) -> None:
    """`rasd.monitor.start` imported `typing`, `re` and `io` before it guarded against SIGTERM: a third of the
    command's first ~0.1 s, in which `timeout 0.05 rasd …` or a `systemctl stop` ended it with 143 and no word
    (faults14 sweep). Held at `typing`'s import, the first thing it imports after the guard now."""
    config = write_config(tmp_path, "")
    process, out, err = _status_stopped_at_import(config, HOLD_FIRST_IMPORT, "typing", {"RASD_LANG": "fr"})
    assert process.returncode == 143 and err == "rasd : arrêté par SIGTERM avant la fin\n" and not out, err


def _status_stopped_at_import(
    config: Path, script: str, held: str, env: dict[str, str]
) -> tuple[subprocess.Popen[str], str, str]:
    """`rasd status` started by `script` (HOLD_IMPORT, HOLD_FIRST_IMPORT), sent SIGTERM while it holds `held`'s
    import; the process, its stdout and stderr."""
    ready = config.parent / "ready"
    process = subprocess.Popen(
        [sys.executable, "-c", script, held, str(ready), "--config", str(config), "status"],
        cwd=config.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )
    return process, *_signalled_when_held(process, ready, signal.SIGTERM)
