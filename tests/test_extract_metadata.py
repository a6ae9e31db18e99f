"""Titles as pages declare them: the site's name removed, the headline's own words and separators kept."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from rasd.extract.metadata import page_title, site_name


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
