"""`rasd`, the console entry point. It imports nothing but the standard library before it guards against
Ctrl-C: importing the stages takes seconds on a loaded machine, and a Ctrl-C in those seconds (before
`rasd.monitor.cli` and its signal handlers exist) ended in a KeyboardInterrupt traceback. It ends as a later
Ctrl-C does: one line, exit 130.
"""

from __future__ import annotations

import signal
import sys
from typing import NoReturn


def stopped(signum: int) -> NoReturn:
    """The one line of a command a signal stopped before it finished, and the exit code 128+N."""
    print(f"rasd: stopped by {signal.Signals(signum).name} before it finished", file=sys.stderr)
    sys.exit(128 + signum)


def main() -> None:
    try:
        from rasd.monitor.cli import main as command

        command()
    except KeyboardInterrupt:
        stopped(signal.SIGINT)
