"""A running daemon learns from readers' verdicts without a restart: a story labelled while `rasd run` is
up is a reference for the classifier from the daemon's next crawl cycle, and one marked not SSE is out of
the digests at once. The daemon's own crawl job is driven cycle by cycle (tests/daemon_driver.py) against
a loopback news site; the stories are the ones written for tests/test_verdicts.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasd.storage import Store
from tests.conftest import REPO, write_config
from tests.sites import RSS, route, rows, rss
from tests.test_verdicts import BORDERLINE, CANDIDATE_SEED, FALSE_ALARM


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence.strip())
    return (
        f'<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="article:published_time" content="2026-11-28T08:00:00+00:00"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


class Driven:
    """tests/daemon_driver.py in a subprocess: `crawl()` runs the daemon's crawl job once and waits for it."""

    def __init__(self, config: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.daemon_driver", str(config)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def crawl(self) -> list[dict[str, object]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("crawl\n")
        self.process.stdin.flush()
        runs: list[dict[str, object]] = []
        for line in self.process.stdout:
            if line.strip() == "done":
                return runs
            runs.append(json.loads(line))
        raise AssertionError("the daemon driver exited:\n" + self.stop())

    def stop(self) -> str:
        _, errors = self.process.communicate("quit\n", timeout=60)
        return errors


@pytest.fixture
def driven(sites: list[str], tmp_path: Path) -> Iterator[tuple[Driven, str, Path]]:
    base = sites[0]
    route(f"{base}/feed.xml", 200, rss([]), RSS)
    route(f"{base}/", 200, b"<html><body>Atlas Info</body></html>")
    sources = f'[[sources]]\nname = "Atlas Info"\nurl = "{base}/"\nfeeds = ["{base}/feed.xml"]\nregion = "MA-08"\n'
    config = write_config(tmp_path, sources)
    daemon = Driven(config)
    try:
        yield daemon, base, tmp_path / "rasd.db"
    finally:
        daemon.stop()


def publish(base: str, stories: dict[str, tuple[str, str]]) -> list[str]:
    links = []
    for slug, (title, text) in stories.items():
        links.append(f"{base}/2026/11/28/{slug}")
        route(links[-1], 200, page(title, text))
    route(f"{base}/feed.xml", 200, rss(links), RSS)
    return links


def classified(db: Path) -> dict[str, tuple[int, bool, str]]:
    """Stored article URL → (id, flagged SSE, reasons)."""
    query = "SELECT a.url, a.id, c.sse, c.reasons FROM articles a JOIN classifications c ON c.article_id = a.id"
    found = rows(db, query)
    return {url.rsplit("/", 1)[1]: (article_id, bool(sse), str(reasons)) for url, article_id, sse, reasons in found}


def test_a_verdict_given_while_the_daemon_runs_is_used_from_its_next_cycle(
    driven: tuple[Driven, str, Path],
) -> None:
    daemon, base, db = driven
    candidate_title, _, candidate_text = CANDIDATE_SEED.partition("\n\n")
    first = {"apicultrices": (candidate_title, candidate_text.strip()), "epargne": FALSE_ALARM}
    publish(base, first)
    assert [run["status"] for run in daemon.crawl()] == ["ok"]
    stored = classified(db)
    assert stored["epargne"][1], "the cooperative bank's results are flagged: the false alarm readers correct"

    # Readers give their verdicts while the daemon runs.
    store = Store(f"sqlite:///{db}")
    try:
        store.add_label(stored["apicultrices"][0], True, "MA-08", "amina")
        store.add_label(stored["epargne"][0], False, None, "karim")
        waiting = store.undelivered_stories("everything", ["all"], ["ar", "fr"], 0.0)
        assert stored["epargne"][0] not in {story.article_id for story in waiting}  # out of the next digest
    finally:
        store.close()

    # The next cycle brings a borderline story like the one marked SSE, and the bank's story again.
    title, text = FALSE_ALARM
    again = (title + " (mise à jour)", text.replace("deux agences", "trois agences"))
    publish(base, {**first, "moussem": BORDERLINE, "epargne-maj": again})
    assert [run["status"] for run in daemon.crawl()] == ["ok"]
    stored = classified(db)
    _, moussem_sse, moussem_reasons = stored["moussem"]
    assert moussem_sse, moussem_reasons
    assert f"(article {stored['apicultrices'][0]})" in moussem_reasons  # lifted by the reader's SSE story
    _, again_sse, again_reasons = stored["epargne-maj"]
    assert not again_sse, again_reasons
    assert f"article {stored['epargne'][0]}, marked not SSE by a reader" in again_reasons
