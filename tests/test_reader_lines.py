"""What `rasd search` and `rasd explain` tell a reader about a story at a glance, run as the real command
line on a real SQLite store: its region by name (not only MA-09), its source and day, and the other sites
that published the same story (a syndicated copy points to the story it copies)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rasd.classify import Classification
from rasd.config import Source
from rasd.extract import Article, content_hash
from rasd.storage import Store
from tests.bidi import MARKS
from tests.conftest import run_rasd, write_config

SOURCES = [
    Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09"),
    Source(name="Souss Presse", url="https://souss.example/", region="MA-09"),
]
# Written for these tests: one dispatch, published by two sites with the same text.
BODY = "افتتحت بأكادير الدورة السادسة للمعرض الجهوي للتعاونيات بمشاركة مئة تعاونية من جهة سوس ماسة."


def _article(url: str, title: str, hour: int) -> Article:
    return Article(
        url=url,
        title=title,
        text=BODY,
        date=datetime(2025, 10, 13, hour, tzinfo=UTC),
        date_source="meta",
        author=None,
        lang="ar",
        site_name=None,
        content_hash=content_hash(BODY),
    )


def _syndicated(tmp_path: Path) -> tuple[Path, int, int]:
    """A config and its store holding one story and its copy on another site; their ids."""
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    verdict = Classification(sse=True, score=0.9, regions=["MA-09"], reasons=[], parts={})
    pages = [
        ("Tiznit Info", "https://tiznit.example/agadir-salon/", "أكادير: افتتاح المعرض الجهوي", 9),
        ("Souss Presse", "https://souss.example/salon-7731/", "انطلاق المعرض الجهوي بأكادير", 11),
    ]
    first, copy = (store.save_article(name, url, _article(url, title, at), verdict) for name, url, title, at in pages)
    store.close()
    assert first is not None and copy is not None
    return config, first, copy


def _rasd(config: Path, tmp_path: Path, language: str, *args: str) -> str:
    result = run_rasd("--config", str(config), *args, cwd=tmp_path, env={"RASD_LANG": language})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout.translate(MARKS)


def test_search_names_the_region_and_the_other_copies_of_a_story(tmp_path: Path) -> None:
    config, first, copy = _syndicated(tmp_path)
    french = _rasd(config, tmp_path, "fr", "search", "المعرض").splitlines()
    at_first, at_copy = (next(i for i, line in enumerate(french) if line.startswith(f"{n:>6} ")) for n in (first, copy))
    # the region as a reader knows it, with the code --region takes
    assert french[at_first + 1].endswith("  [MA-09 Souss-Massa]"), french
    # the first copy, which the digest shows, lists the other site; the copy points to it
    assert french[at_first + 2] == "        aussi sur Souss Presse : https://souss.example/salon-7731/", french
    assert french[at_copy + 2] == f"        la même information que le n° {first} (rasd explain {first})", french

    arabic = _rasd(config, tmp_path, "ar", "search", "المعرض")
    assert "[MA-09 سوس ماسة]" in arabic and "نُشر أيضًا في Souss Presse: https://souss.example/salon-7731/" in arabic
    assert f"الخبر نفسه الذي يحمل الرقم {first} (rasd explain {first})" in arabic


def test_explain_says_the_source_the_day_the_region_and_the_copies_first(tmp_path: Path) -> None:
    config, first, copy = _syndicated(tmp_path)
    french = _rasd(config, tmp_path, "fr", "explain", str(first)).splitlines()
    # under the title and its address, as the digest shows a story: source, time in Casablanca, region
    assert french[2] == "Tiznit Info · 13 octobre 2025 à 10:00 · Souss-Massa", french
    assert french[3] == "aussi sur Souss Presse : https://souss.example/salon-7731/", french
    copied = _rasd(config, tmp_path, "ar", "explain", str(copy)).splitlines()
    assert copied[2] == "Souss Presse · 13 أكتوبر 2025، 12:00 · سوس ماسة", copied
    assert copied[3] == f"الخبر نفسه الذي يحمل الرقم {first} (rasd explain {first})", copied


def test_explain_and_search_say_a_story_s_copies_through_one_function(tmp_path: Path) -> None:
    """`rasd explain` and `rasd search` build the "also on … / same story as …" lines with the one public
    `rasd.alerts.copies_lines`, each filling the values its own way; and name regions through the one lookup
    `rasd.config.region_name_in` that the digest's "why" shares."""
    from rasd.alerts import copies_lines
    from rasd.alerts.i18n import translations
    from rasd.alerts.why import region_name
    from rasd.config import region_name_in
    from rasd.monitor.speech import Speech
    from rasd.storage import StoredStory

    story = StoredStory(
        7, "t", "https://a.example/", "A", None, datetime(2025, 10, 13), "ar", "", 0.9, True, ["MA-09"], [], {},
        also_in=[("Souss Presse", "https://souss.example/%D8%AA%D8%B9%D8%A7%D9%88%D9%86%D9%8A%D8%A9")], copy_of=3,
    )
    french = translations("fr").gettext
    assert copies_lines(story, french) == [
        "aussi sur Souss Presse : https://souss.example/تعاونية",  # the address decoded, as a reader reads it
        "la même information que le n° 3 (rasd explain 3)",
    ]
    said = Speech("ar")  # a terminal line: each value kept in order by its marks
    marked = copies_lines(story, said.gettext, lambda message, values: said.fill(message, **values))
    assert [line.translate(MARKS) for line in marked] == [
        "نُشر أيضًا في Souss Presse: https://souss.example/تعاونية",
        "الخبر نفسه الذي يحمل الرقم 3 (rasd explain 3)",
    ]
    assert region_name_in("MA-09", translations("ar")) == region_name("MA-09", "ar") == "سوس ماسة"
    assert Speech("ar").region("MA-09") == "MA-09 سوس ماسة" and Speech("fr").region("MA-13") == "MA-13"
    assert region_name_in("MA-13", translations("fr")) is None
