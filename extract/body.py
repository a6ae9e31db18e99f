"""The article's text from trafilatura: its precision pass, with the paragraphs its recall pass finds
inside the same article kept.

trafilatura's precision settings (`favor_precision`) keep little furniture but drop real paragraphs —
short ones, ones with links, quotes — and find nothing at all on layouts without `<p>`; its recall
settings keep those paragraphs and more furniture. So both passes run on the page, and the text is the
recall pass's lines from the precision pass's first line to its last: what the precision pass dropped
inside the article comes back, what lies outside it (menus, related posts, footers) stays out, and the
furniture rules (extract.boilerplate) clean the rest. When the precision pass finds almost nothing, the
recall pass with trafilatura's fallback extractors gives the text.

The recall pass runs only when the precision pass may have dropped something: when its lines are not,
whitespace aside, one unbroken run of the page's text (`_left_nothing_out`). Most article pages are
written that way (the crawl benchmark's 400 pages, the demo web's, 10 of the 14 fixture pages the
precision pass reads), and on them the recall pass brought back nothing: half of the text's cost.

Both passes start by copying the page, matching their pruning rules against every element and deleting
the elements trafilatura never reads (scripts, styles, navigation, forms' fields, footers …), each on
its own copy. Those elements are deleted once here, from one copy both passes read (`_slimmed`).
"""

from __future__ import annotations

import re
from copy import copy
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml import html as lxml_html

if TYPE_CHECKING:
    from trafilatura.settings import Extractor

# Chosen by bench/bench_extract.py (13 pages of tests/pages + 18 demo web pages, Arabic/French/English,
# trafilatura 2.3.1, one process): 377 pages per CPU second against 215 for bare_extraction's defaults,
# 263 for the former {no comments, favor_precision, no tables} and 213 for trafilatura.extract(); every
# must-keep snippet kept (tables included: no tables lost a figures table, recall 0.954); 5 furniture
# lines before extract.boilerplate's rules (7 for the defaults, fast or favor_recall), 0 after.
# favor_recall+fast was as fast (381) but leaked more; comments are never part of the story.
PRECISION_OPTIONS: dict[str, Any] = {"include_comments": False, "favor_precision": True, "fast": True}
RECALL_OPTIONS: dict[str, Any] = {"include_comments": False, "favor_recall": True, "fast": True}
# Without `fast`: trafilatura's fallback extractors (readability, jusText) too, for pages the passes miss.
RESCUE_OPTIONS: dict[str, Any] = {"include_comments": False, "favor_recall": True}
MIN_TEXT_CHARS = 120
# A Chinese or Japanese character is a word: a story of three sentences is ~70 of them, as many words as
# 120 Latin or Arabic characters hold thrice over.
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_IDEOGRAPH_WEIGHT = 3
_LINKS_READ = 5000  # as crawler's page_links
_KEPT_SHARE = 0.8  # the recall span must hold this share of the precision pass's lines to replace it
# bare_extraction's keyword arguments → trafilatura's Extractor fields
_READ_BY_RULES = {"form", "figure", "math", "head"}  # see _slimmed
_EXTRACTOR_FIELDS = {"include_comments": "comments", "favor_precision": "precision", "favor_recall": "recall"}
_TEXT_OF = etree.XPath("string()")  # the text nodes' concatenation, made in C (itertext + join: twice as long)


@cache
def _extractor(options: tuple[tuple[str, Any], ...]) -> Extractor:
    """trafilatura's settings for one set of options, made once: an `Extractor` reads trafilatura's
    configuration file anew each time it is made, which bare_extraction otherwise did twice a page
    (bench/bench_crawl.py --profile)."""
    from trafilatura.settings import Extractor  # on first use: the crawl's main process never extracts

    return Extractor(output_format="python", **{_EXTRACTOR_FIELDS.get(k, k): v for k, v in options})


def too_short(text: str, minimum: int = MIN_TEXT_CHARS) -> bool:
    """Whether `text` is less than an article's: `minimum` characters, an ideograph counting as
    `_IDEOGRAPH_WEIGHT`."""
    if len(text) >= minimum:
        return False
    return len(text) + (_IDEOGRAPH_WEIGHT - 1) * len(_IDEOGRAPHS.findall(text)) < minimum


def _text(tree: lxml_html.HtmlElement, url: str, options: dict[str, Any]) -> str:
    import trafilatura

    settings = copy(_extractor(tuple(sorted(options.items()))))
    settings.url = settings.source = url  # as trafilatura's own command line does for each page
    document = trafilatura.bare_extraction(tree, options=settings)
    if document is None:
        return ""
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return str(data.get("text") or "")


def _slimmed(tree: lxml_html.HtmlElement, in_place: bool = False) -> lxml_html.HtmlElement:
    """The page (a copy, unless `in_place`) without the elements both passes delete unread (trafilatura's
    MANUALLY_CLEANED, tails kept as it keeps them), which they would otherwise each copy twice and match their
    pruning rules against: on the crawl benchmark's pages a third of the elements (a theme's menus), 13% of
    the two passes' CPU, the same text on its 400 pages and the test pages. Left for trafilatura: what its
    rules treat specially (a <form> can wrap the whole article, a <figure> a table, <math> its formula, <head>
    its JSON-LD), JSON-LD scripts (its forum test and its last-resort text read them), and any element holding
    a <p> or an <h1> (its recall pass restores such elements when they hold every paragraph, and keeps an
    infinite-scroll block that holds the <h1>)."""
    from trafilatura.settings import MANUALLY_CLEANED

    work = tree if in_place else copy(tree)
    doomed = []
    for element in work.iter(*(set(MANUALLY_CLEANED) - _READ_BY_RULES)):
        if element.tag == "script" and (element.get("type") or "").strip().lower() == "application/ld+json":
            continue
        if element.find(".//p") is None and element.find(".//h1") is None:
            doomed.append(element)
    for element in doomed:
        element.drop_tree()  # the tail stays
    return work


def body_text(tree: lxml_html.HtmlElement, url: str, *, in_place: bool = False, minimum: int = MIN_TEXT_CHARS) -> str:
    """The article's text on a page parsed by `extract.parsing.load_page`, paragraphs as lines. The tree is
    not changed (the passes read a slimmed copy) unless `in_place`: then it is slimmed itself, which saves
    the copy (~0.4 ms a page) to a caller done reading it."""
    tree = _slimmed(tree, in_place)
    precise = _text(tree, url, PRECISION_OPTIONS)
    if too_short(precise, minimum):
        rescued = _without_links(tree, _text(tree, url, RESCUE_OPTIONS))
        return rescued if len(rescued) > len(precise) else precise
    if _left_nothing_out(tree, precise):
        return precise
    return merged(precise, _text(tree, url, RECALL_OPTIONS))


def _without_links(tree: lxml_html.HtmlElement, text: str) -> str:
    """`text` without the lines that are a link's whole text: the fallback extractors' harvest of a
    short page's lists (other videos, share buttons, a menu), never a paragraph of its story. The page's
    first `_LINKS_READ` links only: a hostile page of a million links is not read a million times more."""
    links = {_key(_TEXT_OF(link)) for link in islice(tree.iter("a"), _LINKS_READ) if link.get("href")}
    return "\n".join(line for line in text.splitlines() if _key(line) not in links)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _left_nothing_out(tree: lxml_html.HtmlElement, precise: str) -> bool:
    """Whether the precision pass's lines, whitespace aside, are one unbroken run of the page's text: then
    nothing lies between its first line and its last that the recall pass could bring back. Anything the
    pass left out in between (a paragraph, a quote, a caption, a share button), or reshaped (a table's
    cells, a list's marks), means the recall pass runs. ~0.1 ms a page against ~3.5 ms for the pass."""
    return _squeezed(precise) in _squeezed(_TEXT_OF(tree))


def _key(line: str) -> str:
    return " ".join(line.split())


def merged(precise: str, recalled: str) -> str:
    """The recall pass's lines from the precision pass's first line to its last, or the precision text
    when the two passes do not line up (its first or last line missing, or much of it elsewhere)."""
    kept = [line for line in precise.splitlines() if line.strip()]
    found = [line for line in recalled.splitlines() if line.strip()]
    if not kept or not found:
        return precise
    keys = [_key(line) for line in found]
    first_key, last_key = _key(kept[0]), _key(kept[-1])
    if first_key not in keys or last_key not in keys:
        return precise
    start = keys.index(first_key)
    end = len(keys) - 1 - keys[::-1].index(last_key)
    if end < start:
        return precise
    span = set(keys[start : end + 1])
    if sum(_key(line) in span for line in kept) < _KEPT_SHARE * len(kept):
        return precise
    return "\n".join(found[start : end + 1])
