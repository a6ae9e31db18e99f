"""The demo web's content model: sites and articles read from `stories.toml`.

Kept apart from the HTTP server so the content can be read (by tests, by `rasd demo`) without serving it,
and so `add_story` validates a run-time story with exactly the rules the bundled ones follow.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

STORIES_FILE = Path(__file__).with_name("stories.toml")
MOROCCO = timezone(timedelta(hours=1), "+01")  # Morocco keeps UTC+1 outside Ramadan
KINDS = ("rss", "atom", "sitemap", "listing")
DATE_STYLES = ("meta", "jsonld", "visible", "time")
REGION_CODE = re.compile(r"MA-(0[1-9]|1[0-2])")
STORY_KEYS = {
    "site", "id", "slug", "title", "lang", "published", "modified", "author", "category", "sse", "regions",
    "permalink", "body", "comments",
}  # fmt: skip


@dataclass(frozen=True)
class Comment:
    """A reader's comment: its own date is a trap for date extraction, its text for boilerplate removal."""

    number: int
    author: str
    posted: datetime
    text: str


@dataclass(frozen=True)
class SiteSpec:
    """How one demo site is built: what it publishes through, how it marks dates, how its URLs look."""

    name: str
    masthead: str
    slogan: str
    lang: str
    region: str | None
    kind: str
    charset: str
    dates: str
    permalink: str
    per_page: int
    categories: dict[str, str]
    about: str


@dataclass(frozen=True)
class Article:
    """One published story with everything its pages, feed entries and sitemap lines are made from."""

    site: str
    id: int
    slug: str
    title: str
    lang: str
    published: datetime
    modified: datetime
    author: str | None
    category: str
    sse: bool
    regions: tuple[str, ...]
    paragraphs: tuple[str, ...]
    path: str  # percent-encoded, as it appears in links
    comments: tuple[Comment, ...] = field(default=())

    @property
    def plain_permalink(self) -> bool:
        """WordPress "plain" permalinks (`/?p=123`): the article lives at its shortlink."""
        return self.path.startswith("/?p=")


def parse_when(value: object, what: str) -> datetime:
    """A TOML datetime, an ISO string or a bare date, as an aware datetime (Moroccan time when naive)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, 12, 0)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{what}: not an ISO 8601 date or datetime: {value!r}") from error
    else:
        raise ValueError(f"{what}: expected a date, got {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=MOROCCO)


def slugify(title: str, lang: str) -> str:
    """A WordPress-like slug: words joined by hyphens; French loses its accents, Arabic keeps its letters."""
    text = title.lower()
    if lang != "ar":
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = re.findall(r"\w+", text)
    return "-".join(words[:10]) or "article"


def load_sites(data: dict[str, Any]) -> list[SiteSpec]:
    """The `[[sites]]` tables, checked: a typo here would make a demo site silently wrong."""
    sites = []
    for number, raw in enumerate(data.get("sites", []), 1):
        where = f"{STORIES_FILE.name}: site {number}"
        if raw.get("kind") not in KINDS or raw.get("dates") not in DATE_STYLES:
            raise ValueError(f"{where}: kind must be one of {KINDS} and dates one of {DATE_STYLES}")
        region = raw.get("region")
        if region is not None and not REGION_CODE.fullmatch(region):
            raise ValueError(f"{where}: region {region!r} is not an ISO 3166-2:MA code")
        sites.append(
            SiteSpec(
                name=raw["name"],
                masthead=raw["masthead"],
                slogan=raw["slogan"],
                lang=raw["lang"],
                region=region,
                kind=raw["kind"],
                charset=raw.get("charset", "utf-8"),
                dates=raw["dates"],
                permalink=raw["permalink"],
                per_page=int(raw.get("per_page", 10)),
                categories=dict(raw["categories"]),
                about=raw["about"],
            )
        )
    return sites


def make_article(site: SiteSpec, raw: dict[str, Any], default_id: int) -> Article:
    """An Article from a story table (or an `add_story` dict), with the site's defaults filled in."""
    where = f"story {raw.get('title', '?')!r}"
    unknown = set(raw) - STORY_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    if not raw.get("title") or not raw.get("body"):
        raise ValueError(f"{where}: a story needs a title and a body")
    lang = raw.get("lang", site.lang)
    article_id = int(raw.get("id", default_id))
    published = parse_when(raw.get("published", datetime.now(MOROCCO).replace(microsecond=0)), where)
    modified = parse_when(raw["modified"], where) if raw.get("modified") else published
    category = str(raw.get("category", next(iter(site.categories))))
    if category not in site.categories:  # a label ("جهات") names its slug too
        by_label = {label: slug for slug, label in site.categories.items()}
        if category not in by_label:
            raise ValueError(f"{where}: category {category!r} is not one of {site.name}'s {site.categories}")
        category = by_label[category]
    regions = tuple(raw.get("regions", [site.region] if site.region else []))
    for code in regions:
        if not REGION_CODE.fullmatch(code):
            raise ValueError(f"{where}: region {code!r} is not an ISO 3166-2:MA code")
    body = raw["body"]
    paragraphs = [p for p in body] if isinstance(body, list) else re.split(r"\n\s*\n", str(body))
    paragraphs = [" ".join(p.split()) for p in paragraphs if p.strip()]
    slug = str(raw.get("slug") or slugify(raw["title"], lang))
    template = str(raw.get("permalink", site.permalink))
    path = template.format(
        y=f"{published:%Y}", m=f"{published:%m}", d=f"{published:%d}", slug=quote(slug.lower()), id=article_id
    )
    comments = tuple(
        Comment(
            number=article_id * 10 + n,
            author=c["author"],
            posted=parse_when(c["date"], f"{where}, comment {n}"),
            text=c["text"],
        )
        for n, c in enumerate(raw.get("comments", []), 1)
    )
    return Article(
        site=site.name,
        id=article_id,
        slug=slug,
        title=" ".join(str(raw["title"]).split()),
        lang=lang,
        published=published,
        modified=modified,
        author=raw.get("author"),
        category=category,
        sse=bool(raw.get("sse", False)),
        regions=regions,
        paragraphs=tuple(paragraphs),
        path=path,
        comments=comments,
    )


def load_content(path: Path = STORIES_FILE) -> tuple[list[SiteSpec], list[Article]]:
    """Every site and story of the demo web, in the order the file gives them."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    sites = load_sites(data)
    by_name = {site.name: site for site in sites}
    articles = []
    for raw in data.get("stories", []):
        site = by_name.get(raw.get("site", ""))
        if site is None:
            raise ValueError(f"{path.name}: story {raw.get('title')!r} names an unknown site {raw.get('site')!r}")
        articles.append(make_article(site, raw, default_id=0))
    return sites, articles
