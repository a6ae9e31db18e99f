"""Storage on a real SQLite file: migrations, WAL, no duplicates, FTS over normalised Arabic, digest claims."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from rasd.classify import Classification
from rasd.config import Source
from rasd.extract import Article, content_hash, normalize_for_matching
from rasd.storage import NewArticle, SearchError, Store


def _article(url: str, title: str, text: str, lang: str = "ar") -> Article:
    return Article(
        url=url,
        title=title,
        text=text,
        date=datetime(2025, 9, 14, 10, 30, tzinfo=UTC),
        date_source="meta:article:published_time",
        author=None,
        lang=lang,
        site_name=None,
        content_hash=content_hash(text),
    )


def _save(store: Store, slug: str, title: str, text: str, verdict: Classification, lang: str = "ar") -> int | None:
    url = f"https://tiznit.example/{slug}"
    return store.save_article("Tiznit Info", url, _article(url, title, text, lang), verdict)


SSE = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=["matched: تعاونية ×2"], parts={"lexicon": 0.8})
NOT_SSE = Classification(sse=False, score=0.05, regions=[], reasons=[], parts={"lexicon": 0.05})


@pytest.fixture
def store(database_url: str) -> Store:
    """The same tests on the embedded default and on PostgreSQL (conftest's database_url)."""
    store = Store(database_url)
    store.sync_sources([Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09")])
    return store


def test_schema_is_migrated_with_readable_views(store: Store, tmp_path: Path) -> None:
    schema = inspect(store.engine)
    tables = set(schema.get_table_names())
    assert {"sources", "fetches", "articles", "classifications", "digests", "deliveries"} <= tables
    assert {"sse_stories", "source_health"} <= set(schema.get_view_names())
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert connection.execute(text("SELECT COUNT(*) FROM sse_stories")).scalar() == 0
    if store.is_sqlite:
        assert "articles_fts" in tables
        raw = sqlite3.connect(tmp_path / "data" / "rasd.db")
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    Store(store.url)  # opening again migrates nothing and fails nothing


def test_an_article_is_stored_once(store: Store) -> None:
    article = _article("https://tiznit.example/2025/09/14/coop/", "تعاونية نسائية", "نص " * 80)
    first = store.save_article("Tiznit Info", "https://tiznit.example/2025/09/14/coop", article, SSE)
    again = store.save_article("Tiznit Info", "https://tiznit.example/2025/09/14/coop", article, SSE)
    assert first is not None and again is None
    assert store.count_articles() == (1, 1)
    assert store.stored_among(["https://tiznit.example/2025/09/14/coop", "https://tiznit.example/new"]) == {
        "https://tiznit.example/2025/09/14/coop"
    }


def test_same_text_under_another_url_is_one_story_with_two_sources(store: Store) -> None:
    text = "استفادت تعاونية نسائية بتيزنيت من دعم المبادرة الوطنية للتنمية البشرية. " * 5
    first = _save(store, "a", "A", text, SSE)
    _save(store, "b", "B", text, SSE)
    assert store.count_articles() == (2, 1)
    (story,) = store.undelivered_stories("x", ["all"], ["ar"], 0.5)
    assert story.article_id == first
    assert story.also_in == [("Tiznit Info", "https://tiznit.example/b")]


def test_search_folds_arabic_spelling_variants(store: Store) -> None:
    text = "أطلقت التعاونيات الفلاحية بإقليم تيزنيت مشروعاً جديداً للمنتجات المجالية. " * 4
    _save(store, "c", "مشروع", text, SSE)
    other = "Le club de football local a remporté le match de dimanche face à son rival. " * 4
    _save(store, "d", "Foot", other, NOT_SSE, "fr")
    assert [s.title for s in store.search("اطلقت")] == ["مشروع"]  # hamza folded
    assert [s.title for s in store.search("التعاونيات")] == ["مشروع"]
    assert [s.title for s in store.search("remporte")] == ["Foot"]  # accent folded
    for odd in ('"unbalanced', "NEAR(", "*", "a AND", "تعاونيات)", "OR OR"):
        try:  # results or a clear SearchError, never a database error
            store.search(odd)
        except SearchError as error:
            assert str(error)
    # blank is no query: the newest articles (`rasd search --sse`); a query naming nothing is refused
    assert [s.title for s in store.search("   ")] == ["Foot", "مشروع"]
    for nothing in ('" "', "NOT remporte"):
        with pytest.raises(SearchError):
            store.search(nothing)


def test_every_article_of_a_batch_is_found_by_its_own_words(store: Store) -> None:
    """A cycle stores its articles 16 to a transaction and indexes them in one statement at the end: each
    one must be found under its own id, the one stored already not indexed twice."""
    places = ["تيزنيت", "أكادير", "الراشيدية", "صفرو", "ورزازات"]
    batch = []
    for n, place in enumerate(places):
        url = f"https://tiznit.example/batch-{n}"
        body = f"تعاونية فلاحية جديدة في {place} تسوق منتجاتها المحلية في المعرض الجهوي. " * 3
        batch.append(NewArticle("Tiznit Info", url, _article(url, f"خبر {place}", body), SSE))
    _save(store, "batch-2", "قديم", "مقال مخزن من قبل عن السياحة والرياضة والثقافة في المنطقة. " * 3, NOT_SSE)
    ids = store.save_articles(batch)
    assert ids[2] is None and all(ids[n] for n in (0, 1, 3, 4))
    for n, place in enumerate(places):
        found = [story.url for story in store.search(normalize_for_matching(place))]
        assert found == ([] if n == 2 else [f"https://tiznit.example/batch-{n}"]), place


def test_a_story_enters_one_digest_per_subscriber(store: Store) -> None:
    article_id = _save(store, "e", "E", "تعاونية " * 60, SSE)
    assert article_id is not None
    first = store.create_digest("daily", "a@b.ma", "s", "m", [article_id])
    second = store.create_digest("daily", "a@b.ma", "s", "m", [article_id])
    other_subscriber = store.create_digest("weekly", "c@d.ma", "s", "m", [article_id])
    assert first is not None and second is None and other_subscriber is not None
    assert store.undelivered_stories("daily", ["all"], ["ar"], 0.0) == []
    claimed = store.claim_pending_digests()
    assert {d.subscription for d in claimed} == {"daily", "weekly"}
    assert store.claim_pending_digests() == []  # a second run does not get them
    store.mark_failed(claimed[0].id, "SMTP down")
    (retry,) = store.claim_pending_digests()
    assert retry.id == claimed[0].id and retry.attempts == 2


def test_a_subscriber_waits_for_the_stories_of_the_last_30_days(store: Store) -> None:
    """A story stored more than storage.digests.BACKLOG ago and never sent is old news: not pushed in a
    digest (the backlog query reads only those days), still found by a search."""
    from datetime import timedelta

    from rasd.storage import utcnow
    from rasd.storage.models import ArticleRow

    old = _save(store, "old", "تعاونية قديمة", "خبر قديم عن تعاونية فلاحية بإقليم تيزنيت. " * 5, SSE)
    recent = _save(store, "recent", "تعاونية حديثة", "خبر حديث عن تعاونية نسائية بإقليم طاطا. " * 5, SSE)
    with store.session() as session, session.begin():
        for article_id, days in ((old, 31), (recent, 29)):
            session.get(ArticleRow, article_id).fetched_at = utcnow() - timedelta(days=days)  # type: ignore[union-attr]
    assert [story.article_id for story in store.undelivered_stories("x", ["all"], ["ar"], 0.5)] == [recent]
    assert [story.article_id for story in store.search("قديم")] == [old]
