"""`rasd search` and `rasd explain` on an SQLite store at the newest schema read it with the standard library's
sqlite3 (storage/direct.py), without SQLAlchemy: the same statements as the `Store` (storage/reading.py), and
the same stories, counts, verdicts and references from both, checked on one real SQLite file over a matrix of
searches; anything else (an older schema, no file) is left to the `Store`."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rasd.classify import Classification
from rasd.extract import Article, content_hash
from rasd.storage import SearchError, SearchFilters, Store, read_explain, read_search
from tests.test_search import INFLECTED, _fill

QUERIES = [
    "",  # no word: the newest articles the filters keep (rasd search --sse)
    "تعاونية",  # and تعاونيه, تعاونيات (storage/query_language.py's inflections)
    "التعاونية",
    "جمعيات",
    "التنمية البشرية",
    '"التنمية البشرية"',
    "coopérative",
    "Associations",
    '"associations"',
    "social",
    "cooperative*",
    "ESS",
    "al amal",
    "fes OR meknes NOT cafes",
    "الوطنية (زيت OR معرض)",
    "cours",
    "tiznit OR تيزنيت OR fes OR sefrou OR taza OR nador",
]
FILTERS = [
    SearchFilters(),
    SearchFilters(source="Fes Presse"),
    SearchFilters(source="Nowhere"),
    SearchFilters(region="MA-09"),
    SearchFilters(since=datetime(2025, 9, 4)),
    SearchFilters(since=datetime(2025, 9, 4), until=datetime(2025, 9, 21)),
    SearchFilters(sse=True),
    SearchFilters(sse=False),
    SearchFilters(lang="ar", region="MA-03"),
]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    """A real SQLite store: the search tests' stories and inflections, a syndicated copy, readers' verdicts."""
    path = tmp_path_factory.mktemp("direct") / "rasd.db"
    url = f"sqlite:///{path}"
    store = Store(url)
    ids = fill_stories(store)
    store.close()
    return url, ids


def fill_stories(store: Store) -> dict[str, int]:
    """The search tests' stories and inflections, a syndicated copy, readers' verdicts; their ids by title."""
    ids = _fill(store)
    verdict = Classification(sse=True, score=0.75, regions=["MA-09"], reasons=["matched: جمعية"], parts={"x": 0.75})
    for day, (title, body, lang) in enumerate(INFLECTED, start=1):
        when = datetime(2025, 10, day, 8, 30, 15, 250, tzinfo=UTC)
        link = f"https://tiznit.example/{day}/"
        article = Article(link, title, body, when, "meta", None, lang, None, content_hash(body))
        ids[title] = store.save_article("Tiznit Info", article.url, article, verdict)  # type: ignore[assignment]
    # The first story again on the other site: a syndicated copy, grouped with it.
    original = "تعاونية نسائية بتيزنيت"
    first = store.story(ids[original])
    assert first is not None
    copy = Article(
        "https://fes.example/copy/", first.title, first.text, None, None, None, "ar", None, content_hash(first.text)
    )
    ids["copy"] = store.save_article("Fes Presse", copy.url, copy, verdict)  # type: ignore[assignment]
    # Readers' verdicts: on the copy (it counts for the story), twice on one article (the newest counts).
    store.add_label(ids["copy"], False, None, "amina")
    store.add_label(ids["Les associations de Taza"], True, "MA-03", "yassine")
    store.add_label(ids["Les associations de Taza"], False, None, "yassine")
    store.add_label(ids["Sefrou : une COOPÉRATIVE de femmes ouvre un atelier"], True, "MA-03", "amina")
    return ids


def test_every_search_reads_the_same_through_sqlite3_as_through_the_store(stored: tuple[str, dict[str, int]]) -> None:
    url, ids = stored
    store = Store(url)
    try:
        found_any = set()
        for query in QUERIES:
            for filters in FILTERS:
                for limit in (1, 3, 20):
                    through_store = store.search(query, limit, filters)
                    direct = read_search(url, query, filters, limit)
                    assert direct is not None
                    assert list(direct) == list(through_store), (query, filters, limit)
                    assert (direct.total, direct.short_words) == (through_store.total, through_store.short_words)
                    found_any |= {story.article_id for story in direct}
    finally:
        store.close()
    # the matrix saw every story, its copies' sources, readers' verdicts, times with microseconds, undated ones
    assert found_any >= {ids["copy"], ids["Les associations de Taza"], ids["تعاونية نسائية بتيزنيت"]}


def test_explain_reads_the_same_through_sqlite3_as_through_the_store(stored: tuple[str, dict[str, int]]) -> None:
    url, ids = stored
    store = Store(url)
    try:
        for article_id in [*ids.values(), 999_999]:
            direct = read_explain(url, article_id)
            assert direct == store.explained(article_id)
    finally:
        store.close()
    told = read_explain(url, ids["تعاونية نسائية بتيزنيت"])
    assert told is not None and told.story is not None
    assert told.story.also_in == [("Fes Presse", "https://fes.example/copy/")]
    assert told.story.reader is not None and told.story.reader.labelled_by == "amina"
    assert [label.labelled_by for label in told.history] == ["amina"]  # given on the copy
    assert [(labelled.label.sse, labelled.stored_sse) for labelled in told.labelled] == [
        (True, True),  # Sefrou
        (False, True),  # Taza: its newest verdict
        (False, True),  # the copy
    ]
    assert read_explain(url, 999_999) is not None and read_explain(url, 999_999).story is None  # type: ignore[union-attr]


def test_a_query_that_cannot_run_says_why_as_the_store_does(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    for query in ('" "', "NOT fes", "c*"):  # blank: no word, the newest articles (test_search.py)
        with pytest.raises(SearchError) as direct:
            read_search(url, query, SearchFilters(), 20)
        store = Store(url)
        with pytest.raises(SearchError) as through_store:
            store.search(query)
        store.close()
        assert direct.value.told == through_store.value.told


def test_a_store_to_upgrade_or_missing_is_left_to_the_store(stored: tuple[str, dict[str, int]], tmp_path: Path) -> None:
    url, ids = stored
    older = tmp_path / "older.db"
    with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(older) as copy:
        source.backup(copy)
        copy.execute("UPDATE alembic_version SET version_num = '0015'")
    assert read_search(f"sqlite:///{older}", "تعاونية", SearchFilters(), 20) is None
    assert read_explain(f"sqlite:///{older}", ids["copy"]) is None
    assert read_search(f"sqlite:///{tmp_path / 'none.db'}", "تعاونية", SearchFilters(), 20) is None
    assert not (tmp_path / "none.db").exists()
