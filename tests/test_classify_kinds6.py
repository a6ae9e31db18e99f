"""Issue 19, seventh rules pass: the kinds a held-out set of messy real-style stories still missed after the sixth
pass, French first, each on short stories written for it (bench/written_kinds6.jsonl holds longer, messier ones).

Misses: a governor's tour or an inauguration whose SSE project is one item of the sentence listing the works, or a
young people's project of the INDH's youth programme; the ODCO and the cooperatives after an institutional opening
that lists roads and drinking water; solidarity restaurants and shops, insertion through economic activity; the
women workers of cooperatives. False alarm: an insurer's or a mutual insurer's commercial news naming cooperatives
(a solidarity mutual that cooperatives create for their members stays SSE). Each test fails on main at 680cb90.
"""

from __future__ import annotations

import pytest

from rasd.classify import Classifier, load_classifier


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The shipped lexicon and gazetteer, with no seeds: scores come from the lexicon alone."""
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))


# --- the SSE project as one item of a tour's list of works ------------------------------------------------------

LISTED = {
    "an income project, the last item of the works' sentence": (
        "Fquih Ben Salah : inauguration de projets a Had Boumoussa",
        "Le gouverneur a inaugure jeudi, dans la commune de Had Boumoussa, un terrain de sport, la salle "
        "d'accouchement du centre de sante, une route de 4 km et une unite de roulage de couscous au profit de 17 "
        "femmes, projet generateur de revenus finance par l'INDH a hauteur de 300.000 dirhams. Chaque femme gagne "
        "environ 1.500 dirhams par mois.",
    ),
    "a women's cooperative after a colon, among a sports field, a pre-school and a track": (
        "Taroudant : 12 projets inaugures a Ouled Berhil",
        "Le gouverneur a procede a l'inauguration de 12 projets de l'INDH a Ouled Berhil: un terrain de proximite, "
        "deux salles de prescolaire, une piste rurale de 6 km, et une unite d'huile d'argan geree par une cooperative "
        "feminine de 38 adherentes, realisee dans le cadre du programme d'amelioration du revenu.",
    ),
    "a women's cooperative, the last item of a French list after its 'et'": (
        "Tata : le gouverneur inaugure des ouvrages a Akka",
        "Le gouverneur a inaugure le reseau d'eau potable de six douars, la piste rurale d'Akka et une cooperative "
        "feminine de couscous, qui a beneficie d'un local, en presence des elus.",
    ),
    "young people's food trucks of the INDH's youth programme": (
        "Khemisset : le gouverneur inaugure des projets a Tiflet",
        "Le gouverneur a inaugure une maison de jeunes renovee et une unite de prescolaire, realisees par l'INDH. Il a "
        "egalement remis les "
        "cles de dix food trucks a dix jeunes porteurs de projets, finances au titre du programme d'inclusion "
        "economique des jeunes.",
    ),
}

TALLIES = {
    "income projects counted in the works' sentence (ar)": (
        "تنغير تخلد ذكرى إطلاق المبادرة الوطنية للتنمية البشرية",
        "خلد إقليم تنغير الذكرى العشرين لإطلاق المبادرة الوطنية للتنمية البشرية بتدشين مشروع للماء الصالح للشرب "
        "وتعبيد طريق بطول 12 كيلومترا. وبلغ عدد المشاريع المنجزة أزيد من 1200 مشروع، من بينها 140 مشروعا مدرا "
        "للدخل في إطار برنامج تحسين الدخل، إلى جانب مشاريع التعليم الأولي والصحة.",
    ),
    "income projects counted in a balance sheet (fr)": (
        "Berkane : l'INDH celebre son anniversaire",
        "Depuis 2005, l'INDH a finance 1.240 projets dans la province, dont 312 projets generateurs de revenus, 45 "
        "unites de prescolaire et 230 km de pistes rurales; la ceremonie a ete marquee par la remise d'ambulances.",
    ),
    "works and young people's sports only": (
        "Nador : le gouverneur visite les equipements pour les jeunes",
        "Le gouverneur a visite la maison des jeunes de Zeghanghane, deux terrains de proximite en gazon synthetique "
        "et le centre socio-sportif de Selouane, finances par l'INDH, et rencontre de jeunes footballeurs.",
    ),
}


@pytest.mark.parametrize("name", LISTED)
def test_the_sse_item_of_a_list_of_works_is_sse(classifier: Classifier, name: str) -> None:
    """A clause of the works' sentence that tells the project (what funded it, who earns from it) names no works:
    the works no longer stop it; a tally's items ("dont 312 projets générateurs", "140 مشروعا مدرا للدخل في إطار
    برنامج تحسين الدخل") and works alone stay not SSE."""
    result = classifier.classify(*LISTED[name])
    assert result.sse, result.reasons
    for story in TALLIES.values():
        assert not classifier.classify(*story).sse, story


# --- the ODCO and the cooperatives after an institutional opening -----------------------------------------------


def test_the_odco_after_an_institutional_opening_is_sse(classifier: Classifier) -> None:
    """The ODCO anchors the story wherever it stands: the roads and drinking water of the council's opening no
    longer make the cooperatives of its fourth paragraph count a quarter."""
    result = classifier.classify(
        "Laayoune : reunion de coordination autour des programmes de developpement",
        "Une reunion de coordination a ete tenue lundi au siege de la wilaya, sous la presidence du wali, en presence "
        "du president du conseil regional, du directeur de l'Agence du Sud, des presidents des conseils provinciaux, "
        "des parlementaires de la region et des chefs des services exterieurs. A l'ouverture, le wali a rappele les "
        "hautes orientations royales relatives au nouveau modele de developpement des provinces du Sud.\n"
        "Les participants ont fait le point sur l'usine de dessalement, la voie express et les projets d'eau potable "
        "et d'assainissement de Laayoune et de Boujdour. Le wali a appele a la coordination entre les intervenants.\n"
        "La delegation regionale de l'ODCO a ensuite presente son programme pour les cooperatives de la region: 38 "
        "cooperatives seront accompagnees pour obtenir l'agrement sanitaire, et les cooperatives les plus actives "
        "participeront au salon national.",
    )
    assert result.sse, result.reasons


# --- solidarity restaurants and shops, insertion through work --------------------------------------------------

SOLIDARITY = {
    "a resto solidaire": (
        "Casablanca : le resto solidaire qui forme des jeunes du quartier",
        "A Derb Sultan, un petit resto solidaire tenu par une association forme chaque annee une vingtaine de jeunes "
        "sans diplome aux metiers de la cuisine. Les repas vendus aux employes paient les formateurs.",
    ),
    "a restaurant social et solidaire": (
        "Agadir : un restaurant social et solidaire emploie des meres seules",
        "Le restaurant, gere par une association, emploie neuf meres celibataires formees a la cuisine.",
    ),
    "an epicerie solidaire": (
        "Sale : une epicerie solidaire ouvre a Hay Karima",
        "Geree par huit femmes salariees de l'association, l'epicerie vend des produits de base a prix coutant.",
    ),
    "insertion through economic activity": (
        "Tanger : un atelier pour les jeunes de Bni Makada",
        "Une association a lance un atelier d'insertion par l'activite economique qui emploie 15 jeunes a la "
        "reparation de meubles; ils sont payes au SMIG le temps de se former.",
    ),
    "a solidarity restaurant in the accusative (ar)": (
        "جمعية بمكناس تفتح مطعما تضامنيا",
        "تشرف على تسيير المطعم 12 امرأة في وضعية هشة، وتخصص مداخيله لأداء أجورهن.",
    ),
    "a social and solidarity restaurant (ar)": (
        "القنيطرة.. نساء يسيرن مطعما اجتماعيا تضامنيا",
        "أنشأت جمعية محلية المطعم لتشغيل عشر نساء في وضعية صعبة.",
    ),
}

NOT_SOLIDARITY = {
    "free meals by volunteers": (
        "Mohammedia : une association distribue 500 repas chauds par jour",
        "L'association distribue chaque soir des repas chauds gratuits aux sans-abri grace aux dons des bienfaiteurs.",
    ),
    "a bank's social responsibility report": (
        "Une banque publie son rapport RSE",
        "Le groupe met en avant la reduction de son empreinte carbone et son soutien a des associations sportives.",
    ),
    "school canteens (ar)": (
        "إطلاق خدمات الإطعام المدرسي بالرشيدية",
        "أعطيت انطلاقة خدمات الإطعام المدرسي لفائدة 18 ألف تلميذ، وتشرف على المطاعم المدرسية جمعيات آباء التلاميذ.",
    ),
}


@pytest.mark.parametrize("name", SOLIDARITY)
def test_solidarity_businesses_are_sse(classifier: Classifier, name: str) -> None:
    """The field's own businesses: "resto solidaire", "épicerie solidaire", "insertion par l'activité
    économique", "مطعما تضامنيا"; charity meals, a bank's CSR and school canteens are not."""
    result = classifier.classify(*SOLIDARITY[name])
    assert result.sse, result.reasons
    for story in NOT_SOLIDARITY.values():
        assert not classifier.classify(*story).sse, story


# --- the women workers of cooperatives (ar) ---------------------------------------------------------------------


def test_the_women_workers_of_cooperatives_are_the_cooperatives_matter(classifier: Classifier) -> None:
    """The women workers of cooperatives ("العاملات بتعاونيات الأركان") anchor a story full of social-protection
    words (a union's statement on rural women); women workers of a private farm stay not SSE."""
    result = classifier.classify(
        "نقابة تدق ناقوس الخطر بشأن أوضاع النساء القرويات",
        "عبرت النقابة عن قلقها من استمرار هشاشة أوضاع النساء بالعالم القروي، إذ ما تزال فئات واسعة منهن خارج "
        "التغطية الصحية والضمان الاجتماعي، وأن الدعم الاجتماعي المباشر لا يصل إلى عدد كبير من الأسر.\n"
        "وخص البيان بالذكر أوضاع العاملات بتعاونيات الأركان بإقليم تارودانت، اللواتي يشتغلن دون تصريح في الضمان "
        "الاجتماعي، مطالبا بإخضاع التعاونيات لمراقبة مفتشية الشغل وبتمكين العاملات من الحماية الاجتماعية.",
    )
    assert result.sse, result.reasons
    farm = classifier.classify(
        "عاملات الفراولة بمولاي بوسلهام يطالبن بالزيادة في الأجور",
        "نظمت العاملات الزراعيات في ضيعات الفراولة وقفة للمطالبة بالزيادة في الأجور والتصريح بهن في الضمان الاجتماعي.",
    )
    assert not farm.sse, farm.reasons


# --- insurers' commercial news; a solidarity mutual of cooperatives -------------------------------------------

INSURERS = {
    "a mutual insurer calling itself an SSE actor": (
        "Assurances : la mutuelle centrale celebre ses 50 ans",
        "L'assureur mutualiste, acteur de l'economie sociale et solidaire, lance une offre de complementaire sante "
        "pour les cooperatives, vendue dans ses agences. Son chiffre d'affaires a atteint 3,1 milliards de dirhams et "
        "les primes emises ont progresse de 5%.",
    ),
    "a cooperative's president waiting for the drought compensation (ar)": (
        "فلاحون بإقليم صفرو يشتكون تأخر تعويضات التأمين",
        "قال رئيس تعاونية فلاحية إن أعضاء التعاونية أدوا أقساط التأمين كاملة، مطالبا شركة التأمين بتسريع التعويض.",
    ),
    "an insurer's discount for cooperatives' members (ar)": (
        "شركة تأمين توقع اتفاقية مع اتحاد تعاونيات",
        "يستفيد أعضاء التعاونيات من تخفيض على أقساط التأمين ضد نفوق الماشية، في إطار استراتيجية الشركة لتوسيع حصتها "
        "في سوق التأمين.",
    ),
}

MUTUALS = {
    "artisans' cooperatives create a health mutual": (
        "Fes : une mutuelle de sante pour les membres des cooperatives d'artisans",
        "Les cooperatives d'artisans ont cree une mutuelle solidaire au profit de leurs membres: chaque cooperateur "
        "verse 40 dirhams par mois et la cooperative en ajoute autant.",
    ),
    "fishing cooperatives' solidarity mutual (ar)": (
        "تعاونيات الصيد التقليدي بالداخلة تؤسس تعاضدية تضامنية",
        "أسست 14 تعاونية للصيد التقليدي تعاضدية تضامنية لفائدة البحارة المنخرطين فيها، يسيرها البحارة أنفسهم.",
    ),
}


@pytest.mark.parametrize("name", INSURERS)
def test_an_insurers_business_is_not_sse(classifier: Classifier, name: str) -> None:
    """Beside an insurer's premiums, contracts and market share the cooperative and SSE words only support (their
    ``unless``); a mutual that cooperatives create for their members names none of those and stays SSE."""
    result = classifier.classify(*INSURERS[name])
    assert not result.sse, result.reasons
    for story in MUTUALS.values():
        assert classifier.classify(*story).sse, story
