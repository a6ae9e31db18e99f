"""`rasd demo`: one full offline cycle against the bundled demo web, then the digest to the outbox.

The demo web serves on fixed loopback addresses and port, so a second `rasd demo` sees the same URLs
and stores nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from rasd.alerts import run_digests
from rasd.config import Settings, Subscription
from rasd.monitor.demoweb import DemoWeb
from rasd.monitor.session import one_cycle

DEMO_PORT = 8631


def demo_settings(web: DemoWeb) -> Settings:
    """Defaults (data/rasd.db, outbox/), the demo sites as sources, one subscriber for every region."""
    return Settings.model_validate(
        {
            "crawler": {"allow_private_networks": True, "download_delay": 0.0, "autothrottle": False},
            "sources": [
                {"name": site.name, "url": site.url, "lang": site.lang, "region": site.region}
                for site in web.sites
            ],
            "subscriptions": [
                Subscription(name="Demo: all regions", email="demo@example.org", frequency="immediate").model_dump()
            ],
        }
    )


def run_demo(serve: bool = False) -> Iterator[str]:
    with DemoWeb(port=DEMO_PORT) as web:
        yield f"demo web: {len(web.sites)} sites on loopback ({', '.join(site.url for site in web.sites)})"
        settings = demo_settings(web)
        summary = one_cycle(settings)
        for line in summary.failure_lines():
            yield f"warning: {line}"
        from rasd.storage import Store

        store = Store(settings.storage.url)
        report = run_digests(store, settings, "the demo's settings (monitor/demo.py)")
        articles, flagged = store.count_articles()
        store.close()
        digests = [line.rsplit("→ ", 1)[-1] for line in report.sent]
        yield (
            f"sources crawled: {summary.sources} · new articles stored: {summary.new_articles} "
            f"(total {articles}) · SSE stories flagged: {summary.sse_flagged} (total {flagged})"
        )
        yield f"database: {settings.storage.url.removeprefix('sqlite:///')}"
        for line in report.failed:
            yield f"digest FAILED: {line}"
        if digests:
            yield "digest: " + ", ".join(str(Path(d)) for d in digests)
        else:
            yield "digest: nothing new to send (every SSE story was already in an earlier digest)"
        if serve:
            yield "serving the demo web; Ctrl-C to stop"
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
