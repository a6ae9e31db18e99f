"""A digest run asked to stop (SIGTERM to the daemon, or to `rasd digest`): it claims no further digest,
an SMTP session held up by a slow server is cut within a bound, and nothing is left claimed and untried —
the next run sends every digest once. A real aiosmtpd server on 127.0.0.1 that holds the session at
RCPT TO until the test lets it go; the test waits for the server to be holding it before asking the stop."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasd.alerts import run_digests
from rasd.storage import Store
from tests.gatedweb import HeldAtRecipient, held_smtp
from tests.test_alerts import EVERYTHING, SOURCES, fill, plain_smtp, settings_for

BOUND = 20.0  # seconds from the stop request to the run's end: generous, not a speed measurement


@pytest.fixture
def held_server() -> Iterator[tuple[HeldAtRecipient, int]]:
    with held_smtp() as server:
        yield server


def _rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        query = "SELECT subscription, status, attempts, last_error FROM digests ORDER BY id"
        return connection.execute(query).fetchall()


def test_a_stop_during_a_slow_smtp_send_cuts_it_and_leaves_the_rest_unclaimed(
    held_server: tuple[HeldAtRecipient, int], tmp_path: Path
) -> None:
    handler, port = held_server
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    three = [{**EVERYTHING, "name": name, "email": f"{name}@example.ma"} for name in ("a", "b", "c")]
    # a socket timeout far beyond the bound: what ends the held session must be the stop
    settings = settings_for(tmp_path, three, plain_smtp(port, timeout=120.0))
    stop = threading.Event()
    reports: list[Any] = []
    run = threading.Thread(target=lambda: reports.append(run_digests(store, settings, stop=stop)))
    run.start()
    assert handler.holding.wait(60), "the first digest reached the server"
    stop.set()
    run.join(BOUND)
    assert not run.is_alive(), f"the digest run did not end within {BOUND} s of the stop request"
    (report,) = reports
    assert report.stopped and report.sent == []
    assert "stopped: the digests not sent yet are kept for the next run" in report.lines()
    first, *rest = _rows(tmp_path / "rasd.db")
    assert first[:3] == ("a", "pending", 1) and "stopped before the server accepted it" in first[3]
    assert rest == [("b", "pending", 0, None), ("c", "pending", 0, None)], "never claimed, never tried"
    # a dry run says why each is pending: the error of the one tried, none recorded for the others
    planned = [line for line in run_digests(store, settings, dry_run=True).planned if "retry of" in line]
    assert len(planned) == 3 and "stopped before the server accepted it" in planned[0]
    assert all(
        "stories, not tried yet: no error recorded, the run that built it stopped before sending it): " in line
        for line in planned[1:]
    ), planned

    handler.release.set()
    again = run_digests(store, settings)
    assert len(again.sent) == 3 and not again.stopped
    received = sorted(str(message["To"]) for message in handler.received)
    assert received == ["a@example.ma", "b@example.ma", "c@example.ma"]
    assert [row[1] for row in _rows(tmp_path / "rasd.db")] == ["sent", "sent", "sent"]
    store.close()
