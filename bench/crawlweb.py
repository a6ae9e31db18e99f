"""A generated local web for the crawl benchmark: N WordPress-like Moroccan news sites on 127.0.0.x.

    with CrawlWeb(sites=20, pages=2000) as web:
        print(web.sources_toml())

Built on the demo web's content model and renderer (monitor/demoweb): the same templates, the same
WordPress routing (feeds, sitemap index, /page/N/, conditional GET), with three differences a benchmark
needs:
- the articles are generated (seeded, so every run serves the same web): titles and several paragraphs
  recombined from sentences written here, in Arabic or French, about a third on the social and solidarity
  economy, with reader comments;
- feeds carry every article (WordPress's "syndication feeds show the most recent N items", raised), so a
  cold cycle finds all of them; the post sitemap of a sitemap-only site lists all of them anyway, and
  listing-only sites show 25 per page;
- pages weigh what real theme pages weigh (40–100 KB): each site adds its theme's inline styles, a mega
  menu, a tag cloud and a script blob, so that extraction works through a realistic amount of boilerplate.
Every page is rendered once, before the crawl, and served from memory, so the web server's own CPU takes
as little as possible of the two cores the crawl is measured on.
"""

from __future__ import annotations

import json
import random
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from rasd.monitor.demoweb.content import MOROCCO, Article, SiteSpec, make_article, slugify
from rasd.monitor.demoweb.render import Listing, SiteRenderer
from rasd.monitor.demoweb.server import Reply, SiteApp

# ---- words and sentences ----------------------------------------------------------------------------

TEXT = tomllib.loads(Path(__file__).with_name("crawlweb.toml").read_text(encoding="utf-8"))
REGIONS: dict[str, dict[str, Any]] = TEXT["regions"]  # code → name, ar (places), fr (places)
WORDS: dict[str, dict[str, list[str]]] = TEXT["words"]
CATEGORIES = {
    "ar": {"regions": "جهات", "economie": "اقتصاد", "societe": "مجتمع", "sport": "رياضة"},
    "fr": {"region": "Région", "economie": "Économie", "societe": "Société", "sport": "Sport"},
}


@dataclass(frozen=True)
class WebSite:
    """A generated site as the benchmark sees it."""

    name: str
    url: str  # homepage
    lang: str
    region: str | None
    kind: str  # rss | atom | sitemap | listing
    charset: str
    articles: int


def site_specs(count: int) -> list[SiteSpec]:
    """`count` sites shaped like the real list: mostly WordPress RSS, a few sitemap-only and listing-only
    (one in five of each beyond the first), one Atom; two thirds Arabic; two in windows-1256."""
    codes = sorted(REGIONS)
    kinds = ["rss", "rss", "sitemap", "rss", "listing", "rss", "atom", "rss", "sitemap", "listing"]
    specs = []
    for number in range(count):
        lang = "fr" if number % 3 == 1 else "ar"
        region = None if number % 7 == 6 else codes[number % len(codes)]
        kind = kinds[number % len(kinds)]
        charset = "windows-1256" if lang == "ar" and number in (2, 5) else "utf-8"
        dates = (["meta", "visible", "time"] if lang == "ar" else ["jsonld", "meta", "time"])[number % 3]
        permalink = ["/{y}/{m}/{d}/{slug}/", "/archives/{id}", "/{y}/{m}/{d}/{slug}-{id}/", "/news/{id}.html"][
            number % 4
        ]
        place = REGIONS[region]["name"] if region else ("المغرب" if lang == "ar" else "Maroc")
        masthead = f"أخبار {place} {number + 1}" if lang == "ar" else f"L'Écho de {place} {number + 1}"
        specs.append(
            SiteSpec(
                name=f"Bench {number + 1:02d} {kind} {lang}",
                masthead=masthead,
                slogan="الخبر من مصدره" if lang == "ar" else "L'information de proximité",
                lang=lang,
                region=region,
                kind=kind,
                charset=charset,
                dates=dates,
                permalink=permalink,
                per_page=25 if kind == "listing" else 10,
                categories=CATEGORIES[lang],
                about=(
                    f"{masthead} جريدة إلكترونية مستقلة تعنى بأخبار {place}."
                    if lang == "ar"
                    else f"{masthead}, journal électronique indépendant consacré à l'actualité de {place}."
                ),
            )
        )
    return specs


def _fill(template: str, rng: random.Random, lang: str, region: str | None) -> str:
    code = region or rng.choice(sorted(REGIONS))
    words = WORDS[lang]
    return template.format(
        city=rng.choice(REGIONS[code][lang]),
        region=REGIONS[code]["name"] if lang == "ar" else "la région",
        n=rng.randint(3, 60_000),  # wide: two stories on one template do not state the same figures
        **{key: rng.choice(values) for key, values in words.items()},
    )


def _coined(rng: random.Random, lang: str) -> str:
    """A made-up word shaped like the language's: an Arabic root in a pattern, French syllables with a
    suffix. Each article coins its own, so two articles share little more than real ones do (their
    function words and the few sentences written above), as near-duplicate detection expects of distinct
    stories."""
    coined = TEXT["coined"]
    if lang == "ar":
        root = rng.sample(coined["ar_letters"], 3)
        return rng.choice(coined["ar_prefixes"]) + rng.choice(coined["ar_patterns"]).format(*root)
    syllables = "".join(
        rng.choice(coined["fr_onsets"]) + rng.choice(coined["fr_vowels"]) for _ in range(rng.randint(2, 4))
    )
    return syllables + (rng.choice(coined["fr_suffixes"]) if rng.random() < 0.5 else "")


def _babble(rng: random.Random, lang: str, lexicon: list[str]) -> str:
    """A sentence of the article's own words between the language's function words."""
    function_words = TEXT["coined"][f"{lang}_function"]
    words = [rng.choice(lexicon if n % 4 else function_words) for n in range(rng.randint(9, 24))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 90_000)))
    sentence = " ".join(words)
    return (sentence[0].upper() + sentence[1:] if lang == "fr" else sentence) + "."


def _paragraph(
    rng: random.Random, lang: str, region: str | None, sentences: list[str], lexicon: list[str], lead: bool
) -> str:
    """The article's own text; the lead paragraph, and one in four others, open with a sentence written for
    the topic (what the classifier reads)."""
    babble = [_babble(rng, lang, lexicon) for _ in range(rng.randint(2, 5))]
    if lead or rng.random() < 0.25:
        babble.insert(0, _fill(rng.choice(sentences), rng, lang, region))
    return " ".join(babble)


def generate_articles(spec: SiteSpec, count: int, seed: int, now: datetime) -> list[Article]:
    """`count` articles for one site, newest first, one every few hours back from `now`."""
    rng = random.Random(seed)
    lang, articles = spec.lang, []
    moment = now.replace(microsecond=0) - timedelta(hours=1)
    for index in range(count):
        sse = rng.random() < 0.35
        titles, sentences = (
            (TEXT["sse_titles"], TEXT["sse_sentences"]) if sse else (TEXT["other_titles"], TEXT["other_sentences"])
        )
        lexicon = [_coined(rng, lang) for _ in range(rng.randint(40, 90))]
        paragraphs = [
            _paragraph(rng, lang, spec.region, sentences[lang], lexicon, lead=n == 0) for n in range(rng.randint(5, 12))
        ]
        comments = [
            {
                "author": rng.choice(WORDS[lang]["people"]),
                "date": moment + timedelta(hours=rng.randint(1, 40)),
                "text": rng.choice(TEXT["comments"][lang]),
            }
            for _ in range(rng.choice((0, 0, 1, 2, 4, 7)))
        ]
        category = "economie" if sse else rng.choice(sorted(spec.categories))
        title = _fill(rng.choice(titles[lang]), rng, lang, spec.region)
        raw = {
            "id": 1000 + count - index,
            "title": title,
            "slug": f"{slugify(title, lang)}-{count - index}",  # titles repeat: the number keeps URLs apart
            "published": moment,
            "author": rng.choice(WORDS[lang]["people"]),
            "category": category,
            "sse": sse,
            "body": paragraphs,
            "comments": comments,
        }
        articles.append(make_article(spec, raw, default_id=0))
        moment -= timedelta(minutes=rng.randint(20, 300))
    return articles


# ---- pages as heavy as real theme pages ---------------------------------------------------------------


def theme_weight(spec: SiteSpec, seed: int) -> tuple[str, str, str]:
    """The site's fixed extra markup: inline styles for <head>, a mega menu and tag cloud before the
    footer, a script blob before </body>; 25–65 KB together, different per site."""
    rng = random.Random(seed)
    target = rng.randint(25_000, 65_000)
    colors = ["primary", "secondary", "accent", "black", "white", "gray", "red", "green", "blue", "orange"]
    rules = [":root{" + ";".join(f"--wp--preset--color--{c}:#{rng.randrange(0xFFFFFF):06x}" for c in colors) + "}"]
    number = 0
    while sum(map(len, rules)) < target * 0.5:
        number += 1
        block, prop = rng.choice(["tie", "wp-block", "mag-box", "widget", "post"]), rng.choice(colors)
        rules.append(
            f".{block}-{number} .{prop}-{number % 17}{{margin:{rng.randint(0, 30)}px {rng.randint(0, 30)}px;"
            f"color:var(--wp--preset--color--{prop});font-size:{rng.randint(11, 22)}px;"
            f"line-height:{rng.randint(12, 20) / 10}}}"
        )
    style = f'<style id="global-styles-inline-css">{"".join(rules)}</style>\n'
    code = sorted(REGIONS)[seed % len(REGIONS)] if spec.region is None else spec.region
    cities = REGIONS[code][spec.lang]
    menu = "".join(
        f'<li class="menu-item"><a href="#{label}-{n}">{label} {n}</a></li>'
        for label in cities + list(spec.categories.values())
        for n in range(1, 9)
    )
    tags = "".join(
        f'<a class="tag-cloud-link" href="#tag-{n}" style="font-size:{rng.randint(8, 22)}pt">'
        f"{rng.choice(WORDS[spec.lang]['topic'])} {n}</a> "
        for n in range(120)
    )
    widgets = (
        f'<div class="footer-widgets"><nav class="mega-menu"><ul>{menu}</ul></nav>'
        f'<div class="widget tag-cloud">{tags}</div></div>\n'
    )
    options = {f"option_{n}": rng.choice([True, False, rng.randint(0, 999), f"value-{n}"]) for n in range(400)}
    script = "<script>var tieOptions = " + json.dumps(options) + ";</script>\n"
    while len(style) + len(widgets) + len(script) < target:
        script += f"<script>/* {spec.name} */ window.tieLazy{len(script)} = {json.dumps(options)};</script>\n"
    return style, widgets, script


class HeavyRenderer(SiteRenderer):
    """The demo renderer with full feeds and theme-weight pages."""

    def __init__(self, site: SiteSpec, home: str, seed: int) -> None:
        super().__init__(site, home)
        self.style, self.widgets, self.script = theme_weight(site, seed)

    def _heavy(self, page: str) -> str:
        page = page.replace("</head>", self.style + "</head>", 1)
        page = page.replace('<footer id="footer"', self.widgets + '<footer id="footer"', 1)
        return page.replace("</body>", self.script + "</body>", 1)

    def article(self, article: Article, articles: list[Article]) -> str:
        return self._heavy(super().article(article, articles))

    def listing(self, listing: Listing, articles: list[Article]) -> str:
        return self._heavy(super().listing(listing, articles))

    def rss(self, articles: list[Article]) -> str:
        """Every article, not WordPress's default ten: the cold cycle must find the whole site."""
        built = max((a.modified for a in articles), default=None)
        return self.env.get_template("rss.xml.j2").render(articles=articles, built=built)

    def atom(self, articles: list[Article]) -> str:
        updated = max((a.modified for a in articles), default=None)
        return self.env.get_template("atom.xml.j2").render(articles=articles, updated=updated)


# ---- serving -------------------------------------------------------------------------------------------


class PrerenderedApp(SiteApp):
    """A SiteApp whose unconditional answers are rendered once and then served from memory."""

    def __init__(self, spec: SiteSpec, home: str, articles: list[Article], seed: int) -> None:
        super().__init__(spec, home, articles)
        self.renderer = HeavyRenderer(spec, home, seed)
        self.cache: dict[str, Reply] = {}

    def respond(self, target: str, headers: Any) -> Reply:
        if headers.get("If-None-Match") or headers.get("If-Modified-Since"):
            return super().respond(target, headers)
        reply = self.cache.get(target)
        if reply is None:
            reply = self.cache[target] = super().respond(target, headers)
        return reply

    def article_targets(self) -> list[str]:
        return [a.path for a in self.articles()]

    def prerender(self) -> None:
        """Render what a cycle asks for: every article, the feeds and sitemaps, the listing pages."""
        pages = -(-len(self.articles()) // self.spec.per_page)
        targets = ["/", "/robots.txt", "/feed/", "/feed/atom/", "/sitemap_index.xml", "/post-sitemap.xml"]
        targets += ["/news-sitemap.xml"] + [f"/page/{n}/" for n in range(2, pages + 1)]
        targets += [f"/category/{slug}/" for slug in self.spec.categories] + self.article_targets()
        for target in targets:
            self.respond(target, {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: PrerenderedApp
    requests: Counter[str]  # "robots" (robots.txt) or "other" → requests answered since the last reset
    lock: threading.Lock

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a crawl stopped or cut short) is not an error of the web's."""


class _Handler(BaseHTTPRequestHandler):
    """Sends the app's reply; HTTP/1.1 keep-alive, as real servers do."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests["robots" if self.path.startswith("/robots.txt") else "other"] += 1
        reply = self.server.app.respond(self.path, self.headers)
        self.send_response(reply.status)
        for name, value in ({"Content-Type": reply.content_type} | reply.headers).items():
            if value:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class CrawlWeb:
    """`sites` generated sites sharing `pages` articles, site i on 127.0.0.(first_host + i), served from
    daemon threads. Use it as a context manager."""

    def __init__(self, sites: int = 20, pages: int = 2000, first_host: int = 100, seed: int = 2026) -> None:
        if not 1 <= sites <= 254 - first_host:
            raise ValueError(f"{sites} sites do not fit in 127.0.0.{first_host}–254")
        now = datetime.now(MOROCCO)
        self.sites: list[WebSite] = []
        self.apps: list[PrerenderedApp] = []
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        for number, spec in enumerate(site_specs(sites)):
            count = pages // sites + (number < pages % sites)
            server = _Server((f"127.0.0.{first_host + number}", 0), _Handler)
            home = f"http://127.0.0.{first_host + number}:{server.server_address[1]}/"
            articles = generate_articles(spec, count, seed + number, now)
            server.app = PrerenderedApp(spec, home, articles, seed + number)
            server.requests, server.lock = Counter(), threading.Lock()
            self._servers.append(server)
            self.apps.append(server.app)
            self.sites.append(WebSite(spec.name, home, spec.lang, spec.region, spec.kind, spec.charset, count))

    def start(self) -> CrawlWeb:
        for app in self.apps:
            app.prerender()
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers if self._threads else []:
            server.shutdown()
        for server in self._servers:
            server.server_close()
        self._threads = []

    def __enter__(self) -> CrawlWeb:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def requests(self, reset: bool = False) -> Counter[str]:
        """Requests the servers answered (robots.txt apart: "robots", the rest: "other"), since the
        start or the last `reset`: what a crawler really asked, counted at the server."""
        total: Counter[str] = Counter()
        for server in self._servers:
            with server.lock:
                total += server.requests
                if reset:
                    server.requests = Counter()
        return total

    def article_urls(self) -> list[str]:
        """The URL of every article page, as its site links to it."""
        return [app.home + target.lstrip("/") for app in self.apps for target in app.article_targets()]

    def article_pages(self) -> list[tuple[str, bytes]]:
        """(URL, body) of every article page, the very bytes the crawl is served."""
        return [
            (app.home + target.lstrip("/"), app.respond(target, {}).body)
            for app in self.apps
            for target in app.article_targets()
        ]

    def sources_toml(self) -> str:
        """`[[sources]]` tables: name, url, lang, region; feeds and sitemaps left to discovery."""
        blocks = []
        for site in self.sites:
            region = f'region = "{site.region}"\n' if site.region else ""
            blocks.append(f'[[sources]]\nname = "{site.name}"\nurl = "{site.url}"\nlang = "{site.lang}"\n{region}')
        return "\n".join(blocks)
