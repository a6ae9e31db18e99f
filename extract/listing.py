"""A page of teasers — a homepage, a section's front, a tag's page — is not an article.

Such a page lists stories, each as a headline linking to its own page with an excerpt (and often a
date); trafilatura reads the excerpts as one article's paragraphs, and Rasd gave them as a story dated by
the first teaser. When most of the text extracted from a page is its teasers' headlines and excerpts, the
page has no story of its own (`rasd extract` says "no article text"). A story page's related-posts cards
are teasers too, but its own paragraphs make most of its text: there, the teasers' lines are left out of
the story's text (a card's excerpt beside it, a rail of "most read" with their first lines). A story made
of a list ("ten cooperatives", each a heading linking to the site's page on it and a paragraph) looks like a
listing, but says it is one story: Open Graph's type `article`, a JSON-LD article whose headline is its
`<h1>`, or its items in the `<article>` that holds its `<h1>`; there, the items are the story's text. A site's
root address is its homepage whatever it says (themes declare every page an `article`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from rasd.extract.dates import is_article_type, json_ld_objects, meta_content, post_heading

_MIN_TEASERS = 2  # cards of other stories: a story page's pair of "read also" cards, a listing's many
_MIN_LISTED = 3  # a listing shows several stories; a story page may show a card or two
_TEASER_CHARS = 400  # a teaser's headline, date and excerpt; beyond, a section of a story
_TEASERS_SHARE = 0.5  # of the extracted text's characters, for the page to be a listing
# A card that is one link around its headline and excerpt (Next.js and Tailwind themes: `<a><img><div>headline
# </div><p>excerpt</p></a>`): its headline is no heading, the link is the block.
_LINK_CARDS = "//body//a[@href][.//p]"


def _headline_links(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The page's `<h2>`, `<h3>` and `<h4>` in its `<body>` that hold a link, in page order: XPath's
    `//body//*[self::h2 or self::h3 or self::h4][.//a[@href]]`, made by lxml's tag iteration (~0.04 against
    ~0.2 ms on the crawl benchmark's pages: the XPath tests every element of the page)."""
    return [
        heading
        for heading in tree.getroottree().iter("h2", "h3", "h4")
        if heading.find(".//a[@href]") is not None and next(heading.iterancestors("body"), None) is not None
    ]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Teasers:
    """A page's teasers: how many, and their lines (headlines and excerpts, whitespace squeezed); `story`:
    the page says it is one story (`_declares_story`), so that, when they make most of its text, they are
    its items, not a listing's."""

    count: int
    lines: frozenset[str]
    story: bool = False


def teaser_lines(tree: lxml_html.HtmlElement, url: str) -> Teasers:
    """The page's teasers, when it shows several: a headline linking to another page of the site, in a
    block with an excerpt under `_TEASER_CHARS`. None when there are fewer than `_MIN_TEASERS`. A live
    blog's updates link to anchors of the page, a list's items to other sites: not teasers. Read within
    `dates.scanning` (the post's `<h1>`, meta tags and JSON-LD are the scan's)."""
    host = urlsplit(url).hostname
    blocks: list[lxml_html.HtmlElement] = []
    for heading in _headline_links(tree):
        block = heading.getparent()
        links = [href.strip() for href in heading.xpath(".//a/@href")]
        if block is None or block in blocks or not links or links[0].startswith("#"):
            continue
        if urlsplit(links[0]).hostname not in (None, host):
            continue
        text = _squeezed(" ".join(block.itertext()))
        if block.xpath(".//p") and len(text) <= _TEASER_CHARS:
            blocks.append(block)
    cards = [card for card in tree.xpath(_LINK_CARDS) if _is_card(card, host, blocks)]
    if len(blocks) + len(cards) < _MIN_TEASERS:
        return Teasers(0, frozenset())
    lines = set()
    for block in blocks:
        for element in block.xpath(".//*[self::h2 or self::h3 or self::h4 or self::p]"):
            if line := _squeezed(" ".join(element.itertext())):
                lines.add(line)
    for card in cards:  # its headline a <div> or <span>: each of its elements' own text
        for element in card.iter(etree.Element):
            if line := _squeezed(" ".join(element.itertext())):
                lines.add(line)
    blocks += cards
    return Teasers(len(blocks), frozenset(lines), not _is_site_root(url) and _declares_story(tree, blocks))


def _is_card(card: lxml_html.HtmlElement, host: str | None, blocks: list[lxml_html.HtmlElement]) -> bool:
    """Whether a link holding a paragraph is a teaser card: to another page of the site (not an anchor), a
    teaser's length, not inside a teaser already found."""
    href = card.get("href", "").strip()
    if href.startswith("#") or urlsplit(href).hostname not in (None, host):
        return False
    if any(block in blocks for block in card.iterancestors()):
        return False
    return len(_squeezed(" ".join(card.itertext()))) <= _TEASER_CHARS


def _is_site_root(url: str) -> bool:
    """Whether `url` is a site's root address ("https://www.chaouia-info.example/"): its homepage, whatever
    its Open Graph type says (themes give every page `og:type` "article"). Not "/?p=123", WordPress's
    address of a post without permalinks."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.path in ("", "/") and not parts.query


def _declares_story(tree: lxml_html.HtmlElement, blocks: list[lxml_html.HtmlElement]) -> bool:
    """Whether the page says it is one story: Open Graph's type `article`, a JSON-LD article whose headline
    is the post's `<h1>`, or the teasers' `blocks`, most of them, in the `<article>` that holds that `<h1>`."""
    if any(content.strip().lower() == "article" for _, content in meta_content(tree, ("og:type",))):
        return True
    heading = post_heading(tree)
    if heading is None:
        return False
    story = next(heading.iterancestors("article"), None)
    if story is not None and 2 * sum(story in block.iterancestors("article") for block in blocks) > len(blocks):
        return True
    shown = _squeezed(" ".join(heading.itertext())).casefold()
    return any(
        is_article_type(item) and _squeezed(str(item.get("headline", ""))).casefold() == shown
        for item in json_ld_objects(tree)
    )


def is_teaser(line: str, teasers: Teasers) -> bool:
    """Whether an extracted line is one of the page's teasers' (`teaser_lines`)."""
    return _squeezed(line) in teasers.lines


def is_listing(lines: list[str], teasers: Teasers) -> bool:
    """Whether the extracted `lines` are mostly the page's teasers, of `_MIN_LISTED` or more (also on a
    story made of a list: `Teasers.story` says which)."""
    if teasers.count < _MIN_LISTED:
        return False
    total = sum(len(line) for line in lines)
    listed = sum(len(line) for line in lines if is_teaser(line, teasers))
    return total > 0 and listed >= _TEASERS_SHARE * total


def unarticle_teasers(tree: lxml_html.HtmlElement) -> None:
    """A story in `<div>`s between cards of other stories that are each an `<article>` (a theme that marks up
    every teaser, never the post): the cards become `<div>`s, in place. trafilatura reads a page's first
    `<article>` as its story when no block is named like a post's body, and gave the first card's excerpt
    for the story. The cards are the post's neighbours, not the post, when its `<h1>` is in no `<article>`
    and the paragraphs between that `<h1>` and the first `<article>` after it hold more text than that
    `<article>` (a theme that prints the headline and a standfirst above the post's `<article>` holds less
    there than the post). Read within `dates.scanning` (the post's `<h1>` is the scan's)."""
    if tree.find(".//article") is None:
        return
    heading = post_heading(tree)
    if heading is None or next(heading.iterancestors("article"), None) is not None:
        return
    following = heading.xpath("(following::article)[1]")
    if not following:
        return
    first = following[0]
    between = set(first.xpath("preceding::p[not(ancestor::article)]")).intersection(heading.xpath("following::p"))
    if sum(len(_squeezed(" ".join(p.itertext()))) for p in between) <= len(_squeezed(" ".join(first.itertext()))):
        return
    for article in tree.iter("article"):
        article.tag = "div"
