"""Pages of kinds Rasd's other fixtures do not have (tests/pages/unseen, written for these tests): each
keeps its story's sentences, drops its furniture and gives its published day, title, author and language,
page by page and as one folder of saved pages from many sites (`rasd extract FOLDER`, which learns
furniture across pages).
bench/bench_unseen_pages.py compares the same pages with bare trafilatura and htmldate."""

from __future__ import annotations

import io
import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from rasd.extract import extract_article
from rasd.monitor.extracting import Page, extract_lines

# The tenth pass's pages (branch pages12): CMSs, site builders, encodings and dead sources of other kinds.
# The eleventh pass's (branch pages13): more CMSs and builders, an app-router page, pages of a dead server.
# The twelfth pass's (branch pages14): more CMSs and builders, charsets and digits, whole-post listings.
FOLDERS = tuple(Path(__file__).parent / "pages" / name for name in ("unseen", "unseen12", "unseen13", "unseen14"))
CASES: list[dict[str, Any]] = [
    {**case, "folder": folder}
    for folder in FOLDERS
    for case in tomllib.loads((folder / "expectations.toml").read_text(encoding="utf-8"))["pages"]
]
FETCHED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def _page(case: dict[str, Any]) -> Page:
    path = case["folder"] / case["file"]
    fetched = datetime.fromisoformat(case["fetched_at"]) if "fetched_at" in case else FETCHED
    return Page(str(path), case["url"] or path.resolve().as_uri(), path.read_bytes(), fetched)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _check(case: dict[str, Any], record: dict[str, Any]) -> None:
    """`record`: what `rasd extract --json` prints for the page; for a homepage of teasers (`story =
    false`), that it has no article text."""
    if not case.get("story", True):  # a page Rasd still gives as a story has `known_misses = ["story"]`
        assert ("error" in record and not record.get("text")) != ("story" in case.get("known_misses", []))
        return
    text = _squeezed(record.get("text") or "")
    if case["date"]:
        day_right = record["date"] is not None and datetime.fromisoformat(record["date"]).date() == date.fromisoformat(
            case["date"]
        )
    else:  # the page gives no published day (a copyright year is not one)
        day_right = record["date"] is None
    right = {
        "kept": [s for s in case["must_contain"] if _squeezed(s) not in text] == [],
        "leaked": [s for s in case["must_not_contain"] if _squeezed(s) in text] == [],
        "date": day_right,
        # printed above the text, not in it; its spaces of any kind (a Japanese headline's ideographic space)
        "title": _squeezed(record["title"]) == _squeezed(case["title"])
        and case["title"] not in (record.get("text") or "").splitlines(),
        "author": (record["author"] or "") == case["author"],
        "lang": record["lang"] == (case["lang"] if case["lang"] in ("ar", "fr", "en") else "und"),
    }
    # What Rasd still gets wrong on a page (`known_misses`, README "Pages of other kinds"): asserted wrong, so
    # that a fix shows here and the page's expectation is then asserted in full.
    misses = set(case.get("known_misses", []))
    assert {field: ok for field, ok in right.items() if field not in misses and not ok} == {}
    assert {field for field in misses if right[field]} == set()


@pytest.mark.parametrize("case", CASES, ids=[f"{case['folder'].name}/{case['file']}" for case in CASES])
def test_an_unseen_page_keeps_its_story_and_its_metadata(case: dict[str, Any]) -> None:
    page = _page(case)
    assert page.body is not None
    article = extract_article(page.body, page.url, page.fetched_at)
    if not case.get("story", True):
        assert (article is None) != ("story" in case.get("known_misses", []))
        return
    assert article is not None
    _check(case, article.as_json())


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_a_folder_of_pages_from_many_sites_loses_no_sentence(folder: Path) -> None:
    """One `rasd extract` over all the pages: the same story saved as several pages (its AMP, print and
    paywalled copies; the pages without an address grouped by their folder) shares its sentences, and
    those are the story, not furniture to learn."""
    cases = [case for case in CASES if case["folder"] == folder]
    output = io.StringIO()
    extract_lines([_page(case) for case in cases], output, report=lambda line: None)
    for case, line in zip(cases, output.getvalue().splitlines(), strict=True):
        _check(case, json.loads(line))


def test_a_page_that_shows_its_story_is_not_replaced_by_its_application_state() -> None:
    """A server-rendered Next.js page prints its story, and its state holds the next stories of an endless
    scroll as well: the longest list there is all of them, and the page's own text is the story."""
    stories = [
        [
            "The harbour master of Kelby said the new pontoon will open to small boats before the spring tides.",
            "Fishermen had waited four winters for a berth that does not dry out at low water.",
        ],
        [
            "A bakery in Orrin Street has started selling yesterday's bread at half price from a hatch in the wall.",
            "The owner said nothing had gone in the bin since the hatch opened in October.",
        ],
        [
            "Volunteers in Tarn Vale repainted the village hall in a weekend and found a mural under the old plaster.",
            "The parish council will ask an art historian to look at it before deciding what to do.",
        ],
    ]
    state = {
        "props": {"pageProps": {"feed": [{"body": [{"type": "paragraph", "text": p} for p in s]} for s in stories]}}
    }
    html = (
        "<html><head><meta charset='utf-8'><title>Kelby pontoon</title></head><body><div id='__next'><article>"
        "<h1>Kelby gets its pontoon</h1>" + "".join(f"<p>{p}</p>" for p in stories[0]) + "</article></div>"
        f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(state)}</script></body></html>"
    )
    article = extract_article(html.encode(), "https://kelby-news.example/pontoon", FETCHED)
    assert article is not None
    assert article.text.splitlines() == stories[0]


def test_a_deep_state_does_not_lose_a_page_that_shows_its_story() -> None:
    """A state nested deeper than Python's recursion limit raises RecursionError from json.loads (not a
    ValueError): the page's own HTML story, which the state was never needed for, is lost with it."""
    story = "".join(
        f"<p>La coopérative féminine Tifaout de Tiznit a ouvert un atelier de couscous, paragraphe {n}.</p>"
        for n in range(6)
    )
    page = (
        "<html><head><title>Une coopérative à Tiznit</title></head><body><article><h1>Une coopérative à Tiznit</h1>"
        + story
        + "</article><script id='__NEXT_DATA__' type='application/json'>"
        + "[" * 5000
        + "]" * 5000
        + "</script></body></html>"
    ).encode()
    article = extract_article(page, "https://kelby-news.example/2025/10/01/cooperative", FETCHED)
    assert article is not None and "Tifaout" in article.text


def _next_page(shown: str, state: object) -> bytes:
    return (
        "<html><head><title>Vidéo : la foire</title></head><body><div id='__next'>" + shown + "</div>"
        "<script id='__NEXT_DATA__' type='application/json'>" + json.dumps(state) + "</script></body></html>"
    ).encode()


def test_a_short_page_does_not_take_a_related_story_from_its_state() -> None:
    """A video page shows one line; its state holds its own short excerpt and a related story's body: the
    body is the page's story's (its object's title is the page's), and there is none."""
    related = [
        f"Le conseil communal de Settat a voté le budget de l'année prochaine, paragraphe {n}." for n in range(6)
    ]
    state = {
        "props": {
            "pageProps": {
                "article": {"title": "Vidéo : la foire", "excerpt": "Regardez la vidéo."},
                "related": [{"title": "Budget de Settat", "body": related}],
            }
        }
    }
    page = _next_page("<h1>Vidéo : la foire</h1><p>Regardez la vidéo.</p>", state)
    article = extract_article(page, "https://kelby-news.example/video/la-foire", FETCHED)
    assert article is None or "Settat" not in article.text


def test_a_page_printing_no_byline_is_not_given_a_related_storys_author() -> None:
    """The state's author is its story's (the object titled as the page is), not the latest-news rail's
    before it."""
    story = "".join(
        f"<p>La coopérative féminine Tifaout de Tiznit a ouvert un atelier de couscous, paragraphe {n}.</p>"
        for n in range(6)
    )
    state = {
        "props": {
            "pageProps": {
                "latest": [{"title": "Budget de Settat", "author": {"name": "Karim Bennani"}}],
                "article": {"title": "Une coopérative à Tiznit", "author": {"name": "Salma Idrissi"}},
            }
        }
    }
    page = (
        "<html><head><title>Une coopérative à Tiznit</title></head><body><article><h1>Une coopérative à Tiznit</h1>"
        + story
        + "</article><script id='__NEXT_DATA__' type='application/json'>"
        + json.dumps(state)
        + "</script></body></html>"
    ).encode()
    article = extract_article(page, "https://kelby-news.example/2025/10/01/cooperative", FETCHED)
    assert article is not None and article.author == "Salma Idrissi"


def test_a_nuxt_shell_page_is_not_given_a_related_storys_summary() -> None:
    """Of `window.__NUXT__`'s strings, only those of the object titled as the page is (its short title:
    the page's begins with it) are its story: a related story's description is not appended to it."""
    own = [
        f"La coopérative féminine Tifaout de Tiznit a ouvert un atelier de couscous, paragraphe {n}." for n in range(4)
    ]
    related = "Le conseil communal de Settat a voté le budget de l'année prochaine hier soir."
    arguments = ",".join(f'"{text}"' for text in [*own, related])
    script = (
        'window.__NUXT__=(function(a,b,c,d,e){return {data:[{article:{title:"Une coopérative",'
        'author:{name:"Salma Idrissi"},body:[a,b,c,d]},related:[{title:"Settat",description:e,'
        'author:{name:"Karim Bennani"}}]}]}}(' + arguments + "));"
    )
    page = (
        "<html><head><title>Une coopérative à Tiznit</title></head><body><div id='__nuxt'></div><script>"
        + script
        + "</script></body></html>"
    ).encode()
    article = extract_article(page, "https://kelby-news.example/2025/10/01/cooperative", FETCHED)
    assert article is not None and article.text.splitlines() == own and article.author == "Salma Idrissi"


def _story_page(title: str, head: str = "", url_title: str | None = None) -> bytes:
    paragraphs = "".join(
        f"<p>{sentence}</p>"
        for sentence in (
            "Le site internet de la commune de Sidi Bennour est resté inaccessible pendant trois jours cette semaine.",
            "Les habitants qui voulaient télécharger un formulaire d'état civil tombaient sur une page d'erreur.",
            "La commune explique la panne par le changement de son hébergeur et promet un retour à la normale lundi.",
            "En attendant, les formulaires sont disponibles au guichet de la mairie aux heures habituelles.",
        )
    )
    return (
        f'<html lang="fr"><head><meta charset="utf-8"><title>{url_title or title} - Doukkala Info</title>{head}'
        f"</head><body><article><h1>{title}</h1><p class='date'>Le 4 mars 2025</p>{paragraphs}</article></body></html>"
    ).encode()


def test_a_story_about_an_error_page_is_still_a_story() -> None:
    """A headline that speaks of a 404 ("Erreur 404 : …") is a story; only a page whose whole `<h1>` (or,
    without one, its `<title>` before the site's name) is a "not found" phrase says it has none."""
    article = extract_article(
        _story_page("Erreur 404 : le site de la commune en panne depuis trois jours"),
        "https://www.doukkala-info.example/societe/site-commune-panne",
        FETCHED,
    )
    assert article is not None and article.title.startswith("Erreur 404")
    not_found = extract_article(
        _story_page("Page introuvable"), "https://www.doukkala-info.example/ancienne-adresse", FETCHED
    )
    assert not_found is None


def test_a_story_about_a_site_in_maintenance_is_still_a_story() -> None:
    """A headline that speaks of maintenance, a contact or a domain for sale is a story; a page whose whole
    heading (or `<title>` beside the site's name) is "Site en maintenance", "Contact" or the bare domain name
    (a parking page's) has none (tests/pages/unseen12: maintenance, contact and parked pages)."""
    url = "https://www.doukkala-info.example/societe/site-commune-maintenance"
    for headline in (
        "Le site de la commune en maintenance depuis trois jours",
        "Contact rétabli avec le site de la commune",
        "Le domaine de la commune est à vendre, selon un registraire",
    ):
        article = extract_article(_story_page(headline), url, FETCHED)
        assert article is not None and article.title == headline
    for headline in ("Site en maintenance", "Contactez-nous", "اتصل بنا", "www.doukkala-info.example"):
        assert extract_article(_story_page(headline), url, FETCHED) is None, headline
    titled = _story_page("Nouvelles", url_title="Ce domaine est peut-être à vendre !")
    assert extract_article(titled, url, FETCHED) is None


def test_a_story_headed_by_an_h2_whose_title_starts_with_a_404_is_still_a_story() -> None:
    """Without an `<h1>` (a theme that heads its stories with an `<h2>`), the `<title>` says whether the page
    is a "not found" one: only when the rest of it is the site's name ("Page introuvable - Doukkala Info"),
    not a headline's words ("Erreur 404 - le site de la commune en panne | Doukkala Info" was dropped)."""

    def page(title: str) -> bytes:
        story = _story_page("Le site de la commune en panne").decode()
        story = story.replace("<h1>", "<h2 class='entry-title'>").replace("</h1>", "</h2>")
        return story.replace("Le site de la commune en panne - Doukkala Info", title).encode()

    url = "https://www.doukkala-info.example/societe/site-commune-panne"
    story = extract_article(page("Erreur 404 - le site de la commune en panne | Doukkala Info"), url, FETCHED)
    assert story is not None and "Sidi Bennour" in story.text
    arabic = extract_article(page("خطأ 404 - موقع الجماعة معطل منذ ثلاثة أيام | دكالة أنفو"), url, FETCHED)
    assert arabic is not None
    for title in ("Page introuvable - Doukkala Info", "Page non trouvée - Doukkala Info - Actualités régionales"):
        assert extract_article(page(title), url, FETCHED) is None, title


def test_a_story_page_with_a_shop_block_is_still_a_story() -> None:
    """A JSON-LD `Product` beside the page's `NewsArticle` (a story with its cooperative's shop card) leaves it a
    story; a page declaring a product and no article is a shop's."""
    graph = (
        '<script type="application/ld+json">[{"@type": "NewsArticle", "headline": "Panne"},'
        ' {"@type": "Product", "name": "Huile d\'argan"}]</script>'
    )
    url = "https://www.doukkala-info.example/societe/site-commune-panne"
    assert extract_article(_story_page("Le site de la commune en panne", graph), url, FETCHED) is not None
    product = '<script type="application/ld+json">{"@type": "Product", "name": "Huile d\'argan"}</script>'
    assert extract_article(_story_page("Le site de la commune en panne", product), url, FETCHED) is None


def test_an_arabic_subheading_under_the_headline_is_no_byline() -> None:
    """A short line under the headline that starts with a byline's word is its author's name only when the
    name can be told: capitals ("Par Élodie Guérin", not "Par ailleurs…"), or, in Arabic, which has none,
    "بقلم" or a colon. "إعداد المخطط الجهوي للتنمية" (the preparation of the regional plan) was the author."""

    def author(line: str) -> str | None:
        paragraphs = "".join(
            f"<p>{text}</p>"
            for text in (
                "أعلنت جماعة تيزنيت، يوم الخميس، عن إطلاق برنامج جديد لدعم التعاونيات النسائية بالإقليم.",
                "ويهدف البرنامج، الذي رصد له غلاف مالي قدره مليونا درهم، إلى تجهيز ورشات العمل وتكوين المنخرطات.",
                "وقالت رئيسة إحدى التعاونيات المستفيدة إن هذا الدعم سيمكن من الرفع من الإنتاج وولوج أسواق جديدة.",
            )
        )
        page = (
            '<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>تيزنيت: برنامج لدعم التعاونيات</title>'
            f"</head><body><article><h1>تيزنيت: برنامج لدعم التعاونيات</h1><p>{line}</p>{paragraphs}</article>"
            "</body></html>"
        )
        article = extract_article(page.encode(), "https://www.souss.example/tiznit-programme", FETCHED)
        assert article is not None
        return article.author

    assert author("إعداد المخطط الجهوي للتنمية") is None
    assert author("إعداد: سعيد أوحساين") == "سعيد أوحساين"
    assert author("Par Élodie Guérin") == "Élodie Guérin"


def test_a_story_declared_an_article_with_a_review_boxs_product_is_still_a_story() -> None:
    """A page whose Open Graph type is "article" and whose only JSON-LD article-like thing is a review box's
    `Product` (an SEO plugin that writes no `NewsArticle`) is a story: it was dropped as a shop's page. It is a
    shop's only when the product is the page's `<h1>` (a shop whose plugin calls every page an article)."""
    url = "https://www.doukkala-info.example/economie/huile-argan-export"
    title = "Une coopérative de Sidi Bennour exporte son huile d'argan"

    def page(product: str) -> bytes:
        head = (
            '<meta property="og:type" content="article">'
            f'<script type="application/ld+json">{{"@type": "Product", "name": "{product}",'
            ' "review": {"@type": "Review", "reviewRating": {"ratingValue": "4.5"}}}</script>'
        )
        return _story_page(title, head)

    assert extract_article(page("Huile d'argan Tifaout 250 ml"), url, FETCHED) is not None
    assert extract_article(page(title), url, FETCHED) is None


def test_a_share_buttons_excerpt_in_a_data_attribute_is_not_a_paragraph() -> None:
    """A lazy theme's paragraph in a `data-*` attribute is written in; a share button's copy of the excerpt
    beside the story's paragraphs (ShareThis' `data-description`) is not a paragraph of it."""
    shown = [
        "La coopérative Al Amal de Khémisset lance une formation gratuite à la fabrication de savon.",
        "La formation durera six semaines et se tiendra dans les locaux de la coopérative, route de Tiflet.",
    ]
    later = (
        "Les participantes pourront ensuite rejoindre la coopérative ou créer leur propre activité avec un conseiller."
    )
    excerpt = (
        "La coopérative Al Amal de Khémisset lance une formation gratuite à la fabrication de savon pour les jeunes…"
    )
    page = (
        "<html><head><title>Khémisset : une formation à la savonnerie</title></head><body><article>"
        "<h1>Khémisset : une formation à la savonnerie</h1>"
        + "".join(f"<p>{p}</p>" for p in shown)
        + f"<div class='lazy-paragraph' data-paragraph='{later}'></div>"
        + f"<div class='sharethis-inline-share-buttons' data-description='{excerpt}'></div>"
        "</article></body></html>"
    ).encode()
    article = extract_article(page, "https://zemmour-info.example/khemisset-savonnerie", FETCHED)
    assert article is not None
    assert article.text.splitlines() == [*shown, later]


def _flight_page(pushes: list[str], title: str) -> bytes:
    scripts = "".join(f"<script>self.__next_f.push([1,{json.dumps(chunk)}])</script>" for chunk in pushes)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title><meta property='og:title' content='{title}'>"
        "</head><body><main><div class='skeleton'>Chargement…</div></main>"
        f"<script>(self.__next_f=self.__next_f||[]).push([0])</script>{scripts}</body></html>"
    ).encode()


def test_an_app_router_page_gives_the_story_its_flight_rows_carry_in_a_text_row() -> None:
    """Next.js's app router streams a client component's props as React flight rows; a long body is a text
    row (`9:T<length in UTF-8 bytes>,…`, no line end) that the story's row refers to as `"$9"`, and the rows
    are cut across pushes anywhere. The story is the object titled as the page is, not the related one."""
    body = "".join(
        f"<p>La coopérative laitière d'Aïn Leuh a collecté {n} mille litres de lait en novembre, un record.</p>"
        for n in range(2, 8)
    )
    related = {"title": "Ifrane : la neige ferme deux routes", "body": "<p>" + "Une route fermée. " * 10 + "</p>"}
    title = "Aïn Leuh : la coopérative laitière bat son record"
    story = {"title": title, "body": "$9", "author": {"name": "Nora Saïdi"}}
    rows = (
        '1:HL["/_next/static/css/a.css","style"]\n'
        f"9:T{len(body.encode()):x},{body}"
        f"7:{json.dumps(['$', '$L5', None, {'related': [related], 'article': story}], ensure_ascii=False)}\n"
    )
    cut = len(rows) // 2
    page = _flight_page([rows[:cut], rows[cut:]], title)
    article = extract_article(page, "https://moyen-atlas.example/actualites/ain-leuh-record", FETCHED)
    assert article is not None
    assert article.text.splitlines() == [
        f"La coopérative laitière d'Aïn Leuh a collecté {n} mille litres de lait en novembre, un record."
        for n in range(2, 8)
    ]
    assert article.author == "Nora Saïdi" and article.title == title
