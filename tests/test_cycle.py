"""End to end: `rasd crawl` and `rasd digest` over the demo web on 127.0.0.x, checked in the database
and in the .eml digest; a second cycle stores nothing twice and fetches no article page again."""

from __future__ import annotations

import email
import sqlite3
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

from lxml import html as lxml_html

from rasd.crawler import canonicalize_url
from rasd.storage.duplicates import BAND_HORIZON
from tests.conftest import SUBSCRIBER, run_rasd, write_config


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_full_cycle_then_digest_then_rerun(demo_web, tmp_path: Path) -> None:
    config = write_config(tmp_path, demo_web.sources_toml(), SUBSCRIBER)
    db = tmp_path / "rasd.db"

    first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    stories = demo_web.stories
    assert f"crawled {len(demo_web.sites)} sources" in first.stdout

    stored = dict(_rows(db, "SELECT canonical_url, id FROM articles"))
    assert set(stored) == {canonicalize_url(story.url) for story in stories}
    flags = dict(
        _rows(db, "SELECT a.canonical_url, c.sse FROM articles a JOIN classifications c ON c.article_id = a.id")
    )
    for story in stories:
        assert bool(flags[canonicalize_url(story.url)]) == story.sse, story.title
    # every article has its text, language and a date; regions of SSE stories are the story's regions
    for title, text, lang, published in _rows(db, "SELECT title, text, lang, published_at FROM articles"):
        assert title and len(text) > 120 and lang in ("ar", "fr") and published, title
    for story in (s for s in stories if s.sse):
        (regions,) = _rows(
            db,
            "SELECT group_concat(region) FROM article_regions r JOIN articles a ON a.id = r.article_id "
            f"WHERE a.canonical_url = '{canonicalize_url(story.url)}'",
        )[0]
        assert regions and regions.split(",")[0] in story.regions, (story.title, regions)
    kinds = {kind for (kind,) in _rows(db, "SELECT DISTINCT kind FROM fetches")}
    assert {"feed", "sitemap", "listing", "article"} <= kinds

    digest = run_rasd("--config", str(config), "digest", cwd=tmp_path)
    assert digest.returncode == 0, digest.stderr
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["To"] == "watcher@example.org"
    html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
    assert html_part is not None and text_part is not None
    html, text = html_part.get_content(), text_part.get_content()
    page = lxml_html.document_fromstring(html)
    shown = {heading.text_content().strip(): heading.getparent() for heading in page.xpath("//article/h3")}
    # the Agadir fair's agency dispatch, rewritten by a second site: one entry, under the earlier one, with
    # both sources
    agadir = [s for s in stories if "المعرض الجهوي للاقتصاد الاجتماعي والتضامني" in s.title]
    original, copy = sorted(agadir, key=lambda s: s.published)
    assert original.site != copy.site and original.sse and copy.sse
    sources = shown[original.title].xpath(".//div[@class='meta']/a")
    expected = [(original.site, canonicalize_url(original.url)), (copy.site, canonicalize_url(copy.url))]
    assert [(a.text_content(), canonicalize_url(a.get("href"))) for a in sources] == expected
    count = sum(s.sse for s in stories) - 1  # the copy is no story
    assert f"Rasd : {count} articles ESS" in message["Subject"] or f"رصد: {count} " in message["Subject"]
    for story in stories:
        listed = story.sse and story is not copy
        assert (story.title in shown) == listed, story.title
        assert (story.title in text) == listed, story.title
        if listed:
            assert shown[story.title].get("dir") == ("rtl" if story.lang == "ar" else "ltr"), story.title
            assert shown[story.title].xpath(".//div[@class='why']//li"), "why this story is shown"

    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert dict(_rows(db, "SELECT canonical_url, id FROM articles")) == stored
    (article_fetches,) = _rows(
        db,
        "SELECT COUNT(*) FROM fetches WHERE kind = 'article' AND fetched_at > (SELECT MAX(fetched_at) FROM articles)",
    )[0]
    assert article_fetches == 0
    run_rasd("--config", str(config), "digest", cwd=tmp_path)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1  # nothing new: no second digest


def test_a_new_story_is_picked_up_by_the_next_cycle(demo_web, tmp_path: Path) -> None:
    config = write_config(tmp_path, demo_web.sources_toml())
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    site = demo_web.sites[0]
    new = demo_web.add_story(
        site.name,
        {
            "title": "تعاونية نسائية جديدة لإنتاج زيت الأركان بجماعة أربعاء رسموكة",
            "lang": "ar",
            "category": "جهات",
            "sse": True,
            "regions": ["MA-09"],
            "published": "2025-11-20T09:15:00+01:00",
            "body": [
                "أعلنت السلطات الإقليمية بتيزنيت عن تأسيس تعاونية نسائية جديدة لإنتاج زيت الأركان بجماعة أربعاء رسموكة،"
                " تضم خمسا وعشرين منخرطة من نساء الدواوير المجاورة.",
                "وحسب المعطيات المقدمة، استفادت التعاونية من دعم المبادرة الوطنية للتنمية البشرية في إطار برنامج تحسين"
                " الدخل والإدماج الاقتصادي للشباب، لاقتناء معدات العصر والتعبئة.",
                "وأكدت رئيسة التعاونية أن المشروع سيمكن النساء من تسويق منتجاتهن المجالية في المعارض الجهوية للاقتصاد"
                " الاجتماعي والتضامني.",
            ],
        },
    )
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ": 1 new article, " in result.stdout
    db = tmp_path / "rasd.db"
    assert _rows(db, f"SELECT COUNT(*) FROM articles WHERE canonical_url = '{canonicalize_url(new.url)}'") == [(1,)]


def test_articles_left_behind_by_the_page_budget_are_fetched_next_cycle(demo_web, tmp_path: Path) -> None:
    """A feed or sitemap whose articles were not all fetched — the page budget, a failure, a stop — keeps no
    validators: the next cycle reads it whole instead of getting a 304 and never seeing those articles."""
    config = write_config(tmp_path, demo_web.sources_toml())
    config.write_text(config.read_text().replace("[crawler]\n", "[crawler]\nmax_pages_per_source = 2\n"))
    db = tmp_path / "rasd.db"
    counts: list[int] = []
    while len(counts) < 4 and (not counts or counts[-1] < len(demo_web.stories)):
        result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        counts.append(_rows(db, "SELECT COUNT(*) FROM articles")[0][0])
    assert counts[-1] == len(demo_web.stories), f"articles stored after each cycle of 2 pages a site: {counts}"
    # once everything is stored, the validators are kept again: the next cycle's feeds answer 304
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    assert _rows(db, "SELECT COUNT(*) FROM feeds WHERE etag IS NOT NULL")[0][0] > 0
    assert _rows(db, "SELECT COUNT(*) FROM fetches WHERE status = 304")[0][0] > 0


def test_a_cycle_drops_the_band_rows_of_articles_stored_past_the_horizon(demo_web, tmp_path: Path) -> None:
    """The near-duplicate index holds only what new articles can match: a cycle deletes the band rows of
    articles stored more than BAND_HORIZON ago (a step of them), and keeps their fingerprints."""
    config = write_config(tmp_path, demo_web.sources_toml())
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    db = tmp_path / "rasd.db"
    (stored,) = _rows(db, "SELECT COUNT(*) FROM articles")[0]
    assert _rows(db, "SELECT COUNT(DISTINCT article_id) FROM article_bands") == [(stored,)]
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0  # all within: all kept
    assert _rows(db, "SELECT COUNT(DISTINCT article_id) FROM article_bands") == [(stored,)]
    with sqlite3.connect(db) as connection:  # as if stored a day more than the horizon ago
        days = (BAND_HORIZON + timedelta(days=1)).days
        connection.execute(f"UPDATE articles SET fetched_at = datetime(fetched_at, '-{days} days')")
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    assert _rows(db, "SELECT COUNT(*) FROM article_bands") == [(0,)]
    assert _rows(db, "SELECT COUNT(*) FROM article_fingerprints") == [(stored,)]
