"""SIGINT, SIGTERM and SIGHUP for the commands that run on Scrapy's reactor (`rasd crawl`, `rasd run`, …).

One rule, for the one-shot commands and the daemon alike: the first signal asks the work to stop
gracefully (a crawl stores what has arrived and sends nothing more; the daemon also finishes or cuts its
jobs in flight), a second one abandons it at once. The signals are handled on the reactor's loop, between
two callbacks, never in the middle of a statement; before the reactor runs (and after it has stopped),
SIGTERM ends the command as Ctrl-C does, with `Interrupted` and its one line.

Twisted's own handlers would stop the reactor at once: `rasd crawl` died with nothing of its fetch
records written and a KeyError for an answer.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from rasd.monitor.speech import Speech

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")
# SIGHUP too: the terminal a crawl or the daemon was started from closing (an ssh session dropped), or a
# `kill -HUP` meant to make the daemon read its config again, killed it at once, in silence, in the middle of
# what it was storing or sending (`rasd status`: "ended without a clean stop"). It stops as on SIGTERM.
# Unless the process was started with SIGHUP ignored (`nohup rasd run &`, monitor/start.py leaves it so): then
# the terminal closing is meant to leave it running, as it did before SIGHUP became a stop signal.
HANGUP_IGNORED = signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM) + (() if HANGUP_IGNORED else (signal.SIGHUP,))


class Interrupted(BaseException):
    """SIGINT or SIGTERM ended the work early. `result` is what it returned when it could stop gracefully,
    None when it was abandoned (no graceful stop, or a second signal). A BaseException, as
    KeyboardInterrupt: raised by the SIGTERM handler anywhere, it must not be taken for one page's or one
    job's failure by an `except Exception` and let the work go on."""

    def __init__(self, signum: int, result: object = None) -> None:
        self.signal_name = signal.Signals(signum).name
        super().__init__(f"stopped by {self.signal_name}")
        self.signum, self.result = signum, result


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def interrupt_on_sigterm() -> None:
    """SIGTERM (and SIGHUP) outside the reactor raises Interrupted, as SIGINT raises KeyboardInterrupt: the
    command says in one line that it was stopped (exit 143, 129) instead of vanishing without a word."""
    for number in STOP_SIGNALS:
        if number != signal.SIGINT:
            signal.signal(number, _interrupt)


@contextmanager
def stop_event_on_signals() -> Iterator[tuple[threading.Event, list[int]]]:
    """For work that runs outside the reactor and watches an event (`rasd digest`): while the block runs,
    the first SIGINT/SIGTERM sets the event, a second raises Interrupted. Yields the event and the
    signals received; the process's handlers are put back afterwards."""
    stop = threading.Event()
    received: list[int] = []

    def on_signal(number: int, frame: FrameType | None) -> None:
        received.append(number)
        if len(received) > 1:
            raise Interrupted(number)
        stop.set()

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    try:
        yield stop, received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class StopSignals:
    """SIGINT/SIGTERM on the running asyncio loop: the first calls `graceful(signum)`, any later one
    `abandon(signum)`. `remove` puts back the handlers the process had."""

    def __init__(self, graceful: Callable[[int], None], abandon: Callable[[int], None]) -> None:
        self.graceful, self.abandon = graceful, abandon
        self.received: list[int] = []
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        import asyncio  # loaded by the commands on a loop only: `rasd status` needs none

        loop = asyncio.get_event_loop()
        for number in STOP_SIGNALS:
            self._previous[number] = signal.getsignal(number)
            loop.add_signal_handler(number, self._on_signal, number)

    def remove(self) -> None:
        import asyncio

        loop = asyncio.get_event_loop()
        for number, handler in self._previous.items():
            loop.remove_signal_handler(number)
            signal.signal(number, handler)
        self._previous = {}

    def _on_signal(self, number: int) -> None:
        self.received.append(number)
        (self.graceful if len(self.received) == 1 else self.abandon)(number)


def run_on_reactor(
    make: Callable[[], Awaitable[T]], stop: Callable[[int], Awaitable[Any]] | None = None, language: str = "en"
) -> T:
    """Run a coroutine on Scrapy's asyncio reactor, which is installed once for the process. A first
    SIGINT/SIGTERM calls `stop(signum)` (ask the work to end early; Interrupted then carries its result)
    and says so on stderr, in `language`; a second one — or the first, without `stop` — abandons the work."""
    import asyncio

    from twisted.internet.defer import Deferred

    from rasd.crawler import install_asyncio_reactor

    reactor = install_asyncio_reactor()
    outcome: dict[str, Any] = {}
    stopping: list[asyncio.Future[Any]] = []  # held: the loop keeps only a weak reference to a task

    def abandon(number: int) -> None:
        if reactor.running:  # a third Ctrl-C finds it stopping already
            reactor.stop()

    def graceful(number: int) -> None:
        if stop is None:
            abandon(number)
            return
        stopping.append(asyncio.ensure_future(stop(number)))
        said = Speech(language)
        stopping_line = said.gettext(
            "rasd: %(signal)s: stopping; what has arrived is being stored (%(signal)s again abandons it)"
        )
        print(said(stopping_line, signal=signal.Signals(number).name), file=sys.stderr)

    def start() -> None:
        deferred = Deferred.fromFuture(asyncio.ensure_future(make()))
        deferred.addCallbacks(
            lambda value: outcome.setdefault("value", value), lambda failure: outcome.setdefault("error", failure)
        )
        deferred.addBoth(lambda _: reactor.stop())

    signals = StopSignals(graceful, abandon)
    reactor.callWhenRunning(start)
    # Installed before the reactor runs, so no signal falls between two handlers; handled once the loop
    # runs, which is after `start`. Removed afterwards: the rest of the command — `rasd demo --serve`
    # waiting for Ctrl-C — sees both signals again.
    signals.install()
    try:
        reactor.run(installSignalHandlers=False)
    finally:
        signals.remove()
    if "error" in outcome and not (signals.received and outcome["error"].check(asyncio.CancelledError)):
        outcome["error"].raiseException()  # a failure is reported as such, signal or not
    if signals.received:
        raise Interrupted(signals.received[0], outcome.get("value"))
    return outcome["value"]  # type: ignore[no-any-return]
