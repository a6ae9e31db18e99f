"""The topics a subscription may keep to (`topics = ["cooperatives", "indh"]` in a `[[subscriptions]]` entry):
short names for the lexicon's `topic` groups (config/lexicon.toml), which the digest's "why" names in the
reader's words ("les coopératives", "التعاونيات"). Stored with each classification (`classifications.topics`,
the names of the topics the story is about — `story_topics`: not every topic one of its SSE words belongs to —,
space-separated), so that a digest picks its stories in SQL.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

# name a subscription writes → the lexicon's topic (its msgid in the catalogs, context "topic")
TOPICS = {
    "cooperatives": "cooperatives",
    "indh": "INDH and income-generating projects",
    "fairs": "fairs, local and terroir products",
    "sse": "the social and solidarity economy and its programmes",
    "microfinance": "microfinance",
}
_NAMES = {topic: name for name, topic in TOPICS.items()}
# Each topic as an Arabic or French reader writes it (folded as `topic_name` folds: no case, no accents), as
# regions take their Arabic and French names: `topics = ["التعاونيات"]` was refused (review12)
_ALSO = {
    **dict.fromkeys(("cooperative", "cooperatives", "التعاونيات", "تعاونيات", "التعاونية", "تعاونية"), "cooperatives"),
    **dict.fromkeys(("المبادرة الوطنية للتنمية البشرية", "المبادرة الوطنية", "agr"), "indh"),
    **dict.fromkeys(("salons", "salon", "foires", "foire", "المعارض", "معارض", "المنتجات المحلية"), "fairs"),
    **dict.fromkeys(("ess", "economie sociale et solidaire", "الاقتصاد الاجتماعي والتضامني"), "sse"),
    **dict.fromkeys(("microcredit", "القروض الصغرى", "السلفات الصغرى", "التمويل الأصغر"), "microfinance"),
}


def topic_name(value: str) -> str | None:
    """The topic a subscription's `topics` names, written in any case, with or without accents, around spaces
    ("Coopératives" is cooperatives), by the SSE's French initials ("ESS") or in the reader's Arabic or French
    words ("التعاونيات", "salons"); None for no topic."""
    folded = "".join(c for c in unicodedata.normalize("NFD", value.strip().casefold()) if not unicodedata.combining(c))
    return folded if folded in TOPICS else _ALSO.get(folded)


def topic_names(lexicon_topics: Iterable[str]) -> str:
    """The names of the lexicon topics given (a story's SSE words' topics), each once, in `TOPICS`' order,
    space-separated: what `classifications.topics` holds ("cooperatives indh"; "" for none)."""
    found = {_NAMES[topic] for topic in lexicon_topics if topic in _NAMES}
    return " ".join(name for name in TOPICS if name in found)


# A story is about a topic when its words for it weigh at least half as much as those of its strongest topic,
# or when it names the topic again and again (three times) with a fifth of that weight: not when it names it in
# passing. Every demo SSE story was "cooperatives" — an association's income project in Azilal that names one
# women's cooperative once (1.9 points beside its income project's 4.8), the INDH's funding of 23 projects in
# Errachidia naming "تعاونيات" once (0.9 beside 11.5) — and a subscription to cooperatives received them.
ABOUT_SHARE = 0.5
REPEATED = 3
REPEATED_SHARE = 0.2


def story_topics(terms: Iterable[tuple[str, int, float]]) -> list[str]:
    """The lexicon topics a story is about, from its SSE terms' (topic, count, points) (`Evidence.terms`;
    `classifications.evidence`'s "terms" hold them too), strongest first: `ABOUT_SHARE`, `REPEATED`."""
    points: dict[str, float] = {}
    named: dict[str, int] = {}
    for topic, count, weight in terms:
        points[topic] = points.get(topic, 0.0) + weight
        named[topic] = named.get(topic, 0) + count
    strongest = max(points.values(), default=0.0)
    if strongest <= 0:
        return []
    about = [
        topic
        for topic, weight in points.items()
        if weight >= strongest * ABOUT_SHARE or (named[topic] >= REPEATED and weight >= strongest * REPEATED_SHARE)
    ]
    return sorted(about, key=lambda topic: -points[topic])


def closest_topics(value: str) -> list[str]:
    """The topic names closest to a misspelt one ("cooperative", "coopératives", "INDH ")."""
    return difflib.get_close_matches(value.strip().casefold(), list(TOPICS), n=2, cutoff=0.5)


__all__ = ["TOPICS", "closest_topics", "story_topics", "topic_name", "topic_names"]
