"""Each source's learned furniture (extract.furniture): the lines that recur across its articles.

`source_furniture` holds, per source, the learned lines (folded, as compared, with one example as
written), whether each is dropped wherever it stands (`noise`) or ends the article (`end`), in how many
of the articles read it was found, and when a page last carried it. It is re-learned from the source's
latest stored articles at the start of each crawl cycle (`learn_furniture`). Stored texts no longer hold
the lines already learned, so extraction reports the ones it removed (`record_furniture_hits`), and a
learned line is kept while the source's pages still carry it: one the site stopped printing — a new
theme, a new slogan — is let go at the next learning after the articles it was read from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from rasd.storage.base import StoreBase, table, utcnow
from rasd.storage.models import ArticleRow, Base, SourceRow

SAMPLE = 50  # the latest stored articles of a source that furniture is learned from


class SourceFurnitureRow(Base):
    __tablename__ = "source_furniture"

    source_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # sources.id (migration 0009: no FK)
    line: Mapped[str] = mapped_column(Text, primary_key=True)  # folded (extract.normalize_for_matching)
    example: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))  # noise | end
    articles: Mapped[int] = mapped_column(Integer)  # of the `sample` articles read, those holding it
    sample: Mapped[int] = mapped_column(Integer)
    learned_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)  # a page carried it (extraction removed it)


@dataclass(frozen=True)
class Furniture:
    """A learned line as `rasd sources furniture` shows it."""

    line: str
    example: str
    kind: str
    articles: int
    sample: int
    learned_at: datetime
    last_seen_at: datetime | None


class FurnitureMixin(StoreBase):
    def learn_furniture(self, sources: Iterable[str] | None = None, sample: int = SAMPLE) -> dict[str, int]:
        """Re-learn the furniture of `sources` (by name; all when None) from their latest `sample`
        stored articles; the number of lines now learned, per source."""
        from rasd.extract.furniture import MIN_ARTICLES, learn_furniture  # extraction's rule, on first use

        now = utcnow()
        learned: dict[str, int] = {}
        with self.session() as session, session.begin():
            query = select(SourceRow.id, SourceRow.name)
            if sources is not None:
                query = query.where(SourceRow.name.in_(list(sources)))
            for source_id, name in session.execute(query).all():
                rows = session.execute(
                    select(ArticleRow.text, ArticleRow.fetched_at)
                    .where(ArticleRow.source_id == source_id)
                    .order_by(ArticleRow.fetched_at.desc(), ArticleRow.id.desc())
                    .limit(sample)
                ).all()
                old = {
                    row.line: row
                    for row in session.scalars(
                        select(SourceFurnitureRow).where(SourceFurnitureRow.source_id == source_id)
                    )
                }
                if len(rows) < MIN_ARTICLES:  # too few articles to learn from: what was learned stays
                    learned[name] = len(old)
                    continue
                since = min(row.fetched_at for row in rows)
                fresh = {
                    line.line: {
                        "source_id": source_id,
                        "line": line.line,
                        "example": line.example,
                        "kind": line.kind,
                        "articles": line.articles,
                        "sample": len(rows),
                        "learned_at": now,
                        "last_seen_at": old[line.line].last_seen_at if line.line in old else None,
                    }
                    for line in learn_furniture([row.text for row in rows])
                }
                for key, row in old.items():  # removed from pages of the period read: still printed
                    if key not in fresh and row.last_seen_at is not None and row.last_seen_at >= since:
                        fresh[key] = {
                            "source_id": source_id,
                            "line": key,
                            "example": row.example,
                            "kind": row.kind,
                            "articles": row.articles,
                            "sample": row.sample,
                            "learned_at": row.learned_at,
                            "last_seen_at": row.last_seen_at,
                        }
                session.execute(delete(SourceFurnitureRow).where(SourceFurnitureRow.source_id == source_id))
                if fresh:
                    session.execute(insert(table(SourceFurnitureRow)), list(fresh.values()))
                learned[name] = len(fresh)
        return learned

    def furniture_rules(self) -> dict[str, dict[str, str]]:
        """Per source name, its learned lines (folded) → kind, as extraction takes them."""
        with self.session() as session:
            rows = session.execute(
                select(SourceRow.name, SourceFurnitureRow.line, SourceFurnitureRow.kind).join(
                    SourceRow, SourceRow.id == SourceFurnitureRow.source_id
                )
            ).all()
        rules: dict[str, dict[str, str]] = {}
        for name, line, kind in rows:
            rules.setdefault(name, {})[line] = kind
        return rules

    def source_furniture(self, name: str) -> list[Furniture]:
        """The learned lines of one source, most frequent first."""
        with self.session() as session:
            rows = session.scalars(
                select(SourceFurnitureRow)
                .join(SourceRow, SourceRow.id == SourceFurnitureRow.source_id)
                .where(SourceRow.name == name)
                .order_by(SourceFurnitureRow.articles.desc(), SourceFurnitureRow.example)
            ).all()
        return [Furniture(r.line, r.example, r.kind, r.articles, r.sample, r.learned_at, r.last_seen_at) for r in rows]

    def record_furniture_hits(self, hits: Mapping[str, Iterable[str]], when: datetime | None = None) -> None:
        """The learned lines extraction removed from pages, per source name: they are still printed."""
        when = when or utcnow()
        with self.session() as session, session.begin():
            ids = {name: source_id for name, source_id in session.execute(select(SourceRow.name, SourceRow.id))}
            for name, lines in hits.items():
                if (source_id := ids.get(name)) is not None and (found := sorted(set(lines))):
                    session.execute(
                        update(SourceFurnitureRow)
                        .where(SourceFurnitureRow.source_id == source_id, SourceFurnitureRow.line.in_(found))
                        .values(last_seen_at=when)
                    )
