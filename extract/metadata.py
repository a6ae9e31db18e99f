"""Title, author and site name of an article page, read from what news CMSs declare.

trafilatura's own metadata pass (`with_metadata=True`) also looks for licences, categories, tags and
dates over every link of the page: on the crawl benchmark's WordPress pages it cost 7–8 ms a page, more
than half of the body extraction itself, for three fields of which we keep none as is (the date is picked
by extract.dates, the title usually comes from the feed). Moroccan news sites run WordPress, Joomla or
custom CMSs that declare these fields in Open Graph / meta tags and JSON-LD (Yoast, Rank Math, Jannah,
JNews); the visible byline and the first heading are the fallbacks.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from rasd.extract.dates import (
    WRITTEN_DATE,
    Named,
    following,
    in_logo,
    is_article_type,
    is_chrome,
    is_logo,
    json_ld_objects,
    labelled_lines,
    meta_content,
    post_elements,
    post_heading,
)
from rasd.extract.normalize import fold_latin_accents

_BYLINE_WORDS = (
    r"(?:بقلم|بواسطة|كتب(?:ه|ت)?|إعداد|اعداد|من طرف|مراسلة|مراسل|written by|posted by|post by|rédigé par|publié par"
    r"|escrito por|geschrieben von|submitted by|eingereicht von|soumis par|enviado por|video by|автор|текст"
    r"|作者|记者|記者|tekst i zdjęcia|tekst|autor|penulis|reporter|מאת|by|par|von|por|door|di)"
)
_BYLINE_PREFIX = re.compile(rf"^\s*{_BYLINE_WORDS}\s*[:：\-–]?\s*", re.I)
# A byline written in a post's meta line: "نشر في 8 نونبر 2025 | بقلم: سعيد أوحساين", "Par Karim Alaoui •".
_BYLINE_IN_TEXT = re.compile(rf"(?:^|[|•·\-–]\s*|\s){_BYLINE_WORDS}(?:\s*[:：]|\s)\s*([^|•·\n،,]{{2,60}})", re.I)
# A meta line that opens with the byline, without a colon: "By Megan Caldwell", "Par Claire Mercier · 6 mars".
_BYLINE_OPENING = re.compile(rf"^{_BYLINE_WORDS}\s+([^|•·\n،:]{{3,80}})", re.I)
# Where a byline element's name ends: a separator, or a date (with its "on", "am", "le") or reading time
# after it ("Sophie Garnier 20 juin 2023 • 3 min read", "Submitted by Rebecca Lyle on November 26, 2020",
# Drupal 7's "Soumis par fedadmin le ven, 11/06/2026 - 16:02").
_AFTER_NAME = re.compile(
    rf"\s[|•·»]|\s(?:{WRITTEN_DATE})|\s(?:on|am|le|el|في)\s+(?:[^\W\d]+[.,]?\s+)?\d|\s\d+\s*min"
    r"|,?\s(?:نشر|publie|published|posted|veroffentlicht|publicado|pubblicato)(?!\w)"
    r"|^(?:publie|published|posted|publicado)\s(?!\s*(?:by|par|por|von|door)\s)"  # "Publié il y a 3 semaines"
    r"|\s(?:a|at|um|alle)\s+\d{1,2}\s*[:h]\s*\d\d(?!\d)"  # Canalblog's "Posté par tazrout à 18:42 - …"
    # a weekday after the name: "بواسطة نعيمة أوبلا الأربعاء, ديسمبر 2, 2026" (Drupal's, cut at its comma already)
    r"|\s(?:ال)?(?:أحد|احد|إثنين|اثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة|سبت)(?:\s*[،,]|\s+\d|$)"
    r"|\s(?:on|le|am)\s+(?:lun|mar|mer|jeu|ven|sam|dim|mon|tue|wed|thu|fri|sat|sun)\.?$",  # cut at its comma
    re.I,
)
# Bylines as themes mark them: "author", "byline"; French, Spanish and Italian regional themes' "auteur",
# "signature", "autor", "firma"; a `writer` or a bare `by` class.
_BYLINE_ELEMENTS = Named(
    ("author", "byline", "auteur", "autor", "signature", "firma", "writer"), rel="author", tokens=("by",)
)
_META_LINES = Named(("meta", "info", "byline", "posted", "date", "credit", "submitted"))  # Drupal 7's "submitted"
# A credit that is an agency alone, before the date: "MAP - 18/03/2025 15:42" (the agency is the author).
_AGENCY = re.compile(r"MAP|AFP|Reuters|AP|EFE|dpa|ANSA|Associated Press")
# The agency and its dateline's place in one credit: "EFE Rabat | 3 de diciembre de 2026" (the agency is the author).
_AGENCY_AND_PLACE = re.compile(rf"({_AGENCY.pattern})\s+[^\W\d_][\w'’-]*")
# A reporter's title after the name: "김민수 기자" (Korean "reporter"), "Karim Benali, correspondant à
# Tiznit", "Jane Doe, Staff Writer".
_TITLE_AFTER_NAME = re.compile(
    r"\s*(?:기자|특파원|記者)$|,\s*(?:(?:notre |our )?correspondante?|envoyée? spéciale?|journaliste"
    r"|staff writer|staff reporter|correspondent|مراسل|مراسلة)(?!\w).*$",
    re.I,
)
# A byline that is a title and no name: "Par notre correspondant à Agadir", "From our correspondent in Rabat",
# "مراسلنا بأكادير", "مراسل الجريدة بالداخلة" (no author, rather than the title as one).
_TITLE_ONLY = re.compile(
    r"(?:(?:de |from )?(?:notre|our) )?(?:correspondante?|envoyée? spéciale?|correspondent|special correspondent)"
    r"(?:\s+(?:à|a|en|au|aux|in|at|de)\s+.{1,40})?|مراسل(?:نا|تنا)(?:\s+.{1,40})?"
    r"|(?:ال)?(?:جريدة|صحيفة|موقع)(?:\s+.{1,40})?",  # "مراسل الجريدة بالداخلة": the paper's correspondent
    re.I,
)
# An Arabic correspondent's line: "الرباط - محمد العلوي", "وجدة: كريم الزياني", "هسبريس - محمد" (a place or
# the newsroom, then the name)
_ARABIC_DATELINE_NAME = re.compile(r"^[\u0600-\u06ff]+(?:\s[\u0600-\u06ff]+)?\s*[-–:]\s*([\u0600-\u06ff][^:\-–]+)$")
# A picture's credit is not the story's byline ("Photo by …", "Photograph: …").
_PICTURE_CREDIT = re.compile(r"^\W*(?:photo|image|illustration|صورة|foto)", re.I)
# Two names in one byline: "By Jake Miller and Rosa Delgado", "Por Pablo Herrero y Marta Sanz" — given as
# JSON-LD's authors are, "Jake Miller, Rosa Delgado". Each side a capitalised name of two to four words.
_NAME = r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3}"
_TWO_NAMES = re.compile(rf"^({_NAME})\s+(?:and|et|y|und|e|en|&)\s+({_NAME})$")
# A handle after the name: "Sam Ortiz (@samortiz_news)", "Sam Ortiz @samortiz_news".
_HANDLE = re.compile(r"\s*(?:\(\s*@\w+\s*\)|@\w+)\s*$")
# A wire story signed at its end: "— Amara Nwosu, Reuters", "— Karim Alaoui, MAP" (the agency after the name).
_SIGNED_AT_END = re.compile(r"^[—–]\s*([^\W\d_][^,—–]{2,60}),\s*(?:Reuters|AFP|AP|Associated Press|MAP|EFE|dpa|ANSA)$")
# An unmarked line under the headline that is a byline and nothing else: "Par Élodie Guérin" in a `<p>` of
# its own. Its name's words capitalised (particles aside), so that "Par ailleurs, la commune…" is no byline.
_SIGNED_LINE = re.compile(rf"^{_BYLINE_WORDS}\s*[:：]?\s*({_NAME})$", re.I)
_PARTICLES = frozenset(("de", "du", "des", "la", "le", "el", "al", "ben", "bin", "van", "von", "der", "da", "di"))
_NEWSROOM = re.compile(r"r[ée]daction|staff|newsroom|editors", re.I)  # "Par La Rédaction": no one's name
_LINES_UNDER_TITLE = 3
_HEADER_NODES = 40  # a post's header ends a few elements after its <h1> (9 on the crawl benchmark's pages)
_SHORT_PARAGRAPH = 100  # a byline or date line; a story's paragraph is longer
# A name without capitals (Arabic) is a byline's only after a word that is never anything else ("بقلم") or a
# colon ("إعداد: سعيد أوحساين"): "إعداد المخطط الجهوي للتنمية" (the preparation of the regional plan), a
# subheading under the headline, was taken for its author.
_CASELESS_SIGNED = re.compile(r"^\s*(?:بقلم|[^:：]+[:：])")
_DASHED_PARAGRAPHS = "//p[starts-with(normalize-space(), '—') or starts-with(normalize-space(), '–')]"
_TITLE_SEPARATOR = re.compile(r"(\s+[|\-–—»]\s+)")  # kept in the result (split with a group)
# and Blogger's "Blog name: Post title" (a colon in a headline is kept: the whole title is printed, and wins)
_PRINTED_TITLE_SEPARATOR = re.compile(r"(\s+[|\-–—»]\s+|:\s+)")
MAX_AUTHOR_CHARS = 80
_HOME_LINKS_READ = 30  # the header's links: the logo's among them (`_is_site_name`)
_MENU_LINK = (
    "//a[normalize-space() = $name][ancestor::nav or ancestor::*[contains(@class, 'menu') or contains(@id, 'menu')]]"
    "[not(ancestor::*[contains(@class, 'breadcrumb') or contains(@id, 'breadcrumb')])]"
)
_SECTION_WORDS = 4  # "Actualités", "Communiqués de presse", "المستجدات": a menu's section names
# A CMS user's login in `<meta name="author">` (WordPress themes print `user_login`): lower case, no space.
_LOGIN = re.compile(r"[a-z0-9._-]+")


def _meta(tree: lxml_html.HtmlElement, *keys: str) -> str | None:
    """The first non-empty `content` of a `<meta>` whose property, name or itemprop is one of `keys`."""
    return next((content.strip() for _, content in meta_content(tree, keys) if content.strip()), None)


def _names(value: Any, nodes: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Names from a JSON-LD author/publisher value: a string, a Person/Organization, or a list of them; a
    reference to another node of the graph (`{"@id": …}`, Yoast's way) is that node's name, from `nodes`."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
        return [value["name"]]
    if isinstance(value, dict) and nodes and (node := nodes.get(str(value.get("@id")))) is not None:
        return [node["name"]] if isinstance(node.get("name"), str) else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item, nodes)]
    return []


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def page_title(tree: lxml_html.HtmlElement, site_name: str | None) -> str | None:
    """The headline: Open Graph or JSON-LD, then the article's `<h1>`, then `<title>` without the site's
    name ("Title - Site", "Site | Title"). A section's name found so ("Actualités" over a commune's news item,
    "بلاغات صحفية" over a ministry's press release) gives way to the headline under it."""
    return page_heading(tree, site_name)[0]


def page_heading(tree: lxml_html.HtmlElement, site_name: str | None) -> tuple[str | None, str | None]:
    """`page_title`'s headline, and the section's name it gave way to (None when none did): printed over
    the headline as a label of the page, that name is no line of the story."""
    title = _declared_title(tree, site_name)
    if title is not None and _is_section_name(tree, title):
        headline = _headline_under(tree, title)
        return (headline, title) if headline else (title, None)
    return title, None


def _is_section_name(tree: lxml_html.HtmlElement, title: str) -> bool:
    """Whether a title is a section of the site as its menu names it: a few words, a menu link's whole text
    (not a breadcrumb's, whose last link may be the story itself).
    A CMS's module page (Joomla's, a ministry's) prints the module's name as its `<h1>` or `<title>`, its
    item's headline in an `<h2>` or `<h3>` under it; a headline of a few words that is a link of its page
    with a long heading under it is rare."""
    return len(title.split()) <= _SECTION_WORDS and bool(tree.xpath(_MENU_LINK, name=title))


def _headline_under(tree: lxml_html.HtmlElement, section: str) -> str | None:
    """The first heading of a headline's length after the section's own (from the page's start when the
    name came from `<title>`), outside the page's chrome: the menu's and sidebar's headings are not it."""
    headings = tree.xpath("//body//*[self::h1 or self::h2 or self::h3]")
    start = next((i + 1 for i, heading in enumerate(headings) if _text(heading) == section), 0)
    for heading in headings[start:]:
        if len((text := _text(heading)).split()) > _SECTION_WORDS and not is_chrome(heading):
            return text
    # no heading: an ASP.NET page's labels, `<span id="…lblTitle">` in a `<div class="newsTitle">`
    return _titled_element(tree) if not headings else None


def _declared_title(tree: lxml_html.HtmlElement, site_name: str | None) -> str | None:
    if title := _meta(tree, "og:title", "twitter:title"):
        # an Open Graph title that is the `<title>` as is ("Tide Tables 2.0 | Tide Tables", Docusaurus) has
        # the site's name the same way: cut as a `<title>`'s is
        titles = tree.xpath("//title")
        copied = bool(titles) and _text(titles[0]) == " ".join(title.split())
        return _without_site_name(title, site_name or _home_link_name(tree, title), guess=copied)
    for item in json_ld_objects(tree):
        if is_article_type(item) and isinstance(item.get("headline"), str) and item["headline"].strip():
            return str(item["headline"]).strip()
    for heading in tree.xpath("//h1"):
        if not is_logo(heading) and (text := _text(heading)):
            return text
    if styled := _styled_title(tree):
        return styled
    titles = tree.xpath("//title")
    if not titles or not (title := _text(titles[0])):
        return None
    if _names_the_site(tree, title, site_name) and (headline := _titled_element(tree)):
        return headline
    site_name = site_name or _home_link_name(tree, title)
    return _printed_title(tree, title) or _without_site_name(title, site_name, guess=True)


# A paragraph a document editor styled as the document's Title: Google Docs' "published to the web" page
# (`<p class="c3 title">`), Word's HTML (`<p class=MsoTitle>`). Its `<title>` is the file's name ("Communiqué
# RMESS loi-cadre (version finale)"), and the page has no `<h1>`.
_STYLED_TITLE = etree.XPath(
    "//body//p[contains(concat(' ', normalize-space(@class), ' '), ' title ') or contains(@class, 'MsoTitle')]"
)


def _styled_title(tree: lxml_html.HtmlElement) -> str | None:
    for paragraph in _STYLED_TITLE(tree):
        text = _text(paragraph)
        if len(text.split()) > _SECTION_WORDS and not is_chrome(paragraph) and not paragraph.xpath(".//a"):
            return text
    return None


def _home_link_name(tree: lxml_html.HtmlElement, title: str) -> str | None:
    """The end of a title ("Headline - Le blog de la coopérative") that the page prints as its link to its
    homepage: the site's name, on a site that declares none (Over-blog, Canalblog)."""
    pieces = _TITLE_SEPARATOR.split(title.strip())
    if len(pieces) < 3:
        return None
    for piece in (pieces[-1].strip(), pieces[0].strip()):
        for href in tree.xpath("//body//a[normalize-space() = $name]/@href", name=piece):
            if urlsplit(href.strip()).path in ("", "/"):
                return piece
    return None


# An element a theme marks as the headline when it prints it in neither `<h1>` nor `<title>`: "news-title",
# "post-title", "titre-article", "عنوان".
_TITLED = etree.XPath(
    "//body//*[self::div or self::span or self::p or self::h2 or self::h3 or self::strong]"
    "[contains(translate(@class, 'T', 't'), 'title') or contains(@class, 'titre') or contains(@class, 'عنوان')]"
)


def _names_the_site(tree: lxml_html.HtmlElement, title: str, site_name: str | None) -> bool:
    """Whether a `<title>` is the site's name alone: the declared one, or the text of its logo's link."""
    if site_name and title == " ".join(site_name.split()):
        return True
    return any(in_logo(link) for link in tree.xpath("//body//a[normalize-space() = $t]", t=title))


def _titled_element(tree: lxml_html.HtmlElement) -> str | None:
    """The first element marked as a title (`_TITLED`) with a headline's length, outside the chrome and
    not a link to another page (a teaser's): the headline of a page whose `<title>` is the site's name and
    that has no `<h1>` (tests/pages/unseen12/divtitle_ar_37)."""
    for element in _TITLED(tree):
        text = _text(element)
        if len(text.split()) > _SECTION_WORDS and not is_chrome(element) and not element.xpath("ancestor-or-self::a"):
            return text
    return None


_PRINTED = "//body//*[self::b or self::strong or self::font or self::h2 or self::h3 or self::span or self::div]"


def _printed_title(tree: lxml_html.HtmlElement, title: str) -> str | None:
    """The part of `<title>` the page prints as a whole element's text — the headline, when the page
    has no `<h1>` (old table layouts print it in `<font><b>`): the whole title, else its longest run of
    pieces ("Site - Headline", "Headline | Site", "Place - Headline - Site" with the headline in an `<h2>`).
    None when no part longer than a third of the title is printed alone."""
    parts = _PRINTED_TITLE_SEPARATOR.split(title)  # text, separator, text, …
    runs = {
        "".join(parts[start : end + 1]).strip()
        for start in range(0, len(parts), 2)
        for end in range(start, len(parts), 2)
    }
    candidates = sorted(runs, key=len, reverse=True)
    shortest = min(len(c) for c in candidates)
    printed = {text for element in tree.xpath(_PRINTED) if shortest <= len(text := _text(element)) <= len(title)}
    # a printed part a third of the title or less is the site's or a section's name (a breadcrumb's)
    long_enough = max(10, len(title) // 3)
    return next((candidate for candidate in candidates if candidate in printed and len(candidate) > long_enough), None)


def _without_site_name(title: str, site_name: str | None, guess: bool) -> str:
    """ "Title - Site" or "Site | Title" without the site's name, the title's own separators kept.

    The declared name is removed from either end. With `guess` (a `<title>`, where themes add the site's
    name), an end much shorter than the rest is taken for it too: at the end after any separator, at the
    start only before "|" or "»" — "Tiznit - Une coopérative …" is a place and its headline."""
    title = title.strip()
    pieces = _TITLE_SEPARATOR.split(title)  # text, separator, text, …
    if len(pieces) < 3:
        return title
    name = (site_name or "").strip()
    first, last = pieces[0].strip(), pieces[-1].strip()
    if name and last == name:
        return "".join(pieces[:-2]).strip()
    if name and first == name:
        return "".join(pieces[2:]).strip()
    if guess and len(last) < len(title) / 3:
        return "".join(pieces[:-2]).strip()
    if guess and len(first) < len(title) / 3 and pieces[1].strip() in "|»":
        return "".join(pieces[2:]).strip()
    return title


def page_author(tree: lxml_html.HtmlElement) -> str | None:
    """The article's author: JSON-LD, then `<meta name="author">` (not a profile URL), then the byline; not
    the site's own name where a meta tag or the byline gives it (`_is_site_name`)."""
    author = _declared_author(tree)
    return None if author is not None and _is_site_name(tree, author) else author


def _is_site_name(tree: lxml_html.HtmlElement, author: str) -> bool:
    """Whether a page's author is the site's name (tests/pages/unseen14): Open Graph's or the JSON-LD's, or the
    text of the link to its homepage in the page's header (its logo). A site builder's blog signs its posts
    with the account's name, often the site's, and a small news site its stories with its own: neither names
    who wrote the story. A newsroom's label ("Rédaction", "هيئة التحرير") is not the site's name and stays."""
    wanted = " ".join(author.split()).casefold()
    if (name := site_name(tree)) and " ".join(name.split()).casefold() == wanted:
        return True
    for link in islice(tree.iter("a"), _HOME_LINKS_READ):
        if not _is_home_link((link.get("href") or "").strip()):
            continue
        # in the page's header or logo: a personal blog's byline links its author's name home too
        if _text(link).casefold() == wanted and (in_logo(link) or is_chrome(link)):
            return True
    return False


def _is_home_link(href: str) -> bool:
    """Whether a link's address is a site's root ("/", "https://host/"), told without parsing it: most of a
    page's links are not, and `urlsplit` on each of them was most of `_is_site_name`'s cost."""
    if not href or "?" in href or "#" in href:
        return False
    return href in ("/", "./") or ("//" in href[:8] and href.rstrip("/").count("/") == 2)


def _declared_author(tree: lxml_html.HtmlElement) -> str | None:
    objects = list(json_ld_objects(tree))
    nodes = {item["@id"]: item for item in objects if isinstance(item.get("@id"), str) and "name" in item}
    for item in objects:
        if is_article_type(item) and (names := [n.strip() for n in _names(item.get("author"), nodes) if n.strip()]):
            return _clean_author(", ".join(names))
    author = _meta(tree, "author", "article:author", "dc.creator")
    if author and not author.startswith("http") and not _LOGIN.fullmatch(author):
        # the newsroom in the meta (Joomla's "Rédaction") gives way to the person the byline shows
        return (_NEWSROOM.search(author) and _shown_author(tree)) or _clean_author(author)
    # a login name ("nbenjelloun") only when the page shows no name: its byline links it to the person's
    return _shown_author(tree) or (_clean_author(author) if author and _LOGIN.fullmatch(author) else None)


def _shown_author(tree: lxml_html.HtmlElement) -> str | None:
    """The author the page shows: the `<address>` elements of its article's header first, then its byline
    elements, meta lines, a signed line under the headline or at the end."""
    if names := _addressed_authors(tree):
        return names
    # not the site's name, nor an "about the author" box under the story (its heading, then the writer's bio)
    bylines = [b for b in post_elements(tree, _BYLINE_ELEMENTS) if not in_logo(b) and not _is_author_box(b)]
    named = {b: _clean_author(text) for b in bylines if (text := _byline_text(b)) and len(text) <= MAX_AUTHOR_CHARS}
    # a signature block around the author's own element and the date ("firma", "signature"): the author's
    around = {parent for byline, name in named.items() if name for parent in byline.iterancestors()}
    for byline in bylines:
        if byline in named and byline not in around and named[byline]:  # not "Publié il y a 3 semaines"
            return named[byline]
    for line in post_elements(tree, _META_LINES):
        if _PICTURE_CREDIT.match(text := _text(line)):
            continue
        if match := _BYLINE_IN_TEXT.search(text) or _BYLINE_OPENING.match(text):
            return _clean_author(match[1])
        if dateline := _ARABIC_DATELINE_NAME.match(_before_date(text)):  # "إربد - خالد العمري الثلاثاء 14 …"
            return _clean_author(dateline[1])
        if _AGENCY.fullmatch(agency := _before_date(text)):
            return agency
    for text in labelled_lines(tree):  # "نشر في: 14/03/2024 | بقلم: …" in an unmarked element
        if match := _BYLINE_IN_TEXT.search(text):
            return _clean_author(match[1])
    if (signed := _signed_under_title(tree)) is not None:
        return signed
    for paragraph in reversed(tree.xpath(_DASHED_PARAGRAPHS)):
        if match := _SIGNED_AT_END.match(_text(paragraph)):
            return _clean_author(match[1])
    return None


def _is_author_box(byline: lxml_html.HtmlElement) -> bool:
    """Whether a byline element is an "about the author" box: a heading ("عن الكاتبة", "About the author") and a
    paragraph of the writer's bio. A byline may hold a heading (Ghost's `<h4>` name), not a paragraph besides."""
    return next(byline.iter("h2", "h3", "h4", "h5", "h6"), None) is not None and byline.find(".//p") is not None


def _addressed_authors(tree: lxml_html.HtmlElement) -> str | None:
    """The authors an article's header gives in `<address>` elements, one each — Facebook Instant Articles'
    markup, where the name is the `<a>` and the text after it the author's role ("<address><a>Graham
    Tessier</a>Staff reporter</address>"); several are given as JSON-LD's are, "A, B"."""
    names = []
    for address in tree.xpath("//article/header/address"):
        links = address.xpath(".//a")
        if name := _clean_author(_text(links[0]) if links else _text(address)):
            names.append(name)
    return ", ".join(names) or None


def _signed_under_title(tree: lxml_html.HtmlElement) -> str | None:
    """The name of a byline line among the few elements after the post's `<h1>`, or among the short
    paragraphs opening its text ("<p>بقلم: <a>سعيد أوحساين</a> | الخميس 3 دجنبر 2026</p>"): `_SIGNED_LINE`,
    once the date after the name is cut."""
    heading = post_heading(tree)
    if heading is None:
        return None
    for element in [*list(heading.itersiblings())[:_LINES_UNDER_TITLE], *_opening_paragraphs(heading)]:
        if name := signed_name(_text(element)):
            return name
    return None


def _opening_paragraphs(heading: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The short `<p>`s after the headline, up to the story's first paragraph (a longer one), among the
    `_HEADER_NODES` elements after it: a page whose text is in `<div>`s and `<br>`s has no longer `<p>`, and
    the walk went through the whole rest of it."""
    found = []
    for node in islice(following(heading), _HEADER_NODES):
        if node.tag != "p":
            continue
        if len(_text(node)) > _SHORT_PARAGRAPH:
            break
        found.append(node)
    return found


def is_byline_of(line: str, author: str | None) -> bool:
    """Whether an extracted line is the byline of `author` and nothing more ("Par Youssef Amrani — 12 mai
    2026" as the story's first paragraph): not the story's text."""
    return author is not None and bool(_BYLINE_PREFIX.match(line)) and signed_name(line) == author


def signed_name(line: str) -> str | None:
    """The name a byline line gives ("Par Élodie Guérin", "By Jake Miller — 12 May 2026", "بقلم: سعيد
    أوحساين | الخميس 3 دجنبر 2026"): a byline word, a name, maybe a date; None for any other line ("Par
    ailleurs, la commune…", "Par La Rédaction")."""
    if len(line) > _SHORT_PARAGRAPH or not (match := _SIGNED_LINE.match(_before_date(line))):
        return None
    if _NEWSROOM.search(match[1]):
        return None
    first, *others = match[1].split()
    if not any(character.isupper() for character in match[1]):  # Arabic: no capitals to tell a name by
        return _clean_author(match[1]) if _CASELESS_SIGNED.match(line) else None
    if not first[0].islower() and all(not word[0].islower() or word in _PARTICLES for word in others):
        return _clean_author(match[1])
    return None


def _byline_text(byline: lxml_html.HtmlElement) -> str:
    """A byline's text; only its person's name when it marks one (schema.org's `itemprop="name"`): the
    avatar block of a documentation site's blog also holds the author's role ("Oskar Lind Maintainer"), a
    blog's its label ("Posted by", "المرسل")."""
    # (or microformats' hCard `fn`: Blogger's "<span class='post-author vcard'>المرسل <span class='fn'>…")
    names = byline.xpath(".//*[@itemprop='name' or contains(concat(' ', normalize-space(@class), ' '), ' fn ')]")
    if len(names) == 1:
        return _text(names[0])
    # the name on the byline's first line, the reporter's role or paper on the next ("Marie-Ève Tremblay<br>
    # <span>Le Soleil de Limoilou</span>"); the whole when that line is no name ("Par<br>Karim Alaoui")
    if (first := _line_before_break(byline)) and _clean_author(first):
        return first
    return _text(byline)


def _line_before_break(element: lxml_html.HtmlElement) -> str | None:
    """The element's text up to its first `<br>`, None when it has none."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> bool:  # True: the <br> is reached
        if node.tag == "br":
            return True
        parts.append(node.text or "" if isinstance(node.tag, str) else "")
        for child in node:
            if walk(child):
                return True
            parts.append(child.tail or "")
        return False

    return " ".join("".join(parts).split()) if walk(element) else None


def _before_date(text: str) -> str:
    """A byline's text up to the date, reading time or publication label after the name."""
    if end := _AFTER_NAME.search(fold_latin_accents(text)):
        text = text[: end.start()]
    return text.strip(" :-–—,")


def _clean_author(text: str) -> str | None:
    cleaned = _before_date(_BYLINE_PREFIX.sub("", " ".join(text.split())))
    if dateline := _ARABIC_DATELINE_NAME.match(cleaned):
        cleaned = dateline[1].strip()
    cleaned = _TITLE_AFTER_NAME.sub("", _HANDLE.sub("", cleaned))
    if _TITLE_ONLY.fullmatch(cleaned):
        return None
    if agency := _AGENCY_AND_PLACE.fullmatch(cleaned):
        cleaned = agency[1]
    if two := _TWO_NAMES.match(cleaned):
        cleaned = f"{two[1]}, {two[2]}"
    return cleaned[:MAX_AUTHOR_CHARS] or None


def site_name(tree: lxml_html.HtmlElement) -> str | None:
    """The site's own name: Open Graph, then the JSON-LD publisher or WebSite."""
    if name := _meta(tree, "og:site_name", "application-name"):
        return name
    for item in json_ld_objects(tree):
        if is_article_type(item) and (names := _names(item.get("publisher"))):
            return names[0].strip() or None
        if item.get("@type") == "WebSite" and isinstance(item.get("name"), str):
            return str(item["name"]).strip() or None
    return None
