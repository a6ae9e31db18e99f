"""The shipped source list: enough real sites, every region covered, each entry consistent with itself.

The URLs cannot be checked offline (`rasd sources check` does that against the live sites); what is checked
here is what a careless edit of config/sources.toml would break.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from rasd.config import load_settings
from rasd.config.settings import Source

CONFIG = Path(__file__).resolve().parent.parent / "config" / "rasd.toml"


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    return load_settings(CONFIG).sources


def test_at_least_sixty_sites_covering_all_twelve_regions(sources: list[Source]) -> None:
    assert len(sources) >= 60
    regions = {s.region for s in sources if s.region}
    assert regions == {f"MA-{n:02d}" for n in range(1, 13)}


def test_the_reference_stories_sites_are_listed(sources: list[Source]) -> None:
    by_name = {s.name: s for s in sources}
    for name, region in [
        ("Atigmedia", "MA-09"),
        ("Sefroupress", "MA-03"),
        ("Akhbar Souss", "MA-09"),
        ("Errachidia24", "MA-08"),
        ("Agadir24", "MA-09"),
    ]:
        assert by_name[name].region == region


def test_each_site_once_and_its_feeds_on_its_own_host(sources: list[Source]) -> None:
    hosts = [urlsplit(s.url).hostname for s in sources]
    assert len(hosts) == len(set(hosts)), "a site is listed twice"
    for source in sources:
        assert source.lang is not None, source.name
        home = (urlsplit(source.url).hostname or "").removeprefix("www.")
        for feed in source.feeds + source.sitemaps:
            assert (urlsplit(feed).hostname or "").removeprefix("www.") == home, (source.name, feed)


def test_rasd_sources_list_shows_each_site_and_the_regions(tmp_path: Path) -> None:
    from tests.conftest import run_rasd, write_config

    config = write_config(
        tmp_path,
        '[[sources]]\nname = "Tiznit site"\nurl = "https://t.example/"\nregion = "MA-09"\n'
        'feeds = ["https://t.example/feed/"]\n'
        '[[sources]]\nname = "National"\nurl = "https://n.example/"\nlang = "fr"\n',
    )
    result = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split()[:5] == ["Tiznit", "site", "MA-09", "detected", "feed"]
    assert lines[2].split()[:4] == ["National", "-", "fr", "discover"]
    assert lines[-1].startswith("2 sources (- 1, MA-09 1")


def test_rasd_sources_list_of_an_empty_sources_file_says_what_to_add(tmp_path: Path) -> None:
    """An emptied sources.toml: `rasd sources list` printed a bare header over "0 sources ( ; - = national)"."""
    from tests.conftest import run_rasd

    config = tmp_path / "rasd.toml"
    config.write_text('language = "fr"\n[crawler]\nsources_file = "vide.toml"\n', encoding="utf-8")
    (tmp_path / "vide.toml").write_text("", encoding="utf-8")

    result = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "attention : aucune source configurée : ajoutez une entrée [[sources]] (son name et son url) à sources.toml, "
        "à côté de rasd.toml\n"
    )
