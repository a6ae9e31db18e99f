"""Delivery: SMTP (plain, STARTTLS or SSL) when a host is configured, else an outbox of .eml files.

Credentials come from the environment variables the config names, never from a file; errors are
reported without them.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from rasd.alerts.render import one_line
from rasd.config import folder_fault, telling

if TYPE_CHECKING:  # the settings' types: a command reads kept settings without their validation (config/kept.py)
    from rasd.config import SmtpSettings

# How long an SMTP session in progress may go on once the process is asked to stop: a healthy relay takes
# well under a second to accept a message; one answering each command slowly is cut, so that a stopping
# daemon exits in seconds, inside systemd's TimeoutStopSec (deploy/rasd.service), not after the send.
STOP_GRACE_SECONDS = 5.0
CONNECT_SECONDS = STOP_GRACE_SECONDS  # the TCP (and TLS) handshake with the relay, before a stop can cut it
_WATCH_SECONDS = 0.2  # how often a session in progress looks at the stop request


class DeliveryError(Exception):
    """A digest could not be delivered this time; it stays pending and is retried. `unanswered`: the mail
    server accepted the connection and never greeted within [smtp] timeout — whatever the message, the
    next digest of the run would wait as long for nothing."""

    unanswered: bool = False
    not_before: datetime | None = None  # aware UTC: the service asked not to be tried again before (Retry-After)


@contextmanager
def _cut_when_stopped(client: smtplib.SMTP, stop: threading.Event | None, grace: float) -> Iterator[list[bool]]:
    """While the block runs, a watcher thread shuts the session's socket down once `stop` has been set
    for `grace` seconds: the read or write the session is blocked in then fails at once, which the
    per-operation socket timeout alone would not do for a server that answers every command just in
    time, or that accepts the connection and never greets. A socket still being opened (the TCP and TLS
    handshakes, bounded by CONNECT_SECONDS) is shut down as soon as it exists. Yields a one-item list,
    True once the session was cut."""
    cut = [False]
    if stop is None:
        yield cut
        return
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if stop.wait(_WATCH_SECONDS):
                break
        if done.wait(grace):
            return
        while not done.is_set():
            if (sock := client.sock) is not None:
                cut[0] = True
                with suppress(OSError):  # closed meanwhile
                    sock.shutdown(socket.SHUT_RDWR)
                return
            done.wait(_WATCH_SECONDS)

    watcher = threading.Thread(target=watch, name="smtp-stop-watch", daemon=True)
    watcher.start()
    try:
        yield cut
    finally:
        done.set()
        watcher.join()


class _BoundedConnect(smtplib.SMTP):
    """Opening the socket (TCP handshake, and TLS for `ssl`) takes at most CONNECT_SECONDS: it cannot be
    cut from another thread before the socket exists, and a relay on a working network answers a
    handshake in milliseconds. Every later read and write has the configured timeout."""

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        # the name TLS checks the certificate against (SMTP_SSL here, STARTTLS later); smtplib sets it only
        # when the constructor connects, and the client is made unconnected (client_for)
        self._host = host
        sock: socket.socket = super()._get_socket(host, port, min(timeout, CONNECT_SECONDS))  # type: ignore[misc]
        sock.settimeout(timeout)
        return sock


class _SMTP(_BoundedConnect, smtplib.SMTP):
    pass


class _SMTPSSL(_BoundedConnect, smtplib.SMTP_SSL):
    pass


def credentials(smtp: SmtpSettings) -> tuple[str, str] | None:
    """The login from the environment; None without one; DeliveryError when only half of it is set."""
    user = os.environ.get(smtp.username_env)
    password = os.environ.get(smtp.password_env)
    if bool(user) != bool(password):
        missing = smtp.password_env if user else smtp.username_env
        raise DeliveryError(f"SMTP login needs both ${smtp.username_env} and ${smtp.password_env}; ${missing} is empty")
    return (user, password) if user and password else None


def tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if smtp.ca_file:
        context.load_verify_locations(smtp.ca_file)
    return context


def client_for(smtp: SmtpSettings) -> smtplib.SMTP:
    """A client for the relay, not connected yet (`client.connect(host, port)` greets it): so that a stop
    watcher can be set on it first."""
    if smtp.security == "ssl":
        return _SMTPSSL(timeout=smtp.timeout, context=tls_context(smtp))
    return _SMTP(timeout=smtp.timeout)


def connect(smtp: SmtpSettings) -> smtplib.SMTP:
    """A connection to the relay, greeted (in TLS from the start for `security = "ssl"`)."""
    client = client_for(smtp)
    try:
        client.connect(smtp.host, smtp.port)
    except BaseException:
        client.close()
        raise
    return client


def secure_and_login(client: smtplib.SMTP, smtp: SmtpSettings, login: tuple[str, str] | None) -> None:
    """STARTTLS when configured, then the login when there is one: the session is ready for a message."""
    if smtp.security == "starttls":
        client.starttls(context=tls_context(smtp))
    if login:
        client.login(*login)


def _smtp_send(
    message: EmailMessage,
    smtp: SmtpSettings,
    stop: threading.Event | None = None,
    grace: float = STOP_GRACE_SECONDS,
    accepted: Callable[[str], None] | None = None,
) -> str:
    """One SMTP session. The digest counts as delivered once the server has accepted the DATA: a failure
    after that (QUIT timing out, the connection dropping) must not make the next run send it again.
    `accepted` is told so at that moment, before QUIT: a process killed (SIGKILL, the machine going down)
    while a relay takes its time over QUIT has recorded the digest as sent, where it was recorded after the
    session and sent again 15 minutes later (STALE_CLAIM) with the same Message-ID.
    `stop` set: the session is cut `grace` seconds later unless it has ended (DeliveryError: not sent)."""
    where = f"smtp://{smtp.host}:{smtp.port}"
    cut = [False]
    sent = greeted = False
    login: tuple[str, str] | None = None
    try:
        login = credentials(smtp)
        client = client_for(smtp)
        with _cut_when_stopped(client, stop, grace) as cut:  # from the greeting on: a relay that never greets
            try:
                client.connect(smtp.host, smtp.port)
                greeted = True
                secure_and_login(client, smtp, login)
                client.send_message(message)  # one recipient: refused means SMTPRecipientsRefused
                sent = True
                if accepted is not None:
                    accepted(where)
            finally:
                quietly_quit(client)
    except (smtplib.SMTPException, OSError) as error:
        if sent:  # raised by `accepted`: the store's own failure, the message is the server's
            raise
        if cut[0]:
            stopped = telling.gettext(
                "%(server)s: stopped before the server accepted it (sent at the next run)", server=where
            )
            raise DeliveryError(stopped) from None
        failed = delivery_error(where, error, smtp, login is not None)
        failed.unanswered = not greeted and (isinstance(error, TimeoutError) or "timed out" in str(error))
        raise failed from None
    return where


def delivery_error(
    where: str, error: smtplib.SMTPException | OSError, smtp: SmtpSettings, logged_in: bool
) -> DeliveryError:
    """One line naming the server and what went wrong (refused, timed out, TLS, dropped), no credentials: a
    `Told` (the reader's language where the command says it; English in the database and the log). A refusal
    of the login (or of a session without one) names the variables that hold it (`login_problem`)."""
    problem = login_problem(error, smtp, logged_in) or smtp_problem(error)
    return DeliveryError(telling.gettext("%(server)s: %(problem)s", server=where, problem=problem))


def login_problem(error: smtplib.SMTPException | OSError, smtp: SmtpSettings, logged_in: bool) -> str | None:
    """A server's refusal that is about the login, said with the environment variables that hold it; None for
    any other error. A relay that asks for a login (530, RFC 4954) got none: the variables are not set where
    the command runs — cron passes a crontab's own lines only, not the shell's `export`s — and `rasd digest
    --check` said ok, then each digest failed with the server's "530 5.7.0 Authentication required" alone.
    A login refused (535) is the password's or the user's; a sender refused, `[smtp] sender`'s."""
    if not isinstance(error, smtplib.SMTPResponseException):
        return None
    code, text = error.smtp_code, error.smtp_error
    text = one_line(text.decode("utf-8", "replace") if isinstance(text, bytes) else text)
    if not logged_in and code == 530 and "starttls" not in text.lower():  # 530 "Must issue a STARTTLS first" too
        return telling.gettext(
            "answered %(code)d %(text)s: it asks for a login, and $%(user)s and $%(password)s are not set where "
            "this command runs (in a crontab, set them on lines of their own; under systemd, in the unit's "
            "EnvironmentFile)",
            code=code,
            text=text,
            user=smtp.username_env,
            password=smtp.password_env,
        )
    if logged_in and code == 535:
        return telling.gettext(
            "refused the login of $%(user)s (%(code)d %(text)s): check $%(password)s and $%(user)s",
            code=code,
            text=text,
            user=smtp.username_env,
            password=smtp.password_env,
        )
    if isinstance(error, smtplib.SMTPSenderRefused) and code >= 500:  # the shipped rasd@localhost, most often
        return telling.gettext(
            "refused the sender %(sender)s (%(code)d %(text)s): set [smtp] sender to an address this server lets "
            "you send as (often your login's own)",
            sender=smtp.sender,
            code=code,
            text=text,
        )
    return None


def smtp_problem(error: smtplib.SMTPException | OSError) -> str:
    """What went wrong with an SMTP server, in plain words and what to check, the error itself in brackets."""
    if isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
        text = one_line(text.decode("utf-8", "replace") if isinstance(text, bytes) else text)
        if code >= 500:
            return telling.gettext(
                "answered %(code)d %(text)s: a refusal it repeats until the address or the [smtp] settings change",
                code=code,
                text=text,
            )
        return telling.gettext("answered %(code)d %(text)s", code=code, text=text)
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        # not a response exception: each address refused has its own answer (it read as a Python dict)
        address, (code, reply) = next(iter(error.recipients.items()))
        text = one_line(reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply))
        if code >= 500:
            return telling.gettext(
                "refused the address %(address)s, answering %(code)d %(text)s: a refusal it repeats until the "
                "subscription's email or the [smtp] settings change",
                address=address,
                code=code,
                text=text,
            )
        return telling.gettext(
            "refused the address %(address)s for now, answering %(code)d %(text)s",
            address=address,
            code=code,
            text=text,
        )
    detail = f"{type(error).__name__}: {one_line(str(error))}"
    if isinstance(error, ConnectionRefusedError):
        return telling.gettext(
            "nothing answers there (%(detail)s): is the mail server running, and are [smtp] host and port right?",
            detail=detail,
        )
    if isinstance(error, socket.gaierror):
        return telling.gettext("no such server name (%(detail)s): check [smtp] host", detail=detail)
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return telling.gettext(
            "no answer in time (%(detail)s): the server is slow or out of reach; [smtp] timeout sets the wait",
            detail=detail,
        )
    if isinstance(error, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(error):
        return telling.gettext(
            'does not offer STARTTLS (%(detail)s): set [smtp] security = "ssl" if it speaks TLS from the first '
            'byte (often port 465), or "plain" only for a relay on this machine or a trusted network',
            detail=detail,
        )
    if isinstance(error, smtplib.SMTPNotSupportedError) and "AUTH" in str(error):
        return telling.gettext(
            "does not take a login here (%(detail)s): for a relay that needs none, leave the variables [smtp] "
            "username_env and password_env name unset; a server that takes it over TLS only needs [smtp] security",
            detail=detail,
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return telling.gettext(
            "its TLS certificate is not trusted (%(detail)s): is [smtp] host the name on its certificate? A "
            "private authority's certificate goes in [smtp] ca_file",
            detail=detail,
        )
    if isinstance(error, ssl.SSLError):
        return telling.gettext(
            'the TLS handshake failed (%(detail)s): check [smtp] security and port: "ssl" for TLS from the '
            'first byte (often port 465), "starttls" for a server that starts in plain text (often 587)',
            detail=detail,
        )
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError):
        return telling.gettext(
            "the server closed the connection before accepting the digest (%(detail)s)", detail=detail
        )
    return detail


def quietly_quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _outbox_write(message: EmailMessage, outbox: Path, digest_id: int) -> str:
    """File names are generated (time and digest id), never taken from web text."""
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = outbox / f"{stamp}-digest-{digest_id:06d}.eml"
    temporary = path.with_suffix(".eml.part")
    try:
        temporary.write_bytes(message.as_bytes(policy=policy.SMTP))
        temporary.replace(path)  # a reader never sees half a message
    except OSError:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half message behind; the digest is retried
        raise
    return str(path)


def deliver(
    raw_message: str,
    digest_id: int,
    smtp: SmtpSettings,
    outbox: Path,
    stop: threading.Event | None = None,
    accepted: Callable[[str], None] | None = None,
) -> str:
    """Send or file one stored digest; returns where it went, raises DeliveryError when it could not.
    `stop`: the process's stop request; an SMTP session still going on STOP_GRACE_SECONDS after it is cut.
    `accepted(where)` is called the moment the message is the server's (its answer to DATA) or in the
    outbox, before the session ends: the caller records it as sent there."""
    message = message_from_string(raw_message, _class=EmailMessage, policy=policy.default)
    assert isinstance(message, EmailMessage)
    if smtp.host:
        return _smtp_send(message, smtp, stop, accepted=accepted)
    try:
        where = _outbox_write(message, outbox, digest_id)
    except OSError as error:
        detail = folder_fault(error)
        told = telling.gettext(
            "outbox %(folder)s: %(detail)s: it must be a folder Rasd can write in (or set `outbox` in rasd.toml)",
            folder=str(outbox),
            detail=detail,
        )
        raise DeliveryError(told) from None
    if accepted is not None:
        accepted(where)
    return where
