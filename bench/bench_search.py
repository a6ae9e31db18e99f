"""Search latency and per-article storage cost as the store grows, on SQLite and PostgreSQL.

    python bench/bench_search.py   # 10,000 and 100,000 articles (RASD_BENCH_SIZES=10000,100000,1000000)
    RASD_BENCH_DATABASES=postgresql python bench/bench_search.py   # one database only

Articles are the corpus's texts ($RASD_CORPUS or ../shared/corpus, read in place, never copied; without it,
texts written here), each made unique by a line of its own, over 12 sources and two years, a third of them
SSE. They are written with the store's own index rows (storage.query_language.index_rows: folded words and, on
SQLite, the text as shown), without the near-duplicate grouping of a crawl (not what is measured here).
Loading is a bulk load, fast enough for a million (`_fill`): each text's index row computed once, batches
of 10,000; SQLite's FTS5 keeps 256 MB of index in memory before writing a segment (reset to its 1 MB
default afterwards); PostgreSQL writes the index rows with COPY, only the vocabulary's new words, and its
loading transactions run with synchronous_commit off (the GIN pending list keeps its default 4 MB: a
larger one left its freed pages in the index file, +5 KB an article at 10,000). Schema, indexes (live
throughout, as in a crawl) and queries are the product's; PostgreSQL is VACUUM ANALYZEd before timing.
For each size it prints the bytes a stored article costs (all of it, and the search index's share), the
median of five runs of each query's search (storage.query.search_ids: the count and the first 20 ids,
what grows with the store), and of a whole `Store.search` of a common word (the 20 stories loaded too).
PostgreSQL is the throwaway server of tests/postgres.py (Debian's postgresql).
"""

from __future__ import annotations

import glob
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, insert, text  # noqa: E402

from rasd.extract import normalize_for_matching  # noqa: E402
from rasd.storage import SearchFilters, Store  # noqa: E402
from rasd.storage.models import ArticleRow, ClassificationRow, SourceRow  # noqa: E402
from rasd.storage.query import search_ids  # noqa: E402
from rasd.storage.query_language import index_rows, is_arabic_indexed  # noqa: E402
from rasd.storage.search import write_index_rows  # noqa: E402

# ../shared/corpus beside /work/main; a worktree under /work/wt/ finds it two levels up
CORPUS = Path(
    os.environ.get("RASD_CORPUS")
    or next(
        (p for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus") if p.is_dir()), "."
    )
)
DATABASES = os.environ.get("RASD_BENCH_DATABASES", "sqlite,postgresql").split(",")
SIZES = [int(size) for size in os.environ.get("RASD_BENCH_SIZES", "10000,100000").split(",")]
BATCH = 10_000
# SQLite's FTS5 keeps this much of the index in memory before writing a segment (its default: 1 MB)
FTS_HASHSIZE, FTS_DEFAULT_HASHSIZE = 256 * 1024 * 1024, 1024 * 1024
QUERIES: list[tuple[str, SearchFilters]] = [
    ("تعاونية", SearchFilters()),  # in a few percent of the articles
    ("المغرب", SearchFilters()),  # in most Arabic articles: counting them is the cost
    ("المغرب", SearchFilters(sse=True, region="MA-04")),
    ('"التنمية البشرية"', SearchFilters()),
    ("سفرو OR مكناس", SearchFilters()),
    ("cooperative*", SearchFilters()),
    ("coopérative", SearchFilters()),  # and its plural (storage.query_language.inflections)
    ("associations", SearchFilters()),  # and its singular
    ("ESS", SearchFilters()),
    ("zzqx", SearchFilters()),  # no match at all
    ("", SearchFilters(sse=True)),  # no word: the newest SSE stories (`rasd search --sse`)
    ("", SearchFilters(sse=True, region="MA-04")),  # no word, a region's
]


def _texts() -> list[tuple[str, str, str]]:
    """(title, text, lang) of the corpus, or a few written here when it is not beside the repository."""
    rows = []
    for path in sorted(glob.glob(str(CORPUS / "*.jsonl"))):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows.append((row.get("title") or row["text"][:80], row["text"], row.get("lang") or "ar"))
    if rows:
        return rows
    written = [
        ("تعاونية نسائية بسفرو", "أطلقت تعاونية نسائية بسفرو مشروعا في إطار المبادرة الوطنية للتنمية البشرية.", "ar"),
        ("Meknès : une coopérative", "La coopérative de Meknès, soutenue par l'ESS régionale, ouvre un atelier.", "fr"),
        ("المغرب: الاقتصاد", "قال تقرير إن الاقتصاد في المغرب سجل نموا خلال الفصل الأول من السنة الجارية.", "ar"),
    ]
    return [(title, " ".join([body] * 15), lang) for title, body, lang in written]


def region_of(n: object) -> str:
    return f"MA-{int(str(n)) % 12 + 1:02d}"


MARK = "987654321"  # stands for an article's number in the index rows computed once per corpus text


def _templates(texts: list[tuple[str, str, str, str, str]]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(title, text, lang, index row) of each corpus text, the row computed once by the store's own
    storage.query_language.index_rows for an article whose unique line bears MARK in place of its number: an
    article's row is its text's with MARK replaced (`_index_row`), not folded and split again each time."""
    templates = []
    for title, body, lang, folded_title, folded_body in texts:
        assert MARK not in title + body + folded_title + folded_body, (
            "the corpus holds the bench's placeholder: choose another"
        )
        searchable = (0, folded_title, folded_body + _folded_unique(MARK))
        templates.append((title, body, lang, index_rows([searchable])[0]))
    return templates


def _unique(n: object) -> str:
    return f"\nArticle {n} du lot."


def _folded_unique(n: object) -> str:
    return f" article {n} du lot."


def _index_row(template: dict[str, Any], n: int) -> dict[str, Any]:
    return {key: n if key == "id" else value.replace(MARK, str(n)) for key, value in template.items()}


def _vocabulary(template: dict[str, Any]) -> set[str]:
    """The words storage.search.write_index_rows adds to PostgreSQL's `search_words` for this row."""
    return {word for word in template["body"].split() if is_arabic_indexed(word)}


def _fill(
    store: Store, start: int, end: int, texts: list[tuple[str, str, str, str, str]], vocabulary: set[str]
) -> None:
    """Articles start+1..end, in batches of BATCH, each with its classification and search index row:
    the rows storage.search.write_index_rows writes (checked against it every 997th article), written
    on PostgreSQL with COPY and with only the words `search_words` does not hold yet (`vocabulary`, the
    words written so far) — the table ends as the store's ON CONFLICT DO NOTHING of every word leaves it.
    PostgreSQL's loading transactions do not wait for the WAL flush at commit; indexes stay live, as in
    a crawl."""
    first_day = datetime(2024, 1, 1)
    templates = _templates(texts)
    if store.is_sqlite:
        _fts_hashsize(store, FTS_HASHSIZE)
    started, reported = time.monotonic(), start
    for low in range(start, end, BATCH):
        articles, verdicts, rows, words = [], [], [], set()
        for n in range(low + 1, min(low + BATCH, end) + 1):
            title, body, lang, template = templates[n % len(templates)]
            when = first_day + timedelta(minutes=n * 7 % (730 * 24 * 60))
            articles.append(
                {
                    "id": n,
                    "source_id": n % 12 + 1,
                    "url": f"https://site{n % 12 + 1}.example/{n}",
                    "canonical_url": f"https://site{n % 12 + 1}.example/{n}",
                    "title": title,
                    "text": body + _unique(n),
                    "published_at": when,
                    "lang": lang,
                    "content_hash": f"{n:064d}",
                    "fetched_at": when,
                }
            )
            verdicts.append(
                {
                    "article_id": n,
                    "sse": n % 3 == 0,
                    "score": 0.7 if n % 3 == 0 else 0.1,
                    "regions": json.dumps([region_of(n)]),
                    "reasons": "[]",
                    "parts": "{}",
                    "classified_at": when,
                }
            )
            rows.append(_index_row(template, n))
            if n % 997 == 0:
                _, _, _, folded_title, folded_body = texts[n % len(texts)]
                searchable = (n, folded_title, folded_body + _folded_unique(n))
                assert rows[-1] == index_rows([searchable])[0], f"article {n}: index row differs from the store's"
            if n <= len(templates):
                words |= _vocabulary(template) - vocabulary
        with store.engine.begin() as connection:
            if not store.is_sqlite:
                connection.execute(text("SET LOCAL synchronous_commit = off"))
            connection.execute(insert(ArticleRow), articles)
            connection.execute(insert(ClassificationRow), verdicts)
            connection.execute(
                text("INSERT INTO article_regions (article_id, region, rank) VALUES (:article_id, :region, 0)"),
                [{"article_id": v["article_id"], "region": region_of(v["article_id"])} for v in verdicts],
            )
            if store.is_sqlite:
                write_index_rows(connection, True, rows)
            else:
                _copy_index(connection, rows, sorted(words))
                vocabulary |= words
        if (low + BATCH) // 100_000 > reported // 100_000 or low + BATCH >= end:
            rate = (min(low + BATCH, end) - start) / (time.monotonic() - started)
            print(
                f"  {'sqlite' if store.is_sqlite else 'postgresql'}: {min(low + BATCH, end):,} articles stored, "
                f"{rate:,.0f} articles/s since {start:,}",
                flush=True,
            )
            reported = low + BATCH
    if store.is_sqlite:
        _fts_hashsize(store, FTS_DEFAULT_HASHSIZE)


def _fts_hashsize(store: Store, size: int) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', :size)"), {"size": size}
        )


def _copy_index(connection: Connection, rows: list[dict[str, Any]], words: list[str]) -> None:
    """PostgreSQL's index rows (`article_search`: the database computes `words`) and the new words."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy("COPY article_search (article_id, body) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((row["id"], row["body"]))
    if words:
        with cursor.copy("COPY search_words (word) FROM STDIN") as copy:
            for word in words:
                copy.write_row((word,))


def _sizes(store: Store, path: Path | None) -> tuple[int, int]:
    """(bytes of the whole store, bytes of its search index)."""
    with store.engine.connect() as connection:
        if store.is_sqlite:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            assert path is not None
            try:
                index = connection.execute(
                    text("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'")
                ).scalar()
            except Exception:  # SQLite built without dbstat
                index = None
            return path.stat().st_size, int(index or 0)
        connection.execute(text("CHECKPOINT"))
        total = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
        index = connection.execute(
            text("SELECT pg_total_relation_size('article_search') + pg_total_relation_size('search_words')")
        ).scalar()
        return int(total or 0), int(index or 0)


def _latency(store: Store, query: str, filters: SearchFilters) -> tuple[float, int]:
    """Median milliseconds of five runs of the search itself (the count and the ids of the first 20, what
    grows with the store), after one to warm the cache; and how many matched."""
    times, total = [], 0
    for _ in range(6):
        with store.session() as session:
            started = time.perf_counter()
            total = search_ids(session, query, filters, 20).total
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:]), total


def _shown(store: Store) -> float:
    """Median milliseconds of five `Store.search` of a common word: the search and its 20 stories loaded."""
    store.search("المغرب", 20)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        store.search("المغرب", 20)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _bench(name: str, store: Store, path: Path | None, texts: list[Any]) -> list[str]:
    with store.engine.begin() as connection:
        connection.execute(
            insert(SourceRow),
            [
                {"id": i, "name": f"Site {i}", "url": f"https://site{i}.example/", "created_at": datetime(2024, 1, 1)}
                for i in range(1, 13)
            ],
        )
    lines, stored, vocabulary = [], 0, set[str]()
    for size in SIZES:
        started = time.monotonic()
        _fill(store, stored, size, texts, vocabulary)
        stored = size
        if not store.is_sqlite:
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        loading = time.monotonic() - started
        total, index = _sizes(store, path)
        cells = []
        for query, filters in QUERIES:
            milliseconds, matches = _latency(store, query, filters)
            cells.append(f"{milliseconds:8.1f} ({matches})")
        cells.append(f"{_shown(store):8.1f}")
        lines.append(
            f"{name:<10} {size:>8,} {total / size:>9,.0f} {index / size:>9,.0f} {loading:>7.0f}s  " + "  ".join(cells)
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    import tempfile

    texts = [(t, b, lang, normalize_for_matching(t), normalize_for_matching(b)) for t, b, lang in _texts()]
    print(
        f"{len(texts)} texts, sizes {SIZES}; latency: median ms of 5 searches (matches in all); bulk load (see _fill)"
    )
    labels = [q + (" +filters" if f != SearchFilters() else "") for q, f in QUERIES]
    print("queries: " + " | ".join(labels) + " | Store.search('المغرب') with its 20 stories loaded")
    print(f"{'database':<10} {'articles':>8} {'B/article':>9} {'index B/a':>9} {'load':>8}  latencies")
    if "sqlite" in DATABASES:
        with tempfile.TemporaryDirectory(prefix="rasd-bench-search-") as folder:
            path = Path(folder) / "rasd.db"
            store = Store(f"sqlite:///{path}")
            try:
                _bench("sqlite", store, path, texts)
            finally:
                store.close()
    if "postgresql" not in DATABASES:
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        print("postgresql: not installed (make postgres), skipped")
        return
    from tests.postgres import new_database, postgres_server

    with postgres_server() as admin:
        store = Store(new_database(admin))
        try:
            _bench("postgresql", store, None, texts)
        finally:
            store.close()


if __name__ == "__main__":
    main()
