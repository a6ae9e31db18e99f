"""The classify stage: SSE scoring, hard negatives, regions, seeds, reasons, threshold.

Every story here was written for these tests (none is taken from the development corpus or a news site).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.classify import DEFAULT_THRESHOLD, Classification, Classifier, load_classifier, second_opinion
from rasd.classify.lexicon import load_lexicon
from rasd.config import ConfigError

REPO = Path(__file__).resolve().parent.parent
SHIPPED_LEXICON = REPO / "config" / "lexicon.toml"


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The shipped lexicon and gazetteer, with no seeds: scores come from the lexicon alone."""
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


@pytest.fixture(scope="module")
def seeded() -> Classifier:
    """The shipped lexicon, gazetteer and the repository's five reference stories."""
    return load_classifier(seeds_dir=REPO / "seeds")


def classify(classifier: Classifier, title: str, text: str, **kwargs: str) -> Classification:
    return classifier.classify(title, text, **kwargs)


def reasons_text(result: Classification) -> str:
    return "\n".join(result.reasons)


FILLER_AR = (
    "وعرفت المدينة خلال الأسابيع الماضية أشغالا لتوسيع الطريق الرئيسية وتجديد الإنارة العمومية، "
    "كما أعلنت السلطات المحلية عن برنامج لصيانة المدارس قبل الدخول المدرسي المقبل. "
)
FILLER_FR = (
    "La ville a connu ces dernières semaines des travaux d'élargissement de la route principale et le "
    "renouvellement de l'éclairage public, tandis que les autorités ont annoncé l'entretien des écoles. "
)

# --- positives, one per kind of SSE story ----------------------------------------------------------

POSITIVES = {
    "sse-forum-ar": (
        "بني ملال تحتضن منتدى جهويا للاقتصاد الاجتماعي والتضامني",
        "احتضنت مدينة بني ملال يوم السبت منتدى جهويا حول الاقتصاد الاجتماعي والتضامني بمشاركة ممثلين "
        "عن التعاونيات والجمعيات بجهة بني ملال خنيفرة. وناقش المشاركون سبل تسويق منتوجات التعاونيات "
        "وتقوية قدرات أعضائها.",
    ),
    "cooperatives-ar": (
        "تأسيس عشرين تعاونية فلاحية جديدة بإقليم تاونات",
        "أعلنت السلطات الإقليمية بتاونات عن تأسيس عشرين تعاونية فلاحية جديدة خلال الأشهر الستة الأولى "
        "من السنة، تنشط أغلبها في إنتاج زيت الزيتون والعسل. وتضم هذه التعاونيات أزيد من ثلاثمائة منخرط.",
    ),
    "odco-ar": (
        "مكتب تنمية التعاون ينظم دورة تكوينية لفائدة التعاونيات بالرشيدية",
        "نظمت المندوبية الجهوية لمكتب تنمية التعاون بالرشيدية دورة تكوينية لفائدة رؤساء التعاونيات حول "
        "التسيير المالي والتشريع التعاوني، بحضور ممثلي الاتحاد الجهوي للتعاونيات.",
    ),
    "indh-agr-ar": (
        "المبادرة الوطنية للتنمية البشرية تمول مشاريع مدرة للدخل بإقليم خنيفرة",
        "صادقت اللجنة الإقليمية للتنمية البشرية بخنيفرة على تمويل ثلاثين مشروعا مدرا للدخل لفائدة "
        "الشباب والنساء، في إطار البرنامج الثالث للمبادرة الخاص بتحسين الدخل والإدماج الاقتصادي للشباب.",
    ),
    "terroir-fair-ar": (
        "افتتاح المعرض الجهوي للمنتجات المجالية بالداخلة",
        "افتتح بالداخلة المعرض الجهوي للمنتجات المجالية بمشاركة خمسين تعاونية وجمعية من جهة الداخلة "
        "وادي الذهب، تعرض منتجات مجالية من بينها الأسماك المجففة والحليب ومشتقاته.",
    ),
    "women-coop-ar": (
        "تعاونية نسائية للأركان بالصويرة تفوز بجائزة وطنية",
        "فازت تعاونية نسائية لإنتاج زيت الأركان بإقليم الصويرة بجائزة وطنية للجودة، وتضم التعاونية "
        "أربعين امرأة من الدواوير المجاورة يعملن في جمع الأركان وعصره وتسويقه.",
    ),
    "programme-ar": (
        "إطلاق برنامج مواكبة لفائدة التعاونيات بجهة سوس ماسة",
        "أعطيت بأكادير انطلاقة برنامج مواكبة الموجه للتعاونيات والمقاولات الاجتماعية بجهة سوس ماسة، "
        "ويهدف البرنامج إلى تقوية قدرات الفاعلين في الاقتصاد الاجتماعي والتضامني.",
    ),
    "microcredit-ar": (
        "القروض الصغرى تدعم الأنشطة المدرة للدخل في العالم القروي",
        "أفادت جمعية للقروض الصغرى بأنها منحت أزيد من ألفي قرض لفائدة نساء قرويات بإقليم شيشاوة لتمويل "
        "أنشطة مدرة للدخل في تربية الماشية والخياطة.",
    ),
    "fair-trade-fr": (
        "Commerce équitable : des coopératives d'Agadir exportent leur huile d'argan",
        "Trois coopératives de la région d'Agadir ont obtenu une certification de commerce équitable pour "
        "leur huile d'argan. Ces coopératives regroupent plus de deux cents femmes rurales.",
    ),
    "ess-fair-fr": (
        "Oujda accueille le salon régional de l'économie sociale et solidaire",
        "Le salon régional de l'économie sociale et solidaire s'est ouvert à Oujda avec la participation de "
        "cent vingt coopératives et associations de la région de l'Oriental, qui exposent des produits du "
        "terroir.",
    ),
    "indh-agr-fr": (
        "INDH : 40 activités génératrices de revenus financées à Khouribga",
        "Le comité provincial de l'Initiative nationale pour le développement humain (INDH) de Khouribga a "
        "validé le financement de quarante activités génératrices de revenus portées par des coopératives.",
    ),
    "microfinance-fr": (
        "Le microcrédit au service des femmes rurales de Taza",
        "Une association de microcrédit a accordé cette année plus de mille prêts à des femmes rurales de la "
        "province de Taza, principalement pour des activités génératrices de revenus.",
    ),
    "terress-fr": (
        "Terr'ESS : les régions francophones se réunissent à Agadir",
        "Le programme Terr'ESS, qui soutient l'économie sociale et solidaire dans les territoires "
        "francophones, a réuni à Agadir des élus de la région Souss-Massa et de plusieurs pays.",
    ),
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_positive_stories_are_sse(classifier: Classifier, name: str) -> None:
    title, text = POSITIVES[name]
    result = classify(classifier, title, text)
    assert result.sse, (name, result.score, result.reasons)
    assert any(reason.startswith("matched: ") for reason in result.reasons)


# --- hard negatives -----------------------------------------------------------------------------------

NEGATIVES = {
    "diplomacy-ar": (
        "المغرب وموريتانيا يوقعان اتفاقية تعاون في مجال الطاقة",
        "وقع وزير الشؤون الخارجية والتعاون الدولي ونظيره الموريتاني اتفاقية تعاون في مجال الطاقة، "
        "وأكد الجانبان على أهمية التعاون الثنائي وتعزيز التعاون جنوب جنوب، كما تطرقا إلى علاقات التعاون "
        "مع دول مجلس التعاون الخليجي.",
    ),
    "political-solidarity-ar": (
        "وقفة تضامنية أمام البرلمان",
        "نظمت هيئات حقوقية وقفة تضامنية أمام البرلمان بالرباط، عبر خلالها المشاركون عن التضامن مع "
        "الشعب الفلسطيني، ورفعوا شعارات تؤكد تضامنهم مع ضحايا الحرب.",
    ),
    "ministry-title-ar": (
        "الوزيرة تدشن فندقا جديدا بمراكش",
        "دشنت وزيرة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني فندقا جديدا بمراكش يضم "
        "مائتي غرفة، وأكدت وزيرة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني أن المدينة "
        "تستعد لاستقبال عدد قياسي من السياح هذا الصيف.",
    ),
    "solidarity-insurance-ar": (
        "صندوق التضامن ضد الوقائع الكارثية يعوض المتضررين",
        "شرع صندوق التضامن ضد الوقائع الكارثية في صرف التعويضات للأسر المتضررة من الفيضانات، في إطار "
        "نظام التغطية الذي يجمع بين التأمين والتضامن الوطني، كما أعلنت الحكومة عن توسيع الحماية "
        "الاجتماعية لتشمل فئات جديدة.",
    ),
    "sports-club-ar": (
        "الجمعية الرياضية السلاوية تفوز على نادي الوداد",
        "فازت الجمعية الرياضية السلاوية على نادي الوداد بهدفين لصفر في مباراة قوية برسم البطولة "
        "الوطنية لكرة القدم، وشكر رئيس النادي المبادرة الوطنية للتنمية البشرية على تأهيل الملعب.",
    ),
    "late-mention-ar": (
        "أشغال توسيع الطريق الرابطة بين المدينة والمطار",
        FILLER_AR * 6 + "وفي سياق آخر استفادت تعاونية فلاحية بالمنطقة من شاحنة.",
    ),
    "decentralised-cooperation-fr": (
        "Coopération décentralisée : l'Oriental et la Bretagne signent un accord",
        "La région de l'Oriental et la région Bretagne ont signé un accord de coopération décentralisée "
        "portant sur la formation et la gestion de l'eau. Cette coopération internationale doit durer "
        "trois ans, selon le ministère des affaires étrangères.",
    ),
    "social-news-fr": (
        "Protection sociale : la généralisation de l'assurance maladie avance",
        "La généralisation de la protection sociale se poursuit avec l'inscription de nouveaux bénéficiaires "
        "à l'assurance maladie obligatoire. Le gouvernement a salué la solidarité nationale et le dialogue "
        "social avec les syndicats.",
    ),
    "sports-club-fr": (
        "Football : le club de Berkane remporte le championnat",
        "Le club de football de Berkane a remporté le championnat national après une victoire à domicile. "
        "L'association sportive a remercié ses supporters.",
    ),
    "late-mention-fr": (
        "Travaux : la route de l'aéroport élargie",
        FILLER_FR * 6 + "Par ailleurs, une coopérative locale a reçu un camion.",
    ),
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_hard_negatives_do_not_fire(classifier: Classifier, name: str) -> None:
    title, text = NEGATIVES[name]
    result = classify(classifier, title, text)
    assert not result.sse, (name, result.score, result.reasons)


def test_negatives_are_named_in_reasons(classifier: Classifier) -> None:
    result = classify(classifier, *NEGATIVES["diplomacy-ar"])
    assert "negative: التعاون الثنائي ×1 (international cooperation)" in result.reasons
    assert result.parts["negatives"] < 0


def test_ministry_title_swallows_the_sse_words_inside_it(classifier: Classifier) -> None:
    result = classify(classifier, *NEGATIVES["ministry-title-ar"])
    assert result.parts["terms"] == 0
    assert "ministry title" in reasons_text(result)


def test_ministry_title_does_not_hide_a_real_sse_story(classifier: Classifier) -> None:
    text = (
        "نظمت وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني بفاس يوما دراسيا حول "
        "الاقتصاد الاجتماعي والتضامني، بمشاركة التعاونيات والجمعيات، لتقديم برامج دعم التعاونيات."
    )
    result = classify(classifier, "يوم دراسي حول الاقتصاد الاجتماعي والتضامني بفاس", text)
    assert result.sse
    assert result.regions == ["MA-03"]


def test_a_single_late_mention_counts_less_than_the_same_term_in_the_lead(classifier: Classifier) -> None:
    late = classify(classifier, "أشغال الطريق", FILLER_AR * 6 + "واستفادت تعاونية فلاحية من شاحنة.")
    lead = classify(classifier, "أشغال الطريق", "واستفادت تعاونية فلاحية من شاحنة. " + FILLER_AR * 6)
    assert late.parts["isolation"] < 0
    assert "single late mention" in reasons_text(late)
    assert lead.score > late.score


def test_terms_in_the_title_weigh_more(classifier: Classifier) -> None:
    body = FILLER_AR * 3 + "وتضم التعاونيات المحلية مئات المنخرطين."
    in_title = classify(classifier, "التعاونيات المحلية تطلب الدعم", body)
    no_title = classify(classifier, "مطالب بالدعم", body)
    assert in_title.score > no_title.score
    assert in_title.parts["position"] > no_title.parts["position"]


# --- clitics and spellings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "قدمت الجهة دعما للتعاونيات الفلاحية",
        "وبالتعاونية الفلاحية تشتغل عشرون امرأة",
        "فالتعاونيات تلعب دورا مهما",
        "تعاونيتين فلاحيتين",
    ],
)
def test_arabic_clitic_forms_of_cooperatives_match(classifier: Classifier, sentence: str) -> None:
    result = classify(classifier, "", sentence)
    assert any(r.startswith("matched: ") for r in result.reasons), result.reasons


def test_indh_matches_its_clitic_spelling_and_harakat(classifier: Classifier) -> None:
    result = classify(classifier, "", "مشاريعُ المبادرةِ الوطنيةِ للتّنميةِ البشريّةِ في القرى")
    # matched on its normalised words; named as the story writes it, harakat and all (what a reader finds in it)
    assert "matched: المبادرةِ الوطنيةِ للتّنميةِ البشريّةِ ×1" in result.reasons


def test_international_cooperation_word_alone_is_not_a_cooperative(classifier: Classifier) -> None:
    result = classify(classifier, "", "تعزيز التعاون بين البلدين في مجال التكوين والتعاون الاقتصادي")
    assert result.parts["terms"] == 0


def test_reasons_show_the_words_as_published(classifier: Classifier) -> None:
    result = classify(classifier, "", "تعاونيّة نسائية جديدة")
    assert any("تعاونيّة نسائية" in r for r in result.reasons), result.reasons


# --- regions ----------------------------------------------------------------------------------------

SSE_SENTENCE_FR = "La création de nouvelles coopératives agricoles a été annoncée par l'ODCO."


@pytest.mark.parametrize(
    ("place", "codes"),
    [
        ("Souss-Massa-Draâ", ["MA-09"]),
        ("Guelmim-Smara", ["MA-10"]),
        ("Guelmim-Es Semara", ["MA-10"]),
        ("Meknès-Tafilalet", ["MA-03"]),
        ("Gharb-Chrarda-Beni Hssen", ["MA-04"]),
        ("Tadla-Azilal", ["MA-05"]),
        ("Chaouia-Ouardigha", ["MA-06"]),
        ("Marrakech-Tensift-Al Haouz", ["MA-07"]),
        ("Taza-Al Hoceima-Taounate", ["MA-03"]),
        ("Oued Ed-Dahab-Lagouira", ["MA-12"]),
        ("Laâyoune-Boujdour-Sakia El Hamra", ["MA-11"]),
        ("Grand Casablanca", ["MA-06"]),
        ("Rabat-Salé-Zemmour-Zaër", ["MA-04"]),
        ("Tanger-Tétouan", ["MA-01"]),
        ("l'Oriental", ["MA-02"]),
        ("Fès-Boulemane", ["MA-03"]),
        ("Drâa-Tafilalet", ["MA-08"]),
        ("Dakhla-Oued Ed-Dahab", ["MA-12"]),
    ],
)
def test_old_and_current_french_region_names(classifier: Classifier, place: str, codes: list[str]) -> None:
    result = classify(classifier, "", f"Dans la région de {place}, {SSE_SENTENCE_FR}")
    assert result.regions == codes, result.reasons


def test_doukkala_abda_maps_to_both_of_todays_regions(classifier: Classifier) -> None:
    result = classify(classifier, "", f"Dans la région Doukkala-Abda, {SSE_SENTENCE_FR}")
    assert sorted(result.regions) == ["MA-06", "MA-07"]


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("نظم لقاء بأكادير حول التعاونيات", "MA-09"),
        ("نظم لقاء باكادير حول التعاونيات", "MA-09"),
        ("Une rencontre à Agadir sur les coopératives", "MA-09"),
        ("نظم لقاء بتيزنيت حول التعاونيات", "MA-09"),
        ("Une rencontre à Tiznit sur les coopératives", "MA-09"),
        ("نظم لقاء بالرشيدية حول التعاونيات", "MA-08"),
        ("Une rencontre à Errachidia sur les coopératives", "MA-08"),
        ("Une rencontre à Er-Rachidia sur les coopératives", "MA-08"),
        ("نظم لقاء بجهة سوس ماسة درعة حول التعاونيات", "MA-09"),
        ("نظم لقاء بجهة كلميم السمارة حول التعاونيات", "MA-10"),
        ("نظم لقاء لفائدة تعاونيات إقليم الجديدة", "MA-06"),
        ("نظم لقاء بالداخلة حول التعاونيات", "MA-12"),
        ("نظم لقاء بالدار البيضاء حول التعاونيات", "MA-06"),
        ("نظم لقاء بالدارالبيضاء حول التعاونيات", "MA-06"),
        ("Une rencontre à Tafraout sur les coopératives", "MA-09"),  # communes, not only provinces
        ("نظم لقاء بتافراوت حول التعاونيات", "MA-09"),
        ("نظم لقاء بالعيون الشرقية حول التعاونيات", "MA-02"),  # not Laâyoune (MA-11)
        ("تعاونية لعصر الزيتون بجبال وزان", "MA-01"),  # وزان (also "weigh") after جبال, a place word
        ("Un incubateur casablancais pour les coopératives", "MA-06"),
        # spellings the press uses beside the gazetteer's first one
        ("تعاونية نسائية بوارزازات تقطر ماء الورد", "MA-08"),
        ("تعاونية للنسيج بالشاون", "MA-01"),
        ("تعاونية للصيد التقليدي بطنطان", "MA-10"),
        ("Une coopérative de tisseuses à Tineghir", "MA-08"),
        ("La coopérative laitière de Fkih Bensalah", "MA-05"),
        ("Une coopérative de Kelaat Sraghna", "MA-07"),
        ("أسست نساء بمدينة ايفران تعاونية نسائية لصناعة الأجبان.", "MA-03"),
        ("أسست نساء بمدينة كرسيف تعاونية نسائية لإنتاج زيت الزيتون.", "MA-02"),
        ("أسست نساء بقلعة امكونة تعاونية نسائية لتقطير الورد.", "MA-08"),
        ("أسست نساء بامنتانوت تعاونية نسائية لإنتاج العسل.", "MA-07"),
        ("أسست نساء بمدينة تزنيت تعاونية نسائية للحلي.", "MA-09"),
        ("أسست نساء ببومالن تعاونية نسائية لتقطير الورد.", "MA-08"),
        ("أسست نساء بمدينة الطنطان تعاونية نسائية لتجفيف السمك.", "MA-10"),  # listed as طنطان and الطنطان
        ("Des femmes de Boumalne ont créé une coopérative féminine de roses.", "MA-08"),
        ("Des femmes d'Aït Ben Haddou ont créé une coopérative de tapis.", "MA-08"),
        ("Des femmes d'Imi n'Tanoute ont créé une coopérative féminine de miel.", "MA-07"),
        ("Des femmes d'El Kelâa des Mgouna ont créé une coopérative féminine d'eau de rose.", "MA-08"),
        # rural communes of the cooperatives, named without a commune word
        ("تعاونية نسائية بسميمو تنتج زيت الأركان", "MA-07"),  # not Souss-Massa, the argan oil's fallback
        ("Une coopérative de Tazenakht tisse des tapis", "MA-08"),
        ("تعاونية لتثمين الصبار بأيت باعمران", "MA-10"),
        ("تعاونية بأسني تبيع العسل", "MA-07"),
        # an old region's name beside a place of today only backs that place's region
        ("تسوق تعاونيات إقليم زاكورة، التابع سابقا لجهة سوس ماسة درعة، تمورها بنفسها.", "MA-08"),
        ("Les coopératives de Khouribga, jadis dans la région Chaouia-Ouardigha, vendent leur miel.", "MA-05"),
        ("تعاونية نسائية بالحسيمة، في جهة تازة الحسيمة تاونات سابقا، تنتج العسل.", "MA-01"),
    ],
)
def test_variant_spellings_and_clitics_of_places(classifier: Classifier, sentence: str, code: str) -> None:
    assert classify(classifier, "", sentence).regions == [code]


@pytest.mark.parametrize(
    "sentence",
    [
        "استقبل الوزير عبد الله الفاسي ممثلي التعاونيات",  # فاس inside a surname
        "دعت الأطراف الداخلة في النزاع إلى الحوار",  # الداخلة = the incoming
        "قدمت الحكومة الجديدة برنامجها",  # الجديدة = the new
        "أعلنت التعاونيات عن توجهات جديدة",  # جديدة without its article is never El Jadida
        "انفجار بركان في جزيرة بعيدة",  # بركان = volcano
        "La sale affaire des coopératives fictives",  # sale = dirty
        "التعاونيات في حاجة ماسة إلى التمويل",  # ماسة = urgent (Massa only with a place cue)
    ],
)
def test_everyday_words_are_not_places(classifier: Classifier, sentence: str) -> None:
    assert classify(classifier, "", sentence).regions == []


@pytest.mark.parametrize(
    ("sentence", "code", "name"),
    [
        ("أعلنت التعاونيات الفلاحية بجماعة تيداس عن برنامج لتسويق منتجاتها", "MA-04", "تيداس"),
        ("نظمت تعاونية نسائية بالجماعة الترابية لأولاد زمام يوما تواصليا", "MA-05", "أولاد زمام"),
        ("أعلنت تعاونية نسائية بجماعة آيت فاسكا عن إطلاق وحدة لإنتاج الكسكس", "MA-07", "آيت فاسكا"),
        ("تعاونيات دائرة بودينار تشارك في المعرض", "MA-02", "بودينار"),
        ("Les coopératives de la commune rurale d'Oulad Moumna exposent leurs produits", "MA-07", "Oulad Moumna"),
        ("Une coopérative féminine de la commune de Tiddas lance son unité de couscous", "MA-04", "Tiddas"),
        ("تعاونية نسائية بنواحي أوفوس تسوق تمورها", "MA-08", "أوفوس"),  # "near": نواحي، ضواحي، près de
        ("Les apicultrices d'une coopérative près de Tanalt vendent leur miel", "MA-09", "Tanalt"),
    ],
)
def test_a_rural_commune_of_the_national_list_gives_its_region(
    classifier: Classifier, sentence: str, code: str, name: str
) -> None:
    """A story that names only its commune (none of these is in regions.toml) gets the commune's region,
    from HCP's national list, when the commune is named as one ("جماعة X", "commune rurale de X")."""
    result = classify(classifier, "", sentence)
    assert result.regions == [code]
    assert f"region {code} via {name} ×1" in result.reasons


@pytest.mark.parametrize(
    "sentence",
    [
        "نظم لقاء حول التعاونيات في الملعب البلدي",  # الملعب: a commune's name, and "the stadium"
        "نظم لقاء حول التعاونيات على الساحل",  # الساحل: a commune, and "the coast"
        "توجهت التعاونيات إلى المدينة الحمراء",  # "the red city" is Marrakech, not the commune الحمراء
        "التعاونيات في المنطقة الغربية من البلاد",  # a direction, not the commune الغربية
        "تعاونية دوار المنزلة تعرض منتجاتها",  # a douar (village) named like a commune of another region
        "استقبل مولاي رشيد ممثلي التعاونيات",  # a person, and a prefecture of Casablanca
    ],
)
def test_a_commune_name_is_a_place_only_after_a_commune_word(classifier: Classifier, sentence: str) -> None:
    assert classify(classifier, "", sentence).regions == []


def test_the_national_list_can_be_turned_off_or_a_name_set_aside(tmp_path: Path) -> None:
    shipped = (REPO / "config" / "regions.toml").read_text(encoding="utf-8")
    sentence = "أعلنت التعاونيات الفلاحية بجماعة تيداس وجماعة مستكمر عن برنامج لتسويق منتجاتها"
    ignoring = tmp_path / "ignoring.toml"
    ignoring.write_text(shipped.replace("ignore = []", 'ignore = ["تيداس"]', 1), encoding="utf-8")
    assert load_classifier(regions_path=ignoring, seeds_dir=tmp_path).classify("", sentence).regions == ["MA-02"]
    off = tmp_path / "off.toml"
    off.write_text(
        shipped.replace("[communes]\n", "[communes]\nenabled = false\n", 1).replace("enabled = true\n", "", 1),
        encoding="utf-8",
    )
    assert load_classifier(regions_path=off, seeds_dir=tmp_path).classify("", sentence).regions == []
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(shipped.replace("enabled = true", 'enabled = "yes"', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"communes\.enabled: expected true or false"):
        load_classifier(regions_path=wrong, seeds_dir=tmp_path)


def test_a_story_gets_the_region_it_is_about_not_every_place_named(classifier: Classifier) -> None:
    title = "تعاونيات تيزنيت تعرض منتجاتها"
    text = (
        "عرضت تعاونيات إقليم تيزنيت منتجاتها المجالية في معرض نظم بتيزنيت، وقال رئيس إحدى تعاونيات "
        "تيزنيت إن المنتجات تلقى إقبالا. " + FILLER_AR * 3 + "وكان الزوار قد قدموا من الدار البيضاء."
    )
    result = classify(classifier, title, text)
    assert result.regions == ["MA-09"]
    assert any(r.startswith("region MA-09 via تيزنيت ×") for r in result.reasons), result.reasons


def test_several_regions_named_equally_are_all_kept_best_first(classifier: Classifier) -> None:
    text = (
        "Selon l'ODCO, 40 coopératives ont été créées à Guelmim, 30 à Laâyoune et 20 à Dakhla, "
        "dont 25 coopératives à Guelmim."
    )
    result = classify(classifier, "", text)
    assert result.regions[0] == "MA-10"
    assert set(result.regions) == {"MA-10", "MA-11", "MA-12"}


def test_source_region_is_a_fallback_when_the_text_names_no_place(classifier: Classifier) -> None:
    text = "أعلنت التعاونيات الفلاحية عن برنامج لتسويق منتجاتها المجالية."
    result = classify(classifier, "", text, source_region="MA-08")
    assert result.regions == ["MA-08"]
    assert any("from the source" in r for r in result.reasons)


def test_source_region_does_not_override_the_text(classifier: Classifier) -> None:
    text = "أعلنت التعاونيات الفلاحية بإقليم تارودانت عن برنامج لتسويق منتجاتها المجالية."
    result = classify(classifier, "", text, source_region="MA-08")
    assert result.regions == ["MA-09"]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # a wire's dateline in the capital, the cooperatives elsewhere
        pytest.param(
            "الرباط (و م ع) - استفادت 14 تعاونية لإنتاج التمور بإقليم الرشيدية من وحدات للتبريد.",
            "MA-08",
            id="dateline-ar",
        ),
        pytest.param(
            "RABAT, 14 mai (MAP) – Une coopérative de tisseuses de Khénifra a signé un contrat d'exportation.",
            "MA-05",
            id="dateline-fr",
        ),
        # a fair's host city
        pytest.param("شاركت تعاونيات من إقليم تاونات في المعرض الجهوي للمنتوجات المحلية بطنجة.", "MA-03", id="fair-ar"),
        pytest.param(
            "Des coopératives de la province d'Azilal exposent au Salon régional de l'artisanat d'Agadir.",
            "MA-05",
            id="fair-fr",
        ),
        # the cities where the products are sold
        pytest.param("وصل عسل تعاونية النحالين بإقليم الحوز إلى أسواق الدار البيضاء.", "MA-07", id="market-ar"),
        pytest.param(
            "La coopérative de la province de Tata vend ses dattes dans les épiceries de Casablanca.",
            "MA-09",
            id="market-fr",
        ),
        # its own shop in another city
        pytest.param(
            "Une coopérative de femmes de Settat a ouvert une boutique à Rabat pour ses pâtisseries.",
            "MA-06",
            id="shop-fr",
        ),
        pytest.param("فتحت تعاونية نسائية من إقليم الخميسات محلا بمدينة مكناس لبيع الكسكس.", "MA-04", id="shop-ar"),
        # a person's origin
        pytest.param("أسست الشابة سعاد، ابنة مدينة فاس، تعاونية لتربية النحل بإقليم تيزنيت.", "MA-09", id="origin-ar"),
        pytest.param(
            "Originaire de Casablanca, Karim a fondé une coopérative apicole dans la province de Midelt.",
            "MA-08",
            id="origin-fr",
        ),
    ],
)
def test_a_place_the_story_is_not_about_does_not_become_a_region(
    classifier: Classifier, text: str, region: str
) -> None:
    """A dateline, a fair's host city, a market, a person's origin count a quarter ([away] in regions.toml)."""
    assert classify(classifier, "", text).regions == [region]


def test_a_dateline_alone_still_gives_the_region(classifier: Classifier) -> None:
    assert classify(classifier, "", "Zagora : la coopérative des femmes a vendu toute sa récolte.").regions == ["MA-08"]
    assert classify(classifier, "", "أكادير - عقدت التعاونية جمعها العام.").regions == ["MA-09"]


def test_places_of_the_argan_mountains_and_the_ziz_valley(classifier: Classifier) -> None:
    assert classify(classifier, "", "تعاونية نسائية في جبال إداوتنان تصنع الأملو.").regions == ["MA-09"]
    assert classify(classifier, "", "La coopérative de dattes d'Aoufous compte 58 membres.").regions == ["MA-08"]


def test_a_one_region_product_gives_the_region_only_when_nothing_else_does(classifier: Classifier) -> None:
    """Argan oil is Souss-Massa's, Damask roses the Draâ-Tafilalet's: the region of a story that names no
    place and comes from a national site; a place in the text or the site's own region comes first."""
    text = (
        "أعلنت تعاونيات نسائية لإنتاج زيت الأركان عن برنامج لتسويق منتجاتها، فيما تستعد تعاونيات الورد العطري لموسمها."
    )
    alone = classify(classifier, "", text)
    assert alone.regions == ["MA-09"]
    assert "region MA-09 from the product (زيت الأركان ×1): the text names no Moroccan place" in alone.reasons
    assert alone.evidence.places[0][0] == "MA-09" and not alone.evidence.region_from_source
    assert classify(classifier, "", text, source_region="MA-08").regions == ["MA-08"]
    assert classify(classifier, "", text.replace("نسائية", "نسائية بالصويرة")).regions == ["MA-07"]
    assert classify(classifier, "", "يستعد منتجو الورد العطري للموسم الجديد").regions == ["MA-08"]


# --- reasons and parts --------------------------------------------------------------------------------


def test_every_decision_carries_reasons_and_parts(classifier: Classifier) -> None:
    title, text = POSITIVES["odco-ar"]
    result = classify(classifier, title, text)
    assert result.reasons[0].startswith("SSE: score")
    assert any(r.startswith("matched: مكتب تنمية التعاون ×") for r in result.reasons)
    assert any(r.startswith("region MA-08 via ") for r in result.reasons)
    for name in ("terms", "position", "isolation", "negatives", "evidence", "lexicon", "similarity", "score"):
        assert name in result.parts
    assert result.parts["score"] == pytest.approx(result.parts["lexicon"] + result.parts["similarity"])
    assert result.score == pytest.approx(result.parts["score"])

    negative = classify(classifier, *NEGATIVES["political-solidarity-ar"])
    assert negative.reasons[0].startswith("not SSE: score")


def test_empty_story(classifier: Classifier) -> None:
    result = classify(classifier, "", "")
    assert not result.sse
    assert result.regions == []
    assert result.score == 0


# --- seeds --------------------------------------------------------------------------------------------

USER_SEED = (
    "Site Hebdo\n"
    "L'info de chez nous\n"
    "\n"
    "Les apicultrices de la vallée présentent leur miel de thym au marché hebdomadaire\n"
    "Les apicultrices de la vallée ont présenté leur miel de thym et leur pollen au marché hebdomadaire, "
    "où les ruches collectives de la vallée attirent chaque semaine des acheteurs venus de loin. Le miel "
    "de thym de la vallée est récolté par les apicultrices selon des méthodes traditionnelles.\n"
)
SIMILAR_STORY = (
    "Miel de thym : les apicultrices de la vallée au marché",
    "Au marché hebdomadaire, les apicultrices de la vallée vendent leur miel de thym et leur pollen "
    "récoltés dans les ruches collectives de la vallée.",
)


def test_a_user_added_seed_raises_the_score_of_a_similar_story(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "100_apicultrices.txt").write_text(USER_SEED, encoding="utf-8")

    # with some SSE vocabulary: the seed's whole weight could take it to the threshold, so it is compared
    story = (SIMILAR_STORY[0], SIMILAR_STORY[1] + " Les produits du terroir attirent.")
    without = load_classifier(seeds_dir=empty).classify(*story)
    with_seed = load_classifier(seeds_dir=seeds).classify(*story)
    assert with_seed.score > without.score
    assert with_seed.parts["similarity"] > 0
    assert any(r.startswith("seed similarity ") and "(100_apicultrices)" in r for r in with_seed.reasons)


def test_a_story_no_seed_can_take_to_the_threshold_is_not_compared(tmp_path: Path) -> None:
    """A hard negative (no second opinion asked) and its lexicon part plus the similarity's whole weight under the
    threshold: the cosine (a fifth of an unseen story's work) is not computed, the score is the lexicon part, the
    verdict what the cosine would give."""
    (tmp_path / "100_apicultrices.txt").write_text(USER_SEED, encoding="utf-8")
    classifier = load_classifier(seeds_dir=tmp_path)
    title, text = SIMILAR_STORY  # close to the seed, but only two weak SSE words; then a hard negative
    result = classifier.classify(title, text + " Le club de football de la vallée remporte le championnat.")
    assert result.parts["negatives"] < 0
    assert result.parts["lexicon"] + classifier.lexicon.similarity.weight < classifier.threshold
    assert result.score == result.parts["lexicon"]
    assert result.parts["seed_cosine"] == 0.0 and result.evidence.seed is None
    assert not result.sse


# no word of the lexicon (since the eleventh pass "tisserandes" is one of the products' makers: they are "femmes" here)
TISSERANDES = (
    "Les femmes aux métiers d'Ait Bouzid",
    "Dans le douar Ait Bouzid, une vingtaine de femmes tissent des couvertures depuis trois ans dans un local prêté "
    "par la commune. Elles achètent le fil ensemble, se partagent les commandes et vendent au souk hebdomadaire de "
    "Tinghir et aux touristes de passage. Le gain est réparti selon le travail fourni. Les métiers sont à elles. "
    "Ces femmes veulent maintenant un site pour vendre en ligne.",
)


def test_a_story_a_seed_describes_but_the_lexicon_misses_is_put_to_the_second_opinion(tmp_path: Path) -> None:
    """No SSE word the lexicon knows (its lexicon part 0), but nearly the text of a reader's seed: the similarity
    lifts it into the second opinion's band, where the model may retain it. Skipping the cosine for every story
    whose lexicon part could not reach the threshold left it at 0, under the band, never asked: not SSE."""
    (tmp_path / "100_tisserandes.txt").write_text("\n".join(TISSERANDES), encoding="utf-8")
    classifier = load_classifier(seeds_dir=tmp_path)
    result = classifier.classify(*TISSERANDES)
    assert result.parts["lexicon"] == 0.0 and result.parts["negatives"] == 0.0
    assert result.parts["seed_cosine"] > 0.9 and result.evidence.seed == "100_tisserandes"
    assert second_opinion.in_band(result.score, classifier.threshold)
    assert any(reason.startswith("second opinion ") for reason in result.reasons), result.reasons


def test_seed_similarity_alone_cannot_make_a_story_sse(tmp_path: Path) -> None:
    (tmp_path / "100_apicultrices.txt").write_text(USER_SEED, encoding="utf-8")
    result = load_classifier(seeds_dir=tmp_path).classify(*SIMILAR_STORY)
    assert not result.sse  # no SSE vocabulary: similarity supports evidence, it is not evidence alone


def test_seed_boilerplate_lines_are_stripped() -> None:
    from rasd.classify.similarity import seed_body

    body = seed_body(USER_SEED)
    assert not body.startswith("Site Hebdo")
    assert "L'info de chez nous" not in body
    assert body.startswith("Les apicultrices")


def test_shipped_seeds_are_read_and_help_a_story_like_them(seeded: Classifier, classifier: Classifier) -> None:
    assert len(seeded.seeds) == 5
    title = "لقاء تواصلي حول الاقتصاد الاجتماعي والتضامني بجهة سوس ماسة"
    text = (
        "نظمت المديرية الجهوية للصناعة التقليدية بأكادير لقاء تواصليا حول الاقتصاد الاجتماعي والتضامني "
        "لفائدة التعاونيات والجمعيات بجهة سوس ماسة، لعرض برامج الدعم والمواكبة."
    )
    assert seeded.classify(title, text).score > classifier.classify(title, text).score


def test_default_seeds_dir_is_used_without_argument() -> None:
    assert len(load_classifier().seeds) >= 5


# --- threshold and config -------------------------------------------------------------------------


def test_default_threshold_is_the_one_in_the_lexicon() -> None:
    assert load_lexicon(SHIPPED_LEXICON).scoring.threshold == DEFAULT_THRESHOLD
    assert load_classifier().threshold == DEFAULT_THRESHOLD
    assert 0 < DEFAULT_THRESHOLD < 1


def test_threshold_argument_is_honoured(tmp_path: Path) -> None:
    title, text = POSITIVES["cooperatives-ar"]
    strict = load_classifier(seeds_dir=tmp_path, threshold=0.999).classify(title, text)
    lenient = load_classifier(seeds_dir=tmp_path, threshold=0.0).classify(title, text)
    assert not strict.sse
    assert lenient.sse
    assert strict.score == lenient.score


def test_threshold_from_a_users_lexicon_is_honoured(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(
        SHIPPED_LEXICON.read_text(encoding="utf-8").replace(f"threshold = {DEFAULT_THRESHOLD}", "threshold = 0.999"),
        encoding="utf-8",
    )
    classifier = load_classifier(lexicon_path=lexicon, seeds_dir=tmp_path)
    assert classifier.threshold == 0.999
    assert not classifier.classify(*POSITIVES["cooperatives-ar"]).sse


def test_a_users_term_is_picked_up(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(
        SHIPPED_LEXICON.read_text(encoding="utf-8")
        + '\n[[terms]]\nkind = "test"\nweight = 3.0\nar = ["الخزانة التشاركية"]\n',
        encoding="utf-8",
    )
    result = load_classifier(lexicon_path=lexicon, seeds_dir=tmp_path).classify(
        "الخزانة التشاركية تفتح أبوابها", "فتحت الخزانة التشاركية أبوابها أمام السكان."
    )
    assert "matched: الخزانة التشاركية ×2" in result.reasons


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[classifier]\nthreshold = 'high'\n", "classifier.threshold"),
        ("[classifier]\nthreshhold = 0.5\n", "classifier.threshhold"),
        ("[[terms]]\nkind = 'x'\nar = ['تعاونية']\n", "terms[0].weight"),
        ("[[terms]]\nweight = 1\nar = 'تعاونية'\n", "terms[0].ar"),
        ("[classifier\n", "lexicon.toml"),
        ("[[terms]]\nweight = 1\nsupport = 'yes'\nar = ['تعاونية']\n", "terms[0].support"),
        ("[[terms]]\nweight = 1\nsupport = true\nar = ['تعاونية']\n", "not support = true"),
        ("[[negatives]]\npenalty = 1\nsupport = true\nar = ['تعاونية']\n", "negatives[0].support"),
        ("[[terms]]\nweight = 1\nanchor = 1\nar = ['تعاونية']\n", "terms[0].anchor"),
        ("[[negatives]]\npenalty = 1\nanchor = true\nar = ['تعاونية']\n", "negatives[0].anchor"),
        ("[[terms]]\nweight = 1\nunless = ['roads']\nar = ['تعاونية']\n", "unless: no negative group of kind 'roads'"),
        ("[[terms]]\nweight = 1\nunless = [1]\nar = ['تعاونية']\n", "terms[0].unless"),
        ("[[terms]]\nweight = 1\ncore_with = ['x']\nar = ['تعاونية']\n", "core_with: no positive group of kind 'x'"),
        ("[[terms]]\nweight = 1\nunless = 'roads'\nar = ['تعاونية']\n", "terms[0].unless: expected a list"),
    ],
)
def test_lexicon_errors_name_the_file_and_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_classifier(lexicon_path=path, seeds_dir=tmp_path)


def test_regions_errors_name_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "regions.toml"
    path.write_text('[[region]]\ncode = "MA-13"\nplaces = ["X"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"region\[0\]\.code"):
        load_classifier(regions_path=path, seeds_dir=tmp_path)


# -- the error kinds of issue 19, on stories written for the project (bench/written.jsonl) ---------------

WRITTEN = [json.loads(line) for line in (REPO / "bench" / "written.jsonl").read_text("utf-8").splitlines() if line]


@pytest.mark.parametrize("row", WRITTEN, ids=[row["id"] for row in WRITTEN])
def test_written_stories_of_each_error_kind(classifier: Classifier, row: dict[str, object]) -> None:
    """INDH roads, water, pre-school and ceremonies, microcredit, hotels and tourism figures under the
    ministry's title, a cooperative merely present at a market opening: not SSE. A cooperative told through
    its product or named only in the title, or welcoming tourists: SSE, with the region it is about first
    (fishing points, villages and spellings the gazetteer lacked included)."""
    result = classify(classifier, str(row["title"]), str(row["text"]))
    assert result.sse is row["sse"], (row["note"], result.reasons)
    if row["regions"]:
        assert result.regions[:1] == list(row["regions"])[:1], result.reasons  # type: ignore[call-overload]


def test_support_terms_count_little_without_a_core_term(classifier: Classifier) -> None:
    """INDH, products and microcredit are everywhere in the news: alone they stay below the threshold and
    the reasons say why; next to a cooperative they count in full."""
    indh = "مشروع جديد بتمويل من المبادرة الوطنية للتنمية البشرية لفائدة ساكنة الجماعة"
    alone = classify(classifier, "", indh)
    with_coop = classify(classifier, "", indh + " تسيره تعاونية نسائية")
    assert not alone.sse
    weakened = "no cooperative or SSE term in the title, the lead or twice: المبادرة الوطنية للتنمية البشرية"
    assert any(r.startswith(weakened) for r in alone.reasons)
    assert with_coop.parts["terms"] > alone.parts["terms"] + 1.0
    honey = classify(classifier, "", "ارتفع إنتاج العسل والزعفران هذا الموسم")
    assert honey.score < 0.1


def test_microcredit_institutions_are_finance_news(classifier: Classifier) -> None:
    text = "سجلت مؤسسات القروض الصغرى ارتفاعا في حجم القروض الصغرى الممنوحة خلال السنة الماضية"
    result = classify(classifier, "القروض الصغرى في ارتفاع", text)
    assert not result.sse
    assert any("microcredit institutions" in reason for reason in result.reasons)


# -- the error kinds found on new hard stories (bench/written_hard.jsonl) ------------------------------------

HARD = [json.loads(line) for line in (REPO / "bench" / "written_hard.jsonl").read_text("utf-8").splitlines() if line]
# "own-hard-ho2-*": a held-out set written after all the tuning and scored once; bench/eval_classifier.py reports
# it as it is (one of its SSE stories, a solidarity restaurant, is missed): a measurement, not a regression set.
HARD = [row for row in HARD if not str(row["id"]).startswith("own-hard-ho2-")]


@pytest.mark.parametrize("row", HARD, ids=[row["id"] for row in HARD])
def test_written_hard_stories(classifier: Classifier, row: dict[str, object]) -> None:
    """Health caravans, school kits, Ramadan baskets, a cooperative's truck in an accident, farm subsidies,
    fishing ports, tourism and microfinance figures, mutuals, housing amicales, parents' and residents'
    associations: not SSE. A cooperative named only in the title, told through its product, an INDH income
    project or a social enterprise that never says "économie sociale": SSE."""
    result = classify(classifier, str(row["title"]), str(row["text"]))
    assert result.sse is row["sse"], (row["note"], result.reasons)


def test_a_producers_cooperative_named_only_in_the_title_is_sse(classifier: Classifier) -> None:
    title = "تعاونية الصيادين بإمسوان تطلق وحدة لتبريد الأخطبوط"
    text = "يتقاسم 85 صيادا تسيير الوحدة الجديدة التي تمكنهم من بيع مصطاداتهم للمصدرين. " + FILLER_AR
    result = classify(classifier, title, text)
    assert result.sse, result.reasons
    assert "matched: تعاونية الصيادين ×1" in result.reasons


def test_the_indh_income_programme_by_name_is_sse_but_not_in_a_list_of_programmes(classifier: Classifier) -> None:
    project = (
        "Quinze femmes ont ouvert une boulangerie financée par l'INDH dans le cadre de son programme "
        "d'amélioration du revenu et d'inclusion économique des jeunes. " + FILLER_FR
    )
    tally = (
        "L'INDH a présenté ses quatre programmes : le rattrapage des déficits en infrastructures, "
        "l'accompagnement des personnes en précarité, l'amélioration du revenu et l'inclusion économique des "
        "jeunes, et le capital humain. " + FILLER_FR
    )
    assert classify(classifier, "Des femmes lancent une boulangerie grâce à l'INDH", project).sse
    assert not classify(classifier, "L'INDH fête son anniversaire", tally).sse


def test_a_social_enterprise_without_the_usual_words_is_sse(classifier: Classifier) -> None:
    title = "Une entreprise à vocation sociale embauche d'anciens récupérateurs de déchets"
    text = "Soutenue par un incubateur d'entrepreneuriat à impact, elle réinvestit ses bénéfices. " + FILLER_FR
    assert classify(classifier, title, text).sse


def test_a_cooperatives_treasurer_anchors_a_story_told_through_its_honey(classifier: Classifier) -> None:
    title = "Le miel d'euphorbe, un or ambré qui fait vivre les villages"
    text = (
        "Les ruches s'alignent au pied des euphorbes et leur miel se vend cher. "
        + FILLER_FR * 2
        + "« Seuls, nous ne pouvions rien », raconte le trésorier de la coopérative."
    )
    result = classify(classifier, title, text)
    assert result.sse, result.reasons
    assert "matched: trésorier de la coopérative ×1" in result.reasons


def test_members_of_a_cooperative_and_its_sanitary_approval_make_a_product_story_count(
    classifier: Classifier,
) -> None:
    title = "Le couscous roulé à la main des femmes du douar séduit les épiceries fines"
    text = (
        "Une douzaine de femmes roulent la semoule dès l'aube ; leur couscous séché au soleil part en sachets. "
        + FILLER_FR * 2
        + "Regroupées au sein de la coopérative, elles ont obtenu l'autorisation sanitaire de l'ONSSA."
    )
    result = classify(classifier, title, text)
    assert result.sse, result.reasons
    assert "a cooperative's members and officers" in [term.kind for term in result.evidence.terms]


def test_a_cooperatives_founding_and_size_anchor_a_story_told_through_its_product(classifier: Classifier) -> None:
    title = "Les dattes Mejhoul de la vallée conquièrent les épiceries fines"
    text = (
        "Triées à la main puis conditionnées, les dattes partent vers les épiceries fines de la capitale. "
        + FILLER_FR * 2
        + "Créée en 2015, la coopérative compte aujourd'hui 58 membres qui se répartissent les recettes."
    )
    result = classify(classifier, title, text)
    assert result.sse, result.reasons
    assert "a cooperative's members and officers" in [term.kind for term in result.evidence.terms]


# A story of each kind of the news around the field, with the words that made it look like SSE before: not SSE,
# and the negative group that says why is named in the reasons. The INDH's health and school services with a late
# income tally and the Ramadan baskets were already below the threshold: the reasons now name them, with margin.
NEWS_AROUND_THE_FIELD = {
    "a cooperative's truck in a road accident": (
        "مصرع شخصين في حادثة سير بين شاحنة لنقل الحليب وسيارة خفيفة",
        "لقي شخصان مصرعهما في حادثة سير إثر اصطدام شاحنة لنقل الحليب تابعة لإحدى التعاونيات الفلاحية بسيارة "
        "خفيفة، وانتقلت عناصر الدرك الملكي والوقاية المدنية إلى عين المكان. " + FILLER_AR,
        "road accidents, crime and courts",
    ),
    "INDH health and school services with a late income tally": (
        "L'INDH finance une caravane médicale, des ambulances et des cartables",
        "L'Initiative nationale pour le développement humain a financé une caravane médicale, quatre "
        "ambulances et un centre d'hémodialyse, et distribué des cartables à la rentrée scolaire. "
        + FILLER_FR * 3
        + "Le bilan compte aussi des projets générateurs de revenus.",
        "INDH social services",
    ),
    "Ramadan food baskets": (
        "توزيع قفة رمضان على الأسر المعوزة",
        "تضم كل قفة الدقيق والسكر والحليب والتمر، وتشرف عليها مؤسسة محمد الخامس للتضامن. " + FILLER_AR,
        "charity and food aid",
    ),
    "microcredit borrowers and recovery": (
        "Microcrédit : des emprunteurs dénoncent le recouvrement",
        "Des emprunteuses ayant contracté un prêt pour une activité génératrice de revenus dénoncent les "
        "méthodes de recouvrement et réclament un rééchelonnement. " + FILLER_FR,
        "microcredit institutions",
    ),
    "a cooperative at a market hall's opening": (
        "Le gouverneur inaugure le marché couvert et l'abattoir",
        "Le marché couvert accueille les commerçants ambulants et un abattoir moderne. "
        + FILLER_FR
        + "Le président de la coopérative des bouchers a remercié le gouverneur devant les stands de miel.",
        "market halls and street vendors",
    ),
    "a housing cooperative in court": (
        "تعاونية سكنية: المحكمة تعين متصرفا قضائيا",
        "قضت المحكمة الابتدائية بحل المكتب المسير لإحدى التعاونيات السكنية وتعيين متصرف قضائي، بعد دعوى "
        "رفعها منخرطو التعاونية الذين لم يتسلموا شققهم.",
        "housing cooperatives",
    ),
    "a land dispute with a cooperative": (
        "Un litige foncier oppose des héritiers à une coopérative agricole",
        "Les héritiers réclament 45 hectares que la coopérative agricole exploite depuis 1975, et la coopérative "
        "affirme que l'État les lui a attribués. La cour d'appel a ordonné une expertise topographique.",
        "road accidents, crime and courts",
    ),
    "a cooperative's truck in an accident": (
        "وفاة سائق شاحنة تابعة لتعاونية للحليب في حادثة سير",
        "لقي سائق شاحنة لنقل الحليب، تابعة لتعاونية لتجميع الحليب، مصرعه إثر انقلاب الشاحنة، وتدخلت عناصر "
        "الوقاية المدنية والدرك الملكي، ونقل جرحى إلى المستشفى، فيما تسرب الحليب إلى قناة الري.",
        "road accidents, crime and courts",
    ),
    "an INDH football field under the income programme's name": (
        "ملعب معشوشب بتمويل من المبادرة الوطنية للتنمية البشرية",
        "افتتح ملعب لكرة القدم مكسو بالعشب الاصطناعي، أنجز في إطار برنامج تحسين الدخل والإدماج الاقتصادي "
        "للشباب بالمبادرة الوطنية للتنمية البشرية، ونظم بالمناسبة دوري كروي لشباب الأحياء.",
        "INDH infrastructure",
    ),
}


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "مخبزة يديرها شباب الحي تتحول إلى مصدر رزق لعشر أسر",
            "حصلت جمعية الحي على تمويل من المبادرة الوطنية للتنمية البشرية لاقتناء فرن، ويبيع الشباب الخبز والحلويات.",
        ),
        (
            "مقاولة ذات غاية اجتماعية تشغل جامعي النفايات",
            "يتقاضى العمال أجرا شهريا ثابتا، ويعاد استثمار الأرباح في تحسين ظروف العمل.",
        ),
    ],
)
def test_an_income_project_told_in_plain_words_is_sse(classifier: Classifier, title: str, text: str) -> None:
    """A livelihood for ten families beside the INDH's funding; an enterprise with a social purpose."""
    assert classify(classifier, title, text).sse


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Une boutique solidaire vend les créations de femmes en situation précaire",
            "Les couturières touchent 60 % des ventes.",
        ),
        (
            "Tourisme rural solidaire : une maison d'hôtes fait vivre le douar",
            "Les recettes vont aux familles du village.",
        ),
        ("افتتاح متجر تضامني لبيع منتجات نساء الحي", "تحصل كل امرأة على ثمن ما تصنعه من ملابس."),
    ],
)
def test_a_solidarity_business_is_sse(classifier: Classifier, title: str, text: str) -> None:
    """A shop, a guest house or a café run "solidaire", the income going to those who make or serve."""
    assert classify(classifier, title, text).sse


@pytest.mark.parametrize("name", NEWS_AROUND_THE_FIELD)
def test_news_around_the_field_is_not_sse_and_says_why(classifier: Classifier, name: str) -> None:
    title, text, kind = NEWS_AROUND_THE_FIELD[name]
    result = classify(classifier, title, text)
    assert not result.sse, result.reasons
    assert any(kind in reason for reason in result.reasons), result.reasons


# -- the odd half's error kinds and issue 19's, on sentences written for these tests ---------------------------

NEWS_AROUND_THE_FIELD.update(
    {
        "a cooperative's treasurer arrested": (
            "توقيف أمين مال تعاونية فلاحية بتهمة اختلاس أموالها",
            "أوقفت عناصر الشرطة القضائية أمين مال تعاونية فلاحية للاشتباه في اختلاس مبالغ من حسابها، ووضع "
            "تحت تدبير الحراسة النظرية بتعليمات من النيابة العامة، بعد شكاية من أعضاء التعاونية.",
            "police and prosecution",
        ),
        "a cooperative's president in custody": (
            "Le président d'une coopérative laitière placé en garde à vue",
            "Soupçonné de détournement des cotisations des membres de la coopérative, le président de la "
            "coopérative a été interpellé par la police judiciaire et présenté au parquet.",
            "police and prosecution",
        ),
        "a housing cooperative's members": (
            "Les membres d'une coopérative d'habitation réclament leurs clés",
            "Les membres d'une coopérative d'habitation réclament les appartements qu'ils ont payés il y a douze "
            "ans ; le chantier est à l'arrêt.",
            "housing cooperatives",
        ),
        "an INDH tally with income projects among the works": (
            "حصيلة المبادرة الوطنية للتنمية البشرية بالإقليم",
            "صادقت اللجنة الإقليمية للتنمية البشرية على 80 مشروعا، منها مشاريع للصرف الصحي والربط بالكهرباء "
            "وتأهيل المؤسسات التعليمية، إضافة إلى أنشطة مدرة للدخل.",
            "INDH infrastructure",
        ),
        "an INDH committee's projects with income activities among the works": (
            "Le comité provincial de l'INDH valide 50 projets",
            "Les projets portent sur l'assainissement, l'électrification des douars, la mise à niveau des écoles "
            "rurales et quelques activités génératrices de revenus.",
            "INDH infrastructure",
        ),
        "a new hotel selling terroir products": (
            "Un nouvel hôtel cinq étoiles mise sur les produits du terroir",
            "Le nouvel hôtel propose un spa et une boutique de produits du terroir à une clientèle européenne.",
            "tourism industry",
        ),
        "a women's cooperative's stand at the Throne Day": (
            "عامل الإقليم يترأس حفل عيد العرش",
            "ترأس عامل الإقليم حفل الاستقبال بمناسبة عيد العرش، وتخلله تدشين دار للشباب وزيارة رواق لتعاونية "
            "نسائية تعرض التمور والحناء.",
            "a cooperative's stand",
        ),
        "a women's cooperative's stand at a road's inauguration": (
            "Le gouverneur inaugure une route et une école",
            "Le gouverneur a inauguré une route et une école, puis visité le stand d'une coopérative féminine qui "
            "proposait du miel et de l'huile d'argan.",
            "a cooperative's stand",
        ),
        "argan oil dearer than ever": (
            "L'huile d'argan n'a jamais été aussi chère",
            "Le litre d'huile d'argan dépasse 400 dirhams. Les coopératives, qui achètent les fruits aux familles, "
            "manquent de matière première.",
            "price rises",
        ),
        "the price of argan oil at a record": (
            "ارتفاع أسعار زيت الأركان إلى مستوى قياسي",
            "تجاوز ثمن لتر زيت الأركان 400 درهم، وتشتكي التعاونيات التي تشتري الثمار من الأسر من قلة المادة الأولية.",
            "price rises",
        ),
        "a cooperative's president standing for the commune council": (
            "رئيس تعاونية فلاحية يترشح لرئاسة الجماعة",
            "أعلن رئيس تعاونية فلاحية ترشحه للانتخابات الجماعية الجزئية، وقال في تجمع خطابي إن برنامجه يركز على "
            "تأهيل الطرق ومحاربة البطالة.",
            "elections and candidates",
        ),
        "a cooperative's president in a by-election": (
            "Le président d'une coopérative laitière candidat aux élections communales",
            "Le président de la coopérative, candidat aux élections communales partielles, a tenu son premier "
            "meeting électoral samedi devant trois cents personnes.",
            "elections and candidates",
        ),
        "an INDH road said to bring a livelihood": (
            "طريق جديدة تفك العزلة عن دواوير الجماعة",
            "أنجزت المبادرة الوطنية للتنمية البشرية طريقا بطول 18 كيلومترا تربط الدواوير بالطريق الإقليمية، مما "
            "سيسهل تسويق منتوجات الفلاحين ويوفر مصدر رزق للشباب في النقل.",
            "INDH infrastructure",
        ),
        "an INDH provincial road said to bring an income": (
            "L'INDH désenclave trois douars",
            "La route provinciale financée par l'INDH sera une source de revenus pour les jeunes transporteurs.",
            "INDH infrastructure",
        ),
        "a new hotel with a shop of local products": (
            "فندق جديد من فئة خمس نجوم يعرض المنتجات المجالية",
            "يضم الفندق الجديد متجرا للمنتجات المجالية، ويراهن على الرحلات الجوية المباشرة لجلب الزبناء.",
            "tourism industry",
        ),
    }
)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "الجفاف يتلف حقول الصبار بالإقليم",
            "أتلف الجفاف حقول الصبار التي كانت تشكل مصدر دخل للفلاحين، وطالب المتضررون بتعويضهم عن الخسائر.",
        ),
        (
            "La sécheresse ruine les producteurs d'amandes",
            "Les amandes, principale source de revenus des agriculteurs de la vallée, n'ont pas fleuri cette année.",
        ),
    ],
)
def test_a_livelihood_alone_does_not_make_farm_news_sse(classifier: Classifier, title: str, text: str) -> None:
    """A harvest that was the farmers' source of income is farm news: the livelihood words only support."""
    result = classify(classifier, title, text)
    assert not result.sse, result.reasons
    assert any("count little" in reason for reason in result.reasons)


# SSE stories of the kinds the odd half and issue 19 missed, told without the field's words in the lead.
SSE_WITHOUT_ITS_WORDS = {
    "the INDH beside what each beneficiary earns": (
        "نساء دوار يربين الماعز بدعم من المبادرة الوطنية للتنمية البشرية",
        "تسلمت كل مستفيدة خمسة رؤوس، وتبيع النساء الحليب لوحدة للتجميع، ويبلغ متوسط الدخل الشهري ألف درهم.",
    ),
    "the INDH beside each beneficiary's hens": (
        "Des veuves élèvent des poules grâce à l'INDH",
        "Chaque bénéficiaire a reçu trente poules pondeuses et vend ses œufs au souk de la commune.",
    ),
    "a social enterprise named once, with a worker's health cover": (
        "ورشة بسلا تشغل نساء في إصلاح الملابس المستعملة",
        "أطلقت مقاولة اجتماعية ورشة تشغل عشرين امرأة. تحصل العاملات على أجر وتغطية صحية، ويعاد استثمار "
        "الأرباح في ورشات جديدة للأشخاص في وضعية إعاقة.",
    ),
    "a social enterprise named once, with its workers' insurance": (
        "Un atelier de réparation de vélos ouvre à Rabat",
        "Une entreprise sociale y emploie dix salariés en situation de handicap, qui ont une assurance maladie ; "
        "les bénéfices sont réinvestis dans l'atelier.",
    ),
    "a cooperative named once, told through its oysters": (
        "Les huîtres de la lagune trouvent preneur",
        "Une coopérative de jeunes du village élève des huîtres dans la lagune. "
        + FILLER_FR * 2
        + "Les huîtres se vendent 50 dirhams la douzaine et les membres se partagent les revenus.",
    ),
    "a women's association sharing its couscous takings": (
        "جمعية نسائية بالدوار تفتل الكسكس وتبيعه في الأسواق الأسبوعية",
        "تبيع الجمعية إنتاجها للمطاعم، وتوزع المداخيل على النساء بحسب ساعات العمل.",
    ),
    "a women's association sharing its sewing takings": (
        "Une association de femmes coud les tabliers des écoles",
        "Dans son atelier de couture, douze femmes travaillent à la pièce et se partagent les recettes.",
    ),
    "a women's house run with the INDH, each woman paid what she sells": (
        "دار المرأة: نساء يتعلمن النسيج ويبعن الزرابي",
        "تسير الدار جمعية محلية بدعم من المبادرة الوطنية للتنمية البشرية، وتحصل كل امرأة على ثمن ما تبيعه.",
    ),
}


@pytest.mark.parametrize("name", SSE_WITHOUT_ITS_WORDS)
def test_sse_told_without_the_fields_words_in_the_lead(classifier: Classifier, name: str) -> None:
    """The INDH or a women's association beside what the women earn (core_with); a social enterprise's reinvested
    profits outweighing a worker's health cover; a cooperative named once beside its product and shared revenue."""
    title, text = SSE_WITHOUT_ITS_WORDS[name]
    result = classify(classifier, title, text)
    assert result.sse, result.reasons
    assert not any("count little" in reason for reason in result.reasons)


def test_a_hard_negative_wins_over_a_positive_phrase_of_its_length(classifier: Classifier) -> None:
    """Two phrases of two words over "adhérents coopérative habitation": the housing cooperative's."""
    result = classify(classifier, "", "Les adhérents d'une coopérative d'habitation se sont réunis.")
    assert [term.kind for term in result.evidence.negatives] == ["housing cooperatives"]
    assert result.evidence.terms == ()


# -- third pass of issue 19: the kinds behind the misses of the studied half of the second writers' set ---------

NEUTRAL_AR = (
    "وعرفت المدينة خلال الأسابيع الماضية أشغالا لتوسيع الشارع الرئيسي وتجديد الإنارة العمومية، "
    "كما أعلنت السلطات المحلية عن برنامج لتهيئة الحدائق قبل فصل الصيف. "
)
# A paragraph of background a real story wanders into (drought, emigration, a quote about the road).
BACKGROUND_AR = (
    "وتعاني المنطقة منذ سنوات من توالي مواسم الجفاف وتراجع الفرشة المائية، ما دفع عددا من الشباب إلى الهجرة "
    "نحو المدن الكبرى بحثا عن عمل. وقال فاعل محلي إن الطريق المؤدية إلى المركز ما تزال في حالة سيئة، وإن "
    "السكان ينتظرون منذ مدة إصلاحها. "
)
BACKGROUND_FR = (
    "La région traverse sa sixième année de sécheresse, et la nappe phréatique a baissé de plusieurs mètres : "
    "beaucoup de jeunes sont partis travailler à Casablanca ou en Espagne. « La piste qui mène au centre est "
    "toujours dans un état lamentable », regrette un élu local, qui attend les travaux promis depuis deux ans. "
)

NEWS_AROUND_THE_FIELD.update(
    {
        "a cooperative's milk truck overturned": (
            "انقلاب شاحنة تابعة لتعاونية فلاحية يخلف مصابين",
            "أصيب شخصان بجروح متفاوتة الخطورة إثر انقلاب شاحنة لنقل الحليب تابعة لتعاونية فلاحية، بعدما فقد "
            "السائق السيطرة عليها، ونقل المصابان إلى المستشفى الإقليمي.",
            "road accidents, crime and courts",
        ),
        "a dairy cooperative's truck overturned": (
            "Un camion d'une coopérative laitière se renverse",
            "Le chauffeur d'un camion de collecte de lait appartenant à une coopérative laitière a perdu le contrôle "
            "de son véhicule, qui s'est renversé dans un fossé. Le chauffeur et son aide ont été légèrement "
            "blessés et transportés à l'hôpital provincial.",
            "road accidents, crime and courts",
        ),
        # the cooperative merely present: the story is the ceremony's inaugurations or the hotel's opening
        "a women's cooperative visited after the INDH anniversary's inaugurations": (
            "L'INDH fête ses vingt ans à Khouribga",
            "La province a célébré le vingtième anniversaire de l'INDH par l'inauguration d'un terrain de proximité, "
            "d'une maison des jeunes et d'une unité de préscolaire. Le gouverneur a ensuite visité une coopérative "
            "féminine de couscous financée par l'initiative.",
            "INDH infrastructure",
        ),
        "a women's cooperative visited after the INDH anniversary's inaugurations (ar)": (
            "المبادرة الوطنية تحتفل بذكراها العشرين بخريبكة",
            "احتفل إقليم خريبكة بالذكرى العشرين لإطلاق المبادرة الوطنية للتنمية البشرية بتدشين ملعب للقرب ودار "
            "للشباب ووحدة للتعليم الأولي، ثم زار العامل تعاونية نسائية للكسكس ممولة من المبادرة.",
            "INDH infrastructure",
        ),
        "a palace's spa using a women's cooperative's argan oil": (
            "Marrakech : un nouveau palace ouvre à la Palmeraie",
            "Le groupe hôtelier inaugure un palace de 120 chambres à la Palmeraie. Le spa propose des soins à l'huile "
            "d'argan d'une coopérative féminine de la région. Les réservations sont complètes pour les fêtes.",
            "tourism industry",
        ),
        "a luxury hotel's treatments with a women's cooperative's argan oil": (
            "مراكش: افتتاح فندق فاخر بالنخيل",
            "افتتحت مجموعة فندقية فندقا فاخرا من 120 غرفة بمنطقة النخيل، ويقدم الفندق علاجات بزيت الأركان من "
            "إنتاج تعاونية نسائية بالمنطقة، وتم حجز جميع الغرف لعطلة نهاية السنة.",
            "tourism industry",
        ),
    }
)

THIRD_PASS_SSE = {
    # The takings paying the women's wages, a household's expenses, the families living from it: an income
    # project told in plain words, beside the INDH's or a women's association's funding (their core_with).
    "the INDH's kitchen, the women's share of the household's expenses": (
        "نساء حي شعبي يفتحن مطبخا لإعداد الوجبات بدعم من المبادرة الوطنية",
        "حصلت الجمعية على تمويل من المبادرة الوطنية للتنمية البشرية لتجهيز المطبخ بالأفران والثلاجات. "
        "وتقول إحدى العاملات إن ما تجنيه أصبح يساهم في نفقات البيت، وإنها حققت استقلالية مالية لأول مرة.",
    ),
    "a women's association's laundry paying the workers' wages": (
        "جمعية نسائية تدير مصبنة تقليدية بالحي القديم",
        "تشغل المصبنة ست نساء أرامل. وتقول رئيسة الجمعية إن المداخيل، التي بلغت 200 ألف درهم هذه السنة، "
        "تغطي أجور العاملات وثمن المواد، فيما يخصص الباقي لتكوين نساء أخريات. وتقول إحدى العاملات إنها حققت "
        "استقلالية مالية بعد سنوات من الاعتماد على المساعدات.",
    ),
    "the INDH's bakery keeping twelve families": (
        "Des femmes ouvrent une boulangerie au douar",
        "Financée par l'Initiative nationale pour le développement humain, la boulangerie du douar fait vivre "
        "aujourd'hui douze familles ; chaque femme y gagne environ 2.000 dirhams par mois.",
    ),
    "a parents' association's café paying its young waiters": (
        "Un café tenu par des jeunes autistes ouvre à Meknès",
        "L'association de parents qui porte le projet a reçu une subvention de l'INDH. Les recettes, qui "
        "atteignent 30.000 dirhams par mois, servent à verser une indemnité aux jeunes serveurs.",
    ),
    # A social enterprise named once, in the last line, beside how it works (core_with on its ways).
    "a workshop employing people with disabilities, its prize named last": (
        "شابان يحولان إطارات السيارات المستعملة إلى أحذية بمكناس",
        "تجمع الورشة الإطارات المستعملة من محلات الإصلاح وتحولها إلى نعال وأحذية. ويشتغل بها 15 شخصا، ثلثاهم "
        "من الأشخاص في وضعية إعاقة، ويعاد استثمار جزء من الأرباح في تكوينهم. "
        + NEUTRAL_AR
        + "وفازت الورشة بجائزة المقاولات ذات الأثر الاجتماعي.",
    ),
    "a workshop employing former prisoners, an insertion enterprise named last": (
        "À Kénitra, un atelier transforme les pneus usés en sandales",
        "L'atelier récupère les pneus chez les garagistes et les transforme en sandales. Il emploie quinze "
        "personnes éloignées de l'emploi, dont dix anciens détenus. « Notre but n'est pas seulement le profit », "
        "dit sa fondatrice. " + FILLER_FR + "L'atelier vient d'être reconnu comme entreprise d'insertion.",
    ),
    # A cooperative named once, told through a product the list lacked (capers, ghassoul) and its size.
    "a women's cooperative told through its capers": (
        "Les câpres de Chemaia partent vers l'Espagne",
        "Une coopérative de 40 femmes achète les boutons de câpres aux cueilleuses du douar, les trie et les "
        "conserve en saumure. Les câpres sont vendues à un importateur espagnol.",
    ),
    "a cooperative of forty women told through its capers": (
        "نبات القبار بالشماعية يصل إلى الأسواق الإسبانية",
        "تشتري تعاونية تضم 40 امرأة براعم القبار من نساء الدوار، وتفرزها وتحفظها في الماء والملح، ثم تبيعها "
        "لمستورد إسباني.",
    ),
    "a women's cooperative told through its ghassoul": (
        "Le ghassoul de Missour retrouve ses clientes",
        "Le ghassoul, argile lavante extraite près de Missour, est tamisé et parfumé par une coopérative de "
        "douze femmes. Le ghassoul est vendu dans les hammams de la région.",
    ),
    "a cooperative of twelve women told through its ghassoul": (
        "الغاسول يعود إلى حمامات المنطقة",
        "تقوم تعاونية تضم 12 امرأة بغربلة الغاسول المستخرج قرب ميسور وتعطيره، ويباع الغاسول في حمامات الجهة.",
    ),
    "a cooperative told through its camel meat": (
        "لحم الإبل يصل إلى أسواق الشمال",
        "تعمل تعاونية بكلميم على تقطيع لحم الإبل وتجفيفه وتعبئته، وتبيع لحم الإبل المجفف في أسواق طنجة وتطوان.",
    ),
    "a cooperative told through its melhfas": (
        "La melhfa de Smara s'invite dans les boutiques d'Agadir",
        "Une coopérative de Smara teint et coud les melhfas à la main. Ses melhfas sont vendues à Agadir.",
    ),
    "the INDH's sewing workshop, a monthly wage for each woman": (
        "ورشة للخياطة بتمويل من المبادرة الوطنية للتنمية البشرية",
        "تشتغل في الورشة خمس عشرة امرأة، تتقاضى كل واحدة منهن أجرا شهريا من بيع الملابس للمدارس.",
    ),
    "the INDH's mill, an extra income for the women": (
        "Un moulin à grains financé par l'INDH au douar",
        "Les femmes de l'association y moulent l'orge et le maïs des voisins ; chacune touche un complément de "
        "revenu à la fin du mois.",
    ),
    # A long story about the drought whose one paragraph is the cooperative, named by its own name, and the
    # profits it shares among its members (an anchor).
    "the saffron after the drought, the cooperative one paragraph of four": (
        "Taliouine : le safran après la sécheresse",
        BACKGROUND_FR
        + FILLER_FR
        + "Au village, la coopérative Tamount regroupe 45 femmes qui trient et sèchent le safran avant de le vendre "
        "sous un label de qualité ; les bénéfices sont partagés entre les membres. "
        + BACKGROUND_FR
        + "« Nous espérons une meilleure pluie cet hiver », conclut un agriculteur.",
    ),
    "the saffron after the drought, the cooperative one paragraph of four (ar)": (
        "تالوين: الزعفران بعد سنوات الجفاف",
        BACKGROUND_AR
        + NEUTRAL_AR
        + "وفي الدوار، تقوم تعاونية تامونت بفرز الزعفران وتجفيفه قبل بيعه، وتوزع الأرباح على العضوات في "
        "آخر الموسم. " + BACKGROUND_AR + "ويأمل الفلاحون في موسم ممطر هذا الشتاء.",
    ),
}


@pytest.mark.parametrize("name", THIRD_PASS_SSE)
def test_third_pass_sse_kinds(classifier: Classifier, name: str) -> None:
    title, text = THIRD_PASS_SSE[name]
    result = classify(classifier, title, text)
    assert result.sse, result.reasons


@pytest.mark.parametrize(
    ("title", "text", "code"),
    [
        (
            "تعاونية من تنغير تفوز بجائزة",
            "الرباط – فازت تعاونية نسائية من تنغير بالجائزة الوطنية للمنتوجات المجالية خلال حفل بالرباط.",
            "MA-08",
        ),
        (
            "Une coopérative de Tinghir primée",
            "Rabat – La coopérative féminine de Tinghir a reçu le prix national des produits du terroir lors d'une "
            "cérémonie à Rabat.",
            "MA-08",
        ),
    ],
)
def test_the_city_of_an_award_ceremony_is_not_the_cooperatives_region(
    classifier: Classifier, title: str, text: str, code: str
) -> None:
    """The ceremony's city ([away]) and the dateline both count a quarter: the cooperative's town alone."""
    assert classify(classifier, title, text).regions == [code]


@pytest.mark.parametrize(
    ("title", "text", "codes"),
    [
        (
            "إطلاق برنامج لدعم التعاونيات النسائية في ثلاث جهات",
            "أطلقت الوزارة برنامجا لدعم التعاونيات النسائية بجهات سوس ماسة ودرعة تافيلالت وكلميم واد نون، يستفيد "
            "منه 300 تعاونية.",
            {"MA-09", "MA-08", "MA-10"},
        ),
        (
            "Un programme pour les coopératives de trois régions",
            "Le programme soutiendra 300 coopératives féminines des régions Souss-Massa, Drâa-Tafilalet et de "
            "l'Oriental.",
            {"MA-09", "MA-08", "MA-02"},
        ),
    ],
)
def test_two_regions_of_today_named_side_by_side_are_not_an_old_regions_name(
    classifier: Classifier, title: str, text: str, codes: set[str]
) -> None:
    """The list "Souss-Massa, Drâa-Tafilalet" reads, without its comma, as the old "Souss-Massa-Drâa" and Tafilalet:
    Souss-Massa was lost. Today's name running past the old one's edge sets the old name aside."""
    assert set(classify(classifier, title, text).regions) == codes


# --- speed changes that must not change a thing ---------------------------------------------------


def _similarity_stem_one_by_one(word: str) -> str:
    """The per-word definition ``similarity_stems`` replaced (a call per new word), kept as the oracle."""
    from rasd.classify.text import _ARTICLE_CHAINS, SIMILARITY_STOPWORDS

    if word in SIMILARITY_STOPWORDS or word.isdigit():
        return ""
    for chain in sorted((c for c in _ARTICLE_CHAINS if c[0] == word[0]), key=len, reverse=True):
        if word.startswith(chain) and len(word) - len(chain) >= 3:
            return word[len(chain) :]
    return word


STEM_SAMPLE = (
    "والتعاونيات وبالمدينة فالأسواق للتنمية لله الماء البر والي بالي كالعادة فللفلاحين التي في 2024 "
    "coopérative l économie ال وال بال الفاس فاس ولد والد ببني"
)


def test_similarity_forms_made_together_are_those_made_one_by_one() -> None:
    from rasd.classify.text import similarity_stems, split_normalised

    words = [word for raw in STEM_SAMPLE.split() for word in split_normalised(raw)]
    assert similarity_stems(words) == [_similarity_stem_one_by_one(word) for word in words]
    assert similarity_stems([]) == []


def test_ngram_hashes_are_the_documented_formula() -> None:
    """(Σ code point × M^(n−1−j) + n) × salt mod 2^64, its top 20 bits: Horner's rule gives the same numbers as
    the matrix product it replaced, for every n-gram length the lexicon allows."""
    from rasd.classify.similarity import _MULTIPLIER, _SALT, DIMENSIONS, ngram_vector

    text = " التعاونيات النسائية coopérative ٣ 🌾 "
    shift = 64 - (DIMENSIONS.bit_length() - 1)
    for n in range(1, 13):
        codes = [ord(ch) for ch in text]
        expected = set()
        for start in range(len(codes) - n + 1):
            total = sum(c * _MULTIPLIER ** (n - 1 - j) for j, c in enumerate(codes[start : start + n])) + n
            expected.add((total * _SALT % (1 << 64)) >> shift)
        index, weights = ngram_vector(text, n, n)
        assert index.tolist() == sorted(expected)
        assert index.dtype.name == "int64" and len(weights) == len(index)


def test_a_story_scores_alike_whether_its_words_are_new_or_known(tmp_path: Path) -> None:
    """Every word new (analysed together), every word known, and the raw tokens before a place read one by one
    (a Latin place's article): the same decision, parts, reasons and evidence."""
    title = "Tiznit : la coopérative féminine d'argan inaugure une unité de valorisation"
    text = (
        "TIZNIT, 3 mars (MAP) - La coopérative féminine Tafyoucht, fondée par vingt femmes de la commune "
        "d'Arbaâ Sahel, a inauguré une unité de valorisation de l'huile d'argan avec l'appui de l'INDH. "
        "Ses produits sont vendus au Salon de l'agriculture de Meknès et à Salé. "
        "وأكدت رئيسة التعاونية أن المشروع يوفر دخلا قارا للنساء القرويات بإقليم تيزنيت."
    )
    fresh = load_classifier(seeds_dir=REPO / "seeds")
    first = fresh.classify(title, text)
    again = fresh.classify(title, text)
    other = load_classifier(seeds_dir=REPO / "seeds")
    for raw in (title + " " + text).split():  # each chunk's words analysed on their own, not with the story's
        other._analyse_all(raw)
    warmed = other.classify(title, text)
    assert first.sse and first.regions
    assert first == again == warmed


def test_raw_tokens_are_those_of_the_tokenising_expression() -> None:
    """White-space chunks of letters taken as they stand, the regular expression on the rest: the same tokens
    in the same order, because no white-space character (Unicode's, as ``str.split`` reads it) is a token's."""
    from rasd.classify.text import RAW_TOKEN, raw_tokens

    spaces = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())
    assert not RAW_TOKEN.search(spaces)
    text = (
        "الرباط (و م ع) - أطلقت «تعاونيةُ النساء» بإقليم الرشيدية24 مشروعاً جديداً، وذلك بـــ 1.5 مليون درهم!\n"
        "L'Oriental: la coopérative d'Aït Ben Haddou\u00a0(MAP)–vend l’huile; Œuvre n°3 x_y\u200cz "
        + spaces.join(["ميم", "جيم", "fin."])
    )
    assert raw_tokens(text) == RAW_TOKEN.findall(text)
    assert raw_tokens("") == [] == raw_tokens(" \n ")
