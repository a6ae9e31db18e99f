"""Locks that keep one daemon per database and one crawl at a time, whoever runs it (daemon or cron).

A lock is an `flock` on a small file next to the SQLite database (`rasd.db.daemon.lock`,
`rasd.db.crawl.lock`). The kernel releases it when the holder's process ends, however it ends — `kill -9`
included —, so a lock is never left stale and there is nothing to clean up. The holder writes its pid and
start time into the file so that the refusal can say who holds it. For a PostgreSQL URL the files live in
Rasd's data folder (`config.user_data_dir()`, `~/.local/share/rasd`) under a name derived from the server
and database, whatever the config file or working directory: that keeps
one daemon per database *on this machine*; run the daemon on one machine only.

`filelock` would do the flock, but it truncates the file on every attempt, wiping the holder's pid that
the message shows; the few lines of `fcntl` below keep it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote

from rasd.config import user_data_dir
from rasd.monitor.speech import Speech
from rasd.storage import sqlite_file
from rasd.storage.unwritable import unwritable_file

POLL_SECONDS = 0.5


class LockHeld(Exception):
    """The lock is held by another process: `line(language)` is the one line shown to the user (the message,
    in English)."""

    def __init__(self, name: str, path: Path, holder: dict[str, object], waited: float) -> None:
        self.name, self.path, self.holder, self.waited = name, path, holder, waited
        super().__init__(self.line())

    def line(self, language: str = "en") -> str:
        """`crawl lock …/rasd.db.crawl.lock is held by pid 4121 (rasd crawl) since … after waiting 5 s`."""
        said = Speech(language)
        pid, command, since = (self.holder.get(key) for key in ("pid", "command", "since"))
        who = said.gettext("pid %(pid)s") % {"pid": pid} if pid else said.gettext("another process")
        more = f" ({said.part(command)})" if command else ""  # pieces in order already: not one value
        if since:
            more += said.gettext(" since %(since)s") % {"since": said.part(since)}
        if self.waited:
            more += said.gettext(" after waiting %(seconds)s s") % {"seconds": f"{self.waited:g}"}
        held = said.gettext("%(lock)s lock %(path)s is held by %(who)s%(more)s")
        lock = said.pgettext("lock", self.name)
        return said.line(held % {"lock": lock, "path": said.part(self.path), "who": said.part(who), "more": more})


# /proc/PID/stat's flags: PF_EXITING, a process on its way out (its memory is being freed, its files next)
_EXITING = 0x4


def running(pid: int) -> bool:
    """Whether process `pid` exists and is not on its way out: gone, a zombie, exiting, or with SIGKILL pending
    (a process killed while the kernel still frees its memory holds its files, and its locks, a little longer:
    on a loaded machine, long enough for `rasd status` to see them). Without /proc (macOS), whether it exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: it exists
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # gone meanwhile, on a system with /proc
    except OSError:
        return True
    fields = stat[stat.rindex(")") + 2 :].split()  # after "(command)": state, ppid, pgrp, session, tty, tpgid, flags
    if fields[0] in ("Z", "X", "x") or int(fields[6]) & _EXITING:
        return False
    killed = 1 << (signal.SIGKILL - 1)
    pending = (line.split()[1] for line in status.splitlines() if line.startswith(("SigPnd:", "ShdPnd:")))
    return not any(int(mask, 16) & killed for mask in pending)


def database_files(storage_url: str) -> Path:
    """The path prefix for the files that belong to a database: locks and the daemon's state file."""
    if (path := sqlite_file(storage_url)) is not None and path.name not in ("", ":memory:"):
        return path  # read without SQLAlchemy, whose import `rasd status` no longer pays
    where = _server_database(storage_url)
    if where is None:  # SQLAlchemy says what is wrong with the URL, or reads what this does not
        from sqlalchemy.engine import make_url  # `rasd --help` catches LockHeld: imported only here

        url = make_url(storage_url)
        where = f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"
    return user_data_dir() / f"rasd-{hashlib.sha256(where.encode()).hexdigest()[:12]}"


# A database server's URL as SQLAlchemy's make_url reads it: driver, user and password, host ([IPv6]), port,
# database, options.
_SERVER_URL = re.compile(
    r"(?P<name>[\w+]+)://(?:[^:/]*(?::[^@]*)?@)?"
    r"(?:(?:\[(?P<ipv6>[^/?]+)\]|(?P<ipv4>[^/:?]+))?(?::(?P<port>[^/?]*))?)?(?:/(?P<database>[^?]*))?"
)


def _server_database(storage_url: str) -> str | None:
    """`backend://host:port/database` of a database server's URL, as `database_files` names it from SQLAlchemy's
    reading of the URL (the same files whichever reads it), without importing SQLAlchemy: `rasd status` on
    PostgreSQL reads the store with psycopg alone (storage/direct.py). None when this reading is unsure."""
    found = _SERVER_URL.match(storage_url)
    if found is None or not (found["port"] or "0").isdigit():
        return None
    port = str(int(found["port"] or 0) or "")  # as SQLAlchemy's port (0: none)
    host = found["ipv4"] or found["ipv6"] or ""
    return f"{found['name'].split('+')[0]}://{host}:{port}/{unquote(found['database'] or '')}"


class RunLock:
    """An exclusive, non-blocking-by-default lock named for what it protects ("daemon", "crawl")."""

    def __init__(self, storage_url: str, name: str) -> None:
        prefix = database_files(storage_url)
        self.name = name
        self.path = prefix.with_name(f"{prefix.name}.{name}.lock")
        self._fd: int | None = None

    def holder(self) -> dict[str, object] | None:
        """Who holds the lock ({"pid", "since", "command"}), or None when it is free."""
        if self._fd is not None:
            return self._read(self._fd)
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return self._read(fd) or {"pid": None, "since": None, "command": None}
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def running_holder(self) -> dict[str, object] | None:
        """Who holds the lock, when that process is running: None when the lock is free, and when the process
        it names is gone or dying (`running`) — `kill -9` of a crawl, then `rasd status` at once, said "crawling
        now: pid N" of the killed crawl, whose lock the kernel had not yet released. The file is read twice: a
        crawl taking the lock just then writes its own pid over the one before it."""
        for _ in range(2):
            holder = self.holder()
            if holder is None:
                return None
            pid = holder.get("pid")
            if isinstance(pid, int) and running(pid):
                return holder
        return None

    @staticmethod
    def _read(fd: int) -> dict[str, object]:
        try:
            data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def acquire(self, wait: float = 0.0, command: str = "") -> None:
        """Take the lock, waiting up to `wait` seconds; LockHeld (with the holder's pid) when it stays taken."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:  # a read-only or full disk under the database
            raise unwritable_file(error, self.path) or error from None
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    info = self._read(fd)
                    os.close(fd)
                    raise LockHeld(self.name, self.path, info, wait) from None
                time.sleep(POLL_SECONDS)
        since = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": since, "command": command}).encode(), 0)
        except OSError as error:  # a full disk: the first file a command writes
            os.close(fd)
            raise unwritable_file(error, self.path) or error from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)  # an unheld lock file names no one
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def try_acquire(self, command: str = "") -> bool:
        """Take the lock if it is free, never waiting: for the daemon's loop, which must not block."""
        try:
            self.acquire(0.0, command)
        except LockHeld:
            return False
        return True

    def __enter__(self) -> RunLock:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
