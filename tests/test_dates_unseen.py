"""Dates on pages unlike Rasd's own fixtures: each case is a cause of a wrong or missing date seen on
saved pages of the wider web (issue 15). The pages are written here, small, with the trap and the truth."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from rasd.extract import extract_article
from rasd.extract.dates import page_date, parse_visible_date
from rasd.extract.metadata import page_title

FETCHED = datetime(2025, 11, 5, 9, 0, tzinfo=UTC)
BODY = (
    "<p>" + "La coopérative féminine a présenté ses produits de terroir aux visiteurs du salon régional. " * 4 + "</p>"
)


def page(head: str, body: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def day(tree: lxml_html.HtmlElement, url: str = "https://site.example/article/42") -> tuple[str | None, str | None]:
    moment, source = page_date(tree, url, FETCHED)
    return (moment.date().isoformat() if moment else None), source


JSON_LD = (
    '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Titre",%s'
    ' "datePublished": "2019-06-29T10:00:00+02:00"}'
)


@pytest.mark.parametrize(
    "script",
    [
        # a raw tab and a raw newline inside a string: strict JSON rejects them, browsers and Google do not
        '<script type="application/ld+json">' + JSON_LD % ' "description": "Une\tcoopérative\nà Tiznit",' + "</script>",
        # a CDATA wrapper, as some CMSs write it
        '<script type="application/ld+json">//<![CDATA[\n' + JSON_LD % "" + "\n//]]></script>",
        # no type attribute at all
        "<script>" + JSON_LD % "" + "</script>",
        # a type in capitals and a trailing comma
        '<script type="Application/LD+JSON">' + (JSON_LD % "").replace("}", ",}") + "</script>",
    ],
    ids=["raw-tab", "cdata", "no-type", "trailing-comma"],
)
def test_json_ld_that_strict_json_rejects_is_read(script: str) -> None:
    tree = page(script, "<article><h1>Titre</h1><p>Le 1er juillet 2019, une autre date dans le texte.</p></article>")
    assert day(tree) == ("2019-06-29", "json-ld")


def test_the_logo_h1_is_not_the_posts_title() -> None:
    tree = page(
        "<title>Titre de l'article | Le Journal</title>",
        '<div id="top"><h1 class="site-logo"><a href="/">Le Journal</a></h1>'
        '<div class="jour">Mercredi 5 novembre 2025</div></div>'  # today's date between the logo and the post
        '<div class="content"><h1>Une coopérative de Tiznit exporte son huile</h1>'
        '<div class="post-date">Publié le 12 mars 2024</div>' + BODY + "</div>",
    )
    assert day(tree) == ("2024-03-12", "visible")
    assert page_title(tree, None) == "Une coopérative de Tiznit exporte son huile"


def test_an_image_logo_in_an_h1_linking_home_is_not_the_title() -> None:
    tree = page(
        "",
        '<h1><a href="https://site.example/"><img src="/logo.png" alt="Site"></a></h1>'
        '<span class="date">4 novembre 2025</span>'
        "<h1>Foire régionale de l'économie sociale à Oujda</h1><span class='date'>2 octobre 2024</span>" + BODY,
    )
    assert day(tree) == ("2024-10-02", "visible")
    assert page_title(tree, None) == "Foire régionale de l'économie sociale à Oujda"


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        ('<div class="publication">le 12 mars 2024</div>', ("2024-03-12", "visible")),
        ('<div class="field-published-at">12.03.2024</div>', ("2024-03-12", "visible")),
        ('<p class="submitted">Submitted by admin on 12 March 2024</p>', ("2024-03-12", "visible")),
        ('<abbr class="published" title="2024-03-12T09:30:00+01:00">12 mars</abbr>', ("2024-03-12", "time-element")),
        ('<span itemprop="datePublished" content="2024-03-12">mardi</span>', ("2024-03-12", "time-element")),
    ],
    ids=["publication", "field-published-at", "submitted", "abbr-published", "itemprop-content"],
)
def test_date_holders_themes_name_otherwise(holder: str, expected: tuple[str, str]) -> None:
    tree = page("", f"<div class='wrap'><h1>Titre de l'article</h1><div class='x'>{holder}</div>{BODY}</div>")
    assert day(tree) == expected


def test_a_related_posts_time_is_not_the_posts_date() -> None:
    tree = page(
        "",
        "<main><article class='post'><h1>Titre</h1><p class='by'>Publié le 3 mars 2024</p>" + BODY + "</article>"
        "<section><h2>À lire aussi</h2>"
        "<article class='post'><h2>Autre</h2><time datetime='2023-01-10T08:00:00+00:00'>10/01/2023</time></article>"
        "</section></main>",
    )
    assert day(tree) == ("2024-03-03", "visible")


def test_an_embedded_tweets_time_is_not_the_posts_date() -> None:
    tree = page(
        "",
        "<article><h1>Titre</h1><div class='post-meta'>Publié le 29 juin 2019</div>"
        "<blockquote class='twitter-tweet'><p>Bravo aux coopératives !</p>— Ministère "
        "<a href='https://twitter.example/x/status/1'><time datetime='2019-06-20T18:00:00Z'>June 20, 2019</time></a>"
        "</blockquote>" + BODY + "</article>",
    )
    assert day(tree) == ("2019-06-29", "visible")


def test_a_time_element_contradicted_by_its_own_text_gives_the_text() -> None:
    tree = page(
        "",
        "<article><h1>Titre</h1><time datetime='2019-07-01T08:00:00+00:00'>Publié le 29 juin 2019</time>"
        + BODY
        + "</article>",
    )
    assert day(tree) == ("2019-06-29", "time-element")
    # …and agreeing with it, the attribute's instant is kept
    tree = page("", "<article><h1>T</h1><time datetime='2019-06-29T08:00:00+00:00'>29 juin 2019</time></article>")
    assert page_date(tree, "https://site.example/a", FETCHED) == (datetime(2019, 6, 29, 8, tzinfo=UTC), "time-element")


@pytest.mark.parametrize(
    "body",
    [
        # a short paragraph right under the title that says "hier" is a sentence, not a date line
        "<h1>Titre</h1><p>Hier, la coopérative a ouvert ses portes aux visiteurs.</p>" + BODY,
        # a container named like a date holder that holds the body
        "<h1>Titre</h1><div class='article-info'><p>La coopérative a reçu hier la visite du gouverneur. "
        + "Les membres ont présenté leurs produits et leurs projets pour l'année prochaine. " * 2
        + "</p></div>",
        "<h1>عنوان</h1><p>زار عامل الإقليم أمس مقر التعاونية النسائية بالجماعة.</p>" + BODY,
    ],
    ids=["fr-under-title", "fr-in-container", "ar-under-title"],
)
def test_yesterday_in_running_text_is_not_a_date(body: str) -> None:
    assert day(page("", body)) == (None, None)


def test_yesterday_in_a_date_line_still_is() -> None:
    tree = page("", "<h1>Titre</h1><p class='date'>Publié hier à 16h45</p>" + BODY)
    assert day(tree) == ("2025-11-04", "visible")


def test_a_cms_local_time_in_a_meta_tag_keeps_its_day() -> None:
    tree = page('<meta name="dc.date.created" content="2020-08-25|00h23">', "<h1>Titre</h1>" + BODY)
    moment, source = page_date(tree, "https://site.example/a", FETCHED)
    assert source == "meta:dc.date.created"
    assert moment is not None and moment.isoformat() == "2020-08-25T00:23:00+01:00"


def test_a_date_keeps_the_time_zone_the_page_states() -> None:
    """23:30 in New York is the next day in UTC; the page's day is the one it shows."""
    script = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2019-06-29T23:30:00-04:00"}</script>'
    )
    moment, _ = page_date(page(script, "<h1>T</h1>"), "https://site.example/a", FETCHED)
    assert moment is not None and moment.isoformat() == "2019-06-29T23:30:00-04:00"
    # a Moroccan visible date with a time is written in Morocco's time
    moment = parse_visible_date("الأربعاء 13 غشت 2025 - 00:15")
    assert moment is not None and moment.isoformat() == "2025-08-13T00:15:00+01:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veröffentlicht am 29. Juni 2019, 10:15 Uhr", "2019-06-29"),
        ("3. März 2020", "2020-03-03"),
        ("29 de junio de 2019", "2019-06-29"),
        ("29 giugno 2019", "2019-06-29"),
        ("12 de março de 2021", "2021-03-12"),
        ("1 december 2020", "2020-12-01"),
        ("12 maart 2021", "2021-03-12"),
    ],
)
def test_other_languages_month_names(text: str, expected: str) -> None:
    moment = parse_visible_date(text)
    assert moment is not None and moment.date().isoformat() == expected


def test_htmldate_is_the_last_resort() -> None:
    """A date holder Rasd's readers do not know (a CMS's "displaydate" meta tag): htmldate finds it."""
    tree = page('<meta name="displaydate" content="2019-06-29T10:00:00Z">', "<h1>Titre</h1>" + BODY)
    assert day(tree) == ("2019-06-29", "htmldate")
    # never a date after the fetch
    tree = page('<meta name="displaydate" content="2026-06-29T10:00:00Z">', "<h1>Titre</h1>" + BODY)
    assert day(tree) == (None, None)


def test_the_article_carries_the_pages_own_zone() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Titre",'
        ' "datePublished": "2019-06-29T23:30:00-04:00"}</script></head><body><article><h1>Titre</h1>'
        + BODY
        + "</article></body></html>"
    )
    article = extract_article(html.encode(), "https://site.example/a", FETCHED)
    assert article is not None and article.as_json()["date"] == "2019-06-29T23:30:00-04:00"


def test_more_publication_meta_tags_and_the_articles_json_ld_first() -> None:
    tree = page('<meta name="parsely-pub-date" content="2019-06-29T10:00:00Z">', "<h1>Titre</h1>" + BODY)
    assert day(tree) == ("2019-06-29", "meta:parsely-pub-date")
    # a video's or a web page's datePublished in the same JSON-LD is not the article's
    graph = (
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "datePublished": "2019-01-02"},'
        ' {"@type": "VideoObject", "datePublished": "2018-05-05"},'
        ' {"@type": "NewsArticle", "datePublished": "2019-06-29"}]}'
    )
    tree = page(f'<script type="application/ld+json">{graph}</script>', "<h1>Titre</h1>" + BODY)
    assert day(tree) == ("2019-06-29", "json-ld")


def test_htmldate_searches_the_post_not_the_pages_chrome() -> None:
    """Nothing Rasd's readers know holds the date, only a bare line after the text: htmldate's search
    finds it (`htmldate:guess`) — not the sidebar's dates, not the "© 2025" footer's January 1st."""
    tree = page(
        "",
        "<div class='main'><h1>Titre</h1>" + BODY * 4 + "<p>Rédaction, 29.06.2019</p></div>"
        "<div class='sidebar'><ul><li>Autre article — 12.11.2025</li><li>Encore — 10.11.2025</li></ul></div>"
        "<div class='footer'>© 2025 Le Journal</div>",
    )
    assert day(tree) == ("2019-06-29", "htmldate:guess")
    # with only the chrome's dates, no date
    tree = page(
        "",
        "<div class='main'><h1>Titre</h1>" + BODY + "</div>"
        "<div class='sidebar'><ul><li>Autre article — 12.11.2025</li></ul></div><div class='footer'>© 2025</div>",
    )
    assert day(tree) == (None, None)


def test_a_time_elements_update_text_does_not_replace_its_publication_date() -> None:
    tree = page(
        "",
        "<article><h1>Titre</h1><time class='published' datetime='2019-06-29T08:00:00+00:00'>"
        "Mis à jour le 30 juin 2019</time>" + BODY + "</article>",
    )
    assert day(tree) == ("2019-06-29", "time-element")


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ('window.__ARTICLE__ = {"id": "a-1", "publishedAt": 1749729600000, "updatedAt": 1749816000000};', "2025-06-12"),
        ("dataLayer.push({'publish_date': 1749729600, 'section': 'economie'});", "2025-06-12"),
        # an update's time or any other number is no publication time
        ('window.__ARTICLE__ = {"updatedAt": 1749816000000, "wordCount": 1749729600};', None),
    ],
)
def test_a_unix_time_in_a_script_dates_a_page_that_shows_no_date(script: str, expected: str | None) -> None:
    """A page printing no date and declaring none in markup, whose script gives its publication's Unix
    time (seconds or milliseconds): that instant's day, after every other reader found nothing."""
    page = (
        "<html><head><title>Témara : le marché paysan</title><script>" + script + "</script></head><body><article>"
        "<h1>Témara : le marché paysan</h1><p>Une trentaine de producteurs vendent chaque jeudi leurs légumes.</p>"
        "</article></body></html>"
    )
    tree = lxml_html.document_fromstring(page)
    moment, source = page_date(tree, "https://temara-actu.example/marche", datetime(2026, 1, 15, tzinfo=UTC))
    assert (moment.date().isoformat() if moment else None, source) == (expected, "script" if expected else None)
