"""URL canonicalisation and the shape of article and listing URLs.

One story is often reachable under several URLs (tracking parameters, `#comments`, AMP and mobile twins,
a trailing slash or not). The crawl's "already stored?" test compares canonical forms, so the same
article is never fetched twice. courlan (trafilatura's own URL library) does the generic part.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import courlan
from courlan.settings import ALLOWED_PARAMS, LANG_PARAMS

_AMP_PATH = re.compile(r"/amp/?$|/amp(?=/)|\.amp(?=\.html?$)")
_AMP_QUERY = re.compile(r"(^|&)(amp|outputType=amp)(=[^&]*)?(?=&|$)")
_MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.")
_NOT_ARTICLE = re.compile(
    r"/(category|categorie|rubrique|tag|tags|taxonomy|term|author|auteur|users?|page|feed|wp-admin|wp-login|"
    r"wp-json|wp-content|search|recherche|contact|about|a-propos|privacy|cookies|login|register|comments?)(/|$)|"
    r"\.(jpe?g|png|gif|webp|svg|pdf|mp4|mp3|zip|css|js|xml|json|ico)$",
    re.IGNORECASE,
)
_DATED_PATH = re.compile(r"/20\d{2}/\d{1,2}/(\d{1,2}/)?[^/]+")
# `/news/1097.html`, `?p=123` (WordPress)
_NUMERIC_ID = re.compile(r"(^|[/-])\d{3,}(\.html?)?/?$|[?&]p=\d+(&|$)")
# `index.php?id=77`, `news.php?nid=5` (hand-made PHP sites and old CMSs) — on a page not named a section's or
# author's (`category.php?id=7`, `author.php?id=15`, Joomla's `index.php?view=category&id=12`)
_ID_QUERY = re.compile(r"(^|&)(id|nid|aid|news_?id|article_?id)=\d+(&|$)", re.IGNORECASE)
_SECTION_NAME = re.compile(
    r"categ|rubri|section|auth|auteur|user|member|profil|list|(?<![a-z])(cat|tags?|archives?)(?![a-z])", re.IGNORECASE
)
_LISTING_PATH = re.compile(
    r"/(category|categorie|rubrique|section|regions?|jihat|news|actualites?)/[^/?#]+/?$|/page/[2-5]/?$"
)


_NEXT_PAGE_QUERY = re.compile(r"(^|&)page=[2-5](&|$)")  # `/?page=2`, `/news.php?cat=3&page=2`
# A day's, month's or year's archive (WordPress's calendar widget links every day of the month): a list of
# that day's stories, not one; fetched as articles, a calendar cost thirty requests every cycle.
# (WordPress's "Numeric" permalinks are `/archives/%post_id%`: `/archives/2019` is post 2019, its year is
# `/archives/date/2019`.)
_DATE_ARCHIVE = re.compile(r"/(19|20)\d{2}/\d{1,2}(/\d{1,2})?/?$|^/(19|20)\d{2}/?$")
# A dated permalink under its section (`/category/societe/2026/11/25/slug`): the story, not the section.
_SECTION_BEFORE_DATE = re.compile(r"^(/[a-z]{2})?/(category|categorie|rubrique)/[^/]+(?=/(19|20)\d{2}/)")
# A session id in the address, the next visit's is another (`;jsessionid=…` in the path, `?PHPSESSID=…`): the
# same story under a new address every cycle, and a stranger's session in a reader's link.
_SESSION_PATH = re.compile(r";(jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.IGNORECASE)
_SESSION_PARAM = re.compile(r"(php|j|asp)?sess(ion)?_?id|cfid|cftoken|oscsid|zenid", re.IGNORECASE)
# Query parameters that name the story (`news.php?nid=78`, PHP-Nuke's `sid=123`, `?idart=77`), beyond
# courlan's own short list (id, p, aid…): its strict mode dropped them, and every story of the page
# shared one address — all but the first were taken for it and never fetched.
_ID_PARAM = re.compile(r".*id|id.*|num|no|n|slug|art|article|story|news|item|post", re.IGNORECASE)


def _query_key(query: str) -> str:
    """The parameters of a (tracker-free, sorted) query that tell one story from another."""
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if (name.lower() in ALLOWED_PARAMS or name.lower() in LANG_PARAMS or _ID_PARAM.fullmatch(name))
        and not _session(name, value)
    ]
    return urlencode(kept)


def _session(name: str, value: str) -> bool:
    """A session id: by its name, or `sid` holding more than a number (phpBB's, not PHP-Nuke's story id)."""
    return bool(_SESSION_PARAM.fullmatch(name)) or (name.lower() == "sid" and not value.isdigit())


def _without_index_page(path: str) -> str:
    """`/story/index.html` is `/story/`: a directory's index page answers under both."""
    return re.sub(r"/index\.(html?|php)$", "/", path, flags=re.IGNORECASE)


def canonicalize_url(url: str) -> str:
    """The one form a URL is stored and compared under."""
    normalized = courlan.normalize_url(_SESSION_PATH.sub("", url), strict=False, trailing_slash=True)
    parts = urlsplit(normalized)
    host = _MOBILE_HOST.sub("", parts.netloc.lower())
    if host.startswith("www."):
        host = host[4:]
    path = _AMP_PATH.sub("", parts.path) or "/"
    if not parts.query:
        path = _without_index_page(path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = _query_key(_AMP_QUERY.sub("", parts.query).strip("&"))
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme, host, path, query, ""))


def clean_url(url: str) -> str:
    """The URL a reader is given: tracking parameters (courlan's list: utm_*, fbclid, xtor…) and the
    fragment removed, everything else kept — unlike `canonicalize_url`, the host, `www.`, the scheme, the
    path's trailing slash and non-tracking parameters stay as the site wrote them."""
    parts = urlsplit(courlan.normalize_url(_SESSION_PATH.sub("", url), strict=False, trailing_slash=True))
    query = urlencode([(name, value) for name, value in parse_qsl(parts.query, True) if not _session(name, value)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _bare_host(url: str) -> str:
    """The host without www., m. (mobile, amp) and port."""
    return _MOBILE_HOST.sub("", (urlsplit(url).hostname or "").removeprefix("www."))


def same_site(url: str, homepage: str) -> bool:
    """True when `url` is on the homepage's host (ignoring www., m. and the port's absence)."""
    return _bare_host(url) == _bare_host(homepage)


def same_domain(url: str, homepage: str) -> bool:
    """`same_site`, or one host under the other (`fr.site.ma` and `site.ma`): the outlet's own editions."""
    host, home = _bare_host(url), _bare_host(homepage)
    return host == home or (bool(host and home) and (host.endswith("." + home) or home.endswith("." + host)))


def looks_like_article(url: str, homepage: str) -> bool:
    """Article permalinks on news sites carry a date, a numeric id or a long slug."""
    if not same_site(url, homepage):
        return False
    parts = urlsplit(url)
    path = _SECTION_BEFORE_DATE.sub("", parts.path)
    if _DATE_ARCHIVE.search(path):
        return False
    if _NOT_ARTICLE.search(path) or path in ("", "/") or "replytocom" in parts.query:
        return bool(re.search(r"[?&]p=\d+", "?" + parts.query))
    if _dated_or_numbered(url):
        return True
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return slug.count("-") >= 3 and len(slug) >= 20


def announced_article(url: str, homepage: str, announced_on: str) -> bool:
    """Whether a feed or sitemap entry is one of this source's articles: on its site — or on the site the feed
    or sitemap itself answered from (`announced_on`, after redirects: a source that moved to a new domain) —,
    and not the homepage, a section, tag or author page, which sitemaps list beside the articles (fetched as
    articles, they were stored as stories). An aggregator's items on other sites are another source's."""
    if not (same_domain(url, homepage) or same_site(url, announced_on)):
        return False
    path = urlsplit(url).path
    # a section's or tag's name is one of the last two segments (`/category/societe/`, `/tag/2025/`); a
    # permalink may hold its section before its slug (`/rubrique/economie/<slug>`)
    if _NOT_ARTICLE.search("/" + "/".join(path.rstrip("/").split("/")[-2:])) or _DATE_ARCHIVE.search(path):
        return False
    return _dated_or_numbered(url) or path not in ("", "/")


def _dated_or_numbered(url: str) -> bool:
    """A permalink with a date (/2025/10/14/…) or a numeric id (/news/1097.html, ?p=123)."""
    parts = urlsplit(url)
    if _DATED_PATH.search(parts.path) or _NUMERIC_ID.search(parts.path + ("?" + parts.query if parts.query else "")):
        return True
    names = [parts.path.rsplit("/", 1)[-1], *(value for _, value in parse_qsl(parts.query))]
    return bool(_ID_QUERY.search(parts.query)) and not any(_SECTION_NAME.search(name) for name in names)


def looks_like_listing(url: str, homepage: str) -> bool:
    """Category and section pages: where sites without feeds or sitemaps list their articles. A dated or
    numbered URL under a section name is a story, not the section (`/news/1097.html` against `/news/regions/`):
    fetched as a listing it was never stored, and it took the listing budget from the real sections. A long
    section name (`/regions/tanger-tetouan-al-hoceima`) is still a section."""
    parts = urlsplit(url)
    listing = _LISTING_PATH.search(parts.path) or _NEXT_PAGE_QUERY.search(parts.query)
    return same_site(url, homepage) and bool(listing) and not _dated_or_numbered(url)


def absolute(base: str, href: str) -> str | None:
    """`href` resolved against `base` (a login in it left out), or None for non-HTTP links (mailto:,
    javascript:, tel:, file:, data:) and for what is no address (an unclosed IPv6 bracket, a port out of range
    or not a number, a space in the host name): urllib's ValueError for one such link in a feed lost the whole
    feed, unsaid."""
    try:
        resolved = urljoin(base, href.strip())
        parts = urlsplit(resolved)
        parts.port  # noqa: B018 - read for its ValueError
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in host):
        return None
    if "@" in parts.netloc:
        # a login in a feed's or a page's link (http://user:secret@site.ma/story): Scrapy refused the whole
        # address ("invalid hostname"), said as a redirect "to something that is not a web address" with the
        # password in the line, every cycle; the story is the public page, fetched without it
        resolved = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return resolved
