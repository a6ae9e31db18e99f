"""Search on PostgreSQL at full strength: on a store of 100,000 articles the plan reads the pg_trgm index
(migration 0011), not the table, and finds what SQLite's FTS5 table finds."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from rasd.storage import SearchFilters, Store
from rasd.storage.query import search_statement

ARTICLES = 100_000


def _plan(store: Store, query: str, filters: SearchFilters | None = None) -> str:
    with store.session() as session:
        statement, _ = search_statement(session, query, filters or SearchFilters(), 20)
        sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        return "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))


def test_search_reads_the_trigram_index_on_a_large_store(postgres_admin_url: str) -> None:
    from tests.postgres import new_database

    store = Store(new_database(postgres_admin_url))
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (id, name, url, created_at) VALUES (1, 'Fes', 'https://fes.example/', now())"
            )
        )
        # Every article speaks of cooperatives in Fès; one in 10,000 of Sefrou; ESS only inside words. Bodies
        # of ~450 characters (real ones are ten times longer): on a table of toy rows a scan costs so little
        # that the planner rightly skips the index for an OR of two terms.
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
                "INSERT INTO article_search (article_id, body) SELECT n, ' article ' || n || ' la cooperative de fes"
                " presse business express ' || CASE WHEN n % 10000 = 0 THEN 'sefrou ' ELSE '' END"
                " || repeat('un texte de plusieurs paragraphes sur la region ', 8)"
                " FROM generate_series(1, :n) AS n"
            ),
            {"n": ARTICLES},
        )
        connection.execute(text("ANALYZE"))

    plan = _plan(store, "sefrou")
    assert "ix_article_search_body_trgm" in plan and "Seq Scan on article_search" not in plan, plan
    plan = _plan(store, "sefrou OR meknes", SearchFilters(sse=True))
    assert "ix_article_search_body_trgm" in plan, plan

    found = store.search("sefrou", limit=5)
    assert found.total == 10 and [story.article_id for story in found] == [100_000, 90_000, 80_000, 70_000, 60_000]
    assert store.search("ESS").total == 0  # inside business and express only
    store.close()
