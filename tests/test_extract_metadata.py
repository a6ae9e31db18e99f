"""Titles as pages declare them: the site's name removed, the headline's own words and separators kept."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from rasd.extract.dates import scanning
from rasd.extract.metadata import page_author, page_title, signed_name, site_name


def _page(head: str, body: str = "<p>نص</p>") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # Open Graph: only the declared site name goes; a place before " - " is part of the headline
        (
            '<meta property="og:title" content="Tiznit - Une coopérative de femmes lance une gamme">',
            "",
            "Tiznit - Une coopérative de femmes lance une gamme",
        ),
        (
            '<meta property="og:site_name" content="هسبريس">'
            '<meta property="og:title" content="الرباط – مشروع جديد للتعاونيات النسائية | هسبريس">',
            "",
            "الرباط – مشروع جديد للتعاونيات النسائية",
        ),
        # no metadata, no <h1>: the <title>, without a short site name at its end or before "|" at its start
        (
            "<title>Une coopérative de femmes lance une nouvelle gamme - Le360</title>",
            "",
            "Une coopérative de femmes lance une nouvelle gamme",
        ),
        (
            "<title>الرشيدية بريس | الرشيدية: مجلس الجهة يصادق على اتفاقية لدعم التعاونيات</title>",
            "",
            "الرشيدية: مجلس الجهة يصادق على اتفاقية لدعم التعاونيات",
        ),
        (
            "<title>Meknès : la première foire régionale de l'économie sociale ouvre ses portes</title>",
            "",
            "Meknès : la première foire régionale de l'économie sociale ouvre ses portes",
        ),
        # the post's <h1> before the <title>, but not a sidebar's
        (
            "<title>Site</title>",
            '<aside class="widget"><h1>الأكثر قراءة</h1></aside><h1>تعاونية للعسل بأزيلال</h1>',
            "تعاونية للعسل بأزيلال",
        ),
    ],
)
def test_page_title(head: str, body: str, expected: str) -> None:
    tree = _page(head, body)
    assert page_title(tree, site_name(tree)) == expected


def test_a_login_in_the_author_meta_gives_way_to_the_name_the_byline_shows() -> None:
    """WordPress themes print the user's login in `<meta name="author">`; the byline links it to the name."""
    byline = (
        "<h1>Titre</h1><div class='td-post-author-name'>Par <a href='/author/nbenjelloun/'>Nadia Benjelloun</a></div>"
    )
    for body, expected in ((byline, "Nadia Benjelloun"), ("<h1>Titre</h1><p>Texte.</p>", "nbenjelloun")):
        tree = _page('<meta name="author" content="nbenjelloun">', body)
        with scanning(tree):
            assert page_author(tree) == expected


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Par Youssef Amrani — 12 mai 2026", "Youssef Amrani"),
        ("بقلم: سعيد أوحساين | الخميس 3 دجنبر 2026", "سعيد أوحساين"),
        ("By Priya Chauhan", "Priya Chauhan"),
        ("Par ailleurs, la commune prévoit une deuxième tranche", None),
        ("Par La Rédaction — 12 mai 2026", None),
        ("إعداد المخطط الجهوي للتنمية", None),
        ("Soumis par Fatima Zahra le ven, 11/06/2026 - 16:02", "Fatima Zahra"),  # Drupal 7
    ],
)
def test_a_byline_line_gives_its_name_and_no_other_line_does(line: str, name: str | None) -> None:
    assert signed_name(line) == name


def test_a_drupal_submitted_line_and_a_papers_correspondent_give_a_name_or_none() -> None:
    """Drupal 7's "Soumis par fedadmin le ven, 11/06/2026" is cut before its weekday; "مراسل الجريدة
    بالداخلة" (the paper's correspondent in Dakhla) names no one (tests/pages/unseen12)."""
    for body, expected in (
        (
            "<h1>T</h1><div class='meta submitted'>Soumis par <span>fedadmin</span> le ven, 11/06/2026 - 16:02</div>",
            "fedadmin",
        ),
        ("<h1>T</h1><p>نص.</p><span class='auteur'>مراسل الجريدة بالداخلة</span>", None),
    ):
        tree = _page("", body)
        with scanning(tree):
            assert page_author(tree) == expected


def test_a_newsroom_in_the_author_meta_gives_way_to_the_person_the_byline_shows() -> None:
    """Joomla (K2) prints the site's "Rédaction" in `<meta name="author">` over "Écrit par Samir Benali"."""
    byline = "<h2>Titre</h2><span class='itemAuthor'>Écrit par <a rel='author' href='/u/44'>Samir Benali</a></span>"
    for body, expected in ((byline, "Samir Benali"), ("<h1>Titre</h1><p>Texte.</p>", "Rédaction")):
        tree = _page('<meta name="author" content="Rédaction">', body)
        with scanning(tree):
            assert page_author(tree) == expected


def test_a_yoast_graph_author_given_by_its_id_is_the_persons_name() -> None:
    graph = (
        '{"@context":"https://schema.org","@graph":[{"@type":"Article","headline":"T",'
        '"author":{"name":"","@id":"https://s.example/#/schema/person/1"}},'
        '{"@type":"Person","@id":"https://s.example/#/schema/person/1","name":"مريم الحيحي"}]}'
    )
    tree = _page(f'<script type="application/ld+json">{graph}</script>')
    with scanning(tree):
        assert page_author(tree) == "مريم الحيحي"


_MENU = (
    "<nav><ul><li><a href='/'>Accueil</a></li><li><a href='/actualites'>Actualités</a></li>"
    "<li><a href='/communiques'>Communiqués de presse</a></li></ul></nav>"
)


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # a commune's news module: its name in the <h1> (a menu link's text), the item's headline in an <h2>
        (
            "<title>Commune de Tiznit</title>",
            _MENU + "<h1>Actualités</h1><h2>Signature d'une convention pour le souk solidaire de la place</h2><p>…</p>",
            "Signature d'une convention pour le souk solidaire de la place",
        ),
        # the module's name only in <title> ("Site | Section"): the first long heading outside the chrome
        (
            "<title>Région de l'Oriental | Actualités</title>"
            "<meta property='og:site_name' content=\"Région de l'Oriental\">",
            _MENU + "<aside><h3>Les plus lus cette semaine dans la région de l'Oriental</h3></aside>"
            "<div><h2>Lancement d'un appel à projets pour les jeunes entrepreneurs</h2><p>…</p></div>",
            "Lancement d'un appel à projets pour les jeunes entrepreneurs",
        ),
        # a short headline that is no menu link stays, whatever heading follows it
        (
            "<title>Tiznit vote son budget</title>",
            _MENU + "<h1>Tiznit vote son budget</h1><h2>Les élus ont adopté le budget de l'année prochaine hier</h2>",
            "Tiznit vote son budget",
        ),
        # a short headline that its breadcrumb links (to the story itself) is no section's name
        (
            "<title>Tiznit vote son budget</title>",
            "<nav class='breadcrumb'><a href='/'>Accueil</a> › "
            "<a href='/tiznit-budget'>Tiznit vote son budget</a></nav>"
            "<h1>Tiznit vote son budget</h1><h2>Les élus ont adopté le budget de l'année prochaine hier</h2>",
            "Tiznit vote son budget",
        ),
        # a section's name with no longer heading under it stays the title: nothing better is printed
        ("<title>Site</title>", _MENU + "<h1>Communiqués de presse</h1><p>…</p>", "Communiqués de presse"),
    ],
)
def test_a_sections_name_gives_way_to_the_headline_under_it(head: str, body: str, expected: str) -> None:
    tree = _page(head, body)
    with scanning(tree):
        assert page_title(tree, site_name(tree)) == expected
