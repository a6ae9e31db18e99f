"""`rasd search`'s output: a table for reading, JSON lines or CSV for analysis (its options' values
are parsed by monitor/options.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, tzinfo
from typing import Any

from rasd.alerts import copies_lines
from rasd.monitor.speech import Speech, decimal
from rasd.storage import Found, StoredStory, local_day, readable_url

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


def table_lines(found: Found, language: str = "en", zone: tzinfo = UTC) -> Iterator[str]:
    """Each story in a few lines: id, day (the reader's, in `zone`: the config's `timezone`), the SSE flag,
    score, source and title; its address and regions (named: "MA-09 Souss-Massa"); the readers' verdict;
    the other sites that published it (or, for a copy, the number of the story it copies), in the reader's
    language."""
    said = Speech(language)
    flag = said.pgettext("search flag", "SSE")  # a column: short
    for story in found:
        when = local_day(story.published_at or story.fetched_at, zone)
        shown = flag if story.counted_sse else " " * len(flag)
        named = said.gettext(", ").join(said.part(said.region(code)) for code in story.regions)
        regions = f"[{named}]" if story.regions else ""
        score = decimal(story.score, said.language, 2)  # "0,80" in French and Arabic
        first = [said.cell(story.article_id, 6, ">"), said.part(when), shown, said.part(score)]
        yield said.line(
            f"{first[0]}  {first[1]}  {first[2]} {first[3]}  {said.part(story.source)}: {said.part(story.title)}"
        )
        yield said.line(f"        {said.part(readable_url(story.url))}" + (f"  {regions}" if regions else ""))
        if story.reader is not None:
            verdict = said.gettext("SSE") if story.reader.sse else said.gettext("not SSE")
            line = said.gettext("reader's verdict: %(verdict)s (%(who)s, %(day)s)")
            yield "        " + said(
                line, verdict=verdict, who=story.reader.labelled_by, day=local_day(story.reader.labelled_at, zone)
            )
        for line in copies_lines(story, said.gettext, lambda message, values: said.fill(message, **values)):
            yield said.line(f"        {line}")


def summary(found: Found, limit: int, language: str = "en", kept: Found | None = None) -> str:
    """How many matched (beyond storage.reading.COUNTED: more than that) and how many are shown; for a search
    that found nothing, how short words went, or (`kept`: the same search without its words) how many articles
    the options keep without them."""
    said = Speech(language)
    if found.total == 0:
        if kept is not None and kept.total and not found.short_words:
            return said(_none_holds(kept.total, said), num=kept.total)
        if not found.short_words:
            return said(said.gettext("no match"))
        short = said.gettext(", ").join(dict.fromkeys(found.short_words))
        return said(
            said.gettext(
                "no match (words under three letters are matched as whole words only: %(words)s; try a longer word)"
            ),
            words=short,
        )
    shown = min(found.total, limit)
    if found.more:  # a search of many matches stops counting (storage.reading.COUNTED)
        line = said.ngettext("more than %(num)d article matches", "more than %(num)d articles match", found.total) % {
            "num": found.total
        }
    else:
        line = said.ngettext("%(num)d article matches", "%(num)d articles match", found.total) % {"num": found.total}
    if shown < found.total:
        line += said.ngettext(
            "; the %(num)d newest shown (--limit for more)", "; the %(num)d newest shown (--limit for more)", shown
        ) % {"num": shown}
    return said.line(line)


def _none_holds(kept: int, said: Speech) -> str:
    """A search whose words match nothing, where the options alone keep articles: an Arabic official's
    `rasd search تعاونية --region الشرق` said "no match" beside three French stories of cooperatives there — a
    word is found only as written, in its own language (newcomer12's trial)."""
    return said.ngettext(
        "no match: the %(num)d article these options keep does not hold these words (rasd search without "
        "words lists it); a word is found only in its own language",
        "no match: none of the %(num)d articles these options keep holds these words (rasd search without "
        "words lists them); a word is found only in its own language",
        kept,
    )
