"""What a feed's entries are read as: link (or a permalink guid), title and date, from RSS 2.0, RSS 1.0 and
Atom alike. feedparser is handed each item's link, guid or id, title and date elements only (the rest it
parsed at ~50 µs an element on the crawl's reactor thread): these feeds carry the others beside them."""

from __future__ import annotations

import pytest

from rasd.crawler.discovery import Entry, UnsafeXml, parse_feed, parse_sitemap

RSS2 = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
<item><title>A &amp; B &lt;i&gt;x&lt;/i&gt;</title><guid>http://x.ma/1</guid><dc:date>2026-11-02T10:00:00Z</dc:date>
<category>c</category><enclosure url="http://x.ma/a.mp3" type="audio/mpeg" length="1"/></item>
<item><guid isPermaLink="false">abc</guid><link>/rel/2</link><pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate>
<description>&lt;p&gt;x&lt;/p&gt;</description><dc:creator>n</dc:creator></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://y.ma/base/"><title>t</title>
<entry><title type="html">&lt;b&gt;T&lt;/b&gt;</title>
<link rel="replies" href="c"/><link rel="alternate" href="post-1"/>
<id>urn:1</id><updated>2026-11-02T10:00:00Z</updated><published>2026-11-01T10:00:00Z</published>
<author><name>n</name></author><summary>s</summary></entry>
<entry xml:base="http://z.ma/"><title>U</title><link href="p2"/><id>urn:2</id><issued>2026-11-01</issued></entry>
</feed>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<channel rdf:about="http://r.ma/"><title>t</title><link>http://r.ma/</link></channel>
<item rdf:about="http://r.ma/a"><title>R</title><link>http://r.ma/a</link><dc:date>2026-11-03</dc:date>
<dcterms:modified>2026-11-04</dcterms:modified><dc:subject>s</dc:subject></item>
<item rdf:about="http://r.ma/b"><title>R2</title><link>http://r.ma/b</link><dcterms:issued>2026-11-05</dcterms:issued></item>
</rdf:RDF>"""


def test_rss_entries_keep_a_permalink_guid_a_relative_link_and_either_date() -> None:
    assert parse_feed(RSS2, {}, "http://w.ma/feed") == [
        Entry("http://x.ma/1", "A & B <i>x</i>", "2026-11-02T10:00:00Z", "feed"),
        Entry("http://w.ma/rel/2", None, "Mon, 02 Nov 2026 10:00:00 +0000", "feed"),
    ]


def test_atom_entries_keep_the_alternate_link_under_xml_base_and_the_published_date() -> None:
    assert parse_feed(ATOM, {}, "http://w.ma/feed") == [
        Entry("http://y.ma/base/post-1", "<b>T</b>", "2026-11-01T10:00:00Z", "feed"),
        Entry("http://z.ma/p2", "U", "2026-11-01", "feed"),
    ]


def test_rss1_entries_keep_dublin_core_dates() -> None:
    assert parse_feed(RSS1, {}, "http://w.ma/feed") == [
        Entry("http://r.ma/a", "R", "2026-11-04", "feed"),
        Entry("http://r.ma/b", "R2", "2026-11-05", "feed"),
    ]


@pytest.mark.parametrize(
    "page",
    [
        b'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>x</title></head></html>',
        b"\xef\xbb\xbf\n  <!-- cache: hit -->\n<html><head><title>Accueil</title></head><body><p>x</p></body></html>",
    ],
)
def test_a_feed_or_sitemap_address_answering_a_web_page_says_so(page: bytes) -> None:
    """A moved feed often answers the homepage: "malformed XML: syntax error: line 1, column 0" told a person
    nothing they could act on."""
    with pytest.raises(UnsafeXml, match=r"^not a feed: it answered a web page \(HTML\); check its address$"):
        parse_feed(page, {"content-type": "text/html"}, "https://site.example/feed/")
    with pytest.raises(UnsafeXml, match=r"^not a sitemap: it answered a web page \(HTML\)"):
        parse_sitemap(page, "https://site.example/sitemap.xml")
