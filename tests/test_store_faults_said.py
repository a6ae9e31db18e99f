"""A store Rasd cannot use, said in one line in the reader's language, and left as it was.

Found by a sweep of faults as a person running Rasd from cron meets them: a store written by a newer Rasd
(its schema revision is none this Rasd ships) stopped every command with Alembic's traceback ("Can't locate
revision"); a full disk, a read-only or damaged file, a busy store or a PostgreSQL server that is down were
said in English inside French and Arabic lines ("rasd : cannot write …"). Real SQLite files, the real
command in a subprocess.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rasd.monitor.speech import Speech
from rasd.storage import Store
from rasd.storage.unwritable import Busy, Damaged, Newer, Unreachable, Unwritable
from tests.conftest import run_rasd, write_config
from tests.postgres import _free_port

NEWER = "0099_a_newer_rasd"


def _stamped_newer(database: Path) -> None:
    """A store as a newer Rasd leaves it: this Rasd's schema, stamped with a revision it does not ship."""
    Store(f"sqlite:///{database}").close()
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (NEWER,))
    connection.close()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "a newer Rasd wrote it (schema 0099_a_newer_rasd; this Rasd knows up to "),
        ("fr", "une version plus récente de Rasd l’a écrite (schéma 0099_a_newer_rasd ; cette version connaît"),
        ("ar", "كتبه إصدار أحدث من رصد"),
    ],
)
def test_a_store_a_newer_rasd_wrote_is_one_line_and_left_as_it_was(language: str, words: str, tmp_path: Path) -> None:
    database = tmp_path / "rasd.db"
    config = write_config(tmp_path, "")
    _stamped_newer(database)
    before = database.read_bytes()
    for args in (("status",), ("crawl",), ("digest",), ("housekeeping",)):
        result = run_rasd("--config", str(config), *args, cwd=tmp_path, env={"RASD_LANG": language})
        assert result.returncode == 1, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, (args, result.stderr)
        assert words in result.stderr and NEWER in result.stderr and str(database) in result.stderr, result.stderr
    assert database.read_bytes() == before  # not stamped back, not migrated
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (NEWER,)
    connection.close()


def test_a_newer_rasds_store_opened_read_only_is_not_called_older(tmp_path: Path) -> None:
    """A read-only store (a read-only mount) is not migrated; one a newer Rasd wrote must not be told to be
    "opened where it can be written" to be upgraded: no upgrade exists here."""
    database = tmp_path / "rasd.db"
    _stamped_newer(database)
    with pytest.raises(Newer) as refused:
        Store(f"sqlite:///{database}", read_only=True)
    assert "a newer Rasd wrote it" in str(refused.value) and "older" not in str(refused.value)


@pytest.mark.parametrize(
    ("language", "start", "words"),
    [
        ("fr", "rasd : impossible d’utiliser ", "ce n’est pas une base SQLite, ou elle est abîmée"),
        ("ar", "\u200frasd: \u200fيتعذر استعمال ", "ليس قاعدة بيانات SQLite، أو هو تالف"),
    ],
)
def test_a_damaged_store_is_said_in_the_readers_language(language: str, start: str, words: str, tmp_path: Path) -> None:
    database = tmp_path / "rasd.db"
    config = write_config(tmp_path, "")
    database.write_bytes(bytes(range(256)) * 64)
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": language})
    assert result.returncode == 1 and result.stderr.startswith(start), result.stderr
    assert words in result.stderr and "cannot use" not in result.stderr, result.stderr
    assert f"sqlite3 {database} .recover | sqlite3 {tmp_path / 'rasd-recovered.db'}" in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_a_postgresql_server_that_is_down_is_said_in_french_with_the_servers_own_words(tmp_path: Path) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text(f'[storage]\nurl = "postgresql://rasd@127.0.0.1:{_free_port()}/rasd"\n', encoding="utf-8")
    result = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("rasd : impossible d’ouvrir la base postgresql://rasd@127.0.0.1:"), result.stderr
    assert "Connection refused" in result.stderr and "Le serveur tourne-t-il" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    ("fault", "french", "arabic"),
    [
        (Unwritable("/srv/rasd.db"), "son disque est plein", "قرصه ممتلئ"),
        (Unwritable("/srv/rasd.db", read_only=True), "il est en lecture seule", "إنه للقراءة فقط"),
        (Busy("/srv/rasd.db"), "un autre programme l’a occupée pendant 30 s", "أبقاه برنامج آخر مشغولًا"),
        (Damaged("/srv/rasd.db"), "ce n’est pas une base SQLite", "ليس قاعدة بيانات SQLite"),
        (Newer("/srv/rasd.db", NEWER, "0016"), "une version plus récente de Rasd", "كتبه إصدار أحدث من رصد"),
        (Unreachable("/srv/rasd.db", "timeout"), "Le serveur tourne-t-il", "هل الخادم يعمل"),
    ],
)
def test_every_store_fault_has_its_line_in_each_language_and_english_as_written(
    fault: Unwritable, french: str, arabic: str
) -> None:
    """Each fault's line, as `rasd` prints it (`Speech.told` of its message), names the file in each
    language; `str` stays English for the daemon's log and the run's record."""
    assert str(fault).startswith("cannot ") and "/srv/rasd.db" in str(fault)
    for language, words in (("fr", french), ("ar", arabic)):
        said = Speech(language).told(fault.args[0])
        assert words in said and "/srv/rasd.db" in said and "cannot" not in said, (language, said)


def test_a_folder_where_the_store_should_be_or_a_file_where_its_folder_should_be_is_one_line(tmp_path: Path) -> None:
    """A folder named rasd.db gave SQLite's "unable to open database file"; a file in the place of the store's
    folder, FileExistsError from making it: both a traceback. Said in the reader's words, naming what to move;
    moved aside, the next run works."""
    config = write_config(tmp_path, "")
    (tmp_path / "rasd.db").mkdir()

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 1 and "Traceback" not in crawl.stderr, crawl.stderr
    assert f"rasd : impossible d’écrire {tmp_path / 'rasd.db'} : un dossier porte ce nom. Déplacez" in crawl.stderr

    (tmp_path / "rasd.db").rmdir()
    placed = tmp_path / "placed"
    placed.write_text("not a folder", encoding="utf-8")
    config.write_text(config.read_text().replace(str(tmp_path / "rasd.db"), str(placed / "rasd.db")))
    for command in ("crawl", "digest"):
        refused = run_rasd("--config", str(config), command, cwd=tmp_path, env={"RASD_LANG": "ar"})
        assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert "ملف، حيث يلزم مجلد" in refused.stderr and str(placed) in refused.stderr, refused.stderr

    placed.unlink()
    digest = run_rasd("--config", str(config), "digest", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert digest.returncode == 0, digest.stderr
    assert (placed / "rasd.db").is_file()


def test_a_database_gone_from_a_server_used_before_is_said_as_a_wrong_name_not_a_lost_connection(
    postgres_admin_url: str,
) -> None:
    """A daemon's engine outlives its runs: a database renamed (or dropped) between two of them is the
    settings' fault — 'cannot open … is the database name right?' — not 'lost the connection during the run',
    which it was said as once the engine had connected before (review12)."""
    import psycopg
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from rasd.storage.database import open_engine
    from tests.postgres import new_database

    url = new_database(postgres_admin_url)
    engine = open_engine(url)
    with engine.connect() as connection:  # the engine has answered once
        connection.execute(text("SELECT 1"))
    engine.dispose()
    admin = postgres_admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"ALTER DATABASE {make_url(url).database} RENAME TO {make_url(url).database}_moved")
    with pytest.raises(Unreachable) as refused, engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    said = str(refused.value)
    assert said.startswith("cannot open ") and "database name right?" in said and "lost the connection" not in said
