"""One monitoring cycle: crawl → extract → classify → store, streamed.

Pages go to the worker pool as soon as the spider has them and are stored as soon as they come back,
so memory holds only the pages in flight, and the crawl's reactor thread does no parsing of articles.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections import Counter
from collections.abc import Callable, Collection
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import asdict, dataclass, field, replace

from rasd.config import Settings, Source, failures
from rasd.crawler import FeedState, FetchedPage, FetchRecord, SourcePlan, crawl, stopped_by
from rasd.monitor.alike import alike_line, failed_alike, local_refusals
from rasd.monitor.speech import Speech
from rasd.monitor.work import Processed, process_page
from rasd.storage import NewArticle, Store, Unwritable

FETCH_FLUSH_EVERY = 200
MAX_QUEUED_PAGES = 8  # pages handed to the workers and not finished: enough to keep two to four busy
BACKFILL_PER_CYCLE = 1_000  # articles re-fingerprinted per cycle after a scheme change (~6 ms each)
# Articles stored per transaction. Each commit writes every page the batch touched — the band index's
# random leaves, the search index's new segment, which FTS5 merges with the others later — to SQLite's WAL,
# and again to the file at the checkpoint: at 16 a batch, 0.64 MB written an article of bench/bench_crawl.py's
# web, at 64 (with storage.database's page cache) 0.33 MB. A crawl killed outright (SIGKILL, the machine
# down) loses the batch not yet committed, up to this many articles: they are not in the store, so the next
# crawl fetches them again (tests/test_stops.py); a stop by a signal stores it.
STORE_BATCH = 64


@dataclass
class CycleSummary:
    sources: int = 0
    requests: int = 0
    pages: int = 0  # article pages downloaded
    new_articles: int = 0
    sse_flagged: int = 0  # new SSE stories, syndicated copies counted once
    duplicates: int = 0  # pages whose canonical URL was stored meanwhile
    not_articles: int = 0  # pages with no article text
    seconds: float = 0.0
    failures: dict[str, list[str]] = field(default_factory=dict)  # source → one line per failed fetch
    sources_ok: set[str] = field(default_factory=set)
    causes: dict[str, set[str]] = field(default_factory=dict)  # source → kinds of failure ("timed out", …)
    given_up: dict[str, str] = field(default_factory=dict)  # source → why its site was given up this cycle
    articles_ok: set[str] = field(default_factory=set)  # sources with an article page fetched this cycle
    articles_failed: dict[str, str] = field(default_factory=dict)  # source → its first article page's failure
    stopped_by: int | None = None  # the signal that stopped the cycle before it finished
    pages_lost: int = 0  # article pages fetched but not extracted: the worker pool broke (a worker killed)
    storyless: dict[str, list[str]] = field(default_factory=dict)  # source → its article pages with no story
    with_story: set[str] = field(default_factory=set)  # sources with an article page that held a story

    @property
    def reached(self) -> int:
        """How many sources the cycle fetched something from (or tried to and failed): of a cycle stopped
        by a signal, the others were never started."""
        return len(self.sources_ok | set(self.failures) | self.articles_ok)

    def failure_lines(self, with_lost: bool = True, *, language: str = "en", unsaid: Collection[str] = ()) -> list[str]:
        """The worker pool's loss if any (`lost_lines`, unless not `with_lost`: the daemon words it itself),
        then one readable line per failing source; when most
        sources failed in the same way and nothing else (the machine's network is down, a proxy refuses
        everything), one line says so for them all instead of a screenful alike. Each source's own errors
        are recorded (`rasd status` lists them). In the reader's language, but for the sites' own errors
        (HTTP 404, DNS lookup failed). `unsaid`: sources whose failing was said already (`rasd crawl --quiet`)."""
        said = Speech(language)
        listed = said.gettext("%(line)s; `rasd status` lists each source")
        alike = [said(listed, line=line) for line in self.alike_lines(language, unsaid)]
        lines = (self.lost_lines(language) if with_lost else []) + alike + self.source_lines(language, unsaid)
        return lines + self.storyless_lines(language)

    def storyless_lines(self, language: str = "en") -> list[str]:
        """A line per source none of whose article pages held a story this cycle, from STORYLESS_PAGES pages
        on: its site's template changed (the story now in a script, a wall, another layout) and it fetches
        without a failure, so nothing else says why its articles stopped. One page alone may be a category
        or a video the listing linked."""
        said = Speech(language)
        lines = []
        for source, urls in sorted(self.storyless.items()):
            if source in self.with_story or len(urls) < STORYLESS_PAGES:
                continue
            none = said.ngettext(
                "%(source)s: its %(num)d article page held no story (has the site's page layout changed?); "
                "`rasd extract %(url)s --json` shows what Rasd reads there",
                "%(source)s: none of its %(num)d article pages held a story (has the site's page layout changed?); "
                "`rasd extract %(url)s --json` shows what Rasd reads on one",
                len(urls),
            )
            lines.append(said(none, source=source, num=len(urls), url=min(urls)))
        return lines

    def lost_lines(self, language: str = "en") -> list[str]:
        """The line saying the worker pool broke and how many fetched pages wait for the next run."""
        if not self.pages_lost:
            return []
        said = Speech(language)
        lost = said.ngettext(
            "the extraction worker stopped unexpectedly (killed, or out of memory?): %(num)d article page was "
            "not stored; the next run fetches it again",
            "the extraction worker stopped unexpectedly (killed, or out of memory?): %(num)d article pages were "
            "not stored; the next run fetches them again",
            self.pages_lost,
        )
        return [said(lost, num=self.pages_lost)]

    def alike_lines(self, language: str = "en", unsaid: Collection[str] = ()) -> list[str]:
        """The lines that speak for most sources failing the same way (`network unreachable? …`), but for those
        whose sources are all `unsaid` (`rasd crawl --quiet`: the machine offline for a day is said once)."""
        alike = failed_alike(self.causes, self.sources_ok, self.sources)
        return [
            alike_line(cause, len(names), self.sources, language)
            for cause, names in alike.items()
            if not set(names) <= set(unsaid)
        ]

    def source_lines(self, language: str = "en", unsaid: Collection[str] = ()) -> list[str]:
        """A line per failing source that no alike line speaks for, but the `unsaid` ones."""
        said = Speech(language)
        alike = failed_alike(self.causes, self.sources_ok, self.sources)
        grouped = {name for names in alike.values() for name in names}
        lines = []
        for source, errors in sorted(self.failures.items()):
            if source in grouped or source in unsaid:
                continue
            counts = Counter(errors)
            said_errors = ((said.failure(error), n) for error, n in counts.most_common(3))
            detail = "; ".join(f"{error} ×{n}" if n > 1 else error for error, n in said_errors)
            failed = said.ngettext(
                "%(source)s: %(num)d failed fetch: %(detail)s",
                "%(source)s: %(num)d failed fetches: %(detail)s",
                len(errors),
            )
            lines.append(said(failed, source=source, num=len(errors), detail=detail))
        return lines

    def source_outcomes(self) -> dict[str, str | None]:
        """Per source fetched from this cycle: None when its cycle worked, else why it failed — nothing of
        it could be fetched, its site was given up (not answering, out of time), or every article page it
        tried failed (a feed that answers over a server whose pages trickle)."""
        outcomes: dict[str, str | None] = {}
        for source in self.sources_ok | set(self.failures) | self.articles_ok:
            errors = [error for error in self.failures.get(source, []) if not error.startswith("extraction failed")]
            if source in self.given_up:
                outcomes[source] = self.given_up[source]
            elif source not in self.sources_ok and errors:
                outcomes[source] = errors[0]
            elif source in self.articles_failed and source not in self.articles_ok:
                outcomes[source] = self.articles_failed[source]
            else:
                outcomes[source] = None
        return outcomes

    def as_dict(self) -> dict[str, object]:
        return {
            "sources": self.sources,
            "requests": self.requests,
            "pages": self.pages,
            "new_articles": self.new_articles,
            "sse_flagged": self.sse_flagged,
            "errors": sum(len(errors) for errors in self.failures.values()),
            "seconds": round(self.seconds, 2),
        }


STORYLESS_PAGES = 2  # a source's article pages of a cycle, none a story, from which `storyless_lines` says so

# crawler/budget.py's and crawler/ratelimit.py's causes: the site was left for next cycle
GIVEN_UP = (failures.NOT_ANSWERING, failures.OUT_OF_TIME, failures.RATE_LIMITED)


class _CycleSink:
    """Receives the spider's results on the reactor thread and moves them along the pipeline."""

    def __init__(
        self,
        store: Store,
        workers: Executor,
        sources: dict[str, Source],
        summary: CycleSummary,
        furniture: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.store = store
        # each source's learned furniture, as the workers take it; the lines they found, to record
        self.furniture = {name: tuple(lines.items()) for name, lines in (furniture or {}).items()}
        self.furniture_hits: dict[str, set[str]] = {}
        self.workers = workers
        self.sources = sources
        self.summary = summary
        self.loop = asyncio.get_running_loop()
        self.in_flight: set[asyncio.Future[None]] = set()
        self.queued: set[concurrent.futures.Future[Processed]] = set()  # pages sent to the workers, not done
        self.fetches: list[FetchRecord] = []
        self.feeds: list[FeedState] = []
        self.ready: list[NewArticle] = []  # extracted and classified, not stored yet
        self.errors: list[BaseException] = []  # of pages whose task failed, raised by `finish`
        self.unwritable: Unwritable | None = None  # the disk is full or the database read-only
        self.lost: set[str] = set()  # sources with a page the broken worker pool never extracted

    def page(self, page: FetchedPage) -> None:
        self.summary.pages += 1
        if self.unwritable is not None:
            return  # it could not be stored: not extracted either (the next crawl fetches it again)
        source = self.sources[page.source]
        if self.lost:  # the pool is broken: no page can be extracted for the rest of this cycle
            self.lose(page.source)
            return
        self._wait_for_room()
        try:
            job = self.workers.submit(
                process_page,
                asdict(page),
                source.region,
                tuple(source.boilerplate),
                self.furniture.get(page.source, ()),
            )
        except BrokenExecutor:
            self.lose(page.source)
            return
        self.queued.add(job)
        future = asyncio.wrap_future(job)
        task = asyncio.ensure_future(self._store_when_done(future, page.source, page.aliases, page.url))
        self.in_flight.add(task)
        task.add_done_callback(self._page_done)

    def _page_done(self, task: asyncio.Future[None]) -> None:
        """A page's task ended: out of `in_flight`, its error (a worker pool that broke) kept for `finish`."""
        self.in_flight.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            self.errors.append(error)

    def _wait_for_room(self) -> None:
        """Backpressure. Scrapy downloads pages far faster than the workers extract them, and every page
        submitted waits, body and all, in the pool's queue: 2,000 pages of a cold cycle took the main process
        from 130 to 255 MB (bench/bench_crawl.py). With MAX_QUEUED_PAGES waiting, the reactor thread waits for
        a worker to finish one; no download starts meanwhile, which is the point. The wait is one page's
        extraction at most, and no CPU is spent on this thread."""
        self.queued = {job for job in self.queued if not job.done()}
        while len(self.queued) >= MAX_QUEUED_PAGES:
            _, self.queued = concurrent.futures.wait(self.queued, return_when=concurrent.futures.FIRST_COMPLETED)

    def lose(self, source: str) -> None:
        """A page of `source` that the broken pool will never extract. Nothing is lost by it: the article is
        not stored, and its source's feeds and sitemaps keep no validators this cycle (`finish`), so the next
        cycle reads them whole and fetches it again, as it does for a listing page's unstored links."""
        self.lost.add(source)
        self.summary.pages_lost += 1

    async def _store_when_done(
        self, future: asyncio.Future[Processed], source: str, aliases: tuple[str, ...], url: str
    ) -> None:
        try:
            result = await future
        except BrokenExecutor:
            self.lose(source)
            return
        if result.error:
            failed = failures.EXTRACTION_FAILED % {"detail": result.error}
            self.summary.failures.setdefault(result.source, []).append(failed)
            return
        if result.article is None or result.classification is None:
            self.summary.not_articles += 1
            self.summary.storyless.setdefault(result.source, []).append(url)
            return
        self.summary.with_story.add(result.source)
        if result.article.furniture_hits:
            self.furniture_hits.setdefault(result.source, set()).update(result.article.furniture_hits)
        self.ready.append(
            NewArticle(result.source, result.canonical_url, result.article, result.classification, aliases)
        )
        # A batch per transaction while pages stream in; at once when no other page is in flight, so a
        # slow, polite crawl does not keep finished articles waiting. (A task that has just finished is
        # still in `in_flight` until its done-callback runs: it is not counted.)
        current = asyncio.current_task()
        others = [task for task in self.in_flight if task is not current and not task.done()]
        if len(self.ready) >= STORE_BATCH or not others:
            self._write(self.store_ready)

    def store_ready(self) -> None:
        batch, self.ready = self.ready, []
        for stored in self.store.save_articles(batch) if batch else []:
            if stored is None:
                self.summary.duplicates += 1
            else:
                self.summary.new_articles += 1

    def fetch(self, record: FetchRecord) -> None:
        self.summary.requests += 1
        if record.outcome in ("ok", "not_modified"):
            self.summary.sources_ok.add(record.source)
        else:
            line = record.error or record.outcome
            where = failures.FETCH_FAILED % {"failure": line, "kind": record.kind, "url": record.url}
            self.summary.failures.setdefault(record.source, []).append(where)
            cause = record.cause or (f"HTTP {record.status}" if record.status else line)
            self.summary.causes.setdefault(record.source, set()).add(cause)
            if cause in GIVEN_UP:
                self.summary.given_up.setdefault(record.source, line)
            if record.kind == "article" and record.outcome == "error":  # no answer: not a dead link's 404
                self.summary.articles_failed.setdefault(record.source, where)
        if record.kind == "article" and record.outcome == "ok":
            self.summary.articles_ok.add(record.source)
        self.fetches.append(record)
        if len(self.fetches) >= FETCH_FLUSH_EVERY:
            self._write(self.flush)

    def feed(self, state: FeedState) -> None:
        self.feeds.append(state)

    def stored(self, urls: Collection[str]) -> set[str]:
        return self.store.stored_among(urls)

    def flush(self) -> None:
        self.store.record_fetches(self.fetches)
        self.fetches = []

    def _write(self, write: Callable[[], None]) -> None:
        """A write to the store. Once the disk is full or the database read-only, no other is tried this
        cycle (each would fail alike, and inside Scrapy's callbacks each printed a traceback): `finish`
        raises the first Unwritable alone, which the command prints as one line. Nothing is lost by it:
        what was stored before is intact, and articles not stored are not seen, so the next crawl fetches
        them again."""
        if self.unwritable is not None:
            return
        try:
            write()
        except Unwritable as error:
            self.unwritable = error

    async def finish(self) -> None:
        """Wait for the pages in flight, then store what is ready, the fetch records and the feed states —
        also when a page failed (its error is raised afterwards) or the cycle is being cancelled."""
        try:
            while self.in_flight:
                await asyncio.gather(*list(self.in_flight), return_exceptions=True)  # kept by _page_done
        finally:
            self._write(self.store_ready)
            self._write(self.flush)
            feeds = [replace(s, etag=None, last_modified=None) if s.source in self.lost else s for s in self.feeds]
            self._write(lambda: self.store.save_feed_states(feeds))
            self.feeds = []
            self._write(lambda: self.store.record_cycle(self.summary.source_outcomes()))
            if self.furniture_hits:
                hits, self.furniture_hits = self.furniture_hits, {}
                self._write(lambda: self.store.record_furniture_hits(hits))
        if self.unwritable is not None:
            raise self.unwritable
        if self.errors:
            raise self.errors[0]


def plans_for(settings: Settings, sources: list[Source], store: Store) -> list[SourcePlan]:
    """Configured feeds and sitemaps first; otherwise the ones discovered in earlier cycles."""
    discovered = store.known_feeds()
    plans = []
    for source in sources:
        found = discovered.get(source.name, {})
        plans.append(
            SourcePlan(
                name=source.name,
                homepage=source.url,
                feeds=tuple(source.feeds or found.get("feed", [])),
                sitemaps=tuple(source.sitemaps or found.get("sitemap", [])),
                max_pages=settings.crawler.max_pages_per_source,
            )
        )
    return plans


async def run_cycle(settings: Settings, store: Store, workers: Executor, only: list[str] | None = None) -> CycleSummary:
    """Crawl the configured sources (or `only` these) once and store what is new."""
    started = time.monotonic()
    sources = [settings.source_named(name) for name in only] if only else list(settings.sources)
    store.sync_sources(sources)
    # Articles stored before fingerprints existed, or under an older scheme (a no-op query afterwards):
    # off the loop thread and a bounded share per cycle, since a large store takes minutes once, and the
    # daemon must still stop promptly on SIGTERM (the thread cannot be interrupted).
    await asyncio.to_thread(store.backfill_fingerprints, BACKFILL_PER_CYCLE)
    # Band rows of articles stored long ago, which no new article can match, deleted a bounded step a cycle
    # (storage.duplicates.BAND_HORIZON): what keeps storing an article as cheap at a million as at 10,000.
    await asyncio.to_thread(store.prune_bands)
    # Each source's furniture re-learned from its latest articles (storage.furniture): a few ms a source.
    await asyncio.to_thread(store.learn_furniture, [s.name for s in sources])
    flagged_before = store.count_articles()[1]
    summary = CycleSummary(sources=len(sources))
    sink = _CycleSink(store, workers, {s.name: s for s in sources}, summary, store.furniture_rules())
    try:
        await crawl(
            plans_for(settings, sources, store),
            settings.crawler,
            store.feed_validators(),
            sink,
        )
    finally:
        await sink.finish()
        summary.causes = local_refusals(summary.causes, sources)  # a loopback site down, not the network
        # new SSE *stories*: a copy of a story stored in this cycle or before is not a new one
        summary.sse_flagged = store.count_articles()[1] - flagged_before
        summary.seconds = time.monotonic() - started
        summary.stopped_by = stopped_by()  # cut short by a signal (`rasd crawl`, the daemon): said so
    return summary
