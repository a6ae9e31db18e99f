"""Issue 19, eighth rules pass: the kinds a sixth held-out set of messy real-style stories still missed, on the stories
written for them (bench/written_kinds7.jsonl: protocol openings, menus, "اقرأ أيضا / Lire aussi" lines, no accents,
ه for ة). Each kind's cases fail on main at 383746f.

1. A governor's tour or an INDH inauguration whose cooperative or income project gets sentences of its own (its unit,
   its equipment, its output) between a health centre, a road and drinking water: SSE by the rules alone. Near misses
   that stay not SSE: the same tour without it, cooperatives as the venue, the guests ("présidents de coopératives et
   d'associations"), the road's future users, a ceremony's exhibition, a field's snacks, a donor of land.
2. A press release from one region naming a second region the programme also covers (a partner region, a second
   phase): both regions; a visiting delegation's, the visitors', the buyers' or a trainer's region is not the story's.
"""

from __future__ import annotations

import pytest

from rasd.classify import Classifier
from tests.written_rows import classifier, written_rows

__all__ = ["classifier"]  # the rules-only classifier fixture, used by name

ROWS = written_rows("written_kinds7.jsonl")


# the tour's or the inauguration's project told in sentences of its own (missed on main: 0.00-0.13)
TOLD_APART = [
    "own-k7-ar-tour-honey-bare-coop",
    "own-k7-fr-tour-honey-bare-coop",
    "own-k7-ar-tour-poultry-income-bare",
    "own-k7-fr-tour-poultry-agr-bare",
    "own-k7-fr-inauguration-olive-press-bare",
    # its sentence was cut at "610.000 DH" before its output was told
    "own-k7-fr-long-inauguration-argan-tail",
]

# must stay not SSE (the first flagged on main by its guests' "présidents de coopératives"; the last three by a
# rule that let every cooperative told beside its products escape the works)
NEAR_MISSES = [
    "own-k7-fr-road-helps-coops-neg",
    "own-k7-ar-tour-no-income-neg",
    "own-k7-fr-tour-no-income-neg",
    "own-k7-ar-tour-coop-venue-neg",
    "own-k7-fr-tour-coop-venue-neg",
    "own-k7-ar-inauguration-coop-guest-neg",
    "own-k7-fr-inauguration-coops-guests-neg",
    "own-k7-ar-health-centre-coop-land-neg",
    "own-k7-fr-health-centre-coop-donor-two-neg",
    "own-k7-ar-road-coops-two-sentences-neg",
    "own-k7-fr-road-coops-two-sentences-neg",
    "own-k7-ar-anniversary-coops-stand-neg",
    "own-k7-fr-anniversary-coops-stand-neg",
    "own-k7-fr-sports-field-coops-snacks-neg",
    "own-k7-ar-long-tour-no-project-neg",
    "own-k7-fr-inauguration-coop-one-clause-anniv-neg",
]

# both regions of a release (the second missed on main), and one region where the other is a visitor's (the
# delegation's, the visitors', the buyers': a second region on main)
REGIONS = [
    "own-k7-ar-release-partner-region-draa",
    "own-k7-fr-release-partner-region-draa",
    "own-k7-ar-release-two-regions-argan-one-line",
    "own-k7-fr-release-two-regions-argan-one-line",
    "own-k7-fr-partner-visit-from-region-one",
    "own-k7-ar-fair-visitors-region-and-cities-one",
    "own-k7-fr-coop-buyers-region-and-cities-one",
    "own-k7-ar-tour-cactus-unit-bare",
]


@pytest.mark.parametrize("row_id", TOLD_APART)
def test_a_project_told_in_sentences_of_its_own_between_the_works_is_sse(classifier: Classifier, row_id: str) -> None:
    """One cooperative ("la coopérative Tifaout", "تعاونية الأمل") told in two sentences without the works, or an
    income project told over a sentence and the next, is what the tour visited: the works no longer stop it, by the
    rules alone (the second opinion was trained on these stories)."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert result.score >= classifier.threshold, result.reasons


@pytest.mark.parametrize("row_id", NEAR_MISSES)
def test_cooperatives_beside_the_works_without_a_project_of_their_own_stay_not_sse(
    classifier: Classifier, row_id: str
) -> None:
    """Many cooperatives ("les coopératives", "التعاونيات") beside their products are the road's users, a ceremony's
    exhibitors or guests; a cooperative named once is the venue or the land's donor."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert not result.sse, result.reasons


@pytest.mark.parametrize("row_id", REGIONS)
def test_a_release_names_the_regions_it_covers_not_a_visitors(classifier: Classifier, row_id: str) -> None:
    """A partner region named with its provinces, or in the title, is the story's too, though the home region fills
    the title and the lead; a delegation's, visitors' or buyers' region, listed with its cities, is not."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert result.regions == row["regions"], result.reasons
