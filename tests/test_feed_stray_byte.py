"""A UTF-8 feed with one stray byte is read as UTF-8, that byte aside: it was read whole as windows-1256
(the fallback for a feed whose bytes are not the UTF-8 it declares), every Arabic title came out garbled
("طھط¹ط§ظˆظ†ظٹط©" for "تعاونية") and every story with an Arabic address was fetched at one that does not
exist. A feed that really is windows-1256 under a UTF-8 declaration is still read as windows-1256."""

from __future__ import annotations

from rasd.crawler.discovery import parse_feed, parse_sitemap

TITLES = (
    "تعاونية نسائية للأركان بتيزنيت",
    "Coopérative féminine d'Aït Baha : une foire régionale",
    "معرض جهوي للاقتصاد التضامني",
)


def _feed(titles: tuple[str, ...]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>https://tiznit.example/تعاونية-{number}/</link></item>"
        for number, title in enumerate(titles)
    )
    channel = f"<channel><title>تيزنيت</title>{items}</channel>"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'


def test_a_utf8_feed_with_one_stray_byte_keeps_its_arabic_titles_and_addresses() -> None:
    body = _feed(TITLES).encode("utf-8").replace(b"foire", b"foire\xa0")  # a windows-1252 no-break space

    entries = parse_feed(body, {}, "https://tiznit.example/feed/")

    assert [entry.url for entry in entries] == [f"https://tiznit.example/تعاونية-{number}/" for number in range(3)]
    assert [entry.title for entry in entries] == [TITLES[0], TITLES[1].replace("foire", "foire\ufffd"), TITLES[2]]


def test_a_windows_1256_feed_declaring_utf8_is_still_read_as_windows_1256() -> None:
    entries = parse_feed(_feed(TITLES).encode("windows-1256"), {}, "https://tiznit.example/feed/")

    assert [entry.title for entry in entries] == list(TITLES)


def test_a_french_windows_1252_feed_declaring_utf8_keeps_its_capitals() -> None:
    """windows-1256, the fallback, has the French small letters where windows-1252 has them, not the
    capitals: a French site's feed came out "ہ Agadir" and "ةconomie sociale"."""
    titles = ("À Agadir, la foire des coopératives créées cette année", "Économie sociale : l'INDH à Tiznit")

    entries = parse_feed(_feed(titles).encode("windows-1252", errors="ignore"), {}, "https://tiznit.example/feed/")

    assert [entry.title for entry in entries] == list(titles)


def test_a_byte_order_mark_wins_over_a_stale_encoding_declaration() -> None:
    """A UTF-8 feed (or sitemap) that starts with a byte-order mark and still declares windows-1256 (an
    old template's line kept after the move to UTF-8) is UTF-8: the mark names the encoding (XML 1.0,
    appendix F). Its titles were stored garbled, read in the declared encoding."""
    declared = _feed(TITLES).replace('encoding="UTF-8"', 'encoding="windows-1256"')
    for mark, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")):
        entries = parse_feed(mark + declared.encode(encoding), {}, "https://tiznit.example/feed/")

        assert [entry.title for entry in entries] == list(TITLES)
        assert [entry.url for entry in entries] == [f"https://tiznit.example/تعاونية-{n}/" for n in range(3)]

    urlset = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://tiznit.example/تعاونية-0/</loc></url></urlset>'
    sitemap = b"\xef\xbb\xbf" + f'<?xml version="1.0" encoding="windows-1256"?>{urlset}'.encode()

    assert [entry.url for entry in parse_sitemap(sitemap, "https://tiznit.example/sitemap.xml").entries] == [
        "https://tiznit.example/تعاونية-0/"
    ]
