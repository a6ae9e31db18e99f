"""Every statement the commands send is answered through an index, found by running the commands (issue 16).

`rasd status`, `rasd search` (a word in every article, a word in one, with --sse, --region, --source, --lang,
a date range), `rasd explain`, `rasd label`, `rasd export` of a day, `rasd housekeeping` and `rasd digest` are
run as a user runs them (the `rasd`
command line, in this process) on a store of realistic shape: 6,000 articles on SQLite, 100,000 on PostgreSQL
(whose planner rightly reads a table of a few thousand rows whole), filled by tests/test_query_plans.py and
tests/test_query_plans_postgres.py, and every statement they send
is recorded: on SQLite by sqlite3's trace of each connection (the commands that read a store directly send
theirs without SQLAlchemy: storage/direct.py), on PostgreSQL by SQLAlchemy's cursor events and, for those that
read it with psycopg alone (storage/direct.py), by what they ask it to run. Each is then
planned — EXPLAIN QUERY PLAN, EXPLAIN — and a plan that reads articles (or another table that grows with the
store) whole fails the test. So a statement a command starts sending later is checked without being named
here. The one walk allowed is a search of many matches reading ix_articles_moment newest first, in the order
asked for and with a LIMIT: it stops at its page (storage.reading.COUNTED; tests/test_query_plans.py's
`_scans`), and sorts nothing (checked below)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.engine import Engine

from rasd.monitor.cli import cli
from rasd.storage import direct
from tests import test_query_plans, test_query_plans_postgres

ARTICLES = 6_000  # more than a search sorts (storage.reading.SORTED)
SUBSCRIPTION = '[[subscriptions]]\nname = "everything"\nemail = "reader@example.ma"\nfrequency = "immediate"\n'


def _commands(newest: int) -> list[list[str]]:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    return [
        ["status"],
        ["search", "عنوان"],  # in every article's title: more matches than a search counts
        ["search", "عنوان", "--sse"],
        ["search", "عنوان", "--region", "MA-09"],
        ["search", "عنوان", "--source", "Source 7"],
        ["search", "عنوان", "--lang", "ar"],
        ["search", "عنوان", "--since", "2025-01-01", "--until", "2025-06-30"],
        ["search", f"{newest - 7}*"],  # a single article
        ["search", f"{newest - 7}*", "--sse", "--source", "Source 7"],
        ["explain", str(newest - 7)],
        ["label", str(newest - 7), "sse", "--by", "tester"],
        ["export", "--since", f"{yesterday:%Y-%m-%d}", "--until", f"{yesterday:%Y-%m-%d}"],  # a day of ~8
        ["housekeeping"],
        ["digest"],
    ]


def _config(folder: Path, url: str) -> Path:
    sources = "".join(f'[[sources]]\nname = "Source {s}"\nurl = "https://s{s}.example/"\n' for s in range(1, 101))
    config = folder / "rasd.toml"
    config.write_text(f'outbox = "{folder / "outbox"}"\n[storage]\nurl = "{url}"\n{SUBSCRIPTION}{sources}')
    return config


def _run(config: Path, folder: Path, command: list[str]) -> None:
    env = {"RASD_CONFIG": str(config), "XDG_CACHE_HOME": str(folder / "cache"), "RASD_LANG": "en"}
    result = CliRunner().invoke(cli, command, env=env, catch_exceptions=False)
    assert result.exit_code == 0, (command, result.output)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("commands") / "rasd.db"
    with mock.patch.object(test_query_plans, "ARTICLES", ARTICLES):
        test_query_plans._fill(path)
    return path


def _traced(sent: list[str]) -> Any:
    """sqlite3.connect, each connection tracing what it runs (as sent, its values written in)."""
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(sent.append)
        return connection

    return traced


def _sqlite_scans(path: Path, statements: list[str]) -> list[str]:
    partial = test_query_plans._partial_indexes(path)
    with sqlite3.connect(path) as db:
        plans = {
            statement: [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {statement}")]
            for statement in dict.fromkeys(statements)
            if re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", statement, re.IGNORECASE)
            and "'main'.'articles_fts_" not in statement  # FTS5's own reads of its tables, by key
        }
    assert plans
    return test_query_plans._scans(plans, partial)


def _sent_to_sqlite(sqlite_store: Path, folder: Path, command: list[str]) -> tuple[Path, list[str]]:
    """`command` run on a copy of the store in `folder`: the copy, and every statement sent to it."""
    path = folder / "rasd.db"
    shutil.copyfile(sqlite_store, path)
    config = _config(folder, f"sqlite:///{path}")
    sent: list[str] = []
    traced = _traced(sent)
    with mock.patch("sqlite3.connect", traced), mock.patch("sqlite3.dbapi2.connect", traced):
        _run(config, folder, command)
    return path, sent


@pytest.mark.parametrize("command", _commands(ARTICLES), ids=" ".join)
def test_every_statement_a_command_sends_to_sqlite_is_answered_through_an_index(
    sqlite_store: Path, command: list[str], tmp_path: Path
) -> None:
    path, sent = _sent_to_sqlite(sqlite_store, tmp_path, command)
    assert _sqlite_scans(path, sent) == []


def test_a_search_of_many_matches_says_it_stopped_counting(sqlite_store: Path, tmp_path: Path) -> None:
    """A word in every article: the newest 20, and "more than 5000" rather than a count of every match."""
    path = tmp_path / "rasd.db"
    shutil.copyfile(sqlite_store, path)
    config = _config(tmp_path, f"sqlite:///{path}")
    env = {"RASD_CONFIG": str(config), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for language, said in [
        ("en", "more than 5000 articles match; the 20 newest shown"),
        ("fr", "plus de 5000 articles trouvés ; les 20 plus récents affichés"),
        ("ar", "أكثر من 5000 مقال مطابق"),
    ]:
        result = CliRunner().invoke(cli, ["search", "عنوان"], env={**env, "RASD_LANG": language})
        assert result.exit_code == 0, result.output
        assert said in result.output, result.output
        ids = [int(found[1]) for line in result.output.splitlines() if (found := re.match(r"\W*(\d+)\W", line))]
        assert ids == list(range(ARTICLES, ARTICLES - 20, -1)), ids  # the newest 20, newest first
    filtered = CliRunner().invoke(cli, ["search", "عنوان", "--lang", "ar"], env={**env, "RASD_LANG": "en"})
    assert "more than 1000 articles match" in filtered.output, filtered.output  # storage.reading.COUNTED
    one = CliRunner().invoke(cli, ["search", f"{ARTICLES - 7}*"], env={**env, "RASD_LANG": "en"})
    assert "1 article matches" in one.output, one.output


def test_a_search_of_many_matches_sorts_none_of_them(sqlite_store: Path, tmp_path: Path) -> None:
    """A word in every article: its page is read newest first, not found by sorting all 6,000 matches (the
    cost of a common word grew with its matches: 1.3 s for a word in a quarter of a million articles)."""
    path, sent = _sent_to_sqlite(sqlite_store, tmp_path, ["search", "عنوان", "--sse"])
    with sqlite3.connect(path) as db:
        sorting = [
            statement
            for statement in sent
            if "articles_fts MATCH" in statement  # the search's own, not the page's 20 stories
            and any(row[1] == 0 and "TEMP B-TREE" in row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {statement}"))
        ]
    assert sorting == []


@pytest.fixture(scope="module")
def postgres_store(postgres_admin_url: str) -> Iterator[str]:
    from rasd.storage import Store
    from tests.postgres import new_database

    url = new_database(postgres_admin_url)
    store = Store(url)
    # PostgreSQL rightly reads a table of a few thousand rows whole: its plans are those of a larger store
    test_query_plans_postgres.fill(store)
    store.close()
    yield url


def _recorded_reads(sent: test_query_plans_postgres.Sent) -> Any:
    """storage.direct's reads of PostgreSQL with psycopg, each statement kept in `sent` as psycopg was sent it,
    with its values and its transaction (one a read)."""
    read = direct._read_postgresql

    def recorded(url: str, work: Any) -> Any:
        transaction = object()

        def recording(run: Any, postgresql: bool) -> Any:
            def run_recorded(sql: str, values: dict[str, object]) -> Any:
                if re.match(r"\s*(SELECT|WITH|SET)\b", sql):  # not the planner's estimate, an EXPLAIN itself
                    sent.append((direct._pyformat(sql), values, id(transaction)))
                return run(sql, values)

            return work(run_recorded, postgresql)

        return read(url, recording)

    return recorded


@pytest.mark.parametrize("command", _commands(test_query_plans_postgres.ARTICLES), ids=" ".join)
def test_every_statement_a_command_sends_to_postgresql_is_answered_through_an_index(
    postgres_store: str, command: list[str], tmp_path: Path
) -> None:
    from rasd.storage.database import open_engine

    config = _config(tmp_path, postgres_store)
    sent: test_query_plans_postgres.Sent = []
    record = test_query_plans_postgres.recorder(sent)
    event.listen(Engine, "before_cursor_execute", record)
    try:
        with mock.patch.object(direct, "_read_postgresql", _recorded_reads(sent)):
            _run(config, tmp_path, command)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    engine = open_engine(postgres_store)
    try:
        plans = test_query_plans_postgres.explained(engine, sent)
    finally:
        engine.dispose()
    assert plans
    assert test_query_plans_postgres._scans(plans) == []
