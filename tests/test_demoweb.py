"""The bundled demo web, over real HTTP on 127.0.0.x: what `rasd demo` and the crawl tests rely on.

Each site must be discoverable the way it claims (RSS, Atom, sitemap, listing pages), speak the charset it
declares, answer conditional GETs on its feeds and publish stories added at run time.
"""

from __future__ import annotations

import html
import re
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import pytest
from defusedxml import ElementTree

from rasd.monitor.demoweb import DemoSite, DemoStory, DemoWeb

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, headers: dict[str, str] | None = None, follow: bool = True) -> tuple[int, Message, bytes]:
    """(status, headers, body) of a GET, errors included."""
    handlers = [] if follow else [_NoRedirect()]
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def text_of(url: str) -> str:
    """A page decoded with the charset its Content-Type header declares, entities (&#39;) resolved."""
    status, headers, body = fetch(url)
    assert status == 200, url
    return html.unescape(body.decode(headers.get_content_charset() or "utf-8"))


def without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with DemoWeb(first_host=60) as running:
        yield running


def site(web: DemoWeb, kind: str) -> DemoSite:
    return next(s for s in web.sites if s.kind == kind)


def stories_of(web: DemoWeb, site: DemoSite) -> list[DemoStory]:
    return [story for story in web.stories if story.site == site.name]


def test_the_content_is_what_the_brief_promises(web: DemoWeb) -> None:
    assert [s.kind for s in web.sites] == ["rss", "atom", "sitemap", "listing"]
    assert [s.url.split(":")[1] for s in web.sites] == [f"//127.0.0.{60 + i}" for i in range(4)]
    assert 14 <= len(web.stories) <= 18
    assert 0.4 <= sum(s.sse for s in web.stories) / len(web.stories) <= 0.6
    assert {s.lang for s in web.stories} == {"ar", "fr"}
    for story in web.stories:
        assert story.regions and all(re.fullmatch(r"MA-(0[1-9]|1[0-2])", r) for r in story.regions)
        assert re.fullmatch(r"2025-\d\d-\d\d", story.published)
    # the syndicated MAP dispatch: the same SSE story on two sites, in different words
    fairs = [s for s in web.stories if "المعرض الجهوي للاقتصاد الاجتماعي والتضامني" in s.title]
    assert len({s.site for s in fairs}) == 2 and all(s.sse for s in fairs)
    assert fairs[0].title != fairs[1].title
    sources = tomllib.loads(web.sources_toml())["sources"]
    assert [(s["name"], s["url"], s.get("region")) for s in sources] == [(s.name, s.url, s.region) for s in web.sites]
    assert all(set(s) <= {"name", "url", "lang", "region"} for s in sources)


def test_every_homepage_answers_and_lists_its_latest_stories(web: DemoWeb) -> None:
    for demo_site in web.sites:
        page = text_of(demo_site.url)
        assert 'dir="rtl"' in page if demo_site.lang == "ar" else 'dir="ltr"' in page
        newest = max(stories_of(web, demo_site), key=lambda s: s.published)
        assert newest.url in page and newest.title in page


def test_rss_feed_is_advertised_and_lists_the_sites_stories(web: DemoWeb) -> None:
    tiznit = site(web, "rss")
    assert f'type="application/rss+xml" title="تيزنيت أنفو » الخلاصة" href="{tiznit.url}feed/"' in text_of(tiznit.url)
    status, headers, body = fetch(tiznit.url + "feed/")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.version == "rss20"
    assert {without_query(e.link) for e in feed.entries} == {s.url for s in stories_of(web, tiznit)}
    assert all(e.published_parsed and e.title and e.description for e in feed.entries)
    assert "utm_source=rss" in feed.entries[0].link  # a tracking parameter the crawler must strip


def test_atom_feed_is_advertised_and_lists_the_sites_stories(web: DemoWeb) -> None:
    fes = site(web, "atom")
    advert = f'type="application/atom+xml" title="L\'Écho du Saïs » Flux Atom" href="{fes.url}feed/atom/"'
    assert advert in text_of(fes.url)
    feed = feedparser.parse(fetch(fes.url + "feed/atom/")[2])
    assert not feed.bozo and feed.version == "atom10"
    assert {e.link for e in feed.entries} == {s.url for s in stories_of(web, fes)}
    by_url = {s.url: s for s in stories_of(web, fes)}
    assert all(e.published.startswith(by_url[e.link].published) for e in feed.entries)


def test_sitemap_index_from_robots_txt_leads_to_every_article(web: DemoWeb) -> None:
    errachidia = site(web, "sitemap")
    robots = fetch(errachidia.url + "robots.txt")[2].decode()
    assert "User-agent: *" in robots and "Disallow: /wp-admin/" in robots
    (index_url,) = re.findall(r"^Sitemap: (\S+)$", robots, re.MULTILINE)
    index = ElementTree.fromstring(fetch(index_url)[2])
    children = [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert errachidia.url + "news-sitemap.xml" in children
    found: set[str] = set()
    for child in children:
        urlset = ElementTree.fromstring(fetch(child)[2])
        found |= {loc.text for loc in urlset.iter(f"{SITEMAP_NS}loc")}
        if child.endswith("news-sitemap.xml"):
            assert "<news:publication_date>" in fetch(child)[2].decode()
    assert found == {s.url for s in stories_of(web, errachidia)}
    for other in web.sites:
        if other is not errachidia:
            assert "Sitemap:" not in fetch(other.url + "robots.txt")[2].decode()
            assert fetch(other.url + "sitemap_index.xml")[0] == 404


def test_windows_1256_pages_declare_and_use_their_charset(web: DemoWeb) -> None:
    errachidia = site(web, "sitemap")
    story = stories_of(web, errachidia)[0]
    status, headers, body = fetch(story.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=windows-1256"
    page = body.decode("windows-1256")
    assert '<meta charset="windows-1256">' in page and story.title in html.unescape(page)
    assert re.search(r"\d+ (يناير|فبراير|مارس|أبريل|ماي|يونيو|يوليوز|غشت|شتنبر|أكتوبر|نونبر|دجنبر) 2025", page)
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_each_site_marks_its_dates_its_own_way(web: DemoWeb) -> None:
    rss, atom, sitemap, listing = (stories_of(web, s)[0] for s in web.sites)
    assert f'<meta property="article:published_time" content="{rss.published}T' in text_of(rss.url)
    assert f'"datePublished": "{atom.published}T' in text_of(atom.url)
    page = text_of(sitemap.url)
    assert "article:published_time" not in page and "datePublished" not in page and "<time" not in page
    assert f'<time class="entry-date published" datetime="{listing.published}T' in text_of(listing.url)


def test_article_pages_carry_wordpress_boilerplate_and_related_links(web: DemoWeb) -> None:
    story = stories_of(web, site(web, "rss"))[0]
    page = text_of(story.url)
    for needle in ("الرئيسية", "مقالات ذات صلة", "اترك رد", "لن يتم نشر عنوان بريدك الإلكتروني", "الأكثر قراءة",
                   "جميع الحقوق محفوظة", "Back to top button", "entry-content", "<article"):  # fmt: skip
        assert needle in page, needle
    related = page[page.index('id="related-posts"') : page.index('id="comments"')]
    assert len(re.findall(r"<a href=", related)) == 3
    french = stories_of(web, site(web, "atom"))[0]
    page = text_of(french.url)
    assert "Laisser un commentaire" in page and "Votre adresse e-mail ne sera pas publiée" in page


def test_the_listing_site_is_reachable_only_through_its_pages(web: DemoWeb) -> None:
    national = site(web, "listing")
    for path in ("feed/", "feed/atom/", "sitemap_index.xml"):
        assert fetch(national.url + path)[0] == 404
    assert "application/rss+xml" not in text_of(national.url)
    seen: set[str] = set()
    queue, links = [national.url], set()
    while queue:  # follow the homepage, categories and their /page/N/ links, as a listing crawl would
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        for href in re.findall(r'href="([^"]+)"', text_of(page)):
            url = urljoin(page, href).split("#")[0]
            listing = re.fullmatch(r"/(category/[a-z]+/)?(page/\d+/)?", urlsplit(url).path)
            if listing and url.startswith(national.url) and not urlsplit(url).query:
                queue.append(url)
            links.add(url)
    assert national.url + "category/economie/page/2/" in seen
    assert {s.url for s in stories_of(web, national)} <= links
    assert any("/?p=" in s.path for s in stories_of(web, national))
    pretty = next(s for s in stories_of(web, national) if "/?p=" not in s.path)
    post_id = re.search(r"-(\d+)/$", pretty.path)
    assert post_id is not None
    status, headers, _ = fetch(f"{national.url}?p={post_id[1]}", follow=False)
    assert status == 301 and headers["Location"] == pretty.url


def test_feeds_answer_conditional_gets_with_304(web: DemoWeb) -> None:
    for url in (site(web, "rss").url + "feed/", site(web, "atom").url + "feed/atom/",
                site(web, "sitemap").url + "news-sitemap.xml"):  # fmt: skip
        status, headers, _ = fetch(url)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200
        assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_unknown_paths_are_a_404_page(web: DemoWeb) -> None:
    for demo_site in web.sites:
        for path in ("no/such/page/", "2025/01/01/missing/", "?p=1", "page/99/", "category/nothing/"):
            status, headers, body = fetch(demo_site.url + path)
            assert status == 404, path
            assert headers.get_content_type() == "text/html" and b"</html>" in body
    assert fetch(site(web, "rss").url + "category/sport", follow=False)[0] == 301  # WordPress adds the slash


def test_an_added_story_appears_in_feed_homepage_and_sitemap() -> None:
    with DemoWeb(first_host=70) as web:
        tiznit, errachidia, national = site(web, "rss"), site(web, "sitemap"), site(web, "listing")
        _, headers, _ = fetch(tiznit.url + "feed/")
        before = len(web.stories)
        story = web.add_story(
            tiznit.name,
            {
                "title": "تعاونية نسائية جديدة لتثمين الصبار بجماعة المعدر الكبير",
                "category": "جهات",
                "sse": True,
                "regions": ["MA-09"],
                "published": "2025-11-20T09:15:00+01:00",
                "body": ["فقرة أولى عن التعاونية الجديدة.", "فقرة ثانية عن دعم المبادرة الوطنية للتنمية البشرية."],
            },
        )
        assert len(web.stories) == before + 1 and web.stories[-1] == story
        assert story.url.startswith(tiznit.url) and story.published == "2025-11-20" and story.sse
        assert fetch(tiznit.url + "feed/", {"If-None-Match": headers["ETag"]})[0] == 200
        assert fetch(tiznit.url + "feed/", {"If-Modified-Since": headers["Last-Modified"]})[0] == 200
        feed = feedparser.parse(fetch(tiznit.url + "feed/")[2])
        assert without_query(feed.entries[0].link) == story.url
        assert story.url in text_of(tiznit.url) and story.title in text_of(story.url)

        dated = web.add_story(errachidia.name, {"title": "خبر جديد من الرشيدية", "body": "نص الخبر."})
        assert dated.url in fetch(errachidia.url + "news-sitemap.xml")[2].decode()
        assert dated.url in fetch(errachidia.url + "post-sitemap.xml")[2].decode()
        listed = web.add_story(national.name, {"title": "Un nouvel article", "lang": "fr", "body": "Texte."})
        assert listed.url in text_of(national.url) and listed.regions == ()
        with pytest.raises(ValueError, match="unknown keys"):
            web.add_story(tiznit.name, {"title": "x", "body": "y", "sses": True})
        with pytest.raises(KeyError):
            web.add_story("No Such Site", {"title": "x", "body": "y"})


def test_a_crawler_stopped_mid_download_prints_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    """`rasd demo` stopped by SIGTERM while a page is being sent: the write meets a closed socket. rasd says
    the stop in one line; the demo web printed socketserver's traceback of the broken pipe under it. A
    real error of the demo web still shows."""
    from rasd.monitor.demoweb.server import _Handler, _SiteServer

    server = _SiteServer(("127.0.0.1", 0), _Handler)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "Connection reset by peer")):
            try:
                raise error
            except ConnectionError:
                server.handle_error(None, ("127.0.0.1", 40000))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a bug in the demo web")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 40000))
        assert "ValueError: a bug in the demo web" in capsys.readouterr().err
    finally:
        server.server_close()
