"""Crawling: feeds, sitemaps and listing pages of news sites, politely and incrementally, with Scrapy."""

from rasd.crawler.backfill import backfill
from rasd.crawler.discover import FeedCheck, SourceDiscovery, discover_sources
from rasd.crawler.guard import is_public_ip
from rasd.crawler.runner import crawl, fetch_failure, fetch_page, install_asyncio_reactor, scrapy_settings
from rasd.crawler.stopping import stop_crawls, stopped_by
from rasd.crawler.types import CrawlSink, FeedState, FetchedPage, FetchRecord, SourcePlan
from rasd.crawler.urls import canonicalize_url, same_site

__all__ = [
    "CrawlSink",
    "FeedCheck",
    "FeedState",
    "FetchRecord",
    "FetchedPage",
    "SourceDiscovery",
    "SourcePlan",
    "backfill",
    "canonicalize_url",
    "crawl",
    "discover_sources",
    "fetch_failure",
    "fetch_page",
    "install_asyncio_reactor",
    "is_public_ip",
    "same_site",
    "scrapy_settings",
    "stop_crawls",
    "stopped_by",
]
