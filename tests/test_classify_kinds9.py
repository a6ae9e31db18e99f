"""Issue 19, tenth rules pass: SSE told through a product and its place, tours whose cooperatives are one stop among
the works, where a story happens, and cooperatives merely present at an event (bench/written_kinds9.jsonl).

- A product told through those who make it — the women of a douar, "one of the producers", small producers bringing
  their fruit — or through a valorisation unit (a rosemary still, a cactus or dates unit, a couscous-rolling workshop)
  that the INDH funded or an association runs, with the cooperative named once, only in the title, or not at all:
  0.18-0.29 on main, SSE now by the rules alone.
- A tour inaugurating a sales space for cooperatives between a school and a track (main: 0.36), or stopping at one
  cooperative in the sentence of the works and coming back to it in a sentence of its own (main: stopped, 0.00).
- A shop or a showroom selling one region's cooperatives' products in Casablanca: the city its title names first is
  where the story happens, its first region, the products' region second (main: Souss-Massa alone, the Oriental first).
- A cooperative whose town is named only by its dateline ("الداخلة – …", an ambiguous name) keeps its region over the
  cities its oysters are sold in (main: Marrakech and Agadir).
- A weekly market's opening and an arts festival where cooperatives hold stands (main: 0.44 and 0.49, flagged).
"""

from __future__ import annotations

import pytest

from rasd.classify import Classifier
from tests.written_rows import classifier, written_rows

__all__ = ["classifier"]  # the rules-only classifier fixture, used by name

ROWS = written_rows("written_kinds9.jsonl")

# the product and its place: producers, the women of the douar, a valorisation unit (main: 0.18-0.29)
TOLD_THROUGH_THE_PRODUCT = [
    "own-k9-fr-saffron-producers-once",  # the cooperative named once, late, in a quote
    "own-k9-ar-rosemary-unit-indh-tendrara",
    "own-k9-fr-rosemary-unit-indh-debdou",
    "own-k9-ar-cactus-valorisation-unit-sidi-ifni",
    "own-k9-fr-cactus-unit-rhamna",
    "own-k9-ar-dates-unit-erfoud",
    "own-k9-fr-honey-unit-azilal",
    "own-k9-fr-couscous-unit-ouezzane-indh",  # a road in a related story's headline does not stop the INDH's workshop
    # written after the rules above, as a check: missed by them (0.08-0.20), hence a model unit, a drying unit, a
    # workshop extracting the oil, "the women of the village" and "each woman"
    "own-k9-ar-couscous-model-unit-women-village",
    "own-k9-fr-figs-drying-unit-women-village",
    "own-k9-ar-argan-title-coop-quoted-name",
    # kept: found on main too
    "own-k9-ar-saffron-title-only-douar",
    "own-k9-ar-honey-imouzzer-producers-title",
    "own-k9-fr-argan-women-douar-essaouira",
    "own-k9-ar-roses-kalaat-women-once",
]

# a tour whose cooperatives are one part of the visit among others
TOURS = [
    "own-k9-ar-tour-sales-space-one-sentence",  # main: 0.36
    "own-k9-ar-governor-visits-coop-headquarters",  # the cooperative's premises visited; main: 0.03
    "own-k9-fr-tour-minister-unit-cactus-one-sentence",
    "own-k9-fr-indh-committee-agr-visit",
    # a second check set, written later (found on main too)
    "own-k9-ar-wali-tour-coop-one-clause-list",
    "own-k9-fr-governor-tour-several-coops",
    "own-k9-ar-governor-tour-coops-products-exhibit",
    "own-k9-ar-honey-producers-association",
    "own-k9-fr-coop-title-only-oil-women",
    # kept: found on main too
    "own-k9-ar-governor-tour-exhibition-coops",
    "own-k9-fr-wali-tour-sales-space",
    "own-k9-ar-minister-tour-province-coops",
    "own-k9-fr-indh-caravan-coops",
    "own-k9-ar-governor-tour-sss-exhibition-midelt",
    "own-k9-fr-governor-tour-agr-sidi-bennour",
    "own-k9-ar-tour-coop-products-among-works-chichaoua",
    "own-k9-fr-minister-visit-province-ess-pole",
    "own-k9-ar-delegation-indh-income-projects",
    "own-k9-fr-caravan-ess-sales-among-services",
]

# must stay not SSE: the product without its producers' group, tours of works only, stands at another event, the
# INDH's services, microcredit, a hotel
NEAR_MISSES = [
    "own-k9-ar-market-opening-coop-stands-neg",  # main: 0.44
    "own-k9-fr-festival-coop-stands-neg",  # main: 0.49
    # "small producers" of farm news beside their product: flagged by a first version of this pass (0.45, 0.50)
    "own-k9-ar-olive-small-producers-drought-neg",
    "own-k9-fr-saffron-small-producers-fraud-neg",
    "own-k9-ar-investor-dates-unit-neg",
    "own-k9-fr-sports-field-inauguration-coops-exhibit-neg",
    "own-k9-ar-festival-music-coops-stalls-neg",
    "own-k9-fr-microcredit-women-loans-neg",
    # the second check set: a farm show's tractors and seeds (main: 0.46), the INDH's school buses and the cooperatives'
    # exhibition on the ceremony's margin, a short story all lead (main: 0.55), guest houses' occupancy
    "own-k9-fr-agricultural-fair-exhibitors-neg",
    "own-k9-ar-indh-school-transport-coops-neg",
    "own-k9-ar-guesthouse-tourism-figures-neg",
    "own-k9-ar-saffron-harvest-prices-neg",
    "own-k9-fr-argan-company-export-neg",
    "own-k9-ar-rosemary-forest-auction-neg",
    "own-k9-fr-dates-fair-market-prices-neg",
    "own-k9-ar-governor-tour-works-only-neg",
    "own-k9-fr-governor-tour-works-only-neg",
    "own-k9-ar-indh-caravan-health-neg",
    "own-k9-fr-wali-tour-urban-works-neg",
    "own-k9-ar-marathon-coop-stands-neg",
    "own-k9-fr-indh-preschool-water-neg",
    "own-k9-ar-indh-ceremony-anniversary-neg",
    "own-k9-fr-microcredit-results-neg",
    "own-k9-ar-hotel-opening-local-products-neg",
    "own-k9-ar-tour-road-helps-coops-neg",
    "own-k9-fr-tour-water-school-coops-guests-neg",
]

# where the story happens: a sales space's city, a supplying cooperative's own place, a dateline's town
REGIONS = [
    "own-k9-ar-dakhla-dateline-oysters-sold-elsewhere",  # main: Marrakech, Agadir, Casablanca
    "own-k9-ar-casablanca-shop-souss-coops",  # main: Souss-Massa alone (the shop's city after "محل", set aside)
    "own-k9-fr-casablanca-showroom-oriental-coops",  # main: the Oriental first
    "own-k9-fr-rabat-space-draa-coops",  # main: Drâa-Tafilalet first
    "own-k9-ar-tangier-shop-many-regions",
    "own-k9-ar-casablanca-shop-coops-products",
    "own-k9-fr-casablanca-shop-coops-products",
    "own-k9-ar-rabat-ess-exhibition-national",
    "own-k9-fr-casablanca-point-of-sale-coops",
    "own-k9-ar-tiznit-coop-sells-in-casablanca",
    "own-k9-fr-taliouine-coop-casablanca-shops",
]


@pytest.mark.parametrize("row_id", TOLD_THROUGH_THE_PRODUCT + TOURS)
def test_a_product_told_through_its_producers_or_a_tours_cooperatives_are_sse(
    classifier: Classifier, row_id: str
) -> None:
    """The women of the douar, the producers or an INDH-funded valorisation unit beside what they make are the story's
    producers' group, whether or not a cooperative is named; a sales space inaugurated, a cooperative's stop, an SSE
    exhibition or an income project visited between the roads, the water and the schools is what a tour is reported
    for: by the rules alone."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert result.score >= classifier.threshold, result.reasons


def test_a_cooperative_stopped_at_and_come_back_to_is_not_stopped_by_the_works(classifier: Classifier) -> None:
    """Told once with its women and their dates in the sentence of the water network, then promised a cold room in a
    sentence of its own, the cooperative is not what the works serve: its weight counts (main: 0.00). Thin as it is
    (one stop, two works), the rules alone leave it under the threshold; the point here is that it is not stopped."""
    row = ROWS["own-k9-fr-tour-coop-visited-one-sentence"]
    result = classifier.classify(row["title"], row["text"])
    assert result.score > 0.3, result.reasons
    assert not any("count little" in reason for reason in result.reasons), result.reasons


@pytest.mark.parametrize("row_id", NEAR_MISSES)
def test_products_stands_and_works_without_a_producers_story_stay_not_sse(classifier: Classifier, row_id: str) -> None:
    """Cooperatives holding stands at a market's opening, a festival or a race, a harvest's prices, a factory, a tour
    of works, the INDH's services, microcredit and a hotel are not SSE stories."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert not result.sse, result.reasons


@pytest.mark.parametrize("row_id", REGIONS)
def test_the_region_is_where_the_story_happens(classifier: Classifier, row_id: str) -> None:
    """First region and the exact set: a shop or an exhibition selling many regions' products is its city's; a
    cooperative selling in Casablanca keeps its own; a town named only by the dateline is still the story's."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert result.regions[:1] == row["regions"][:1], result.reasons
    assert set(result.regions) == set(row["regions"]), result.reasons
