"""Issue 19, fourth pass: the kinds of error left on a held-out set, each on short stories written for it.

False alarms: a cooperative that is a party in an accident or a trial (the event frames the story, its words
in the title or twice); a housing cooperative whose later bare mentions ("التعاونية", "la coopérative compte …")
read as the field's. Misses: an income project handed over at the INDH's anniversary; women's wages told in
plain words with no field term; associations' products zeroed by "succombé" and "interpellé" in their ordinary
sense. Regions: where the products are sold, a moussem's town, "في الداخلة". Each test fails on main at 5fe5406.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.classify import Classification, Classifier, load_classifier


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The shipped lexicon and gazetteer, with no seeds: scores come from the lexicon alone."""
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


def classify(classifier: Classifier, title: str, text: str) -> Classification:
    return classifier.classify(title, text)


# --- a cooperative as a party in an accident or a trial -------------------------------------------------

EVENTS = {
    "a cooperative's milk truck overturned": (
        "انقلاب شاحنة تعاونية لتجميع الحليب بسيدي قاسم",
        "أصيب سائق شاحنة تعاونية لتجميع الحليب بجروح، بعد انقلاب الشاحنة المحملة بالحليب قرب سيدي قاسم، "
        "وتسرب الحليب على الطريق. وحلت عناصر الوقاية المدنية بعين المكان، ونقل المصاب إلى المستشفى.",
    ),
    "a saffron cooperative's manager sentenced": (
        "سنة حبسا نافذا لمسير تعاونية لإنتاج الزعفران",
        "قضت المحكمة الابتدائية بتارودانت بسنة حبسا نافذا في حق مسير تعاونية لإنتاج الزعفران بتالوين، بعد أن "
        "تسلم الزعفران من الفلاحين دون أن يؤدي ثمنه.",
    ),
    "a dairy cooperative's tanker overturned (fr)": (
        "Un camion de la coopérative laitière se renverse",
        "Le camion de la coopérative laitière de Sidi Bennour s'est renversé mardi, et 5 000 litres de lait "
        "se sont répandus sur la chaussée. Le chauffeur, blessé, a été transporté à l'hôpital.",
    ),
    "a saffron cooperative's manager sentenced (fr)": (
        "Le gérant d'une coopérative de safran condamné à un an de prison ferme",
        "Le tribunal de première instance de Taroudant a condamné le gérant de la coopérative, qui n'avait "
        "pas payé le safran livré par les producteurs.",
    ),
}

# The same kind of cooperative, robbed or in court once, in a story about its production.
PRODUCTION = {
    "a couscous cooperative robbed last winter": (
        "تعاونية نسائية للكسكس بأزيلال تستأنف الإنتاج",
        "استأنفت تعاونية نسائية لإنتاج الكسكس نشاطها، وتبيع الكسكس والعجائن لمحلات بني ملال. وتوزع المداخيل "
        "على العضوات. وكانت التعاونية قد تعرضت لعملية سرقة في الشتاء الماضي.",
    ),
    "a honey cooperative that won its case (fr)": (
        "La coopérative apicole Tamount récolte 900 kilos de miel",
        "La coopérative apicole réunit 18 femmes qui vendent leur miel en vente directe. L'an dernier, elle "
        "avait saisi le tribunal de première instance contre un grossiste qui ne l'avait pas payée.",
    ),
}


@pytest.mark.parametrize("name", EVENTS)
def test_a_cooperative_in_an_accident_or_a_trial_is_not_sse(classifier: Classifier, name: str) -> None:
    """The event named in the title or twice frames the story: the cooperative words then only support."""
    title, text = EVENTS[name]
    result = classify(classifier, title, text)
    assert not result.sse, result.reasons
    for story in PRODUCTION.values():
        assert classify(classifier, *story).sse, story


# The review of the fifth pass (review9): a cooperative's story naming a court or a housing cooperative in passing,
# and a Soulaliyate women's cooperative; all six were SSE at 5fe5406 (0.65-0.74) and scored 0.00-0.23 after it.
IN_PASSING = [
    (  # a housing cooperative named in the lead, as the producers' cooperative's landlord
        "Tiznit : la coopérative Tifaout ouvre un atelier de couscous",
        "Installée au rez-de-chaussée d'un immeuble bâti par une coopérative d'habitat, la coopérative Tifaout a "
        "ouvert cette semaine un atelier de couscous roulé à la main.\nLes trente adhérentes de la coopérative se "
        "partagent les bénéfices, et la présidente de la coopérative annonce un premier contrat avec une épicerie "
        "de Agadir.\nLa coopérative compte doubler sa production avant l'été.",
    ),
    (
        "تعاونية تيفاوت بتيزنيت تفتتح ورشة للكسكس",
        "في مقر اكترته من تعاونية سكنية بحي المسيرة، افتتحت تعاونية تيفاوت ورشة لإنتاج الكسكس المفتول يدويا.\n"
        "وتتقاسم منخرطات التعاونية الثلاثون الأرباح، وأعلنت رئيسة التعاونية عن أول عقد مع متجر بأكادير.\n"
        "وتطمح التعاونية إلى مضاعفة إنتاجها قبل الصيف.",
    ),
    (  # one sentence says the court ruled for the cooperative: two event phrases in it, one event
        "تعاونية للصيد التقليدي بالحسيمة تستأنف نشاطها",
        "استأنفت تعاونية للصيد التقليدي بالحسيمة نشاطها بعد أن أنصفتها المحكمة الابتدائية في نزاع حول رصيف الميناء.\n"
        "وقال رئيس التعاونية إن المنخرطين، وعددهم خمسون بحارا، عادوا إلى البحر بقواربهم، وإن التعاونية ستبيع السمك "
        "مباشرة للمستهلكين.\nوتسعى التعاونية إلى بناء وحدة تبريد لتحسين دخل البحارة.",
    ),
    (
        "Al Hoceima : la coopérative de pêcheurs reprend la mer",
        "La coopérative de pêcheurs artisans d'Al Hoceima a repris son activité après que le tribunal de première "
        "instance lui a donné raison dans un litige foncier sur le quai.\nSelon le président de la coopérative, les "
        "cinquante adhérents sont retournés en mer, et la coopérative vendra le poisson directement aux "
        "consommateurs.\nElle veut construire une chambre froide pour améliorer le revenu des marins.",
    ),
    (  # a Soulaliyate women's cooperative: collective land and its rights-holders are no news event
        "تعاونية نسائية سلالية بالقنيطرة تجني أول محصول من الفراولة",
        "جنت تعاونية نسائية تضم خمسا وعشرين امرأة من ذوي الحقوق بالجماعة السلالية أولاد اوجيه أول محصول من الفراولة"
        " فوق قطعة من الأراضي السلالية خصصت لهن.\nوقالت رئيسة التعاونية إن المنخرطات تقاسمن عائدات البيع الأولى،"
        " وإنهن يستعدن لتوسيع المساحة المزروعة في الموسم المقبل.",
    ),
    (
        "Kénitra : une coopérative de femmes soulaliyates récolte ses premières fraises",
        "Une coopérative de femmes regroupant vingt-cinq ayants droit de la collectivité ethnique Ouled Oujih a récolté"
        " ses premières fraises sur une parcelle des terres collectives qui leur a été attribuée.\nSelon la présidente"
        " de la coopérative, les adhérentes se sont partagé les premières recettes et préparent l'extension de la"
        " surface cultivée la saison prochaine.",
    ),
]


@pytest.mark.parametrize(("title", "body"), IN_PASSING)
def test_a_cooperatives_story_naming_a_housing_cooperative_or_a_court_in_passing_is_sse(title: str, body: str) -> None:
    """An event counts once a sentence; a housing cooperative first named in the body does not take the title's
    cooperative; collective land is land news, not an event that frames the story. With the shipped seeds."""
    result = load_classifier().classify(title, body)
    assert result.sse, result.reasons


# --- the kind of a cooperative's first qualified mention ---------------------------------------------------

HOUSING = {
    "ar": (
        "أعضاء تعاونية سكنية بمراكش يحتجون",
        "احتج أعضاء تعاونية سكنية بمراكش على تأخر تسليم الشقق. وقالوا إن التعاونية التي تضم 300 منخرط لم "
        "تقدم حسابها المالي، وإن التعاونية جمعت مساهماتهم منذ 2016.",
    ),
    "fr": (
        "Agadir : les adhérents d'une coopérative d'habitation attendent leurs logements",
        "La coopérative compte 210 adhérents, qui ont versé chacun 200 000 dirhams. Les membres de la "
        "coopérative demandent un audit ; le président de la coopérative promet la reprise du chantier.",
    ),
}

BESIDE_HOUSING = {
    "ar": (
        "تعاونية نسائية للزرابي تنتقل إلى مقر جديد",
        "انتقلت تعاونية نسائية لنسج الزرابي إلى مقر جديد وضعته رهن إشارتها تعاونية سكنية بالحي. وتضم "
        "التعاونية 24 امرأة، وقالت رئيسة التعاونية إن المداخيل توزع على العضوات بعد بيع كل زربية.",
    ),
    "fr": (
        "La coopérative féminine Al Baraka agrandit son atelier de couscous",
        "Le local a été loué à une coopérative d'habitation du quartier. La coopérative compte 16 femmes qui "
        "roulent le couscous ; la présidente de la coopérative vise l'agrément sanitaire.",
    ),
}


@pytest.mark.parametrize("lang", HOUSING)
def test_bare_mentions_take_the_kind_of_the_first_qualified_mention(classifier: Classifier, lang: str) -> None:
    """After "تعاونية سكنية" the story's "التعاونية" is that housing cooperative (a negative, under its own
    spelling); after a women's cooperative it stays the women's, past a housing one named in passing."""
    housing = classify(classifier, *HOUSING[lang])
    assert not housing.sse, housing.reasons
    assert all(term.kind != "a cooperative's members and officers" for term in housing.evidence.terms)
    assert {n.kind for n in housing.evidence.negatives} == {"housing cooperatives"}
    assert len(housing.evidence.negatives) > 1  # the bare mentions, apart from the qualified one
    beside = classify(classifier, *BESIDE_HOUSING[lang])
    assert beside.sse, beside.reasons
    assert any(term.kind == "a cooperative's members and officers" for term in beside.evidence.terms)


# --- misses --------------------------------------------------------------------------------------------------

INCOME = {
    "poultry units handed over at the INDH's anniversary": (
        "بمناسبة ذكرى إطلاق المبادرة الوطنية.. تسليم معدات لمشاريع تربية الدواجن",
        "بمناسبة الذكرى العشرين لإطلاق المبادرة الوطنية للتنمية البشرية، سلم عامل الإقليم معدات لمشاريع مدرة "
        "للدخل لتربية الدجاج البلدي، في إطار برنامج تحسين الدخل.",
    ),
    "poultry units handed over at the INDH's anniversary (fr)": (
        "Anniversaire de l'INDH : remise de matériel à douze projets d'aviculture",
        "À l'occasion de l'anniversaire du lancement de l'INDH, le gouverneur a remis le matériel de douze "
        "activités génératrices de revenus d'aviculture, dans le cadre du programme d'amélioration du revenu.",
    ),
    "women's wages in plain words (fr)": (
        "À Aït Ourir, des femmes du douar ont désormais un salaire",
        "Quatorze femmes sèchent des figues dans un atelier et touchent un salaire mensuel. « C'est la première "
        "fois que j'ai un revenu stable », dit Khadija. Les recettes couvrent les salaires et l'achat des "
        "fruits ; toutes ont une assurance maladie.",
    ),
    "women's wages in plain words": (
        "نساء دوار أيت عبد الله يحصلن على أجر شهري من ورشة للخياطة",
        "تعمل اثنتا عشرة امرأة في ورشة للخياطة، وتتقاضى كل عاملة ألفي درهم في الشهر، وهو دخل قار غير حياة "
        "أسرهن، والمداخيل تغطي أجور العاملات.",
    ),
}


@pytest.mark.parametrize("name", INCOME)
def test_income_projects_and_wages_said_plainly_are_sse(classifier: Classifier, name: str) -> None:
    """By the rules alone (the score), not the trained second opinion just under the threshold."""
    result = classify(classifier, *INCOME[name])
    assert result.score >= classifier.threshold, result.reasons


def test_succombe_and_interpelle_are_negatives_only_in_their_police_and_accident_sense(classifier: Classifier) -> None:
    """They zeroed a story of associations' rose water and argan oil: "les visiteurs ont succombé au parfum",
    "les présidentes ont interpellé les élus"."""
    ordinary = classify(
        classifier,
        "Les associations de développement de Kelâat M'Gouna vendent leur eau de rose",
        "Les visiteurs ont succombé au parfum des stands : eau de rose, savons, huile d'argan, amlou. Les "
        "présidentes des associations ont interpellé les élus sur le manque de locaux.",
    )
    assert ordinary.evidence.negatives == (), ordinary.reasons
    assert ordinary.score > 0
    police = classify(
        classifier,
        "Accident et arrestation",
        "Le conducteur a succombé à ses blessures. Le suspect a été interpellé par la police.",
    )
    assert {n.kind for n in police.evidence.negatives} == {"road accidents, crime and courts", "police and prosecution"}


def test_an_indh_anniversary_tally_of_works_stays_not_sse(classifier: Classifier) -> None:
    """The ceremony no longer stops the income groups; the works beside it (water, a road) still do."""
    tally = classify(
        classifier,
        "تنغير تخلد ذكرى إطلاق المبادرة الوطنية للتنمية البشرية بتدشين مشاريع للماء والطرق",
        "خلد الإقليم الذكرى العشرين لإطلاق المبادرة الوطنية للتنمية البشرية بتزويد ثلاثة دواوير بالماء الصالح "
        "للشرب وتعبيد طريق بطول 12 كيلومترا، ومن بين المشاريع المنجزة منذ 2005 مشاريع مدرة للدخل.",
    )
    anniversary = classify(classifier, *INCOME["poultry units handed over at the INDH's anniversary"])
    assert not tally.sse and anniversary.sse, (tally.reasons, anniversary.reasons)


# --- regions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "code"),
    [
        (
            "Les femmes de la coopérative Al Wifaq vendent leurs algues à Marrakech",
            "À Dakhla, les membres de la coopérative féminine Al Wifaq sèchent des algues qu'elles vendent à "
            "Marrakech. La coopérative écoule aussi ses produits auprès de restaurants de Marrakech.",
            "MA-12",
        ),
        (
            "تعاونية نسائية في الداخلة تحول السمك إلى مصبرات",
            "أطلقت تعاونية نسائية في الداخلة وحدة لتصبير السمك، وتباع المصبرات في مراكش والدار البيضاء.",
            "MA-12",
        ),
        (
            "Khénifra : la coopérative Itto vend son miel jusqu'à Midelt et Errachidia",
            "La coopérative apicole Itto, dans la commune d'Aguelmous, province de Khénifra, vend une partie de son "
            "miel à des épiceries de Midelt et d'Errachidia et aux visiteurs du moussem d'Imilchil.",
            "MA-05",
        ),
        (
            "تعاونية إيتو تبيع عسلها في موسم إملشيل وأسواق ميدلت والرشيدية",
            "تبيع تعاونية إيتو للنحالين، من جماعة أكلموس بإقليم خنيفرة، عسل الزعتر في موسم إملشيل وفي أسواق ميدلت "
            "والرشيدية، وتوزع الأرباح على الأعضاء.",
            "MA-05",
        ),
    ],
)
def test_where_the_products_are_sold_is_not_the_cooperatives_region(
    classifier: Classifier, title: str, text: str, code: str
) -> None:
    """Selling words and a moussem are [away]; an [away] word ending the title does not reach the body's first
    words; "في الداخلة" is Dakhla."""
    assert classify(classifier, title, text).regions[:1] == [code]


def test_an_ambiguous_name_after_a_preposition_is_a_place_only_where_listed(classifier: Classifier) -> None:
    """ "في الداخلة" is Dakhla; "المكونات الداخلة في صناعته" (the ingredients going into it) stays a phrase, and
    "في المنزل" stays at home (المنزل is not listed)."""
    assert classify(classifier, "", "تعاونية نسائية في الداخلة تصبر السمك").regions == ["MA-12"]
    assert "MA-12" not in classify(classifier, "", "المكونات الداخلة في صناعة الصابون تشتريها التعاونية").regions
    assert "MA-03" not in classify(classifier, "", "تعمل النساء في المنزل ثم يبعن الخبز").regions


def test_after_preposition_names_must_be_ambiguous_names(tmp_path: Path) -> None:
    from rasd.classify.regions import load_gazetteer
    from rasd.config import ConfigError

    shipped = (Path(__file__).resolve().parent.parent / "config" / "regions.toml").read_text(encoding="utf-8")
    broken = tmp_path / "regions.toml"
    broken.write_text(shipped.replace('after_preposition = ["الداخلة"', 'after_preposition = ["الرباط"'), "utf-8")
    with pytest.raises(ConfigError, match="after_preposition: 'الرباط' is not an ambiguous name"):
        load_gazetteer(broken)
