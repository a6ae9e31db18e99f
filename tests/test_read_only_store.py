"""Commands that only read the store work on a store nobody may write: a read-only mount (a backup, a
snapshot, a copy shared with researchers) or a file the user may not change. `rasd status`, `search`,
`explain`, `export`, `report`, `evaluate` and `digest --dry-run` answer as usual and leave the file as it was.

The store's folder is made read-only for real: as root (CI), whom permissions do not stop, by a read-only
bind mount in a mount namespace of the command's own (`unshare -m`, gone when it exits); otherwise by
taking the write permission away. Each test first checks that the folder indeed refuses a write.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from rasd.storage import Store
from tests.conftest import REPO, write_config
from tests.test_search import STORIES, _fill

ROOT = os.geteuid() == 0


def _run_read_only(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """`command` with `folder` read-only for it."""
    if ROOT:
        mount = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'
        command = ("unshare", "-m", "--propagation", "private", "sh", "-c", mount, str(folder), *command)
    return subprocess.run(
        command,
        cwd=folder.parent,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


def _rasd(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run_read_only(folder, sys.executable, "-m", "rasd.monitor", "--config", str(folder / "rasd.toml"), *args)


def _locked(folder: Path, extra: str = "") -> Iterator[Path]:
    """A filled store (WAL mode, closed cleanly: no -wal or -shm file beside it) in a read-only folder,
    its config ending with `extra`."""
    write_config(folder, "", extra)
    store = Store(f"sqlite:///{folder / 'rasd.db'}")
    _fill(store)
    store.close()
    store.engine.dispose()
    if not ROOT:
        (folder / "rasd.db").chmod(0o444)
        folder.chmod(0o555)
    probe = _run_read_only(folder, sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')")
    assert probe.returncode != 0 and ("Read-only file system" in probe.stderr or "Permission denied" in probe.stderr)
    yield folder
    folder.chmod(0o755)


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    yield from _locked(tmp_path / "store")


READER = '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nfrequency = "immediate"\n'


@pytest.fixture
def locked_with_a_reader(tmp_path: Path) -> Iterator[Path]:
    """The same, with a subscriber whose first digest is due."""
    yield from _locked(tmp_path / "store", READER)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reading_commands_work_on_a_read_only_store(locked: Path, tmp_path: Path) -> None:
    before = _digest(locked / "rasd.db")
    assert (locked / "rasd.db").read_bytes()[18:20] == b"\x02\x02", "a WAL database (its header says so)"
    assert sorted(p.name for p in locked.iterdir()) == ["rasd.db", "rasd.toml"]

    status = _rasd(locked, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith(f"database: {locked / 'rasd.db'}") and "Tiznit Info" in status.stdout

    found = _rasd(locked, "search", "تعاونية", "--format", "jsonl")
    assert found.returncode == 0, found.stderr
    assert STORIES[0][2] in found.stdout

    explained = _rasd(locked, "explain", "1")
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith(STORIES[0][2])

    exported = _rasd(locked, "export", "--format", "jsonl")
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) == len(STORIES), exported.stderr

    report = _rasd(locked, "report", "--month", "2025-09", "--output", str(tmp_path / "september.html"))
    assert report.returncode == 0, report.stderr
    assert "SSE stories of 2025-09" in report.stdout

    evaluated = _rasd(locked, "evaluate")
    assert evaluated.returncode == 0 and "none yet" in evaluated.stdout, evaluated.stderr

    # rasd browse's Datasette (its test client, in a process that sees the folder read-only)
    browse = (
        "import asyncio, pathlib; from rasd.monitor.browse import datasette_for; "
        f"d = datasette_for(pathlib.Path({str(locked / 'rasd.db')!r})); "
        "r = asyncio.run(d.client.get('/rasd/articles.json?_shape=array')); print(r.status_code, len(r.json()))"
    )
    browsed = _run_read_only(locked, sys.executable, "-c", browse)
    assert browsed.stdout == f"200 {len(STORIES)}\n", browsed.stderr

    assert _digest(locked / "rasd.db") == before
    assert sorted(p.name for p in locked.iterdir()) == ["rasd.db", "rasd.toml"], "nothing written beside it"
    if not ROOT:
        assert stat.S_IMODE(locked.stat().st_mode) == 0o555


def test_a_dry_run_of_the_digests_works_on_a_read_only_store(locked_with_a_reader: Path) -> None:
    """`rasd digest --dry-run` writes nothing (no digest made, nothing marked delivered), so it says what
    would be sent even where nothing may be written; a real run says in one line why it cannot."""
    folder = locked_with_a_reader
    before = _digest(folder / "rasd.db")
    dry = _rasd(folder, "digest", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "souss@example.ma" in dry.stdout and STORIES[0][2] in dry.stdout, dry.stdout
    assert _digest(folder / "rasd.db") == before
    assert sorted(p.name for p in folder.iterdir()) == ["rasd.db", "rasd.toml"], "nothing written beside it"

    real = _rasd(folder, "digest")
    assert real.returncode == 1 and real.stderr.startswith(f"rasd: cannot write {folder / 'rasd.db'}: it is read-only")
    assert len(real.stderr.splitlines()) == 1 and _digest(folder / "rasd.db") == before


def test_a_read_only_store_of_an_older_schema_says_so_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    write_config(folder, "")
    store = Store(f"sqlite:///{folder / 'rasd.db'}")
    store.close()
    store.engine.dispose()
    with closing(sqlite3.connect(folder / "rasd.db")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    assert sorted(p.name for p in folder.iterdir()) == ["rasd.db", "rasd.toml"]
    if not ROOT:
        (folder / "rasd.db").chmod(0o444)
        folder.chmod(0o555)
    try:
        status = _rasd(folder, "status")
    finally:
        folder.chmod(0o755)
    assert status.returncode == 1 and "Traceback" not in status.stderr
    assert status.stderr.startswith(f"rasd: {folder / 'rasd.db'} is read-only and its schema is older than this")
    assert "(revision 0005, needs " in status.stderr
