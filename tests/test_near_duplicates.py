"""Syndicated stories: an agency dispatch republished, rewritten, by several sites is one story with several
sources. Fingerprints on the dispatches of tests/dispatches.toml (written for these tests), then the store on
a real SQLite file and on PostgreSQL, then the digest."""

from __future__ import annotations

import email
import itertools
import re
import tomllib
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, func, select, update

from rasd.alerts import run_digests
from rasd.classify import Classification
from rasd.config import Settings, Source
from rasd.extract import FINGERPRINT_BANDS, Article, Fingerprint, content_hash, fingerprint_of, normalize_for_matching
from rasd.extract.fingerprint import char_shingle_hashes, minhash
from rasd.storage import Store, utcnow
from rasd.storage.duplicates import BAND_HORIZON
from rasd.storage.models import ArticleBandRow, ArticleFingerprintRow, ArticleRow

DISPATCHES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "dispatches.toml").read_text(encoding="utf-8")
)["dispatches"]
ARABIC = next(d for d in DISPATCHES if d["lang"] == "ar")
FRENCH = next(d for d in DISPATCHES if d["lang"] == "fr")
SITES = ["Tiznit Info", "Akhbar Al Jihat", "Souss Press", "Le Rabatois"]
SSE = Classification(sse=True, score=0.8, regions=["MA-08"], reasons=["matched: تعاونية"], parts={"lexicon": 0.8})
MORNING = datetime(2025, 11, 13, 10, 0, tzinfo=UTC)


def _print(story: dict[str, str]) -> Fingerprint:
    return fingerprint_of(story["title"], story["text"])


def _version(dispatch: dict[str, Any], site: str) -> dict[str, str]:
    return next(v for v in dispatch["versions"] if v["site"] == site)


# ---- fingerprints -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dispatch", DISPATCHES, ids=lambda d: d["name"])
def test_every_rewrite_of_a_dispatch_is_the_same_story(dispatch: dict[str, Any]) -> None:
    prints = {version["site"]: _print(version) for version in dispatch["versions"]}
    assert len(prints) == 4
    for (a, first), (b, second) in itertools.combinations(prints.items(), 2):
        assert first.same_story(second), (a, b, first.similarity(second))


@pytest.mark.parametrize("dispatch", DISPATCHES, ids=lambda d: d["name"])
def test_another_story_on_the_same_topic_stays_apart(dispatch: dict[str, Any]) -> None:
    other = _print(dispatch["unrelated"])
    for version in dispatch["versions"]:
        assert not other.same_story(_print(version)), (version["site"], other.similarity(_print(version)))


def test_verifying_many_candidates_at_once_agrees_with_one_at_a_time() -> None:
    """Storage verifies a new article against all its candidates in one comparison (`same_stories`): the
    verdicts must be those of `same_story`, for copies, same-topic stories and bulletins with other figures."""
    stories = [version for d in DISPATCHES for version in d["versions"]] + [d["unrelated"] for d in DISPATCHES]
    prints = [_print(story) for story in stories]
    candidates = [(p.signature, " ".join(sorted(p.figures))) for p in prints]
    for new in prints:
        one_by_one = [new.same_story(other) for other in prints]
        assert new.same_stories(candidates) == one_by_one
        assert any(one_by_one) and not all(one_by_one)


def _respell(text: str) -> str:
    """How another site types the same Arabic: no hamza on alef, ه for ة, harakat, tatweel, Eastern digits."""
    text = text.replace("أ", "ا").replace("إ", "ا").replace("ة ", "ه ").replace("ى ", "ي ")
    text = text.replace("الاقتصاد", "الاقتـصاد").replace("تعاونية", "تَعاوُنِيّة").replace("المعرض", "المَعْرِض")
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def test_a_long_texts_signature_is_that_of_its_shingles_taken_together() -> None:
    """MinHash of a union is the element-wise minimum of the parts' MinHashes: holds however the
    signature is computed (in chunks of shingles for long pages), for a page of 200,000 characters."""
    long_text = normalize_for_matching(" ".join(f"تعاونية{n} بجهة{n * 7} سوس{n * 13}" for n in range(8_000)))
    assert len(long_text) > 200_000
    hashed = char_shingle_hashes(long_text)
    halves = np.minimum(minhash(hashed[::2]), minhash(hashed[1::2]))
    assert np.array_equal(minhash(hashed), halves)
    assert len(hashed) > 2 * 2_048, "more shingles than one chunk"


UNRELATED: list[dict[str, str]] = tomllib.loads(
    (Path(__file__).parent / "unrelated_stories.toml").read_text(encoding="utf-8")
)["stories"]


def test_unrelated_stories_of_one_language_look_unrelated() -> None:
    """Stories on unrelated subjects share only what every text of their language contains (` ال`, `ية `,
    ` de `, `tion`): signed without those stop shingles, their estimated similarity stays below 0.06, where
    a pair shares one of the 85 LSH bands with a chance under 2% (with them: up to 0.10, 8%). Each pair that
    shares a band costs every later article a signature read and a comparison (issue 16)."""
    prints = [(story["lang"], _print(story)) for story in UNRELATED]
    pairs = [(a, b) for (lang_a, a), (lang_b, b) in itertools.combinations(prints, 2) if lang_a == lang_b]
    assert len(pairs) == 21
    assert max(a.similarity(b) for a, b in pairs) < 0.06
    assert not any(set(enumerate(a.band_hashes)) & set(enumerate(b.band_hashes)) for a, b in pairs)


def test_arabic_spelling_variants_do_not_break_matching() -> None:
    lead = _version(ARABIC, "new lead")
    respelled = {"title": _respell(lead["title"]), "text": _respell(lead["text"])}
    assert respelled["text"] != lead["text"] and "٧٥" in respelled["text"] and "تَعاوُنِيّة" in respelled["text"]
    assert _print(respelled) == _print(lead)  # normalisation folds every variant: the very same fingerprint
    assert _print(respelled).same_story(_print(_version(ARABIC, "agency")))


def test_the_same_template_with_other_figures_is_another_story() -> None:
    """Next week's bulletin, next year's fair: the text is the template, the figures are the news."""
    agency = _version(FRENCH, "agency")
    figures = iter(["7", "120", "12", "4.100", "41%", "65.000"])
    next_edition = {
        "title": agency["title"].replace("90", "120"),
        "text": re.sub(r"\d+(?:[.,]\d+)*%?", lambda _: next(figures, "3"), agency["text"]),
    }
    first, second = _print(agency), _print(next_edition)
    assert first.similarity(second) > 0.6  # as close as a light rewrite ...
    assert not first.same_story(second)  # ... but the facts disagree


# ---- storage ------------------------------------------------------------------------------------------


@pytest.fixture
def store(database_url: str) -> Store:
    store = Store(database_url)
    store.sync_sources([Source(name=name, url=f"https://site{i}.example/") for i, name in enumerate(SITES)])
    return store


def _save(
    store: Store,
    site: str,
    story: dict[str, str],
    published: datetime | None,
    slug: str = "",
    verdict: Classification = SSE,
) -> int:
    url = f"https://site{SITES.index(site)}.example/{slug or story['site'].replace(' ', '-')}"
    article = Article(
        url=url,
        title=story["title"],
        text=story["text"],
        date=published,
        date_source="meta:article:published_time" if published else None,
        author=None,
        lang="ar" if re.search("[\u0600-\u06ff]", story["text"]) else "fr",
        site_name=site,
        content_hash=content_hash(story["text"]),
        fingerprint=_print(story),
    )
    stored = store.save_article(site, url, article, verdict)
    assert stored is not None
    return stored


def _originals(store: Store) -> dict[int, int | None]:
    with store.session() as session:
        return {id_: original for id_, original in session.execute(select(ArticleRow.id, ArticleRow.duplicate_of))}


def test_copies_point_to_the_original_never_to_another_copy(store: Store) -> None:
    agency = _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING)
    lead = _save(store, "Akhbar Al Jihat", _version(ARABIC, "new lead"), MORNING + timedelta(hours=3))
    copy_of_copy = {"site": "copy of copy", "title": "إعادة نشر", "text": _version(ARABIC, "new lead")["text"]}
    copy_of_copy["text"] += "\n\nالمصدر: أخبار الجهات."
    third = _save(store, "Souss Press", copy_of_copy, MORNING + timedelta(days=1))
    dropped = _save(store, "Le Rabatois", _version(ARABIC, "paragraph dropped"), MORNING + timedelta(days=2))
    assert _originals(store) == {agency: None, lead: agency, third: agency, dropped: agency}
    assert store.count_articles() == (4, 1)
    story = store.story(agency)
    assert story is not None
    assert [name for name, _ in story.also_in] == ["Akhbar Al Jihat", "Souss Press", "Le Rabatois"]


def test_a_story_outside_the_window_is_not_merged(store: Store) -> None:
    first = _save(store, "Tiznit Info", _version(FRENCH, "agency"), MORNING)
    later = _save(store, "Akhbar Al Jihat", _version(FRENCH, "new lead"), MORNING + timedelta(days=30))
    unrelated = _save(store, "Souss Press", FRENCH["unrelated"], MORNING + timedelta(hours=1))
    assert _originals(store) == {first: None, later: None, unrelated: None}


def test_one_sites_own_articles_are_not_grouped_by_similarity(store: Store) -> None:
    """A site's follow-up reuses its earlier paragraphs: for its readers it is a new story."""
    first = _save(store, "Tiznit Info", _version(FRENCH, "agency"), MORNING)
    follow_up = _save(store, "Tiznit Info", _version(FRENCH, "new lead"), MORNING + timedelta(days=1))
    assert _originals(store) == {first: None, follow_up: None}


def test_a_site_is_not_grouped_with_itself_through_another_sites_copy(store: Store) -> None:
    """Tiznit Info's follow-up resembles Akhbar Al Jihat's copy of Tiznit Info's first story: joining it
    would make the follow-up a copy of the site's own article."""
    first = _save(store, "Tiznit Info", _version(FRENCH, "agency"), MORNING)
    copy = _save(store, "Akhbar Al Jihat", _version(FRENCH, "paragraph dropped"), MORNING + timedelta(hours=2))
    follow_up = _save(store, "Tiznit Info", _version(FRENCH, "new lead"), MORNING + timedelta(days=1))
    assert _originals(store) == {first: None, copy: first, follow_up: None}


NOT_SSE = Classification(sse=False, score=0.2, regions=[], reasons=[], parts={"lexicon": 0.2})


@pytest.mark.parametrize("agency_first", [True, False], ids=["agency stored first", "regional copy stored first"])
def test_an_earlier_version_that_is_not_sse_does_not_hide_the_sse_story(store: Store, agency_first: bool) -> None:
    """The agency's version, published first, is classified otherwise than a regional site's rewrite that is
    an SSE story: the story stays an SSE story, under the SSE article, whatever order they arrive in."""
    saves = [
        lambda: _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING, verdict=NOT_SSE),
        lambda: _save(store, "Akhbar Al Jihat", _version(ARABIC, "new lead"), MORNING + timedelta(hours=3)),
    ]
    agency, regional = (saves[0](), saves[1]()) if agency_first else tuple(reversed((saves[1](), saves[0]())))
    assert _originals(store) == {agency: regional, regional: None}
    assert store.count_articles() == (2, 1)


def test_a_copy_stored_first_joins_the_original_when_it_arrives(store: Store) -> None:
    copy = _save(store, "Akhbar Al Jihat", _version(ARABIC, "site intro and outro"), MORNING + timedelta(hours=6))
    original = _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING)
    later = _save(store, "Souss Press", _version(ARABIC, "new lead"), MORNING + timedelta(hours=8))
    # the earliest published is the story's original; the copy stored before it now points at it
    assert _originals(store) == {copy: original, original: None, later: original}


def test_a_story_already_delivered_keeps_its_entry(store: Store) -> None:
    copy = _save(store, "Akhbar Al Jihat", _version(ARABIC, "site intro and outro"), MORNING + timedelta(hours=6))
    assert store.create_digest("all", "a@example.org", "subject", "message", [copy]) is not None
    original = _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING)
    assert _originals(store) == {copy: None, original: copy}  # no second entry for a story already sent


def test_articles_stored_before_fingerprints_are_grouped_by_the_backfill(store: Store) -> None:
    first = _save(store, "Tiznit Info", _version(FRENCH, "agency"), MORNING)
    second = _save(store, "Akhbar Al Jihat", _version(FRENCH, "site intro and outro"), MORNING + timedelta(hours=2))
    with store.session() as session, session.begin():  # articles of before 0004, as migration 0007 leaves them
        session.execute(delete(ArticleBandRow))
        session.execute(update(ArticleFingerprintRow).values(scheme="", signature=b"", figures=""))
        session.execute(update(ArticleRow).values(duplicate_of=None))
    assert store.backfill_fingerprints(limit=1) == 1  # a bounded share per cycle, the oldest first
    assert _originals(store) == {first: None, second: None}
    assert store.backfill_fingerprints(limit=1) == 1
    assert _originals(store) == {first: None, second: first}
    assert store.backfill_fingerprints() == 0


def _migrate_again(store: Store, name: str) -> None:
    """One migration's downgrade then upgrade, run on the store as Alembic runs them (only this revision:
    taking the whole schema back would run other revisions' downgrades too)."""
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from rasd.storage.database import MIGRATIONS_DIR

    spec = importlib.util.spec_from_file_location(name, MIGRATIONS_DIR / "versions" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with store.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        module.downgrade()
        module.upgrade()


def test_articles_stored_before_0004_are_fingerprinted_after_the_upgrade(store: Store) -> None:
    """Migration 0007 gives each article without a fingerprint a placeholder, which the backfill finds
    through the scheme index (it used to look for articles without one through the whole table)."""
    first = _save(store, "Tiznit Info", _version(FRENCH, "agency"), MORNING)
    second = _save(store, "Akhbar Al Jihat", _version(FRENCH, "site intro and outro"), MORNING + timedelta(hours=2))
    with store.session() as session, session.begin():  # as articles stored before 0004 are found
        session.execute(update(ArticleRow).values(duplicate_of=None))
        session.execute(delete(ArticleBandRow))
        session.execute(delete(ArticleFingerprintRow))
    _migrate_again(store, "0007_query_indexes")
    upgraded = Store(store.url)
    with upgraded.session() as session:
        assert set(session.scalars(select(ArticleFingerprintRow.scheme))) == {""}
    assert upgraded.backfill_fingerprints() == 2
    assert _originals(upgraded) == {first: None, second: first}
    assert upgraded.backfill_fingerprints() == 0


def test_the_upgrade_gives_stored_bands_the_day_the_store_computes(store: Store) -> None:
    """Migration 0010 computes each stored band row's day in SQL, on SQLite and PostgreSQL: it must be the
    one `storage.duplicates.day` gives new rows, or copies across the upgrade would be missed."""
    from rasd.storage.duplicates import day

    moments = [MORNING, datetime(2026, 1, 1, 0, 0, tzinfo=UTC), datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)]
    saved = [_save(store, SITES[n], _version(ARABIC, "agency"), when) for n, when in enumerate(moments)]
    _migrate_again(store, "0010_band_days")  # the days dropped, then computed from the articles
    upgraded = Store(store.url)
    with upgraded.session() as session:
        found = set(session.execute(select(ArticleBandRow.article_id, ArticleBandRow.day)))
    expected = {(article, day(when.replace(tzinfo=None))) for article, when in zip(saved, moments, strict=True)}
    assert found == expected


def test_an_article_without_a_fingerprint_gets_one_from_the_store(store: Store) -> None:
    first = _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING)
    url = "https://site1.example/plain"
    story = _version(ARABIC, "paragraph dropped")
    when, digest = MORNING + timedelta(hours=1), content_hash(story["text"])
    article = Article(url, story["title"], story["text"], when, "json-ld", None, "ar", None, digest)
    assert article.fingerprint is None
    stored = store.save_article("Akhbar Al Jihat", url, article, SSE)
    assert stored is not None and _originals(store)[stored] == first


# ---- the band rows' horizon ---------------------------------------------------------------------------


def _bands_of(store: Store) -> dict[int, int]:
    """Band rows held per article."""
    with store.session() as session:
        rows = session.execute(select(ArticleBandRow.article_id, func.count()).group_by(ArticleBandRow.article_id))
        return {article: count for article, count in rows}


def test_band_rows_are_pruned_past_the_horizon_in_bounded_steps(store: Store) -> None:
    """The band rows of articles stored more than BAND_HORIZON ago go, `limit` articles a step and whole steps
    only, oldest first; their fingerprints stay, so the backfill finds no work in them."""
    saved = [
        _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING),
        _save(store, "Akhbar Al Jihat", FRENCH["unrelated"], MORNING),
        _save(store, "Souss Press", _version(FRENCH, "agency"), MORNING),
    ]
    stored = utcnow()
    assert store.prune_bands(now=stored + BAND_HORIZON - timedelta(days=1), limit=2) == 0  # within: all kept
    assert _bands_of(store) == dict.fromkeys(saved, FINGERPRINT_BANDS)
    later = stored + BAND_HORIZON + timedelta(days=1)
    assert store.prune_bands(now=later, limit=2) == 2  # the two oldest
    assert _bands_of(store) == {saved[2]: FINGERPRINT_BANDS}
    fourth = _save(store, "Le Rabatois", _version(FRENCH, "new lead"), MORNING + timedelta(days=40))
    with store.session() as session, session.begin():  # stored two days after the others
        session.execute(update(ArticleRow).where(ArticleRow.id == fourth).values(fetched_at=stored + timedelta(days=2)))
    assert store.prune_bands(now=later, limit=2) == 0  # the step's newest is not past the horizon: not yet
    assert _bands_of(store) == {saved[2]: FINGERPRINT_BANDS, fourth: FINGERPRINT_BANDS}
    assert store.prune_bands(now=later + timedelta(days=2)) == 2
    assert store.prune_bands(now=later + timedelta(days=2)) == 0
    assert _bands_of(store) == {}
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleFingerprintRow)) == 4
    assert store.backfill_fingerprints() == 0  # pruned is not unfingerprinted


def test_a_copy_stored_within_the_horizon_is_grouped_one_stored_after_it_is_not(store: Store) -> None:
    original = _save(store, "Tiznit Info", _version(ARABIC, "agency"), MORNING)
    assert store.prune_bands(now=utcnow() + BAND_HORIZON - timedelta(hours=1)) == 0
    copy = _save(store, "Akhbar Al Jihat", _version(ARABIC, "new lead"), MORNING + timedelta(hours=3))
    assert _originals(store) == {original: None, copy: original}
    assert store.prune_bands(now=utcnow() + BAND_HORIZON + timedelta(hours=1)) == 2
    late = _save(store, "Souss Press", _version(ARABIC, "paragraph dropped"), MORNING + timedelta(days=1))
    same_text = _save(store, "Le Rabatois", _version(ARABIC, "agency"), MORNING + timedelta(days=1))
    # a rewrite stored after the horizon is a story of its own; the very same text is still found (its hash)
    assert _originals(store) == {original: None, copy: original, late: None, same_text: original}


def test_old_stories_stored_today_keep_their_bands_for_their_copies(store: Store) -> None:
    """A backfill of stories published years ago: the horizon runs from when they were stored, not from their
    date, so a copy stored with them or in the weeks after is still grouped."""
    long_ago = datetime(2019, 3, 4, 10, 0, tzinfo=UTC)
    original = _save(store, "Tiznit Info", _version(FRENCH, "agency"), long_ago)
    assert store.prune_bands() == 0
    assert store.prune_bands(now=utcnow() + BAND_HORIZON - timedelta(days=1)) == 0
    copy = _save(store, "Akhbar Al Jihat", _version(FRENCH, "site intro and outro"), long_ago + timedelta(days=2))
    assert _originals(store) == {original: None, copy: original}


# ---- digest -------------------------------------------------------------------------------------------


def test_the_digest_lists_the_story_once_with_all_its_sources(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {
            "storage": {"url": f"sqlite:///{tmp_path / 'rasd.db'}"},
            "outbox": str(tmp_path / "outbox"),
            "subscriptions": [{"name": "all", "email": "veille@example.ma", "frequency": "immediate"}],
        }
    )
    store = Store(settings.storage.url)
    store.sync_sources([Source(name=name, url=f"https://site{i}.example/") for i, name in enumerate(SITES)])
    for hours, (site, version) in enumerate(zip(SITES, FRENCH["versions"], strict=True)):
        _save(store, site, version, MORNING + timedelta(hours=hours))
    _save(store, "Tiznit Info", FRENCH["unrelated"], MORNING)
    run_digests(store, settings)
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert "2 articles ESS" in message["Subject"] or "رصد: خبران" in message["Subject"]
    text_part = message.get_body(("plain",))
    assert text_part is not None
    text = text_part.get_content()
    titles = [v["title"] for v in FRENCH["versions"]]
    assert text.count(titles[0]) == 1 and not any(title in text for title in titles[1:])
    # every source listed under the story (one line each; Latin names in a French digest need no isolation)
    entry = text[text.index(titles[0]) :].split("\n* ")[0]
    said = [f"Source : {SITES[0]}\n", *(f"Aussi publié par : {site}\n" for site in SITES[1:])]
    assert all(entry.count(line) == 1 for line in said), entry
