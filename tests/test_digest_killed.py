"""A digest the relay has accepted is recorded as sent at that moment, before the session's QUIT: a
`rasd digest` killed (SIGKILL, the machine going down, `timeout -s KILL` from cron) while a relay takes
its time over QUIT left the digest claimed, and the run after STALE_CLAIM (15 minutes) sent it again, the
same message twice in the subscriber's inbox. The moment is reached by evidence: the server holds its
answer to QUIT until the test has killed the process."""

from __future__ import annotations

import asyncio
import email
import signal
import sqlite3
import threading
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.conftest import run_rasd
from tests.gatedweb import HOLD_LIMIT, held_smtp
from tests.test_stops import BOUND, _digest_to


class HeldAtQuit:
    """aiosmtpd handler: accepts every message, then holds its answer to QUIT until `release` is set."""

    def __init__(self) -> None:
        self.quitting = threading.Event()
        self.release = threading.Event()
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 2.0.0 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quitting.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, HOLD_LIMIT)
        return "221 Bye"


def test_a_digest_killed_after_the_server_accepted_it_is_not_sent_again(tmp_path: Path) -> None:
    with held_smtp(HeldAtQuit()) as (handler, port):
        digest = _digest_to(port, tmp_path)
        try:
            assert handler.quitting.wait(60), "the digest reached the server"
            digest.send_signal(signal.SIGKILL)  # the server has the message; its QUIT not answered yet
            digest.wait(BOUND)
        finally:
            if digest.poll() is None:
                digest.kill()
                digest.wait()
        handler.release.set()
        with sqlite3.connect(tmp_path / "rasd.db") as db:
            assert db.execute("SELECT status, delivered_to FROM digests").fetchall() == [
                ("sent", f"smtp://127.0.0.1:{port}")
            ]
            # STALE_CLAIM later, as the next cron run sees it
            db.execute("UPDATE digests SET claimed_at = datetime(claimed_at, '-1 hour')")

        again = run_rasd("--config", str(tmp_path / "rasd.toml"), "digest", cwd=tmp_path)

        assert again.returncode == 0, again.stderr
        assert len(handler.received) == 1, [message["Message-ID"] for message in handler.received]
