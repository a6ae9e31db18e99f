"""The classifier: lexicon evidence + seed similarity → an explainable SSE score and the story's regions.

Score, as ``rasd explain`` shows it (``Classification.parts``)::

    terms       Σ over matched terms: weight × (1 + 1/2 + 1/3 …) over its occurrences (repeats count less)
    position    the same sum re-weighted by where each occurrence stands, minus ``terms``: positive when
                the SSE vocabulary sits in the title and lead, negative when it only comes late
    isolation   a single SSE occurrence outside the title and lead (a passing mention at the end of an
                unrelated story) keeps only ``isolated_factor`` of its weight
    negatives   hard negatives (التعاون الدولي، التضامن مع …، sports clubs …): their penalties
    evidence    terms + position + isolation + negatives, at least 0
    lexicon     lexicon_weight × (1 − exp(−evidence / evidence_scale))   (saturates: ten mentions ≈ five)
    similarity  similarity weight × how far the closest seed's cosine lies between floor and ceiling; 0 without
                computing it when lexicon + the whole weight stays under where the verdict is decided (the
                threshold; its second opinion's band too when no hard negative): no seed could matter
    score       lexicon + similarity, compared with the threshold

Negatives that are titles ("وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني") have penalty
0: they only swallow the SSE words inside them, so a ministry named in a story about hotels adds nothing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate, chain, compress, repeat
from operator import is_, itemgetter
from pathlib import Path
from typing import Final

from rasd.classify import second_opinion
from rasd.classify.communes import CommuneFinder
from rasd.classify.evidence import Evidence, PlaceMatch, TermMatch, word_key
from rasd.classify.lexicon import Lexicon, ScoringSettings, TermGroup
from rasd.classify.matcher import Match, PhraseMatcher, WordIds
from rasd.classify.regions import (
    Gazetteer,
    Mention,
    Place,
    articles_agree,
    choose_regions,
    dateline_tokens,
    with_old_names,
)
from rasd.classify.similarity import Reference, Seed, SeedIndex
from rasd.classify.text import (
    ARTICLE,
    SKIP_WORDS,
    is_arabic,
    pattern_words,
    raw_tokens,
    readings,
    similarity_stems,
    split_normalised,
    split_normalised_many,
    token_spans,
    without_related_lines,
)
from rasd.config import reasons as told_reasons
from rasd.config import telling

SSE_LAYER = "sse"
PLACE_LAYER = "place"
PRODUCT_LAYER = "product"
OLD_NAME_LAYER = "old name"  # a pre-2015 region's name, matched apart so that today's names it overlaps are seen
COMMUNE_CUE_LAYER = "commune cue"  # "جماعة", "الجماعة الترابية", "commune de": a commune's name may follow
AWAY_LAYER = "away"  # "المعرض", "salon", "originaire de": a place after it is not what the story is about
MOROCCO_LAYER = "morocco"  # "المغرب", "marocaines": the story is Moroccan though it names no place
ABROAD_LAYER = "abroad"  # "إسبانيا", "Sénégal", "Occitanie": without a Moroccan actor, the story is another country's
# A normalised word of the text, analysed once per distinct raw token: its text, the lexicon/gazetteer pattern
# words it can be, its form in the similarity text ("" to leave it out), whether it is a place word ("إقليم",
# "بمدينة", "province") that confirms an ambiguous name after it, and whether it is a French function word (or
# a lone و) dropped from the stream. A plain tuple, not a NamedTuple: the garbage collector stops tracking a
# plain tuple of strings at its first collection, but keeps a tuple subclass and traverses every one of the
# word cache's tens of thousands at each full collection (5 % of an unseen story's instructions).
Word = tuple[str, WordIds, str, bool, bool]
TEXT: Final = 0
IDS: Final = 1
SIM: Final = 2
CUE: Final = 3
SKIP: Final = 4
_IDS = itemgetter(IDS)
_SIM = itemgetter(SIM)
# Distinct raw tokens kept analysed, cleared when full (a daemon runs for months). An entry costs ~500 bytes:
# 300,000 let every worker grow towards 150 MB; 628 real articles hold 29,000 distinct tokens, 600 of the
# crawl benchmark's 45,000 (22 MB), and the words that recur — the ones the cache is for — are back in it
# within a few articles of a clear.
_CACHE_LIMIT = 40_000
# A story this close (cosine of its n-grams) to one a reader marked not SSE is that story again (a re-run,
# a lightly edited copy): it is not SSE whatever its words score.
NEAR_COPY_COSINE = 0.8
# Where a sentence ends, for counting a news event once per sentence ("le tribunal … dans un litige foncier"); not at a
# number's dot ("610.000 DH", "2.4 مليون درهم"), which cut a cooperative's sentence in two before its output was told.
SENTENCE_END = re.compile(r"[.!?؟\n](?!(?<=\d\.)\d)")
# The French articles of a plural noun: "les coopératives" are many, "la coopérative Tifaout" one.
PLURAL_ARTICLES = frozenset({"les", "des", "aux"})
# The words a programme's own number follows ("programme 3", "البرنامج 3"): that number counts nothing.
NUMBERED = frozenset({"programme", "برنامج", "البرنامج"})
# Where a clause ends too: the items of a tour's list ("une piste de 6 km, un centre de santé et une unité d'huile
# d'argan gérée par une coopérative féminine, réalisée dans le cadre du programme …"), for telling a local negative's
# works apart from the SSE project listed beside them; a French list's last item starts at its "et" (kept in it: the
# split is zero-width, so the clauses' raw tokens still add up to the body's); nor at a number's comma ("2,1 MDH").
CLAUSE_END = re.compile(r"[.!?؟\n,;:،؛](?!(?<=\d[.,])\d)|(?<=\s)(?=et\s)")


@dataclass(frozen=True)
class Classification:
    """The decision on one story, with everything needed to explain it."""

    sse: bool
    score: float  # 0..1-ish, compared to the threshold
    regions: list[str]  # ISO 3166-2:MA codes "MA-01".."MA-12", most relevant first; [] if none
    reasons: list[str]  # human-readable: "matched: التعاونيات ×3", "region MA-09 via تيزنيت ×2", …
    parts: dict[str, float] = field(default_factory=dict)  # the score's components by name
    evidence: Evidence = field(default_factory=Evidence)  # the same facts as data, for explanations


@dataclass(frozen=True, slots=True)
class Cue:
    """The payload of a word that tells what a place after it is: a commune word of ``[communes] cues`` (a
    name of the national list may follow), or an ``[away]`` word (the place is not the story's)."""

    label: str


@dataclass(frozen=True, slots=True)
class Term:
    """The payload of a lexicon phrase: which group it belongs to and how it was written."""

    group: TermGroup
    label: str
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Terms key the per-story tallies; the generated hash would hash the group's whole phrase tuple
        # on every lookup. Same value, computed once.
        object.__setattr__(self, "_hash", hash((self.group, self.label)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Term], tuple[TermGroup, str]]:
        """Pickled (classify/kept.py) as its group and label: the hash is computed again by the process
        that reads it, whose string hashes differ from the writer's."""
        return Term, (self.group, self.label)

    @property
    def negative(self) -> bool:
        return self.group.negative


Payload = Term | Place | Cue  # what a phrase of the scorer's matcher stands for


class Stream:
    """One story as the scorer sees it: kept words in order, with lazy access to what only reasons need."""

    __slots__ = (
        "_analyse_all",
        "_body",
        "_ends",
        "_entries",
        "_raw_ends",
        "_raws",
        "_scoring",
        "_title",
        "_title_raws",
        "lead_end",
        "title_length",
        "words",
    )

    def __init__(
        self,
        words: list[Word],
        raws: list[str],
        entries: list[tuple[Word, ...]],
        title_length: int,
        scoring: ScoringSettings,
        analyse_all: Callable[[str], tuple[Word, ...]],
        body: str,
        title_raws: int,
        title: str = "",
    ) -> None:
        self.words = words
        self._raws = raws
        self._entries = entries  # kept words of each raw token
        self._raw_ends: list[int] | None = None
        self._scoring = scoring
        self._analyse_all = analyse_all
        self._body = body
        self._title = title
        self._title_raws = title_raws
        self._ends: dict[re.Pattern[str], list[int]] = {}  # where each sentence's (clause's) raw tokens end
        self.title_length = title_length
        self.lead_end = title_length + min(scoring.lead_tokens, len(words) - title_length)

    def factor(self, index: int) -> float:
        """Weight of a word's position: title, lead, then decaying linearly to ``tail_floor`` at the end."""
        scoring = self._scoring
        if index < self.title_length:
            return scoring.title_boost
        if index < self.lead_end:
            return scoring.lead_boost
        tail = max(1, len(self.words) - self.lead_end)
        return 1.0 - (1.0 - scoring.tail_floor) * (index - self.lead_end) / tail

    def _raw_of(self, index: int) -> int:
        if self._raw_ends is None:  # where each raw token's words end in the stream
            self._raw_ends = list(accumulate(map(len, self._entries)))
        return bisect_right(self._raw_ends, index)

    def sentence(self, index: int) -> int:
        """Which sentence word ``index`` stands in: 0 for the title, then the body's, cut at . ! ? ؟ and line
        ends (no raw token spans one of them)."""
        return self._piece(index, SENTENCE_END)

    def clause(self, index: int) -> int:
        """Which clause word ``index`` stands in: the sentences cut at commas, ; and : too, and before a French
        list's last "et" (``CLAUSE_END``)."""
        return self._piece(index, CLAUSE_END)

    def _piece(self, index: int, ends: re.Pattern[str]) -> int:
        found = self._ends.get(ends)
        if found is None:  # where each sentence's raw tokens end, counted from the title's
            counts = map(len, map(raw_tokens, ends.split(self._body)))
            found = self._ends[ends] = list(accumulate(counts, initial=self._title_raws))
        return bisect_right(found, self._raw_of(index))

    def surface(self, start: int, end: int) -> str:
        """Words ``start`` … ``end - 1`` as published (raw tokens; normalised when a token held several)."""
        spelled = []
        for k in range(start, end):
            raw = self._raw_of(k)
            spelled.append(self._raws[raw] if len(self._entries[raw]) == 1 else self.words[k][TEXT])
        return " ".join(spelled)

    def as_written(self, pieces: Sequence[tuple[int, int, str]]) -> list[str]:
        """Words ``start`` … ``end - 1`` of each piece as the story wrote them: the title's or the text's span
        from the first word's token to the last's, with the function words, apostrophes, hyphens and harakat
        the matcher passes over ("porteuses de projets", "membres d'une coopérative", "تسويق منتجات") and its
        white space made single, less the clitic the first word carried for the match (the third item:
        "بتعاونية" is shown "تعاونية", "للتعاونيات" "التعاونيات"); a piece running from the title into the text
        is spelled by its words (``surface``). The tokens before those wanted are passed over in runs
        (``token_spans``), not read one by one."""
        ends = [(self._raw_of(start), self._raw_of(end - 1)) for start, end, _ in pieces]
        # a piece within one token is that token as written; only a longer one needs the text's offsets
        wanted = {raw for first, last in ends if first != last for raw in (first, last)}
        spans = token_spans(self._title, (raw for raw in wanted if raw < self._title_raws))
        body = token_spans(self._body, (raw - self._title_raws for raw in wanted if raw >= self._title_raws))
        spans.update((raw + self._title_raws, span) for raw, span in body.items())
        written = []
        for (start, end, clitic), (first_raw, last_raw) in zip(pieces, ends, strict=True):
            if first_raw == last_raw:
                written.append(_without_clitic(self._raws[first_raw], clitic))
                continue
            in_title = first_raw < self._title_raws
            if in_title != (last_raw < self._title_raws) or first_raw not in spans or last_raw not in spans:
                written.append(self.surface(start, end))
                continue
            text = self._title if in_title else self._body
            written.append(_without_clitic(" ".join(text[spans[first_raw][0] : spans[last_raw][1]].split()), clitic))
        return written

    def raw_tokens(self, start: int, end: int) -> list[str]:
        """The raw tokens (as published) that words ``start`` … ``end - 1`` come from."""
        return [self._raws[raw] for raw in dict.fromkeys(self._raw_of(k) for k in range(start, end))]

    def dropped_before(self, index: int) -> str:
        """The function word dropped right before word ``index`` ("l" in "l'Oriental"), or ""."""
        raw = self._raw_of(index)
        if raw == 0 or self._entries[raw - 1]:
            return ""
        previous = self._analyse_all(self._raws[raw - 1])
        return previous[-1][TEXT] if previous and previous[-1][SKIP] else ""

    def similarity_text(self) -> str:
        """Content words, articles removed, space-separated and padded: what seed n-grams are taken from."""
        return " " + " ".join(filter(None, map(_SIM, self.words))) + " "


def _without_clitic(written: str, clitic: str) -> str:
    """A phrase as written, less the clitic its first word carried for the match (``readings``: a conjunction,
    a preposition, the article): the conjunction and the preposition go, the article stays, so the phrase
    reads as a reader names it ("وللتعاونيات" → "التعاونيات", "بالعاملات" → "العاملات", "بتعاونية" → "تعاونية").
    The clitic's letters are counted with the harakat on them ("بِالتعاونية")."""
    if not clitic:
        return written
    merged = clitic.endswith("لل")  # ل + ال is written لل: the article's alif comes back
    letters = len(clitic) - (2 if clitic.endswith(ARTICLE) else 0)
    cut = 0
    while letters and cut < len(written):
        letters -= unicodedata.category(written[cut]).startswith("L")
        cut += 1
    while cut < len(written) and unicodedata.category(written[cut]) == "Mn":  # a haraka on the clitic's last letter
        cut += 1
    return (ARTICLE if merged else "") + written[cut:]


class Classifier:
    """Built once by ``load_classifier``; ``classify`` is pure and cheap (cached word analysis)."""

    def __init__(
        self,
        lexicon: Lexicon,
        gazetteer: Gazetteer,
        seeds: list[Seed],
        threshold: float,
        seeds_dir: Path | None = None,
        references: Sequence[Reference] = (),
    ) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.threshold = threshold
        self.seeds_dir = seeds_dir
        self._matcher: PhraseMatcher[Payload] = PhraseMatcher()
        for group in lexicon.groups:
            for phrase in group.phrases:
                words = pattern_words(phrase)
                if words:
                    # a hard negative wins over a positive phrase of its length that it overlaps: "membres de
                    # la coopérative d'habitation" is the housing cooperative, not a cooperative's members
                    self._matcher.add(words, SSE_LAYER, Term(group, phrase), rank=int(group.negative))
        for place_words, place in gazetteer.places.items():
            self._matcher.add(place_words, OLD_NAME_LAYER if place.old else PLACE_LAYER, place)
        for product_words, product in gazetteer.products.items():
            self._matcher.add(product_words, PRODUCT_LAYER, product)
        self._communes: CommuneFinder | None = None
        if gazetteer.communes.enabled:
            for cue in gazetteer.communes.cues:
                self._matcher.add(pattern_words(cue), COMMUNE_CUE_LAYER, Cue(cue))
            known = set(gazetteer.places)
            self._communes = CommuneFinder(known, gazetteer.communes.ignored, gazetteer.settings.place_weight)
        for phrase in gazetteer.away:
            self._matcher.add(pattern_words(phrase), AWAY_LAYER, Cue(phrase))
        for phrase in gazetteer.morocco:
            self._matcher.add(pattern_words(phrase), MOROCCO_LAYER, Cue(phrase))
        for phrase in gazetteer.abroad:
            self._matcher.add(pattern_words(phrase), ABROAD_LAYER, Cue(phrase))
        # a positive kind → the negative group its mentions are when a place abroad follows them (``TermGroup.abroad``)
        self._abroad_of = {kind: group for group in lexicon.groups if group.negative for kind in group.abroad}
        self._cue_tail = min(map(len, gazetteer.cues), default=1)
        self._cue_tails = {(cue + end)[-self._cue_tail :] for cue in gazetteer.cues for end in ("", "s", "x")}
        self._cache: dict[str, tuple[Word, ...]] = {}  # raw token → its kept words
        self._keys: dict[str, str] = {}  # raw token of a matched SSE term → its ``word_key``
        self._words: dict[str, Word] = {}  # normalised word → its analysis
        self.seed_titles = {seed.name: seed.title for seed in [*seeds, *references]}
        similarity = lexicon.similarity

        def index(stories: Iterable[Seed]) -> SeedIndex:
            texts = ((story.name, self._similarity_text("", story.text)) for story in stories)
            return SeedIndex(texts, similarity.ngram_min, similarity.ngram_max)

        self.seeds = index(seeds)
        # Readers' verdicts: compared only when they can change the decision (see ``_references``), so
        # hundreds of labels cost nothing for the ordinary news far below the threshold.
        self.accepted = index(r for r in references if r.sse)
        self.rejected = index(r for r in references if not r.sse)

    # -- words ---------------------------------------------------------------------------------------

    def _analyse_words(self, texts: list[str]) -> tuple[Word, ...]:
        """Normalised words → analysed words, function words included (flagged ``skip``)."""
        known = self._words
        new = [text for text in dict.fromkeys(texts) if text not in known]
        if new:
            self._analyse_new(new)
        return tuple(map(known.__getitem__, texts))

    def _analyse_new(self, texts: list[str]) -> None:
        """Analyse new normalised words (distinct) and remember them by their normalised form: raw spellings
        that normalise alike ("Coopérative" and "coopérative", أ/ا, vowelled or not) are analysed once.
        One loop for all of a story's new words, their similarity forms made in one pass."""
        known = self._words
        analyse = self._matcher.analyse
        tail = self._cue_tail
        tails = self._cue_tails
        cues = self.gazetteer.cues
        for text, stem in zip(texts, similarity_stems(texts), strict=True):
            # A reading's stem ends the word (or its plural-folded form, the word less a final s/x): a word can
            # only be a cue if its last letters end some cue; most words do not, and skip the full check.
            cue = text[-tail:] in tails and not cues.isdisjoint([reading for _, reading in readings(text)])
            known[text] = (text, analyse(text), stem, cue, text in SKIP_WORDS)

    def _analyse_all(self, raw: str) -> tuple[Word, ...]:
        """Every normalised word of a raw token, function words included (flagged ``skip``)."""
        return self._analyse_words(split_normalised(raw))

    def _stream(self, title: str, text: str) -> Stream:
        """Title and body as one stream of kept words (function words dropped), analysed via the cache.

        Written for speed (this is the per-article hot path): C-level map/chain/compress over cached
        tuples; new raw tokens are normalised together (one call of the normaliser per article).
        """
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
            self._words.clear()
            self._keys.clear()
        title_raws = raw_tokens(title)
        raws = title_raws + raw_tokens(text)
        entries = list(map(cache.get, raws))
        missing = list(dict.fromkeys(compress(raws, map(is_, entries, repeat(None)))))
        if missing:
            known = self._words
            normalised = split_normalised_many(missing)
            new = [text for text in dict.fromkeys(chain.from_iterable(normalised)) if text not in known]
            if new:
                self._analyse_new(new)
            added: dict[str, tuple[Word, ...]] = {}
            for raw, texts in zip(missing, normalised, strict=True):
                if len(texts) == 1:  # most tokens are one word
                    word = known[texts[0]]
                    added[raw] = () if word[SKIP] else (word,)
                    continue
                analysed = map(known.__getitem__, texts)
                added[raw] = tuple(word for word in analysed if not word[SKIP])
            cache.update(added)
            # the new tokens filled in from the article's own small table, not the whole cache again
            entries = list(map(added.get, raws, entries))
        kept_words: list[tuple[Word, ...]] = entries  # type: ignore[assignment]  # no None left
        words = list(chain.from_iterable(kept_words))
        title_length = sum(map(len, kept_words[: len(title_raws)]))
        return Stream(
            words, raws, kept_words, title_length, self.lexicon.scoring, self._analyse_all, text, len(title_raws), title
        )

    def _similarity_text(self, title: str, text: str) -> str:
        return self._stream(title, text).similarity_text()

    # -- scoring -------------------------------------------------------------------------------------

    def classify(
        self, title: str, text: str, lang: str | None = None, source_region: str | None = None
    ) -> Classification:
        """Score one story. ``lang`` is accepted for callers but not needed: the Arabic and French lexicons
        are applied together, because Moroccan stories mix them (French names in Arabic text, and back).
        ``source_region`` (the site's own region) is used only when the text names no Moroccan place."""
        text = without_related_lines(text or "")  # another story's headline says nothing of this one
        stream = self._stream(title or "", text)
        ids = list(map(_IDS, stream.words))
        found = self._matcher.find(
            ids,
            (
                SSE_LAYER,
                PLACE_LAYER,
                OLD_NAME_LAYER,
                PRODUCT_LAYER,
                COMMUNE_CUE_LAYER,
                AWAY_LAYER,
                MOROCCO_LAYER,
                ABROAD_LAYER,
            ),
            (MOROCCO_LAYER, ABROAD_LAYER),  # only whether one is named: not resolved
        )
        actors = _term_ends(found[SSE_LAYER])
        communes = self._communes_named(found[COMMUNE_CUE_LAYER], stream)
        away = frozenset(m.end - 1 for m in found[AWAY_LAYER])
        dateline = 0 < dateline_tokens(text or "") <= 8
        regions, region_reasons, places = self._regions(
            with_old_names(found[PLACE_LAYER], found[OLD_NAME_LAYER]),
            communes,
            stream,
            ids,
            source_region,
            actors,
            away,
            dateline,
            _venue_before(found[SSE_LAYER], stream.title_length),
        )
        # Set abroad: another country or its region named, and no Moroccan place, no product of one of its regions, no
        # Moroccan actor (a wine cooperative in Occitanie, Almería's cooperatives): another country's field, its SSE
        # words only support. A brief naming no place at all is not.
        abroad = bool(found[ABROAD_LAYER]) and not places and not found[PRODUCT_LAYER] and not found[MOROCCO_LAYER]

        foreign = frozenset(m.start for m in found[ABROAD_LAYER]) if self._abroad_of else frozenset()
        parts, reasons, lexical, framed = self._lexical(found[SSE_LAYER], stream, abroad, foreign)
        settings = self.lexicon.similarity
        weight = settings.weight
        lexicon = parts["lexicon"]
        # The seeds' cosine only for a story it can take to where its verdict is decided: the threshold, or, for a
        # story without a hard negative, the second opinion's band under it (a story a reader's seed describes but
        # the lexicon misses is lifted into the band from a lexicon part of 0, and the model may retain it). Out of
        # reach (a hard negative and too low a lexicon part) it is not computed (0) and cannot change the verdict.
        floor = self.threshold if parts["negatives"] < 0 else self.threshold - second_opinion.BAND
        reachable = lexicon + weight >= floor
        compared = stream.similarity_text() if reachable or len(self.rejected) else ""
        similarity, seed = self.seeds.closest(compared) if reachable and len(self.seeds) else (0.0, None)
        # Below the threshold with the seeds, but a reader's SSE story could still tip it over:
        if len(self.accepted) and lexicon + weight * self._closeness(similarity) < self.threshold <= lexicon + weight:
            accepted, name = self.accepted.closest(compared)
            if accepted > similarity:
                similarity, seed = accepted, name
        closeness = self._closeness(similarity)
        parts["seed_cosine"] = round(similarity, 4)
        parts["similarity"] = weight * closeness
        if seed is not None and closeness > 0:
            reasons.append(
                telling.gettext(told_reasons.SEED_SIMILARITY, similarity=similarity, seed=seed)
            )
        score = parts["lexicon"] + parts["similarity"]
        near_copy = False
        # does it resemble a story a reader rejected? Asked of a story the second opinion could retain too: a
        # reader who corrects one of the model's retained stories stops its copies and next week's bulletin
        terms = parts["terms"] > 0
        if len(self.rejected) and (score >= self.threshold or second_opinion.askable(score, self.threshold, terms)):
            rejected, name = self.rejected.closest(compared)
            if rejected > similarity and self._closeness(rejected) > 0:
                parts["rejected_similarity"] = -weight * self._closeness(rejected)
                score += parts["rejected_similarity"]
                near_copy = rejected >= NEAR_COPY_COSINE
                reasons.append(
                    telling.gettext(
                        told_reasons.NEAR_REJECTED,
                        name=name,
                        similarity=rejected,
                    )
                    if near_copy
                    else telling.gettext(
                        told_reasons.RESEMBLES_REJECTED,
                        name=name,
                        similarity=rejected,
                    )
                )
        parts["score"] = score

        if not regions and found[PRODUCT_LAYER]:
            regions, region_reasons, places = _product_regions(found[PRODUCT_LAYER])
        # Under the threshold, a trained model's second opinion can retain the story (classify/second_opinion.py): just
        # under it, or further below when an SSE word matched, with a higher bar; not when the rules found more than
        # one light hard negative (the model's false alarms are those), resembling a story a reader rejected took the
        # score there (the model knows no reader's verdict), the story is set abroad, or a news event frames it and
        # stopped its SSE words (a firm called "La Coopérative", a party's rally, a job notice, a trial: ``framed``).
        asked = (
            parts["negatives"] >= second_opinion.NEGATIVE_FLOOR
            and "rejected_similarity" not in parts
            and not abroad
            and not framed
        )
        second = second_opinion.consulted(score, self.threshold, title or "", text or "", terms) if asked else None
        high = second_opinion.needed(score, self.threshold)
        retained = second is not None and second >= high
        sse = (score >= self.threshold or retained) and not near_copy
        figures = {"score": score, "sign": "≥" if score >= self.threshold else "<", "threshold": self.threshold}
        verdict = (
            telling.gettext(told_reasons.VERDICT_SSE, **figures)
            if sse
            else telling.gettext(told_reasons.VERDICT_NOT_SSE, **figures)
        )
        reasons.insert(0, verdict)
        if second is not None:
            reasons.insert(
                1,
                telling.gettext(
                    told_reasons.SECOND_OPINION,
                    second=second,
                    sign="≥" if retained else "<",
                    high=high,
                ),
            )
        resembles = seed if seed is not None and closeness > 0 else None
        evidence = Evidence(
            terms=lexical[0],
            negatives=lexical[1],
            places=places,
            region_from_source=bool(regions) and not places,
            seed=resembles,
            seed_title=self.seed_titles.get(resembles) if resembles else None,
            seed_cosine=round(similarity, 4) if resembles else 0.0,
            words=lexical[2],
            second_opinion=second,
            second_opinion_high=high if second is not None else None,
        )
        return Classification(sse, score, regions, reasons + region_reasons, parts, evidence)

    def _closeness(self, cosine: float) -> float:
        """How far a cosine lies between the similarity floor (0) and ceiling (1)."""
        settings = self.lexicon.similarity
        return min(1.0, max(0.0, (cosine - settings.floor) / (settings.ceiling - settings.floor)))

    def _lexical(
        self, matches: list[Match[Payload]], stream: Stream, abroad: bool = False, foreign: frozenset[int] = frozenset()
    ) -> tuple[
        dict[str, float], list[str], tuple[tuple[TermMatch, ...], tuple[TermMatch, ...], frozenset[str]], bool
    ]:
        """The lexicon's part of the score, its reasons, the evidence's terms, and whether a news event (an ``event``
        negative) frames the story and stops one of its positive groups: the second opinion is then not asked."""
        scoring = self.lexicon.scoring
        positions: dict[Term, list[float]] = defaultdict(list)
        pieces: dict[Term, list[tuple[int, int, str]]] = defaultdict(list)  # where each term stands, for its label
        clitics = {match.start: match.prefix for match in matches}
        words: set[str] = set()
        keys = self._keys
        titled: set[str] = set()  # negative kinds named in the title
        # where each news event (an event kind) and each local negative kind is named: their sentences and clauses
        # are cut only for a story whose positive groups they could stop (most news names a road, none a cooperative)
        events: defaultdict[str, list[int]] = defaultdict(list)
        local: defaultdict[str, list[int]] = defaultdict(list)
        needs: dict[str, int] = {}  # a local negative kind → how many sentences must tell a project apart from it
        named: Counter[TermGroup] = Counter()  # mentions of the ``counted`` groups …
        tallied: Counter[TermGroup] = Counter()  # … and those right after a number
        governed = _governed(matches, stream.title_length, stream.lead_end)
        if foreign:
            governed = _foreign(governed, foreign, stream, self._abroad_of)
        for term, start, end in governed:
            positions[term].append(stream.factor(start))
            if not term.negative or "*" in term.label:  # a negative as the lexicon writes it, its wildcards spelled
                pieces[term].append((start, end, clitics.get(start, "")))
            if term.negative and start < stream.title_length:
                titled.add(term.group.kind)
            if term.group.event:
                events[term.group.kind].append(start)
            if term.group.local:
                local[term.group.kind].append(start)
                needs[term.group.kind] = term.group.local
            if term.group.counted:
                named[term.group] += 1
                tallied[term.group] += start > 0 and _counts(stream, start - 1)
            if not term.negative:
                for raw in stream.raw_tokens(start, end):
                    key = keys.get(raw)
                    if key is None:  # SSE vocabulary is small: each spelling is normalised once
                        key = keys[raw] = word_key(raw)
                    words.add(key)

        terms = position = negatives = 0.0
        positive_reasons: list[tuple[float, str]] = []
        negative_reasons: list[str] = []
        found: list[TermMatch] = []
        set_aside: list[TermMatch] = []
        occurrences = 0
        boosted = False
        # Supporting groups (INDH, products, microfinance …) count fully only next to a core term that the
        # story is about: one in the title or lead, or named twice, or an anchoring one anywhere (the
        # director of a named cooperative explaining its saffron harvest). A single late "projets générateurs
        # de revenus" in the tally of an INDH ceremony does not make the INDH words count.
        # A negative kind counts against the groups naming it in ``unless``; an event's (a trial, an accident) only
        # when it frames the story, named in the title or in ``frame_repeats`` sentences: a cooperative whose story
        # is its production may say once, late, that it was robbed or went to court ("le tribunal … lui a donné
        # raison dans un litige foncier": one sentence), and its words keep their weight.
        unless = {kind for term in positions if not term.negative for kind in term.group.unless}

        def frames(kind: str) -> bool:
            sentences = {stream.sentence(start) for start in events[kind]}
            return kind in titled or len(sentences) >= scoring.frame_repeats

        negative_kinds = {
            term.group.kind
            for term in positions
            if term.negative and (not term.group.event or (term.group.kind in unless and frames(term.group.kind)))
        }

        # A local negative (a tour's road, its drinking water) stops an ``own_sentence`` group only when every
        # clause telling the group's project names it too (``_apart``), or the clauses that do not lie in fewer
        # sentences than the group (a bare cooperative: two) or the negative (an anniversary's ceremony: two) asks.
        told: list[tuple[dict[TermGroup, dict[int, int]], dict[TermGroup, dict[int, int]]]] = []  # ``_apart``, once
        clauses_of: dict[str, set[int]] = {}

        def told_apart(group: TermGroup, kind: str) -> bool:
            if not told:
                told.append(_apart(governed, stream))
            apart, again = told[0]
            clauses = clauses_of.get(kind)
            if clauses is None:
                clauses = clauses_of[kind] = {stream.clause(start) for start in local[kind]}
            free = {sentence for clause, sentence in apart.get(group, {}).items() if clause not in clauses}
            if len(free) >= max(group.own_sentence, needs[kind]):
                return True
            # one cooperative told once apart from the works (its women packing the oasis's dates) and named again in
            # a sentence of its own ("le gouverneur a promis d'équiper la coopérative") is the tour's stop; not beside a
            # ceremony, which asks for two sentences telling it (``local = 2``)
            if not free or needs[kind] > 1:
                return False
            named = {sentence for clause, sentence in again.get(group, {}).items() if clause not in clauses}
            return len(free | named) >= group.own_sentence

        def stopped(group: TermGroup) -> bool:
            if group.counted and tallied[group] == named[group] > 0:
                return True  # a tally's item
            return any(
                kind not in local or not group.own_sentence or not told_apart(group, kind)
                for kind in negative_kinds.intersection(group.unless)
            )

        def supports(group: TermGroup) -> bool:
            return abroad or group.support or stopped(group)

        core_places = [
            f for term, where in positions.items() if not term.negative and not supports(term.group) for f in where
        ]
        # An anchoring group anywhere, or a pair of groups that together tell an income project (the INDH's
        # funding and the beneficiaries' new livelihood), with none of the group's ``unless`` negatives.
        matched_kinds = {term.group.kind for term in positions}
        phrases = Counter(term.group for term in positions)  # different phrases found of each group
        in_sentence: dict[TermGroup, bool] = {}  # a ``core_in_sentence`` group → whether a partner shares a sentence

        def beside(group: TermGroup) -> bool:
            if matched_kinds.isdisjoint(group.core_with):
                return False
            if not group.core_in_sentence:
                return True
            found = in_sentence.get(group)
            if found is None:
                own = {stream.sentence(start) for term, start, _ in governed if term.group is group}
                partners = {stream.sentence(start) for term, start, _ in governed if term.group.kind in group.core_with}
                found = in_sentence[group] = not own.isdisjoint(partners)
            return found

        anchored = any(
            (term.group.anchor or beside(term.group) or 0 < term.group.anchor_distinct <= phrases[term.group])
            and not stopped(term.group)
            and not abroad
            for term in positions
        )
        core = anchored or len(core_places) >= 2 or any(f > 1.0 for f in core_places)
        # An SSE project told apart from the tour's works (a core group that a local negative could stop, not
        # stopped): each kind of works counts once, by its heaviest phrase, not once per road, water tank and
        # sports field the tour lists.
        itemised = bool(local) and any(
            term.group.own_sentence and not local.keys().isdisjoint(term.group.unless) and not stopped(term.group)
            for term in positions
        )
        if local and not itemised and any(not term.negative and not supports(term.group) for term in positions):
            # A list of works with an SSE item of its own: a council's session or budget adopting roads, water, school
            # transport … and, in a sentence naming none of them, the regional SSE pole or a cooperatives' programme.
            # The item is the SSE follower's; each kind of works counts once, as beside a tour's project.
            works = {stream.sentence(start) for starts in local.values() for start in starts}
            items: defaultdict[int, set[TermGroup]] = defaultdict(set)  # a sentence free of works → its SSE groups
            for term, start, _ in governed:
                if not term.negative and stream.sentence(start) not in works:
                    items[stream.sentence(start)].add(term.group)
            own = [groups for groups in items.values() if any(not supports(group) for group in groups)]
            itemised = bool(own)
            # told with another SSE group (the pole and the cooperatives it will accompany), the item is what the
            # story's SSE words are about, wherever it stands in the list: they count fully
            core = core or any(len(groups) > 1 for groups in own)
        # each SSE term shown as the story writes it, in its commonest spelling: the lexicon's form leaves out the
        # function words it passes over ("porteuses projets" for "porteuses de projets"); negatives, which the why
        # does not show, keep the lexicon's form (a wildcard's spelled), sparing most stories the tokeniser's pass
        written = iter(stream.as_written([piece for where in pieces.values() for piece in where]))
        labels = {term: Counter(next(written) for _ in where).most_common(1)[0][0] for term, where in pieces.items()}
        charged: dict[str, float] = {}  # a local kind → the penalty it has taken so far
        weakened: list[str] = []
        for term, where in positions.items():
            where.sort(reverse=True)
            label = labels.get(term, term.label)
            if term.negative:
                penalty = term.group.weight * (1.0 + math.log(len(where)))
                if itemised and term.group.local:
                    before = charged.get(term.group.kind, 0.0)
                    charged[term.group.kind] = max(before, penalty)
                    penalty = charged[term.group.kind] - before
                negatives -= penalty
                negative_reasons.append(
                    telling.gettext(
                        told_reasons.NEGATIVE,
                        label=label,
                        count=len(where),
                        kind=telling.pgettext("negative", term.group.kind),  # said in the reader's words too
                    )
                )
                set_aside.append(TermMatch(label, term.group.kind, term.group.topic, len(where), -penalty or 0.0))
                continue
            weight = term.group.weight
            if supports(term.group) and not core:
                weight *= scoring.support_factor
                weakened.append(label)
            plain = weight * sum(1.0 / k for k in range(1, len(where) + 1))
            placed = weight * sum(f / k for k, f in enumerate(where, start=1))
            terms += plain
            position += placed - plain
            occurrences += len(where)
            boosted = boosted or where[0] > 1.0
            positive_reasons.append(
                (placed, telling.gettext(told_reasons.MATCHED, label=label, count=len(where)))
            )
            # a group's words are of its topic beside its partners, else of ``topic_alone`` (an association alone)
            alone = term.group.topic_alone and not beside(term.group)
            topic = term.group.topic_alone if alone else term.group.topic
            found.append(TermMatch(label, term.group.kind, topic, len(where), placed))

        isolation = 0.0
        reasons = [text for _, text in sorted(positive_reasons, key=lambda r: -r[0])]
        if abroad and positive_reasons:
            reasons.append(telling.gettext(told_reasons.ABROAD))
        if weakened:
            listed = ", ".join(weakened)
            reasons.append(
                telling.gettext(
                    told_reasons.SUPPORT_ONLY, listed=listed
                )
            )
        if occurrences == 1 and not boosted:
            isolation = -(1.0 - scoring.isolated_factor) * (terms + position)
            reasons.append(telling.gettext(told_reasons.SINGLE_LATE))
        elif occurrences and not boosted:
            reasons.append(telling.gettext(told_reasons.NOT_IN_LEAD))
        evidence = max(0.0, terms + position + isolation + negatives)
        lexicon = scoring.lexicon_weight * (1.0 - math.exp(-evidence / scoring.evidence_scale))
        parts = {
            "terms": terms,
            "position": position,
            "isolation": isolation,
            "negatives": negatives,
            "evidence": evidence,
            "lexicon": lexicon,
        }
        found.sort(key=lambda t: -t.points)
        framing = {term.group.kind for term in positions if term.negative and term.group.event} & negative_kinds
        framed = bool(framing) and any(
            not term.negative and not framing.isdisjoint(term.group.unless) for term in positions
        )
        return parts, reasons + negative_reasons, (tuple(found), tuple(set_aside), frozenset(words)), framed

    def _communes_named(self, cues: list[Match[Payload]], stream: Stream) -> list[tuple[int, Place]]:
        """The communes of the national list named right after a commune word ("جماعة تمصلوحت")."""
        if self._communes is None or not cues:
            return []
        found = []
        words = stream.words
        for cue in cues:
            place = self._communes.named_at([word[TEXT] for word in words[cue.end : cue.end + 8]])
            if place is not None:
                found.append((cue.end, place))
        return found

    def _regions(
        self,
        matches: list[Match[Payload]],
        communes: list[tuple[int, Place]],
        stream: Stream,
        ids: list[WordIds],
        source_region: str | None,
        actors: frozenset[int] = frozenset(),
        away: frozenset[int] = frozenset(),
        dateline: bool = False,
        venue_before: int = 0,
    ) -> tuple[list[str], list[str], tuple[tuple[str, tuple[PlaceMatch, ...]], ...]]:
        """``actors``: where SSE terms end. A place right after one ("coopératives de Zagora", "تعاونية من
        فجيج") is where the story's cooperatives are: boosted, it comes before the fair's city ("au SIAM de
        Meknès") or the dateline ("الرباط -"), which otherwise outweigh it in title and lead.
        ``communes``: (stream position, place) of the communes named after a commune word (always places).
        ``away``: where ``[away]`` words end; a place within ``away_window`` words after one, or the body's
        first word when it opens a ``dateline``, counts ``away_factor``: the story is not about it.
        ``venue_before``: in a story of a place where cooperatives sell, where the title's first SSE word stands (the
        title's end when it names none; 0 in other stories): the title's first place before it, not a cooperative's,
        is the venue (``Mention.venue``), the story's first region."""
        mentions = []
        function_words = self.gazetteer.latin_cue_function_words
        settings = self.gazetteer.settings
        window = range(1, settings.actor_window + 1)
        away_window = range(1, settings.away_window + 1)
        market_days = self.gazetteer.market_days

        def after_away(start: int) -> bool:
            # an [away] word at the title's end says nothing of the body's first words ("… vendent leurs algues à
            # Marrakech" then "À Dakhla, les membres …")
            first = stream.title_length if start >= stream.title_length else 0
            return any(start - k in away for k in away_window if start - k >= first)

        listed: dict[int, frozenset[str]] = {}  # where an [away] place ends → its regions

        def mention(place: Place, start: int, confirmed: bool, end: int) -> Mention:
            actor = bool(actors) and any(start - k in actors for k in window)
            # a list goes on from an [away] place with its own region's places, not the cooperatives' ("زوار من جهة
            # الدار البيضاء سطات، خاصة من الدار البيضاء والمحمدية"; "clients de la région Casablanca-Settat, notamment à
            # Casablanca et Mohammedia")
            listing = after_away(start) or (
                not actor
                and any(start - k in listed and not listed[start - k].isdisjoint(place.codes) for k in away_window)
            )
            if listing:
                listed[end - 1] = frozenset(place.codes)
            away_from = listing or (dateline and start == stream.title_length)
            factor = stream.factor(start) * (settings.away_factor if away_from else 1.0)
            boost = settings.actor_boost if actor else 1.0
            return Mention(place, factor, confirmed, boost, away_from, start < stream.title_length)

        starts: list[int] = []  # where each mention starts in the stream
        for match in matches:
            place = match.phrase.payload
            assert isinstance(place, Place)
            start = match.start
            words = stream.words
            if not articles_agree(place, match, ids):
                continue
            if start > 0 and words[start - 1][TEXT] in market_days and not match.prefix:
                continue  # "Had Draa", "Tnine Chtouka": a market town's name, not the Drâa nor Chtouka-Aït Baha
            confirmed = True
            if place.ambiguous:
                # "بالداخلة" (in Dakhla) is a place; "للحاجب" (to the eyebrow) need not be: only ب confirms.
                glued = "ب" in match.prefix
                after_cue = start > 0 and words[start - 1][CUE]
                latin_article = not is_arabic(words[start][TEXT]) and stream.dropped_before(start) in function_words
                preposition = (
                    start > 0
                    and place.label in self.gazetteer.after_preposition
                    and words[start - 1][TEXT] in self.gazetteer.prepositions
                )
                # a dateline names a place ("الداخلة – تستعد تعاونية …"): the body's first words before its dash
                opening = dateline and start == stream.title_length
                confirmed = glued or after_cue or latin_article or preposition or opening
            mentions.append(mention(place, start, confirmed, match.end))
            starts.append(start)
        for start, place in communes:
            mentions.append(mention(place, start, True, start + 1))
            starts.append(start)
        before = [k for k, m in enumerate(mentions) if m.confirmed and starts[k] < venue_before]
        if before:
            first = min(before, key=starts.__getitem__)
            if mentions[first].boost == 1.0:  # not a cooperative's own place ("coopératives de l'Oriental")
                mentions[first] = replace(mentions[first], venue=True)
        chosen, _scores, supported = choose_regions(mentions, settings)
        reasons: list[str] = []
        places = []
        for code in chosen:
            via = ", ".join(f"{label} ×{count}" for label, count in supported[code].most_common(3))
            reasons.append(telling.gettext(told_reasons.REGION_VIA, code=code, via=via))
            places.append((code, tuple(PlaceMatch(label, n) for label, n in supported[code].most_common(3))))
        if not chosen and source_region:
            chosen = [source_region]
            reasons.append(
                telling.gettext(
                    told_reasons.REGION_FROM_SOURCE, code=source_region
                )
            )
        return chosen, reasons, tuple(places)


def _product_regions(
    matches: list[Match[Payload]],
) -> tuple[list[str], list[str], tuple[tuple[str, tuple[PlaceMatch, ...]], ...]]:
    """The region of a story that names no Moroccan place and has no source region, from a product grown
    or made in one region only (``products`` in regions.toml): the most named product's region."""
    named: Counter[Place] = Counter()
    for match in matches:
        product = match.phrase.payload
        assert isinstance(product, Place)
        named[product] += 1
    product, count = named.most_common(1)[0]
    code = product.codes[0]
    reason = telling.gettext(
        told_reasons.REGION_FROM_PRODUCT,
        code=code,
        label=product.label,
        count=count,
    )
    return [code], [reason], ((code, (PlaceMatch(product.label, count),)),)


def _apart(
    governed: list[tuple[Term, int, int]], stream: Stream
) -> tuple[dict[TermGroup, dict[int, int]], dict[TermGroup, dict[int, int]]]:
    """The clauses (``CLAUSE_END``) telling each ``own_sentence`` group's project, each with its sentence, for a local
    negative to stop the group only when it names its works in every one of them (or in all but fewer sentences than
    the group's ``own_sentence`` or the negative's ``local`` asks for): "… 64 مشروعا مدرا للدخل، والمراكز الصحية" is a
    tally's item, a women's cooperative visited in a sentence of its own, with what funded it or what it makes, is the
    tour's SSE project, and so is one item of the list of works that tells it ("un centre de santé, une route de 4 km
    et une unité de couscous au profit de 17 femmes, projet générateur de revenus financé par l'INDH"). Told: beside
    another positive group in its sentence or the next, when that names no works ("Le bilan compte aussi des projets
    générateurs de revenus." tells none), and for a ``singular`` group of one cooperative, not many; not in a clause
    counting a ``counted`` group ("dont 312 projets générateurs …", "من بينها 140 مشروعا مدرا للدخل في إطار
    برنامج تحسين الدخل": a balance sheet's item, the programme named with it too)."""
    told_in: defaultdict[int, set[TermGroup]] = defaultdict(set)  # sentence → the positive groups named in it
    first_at: dict[int, int] = {}  # sentence → where its first positive term starts
    works = set()  # the sentences naming a local negative's works
    tallies = set()  # the clauses of a counted group's mention after a number (or its noun after one)
    for term, start, _ in governed:
        if not term.negative:
            told_in[stream.sentence(start)].add(term.group)
            first_at.setdefault(stream.sentence(start), start)
        elif term.group.local:
            works.add(stream.sentence(start))
        if term.group.counted:
            clause = stream.clause(start)
            before = range(max(0, start - 2), start)  # "au profit de 17 femmes, projet …" counts nothing
            if any(_counts(stream, k) and stream.clause(k) == clause for k in before):
                tallies.add(clause)
    apart: defaultdict[TermGroup, dict[int, int]] = defaultdict(dict)
    again: defaultdict[TermGroup, dict[int, int]] = defaultdict(dict)  # a group asking for N sentences, named alone
    for term, start, _ in governed:
        sentence = stream.sentence(start)
        # its sentence, and the next one when it names no works: "وزار الوفد مشروعا لتربية الدواجن أنجزته تعاونية
        # شبابية. واستفاد المشروع من … في إطار برنامج تحسين الدخل." tells the cooperative's project over two sentences
        telling = told_in[sentence] if sentence + 1 in works else told_in[sentence] | told_in[sentence + 1]
        one = term.group.own_sentence and (not term.group.singular or _one(stream, start))
        told = one and len(telling) > 1
        if one and not told and term.group.own_sentence > 1:
            again[term.group][stream.clause(start)] = sentence
        if told and stream.clause(start) not in tallies:
            apart[term.group][_telling_clause(stream, start, term.group.counted)] = sentence
            # an income project's frame (the programme that funded it) goes on in the next sentence's jobs, output or
            # sales when that names no works: "… في إطار البرنامج الثالث المتعلق بتحسين الدخل. ومكنت الوحدة من خلق 12
            # منصب شغل قار": two sentences telling it, as an anniversary's ceremony (``local = 2``) asks
            following = sentence + 1
            if term.group.counted and following not in works and told_in[following] - {term.group}:
                apart[term.group][stream.clause(first_at[following])] = following
    return apart, again


def _counts(stream: Stream, index: int) -> bool:
    """Whether the word at ``index`` is a number counting what follows: not a programme's own number ("dans le cadre
    du programme 3 « amélioration du revenu et inclusion économique des jeunes »"), which names the income strand."""
    return stream.words[index][TEXT].isdigit() and (index == 0 or stream.words[index - 1][TEXT] not in NUMBERED)


def _one(stream: Stream, start: int) -> bool:
    """Whether the word at ``start`` names one of its kind: not an Arabic plural in ات ("التعاونيات") nor a French
    noun after a plural article ("les coopératives", "des coopératives", "aux coopératives")."""
    text = stream.words[start][TEXT]
    if is_arabic(text):
        return not text.endswith("ات")
    return stream.dropped_before(start) not in PLURAL_ARTICLES


def _telling_clause(stream: Stream, start: int, frame: bool) -> int:
    """The clause that tells the project named at word ``start``. An income project's or its programme's name
    (``frame``: the ``counted`` groups) in a clause of its own belongs with the clause before it in its sentence:
    "un terrain de football, réalisé dans le cadre du programme d'amélioration du revenu" is the field's funding,
    "une unité de couscous au profit de 17 femmes, projet générateur de revenus financé par l'INDH" the unit's."""
    clause = stream.clause(start)
    if not frame:
        return clause
    before = start - 1
    while before >= 0 and stream.clause(before) == clause:
        before -= 1
    if before >= 0 and stream.sentence(before) == stream.sentence(start):
        return stream.clause(before)
    return clause


def _governed(matches: list[Match[Payload]], title_end: int, lead_end: int) -> list[tuple[Term, int, int]]:
    """(term, start, end) of each SSE-layer match, a governed mention read as the kind of the story's first
    qualified mention (``governs`` in lexicon.toml): after "تعاونية سكنية", "التعاونية" and "رئيس التعاونية" are that
    housing cooperative, a negative under its own spelling; after a women's cooperative they stay what they are,
    even past a housing cooperative named in passing."""
    found = []
    for match in matches:
        term = match.phrase.payload
        assert isinstance(term, Term)
        found.append((term, match.start, match.end))
    first = min(((start, term) for term, start, _ in found if term.group.governs), default=None, key=itemgetter(0))
    if first is None or not first[1].negative:
        return found
    qualified, governing = first
    # Named first in the body, after the title's own cooperative ("la coopérative Tifaout", its landlord "une
    # coopérative d'habitat" named in the lead), it is met in passing: the bare mentions stay the title's.
    if qualified >= title_end and any(
        start < title_end and term.group.kind in governing.group.governs for term, start, _ in found
    ):
        return found
    # The mentions before it are that cooperative too when it stands in the title, or in the lead of a title naming
    # no cooperative; one first named in the last lines is another cooperative, met in passing.
    since = 0 if qualified < lead_end else qualified
    return [
        (Term(governing.group, term.label), start, end)
        if start >= since and term.group.kind in governing.group.governs
        else (term, start, end)
        for term, start, end in found
    ]


def _foreign(
    governed: list[tuple[Term, int, int]], places: frozenset[int], stream: Stream, abroad_of: dict[str, TermGroup]
) -> list[tuple[Term, int, int]]:
    """Each mention of a kind some negative group takes abroad (``TermGroup.abroad``) that a place of ``[abroad]``
    follows (``places``: where those start) read as that negative, under its own spelling: "تعاونيات ألميريا", "les
    coopératives d'Andalousie" (the function words are not in the stream), "تعاونيات بإقليم ويلفا" (a place word, then
    the place), but not "la coopérative exporte en France" nor "تعاونية … تصدر إلى إسبانيا": a word stands between."""
    words = stream.words
    found = []
    for term, start, end in governed:
        group = None if term.negative else abroad_of.get(term.group.kind)
        if group is not None and (end in places or (end < len(words) and words[end][CUE] and end + 1 in places)):
            term = Term(group, term.label)
        found.append((term, start, end))
    return found


def _venue_before(matches: list[Match[Payload]], title_end: int) -> int:
    """In a story naming a place where cooperatives sell (a ``venue`` group), where the title's first positive SSE term
    starts (``title_end`` when the title names none): a place named before it is the venue's city. 0 otherwise."""
    terms = [m for m in matches if isinstance(m.phrase.payload, Term) and not m.phrase.payload.negative]
    if not any(m.phrase.payload.group.venue for m in terms):  # type: ignore[union-attr]
        return 0
    return min((m.start for m in terms if m.start < title_end), default=title_end)


def _term_ends(matches: list[Match[Payload]]) -> frozenset[int]:
    """The stream positions right after each positive SSE term: where "… of PLACE" would start."""
    return frozenset(m.end - 1 for m in matches if isinstance(m.phrase.payload, Term) and not m.phrase.payload.negative)
