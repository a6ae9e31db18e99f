"""A story's standfirst printed in a block of its own just before the block of its text: read as the text's.

Joomla's K2 prints an item's opening paragraph in `<div class="itemIntroText">` and the rest in
`<div class="itemFullText">`; SPIP its chapô in `<div class="chapo">` before `<div class="texte">`; other
themes a "lede", "intro" or "standfirst" block before the body's. trafilatura picks the body's block, which
its rules know by name, and the opening paragraph — on K2 the story's first, the who and where — was lost
(tests/pages/unseen12). The standfirst block is moved, in place, to the start of the block after it: the
page's text reads in the same order, and the body's block now begins with the standfirst.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# A class token that names a standfirst: K2's "itemIntroText", Joomla's "introtext", SPIP's "chapo", "intro",
# "lede", "standfirst", "chapeau", and themes' prefixed forms ("article-intro", "story-lede", "post_chapo").
_STANDFIRST = re.compile(r"(?:[a-z0-9]+[-_])*(?:itemintrotext|introtext|intro|chapo|chapeau|lede|standfirst)")
# Cheap first look at every element's class before the token test: the letters each name holds.
_CANDIDATES = etree.XPath(
    "//div[@class][contains(@class, 'ntro') or contains(@class, 'hap') or contains(@class, 'ede')"
    " or contains(@class, 'tandfirst')] | //section[@class][contains(@class, 'ntro') or contains(@class, 'ede')]"
)
_MAX_STANDFIRST = 600  # characters: an opening paragraph or two, not the story
_MIN_BODY_SHARE = 2  # the block after holds at least twice the standfirst's text: the story's body


def _chars(element: lxml_html.HtmlElement) -> int:
    return len("".join(element.itertext()).strip())


def join_standfirsts(tree: lxml_html.HtmlElement) -> None:
    """Move each standfirst block (`_STANDFIRST`) into the start of the element after it, when that element
    holds paragraphs and at least twice its text (the story's body, not the byline or the picture)."""
    for block in _CANDIDATES(tree):
        if not any(_STANDFIRST.fullmatch(token) for token in (block.get("class") or "").lower().split()):
            continue
        body = block.getnext()
        while body is not None and not isinstance(body.tag, str):  # a comment between the two
            body = body.getnext()
        if body is None or body.tag not in ("div", "section", "article") or body.find(".//p") is None:
            continue
        size = _chars(block)
        if 0 < size <= _MAX_STANDFIRST and _chars(body) >= _MIN_BODY_SHARE * size and not (block.tail or "").strip():
            body.insert(0, block)  # the block's (blank) tail goes with it
