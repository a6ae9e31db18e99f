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
