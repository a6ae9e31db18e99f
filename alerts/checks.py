"""Problems found before they matter: each delivery channel tried without sending anything.

`rasd digest --check` and the daemon at start run these, so that a wrong password or an unreachable relay
shows up when the setup is made, not the next morning when the daily digest falls due. SMTP: connect, TLS,
login, then QUIT (no message); the outbox: a file written and removed. `settings_problems` is the part
that needs no network (a user set without its password): `--dry-run` reports it too.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from pathlib import Path

from rasd.alerts.delivery import DeliveryError, connect, credentials, delivery_error, quietly_quit, secure_and_login
from rasd.config import Settings, SmtpSettings


@dataclass(frozen=True)
class Check:
    """One channel's result: where, and the problem (None when it works)."""

    channel: str
    problem: str | None

    def line(self) -> str:
        return f"ok: {self.channel}" if self.problem is None else f"FAILED: {self.channel}: {self.problem}"


def settings_problems(settings: Settings) -> list[Check]:
    """Channel settings that cannot work, found without connecting anywhere."""
    if not settings.smtp.host:
        return []
    try:
        credentials(settings.smtp)
    except DeliveryError as error:
        return [Check(_smtp_name(settings.smtp), str(error))]
    return []


def _smtp_name(smtp: SmtpSettings) -> str:
    return f"smtp://{smtp.host}:{smtp.port}"


def _check_smtp(smtp: SmtpSettings) -> Check:
    where = _smtp_name(smtp)
    try:
        login = credentials(smtp)
        client = connect(smtp)
        try:
            secure_and_login(client, smtp, login)
            client.noop()
        finally:
            quietly_quit(client)
    except DeliveryError as error:
        return Check(where, str(error))
    except (smtplib.SMTPException, OSError) as error:
        return Check(where, str(delivery_error(where, error)).removeprefix(f"{where}: ").removeprefix(f"{where} "))
    how = {"ssl": "TLS", "starttls": "STARTTLS", "plain": "no TLS"}[smtp.security]
    return Check(f"{where} ({how}{', logged in' if login else ''})", None)


def _check_outbox(outbox: Path) -> Check:
    probe = outbox / ".rasd-check"
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return Check(f"outbox {outbox}", f"{type(error).__name__}: {error.strerror or error}")
    return Check(f"outbox {outbox} (writable)", None)


def check_channels(settings: Settings) -> list[Check]:
    """Try every channel the digests use, sending nothing; one result each."""
    if settings.smtp.host:
        return [_check_smtp(settings.smtp)]
    return [_check_outbox(Path(settings.outbox))]
