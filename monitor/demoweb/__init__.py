"""The bundled demo web: realistic Moroccan regional news sites served on loopback.

`rasd demo` runs one offline monitoring cycle against it, and the test suite crawls it with Scrapy for
real. Four sites, one per way of finding articles: a WordPress RSS feed (Tiznit, Arabic), an Atom feed
(Fès-Meknès, French), a news sitemap with no feed (Errachidia, Arabic, windows-1256), and a national site
with nothing but listing pages. Its stories, half of them about the social and solidarity economy and
half hard negatives, are in `stories.toml` with their ground truth.

    with DemoWeb() as web:
        print(web.sources_toml())
        web.add_story("Tiznit Info", {"title": "…", "body": "…", "sse": True})
"""

from rasd.monitor.demoweb.server import DemoSite, DemoStory, DemoWeb

__all__ = ["DemoSite", "DemoStory", "DemoWeb"]
