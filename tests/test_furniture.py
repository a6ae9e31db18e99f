"""Learned site furniture: lines recurring across one source's stored articles are learned, stored per
source, removed at extraction, re-learned when the site changes, and shown by `rasd sources furniture`.
The site is tests/furniture_site.py (invented: a slogan, a signature, a comment notice, "من نفس القسم")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rasd.classify import Classification
from rasd.config import Source
from rasd.extract import extract_article
from rasd.extract.furniture import as_rules, learn_furniture, remove_furniture
from rasd.storage import Store
from tests.bidi import MARKS
from tests.conftest import run_rasd, write_config
from tests.furniture_site import NOTICE, SAME_SECTION, SIGNATURE, SITE, SLOGAN, page, story

FETCHED = datetime(2025, 11, 5, 9, 0, tzinfo=UTC)
VERDICT = Classification(sse=True, score=0.8, regions=["MA-08"], reasons=["matched: تعاونية"], parts={"lexicon": 0.8})
SITE_LINES = {SLOGAN, SIGNATURE, NOTICE, SAME_SECTION}


def _text(index: int, rules: dict[str, str] | None = None, slogan: str = SLOGAN) -> str:
    url = f"https://draa-press.example/{index}"
    article = extract_article(page(index, slogan), url, FETCHED, learned_furniture=rules)
    assert article is not None
    return article.text


def test_the_sites_own_lines_are_learned_and_its_paragraphs_are_not() -> None:
    texts = [_text(i) for i in range(8)]
    assert all(SLOGAN in text for text in texts)  # trafilatura and the shipped rules keep it
    learned = learn_furniture(texts)
    assert {line.example for line in learned} == SITE_LINES
    assert all(line.articles == 8 for line in learned)


def test_copies_of_one_story_are_not_its_furniture() -> None:
    """The same story three times among the texts (its page, its AMP page, its print page; or one wire
    story from three sites of a folder of saved pages): its sentences recur in 3 texts, a third of them,
    and are the story's, counted once; the site's own lines are still learned from the other articles."""
    texts = [_text(i) for i in range(6)]
    copy = texts[0]
    shorter = "\n".join(copy.splitlines()[:-1])  # the print page without the comment notice
    learned = learn_furniture([*texts, copy, shorter])
    assert {line.example for line in learned} == SITE_LINES
    assert all(line.articles == 6 for line in learned)


def test_too_few_articles_teach_nothing() -> None:
    assert learn_furniture([_text(0), _text(1)]) == []


def test_a_line_opening_a_block_of_headlines_at_the_end_ends_the_article() -> None:
    texts = []
    for index in range(6):
        paragraphs = story(index)[1]
        headlines = [story(index + 20)[0], story(index + 30)[0]]
        texts.append("\n".join([*paragraphs, "اقرأ أيضا على درعة بريس", *headlines]))
    learned = learn_furniture(texts)
    assert [(line.example, line.kind) for line in learned] == [("اقرأ أيضا على درعة بريس", "end")]
    cleaned = remove_furniture(texts[0], as_rules(learned))
    assert cleaned.text == "\n".join(story(0)[1])  # the headlines after it are gone, the paragraphs whole
    assert cleaned.hits == (learned[0].line,)


def test_learned_furniture_is_stored_applied_and_recorded(database_url: str) -> None:
    store = Store(database_url)
    store.sync_sources([Source(name=SITE, url="https://draa-press.example/", region="MA-08")])
    assert store.learn_furniture() == {SITE: 0}  # nothing stored yet: nothing learned
    for index in range(8):
        article = extract_article(page(index), f"https://draa-press.example/{index}", FETCHED)
        assert article is not None
        store.save_article(SITE, article.url, article, VERDICT)
    assert store.learn_furniture() == {SITE: 4}
    rules = store.furniture_rules()[SITE]
    article = extract_article(page(9), "https://draa-press.example/9", FETCHED, learned_furniture=rules)
    assert article is not None
    assert not any(line in article.text for line in SITE_LINES)
    assert article.text.splitlines() == story(9)[1]
    assert len(article.furniture_hits) == 4
    store.record_furniture_hits({SITE: article.furniture_hits})
    shown = store.source_furniture(SITE)
    assert {line.example for line in shown} == SITE_LINES
    assert all(line.last_seen_at is not None for line in shown)
    # the signature opens the block of short lines that ends every article: the article ends there
    assert {line.example: line.kind for line in shown}[SIGNATURE] == "end"
    store.close()


def test_furniture_is_relearned_when_the_site_changes(database_url: str) -> None:
    """A new theme prints another slogan: the old one is let go, the new one learned; the signature the
    pages still carry (removed at extraction, so absent from the stored text) is kept."""
    store = Store(database_url)
    store.sync_sources([Source(name=SITE, url="https://draa-press.example/", region="MA-08")])
    for index in range(8):
        article = extract_article(page(index), f"https://draa-press.example/{index}", FETCHED)
        assert article is not None
        store.save_article(SITE, article.url, article, VERDICT)
    store.learn_furniture(sample=8)
    rules = store.furniture_rules()[SITE]
    new_slogan = "جريدة الجنوب الشرقي المستقلة منذ 2012"
    for index in range(10, 18):
        article = extract_article(
            page(index, new_slogan), f"https://draa-press.example/{index}", FETCHED, learned_furniture=rules
        )
        assert article is not None and SIGNATURE not in article.text and new_slogan in article.text
        store.save_article(SITE, article.url, article, VERDICT)
        store.record_furniture_hits({SITE: article.furniture_hits})
    store.learn_furniture(sample=8)  # the eight articles of the new theme
    learned = {line.example for line in store.source_furniture(SITE)}
    assert new_slogan in learned and SLOGAN not in learned
    assert {SIGNATURE, NOTICE, SAME_SECTION} <= learned
    store.close()


def test_rasd_sources_furniture_shows_what_was_learned(tmp_path: Path) -> None:
    config = write_config(tmp_path, f'[[sources]]\nname = "{SITE}"\nurl = "https://draa-press.example/"\n')
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources([Source(name=SITE, url="https://draa-press.example/")])
    result = run_rasd("--config", str(config), "sources", "furniture", SITE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no furniture learned yet" in result.stdout
    for index in range(5):
        article = extract_article(page(index), f"https://draa-press.example/{index}", FETCHED)
        assert article is not None
        store.save_article(SITE, article.url, article, VERDICT)
    store.close()
    result = run_rasd("--config", str(config), "sources", "furniture", SITE, "--learn", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.translate(MARKS).splitlines()  # an Arabic name in an English line: kept whole by marks
    assert lines[0].startswith(f"{SITE}: 4 lines learned")
    assert {line.split(maxsplit=4)[-1] for line in lines[1:]} == SITE_LINES
    assert all(line.split()[1] == "5/5" for line in lines[1:])
    result = run_rasd("--config", str(config), "sources", "furniture", "Nowhere", cwd=tmp_path)
    assert result.returncode == 2 and "no source in the config is named 'Nowhere'" in result.stderr

    # in the reader's language, the learned lines as the site wrote them
    french = run_rasd("--config", str(config), "sources", "furniture", SITE, cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.stdout.translate(MARKS).startswith(f"{SITE} : 4 lignes apprises le "), french.stdout
    assert all(" vue le " in line for line in french.stdout.splitlines()[1:])
    arabic = run_rasd("--config", str(config), "sources", "furniture", SITE, cwd=tmp_path, env={"RASD_LANG": "ar"})
    shown = arabic.stdout.translate(MARKS).splitlines()
    assert shown[0].startswith(f"{SITE}: 4 أسطر مُتعلَّمة في "), shown
    assert {line.split(maxsplit=5)[-1] for line in shown[1:]} == SITE_LINES and "learned" not in arabic.stdout


def test_rasd_sources_furniture_creates_no_database(tmp_path: Path) -> None:
    config = write_config(tmp_path, f'[[sources]]\nname = "{SITE}"\nurl = "https://draa-press.example/"\n')
    result = run_rasd("--config", str(config), "sources", "furniture", SITE, cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert result.returncode == 1 and "rasd crawl" in result.stderr, result.stderr
    assert not (tmp_path / "rasd.db").exists()


@pytest.mark.parametrize("kind", ["noise", "end"])
def test_nothing_learned_changes_nothing(kind: str) -> None:
    text = "\n".join(story(3)[1])
    assert remove_furniture(text, {}).text == text
    assert remove_furniture(text, {"سطر لا يوجد": kind}).text == text


def test_a_one_word_line_is_never_learned() -> None:
    """A national site opens most stories with their dateline on its own line: "الرباط" is the only
    mention of the region in some of them, and stays."""
    texts = ["الرباط\n" + "\n".join(story(index)[1]) for index in range(6)]
    assert learn_furniture(texts) == []
