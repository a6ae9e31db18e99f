"""`rasd`, the console entry point. It imports nothing but the standard library before it guards against
Ctrl-C and SIGTERM: importing the stages takes seconds on a loaded machine, and a signal in those seconds
(before `rasd.monitor.cli` and its signal handlers exist) ended in a KeyboardInterrupt traceback (Ctrl-C) or
in silence with -15 (SIGTERM, as `timeout` and systemd send it). Both end as later ones do: one line, exit
130 or 143.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from typing import NoReturn


def stopped(signum: int, line: str | None = None) -> NoReturn:
    """The one line of a command a signal stopped before it finished, and the exit code 128+N. `line`: that
    line in the reader's language, when the command knows it (here, before anything is imported, English)."""
    print(line or f"rasd: stopped by {signal.Signals(signum).name} before it finished", file=sys.stderr)
    sys.exit(128 + signum)


def _stop_now(signum: int, frame: object) -> None:
    stopped(signum)  # SIGTERM before the command's own handler (signals.interrupt_on_sigterm) replaces this


def _writable_whatever_the_terminal() -> None:
    """stdout and stderr able to write Arabic and French whatever the locale's encoding. Under a non-UTF-8
    locale (fr_FR.ISO-8859-1, PYTHONIOENCODING=latin-1) the first Arabic region name or source ended the
    command with UnicodeEncodeError, half its output written. A terminal gets its own encoding with a `?`
    for what it cannot show; a pipe or file gets UTF-8, so that `rasd export`'s or `rasd classify`'s data
    reaches the program reading it whole (ASCII streams already get UTF-8 from click)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "تعاونية".encode(encoding)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        try:
            terminal = stream.isatty()
        except ValueError:  # closed
            continue
        if isinstance(stream, io.TextIOWrapper) and terminal:
            stream.reconfigure(errors="replace")
        elif isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def main() -> None:
    _writable_whatever_the_terminal()
    signal.signal(signal.SIGTERM, _stop_now)
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:  # under `nohup`, a closed terminal must not stop it
        signal.signal(signal.SIGHUP, _stop_now)  # a closed terminal, as SIGTERM: one line (129), not silence
    # Pydantic reads every installed package's entry points for plugins the first time it builds a model: a
    # tenth of what `rasd status` spent before its first query, for plugins Rasd's settings never use. One
    # who wants them for Rasd sets PYDANTIC_DISABLE_PLUGINS to "" (or to the names of those to leave out).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from rasd.monitor.cli import main as command

        command()
    except KeyboardInterrupt:
        stopped(signal.SIGINT)
