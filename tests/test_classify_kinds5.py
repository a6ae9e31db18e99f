"""Issue 19, fifth rules pass: the kinds of error a held-out set of messy real-style stories showed, each on
short stories written for it (bench/written_kinds5.jsonl holds longer ones).

Misses: an official tour or inauguration listing the INDH's works of which one is a women's cooperative or an
income project (the works stopped and outweighed it); an INDH income programme told in French without a
cooperative in the title or lead; an association's restaurant selling ftour menus ("ftour" was charity); a fishing
cooperative whose cold room a foreign cooperation agency paid for; a cooperative declaring its women workers for
health coverage. False alarm: an INDH balance sheet counting its income projects. Regions: where a fair's visitors
came from. Each test fails on main at 315fd18.
"""

from __future__ import annotations

import pytest

from rasd.classify import Classifier, load_classifier


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The shipped lexicon and gazetteer, with no seeds: scores come from the lexicon alone."""
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


# --- a tour of the INDH's works, one of them the SSE project --------------------------------------------------

TOURS = {
    "a women's cooperative among a road, water and a sports field": (
        "عامل إقليم جرادة يتفقد مشاريع المبادرة الوطنية للتنمية البشرية",
        "قام عامل إقليم جرادة بجولة شملت مشاريع المبادرة الوطنية للتنمية البشرية. وتفقد أشغال تعبيد الطريق الرابطة "
        "بين لعوينات ودوار أولاد سيدي علي، ومشروع تزويد أربعة دواوير بالماء الصالح للشرب، وملعب القرب بتيولي. "
        "وبكنفودة، اطلع على تجهيزات تعاونية نسائية لتقطير النباتات العطرية، استفادت في إطار برنامج تحسين الدخل "
        "من وحدة للتقطير تشغل 17 امرأة.",
    ),
    "a women's cooperative among a road, water and a sports field (fr)": (
        "Jerada : le gouverneur s'enquiert des projets de l'INDH",
        "Le gouverneur a effectué une tournée des projets de l'INDH. Il a visité la route rurale reliant Laaouinate "
        "au douar Ouled Sidi Ali, le projet d'eau potable de quatre douars et un terrain de proximité. À Guenfouda, "
        "il a inspecté l'unité de distillation d'une coopérative féminine, équipée dans le cadre du programme "
        "d'amélioration du revenu, qui emploie 17 femmes.",
    ),
}

WORKS = {
    "roads, water and a sports field only": (
        "عامل إقليم بني ملال يتفقد مشاريع البنيات التحتية",
        "قام عامل الإقليم بجولة تفقدية لمشاريع المبادرة الوطنية للتنمية البشرية، شملت تعبيد المسلك الطرقي الرابط "
        "بين تاكزيرت ودوار آيت عبد الله، وتزويد سبعة دواوير بالماء الصالح للشرب، وملعب القرب بفم العنصر.",
    ),
    "the cooperatives attending, the road helping them": (
        "عامل إقليم زاكورة يطلق مشاريع للطرق والماء",
        "أعطى عامل الإقليم انطلاقة تعبيد الطريق الرابطة بين تازارين ودوار آيت ولال، وتزويد خمسة دواوير بالماء "
        "الصالح للشرب، وملعب القرب، في إطار المبادرة الوطنية للتنمية البشرية. وأكد رئيس الجماعة أن الطريق "
        "ستسهل على التعاونيات الفلاحية تسويق منتوجاتها. وحضر الحفل المنتخبون وعدد من رؤساء التعاونيات والجمعيات.",
    ),
    "a women's cooperative's stand at the inauguration (fr)": (
        "Tiznit : le gouverneur inaugure des projets d'eau potable et de pistes",
        "Le gouverneur a inauguré le projet d'eau potable de sept douars, une piste rurale de 11 kilomètres et une "
        "unité de préscolaire, réalisés par l'INDH. En marge de la cérémonie, il s'est arrêté au stand d'une "
        "coopérative féminine qui présentait son huile d'argan.",
    ),
}


@pytest.mark.parametrize("name", TOURS)
def test_the_sse_project_of_a_tour_is_sse(classifier: Classifier, name: str) -> None:
    """Told in a sentence of its own, the women's cooperative is not one of the tour's works (``own_sentence``
    beside ``local`` negatives); the works alone, the cooperatives attending, a cooperative's stand stay not SSE."""
    result = classifier.classify(*TOURS[name])
    assert result.sse, result.reasons
    for story in WORKS.values():
        assert not classifier.classify(*story).sse, story


# --- the INDH's income programme in French; its balance sheet -------------------------------------------------

INCOME = {
    "couscous rolled by the women, the programme named last": (
        "Taourirt : 20 femmes d'El Aioun formées au roulage du couscous",
        "La province de Taourirt a organisé jeudi, au siège de la commune d'El Aioun Sidi Mellouk et en présence "
        "du gouverneur, du président du conseil provincial, des autorités locales, des élus et des chefs des "
        "services extérieurs, une cérémonie de remise des attestations à vingt femmes ayant suivi une formation "
        "de trois mois au roulage et au conditionnement du couscous. Elles disposent "
        "d'un local équipé d'une rouleuse et d'un séchoir, et vendent leur couscous dans les épiceries de la "
        "région. Ce projet a été financé par l'INDH dans le cadre du programme d'amélioration du revenu.",
    ),
    "a milk unit among the INDH's income projects": (
        "Sefrou : une unité de collecte de lait inaugurée à Aghbalou Aqorar",
        "Une unité de collecte et de transformation du lait a été inaugurée mercredi dans la commune d'Aghbalou "
        "Aqorar, province de Sefrou, en présence du gouverneur, du président du conseil provincial, des élus, des "
        "autorités locales et des représentants des services extérieurs et de l'Office national de sécurité "
        "sanitaire des produits alimentaires. "
        "Elle est gérée par quinze femmes éleveuses, qui y livrent chaque matin le lait de leurs vaches et en font "
        "du fromage frais. Financée par l'INDH, elle fait partie des projets générateurs de revenus destinés aux "
        "femmes rurales.",
    ),
}


@pytest.mark.parametrize("name", INCOME)
def test_an_indh_income_project_told_in_french_is_sse(classifier: Classifier, name: str) -> None:
    """The income strand beside the INDH's funding anchors the story (``core_with``): the rules keep it, not only
    the second opinion."""
    result = classifier.classify(*INCOME[name])
    assert result.score >= classifier.threshold, result.reasons


def test_an_indh_balance_sheet_counting_income_projects_is_not_sse(classifier: Classifier) -> None:
    """Counted ("dont 96 projets générateurs de revenus"), the income projects are a tally's item (``counted``)."""
    result = classifier.classify(
        "Errachidia : le comité provincial de développement humain dresse son bilan",
        "Le bilan de l'INDH depuis 2019 : 420 projets, dont 96 projets générateurs de revenus, et 60 000 "
        "bénéficiaires. Le comité a approuvé la programmation de l'année prochaine.",
    )
    assert not result.sse, result.reasons


# --- ftour sold, ftour given; a cooperation agency; workers' health coverage ------------------------------------


def test_a_solidarity_restaurants_ftour_is_not_charity(classifier: Classifier) -> None:
    restaurant = classifier.classify(
        "Fès : le ftour du restaurant de l'association Amal fait le plein",
        "Pendant le Ramadan, le restaurant de l'association affiche complet. Pour 50 dirhams, les clients prennent "
        "un ftour complet préparé par dix femmes qu'elle a formées. Les recettes paient les salaires des "
        "cuisinières, et les commandes de ftour couvrent la moitié du loyer. Le projet a reçu l'appui de l'INDH.",
    )
    assert restaurant.sse, restaurant.reasons
    charity = classifier.classify(
        "Tanger : l'association Al Ihsane distribue 800 ftours par jour",
        "L'association sert gratuitement le ftour aux démunis, avec des dattes, du lait et du couscous le vendredi. "
        "Elle distribue aussi des paniers alimentaires aux familles démunies.",
    )
    assert not charity.sse, charity.reasons


def test_a_cooperation_agency_funding_a_fishing_cooperative_is_no_international_cooperation(
    classifier: Classifier,
) -> None:
    result = classifier.classify(
        "Tarfaya : les pêcheurs se dotent d'une chambre froide",
        "Au point de débarquement, le poisson est désormais stocké dans la chambre froide de la coopérative de "
        "pêcheurs, financée avec l'appui de l'Agence japonaise de coopération internationale.",
    )
    assert result.sse, result.reasons
    assert "international cooperation" not in " ".join(result.reasons)


def test_women_workers_declared_for_health_coverage_is_their_livelihood(classifier: Classifier) -> None:
    """The workers declared to social security by their cooperative are what their work gives them, not a story
    of the social-protection schemes (the longer phrase wins over the negative inside it)."""
    result = classifier.classify(
        "عاملات تعاونية للكسكس يستفدن من التغطية الصحية",
        "أصبحت 14 عاملة بتعاونية الخير لإنتاج الكسكس يستفدن من التغطية الصحية، بعد أن قررت التعاونية التصريح "
        "بالعاملات في الضمان الاجتماعي. وتتقاضى العاملات أجرا شهريا، وتقول إحداهن إن التغطية الصحية أعفتها من "
        "الاقتراض.",
    )
    assert result.sse, result.reasons
    assert "العاملات في الضمان الاجتماعي" in [term.label for term in result.evidence.terms]
    assert "الضمان الاجتماعي" not in [term.label for term in result.evidence.negatives]


# --- regions --------------------------------------------------------------------------------------------------


def test_where_a_fairs_visitors_came_from_is_not_a_region(classifier: Classifier) -> None:
    result = classifier.classify(
        "المعرض الجهوي للتعاونيات بالحسيمة يستقطب 30 ألف زائر",
        "شاركت 120 تعاونية من الحسيمة في المعرض الجهوي للاقتصاد الاجتماعي والتضامني. وزار المعرض 30 ألف زائر، "
        "من بينهم زوار قادمين من فاس والرباط والدار البيضاء.",
    )
    assert result.regions == ["MA-01"], result.reasons
