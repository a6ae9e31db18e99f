"""Where an SQLite store's file is, whether it can be written, and the newest schema revision shipped: plain
paths and text, importing no SQLAlchemy, so that a command that only reads an SQLite store at the newest
schema can read it with the standard library's sqlite3 (`storage/direct.py`)."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w-]+|None)['\"]?\s*$", re.MULTILINE)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite storage URL (`sqlite:///PATH`, query string dropped); None for PostgreSQL."""
    return Path(url.removeprefix("sqlite:///").partition("?")[0]) if url.startswith("sqlite:///") else None


def cannot_write(path: Path) -> bool:
    """Whether the SQLite file at `path`, or the folder its journal files (-wal, -shm) go in, cannot be
    written: a read-only mount (EROFS, whoever asks, root included) or permissions."""
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening `path` read-only (`mode=ro`). When its folder cannot be written either (a
    read-only mount) and no write-ahead log is left beside it, also `immutable=1`: a WAL database's reader
    must otherwise create the -shm file, and nobody can change a file on a read-only mount. With a log
    left (a snapshot of a live store), `immutable` would ignore the commits in it: read through it."""
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if opens_immutable(path) else "")


def opens_immutable(path: Path) -> bool:
    """Whether the SQLite file at `path` must be opened `immutable` to be read at all (see `read_only_uri`;
    `rasd browse` gives it to Datasette as such)."""
    wal = path.with_name(path.name + "-wal")
    return not os.access(path.parent, os.W_OK) and not (wal.is_file() and wal.stat().st_size)


@cache
def _shipped() -> tuple[dict[str, str], ...] | None:
    """Each shipped migration's `revision` and `down_revision`, as written; None when one has no revision line
    this reading understands (Alembic then decides)."""
    scripts = []
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        scripts.append(found)
    return tuple(scripts)


def shipped_revisions() -> frozenset[str] | None:
    """Every revision of the shipped migrations; None when they cannot be read. A store stamped with a
    revision outside them was written by a newer Rasd: no migration here knows how to go on from it."""
    scripts = _shipped()
    return None if scripts is None else frozenset(found["revision"] for found in scripts)


@cache
def head_revision() -> str | None:
    """The newest revision of the shipped migrations, read from their `revision`/`down_revision` lines;
    None when they do not form a single line of revisions (Alembic then decides)."""
    scripts = _shipped()
    if scripts is None:
        return None
    revisions = {found["revision"] for found in scripts}
    heads = revisions - {found.get("down_revision", "None") for found in scripts}
    return heads.pop() if len(heads) == 1 else None
