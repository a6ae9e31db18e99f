"""The schema's migrations form one line: helpers working in parallel each numbered theirs 0009 and
every command then died on Alembic's "multiple heads" before touching the store. A migration cut short
(the process killed in the middle) leaves the store as it was before it, for the next command to migrate."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from rasd.storage import Store
from rasd.storage.database import MIGRATIONS_DIR, open_engine
from tests.conftest import REPO, run_rasd, write_config

# `migrate` of the store at URL, killed (SIGKILL: nothing runs after it) right after its first statement
# starting with WORDS: the fault at a named point of the migration, not a race with a timer.
KILLED_MIGRATION = """
import os, signal, sys
from sqlalchemy import event
from rasd.storage.database import migrate, open_engine

url, words = sys.argv[1], sys.argv[2]
engine = open_engine(url)

@event.listens_for(engine, "after_cursor_execute")
def killed_after(connection, cursor, statement, *rest):
    if statement.lstrip().upper().startswith(words):
        os.kill(os.getpid(), signal.SIGKILL)

migrate(engine)
print("migrated without meeting", words)
"""


def test_migrations_form_a_single_line_numbered_like_their_files() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [max(s.revision for s in scripts.walk_revisions())]
    for script in scripts.walk_revisions():
        assert Path(str(script.path)).name.startswith(f"{script.revision}_"), script.path


def _revision_and_lookup_index(database: Path) -> tuple[str, str]:
    connection = sqlite3.connect(database)
    try:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        (index,) = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'ix_article_bands_lookup'").fetchone()
    finally:
        connection.close()
    return revision, index


@pytest.mark.parametrize(("older", "words"), [("0015", "DROP INDEX"), ("0015", "UPDATE")])
def test_a_migration_killed_half_way_leaves_the_store_for_the_next_command_to_migrate(
    tmp_path: Path, older: str, words: str
) -> None:
    """Python's sqlite3 opens a transaction only before an INSERT or UPDATE: each migration's first DROP or
    CREATE was committed on its own, and a store whose upgrade was killed there kept that change under its old
    revision; every later command ran the step again and died on it ("no such index", a traceback)."""
    database = tmp_path / "rasd.db"
    url = f"sqlite:///{database}"
    Store(url).close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = open_engine(url)
    with engine.begin() as connection:  # the store as an older Rasd left it
        config.attributes["connection"] = connection
        command.downgrade(config, older)
    engine.dispose()
    before = _revision_and_lookup_index(database)

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MIGRATION, url, words],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO)},
        check=False,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert _revision_and_lookup_index(database) == before, "the store is as it was before the migration"
    status = run_rasd("--config", str(write_config(tmp_path, "")), "status", cwd=tmp_path)
    assert status.returncode == 0 and "Traceback" not in status.stderr, status.stderr
    revision, index = _revision_and_lookup_index(database)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert revision == head and "article_id" in index, (revision, index)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_newest_first_indexes_migrate_up_and_down(tmp_path: Path, database: str, request: Any) -> None:
    """Migration 0017 adds the indexes a search walks newest first, on both databases; down, they are gone;
    up again, they are back and a search answers."""
    from sqlalchemy import text

    from rasd.storage import SearchFilters

    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'rasd.db'}"
    else:
        from tests.postgres import new_database

        url = new_database(request.getfixturevalue("postgres_admin_url"))
    Store(url).close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = open_engine(url)

    listed = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'"
        if database == "sqlite"  # SQLAlchemy's reflection leaves SQLite's indexes on expressions out
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'articles'"
    )

    def indexes() -> set[str]:
        with engine.connect() as connection:
            names = set(connection.execute(text(listed)).scalars())
        return names & {"ix_articles_moment", "ix_articles_source_moment"}

    assert indexes() == {"ix_articles_moment", "ix_articles_source_moment"}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    assert indexes() == set()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0017")
    assert indexes() == {"ix_articles_moment", "ix_articles_source_moment"}
    engine.dispose()
    store = Store(url)
    try:
        assert store.search("تعاونية", 20, SearchFilters()).total == 0
    finally:
        store.close()


def test_0018_keeps_every_search_and_copy_across_its_upgrade_and_back(tmp_path: Path) -> None:
    """Migration 0018 (SQLite): the search index made contentless over the folded columns, the band rows kept in
    their primary key. Down, the index holds the text as shown again (`original`) and the band table its rowid;
    up again, the same searches find the same articles, the same band rows are there, and a rewritten copy
    stored afterwards is grouped with the story stored before the upgrade."""
    from sqlalchemy import select

    from rasd.config import Source
    from rasd.storage.models import ArticleBandRow
    from tests.test_near_duplicates import ARABIC, MORNING, SITES, _originals, _save, _version
    from tests.test_search import _fill

    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    store = Store(url)
    ids = _fill(store)
    store.sync_sources([Source(name=name, url=f"https://site{i}.example/") for i, name in enumerate(SITES)])
    agency = _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING)
    queries = ["تعاونية", "اطلقت", "cooperative*", "ESS", '"economie sociale"', "meknes OR sefrou"]
    found = {query: [story.article_id for story in store.search(query)] for query in queries}
    assert all(found.values()), found

    def bands() -> set[tuple[int, int, int, int | None]]:
        with store.session() as session:
            rows = session.execute(
                select(ArticleBandRow.article_id, ArticleBandRow.band, ArticleBandRow.hash, ArticleBandRow.day)
            )
            return {tuple(row) for row in rows}  # type: ignore[misc]

    banded = bands()
    store.close()

    def schema() -> dict[str, str]:
        connection = sqlite3.connect(tmp_path / "rasd.db")
        try:
            return dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'article%'"))
        finally:
            connection.close()

    assert "articles_fts_content" not in schema() and "WITHOUT ROWID" in schema()["article_bands"]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = open_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0017")
    assert "articles_fts_content" in schema() and "WITHOUT ROWID" not in schema()["article_bands"]
    with engine.connect() as connection:  # as shown again: the accented word, as the article writes it
        shown = connection.exec_driver_sql("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'original : Fès'")
        assert {row[0] for row in shown} == {ids["Fès : l'économie sociale et solidaire en débat"]}
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()
    assert "articles_fts_content" not in schema() and "WITHOUT ROWID" in schema()["article_bands"]
    store = Store(url)
    try:
        assert {query: [story.article_id for story in store.search(query)] for query in queries} == found
        assert bands() == banded
        copy = _save(store, "Akhbar Al Jihat", _version(ARABIC, "paragraph dropped"), MORNING)
        assert _originals(store)[copy] == agency
    finally:
        store.close()
