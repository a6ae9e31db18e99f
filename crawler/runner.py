"""Running the spider inside the caller's asyncio loop (Scrapy's asyncio reactor).

Twisted's reactor cannot be restarted, so the process installs the asyncio reactor once
(`install_asyncio_reactor`) and every cycle — one-shot or in the daemon — awaits `crawl()` on it.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

import scrapy
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.utils.reactor import install_reactor, is_reactor_installed

from rasd.config import CrawlerSettings
from rasd.crawler.deprecated_names import import_download_handler
from rasd.crawler.robots import ROBOTS_MIDDLEWARES
from rasd.crawler.spider import REDIRECT_MAX_TIMES, NewsSpider
from rasd.crawler.stopping import STOP_GATE, stop_requested, stoppable
from rasd.crawler.types import CrawlSink, SourcePlan

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


# Scrapy components that only count or log what Rasd never reads, each paid on every request or response
# of the reactor thread (bench/bench_crawl.py --profile): statistics (stats are never read: the cycle
# counts what it needs in monitor.cycle), depth tracking (no DEPTH_LIMIT: listing depth is the spider's
# own), the offsite filter (no allowed_domains: same-site redirects are crawler/redirects.py's), HTTP
# auth (no credentials), the periodic INFO log lines and memory checks (LOG_LEVEL is ERROR, no
# MEMUSAGE_LIMIT) and the meta-copy warning (a debugging aid). Proxies, compression, retries, redirects,
# timeouts, the User-Agent and the Referer stay. Nor does Scrapy look for a `return value` in the source of
# each generator callback (WARN_ON_GENERATOR_RETURN_VALUE, another debugging aid): its cache is keyed by the
# bound method, made anew for every request, so it read and parsed the spider's source for most answers.
# Of Scrapy's extensions only AutoThrottle is kept (its base list replaced: an extension named as None in
# EXTENSIONS is still imported). The others never apply here (no JOBDIR, FEEDS, CLOSESPIDER_* or telnet
# console) or only count, and each was imported and built on every crawl — above all Scrapy 2.19's
# RemoteControl, on by default: an HTTP server on 127.0.0.1 that runs the Python code it is sent, its token
# in a job file under ~/.local/state/scrapy, in every crawl and for the daemon's life; and aiohttp imported
# for it (~0.14 s of CPU a crawl). The unused middlewares are left out of Scrapy's base lists rather than
# named None: Scrapy 2.19 imports every middleware its settings name, None or not — the cookies middleware
# (COOKIES_ENABLED is off, so it was never built) with tldextract, requests and filelock, ~100 modules and
# ~35 ms of CPU a crawl.
UNUSED_DOWNLOADER_MIDDLEWARES = frozenset(
    {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
        "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
        "scrapy.downloadermiddlewares.stats.DownloaderStats",
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    }
)
UNUSED_SPIDER_MIDDLEWARES = frozenset(
    {"scrapy.spidermiddlewares.depth.DepthMiddleware", "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware"}
)
EXTENSIONS: dict[str, int] = {"scrapy.extensions.throttle.AutoThrottle": 0}  # `[crawler] autothrottle`


# glibc's M_MMAP_THRESHOLD: a block at least this large is mapped on its own and given back when freed.
_M_MMAP_THRESHOLD = -3
LARGE_BLOCK_BYTES = 256 * 1024


def give_back_large_blocks() -> None:
    """Make glibc's malloc map every block of LARGE_BLOCK_BYTES or more on its own, for good. By default it
    raises that threshold to the size of each such block freed, so after the first feeds (a few MB each:
    the bench's list every article) every later one came from the heap, and the holes they left kept the
    crawl's process 26 MB larger at 8,000 pages than at 2,000 (bench/bench_crawl.py; the memory in use was
    the same). A page (~100 KB) stays in the heap. Other C libraries (musl, macOS) keep their own policy."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES)


def install_asyncio_reactor() -> Any:
    """Install Scrapy's asyncio reactor once per process (before anything imports the reactor); return it.
    The process's malloc gives large blocks back from then on (`give_back_large_blocks`)."""
    if not is_reactor_installed():
        install_reactor(ASYNCIO_REACTOR)
        give_back_large_blocks()
    from twisted.internet import reactor

    return reactor


def _base_without(name: str, unused: frozenset[str]) -> dict[str, int]:
    """Scrapy's base list of middlewares `name` without the `unused` ones."""
    from scrapy.settings import default_settings

    return {path: order for path, order in getattr(default_settings, name).items() if path not in unused}


def scrapy_settings(settings: CrawlerSettings) -> dict[str, Any]:
    """Polite defaults: robots.txt, AutoThrottle, per-domain concurrency, capped sizes, an honest UA."""
    return {
        "BOT_NAME": "rasd",
        "USER_AGENT": settings.user_agent,
        "ROBOTSTXT_OBEY": settings.obey_robots_txt,
        "ROBOTSTXT_USER_AGENT": "Rasd",
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrent_requests_per_domain,
        # Callbacks yield requests, never items: Scrapy's default of 100 made 100 asyncio tasks per callback
        # to process their output in parallel (44,000 tasks in a 400-page cycle, bench/bench_crawl.py).
        "CONCURRENT_ITEMS": 4,
        "DOWNLOAD_DELAY": settings.download_delay,
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.max_response_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "AUTOTHROTTLE_ENABLED": settings.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(settings.download_delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(settings.concurrent_requests_per_domain),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 1,
        "REDIRECT_MAX_TIMES": REDIRECT_MAX_TIMES,
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "TWISTED_REACTOR": ASYNCIO_REACTOR,
        "RASD_ALLOW_PRIVATE_NETWORKS": settings.allow_private_networks,
        "RASD_ALLOW_HOSTS": list(settings.allow_hosts),
        "RASD_SOURCE_TIME_BUDGET": settings.source_time_budget,
        # The guard first: a redirect to an internal address is refused as such, before the off-site rule.
        # robots.txt through crawler/robots.py: Scrapy 2.19's own middleware lets all but the first
        # requests waiting for a host's robots.txt through unchecked.
        "DOWNLOADER_MIDDLEWARES": {
            "rasd.crawler.guard.PrivateNetworkGuard": 50,
            "rasd.crawler.redirects.SameSiteArticleRedirects": 55,
            "rasd.crawler.redirects.CookieWallRedirects": 610,  # before RedirectMiddleware (600) sees the answer
            "rasd.crawler.redirects.LoginlessRedirects": 611,  # as well: a Location with a login, followed without
            # Scrapy's, reading only the start of a page (at its place: MetaRefreshMiddleware's 580)
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "rasd.crawler.redirects.MetaRefreshOnHead": 580,
            # After RetryMiddleware (550): it sees every timeout first, and cuts every retry's timeout too. For
            # the crawl's spider only (`site_budget`): `rasd sources check` judges every URL it was given.
            "rasd.crawler.budget.SiteBudget": 560,
            # Between them: a 429's Retry-After is seen before Scrapy's retry asks at once (550), and the pause is
            # waited for before the site budget's check (560), which then refuses a request past the site's time.
            "rasd.crawler.ratelimit.RetryAfter": 555,
            **ROBOTS_MIDDLEWARES,
            **STOP_GATE,
        },
        "DOWNLOADER_MIDDLEWARES_BASE": _base_without("DOWNLOADER_MIDDLEWARES_BASE", UNUSED_DOWNLOADER_MIDDLEWARES),
        "SPIDER_MIDDLEWARES_BASE": _base_without("SPIDER_MIDDLEWARES_BASE", UNUSED_SPIDER_MIDDLEWARES),
        "SPIDER_MIDDLEWARES": {"rasd.crawler.mishaps.CallbackMishaps": 950},  # next to the spider
        "EXTENSIONS_BASE": EXTENSIONS,
        "STATS_CLASS": "scrapy.statscollectors.DummyStatsCollector",
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }


async def crawl(
    plans: list[SourcePlan],
    settings: CrawlerSettings,
    validators: dict[str, tuple[str | None, str | None]],
    sink: CrawlSink,
) -> None:
    """One crawl of `plans`; results go to `sink` as they arrive. Returns when the crawl has finished, or
    has been stopped by `stop_crawls`."""
    await run_spider(NewsSpider, settings, plans=plans, validators=validators, sink=sink)


async def run_spider(spider: type[scrapy.Spider], settings: CrawlerSettings, **arguments: Any) -> None:
    """Run one spider with the crawl's Scrapy settings (politeness, robots.txt, network guard), stoppable
    by `stop_crawls` like every crawl of this process."""
    import_download_handler()  # without the stack walks of its renamed classes (crawler/deprecated_names.py)
    runner = AsyncCrawlerRunner(scrapy_settings(settings))
    crawler = runner.create_crawler(spider)
    with stoppable(crawler):
        await runner.crawl(crawler, stopping=stop_requested, **arguments)


def fetch_failure(error: OSError, timeout: float) -> str:
    """Why `fetch_page` got no page, as the crawl words it (config.failures: said in the reader's language):
    urllib's words were "<urlopen error [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)>",
    "HTTP Error 404: Not Found", "timed out"."""
    import socket
    import ssl
    import urllib.error

    from rasd.config import failures

    if isinstance(error, urllib.error.HTTPError):  # a redirect refused keeps urllib's words: where it went
        return f"HTTP {error.code}" if error.code >= 400 else str(error)
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, ssl.SSLCertVerificationError):
        return failures.CAUSE_DETAIL % {"cause": failures.TLS_FAILED, "detail": reason.verify_message}
    if isinstance(reason, ssl.SSLError):
        said = re.search(r"\]\s*(.+?)\s*\(_ssl", str(reason))
        return failures.CAUSE_DETAIL % {"cause": failures.TLS_FAILED, "detail": said[1] if said else str(reason)}
    if isinstance(reason, ConnectionRefusedError):
        return failures.CONNECTION_REFUSED
    if isinstance(reason, socket.gaierror):
        return failures.DNS_FAILED
    if isinstance(reason, TimeoutError):
        return failures.TIMED_OUT_AFTER % {"seconds": f"{timeout:g}"}
    return str(error)


def fetch_page(url: str, settings: CrawlerSettings) -> tuple[str, bytes]:
    """One page for `rasd extract URL`: the crawl's network policy (on the URL and on every redirect),
    User-Agent, timeout and size cap. Raises ValueError with a readable reason when refused."""
    import urllib.request

    from rasd.crawler.guard import NetworkPolicy, check_url

    policy = NetworkPolicy.of(settings.allow_private_networks, settings.allow_hosts)

    class CheckedRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
            check_url(newurl, policy)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    check_url(url, policy)
    # Only http(s) handlers: no file://, ftp:// or data: URL is ever opened, even through a redirect.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        CheckedRedirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent})
    with opener.open(request, timeout=settings.download_timeout) as response:
        body = response.read(settings.max_response_bytes + 1)
        if len(body) > settings.max_response_bytes:
            raise ValueError(f"{url}: larger than {settings.max_response_bytes} bytes")
        return response.geturl(), body
