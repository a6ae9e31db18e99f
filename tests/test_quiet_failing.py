"""`rasd crawl --quiet` under cron: a site that stays down is said when it starts failing and then once a day,
not in every hourly mail (newcomer13's trial: a site down for a week made 168 cron mails of the same line).

A real crawl of two loopback sites — one answering, one where nothing listens — run as cron runs it; the
failed cycles in a row are the ones `rasd status` counts (`sources.failed_cycles`), moved forward in the
SQLite file to stand for a day of hourly crawls rather than waiting for it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_rasd, write_config
from tests.test_alerts import free_port


class Homepage(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = b"<html><body><h1>Accueil</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def config(tmp_path: Path) -> Iterator[Path]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Homepage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    up = f'[[sources]]\nname = "Up Site"\nurl = "http://127.0.0.1:{server.server_address[1]}/"\n\n'
    down = f'[[sources]]\nname = "Down Site"\nurl = "http://127.0.0.1:{free_port()}/"\n'
    yield write_config(tmp_path, up + down)
    server.shutdown()
    server.server_close()


def _failed_cycles(database: Path, name: str, value: int | None = None) -> int:
    with sqlite3.connect(database) as db:
        if value is not None:
            db.execute("UPDATE sources SET failed_cycles = ? WHERE name = ?", (value, name))
        return int(db.execute("SELECT failed_cycles FROM sources WHERE name = ?", (name,)).fetchone()[0])


def test_a_source_that_stays_down_is_said_at_its_first_failure_then_once_a_day(config: Path, tmp_path: Path) -> None:
    def cron(*env: tuple[str, str]) -> str:
        crawl = run_rasd("--config", str(config), "crawl", "--quiet", cwd=tmp_path, env=dict(env))
        assert crawl.returncode == 0 and crawl.stdout == "", (crawl.stdout, crawl.stderr)
        return crawl.stderr

    first = cron()
    assert "Down Site: 1 failed fetch: connection refused" in first and "Up Site" not in first, first
    assert cron() == ""  # the next hour: failing still, known already, no mail
    assert _failed_cycles(tmp_path / "rasd.db", "Down Site") == 2
    _failed_cycles(tmp_path / "rasd.db", "Down Site", 23)  # a day of hourly crawls later
    assert cron() == ""
    day = cron(("RASD_LANG", "fr"))  # the 25th: the day's reminder, with how long
    assert "Down Site : 1 récupération en échec" in day, day
    assert "Down Site : 25 collectes de suite en échec (dit une fois par jour tant qu’elle échoue" in day, day
    assert cron() == ""
    # without --quiet (a reader at the prompt) every failure is said, as before
    loud = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert "Down Site: 1 failed fetch: connection refused" in loud.stderr, loud.stderr


def test_the_machine_offline_is_said_once_not_every_hour_under_quiet() -> None:
    """Every source failing alike (the machine's network down): one line speaks for them all; under `rasd crawl
    --quiet` it was said every hour, each source's own line left unsaid as known — cron mailed it 24 times a day.
    Once all the sources it speaks for were said before, it is left unsaid too; a source failing anew says it."""
    from rasd.monitor.cycle import CycleSummary

    offline = CycleSummary(sources=4, causes={name: {"DNS lookup failed"} for name in "abcd"})
    (line,) = offline.failure_lines(language="fr")
    assert line.startswith("réseau injoignable ? 4 sources sur 4 en échec DNS"), line
    assert offline.failure_lines(language="fr", unsaid={"a", "b", "c", "d"}) == []
    assert offline.failure_lines(language="fr", unsaid={"a", "b", "c"}) == [line]
