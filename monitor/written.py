"""A file a command writes (`rasd export --output`, `rasd report --output`, `rasd classify --output`): whole,
or not at all, and a failure said in one line.

click's `open_file(atomic=True)` was used: on a full disk it left its temporary `.__atomic-write…` file
behind (holding the space the disk lacked) and the command ended with "stopped by an unexpected error
(OSError: [Errno 28] No space left on device), a fault of Rasd's"; stopped by SIGTERM or Ctrl-C, it put the
half-written file in place of the reader's previous export (click's `close` renames the temporary file
whatever ended the `with`). Here the rows go to `NAME.part` beside the file, renamed over it only once all
were written; on any error or signal the `.part` is removed and the file is as it was. An OSError (a full
disk, a read-only mount, no permission) is a `Refused` line in the reader's language (faults13 sweep).
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rasd.monitor.errors import Refused

if TYPE_CHECKING:
    from rasd.monitor.speech import Speech


def output_refused(error: OSError, shown: Path | None, said: Speech) -> Refused:
    """The one line for an output that could not be written: the file, why, and that nothing was put in its
    place; `shown` None: standard output (a shell's `> file`), where what was written before stays."""
    from rasd.config import folder_fault

    detail = said.told(folder_fault(error))
    if shown is None:
        line = said.gettext("cannot write to standard output: %(detail)s; what it holds is incomplete")
        return Refused(said(line, detail=detail))
    line = said.gettext("cannot write %(path)s: %(detail)s; nothing was written (a file already there is as it was)")
    return Refused(said(line, path=str(shown), detail=detail))


NAME_MAX = 255  # bytes in a file's name, on Linux's file systems


def _stand_in_prefix(target: Path) -> str:
    """What every stand-in of `target` is named from: its name, cut (whole UTF-8 characters) so that a stand-in's
    name fits in NAME_MAX bytes beside a target whose own name nearly does."""
    room = NAME_MAX - len(".4194304-0123456789ab.part")
    return target.name.encode()[:room].decode(errors="ignore")


_STAND_IN = re.compile(r"\.\d+-[0-9a-f]{12}\.part")


def _removed_if_abandoned(path: Path) -> None:
    """Remove the stand-in `path` if no writer holds it: its writer's lock is gone with the writer, however it
    ended (SIGKILL, a power cut, a crash), while a writer at work holds it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return  # gone already, or not a file to touch
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a writer holds it
        os.close(descriptor)
        return
    try:
        if os.stat(path, follow_symlinks=False).st_ino == os.fstat(descriptor).st_ino:
            path.unlink()
    except OSError:
        pass  # removed or replaced meanwhile: not ours to remove
    finally:
        os.close(descriptor)


def _claimed(target: Path, prefix: str) -> tuple[Path, int]:
    """A stand-in of `target` of this writer's own, created and locked: `PREFIX.PID-RANDOM.part` beside it."""
    while True:
        partial = target.with_name(f"{prefix}.{os.getpid()}-{secrets.token_hex(6)}.part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # another export sweeping the folder locked it between its creation and the lock, and removed it
            if os.stat(partial, follow_symlinks=False).st_ino == os.fstat(descriptor).st_ino:
                return partial, descriptor
        except OSError as error:
            if not isinstance(error, BlockingIOError | FileNotFoundError):
                os.close(descriptor)
                partial.unlink(missing_ok=True)
                raise
        os.close(descriptor)


@contextmanager
def replaced(target: Path) -> Iterator[Path]:
    """`target`'s stand-in to write to, a file of this writer's own beside it (`NAME.PID-RANDOM.part`, so that
    the rename is atomic): renamed over `target` when the `with` ends without an error, removed whatever else
    ends it (an error, a signal, Ctrl-C): the file is whole, or as it was. The writer holds a lock on its
    stand-in until then: two exports to one path at once write apart (the last to finish is the file), and a
    stand-in whose writer is gone (SIGKILL, a crash) is removed by the next writer of that path. Text outputs
    (`written_file`) and the xlsx workbook (`records.write_workbook`) both write through it."""
    prefix = _stand_in_prefix(target)
    with os.scandir(target.parent) as entries:
        abandoned = [
            Path(entry.path)
            for entry in entries
            if entry.name.startswith(prefix) and _STAND_IN.fullmatch(entry.name, len(prefix))
        ]
    for path in abandoned:
        _removed_if_abandoned(path)
    partial, descriptor = _claimed(target, prefix)
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)  # after a failure or a signal; gone already once renamed
        os.close(descriptor)


@contextmanager
def written_file(path: str, said: Speech) -> Iterator[TextIO]:
    """A sink for `path` ("-": standard output, written as it goes), renamed into place when the `with` ends
    without an error."""
    if path == "-":
        try:
            stream = sys.stdout
            yield stream
            stream.flush()  # a short export fails here, not at the interpreter's exit
        except BrokenPipeError:  # `rasd export | head`: the reader stopped reading; said by the command line
            raise
        except OSError as error:  # `rasd export > /full/disk/x.csv`
            raise output_refused(error, None, said) from None
        return
    target = Path(path).absolute()
    try:
        with replaced(target) as partial, partial.open("w", encoding="utf-8", newline="") as sink:
            yield sink
    except OSError as error:
        raise output_refused(error, target, said) from None


__all__ = ["output_refused", "replaced", "written_file"]
