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


def test_a_digest_tells_the_stored_evidence_without_loading_the_classifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest's "why" was made by classifying each story again: loading the classifier and its first
    story cost a digest with stories due about a second. The evidence is stored with the classification
    (`classifications.evidence`) and read back as it was; a story classified before it was stored (NULL)
    is classified again, and says the same."""
    import email
    import sqlite3
    from datetime import UTC, datetime
    from email import policy
    from email.message import EmailMessage

    import rasd.alerts.digests as digests
    from rasd.alerts import run_digests
    from rasd.classify import Evidence, load_classifier
    from rasd.config import Settings, Source
    from rasd.extract import Article, content_hash
    from rasd.storage import Store

    classifier = load_classifier()
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources([Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09")])
    written = [  # written for this test
        ("Tiznit : dix porteuses de projets financées par l'INDH", "La province de Tiznit a remis les subventions "
         "de l'INDH à dix porteuses de projets, membres d'une coopérative de femmes qui vend des produits du terroir."),
        ("تيزنيت: دعم مشاريع مدرة للدخل لفائدة تعاونيات نسائية", "قدمت المبادرة الوطنية للتنمية البشرية بإقليم تيزنيت"
         " دعما لمشاريع مدرة للدخل لفائدة التعاونيات النسائية، وستعرض التعاونية منتجاتها في المعرض الجهوي."),
    ]  # fmt: skip
    for n, (title, text) in enumerate(written):
        verdict = classifier.classify(title, text, None)
        assert Evidence.from_json(verdict.evidence.as_json()) == verdict.evidence  # stored as it was
        url = f"https://tiznit.example/{n}"
        when = datetime.now(UTC)
        article = Article(url, title, text, when, "meta", None, "fr", None, content_hash(text))
        store.save_article("Tiznit Info", url, article, verdict)

    def why(name: str) -> list[str]:
        settings = Settings.model_validate(
            {
                "storage": {"url": store.url},
                "outbox": str(tmp_path / "outbox"),
                # each its own reader: a new name at an address already served goes on from the old one
                "subscriptions": [
                    {"name": name, "email": f"{len(seen)}@example.ma", "frequency": "immediate", "language": "fr"}
                ],
            }
        )
        report = run_digests(store, settings)
        assert len(report.sent) == 1, report.lines()
        (message,) = [p for p in (tmp_path / "outbox").glob("*.eml") if p.name not in seen]
        seen.add(message.name)
        body = email.message_from_bytes(message.read_bytes(), policy=policy.default).get_body(("plain",))
        assert isinstance(body, EmailMessage)
        return sorted(line for line in body.get_content().splitlines() if line.startswith("  - "))

    seen: set[str] = set()
    with monkeypatch.context() as patched:  # no classifier is loaded: the stored evidence is told
        patched.setattr(digests, "load_classifier", lambda **_: pytest.fail("the classifier was loaded"))
        stored = why("stored")
    with sqlite3.connect(tmp_path / "rasd.db") as db:  # as a store classified before revision 0018
        db.execute("UPDATE classifications SET evidence = NULL")
    assert why("classified again") == stored and any("porteuses de projets" in line for line in stored), stored
