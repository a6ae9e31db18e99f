"""The words the "why" shows, as the story wrote them, wherever the story wrote them: the phrase's tokens are
found in the title or text by skipping the tokens before them in runs (``classify.text.token_spans``), which
must land on the same characters as reading every token up to them (``RAW_TOKEN.finditer``)."""

from __future__ import annotations

import random

import pytest

from rasd.classify import Classifier, load_classifier
from rasd.classify.text import RAW_TOKEN, token_spans
from tests.conftest import REPO

# written for this test: news of no SSE interest, to push a phrase hundreds of tokens into a story
FILLER_AR = (
    "وعرفت شوارع المدينة صباح اليوم حركة سير كثيفة بسبب أشغال الطريق، وطالب السكان بتسريع وتيرة الإنجاز "
    "قبل حلول فصل الشتاء، فيما أكد المسؤولون أن الأشغال ستنتهي خلال الأسابيع المقبلة. "
)
FILLER_FR = (
    "La circulation était dense ce matin sur le boulevard principal en raison des travaux de voirie ; les "
    "riverains demandent qu'ils s'achèvent avant l'hiver, et la commune promet la fin du chantier en mars. "
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return load_classifier(seeds_dir=REPO / "seeds")


def test_token_spans_are_the_tokeniser_s_spans() -> None:
    """Any tokens of any text, Arabic with harakat, tatweel and joiners, French with apostrophes, digits
    and underscores, past the end too: the spans ``RAW_TOKEN.finditer`` gives them."""
    chooser = random.Random(16)
    alphabet = "ab é1_ تعاونية \u064e\u0651\u0640\u200c\u0301 ,.'’-–\n\t؟،"
    for _ in range(400):
        text = "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 4000)))
        spans = [token.span() for token in RAW_TOKEN.finditer(text)]
        wanted = chooser.sample(range(len(spans) + 3), min(len(spans) + 3, chooser.randint(0, 5)))
        assert token_spans(text, wanted) == {index: spans[index] for index in wanted if index < len(spans)}


def test_a_phrase_deep_in_an_arabic_story_is_shown_as_written(classifier: Classifier) -> None:
    """A phrase ~700 tokens into the text, vowelled, drawn out with tatweel, the conjunction glued on: the
    why shows its words as the story spells them there, less the conjunction."""
    text = FILLER_AR * 24 + "وتسويقُ  منتجـات التعاونيات النسائية بالإقليم سيكون في المعرض الجهوي."
    evidence = classifier.classify("معرض جهوي بتيزنيت", text, "ar").evidence
    labels = {term.label: term.count for term in evidence.terms}
    assert "تسويقُ منتجـات" in labels, labels
    assert "التعاونيات النسائية" in labels, labels


def test_a_phrase_deep_in_a_french_story_is_shown_as_written(classifier: Classifier) -> None:
    """A phrase ~800 tokens into the text, cut by a line end and an elision: its function words and the
    story's apostrophe kept, its white space made single."""
    text = (
        FILLER_FR * 26
        + "Dix porteuses de\nprojets, membres d’une coopérative de femmes, vendent des produits du terroir à Tiznit."
    )
    evidence = classifier.classify("Tiznit : des femmes financées par l'INDH", text, "fr").evidence
    labels = {term.label: term.count for term in evidence.terms}
    assert "porteuses de projets" in labels, labels
    assert "membres d’une coopérative" in labels and "produits du terroir" in labels, labels
