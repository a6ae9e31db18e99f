"""A reader of French or Arabic reads why a site failed in their language, and a bad [[sources]] entry does
not stop the monitoring of the others.

The failures Rasd names itself ("not answering …", "malformed XML …", "not a feed: it answered a web page
…") were English inside French and Arabic lines of the cycle's summary, `rasd status` and `rasd sources
check`; a wrong `[[sources]]` entry (a URL without http://, a region code that does not exist) stopped every
command, so one typo in sources.toml stopped the watch of every other site. Real servers on 127.0.0.1.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rasd.config import ConfigError, failure_told, failures, load_settings
from rasd.monitor.speech import Speech
from tests.conftest import run_rasd, write_config
from tests.sites import RSS, homepage, route, sources, stored, stories

BAD_ENTRY = '[[sources]]\nname = "Typo"\nurl = "www.typo.ma/news"\n'  # no scheme: not a URL


def test_a_bad_sources_entry_leaves_the_others_monitored_and_is_named_in_the_readers_language(
    sites: list[str], tmp_path: Path
) -> None:
    good, page_as_feed = sites[:2]
    links = stories(good, "good", 3)
    route(f"{good}/", 200, homepage(f"{good}/feed/", links))
    route(f"{good}/feed/", 200, b'<?xml version="1.0"?><rss><channel><item><title>cut', RSS)  # malformed
    moved = stories(page_as_feed, "moved", 2)
    route(f"{page_as_feed}/", 200, homepage(f"{page_as_feed}/feed/", moved))
    route(f"{page_as_feed}/feed/", 200, homepage(None, moved))  # a moved feed: the homepage again
    entries = sources(("Good", good, ""), ("Moved", page_as_feed, "")) + BAD_ENTRY
    config = write_config(tmp_path, entries)
    line = config.read_text(encoding="utf-8").splitlines().index('url = "www.typo.ma/news"') + 1

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == set(links) | set(moved)  # the good sources' articles, from listings
    assert (
        f"attention : {config}, ligne {line} : sources[2].url : pas une adresse web : elle commence par http:// ou "
        "https://, par exemple 'https://www.typo.ma/news' : cette source est laissée de côté jusqu’à ce qu’elle soit "
        "corrigée ; les autres sont surveillées"
    ) in crawl.stderr
    assert "XML mal formé : " in crawl.stderr and "(flux http://" in crawl.stderr, crawl.stderr
    assert "pas un flux : il a répondu par une page web (HTML) ; vérifiez son adresse" in crawl.stderr
    assert "malformed XML" not in crawl.stderr and "not a feed" not in crawl.stderr, crawl.stderr
    assert "Traceback" not in crawl.stderr

    status = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert status.returncode == 0, status.stderr
    assert "غير مرصود: " in status.stdout and "هذا المصدر مستبعد حتى يُصحَّح" in status.stdout, status.stdout
    listed = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)
    assert "Good" in listed.stdout and "Moved" in listed.stdout and "Typo" not in listed.stdout
    assert (
        "sources[2].url: not a URL: it starts with http:// or https://, e.g. 'https://www.typo.ma/news': this source "
        "is left out"
    ) in listed.stderr


@pytest.mark.parametrize(
    "text",
    [
        failures.GAVE_UP_NOT_ANSWERING % {"count": 2},
        failures.GAVE_UP_OUT_OF_TIME % {"seconds": "240"},
        failures.MALFORMED_XML % {"detail": "syntax error: line 1, column 0"},
        failures.FEED_IS_OTHER_XML % {"root": "html"},
        failures.FETCH_FAILED
        % {
            "failure": failures.REDIRECTED_FROM % {"failure": "HTTP 404", "url": "http://a.ma/feed"},
            "kind": "feed",
            "url": "http://a.ma/new-feed",
        },
        failures.CAUSE_DETAIL % {"cause": failures.TIMED_OUT, "detail": "Getting http://a.ma/ took longer than 5 s"},
        failures.MALFORMED_JSON_FEED % {"detail": "Expecting value: line 1 column 1 (char 0)"},
        failures.FEED_IS_OTHER_JSON,
        failures.GAVE_UP_RATE_LIMITED % {"seconds": "3600", "status": 429},
        failures.GAVE_UP_CRAWL_DELAY % {"seconds": "10", "budget": "240"},
        failures.FETCH_FAILED
        % {
            "failure": failures.REFUSED_AFTER_PAUSE % {"status": 429, "seconds": "2"},
            "kind": "article",
            "url": "http://a.ma/1",
        },
        # a cause holding ": " itself, as stored before its own words (its detail Scrapy's)
        f"{failures.TOO_LARGE}: Expected to receive 50000000 bytes which is larger than download max size (5000000)",
        failures.TIMED_OUT_AFTER % {"seconds": "20"},
        failures.TOO_LARGE_SIZE % {"size": "50000000", "limit": "5000000"},
        failures.REDIRECTED_FROM % {"failure": failures.TOO_MANY_REDIRECTS % {"count": 5}, "url": "http://a.ma/f"},
    ],
)
def test_a_failure_is_said_in_each_language_and_stays_as_written_in_english(text: str) -> None:
    told = failure_told(text)
    assert told == text and Speech("en").told(told) == text
    for language in ("fr", "ar"):
        said = Speech(language).told(told)
        assert said != text
        for english in (
            "not answering",
            "out of time",
            "malformed XML",
            "not a feed",
            "timed out",
            "redirected",
            "rate",
            "wait",
            "cut off",
            "too large",
            "check its",
        ):
            assert english not in said, said
    assert failure_told("HTTP 503 Service Unavailable") == "HTTP 503 Service Unavailable"  # the site's words


def test_every_entry_wrong_is_still_a_config_error(tmp_path: Path) -> None:
    """Nothing left to monitor: the config cannot be used, and says every entry that is wrong."""
    config = tmp_path / "rasd.toml"
    config.write_text(BAD_ENTRY + '[[sources]]\nname = "Far"\nurl = "https://far.ma/"\nregion = "MA-13"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert "line 3: sources[0].url: not a URL" in str(error.value)
    assert "line 7: sources[1].region: 'MA-13' is not a region" in str(error.value)


def test_a_second_source_of_the_same_name_is_left_out(tmp_path: Path) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text(
        '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n[[sources]]\nname = "A"\nurl = "https://b.ma/"\n'
    )
    settings = load_settings(config)
    assert [s.url for s in settings.sources] == ["https://a.ma/"]
    (line,) = settings.sources_left_out
    assert line.startswith(f"{config}, line 5: sources[1].name: duplicate source name 'A'"), line


def test_a_bad_line_elsewhere_still_stops_with_its_message(tmp_path: Path) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text('[storage]\nurl = "mysql://x"\n[[sources]]\nname = "A"\nurl = "https://a.ma/"\n' + BAD_ENTRY)
    result = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert result.returncode == 2 and "rasd: config error: " in result.stderr and "storage.url" in result.stderr


@pytest.mark.parametrize(("language", "words"), [("fr", "Réglages de Rasd."), ("ar", "إعدادات رصد.")])
def test_rasd_init_writes_its_comments_in_the_chosen_language(tmp_path: Path, language: str, words: str) -> None:
    result = run_rasd("init", str(tmp_path / "veille"), cwd=tmp_path, env={"RASD_LANG": language})
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "veille" / "rasd.toml").read_text(encoding="utf-8")
    assert written.startswith(f"# {words}"), written[:200]
    assert "digests are written here" not in written and "the sites to watch" not in written
    shipped = tomllib.loads((Path(__file__).resolve().parent.parent / "config" / "rasd.toml").read_text())
    assert tomllib.loads(written)["crawler"] == shipped["crawler"]  # only the comments changed there
    assert load_settings(tmp_path / "veille" / "rasd.toml").language == language
