"""Problems found before they matter: `rasd digest --check` tries each channel (connect, STARTTLS, login,
against aiosmtpd on 127.0.0.1; the outbox) and says in one line what works; SMTP settings that cannot work
fail `--dry-run`; a failing digest is attempted once per `rasd digest` run, not twice."""

from __future__ import annotations

import http.server
import json
import re
import socket
import sqlite3
import ssl
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from rasd.alerts import DigestReport, run_digests
from rasd.alerts.channels import push_payload
from rasd.alerts.checks import check_channels
from rasd.alerts.i18n import FSI, LRM, PDI, RLM
from rasd.alerts.render import story_view
from rasd.classify import Evidence
from rasd.monitor.speech import Speech
from rasd.storage import Store, StoredStory
from tests.bidi import MARKS
from tests.conftest import run_rasd
from tests.test_alerts import (
    EVERYTHING,
    SOURCES,
    Recorder,
    StorySpec,
    _self_signed,
    fill,
    free_port,
    plain_smtp,
    save,
    settings_for,
)


def _attempts(db: Path) -> dict[int, int]:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT digest_id, COUNT(*) FROM deliveries GROUP BY digest_id").fetchall())


def test_a_failing_digest_is_attempted_once_per_run(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    refused = {"host": "127.0.0.1", "port": free_port(), "security": "plain", "timeout": 1.0}
    subscriptions = [EVERYTHING, {**EVERYTHING, "name": "Souss", "email": "souss@example.ma", "regions": ["MA-09"]}]
    settings = settings_for(tmp_path, subscriptions, refused)
    first = run_digests(store, settings)
    assert len(first.failed) == 2 and _attempts(tmp_path / "rasd.db") == {1: 1, 2: 1}
    # the next run: both retried once before a new story makes a third digest, which is tried once
    save(store, StorySpec("Tiznit Info", "new", "تعاونية جديدة بتيزنيت", "تعاونية نسائية بتيزنيت. " * 20, "ar",
                          ["MA-09"], datetime(2026, 11, 25, 9, 0, tzinfo=UTC)))  # fmt: skip
    second = run_digests(store, settings)
    assert len(second.failed) == 4, second.lines()  # #1, #2, then the new #3 and #4 (one per subscriber)
    assert _attempts(tmp_path / "rasd.db") == {1: 2, 2: 2, 3: 1, 4: 1}
    store.close()


def _config(tmp_path: Path, smtp: str) -> Path:
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'outbox = "{tmp_path / "outbox"}"\n[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n{smtp}'
        '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nfrequency = "immediate"\n',
        encoding="utf-8",
    )
    return config


def test_smtp_settings_that_cannot_work_fail_the_dry_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    store.close()
    smtp = (
        f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\nsecurity = "plain"\n'
        'username_env = "RASD_TEST_USER"\npassword_env = "RASD_TEST_PASSWORD"\n'
    )
    config = _config(tmp_path, smtp)
    monkeypatch.setenv("RASD_TEST_USER", "veille")
    monkeypatch.delenv("RASD_TEST_PASSWORD", raising=False)
    dry = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, timeout=60)
    assert dry.returncode == 1, dry.stdout
    failed = [line for line in dry.stdout.splitlines() if line.startswith("FAILED")]
    assert failed == [
        f"FAILED: smtp://127.0.0.1:{config.read_text().split('port = ')[1].split()[0]}: SMTP login needs both "
        "$RASD_TEST_USER and $RASD_TEST_PASSWORD; $RASD_TEST_PASSWORD is empty"
    ]
    assert "would send: Souss" in dry.stdout, "the rest of the dry run still reports"
    check = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path, timeout=60)
    assert check.returncode == 1 and check.stdout.count("\n") == 1 and "$RASD_TEST_PASSWORD is empty" in check.stdout


@pytest.mark.parametrize("password", ["s3cret-from-env", "wrong"])
def test_check_connects_starts_tls_and_logs_in_without_sending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        ok = data.login == b"veille" and data.password == b"s3cret-from-env"
        return AuthResult(success=ok, handled=False)  # unhandled failure: aiosmtpd answers 535

    recorder = Recorder()
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        server_hostname="127.0.0.1",
        tls_context=server_tls,
        require_starttls=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        monkeypatch.setenv("RASD_TEST_USER", "veille")
        monkeypatch.setenv("RASD_TEST_PASSWORD", password)
        smtp = {
            "host": "127.0.0.1",
            "port": controller.port,
            "security": "starttls",
            "timeout": 5.0,
            "username_env": "RASD_TEST_USER",
            "password_env": "RASD_TEST_PASSWORD",
            "ca_file": str(cert),
        }
        (result,) = check_channels(settings_for(tmp_path, [EVERYTHING], smtp))
        untrusted = check_channels(settings_for(tmp_path, [EVERYTHING], {**smtp, "ca_file": None}))
    finally:
        controller.stop()
    where = f"smtp://127.0.0.1:{controller.port}"
    if password == "wrong":
        assert result.line().startswith(f"FAILED: {where}: refused the login of $RASD_TEST_USER (535"), result.line()
    else:
        assert result.line() == f"ok: {where} (STARTTLS, logged in)"
    assert untrusted[0].problem is not None and "CERTIFICATE_VERIFY_FAILED" in untrusted[0].problem
    assert recorder.received == [], "a check sends nothing"


@pytest.mark.parametrize(
    ("security", "login", "english", "french", "arabic"),
    [
        (
            "starttls",
            False,
            "does not offer STARTTLS (SMTPNotSupportedError",
            "ne propose pas STARTTLS",
            "لا يعرض STARTTLS",
        ),
        ("ssl", False, "the TLS handshake failed (SSLError", "la négociation TLS a échoué", "فشل تفاوض TLS"),
        (
            "plain",
            True,
            "does not take a login here (SMTPNotSupportedError",
            "n’accepte pas d’identification",
            "لا يقبل تسجيل الدخول",
        ),
    ],
)
def test_tls_or_a_login_the_server_does_not_offer_is_said_with_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, security: str, login: bool, english: str, french: str, arabic: str
) -> None:
    """[smtp] security or credentials that do not fit the server (a relay speaking plain SMTP on its port,
    without AUTH) were the library's words alone: "SMTPNotSupportedError: STARTTLS extension not supported
    by server.", "SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)". Now each says
    what is wrong in plain words and which setting to change, in the reader's language, the error kept."""
    controller = Controller(Recorder(), hostname="127.0.0.1", port=free_port())
    controller.start()
    if login:
        monkeypatch.setenv("RASD_TEST_USER", "veille")
        monkeypatch.setenv("RASD_TEST_PASSWORD", "s3cret")
    smtp = {**plain_smtp(controller.port, timeout=5.0), "security": security}
    smtp |= {"username_env": "RASD_TEST_USER", "password_env": "RASD_TEST_PASSWORD"}
    try:
        (result,) = check_channels(settings_for(tmp_path, [EVERYTHING], smtp))
    finally:
        controller.stop()
    assert result.problem is not None and result.problem.startswith(english), result.problem
    assert "[smtp] security" in result.problem or "username_env" in result.problem, result.problem
    assert french in Speech("fr").told(result.problem) and arabic in Speech("ar").told(result.problem)


def test_check_reports_a_refused_connection_and_a_writable_outbox(tmp_path: Path) -> None:
    port = free_port()
    config = _config(tmp_path, f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\ntimeout = 2\n')
    refused = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path, timeout=60)
    assert refused.returncode == 1
    assert refused.stdout.startswith(f"FAILED: smtp://127.0.0.1:{port}: nothing answers there (ConnectionRefusedError")
    outbox = run_rasd("--config", str(_config(tmp_path, "")), "digest", "--check", cwd=tmp_path, timeout=60)
    assert outbox.returncode == 0 and outbox.stdout == f"ok: outbox {tmp_path / 'outbox'} (writable)\n"
    assert list((tmp_path / "outbox").iterdir()) == []


def test_check_says_its_lines_in_the_readers_language(tmp_path: Path) -> None:
    """`(no TLS)`, `outbox`, `(writable)` were English in a French or Arabic reader's line."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nsecurity = "plain"\ntimeout = 5\n'
        relay = run_rasd("--config", str(_config(tmp_path, smtp)), "digest", "--check", cwd=tmp_path,
                         env={"RASD_LANG": "fr"})  # fmt: skip
    finally:
        controller.stop()
    assert relay.returncode == 0, relay.stderr
    assert relay.stdout == f"ok : smtp://127.0.0.1:{controller.port} (sans TLS)\n"
    config = _config(tmp_path, "")
    outbox = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert outbox.stdout == f"ok : boîte d’envoi {tmp_path / 'outbox'} (accessible en écriture)\n"
    arabic = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert "صندوق الإرسال" in arabic.stdout and "(قابل للكتابة)" in arabic.stdout
    words = arabic.stdout.replace(str(tmp_path / "outbox"), "")
    assert "outbox" not in words and "writable" not in words
    assert recorder.received == []


def test_an_outbox_that_is_a_file_is_one_line_saying_what_it_must_be(tmp_path: Path) -> None:
    """`outbox` naming a file (the folder deleted, a file of that name left): "[Errno 17] File exists" was all
    a reader got, in English; the digest is kept and goes out once the folder is back."""
    from tests.test_alerts import fill

    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    store.close()
    (tmp_path / "outbox").write_text("", encoding="utf-8")
    config = _config(tmp_path, "")
    french = run_rasd("--config", str(config), "digest", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.returncode == 1
    assert french.stdout == (
        f"ÉCHEC : Souss <souss@example.ma> : bulletin n° 1 : boîte d’envoi {tmp_path / 'outbox'} : un fichier se "
        "trouve là où il faut un dossier : ce doit être un dossier où Rasd peut écrire (ou réglez `outbox` dans "
        "rasd.toml) (gardé, nouvel essai plus tard)\n"
    )
    (tmp_path / "outbox").unlink()
    again = run_rasd("--config", str(config), "digest", cwd=tmp_path)
    assert again.returncode == 0 and len(list((tmp_path / "outbox").glob("*.eml"))) == 1, again.stdout


# ---- Atom feed and push notifications ------------------------------------------------------------------


class Hook:
    """A local HTTP endpoint for Apprise's json:// notifications: records each POST; answers `statuses`
    in turn (then 200)."""

    def __init__(self, statuses: list[int], retry_after: str | None = None) -> None:
        self.statuses = statuses
        self.received: list[tuple[str, dict[str, Any]]] = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hook.received.append((self.path, json.loads(body)))
                status = hook.statuses.pop(0) if hook.statuses else 200
                self.send_response(status)
                if retry_after is not None and status != 200:
                    self.send_header("Retry-After", retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_push_body_sets_each_line_in_the_readers_direction_without_isolates() -> None:
    """A French reader's notification of an Arabic and a French story: each line opens with LRM (an app
    that takes a line's direction from its first letter would otherwise lay the Arabic one right to left);
    the titles are not wrapped in FSI…PDI, which such apps skip and older ones show as boxes."""
    stories = [
        StoredStory(1, "تعاونية نسائية بتيزنيت", "https://tiznit.example/coop", "Tiznit Info", None,
                    datetime(2026, 12, 1), "ar", "نص.", 0.8, True, ["MA-09"], [], {}, []),
        StoredStory(2, "Sefrou : une coopérative de cerises", "https://sefrou.example/cerises", "Sefrou Info",
                    None, datetime(2026, 12, 1), "fr", "Texte.", 0.8, True, ["MA-03"], [], {}, []),
    ]  # fmt: skip
    views = [story_view(story, Evidence(), UTC, "fr") for story in stories]
    body = json.loads(push_payload("Rasd : 2 articles ESS", views, 0, "fr"))["body"]
    assert body.splitlines() == [
        f"{LRM}• تعاونية نسائية بتيزنيت — https://tiznit.example/coop",
        f"{LRM}• Sefrou : une coopérative de cerises — https://sefrou.example/cerises",
    ]
    assert not any(mark in body for mark in (FSI, PDI, RLM))


def _channel_rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT channel, outcome, error IS NOT NULL FROM deliveries ORDER BY id").fetchall()


def test_atom_and_push_are_delivered_once_each_and_a_failing_one_holds_nothing_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = Hook([500])  # the push endpoint fails the first time
    monkeypatch.setenv("RASD_TEST_HOOK_TOKEN", "t0k3n-secret")
    url = f"json://127.0.0.1:{hook.port}/hook/${{RASD_TEST_HOOK_TOKEN}}"
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    reader = {**EVERYTHING, "language": "ar", "atom": True, "notify": [url]}
    settings = settings_for(tmp_path, [reader])
    feed_file = tmp_path / "feeds"
    settings = settings.model_copy(update={"feeds": str(feed_file)})
    try:
        first = run_digests(store, settings)
        # the email and the feed went out; the push failed, alone, and is kept
        assert len(first.sent) == 2 and len(first.failed) == 1, first.lines()
        assert "push json://127.0.0.1:" in first.failed[0] and "${RASD_TEST_HOOK_TOKEN}" in first.failed[0]
        assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
        (atom,) = feed_file.glob("*.atom")
        feed = feedparser.parse(atom.read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.language == "ar" and feed.feed.title == "Rasd — Tout le Maroc"
        assert len(feed.entries) == 5
        argan = next(e for e in feed.entries if "الأركان" in e.title)
        assert argan.link == "https://tiznit.example/coop-argan"
        sources = ["https://tiznit.example/coop-argan", "https://regions.example/argan-copy"]
        assert [link.href for link in argan.links] == sources
        assert "لماذا هذا الخبر:" in argan.content[0].value and "سوس ماسة" in argan.content[0].value
        assert [tag.term for tag in argan.tags] == ["سوس ماسة"]

        second = run_digests(store, settings)  # only the push is tried again
        assert second.failed == [] and len(second.sent) == 1 and "push json://" in second.sent[0], second.lines()
        assert len(feedparser.parse(atom.read_bytes()).entries) == 5, "the feed was not written twice"
        assert run_digests(store, settings).lines() == [], "each channel exactly once"
    finally:
        hook.close()
        store.close()
    # the notification: the subject in the reader's language, one line per story; the token from the
    # environment reached the endpoint, and never the database
    assert [path for path, _ in hook.received] == ["/hook/t0k3n-secret"] * 2
    notification = hook.received[-1][1]
    assert notification["title"].startswith("رصد: 5 أخبار") and notification["message"].count("• ") == 5
    assert "https://tiznit.example/coop-argan" in notification["message"]
    # plain text an app lays out line by line: each line opens with the Arabic reader's RLM, no isolates
    lines = notification["message"].splitlines()
    assert len(lines) == 5 and all(line.startswith(f"{RLM}• ") for line in lines), lines
    assert not any(mark in notification["message"] for mark in (FSI, PDI, LRM))
    rows = _channel_rows(tmp_path / "rasd.db")
    assert [(channel.split(" ")[0] if channel else "email", outcome) for channel, outcome, _ in rows] == [
        ("email", "sent"), ("atom", "sent"), ("push", "failed"), ("push", "sent"),
    ]  # fmt: skip
    assert "t0k3n-secret" not in (tmp_path / "rasd.db").read_bytes().decode("utf-8", "replace")


def _pushed_once(tmp_path: Path, url: str) -> DigestReport:
    """One `rasd digest` run of the stories of `fill` for a subscriber notified at `url` (besides the outbox)."""
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    try:
        return run_digests(store, settings_for(tmp_path, [{**EVERYTHING, "notify": [url]}]))
    finally:
        store.close()


@pytest.mark.parametrize(("language", "words"), [("fr", "notification json://127.0.0.1:"), ("ar", "الإشعار")])
def test_a_failing_push_is_said_in_the_readers_language_with_the_services_words_alone(
    language: str, words: str, tmp_path: Path
) -> None:
    """Apprise's log line came whole into the reader's line, its timestamp and level with it ("push json://…:
    2026-12-03 20:07:22,340 - WARNING - Failed to send …"), and "push" in English in French and Arabic."""
    hook = Hook([500])
    try:
        (failed,) = _pushed_once(tmp_path, f"json://127.0.0.1:{hook.port}/hook").failed
    finally:
        hook.close()
    line = Speech(language).told(failed)
    assert words in line and "Failed to send JSON POST notification" in line and "error=500" in line, line
    assert "WARNING" not in line and not re.search(r"\d:\d\d:\d\d,\d{3}", line) and "push" not in line, line
    assert f"push json://127.0.0.1:{hook.port}/hook: Failed to send" in str(failed)  # English as written: the log


def test_a_push_service_answering_429_is_said_as_asking_to_wait_and_the_push_is_kept(tmp_path: Path) -> None:
    """A webhook (or Telegram, ntfy) answering 429 Too Many Requests: Apprise's "Failed to send JSON POST
    notification: error=429." came whole into a French or Arabic reader's line (faults13 sweep)."""
    hook = Hook([429])
    try:
        (failed,) = _pushed_once(tmp_path, f"json://127.0.0.1:{hook.port}/hook").failed
    finally:
        hook.close()
    french, arabic = (Speech(language).told(failed).translate(MARKS) for language in ("fr", "ar"))
    assert (
        f" : notification json://127.0.0.1:{hook.port}/hook : le service ne prend plus de notifications pour le "
        "moment (HTTP 429, trop de requêtes) : il demande à Rasd d’attendre (gardé, nouvel essai plus tard)"
    ) in french and "Failed to send" not in french, french
    assert "لا تقبل الخدمة مزيدًا من الإشعارات حاليًا" in arabic and "Failed to send" not in arabic, arabic
    assert _channel_rows(tmp_path / "rasd.db")[-1][1] == "failed"  # kept, tried again by the next run


@pytest.mark.parametrize(
    ("status", "retry_after", "seconds"),
    [(429, "3600", 3600), (503, "an HTTP date", 7200), (429, "9" * 20, 86400)],  # the last: past timedelta's range
)
def test_a_push_service_asking_to_wait_is_not_tried_again_before_its_time(
    tmp_path: Path, status: int, retry_after: str, seconds: int
) -> None:
    """A push service answering 429 (or 503) with Retry-After was tried again at every digest check (every 5
    minutes under `rasd run`), whatever the wait it asked for: each attempt one more refusal it may count
    against the sender (faults14 sweep). Now not before the time asked, said; delivered once after it."""
    if retry_after == "an HTTP date":  # Retry-After's other form: the time itself
        retry_after = format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)
    hook = Hook([status], retry_after)
    url = f"json://127.0.0.1:{hook.port}/hook"
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    settings = settings_for(tmp_path, [{**EVERYTHING, "notify": [url]}])
    try:
        (failed,) = run_digests(store, settings).failed
        french = Speech("fr").told(failed).translate(MARKS)
        assert "pas de nouvel essai avant le " in french and re.search(r"\(Retry-After : \d+ s\)", french), french
        assert "UTC, comme le service l’a demandé" in french and "not tried again" not in french, french
        again = run_digests(store, settings)  # the next digest check, within the wait
        assert not again.failed and not again.sent and len(hook.received) == 1, again.lines()
        with sqlite3.connect(tmp_path / "rasd.db") as connection:
            (waits,) = connection.execute("SELECT not_before FROM digest_channels").fetchone()
            asked = datetime.fromisoformat(waits).replace(tzinfo=UTC) - datetime.now(UTC)
            assert timedelta(seconds=seconds - 120) < asked <= timedelta(seconds=seconds), waits
            connection.execute("UPDATE digest_channels SET not_before = '2000-01-01 00:00:00.000000'")  # time passed
        after = run_digests(store, settings)
        assert len(after.sent) == 1 and not after.failed and len(hook.received) == 2, after.lines()
        assert not run_digests(store, settings).sent and len(hook.received) == 2  # once
    finally:
        store.close()
        hook.close()


@pytest.mark.parametrize("fault", ["never answers", "refuses"])
def test_a_push_service_that_never_answers_or_refuses_is_said_in_the_readers_words(fault: str, tmp_path: Path) -> None:
    """Apprise says "A Connection error occurred sending JSON notification to …" both for a service that
    accepts and never answers (its 4 s read timeout) and for one that refuses the connection: English, in a
    French or Arabic reader's line, and the same words for two faults with different remedies."""
    listener = socket.create_server(("127.0.0.1", 0))  # accepts (the kernel's backlog), never answers
    port = listener.getsockname()[1]
    if fault == "refuses":
        listener.close()
    try:
        (failed,) = _pushed_once(tmp_path, f"json://127.0.0.1:{port}/hook").failed
    finally:
        listener.close()

    expected = {
        "never answers": ("pas de réponse en 4 s : le service est lent ou arrêté", "لا جواب خلال 4 ث"),
        "refuses": ("connexion refusée : rien ne répond à cette adresse", "رُفض الاتصال"),
    }[fault]
    for language, words in zip(("fr", "ar"), expected, strict=True):
        line = Speech(language).told(failed).translate(MARKS)
        assert words in line and "Connection error" not in line, line
    assert f"json://127.0.0.1:{port}/hook" in Speech("fr").told(failed)
    assert _channel_rows(tmp_path / "rasd.db")[-1][1] == "failed"  # kept, tried again by the next run


def test_check_tries_the_feeds_folder_and_each_push_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASD_TEST_HOOK_TOKEN", raising=False)
    reader = {**EVERYTHING, "atom": True, "notify": ["json://127.0.0.1:9/${RASD_TEST_HOOK_TOKEN}", "nosuch://x/y"]}
    settings = settings_for(tmp_path, [reader]).model_copy(update={"feeds": str(tmp_path / "feeds")})
    lines = [check.line() for check in check_channels(settings)]
    assert lines == [
        f"ok: outbox {tmp_path / 'outbox'} (writable)",
        f"ok: atom feeds {tmp_path / 'feeds'} (writable)",
        "FAILED: push json://127.0.0.1:9/${RASD_TEST_HOOK_TOKEN}: $RASD_TEST_HOOK_TOKEN is empty",
        "FAILED: push nosuch://x/y: Apprise does not accept this URL (unknown service or bad form)",
    ]


def _push_views(count: int, language: str) -> list[Any]:
    stories = [
        StoredStory(n, f"Coopérative {n}", f"https://sefrou.example/{n}", "Sefrou Info", None,
                    datetime(2026, 12, 1), "fr", "Texte.", 0.8, True, ["MA-03"], [], {}, [])
        for n in range(1, count + 1)
    ]  # fmt: skip
    return [story_view(story, Evidence(), UTC, language) for story in stories]


@pytest.mark.parametrize(
    ("count", "more", "language", "said"),
    [
        (2, 12, "fr", ["12 autres articles correspondants attendent : ils ouvriront votre prochain envoi."]),
        (3, 5, "fr", ["5 autres articles correspondants attendent : ils ouvriront votre prochain envoi."]),
        (12, 0, "fr", ["2 autres articles de cet envoi ne sont pas listés ici."]),
        (
            11,
            1,
            "fr",
            [
                "1 autre article de cet envoi n’est pas listé ici.",
                "1 autre article correspondant attend : il ouvrira votre prochain envoi.",
            ],
        ),
        (
            13,
            2,
            "ar",
            [
                "3 أخبار أخرى من هذه النشرة غير مذكورة هنا.",
                "خبران آخران مطابقان في الانتظار: سيتصدران نشرتك القادمة.",
            ],
        ),
        (10, 0, "ar", []),
    ],
)
def test_a_push_body_counts_this_digests_unlisted_stories_apart_from_those_waiting(
    count: int, more: int, language: str, said: list[str]
) -> None:
    """Stories of this digest beyond the ten listed are "not listed here"; `more` (stories held for the
    next digest) is said as it is, whatever the digest's size: 2 stories with 12 waiting say 12, not 4."""
    body = json.loads(push_payload("Rasd", _push_views(count, language), more, language))["body"]
    lines = [line.lstrip(LRM + RLM) for line in body.splitlines()]
    listed = min(count, 10)
    assert lines[:listed] == [f"• Coopérative {n} — https://sefrou.example/{n}" for n in range(1, listed + 1)]
    assert lines[listed:] == said


def _login_server(recorder: Recorder) -> Controller:
    """A relay that asks for a login (AUTH LOGIN/PLAIN over plain SMTP, as a test only may) and knows one."""

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"veille", b"s3cret")
        return AuthResult(success=ok, handled=False)  # unhandled failure: aiosmtpd answers 535

    return Controller(recorder, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                      auth_required=True, auth_require_tls=False)  # fmt: skip


def test_a_relay_asking_for_a_login_none_was_given_is_told_with_the_variables_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journalist's crontab ran `rasd digest` without the `export RASD_SMTP_USER=…` of their shell: `rasd
    digest --check` had said "ok" (it only connected) and every digest then failed with the server's "530 5.7.0
    Authentication required" alone. The check now asks the server to take a sender, and both say which
    variables are missing where the command runs; a wrong password names them too. Nothing is sent."""
    monkeypatch.delenv("RASD_TEST_USER", raising=False)
    monkeypatch.delenv("RASD_TEST_PASSWORD", raising=False)
    recorder = Recorder()
    controller = _login_server(recorder)
    controller.start()
    smtp = plain_smtp(controller.port, timeout=5.0, username_env="RASD_TEST_USER", password_env="RASD_TEST_PASSWORD")
    settings = settings_for(tmp_path, [EVERYTHING], smtp)
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    try:
        (unset,) = check_channels(settings)
        failed = run_digests(store, settings)
        monkeypatch.setenv("RASD_TEST_USER", "veille")
        monkeypatch.setenv("RASD_TEST_PASSWORD", "wrong")
        (refused,) = check_channels(settings)
        monkeypatch.setenv("RASD_TEST_PASSWORD", "s3cret")
        (logged_in,) = check_channels(settings)
    finally:
        controller.stop()
        store.close()
    missing = "it asks for a login, and $RASD_TEST_USER and $RASD_TEST_PASSWORD are not set where this command runs"
    assert unset.problem is not None and unset.problem.startswith("answered 530") and missing in unset.problem
    assert "crontab" in unset.problem
    assert "$RASD_TEST_USER et $RASD_TEST_PASSWORD ne sont pas définies" in Speech("fr").told(unset.problem)
    assert "غير مضبوطين" in Speech("ar").told(unset.problem)
    assert failed.failed and all(missing in line for line in failed.lines() if "530" in line), failed.lines()
    assert refused.problem is not None
    assert refused.problem.startswith("refused the login of $RASD_TEST_USER (535"), refused.problem
    assert logged_in.problem is None, logged_in.problem
    assert recorder.received == [], "a check sends nothing"


class _RefusesTheSender(Recorder):
    """A relay that will not send as the shipped rasd@localhost (as Gmail's or Office 365's submission
    servers refuse a From that is not the login's)."""

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.endswith("@localhost"):
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address
        return "250 OK"


def test_a_sender_the_server_refuses_is_found_by_the_check_and_named(tmp_path: Path) -> None:
    """`[smtp] sender` as shipped, `rasd@localhost`: `rasd digest --check` said ok (it only connected and
    logged in), then every digest failed with "553 5.7.1 Sender address rejected" alone. The check now asks
    for MAIL FROM (then RSET: nothing sent) and both say which setting to change, in the reader's words."""
    recorder = _RefusesTheSender()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp = plain_smtp(controller.port, timeout=5.0)
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    try:
        (refused,) = check_channels(settings_for(tmp_path, [EVERYTHING], smtp))
        failed = run_digests(store, settings_for(tmp_path, [EVERYTHING], smtp))
        owned = {**smtp, "sender": "Veille <veille@example.ma>"}
        (taken,) = check_channels(settings_for(tmp_path, [EVERYTHING], owned))
    finally:
        controller.stop()
        store.close()
    assert refused.problem is not None
    assert refused.problem.startswith("refused the sender Rasd <rasd@localhost> (553 5.7.1"), refused.problem
    assert "[smtp] sender" in refused.problem and "[smtp] sender" in Speech("fr").told(refused.problem)
    assert failed.failed and any("refused the sender" in line for line in failed.lines()), failed.lines()
    assert taken.problem is None, taken.problem
    assert recorder.received == [], "a check sends nothing"


def test_an_arabic_or_french_reader_is_told_of_the_feed_and_the_notification_in_their_words(
    tmp_path: Path,
) -> None:
    """`rasd digest --check`, `--dry-run` and the sent lines named the other channels by the store's English
    words, "push" and "atom", in an Arabic official's lines ("سليم: push json://…", "و‎push‎ json://…",
    newcomer12's trial); the English lines, the log's and the store's, stay as they were."""
    hook = Hook([])
    url = f"json://127.0.0.1:{hook.port}/hook"
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill(store)
    reader = {**EVERYTHING, "language": "ar", "atom": True, "notify": [url]}
    settings = settings_for(tmp_path, [reader]).model_copy(update={"feeds": str(tmp_path / "feeds")})
    feed = tmp_path / "feeds"
    try:
        checked = [check.line() for check in check_channels(settings)]
        planned = run_digests(store, settings, dry_run=True).lines()
        sent = run_digests(store, settings).lines()
    finally:
        hook.close()
    assert f"ok: push {url}" in checked and any(f"and push {url}" in line for line in planned)
    assert any(f"→ push {url}" in line for line in sent) and any("→ atom " + str(feed) in line for line in sent)
    words = {
        "fr": (f"ok : notification {url}", f"et notification {url}", f"→ notification {url}", "→ flux Atom "),
        "ar": (f"سليم: إشعار {url}", f"وإشعار {url}", f"← إشعار {url}", "← خلاصة Atom "),
    }
    for language, (check, plan, push, atom) in words.items():
        said = Speech(language)
        lines = [said.told(line).translate(MARKS) for line in checked + planned + sent]
        text = "\n".join(lines)
        assert check in text and plan in text and push in text and atom in text, text
        assert "push" not in text and "atom " not in text, text


def test_check_warns_of_the_shipped_sender_every_digest_names(tmp_path: Path) -> None:
    """A newcomer's `rasd digest --check` said ok against a relay that took `rasd@localhost`, the shipped
    sender, and their readers' digests then said "to stop receiving it, write to rasd@localhost" (newcomer12's
    trial). The check says so on stderr, in the reader's language; its result and exit code stay as they were,
    and an address of the reader's own gets no word."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nsecurity = "plain"\ntimeout = 5\n'
    try:
        shipped = run_rasd("--config", str(_config(tmp_path, smtp)), "digest", "--check", cwd=tmp_path)
        french = run_rasd("--config", str(_config(tmp_path, smtp)), "digest", "--check", cwd=tmp_path,
                          env={"RASD_LANG": "fr"})  # fmt: skip
        own = _config(tmp_path, smtp + 'sender = "Veille ESS <veille@region-souss.ma>"\n')
        chosen = run_rasd("--config", str(own), "digest", "--check", cwd=tmp_path)
    finally:
        controller.stop()
    assert shipped.returncode == 0 and shipped.stdout.startswith("ok: smtp://"), shipped.stdout
    assert shipped.stderr == (
        "warning: [smtp] sender is still rasd@localhost: every digest tells its readers to write there to change or "
        "stop it, and many mail servers refuse it; set it to an address you read\n"
    )
    assert french.returncode == 0 and french.stderr.startswith("attention : [smtp] sender vaut encore rasd@localhost")
    assert chosen.returncode == 0 and chosen.stderr == "", chosen.stderr
