"""The article's text as the page declares it in JSON-LD (`articleBody`), for pages that show only its opening.

Some news CMSs render the story in the browser, or print a teaser with a "read more" that loads the rest,
while the page's JSON-LD carries the whole text for search engines. trafilatura reads what the HTML shows:
on such a page Rasd stored the lead paragraph as if it were the story (a probe of 24 real stories of the
development corpus in a teaser-plus-JSON-LD page: 24 of 56 paragraphs kept), and a story whose SSE part is
further down was never flagged. The declared body replaces the shown text only when it is clearly the same
story and clearly longer; when the page shows the whole story (most pages, where both agree) nothing changes.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from rasd.extract.body import too_short
from rasd.extract.dates import is_article_type, json_ld_objects

# The declared body must be this much longer than the text the page shows to replace it: a body equal to the
# shown text, or a little longer (a caption, a signature), changes nothing.
_LONGER = 1.5
# Share of the shown text's words the declared body must hold: the teaser is the same story's opening, not
# another article's (a related story's JSON-LD, a site's description).
_SAME_STORY = 0.7
_WORD = re.compile(r"\w+")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"<\s*/?\s*(?:p|br|div|span|strong|em|b|i|a|h\d|ul|ol|li|blockquote)\b[^>]*>", re.I)


def declared_body(tree: lxml_html.HtmlElement) -> str | None:
    """The `articleBody` of the page's one article in JSON-LD, as lines; None when there is none, or when
    several articles declare different bodies (a listing, related stories: which one is the page's is a
    guess). A body written as HTML (some CMSs put their markup there) is read as text, paragraphs as lines."""
    bodies = {
        item["articleBody"].strip()
        for item in json_ld_objects(tree)
        if is_article_type(item) and isinstance(item.get("articleBody"), str) and item["articleBody"].strip()
    }
    if len(bodies) != 1:
        return None
    body = _CONTROL_CHARACTERS.sub(" ", bodies.pop())  # legal in JSON, refused by lxml
    if _MARKUP.search(body):
        try:
            body = text_of_markup(body)
        except (ValueError, etree.ParserError):  # markup lxml cannot read: the page's own text stands
            return None
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n".join(line for line in lines if line) or None


def text_of_markup(body: str) -> str:
    fragment = lxml_html.fragment_fromstring(body, create_parent="div")
    for element in fragment.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        element.tail = "\n" + (element.tail or "")
    return fragment.text_content()


def fuller_text(shown: str, declared: str | None) -> str:
    """The declared body when the page shows only part of the same story, or no story at all (less than
    extract.body's MIN_TEXT_CHARS: a site's name, a loading shell), else the shown text."""
    if not declared or len(declared) < _LONGER * len(shown):
        return shown
    if too_short(shown):
        return declared
    shown_words = _WORD.findall(shown.casefold())
    if shown_words:
        declared_words = set(_WORD.findall(declared.casefold()))
        if sum(word in declared_words for word in shown_words) < _SAME_STORY * len(shown_words):
            return shown
    return declared
