"""Every stored article as a flat record for analysis (`rasd export`): classification, regions and the
syndicated story it belongs to, streamed in id order so a large store exports in constant memory.

URLs are written as `rasd search` and browsers show them: an Arabic slug decoded (an IRI), escapes of
ASCII characters (%20, %2F, %3F) kept, so the address still opens. CSV and JSON lines are UTF-8 text: a
spreadsheet, pandas or `jq` reads the slug as words one can search and compare with `rasd search`'s
output, and a link opened from them is encoded again by the browser or HTTP library, as any IRI is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from rasd.storage.base import StoreBase, run_text
from rasd.storage.models import ArticleRow, ClassificationRow, SourceRow
from rasd.storage.reading import Label, readable_url, story_readers

BATCH = 1_000
FIELDS = (
    "id",
    "story_id",
    "is_original",
    "story_articles",
    "story_sources",
    "source",
    "url",
    "title",
    "published_at",
    "fetched_at",
    "lang",
    "sse",
    "score",
    "regions",
    "reasons",
    "reader_sse",
    "reader_region",
    "labelled_by",
    "labelled_at",
)


def _utc(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def _reader_fields(reader: Label | None) -> dict[str, Any]:
    """A reader's verdict on the story beside the classifier's (`sse`): empty when nobody gave one."""
    if reader is None:
        return {"reader_sse": None, "reader_region": None, "labelled_by": None, "labelled_at": None}
    return {
        "reader_sse": reader.sse,
        "reader_region": reader.region,
        "labelled_by": reader.labelled_by,
        "labelled_at": _utc(reader.labelled_at),
    }


def export_records(
    store: StoreBase, since: datetime | None = None, until: datetime | None = None, with_text: bool = False
) -> Iterator[dict[str, Any]]:
    """Articles published (or, undated, fetched) in [since, until), naive UTC, oldest id first.

    `story_id` is the id of the story's first copy (its own id for a first copy): articles sharing it are
    one story syndicated across sites; `story_articles` counts them, `story_sources` names their sites."""
    original = aliased(ArticleRow)
    story = func.coalesce(ArticleRow.duplicate_of, ArticleRow.id)
    moment = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    statement = (
        select(ArticleRow, ClassificationRow, SourceRow.name, story)
        .join(ClassificationRow, ClassificationRow.article_id == ArticleRow.id)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .order_by(ArticleRow.id)
    )
    if since is not None:
        statement = statement.where(moment >= since)
    if until is not None:
        statement = statement.where(moment < until)
    after = 0
    with store.session() as session:
        while True:
            rows = session.execute(statement.where(ArticleRow.id > after).limit(BATCH)).all()
            if not rows:
                return
            story_ids = {row[3] for row in rows}
            group = func.coalesce(original.duplicate_of, original.id)
            sources: dict[int, list[str]] = {}
            for story_id, name in session.execute(
                select(group, SourceRow.name)
                .join(SourceRow, SourceRow.id == original.source_id)
                # the stories' originals and their copies, each found by its index: "coalesce(duplicate_of,
                # id) IN (…)" read every article of the store for each batch (a day's export at a million
                # articles: seconds)
                .where(original.id.in_(story_ids) | original.duplicate_of.in_(story_ids))
                .order_by(original.id)
            ):
                sources.setdefault(story_id, []).append(name)
            readers = story_readers(run_text(session), story_ids)  # the newest verdict on each story, on any copy
            for article, verdict, source, story_id in rows:
                record: dict[str, Any] = {
                    "id": article.id,
                    "story_id": story_id,
                    "is_original": article.duplicate_of is None,
                    "story_articles": len(sources.get(story_id, [])),
                    "story_sources": list(dict.fromkeys(sources.get(story_id, []))),
                    "source": source,
                    "url": readable_url(article.url),
                    "title": article.title,
                    "published_at": _utc(article.published_at),
                    "fetched_at": _utc(article.fetched_at),
                    "lang": article.lang,
                    "sse": verdict.sse,
                    "score": round(verdict.score, 4),
                    "regions": json.loads(verdict.regions),
                    "reasons": json.loads(verdict.reasons),
                    **_reader_fields(readers.get(story_id)),
                }
                if with_text:
                    record["text"] = article.text
                yield record
            after = rows[-1][0].id
