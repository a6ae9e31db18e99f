"""The story a JavaScript application's page carries only in its state: Next.js, Nuxt and their kin.

A Next.js or Nuxt news site may send a page whose HTML is an empty shell (a `<div id="__next">`, a
loading skeleton) and whose story is in the data the browser renders from: `<script id="__NEXT_DATA__">`
(JSON), `window.__NUXT__=(function(a,b,…){return {…}}("…","…"))` (JavaScript, the strings as the
function's arguments), `<script id="__NUXT_DATA__">`, `window.__INITIAL_STATE__` / `__PRELOADED_STATE__` /
`__APOLLO_STATE__`. trafilatura reads the HTML, finds nothing, and Rasd answered "no article text found".

The story is read from those scripts only (never any other script): in JSON, the list (a body's blocks) or
the HTML string (a body written as markup) holding the most prose — paragraphs being strings of six words or
more that end as a sentence ends, so titles, labels, slugs and menus are not taken, a rich-text paragraph's
runs (Contentful, Sanity, Slate: split at each bold word or link) joined first; in JavaScript, whose
structure is not parsed, its prose string literals in order. The result replaces the page's text
only when the page shows no story (under `MIN_TEXT_CHARS`): a page that shows its story may hold more
stories in its state (the next ones of an endless scroll), and the longest list would be all of them. The
state's author is the byline of a page that prints none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import html as lxml_html

from rasd.extract.declared import text_of_markup

# The scripts an application's state is in: by id (JSON), or by the global they assign (JavaScript).
_STATE_SCRIPTS = (
    "//script[@id='__NEXT_DATA__' or @id='__NUXT_DATA__']"
    " | //script[not(@src)][contains(., '__NUXT__') or contains(., '__INITIAL_STATE__')"
    " or contains(., '__PRELOADED_STATE__') or contains(., '__APOLLO_STATE__')]"
)
_ASSIGNED = re.compile(r"^\s*(?:window\.)?__(?:NUXT|INITIAL_STATE|PRELOADED_STATE|APOLLO_STATE)__\s*=")
_STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_MARKUP = re.compile(r"<\s*(?:p|br|div|h\d|li|blockquote)\b[^>]*>", re.I)
_SENTENCE_END = re.compile(r"[.!?؟…»\"”)\]]\s*$")
_MIN_WORDS = 6
_MIN_CHARS = 120  # less is no story (extract.body.MIN_TEXT_CHARS)


def _prose(value: str) -> bool:
    """A paragraph of a story: six words or more, ending as a sentence ends (not a title, label or URL)."""
    return len(value.split()) >= _MIN_WORDS and bool(_SENTENCE_END.search(value)) and "://" not in value[:12]


def _paragraphs(value: Any) -> Iterator[str]:
    """The prose strings in `value`, in document order (HTML strings as their paragraphs)."""
    if isinstance(value, str):
        if _MARKUP.search(value):
            yield from (line for line in _markup_lines(value) if _prose(line))
        elif _prose(value):
            yield " ".join(value.split())
    elif isinstance(value, dict):
        if (pieces := _text_pieces(value)) is not None:  # a rich-text paragraph: its runs of text, joined
            if _prose(joined := " ".join("".join(pieces).split())):
                yield joined
            return
        for item in value.values():
            yield from _paragraphs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _paragraphs(item)


def _text_of_run(value: Any) -> str | None:
    """The text of a run of rich text (`{"text": …}`, `{"value": …}`, with its marks), None for anything else."""
    if not isinstance(value, dict) or isinstance(value.get("children") or value.get("content"), list):
        return None
    text = value.get("text", value.get("value"))
    return text if isinstance(text, str) else None


def _text_pieces(block: dict[str, Any]) -> list[str] | None:
    """A rich-text paragraph's runs (Contentful's `content`, Sanity's and Slate's `children`), split where
    a word is bold or a link: each alone is no sentence. None when `block` is not such a paragraph."""
    runs = block.get("children") or block.get("content")
    if not isinstance(runs, list) or not runs:
        return None
    pieces = [_text_of_run(run) for run in runs]
    return None if any(piece is None for piece in pieces) else [piece for piece in pieces if piece is not None]


def _markup_lines(value: str) -> list[str]:
    try:
        text = text_of_markup(value)
    except ValueError:  # markup lxml cannot read
        return []
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _candidates(value: Any) -> Iterator[list[str]]:
    """Each list and each HTML string of the state, as its paragraphs: one of them is the story's body."""
    if isinstance(value, str) and _MARKUP.search(value):
        yield list(_paragraphs(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _candidates(item)
    elif isinstance(value, list):
        yield list(_paragraphs(value))
        for item in value:
            yield from _candidates(item)


def _from_json(text: str) -> list[str]:
    try:
        state = json.loads(text)
        return max(_candidates(state), key=lambda lines: sum(map(len, lines)), default=[])
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads: no story there
        return []


def _from_javascript(text: str) -> list[str]:
    lines: list[str] = []
    for literal in _STRING_LITERAL.findall(text):
        try:
            value = json.loads(literal)
        except ValueError:
            continue
        lines.extend(_paragraphs(value))
    return list(dict.fromkeys(lines))


# `"author": {"name": "…"}`, `author:{name:"…"}`, `"byline": "…"`, `"authorName": "…"`: the first in the
# state is the page's story's (related stories come after it).
_AUTHOR = re.compile(
    r"""["']?(?:author|authorName|byline)["']?\s*:\s*(?:\[\s*)?(?:\{[^{}]*?["']?name["']?\s*:\s*)?("(?:[^"\\\n]|\\.){2,80}")"""
)


def application_author(tree: lxml_html.HtmlElement) -> str | None:
    """The author the page's application state names for its story, or None."""
    for script in tree.xpath(_STATE_SCRIPTS):
        if match := _AUTHOR.search(script.text or ""):
            try:
                name = json.loads(match[1])
            except ValueError:
                continue
            if isinstance(name, str) and name.strip():
                return " ".join(name.split())
    return None


def application_body(tree: lxml_html.HtmlElement) -> str | None:
    """The story in the page's application state, as lines; None when there is none."""
    best: list[str] = []
    for script in tree.xpath(_STATE_SCRIPTS):
        text = script.text or ""
        if script.get("id") in ("__NEXT_DATA__", "__NUXT_DATA__"):
            lines = _from_json(text)
        elif _ASSIGNED.search(text):
            lines = _from_javascript(text)
        else:
            continue
        if sum(map(len, lines)) > sum(map(len, best)):
            best = lines
    body = "\n".join(best)
    return body if len(body) >= _MIN_CHARS else None
