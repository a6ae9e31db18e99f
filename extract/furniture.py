"""A source's own furniture, learned from its stored articles: lines that recur across many of them.

config/boilerplate.toml knows the furniture Moroccan WordPress themes share; each site adds its own —
its slogan under its name, a signature, a "related" heading, a comment notice, share labels — which
trafilatura keeps and no general rule can know. A line of article text is written once; a line that
comes back, identical once folded, in many of one source's articles is that site's furniture. So the
stored articles of each source are read (`learn_furniture`), the lines found in at least
`MIN_ARTICLES` and `MIN_SHARE` of them are kept per source (storage.furniture), and extraction drops them
(`remove_furniture`). A line that opens a block of short lines at the end of the text (a "related"
heading and its headlines, a comment notice and the comments) ends the article there, as the rules'
end markers do. A new source has nothing learned yet: the rules are its fallback.

Learning is from the stored text, from which learned lines were already removed, so extraction reports
the learned lines it removed (`Cleaned.hits`); storage keeps a learned line while the site still prints
it, and lets it go when the site stops (re-learned as the site changes).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rasd.extract.normalize import normalize_for_matching

MIN_ARTICLES = 3  # a line seen in fewer of a source's articles is not learned
MIN_SHARE = 0.25  # …nor one seen in less than this share of the articles read
MAX_LINE_CHARS = 200  # a longer line is a paragraph, even when a site repeats it
MIN_WORDS = 2  # a line of one word is often a dateline ("الرباط"), a region's only mention: never learned
_SHORT = 120  # the lines after an end line (headlines, names, notices) are this short
_END_SHARE = 0.8  # of a line's occurrences, those that open such a block at the end
_MIN_BODY_CHARS = 200  # an end line ends the article only after this much text
_SAME_STORY = 0.5  # of a text's characters, the share in lines of another text that makes it a copy


@dataclass(frozen=True)
class LearnedLine:
    line: str  # folded (normalize_for_matching), as compared
    example: str  # as written in one of the articles
    kind: str  # noise: dropped wherever it stands | end: the article ends there
    articles: int  # of the articles read, those holding it


@dataclass(frozen=True)
class Cleaned:
    text: str
    hits: tuple[str, ...]  # the learned lines (folded) found on the page


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _distinct_stories(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """The texts as (line, folded line) pairs, in their order, one text per story: a text most of whose
    characters (`_SAME_STORY`) are lines of a fuller text is a copy of that story (its AMP, print or
    paywalled page, the same wire story on another site of a folder of saved pages), and its lines are the
    story's, not the site's furniture."""
    keyed = [[(line, normalize_for_matching(line)) for line in _lines(text)] for text in texts]
    sizes = [sum(len(line) for line, _ in lines) for lines in keyed]
    fuller: list[set[str]] = []  # the folded lines of each text kept so far, fullest first
    copies: set[int] = set()
    for i in sorted(range(len(keyed)), key=lambda i: sizes[i], reverse=True):
        shared = (sum(len(line) for line, key in keyed[i] if key in other) for other in fuller)
        if any(chars > _SAME_STORY * sizes[i] for chars in shared):
            copies.add(i)
        else:
            fuller.append({key for _, key in keyed[i]})
    return [lines for i, lines in enumerate(keyed) if i not in copies]


def learn_furniture(texts: Sequence[str]) -> list[LearnedLine]:
    """The lines that recur across `texts` (one source's articles, copies of one story counted once), most
    frequent first."""
    found: Counter[str] = Counter()
    ending: Counter[str] = Counter()
    examples: dict[str, str] = {}
    positions: dict[str, list[float]] = defaultdict(list)
    stories = _distinct_stories(texts)
    for lines in stories:
        seen: set[str] = set()
        for index, (line, key) in enumerate(lines):
            if len(key.split()) < MIN_WORDS or key in seen or len(line) > MAX_LINE_CHARS:
                continue
            seen.add(key)
            found[key] += 1
            examples.setdefault(key, line)
            positions[key].append(index / max(1, len(lines) - 1))
            after = lines[index + 1 :]
            if after and all(len(other) <= _SHORT for other, _ in after):
                ending[key] += 1
    needed = max(MIN_ARTICLES, math.ceil(MIN_SHARE * len(stories)))
    learned = []
    for key, count in found.most_common():
        if count < needed:
            break
        at_end = ending[key] >= _END_SHARE * count and statistics.median(positions[key]) >= 0.5
        learned.append(LearnedLine(key, examples[key], "end" if at_end else "noise", count))
    return learned


def remove_furniture(text: str, learned: Mapping[str, str]) -> Cleaned:
    """`text` without the learned lines (`learned`: folded line → kind), and which of them were there."""
    if not learned:
        return Cleaned(text, ())
    kept: list[str] = []
    hits: list[str] = []
    body_chars = 0
    ended = False
    for line in _lines(text):
        kind = learned.get(key := normalize_for_matching(line))
        if kind is not None:
            hits.append(key)  # after the end too: the page still carries it
            ended = ended or (kind == "end" and body_chars >= _MIN_BODY_CHARS)
        elif not ended:
            kept.append(line)
            body_chars += len(line)
    return Cleaned("\n".join(kept), tuple(dict.fromkeys(hits)))


def as_rules(lines: Iterable[LearnedLine]) -> dict[str, str]:
    """Learned lines as `remove_furniture` takes them."""
    return {line.line: line.kind for line in lines}
