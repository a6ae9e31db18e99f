"""A reader's verdict counts wherever SSE stories are listed — `rasd search --sse`, the monthly report and
its charts, the views a researcher queries by hand, `rasd browse`, `rasd export` — not only in the digests:
a story marked "not SSE" (on any of its syndicated copies) leaves them, one marked "SSE" joins them, with
the reader's region."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, text

from rasd.classify import Classification
from rasd.extract import Article, content_hash
from rasd.monitor.browse import datasette_for
from rasd.monitor.search import table_lines
from rasd.storage import BY_REGION, SearchFilters, Store, StoredStory, stories_between, utcnow, weekly_counts
from rasd.storage.export import export_records
from tests.test_search import STORIES, _fill

COOP_AR, COOP_H, SEFROU, MEKNES, FES = (story[2] for story in STORIES)
SEPTEMBER = (date(2025, 9, 1), date(2025, 10, 1))


def _syndicated_copy(store: Store) -> int:
    """The first story as another site carried it (same text: grouped with the first as one story)."""
    _, _, title, body, *_ = STORIES[0]
    day = datetime(2025, 9, 4, tzinfo=UTC)
    copy = Article("https://fes.example/copie/", title, body, day, "meta", None, "ar", None, content_hash(body))
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    copy_id = store.save_article("Fes Presse", "https://fes.example/copie/", copy, verdict)
    assert copy_id is not None
    return copy_id


def _sse_titles(store: Store, query: str) -> list[str]:
    return [story.title for story in store.search(query, filters=SearchFilters(sse=True))]


def test_a_readers_verdict_counts_wherever_sse_stories_are_listed(database_url: str) -> None:
    store = Store(database_url)
    ids = _fill(store)
    copy_id = _syndicated_copy(store)
    everything = "تعاونية OR تيزنيت OR cafes OR economie OR sefrou"
    assert set(_sse_titles(store, everything)) == {COOP_AR, COOP_H, SEFROU, FES}

    store.add_label(copy_id, False, None, "amina")  # rejected on the other site's copy: the story goes
    store.add_label(ids[MEKNES], True, "MA-05", "omar")  # the classifier missed it; the reader's region

    assert set(_sse_titles(store, everything)) == {COOP_H, SEFROU, FES, MEKNES}
    rejected = store.search("تيزنيت", filters=SearchFilters(sse=False))
    found = [(s.article_id, s.sse, s.counted_sse, s.reader and s.reader.labelled_by) for s in rejected]
    shown = "\n".join(table_lines(rejected))  # rasd search's table says whose verdict counts
    assert "SSE" not in shown.splitlines()[0] and "reader's verdict: not SSE (amina, " in shown
    # both copies of the story: the classifier said SSE, the reader's verdict counts
    assert sorted(found) == [(ids[COOP_AR], True, False, "amina"), (copy_id, True, False, "amina")]

    stories = stories_between(store, *SEPTEMBER)
    assert {title for _, _, _, title, _ in stories} == {COOP_H, SEFROU, FES, MEKNES}
    by_region = weekly_counts(store, BY_REGION, *SEPTEMBER)
    assert ("2025-09-15", "MA-05", 1) in by_region and not any(
        label == "MA-03" and week == "2025-09-15" for week, label, _ in by_region
    )
    with store.session() as session:  # what a researcher reads by hand
        by_hand = {row[0] for row in session.execute(text("SELECT title FROM sse_stories"))}
        stories_view: dict[str, Any] = dict(
            session.execute(text("SELECT title, reader_sse FROM stories WHERE reader_sse IS NOT NULL")).all()
        )
    assert by_hand == {COOP_H, SEFROU, FES, MEKNES}
    assert {title: bool(sse) for title, sse in stories_view.items()} == {COOP_AR: False, MEKNES: True}

    exported = {record["id"]: record for record in export_records(store)}
    for article_id in (ids[COOP_AR], copy_id):  # the story's two copies both carry the verdict
        assert exported[article_id]["sse"] is True and exported[article_id]["reader_sse"] is False
        assert exported[article_id]["labelled_by"] == "amina" and exported[article_id]["labelled_at"].endswith("Z")
    assert exported[ids[MEKNES]]["reader_region"] == "MA-05" and exported[ids[FES]]["reader_sse"] is None
    store.close()


def test_browse_lists_the_stories_as_readers_corrected_them(tmp_path: Any) -> None:
    database = tmp_path / "rasd.db"
    store = Store(f"sqlite:///{database}")
    ids = _fill(store)
    store.add_label(ids[COOP_AR], False, None, "amina")
    store.close()
    datasette = datasette_for(database)
    latest = asyncio.run(datasette.client.get("/rasd/latest_sse_stories.json?_shape=array")).json()
    assert {row["title"] for row in latest} == {COOP_H, SEFROU, FES}
    found = asyncio.run(datasette.client.get("/rasd/search.json?q=تيزنيت&_shape=array")).json()
    assert {row["title"]: row["sse"] for row in found} == {COOP_AR: 0, COOP_H: 1}


SYLLABLES = ("ba", "ko", "ri", "tu", "me", "sa", "lo", "ni", "da", "fe", "gu", "pi", "zo", "ve", "ha", "ju")
WORDS = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "n", "r")]


def _story(store: Store, number: int, copy_site: bool) -> int:
    """An SSE story of made-up words (no two alike), stored now; `copy_site`: another site carried it too."""
    words = random.Random(number).sample(WORDS, 60)
    title, body = f"histoire {number}", " ".join(words)
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    ids = []
    for site, url in [
        ("Tiznit Info", f"https://tiznit.example/{number}"),
        ("Fes Presse", f"https://fes.example/{number}"),
    ]:
        article = Article(url, title, body, utcnow(), "meta", None, "fr", None, content_hash(body))
        ids.append(store.save_article(site, url, article, verdict))
        if not copy_site:
            break
    assert ids[0] is not None
    return ids[0]


def test_a_digest_reads_its_stories_copies_and_verdicts_in_a_fixed_number_of_queries(tmp_path: Any) -> None:
    """The statements a digest's stories cost do not grow with their number: the syndicated copies and the
    readers' verdicts of them all are read in one query each, not one per story."""
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)  # the sources
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *call: statements.append(call[2]))

    def counted() -> tuple[int, list[StoredStory]]:
        statements.clear()
        stories = store.undelivered_stories("everyone", ["all"], ["fr"], 0.0)
        return len(statements), [story for story in stories if story.title.startswith("histoire")]

    ids = [_story(store, number, copy_site=number % 2 == 0) for number in range(2)]
    store.add_label(ids[0], True, "MA-09", "amina")
    counted()  # the connection's own set-up is not the digest's
    few, stories = counted()
    assert len(stories) == 2
    ids += [_story(store, number, copy_site=number % 2 == 0) for number in range(2, 12)]
    store.add_label(ids[5], True, None, "omar")
    many, stories = counted()
    assert len(stories) == 12 and many == few, statements
    by_id = {story.article_id: story for story in stories}
    readers = {story.article_id: story.reader.labelled_by for story in stories if story.reader is not None}
    assert readers == {ids[0]: "amina", ids[5]: "omar"}
    assert by_id[ids[4]].also_in == [("Fes Presse", "https://fes.example/4")] and by_id[ids[5]].also_in == []
    store.close()
