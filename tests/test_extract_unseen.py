"""Extraction on layouts Rasd's theme fixtures do not have (issue 15): pages written here, each with the
cause that made a real page lose its article or keep its furniture."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from rasd.extract import extract_article

FETCHED = datetime(2025, 11, 5, 9, 0, tzinfo=UTC)
PARAGRAPHS = [
    "قدمت تعاونية تيفاوت النسائية بجماعة تافراوت منتجاتها من زيت الأركان للزوار خلال المعرض الجهوي للاقتصاد الاجتماعي.",
    "وقالت رئيسة التعاونية إن المعرض مكن العضوات من ربط علاقات مع تجار من أكادير ومراكش، في انتظار ولوج أسواق جديدة.",
    "وتضم التعاونية ثلاثين امرأة من الدواوير المجاورة، ويشتغلن طيلة السنة في جمع الثمار وعصرها وتعبئة الزيت.",
]


def test_an_article_written_as_br_separated_text_is_found() -> None:
    """No <p>, no <article>: text and <br>s in a <div>. trafilatura's precision pass finds nothing there
    and Rasd answered "no article text found"; the recall pass finds it."""
    body = "<br><br>".join(PARAGRAPHS)
    html = (
        "<html><head><meta charset='utf-8'><title>تافراوت: تعاونية نسائية في المعرض الجهوي</title></head><body>"
        "<div id='nav'><a href='/'>الرئيسية</a> <a href='/souss'>جهات</a></div>"
        f"<div class='txt'>{body}</div></body></html>"
    )
    article = extract_article(html.encode(), "https://old-site.example/news.php?id=12", FETCHED)
    assert article is not None
    assert all(paragraph in article.text for paragraph in PARAGRAPHS)
    assert "الرئيسية" not in article.text


def _page(title: str, body: str, heading: bool = True) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><meta property='og:title' content='{title}'>"
        f"<title>{title} - Souss Plus</title></head><body><div class='site'>Souss Plus</div>"
        f"<article>{f'<h1>{title}</h1>' if heading else ''}{body}</article></body></html>"
    ).encode()


def test_a_lead_that_opens_with_the_title_keeps_its_words() -> None:
    """Some sites write the lead as the title continued: the title's words are the paragraph's own."""
    title = "Tiznit: une coopérative féminine lance sa marque"
    lead = (
        "Tiznit: une coopérative féminine lance sa marque de couscous aux céréales locales, a annoncé sa présidente"
        " lors de la foire régionale de l'économie sociale et solidaire."
    )
    rest = "Les trente adhérentes vendront d'abord dans les épiceries de la région Souss-Massa avant l'été prochain."
    for heading in (True, False):  # the title printed above the lead, or only in the page's metadata
        page = _page(title, f"<p>{lead}</p><p>{rest}</p>", heading)
        article = extract_article(page, "https://souss.example/a/1", FETCHED)
        assert article is not None
        assert article.title == title
        assert article.text.splitlines()[0] == lead
        assert rest in article.text


def test_the_title_repeated_as_the_first_line_goes() -> None:
    title = "أكادير: تعاونية نسائية تطلق علامة للكسكس"
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = extract_article(_page(title, f"<p>{title}</p>{body}"), "https://souss.example/a/2", FETCHED)
    assert article is not None
    assert article.text.splitlines()[0] == PARAGRAPHS[0]


def test_a_paragraph_the_precision_pass_drops_inside_the_article_is_kept() -> None:
    """A paragraph written as a page builder's <div> inside the article: trafilatura's precision pass
    drops it, its recall pass keeps it; what lies outside the article (the slogan, "اقرأ أيضا" and its
    headlines, the footer) stays out."""
    quote = "لقد تغيرت حياتنا منذ تأسيس التعاونية، وصرنا نساهم في مصاريف البيت وتعليم الأبناء."
    html = (
        "<html><head><meta charset='utf-8'></head><body><div class='top'><a href='/'>الموقع</a> | "
        "<a href='/c'>جهات</a></div><div class='slogan'>صوت الجنوب الحر</div>"
        f"<article><h1>تافراوت: نساء الأركان في المعرض الجهوي</h1><p>{PARAGRAPHS[0]}</p>"
        f"<div class='wp-block'>{quote}</div><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p></article>"
        "<div class='more'><p>اقرأ أيضا</p><p>إنزكان: تجار سوق الجملة يحتجون على قرار جديد للمجلس الجماعي</p></div>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    article = extract_article(html.encode(), "https://souss.example/a/3", FETCHED)
    assert article is not None
    assert article.text.splitlines() == [PARAGRAPHS[0], quote, PARAGRAPHS[1], PARAGRAPHS[2]]


def test_a_data_table_inside_a_layout_table_stays_a_table() -> None:
    """The page grid becomes <div>s; the article's table of figures (rows of short cells, two columns
    and more, no links) is still read as a table."""
    figures = "".join(
        f"<tr><td>{place}</td><td>{count}</td><td>{amount}</td></tr>"
        for place, count, amount in (("Azilal", 48, "14,2"), ("Fquih Ben Salah", 31, "9,5"), ("Khouribga", 27, "8,1"))
    )
    lead = (
        "Le comité régional de l'INDH a validé quatre-vingt-dix projets générateurs de revenus portés par des"
        " coopératives et des associations de la région."
    )
    html = (
        "<html><head><meta charset='utf-8'><title>Béni Mellal : 90 projets INDH validés</title></head><body>"
        "<table width='100%'><tr><td colspan='2'><b>Tadla Info</b><br>Le journal de la région</td></tr>"
        "<tr><td width='150'><a href='/'>Accueil</a><br><a href='/r'>Région</a><br><a href='/s'>Sport</a></td>"
        f"<td><h1>Béni Mellal : 90 projets INDH validés</h1><p>{lead}</p>"
        "<table><tr><th>Province</th><th>Projets</th><th>Millions de dirhams</th></tr>" + figures + "</table>"
        "<p>Les projets seront accompagnés pendant deux ans par les plateformes provinciales des jeunes.</p>"
        "</td></tr></table></body></html>"
    )
    article = extract_article(html.encode(), "https://tadla.example/article/7", FETCHED)
    assert article is not None
    lines = article.text.splitlines()
    assert lines[0] == lead
    assert any("Fquih Ben Salah" in line and "9,5" in line and "|" in line for line in lines)  # a table row
    assert not any("Accueil" in line or "Tadla Info" in line for line in lines)


_CONTINUED_FR = [
    "La coopérative Tafoukt de Tiznit a ouvert mardi un atelier de couscous aux céréales locales, financé par l'INDH.",
    "Selon sa présidente, les vingt-deux adhérentes vendaient jusqu'ici leurs produits au souk hebdomadaire seulement.",
    "L'atelier leur permet désormais de livrer trois épiceries d'Agadir et de participer au salon régional de l'ESS.",
]


def _teaser_page(story: list[str], shown: int, declared: str | None, extra: str = "") -> bytes:
    article = {"@type": "NewsArticle", "headline": "Tiznit : un atelier de couscous", "articleBody": declared}
    ld = json.dumps(article) if declared else "{}"
    body = "".join(f"<p>{p}</p>" for p in story[:shown])
    return (
        "<html><head><meta charset='utf-8'><title>Tiznit : un atelier de couscous</title>"
        f"<script type='application/ld+json'>{ld}</script></head><body><nav><a href='/'>Accueil</a></nav>"
        f"<article><h1>Tiznit : un atelier de couscous</h1>{body}{extra}</article></body></html>"
    ).encode()


def test_a_page_showing_the_opening_gives_the_story_its_json_ld_declares() -> None:
    """A page that prints the lead (the rest loaded by script) but declares the whole story in JSON-LD:
    the story is the declared one, not its first paragraph."""
    as_markup = "".join(f"<p>{p}</p>" for p in _CONTINUED_FR)
    with_control = as_markup.replace(" ", "\u0001 ", 1)  # legal in JSON: lxml refused it and the page was lost
    for declared in ("\n".join(_CONTINUED_FR), as_markup, with_control):  # text or markup
        article = extract_article(_teaser_page(_CONTINUED_FR, 1, declared), "https://tiznit.example/a/2", FETCHED)
        assert article is not None
        assert article.text.splitlines() == _CONTINUED_FR


def test_a_declared_body_of_another_story_or_a_summary_changes_nothing() -> None:
    """What the page shows stays the story when the JSON-LD body is shorter (a summary), another story's
    (a related article), or one of several articles' bodies."""
    other = " ".join(["Le conseil communal d'Agadir a adopté le budget de l'année prochaine en session ordinaire."] * 4)
    for declared in (_CONTINUED_FR[0], other):
        article = extract_article(_teaser_page(_CONTINUED_FR, 3, declared), "https://tiznit.example/a/3", FETCHED)
        assert article is not None
        assert article.text.splitlines() == _CONTINUED_FR


def test_a_continuation_folded_behind_read_more_is_part_of_the_story() -> None:
    """The theme prints the story's second half hidden, opened by a "Lire la suite" button (or a control
    naming it): trafilatura drops hidden elements, and Rasd stored the first half only."""
    continuation = f"<div id='suite' style='display: none'><p>{_CONTINUED_FR[1]}</p><p>{_CONTINUED_FR[2]}</p></div>"
    for control in ("<button class='more'>Lire la suite</button>", "<a class='toggle' href='#suite'>+</a>"):
        page = _teaser_page(_CONTINUED_FR, 1, None, continuation + control)
        article = extract_article(page, "https://tiznit.example/a/4", FETCHED)
        assert article is not None
        assert article.text.splitlines() == _CONTINUED_FR


def test_hidden_pop_ups_and_mobile_copies_stay_hidden() -> None:
    """A hidden element nothing offers to open (a newsletter pop-up), or a hidden second copy of the story
    for phones, is not part of the text."""
    popup = (
        "<div class='modal hidden'><p>Inscrivez-vous à notre lettre d'information pour recevoir chaque matin"
        " les nouvelles de votre région.</p></div>"
    )
    copy = "<div class='mobile' style='display:none'>" + "".join(f"<p>{p}</p>" for p in _CONTINUED_FR) + "</div>"
    opened = popup.replace("class='modal hidden'", "id='nl' class='modal hidden'")
    for extra in (
        popup,
        copy + "<button>Lire la suite</button>",
        opened + "<button data-target='#nl'>S'inscrire</button>",
    ):
        article = extract_article(_teaser_page(_CONTINUED_FR, 3, None, extra), "https://tiznit.example/a/5", FETCHED)
        assert article is not None
        assert article.text.splitlines() == _CONTINUED_FR


def test_a_french_page_in_windows_1252_behind_a_lying_header_keeps_its_accents() -> None:
    """trafilatura's detector ranks windows-1257 first for this text; Moroccan pages are Arabic or Western
    European, so windows-1252, its second guess, is read."""
    line = "Les femmes de la coopérative qu’à Tiznit on appelle « les pionnières » ont même obtenu un label."
    then = "Leur prochaine étape : une boutique en ligne, qu’elles préparent déjà avec l’aide d’une association."
    page = (
        "<html><head><meta charset='utf-8'><title>Tiznit</title></head><body><article><h1>Titre</h1>"
        f"<p>{line}</p><p>{then}</p></article></body></html>"
    ).encode("cp1252")
    article = extract_article(page, "https://tiznit.example/a/6", FETCHED)
    assert article is not None
    assert article.text.splitlines() == [line, then]


def test_a_declared_date_days_after_the_permalinks_gives_way_to_it() -> None:
    """A CMS migration stamps old stories with its own day: a declared date two or more days after the
    permalink's gives way to it. One day after is kept: a story published at 00:30 in Morocco is on the
    previous day in a permalink written in UTC, and the declared date has its time."""
    html = (
        "<html><head><meta charset='utf-8'><title>Tafraout</title>"
        "<meta property='article:published_time' content='2025-03-03T00:30:00+01:00'></head><body><article>"
        "<h1>Tafraout</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
    ).encode()
    found = {}
    for day in ("2025/03/02", "2019/03/12"):
        article = extract_article(html, f"https://souss.example/{day}/tafraout/", FETCHED)
        assert article is not None and article.date is not None
        found[day] = (article.date.date().isoformat(), article.date_source)
    assert found == {
        "2025/03/02": ("2025-03-03", "meta:article:published_time"),
        "2019/03/12": ("2019-03-12", "url"),
    }


def test_a_list_of_other_sites_is_not_teasers() -> None:
    """Headlines with an excerpt linking away are a list's items (cooperatives and their sites), not teasers
    of the site's other stories, whose lines the story's text leaves out; linking within the site, they are."""
    from rasd.extract.listing import teaser_lines
    from rasd.extract.parsing import load_page

    def page(link: str) -> bytes:
        items = "".join(
            f"<div class='item'><h3><a href='{link.format(n=n)}'>Coopérative {n}</a></h3><p>{p}</p></div>"
            for n, p in enumerate(PARAGRAPHS)
        )
        return f"<html><body><article><h1>Trois coopératives</h1>{items}</article></body></html>".encode()

    url = "https://souss.example/trois-cooperatives"
    assert teaser_lines(load_page(page("https://coop{n}.example/")), url).count == 0
    assert teaser_lines(load_page(page("/news/{n}")), url).count == 3
    assert teaser_lines(load_page(page("https://souss.example/news/{n}")), url).count == 3


def test_a_story_made_of_a_list_of_the_sites_pages_is_a_story() -> None:
    """Ten cooperatives, each a heading linking to the site's page on it and a paragraph, look like a
    homepage's teasers; a page that says it is one story (its items in the `<article>` holding its `<h1>`,
    Open Graph's type article, a JSON-LD article headed by its `<h1>`) is one, items included. The same
    page saying none of it is a listing."""
    title = "Dix coopératives qui font vivre l'économie sociale dans le Souss"
    items = "".join(
        f"<section class='wp-block-group'><h2><a href='https://site.ma/cooperatives/coop-{i}'>{i}. Coopérative "
        f"Tifawin {i} à Taroudant</a></h2><p>La coopérative {i} réunit quarante femmes qui produisent de l'huile "
        "d'argan et vendent leurs produits dans les souks de la région, avec le soutien de l'INDH depuis 2019.</p>"
        "</section>"
        for i in range(1, 11)
    )
    lead = "<p>De Taroudant à Tiznit, les coopératives féminines portent l'économie sociale de la région.</p>"
    json_ld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{title}"}}</script>'

    def page(head: str, body: str) -> bytes:
        return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>".encode()

    in_article = page("", f"<article><h1>{title}</h1>{lead}{items}</article>")
    unmarked = f"<main><h1>{title}</h1>{lead}<div class='entry-content'>{items}</div></main>"
    url = "https://site.ma/2026/11/24/dix-cooperatives-souss"
    open_graph = page("<meta property='og:type' content='article'>", unmarked)
    for declared in (in_article, open_graph, page(json_ld, unmarked)):
        article = extract_article(declared, url, FETCHED)
        assert article is not None
        assert "Tifawin 7 " in article.text and "Tifawin 10 " in article.text
    assert extract_article(page("", unmarked), url, FETCHED) is None
    other_headline = json_ld.replace("Dix coopératives", "Cinq coopératives")
    assert extract_article(page(other_headline, unmarked), url, FETCHED) is None


def test_a_past_event_in_the_story_does_not_replace_its_declared_date() -> None:
    """A `<time datetime>` in the story's text is an event it mentions, not its publication: the declared
    date stays. A date in the post's header, before its text, or marked as the publication's, still gives
    the earlier day a CMS migration's declared date hides."""
    title = "La coopérative Tafoukt prépare le salon régional"
    body = "".join(
        f"<p>Paragraphe {i} du reportage sur la coopérative Tafoukt de Tiznit et ses quarante adhérentes, qui "
        "préparent le salon régional de l'économie sociale.</p>"
        for i in range(4)
    )
    event = "<p>Lors du dernier salon, le <time datetime='2025-10-01'>1er octobre 2025</time>, tout fut vendu.</p>"

    def dated(header: str, after: str) -> tuple[str, str | None]:
        page = (
            f"<html><head><title>{title}</title>"
            "<meta property='article:published_time' content='2025-10-24T09:00:00+01:00'>"
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{title}",'
            ' "datePublished": "2025-10-24T09:00:00+01:00"}</script>'
            f"</head><body><article><h1>{title}</h1>{header}{body}{after}</article></body></html>"
        ).encode()
        fetched = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # after its publication: a later date is no page's
        article = extract_article(page, "https://site.ma/societe/cooperative-tafoukt", fetched)
        assert article is not None and article.date is not None
        return article.date.date().isoformat(), article.date_source

    assert dated("", event) == ("2025-10-24", "json-ld")
    assert dated("<time datetime='2025-10-01'>1er octobre 2025</time>", event) == ("2025-10-01", "time-element")
    assert dated("<div class='date'>Publié le 1er octobre 2025</div>", "") == ("2025-10-01", "visible")
    published = "<p>Publié le <time itemprop='datePublished' datetime='2025-10-01'>1er octobre</time></p>"
    assert dated("", published) == ("2025-10-01", "time-element")
