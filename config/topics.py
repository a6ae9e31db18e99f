"""The topics a subscription may keep to (`topics = ["cooperatives", "indh"]` in a `[[subscriptions]]` entry):
short names for the lexicon's `topic` groups (config/lexicon.toml), which the digest's "why" names in the
reader's words ("les coopératives", "التعاونيات"). Stored with each classification (`classifications.topics`,
the names of the topics its SSE words belong to, space-separated), so that a digest picks its stories in SQL.
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


def closest_topics(value: str) -> list[str]:
    """The topic names closest to a misspelt one ("cooperative", "coopératives", "INDH ")."""
    return difflib.get_close_matches(value.strip().casefold(), list(TOPICS), n=2, cutoff=0.5)


__all__ = ["TOPICS", "closest_topics", "topic_name", "topic_names"]
