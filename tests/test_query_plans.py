"""Every query the commands and a cycle run is answered through an index on a store of realistic shape
(issue 16): `rasd status`, housekeeping, digests, `rasd search`/`explain`, storing an article with its
near-duplicate lookup, the fingerprint backfill, the band rows' prune. Checked with SQLite's EXPLAIN QUERY
PLAN on the very statements the store sends, after ANALYZE, on a store of 10,000 articles of 100 sources
over two years with their fingerprints, bands, fetch records and digests. A scan of a table that grows with the store
fails the test; only tables the size of the config (sources, feeds) or of the readers' own labels may be scanned."""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from rasd.classify import Classification
from rasd.config import REGION_CODES
from rasd.extract import FINGERPRINT_BANDS, FINGERPRINT_SCHEME, Article, content_hash
from rasd.storage import NewArticle, Store, utcnow
from rasd.storage.duplicates import day

ARTICLES, SOURCES = 10_000, 100
# Tables whose size is that of the configuration, or of what readers did by hand (labels), not of the store.
SMALL = {"sources", "feeds", "labels", "alembic_version"}  # alembic_version: one row


def _fill(path: Path) -> None:
    """The store as two years of crawling leave it, written with plain SQL (storing 10,000 articles through
    the store would take minutes; tests/test_storage.py covers that path)."""
    Store(f"sqlite:///{path}").close()  # the schema, migrated
    rnd = random.Random(16)
    now = utcnow()
    regions = sorted(REGION_CODES)
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO sources (id, name, url, region, lang, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(s, f"Source {s}", f"https://s{s}.example/", regions[s % 12], "ar", str(now)) for s in range(1, SOURCES + 1)],
    )
    articles: list[tuple[Any, ...]] = []
    verdicts: list[tuple[Any, ...]] = []
    places: list[tuple[Any, ...]] = []
    prints: list[tuple[Any, ...]] = []
    bands: list[tuple[int, int, int, int]] = []
    fetches: list[tuple[Any, ...]] = []
    for i in range(1, ARTICLES + 1):
        when = str(now - timedelta(days=730 * (ARTICLES - i) / ARTICLES))
        source = rnd.randint(1, SOURCES)
        copy_of = rnd.randint(1, i - 1) if i > 1 and rnd.random() < 0.1 else None
        url = f"https://s{source}.example/{i}"
        articles.append((i, source, url, url, f"عنوان {i}", f"نص {i}", when, "meta", "ar", f"{i:064x}", when, copy_of))
        sse = rnd.random() < 0.1
        verdicts.append((i, sse, 0.8 if sse else 0.1, "[]", "[]", "{}", when))
        if sse:
            places.append((i, regions[rnd.randrange(12)], 0))
        prints.append((i, FINGERPRINT_SCHEME, rnd.randbytes(1024), ""))
        when_day = day(now - timedelta(days=730 * (ARTICLES - i) / ARTICLES))
        bands.extend((i, band, rnd.getrandbits(64) - 2**63, when_day) for band in range(FINGERPRINT_BANDS))
        fetches.append((source, url, "article", "ok", when))
    for source in range(1, SOURCES + 1):
        fetches.extend(
            (source, f"https://s{source}.example/feed/", "feed", "ok", str(now - timedelta(hours=h)))
            for h in range(0, 24 * 30, 2)
        )
    db.executemany(
        "INSERT INTO articles (id, source_id, url, canonical_url, title, text, published_at, date_source, lang,"
        " content_hash, fetched_at, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        articles,
    )
    db.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", [a[:1] + a[4:6] for a in articles])
    db.executemany(
        "INSERT INTO classifications (article_id, sse, score, regions, reasons, parts, classified_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        verdicts,
    )
    db.executemany("INSERT INTO article_regions VALUES (?, ?, ?)", places)
    db.executemany("INSERT INTO article_fingerprints VALUES (?, ?, ?, ?)", prints)
    db.executemany("INSERT INTO article_bands (article_id, band, hash, day) VALUES (?, ?, ?, ?)", bands)
    db.executemany(
        "INSERT INTO fetches (source_id, url, kind, status, bytes, duration_ms, outcome, fetched_at, items)"
        " VALUES (?, ?, ?, 200, 1000, 10, ?, ?, 20)",
        fetches,
    )
    sse_ids = [v[0] for v in verdicts if v[1]]
    digest = 0
    for subscription in ("everything", "souss", "oriental", "cooperatives"):  # each had its stories sent
        for start in range(0, len(sse_ids) - 10, 10):
            digest += 1
            db.execute(
                "INSERT INTO digests (id, subscription, recipient, subject, message, status, attempts, created_at)"
                " VALUES (?, ?, 'a@example.org', 's', 'm', 'sent', 1, ?)",
                (digest, subscription, str(now)),
            )
            items = [(digest, a, subscription) for a in sse_ids[start : start + 10]]
            db.executemany("INSERT INTO digest_items VALUES (?, ?, ?)", items)
    labelled = rnd.sample(range(1, ARTICLES + 1), 300)  # readers' verdicts (rasd label) on a few stories
    db.executemany(
        "INSERT INTO labels (article_id, sse, labelled_by, labelled_at) VALUES (?, ?, 'reader', ?)",
        [(article, rnd.random() < 0.5, str(now)) for article in labelled],
    )
    db.commit()
    db.execute("ANALYZE")  # what housekeeping's PRAGMA optimize keeps up to date
    db.commit()
    db.close()


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "rasd.db"
    _fill(path)
    return path


def _plans(filled: Path, work: Any, folder: Path) -> dict[str, list[str]]:
    """Each distinct statement `work(store)` sent (inserts aside), its values written in, and SQLite's plan for
    it, on a copy of the filled store (each test finds it as filled). Read from SQLite's own trace: storing
    runs its lookups through the driver itself, not through SQLAlchemy (storage.base.driver_rows)."""
    path = folder / "rasd.db"
    shutil.copyfile(filled, path)
    store = Store(f"sqlite:///{path}")
    store.engine.dispose()  # every connection `work` uses is opened afresh, traced
    sent: list[str] = []

    def record(statement: str) -> None:
        ours = "'main'.'articles_fts_" not in statement  # not FTS5's own reads of its tables, by key
        if ours and re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", statement, re.IGNORECASE):
            sent.append(statement)

    event.listen(store.engine, "connect", lambda connection, _record: connection.set_trace_callback(record))
    work(store)
    store.close()
    with sqlite3.connect(path) as db:
        return {statement: [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {statement}")] for statement in sent}


def _partial_indexes(path: Path) -> set[str]:
    """Indexes with a WHERE clause: reading one whole reads only the rows it holds (e.g. unsent digests)."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {name for name, sql in rows if " WHERE " in sql.upper()}


def _scans(plans: dict[str, list[str]], partial: set[str]) -> list[str]:
    """Plan lines that read a growing table whole."""
    found = []
    for statement, plan in plans.items():
        # A search of many matches walks the articles newest first and stops at its page (storage.reading)
        walk = re.search(r"INDEXED BY (ix_articles_(?:source_)?moment)\b", statement) and "LIMIT" in statement
        for line in plan:
            if walk and re.fullmatch(r"SCAN articles USING (?:COVERING )?INDEX ix_articles_moment", line):
                continue
            scanned = re.match(r"SCAN (\S+)", line)
            through = re.search(r"USING (?:COVERING )?INDEX (\w+)", line)
            if through and through.group(1) in partial:
                continue
            # a subquery's alias: what it yields is read, its own plan lines show how it was searched
            subquery = scanned and (
                re.search(rf"\)\s+AS\s+{re.escape(scanned.group(1))}\b", statement)
                or re.search(rf"\bWITH (?:RECURSIVE )?{re.escape(scanned.group(1))}\b", statement)  # a CTE's rows
            )
            if scanned and not subquery and not scanned.group(1).startswith("(") and "VIRTUAL TABLE" not in line:
                table = re.search(rf"\b(\w+) (?:AS )?{re.escape(scanned.group(1))}\b", statement)
                name = scanned.group(1) if table is None or scanned.group(1) in SMALL else table.group(1)
                if name not in SMALL:
                    found.append(f"{line}  ←  {' '.join(statement.split())[:160]}")
    return found


def _new_article(store: Store) -> None:
    """Two new articles: a rewrite, looked up through the bands; the same text as a stored one, grouped
    with it at once (and asking whether its original was delivered)."""
    text = "أطلقت تعاونية نسائية بإقليم تيزنيت مشروعا جديدا لتثمين زيت الأركان وتسويقه " * 5
    when = utcnow() - timedelta(days=3)
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    rewrite = Article("https://s7.example/new", "تعاونية", text, when, "meta", None, "ar", None, content_hash(text))
    same_text_as = f"{4321:064x}"  # an article of the store, as _fill hashes them
    copy = Article("https://s8.example/copy", "نسخة", "نص 4321", when, "meta", None, "ar", None, same_text_as)
    store.save_articles(
        [
            NewArticle("Source 7", rewrite.url, rewrite, verdict, ("https://s7.example/?p=1",)),
            NewArticle("Source 8", copy.url, copy, verdict),
        ]
    )


def _digests(store: Store) -> None:
    backlog = store.undelivered_stories("everything", ["all"], ["ar", "fr"], 0.5, limit=20)
    store.undelivered_stories("souss", ["MA-09", "MA-01"], ["ar"], 0.5, limit=20)
    store.undelivered_stories("new subscriber", ["all"], ["ar"], 0.5, limit=20)
    digest = store.create_digest("everything", "a@example.org", "s", "m", [s.article_id for s in backlog])
    assert digest is not None
    store.pending_digests()
    for pending in store.claim_pending_digests():
        store.mark_sent(pending.id, "outbox")


@pytest.mark.parametrize(
    "work",
    [
        pytest.param(lambda store: store.source_health(), id="status"),
        pytest.param(lambda store: store.prune_fetches(30), id="housekeeping"),
        pytest.param(_digests, id="digest"),
        pytest.param(lambda store: (store.search("عنوان"), store.explained(4321)), id="search-explain"),
        pytest.param(_new_article, id="store-and-group"),
        pytest.param(lambda store: store.backfill_fingerprints(limit=1000), id="backfill"),
        pytest.param(lambda store: store.prune_bands(), id="prune-bands"),  # 1,000 articles' band rows deleted
        # the crawl asks which announced articles are stored, a feed or a 50,000-URL sitemap at a time
        pytest.param(lambda store: store.stored_among([f"https://s1.example/{n}" for n in range(1200)]), id="crawl"),
    ],
)
def test_every_query_is_answered_through_an_index(filled: Path, work: Any, tmp_path: Path) -> None:
    plans = _plans(filled, work, tmp_path)
    assert plans
    assert _scans(plans, _partial_indexes(filled)) == []


def test_the_near_duplicate_lookup_reads_only_the_window(filled: Path, tmp_path: Path) -> None:
    """Each band search is bounded to the days of the new article's window: the rows read
    are the window's, however many articles the store holds (issue 16)."""
    plans = _plans(filled, _new_article, tmp_path)
    lookup = next(plan for statement, plan in plans.items() if "article_bands" in statement)
    searches = [line for line in lookup if "article_bands" in line]
    assert len(searches) == FINGERPRINT_BANDS
    assert all("(band=? AND hash=? AND day>? AND day<?)" in line for line in searches), searches[0]
    # answered from the index alone: no search of the table for each band row's article (migration 0016)
    assert all("COVERING INDEX ix_article_bands_lookup" in line for line in searches), searches[0]


def test_status_sends_a_few_statements_whatever_the_number_of_sources(filled: Path, tmp_path: Path) -> None:
    """`rasd status` reads the health of its 100 sources in a few grouped statements (it sent five a source,
    500 round trips through SQLAlchemy: issue 16)."""
    path = tmp_path / "rasd.db"
    shutil.copyfile(filled, path)
    store = Store(f"sqlite:///{path}")
    sent: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    health = store.source_health()
    store.close()
    assert len(health) == SOURCES
    assert sum(h.articles_total for h in health) == ARTICLES
    assert len(sent) <= 4, sent


def test_the_digest_backlog_reads_only_its_days(filled: Path, tmp_path: Path) -> None:
    """The stories a subscriber waits for are read through the index on the time they were stored, from
    BACKLOG before the digest: not every original article of the store (issue 16)."""
    plans = _plans(filled, lambda store: store.undelivered_stories("everything", ["all"], ["ar"], 0.5), tmp_path)
    backlog = next(plan for statement, plan in plans.items() if "digest_items" in statement)
    reads = [line for line in backlog if re.match(r"(SEARCH|SCAN) articles\b", line) and "rowid=?" not in line]
    assert reads == ["SEARCH articles USING INDEX ix_articles_fetched_at (fetched_at>?)"]
