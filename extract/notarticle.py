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


def not_an_article(tree: lxml_html.HtmlElement) -> bool:
    """Whether the page says it is a product's or a "not found" page (module docstring). Read within
    `dates.scanning` (its meta tags, JSON-LD and `<h1>` are the scan's)."""
    return _is_product(tree) or _is_not_found(tree)


def _is_product(tree: lxml_html.HtmlElement) -> bool:
    if any(content.strip().lower().startswith("product") for _, content in meta_content(tree, ("og:type",))):
        return not any(is_article_type(item) for item in json_ld_objects(tree))
    objects = list(json_ld_objects(tree))
    return any(item.get("@type") == "Product" for item in objects) and not any(map(is_article_type, objects))


def _says_not_found(text: str | None, pieces: bool = False) -> bool:
    """Whether `text` is a "not found" phrase; with `pieces`, its first or last part around the separators
    a `<title>` adds the site's name with."""
    folded = fold_latin_accents(" ".join((text or "").split())).lower().strip(" .!")
    parts = _TITLE_PIECE.split(folded) if pieces else [folded]
    return bool(folded) and any(_NOT_FOUND.fullmatch(part.strip(" .!")) for part in {parts[0], parts[-1]})


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
