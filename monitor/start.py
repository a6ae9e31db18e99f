"""`rasd`, the console entry point. It imports nothing but the standard library before it guards against
Ctrl-C and SIGTERM: importing the stages takes seconds on a loaded machine, and a signal in those seconds
(before `rasd.monitor.cli` and its signal handlers exist) ended in a KeyboardInterrupt traceback (Ctrl-C) or
in silence with -15 (SIGTERM, as `timeout` and systemd send it). Both end as later ones do: one line, exit
130 or 143.
"""

from __future__ import annotations

import os
import signal
import sys


def stopped(signum: int, line: str | None = None) -> NoReturn:
    """The one line of a command a signal stopped before it finished, and the exit code 128+N. `line`: that
    line in the reader's language, when the command knows it (here, before anything is imported, the
    language `_early_language` finds, read with the standard library alone)."""
    print(line or _early_line(signal.Signals(signum).name), file=sys.stderr)
    sys.exit(128 + signum)


def _early_language() -> str:
    """The language a command speaks, found before Rasd is imported: $RASD_LANG, else the `language` line at
    the top of the config (--config, $RASD_CONFIG, else ~/.config/rasd/rasd.toml), else the locale's (LC_ALL,
    LC_MESSAGES, LANG), as the command itself finds it once its settings are read. A French reader's
    `timeout 1 rasd crawl`, or a `systemctl stop` right after a start, got the stop line in English: the
    signal came while the stages were still being imported (faults13 sweep)."""
    import re

    declaration = re.compile(r"""^[ \t]*language[ \t]*=[ \t]*["']([A-Za-z]{2})[^"'\n]*["']""", re.MULTILINE)
    known = ("ar", "fr", "en")
    if chosen := os.environ.get("RASD_LANG", "").strip():
        return chosen[:2].lower() if chosen[:2].lower() in known else "en"
    arguments = sys.argv[1:]
    named = next(
        (
            following if argument == "--config" else argument.removeprefix("--config=")
            for argument, following in zip(arguments, [*arguments[1:], ""], strict=True)
            if argument == "--config" or argument.startswith("--config=")
        ),
        None,
    ) or os.environ.get("RASD_CONFIG")
    try:
        home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        with open(os.path.expanduser(named or os.path.join(home, "rasd", "rasd.toml")), "rb") as config:
            top = config.read(65536).decode("utf-8", "replace").split("\n[", 1)[0]  # before its first table
        if (declared := declaration.search(top)) is not None and declared[1].lower() in known:
            return declared[1].lower()
    except (OSError, RuntimeError):  # no config there, or no home folder
        pass
    system = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    return system[:2].lower() if system[:2].lower() in known else "en"


def _early_line(signal_name: str) -> str:
    """`rasd: stopped by SIGTERM before it finished` in `_early_language`, from the catalogs with gettext."""
    import gettext
    import importlib.util

    message = "rasd: stopped by %(signal)s before it finished"
    try:
        language = _early_language()
        spec = importlib.util.find_spec("rasd.alerts")  # found, not imported
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        said = gettext.translation("rasd", os.path.join(folders[0], "locale"), [language], fallback=True)
        line = said.gettext(message) % {"signal": signal_name}
    except Exception:  # whatever fails here, the stop is still said
        return message % {"signal": signal_name}
    return "\u200f" + line if language == "ar" else line  # an Arabic line starts with RLM, as Speech.line does


def _stop_now(signum: int, frame: object) -> None:
    stopped(signum)  # SIGTERM before the command's own handler (signals.interrupt_on_sigterm) replaces this


def _writable_whatever_the_terminal() -> None:
    """stdout and stderr able to write Arabic and French whatever the locale's encoding. Under a non-UTF-8
    locale (fr_FR.ISO-8859-1, PYTHONIOENCODING=latin-1) the first Arabic region name or source ended the
    command with UnicodeEncodeError, half its output written. A terminal gets its own encoding with a `?`
    for what it cannot show; a pipe or file gets UTF-8, so that `rasd export`'s or `rasd classify`'s data
    reaches the program reading it whole (ASCII streams already get UTF-8 from click)."""
    import io

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


def _guard_the_start() -> None:
    """SIGTERM and SIGHUP said as a stop (one line, 143 or 129), not a silent 143."""
    signal.signal(signal.SIGTERM, _stop_now)
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:  # under `nohup`, a closed terminal must not stop it
        signal.signal(signal.SIGHUP, _stop_now)  # a closed terminal, as SIGTERM: one line (129), not silence


def main() -> None:
    _guard_the_start()  # again: a program that imported this module before calling main
    _writable_whatever_the_terminal()
    # Pydantic reads every installed package's entry points for plugins the first time it builds a model: a
    # tenth of what `rasd status` spent before its first query, for plugins Rasd's settings never use. One
    # who wants them for Rasd sets PYDANTIC_DISABLE_PLUGINS to "" (or to the names of those to leave out).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from rasd.monitor.cli import main as command

        command()
    except KeyboardInterrupt:
        stopped(signal.SIGINT)


def _started_as_rasd() -> bool:
    """This module imported by `rasd` itself: its console script, `python -m rasd.monitor` — not by a crawl
    worker, which multiprocessing starts by running the console script again as `__mp_main__` (its stop
    signals blocked, then ignored: monitor/work.py)."""
    main = sys.modules.get("__main__")
    if getattr(main, "__name__", "") == "__mp_main__":
        return False
    spec = getattr(main, "__spec__", None)
    return os.path.basename(sys.argv[0]) == "rasd" or getattr(spec, "name", "") == "rasd.monitor.__main__"


# The guard as soon as `rasd` has this module, before `typing` is imported: what this module imported before
# it (typing, re, io) took a third of the command's first ~0.1 s, in which a signal ended it with 143 and no
# word (faults14 sweep). Another program importing this module keeps its own handlers until it calls main.
if _started_as_rasd():
    _guard_the_start()

from typing import NoReturn  # noqa: E402  (for the annotations above; after the guard)
