"""A stored story as the readers see it (digests, `rasd search`, `rasd explain`): one per syndicated story."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasd.storage.labels import Label, story_readers
from rasd.storage.models import ArticleRow, ClassificationRow, SourceRow


@dataclass(frozen=True)
class StoredStory:
    """An SSE story as the digest and `rasd search` show it: one entry per syndicated story."""

    article_id: int
    title: str
    url: str
    source: str
    published_at: datetime | None
    fetched_at: datetime
    lang: str
    text: str
    score: float
    sse: bool
    regions: list[str]
    reasons: list[str]
    parts: dict[str, float]
    also_in: list[tuple[str, str]]  # (source name, url) of the syndicated copies
    reader: Label | None = None  # a reader's newest verdict on the story (any copy), which counts first

    @property
    def counted_sse(self) -> bool:
        """The verdict that counts: the reader's when there is one, else the classifier's."""
        return self.reader.sse if self.reader is not None else self.sse


def story_of(session: Session, article: ArticleRow, classification: ClassificationRow) -> StoredStory:
    """An article as `rasd explain` shows it, with its syndicated copies (stories_of, for one)."""
    return stories_of(session, [(article, classification)])[0]


def stories_of(session: Session, rows: Sequence[tuple[ArticleRow, ClassificationRow]]) -> list[StoredStory]:
    """Articles as the digest, `rasd search` and `rasd explain` show them, in order, with their syndicated
    copies and their readers' verdicts: one query for the copies and one for the verdicts of them all,
    whatever their number (a digest of thirty stories is not sixty more queries)."""
    if not rows:
        return []
    ids = [article.id for article, _ in rows]
    copies: dict[int | None, list[tuple[str, str]]] = {}
    for original, name, url in session.execute(
        select(ArticleRow.duplicate_of, SourceRow.name, ArticleRow.url)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ArticleRow.duplicate_of.in_(ids))
        .order_by(ArticleRow.id)
    ):
        copies.setdefault(original, []).append((name, url))
    readers = story_readers(session, {article.duplicate_of or article.id for article, _ in rows})
    named = select(SourceRow.id, SourceRow.name).where(SourceRow.id.in_({article.source_id for article, _ in rows}))
    sources = {source_id: name for source_id, name in session.execute(named)}
    return [
        StoredStory(
            article_id=article.id,
            title=article.title,
            url=article.url,
            source=sources.get(article.source_id, "?"),
            published_at=article.published_at,
            fetched_at=article.fetched_at,
            lang=article.lang,
            text=article.text,
            score=classification.score,
            sse=classification.sse,
            regions=json.loads(classification.regions),
            reasons=json.loads(classification.reasons),
            parts=json.loads(classification.parts),
            also_in=copies.get(article.id, []),
            reader=readers.get(article.duplicate_of or article.id),
        )
        for article, classification in rows
    ]
