"""Pages that hold no story whatever their text: a shop's product page, a "page not found" served as 200.

A cooperative's shop page (its argan oil, its carpets, described in a few paragraphs with reviews under
them) reads to trafilatura like a short article, and its words are the very ones Rasd's readers follow:
given as a story, it would be alerted as news. A site that answers a moved story's address with its
"page not found" page and status 200 (WordPress themes, Drupal sites behind a cache) gives a paragraph of
apology and the latest headlines: a story dated the day it was fetched. Both pages say what they are —
Open Graph's `og:type` "product", a JSON-LD `Product` without an article beside it, a `<title>` or `<h1>`
that is a "not found" phrase — and `rasd extract` says "no article text" for them, as for a homepage.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import html as lxml_html

from rasd.extract.dates import is_article_type, json_ld_objects, json_ld_types, meta_content, post_heading
from rasd.extract.normalize import fold_latin_accents

# A page's title or heading that says the address has no page: the whole of it, or its part before the
# site's name ("Page introuvable - Meknès Actu"), folded (lower case, no Latin accents), in the languages of
# the sites Rasd reads and of the CMSs' default themes.
_NOT_FOUND = re.compile(
    r"(?:(?:error|erreur|erro|errore|fehler|خطأ)\s*)?404(?:\s*[-:|]?\s*(?:not found|page not found))?"
    r"|page (?:introuvable|non trouvee|inexistante)|cette page n'existe pas|page not found|not found"
    r"|nothing found|oops! that page can(?:'|’)t be found|pagina no encontrada|pagina non trovata"
    r"|seite nicht gefunden|pagina niet gevonden|pagina nao encontrada"
    r"|(?:ال)?صفحة (?:المطلوبة )?غير موجودة|لم يتم العثور على (?:ال)?صفحة",
)
_TITLE_PIECE = re.compile(r"\s+[|\-–—»]\s+")  # "Page introuvable - Meknès Actu", "Site | Page not found"
# The words a `<title>` adds to a page's own: the site's name, maybe its slogan ("Rue20 - Actualités du Maroc").
_SITE_NAME_WORDS = 5


def not_an_article(tree: lxml_html.HtmlElement, url: str = "") -> bool:
    """Whether the page says it is a product's or a "not found" page (module docstring), a list of other
    pages, a bot check, a redirect or a consent wall (`_is_listing_page`, `_is_bot_check`, `_redirects`,
    `_is_consent_wall`). Read within `dates.scanning` (its meta tags, JSON-LD and `<h1>` are the scan's)."""
    return (
        _is_product(tree)
        or _is_not_found(tree)
        or _is_listing_page(tree)
        or _is_profile_or_reactions(tree, url)
        or _is_bot_check(tree)
        or _redirects(tree, url)
        or _is_consent_wall(tree)
        or _is_site_page(tree, url)
        or _lists_whole_posts(tree, url)
    )


# The classes a CMS gives the `<body>` of a page listing other pages: WordPress's date, category, tag and
# author archives ("archive") and its search results; Drupal's search, taxonomy and user pages. A post's
# `<body>` has "single" (WordPress) or "page-node-type-…" (Drupal) instead.
_LISTING_BODY = frozenset(
    # "post-type-archive": a custom type's list (The Events Calendar's agenda, a shop's, a portfolio's)
    ("archive", "post-type-archive", "search", "search-results", "search-no-results", "path-search", "path-taxonomy")
)
_POST_BODY = re.compile(r"^(?:single|single-post|postid-\d+|page-node-type-.*|node-type-.*)$")
# What a listing's or profile's JSON-LD and Open Graph call the page.
_LISTING_TYPES = frozenset(("CollectionPage", "SearchResultsPage", "ProfilePage"))


def _is_listing_page(tree: lxml_html.HtmlElement) -> bool:
    """A page the CMS says lists other pages — a month's archive, a tag's, an author's, search results, a
    section's page 2: its `<body>` classes, or a JSON-LD collection, search-results or profile page, or
    Open Graph's `profile`, without an article declared beside it. Their teasers' excerpts read as a short
    story (dated by the first teaser): a month's archive of a cooperative site was an SSE story. Themes
    that call every page an `og:type` article still class an archive's `<body>` as one."""
    body = tree.find("body")
    classes = (body.get("class") or "").split() if body is not None else []
    if _LISTING_BODY.intersection(classes) and not any(_POST_BODY.match(name) for name in classes):
        return True
    objects = list(json_ld_objects(tree))
    if any(map(is_article_type, objects)):
        return False
    if any(content.strip().lower() == "profile" for _, content in meta_content(tree, ("og:type",))):
        return True
    return any(not _LISTING_TYPES.isdisjoint(json_ld_types(item)) for item in objects)


# A person's page or a story's readers' reactions, by its address: the person's or the story's name after
# the kind of page ("/profile/ruth-ogilvie", "/auteur/nadia-benjelloun/", "/reactions/agadir-…_a8841.html").
_PROFILE_OR_REACTIONS = re.compile(
    r"/(?:authors?|auteurs?|autor(?:es)?|profiles?|profil|journalistes?|journalists?|writers?|kuttab"
    r"|reactions|reacciones|commentaires|comments)/[^/]+/?$",
    re.I,
)


# A Telegram channel's web preview ("https://t.me/s/akhbar_coop"): its latest messages, newest last.
_CHANNEL_PREVIEW = re.compile(r"^(?:www\.)?(?:t\.me|telegram\.me)$")


def _is_profile_or_reactions(tree: lxml_html.HtmlElement, url: str) -> bool:
    """A journalist's profile (a short biography over a list of headlines), a story's readers' reactions
    page or a Telegram channel's page, by its address, when it declares no article: the biography read as
    a story dated by the first headline, the reactions as one dated by the first comment."""
    parts = urlsplit(url)
    if _CHANNEL_PREVIEW.match(parts.hostname or "") and parts.path.startswith("/s/"):
        return True  # a channel's messages read as one story dated by the first (tests/pages/unseen12)
    if not _PROFILE_OR_REACTIONS.search(parts.path):
        return False
    if any(map(is_article_type, json_ld_objects(tree))):
        return False
    return not any(content.strip().lower() == "article" for _, content in meta_content(tree, ("og:type",)))


# A bot check's `<title>` or heading, folded: Cloudflare's "Just a moment...", "Checking your browser",
# "Attention Required!", Sucuri's and other firewalls' "Vérification de sécurité", the Arabic ones.
_BOT_CHECK = re.compile(
    r"(?:just a moment|un instant|checking (?:your browser|if the site connection is secure)|attention required"
    r"|verify(?:ing)? (?:that )?you are (?:a )?human|are you a robot|security check|ddos protection"
    r"|verification (?:de securite|de votre navigateur|que vous (?:etes|n'etes pas))|one more step"
    r"|please wait while we verify|(?:جار[يٍ]? |يتم )?التحقق من (?:المتصفح|متصفحك|أنك))",
)
# The markup a challenge page carries whatever its words: Cloudflare's challenge form and options.
_CHALLENGE_MARKS = "//*[@id='challenge-form' or @id='challenge-running' or @id='cf-challenge-running']"


# What a bot check has beside its words, and a story headlined "Security check at Agadir airport…" has not:
# it asks not to be indexed, or holds a captcha.
_UNINDEXED_OR_CAPTCHA = (
    "//meta[translate(@name, 'ROBTS', 'robts')='robots'][contains(translate(@content, 'NOIDEX', 'noidex'), 'noindex')]"
    " | //*[contains(@class, 'captcha') or contains(@class, 'cf-turnstile')]"
)


def _is_bot_check(tree: lxml_html.HtmlElement) -> bool:
    """A firewall's "checking your browser" page served in the story's place (status 200 or 403 kept by a
    cache): its `<title>` or `<h1>` opens with a bot check's words, on a page that holds Cloudflare's
    challenge form, or asks not to be indexed or holds a captcha, and declares no article. Its paragraphs of
    explanation were stored as a story with the story's address. The words first: the markup is searched
    on the pages that have them only."""
    heading = post_heading(tree)
    texts = [tree.findtext(".//title") or "", " ".join(heading.itertext()) if heading is not None else ""]
    if not any(_BOT_CHECK.match(fold_latin_accents(" ".join(text.split())).lower()) for text in texts):
        return False
    if tree.xpath(_CHALLENGE_MARKS):
        return True
    return bool(tree.xpath(_UNINDEXED_OR_CAPTCHA)) and not any(map(is_article_type, json_ld_objects(tree)))


_MAX_REDIRECT_SECONDS = 10  # a page that reloads itself after minutes is a page; after seconds, a redirect
_REFRESH = re.compile(r"^\s*(\d+)(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?['\"]?([^'\"]+)", re.I)


def _redirects(tree: lxml_html.HtmlElement, url: str) -> bool:
    """A `<meta http-equiv="refresh">` sending the reader within seconds to another address: a moved
    story's old address, a short link's page. Its "you are being redirected" paragraphs are no story (the
    crawl follows the refresh to the story itself)."""
    for meta in tree.xpath("/html/head/meta[@http-equiv][@content]"):  # lxml puts a stray <meta> in the head
        if meta.get("http-equiv", "").strip().lower() != "refresh":
            continue
        match = _REFRESH.match(meta.get("content", ""))
        if match and int(match[1]) <= _MAX_REDIRECT_SECONDS:
            target = urljoin(url, match[2].strip())
            if urldefrag(target)[0] != urldefrag(url)[0]:
                return True
    return False


# A consent platform's container, by its class or id: most CMPs (Didomi, OneTrust, Quantcast, Sourcepoint,
# tarteaucitron, Axeptio) and themes' own name it so.
# "cmp" is a consent platform's, but not in Adobe Experience Manager's core components, which are all named
# "cmp-…" ("cmp-container" around a whole story page: bench/bench_rendered_pages.py, every AEM page refused).
_AEM_COMPONENTS = (
    "container|text|title|image|teaser|list|navigation|languagenavigation|breadcrumb|tabs|carousel|accordion"
    "|experiencefragment|contentfragment|button|separator|embed|download|search|form|tableofcontents|pdfviewer"
)
_CONSENT_NAME = re.compile(
    rf"consent|cookie|gdpr|(?:^|[\s_-])cmp(?:[\s_]|-(?!(?:{_AEM_COMPONENTS})(?![a-z]))|$)"
    r"|didomi|onetrust|sp_message|tarteaucitron|axeptio"
)
# Where consent platforms put their wall: an overlay among the `<body>`'s children or grandchildren (Didomi's
# `#didomi-host`, OneTrust's `#onetrust-consent-sdk`, Sourcepoint's, Cookiebot's); looking only there keeps
# the check off the page's thousands of other elements (a search of them all cost 2 to 4 % of a page).
_CONSENT_PLACES = "./* | ./*/*"
_MIN_WALL_CHARS = 400  # a consent wall explains itself; a cookie banner's line or two is shorter
_CONSENT_SHARE = 0.6  # of the page's text: the wall is the page


def _is_consent_wall(tree: lxml_html.HtmlElement) -> bool:
    """A page whose text is mostly a consent dialog: a consent wall served in the story's place (the story
    behind it is not in the page). A cookie banner over a story is a small part of its text."""
    body = tree.find("body")
    if body is None:
        return False
    walls = [
        node
        for node in body.xpath(_CONSENT_PLACES)  # not the `<body>`: "has-consent-wall" over a story
        if _CONSENT_NAME.search(f"{node.get('class', '')} {node.get('id', '')}".lower())
        and not any(_CONSENT_NAME.search(f"{a.get('class', '')} {a.get('id', '')}".lower()) for a in _up_to(node, body))
    ]
    walled = sum(map(_visible_chars, walls))
    return walled >= _MIN_WALL_CHARS and walled >= _CONSENT_SHARE * _visible_chars(body)


def _up_to(node: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """`node`'s ancestors below `body`."""
    ancestors = []
    for ancestor in node.iterancestors():
        if ancestor is body:
            break
        ancestors.append(ancestor)
    return ancestors


def _visible_chars(element: lxml_html.HtmlElement) -> int:
    return sum(len(text.strip()) for text in element.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def _is_product(tree: lxml_html.HtmlElement) -> bool:
    """A product declared by Open Graph, or by JSON-LD, with no article declared beside it. A page whose
    `og:type` is "article" is a product's only when the JSON-LD product is its `<h1>` (a shop whose plugin
    calls every page an article): a story with a review box's product ("Huile d'argan Tifaout" under "À
    Aglou, l'huile d'argan de la coopérative Tifaout part à l'export") was dropped."""
    kinds = [content.strip().lower() for _, content in meta_content(tree, ("og:type",))]
    objects = list(json_ld_objects(tree))
    if any(map(is_article_type, objects)):
        return False
    if any(kind.startswith("product") for kind in kinds):
        return True
    products = [item for item in objects if item.get("@type") == "Product"]
    if not products or "article" not in kinds:
        return bool(products)
    heading = post_heading(tree)
    headline = _squeezed(" ".join(heading.itertext())) if heading is not None else None
    return any(_squeezed(str(item.get("name") or "")) == headline for item in products)


# A page of the site about itself, or what a host shows in a dead site's place, by its heading or `<title>`
# (the whole of it, or its part beside the site's name, folded as `_NOT_FOUND`): a contact, "about" or legal
# page; a maintenance or "coming soon" page; a registrar's parked domain "for sale"; a host's suspended
# account; a web server's default page ("Apache2 Debian Default Page: It works"), a framework's or a CMS's
# error page ("Whoops! There was an error.", "Error establishing a database connection"). A source's link to
# its contact page, or a story's address answered by its site's maintenance page or, once the domain lapsed,
# by a parking page, gave their paragraphs as a story (tests/pages/unseen12); a server's default page and a
# framework's stack trace, theirs (tests/pages/unseen13).
_SITE_PAGE = re.compile(
    r"contact(?:ez[- ]nous| us)?|nous contacter|contactos?|kontakt|qui sommes[- ]nous|a propos(?: de nous)?"
    r"|about(?: us)?|mentions legales|politique de confidentialite|privacy policy|terms of (?:use|service)"
    r"|conditions generales d'utilisation"
    # a public body's or association's list of calls for tenders or job offers (tests/pages/unseen14)
    r"|(?:avis d')?appels? d'offres?|marches publics|offres d'emploi|recrutements?|(?:ال)?صفقات (?:ال)?عمومية"
    r"|طلبات (?:ال)?عروض|إعلانات طلبات (?:ال)?عروض|(?:عروض|مباريات) (?:ال)?(?:شغل|توظيف)|(?:ال)?توظيف"
    r"|اتصل(?:وا)? بنا|تواصل(?:وا)? معنا|من نحن|سياسة الخصوصية|شروط الاستخدام"
    r"|(?:(?:le |notre )?site (?:est )?)?en (?:cours de )?maintenance|(?:site |website )?(?:is )?under maintenance"
    r"|maintenance mode|mode maintenance|(?:site )?(?:bientot disponible|bientot de retour)|coming soon"
    r"|(?:ال)?موقع (?:تحت|في طور|قيد) ال(?:صيانة|إنشاء|انشاء)"
    r"|(?:ce |this )?(?:nom de )?(?:domaine|domain)(?: name)? (?:est |is )?(?:peut-etre |may be )?(?:a vendre|for sale)"
    r"|buy this domain|acheter ce (?:nom de )?domaine|account suspended|this account has been suspended"
    r"|(?:ال)?(?:نطاق|دومين) (?:معروض )?للبيع"
    # a web server's page before any site is installed, a framework's or CMS's error page in the story's place
    r"|(?:apache2? )?(?:debian |ubuntu |centos |fedora )?(?:default|test) page"
    r"(?: for the \w+ http server)?(?:: it works)?"
    r"|it works|welcome to nginx|iis windows server|(?:\d{3} )?internal server error|server error"
    r"|(?:\d{3} )?service (?:temporarily )?unavailable|(?:\d{3} )?bad gateway|(?:\d{3} )?gateway time-?out"
    r"|whoops!?,? (?:there was an error|looks like something went wrong)|database error"
    r"|error establishing a database connection|erreur (?:interne du serveur|lors de la connexion a la base de donnees)"
    r"|there has been a critical error on (?:this|your) website|il y a eu une erreur critique sur (?:ce|votre) site"
    r"|خطأ (?:في|أثناء) (?:ال)?اتصال بقاعدة البيانات",
)


# A word every `_SITE_PAGE` phrase holds, looked for in the raw heading and `<title>` first: most pages have
# none, and are spared the folding (a `<title>` folded and matched cost 0.09 ms).
_SITE_PAGE_WORDS = (
    *("contact", "kontakt", "propos", "about", "sommes", "mention", "confidential", "privacy", "terms"),
    *("conditions", "maintenance", "bient", "coming soon", "domain", "suspended"),
    *("default page", "test page", "it works", "nginx", "iis", "error", "erreur", "unavailable", "gateway"),
    *("whoops", "critique", "قاعدة البيانات", "offre", "marches publics", "recrutement"),
    *("العروض", "عروض", "صفقات", "توظيف", "مباريات"),
    *("اتصل", "تواصل", "من نحن", "الخصوصي", "الاستخدام", "الصيان", "الإنشاء", "الانشاء", "للبيع"),
)


def _may_name_a_site_page(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _SITE_PAGE_WORDS)


def _is_site_page(tree: lxml_html.HtmlElement, url: str) -> bool:
    """A contact, "about", legal, maintenance, parked-domain or suspended-account page (`_SITE_PAGE`): its
    heading or its `<title>` says so, or its heading is the bare domain name (a parking page's). A story
    headlined "Le site de la commune en maintenance depuis un mois" or "Contact perdu avec le chalutier"
    says more than the phrase."""
    heading = post_heading(tree)
    headline = " ".join(" ".join(heading.itertext()).split()) if heading is not None else ""
    host = urlsplit(url).hostname or ""
    if headline and host and headline.lower().removeprefix("www.") == host.removeprefix("www."):
        return True
    title = tree.findtext(".//title") or ""
    if not _may_name_a_site_page(headline) and not _may_name_a_site_page(title):
        return False
    return _says(headline, _SITE_PAGE) or _says(title, _SITE_PAGE, pieces=True)


def _squeezed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _says_not_found(text: str | None, pieces: bool = False) -> bool:
    return _says(text, _NOT_FOUND, pieces)


def _says(text: str | None, phrase: re.Pattern[str], pieces: bool = False) -> bool:
    """Whether `text` is a `phrase` ("not found", `_SITE_PAGE`); with `pieces`, its first or last part
    around the separators a `<title>` adds the site's name with, when the other parts are no more than a
    site's name and slogan ("Page introuvable - Meknès Actu", "Page non trouvée - Rue20 - Actualités du
    Maroc"). A story's title is more: "Erreur 404 - le site de la commune en panne | Tiznit Actu" was taken
    for a "not found" page, and the story lost, on a site that heads its stories with an `<h2>`."""
    folded = fold_latin_accents(" ".join((text or "").split())).lower().strip(" .!")
    parts = [part.strip(" .!") for part in (_TITLE_PIECE.split(folded) if pieces else [folded])]
    for piece, others in ((parts[0], parts[1:]), (parts[-1], parts[:-1])):
        if phrase.fullmatch(piece) and sum(len(part.split()) for part in others) <= _SITE_NAME_WORDS:
            return True
    return False


def _is_not_found(tree: lxml_html.HtmlElement) -> bool:
    """The page's `<h1>` is a "not found" phrase, or, without one, its `<title>` is; or WordPress marks
    it (`<body class="error404">`). A story headlined "Erreur 404 : le site de la commune en panne" is
    none of these."""
    body = tree.find("body")
    if body is not None and "error404" in (body.get("class") or "").split():
        return True
    heading = post_heading(tree)
    if heading is not None:
        return _says_not_found(" ".join(heading.itertext()))
    return _says_not_found(tree.findtext(".//title"), pieces=True)


_MIN_WHOLE_POSTS = 3  # a blog's home or category printing its latest posts whole; a story shows a card or two


def _lists_whole_posts(tree: lxml_html.HtmlElement, url: str) -> bool:
    """A blog's home or section that prints its latest posts whole, each an `<article>` headed by a link to its
    own page (tests/pages/unseen14): not one story but several, each with its own address (which the crawl
    reads as a story) and its own day; given as a story, the first post was stored twice, once under the
    blog's address. `_MIN_WHOLE_POSTS` or more `<article>`s, none inside another, whose first heading links to
    another page of the site, holding most of the page's paragraphs' text, and the page's `<h1>`, if any, in
    one of them (a story's own `<h1>` outside them makes them its related posts)."""
    articles = [article for article in tree.iter("article") if next(article.iterancestors("article"), None) is None]
    if len(articles) < _MIN_WHOLE_POSTS:
        return False
    title = post_heading(tree)
    if title is not None:  # first the one the page's <h1> is in: a story page's own post links nowhere else
        own = [article for article in title.iterancestors("article")]
        if not own or not _links_elsewhere(own[-1], url):
            return False
    posts = [article for article in articles if _links_elsewhere(article, url)]
    if len(posts) < _MIN_WHOLE_POSTS:
        return False
    listed = sum(_visible_chars(p) for post in posts for p in post.iter("p"))
    return 2 * listed > sum(_visible_chars(p) for p in tree.iter("p"))


def _links_elsewhere(article: lxml_html.HtmlElement, url: str) -> bool:
    """Whether an `<article>`'s first heading links to another page of the page's site (`_lists_whole_posts`)."""
    heading = next(article.iter("h1", "h2", "h3"), None)
    href = (
        next((link.get("href", "").strip() for link in heading.iter("a") if link.get("href")), "")
        if heading is not None
        else ""
    )
    if not href or href.startswith("#"):
        return False
    target = urljoin(url, href)
    return urlsplit(target).hostname == urlsplit(url).hostname and urldefrag(target)[0] != urldefrag(url)[0]
