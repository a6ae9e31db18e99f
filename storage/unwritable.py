"""A store Rasd must write that cannot be written: the disk is full, the file or its mount is read-only,
another program keeps the store busy, the store's file is not a database at all (damaged), or the
PostgreSQL server cannot be reached.

Said in one line that names the file and what to do, instead of the chained tracebacks of the library that
noticed it first (SQLite through SQLAlchemy, or the OS). The condition is the machine's, not a source's:
everything written before is intact (SQLite rolls the transaction back), and a crawl that could not store
its articles has not marked them seen, so the next crawl fetches them again.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_SQLSTATES = {"53100": False, "25006": True}  # PostgreSQL: disk_full, read_only_sql_transaction


class Unwritable(Exception):
    """The message is the whole report: `cannot write FILE: its disk is full. Free space …`."""

    def __init__(self, path: str | Path, read_only: bool = False, message: str | None = None) -> None:
        """`message`: the whole line, for the conditions other than a full disk or a read-only file."""
        self.path, self.read_only = str(path), read_only
        if message is None:
            if read_only:
                why, todo = "it is read-only (a read-only disk or mount, or file permissions)", "Make it writable"
            else:
                why, todo = "its disk is full", "Free space on that disk (or move it to a larger one)"
            message = f"cannot write {path}: {why}. {todo}, then run again; what was written before is intact"
        super().__init__(message)


class Damaged(Unwritable):
    """The store's file is not an SQLite database, or a damaged one ("file is not a database", "database
    disk image is malformed"): no command can use it, and retrying will not help. Like a full disk, it is
    the machine's condition, said in one line with what to do; the crawl's pages stay unseen for the next
    run. (An Unwritable, so every place that reports a store it cannot use reports this one too.)"""

    def __init__(self, path: str | Path) -> None:
        recovered = Path(path).with_name(Path(path).stem + "-recovered.db")
        super().__init__(
            path,
            message=f"cannot use {path}: it is not an SQLite database, or it is damaged. Put back a backup, or "
            f"save what can be saved with `sqlite3 {path} .recover | sqlite3 {recovered}` and use that file; "
            "moved aside, it is replaced by a new, empty store on the next run",
        )


class Busy(Unwritable):
    """Another program held the store for writing longer than the busy timeout (30 s): an open transaction
    in sqlite3, a backup, a second Rasd that is not a crawl (crawls take a lock of their own). Nothing was
    written; the same command later will do it."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(
            path,
            message=f"cannot write {path}: another program kept it busy for 30 s (sqlite3 with an open "
            "transaction, a backup, another rasd). Nothing was changed; run again when it is done",
        )


class Unreachable(Unwritable):
    """The PostgreSQL server could not be reached or would not let Rasd in (not running, a wrong address,
    user, password or database name, too many connections). Nothing was written; the next run tries again."""

    def __init__(self, where: str | Path, reason: str) -> None:
        super().__init__(
            where,
            message=f"cannot open {where}: {reason}. Is the server running, and are its address, user, password "
            "and database name right? Nothing was changed; the next run tries again",
        )


# PostgreSQL's answers to a connection it will not take: connection exceptions, a refused login, no such
# database, a server starting or shutting down, too many connections.
_CONNECTION_SQLSTATES = ("08", "28", "3D000", "57P03", "53300")


def _unreachable(error: BaseException, where: str | Path) -> Unreachable | None:
    if type(error).__module__.partition(".")[0] != "psycopg" or type(error).__name__ != "OperationalError":
        return None
    state = getattr(error, "sqlstate", None)
    if state is not None and not state.startswith(_CONNECTION_SQLSTATES):
        return None
    first = next(iter(str(error).strip().splitlines()), "").removeprefix("connection failed: ")
    return Unreachable(where, first or "the server did not answer")


def unwritable_file(error: BaseException, path: str | Path) -> Unwritable | None:
    """`error` as an Unwritable naming `path` (or the file the OS names), or None when it is another error."""
    if isinstance(error, OSError) and error.errno in _FULL | _READ_ONLY:
        return Unwritable(error.filename or path, error.errno in _READ_ONLY)
    name = str(getattr(error, "sqlite_errorname", "") or "")  # sqlite3 (Python 3.11+)
    if name.startswith(("SQLITE_FULL", "SQLITE_READONLY")):
        return Unwritable(path, name.startswith("SQLITE_READONLY"))
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return Damaged(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return Busy(path)
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        # SQLite says "disk I/O error" when it cannot grow the WAL index (-shm) or open its files, and
        # keeps the OS's errno to itself: the folder tells whether it is full or mounted read-only.
        return _folder_state(Path(path))
    state = getattr(error, "sqlstate", None)  # psycopg
    if state in _SQLSTATES:
        return Unwritable(path, _SQLSTATES[state])
    return _unreachable(error, path)


NEARLY_FULL = 1 << 20  # bytes left on a disk under which an I/O error is taken for a full disk


def _folder_state(path: Path) -> Unwritable | None:
    try:
        disk = os.statvfs(path.parent)
    except OSError:
        return None
    if disk.f_flag & os.ST_RDONLY:
        return Unwritable(path, read_only=True)
    if disk.f_bavail * disk.f_frsize < NEARLY_FULL:
        return Unwritable(path, read_only=False)
    return None
