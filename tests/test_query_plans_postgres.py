"""Every query the commands and a cycle send is answered through an index on PostgreSQL too, on a store of
100,000 articles (issue 18): `rasd status`, housekeeping, digests, `rasd search`/`explain`, storing an
article with its near-duplicate lookup, the fingerprint backfill. The very statements the store sends are
recorded with their parameters and EXPLAINed on the real server (tests/postgres.py) after ANALYZE; a
sequential scan of a table that grows with the store fails the test. tests/test_query_plans.py does the
same with SQLite's EXPLAIN QUERY PLAN.

The store is filled in SQL (generate_series: storing 100,000 articles through the store would take an
hour) with the rows a monitor leaves after two years: 100 sources, a tenth of the articles SSE with their
regions, a tenth grouped as copies, fetch records, digests sent to four subscriptions, readers' labels.
Every article has its fingerprint; the newest 20,000 their 85 band rows (8.5 million rows for all would
make the fill slow, and the near-duplicate lookup reads only the days of its window). Fetch records
cover the last 31 days, as the daily housekeeping leaves them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from rasd.config import REGION_CODES
from rasd.extract import FINGERPRINT_BANDS, FINGERPRINT_SCHEME
from rasd.storage import Store
from tests.test_query_plans import _digests, _new_article

ARTICLES, SOURCES, FINGERPRINTED = 100_000, 100, 20_000
# Tables whose size is that of the configuration, or of what readers did by hand (labels), not of the store.
SMALL = {"sources", "feeds", "labels", "source_furniture", "digest_channels", "alembic_version"}

FILL = [
    "INSERT INTO sources (id, name, url, region, lang, created_at) SELECT s, 'Source ' || s,"
    " 'https://s' || s || '.example/', (CAST(:regions AS text[]))[s % 12 + 1], 'ar', now()"
    " FROM generate_series(1, :sources) s",
    # two years, the newest last; content_hash as tests/test_query_plans.py writes it (f"{n:064x}")
    "INSERT INTO articles (id, source_id, url, canonical_url, title, text, published_at, date_source, lang,"
    " content_hash, fetched_at, duplicate_of) SELECT n, n % :sources + 1,"
    " 'https://s' || (n % :sources + 1) || '.example/' || n, 'https://s' || (n % :sources + 1) || '.example/' || n,"
    " 'عنوان ' || n, 'نص ' || n, now() - (:n - n) * interval '631 seconds', 'meta', 'ar', lpad(to_hex(n), 64, '0'),"
    " now() - (:n - n) * interval '631 seconds', CASE WHEN n > 10 AND n % 10 = 0 THEN n - 7 END"
    " FROM generate_series(1, :n) n",
    "INSERT INTO classifications (article_id, sse, score, regions, reasons, parts, classified_at)"
    " SELECT id, id % 10 = 3, CASE WHEN id % 10 = 3 THEN 0.8 ELSE 0.1 END, '[]', '[]', '{}', fetched_at"
    " FROM articles",
    "INSERT INTO article_regions (article_id, region, rank)"
    " SELECT id, (CAST(:regions AS text[]))[id % 12 + 1], 0 FROM articles WHERE id % 10 = 3",
    "INSERT INTO article_fingerprints (article_id, scheme, signature, figures)"
    " SELECT id, :scheme, decode(repeat(md5(id::text), 64), 'hex'), '' FROM articles",
    "INSERT INTO article_aliases (canonical_url, article_id)"
    " SELECT 'https://s' || (id % :sources + 1) || '.example/?p=' || id, id FROM articles WHERE id % 10 = 1",
    "INSERT INTO article_bands (article_id, band, hash, day)"
    " SELECT id, band, ('x' || substr(md5(id || '-' || band), 1, 16))::bit(64)::bigint,"
    " floor(extract(epoch FROM published_at) / 86400)::int"
    " FROM articles, generate_series(0, :bands - 1) band WHERE id > :n - :fingerprinted",
    "INSERT INTO fetches (source_id, url, kind, status, bytes, duration_ms, outcome, fetched_at, items)"
    " SELECT source_id, url, 'article', 200, 1000, 10, 'ok', fetched_at, 20 FROM articles"
    " WHERE fetched_at > now() - interval '31 days'",  # older ones were pruned by the daily housekeeping
    "INSERT INTO fetches (source_id, url, kind, status, bytes, duration_ms, outcome, fetched_at, items)"
    " SELECT s, 'https://s' || s || '.example/feed/', 'feed', 200, 1000, 10, 'ok', now() - h * interval '1 hour', 20"
    " FROM generate_series(1, :sources) s, generate_series(0, 24 * 30, 2) h",
    # digests of ten SSE stories each, to four subscriptions, all sent
    "INSERT INTO digests (id, subscription, recipient, subject, message, status, attempts, created_at)"
    " SELECT g * 4 + k, (ARRAY['everything', 'souss', 'oriental', 'cooperatives'])[k + 1], 'a@example.org', 's',"
    " 'm', 'sent', 1, now() FROM generate_series(0, :n / 100 - 1) g, generate_series(0, 3) k",
    "INSERT INTO digest_items (digest_id, article_id, subscription)"
    " SELECT d.id, a.id, d.subscription FROM digests d JOIN articles a ON a.id % 10 = 3 AND a.id / 100 = d.id / 4",
    "INSERT INTO labels (article_id, sse, labelled_by, labelled_at)"
    " SELECT n * (:n / 302), n % 2 = 0, 'reader', now() FROM generate_series(1, 300) n",
    "INSERT INTO article_search (article_id, body) SELECT id, ' عنوان ' || id || ' نص ' || id || ' '"
    " || CASE WHEN id % 50 = 0 THEN 'والتعاونيه ' ELSE '' END FROM articles",
    # the vocabulary of a large store: some 100,000 Arabic words (here, numbered)
    "INSERT INTO search_words (word) SELECT unnest(ARRAY['عنوان', 'والتعاونيه'])"
    " UNION ALL SELECT 'كلمه' || n FROM generate_series(1, :n) n",
    "SELECT setval(pg_get_serial_sequence('articles', 'id'), :n)",
    "SELECT setval(pg_get_serial_sequence('digests', 'id'), (SELECT max(id) FROM digests))",
]
GROWING_PATTERN = re.compile(r"Seq Scan on (\w+)")


def fill(store: Store, articles: int = ARTICLES, fingerprinted: int = FINGERPRINTED) -> None:
    """The store as two years of a monitor leave it (FILL), analysed."""
    values = {
        "n": articles,
        "sources": SOURCES,
        "fingerprinted": fingerprinted,
        "bands": FINGERPRINT_BANDS,
        "scheme": FINGERPRINT_SCHEME,
        "regions": sorted(REGION_CODES),
    }
    with store.engine.begin() as connection:
        for statement in FILL:
            used = {name: value for name, value in values.items() if f":{name}" in statement}
            connection.execute(text(statement), used)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


@pytest.fixture(scope="module")
def store(postgres_admin_url: str) -> Iterator[Store]:
    from tests.postgres import new_database

    store = Store(new_database(postgres_admin_url))
    fill(store)
    yield store
    store.close()


Sent = list[tuple[str, Any, int]]  # a statement, its parameters, its transaction


def recorder(sent: Sent) -> Any:
    """A `before_cursor_execute` listener keeping each statement (inserts aside) with its parameters and its
    transaction in `sent`."""

    def record(conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if not many and re.match(r"\s*(SELECT|UPDATE|DELETE|WITH|SET)\b", statement, re.IGNORECASE):
            sent.append((statement, parameters, id(conn.get_transaction())))

    return record


def _plans(store: Store, work: Any) -> dict[str, str]:
    """Each distinct statement `work(store)` sent (inserts aside) and PostgreSQL's plan for it, planned with
    the parameters it was sent with."""
    sent: Sent = []
    record = recorder(sent)
    event.listen(store.engine, "before_cursor_execute", record)
    try:
        work(store)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return explained(store.engine, sent)


def explained(engine: Any, sent: Sent) -> dict[str, str]:
    """PostgreSQL's plan of each statement in `sent`, after the SET LOCALs its transaction sent before it."""
    plans = {}
    settings: dict[int, list[tuple[str, Any]]] = {}
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters, transaction in sent:
            if statement.lstrip().upper().startswith("SET"):  # search's SET LOCAL, for the statements after it
                settings.setdefault(transaction, []).append((statement, parameters))
                continue
            for setting, values in settings.get(transaction, []):
                cursor.execute(setting, values)
            cursor.execute("EXPLAIN " + statement, parameters)
            plans[statement] = "\n".join(row[0] for row in cursor.fetchall())
            raw.rollback()  # each statement in a transaction of its own: a SET LOCAL ends with it
    finally:
        raw.close()
    return plans


def _scans(plans: dict[str, str]) -> list[str]:
    """The plans that read a growing table whole."""
    return [
        f"{table} ← {' '.join(statement.split())[:200]}\n{plan}"
        for statement, plan in plans.items()
        for table in GROWING_PATTERN.findall(plan)
        if table not in SMALL
    ]


@pytest.mark.parametrize(
    "work",
    [
        pytest.param(lambda store: store.source_health(), id="status"),
        pytest.param(lambda store: (store.prune_fetches(30), store.optimize()), id="housekeeping"),
        pytest.param(_digests, id="digest"),
        pytest.param(lambda store: (store.search("تعاونية"), store.story(4321)), id="search-explain"),
        pytest.param(_new_article, id="store-and-group"),
        pytest.param(lambda store: store.backfill_fingerprints(limit=1000), id="backfill"),
    ],
)
def test_every_query_is_answered_through_an_index_on_postgresql(store: Store, work: Any) -> None:
    plans = _plans(store, work)
    assert plans
    assert _scans(plans) == []


def test_a_common_word_is_read_through_an_exact_bitmap(store: Store) -> None:
    """A word in every article: its bitmap of matches stays exact, so no match is checked twice. The
    session's own work_mem is set 64 times below the server default, so that this 100,000-article store
    needs as much bitmap as a store of millions does with the default (where the bitmap turned lossy and
    each row of a lossy page was re-read from its TOAST tsvector: bench/bench_search.py at 1,000,000)."""
    from rasd.storage import SearchFilters
    from rasd.storage.query import search_ids

    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    with store.session() as session:
        session.execute(text("SET work_mem = '64kB'"))
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            hits = search_ids(session, "عنوان", SearchFilters(), 20)
            assert (hits.total, hits.more) == (1000, True)  # storage.reading.COUNTED
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
        plan: list[str] = []
        for statement, parameters in sent:  # the same statements, in the same transaction, analysed
            if statement.lstrip().upper().startswith("SET"):
                session.connection().exec_driver_sql(statement, parameters)
            else:
                rows = session.connection().exec_driver_sql("EXPLAIN (ANALYZE) " + statement, parameters)
                plan += [row[0] for row in rows]
        session.execute(text("RESET work_mem"))
    heap = [line for line in plan if "Heap Blocks" in line]
    assert heap, "\n".join(plan)
    assert not any("lossy" in line for line in heap), "\n".join(plan)
