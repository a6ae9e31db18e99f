"""Reading what a site publishes about itself: feed links, robots.txt sitemaps, feeds and sitemaps.

Feeds and sitemaps are XML from the open web: they are parsed with defusedxml, so an entity bomb or an
external entity is refused instead of expanded. feedparser gets the bytes and the HTTP headers (it has no
timeout of its own and must not fetch anything).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from typing import Literal
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
import feedparser
from defusedxml import DefusedXmlException
from lxml import etree
from lxml import html as lxml_html
from scrapy.utils.gz import gunzip
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from rasd.config import failures
from rasd.crawler.urls import absolute

_FEED_ROOTS = ("rss", "feed", "rdf")  # RSS 0.9x/2.0, Atom, RSS 1.0 (rdf:RDF)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")
MAX_PAGE_LINKS = 5_000  # a news homepage has a few hundred
MAX_FEED_ITEMS = 1_000  # a news feed has tens
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)
HEAD_LIMIT = 300_000  # bytes searched for the end of <head>; past it, a page's head is not worth reading


class UnsafeXml(ValueError):
    """A feed or sitemap that is malformed or tries entity expansion; the message says which."""


@dataclass(frozen=True)
class Entry:
    """An article announced by a feed or sitemap, with what the announcement says about it."""

    url: str
    title: str | None = None
    published: str | None = None  # as written in the feed or sitemap; parsed by extract
    date_origin: str | None = None  # feed | sitemap


@dataclass(frozen=True)
class Sitemap:
    entries: list[Entry]
    child_sitemaps: list[str]
    child_lastmod: dict[str, str] | None = None  # child sitemap → its <lastmod>, when the index gives one


def w3c_moment(text: str | None) -> datetime | None:
    """A sitemap date (W3C datetime: `2024-03-05`, `2024-03-05T10:00:00+01:00`, `…Z`) in UTC, or None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


MONTH_IN_URL = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-_/.]?(0[1-9]|1[0-2])(?!\d)")
_PAGE_NUMBER = re.compile(r"(\d+)\.xml(?:\.gz)?$")
# children that list a site's sections, tags, authors and static pages, not its articles (WordPress core's
# wp-sitemap-taxonomies-post_tag-8.xml, -users-1.xml, -posts-page-1.xml; Yoast's category-sitemap.xml)
_NOT_POSTS = re.compile(r"(?<![a-z])(taxonom(y|ies)|tags?|categor(y|ies)|authors?|users?|pages?)(?![a-z])", re.I)
UNDATED = datetime.min.replace(tzinfo=UTC)  # what sorts after every date


def newest_children(sitemap: Sitemap) -> list[str]:
    """The child sitemaps of an index, those likeliest to hold the newest articles first: the post children
    before those of tags, sections, authors and pages (whose entries are all left out); then by `<lastmod>`,
    else the year and month in the address (monthly sitemaps), else the index's own order of families (a
    name without its number) and in one family the higher page number (`wp-sitemap-posts-post-3.xml` before
    `-1`, Yoast's `post-sitemap2.xml` before `post-sitemap.xml`). WordPress, Yoast and monthly archives list
    the oldest first: the crawl, which reads a few children a cycle, read years-old sitemaps of a large
    index and never the new one. Page numbers of different families are not compared: WordPress core's
    undated index put its eight tag sitemaps before its three post sitemaps, and the crawl read no article."""
    lastmod = sitemap.child_lastmod or {}
    families: dict[str, int] = {}
    for child in sitemap.child_sitemaps:
        families.setdefault(_family(child), len(families))

    def newness(child: str) -> tuple[bool, datetime, int, int]:
        moment = w3c_moment(lastmod.get(child))
        path = urlsplit(child).path
        if moment is None and (month := MONTH_IN_URL.search(path)):
            moment = datetime(int(month[1]), int(month[2]), 1, tzinfo=UTC)
        page = _PAGE_NUMBER.search(path)
        posts = not _NOT_POSTS.search(path.rsplit("/", 1)[-1])
        return posts, moment or UNDATED, -families[_family(child)], int(page[1]) if page else 0

    return sorted(sitemap.child_sitemaps, key=newness, reverse=True)


def _family(child: str) -> str:
    """A child sitemap's name without its numbers: `wp-sitemap-posts-post-.xml` for each of its pages."""
    return re.sub(r"\d+", "", urlsplit(child).path.rsplit("/", 1)[-1])


# Where sitemaps are when robots.txt names none: WordPress's own (5.5+), Yoast's and Rank Math's, the classic
# (`rasd sources check` and the backfill look there).
CONVENTIONAL_SITEMAPS = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml")


def usual_places(homepage: str, paths: Iterable[str]) -> list[str]:
    """The usual `paths` (`/feed/`, CONVENTIONAL_SITEMAPS) of a site: in its homepage's folder first when it
    lives in one (WordPress installed at `https://site.ma/news/` has `/news/feed/` and `/news/wp-sitemap.xml`,
    which were never looked for), then at the host's root."""
    folder = urlsplit(homepage).path.rsplit("/", 1)[0]  # "/news" of "/news/", "" of "/"
    return list(dict.fromkeys(urljoin(homepage, root + path) for root in dict.fromkeys((folder, "")) for path in paths))


def _check_xml(body: bytes) -> Element:
    try:
        return safe_xml.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise UnsafeXml(failures.REFUSED_XML % {"detail": type(error).__name__}) from None
    except safe_xml.ParseError as error:
        raise UnsafeXml(failures.MALFORMED_XML % {"detail": error}) from None


_XML_ENCODING = re.compile(rb"""\A(\s*<\?xml[^>]*?encoding\s*=\s*["'])([\w.:-]+)(["'])""")
# What a Moroccan site's bytes are when they are not what they declare: windows-1256 holds Arabic and, at
# the same places as windows-1252, the French small letters (é, è, à, ç, ô…), and every byte decodes. Not
# the capitals: À and É are ہ and ة there, so bytes with no Arabic word in them (two Arabic letters in a row,
# `_ARABIC_PAIR`) are a French site's windows-1252 ("À Agadir" came out "ہ Agadir").
MISDECLARED_FALLBACK = "windows-1256"
MISDECLARED_LATIN = "windows-1252"
_ARABIC_PAIR = re.compile(rb"[\xc1-\xd6\xd8-\xdf\xe1\xe3-\xe6\xec\xed\xf0-\xf3\xf5\xf6\xf8\xfa]{2}")


def _misdeclared(body: bytes) -> bytes | None:
    """A feed whose bytes are not in the encoding its XML declaration names (UTF-8 declared, windows-1256
    sent: an old CMS behind a new template), as UTF-8 with its declaration saying so; None when the bytes
    are what they declare (the XML is malformed for another reason) or start with a byte-order mark.
    The XML parser refuses such a feed whole ("not well-formed (invalid token)"), and every story in it was
    missed, cycle after cycle."""
    if read_bom(body)[0] is not None:
        return None
    declared = _XML_ENCODING.match(body)
    encoding = declared[2].decode("ascii") if declared else "utf-8"
    try:
        body.decode(encoding)
        return None
    except (UnicodeDecodeError, LookupError):
        pass
    text = _mostly_utf8(body) if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else None
    if text is None:
        text = body.decode(MISDECLARED_FALLBACK if _ARABIC_PAIR.search(body) else MISDECLARED_LATIN, errors="replace")
    if declared:
        text = text[: declared.start(2)] + "utf-8" + text[declared.end(2) :]
    return text.encode("utf-8")


def _bom_first(body: bytes) -> bytes:
    """`body` as UTF-8 without its byte-order mark, its XML declaration saying utf-8, when it starts with
    one: the mark names the encoding and wins over the declaration (XML 1.0, appendix F). Expat took the
    declaration's word instead, and a UTF-8 feed with a mark and a stale `encoding="windows-1256"` had
    every Arabic title stored garbled ("طھط¹ط§ظˆظ†ظٹط©" for "تعاونية")."""
    encoding, mark = read_bom(body)
    if encoding is None or mark is None:
        return body
    recoded = body[len(mark) :].decode(encoding, errors="replace").encode("utf-8")
    return _XML_ENCODING.sub(rb"\g<1>utf-8\g<3>", recoded, count=1)


def _mostly_utf8(body: bytes) -> str | None:
    """`body` as UTF-8, its few invalid bytes each a U+FFFD, when it is UTF-8 with a stray byte (a
    windows-1252 no-break space pasted into one title): its valid multi-byte characters outnumber its
    invalid bytes. Read as windows-1256, every Arabic title and address of such a feed came out garbled
    ("طھط¹ط§ظˆظ†ظٹط©" for "تعاونية") and its stories were fetched at addresses that do not exist. None for
    bytes that are not UTF-8 (windows-1256 Arabic or French is almost never a valid sequence)."""
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - body.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")  # non-ASCII characters
    return text if valid > invalid else None


def _feed_tree(body: bytes) -> Element:
    """A feed's tree, checked as `_check_xml` checks it, with only what Rasd reads: its first MAX_FEED_ITEMS
    RSS items or Atom entries (its newest, in a news feed), and of each only the elements of `_ITEM_READ`.
    The rest is removed as it is parsed, so a feed's full texts are never all in memory at once (a
    WordPress feed of 400 full articles, ~3 MB, became a tree of several times that on the reactor thread)."""
    stack: list[Element] = []
    items = 0
    try:
        events = safe_xml.iterparse(
            BytesIO(body), events=("start", "end"), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        for event, element in events:
            if event == "start":
                stack.append(element)
                continue
            root = stack.pop()
            if not stack:
                return root
            parent, name = stack[-1], _local(str(element.tag))
            if name in _ITEMS:
                items += 1
                if items > MAX_FEED_ITEMS:
                    parent.remove(element)
            elif name not in _ITEM_READ and _local(str(parent.tag)) in _ITEMS:
                parent.remove(element)
    except DefusedXmlException as error:
        raise UnsafeXml(failures.REFUSED_XML % {"detail": type(error).__name__}) from None
    except safe_xml.ParseError as error:
        raise UnsafeXml(failures.MALFORMED_XML % {"detail": error}) from None
    # an empty document (the parser says so itself)
    raise UnsafeXml(failures.MALFORMED_XML % {"detail": "no element found"})


@lru_cache(maxsize=16)
def _html_parser(encoding: str) -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(encoding=encoding)


def parse_html(body: bytes, content_type: str | None = None) -> lxml_html.HtmlElement | None:
    """lxml tree of a page, or None for an empty or unparseable body. Its text is read in the encoding a
    browser would use: the HTTP header's charset, else the page's own declaration, else UTF-8 (a BOM is
    read by lxml itself). lxml alone ignores the header and takes an undeclared page for Latin-1, which
    turned a link with a raw Arabic slug (`<a href="/جمعية-…">` in a page sent as `text/html;
    charset=utf-8`) into another address. The bytes go to libxml2 as they are, with the encoding named (a
    decode and re-encode in Python cost an article's head a third more on the reactor thread)."""
    encoding = None
    if read_bom(body)[0] is None:
        encoding = http_content_type_encoding(content_type) or html_body_declared_encoding(body) or "utf-8"
    try:
        try:
            return lxml_html.document_fromstring(body, parser=_html_parser(encoding) if encoding else None)
        except LookupError:  # an encoding Python knows and libxml2 does not: lxml's own reading
            return lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None


def feed_links(tree: lxml_html.HtmlElement, page_url: str) -> list[str]:
    """Feeds a page advertises with `<link rel="alternate" type="application/rss+xml">`."""
    links = []
    for link in tree.xpath("//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"):
        url = absolute(page_url, link.get("href"))
        if (link.get("type") or "").lower() in _FEED_TYPES and url and "/comments/feed" not in url and url not in links:
            links.append(url)
    return links


def canonical_link(body: bytes, page_url: str, content_type: str | None = None) -> str | None:
    """The absolute URL of the page's `<link rel="canonical">`, or None. Only the head is parsed (the
    article's own body is parsed once, by extraction, in a worker), so the reactor thread pays little."""
    end = _HEAD_END.search(body, 0, HEAD_LIMIT)
    tree = parse_html(body[: end.start() if end else HEAD_LIMIT], content_type)
    if tree is None:
        return None
    for link in tree.xpath("//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return absolute(page_url, link.get("href"))
    return None


def page_links(tree: lxml_html.HtmlElement, page_url: str, limit: int = MAX_PAGE_LINKS) -> list[str]:
    """Absolute URLs of the page's first `limit` links, in document order, without repeats.

    Bounded because each link costs a URL normalisation: a hostile page with a million links would
    otherwise hold the reactor thread for about 20 s (bench/bench_hostile_pages.py). An href met again (a
    listing links each story from its picture, its title and its "read more") is not resolved again; the
    anchors' text is not read: nothing used it, and it cost a text walk of every link (bench/bench_crawl.py)."""
    seen: set[str] = set()
    kept_hrefs: set[str] = set()  # at most `limit`: only the hrefs whose URL was kept
    links: list[str] = []
    for anchor in tree.iter("a"):
        if len(links) >= limit:
            break
        href = anchor.get("href")
        if not href or href in kept_hrefs or (url := absolute(page_url, href)) is None:
            continue
        url = url.split("#", 1)[0]
        if url not in seen:
            seen.add(url)
            kept_hrefs.add(href)
            links.append(url)
    return links


_SCRIPT_REDIRECT = re.compile(
    r"""location(?:\.href)?\s*=\s*["']([^"']+)["']|location\.(?:replace|assign)\(\s*["']([^"']+)["']\s*\)"""
)
MAX_STUB_LINKS = 3  # a page with more links is a page of its own, whatever its scripts do


def script_redirect(tree: lxml_html.HtmlElement, page_url: str) -> str | None:
    """Where a homepage that is only a script redirect sends the browser (`<script>window.location.href =
    "/ar/"</script>` in front of the site), or None. Read as it is, such a page lists nothing: the source
    got no article, and no word was said."""
    if sum(1 for _ in tree.iter("a")) > MAX_STUB_LINKS:
        return None
    for script in tree.iter("script"):
        if match := _SCRIPT_REDIRECT.search(script.text or ""):
            return absolute(page_url, match[1] or match[2])
    return None


def robots_sitemaps(body: bytes, robots_url: str) -> list[str]:
    """`Sitemap:` lines of a robots.txt."""
    text = body.decode("utf-8-sig", errors="replace")  # a byte-order mark hid a first-line `Sitemap:`
    return [url for match in _SITEMAP_LINE.finditer(text) if (url := absolute(robots_url, match[1]))]


def parse_feed(body: bytes, headers: dict[str, str], feed_url: str) -> list[Entry]:
    """Entries of an RSS or Atom feed; raises UnsafeXml for malformed or hostile XML, and for a document
    that is not a feed (a feed address that answers a web page: its items would be silently none)."""
    # A feed of thousands of items (a whole archive) is read up to the limit rather than refused whole; and of
    # each item only what Rasd reads stays (`_feed_tree`): feedparser sanitised the HTML of a WordPress feed's
    # full articles at ~1.7 ms an item on the reactor thread, and handled each of the rest (categories,
    # authors, comment links: ~50 µs an element) as well (bench/bench_crawl.py). The checked tree is what
    # feedparser gets, re-encoded as UTF-8 (the XML parser hands feedparser the same characters, whatever
    # the original encoding).
    body = _bom_first(_unpacked(body, "feed"))
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_feed(body, feed_url)
    try:
        root = _feed_tree(body)
    except UnsafeXml:
        if (recoded := _misdeclared(body)) is None:
            raise
        root = _feed_tree(recoded)
    if (kind := _local(str(root.tag))).lower() not in _FEED_ROOTS:
        raise UnsafeXml(failures.FEED_IS_OTHER_XML % {"root": kind})
    body = safe_xml.tostring(root, encoding="utf-8")
    headers = {**headers, "content-type": "application/xml; charset=utf-8"}
    parsed = feedparser.parse(body, response_headers=headers)
    entries = []
    for item in parsed.entries:
        # A <guid isPermaLink="false"> is a name, not an address ("98765" was fetched as FEED_URL/98765,
        # a 404 every cycle): only an absolute one stands in for a missing link.
        # FeedBurner's items link to its own redirector (feedproxy.google.com, long gone): another site's
        # address, left out; `feedburner:origLink` is the story's own.
        guid = item.get("id") or ""
        link = item.get("feedburner_origlink") or item.get("link")
        link = link or (guid if absolute("", guid) else None)
        if not link or (url := absolute(feed_url, link)) is None:
            continue
        entries.append(
            Entry(
                url=url,
                title=item.get("title"),
                published=item.get("published") or item.get("updated"),
                date_origin="feed",
            )
        )
    return entries


def _json_feed(body: bytes, feed_url: str) -> list[Entry]:
    """Entries of a JSON Feed (jsonfeed.org, `application/feed+json`), which feedparser does not read: each
    item's `url` (its `id` when that is an address), title and date, its first MAX_FEED_ITEMS items."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise UnsafeXml(failures.MALFORMED_JSON_FEED % {"detail": str(error)[:200]}) from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        raise UnsafeXml(failures.FEED_IS_OTHER_JSON)
    items = document.get("items")
    entries = []
    for item in items[:MAX_FEED_ITEMS] if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        guid = str(item.get("id") or "")
        link = item.get("url") or (guid if absolute("", guid) else None)
        if not isinstance(link, str) or (url := absolute(feed_url, link)) is None:
            continue
        title, published = item.get("title"), item.get("date_published") or item.get("date_modified")
        entries.append(
            Entry(
                url=url,
                title=title if isinstance(title, str) else None,
                published=published if isinstance(published, str) else None,
                date_origin="feed",
            )
        )
    return entries


_ITEMS = ("item", "entry")
# What feedparser makes an entry's link, id, title, `published` and `updated` of (RSS 2.0, RSS 1.0 and Atom;
# dc:date, dcterms:issued and dcterms:modified too) and FeedBurner's origLink, by local name: an item's text
# (content:encoded, description, summary, content), categories, authors, comment links and enclosures are never
# read.
_ITEM_READ = {
    *("link", "origLink", "guid", "id", "title"),
    *("pubDate", "published", "issued", "updated", "modified", "date"),
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit for one file, uncompressed
_GZIP_MAGIC = b"\x1f\x8b\x08"


# An HTML document's opening, after a byte-order mark, blank space and comments: a feed address that
# answers the site's homepage or a listing (a moved feed, a CMS without one).
_WEB_PAGE = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


def _unpacked(body: bytes, what: Literal["feed", "sitemap"]) -> bytes:
    """A feed or sitemap gzip-compressed but served as it is stored (a .xml.gz as text/plain or
    application/x-gzip, no Content-Encoding, so the HTTP layer left it packed), unpacked as Scrapy's own
    SitemapSpider does: by its first bytes, with scrapy.utils.gz, at most the protocol's 50 MB. A web page
    is refused here, saying so."""
    if not body.startswith(_GZIP_MAGIC):
        if _WEB_PAGE.match(body):  # read as XML it was "malformed XML: syntax error: line 1, column 0"
            raise UnsafeXml(failures.FEED_IS_A_PAGE if what == "feed" else failures.SITEMAP_IS_A_PAGE)
        return body
    try:
        return gunzip(body, max_size=MAX_SITEMAP_BYTES)
    except (OSError, EOFError, ValueError) as error:  # ValueError: over the size, or not gzip after all
        unpacking = failures.FEED_NOT_UNPACKED if what == "feed" else failures.SITEMAP_NOT_UNPACKED
        detail = str(error) if isinstance(error, ValueError) else failures.DAMAGED_OR_CUT
        if isinstance(limit := getattr(error, "max_size", None), int):  # scrapy.utils.gz's cap, passed
            detail = failures.OVER_UNPACKED_LIMIT % {"limit": limit}
        raise UnsafeXml(unpacking % {"detail": detail}) from None


def parse_sitemap(body: bytes, sitemap_url: str) -> Sitemap:
    """URLs of a sitemap (news sitemaps included, gzip-compressed or not) or the child sitemaps of a
    sitemap index."""
    root = _check_xml(_bom_first(_unpacked(body, "sitemap")))
    entries: list[Entry] = []
    children: list[str] = []
    lastmod: dict[str, str] = {}
    for node in root:
        # Direct children only: image and video extensions carry their own <loc>.
        fields = {_local(child.tag): child for child in node}
        for extension in ("news", "publication"):
            if extension in fields:
                fields.update({_local(child.tag): child for child in fields[extension] if _local(child.tag) != "loc"})
        loc = fields.get("loc")
        if loc is None or not loc.text or (url := absolute(sitemap_url, loc.text)) is None:
            continue
        if _local(root.tag) == "sitemapindex":
            children.append(url)
            if (modified := fields.get("lastmod")) is not None and modified.text:
                lastmod[url] = modified.text.strip()
            continue
        date_node = fields.get("publication_date") or fields.get("lastmod")
        title_node = fields.get("title")
        entries.append(
            Entry(
                url=url,
                title=title_node.text if title_node is not None else None,
                published=date_node.text if date_node is not None else None,
                date_origin="sitemap",
            )
        )
    return Sitemap(entries=entries, child_sitemaps=children, child_lastmod=lastmod)
