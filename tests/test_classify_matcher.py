"""The phrase matcher's word analysis: the quick refusal of words no reading can match, and that it refuses
nothing a reading would have matched (every spelling of every shipped lexicon and gazetteer word)."""

from __future__ import annotations

from typing import Any

import pytest

import rasd.classify.matcher as matcher_module
from rasd.classify import Classifier, load_classifier
from rasd.classify.matcher import PhraseMatcher
from rasd.classify.text import ARABIC_PREFIXES, pattern_words, readings, spellings


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


def small_matcher() -> PhraseMatcher[str]:
    matcher: PhraseMatcher[str] = PhraseMatcher()
    for phrase in ("تعاوني*", "مكتب تنمية التعاون", "coopérative", "فاس", "coop*"):
        matcher.add(pattern_words(phrase), "sse", phrase)
    return matcher


def by_readings(matcher: PhraseMatcher[Any], word: str) -> tuple[tuple[int, str], ...]:
    """What the matcher must answer, from the definition: each reading in turn, its exact index word, then
    the wildcard stems it starts with (shortest first); an id keeps the prefix of its first reading."""
    found: dict[int, str] = {}
    for prefix, stem in readings(word):
        hits = [matcher._exact.get(stem)]
        hits += [matcher._wildcard.get(stem[:n]) for n in sorted(map(len, matcher._wildcard)) if n <= len(stem)]
        for hit in hits:
            if hit is not None and hit not in found:
                found[hit] = prefix
    return tuple(found.items())


def test_a_word_that_is_no_index_word_in_any_reading_is_refused_without_making_its_readings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    matcher = small_matcher()
    made: list[str] = []

    def counted(word: str) -> tuple[tuple[str, str], ...]:
        made.append(word)
        return readings(word)

    monkeypatch.setattr(matcher_module, "readings", counted)
    for word in ("والسياره", "بالمدينه", "فاسي", "تعاقد", "route", "economie"):
        assert matcher.analyse(word) == ()
    assert made == []
    assert matcher.analyse("وللتعاونيات") != ()
    assert made == ["وللتعاونيات"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("وللتعاونيات", [("تعاوني*", "ولل")]),
        ("تعاونيه", [("تعاوني*", "")]),
        ("بفاس", [("فاس", "ب")]),
        ("فاس", [("فاس", "")]),
        ("cooperatives", [("coop*", ""), ("cooperative", "")]),
        ("cooperative", [("cooperative", ""), ("coop*", "")]),
        ("والتنميه", [("تنميه", "وال")]),
    ],
)
def test_clitic_and_plural_spellings_still_match(word: str, expected: list[tuple[str, str]]) -> None:
    matcher = small_matcher()
    names = {word_id: key for key, word_id in matcher._exact.items()}
    names |= {word_id: key + "*" for key, word_id in matcher._wildcard.items()}
    assert [(names[word_id], prefix) for word_id, prefix in matcher.analyse(word)] == expected
    assert matcher.analyse(word) == by_readings(matcher, word)


def test_every_spelling_of_every_shipped_word_is_analysed_as_its_readings_say(classifier: Classifier) -> None:
    matcher = classifier._matcher
    keys = [*matcher._exact, *matcher._wildcard]
    words = {spelling for key in keys for spelling in spellings(key)}
    # and words that only start like them, or end like them, or are them less a letter
    words |= {key + "ات" for key in keys} | {key[:-1] for key in keys if len(key) > 2}
    words |= {chain + key[1:] for key in keys for chain in ARABIC_PREFIXES if len(key) > 3}
    words.discard("")
    differ = [word for word in sorted(words) if matcher.analyse(word) != by_readings(matcher, word)]
    assert differ == []
    assert sum(1 for word in words if matcher.analyse(word)) > len(keys)  # the spellings do match


def test_words_added_after_an_analysis_are_found() -> None:
    matcher = small_matcher()
    assert matcher.analyse("بالرشيديه") == ()
    matcher.add(pattern_words("الرشيدية"), "place", "الرشيدية")
    assert matcher.analyse("بالرشيديه") == by_readings(matcher, "بالرشيديه") != ()
