"""Multi-word phrase matching over a word stream, with every lexicon and gazetteer entry in one index.

One regex per term per article would cost thousands of scans; here each *distinct* word of the language
is looked up once (``analyse``, cached by the caller) into the ids of the pattern words it can be, and an
article is one pass over its words: only words that start some phrase are looked at further. Nearly every
word of the language (97 % of the new words of an unseen story) is no pattern word in any reading: one set
lookup and one ``startswith`` over the spellings the index words can take in a text tell it so, before its
clitic readings are made. Overlapping
matches are resolved per layer, longest first, so "الصناعة التقليدية والاقتصاد الاجتماعي" (a ministry's
title, a negative) swallows the "الاقتصاد الاجتماعي" inside it, and "Souss-Massa-Draâ" (an old region)
wins over "Draâ"; between two of the same length, the higher ``rank`` (a hard negative's), then the leftmost.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Generic, TypeVar

from rasd.classify.text import readings, spellings

T = TypeVar("T")

# (pattern-word id, the clitic prefix the text word carried for that reading)
WordIds = tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Phrase(Generic[T]):
    """A pattern: its word ids, the layer its overlaps are resolved in, and what it stands for. ``rank``
    decides between overlapping matches of the same length (higher first)."""

    words: tuple[int, ...]
    layer: str
    payload: T
    rank: int = 0


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__
class Match(Generic[T]):
    """Words ``start`` … ``end - 1`` of the stream matched ``phrase``; ``prefix`` is the first word's clitic."""

    start: int
    end: int
    phrase: Phrase[T]
    prefix: str


class PhraseMatcher(Generic[T]):
    """Index of phrases; ``analyse`` a word once, ``find`` phrases in a stream of analysed words."""

    def __init__(self) -> None:
        self._exact: dict[str, int] = {}
        self._wildcard: dict[str, int] = {}
        self._wildcard_lengths: list[int] = []
        self._wildcard_heads: set[str] = set()
        self._by_first: dict[int, list[Phrase[T]]] = {}
        # Built on the first ``analyse`` after an ``add``: every spelling of an exact pattern word; the
        # spellings of wildcard stems grouped by their first ``_head`` letters (the shortest one's length).
        # (A dict rather than a set: the garbage collector stops tracking a dict of strings, never a set.)
        self._exact_spellings: dict[str, None] | None = None
        self._wildcard_spellings: dict[str, tuple[str, ...]] = {}
        self._head = 1

    def _word_id(self, word: str) -> int:
        table = self._wildcard if word.endswith("*") else self._exact
        key = word.rstrip("*")
        if key not in table:
            self._exact_spellings = None
            table[key] = len(self._exact) + len(self._wildcard)
            if table is self._wildcard:
                self._wildcard_lengths = sorted({len(k) for k in self._wildcard})
                # first two letters of every wildcard stem: most readings are ruled out by one lookup
                self._wildcard_heads = {k[:2] for k in self._wildcard}
        return table[key]

    def add(self, words: Sequence[str], layer: str, payload: T, rank: int = 0) -> None:
        """Index one phrase given as pattern words (``classify.text.pattern_words``)."""
        if not words:
            raise ValueError("empty phrase")
        phrase = Phrase(tuple(self._word_id(w) for w in words), layer, payload, rank)
        bucket = self._by_first.setdefault(phrase.words[0], [])
        if phrase not in bucket:
            bucket.append(phrase)
            bucket.sort(key=lambda p: -len(p.words))

    def _index_spellings(self) -> dict[str, None]:
        exact = dict.fromkeys(spelling for key in self._exact for spelling in spellings(key))
        wildcard = {spelling for key in self._wildcard for spelling in spellings(key)}
        self._head = min(map(len, wildcard), default=1)
        grouped: dict[str, list[str]] = {}
        for spelling in sorted(wildcard):
            grouped.setdefault(spelling[: self._head], []).append(spelling)
        self._wildcard_spellings = {head: tuple(found) for head, found in grouped.items()}
        self._exact_spellings = exact
        return exact

    def analyse(self, word: str) -> WordIds:
        """The pattern words a normalised text word can be, each with the clitic prefix of that reading."""
        exact_spellings = self._exact_spellings
        if exact_spellings is None:
            exact_spellings = self._index_spellings()
        if word not in exact_spellings:
            starts = self._wildcard_spellings.get(word[: self._head])
            if starts is None or not word.startswith(starts):
                return ()  # no reading of it is an index word or starts with a wildcard stem
        found: dict[int, str] = {}
        exact = self._exact
        wildcard = self._wildcard
        heads = self._wildcard_heads
        for prefix, stem in readings(word):
            hit = exact.get(stem)
            if hit is not None and hit not in found:
                found[hit] = prefix
            if stem[:2] not in heads:
                continue
            for length in self._wildcard_lengths:
                if length > len(stem):
                    break
                hit = wildcard.get(stem[:length])
                if hit is not None and hit not in found:
                    found[hit] = prefix
        return tuple(found.items())

    def find(
        self, stream: Sequence[WordIds], layers: Sequence[str], named: Collection[str] = ()
    ) -> dict[str, list[Match[T]]]:
        """Non-overlapping matches per layer (longest first, then highest rank, then leftmost), in text order; for the
        ``named`` layers, whose caller only asks whether one is named, every match found, unresolved and unordered."""
        candidates: dict[str, list[Match[T]]] = {layer: [] for layer in layers}
        length = len(stream)
        by_first = self._by_first
        # compress: only words that can be some pattern word are looked at (most are not), at C speed
        for start, ids in compress(enumerate(stream), stream):
            for word_id, prefix in ids:
                for phrase in by_first.get(word_id, ()):
                    words = phrase.words
                    size = len(words)
                    if start + size > length:
                        continue
                    for k in range(1, size):  # each later word of the phrase among the readings there
                        wanted = words[k]
                        for found, _ in stream[start + k]:
                            if found == wanted:
                                break
                        else:
                            break
                    else:
                        candidates[phrase.layer].append(Match(start, start + size, phrase, prefix))
        return {layer: found if layer in named else _resolve(found) for layer, found in candidates.items()}


def _resolve(found: list[Match[T]]) -> list[Match[T]]:
    """Keep the longest matches, then the highest ranked, then the leftmost, never two over the same word."""
    if len(found) < 2:
        return found
    taken: set[int] = set()
    kept: list[Match[T]] = []
    for match in sorted(found, key=lambda m: (m.start - m.end, -m.phrase.rank, m.start)):
        span = range(match.start, match.end)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        kept.append(match)
    kept.sort(key=lambda m: m.start)
    return kept
