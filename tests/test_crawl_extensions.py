"""A crawl runs none of Scrapy's extensions that Rasd never uses — above all not Scrapy 2.19's RemoteControl,
an HTTP server on 127.0.0.1 that runs the Python code it is sent (on by default), which every crawl and the
daemon started, and whose import (aiohttp) cost every crawl ~0.14 s of CPU (crawler/runner.py); nor does it
walk the stack to name the module of Scrapy's renamed TLS classes (crawler/deprecated_names.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.sites import RSS, route, rss, stories

# The extensions are built before the engine starts; a spider's first answer comes after. Run in a process of
# its own: the reactor is installed once per process.
DRIVER = """
import inspect, sys
walks = []
walk = inspect.stack
inspect.stack = lambda context=1: walks.append(context) or walk(context)[1:]
import rasd.crawler.runner as runner
from rasd.config import CrawlerSettings
from rasd.crawler import SourcePlan
from rasd.monitor.signals import run_on_reactor

made = runner.AsyncCrawlerRunner.create_crawler
built = []
def create_crawler(self, spidercls):
    crawler = made(self, spidercls)
    built.append(crawler)
    return crawler
runner.AsyncCrawlerRunner.create_crawler = create_crawler

class Sink:
    pages = 0
    def page(self, page): Sink.pages += 1
    def fetch(self, record): pass
    def feed(self, state): pass
    def stored(self, urls): return set()

settings = CrawlerSettings(allow_private_networks=True, download_delay=0, autothrottle=True, download_timeout=5)
run_on_reactor(lambda: runner.crawl([SourcePlan("Souss", sys.argv[1], feeds=(sys.argv[2],))], settings, {}, Sink()))
print("pages", Sink.pages)
print("extensions", sorted(type(e).__name__ for e in built[0].extensions.middlewares))
print("aiohttp imported", "aiohttp" in sys.modules)
print("cookie modules imported", sorted({"scrapy.downloadermiddlewares.cookies", "tldextract"} & set(sys.modules)))
from scrapy.core.downloader import contextfactory, tls
from scrapy.utils import deprecate
print("stack walks", len(walks), deprecate.inspect is inspect)
print("renamed", tls.ScrapyClientTLSOptions.__module__, contextfactory.ScrapyClientContextFactory.__module__)
"""


def test_a_crawl_starts_no_remote_control_server_and_no_unused_extension(sites: list[str], tmp_path: Path) -> None:
    base, state_home = sites[0], tmp_path / "state"
    route(f"{base}/feed/", 200, rss(stories(base, "souss", 3)), RSS)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, f"{base}/", f"{base}/feed/"],
        env={**os.environ, "PYTHONPATH": str(REPO), "XDG_STATE_HOME": str(state_home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "pages 3"
    assert lines[1] == "extensions ['AutoThrottle']"  # the one whose setting Rasd uses (`autothrottle`)
    assert lines[2] == "aiohttp imported False"
    # COOKIES_ENABLED is off: the cookies middleware was never built, but imported with tldextract (~35 ms)
    assert lines[3] == "cookie modules imported []"
    assert lines[4] == "stack walks 0 True"  # inspect.stack read every frame's source: 0.10–0.15 s of CPU
    assert lines[5] == "renamed scrapy.core.downloader.tls scrapy.core.downloader.contextfactory"
    assert not (state_home / "scrapy").exists()  # no job file naming a server and its token, even for a moment
