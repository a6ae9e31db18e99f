"""A photo gallery's story is in its captions: they are read as the story's paragraphs.

A gallery page ("En images", "In pictures") tells its story one `<figcaption>` a photo, with no paragraph
of its own. trafilatura's passes find no paragraph there: the text came as one line holding the byline,
the share buttons, every caption with its photo credit and the slideshow's "1 / 4", which no line rule
can clean. When the page's captions hold more prose than its paragraphs, each caption becomes a
paragraph (its figure a block), without its credit, and the slideshow holding them loses its "slide"
class (trafilatura discards slides as carousels of other posts); an article whose photos have captions is
left alone.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_PROSE = 60  # characters: a caption that tells something, not "Photo: AFP"
_CREDIT = re.compile(r"credit|copyright|source|author|byline", re.I)


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def captions_as_paragraphs(tree: lxml_html.HtmlElement) -> int:
    """Turn, in place, a gallery's captions into paragraphs; how many (0 on any other page)."""
    captions = [caption for caption in tree.iter("figcaption") if len(_text(caption)) >= _PROSE]
    if len(captions) < 2:
        return 0
    paragraphs = (p for p in tree.iter("p") if not any(a.tag == "figcaption" for a in p.iterancestors()))
    if sum(len(text) for p in paragraphs if len(text := _text(p)) >= _PROSE) >= sum(map(len, map(_text, captions))):
        return 0
    for caption in captions:
        for credit in caption.xpath(".//*[@class]"):
            if _CREDIT.search(credit.get("class", "")):
                credit.drop_tree()
        caption.tag = "p"
        if (figure := caption.getparent()) is not None and figure.tag == "figure":
            figure.tag = "div"
        for holder in caption.iterancestors():  # trafilatura discards a "slide" as a page's carousel
            if "slide" in holder.get("class", "").lower():
                holder.attrib.pop("class")
    return len(captions)
