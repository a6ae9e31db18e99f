"""Crawling: feeds, sitemaps and listing pages of news sites, politely and incrementally, with Scrapy."""

from crawler.guard import is_public_ip
from crawler.runner import crawl, fetch_page, install_asyncio_reactor, scrapy_settings
from crawler.types import CrawlSink, FeedState, FetchedPage, FetchRecord, SourcePlan
from crawler.urls import canonicalize_url

__all__ = [
    "CrawlSink",
    "FeedState",
    "FetchRecord",
    "FetchedPage",
    "SourcePlan",
    "canonicalize_url",
    "crawl",
    "fetch_page",
    "install_asyncio_reactor",
    "is_public_ip",
    "scrapy_settings",
]
