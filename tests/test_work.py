"""The extraction worker pool: how many processes a cycle runs, and that they extract."""

from __future__ import annotations

import multiprocessing
import os
from datetime import UTC, datetime

import pytest

from rasd.config import BUNDLED_SEEDS_DIR
from rasd.monitor.work import ClassifierSpec, default_workers, process_page, start_workers
from tests.test_extract_pages import PAGES


@pytest.mark.parametrize(("cpus", "expected"), [(1, 1), (2, 1), (4, 3), (16, 15)])
def test_one_worker_per_cpu_but_one_for_the_crawl(monkeypatch: pytest.MonkeyPatch, cpus: int, expected: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cpus)), raising=False)
    assert default_workers() == expected


def test_the_configured_number_of_workers_start_at_once_and_extract_pages() -> None:
    page = sorted(PAGES.glob("*.html"))[0]
    before = {child.pid for child in multiprocessing.active_children()}
    pool = start_workers(ClassifierSpec(seeds_dir=BUNDLED_SEEDS_DIR, threshold=None), 2)
    try:
        # started with the pool, not when the first page arrives: they load while the crawl discovers feeds
        assert len({child.pid for child in multiprocessing.active_children()} - before) == 2
        fetched = {
            "source": "s",
            "canonical_url": "https://a.ma/x",
            "url": "https://a.ma/x",
            "body": page.read_bytes(),
            "fetched_at": datetime.now(UTC),
            "hint_title": None,
            "hint_date": None,
            "hint_date_origin": None,
        }
        jobs = [pool.submit(process_page, fetched, None, ()) for _ in range(4)]
        for job in jobs:
            result = job.result(timeout=120)
            assert result.error is None and result.article is not None and result.classification is not None
    finally:
        pool.shutdown()
