"""`rasd status` on a real SQLite file: a source that keeps answering but stopped producing articles is
flagged against its own usual pace; a busy source, a weekly, a failing one and a feed answering empty
are each told apart."""

from __future__ import annotations

import sqlite3
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rasd.classify import Classification
from rasd.config import load_settings
from rasd.crawler import FetchRecord
from rasd.extract import Article, content_hash
from rasd.storage import Store, read_health, utcnow
from tests.conftest import run_rasd, write_config

SITES = {
    "Daily Silent": "https://daily-silent.example/",
    "Daily Fine": "https://daily-fine.example/",
    "Weekly": "https://weekly.example/",
    "Weekly Stopped": "https://weekly-stopped.example/",
    "Failing": "https://failing.example/",
    "Empty Feed": "https://empty-feed.example/",
}
VERDICT = Classification(sse=False, score=0.1, regions=[], reasons=[], parts={"lexicon": 0.1})


def _articles(store: Store, source: str, ages_in_days: list[float]) -> None:
    """Articles of `source` stored `ages_in_days` ago (texts distinct, so none is a copy of another)."""
    for n, age in enumerate(ages_in_days):
        url = f"{SITES[source]}{n}"
        text = f"{source} {n}: " + " ".join(f"كلمة{n * 97 + i}" for i in range(60))
        article = Article(url, f"{source} {n}", text, None, None, None, "ar", None, content_hash(text))
        article_id = store.save_article(source, url, article, VERDICT)
        stored_at = str(utcnow() - timedelta(days=age))
        with sqlite3.connect(store.engine.url.database or "") as db:
            db.execute("UPDATE articles SET fetched_at = ? WHERE id = ?", (stored_at, article_id))


def _fetch(source: str, outcome: str, hours_ago: float, items: int | None = 20, kind: str = "feed") -> FetchRecord:
    return FetchRecord(
        source=source,
        url=f"{SITES[source]}feed/",
        kind=kind,
        outcome=outcome,
        status=200 if outcome == "ok" else 500,
        error=None if outcome == "ok" else "HTTP 500",
        fetched_at=utcnow() - timedelta(hours=hours_ago),
        items=items,
    )


def test_status_flags_a_source_that_answers_but_stopped_producing(tmp_path: Path) -> None:
    sources = "".join(f'[[sources]]\nname = "{name}"\nurl = "{url}"\n' for name, url in SITES.items())
    config = write_config(tmp_path, sources)
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(load_settings(str(config)).sources)
    # ~5 a day for three weeks, then nothing for 4 days although its feed answers every hour
    _articles(store, "Daily Silent", [4 + i / 5 for i in range(100)])
    _articles(store, "Daily Fine", [0.2 + i / 5 for i in range(100)])
    _articles(store, "Weekly", [6, 13, 20, 27])  # one a week: six days of quiet is its normal pace
    _articles(store, "Weekly Stopped", [40, 47, 54, 61])  # weekly until 40 days ago
    _articles(store, "Failing", [1, 2, 3])
    _articles(store, "Empty Feed", [1, 2, 3])
    answering = ("Daily Silent", "Daily Fine", "Weekly", "Weekly Stopped")
    records = [_fetch(name, "ok", hours) for name in answering for hours in (1, 2)]
    records += [_fetch("Failing", "ok", 5), _fetch("Failing", "http_error", 2), _fetch("Failing", "http_error", 1)]
    records += [_fetch("Empty Feed", "ok", 3), _fetch("Empty Feed", "ok", 2, items=0), _fetch("Empty Feed", "ok", 1, 0)]
    store.record_fetches(records)
    for _ in range(2):  # two cycles in a row in which its feed failed
        store.record_cycle({name: "HTTP 500 (feed)" if name == "Failing" else None for name in SITES})

    result = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = {line.split("  ")[0]: line for line in result.stdout.splitlines() if line.split("  ")[0] in SITES}
    assert set(lines) == set(SITES), result.stdout
    assert "silent: no new article for 4 days (usually 3.3 a day) although it answers" in lines["Daily Silent"]
    assert "←" not in lines["Daily Fine"]
    assert "←" not in lines["Weekly"]
    assert "silent: no new article for 40 days (usually 4 in 30 days) although it answers" in lines["Weekly Stopped"]
    assert "← HTTP 500" in lines["Failing"] and "silent" not in lines["Failing"]
    assert lines["Failing"].split("←")[0].split()[-1] == "2", lines["Failing"]  # failed cycles, not fetches
    assert "← its feed or sitemap answered with no entry 2 times in a row" in lines["Empty Feed"]
    # the last success in the digests' time zone (Casablanca, an hour ahead of the store's UTC), said once above
    assert "times in Africa/Casablanca (the digests' time zone: `timezone` in rasd.toml)" in result.stdout
    (header,) = [line for line in result.stdout.splitlines() if line.startswith("source ")]
    assert "last success " in header and "UTC" not in result.stdout, result.stdout
    (success,) = [health.last_success for health in store.source_health() if health.name == "Weekly"]
    assert success is not None
    local = success.replace(tzinfo=UTC).astimezone(ZoneInfo("Africa/Casablanca"))  # UTC+1, but in Ramadan
    assert f"{local:%Y-%m-%d %H:%M}" in lines["Weekly"], lines["Weekly"]
    # What `rasd status` read directly (sqlite3, without SQLAlchemy: the store is at the newest schema) is
    # what the store reads through its engine, to the microsecond.
    direct = read_health(store.url)
    assert direct is not None and direct == store.source_health()
    assert {health.name for health in direct if health.last_success and health.empty_answers} == {"Empty Feed"}


def test_status_flags_a_source_that_answers_but_never_gave_an_article(tmp_path: Path) -> None:
    """A journalist's source whose feed address answers a web page: the homepage answers, so no cycle counts
    as failed; its row said `0 · 0 · 0` under a fresh "last success" like a healthy source's (newcomer6's
    trial). It is flagged, in the reader's language, with the command that says what the site publishes."""
    config = write_config(
        tmp_path,
        '[[sources]]\nname = "Daily Fine"\nurl = "https://daily-fine.example/"\n'
        '[[sources]]\nname = "Empty Feed"\nurl = "https://empty-feed.example/"\n',
    )
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(load_settings(str(config)).sources)
    _articles(store, "Daily Fine", [0.2 + i / 5 for i in range(10)])
    # "Empty Feed" answers (its homepage, read as a listing) and never gave one article
    store.record_fetches([_fetch(name, "ok", 1, kind="homepage") for name in ("Daily Fine", "Empty Feed")])
    store.record_cycle({"Daily Fine": None, "Empty Feed": None})
    said = {
        "en": "answers, but no article of it stored yet: rasd sources check says what it publishes",
        "fr": "répond, mais aucun de ses articles n’est encore enregistré : rasd sources check dit ce qu’elle publie",
        "ar": "يجيب، لكن لم يُحفظ منه أي مقال بعد: الأمر rasd sources check يبيّن ما ينشره",
    }
    for language, line in said.items():
        result = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": language})
        assert result.returncode == 0, result.stderr
        rows = [row for row in result.stdout.splitlines() if "Empty Feed" in row or "Daily Fine" in row]
        flagged = {row.translate(dict.fromkeys(map(ord, "\u200e\u200f\u2068\u2069"))) for row in rows}
        assert any("Empty Feed" in row and line in row for row in flagged), result.stdout
        assert not any("Daily Fine" in row and "←" in row for row in flagged), result.stdout


def test_status_says_a_source_taken_out_of_sources_toml_is_no_longer_monitored(tmp_path: Path) -> None:
    """An official removes a site that was down from sources.toml: its row stayed in `rasd status`, with the
    failures of its last cycles (`1  ← connection refused`), read as a site still watched and still failing
    (newcomer12's trial). It now says the source is no longer monitored and that its articles are kept; when
    an entry of that name is only left out as wrong, the row points to the line saying why."""
    both = '[[sources]]\nname = "Daily Fine"\nurl = "https://daily-fine.example/"\n'
    both += '[[sources]]\nname = "Failing"\nurl = "https://failing.example/"\n'
    config = write_config(tmp_path, both)
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(load_settings(str(config)).sources)
    _articles(store, "Daily Fine", [0.2, 1.2])
    _articles(store, "Failing", [3])
    store.record_fetches([_fetch("Daily Fine", "ok", 1), _fetch("Failing", "http_error", 1)])
    store.record_cycle({"Daily Fine": None, "Failing": "HTTP 500 (feed)"})
    write_config(tmp_path, '[[sources]]\nname = "Daily Fine"\nurl = "https://daily-fine.example/"\n')
    said = {
        "en": "no longer among the configured sources: not monitored; its articles stay in the store",
        "fr": "ne figure plus parmi les sources configurées : plus surveillée ; ses articles restent dans la base",
        "ar": "لم يعد ضمن المصادر المضبوطة: لا يُرصد، وتبقى مقالاته في قاعدة البيانات",
    }
    marks = dict.fromkeys(map(ord, "\u200e\u200f\u2068\u2069"))
    for language, line in said.items():
        result = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": language})
        assert result.returncode == 0, result.stderr
        rows = [row.translate(marks) for row in result.stdout.splitlines() if "Failing" in row or "Daily" in row]
        (removed,) = [row for row in rows if "Failing" in row]
        assert line in removed and "HTTP 500" not in removed, result.stdout
        assert removed.split("←")[0].split()[-3:] == ["1", "1", "1"], removed  # 7 days, total, failed cycles
        assert not any("Daily Fine" in row and "←" in row for row in rows), result.stdout
    # The same name back, but written wrong: left out, and the row sends the reader to the line saying why
    write_config(
        tmp_path,
        '[[sources]]\nname = "Daily Fine"\nurl = "https://daily-fine.example/"\n'
        '[[sources]]\nname = "Failing"\nurl = "failing.example"\n',
    )
    result = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (removed,) = [row for row in result.stdout.splitlines() if row.startswith("Failing")]
    assert "← not monitored: no usable entry of this name in the sources (see the lines below)" in removed
    (why,) = [line for line in result.stdout.splitlines() if line.startswith("not monitored: ")]
    assert "sources[1].url" in why and "this source is left out until it is fixed" in why, why
