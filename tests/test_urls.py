"""URL rules the crawl relies on: one canonical form per article (so it is fetched once), the clean URL a
reader is given, and which links of a listing page are articles and which are sections to follow."""

from __future__ import annotations

import pytest

from rasd.crawler.urls import announced_article, canonicalize_url, clean_url, looks_like_article, looks_like_listing

HOME = "https://www.atigmedia.example/"
CANONICAL = "https://atigmedia.example/2025/10/14/cooperative-argan"


@pytest.mark.parametrize(
    "twin",
    [
        "https://www.atigmedia.example/2025/10/14/cooperative-argan/",
        "http://atigmedia.example/2025/10/14/cooperative-argan",
        "https://m.atigmedia.example/2025/10/14/cooperative-argan/",
        "https://atigmedia.example/2025/10/14/cooperative-argan/amp/",
        "https://atigmedia.example/2025/10/14/cooperative-argan/?amp=1",
        "https://atigmedia.example/2025/10/14/cooperative-argan/?utm_source=facebook&utm_medium=social",
        "https://atigmedia.example/2025/10/14/cooperative-argan/?fbclid=IwAR0x#respond",
        "HTTPS://WWW.ATIGMEDIA.EXAMPLE/2025/10/14/cooperative-argan/",
    ],
)
def test_twins_of_an_article_share_one_canonical_url(twin: str) -> None:
    assert canonicalize_url(twin) == CANONICAL


def test_an_id_parameter_is_part_of_the_article() -> None:
    assert canonicalize_url("https://site.example/?p=123&utm_source=rss") == "https://site.example/?p=123"
    assert canonicalize_url("https://site.example/?p=123") != canonicalize_url("https://site.example/?p=124")


def test_the_clean_url_drops_tracking_only() -> None:
    assert (
        clean_url("https://www.site.example/news/1097.html?utm_campaign=x&id=5#comments")
        == "https://www.site.example/news/1097.html?id=5"
    )


@pytest.mark.parametrize(
    ("url", "article", "listing"),
    [
        ("https://www.atigmedia.example/2025/10/14/cooperative-argan/", True, False),
        ("https://www.atigmedia.example/news/1097.html", True, False),  # a story, not the /news/ section
        ("https://www.atigmedia.example/archives/88123", True, False),
        ("https://www.atigmedia.example/?p=88123", True, False),
        ("https://www.atigmedia.example/tiznit-women-cooperative-wins-regional-prize/", True, False),
        ("https://www.atigmedia.example/category/regions/", False, True),
        ("https://www.atigmedia.example/news/regions/", False, True),
        ("https://www.atigmedia.example/regions/tanger-tetouan-al-hoceima", True, True),  # long section name
        ("https://www.atigmedia.example/section/economie-sociale-et-solidaire/", True, True),
        ("https://www.atigmedia.example/page/2/", False, True),
        ("https://www.atigmedia.example/tag/argan/", False, False),
        ("https://www.atigmedia.example/contact/", False, False),
        ("https://www.atigmedia.example/wp-content/uploads/2025/10/photo.jpg", False, False),
        ("https://other.example/2025/10/14/cooperative-argan/", False, False),  # another site
    ],
)
def test_links_of_a_listing_page(url: str, article: bool, listing: bool) -> None:
    assert looks_like_article(url, HOME) is article
    assert looks_like_listing(url, HOME) is listing


@pytest.mark.parametrize(
    ("item", "own"),
    [
        ("https://fr.akhbar.ma/2026/11/20/cooperative-safran/", True),  # the outlet's French edition
        ("https://news.akhbar.ma/article/12345", True),
        ("https://m.akhbar.ma/2026/11/20/story/", True),
        ("https://akhbar.ma/2026/11/20/story/", True),
        ("https://other-site.ma/2026/11/20/story/", False),  # an aggregator's item: another source's
        ("https://notakhbar.ma/2026/11/20/story/", False),  # a longer name is not a subdomain
        ("https://akhbar.ma/tag/cooperatives/", False),
    ],
)
def test_a_feed_item_is_the_sources_own_on_its_domain_and_its_subdomains(item: str, own: bool) -> None:
    """Feed items on another site are left out (aggregators), not those of the outlet's own editions."""
    assert announced_article(item, "https://www.akhbar.ma/", "https://www.akhbar.ma/feed/") is own


@pytest.mark.parametrize(
    "url",
    [
        f"{HOME}category.php?id=7",
        f"{HOME}author.php?id=15",
        f"{HOME}index.php?option=com_content&view=category&id=12&Itemid=101",  # Joomla's section page
    ],
)
def test_a_section_or_author_page_with_an_id_is_no_article(url: str) -> None:
    """Any `?id=N` was taken for an article: a section or author page of a hand-made PHP site or Joomla was
    fetched as one and its teasers stored as a story (review9)."""
    assert not looks_like_article(url, HOME)


@pytest.mark.parametrize(
    "url",
    [
        f"{HOME}index.php?id=77",
        f"{HOME}news.php?lang=ar&nid=78",
        f"{HOME}index.php?option=com_content&view=article&id=12&catid=3&Itemid=101",  # Joomla's article
    ],
)
def test_an_article_with_an_id_is_still_one(url: str) -> None:
    assert looks_like_article(url, HOME)


@pytest.mark.parametrize(
    "url",
    [
        f"{HOME}rubrique/economie/la-cooperative-feminine-tifaout-ouvre-un-atelier-de-couscous",
        f"{HOME}category/societe/les-cooperatives-de-tiznit-exportent-leur-huile-argan",
    ],
)
def test_a_feed_item_whose_permalink_holds_its_section_is_still_an_article(url: str) -> None:
    """Any undated, unnumbered entry with a `/rubrique/` or `/category/` segment was left out: a site whose
    permalinks are /rubrique/<section>/<slug> lost every feed and sitemap entry (review9)."""
    assert announced_article(url, HOME, HOME)


@pytest.mark.parametrize(
    "url",
    [
        f"{HOME}category/societe/",
        f"{HOME}rubrique/economie/page/2/",
        f"{HOME}tag/2025/",
        f"{HOME}taxonomy/term/1234",
        f"{HOME}author/1234",
    ],
)
def test_a_numbered_section_tag_or_author_page_in_a_sitemap_is_no_article(url: str) -> None:
    """A number in a tag's or author's page (`/tag/2025/`, `/author/1234`) made it an article."""
    assert not announced_article(url, HOME, HOME)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://site.example/news.php?nid=78", "https://site.example/news.php?nid=79"),
        ("https://site.example/show.aspx?newsid=5", "https://site.example/show.aspx?newsid=6"),
        ("https://site.example/modules.php?name=News&file=article&sid=123", "https://site.example/modules.php?sid=124"),
        (
            "https://site.example/index.php?page=article&idart=77",
            "https://site.example/index.php?page=article&idart=78",
        ),
    ],
)
def test_stories_told_apart_by_a_parameter_courlan_does_not_know_keep_their_own_address(one: str, other: str) -> None:
    assert canonicalize_url(one) != canonicalize_url(other)


@pytest.mark.parametrize(
    "twin",
    [
        "https://site.example/2026/11/25/story;jsessionid=0A1B2C3D",
        "https://site.example/2026/11/25/story?PHPSESSID=5f4dcc3b5aa765d61d8327deb882cf99",
        "https://site.example/2026/11/25/story/index.html",
        "https://site.example/2026/11/25/story?m=1",  # Blogger's mobile twin
    ],
)
def test_session_ids_and_index_pages_are_not_part_of_the_story(twin: str) -> None:
    assert canonicalize_url(twin) == "https://site.example/2026/11/25/story"
    assert "sess" not in clean_url(twin).lower()


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://www.atigmedia.example/2026/11/24/", False),  # a calendar's day
        ("https://www.atigmedia.example/2026/11/", False),
        ("https://www.atigmedia.example/2026/", False),
        ("https://www.atigmedia.example/archives/2026/11/24", False),
        ("https://www.atigmedia.example/archives/2019", True),  # WordPress's numeric permalink: post 2019
        ("https://www.atigmedia.example/category/societe/2026/11/", False),
        ("https://www.atigmedia.example/category/societe/2026/11/25/cooperative-argan", True),
        ("https://www.atigmedia.example/fr/rubrique/economie/2026/11/25/cooperative-argan", True),
        ("https://www.atigmedia.example/2026/11/24/cooperative-argan", True),
    ],
)
def test_date_archives_are_no_story_and_a_dated_story_under_its_section_is_one(url: str, article: bool) -> None:
    assert looks_like_article(url, HOME) is article
    assert announced_article(url, HOME, HOME) is article
