"""A cycle as a one-shot command: open the store, start the workers, crawl on the reactor, clean up."""

from __future__ import annotations

from pathlib import Path

from config import Settings
from monitor.cycle import CycleSummary, run_cycle
from monitor.work import ClassifierSpec, start_workers
from storage import Store


def classifier_spec(settings: Settings) -> ClassifierSpec:
    return ClassifierSpec(seeds_dir=Path(settings.classifier.seeds_dir), threshold=settings.classifier.threshold)


def one_cycle(settings: Settings, only: list[str] | None = None) -> CycleSummary:
    from monitor.cli import run_on_reactor

    store = Store(settings.storage.url)
    workers = start_workers(classifier_spec(settings))
    try:
        return run_on_reactor(lambda: run_cycle(settings, store, workers, only))
    finally:
        workers.shutdown(cancel_futures=True)
        store.close()
