"""`rasd search`'s output: a table for reading, JSON lines or CSV for analysis (its options' values
are parsed by monitor/options.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasd.storage import Found, StoredStory, readable_url

FORMATS = ("table", "jsonl", "csv")
FIELDS = (
    "id",
    "published_at",
    "fetched_at",
    "source",
    "lang",
    "sse",
    "score",
    "regions",
    "title",
    "url",
    "also_in",
    "reader_sse",
    "labelled_by",
)


def record(story: StoredStory) -> dict[str, Any]:
    """One story as a flat record (times as ISO 8601 UTC, the URL readable)."""
    return {
        "id": story.article_id,
        "published_at": story.published_at.isoformat() + "Z" if story.published_at else None,
        "fetched_at": story.fetched_at.isoformat() + "Z",
        "source": story.source,
        "lang": story.lang,
        "sse": story.counted_sse,
        "score": round(story.score, 3),
        "regions": story.regions,
        "title": story.title,
        "url": readable_url(story.url),
        "also_in": [{"source": name, "url": readable_url(url)} for name, url in story.also_in],
        "reader_sse": story.reader.sse if story.reader else None,
        "labelled_by": story.reader.labelled_by if story.reader else None,
    }


def table_lines(found: Found) -> Iterator[str]:
    for story in found:
        when = (story.published_at or story.fetched_at).strftime("%Y-%m-%d")
        flag = "SSE" if story.counted_sse else "   "
        regions = ",".join(story.regions)
        yield f"{story.article_id:>6}  {when}  {flag} {story.score:.2f}  {story.source}: {story.title}"
        yield f"        {readable_url(story.url)}" + (f"  [{regions}]" if regions else "")
        if story.reader is not None:
            said = "SSE" if story.reader.sse else "not SSE"
            yield f"        reader's verdict: {said} ({story.reader.labelled_by}, {story.reader.labelled_at:%Y-%m-%d})"


def summary(found: Found, limit: int) -> str:
    """How many matched and how many are shown; for a search that found nothing, how short words went."""
    if found.total == 0:
        line = "no match"
        if found.short_words:
            words = ", ".join(dict.fromkeys(found.short_words))
            line += f" (words under three letters are matched as whole words only: {words}; try a longer word)"
        return line
    shown = min(found.total, limit)
    noun = "article matches" if found.total == 1 else "articles match"
    more = f"; the {shown} newest shown (--limit for more)" if shown < found.total else ""
    return f"{found.total} {noun}{more}"
