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
import re
from pathlib import Path

from rasd.config import Told, folder_fault, telling

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_SQLSTATES = {"53100": False, "25006": True}  # PostgreSQL: disk_full, read_only_sql_transaction


def _named(where: str | Path) -> str:
    """The file or database a line names, kept as given when it is a `Told` ("the database URL", said in the
    reader's language too)."""
    return where if isinstance(where, str) else str(where)


class Unwritable(Exception):
    """The message is the whole report: `cannot write FILE: its disk is full. Free space …`, a `Told`, so
    that the command saying it puts it in the reader's language (`Speech.told`); `str` gives the English."""

    def __init__(self, path: str | Path, read_only: bool = False, message: Told | None = None) -> None:
        """`message`: the whole line, for the conditions other than a full disk or a read-only file."""
        self.path, self.read_only = str(path), read_only
        if message is None:
            if read_only:
                message = telling.gettext(
                    "cannot write %(path)s: it is read-only (a read-only disk or mount, or file permissions). "
                    "Make it writable, then run again; what was written before is intact",
                    path=_named(path),
                )
            else:
                message = telling.gettext(
                    "cannot write %(path)s: its disk is full. Free space on that disk (or move it to a larger "
                    "one), then run again; what was written before is intact",
                    path=_named(path),
                )
        super().__init__(message)


class Damaged(Unwritable):
    """The store's file is not an SQLite database, or a damaged one ("file is not a database", "database
    disk image is malformed"): no command can use it, and retrying will not help. Like a full disk, it is
    the machine's condition, said in one line with what to do; the crawl's pages stay unseen for the next
    run. (An Unwritable, so every place that reports a store it cannot use reports this one too.)"""

    def __init__(self, path: str | Path) -> None:
        recovered = Path(path).with_name(Path(path).stem + "-recovered.db")
        recover = f"sqlite3 {path} .recover | sqlite3 {recovered}"
        super().__init__(
            path,
            message=telling.gettext(
                "cannot use %(path)s: it is not an SQLite database, or it is damaged. Put back a backup, or save "
                "what can be saved with `%(recover)s` and use that file; moved aside, it is replaced by a new, "
                "empty store on the next run",
                path=_named(path),
                recover=recover,
            ),
        )


class Newer(Unwritable):
    """The store was written by a newer Rasd: its schema revision is none of this Rasd's migrations, so none
    can bring it further and this Rasd's queries may not fit it. Left as it was; said in one line with what
    to do, where Alembic raised "Can't locate revision" with its traceback."""

    def __init__(self, path: str | Path, found: str, head: str | None) -> None:
        super().__init__(
            path,
            message=telling.gettext(
                "cannot use %(path)s: a newer Rasd wrote it (schema %(found)s; this Rasd knows up to %(head)s). "
                "Upgrade Rasd, or name another database in [storage] url; the store was left as it was",
                path=_named(path),
                found=found,
                head=head or "?",
            ),
        )


class Busy(Unwritable):
    """Another program held the store for writing longer than the busy timeout (30 s): an open transaction
    in sqlite3, a backup, a second Rasd that is not a crawl (crawls take a lock of their own). Nothing was
    written; the same command later will do it."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(
            path,
            message=telling.gettext(
                "cannot write %(path)s: another program kept it busy for 30 s (sqlite3 with an open "
                "transaction, a backup, another rasd). Nothing was changed; run again when it is done",
                path=_named(path),
            ),
        )


class Unreachable(Unwritable):
    """The PostgreSQL server could not be reached or would not let Rasd in (not running, a wrong address,
    user, password or database name, too many connections). Nothing was written; the next run tries again.
    `lost`: the server went away after the command had used it (stopped or restarted mid-run): what was
    committed before stays, and "nothing was changed" would be untrue — a crawl had stored its first
    articles; the pages it had not stored are fetched again next run."""

    def __init__(self, where: str | Path, reason: str, lost: bool = False) -> None:
        if lost:
            message = telling.gettext(
                "lost the connection to %(where)s during the run: %(reason)s. What was stored before is kept; "
                "the next run does the rest once the server answers again",
                where=_named(where),
                reason=reason,
            )
        else:
            message = telling.gettext(
                "cannot open %(where)s: %(reason)s. Is the server running, and are its address, user, password "
                "and database name right? Nothing was changed; the next run tries again",
                where=_named(where),
                reason=reason,
            )
        super().__init__(where, message=message)


# PostgreSQL's answers to a connection it will not take: connection exceptions, a refused login, no such
# database, a server starting or shutting down, too many connections; a session ended by the server's stop
# (admin_shutdown: `pg_ctl stop -m fast`, a `systemctl restart postgresql`) or crash.
_CONNECTION_SQLSTATES = ("08", "28", "3D000", "57P01", "57P02", "57P03", "53300")
_SETTINGS_SQLSTATES = ("28", "3D000")  # invalid authorization, no such database: never a server gone
_SETTINGS_WORDS = re.compile(r'FATAL:\s+(?:database|role) "[^"]*" does not exist|FATAL:\s+password authentication')


def _unreachable(error: BaseException, where: str | Path, lost: bool = False) -> Unreachable | None:
    if type(error).__module__.partition(".")[0] != "psycopg" or type(error).__name__ != "OperationalError":
        return None
    state = getattr(error, "sqlstate", None)
    if state is not None and not state.startswith(_CONNECTION_SQLSTATES):
        return None
    first = next(iter(str(error).strip().splitlines()), "").removeprefix("connection failed: ")
    # a refused login or a database that does not exist is the settings' fault whenever it happens (a daemon's
    # engine outlives many runs, and a database renamed between two of them was said as a lost connection)
    # (psycopg gives a refused connection no SQLSTATE: the server's own words tell it then)
    settings = (state or "").startswith(_SETTINGS_SQLSTATES) or _SETTINGS_WORDS.search(str(error)) is not None
    lost = lost and not settings
    return Unreachable(where, first or "the server did not answer", lost)


def unwritable_file(error: BaseException, path: str | Path, lost: bool = False) -> Unwritable | None:
    """`error` as an Unwritable naming `path` (or the file the OS names), or None when it is another error.
    `lost`: the database had answered before in this run (a server that went away, not one never reached)."""
    if isinstance(error, OSError) and error.errno in _FULL | _READ_ONLY:
        return Unwritable(error.filename or path, error.errno in _READ_ONLY)
    if isinstance(error, IsADirectoryError):  # a file replaced by its new version (the state file): the target
        return _a_folder(error.filename2 or path)
    if isinstance(error, FileExistsError | NotADirectoryError):  # a file where the store's folder should be
        message = telling.gettext(
            "cannot write %(path)s: %(file)s is a file, where a folder should be. Move the file aside, then run "
            "again; what was written before is intact",
            path=_named(path),
            file=str(error.filename or path),
        )
        return Unwritable(path, message=message)
    name = str(getattr(error, "sqlite_errorname", "") or "")  # sqlite3 (Python 3.11+)
    if name.startswith(("SQLITE_FULL", "SQLITE_READONLY")):
        return Unwritable(path, name.startswith("SQLITE_READONLY"))
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return Damaged(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return Busy(path)
    if name.startswith("SQLITE_CANTOPEN") and isinstance(path, str | Path) and Path(path).is_dir():
        return _a_folder(path)
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        # SQLite says "disk I/O error" when it cannot grow the WAL index (-shm) or open its files, and
        # keeps the OS's errno to itself: the folder tells whether it is full or mounted read-only.
        return _folder_state(Path(path))
    state = getattr(error, "sqlstate", None)  # psycopg
    if state in _SQLSTATES:
        return Unwritable(path, _SQLSTATES[state])
    if isinstance(error, OSError) and error.errno is not None:
        # the store's folder, its lock or the log beside it, under a symlink loop, a name too long, a disk that
        # failed: in the reader's words, not "stopped by an unexpected error (OSError …), a fault of Rasd's"
        message = telling.gettext(
            "cannot write %(path)s: %(detail)s. Put that right, then run again; what was written before is intact",
            path=_named(error.filename or path),
            detail=folder_fault(error),
        )
        return Unwritable(error.filename or path, message=message)
    return _unreachable(error, path, lost)


def _a_folder(path: str | Path) -> Unwritable:
    """A folder where the file `path` should be (the store, the state file)."""
    message = telling.gettext(
        "cannot write %(path)s: a folder has that name. Move the folder aside, then run again; what was "
        "written before is intact",
        path=_named(path),
    )
    return Unwritable(path, message=message)


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
