"""opinion14: the kinds two blind sets (heldout13, heldout14) still took for SSE, told on short stories written for
these tests (bench/written_kinds14.jsonl holds longer ones of each kind, with the SSE stories beside them).

False alarms: a party's speech, statement or programme that wants "an economy social and solidary"; a recruitment notice
of the cooperative development office (ODCO) or of a cooperative; a firm whose brand is "La Coopérative …"; another
country's cooperatives in a story that names Morocco (Almería's against Moroccan tomatoes). Beside each, the SSE story
that shares its words: a party's deputies amending the SSE framework bill, the ODCO's call to cooperatives, a
carpenters' cooperative making furniture, a Moroccan cooperative exporting to Spain. Each false alarm is SSE on main
at 2a032a1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.classify import Classifier, load_classifier
from rasd.classify.lexicon import load_lexicon
from rasd.config import ConfigError

LEXICON = Path(__file__).resolve().parent.parent / "config" / "lexicon.toml"


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The shipped lexicon and gazetteer, with no seeds: scores come from the lexicon alone."""
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


NOT_SSE = {
    "a party leader's rally (fr)": (
        "Fès : le secrétaire général du parti promet « une économie sociale et solidaire »",
        "Devant les militants réunis au palais des congrès, le secrétaire général du parti a dénoncé la cherté de la "
        "vie et promis « une économie sociale et solidaire au service des familles ». Il a appelé les militants à se "
        "mobiliser pour les prochaines échéances.",
        "party politics",
    ),
    "a party's political bureau (ar)": (
        "المكتب السياسي للحزب يدعو إلى اقتصاد اجتماعي وتضامني",
        "دعا المكتب السياسي للحزب، في اجتماعه الأسبوعي بالرباط، إلى اقتصاد اجتماعي وتضامني يحمي القدرة الشرائية، "
        "وانتقد حصيلة الحكومة في التشغيل. وحث مناضلي الحزب على التعبئة استعدادا للاستحقاقات المقبلة.",
        "party politics",
    ),
    "the ODCO's recruitment competition (ar)": (
        "مكتب تنمية التعاون يعلن عن مباراة لتوظيف تقنيين",
        "ينظم مكتب تنمية التعاون مباراة لتوظيف عشرة تقنيين من الدرجة الثالثة. شروط الترشيح: دبلوم تقني متخصص وسن "
        "لا يتجاوز 40 سنة. آخر أجل لإيداع ملفات الترشيح هو 20 مارس.",
        "a job advertisement",
    ),
    "the ODCO recruits (fr)": (
        "L'ODCO recrute des cadres",
        "L'Office du développement de la coopération recrute six cadres. Les dossiers de candidature, avec une lettre "
        "de motivation, sont à déposer avant le 15 avril ; les épreuves écrites auront lieu à Rabat.",
        "a job advertisement",
    ),
    "a furniture brand called 'La Coopérative'": (
        "La Coopérative du Bois ouvre un showroom à Tanger",
        "L'enseigne de mobilier La Coopérative du Bois, une entreprise familiale fondée à Tanger, a ouvert un showroom "
        "de 900 m². La Coopérative du Bois vise Rabat l'an prochain.",
        "a private company's business",
    ),
    "Almería's cooperatives against Moroccan tomatoes (fr)": (
        "Les coopératives d'Almería manifestent contre la tomate du Maroc",
        "Les coopératives d'Almería ont manifesté contre les importations de tomates du Maroc. Selon leur fédération, "
        "les coopératives de la province ont perdu des ventes en Europe.",
        "cooperatives abroad",
    ),
    "Andalusia's cooperatives against Moroccan fruit (ar)": (
        "تعاونيات الأندلس تحتج على واردات الفواكه المغربية",
        "احتجت تعاونيات الأندلس على واردات الفواكه الحمراء القادمة من المغرب، وقالت إن تعاونيات ويلفا فقدت جزءا من "
        "زبنائها في أوروبا.",
        "cooperatives abroad",
    ),
}

SSE = {
    "a party's deputies amending the SSE framework bill": (
        "Loi-cadre sur l'ESS : le groupe parlementaire du parti dépose ses amendements",
        "Le groupe parlementaire du parti a déposé des amendements au projet de loi-cadre relatif à l'économie sociale "
        "et solidaire : ouvrir 10 % de la commande publique des communes aux coopératives et créer un registre des "
        "coopératives tenu par l'Office du développement de la coopération.",
    ),
    "the ODCO's call to cooperatives to join its programme": (
        "مكتب تنمية التعاون يفتح باب الترشيح أمام التعاونيات",
        "فتح مكتب تنمية التعاون باب الترشيح أمام التعاونيات حديثة التأسيس للاستفادة من برنامج مواكبة يشمل التكوين "
        "في التسيير والتسويق. وتودع ملفات التعاونيات لدى المندوبيات الجهوية للمكتب.",
    ),
    "a carpenters' cooperative making school furniture": (
        "Salé : une coopérative de menuisiers équipe les écoles",
        "La coopérative Al Fath, qui réunit 23 menuisiers de Salé, a livré 1.500 tables-bancs aux écoles. Les "
        "coopérateurs ont mis en commun leurs machines et se partagent les excédents.",
    ),
    "a Moroccan women's cooperative exporting to Spain": (
        "تعاونية نسائية بشفشاون تصدر جبن الماعز إلى إسبانيا",
        "صدرت تعاونية نسائية لإنتاج جبن الماعز بإقليم شفشاون أول شحنة إلى إسبانيا. وتضم التعاونية 26 امرأة يصنعن "
        "الجبن في وحدة مجهزة، وتوزع الأرباح على المنخرطات.",
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_SSE))
def test_the_kinds_taken_for_sse_are_not_and_say_why(classifier: Classifier, name: str) -> None:
    title, text, kind = NOT_SSE[name]
    result = classifier.classify(title, text)
    assert not result.sse, (name, result.score, result.reasons)
    # what `rasd explain` tells: the negative and its kind, which the catalogs name in Arabic and French
    assert kind in {term.kind for term in result.evidence.negatives}, result.reasons


@pytest.mark.parametrize("name", sorted(SSE))
def test_the_sse_stories_sharing_their_words_stay_sse(classifier: Classifier, name: str) -> None:
    title, text = SSE[name]
    result = classifier.classify(title, text)
    assert result.sse, (name, result.score, result.reasons)


def test_a_mutuals_death_benefit_is_not_an_obituary(classifier: Classifier) -> None:
    """A mutual's help to a member's family at death ("عند الوفاة") is the mutual's own words, not an obituary's."""
    result = classifier.classify(
        "متقاعدو التعليم بتزنيت يؤسسون تعاضدية للتكافل",
        "أسس مائة أستاذ متقاعد بتزنيت تعاضدية يساهم فيها كل عضو بمائة درهم شهريا. وتتحمل التعاضدية جزءا من مصاريف "
        "العلاج، وتمنح مساعدة لأسرة العضو عند الوفاة، ويديرها مكتب منتخب يعرض حساباته في جمع عام سنوي.",
    )
    assert "obituaries" not in {term.kind for term in result.evidence.negatives}, result.reasons
    assert result.sse, (result.score, result.reasons)


def test_abroad_names_positive_kinds(tmp_path: Path) -> None:
    """A negative's ``abroad`` list is checked like ``unless``: a kind no positive group has is an error."""
    text = LEXICON.read_text(encoding="utf-8").replace(
        'abroad = [\n    "cooperatives",', 'abroad = [\n    "cooperativez",', 1
    )
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="abroad: no positive group of kind 'cooperativez'"):
        load_lexicon(path)
