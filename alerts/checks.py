"""Problems found before they matter: each delivery channel tried without sending anything.

`rasd digest --check` and the daemon at start run these, so that a wrong password or an unreachable relay
shows up when the setup is made, not the next morning when the daily digest falls due. SMTP: connect, TLS,
login, then QUIT (no message); the outbox and the feeds' folder: a file written and removed; a push URL:
Apprise's own check (its service known, its parts valid, its ${VAR}s set). `settings_problems` is the part
that needs no network (a user set without its password): `--dry-run` reports it too.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from rasd.alerts.channels import channel_named, push_check, resolve
from rasd.alerts.delivery import (
    DeliveryError,
    connect,
    credentials,
    login_problem,
    quietly_quit,
    secure_and_login,
    smtp_problem,
)
from rasd.config import folder_fault, telling

if TYPE_CHECKING:  # the settings' types: a command reads kept settings without their validation (config/kept.py)
    from rasd.config import Settings, SmtpSettings


@dataclass(frozen=True)
class Check:
    """One channel's result: where, and the problem (None when it works)."""

    channel: str
    problem: str | None

    def line(self) -> str:
        """`ok: CHANNEL` or `FAILED: CHANNEL: PROBLEM` (a `Told`: `rasd digest --check` says it in the reader's
        language)."""
        if self.problem is None:
            return telling.gettext("ok: %(channel)s", channel=self.channel)
        return telling.gettext("FAILED: %(channel)s: %(problem)s", channel=self.channel, problem=self.problem)


def _push_urls(settings: Settings) -> list[str]:
    return list(dict.fromkeys(url for subscription in settings.subscriptions for url in subscription.notify))


def settings_problems(settings: Settings) -> list[Check]:
    """Channel settings that cannot work, found without connecting anywhere: an SMTP user without its
    password, a push URL whose ${VAR} is not set."""
    problems = []
    if settings.smtp.host:
        try:
            credentials(settings.smtp)
        except DeliveryError as error:
            problems.append(Check(_smtp_name(settings.smtp), str(error)))
    for url in _push_urls(settings):
        try:
            resolve(url)
        except DeliveryError as error:
            problems.append(Check(channel_named("push", url), str(error)))
    return problems


def _smtp_name(smtp: SmtpSettings) -> str:
    return f"smtp://{smtp.host}:{smtp.port}"


def _sender_taken(client: smtplib.SMTP, smtp: SmtpSettings) -> None:
    """Whether the server takes a message from `[smtp] sender` at all: MAIL FROM, then RSET (nothing is sent).
    A relay that asks for a login (530) refuses here — where connecting alone said ok, and the digest then
    failed with the variables unset in cron's environment — and so does one that will not send as the
    shipped `rasd@localhost` (553, 550 5.7.1)."""
    code, reply = client.mail(parseaddr(smtp.sender)[1] or smtp.sender)
    if code >= 400:
        raise smtplib.SMTPSenderRefused(code, reply, smtp.sender)
    client.rset()


def _check_smtp(smtp: SmtpSettings) -> Check:
    where = _smtp_name(smtp)
    login: tuple[str, str] | None = None
    try:
        login = credentials(smtp)
        client = connect(smtp)
        try:
            secure_and_login(client, smtp, login)
            client.noop()
            client.ehlo_or_helo_if_needed()  # MAIL FROM needs the session's EHLO (a login made it already)
            _sender_taken(client, smtp)
        finally:
            quietly_quit(client)
    except DeliveryError as error:
        return Check(where, str(error))
    except (smtplib.SMTPException, OSError) as error:
        return Check(where, login_problem(error, smtp, login is not None) or smtp_problem(error))
    how: str = {"ssl": "TLS", "starttls": "STARTTLS"}.get(smtp.security) or telling.gettext("no TLS")
    if login:
        how = telling.gettext("%(security)s, logged in", security=how)
    return Check(telling.gettext("%(server)s (%(security)s)", server=where, security=how), None)


def _check_folder(kind: str, folder: Path) -> Check:
    """`kind`: "outbox" or "atom feeds", the folder's name in the line."""
    probe = folder / ".rasd-check"
    named = (
        telling.gettext("outbox %(folder)s", folder=str(folder))
        if kind == "outbox"
        else telling.gettext("atom feeds %(folder)s", folder=str(folder))
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return Check(named, folder_fault(error))
    return Check(telling.gettext("%(channel)s (writable)", channel=named), None)


def check_channels(settings: Settings) -> list[Check]:
    """Try every channel the digests use, sending nothing; one result each: the email (SMTP, or the
    outbox), the Atom feeds' folder when a subscription has a feed, each push URL (Apprise's own check).
    Each channel's name is a `Told`: `rasd digest --check` says "(no TLS)", "(writable)" in the reader's words."""
    results = [_check_smtp(settings.smtp) if settings.smtp.host else _check_folder("outbox", Path(settings.outbox))]
    if any(subscription.atom for subscription in settings.subscriptions):
        results.append(_check_folder("atom feeds", Path(settings.feeds)))
    results += [Check(channel_named("push", url), push_check(url)) for url in _push_urls(settings)]
    return results
