""" "Why this story", in the reader's language and in plain words: what it is about (the matched SSE
vocabulary grouped by topic), where (its regions by name and the places the story names), and the
reference story it resembles (by its title). No score and no threshold: those are for `rasd explain`.

Built from the classifier's evidence (``classify.Evidence``) and the regions stored with the story; the
words come from the catalogs (``alerts.i18n``), the fragments from the story, so every fragment is kept
apart for the templates to isolate (its direction may differ from the sentence around it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rasd.alerts import i18n
from rasd.config import region_name_in, story_topics

if TYPE_CHECKING:  # region names (`rasd label`) need no classifier
    from rasd.classify import Evidence, SimilaritySettings

WORDS_PER_TOPIC = 4


@dataclass(frozen=True)
class Named:
    """A word or a name from the story, and how many times it occurs (shown when more than once)."""

    text: str
    count: int = 1


@dataclass(frozen=True)
class Why:
    topics: list[tuple[str, list[Named]]]  # topic in the reader's language, the story's words for it
    where: list[tuple[str, list[Named]]]  # region name, the places the story names in it
    from_source: bool  # the story names no place: its region is the site's
    resembles: str | None  # the reference story's title
    # its words weigh just under the threshold and the trained second opinion retained it: a reader who sees few
    # words under "About" is told why it is here all the same (classify/second_opinion.py)
    narrowly: bool = False
    # the topics it names only in passing (config.topics.story_topics: not what it is about, nor what a
    # subscription's `topics` picks it by), said apart from "About" so that the two agree
    passing: list[tuple[str, list[Named]]] = field(default_factory=list)


def region_name(code: str, language: str) -> str:
    """A region by its name in the reader's language ("Souss-Massa", "سوس ماسة"); national without one."""
    catalog = i18n.translations(language)
    name = region_name_in(code, catalog)
    return catalog.gettext("National / not localised") if name is None else name


def as_told(evidence: Evidence, similarity: SimilaritySettings) -> Evidence:
    """The evidence as readers are told it: the reference story only when the story is close to it.

    The classifier names the closest reference as soon as its cosine passes the similarity floor, where it
    adds next to nothing ("+0.00"). A reader calls a story close to a reference when the resemblance
    weighs: its cosine at least halfway from the floor (adds nothing) to the ceiling (adds the full weight):
    ``similarity``, the lexicon's (``classifier.lexicon.similarity``, ``classify.similarity_settings()``)."""
    if evidence.seed is None or evidence.seed_cosine >= (similarity.floor + similarity.ceiling) / 2:
        return evidence
    return replace(evidence, seed=None, seed_title=None)


# The words a lexicon phrase may start with that a reader leaves out when citing the story: the phrase keeps
# them to match only where they frame the term ("au sein de la coopérative", "relatif à l'amélioration du revenu",
# "المتعلق بتحسين الدخل": the INDH's programme named as such), the citation is the term ("coopérative",
# "amélioration du revenu", "تحسين الدخل"). An Arabic phrase's leading clitic is dropped by the classifier
# ("بتعاونية" is "تعاونية"); a French one's article or preposition, a separate word, was shown ("de la coopérative").
_FRENCH_LEADS = frozenset(
    {"à", "a", "au", "aux", "de", "du", "des", "la", "le", "les", "un", "une", "en", "dans", "pour", "par", "sur"}
    | {"chez", "avec", "sein", "relatif", "relative", "relatifs", "relatives", "portant"}
)
_ELIDED = ("l'", "l’", "d'", "d’")
_ARABIC_LEADS = frozenset(["في", "من", "على", "إلى", "الى", "عن", "مع", "حول", "ضمن", "داخل", "لفائدة"])
_ARABIC_RELATING = frozenset(["المتعلق", "المتعلقة", "الخاص", "الخاصة"])  # "relating to", its ب on the next word


def cited(label: str) -> str:
    """A matched phrase as a reader cites it: without the leading articles, prepositions and lead-ins ("relatif
    à", "au sein de", "المتعلق ب…") the lexicon matches it with; never emptied."""
    words = label.split()
    arabic = any("\u0600" <= char <= "\u06ff" for char in label)
    while len(words) > 1:
        first = words[0]
        if arabic and first in _ARABIC_RELATING and words[1].startswith("ب") and len(words[1]) > 2:
            words = [words[1][1:], *words[2:]]
        elif (arabic and first in _ARABIC_LEADS) or (not arabic and first.casefold() in _FRENCH_LEADS):
            words = words[1:]
        else:
            break
    if not arabic and words[0].casefold().startswith(_ELIDED) and len(words[0]) > 2:
        words[0] = words[0][2:]  # "l'amélioration du revenu": "amélioration du revenu"
    return " ".join(words)


def explain(evidence: Evidence, regions: Sequence[str], language: str) -> Why:
    """The plain-words "why" of one story for a reader of ``language``: each topic's words as a reader cites
    them (``cited``); two phrases cited alike are one word, their counts added."""
    topics: dict[str, list[Named]] = {}
    for term in evidence.terms:  # strongest first, so each topic's first word is its strongest
        words = topics.setdefault(term.topic, [])
        text = cited(term.label)
        same = next((n for n, word in enumerate(words) if word.text.casefold() == text.casefold()), None)
        if same is not None:
            words[same] = Named(words[same].text, words[same].count + term.count)
        elif len(words) < WORDS_PER_TOPIC:
            words.append(Named(text, term.count))
    about = set(story_topics((term.topic, term.count, term.points) for term in evidence.terms)) or set(topics)
    catalog = i18n.translations(language)
    named = [(str(catalog.pgettext("topic", topic)), words, topic in about) for topic, words in topics.items()]
    places = dict(evidence.places)
    where = [(region_name(code, language), [Named(p.label, p.count) for p in places.get(code, ())]) for code in regions]
    return Why(
        topics=[(topic, words) for topic, words, central in named if central],
        passing=[(topic, words) for topic, words, central in named if not central],
        where=where,
        from_source=bool(regions) and (evidence.region_from_source or not any(places.get(c) for c in regions)),
        resembles=evidence.seed_title,
        narrowly=evidence.retained_narrowly,
    )
