"""A stored story as the readers see it (digests, `rasd search`, `rasd explain`): one per syndicated story."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasd.storage.labels import Label, label_of, story_label
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
    """An article as the digest, `rasd search` and `rasd explain` show it, with its syndicated copies."""
    source = session.get(SourceRow, article.source_id)
    copies = session.execute(
        select(SourceRow.name, ArticleRow.url)
        .join(SourceRow, SourceRow.id == ArticleRow.source_id)
        .where(ArticleRow.duplicate_of == article.id)
        .order_by(ArticleRow.id)
    ).all()
    return StoredStory(
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=source.name if source else "?",
        published_at=article.published_at,
        fetched_at=article.fetched_at,
        lang=article.lang,
        text=article.text,
        score=classification.score,
        sse=classification.sse,
        regions=json.loads(classification.regions),
        reasons=json.loads(classification.reasons),
        parts=json.loads(classification.parts),
        also_in=[(name, url) for name, url in copies],
        reader=_reader(session, article.duplicate_of or article.id),
    )


def _reader(session: Session, story_id: int) -> Label | None:
    row = session.scalars(story_label(story_id)).first()
    return None if row is None else label_of(row)
