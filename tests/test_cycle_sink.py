"""The cycle's sink on a real SQLite file, with workers whose answers the test decides: articles are
stored in batches, but none is left behind — not when two pages finish together at the end, not when a
worker breaks in the middle of the cycle (the error still ends the cycle, after the others are stored)."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor, Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rasd.classify import Classification
from rasd.config import Source
from rasd.crawler import FetchedPage, FetchRecord
from rasd.extract import Article, content_hash
from rasd.monitor.cycle import CycleSummary, _CycleSink
from rasd.monitor.work import Processed
from rasd.storage import Store

SOURCE = Source(name="Tiznit Info", url="https://tiznit.example/")
VERDICT = Classification(sse=True, score=0.9, regions=["MA-09"], reasons=["matched: تعاونية"], parts={"lexicon": 0.9})


class Workers(Executor):
    """Answers each page at once, or with the error named for its URL; futures stay unresolved until
    `release` when `hold` is set, so several finish in the same loop tick."""

    def __init__(self, failing: set[str], hold: bool = False) -> None:
        self.failing, self.hold = failing, hold
        self.pending: list[tuple[Future[Processed], dict[str, Any]]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        page = args[0]
        future: Future[Processed] = Future()
        self.pending.append((future, page))
        if not self.hold:
            self.release()
        return future

    def release(self) -> None:
        for future, page in self.pending:
            if page["url"] in self.failing:
                future.set_exception(RuntimeError("worker died"))
            else:
                text = f"{page['url']}: " + " ".join(f"كلمة{len(page['url'])}{i}" for i in range(80))
                article = Article(page["url"], page["url"], text, None, None, None, "ar", None, content_hash(text))
                future.set_result(Processed(page["source"], page["canonical_url"], article, VERDICT))
        self.pending = []


def _page(n: int) -> FetchedPage:
    url = f"https://tiznit.example/story-{n}"
    return FetchedPage(SOURCE.name, url, url, 200, b"<html></html>", "text/html", datetime.now(UTC))


def _store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources([SOURCE])
    return store


def _stored(store: Store) -> set[str]:
    with store.engine.connect() as connection:
        return {url for (url,) in connection.exec_driver_sql("SELECT url FROM articles")}


async def _cycle(store: Store, workers: Workers, pages: int) -> CycleSummary:
    summary = CycleSummary(sources=1)
    sink = _CycleSink(store, workers, {SOURCE.name: SOURCE}, summary)
    for n in range(pages):
        sink.page(_page(n))
        sink.fetch(FetchRecord(SOURCE.name, _page(n).url, "article", "ok", status=200))
        await asyncio.sleep(0)
    if workers.hold:
        workers.release()  # every page finishes in the same tick
        for _ in range(5):
            await asyncio.sleep(0)
        assert _stored(store) == {_page(n).url for n in range(pages)}, "finished articles waited for finish()"
    await sink.finish()
    return summary


def test_pages_finishing_together_are_stored_without_waiting_for_the_end(tmp_path: Path) -> None:
    store = _store(tmp_path)
    summary = asyncio.run(_cycle(store, Workers(set(), hold=True), pages=3))
    assert summary.new_articles == 3


def test_a_broken_worker_ends_the_cycle_after_the_other_articles_are_stored(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(RuntimeError, match="worker died"):
        asyncio.run(_cycle(store, Workers({_page(2).url}), pages=20))
    assert _stored(store) == {_page(n).url for n in range(20) if n != 2}
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM fetches").scalar() == 20, "fetch records kept"
