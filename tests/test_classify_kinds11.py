"""Issue 19, twelfth rules pass (recall12): the kinds a blind set of 120 hard stories found main missing or flagging,
told as kinds, written again by the project as bench/written_kinds11.jsonl (never the set's stories).

- Cooperatives abroad with no Moroccan actor (a wine cooperative in Occitanie, Almería's, Senegal's, India's): a story
  naming another country or its region and no Moroccan place, Morocco or Moroccan actor is set abroad, its SSE words
  only support (main: 0.50-0.66, flagged). A Moroccan cooperative selling "en France" is not (main: 0.19, missed: a
  bare country was a foreign cooperatives' phrase).
"""

from __future__ import annotations

import pytest

from rasd.classify import Classifier
from tests.written_rows import classifier, written_rows

__all__ = ["classifier"]  # the rules-only classifier fixture, used by name

ROWS = written_rows("written_kinds11.jsonl")

ABROAD = [
    "own-k11-fr-herault-cave-neg",
    "own-k11-ar-almeria-cooperatives-neg",
    "own-k11-fr-senegal-groundnut-neg",
    "own-k11-ar-india-dairy-neg",
]


@pytest.mark.parametrize("row_id", ABROAD)
def test_cooperatives_abroad_are_not_moroccan_sse(classifier: Classifier, row_id: str) -> None:
    """Another country's cooperatives, told with no Moroccan place and without naming Morocco: not SSE, and the reasons
    say why."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert not result.sse, result.reasons
    assert result.regions == []
    assert any("no Moroccan place" in reason for reason in result.reasons), result.reasons


def test_a_country_named_with_a_moroccan_actor_is_not_abroad(classifier: Classifier) -> None:
    """The same cooperative words keep their weight beside a Moroccan place, Morocco named, or no place at all (a short
    brief); only beside another country and no Moroccan actor are they set abroad. A Taliouine cooperative's saffron
    sold in France is its own story (saffron, a product of one region, is Moroccan too)."""
    title = "Une coopérative apicole signe un contrat d'export"
    body = "Les membres de la coopérative récoltent le miel de thym et le conditionnent dans l'unité de la coopérative."
    spain = " Le miel partira vers l'Espagne."
    brief = classifier.classify(title, body)
    abroad = classifier.classify(title, body + spain)
    moroccan = classifier.classify(title, body + spain + " Elle est installée à Taliouine.")
    national = classifier.classify(title, body + spain + " Le miel du Maroc est très demandé.")
    assert brief.sse and not abroad.sse and moroccan.sse and national.sse, (abroad.reasons, national.reasons)
    row = ROWS["own-k11-fr-saffron-coop-export-france"]
    result = classifier.classify(row["title"], row["text"])
    assert result.sse and result.regions[:1] == ["MA-09"], result.reasons
