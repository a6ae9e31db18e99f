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

import os
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


@contextmanager
def replaced(target: Path) -> Iterator[Path]:
    """`target`'s stand-in, `NAME.part` beside it, to write to: renamed over `target` when the `with` ends
    without an error, removed whatever else ends it (an error, a signal, Ctrl-C): the file is whole, or as it
    was. Text outputs (`written_file`) and the xlsx workbook (`records.write_workbook`) both write through it."""
    partial = target.with_name(target.name + ".part")
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)  # after a failure or a signal; gone already once renamed


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
