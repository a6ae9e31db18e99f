"""Text a script writes into the page in the reader's browser, from the page's own markup.

Two kinds of story text are in the HTML but not as text, until a script runs:
- Cloudflare's e-mail obfuscation replaces every address of a page with `<span class="__cf_email__"
  data-cfemail="5a39…">[email protected]</span>`, which its script decodes (the first byte is a key, XORed
  with each next one). A story's "inscriptions à l'adresse contact@… avant le 30 juin" read "[email
  protected]": the reader's sentence lost, a line of Cloudflare's kept.
- A lazy-loading theme keeps the paragraphs below the fold in a `data-*` attribute of an empty element and
  writes them in when the reader scrolls to them; the saved page held the story's first half as text.
  An empty `<p>` or `<div>` whose `data-*` attribute holds a sentence of prose (words, not a URL, JSON or
  markup), beside paragraphs of the story, is that paragraph.
Both are looked for in the tree only when the page's bytes hold their markup (`data-cfemail`; a `data-*`
attribute of 60 characters or more closing an empty `<p>` or `<div>`): a search of the tree's every element
cost ~1 % of an extraction, on pages that nearly never have either.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_OBFUSCATED = "//*[@data-cfemail]"
_OBFUSCATED_MARK = b"data-cfemail"
_DEFERRED_MARKUP = re.compile(rb"data-[\w-]+=(?:\"[^\"<>]{60,}\"|'[^'<>]{60,}')[^<>]*>\s*</(?:p|div)>")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){2,}")
_EMPTY_BLOCKS = "//p[not(*)][not(normalize-space())] | //div[not(*)][not(normalize-space())]"
_PROSE_WORDS = 12  # a sentence of a story; a share button's data-text or a tooltip is a title or a label
_NOT_PROSE = re.compile(r"^\s*(?:[{\[<]|https?:|/)")
# A share button's or tooltip's text is another copy of the headline or the excerpt, not a paragraph:
# `data-a2a-title`, ShareThis' `data-description`, `data-tooltip`, `data-caption`.
_NOT_A_PARAGRAPH = re.compile(r"title|desc|share|summary|excerpt|caption|tooltip|label|alt|tweet", re.I)
_LOADER = re.compile(r"load|spinner", re.I)  # "Loading more of this story…", left once its paragraphs are written
_LOADER_CHARS = 60


def decode_cloudflare_emails(tree: lxml_html.HtmlElement, page: bytes) -> int:
    """Write, in place, each Cloudflare-obfuscated address as the address; the number decoded. `page`: the
    tree's bytes."""
    decoded = 0
    if _OBFUSCATED_MARK not in page:
        return decoded
    for element in tree.xpath(_OBFUSCATED):
        code = element.get("data-cfemail", "")
        if not _HEX.fullmatch(code):
            continue
        key = int(code[:2], 16)
        address = "".join(chr(int(code[i : i + 2], 16) ^ key) for i in range(2, len(code), 2))
        for child in list(element):
            element.remove(child)
        element.text = address
        decoded += 1
    return decoded


def _deferred_paragraph(element: lxml_html.HtmlElement) -> str | None:
    """The prose an empty element holds in a `data-*` attribute for a script to write in, if any."""
    for name, value in element.attrib.items():
        if (
            name.startswith("data-")
            and not _NOT_A_PARAGRAPH.search(name)
            and len(value.split()) >= _PROSE_WORDS
            and not _NOT_PROSE.match(value)
        ):
            return " ".join(value.split())
    return None


def write_deferred_paragraphs(tree: lxml_html.HtmlElement, page: bytes) -> int:
    """Write, in place, the paragraphs a lazy-loading theme keeps in `data-*` attributes of empty elements
    beside the story's paragraphs (a `<p>` among their siblings), and drop their "loading" line; the number
    written. `page`: the tree's bytes."""
    written = 0
    if not _DEFERRED_MARKUP.search(page):
        return written
    for element in tree.xpath(_EMPTY_BLOCKS):
        parent = element.getparent()
        if parent is None or not element.attrib or (text := _deferred_paragraph(element)) is None:
            continue
        if not any(sibling.tag == "p" and sibling.text_content().strip() for sibling in parent):
            continue
        element.tag, element.text = "p", text
        written += 1
        for sibling in list(parent):
            if (
                _LOADER.search(sibling.get("class", ""))
                and len(sibling.text_content()) <= _LOADER_CHARS
                and sibling is not element
            ):
                sibling.drop_tree()
    return written
