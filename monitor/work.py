"""The CPU-heavy part of a cycle — extraction and classification — run in worker processes.

Kept in its own module so a worker imports extract and classify only, not Scrapy; the crawl's reactor
thread stays free for I/O and both cores do extraction.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import active_children, get_context, resource_tracker
from pathlib import Path
from typing import Any

from rasd.classify import Classification, Classifier, Reference, load_classifier
from rasd.extract import Article, extract_article
from rasd.monitor.signals import STOP_SIGNALS

_classifier: Classifier | None = None
ORPHAN_CHECK_SECONDS = 1.0
WORKER_EXIT_SECONDS = 5.0  # once a cycle is over, how long its workers may take to leave


@dataclass(frozen=True)
class ClassifierSpec:
    """What a worker needs to build the same classifier as the parent."""

    seeds_dir: Path
    threshold: float | None
    references: tuple[Reference, ...] = ()  # readers' verdicts (rasd label), read from the store


@dataclass(frozen=True)
class Processed:
    source: str
    canonical_url: str
    article: Article | None  # None: the page held no article text
    classification: Classification | None
    error: str | None = None


def _exit_when_orphaned(parent: int) -> None:
    """A `kill -9` of the parent alone (not its process group) leaves the pool's workers running forever,
    each holding the models in memory; a worker whose parent is gone has no one to answer to, so it leaves."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def _init_worker(spec: ClassifierSpec, parent: int) -> None:
    """`parent` comes from the parent itself: a worker still starting when the parent died is already
    re-parented, and its own getppid() would name init."""
    global _classifier
    _ignore_stop_signals()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="orphan-watch", daemon=True).start()
    _classifier = load_classifier(seeds_dir=spec.seeds_dir, threshold=spec.threshold, references=spec.references)


def _ignore_stop_signals() -> None:
    """A stop is the parent's to carry out. Ctrl-C reaches the whole foreground process group, cron's
    `timeout` and systemd (KillMode=control-group) send SIGTERM to every process of the run: a worker that
    died of it broke the pool, and the crawl being stopped ended with BrokenProcessPool and the pages in
    flight unstored. The parent shuts its workers down when it stops; a worker whose parent is gone leaves
    on its own (`_exit_when_orphaned`)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


def classifier_in_worker() -> Classifier:
    assert _classifier is not None, "worker not initialised"
    return _classifier


def process_page(
    page: dict[str, Any],
    source_region: str | None,
    boilerplate: tuple[str, ...],
    furniture: tuple[tuple[str, str], ...] = (),
) -> Processed:
    """Extract and classify one fetched page; exceptions become an error line, never a crashed cycle.

    `page` is a `crawler.FetchedPage` as a dict (`dataclasses.asdict`): unpickling the dataclass would make
    the worker import the crawler package, and with it Scrapy and Twisted — 40 MB more in every worker
    (bench/bench_crawl.py). `furniture`: the source's learned lines, (folded line, kind) pairs."""
    source, canonical_url = page["source"], page["canonical_url"]
    try:
        article = extract_article(
            page["body"],
            page["url"],
            page["fetched_at"],
            hint_title=page["hint_title"],
            hint_date=page["hint_date"],
            hint_date_source=page["hint_date_origin"],
            extra_boilerplate=boilerplate,
            learned_furniture=dict(furniture),
        )
        if article is None:
            return Processed(source, canonical_url, None, None)
        classification = classifier_in_worker().classify(article.title, article.text, article.lang, source_region)
        return Processed(source, canonical_url, article, classification)
    except Exception as error:  # a page that breaks a library must not stop the cycle
        return Processed(source, canonical_url, None, None, f"{type(error).__name__}: {error}")


def default_workers() -> int:
    """One worker per CPU this process may run on, but one: the crawl's own process — Scrapy, feed
    parsing, storing — keeps a core busy as well. On the 2-core benchmark machine a second worker made the
    cold cycle no faster (51 against 53–57 pages/s: three busy processes took turns on two cores) and the
    process tree 100 MB larger (bench/bench_crawl.py)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
    return max(1, cpus - 1)


def start_workers(spec: ClassifierSpec, workers: int | None = None) -> ProcessPoolExecutor:
    """A pool of `spawn`ed workers (forking a process that runs the reactor's threads is unsafe);
    `workers` None: `default_workers()`."""
    count = workers or default_workers()
    # The pool starts a worker when a task finds none idle; a worker takes ~2 s to import trafilatura and
    # build the classifier. Started now, they do that while the crawl reads robots.txt, feeds and sitemaps,
    # instead of after the first article page has arrived (bench/bench_crawl.py). The stop signals are
    # blocked while they are spawned: a worker inherits the mask, so a SIGTERM to the group during its
    # ~2 s of imports, before `_init_worker` ignores it, stays pending instead of killing it. The parent
    # loses none: one blocked here is delivered when the mask is restored. The pool's queues need
    # multiprocessing's resource tracker, which ignores SIGINT and SIGTERM but not SIGHUP: a SIGHUP to the
    # group (the terminal closed) killed it, and the stopping crawl printed its tracebacks (KeyError) under
    # the stop's line. It is started first, with the stop signals blocked (it inherits SIGHUP blocked), and
    # apart: starting, it unblocks SIGINT and SIGTERM in the thread that starts it (Python 3.11).
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        _start_resource_tracker()
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pool = ProcessPoolExecutor(
            max_workers=count,
            mp_context=get_context("spawn"),
            initializer=_init_worker,
            initargs=(spec, os.getpid()),
        )
        for _ in range(count):
            pool.submit(_ready)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return pool


# The tracker's warning, as `-W`/PYTHONWARNINGS take it: an action, the start of the message, its category.
TRACKER_WARNING = "ignore:resource_tracker:UserWarning"


def _start_resource_tracker() -> None:
    """multiprocessing's resource tracker, started without its warning about semaphores "leaked" by a
    process that died: after `kill -9` of a crawl (or the out-of-memory killer) it wrote "resource_tracker:
    There appear to be 5 leaked semaphore objects to clean up at shutdown" and the `warnings.warn` line
    under it — the only lines of the run in cron's mail, in Python's English, about semaphores it then
    removes itself. The tracker reads PYTHONWARNINGS from the environment it is spawned with; this
    process's own is left as it was."""
    before = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, (before, TRACKER_WARNING)))
    try:
        resource_tracker.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONWARNINGS"]
        else:
            os.environ["PYTHONWARNINGS"] = before


def _ready() -> None:
    """A task that does nothing: `start_workers` submits one per worker so that all of them start."""


def stop_workers(pool: ProcessPoolExecutor, patience: float) -> None:
    """Shut the pool down, waiting at most `patience` seconds for its workers to leave; the ones still
    there are killed (they ignore SIGTERM). Called once the cycle has what they returned, so nothing is
    lost; a worker still importing (2 s, more on a loaded machine) no longer holds a stopped crawl up."""
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + patience
    for child in active_children():
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
