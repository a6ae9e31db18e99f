"""The story a JavaScript application's page carries only in its state: Next.js, Nuxt and their kin.

A Next.js or Nuxt news site may send a page whose HTML is an empty shell (a `<div id="__next">`, a
loading skeleton) and whose story is in the data the browser renders from: `<script id="__NEXT_DATA__">`
(JSON), `window.__NUXT__=(function(a,b,…){return {…}}("…","…"))` (JavaScript, the strings as the
function's arguments), `<script id="__NUXT_DATA__">`, `window.__INITIAL_STATE__` / `__PRELOADED_STATE__` /
`__APOLLO_STATE__`; Next.js's app router streams it as React's flight rows in `self.__next_f.push([1,"…"])`
scripts (`7:{…}` a row of JSON, `8:T4a2,…` a text row its JSON refers to as `"$8"`). trafilatura reads the
HTML, finds nothing, and Rasd answered "no article text found".

The story is read from those scripts only (never any other script), and from the object there whose title
(`title`, `headline`) is the page's headline (og:title, `<title>`, `<h1>`, normalised; or its short or long
form), never a related story's, the latest-news rail's or the next one of an endless scroll; no such
object, no story. In JSON (Nuxt 3's `__NUXT_DATA__` revived from its indices first), that object's list (a
body's blocks) or HTML string (a body written as markup) holding the most prose — paragraphs being strings
of six words or more that end as a sentence ends, so titles, labels, slugs and menus are not taken, a
rich-text paragraph's runs (Contentful, Sanity, Slate: split at each bold word or link) joined first; in
JavaScript, whose structure is only tokenised, the prose string literals and Nuxt arguments between that
object's braces, in order. The result replaces the page's text only when the page shows no story (under
`MIN_TEXT_CHARS`: `extract.article` reads the state only then). The object's author is the byline of a page
that prints none. A state is read no deeper than `_MAX_DEPTH` levels and no larger than `_MAX_STATE_CHARS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from rasd.extract.declared import text_of_markup
from rasd.extract.normalize import normalize_for_matching

# The scripts an application's state is in: by id (JSON), or by the global they assign (JavaScript).
_STATE_SCRIPTS = (
    "//script[@id='__NEXT_DATA__' or @id='__NUXT_DATA__']"
    " | //script[not(@src)][contains(., '__NUXT__') or contains(., '__INITIAL_STATE__')"
    " or contains(., '__PRELOADED_STATE__') or contains(., '__APOLLO_STATE__') or contains(., '__next_f')]"
)
_FLIGHT = "__next_f"  # the id given to a Next.js app-router page's flight rows, joined (no script has it)
_FLIGHT_PUSH = re.compile(r'self\.__next_f\.push\(\[\s*1\s*,\s*("(?:[^"\\]|\\.)*")\s*\]\)')
_FLIGHT_ROW = re.compile(r"([0-9a-f]+):(T([0-9a-f]+),)?")
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


# A hostile page's state is read so far and no further: deeper or larger, it is no story's.
_MAX_DEPTH = 64
_MAX_STATE_CHARS = 2_000_000
_TITLE_KEYS = ("title", "headline")
_AUTHOR_KEYS = ("author", "authorName", "byline")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—»]\s+")


def _walk(value: Any, depth: int = 0) -> tuple[list[str], list[str]]:
    """`value`'s paragraphs in order, and its list or HTML string holding the most prose (the story's
    body), each node's paragraphs collected once, bottom-up."""
    if depth > _MAX_DEPTH:
        return [], []
    if isinstance(value, str):
        own = list(_paragraphs(value))
        return own, own if _MARKUP.search(value) else []
    if isinstance(value, dict) and _text_pieces(value) is not None:  # a rich-text paragraph
        return list(_paragraphs(value)), []
    if not isinstance(value, dict | list):
        return [], []
    lines: list[str] = []
    best: list[str] = []
    for item in value.values() if isinstance(value, dict) else value:
        item_lines, item_best = _walk(item, depth + 1)
        lines.extend(item_lines)
        best = max(best, item_best, key=_length)
    return lines, max(best, lines, key=_length) if isinstance(value, list) else best


def _length(lines: list[str]) -> int:
    return sum(map(len, lines))


def _page_titles(tree: lxml_html.HtmlElement) -> frozenset[str]:
    """The page's headline as it prints it, normalised: og:title, <title> (whole and its parts), <h1>."""
    texts = [*tree.xpath("//meta[@property='og:title']/@content"), *(h1.text_content() for h1 in tree.xpath("//h1"))]
    for title in tree.xpath("//title"):  # whole, and its longest part (not the site's name)
        texts.extend([title.text_content(), max(_TITLE_SEPARATOR.split(title.text_content()), key=len)])
    return frozenset(folded for text in texts if (folded := normalize_for_matching(text)))


def _titled(title: Any, titles: frozenset[str]) -> bool:
    """`title` is the page's headline, or its short or long form (one begins with the other's words, two or
    more of them)."""
    folded = normalize_for_matching(title) if isinstance(title, str) else ""
    return bool(folded) and any(_begins(*sorted((page, folded), key=len)) for page in titles)


def _begins(shorter: str, longer: str) -> bool:
    return shorter == longer or (len(shorter.split()) >= 2 and f"{longer} ".startswith(f"{shorter} "))


def _story(value: Any, titles: frozenset[str], depth: int = 0) -> dict[str, Any] | None:
    """The object of the state whose title is the page's (not a related story's), in document order."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        if any(_titled(value.get(key), titles) for key in _TITLE_KEYS):
            return value
        items = list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        return None
    return next((story for item in items if (story := _story(item, titles, depth + 1)) is not None), None)


def _json_state(text: str) -> Any:
    if len(text) > _MAX_STATE_CHARS:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads: no story there
        return None


_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\w$]+|[{}\[\]():,]')
_IIFE = re.compile(r"^\s*(?:window\.)?__NUXT__\s*=\s*\(function\(([^)]*)\)")
_OPENING = {"{": "}", "[": "]", "(": ")"}


def _closing(tokens: list[str], start: int) -> int:
    """The index of the bracket closing the one at `start` (len(tokens) when none does)."""
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index] in _OPENING:
            depth += 1
        elif tokens[index] in ("}", "]", ")"):
            depth -= 1
            if depth == 0:
                return index
    return len(tokens)


def _arguments(text: str, tokens: list[str]) -> dict[str, str]:
    """Nuxt's `(function(a,b,…){return {…}}("…","…"))`: each parameter's string argument."""
    if not (match := _IIFE.match(text)) or "{" not in tokens:
        return {}
    params = [name.strip() for name in match[1].split(",")]
    body_end = _closing(tokens, tokens.index("{"))
    if body_end + 1 >= len(tokens) or tokens[body_end + 1] != "(":
        return {}
    values: list[str | None] = [None]
    index, end = body_end + 2, _closing(tokens, body_end + 1)
    while index < end:
        if tokens[index] == ",":
            values.append(None)
        elif tokens[index] in _OPENING:
            index = _closing(tokens, index)
        elif tokens[index].startswith('"'):
            values[-1] = _literal(tokens[index])
        index += 1
    return {name: value for name, value in zip(params, values, strict=False) if value is not None}


def _literal(token: str) -> str | None:
    try:
        value = json.loads(token)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


class _Script:
    """A JavaScript state's tokens (its structure is not parsed), its parameters' string arguments."""

    def __init__(self, text: str) -> None:
        self.tokens = _TOKEN.findall(text) if len(text) <= _MAX_STATE_CHARS else []
        self.arguments = _arguments(text, self.tokens)

    def value(self, index: int) -> str | None:
        """The string at `index` (a literal, or a parameter's argument), not a key."""
        if index >= len(self.tokens) or self.tokens[index + 1 : index + 2] == [":"]:
            return None
        token = self.tokens[index]
        return _literal(token) if token.startswith('"') else self.arguments.get(token)

    def story(self, titles: frozenset[str]) -> tuple[int, int] | None:
        """The tokens of the object whose title is the page's (not a related story's)."""
        for index, token in enumerate(self.tokens[:-2]):
            if (
                token.strip('"') in _TITLE_KEYS
                and self.tokens[index + 1] == ":"
                and _titled(self.value(index + 2), titles)
            ):
                start = self._opening(index)
                return start, _closing(self.tokens, start)
        return None

    def _opening(self, index: int) -> int:
        depth = 0
        for before in range(index, -1, -1):
            if self.tokens[before] in ("}", "]", ")"):
                depth += 1
            elif self.tokens[before] in _OPENING:
                if depth == 0:
                    return before
                depth -= 1
        return 0

    def body(self, titles: frozenset[str]) -> list[str]:
        if (span := self.story(titles)) is None:
            return []
        values = (self.value(index) for index in range(*span))
        return list(dict.fromkeys(line for value in values if value is not None for line in _paragraphs(value)))

    def author(self, titles: frozenset[str]) -> str | None:
        if (span := self.story(titles)) is None:
            return None
        for index in range(*span):
            if self.tokens[index].strip('"') in _AUTHOR_KEYS and self.tokens[index + 1] == ":":
                # `author:"…"`, `author:{name:"…"}`, `author:[{name:"…"}]`
                after = index + 2
                while after < span[1] and self.tokens[after] in ("[", "{", "name", '"name"', ":"):
                    after += 1
                return self.value(after)
        return None


def _revived(payload: list[Any]) -> Any:
    """Nuxt 3's `__NUXT_DATA__` (devalue: an object's values are indices into the payload, `["Reactive", i]`
    wraps one) as the state it stands for; read no further than a few times the payload's size (a hostile
    payload may share one object at every level)."""
    budget = [4 * len(payload) + 1000]

    def revived(index: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > _MAX_DEPTH or not isinstance(index, int) or not 0 <= index < len(payload):
            return None
        value = payload[index]
        if isinstance(value, dict):
            return {key: revived(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list) and value and isinstance(value[0], str):  # ["Reactive", i], ["Set", …]
            return revived(value[1], depth + 1) if len(value) == 2 else None
        if isinstance(value, list):
            return [revived(item, depth + 1) for item in value]
        return value

    return revived(0, 0)


def _flight_stream(scripts: list[str]) -> str:
    """A Next.js app-router page's flight rows: its `self.__next_f.push([1, "…"])` strings, joined."""
    chunks = (_literal(match[1]) for text in scripts for match in _FLIGHT_PUSH.finditer(text))
    return "".join(chunk for chunk in chunks if chunk)[:_MAX_STATE_CHARS]


def _flight_state(stream: str) -> list[Any]:
    """The JSON rows of a flight stream (`id:{…}` or `id:[…]`, one a line), a text row (`id:T<hex bytes>,…`,
    no line end of its own) put where a row refers to it as `"$id"`; imports, hints and others left out."""
    rows: list[Any] = []
    texts: dict[str, str] = {}
    index = 0
    while (match := _FLIGHT_ROW.match(stream, index)) is not None:
        if match[2]:  # its length is in UTF-8 bytes: no more characters than that
            size = int(match[3], 16)
            text = stream[match.end() : match.end() + size].encode()[:size].decode(errors="ignore")
            texts[f"${match[1]}"] = text
            index = match.end() + len(text)
            continue
        end = stream.find("\n", match.end())
        end = len(stream) if end < 0 else end
        if stream[match.end() : match.end() + 1] in ("{", "["):
            rows.append(_json_state(stream[match.end() : end]))
        index = end + 1
    return [_referred(row, texts, 0) for row in rows] if texts else rows


def _referred(value: Any, texts: dict[str, str], depth: int) -> Any:
    """`value` with each `"$id"` string that names a text row replaced by that row's text."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, str):
        return texts.get(value, value)
    if isinstance(value, list):
        return [_referred(item, texts, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: _referred(item, texts, depth + 1) for key, item in value.items()}
    return value


def _json_story(text: str, script_id: str, titles: frozenset[str]) -> dict[str, Any] | None:
    state = _flight_state(text) if script_id == _FLIGHT else _json_state(text)
    if script_id == "__NUXT_DATA__" and isinstance(state, list):
        state = _revived(state)
    return _story(state, titles)


def _author_of(story: dict[str, Any]) -> str | None:
    """`"author": "…"`, `{"name": "…"}` or a list of them (the first): the story's own author."""
    for key in _AUTHOR_KEYS:
        value = story.get(key)
        value = value[0] if isinstance(value, list) and value else value
        value = value.get("name") if isinstance(value, dict) else value
        if isinstance(value, str) and value.strip():
            return value
    return None


@dataclass(frozen=True)
class ApplicationState:
    """A page's application state scripts (kept as text: the page's tree is slimmed before its body is
    known) and its headline's forms, which tell its story's object from related stories'."""

    titles: frozenset[str]
    # (text, id: "__NEXT_DATA__", "__NUXT_DATA__", `_FLIGHT` for the flight rows joined, or None)
    scripts: tuple[tuple[str, str | None], ...]


def application_state(tree: lxml_html.HtmlElement) -> ApplicationState:
    found = tree.xpath(_STATE_SCRIPTS)
    scripts = tuple(
        (script.text or "", script.get("id"))
        for script in found
        if script.get("id") in ("__NEXT_DATA__", "__NUXT_DATA__") or _ASSIGNED.search(script.text or "")
    )
    if stream := _flight_stream([script.text for script in found if script.text and "__next_f.push" in script.text]):
        scripts = (*scripts, (stream, _FLIGHT))
    return ApplicationState(_page_titles(tree) if scripts else frozenset(), scripts)


def application_author(state: ApplicationState) -> str | None:
    """The author the page's application state names for its story (the object whose title is the page's,
    not a related story's), or None."""
    for text, script_id in state.scripts:
        if script_id is not None:
            story = _json_story(text, script_id, state.titles)
            name = None if story is None else _author_of(story)
        else:
            name = _Script(text).author(state.titles)
        if name is not None and name.strip():
            return " ".join(name.split())
    return None


def application_body(state: ApplicationState) -> str | None:
    """The story in the page's application state (the object whose title is the page's), as lines; None
    when there is none."""
    best: list[str] = []
    for text, script_id in state.scripts:
        if script_id is not None:
            story = _json_story(text, script_id, state.titles)
            lines = [] if story is None else _walk(story)[1]
        else:
            lines = _Script(text).body(state.titles)
        best = max(best, lines, key=_length)
    body = "\n".join(best)
    return body if len(body) >= _MIN_CHARS else None
