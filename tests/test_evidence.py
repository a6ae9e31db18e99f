"""The classifier's evidence as data (classify.Evidence): what the digest's plain-words "why" and
`rasd explain` are built from, so they must name the right topics, places and reference story."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.classify import Classifier, load_classifier, word_key
from tests.conftest import REPO

TITLE = "تعاونية نسائية بتيزنيت تعرض المنتجات المجالية"
TEXT = (
    "نظمت وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني معرضا للتعاونيات بمدينة تيزنيت "
    "وأكادير، وشاركت فيه التعاونيات النسائية للإقليم."
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return load_classifier(seeds_dir=REPO / "seeds")


def test_terms_carry_their_topic_and_count(classifier: Classifier) -> None:
    evidence = classifier.classify(TITLE, TEXT).evidence
    topics = {term.topic for term in evidence.terms}
    assert topics == {"cooperatives", "fairs, local and terroir products"}
    women = next(term for term in evidence.terms if term.kind == "women's cooperatives")
    assert women.count == 2 and women.points > 0
    assert list(evidence.terms) == sorted(evidence.terms, key=lambda t: -t.points)


def test_a_title_negative_is_recorded_as_adding_nothing(classifier: Classifier) -> None:
    evidence = classifier.classify(TITLE, TEXT).evidence
    (ministry,) = evidence.negatives
    assert ministry.kind == "ministry title" and ministry.points == 0.0
    assert all(term.kind != "ministry title" for term in evidence.terms)


def test_places_per_region_and_source_fallback(classifier: Classifier) -> None:
    evidence = classifier.classify(TITLE, TEXT).evidence
    assert evidence.places[0][0] == "MA-09"
    assert [(p.label, p.count) for p in evidence.places[0][1]] == [("تيزنيت", 2), ("أكادير", 1)]
    assert not evidence.region_from_source
    nowhere = classifier.classify("تعاونية فلاحية", "التعاونيات تجتمع", source_region="MA-04")
    assert nowhere.regions == ["MA-04"] and nowhere.evidence.region_from_source
    assert nowhere.evidence.places == ()


def test_matched_words_are_normalised_keys_of_the_story_words(classifier: Classifier) -> None:
    evidence = classifier.classify(TITLE, TEXT).evidence
    assert word_key("تعاونيّه") in evidence.words  # shadda, ه for ة: the story's "تعاونية"
    assert word_key("للتعاونيات") in evidence.words
    assert word_key("وزارة") not in evidence.words  # a negative's words are not SSE vocabulary
    assert word_key("بمدينة") not in evidence.words


def test_the_resembling_reference_story_is_named_by_its_title(tmp_path: Path) -> None:
    (tmp_path / "007_abc.txt").write_text(
        "Site Name\n\nتيزنيت: معرض جهوي للتعاونيات النسائية والمنتجات المجالية بمشاركة واسعة\n\n" + TEXT * 3,
        encoding="utf-8",
    )
    evidence = load_classifier(seeds_dir=tmp_path).classify(TITLE, TEXT).evidence
    assert evidence.seed == "007_abc"
    assert evidence.seed_title == "تيزنيت: معرض جهوي للتعاونيات النسائية والمنتجات المجالية بمشاركة واسعة"
    assert evidence.seed_cosine > 0.1
    unrelated = load_classifier(seeds_dir=tmp_path).classify("Match de football", "Le club a gagné le match.")
    assert unrelated.evidence.seed is None and unrelated.evidence.seed_title is None


def test_the_why_names_the_words_as_the_story_wrote_them() -> None:
    """The digest's and `rasd explain`'s "why" name the matched words as they stand in the story — the
    function words the matcher passes over ("de", "d'une", "du") kept, in French and in Arabic — not the
    lexicon's form ("porteuses projets", "membres de la coopérative"); an Arabic word's conjunction or
    preposition ("و", "ب", "لل") is left to the sentence, its article kept."""
    from rasd.classify import load_classifier

    classifier = load_classifier()
    # written for this test
    french = classifier.classify(
        "Tiznit : dix porteuses de projets financées par l'INDH",
        "La province a remis les subventions de l'Initiative nationale pour le développement humain à dix "
        "porteuses de projets, membres d'une coopérative de femmes qui vend des produits du terroir.",
        "fr",
    )
    labels = {term.label: term.count for term in french.evidence.terms}
    assert labels["porteuses de projets"] == 2 and "produits du terroir" in labels, labels
    assert "membres d'une coopérative" in labels and "porteuses projets" not in labels, labels
    arabic = classifier.classify(
        "تيزنيت: دعم مشاريع مدرة للدخل لفائدة تعاونيات نسائية",
        "قدمت المبادرة الوطنية للتنمية البشرية دعما للتعاونيات النسائية بالإقليم، وستمكن النساء من تسويق منتجات"
        " التعاونية في المعرض الجهوي، وقالت رئيسة تعاونية إن الدعم سيذهب بتعاونيتها بعيدا.",
        "ar",
    )
    labels = {term.label: term.count for term in arabic.evidence.terms}
    assert "تسويق منتجات" in labels and "تسويق المنتجات" not in labels, labels  # the lexicon's form, not the story's
    assert not any(label.startswith(("لل", "ب", "و")) for label in labels), labels  # "للتعاونيات" is "التعاونيات"
