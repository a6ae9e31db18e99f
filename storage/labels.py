"""Readers' verdicts (`rasd label`): recorded with who and when, read back as a regression set and as
reference stories for the classifier, and used to keep a story a reader rejected out of every digest;
and the recent stories a candidate seed is tried on (`rasd seeds try`).

A verdict is a new row each time (the table is its own history); the newest row of an article counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from rasd.storage.base import StoreBase, run_text, utcnow
from rasd.storage.models import ArticleRow, LabelRow, SourceRow
from rasd.storage.reading import Label, LabelledArticle, label_history, labelled_articles


class UnknownArticle(LookupError):
    """`rasd label` was given an id the store does not hold."""


@dataclass(frozen=True)
class TrialStory:
    """A stored story as `rasd seeds try` needs it."""

    article_id: int
    title: str
    text: str
    lang: str
    source: str
    source_region: str | None
    when: datetime


def rejected_articles() -> Select[Any]:
    """Ids of the stories (their first copy, as digests carry them) whose newest verdict, given on any of
    their syndicated copies, is "not SSE": no digest may carry them. A reader who found the copy of
    another site through `rasd search` rejects the story, not just that site's page."""
    # Read from labels (a reader's handful) with each article looked up by its key: a join let SQLite
    # walk the whole articles table instead (tests/test_query_plans.py).
    original = select(ArticleRow.duplicate_of).where(ArticleRow.id == LabelRow.article_id).scalar_subquery()
    story = func.coalesce(original, LabelRow.article_id)
    ranked = select(
        story.label("story_id"),
        LabelRow.sse,
        func.row_number().over(partition_by=story, order_by=LabelRow.id.desc()).label("newest"),
    ).subquery()
    return select(ranked.c.story_id).where(ranked.c.newest == 1, ranked.c.sse.is_(False))


def label_of(row: LabelRow) -> Label:
    return Label(row.article_id, row.sse, row.region, row.labelled_by, row.labelled_at)


class LabelsMixin(StoreBase):
    """`rasd label`, `rasd evaluate`, and the references the classifier learns from."""

    def add_label(self, article_id: int, sse: bool, region: str | None, labelled_by: str) -> Label:
        """Record a reader's verdict; UnknownArticle when the store has no such article."""
        with self.session() as session, session.begin():
            if session.get(ArticleRow, article_id) is None:
                raise UnknownArticle(f"no article {article_id}")
            row = LabelRow(article_id=article_id, sse=sse, region=region, labelled_by=labelled_by, labelled_at=utcnow())
            session.add(row)
            session.flush()
            return label_of(row)

    def label_history(self, article_id: int) -> list[Label]:
        """Every verdict on one article's story, oldest first (storage.reading.label_history)."""
        with self.session() as session:
            return label_history(run_text(session), article_id)

    def labels_mark(self) -> tuple[int, int]:
        """(how many verdicts, the newest one's id): it changes whenever a reader gives a verdict, so a
        running daemon can tell, with one cheap query, that its classifier's references are out of date."""
        with self.session() as session:
            count, newest = session.execute(select(func.count(LabelRow.id), func.max(LabelRow.id))).one()
            return int(count), int(newest or 0)

    def labelled_articles(self) -> list[LabelledArticle]:
        """Every labelled article with its current verdict, in the order they were first stored."""
        with self.session() as session:
            return labelled_articles(run_text(session))

    def stories_to_try(self, limit: int) -> list[TrialStory]:
        """The `limit` most recently stored stories (one per syndicated story), newest first: what
        `rasd seeds try` re-classifies with and without a candidate seed."""
        query = (
            select(
                ArticleRow.id,
                ArticleRow.title,
                ArticleRow.text,
                ArticleRow.lang,
                SourceRow.name,
                SourceRow.region,
                func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at),
            )
            .join(SourceRow, SourceRow.id == ArticleRow.source_id)
            .where(ArticleRow.duplicate_of.is_(None))
            .order_by(ArticleRow.fetched_at.desc(), ArticleRow.id.desc())
            .limit(limit)
        )
        with self.session() as session:
            return [TrialStory(*row) for row in session.execute(query).all()]
