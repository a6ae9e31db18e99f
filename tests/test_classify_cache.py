"""The classifier's word cache costs the garbage collector nothing once collected: a daemon's worker holds tens
of thousands of analysed words, and each tracked one would be traversed at every full collection."""

from __future__ import annotations

import gc

import pytest

from rasd.classify import Classifier, load_classifier


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


def test_analysed_words_and_cached_tokens_are_untracked_after_collections(classifier: Classifier) -> None:
    title = "تعاونية نسائية بإقليم تيزنيت تطلق وحدة لتثمين الأركان"
    text = (
        "أطلقت تعاونية نسائية بجماعة أربعاء الساحل وحدة جديدة لتثمين زيت الأركان بدعم من المبادرة الوطنية "
        "للتنمية البشرية. La coopérative de Tiznit vend aussi à Agadir et à Salé."
    )
    result = classifier.classify(title, text)
    assert result.sse and result.regions  # the story went through the whole analysis, places and terms
    words = list(classifier._words.values())
    entries = list(classifier._cache.values())
    assert any(word[1] for word in words)  # some words are lexicon or gazetteer words (ids to keep)
    for _ in range(3):  # a collection untracks a tuple whose items are untracked: the pairs, their tuple, the word
        gc.collect()
    assert [word for word in words if gc.is_tracked(word)] == []
    assert [entry for entry in entries if gc.is_tracked(entry)] == []
    # nor is the matcher's table of the spellings its words can take (27,000 strings)
    assert not gc.is_tracked(classifier._matcher._exact_spellings)
