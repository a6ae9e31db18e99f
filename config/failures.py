"""The failures Rasd names in its own words when a site's answer is missing or unusable, each a message with
its details: the crawler writes them (a fetch record's error, in English, as stored and logged), and the
commands (`rasd crawl`'s summary, `rasd status`, `rasd sources check`) read one back with `failure_told` and
say it in the reader's language through the catalogs, its details as given — a library's or the site's own
words (an XML parser's message, an HTTP status and reason) are not Rasd's to translate.

Here, in config, which every stage may import and which imports nothing heavy, so that `rasd status` reads
them without loading the crawler (Scrapy). `N_` marks a message for `make catalogs`.
"""

from __future__ import annotations

import socket

from rasd.config.hosts import shown_hosts
from rasd.config.told import Told, told_pattern


def N_(message: str) -> str:  # gettext's name for a message marked, not looked up
    return message


# A failure's kind alone (crawler.spider.failure_cause), alike for every source that failed the same way.
TIMED_OUT = N_("timed out")
CONNECTION_REFUSED = N_("connection refused")
DNS_FAILED = N_("DNS lookup failed")
CUT_MID_ANSWER = N_("connection cut in the middle of the answer")
CLOSED_BEFORE_ANSWER = N_("connection closed before any answer")
DOWNLOAD_FAILED = N_("download failed")
TOO_LARGE = N_("cut off: larger than download max size")
REFUSED = N_("refused")
NO_ERROR = N_("failed without an error")
NOT_ANSWERING = N_("not answering")
OUT_OF_TIME = N_("out of time")
RATE_LIMITED = N_("rate limited")
# OpenSSL's reason follows ("wrong version number": the address answers plain HTTP on its https port)
TLS_FAILED = N_("secure connection (TLS) failed")
# a gzip, deflate or brotli body that does not unpack: zlib's "Error -3 while decompressing data: invalid …"
DAMAGED_COMPRESSION = N_("damaged answer: its compressed body (Content-Encoding) does not unpack")
# a redirect's Location that is no address: urllib's "Invalid IPv6 URL", Scrapy's "Missing scheme in request url"
REDIRECTED_TO_NO_ADDRESS = N_("redirected to something that is not a web address")
# a .gz feed or sitemap whose bytes are not gzip after its first ones: gzip's "Compressed file ended before the
# end-of-stream marker was reached", "Not a gzipped file"
DAMAGED_OR_CUT = N_("damaged or cut short")
# a port answering another protocol (an SSH or SMTP greeting, a proxy's banner): Twisted's "non-integer status
# code"; its first bytes follow, quoted
NOT_HTTP = N_("not an HTTP answer (another service on this port?)")
CAUSES = (
    TIMED_OUT,
    CONNECTION_REFUSED,
    DNS_FAILED,
    CUT_MID_ANSWER,
    CLOSED_BEFORE_ANSWER,
    DOWNLOAD_FAILED,
    TOO_LARGE,
    REFUSED,
    NO_ERROR,
    NOT_ANSWERING,
    OUT_OF_TIME,
    RATE_LIMITED,
    TLS_FAILED,
    DAMAGED_COMPRESSION,
    DAMAGED_OR_CUT,
    REDIRECTED_TO_NO_ADDRESS,
    NOT_HTTP,
)

# A failure with its details.
GAVE_UP_NOT_ANSWERING = N_(
    "not answering: %(count)s requests in a row got no answer; the rest is left for the next cycle"
)
GAVE_UP_OUT_OF_TIME = N_(
    "out of time: the site's %(seconds)s s of this cycle ([crawler] source_time_budget) are spent; the rest is "
    "left for the next cycle"
)
GAVE_UP_CRAWL_DELAY = N_(
    "out of time: robots.txt asks for %(seconds)s s between requests (Crawl-delay) and the site's %(budget)s s of "
    "this cycle are spent; the rest is left for the next cycle"
)
GAVE_UP_RATE_LIMITED = N_(
    "rate limited: the site asked for a pause of %(seconds)s s (HTTP %(status)s, Retry-After); the rest is left "
    "for the next cycle"
)
REFUSED_AFTER_PAUSE = N_("HTTP %(status)s after waiting %(seconds)s s (Retry-After)")
MALFORMED_XML = N_("malformed XML: %(detail)s")
REFUSED_XML = N_("refused XML: %(detail)s")
FEED_IS_A_PAGE = N_("not a feed: it answered a web page (HTML); check its address")
SITEMAP_IS_A_PAGE = N_("not a sitemap: it answered a web page (HTML); check its address")
FEED_IS_OTHER_XML = N_("not a feed: it answered <%(root)s>, a web page or other XML; check its address")
MALFORMED_JSON_FEED = N_("malformed JSON Feed: %(detail)s")
FEED_IS_OTHER_JSON = N_("not a feed: it answered JSON that is not a JSON Feed; check its address")
FEED_NOT_UNPACKED = N_("a gzip-compressed feed that does not unpack: %(detail)s")
SITEMAP_NOT_UNPACKED = N_("a gzip-compressed sitemap that does not unpack: %(detail)s")
EMPTY_ANSWER = N_("empty answer: HTTP 200 with no content")
ROBOTS_SERVER_ERROR = N_("robots.txt answered HTTP %(status)s: the site is not crawled until it answers")
OFF_SITE_REDIRECT = N_("off-site redirect: %(start)s → %(url)s (not stored under this source)")
EXTRACTION_FAILED = N_("extraction failed: %(detail)s")
# a spider callback that raised (crawler/mishaps.py): Rasd's fault on an answer, fetched again next cycle
UNREADABLE = N_("Rasd could not read this answer (%(detail)s); it is fetched again next cycle")
# Scrapy's own words for these three were English ("Getting URL took longer than 8.0 seconds", "Expected to
# receive 50000000 bytes which is larger than download max size (5000000) in request <GET …>", "max
# redirections reached"): said here with the setting a user may change, or what to check.
TIMED_OUT_AFTER = N_("timed out: no complete answer within %(seconds)s s ([crawler] download_timeout)")
TOO_LARGE_SIZE = N_("too large: %(size)s bytes, over [crawler] max_response_bytes (%(limit)s); not read")
# A compression bomb: Scrapy's "Ignored response <200 …> because its body (5861 B compressed, 5046272 B
# decompressed so far) exceeded DOWNLOAD_MAXSIZE (5000000 B) during decompression"; a .gz feed or sitemap over
# the protocol's 50 MB: "The number of bytes decompressed so far (52494336 B) exceeded the specified maximum".
TOO_LARGE_UNPACKED = N_(
    "too large once unpacked: its %(size)s compressed bytes give more than [crawler] max_response_bytes "
    "(%(limit)s); not read"
)
OVER_UNPACKED_LIMIT = N_("more than %(limit)s bytes once unpacked, more than a feed or sitemap may be")
SITEMAP_LISTS_ITSELF = N_("a sitemap index that lists only itself; check its address")
# a child index that lists only the indexes it was reached from (A lists B, B lists A)
SITEMAP_LOOP = N_("a sitemap index that lists only the indexes leading to it (a loop); check its address")
TOO_MANY_REDIRECTS = N_("redirected more than %(count)s times (a redirect loop?); check its address")
# A name the resolver does not know, or none answered for: the resolver's "[Errno -2] Name or service not
# known", Twisted's "no results for hostname lookup: xn--mgbeb4d6clp.ma" were English after the reader's words
DNS_NO_SUCH_NAME = N_("DNS lookup failed: no name server knows %(host)s; check the address")
DNS_NO_ANSWER = N_("DNS lookup failed: no name server answered for %(host)s (check this machine's network)")
# A failure and where it happened.
CAUSE_DETAIL = N_("%(cause)s: %(detail)s")  # a kind of failure, then the library's words
REDIRECTED_FROM = N_("%(failure)s (redirected from %(url)s)")
FETCH_FAILED = N_("%(failure)s (%(kind)s %(url)s)")  # a fetch record's error, the kind of page and its URL

# The kinds of page a fetch is for (crawler.FetchRecord.kind), as a failure line names them.
PAGE_KINDS = {
    "robots": N_("robots"),
    "feed": N_("feed"),
    "sitemap": N_("sitemap"),
    "listing": N_("listing"),
    "article": N_("article"),
}

_DETAILED = (
    GAVE_UP_NOT_ANSWERING,
    GAVE_UP_OUT_OF_TIME,
    GAVE_UP_CRAWL_DELAY,
    GAVE_UP_RATE_LIMITED,
    REFUSED_AFTER_PAUSE,
    MALFORMED_XML,
    REFUSED_XML,
    FEED_IS_A_PAGE,
    SITEMAP_IS_A_PAGE,
    FEED_IS_OTHER_XML,
    MALFORMED_JSON_FEED,
    FEED_IS_OTHER_JSON,
    FEED_NOT_UNPACKED,
    SITEMAP_NOT_UNPACKED,
    EMPTY_ANSWER,
    ROBOTS_SERVER_ERROR,
    OFF_SITE_REDIRECT,
    EXTRACTION_FAILED,
    UNREADABLE,
    TIMED_OUT_AFTER,
    TOO_LARGE_SIZE,
    TOO_LARGE_UNPACKED,
    OVER_UNPACKED_LIMIT,
    TOO_MANY_REDIRECTS,
    SITEMAP_LISTS_ITSELF,
    SITEMAP_LOOP,
    DNS_NO_SUCH_NAME,
    DNS_NO_ANSWER,
)
# What a placeholder may hold, when not any text: an address has no space, a page's kind is one of PAGE_KINDS.
_HOLDS = {"url": r"\S+", "start": r"\S+", "host": r"\S+", "kind": "|".join(PAGE_KINDS)}
_FAILURE_VALUES = ("failure", "detail")  # values that may be a failure in words themselves


def _read(message: str, text: str) -> Told | None:
    if (match := told_pattern(message, _HOLDS).fullmatch(text)) is None:
        return None
    values: dict[str, object] = dict(match.groupdict())
    for name in _FAILURE_VALUES:
        if name in values:
            values[name] = failure_told(str(values[name]))
    if "kind" in values:
        values["kind"] = Told(PAGE_KINDS[str(values["kind"])], {})
    return Told(message, values)


def failure_told(text: str) -> str:
    """A failure line Rasd wrote (a fetch record's error, a source's last error, a cause) as a `Told`, so
    that `Speech.told` says it in the reader's language; any other line (an HTTP status, the library's or
    the site's words) as it is."""
    text = shown_hosts(text)  # the site's name as the reader typed it, not its ASCII form (faults14 sweep)
    for message in (FETCH_FAILED, REDIRECTED_FROM, *_DETAILED):
        if (told := _read(message, text)) is not None:
            return told
    # A cause may hold ": " itself (TOO_LARGE): the longest one the text starts with.
    for cause in sorted(CAUSES, key=len, reverse=True):
        if text == cause:
            return Told(cause, {})
        if text.startswith(cause + ": "):
            return Told(CAUSE_DETAIL, {"cause": Told(cause, {}), "detail": text[len(cause) + 2 :]})
    return text


def dns_failed(host: str, error: BaseException | str) -> str:
    """A failed lookup of `host` (a socket.gaierror, or Twisted's words) as a fetch record's error: a name no
    name server knows, or a resolver that did not answer, in words the catalogs say; another error after the
    host."""
    number = getattr(error, "errno", None)
    if number in _NO_SUCH_NAME or "no results for hostname lookup" in str(error):
        return DNS_NO_SUCH_NAME % {"host": host}
    if number in _NO_ANSWER:
        return DNS_NO_ANSWER % {"host": host}
    return CAUSE_DETAIL % {"cause": DNS_FAILED, "detail": f"{host}: {getattr(error, 'strerror', None) or error}"}


# getaddrinfo's codes: no such name (EAI_NODATA is glibc's alone), no answer
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
_NO_ANSWER = {socket.EAI_AGAIN, socket.EAI_FAIL}
