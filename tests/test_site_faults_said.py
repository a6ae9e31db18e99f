"""Hostile sites a fault script serves, each said in the reader's words in `rasd crawl`'s summary while the
other sources are stored: a feed whose bytes are not the encoding it declares (read, not lost), a redirect
loop, an answer over the size cap and one that never completes. Scrapy's English for the last three ("max
redirections reached", "Expected to receive 50000000 bytes which is larger than download max size (5000000)
in request <GET …>", "Getting URL took longer than 5.0 seconds") was printed as it was inside French and
Arabic lines. Real servers on 127.0.0.x (tests/sites.py)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PLANTED_MAIN, run_planted, run_rasd, write_config
from tests.sites import RSS, XML, Site, homepage, route, rows, rss, sources, stored, stories

ARABIC_TITLE = "تعاونية نسائية للأركان"


def test_hostile_answers_are_said_in_the_readers_words_and_a_misdeclared_feed_is_read(
    sites: list[str], tmp_path: Path
) -> None:
    good, misdeclared, loop, large, slow = sites[:5]
    links = stories(good, "good", 2)
    route(f"{good}/feed/", 200, f'<?xml version="1.0"?><rss><channel>{_items(links)}</channel></rss>'.encode(), RSS)
    # UTF-8 declared, windows-1256 sent (an old CMS behind a new template): the XML parser refused it whole
    odd = stories(misdeclared, "odd", 2)
    feed = f'<?xml version="1.0" encoding="UTF-8"?><rss><channel>{_items(odd, ARABIC_TITLE)}</channel></rss>'
    route(f"{misdeclared}/feed/", 200, feed.encode("windows-1256"), {"Content-Type": "application/rss+xml"})
    route(f"{loop}/feed/", 302, b"", {"Location": f"{loop}/feed2/"})
    route(f"{loop}/feed2/", 302, b"", {"Location": f"{loop}/feed/"})
    route(f"{large}/feed/", 200, b"<rss>" + b" " * 5_000_001 + b"</rss>", RSS)  # over the default cap
    route(f"{slow}/feed/", 200, b"", RSS)
    Site.trickling.add(f"{slow}/feed/".removeprefix("http://"))  # a byte every 0.2 s, never complete
    for base in (good, misdeclared, loop, large, slow):
        route(f"{base}/", 200, homepage(None, []))
    names = ("Good", "Odd", "Loop", "Large", "Slow")
    entries = sources(*((name, base, f'feeds = ["{base}/feed/"]') for name, base in zip(names, sites, strict=False)))
    # a sitemap index whose only child is itself: nothing stored and nothing said, every cycle
    selfish = sites[5]
    route(f"{selfish}/sitemap.xml", 200, _index_of(f"{selfish}/sitemap.xml"), XML)
    listed = stories(selfish, "listed", 2)
    route(f"{selfish}/", 200, homepage(None, listed))
    entries += sources(("Selfish", selfish, f'sitemaps = ["{selfish}/sitemap.xml"]'))
    config = write_config(tmp_path, entries)

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == set(links) | set(odd) | set(listed)  # Selfish's from its homepage
    said = crawl.stderr
    assert "Selfish : 1 récupération en échec : un index de plans de site qui ne liste que lui-même ; " in said
    assert "Loop : 1 récupération en échec : redirigé plus de 5 fois (une boucle de redirections ?) ; " in said, said
    assert "Large : 1 récupération en échec : trop volumineux : " in said, said
    assert "octets, au-delà de [crawler] max_response_bytes (5000000) ; non lu (flux " in said, said
    assert "Slow : 1 récupération en échec : délai dépassé : pas de réponse complète en 5 s " in said, said
    for english in ("max redirections", "larger than", "took longer", "Traceback", "Odd"):
        assert english not in said, said

    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert again.returncode == 0, again.stderr
    assert "أعيد توجيهه أكثر من" in again.stderr and "حلقة إعادة توجيه؟" in again.stderr, again.stderr
    assert "كبير جدًا:" in again.stderr and "انتهت المهلة: لم يصل جواب كامل خلال" in again.stderr, again.stderr
    for english in ("max redirections", "larger than", "took longer", "Traceback"):
        assert english not in again.stderr, again.stderr


def _index_of(*children: str) -> bytes:
    listed = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{listed}</sitemapindex>'.encode()


def _items(links: list[str], title: str = "") -> str:
    return "".join(f"<item><title>{title or link}</title><link>{link}</link></item>" for link in links)


def test_sources_check_says_an_empty_answer_and_a_redirect_loop_and_reads_a_misdeclared_feed(
    sites: list[str], tmp_path: Path
) -> None:
    """`rasd sources check` says what `rasd crawl` says: a feed answering 200 with no body is an empty answer
    (it said "malformed XML: no element found: line 1, column 0"), a redirect loop is named as one, and a
    feed in windows-1256 declaring UTF-8 works, its entries counted."""
    empty, loop, misdeclared = sites[:3]
    route(f"{empty}/feed/", 200, b"", RSS)
    route(f"{loop}/feed/", 302, b"", {"Location": f"{loop}/feed2/"})
    route(f"{loop}/feed2/", 302, b"", {"Location": f"{loop}/feed/"})
    odd = stories(misdeclared, "odd", 2)
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss><channel>{_items(odd, ARABIC_TITLE)}</channel></rss>'
    route(f"{misdeclared}/feed/", 200, feed.encode("windows-1256"), RSS)
    for base in (empty, loop, misdeclared):
        route(f"{base}/", 200, homepage(None, []))
    names = ("Empty", "Loop", "Odd")
    entries = sources(*((name, base, f'feeds = ["{base}/feed/"]') for name, base in zip(names, sites, strict=False)))
    selfish = sites[3]
    route(f"{selfish}/", 200, homepage(None, []))
    route(f"{selfish}/sitemap.xml", 200, _index_of(f"{selfish}/sitemap.xml"), XML)
    entries += sources(("Selfish", selfish, f'sitemaps = ["{selfish}/sitemap.xml"]'))
    config = write_config(tmp_path, entries)

    check = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert check.returncode == 0, check.stderr
    lines = {line.split()[0]: line for line in check.stdout.splitlines() if line.split()}
    assert f"flux {empty}/feed/ (configuré) : réponse vide : HTTP 200 sans contenu" in lines["Empty"], check.stdout
    assert "redirigé plus de 5 fois (une boucle de redirections ?) ; vérifiez son adresse" in lines["Loop"]
    assert f"flux {misdeclared}/feed/ (2 entrées, configuré)" in lines["Odd"], check.stdout
    assert "un index de plans de site qui ne liste que lui-même ; vérifiez son adresse" in lines["Selfish"]
    assert "XML" not in check.stdout and "max redirections" not in check.stdout, check.stdout


def test_a_damaged_compressed_answer_and_a_failed_tls_handshake_are_said_and_fetched_again(
    sites: list[str], tmp_path: Path
) -> None:
    """A feed whose gzip or brotli body does not unpack (a proxy that cut it, a cache that stored it broken)
    said zlib's "Error -3 while decompressing data: invalid code lengths set" and "error: brotli: decoder
    failed"; a site answering plain HTTP on the https address its config gives said Scrapy's repr of Twisted's
    failures, "[<twisted.python.failure.Failure OpenSSL.SSL.Error: [('SSL routines', …)]>]". Each is one line in
    the reader's words, the other sources are stored, and the feeds are read again once they unpack."""
    good, gzipped, brotli, tls = sites[:4]
    links = {base: stories(base, name, 2) for base, name in ((good, "good"), (gzipped, "gz"), (brotli, "br"))}
    route(f"{good}/feed/", 200, rss(links[good]), RSS)
    route(f"{gzipped}/feed/", 200, b"\x1f\x8b\x08\x00damaged-in-transit", {**RSS, "Content-Encoding": "gzip"})
    route(f"{brotli}/feed/", 200, b"\xff\xfe not brotli", {**RSS, "Content-Encoding": "br"})
    for base in (good, gzipped, brotli, tls):
        route(f"{base}/", 200, homepage(None, []))
    entries = sources(
        *((name, base, f'feeds = ["{base}/feed/"]') for name, base in (("Good", good), ("Gz", gzipped), ("Br", brotli)))
    )
    entries += sources(("Tls", tls.replace("http://", "https://"), ""))  # a plain HTTP server behind https://
    packed = sites[4]  # a .xml.gz sitemap that is gzip's first bytes, then garbage: gzip's "Compressed file ended…"
    route(f"{packed}/sitemap.xml.gz", 200, b"\x1f\x8b\x08\x00\x00\x00garbage", {"Content-Type": "application/x-gzip"})
    route(f"{packed}/", 200, homepage(None, []))
    entries += sources(("Sm", packed, f'sitemaps = ["{packed}/sitemap.xml.gz"]'))
    config = write_config(tmp_path, entries)

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == set(links[good])
    damaged = (
        "1 récupération en échec : réponse abîmée : son contenu compressé (Content-Encoding) ne se décompresse pas"
    )
    assert f"Gz : {damaged} (flux {gzipped}/feed/)" in crawl.stderr, crawl.stderr
    assert f"Br : {damaged} (flux {brotli}/feed/)" in crawl.stderr, crawl.stderr
    assert (
        "Tls : 1 récupération en échec : échec de la connexion sécurisée (TLS) : wrong version number" in crawl.stderr
    )
    unpacking = "un plan de site compressé en gzip qui ne se décompresse pas : abîmé ou tronqué (plan de site "
    assert f"Sm : 1 récupération en échec : {unpacking}{packed}/sitemap.xml.gz)" in crawl.stderr, crawl.stderr
    for technical in ("Error -3", "decoder failed", "twisted", "OpenSSL", "Traceback", "end-of-stream"):
        assert technical not in crawl.stderr, crawl.stderr
    status = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert "فشل الاتصال الآمن (TLS)" in status.stdout, status.stdout

    route(f"{gzipped}/feed/", 200, rss(links[gzipped]), RSS)  # the cache emptied, the proxy mended
    route(f"{brotli}/feed/", 200, rss(links[brotli]), RSS)
    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert again.returncode == 0, again.stderr
    assert stored(tmp_path / "rasd.db") == {link for found in links.values() for link in found}
    assert "فشل الاتصال الآمن (TLS)" in again.stderr and "wrong version number" in again.stderr, again.stderr
    logged = run_rasd("--config", str(config), "--log-json", "crawl", "--source", "Tls", cwd=tmp_path)
    (robots,) = [line for line in logged.stderr.splitlines() if "robots.txt not read" in line]
    assert "secure connection (TLS) failed: wrong version number" in robots and "twisted" not in robots, robots


def test_a_source_whose_article_pages_hold_no_story_is_named_in_the_summary(sites: list[str], tmp_path: Path) -> None:
    """A site whose template changed (its story now drawn by a script) answers every page with 200: no fetch
    failed, no story was stored, and the cycle's summary said nothing of it. A source with a story and one
    page that is none (a video, a category the feed linked) is no such case."""
    changed, fine = sites[:2]
    empty = [f"{changed}/2026/11/2{n}/story-{n}" for n in range(3)]
    for link in empty:
        route(
            link,
            200,
            b'<html><head><title>App</title></head><body><div id="app"></div><script>boot()</script></body></html>',
        )
    links = stories(fine, "fine", 2)
    route(f"{fine}/video", 200, b"<html><body><video src='a.mp4'></video></body></html>")
    route(f"{changed}/feed/", 200, rss(empty), RSS)
    route(f"{fine}/feed/", 200, rss([*links, f"{fine}/video"]), RSS)
    for base in (changed, fine):
        route(f"{base}/", 200, homepage(None, []))
    config = write_config(
        tmp_path,
        sources(("Changed", changed, f'feeds = ["{changed}/feed/"]'), ("Fine", fine, f'feeds = ["{fine}/feed/"]')),
    )

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == set(links)
    said = crawl.stderr
    assert (
        "Changed : aucune de ses 3 pages d’articles ne contenait d’article (la mise en page du site a-t-elle " in said
    )
    assert f"`rasd extract {empty[0]} --json` montre ce que Rasd lit sur l’une d’elles" in said, said
    assert "Fine" not in said, said

    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "ar"})  # fetched again

    assert "Changed" in again.stderr and "لم تحمل أي من صفحات مقالاته الـ3 خبرًا" in again.stderr, again.stderr


BAD_LINKS = ("http://[::1/story", "http://a.ma:99999/story", "http://a.ma:port/story", "http://exa mple.ma/story")


def test_links_that_are_no_address_are_passed_over_and_the_rest_of_the_feed_is_read(
    sites: list[str], tmp_path: Path
) -> None:
    """One item linking to "http://[::1/story" (an unclosed IPv6 bracket) or to a port out of range made
    urllib raise inside the feed's parsing: the feed's other stories were never fetched, no fetch was
    recorded and nothing was said ("no source could be fetched"). In a feed, a sitemap and a listing page."""
    by_feed, by_sitemap, by_listing = sites[:3]
    feed_links = stories(by_feed, "feed", 2)
    route(f"{by_feed}/feed/", 200, rss([*BAD_LINKS, *feed_links]), RSS)
    route(f"{by_feed}/", 200, homepage(None, []))
    mapped = stories(by_sitemap, "mapped", 2)
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in (*BAD_LINKS, *mapped))
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    route(f"{by_sitemap}/sitemap.xml", 200, sitemap.encode(), XML)
    route(f"{by_sitemap}/", 200, homepage(None, []))
    listed = stories(by_listing, "listed", 2)
    route(f"{by_listing}/", 200, homepage(None, [*BAD_LINKS, *listed]))
    moved = sites[3]  # a feed redirected to what is no address: urllib's words were the whole line
    route(f"{moved}/feed/", 301, b"", {"Location": BAD_LINKS[0]})
    route(f"{moved}/", 200, homepage(None, []))
    ftp = sites[4]  # a feed moved to an FTP server: not followed, and "HTTP 301" said nothing
    route(f"{ftp}/feed/", 301, b"", {"Location": "ftp://files.example.ma/feed.xml"})
    route(f"{ftp}/", 200, homepage(None, []))
    entries = sources(
        ("Feed", by_feed, f'feeds = ["{by_feed}/feed/"]'),
        ("Sitemap", by_sitemap, f'sitemaps = ["{by_sitemap}/sitemap.xml"]'),
        ("Listing", by_listing, ""),
        ("Moved", moved, f'feeds = ["{moved}/feed/"]'),
        ("Ftp", ftp, f'feeds = ["{ftp}/feed/"]'),
    )
    config = write_config(tmp_path, entries)

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == {*feed_links, *mapped, *listed}, crawl.stderr
    assert "Traceback" not in crawl.stderr and "ValueError" not in crawl.stderr, crawl.stderr
    moved_line, ftp_line = sorted(crawl.stderr.splitlines(), reverse=True)  # theirs alone
    no_address = "1 récupération en échec : redirigé vers quelque chose qui n’est pas une adresse web : "
    assert f"Moved : {no_address}" in moved_line, crawl.stderr
    assert f"Ftp : {no_address}HTTP 301 → ftp://files.example.ma/feed.xml (flux {ftp}/feed/)" in ftp_line


# `rasd crawl` with a fault of Rasd's own planted in its feed reader for one feed (`broken` in its address)
FAULTY_CRAWL = (
    """
from rasd.crawler import spider

def failing(body, headers, url, read=spider.parse_feed):
    if "broken" in url:
        raise RuntimeError("a fault of Rasd's reading this feed")
    return read(body, headers, url)

spider.parse_feed = failing
"""
    + PLANTED_MAIN
)


def test_rasds_own_fault_on_one_feed_is_said_and_the_rest_goes_on_and_is_read_next_cycle(
    sites: list[str], tmp_path: Path
) -> None:
    """A fault of Rasd's own inside a spider callback (urllib's ValueError on a link was one) was Scrapy's
    logged traceback: that feed's stories were never asked for, no fetch was recorded, nothing was said. Now
    it is the feed's failed fetch in the reader's words, its site's homepage is walked instead, the other
    sources are stored, and the next cycle reads the feed again."""
    faulty, fine = sites[:2]
    feed_links = stories(faulty, "feed", 2)
    on_homepage = stories(faulty, "home", 1)
    route(f"{faulty}/broken-feed/", 200, rss(feed_links), RSS)
    route(f"{faulty}/", 200, homepage(None, on_homepage))
    fine_links = stories(fine, "fine", 2)
    route(f"{fine}/feed/", 200, rss(fine_links), RSS)
    route(f"{fine}/", 200, homepage(None, []))
    config = write_config(
        tmp_path,
        sources(("Faulty", faulty, f'feeds = ["{faulty}/broken-feed/"]'), ("Fine", fine, f'feeds = ["{fine}/feed/"]')),
    )
    crawl = run_planted(FAULTY_CRAWL, "--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert "Traceback" not in crawl.stderr, crawl.stderr
    assert (
        "Faulty : 1 récupération en échec : Rasd n’a pas pu lire cette réponse (RuntimeError: a fault of Rasd's "
        f"reading this feed) ; elle sera redemandée au prochain cycle (flux {faulty}/broken-feed/)" in crawl.stderr
    ), crawl.stderr
    assert stored(tmp_path / "rasd.db") == {*fine_links, *on_homepage}

    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})  # the fault mended

    assert again.returncode == 0, again.stderr
    assert stored(tmp_path / "rasd.db") == {*fine_links, *on_homepage, *feed_links}


def test_rasd_extract_says_why_a_page_could_not_be_fetched_as_the_crawl_does(sites: list[str], tmp_path: Path) -> None:
    """`rasd extract URL` fetches with urllib, whose words reached a French reader as they were: "<urlopen error
    [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)>", "HTTP Error 404: Not Found"."""
    config = write_config(tmp_path, "")
    plain = sites[0]
    said = {}
    for name, url in (("tls", plain.replace("http://", "https://") + "/story"), ("missing", f"{plain}/gone")):
        extract = run_rasd("--config", str(config), "extract", url, "--json", cwd=tmp_path, env={"RASD_LANG": "fr"})
        assert extract.returncode == 1 and extract.stdout == "", extract.stdout
        said[name] = extract.stderr
    assert said["tls"].endswith("/story : échec de la connexion sécurisée (TLS) : wrong version number\n"), said
    assert said["missing"] == f"erreur : {plain}/gone : HTTP 404\n", said


def test_a_link_with_a_login_in_it_is_fetched_without_it_and_its_password_is_never_printed(
    sites: list[str], tmp_path: Path
) -> None:
    """A feed item, a sitemap entry or a listing's link written http://user:secret@site/story (a CMS that
    put its preview login in its permalinks): Scrapy refused the address ("invalid hostname"), said as
    "redirected to something that is not a web address : invalid hostname: user:secret@…" — no redirect, the
    password in the crawl's line and the store, the story never fetched, the same line every cycle (faults13)."""
    by_feed, by_sitemap, by_listing = sites[:3]
    feed_links = stories(by_feed, "feed", 2)
    route(f"{by_feed}/feed/", 200, rss([link.replace("//", "//editor:hunter2@", 1) for link in feed_links]), RSS)
    route(f"{by_feed}/", 200, homepage(None, []))
    mapped = stories(by_sitemap, "mapped", 2)
    urls = "".join(f"<url><loc>{link.replace('//', '//preview@', 1)}</loc></url>" for link in mapped)
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    route(f"{by_sitemap}/sitemap.xml", 200, sitemap.encode(), XML)
    route(f"{by_sitemap}/", 200, homepage(None, []))
    listed = stories(by_listing, "listed", 2)
    route(f"{by_listing}/", 200, homepage(None, [link.replace("//", "//a:hunter2@", 1) for link in listed]))
    by_redirect = sites[3]  # a moved permalink redirected to an address with a login (Location: http://a:b@…)
    (moved,) = stories(by_redirect, "moved", 1)
    route(f"{by_redirect}/old-story", 301, b"", {"Location": moved.replace("//", "//editor:hunter2@", 1)})
    route(f"{by_redirect}/feed/", 200, rss([f"{by_redirect}/old-story"]), RSS)
    route(f"{by_redirect}/", 200, homepage(None, []))
    entries = sources(
        ("Feed", by_feed, f'feeds = ["{by_feed}/feed/"]'),
        ("Sitemap", by_sitemap, f'sitemaps = ["{by_sitemap}/sitemap.xml"]'),
        ("Listing", by_listing, ""),
        ("Redirect", by_redirect, f'feeds = ["{by_redirect}/feed/"]'),
    )
    config = write_config(tmp_path, entries)

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == {*feed_links, *mapped, *listed, moved}, crawl.stderr
    assert "échec" not in crawl.stderr and "hunter2" not in crawl.stderr, crawl.stderr
    fetched = rows(tmp_path / "rasd.db", "SELECT url, coalesce(error, '') FROM fetches")
    assert fetched and not [row for row in fetched if "hunter2" in " ".join(row)], fetched


def test_two_sitemap_indexes_listing_each_other_are_said_and_the_homepage_read(
    sites: list[str], tmp_path: Path
) -> None:
    """sitemap.xml lists itself and s2.xml, s2.xml lists sitemap.xml (a plugin's index pointing back): the
    crawl stored nothing and said nothing, every cycle (Scrapy's filter dropped the second visit), and
    `sources check` called it "ok, 2 child sitemaps, the newest with 2 addresses" — the newest being the index
    itself (faults13 sweep). Now one line in each, and the crawl reads the homepage's listing instead."""
    looped = sites[0]
    route(f"{looped}/sitemap.xml", 200, _index_of(f"{looped}/sitemap.xml", f"{looped}/s2.xml"), XML)
    route(f"{looped}/s2.xml", 200, _index_of(f"{looped}/sitemap.xml"), XML)
    listed = stories(looped, "listed", 2)
    route(f"{looped}/", 200, homepage(None, listed))
    config = write_config(tmp_path, sources(("Looped", looped, f'sitemaps = ["{looped}/sitemap.xml"]')))
    loop = "un index de plans de site qui ne liste que les index qui y mènent (une boucle) ; vérifiez son adresse"

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})
    check = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert crawl.returncode == 0, crawl.stderr
    assert stored(tmp_path / "rasd.db") == set(listed), crawl.stderr
    assert f"Looped : 1 récupération en échec : {loop} (plan de site {looped}/s2.xml)" in crawl.stderr, crawl.stderr
    assert check.returncode == 0, check.stderr
    assert f"(1 plan de site enfant, configuré) : plan de site enfant le plus récent : {loop}" in check.stdout, (
        check.stdout
    )
