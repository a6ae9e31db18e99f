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

from lxml import html as lxml_html

from rasd.extract.dates import is_article_type, json_ld_objects, meta_content, post_heading
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


def not_an_article(tree: lxml_html.HtmlElement) -> bool:
    """Whether the page says it is a product's or a "not found" page (module docstring). Read within
    `dates.scanning` (its meta tags, JSON-LD and `<h1>` are the scan's)."""
    return _is_product(tree) or _is_not_found(tree)


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


def _squeezed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _says_not_found(text: str | None, pieces: bool = False) -> bool:
    """Whether `text` is a "not found" phrase; with `pieces`, its first or last part around the separators
    a `<title>` adds the site's name with, when the other parts are no more than a site's name and slogan
    ("Page introuvable - Meknès Actu", "Page non trouvée - Rue20 - Actualités du Maroc"). A story's title
    is more: "Erreur 404 - le site de la commune en panne | Tiznit Actu" was taken for a "not found" page,
    and the story lost, on a site that heads its stories with an `<h2>`."""
    folded = fold_latin_accents(" ".join((text or "").split())).lower().strip(" .!")
    parts = [part.strip(" .!") for part in (_TITLE_PIECE.split(folded) if pieces else [folded])]
    for phrase, others in ((parts[0], parts[1:]), (parts[-1], parts[:-1])):
        if _NOT_FOUND.fullmatch(phrase) and sum(len(part.split()) for part in others) <= _SITE_NAME_WORDS:
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
