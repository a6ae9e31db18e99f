"""What a classification rests on, as data rather than sentences.

``Classification.reasons`` are English lines for a log; readers of a digest need the same facts in their
own language and in plain words (what the story is about, where, which reference story it resembles), and
``rasd explain`` needs them to tell a contributing negative from one that only set words aside. So the
scorer also returns these records, and each caller words them itself. Scoring does not read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rasd.classify.second_opinion import P_HIGH
from rasd.classify.text import RAW_TOKEN, SKIP_WORDS
from rasd.extract.normalize import normalize_for_matching


@dataclass(frozen=True)
class TermMatch:
    """One lexicon phrase found in the story."""

    label: str  # as the lexicon writes it, or as the story spells a wildcard phrase ("تعاونية")
    kind: str  # the lexicon group ("women's cooperatives", "ministry title")
    topic: str  # the group's reader-facing topic (lexicon ``topic``; translated by the digest's catalogs)
    count: int
    points: float  # evidence added: weight with repeats and placement; minus the penalty for a negative


@dataclass(frozen=True)
class PlaceMatch:
    """A place name that supported one of the story's regions, and how often the story names it."""

    label: str
    count: int


@dataclass(frozen=True)
class Evidence:
    """The facts behind a score and a region choice (empty for a story classified before they existed)."""

    terms: tuple[TermMatch, ...] = ()  # positive phrases, strongest first
    negatives: tuple[TermMatch, ...] = ()  # hard negatives; points 0 when they only set words aside
    places: tuple[tuple[str, tuple[PlaceMatch, ...]], ...] = ()  # per chosen region code, in region order
    region_from_source: bool = False  # the text names no Moroccan place: the site's own region was used
    seed: str | None = None  # the closest reference story when it added to the score (its file stem)
    seed_title: str | None = None  # that story's title (its first line)
    seed_cosine: float = 0.0
    words: frozenset[str] = frozenset()  # the matched positive words, normalised (see ``word_key``)
    # the trained model's probability, asked only for a score just under the threshold (``second_opinion``)
    second_opinion: float | None = None
    # the probability that retains it: ``P_HIGH`` just under the threshold, ``P_BELOW`` further below
    second_opinion_high: float | None = None

    @property
    def empty(self) -> bool:
        """Whether nothing is known of the classification's grounds: a classification made by hand or before
        evidence existed, which a store keeps as unknown (NULL) rather than as "no grounds"."""
        return self == Evidence()

    def as_json(self) -> str:
        """The evidence as stored with its classification (`classifications.evidence`), so that a digest's
        "why" reads it rather than classifying the story again (``from_json``)."""

        def terms(found: tuple[TermMatch, ...]) -> list[list[object]]:
            return [[t.label, t.kind, t.topic, t.count, t.points] for t in found]

        return json.dumps(
            {
                "terms": terms(self.terms),
                "negatives": terms(self.negatives),
                "places": [[code, [[p.label, p.count] for p in places]] for code, places in self.places],
                "region_from_source": self.region_from_source,
                "seed": self.seed,
                "seed_title": self.seed_title,
                "seed_cosine": self.seed_cosine,
                "words": sorted(self.words),
                "second_opinion": self.second_opinion,
                "second_opinion_high": self.second_opinion_high,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Evidence:
        """The evidence ``as_json`` stored."""
        data = json.loads(text)
        return cls(
            terms=tuple(TermMatch(*term) for term in data["terms"]),
            negatives=tuple(TermMatch(*term) for term in data["negatives"]),
            places=tuple((code, tuple(PlaceMatch(*p) for p in places)) for code, places in data["places"]),
            region_from_source=data["region_from_source"],
            seed=data["seed"],
            seed_title=data["seed_title"],
            seed_cosine=data["seed_cosine"],
            words=frozenset(data["words"]),
            second_opinion=data["second_opinion"],
            # stored before the model was asked below the band: it was asked in the band only
            second_opinion_high=data.get("second_opinion_high", P_HIGH if data["second_opinion"] is not None else None),
        )

    @property
    def retained_narrowly(self) -> bool:
        """Scored just under the threshold and retained by the trained second opinion: the one place the
        classifier, `rasd explain` and the digest's "why" read that decision from."""
        if self.second_opinion is None:
            return False
        return self.second_opinion >= (P_HIGH if self.second_opinion_high is None else self.second_opinion_high)


def word_key(raw_token: str) -> str:
    """How a word of any text is compared with ``Evidence.words``: the classifier's own normalisation, so
    "التعاونيه", "التعاونيّة" and "التعاونية" (or "Coopérative" and "cooperative") are the same word."""
    return normalize_for_matching(raw_token)


def matched_spans(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` holding matched words (``Evidence.words``), for highlighting an excerpt.

    Words are found as the classifier tokenises them and compared normalised, so a span covers the whole
    word as written ("بالتعاونيات", "Coopératives"). Neighbouring matched words separated only by spaces
    or one function word ("économie sociale et solidaire") make one span: one phrase, one highlight."""
    spans: list[tuple[int, int]] = []
    for token in RAW_TOKEN.finditer(text):
        if word_key(token.group()) not in words:
            continue
        start, end = token.span()
        if spans:
            gap = text[spans[-1][1] : start]
            if not gap.strip() or (gap.strip().casefold() in SKIP_WORDS and len(gap.split()) == 1):
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    return spans
