"""The digest's "why" names each matched phrase as a reader would cite it, in both languages: the lexicon
matches some terms with the words that frame them ("au sein de la coopérative", "relatif à l'amélioration du
revenu", "المتعلق بتحسين الدخل"), and the why showed them whole — "sein de la coopérative", "المتعلق بتحسين الدخل
والإدماج الاقتصادي للشباب" — where the Arabic side's clitic preposition was already dropped (review12)."""

from __future__ import annotations

from rasd.alerts.why import cited, explain
from rasd.classify import Evidence, TermMatch, load_classifier

# Written for this test: a French story of a cooperative within an INDH income programme, and its Arabic twin.
FRENCH = (
    "Azilal : les femmes d'Aït Bouguemez pressent leur huile au sein de la coopérative",
    "Les adhérentes travaillent au sein de la coopérative Tamount depuis 2019. Le projet est financé par le "
    "troisième programme de l'INDH, relatif à l'amélioration du revenu et à l'inclusion économique des jeunes. "
    "Au sein de la coopérative, chaque adhérente touche une part des ventes d'huile d'olive.",
)
ARABIC = (
    "أزيلال: تعاونية نسائية تعصر زيت الزيتون",
    "تشتغل المنخرطات داخل تعاونية تامونت منذ 2019، بتمويل من البرنامج الثالث للمبادرة المتعلق بتحسين الدخل "
    "والإدماج الاقتصادي للشباب. وتحصل كل منخرطة على نصيب من مبيعات زيت الزيتون التي تسوقها التعاونية.",
)


def _words(title: str, text: str, lang: str, reader: str) -> list[str]:
    evidence = load_classifier().classify(title, text, lang).evidence
    why = explain(evidence, ["MA-05"], reader)
    return [word.text for _, words in [*why.topics, *why.passing] for word in words]


def test_french_and_arabic_terms_are_cited_without_their_lead_in() -> None:
    for reader in ("ar", "fr"):
        french = _words(*FRENCH, "fr", reader)
        assert "coopérative" in french and not any(w.startswith(("sein ", "au sein", "relatif")) for w in french)
        assert "amélioration du revenu" in french, french
        arabic = _words(*ARABIC, "ar", reader)
        assert not any(w.startswith(("المتعلق", "الخاص", "داخل")) for w in arabic), arabic
        assert "تحسين الدخل والإدماج الاقتصادي للشباب" in arabic, arabic


def test_a_citation_keeps_its_terms_words_and_merges_its_twins() -> None:
    assert cited("de la coopération") == "coopération"
    assert cited("l'économie sociale et solidaire") == "économie sociale et solidaire"
    assert cited("Office du développement de la coopération") == "Office du développement de la coopération"
    assert cited("membres de la coopérative") == "membres de la coopérative"
    assert cited("في التعاونيات") == "التعاونيات" and cited("تعاونية") == "تعاونية"
    assert cited("de") == "de"  # never emptied
    twins = Evidence(
        terms=(
            TermMatch("coopérative", "cooperatives", "cooperatives", 2, 1.0),
            TermMatch("au sein de la coopérative", "cooperative life", "cooperatives", 1, 0.5),
        )
    )
    ((_, words),) = explain(twins, [], "fr").topics
    assert [(word.text, word.count) for word in words] == [("coopérative", 3)]


def test_a_topic_named_in_passing_is_said_apart_from_what_the_story_is_about() -> None:
    """The why's "About" names the topics the story is about, those a subscription's `topics` picks it by
    (config.topics.story_topics); a cooperative named once in an association's income project is "named in
    passing", not "About" (it read "Sujet : … les coopératives", while a cooperatives subscription left it out)."""
    from tests.test_subscription_topics import STORIES

    (title, text) = next((title, text) for _, slug, _, title, text in STORIES if slug == "association")
    evidence = load_classifier().classify(title, text, "fr").evidence
    for reader, cooperatives in (("fr", "les coopératives"), ("ar", "التعاونيات")):
        why = explain(evidence, ["MA-09"], reader)
        assert cooperatives not in [topic for topic, _ in why.topics], why.topics
        assert [(topic, [w.text for w in words]) for topic, words in why.passing] == [(cooperatives, ["coopérative"])]
