"""Dates as Moroccan, Mashriq and French news sites write them, read by extract.dates.

Visible dates with a time are Moroccan local time (UTC+1 outside Ramadan, UTC+0 during it); dates
without a time are 00:00 UTC of the day shown; relative ones are resolved against FETCHED.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from rasd.extract.dates import (
    page_date,
    parse_iso,
    parse_visible_date,
    structured_date,
    url_date,
    visible_date,
)

FETCHED = datetime(2025, 11, 5, 9, 0, tzinfo=UTC)  # Wednesday 5 November 2025, 10:00 in Morocco


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


VISIBLE = [
    # Drupal 7's default "D, m/d/Y - H:i" on a French site: the weekday says which number is the month
    ("Soumis par fedadmin le jeu, 11/06/2025 - 16:02", utc(2025, 11, 6, 15, 2)),
    ("Submitted by admin on Thu, 11/06/2025 - 16:02", utc(2025, 11, 6, 15, 2)),
    ("mercredi 11/06/2025", utc(2025, 6, 11)),
    ("الخميس 11/06/2025", utc(2025, 11, 6)),
    # Moroccan month names, with the weekday and time Jannah/Newspaper themes print
    ("الأربعاء 13 غشت 2025 - 10:15", utc(2025, 8, 13, 9, 15)),
    ("الأحد 14 شتنبر 2025 - 10:30", utc(2025, 9, 14, 9, 30)),
    ("نشر في 3 يوليوز 2025 على الساعة 18:40", utc(2025, 7, 3, 17, 40)),
    ("السبت 8 نونبر 2025", utc(2025, 11, 8)),
    ("الجمعة 26 دجنبر 2025 - 09:05", utc(2025, 12, 26, 8, 5)),
    ("12 ماي 2022", utc(2022, 5, 12)),
    ("2 أكتوبر، 2025", utc(2025, 10, 2)),
    ("20 يوليوز، 2025 في 11:30 ص", utc(2025, 7, 20, 10, 30)),
    ("5 ماي 2025 في 9:05 م", utc(2025, 5, 5, 20, 5)),
    # Gulf/Egyptian names and Mashriq (Syriac) ones, Arabic-Indic digits
    ("14 أغسطس 2025", utc(2025, 8, 14)),
    ("١٢ أيلول ٢٠٢٥ - ١٠:٤٥", utc(2025, 9, 12, 9, 45)),
    ("نُشر بتاريخ: ٣ آب ٢٠٢٥", utc(2025, 8, 3)),
    ("السبت 1 تشرين الثاني 2025", utc(2025, 11, 1)),
    ("18 كانون الأول 2024", utc(2024, 12, 18)),
    ("12 أيلول (سبتمبر) 2025", utc(2025, 9, 12)),
    ("۲۵ حزيران ۲۰۲۵", utc(2025, 6, 25)),  # Eastern Arabic-Indic (Persian) digits
    # around Ramadan 1446 (23 February – 6 April 2025) Morocco is on UTC+0
    ("الخميس 13 مارس 2025 - 21:30", utc(2025, 3, 13, 21, 30)),
    ("السبت 5 أبريل 2025 - 21:05", utc(2025, 4, 5, 21, 5)),
    # published and updated: the published one, wherever it stands
    ("آخر تحديث: 13 أيلول 2025 | نشر في: 12 أيلول 2025", utc(2025, 9, 12)),
    ("Publié le 1er décembre 2024 à 10h15 / Mis à jour le 2 décembre 2024 à 08h00", utc(2024, 12, 1, 9, 15)),
    # the update written first, its label followed by a connector ("le", "في")
    ("Mis à jour le 2 décembre 2024 - Publié le 1er décembre 2024", utc(2024, 12, 1)),
    ("آخر تحديث في 13 شتنبر 2025 - نشر في 12 شتنبر 2025", utc(2025, 9, 12)),
    ("Updated on Sep 13, 2025 - Published Sep 12, 2025", utc(2025, 9, 12)),
    # French
    ("le 3 août 2025 à 10h15", utc(2025, 8, 3, 9, 15)),
    ("1er décembre 2024", utc(2024, 12, 1)),
    ("Lundi 3 novembre 2025 - 09:30", utc(2025, 11, 3, 8, 30)),
    ("3 aout 2025", utc(2025, 8, 3)),
    ("3 AOÛT 2025 À 10H", utc(2025, 8, 3, 9, 0)),
    ("12 févr. 2025", utc(2025, 2, 12)),
    ("mis en ligne le 7 juillet 2025 à 17 h 05", utc(2025, 7, 7, 16, 5)),
    # English (Morocco World News style)
    ("Sep 18, 2025 - 11:20", utc(2025, 9, 18, 10, 20)),
    ("18 September 2025", utc(2025, 9, 18)),
    # numeric
    ("13/08/2025", utc(2025, 8, 13)),
    ("13-08-2025 10:15", utc(2025, 8, 13, 9, 15)),
    ("2025-08-13", utc(2025, 8, 13)),
    ("2025/08/13 - 10:15", utc(2025, 8, 13, 9, 15)),
    ("08/13/2025", utc(2025, 8, 13)),  # month first: 13 cannot be a month
    # relative, against FETCHED (10:00 in Morocco)
    ("نشر في أمس على الساعة 18:30", utc(2025, 11, 4, 17, 30)),
    ("أمس", utc(2025, 11, 4)),
    ("اليوم على الساعة 08:20", utc(2025, 11, 5, 7, 20)),
    ("أول أمس", utc(2025, 11, 3)),
    ("منذ 3 ساعات", utc(2025, 11, 5, 6, 0)),
    ("منذ ساعتين", utc(2025, 11, 5, 7, 0)),
    ("منذ ساعة", utc(2025, 11, 5, 8, 0)),
    ("قبل 5 دقائق", utc(2025, 11, 5, 8, 55)),
    ("منذ يومين", utc(2025, 11, 3)),
    ("منذ ثلاثة أيام", utc(2025, 11, 2)),
    ("hier à 16h45", utc(2025, 11, 4, 15, 45)),
    ("aujourd'hui", utc(2025, 11, 5)),
    ("Aujourd’hui à 8h05", utc(2025, 11, 5, 7, 5)),
    ("il y a 2 heures", utc(2025, 11, 5, 7, 0)),
    ("il y a 3 jours", utc(2025, 11, 2)),
    ("2 hours ago", utc(2025, 11, 5, 7, 0)),
]
NOT_A_DATE = [
    "",
    "جميع الحقوق محفوظة © 2025",
    "2025",
    "الساعة 10:30",
    "غشت",
    "32/13/2025",
    "31 فبراير 2025",
    "0 تعليق",
    "Lire aussi : les coopératives de safran",
    "الاقتصاد الاجتماعي والتضامني",
    "المؤتمر الخامس للتعاونيات",  # "الخامس" ends in "امس" (yesterday)
    "20 صفر 1447",  # Hijri: not read as a Gregorian date
]


@pytest.mark.parametrize(("text", "expected"), VISIBLE, ids=[t for t, _ in VISIBLE])
def test_visible_date(text: str, expected: datetime) -> None:
    assert parse_visible_date(text, FETCHED) == expected


@pytest.mark.parametrize("text", NOT_A_DATE)
def test_not_a_date(text: str) -> None:
    assert parse_visible_date(text, FETCHED) is None


def test_relative_words_need_a_reference() -> None:
    assert parse_visible_date("أمس") is None
    assert parse_visible_date("منذ 3 ساعات") is None
    assert parse_visible_date("13 غشت 2025") == utc(2025, 8, 13)


def test_a_fetch_just_after_midnight_in_morocco_is_the_next_day_there() -> None:
    # 23:30 UTC on 4 November is 00:30 on 5 November in Morocco: "yesterday" is the 4th
    assert parse_visible_date("أمس", utc(2025, 11, 4, 23, 30)) == utc(2025, 11, 4)


TIMESTAMPS = [
    ("2025-08-13T10:15:00+01:00", utc(2025, 8, 13, 9, 15)),
    ("2025-08-13T09:15:00Z", utc(2025, 8, 13, 9, 15)),
    ("2025-08-13T09:15:00", utc(2025, 8, 13, 9, 15)),
    ("2025-08-13", utc(2025, 8, 13)),
    ("Wed, 13 Aug 2025 09:15:00 +0000", utc(2025, 8, 13, 9, 15)),
    ("Wed, 13 Aug 2025 10:15:00 +0100", utc(2025, 8, 13, 9, 15)),
    ("Wed, 13 Aug 2025 09:15:00 GMT", utc(2025, 8, 13, 9, 15)),
]


@pytest.mark.parametrize(("value", "expected"), TIMESTAMPS, ids=[v for v, _ in TIMESTAMPS])
def test_iso_and_rfc822(value: str, expected: datetime) -> None:
    assert parse_iso(value) == expected


def test_url_dates() -> None:
    assert url_date("https://www.example.ma/2025/10/14/slug/") == utc(2025, 10, 14)
    assert url_date("https://www.example.ma/2025/13/40/slug/") is None
    assert url_date("https://www.example.ma/archives/8812") is None


def page(body: str, head: str = "") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_structured_dates_in_their_order() -> None:
    both = page(
        "<article><time datetime='2025-08-01T08:00:00+01:00'>1 غشت</time></article>",
        '<meta property="article:published_time" content="2025-08-02T08:00:00+01:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-08-03T08:00:00+01:00",'
        ' "comment": [{"@type": "Comment", "dateCreated": "2025-07-01T00:00:00Z"}]}</script>',
    )
    assert structured_date(both) == (utc(2025, 8, 3, 7), "json-ld")
    comment_first = page(
        '<script type="application/ld+json">{"@graph": [{"@type": "Comment", "dateCreated": "2025-07-01T00:00:00Z"},'
        ' {"@type": "NewsArticle", "datePublished": "2025-08-03T08:00:00+01:00"}]}</script>'
    )
    assert structured_date(comment_first) == (utc(2025, 8, 3, 7), "json-ld")


def test_a_comments_time_element_is_not_the_articles() -> None:
    tree = page(
        "<div class='post'><h1>عنوان</h1><p>نص</p></div>"
        "<ol class='comment-list'><li><article class='comment-body'>"
        "<time datetime='2025-08-14T09:30:00+01:00'>14 غشت 2025</time></article></li></ol>"
    )
    assert structured_date(tree) is None


def test_visible_date_ignores_the_header_widget_sidebar_and_comments() -> None:
    tree = page(
        "<div class='topbar-today-date'>الخميس 14 غشت 2025</div>"
        "<h1>عنوان المقال</h1><div class='post-meta'><span class='date'>الأربعاء 13 غشت 2025 - 10:15</span></div>"
        "<div class='related-posts'><span class='date'>1 غشت 2025</span></div>"
        "<aside><span class='date'>2 غشت 2025</span></aside>"
        "<div class='comments'><span class='comment-date'>15 غشت 2025</span></div>"
    )
    assert visible_date(tree, FETCHED) == utc(2025, 8, 13, 9, 15)
    only_chrome = page(
        "<div class='header-top'><span class='header-date'>الثلاثاء 4 نونبر 2025</span></div><h1>عنوان</h1>"
        "<div class='single-related'><span class='rel-date'>2 نونبر 2025</span></div>"
    )
    assert visible_date(only_chrome, FETCHED) is None


def test_page_date_order_and_sources() -> None:
    url = "https://www.example.ma/2025/10/01/slug/"
    visible = page("<h1>عنوان</h1><span class='post-date'>3 أكتوبر 2025</span>")
    assert page_date(visible, url, FETCHED) == (utc(2025, 10, 3), "visible")
    assert page_date(visible, url, FETCHED, "Thu, 02 Oct 2025 10:00:00 +0000", "feed") == (
        utc(2025, 10, 2, 10),
        "feed",
    )
    assert page_date(page("<h1>عنوان</h1>"), url, FETCHED) == (utc(2025, 10, 1), "url")
    assert page_date(page("<h1>عنوان</h1>"), "https://www.example.ma/n/1", FETCHED) == (None, None)


def test_a_date_before_the_web_or_after_tomorrow_is_passed_over_for_the_next_one() -> None:
    """A CMS's empty field read as 1970-01-01, a year typed 2205, an event's day in the markup: no publication
    date. They were stored as the story's, and `rasd search --since` or a digest's order went by them."""
    epoch = '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
    shown = "<h1>عنوان</h1><span class='post-date'>3 نونبر 2025</span>"
    assert page_date(page(shown, epoch), "https://www.example.ma/n/1", FETCHED) == (utc(2025, 11, 3), "visible")
    ahead = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2205-11-04T10:00:00Z"}</script>'
        '<meta property="article:published_time" content="2025-11-04T10:00:00Z">'
    )
    assert page_date(page("<h1>عنوان</h1>", ahead), "https://www.example.ma/n/1", FETCHED) == (
        utc(2025, 11, 4, 10),
        "meta:article:published_time",
    )
    tomorrow = '<meta property="article:published_time" content="2025-11-06T08:00:00Z">'  # a clock ahead: kept
    assert page_date(page("<h1>عنوان</h1>", tomorrow), "https://x.ma/n/1", FETCHED)[0] == utc(2025, 11, 6, 8)
    assert page_date(page("<h1>عنوان</h1>"), "https://x.ma/n/1", FETCHED, "1969-12-31", "sitemap") == (None, None)
    assert page_date(page("<h1>عنوان</h1>"), "https://x.ma/1985/03/02/slug", FETCHED) == (None, None)


WORDPRESS_IN_ENGLISH = """<html lang="en-US"><head><meta property="og:locale" content="en_US"></head><body>
<article><h1 class="entry-title">{title}</h1><div class="entry-meta"><span class="posted-on">03/11/2025</span></div>
<div class="entry-content"><p>{first}</p><p>{second}</p></div></article></body></html>"""


@pytest.mark.parametrize(
    ("title", "first", "second", "expected"),
    [
        (
            "تعاونية نسائية بتارودانت تفتتح وحدة لتثمين الأركان",
            "افتتحت تعاونية نسائية بإقليم تارودانت وحدة جديدة لتثمين زيت الأركان بدعم من المبادرة الوطنية.",
            "وتضم التعاونية أربعين امرأة من دواوير الجماعة، ويستفدن من دخل قار بفضل هذا المشروع.",
            utc(2025, 11, 3),
        ),
        (
            "Une coopérative féminine de Taroudant inaugure son unité d'argan",
            "Une coopérative féminine de la province de Taroudant a inauguré une nouvelle unité de valorisation.",
            "Elle compte quarante femmes des douars de la commune, qui en tirent un revenu stable.",
            utc(2025, 11, 3),
        ),
        (
            "A women's cooperative in Taroudant opens an argan unit",
            "A women's cooperative in the province of Taroudant has opened a new unit for the argan oil of the valley.",
            "It has forty members from the villages of the commune, and they earn a steady income from it.",
            utc(2025, 3, 11),
        ),
    ],
    ids=["ar", "fr", "en"],
)
def test_a_wordpress_left_in_english_dates_an_arabic_or_french_story_day_first(
    title: str, first: str, second: str, expected: datetime
) -> None:
    """`lang="en-US"` is WordPress's default when installed in English, kept by many a Moroccan site that writes in
    Arabic or French: its "03/11/2025" is 3 November. Only a page whose paragraphs are English reads it American."""
    page = WORDPRESS_IN_ENGLISH.format(title=title, first=first, second=second)
    assert visible_date(lxml_html.document_fromstring(page), FETCHED) == expected
