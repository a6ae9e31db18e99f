"""Pages that hold no story are not articles (extract.notarticle: listings, bot checks, redirects, consent
walls; tests/pages/unseen has a page of each kind), and the stories that look like them in one respect
still are: a headline with a bot check's words, a page that reloads itself, a cookie banner over a story."""

from __future__ import annotations

from datetime import UTC, datetime

from rasd.extract import extract_article

FETCHED = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)
URL = "https://www.souss-infos.example/2025/12/03/agadir-cooperative-argan/"
STORY = "".join(
    f"<p>La coopérative Tamount d'Arbaa Sahel a expédié sa {n}e tonne d'huile d'argan vers Lyon, après un an de "
    "démarches pour la certification biologique de ses quarante adhérentes.</p>"
    for n in range(1, 6)
)


def _page(title: str, head: str = "", body_class: str = "single single-post", before: str = "") -> bytes:
    return (
        f"<html lang='fr'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body class='{body_class}'>{before}<article><h1>{title}</h1>{STORY}</article></body></html>"
    ).encode()


def test_a_story_headlined_with_a_bot_checks_words_is_kept() -> None:
    page = _page(
        "Security check at Agadir airport: the cooperative's argan oil cleared", "<meta name='robots' content='index'>"
    )
    assert extract_article(page, URL, FETCHED) is not None


def test_a_bot_check_asking_not_to_be_indexed_is_no_story() -> None:
    page = _page("Just a moment...", "<meta name='robots' content='noindex,nofollow'>", body_class="no-js")
    assert extract_article(page, URL, FETCHED) is None


def test_a_page_reloading_itself_or_after_minutes_is_a_story_and_a_prompt_redirect_is_not() -> None:
    itself = _page("Agadir : la coopérative Tamount exporte", f"<meta http-equiv='refresh' content='5; url={URL}'>")
    later = _page("Agadir : la coopérative Tamount exporte", "<meta http-equiv='refresh' content='600; url=/'>")
    moved = _page("Agadir : la coopérative Tamount exporte", "<meta http-equiv='Refresh' content='2;URL=/nouvelle/'>")
    assert extract_article(itself, URL, FETCHED) is not None
    assert extract_article(later, URL, FETCHED) is not None
    assert extract_article(moved, URL, FETCHED) is None


def test_a_cookie_banner_over_a_story_leaves_the_story_and_a_consent_wall_is_no_story() -> None:
    banner = (
        "<div id='cookie-notice' role='dialog'><p>Nous utilisons des cookies pour mesurer l'audience.</p>"
        "<button>Accepter</button></div>"
    )
    page = _page("Agadir : la coopérative Tamount exporte", body_class="single has-consent-wall", before=banner)
    assert extract_article(page, URL, FETCHED) is not None
    wall = (
        "<html><head><title>Vos choix</title></head><body><div class='cmp-wall'>"
        + "<p>Avec nos partenaires, nous traitons vos données pour la publicité et la mesure d'audience.</p>" * 6
        + "</div></body></html>"
    ).encode()
    assert extract_article(wall, URL, FETCHED) is None


def test_an_archive_is_no_story_even_when_its_theme_calls_it_an_article() -> None:
    """WordPress classes an archive's `<body>` "archive" whatever `og:type` the theme writes."""
    head = "<meta property='og:type' content='article'>"
    assert (
        extract_article(_page("Région - Page 2 sur 14", head, body_class="archive paged category"), URL, FETCHED)
        is None
    )
    assert extract_article(_page("Agadir : la coopérative Tamount exporte", head), URL, FETCHED) is not None
