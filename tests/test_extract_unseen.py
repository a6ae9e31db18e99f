"""Extraction on layouts Rasd's theme fixtures do not have (issue 15): pages written here, each with the
cause that made a real page lose its article or keep its furniture."""

from __future__ import annotations

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
