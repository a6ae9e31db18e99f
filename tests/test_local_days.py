"""The days a reader types and reads are their own, in the config's `timezone` (Africa/Casablanca by default):
`--since`/`--until` of `rasd search` and `rasd export`, `rasd search`'s day column, `rasd label`'s and `rasd
explain`'s verdict times, and the daemon's log. They cut at UTC midnight while the digests and the workbook
showed Casablanca's dates: a story published at 00:30 on 4 September in Tiznit (23:30 UTC on the 3rd) was
missing from `--since 2025-09-04` and listed under the 3rd (review12). Morocco keeps UTC+1 outside Ramadan,
UTC+0 during it: both are tried."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rasd.classify import Classification
from rasd.config import Source
from rasd.extract import Article, content_hash
from rasd.storage import Store
from tests.conftest import run_rasd, write_config

SOURCE = Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09")
# Written for these tests: (slug, title, published in UTC). Casablanca: UTC+1 in September 2025, UTC+0 in
# Ramadan 2026 (from 15 February to 22 March).
STORIES = [
    ("early", "تعاونية نسائية تفتتح وحدة جديدة", datetime(2025, 9, 3, 23, 30, tzinfo=UTC)),  # 4 Sept 00:30 local
    ("late", "Une coopérative de Tiznit ouvre une boutique", datetime(2025, 9, 4, 22, 30, tzinfo=UTC)),  # 23:30
    ("next", "تعاونية للأركان تشارك في معرض جهوي", datetime(2025, 9, 4, 23, 30, tzinfo=UTC)),  # 5 Sept 00:30 local
    ("ramadan", "Une coopérative de couscous pendant le Ramadan", datetime(2026, 3, 1, 23, 30, tzinfo=UTC)),  # 1 March
]


def _fill(path: Path) -> dict[str, int]:
    store = Store(f"sqlite:///{path}")
    store.sync_sources([SOURCE])
    ids = {}
    for slug, title, published in STORIES:
        body = f"{title}. تعاونية ومنتجات محلية بجهة سوس ماسة. Les coopératives de la région Souss-Massa."
        article = Article(
            url=f"https://tiznit.example/{slug}/",
            title=title,
            text=body,
            date=published,
            date_source="meta",
            author=None,
            lang="ar" if title[0] > "z" else "fr",
            site_name=None,
            content_hash=content_hash(body),
        )
        verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
        article_id = store.save_article(SOURCE.name, article.url, article, verdict)
        assert article_id is not None
        ids[slug] = article_id
    store.close()
    return ids


@pytest.fixture
def configured(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    config = write_config(tmp_path, "")
    return config, _fill(tmp_path / "rasd.db")


def _searched(config: Path, *args: str) -> list[dict[str, Any]]:
    found = run_rasd("--config", str(config), "search", "--format", "jsonl", *args, cwd=config.parent)
    assert found.returncode == 0, found.stderr
    return [json.loads(line) for line in found.stdout.splitlines()]


def test_search_and_export_days_are_casablancas(configured: tuple[Path, dict[str, int]]) -> None:
    """4 September in Tiznit runs from 3 September 23:00 UTC to 4 September 23:00 UTC: both commands keep the
    stories of the reader's day, the one published at half past midnight included, the next day's left out."""
    config, ids = configured
    day = ["--since", "2025-09-04", "--until", "2025-09-04"]
    assert sorted(record["id"] for record in _searched(config, *day)) == [ids["early"], ids["late"]]
    exported = run_rasd("--config", str(config), "export", "--format", "jsonl", *day, cwd=config.parent)
    assert exported.returncode == 0, exported.stderr
    assert sorted(json.loads(line)["id"] for line in exported.stdout.splitlines()) == [ids["early"], ids["late"]]
    # the records keep their UTC times, said so by their Z
    assert {record["published_at"] for record in _searched(config, *day)} == {
        "2025-09-03T23:30:00Z",
        "2025-09-04T22:30:00Z",
    }
    assert [record["id"] for record in _searched(config, "--since", "2025-09-05", "--until", "2025-09-05")] == [
        ids["next"]
    ]


def test_in_ramadan_casablanca_is_on_utc(configured: tuple[Path, dict[str, int]]) -> None:
    """Published 1 March 2026 at 23:30 UTC: in Ramadan's UTC+0 that is still 1 March in Casablanca (a fixed
    +1 hour would put it on the 2nd)."""
    config, ids = configured
    assert [record["id"] for record in _searched(config, "--since", "2026-03-02")] == []
    assert [record["id"] for record in _searched(config, "--until", "2026-03-01", "--since", "2026-03-01")] == [
        ids["ramadan"]
    ]


def test_the_table_shows_the_readers_day_and_a_utc_config_keeps_utc(tmp_path: Path) -> None:
    """`rasd search`'s day column is the day of the digests; `timezone = "UTC"` in rasd.toml makes every day
    UTC again (the setting is the one the digests follow)."""
    ids = _fill(tmp_path / "rasd.db")
    config = write_config(tmp_path, "")
    table = run_rasd("--config", str(config), "search", "--until", "2025-09-04", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    rows = {line.split()[0]: line.split()[1] for line in table.stdout.splitlines() if line[:6].strip().isdigit()}
    assert rows == {str(ids["early"]): "2025-09-04", str(ids["late"]): "2025-09-04"}, table.stdout

    utc = tmp_path / "utc.toml"
    utc.write_text('timezone = "UTC"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    table = run_rasd("--config", str(utc), "search", "--until", "2025-09-04", cwd=tmp_path)
    rows = {line.split()[0]: line.split()[1] for line in table.stdout.splitlines() if line[:6].strip().isdigit()}
    utc_days = {str(ids["early"]): "2025-09-03", str(ids["late"]): "2025-09-04", str(ids["next"]): "2025-09-04"}
    assert rows == utc_days, table.stdout


def test_a_verdict_given_after_midnight_is_dated_the_readers_day() -> None:
    """`rasd label`'s line: a verdict given at 23:30 UTC on 3 September was given at 00:30 on the 4th in
    Tiznit; the line says the reader's time, without "UTC"."""
    from rasd.monitor.labelling import said_lines
    from rasd.storage import Label

    label = Label(
        article_id=7, sse=True, region=None, labelled_by="amina", labelled_at=datetime(2025, 9, 3, 23, 30)
    )
    (line, *_) = said_lines(label, None, "fr", ZoneInfo("Africa/Casablanca"))
    assert line == "article 7 : ESS — par amina, le 4 septembre 2025 à 00:30", line


def test_the_daemons_log_lines_are_in_the_readers_zone() -> None:
    """`rasd run`'s log: a line written at 23:30:05 UTC on 3 September says 00:30:05 on the 4th once the
    daemon has read the config's zone, in the plain log and in --log-json (ISO 8601 with its offset)."""
    from rasd.monitor import logs

    created = datetime(2025, 9, 3, 23, 30, 5, tzinfo=UTC).timestamp()
    record = logging.makeLogRecord({"msg": "crawl:default ok", "levelname": "INFO", "created": created, "msecs": 0})
    plain = logs._ZonedFormatter("%(asctime)s %(levelname)s %(message)s")
    assert plain.format(record).startswith("2025-09-03 23:30:05,000 INFO")  # UTC before the zone is known
    try:
        logs.zone_logs(ZoneInfo("Africa/Casablanca"))
        assert plain.format(record) == "2025-09-04 00:30:05,000 INFO crawl:default ok"
        assert json.loads(logs._JsonFormatter().format(record))["time"] == "2025-09-04T00:30:05+01:00"
        french = logs._ReadersFormatter("fr")
        assert french.format(record).startswith("2025-09-04 00:30:05,000 INFO"), french.format(record)
    finally:
        logs.zone_logs(UTC)
