"""Issue 19, twelfth rules pass (recall12): the kinds a blind set of 120 hard stories found main missing or flagging,
told as kinds, written again by the project as bench/written_kinds11.jsonl (never the set's stories).

- Mutuals founded and run by their members (artisans, taxi drivers, breeders): "mutuelle" and "التعاضدية" were a
  social-protection negative (main: 0.00); beside the members' founding, joining and paying in they are the field's
  actor, beside the national scheme's funds, files and civil servants not.
- An SSE item in a regional council's session among a list of works (main: 0.00): each kind of works counts once.
- A private company named "La Coopérative" (a coworking space, a restaurant chain): its business frames the story.
- A weekly market town's name holding a region's or province's word (Had Draa, Tnine Chtouka): not that place.
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


MUTUALS_FOUNDED_BY_MEMBERS = [
    "own-k11-fr-mutual-fes-brass",
    "own-k11-ar-mutual-tangier-taxi",
    "own-k11-ar-mutual-taroudant-weavers",
    "own-k11-fr-mutual-benimellal-breeders",
]
NATIONAL_SCHEME = [
    "own-k11-fr-mutual-amo-generalisation-neg",
    "own-k11-ar-mutual-cnops-delays-neg",
    "own-k11-fr-mutual-acaps-report-neg",
]


@pytest.mark.parametrize("row_id", MUTUALS_FOUNDED_BY_MEMBERS)
def test_a_mutual_founded_and_run_by_its_members_is_sse(classifier: Classifier, row_id: str) -> None:
    """Brass-workers, taxi drivers, weavers or breeders founding, joining and paying into their own mutual (main: 0.00,
    "mutuelle" and "التعاضدية" were social protection's negatives)."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert result.sse, result.reasons
    assert "a mutual" in {term.kind for term in result.evidence.terms}


@pytest.mark.parametrize("row_id", NATIONAL_SCHEME)
def test_the_national_insurance_scheme_is_not(classifier: Classifier, row_id: str) -> None:
    """The AMO's generalisation, a public-sector mutual's reimbursement delays, the insurers' figures: not SSE."""
    row = ROWS[row_id]
    assert not classifier.classify(row["title"], row["text"]).sse


def test_which_mutual_the_story_says(classifier: Classifier) -> None:
    """The same mutual word: beside its members founding and paying into it, SSE; beside the civil servants' scheme and
    its sickness files, not (its unless frames the story)."""
    own = classifier.classify(
        "Tiznit : les bijoutiers créent leur mutuelle",
        "Les bijoutiers de Tiznit ont tenu l'assemblée constitutive de leur mutuelle. Chaque adhérent cotise "
        "50 dirhams par mois.",
    )
    scheme = classifier.classify(
        "Tiznit : les fonctionnaires attendent leur mutuelle",
        "Les fonctionnaires de Tiznit attendent le remboursement de leurs dossiers de maladie par la mutuelle. Chaque "
        "adhérent cotise chaque mois. La CNOPS promet de traiter les dossiers de maladie.",
    )
    assert own.sse, own.reasons
    assert not scheme.sse, scheme.reasons


def test_an_sse_item_in_a_councils_list_of_works_is_sse(classifier: Classifier) -> None:
    """A regional council's session adopting roads, water, school transport … and, in a sentence of its own, the
    regional SSE pole that will accompany a cooperative (main: 0.00, each phrase of the works took its penalty and the
    item's groups, late in the list, only supported). Each kind of works now counts once beside the item."""
    title = "مجلس جهة كلميم واد نون يصادق على جميع نقط جدول أعمال دورته العادية"
    works = (
        "صادق مجلس جهة كلميم واد نون خلال دورته العادية على جميع النقط. وتهم هذه النقط تعبيد الطريق الجهوية، وتزويد "
        "الدواوير بالماء الصالح للشرب، وكهربة الدواوير، وبناء ملاعب القرب، وتوفير النقل المدرسي، وتجهيز المراكز الصحية "
        "ودار الطالب."
    )
    item = " كما صادق المجلس على اتفاقية لإحداث القطب الجهوي للاقتصاد الاجتماعي والتضامني ومواكبة تعاونية فلاحية بأسا."
    with_item = classifier.classify(title, works + item)
    without = classifier.classify(title, works)
    assert with_item.sse, with_item.reasons
    assert not without.sse
    # the works' penalty: each kind once (its heaviest phrase), not each road, water tank and school service
    assert len(with_item.evidence.negatives) == 8 and with_item.parts["negatives"] == pytest.approx(-0.9)


@pytest.mark.parametrize("row_id", ["own-k11-fr-coworking-brand-neg", "own-k11-ar-restaurant-brand-neg"])
def test_a_company_named_the_cooperative_is_not_sse(classifier: Classifier, row_id: str) -> None:
    """A coworking start-up called "La Coopérative", a restaurant chain called "التعاونية" (main: 0.45 flagged, 0.30):
    a private company's business frames them; a graduates' real cooperative in Casablanca stays SSE."""
    row = ROWS[row_id]
    assert not classifier.classify(row["title"], row["text"]).sse
    real = ROWS["own-k11-fr-casablanca-graduates-coop"]
    assert classifier.classify(real["title"], real["text"]).sse


@pytest.mark.parametrize(
    ("row_id", "region"),
    [
        ("own-k11-fr-had-draa-souk-women", "MA-07"),
        ("own-k11-ar-had-draa-souk-women", "MA-07"),
        ("own-k11-fr-tnine-chtouka-coop", "MA-06"),
    ],
)
def test_a_market_towns_name_is_not_the_place_it_holds(classifier: Classifier, row_id: str, region: str) -> None:
    """Had Draa (Essaouira) is not the Drâa valley, Tnine Chtouka (El Jadida) not Chtouka-Aït Baha (main: MA-08 and
    MA-09 first)."""
    row = ROWS[row_id]
    result = classifier.classify(row["title"], row["text"])
    assert result.regions[:1] == [region], result.reasons


@pytest.mark.parametrize(
    "row_id",
    [
        "own-k11-fr-check-honey-maamora-in-common",
        "own-k11-fr-check-couscous-figuig-adherentes",
        "own-k11-ar-check-goat-cheese-assa-gie",
    ],
)
def test_producing_together_said_of_the_product_is_sse(classifier: Classifier, row_id: str) -> None:
    """Beekeepers extracting and selling their honey in common, an association's women members rolling couscous, an
    economic interest group's goat cheese: told without "cooperative" (main: 0.19-0.24 for the French two)."""
    row = ROWS[row_id]
    assert classifier.classify(row["title"], row["text"]).sse


@pytest.mark.parametrize(
    "row_id",
    [
        "own-k11-fr-check-olive-oil-prices-together-neg",
        "own-k11-fr-check-honey-contest-jury-neg",
        "own-k11-ar-check-council-members-saffron-neg",
        "own-k11-fr-check-public-transport-octopus-workers-neg",
        "own-k11-ar-check-fishermen-protest-together-neg",
    ],
)
def test_together_words_elsewhere_are_not(classifier: Classifier, row_id: str) -> None:
    """A jury's members tasting honey, oil prices denounced together, public transport, a protest: not SSE."""
    row = ROWS[row_id]
    assert not classifier.classify(row["title"], row["text"]).sse


def test_doing_it_together_counts_only_in_the_products_sentence(classifier: Classifier) -> None:
    """ "En commun" said of the honey anchors the story; said in another sentence than the product, it does not."""
    title = "Tiflet : le miel de la forêt"
    honey = " Leur miel de thym part vers les épiceries de Rabat."
    said_of_it = classifier.classify(
        title, "Près de Tiflet, vingt apiculteurs extraient et vendent leur miel en commun." + honey
    )
    elsewhere = classifier.classify(
        title, "Près de Tiflet, vingt apiculteurs récoltent leur miel. Ils prennent le transport en commun." + honey
    )
    kinds = {term.kind for term in said_of_it.evidence.terms}
    assert "doing it together, said of the product" in kinds
    assert said_of_it.score > elsewhere.score
    assert said_of_it.sse and not elsewhere.sse, (said_of_it.reasons, elsewhere.reasons)
