"""Faults of the machine itself, for real: a full disk (a tmpfs of a few kilobytes, tests/smalldisk.py)
under the outbox and under the database. What a person reads is one line naming the file and what to do;
nothing already written is lost, and nothing half-written is left behind."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.storage import Store
from rasd.storage.unwritable import Busy, unwritable_file
from tests.conftest import REPO, SUBSCRIBER, run_rasd, write_config
from tests.postgres import _free_port
from tests.sites import RSS, Site, article, route, rss, sources, stories
from tests.smalldisk import fill, on_small_disk
from tests.test_alerts import SOURCES
from tests.test_alerts import fill as fill_store

DELIVER_BIG_DIGEST = """
from pathlib import Path

import pytest
from rasd.alerts.delivery import DeliveryError, deliver
from rasd.config import SmtpSettings
from email.message import EmailMessage
digest = EmailMessage()
digest["Subject"], digest["To"] = "Rasd digest", "watcher@example.org"
digest.set_content("تعاونية فلاحية نسائية بإقليم تيزنيت " * 5000)  # ~350 kB: more than the disk holds
message = digest.as_string()
try:
    print("delivered to", deliver(message, 7, SmtpSettings(), Path("{outbox}")))
except DeliveryError as error:
    print("not delivered:", error)
"""


def test_a_full_outbox_keeps_no_half_written_message(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    script = tmp_path / "deliver.py"
    script.write_text(DELIVER_BIG_DIGEST.format(outbox=disk / "outbox"), encoding="utf-8")
    result = on_small_disk(disk, 64, f'"$PYTHON" {script}\necho "left: $(ls -A "$DISK/outbox")"')
    assert result.returncode == 0, result.stderr
    assert "not delivered: outbox " in result.stdout and ": its disk is full: " in result.stdout, result.stdout
    assert "left: \n" in result.stdout, result.stdout  # no .eml, no .eml.part


def test_a_read_only_outbox_is_said_in_the_readers_words_and_its_digest_goes_out_once_it_is_writable(
    tmp_path: Path,
) -> None:
    """The outbox on a disk mounted read-only: "OSError: Read-only file system" was printed inside the French
    line. The digest stays pending and is written at the first run after the disk is writable again."""
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    fill_store(store)
    store.close()
    disk = tmp_path / "disk"
    config = write_config(tmp_path, SUBSCRIBER).read_text().replace(str(tmp_path / "outbox"), str(disk / "outbox"))
    (tmp_path / "rasd.toml").write_text(config, encoding="utf-8")
    digest = f'"$PYTHON" -m rasd.monitor --config {tmp_path / "rasd.toml"} digest'
    script = (
        'mkdir "$DISK/outbox" && mount -o remount,ro "$DISK" || exit 98\n'
        f'{digest}; echo "exit $?"\n'
        'mount -o remount,rw "$DISK" || exit 99\n'
        f'{digest}; echo "exit $?"\n'
        'ls "$DISK/outbox"\n'
    )

    result = on_small_disk(disk, 1024, script, env={"RASD_LANG": "fr"})

    first, second = result.stdout.split("exit ", 2)[:2], result.stdout.split("exit ")[2]
    assert "boîte d’envoi " in first[0] and " : son disque ou son montage est en lecture seule : " in first[0], first
    assert "Read-only file system" not in result.stdout and first[1].startswith("1"), result.stdout
    assert second.startswith("0") and second.count(".eml") == 1, result.stdout


def two_sources(tmp_path: Path, before: list[str], after: list[str]) -> tuple[Path, Path, Path]:
    """A config of two sources, "Before" and "After", whose feeds announce `before` and `after` (served by
    `sites`), with the database on `tmp_path/disk`; returns the config, the disk and a folder for outputs."""
    first, second = (links[0].rsplit("/", 4)[0] for links in (before, after))
    route(f"{first}/feed/", 200, rss(before), RSS)
    route(f"{second}/feed/", 200, rss(after), RSS)
    config = write_config(
        tmp_path,
        sources(("Before", first, f'feeds = ["{first}/feed/"]'), ("After", second, f'feeds = ["{second}/feed/"]')),
    )
    disk, out = tmp_path / "disk", tmp_path / "out"
    config.write_text(config.read_text().replace(str(tmp_path / "rasd.db"), str(disk / "rasd.db")))
    out.mkdir()
    return config, disk, out


def crawl(config: Path, source: str, out: Path, step: str) -> str:
    """A shell line: `rasd crawl --source SOURCE`, its output and exit code kept in `out` as STEP.*"""
    keep = f"> {out}/{step}.out 2> {out}/{step}.err; echo $? > {out}/{step}.rc"
    return f"rasd --config {config} crawl --source {source} {keep}"


def stored_urls(db: Path, out: Path) -> str:
    """A shell line: the database's integrity check, then its article URLs, into `out`/db."""
    query = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        'print(c.execute("PRAGMA integrity_check").fetchone()[0]); '
        'print(sorted(u for (u,) in c.execute("SELECT url FROM articles")))'
    )
    return f"\"$PYTHON\" -c '{query}' {db} > {out}/db"


def outputs(out: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in out.iterdir()}


# 0 kB left: the crawl lock, the first file a crawl writes, cannot be; then the database's WAL index cannot grow,
# then the articles do not fit (pages of 50 kB).
@pytest.mark.parametrize("free_kb", [0, 8, 160])
def test_a_full_disk_under_the_database_is_one_line_naming_the_file_and_nothing_is_lost(
    sites: list[str], tmp_path: Path, free_kb: int
) -> None:
    first, second = sites[0], sites[1]
    before = stories(first, "before", 3)
    after = [f"{second}/2026/11/2{n}/after-story-{n}" for n in range(4)]
    for n, link in enumerate(after):
        route(
            link,
            200,
            article(f"قصة رقم {n}").replace(b"</p>", b" " + "تعاونية فلاحية نسائية ".encode() * 2000 + b"</p>"),
        )
    config, disk, out = two_sources(tmp_path, before, after)
    script = "\n".join(
        [
            crawl(config, "Before", out, "1"),
            fill(),
            f'truncate -s -{free_kb}K "$DISK/filler"',
            crawl(config, "After", out, "2"),
            'rm "$DISK/filler"',
            crawl(config, "After", out, "3"),
            stored_urls(disk / "rasd.db", out),
            f'ls -A "$DISK" > {out}/files',
        ]
    )

    result = on_small_disk(disk, 8192, script)

    assert result.returncode == 0, result.stderr
    text = outputs(out)
    assert text["1.rc"] == "0\n" and text["3.rc"] == "0\n", text
    # one line on a full disk, naming the file and what to do; nothing on stdout pretends it went well
    what = "rasd.db.crawl.lock" if free_kb == 0 else "rasd.db"
    assert text["2.err"] == (
        f"rasd: cannot write {disk / what}: its disk is full. Free space on that disk (or move it to a larger "
        "one), then run again; what was written before is intact\n"
    ), text["2.err"]
    assert (text["2.rc"], text["2.out"]) == ("1\n", "")
    # nothing lost: what was stored before is there, the database is sound, and the next crawl stores the rest
    assert text["db"] == f"ok\n{sorted(before + after)}\n", text["db"]
    assert not [name for name in text["files"].split() if name.endswith(".tmp")], text["files"]
    if free_kb >= 160:  # the crawl ran, and its articles did not fit
        assert all(Site.hits[link.removeprefix("http://")] == 2 for link in after)  # fetched, not stored, fetched


def test_a_read_only_database_is_one_line_naming_it_and_nothing_is_lost(sites: list[str], tmp_path: Path) -> None:
    first, second = sites[0], sites[1]
    before, after = stories(first, "before", 2), stories(second, "after", 2)
    config, disk, out = two_sources(tmp_path, before, after)
    script = "\n".join(
        [
            crawl(config, "Before", out, "1"),
            'mount -o remount,ro "$DISK"',
            crawl(config, "After", out, "2"),
            f"rasd --config {config} status > {out}/status.out 2> {out}/status.err",
            'mount -o remount,rw "$DISK"',
            crawl(config, "After", out, "3"),
            stored_urls(disk / "rasd.db", out),
        ]
    )

    result = on_small_disk(disk, 8192, script)

    assert result.returncode == 0, result.stderr
    text = outputs(out)
    assert text["1.rc"] == "0\n" and text["3.rc"] == "0\n", text
    assert text["2.err"].startswith(f"rasd: cannot write {disk}/rasd.db") and text["2.err"].count("\n") == 1
    assert "it is read-only" in text["2.err"] and "Make it writable" in text["2.err"], text["2.err"]
    # a command that only reads works on the read-only disk: the table, not an error
    assert text["status.err"] == "" and text["status.out"].startswith(f"database: {disk}/rasd.db"), text
    assert "\nBefore " in text["status.out"], text["status.out"]
    assert text["db"] == f"ok\n{sorted(before + after)}\n", text["db"]


def test_the_daemon_on_a_full_disk_says_so_in_one_line_and_goes_on(sites: list[str], tmp_path: Path) -> None:
    before, after = stories(sites[0], "before", 2), stories(sites[1], "after", 2)
    config, disk, out = two_sources(tmp_path, before, after)
    script = "\n".join(
        [
            crawl(config, "Before", out, "1"),
            fill(),
            'truncate -s -160K "$DISK/filler"',
            f'"$PYTHON" -m rasd.monitor --config {config} run > {out}/daemon.out 2> {out}/daemon.err &',
            "daemon=$!",
            # until its first crawl has ended (its line is logged), at most two minutes
            f'for _ in $(seq 1 240); do grep -q "crawl:" {out}/daemon.err && break; sleep 0.5; done',
            'kill -TERM "$daemon"; wait "$daemon"',
            f"echo $? > {out}/daemon.rc",
        ]
    )

    result = on_small_disk(disk, 8192, script)

    assert result.returncode == 0, result.stderr
    text = outputs(out)
    log = text["daemon.err"]
    assert "Traceback" not in log, log
    (crawl_line,) = [line for line in log.splitlines() if "crawl:" in line]
    assert "failed" in crawl_line and f"error: cannot write {disk / 'rasd.db'}: its disk is full" in crawl_line, log
    assert text["daemon.rc"] == "0\n", log


def _damaged_store(kind: str, path: Path) -> None:
    """A store file that is no database (`garbage`), or a real store whose pages were overwritten."""
    if kind == "garbage":
        path.write_bytes(bytes(range(256)) * 64)
        return
    Store(f"sqlite:///{path}").close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first: its b-tree header and cells
        data[offset : offset + 512] = bytes((offset // 4096 + i) % 251 for i in range(512))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["garbage", "overwritten pages"])
def test_a_damaged_store_is_one_line_saying_how_to_recover_and_is_left_as_it_was(kind: str, tmp_path: Path) -> None:
    database = tmp_path / "rasd.db"
    config = write_config(tmp_path, "")
    _damaged_store(kind, database)
    before = database.read_bytes()
    for args in (("status",), ("search", "تعاونية"), ("crawl",), ("digest",)):
        result = run_rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.startswith(
            f"rasd: cannot use {database}: it is not an SQLite database, or it is damaged. Put back a backup"
        ), (args, result.stderr)
        assert f"sqlite3 {database} .recover | sqlite3 {tmp_path / 'rasd-recovered.db'}" in result.stderr
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
        assert database.read_bytes() == before, args  # nothing written over what may still be saved


def test_a_store_another_program_keeps_busy_is_one_line_saying_to_run_again(tmp_path: Path) -> None:
    """SQLite's own "database is locked" (after the busy timeout, 30 s in the store) as the store reports it."""
    database = tmp_path / "rasd.db"
    Store(f"sqlite:///{database}").close()
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # sqlite3 with an open transaction
    writer = sqlite3.connect(database, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        writer.execute("INSERT INTO labels (article_id, sse, labelled_by, labelled_at) VALUES (1, 1, 'x', 'y')")
    holder.rollback()
    holder.close()
    writer.close()
    error = unwritable_file(locked.value, database)
    assert isinstance(error, Busy), locked.value
    assert str(error) == (
        f"cannot write {database}: another program kept it busy for 30 s (sqlite3 with an open transaction, "
        "a backup, another rasd). Nothing was changed; run again when it is done"
    )


def test_a_postgresql_server_that_is_down_or_has_no_such_database_is_one_line(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    """A server not running on its port, and a real server without the named database: each one line
    naming the database (no password shown), nothing else; the URL written plain `postgresql://` works."""
    server = postgres_admin_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
    down = f"postgresql://rasd@127.0.0.1:{_free_port()}/rasd"
    missing = f"{server}/no_such_database"
    for url, why in ((down, "Connection refused"), (missing, 'database "no_such_database" does not exist')):
        config = tmp_path / "rasd.toml"
        config.write_text(f'[storage]\nurl = "{url}"\n', encoding="utf-8")
        result = run_rasd("--config", str(config), "status", cwd=tmp_path)
        assert result.returncode == 1, result.stdout
        assert result.stderr.startswith("rasd: cannot open the database postgresql://"), result.stderr
        assert why in result.stderr and "Is the server running" in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://rasd@localhost/rasd", "storage.url: expected sqlite:///PATH or postgresql://USER@HOST/DATABASE"),
        ("postgres://rasd@localhost/rasd", "(postgres:// is spelled postgresql://)"),
    ],
)
def test_a_database_rasd_does_not_support_is_a_config_error(url: str, expected: str, tmp_path: Path) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text(f'[storage]\nurl = "{url}"\n', encoding="utf-8")
    result = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("rasd: config error: "), result.stderr
    assert expected in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr


def test_the_daemon_stops_with_one_line_when_its_database_is_deleted_under_it(sites: list[str], tmp_path: Path) -> None:
    """SQLite would go on writing into the deleted file the daemon holds open, each job logging ok, and all
    of it would vanish at the stop. The next job sees the file gone: one error line, the daemon stops, exit 1."""
    folder = tmp_path / "data"
    quiet = f'[[sources]]\nname = "Quiet"\nurl = "{sites[0]}/"\n'  # a loopback site with nothing on it
    config = write_config(tmp_path, quiet, extra="[schedule]\ndigest_check_every_minutes = 0.02\n")
    config.write_text(config.read_text().replace(str(tmp_path / "rasd.db"), str(folder / "rasd.db")))
    daemon = subprocess.Popen(
        [sys.executable, "-m", "rasd.monitor", "--config", str(config), "run"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert daemon.stderr is not None
    seen = []
    for line in daemon.stderr:  # the first digest check has run on the file: now its folder goes
        seen.append(line)
        if " digest " in line and " ok " in line:
            folder.rename(tmp_path / "moved away")  # at once, whatever the daemon is writing in it (as mv does)
            break
    rest = daemon.stderr.read()
    assert daemon.wait(timeout=120) == 1, "".join(seen) + rest
    assert f"the database {folder / 'rasd.db'} was deleted or replaced while the daemon ran" in rest, rest
    assert rest.rstrip().splitlines()[-1].startswith(f"rasd: the database {folder / 'rasd.db'} was deleted"), rest
    assert "Traceback" not in rest, rest
    # no one sent a signal: the log said "SIGTERM: stopping; jobs in flight: none" under the reason (faults13)
    assert "SIGTERM: stopping" not in rest and " INFO stopping; jobs in flight: " in rest, rest
