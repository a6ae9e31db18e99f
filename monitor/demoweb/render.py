"""Pages, feeds and sitemaps of one demo site, rendered from Jinja2 templates next to this module.

The markup imitates the WordPress news themes Moroccan regional sites run on (header, menu, breadcrumbs,
share buttons, related posts, comment form, sidebar, footer), because that boilerplate is exactly what the
extractor has to see through. Each site marks its publication date in its own way (see `SiteSpec.dates`).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from rasd.monitor.demoweb.content import MOROCCO, Article, SiteSpec, slugify

# Month and weekday names, written the way the pages print them (split for readability)
MONTHS = {
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split(),  # noqa: SIM905
    # Moroccan usage, which date parsers trained on Levantine or Gulf Arabic do not know
    "ar-MA": "يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر".split(),  # noqa: SIM905
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),  # noqa: SIM905
}
WEEKDAYS = {
    "ar": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split(),  # noqa: SIM905
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),  # noqa: SIM905
}
CHROME: dict[str, dict[str, str]] = {
    "ar": {
        "home": "الرئيسية", "share": "شارك", "related": "مقالات ذات صلة", "leave_reply": "اترك رد",
        "email_notes": "لن يتم نشر عنوان بريدك الإلكتروني.", "required": "الحقول الإلزامية مشار إليها بـ *",
        "comment": "التعليق *", "name": "الاسم *", "email": "البريد الإلكتروني *",
        "website": "الموقع الإلكتروني", "submit": "إرسال التعليق", "reply": "رد", "comments": "تعليقات",
        "most_read": "الأكثر قراءة", "rights": "جميع الحقوق محفوظة", "about": "من نحن",
        "contact": "اتصل بنا", "read_more": "اقرأ المزيد", "by": "بقلم", "older": "الصفحة التالية »",
        "newer": "« الصفحة السابقة", "page": "الصفحة", "not_found": "الصفحة غير موجودة",
        "not_found_text": "عذرا، الصفحة التي تبحث عنها غير موجودة. جرب البحث أو عد إلى الصفحة الرئيسية.",
        "search": "بحث عن", "newsletter": "اشترك في نشرتنا البريدية ليصلك جديد الأخبار",
        "subscribe": "اشترك", "feed": "الخلاصة", "comments_feed": "خلاصة التعليقات",
        "contact_text": "للتواصل مع هيئة التحرير أو لإرسال أخباركم: redaction@example.ma",
        "breaking": "عاجل", "follow": "تابعونا", "empty": "لا توجد مقالات في هذا التصنيف بعد.",
    },
    "fr": {
        "home": "Accueil", "share": "Partager", "related": "Articles similaires",
        "leave_reply": "Laisser un commentaire", "email_notes": "Votre adresse e-mail ne sera pas publiée.",
        "required": "Les champs obligatoires sont indiqués avec *", "comment": "Commentaire *",
        "name": "Nom *", "email": "E-mail *", "website": "Site web", "submit": "Publier le commentaire",
        "reply": "Répondre", "comments": "commentaires", "most_read": "Les plus lus",
        "rights": "Tous droits réservés", "about": "Qui sommes-nous", "contact": "Contact",
        "read_more": "Lire la suite", "by": "Par", "older": "Articles plus anciens »",
        "newer": "« Articles plus récents", "page": "Page", "not_found": "Page introuvable",
        "not_found_text": "Désolé, la page que vous cherchez n'existe pas ou a été déplacée.",
        "search": "Rechercher", "newsletter": "Inscrivez-vous à notre newsletter",
        "subscribe": "S'inscrire", "feed": "Flux", "comments_feed": "Flux des commentaires",
        "contact_text": "Pour joindre la rédaction ou nous envoyer vos informations : redaction@example.ma",
        "breaking": "À la une", "follow": "Suivez-nous", "empty": "Aucun article dans cette rubrique.",
    },
}  # fmt: skip
STATIC_PAGES = ("about", "contact")


def display_date(moment: datetime | date, site: SiteSpec, lang: str, with_time: bool = False) -> str:
    """The date as the site prints it: Moroccan month names on the old-style site, French elsewhere."""
    months = MONTHS["fr"] if lang == "fr" else MONTHS["ar-MA" if site.dates == "visible" else "ar"]
    day, month, year = moment.day, months[moment.month - 1], moment.year
    if lang == "fr":
        text = f"{day} {month} {year}"
        return f"{text} à {moment:%Hh%M}" if with_time and isinstance(moment, datetime) else text
    if site.dates == "visible":
        text = f"{WEEKDAYS['ar'][moment.weekday()]} {day} {month} {year}"
        return f"{text} - {moment:%H:%M}" if with_time and isinstance(moment, datetime) else text
    text = f"{day} {month}، {year}"
    return f"{text} في {moment:%H:%M}" if with_time and isinstance(moment, datetime) else text


def rfc822(moment: datetime) -> str:
    """RSS dates, in UTC as WordPress writes them."""
    return format_datetime(moment.astimezone(UTC))


def cdata(text: str) -> Markup:
    """A CDATA section (WordPress wraps feed text in them); `]]>` inside is split so it cannot end it."""
    return Markup("<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>")


def paragraph_html(text: str) -> str:
    """One paragraph as HTML, for the HTML payloads of feeds (`content:encoded`, Atom `content`)."""
    return f"<p>{html.escape(text, quote=False)}</p>"


def body_html(article: Article) -> str:
    """The article body as WordPress puts it in a feed: escaped paragraphs inside `<p>`."""
    return "\n".join(paragraph_html(p) for p in article.paragraphs)


def excerpt(article: Article, words: int = 30) -> str:
    """The automatic WordPress excerpt: the first words of the body and an ellipsis."""
    tokens = " ".join(article.paragraphs).split()
    return " ".join(tokens[:words]) + (" […]" if len(tokens) > words else "")


@dataclass(frozen=True)
class Listing:
    """One page of a paginated list of articles (the homepage or a category)."""

    heading: str
    items: list[Article]
    page: int
    pages: int
    base: str  # the list's first page, e.g. "category/economie/"


class SiteRenderer:
    """Renders every document of one site from its spec and its current articles."""

    def __init__(self, site: SiteSpec, home: str) -> None:
        self.site = site
        self.home = home  # absolute homepage URL, ending with "/"
        self.env = Environment(
            loader=FileSystemLoader(Path(__file__).parent),
            autoescape=True,  # HTML and XML alike: text from stories never becomes markup
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            cdata=cdata, rfc822=rfc822, excerpt=excerpt, body_html=body_html, paragraph_html=paragraph_html
        )
        self.env.globals.update(
            site=site, home=home, url=self.url, date=self.date, shortlink=self.shortlink, slugify=slugify
        )

    # ---- helpers the templates call --------------------------------------------------------------

    def url(self, article: Article) -> str:
        """The article's permalink."""
        return self.home + article.path.lstrip("/")

    def shortlink(self, article: Article) -> str:
        """WordPress's `?p=ID` shortlink, which redirects to the permalink."""
        return f"{self.home}?p={article.id}"

    def date(self, moment: datetime, lang: str | None = None, with_time: bool = False) -> str:
        return display_date(moment, self.site, lang or self.site.lang, with_time)

    # ---- pages -----------------------------------------------------------------------------------

    def _chrome(self, articles: list[Article], lang: str) -> dict[str, Any]:
        """What every page carries: menu, advertised feeds, the sidebar's most-read list, the date widget."""
        t = CHROME[self.site.lang]
        feeds: list[tuple[str, str, str]] = []
        if self.site.kind == "rss":
            feeds = [
                ("application/rss+xml", f"{self.site.masthead} » {t['feed']}", self.home + "feed/"),
                ("application/rss+xml", f"{self.site.masthead} » {t['comments_feed']}", self.home + "comments/feed/"),
            ]
        elif self.site.kind == "atom":
            feeds = [("application/atom+xml", f"{self.site.masthead} » Flux Atom", self.home + "feed/atom/")]
        popular = sorted(articles, key=lambda a: (a.id * 7919) % 97)[:4]  # a stable, unsorted-looking "top"
        return {
            "t": t,
            "lang": lang,
            "dir": "rtl" if lang == "ar" else "ltr",
            "feeds": feeds,
            "popular": popular,
            "latest": articles[:3],
            "today": self.date(datetime.now(MOROCCO), self.site.lang),
            "year": 2025,
        }

    def article(self, article: Article, articles: list[Article]) -> str:
        others = [a for a in articles if a.id != article.id]
        related = sorted(others, key=lambda a: a.category != article.category)[:3]
        jsonld = ""
        if self.site.dates == "jsonld":
            data = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": article.title,
                "datePublished": article.published.isoformat(),
                "dateModified": article.modified.isoformat(),
                "author": {"@type": "Person", "name": article.author or self.site.masthead},
                "publisher": {"@type": "Organization", "name": self.site.masthead, "url": self.home},
                "mainEntityOfPage": {"@type": "WebPage", "@id": self.url(article)},
                "inLanguage": article.lang,
                "articleSection": self.site.categories[article.category],
            }
            jsonld = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
        return self.env.get_template("article.html.j2").render(
            article=article,
            related=related,
            jsonld=Markup(jsonld),
            share=quote(self.url(article), safe=""),
            **self._chrome(articles, article.lang),
        )

    def listing(self, listing: Listing, articles: list[Article]) -> str:
        return self.env.get_template("listing.html.j2").render(
            listing=listing, **self._chrome(articles, self.site.lang)
        )

    def static(self, slug: str, articles: list[Article]) -> str:
        t = CHROME[self.site.lang]
        heading, text = (t["about"], self.site.about) if slug == "about" else (t["contact"], t["contact_text"])
        return self.env.get_template("static.html.j2").render(
            heading=heading, text=text, canonical=f"{self.home}{slug}/", **self._chrome(articles, self.site.lang)
        )

    def not_found(self, articles: list[Article]) -> str:
        t = CHROME[self.site.lang]
        return self.env.get_template("static.html.j2").render(
            heading=t["not_found"], text=t["not_found_text"], canonical=None, **self._chrome(articles, self.site.lang)
        )

    # ---- machine-readable documents ---------------------------------------------------------------

    def rss(self, articles: list[Article]) -> str:
        return self.env.get_template("rss.xml.j2").render(
            articles=articles[:10], built=max(a.modified for a in articles) if articles else None
        )

    def comments_rss(self, articles: list[Article]) -> str:
        comments = sorted(((c, a) for a in articles for c in a.comments), key=lambda pair: pair[0].posted, reverse=True)
        return self.env.get_template("comments_rss.xml.j2").render(comments=comments[:10], t=CHROME[self.site.lang])

    def atom(self, articles: list[Article]) -> str:
        return self.env.get_template("atom.xml.j2").render(
            articles=articles[:10], updated=max(a.modified for a in articles) if articles else None
        )

    def sitemap_index(self, articles: list[Article]) -> str:
        newest = max((a.modified for a in articles), default=None)
        return self.env.get_template("sitemap_index.xml.j2").render(
            sitemaps=[("post-sitemap.xml", newest), ("news-sitemap.xml", newest)]
        )

    def post_sitemap(self, articles: list[Article]) -> str:
        return self.env.get_template("sitemap.xml.j2").render(articles=articles, news=False)

    def news_sitemap(self, articles: list[Article]) -> str:
        """Like Google News sitemaps, only the most recent stories; the post sitemap lists them all."""
        return self.env.get_template("sitemap.xml.j2").render(articles=articles[:3], news=True)

    def robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", ""]
        if self.site.kind == "sitemap":
            lines += [f"Sitemap: {self.home}sitemap_index.xml", ""]
        return "\n".join(lines)
