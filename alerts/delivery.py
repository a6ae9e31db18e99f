"""Delivery: SMTP (plain, STARTTLS or SSL) when a host is configured, else an outbox of .eml files.

Credentials come from the environment variables the config names, never from a file; errors are
reported without them.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from datetime import UTC, datetime
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path

from rasd.alerts.render import one_line
from rasd.config import SmtpSettings


class DeliveryError(Exception):
    """A digest could not be delivered this time; it stays pending and is retried."""


def _credentials(smtp: SmtpSettings) -> tuple[str, str] | None:
    user = os.environ.get(smtp.username_env)
    password = os.environ.get(smtp.password_env)
    if bool(user) != bool(password):
        missing = smtp.password_env if user else smtp.username_env
        raise DeliveryError(f"SMTP login needs both ${smtp.username_env} and ${smtp.password_env}; ${missing} is empty")
    return (user, password) if user and password else None


def _tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if smtp.ca_file:
        context.load_verify_locations(smtp.ca_file)
    return context


def _smtp_send(message: EmailMessage, smtp: SmtpSettings) -> str:
    """One SMTP session. The digest counts as delivered once the server has accepted the DATA: a failure
    after that (QUIT timing out, the connection dropping) must not make the next run send it again."""
    where = f"smtp://{smtp.host}:{smtp.port}"
    try:
        credentials = _credentials(smtp)
        context = _tls_context(smtp)
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        try:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if credentials:
                client.login(*credentials)
            client.send_message(message)  # one recipient: refused means SMTPRecipientsRefused
        finally:
            _quietly_quit(client)
    except smtplib.SMTPResponseException as error:
        text = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        raise DeliveryError(f"{where} answered {error.smtp_code} {one_line(text)}") from None
    except (smtplib.SMTPException, OSError) as error:  # refused, timed out, TLS, dropped connection
        raise DeliveryError(f"{where}: {type(error).__name__}: {one_line(str(error))}") from None
    return where


def _quietly_quit(client: smtplib.SMTP) -> None:
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


def deliver(raw_message: str, digest_id: int, smtp: SmtpSettings, outbox: Path) -> str:
    """Send or file one stored digest; returns where it went, raises DeliveryError when it could not."""
    message = message_from_string(raw_message, _class=EmailMessage, policy=policy.default)
    assert isinstance(message, EmailMessage)
    if smtp.host:
        return _smtp_send(message, smtp)
    try:
        return _outbox_write(message, outbox, digest_id)
    except OSError as error:
        raise DeliveryError(f"outbox {outbox}: {error}") from None
