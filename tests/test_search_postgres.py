"""Search on PostgreSQL at full strength: on a store of 100,000 articles every kind of query (rare word,
common word, phrase, prefix, a word inside Arabic words, OR with filters) reads the GIN index over the
folded words (migration 0014), never the whole table; and PostgreSQL finds what SQLite's FTS5 table finds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from rasd.classify import Classification
from rasd.config import Source
from rasd.extract import Article, content_hash
from rasd.storage import NewArticle, SearchFilters, Store, pg_search
from rasd.storage.base import run_text
from rasd.storage.pg_search import prefer_the_index, search_statement

ARTICLES = 100_000


def _plan(store: Store, query: str, filters: SearchFilters | None = None) -> str:
    with store.session() as session:
        run = run_text(session)
        sql, values = search_statement(run, query, filters or SearchFilters(), 20)
        prefer_the_index(run)  # as search_hits runs it
        return "\n".join(row[0] for row in run("EXPLAIN " + sql, values))


def fill_large_store(store: Store) -> None:
    """100,000 articles in plain SQL (storing them one by one would take many minutes), with their
    classification, region row and search rows as Store.save_articles writes them: a quarter speak of
    cooperatives, a quarter of Morocco (بالمغرب, والمغرب: the word inside others), one in 10,000 of Sefrou;
    a third are SSE; ESS only inside words. (A word in every article is rightly read by a scan.)"""
    with store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sources (id, name, url, created_at) VALUES (1, 'Fes', 'https://fes.example/', now())")
        )
        connection.execute(
            text(
                "INSERT INTO articles (id, source_id, url, canonical_url, title, text, lang, content_hash, fetched_at,"
                " published_at) SELECT n, 1, 'https://fes.example/' || n, 'https://fes.example/' || n, 'Article ' || n,"
                " 'texte', 'fr', md5(n::text), now(), timestamp '2025-01-01' + n * interval '5 minutes'"
                " FROM generate_series(1, :n) AS n"
            ),
            {"n": ARTICLES},
        )
        connection.execute(
            text(
                "INSERT INTO classifications (article_id, sse, score, regions, reasons, parts, classified_at)"
                " SELECT n, n % 3 = 0, 0.5, '[\"MA-03\"]', '[]', '{}', now() FROM generate_series(1, :n) AS n"
            ),
            {"n": ARTICLES},
        )
        connection.execute(
            text(
                "INSERT INTO article_regions (article_id, region, rank)"
                " SELECT n, 'MA-0' || (n % 9 + 1), 0 FROM generate_series(1, :n) AS n"
            ),
            {"n": ARTICLES},
        )
        # Bodies of ~450 characters (real ones are ten times longer) in the indexed form (storage.pg_search).
        connection.execute(
            text(
                "INSERT INTO article_search (article_id, body) SELECT n, ' article ' || n || ' la '"
                " || CASE WHEN n % 4 = 0 THEN 'cooperative ' ELSE 'societe ' END || 'de fes presse business express '"
                " || CASE n % 8 WHEN 0 THEN 'بالمغرب ' WHEN 4 THEN 'والمغرب ' ELSE '' END"
                " || CASE WHEN n % 10000 = 0 THEN 'sefrou التنميه البشريه ' ELSE '' END"
                " || repeat('un texte de plusieurs paragraphes sur la region ', 8)"
                " FROM generate_series(1, :n) AS n"
            ),
            {"n": ARTICLES},
        )
        connection.execute(
            text(
                "INSERT INTO search_words (word) SELECT word FROM ts_stat('SELECT words FROM article_search')"
                " WHERE word ~ '[\u0600-\u06ff]' AND char_length(word) >= 3"
            )
        )
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


@pytest.fixture(scope="module")
def large_store(postgres_admin_url: str) -> Iterator[Store]:
    from tests.postgres import new_database

    store = Store(new_database(postgres_admin_url))
    fill_large_store(store)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("sefrou", SearchFilters()),  # rare
        ("cooperative", SearchFilters()),  # in a quarter of the articles
        ("المغرب", SearchFilters()),  # inside the words of a quarter
        ('"التنمية البشرية"', SearchFilters()),
        ("cooperat*", SearchFilters()),
        ("sefrou OR meknes", SearchFilters(sse=True)),
        ("المغرب", SearchFilters(sse=True, region="MA-04", since=datetime(2025, 3, 1))),
        ("zzqx", SearchFilters()),  # in none: the planner has no statistics on it
    ],
)
def test_every_kind_of_search_reads_the_words_index(large_store: Store, query: str, filters: SearchFilters) -> None:
    plan = _plan(large_store, query, filters)
    assert "ix_article_search_words" in plan, plan
    assert "Seq Scan on article_search" not in plan and "Seq Scan on articles" not in plan, plan


def test_counts_and_newest_first_on_a_large_store(large_store: Store) -> None:
    found = large_store.search("sefrou", limit=5)
    assert found.total == 10 and [story.article_id for story in found] == [100_000, 90_000, 80_000, 70_000, 60_000]
    assert large_store.search('"التنمية البشرية"').total == 10
    # in a quarter of the articles (بالمغرب and والمغرب): walked newest first, "more than 5000" (storage.reading)
    for word in ("المغرب", "cooperative"):
        found = large_store.search(word, limit=3)
        assert (found.total, found.more) == (5000, True)
        assert [story.article_id for story in found] == [100_000, 99_996, 99_992]
    found = large_store.search("cooperative", limit=3, filters=SearchFilters(region="MA-05"))  # n % 9 == 4
    assert (found.total, found.more) == (1000, True)
    assert [story.article_id for story in found] == [99_976, 99_940, 99_904]
    assert large_store.search("ESS").total == 0  # inside business and express only


@pytest.mark.parametrize("filters", [SearchFilters(), SearchFilters(region="MA-05")])
def test_the_page_after_a_walk_is_planned_with_the_servers_own_settings(
    large_store: Store, filters: SearchFilters
) -> None:
    """A word in a quarter of the store is walked newest first with sorting turned off; the page's statements
    that follow in the same transaction (its stories, their copies: `... duplicate_of IN (...) ORDER BY id`)
    must not inherit that: the copies' statement then walked the whole articles key instead of sorting the
    few rows its index gives (1.6 s of the server's CPU at a million articles)."""
    with large_store.session() as session:
        run = run_text(session)
        defaults = {name: run(f"SHOW {name}", {})[0][0] for name in ("enable_sort", "enable_seqscan", "work_mem")}
        hits = pg_search.search_hits(run, "المغرب", filters, 20)
        assert hits.more  # the walk, under enable_sort = off
        assert {name: run(f"SHOW {name}", {})[0][0] for name in defaults} == defaults
        copies = "SELECT articles.id FROM articles WHERE articles.duplicate_of IN (1, 2, 3) ORDER BY articles.id"
        plan = "\n".join(row[0] for row in run("EXPLAIN " + copies, {}))
        assert "ix_articles_duplicate_of" in plan, plan


SOURCES = [Source(name="Presse du Souss", url="https://souss.example/", region="MA-09")]
# Written for this test: Arabic clitics on either side of a word, phrases, prefixes, short words.
TEXTS = [
    ("والتعاونية الفلاحية", "أطلقت والتعاونية الفلاحية بتيزنيت مشروعا للتنمية البشرية بدعم من المبادرة الوطنية."),
    ("تعاونيات سوس", "اجتمعت تعاونيات سوس ماسة في معرض جهوي للمنتوجات المحلية وزيت الأركان."),
    ("التنمية البشرية", "قدمت المبادرة الوطنية للتنمية البشرية دعما لتعاونية نسائية في إقليم تيزنيت."),
    ("Coopératives du Souss", "Les coopératives du Souss présentent leur huile d'argan au salon de l'ESS à Agadir."),
    ("La coop d'Agadir", "Une coop de femmes à Agadir, l'économie sociale et solidaire en action, en plein essor."),
    ("Business à Agadir", "Le business express des cafés d'Agadir ne relève pas de l'économie sociale."),
]
QUERIES = [
    "تعاونية",
    "التعاونية",
    "تعاون*",
    "الفلاحية",
    '"التنمية البشرية"',
    '"للتنمية البشرية"',
    '"المبادرة الوطنية"',
    '"الوطنية للتنمية"',
    '"زيت الأركان"',
    "في",
    "من OR في",
    "تعاونية NOT تيزنيت",
    "الوطنية (زيت OR معرض)",
    "cooperative*",
    "coop",
    "coop*",
    "ESS",
    "es*",
    '"economie sociale"',
    '"sociale economie"',
    "agadir -business",
    "agadir OR تيزنيت",
    "zzqx",
]


def _fill_small(store: Store) -> None:
    store.sync_sources(SOURCES)
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    batch = []
    for day, (title, body) in enumerate(TEXTS, start=1):
        url = f"https://souss.example/{day}/"
        article = Article(
            url, title, body, datetime(2025, 9, day, tzinfo=UTC), "meta", None, "ar", None, content_hash(body)
        )
        batch.append(NewArticle("Presse du Souss", url, article, verdict))
    store.save_articles(batch)


def test_postgresql_finds_what_sqlite_finds(
    postgres_admin_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.postgres import new_database

    stores = [Store(f"sqlite:///{tmp_path / 'rasd.db'}"), Store(new_database(postgres_admin_url))]
    for store in stores:
        _fill_small(store)
    for query in QUERIES:
        sqlite, pg = (store.search(query) for store in stores)
        assert ([story.title for story in pg], pg.total) == ([story.title for story in sqlite], sqlite.total), query
    # a word inside more stored words than the tsquery takes is searched with LIKE: the same answers
    monkeypatch.setattr(pg_search, "EXPANSION_LIMIT", 1)
    for query in QUERIES:
        sqlite, pg = (store.search(query) for store in stores)
        assert ([story.title for story in pg], pg.total) == ([story.title for story in sqlite], sqlite.total), query
    # inside والتعاونية and لتعاونية, and its plural تعاونيات
    found = [story.title for story in stores[1].search("تعاونية")]
    assert found == ["التنمية البشرية", "تعاونيات سوس", "والتعاونية الفلاحية"]
    for store in stores:
        store.close()
