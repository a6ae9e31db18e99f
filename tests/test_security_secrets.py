"""Secrets and the user's own input: the SMTP password never leaves the environment, config files holding
secrets are refused, and `rasd search` takes any query without a traceback."""

from __future__ import annotations

import base64
import socket
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.conftest import SUBSCRIBER, run_rasd
from tests.test_security_network import XML, HostileWeb, article, guarded_config, rss, web

__all__ = ["web"]  # the fixture, shared with the network tests

SECRET = "Zq7-unique-smtp-password-4471"


class Accepting:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _crawled(web: HostileWeb, tmp_path: Path, extra: str = "") -> Path:
    """A store with one SSE story from the loopback site, and a config that subscribes to everything."""
    slug = "/2026/11/22/cooperative-argan-tiznit-salon"
    web.routes["/feed.xml"] = (200, XML, rss([web.url(slug)]))
    web.routes[slug] = (200, {}, article("Coopérative"))
    sources = f'[[sources]]\nname = "Site"\nurl = "{web.url("/")}"\nfeeds = ["{web.url("/feed.xml")}"]\n'
    config = guarded_config(tmp_path, sources)
    subscriber = SUBSCRIBER.replace('frequency = "immediate"', 'frequency = "immediate"\nmin_score = 0.0')
    config.write_text(config.read_text(encoding="utf-8") + subscriber + extra, encoding="utf-8")
    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    return config


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_password_is_nowhere_but_in_the_environment(web: HostileWeb, tmp_path: Path) -> None:
    tried: list[bytes] = []

    def refuse(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        tried.append(data.password)
        return AuthResult(success=False, handled=False)  # aiosmtpd then answers 535

    controller = Controller(
        Accepting(),
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=refuse,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        smtp = f'\n[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nsecurity = "plain"\ntimeout = 5\n'
        config = _crawled(web, tmp_path, smtp)
        env = {"RASD_SMTP_USER": "veille", "RASD_SMTP_PASSWORD": SECRET}
        outputs = [
            run_rasd("--config", str(config), *command, cwd=tmp_path, env=env)
            for command in (["digest"], ["digest"], ["digest", "--dry-run"], ["status"], ["crawl"])
        ]
    finally:
        controller.stop()
    assert tried and tried[0] == SECRET.encode()  # the password was really used, from the environment
    first = outputs[0]
    assert first.returncode == 1 and "535" in first.stdout + first.stderr, first.stdout + first.stderr
    forms = [
        SECRET,
        base64.b64encode(SECRET.encode()).decode(),
        base64.b64encode(f"\0veille\0{SECRET}".encode()).decode(),
    ]
    for result in outputs:
        assert "Traceback" not in result.stderr
        assert not [form for form in forms if form in result.stdout + result.stderr]
    # the database (with its WAL), the outbox and anything else the runs wrote
    for path in (p for p in tmp_path.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not [form for form in forms if form.encode() in data], path


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[smtp]\npassword = "{secret}"\n', "smtp.password"),
        ('[smtp]\nsmtp_pass = "{secret}"\n', "smtp.smtp_pass"),
        ('[smtp]\napi_key = "{secret}"\n', "smtp.api_key"),
        ('[[sources]]\nname = "A"\nurl = "https://a.ma/"\ntoken = "{secret}"\n', "sources[0].token"),
        ('[storage]\nurl = "postgresql+psycopg://rasd:{secret}@db.example/rasd"\n', "storage.url"),
        ('[[sources]]\nname = "A"\nurl = "https://veille:{secret}@a.ma/"\n', "sources[0].url"),
    ],
)
def test_config_files_holding_secrets_are_refused(tmp_path: Path, text: str, key: str) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text(text.replace("{secret}", SECRET), encoding="utf-8")
    result = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"rasd: config error: {config}: {key}: ")
    assert "environment" in result.stderr and SECRET not in result.stderr
    assert len(result.stderr.splitlines()) == 1


HOSTILE_QUERIES = [
    '"',
    '"coopérative',
    "coopérative\"'",
    "NEAR(",
    "NEAR(coopérative argan",
    "NEAR(coopérative argan, 2)",
    "*",
    "coop*",
    "AND",
    "coopérative OR",
    "(coopérative",
    "coopérative)",
    "title:coopérative",
    "nosuchcolumn:coopérative",
    "^coopérative",
    "-coopérative",
    "{title text}: argan",
    "'; DROP TABLE articles; --",
    "coopérative' OR '1'='1",
    "\\",
    "%",
    "_",
]


def test_rasd_search_takes_any_query(web: HostileWeb, tmp_path: Path) -> None:
    config = _crawled(web, tmp_path)
    refused: list[str] = []
    for query in HOSTILE_QUERIES:
        result = run_rasd("--config", str(config), "search", "--", query, cwd=tmp_path)
        assert "Traceback" not in result.stderr, (query, result.stderr)
        if result.returncode != 0:  # a clear message, in one line
            assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1, (query, result.stderr)
            refused.append(query)
    assert len(refused) < len(HOSTILE_QUERIES) // 2, refused  # most give results
    # the store is intact and plain words still find the story
    found = run_rasd("--config", str(config), "search", "coopérative", cwd=tmp_path)
    assert found.returncode == 0 and "Story 0" in found.stdout, found.stdout + found.stderr
