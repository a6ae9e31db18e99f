"""Site boilerplate removal: the rules in config/boilerplate.toml, the per-source lines, the user's seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.config import PACKAGE_DIR, ConfigError, read_toml
from rasd.extract import strip_boilerplate
from rasd.extract.boilerplate import RULES_FILE, load_rule_file
from rasd.extract.normalize import detect_language

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# The user's five reference stories (seeds/, read only): the site each was scraped from (its entry in
# config/sources.toml, None when the site is not listed), the furniture lines they were saved with, and
# the first and last paragraphs of the story itself.
SEED_CASES = {
    "000_e34dd3ac21b5002a.txt": (
        "Atigmedia",
        ["Atigmedia", "المصداقية والدقة في الخبر", "قد يعجبك ايضا", "اترك رد", "لن يتم نشر عنوان بريدك الإلكتروني"],
        "اعتبارا للدور الهام الذي يلعبه الاقتصاد الاجتماعي والتضامني",
        "والجدير بالذكر ان تيزنيت تتميز بكونها تزخر بالعديد من المنتجات المحلية",  # its last paragraph
    ),
    "001_d0b1ad0f26324f72.txt": (
        "Sefroupress",
        ["جريدة صفرو بريس", "Exit mobile version"],
        "فاس – نظمت وزارة السياحة والصناعة التقليدية",
        "لجعل الاقتصاد الاجتماعي والتضامني محركا حقيقيا للتنمية المستدامة والمندمجة على المستوى المحلي",
    ),
    "002_516273ef3f7ea87c.txt": (
        "Akhbar Souss",
        ["اخبار سوس"],
        "في إطار اللقاءات التشاورية حول بلورة الإستراتيجية الوطنية",
        "ستعود على القطاع والعاملين به بالنفع الكبير.",
    ),
    "003_5276708c7a7eb95a.txt": (
        "Errachidia24",
        [
            "12 مايو 2022", "الرشيدية24: متابعة", "اترك تعليق", "لن يتم نشر عنوان بريدك الإلكتروني",
            "الحقول الإلزامية", "شروط التعليق", "عدم الإساءة للكاتب", "الاخبار العاجلة",
        ],
        "ترأس النائب الثاني لرئيس مجلس جهة درعة تافيلالت حسني رشيدي",
        "عرفت مشاركة 186 من الفاعلين في مجال الاقتصاد الاجتماعي والتضامني.",
    ),
    "004_0c86cdf7c69b01be.txt": (
        None,
        [
            "أخبارأخبار سريعةجهات المملكة", "مقالات ذات صلة", "أضف تعليقاً", "لن يتم نشر عنوان بريدك",
            "Back to top button",
        ],
        "انطلقت أمس الاثنين بمدينة أكادير، فعاليات التجمع التقني الأول",
        "وتبادل أفضل الممارسات في قطاع الاقتصاد الاجتماعي والتضامني.",
    ),
}  # fmt: skip


def source_lines(name: str | None) -> list[str]:
    """The `boilerplate` lines of a shipped source, as the crawl cycle hands them to extraction."""
    if name is None:
        return []
    sources = read_toml(PACKAGE_DIR / "sources.toml")["sources"]
    entry = next(source for source in sources if source["name"] == name)
    return list(entry.get("boilerplate", []))


def test_every_seed_has_a_case() -> None:
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SEED_CASES)


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_furniture_is_removed_and_the_story_kept(name: str) -> None:
    source, furniture, first, last = SEED_CASES[name]
    raw = (SEEDS / name).read_text(encoding="utf-8")
    text = strip_boilerplate(raw, detect_language(raw), source_lines(source))
    assert not [line for line in furniture if line in text], text
    body = text.splitlines()
    assert any(line.startswith(first) for line in body[:3]), body[:3]
    assert last in body[-1], body[-1]


def test_seed_title_printed_three_times_is_kept_once_and_its_subheading_stays() -> None:
    raw = (SEEDS / "003_5276708c7a7eb95a.txt").read_text(encoding="utf-8")
    text = strip_boilerplate(raw, "ar")
    assert text.count("مجلس جهة درعة تافيلالت يناقش سبل إنعاش الاقتصاد الاجتماعي والتضامني") == 1
    # a heading of the story that looks like a "related posts" heading ("ذات الصلة") is not one
    assert "المشاريع ذات الصلة بمجال الإقتصاد الاجتماعي" in text


def test_seed_site_names_need_the_sources_own_lines() -> None:
    raw = (SEEDS / "001_d0b1ad0f26324f72.txt").read_text(encoding="utf-8")
    assert "جريدة صفرو بريس" in strip_boilerplate(raw, "ar")  # not a generic rule …
    assert "جريدة صفرو بريس" not in strip_boilerplate(raw, "ar", source_lines("Sefroupress"))  # … the site's


# ---- behaviour of the shipped rules -----------------------------------------------------------------

PARAGRAPH_AR = (
    "وتضم التعاونية ثمانيا وعشرين امرأة من دواوير الجماعة يشتغلن على فتل الكسكس يدويا من القمح الصلب"
    " والشعير والذرة المزروعة محليا، إلى جانب تحضير عجائن تقليدية أخرى تحظى بإقبال الأسر المغربية المقيمة"
    " بالخارج، وتبيعها في الأسواق الأسبوعية."
)
PARAGRAPH_FR = (
    "L'atelier produit pour l'instant environ trois cents bocaux par semaine, vendus dans les épiceries"
    " fines d'Agadir et de Taghazout, ainsi qu'aux surfeurs de passage venus de toute l'Europe, et vise"
    " l'agrément sanitaire avant la fin de l'année."
)


def test_inline_read_also_links_are_dropped_without_ending_the_article() -> None:
    text = f"{PARAGRAPH_AR}\nاقرأ أيضا: موسم الزيتون بجهة بني ملال خنيفرة\n{PARAGRAPH_AR} الفقرة الأخيرة."
    assert strip_boilerplate(text, "ar") == f"{PARAGRAPH_AR}\n{PARAGRAPH_AR} الفقرة الأخيرة."
    text = f"{PARAGRAPH_FR}\nLire aussi : À Tifnit, les pêcheurs attendent\n{PARAGRAPH_FR} Fin."
    assert strip_boilerplate(text, "fr") == f"{PARAGRAPH_FR}\n{PARAGRAPH_FR} Fin."


def test_end_markers_cut_the_rest_but_not_before_the_story() -> None:
    text = f"العنوان\n0 تعليق\nاترك رد\n{PARAGRAPH_AR}\nاترك رداً\nتعليق قارئ طويل بما يكفي ليبدو فقرة من المقال نفسه"
    # "اترك رد" right under the title cannot end a story that has not started yet; after it, it does
    assert strip_boilerplate(text, "ar") == f"العنوان\nاترك رد\n{PARAGRAPH_AR}"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ar", "قد يعجبك أيضاً"),
        ("ar", "اترك تعليقاً"),
        ("ar", "أضف تعليقك"),
        ("ar", "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *"),
        ("ar", "شروط التعليق :"),
        ("ar", "مقالات ذات صلة"),
        ("ar", "أخبار مشابهة"),
        ("ar", "التعليقات (3)"),
        ("ar", "جميع الحقوق محفوظة © 2025 سوس بلوس"),
        ("fr", "Laisser un commentaire"),
        ("fr", "Votre adresse e-mail ne sera pas publiée."),
        ("fr", "2 réflexions sur « Agadir : les coopératives »"),
        ("fr", "Articles similaires"),
        ("fr", "À lire aussi"),
        ("fr", "Réactions (1)"),
        ("fr", "Omar le 02/10/26 à 11h20"),  # a reader's comment's header
        ("fr", "Karim Alaoui le 3 octobre 2026 à 9h05"),
        ("fr", "Union des coopératives laitières du Tadla - Tél. 05 23 00 00 00 - Mentions légales"),
        ("fr", "Soutenez nos actions"),
        ("fr", "Faire un don"),
        ("fr", "Devenez bénévole ou soutenez nos actions auprès des jeunes de la province."),
        ("ar", "ادعم أنشطتنا"),
        ("ar", "تطوع معنا"),
        ("ar", "انضموا إلينا!"),
        ("en", "Leave a Reply"),
        ("und", "Exit mobile version"),
        ("und", "Back to top button"),
    ],
)
def test_end_markers(lang: str, line: str) -> None:
    paragraph = PARAGRAPH_FR if lang == "fr" else PARAGRAPH_AR
    assert strip_boilerplate(f"{paragraph}\n{line}\nما يلي ليس من المقال", lang) == paragraph


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ar", "شارك"),
        ("ar", "شارك الخبر: فيسبوك تويتر واتساب"),
        ("ar", "فيسبوك X واتساب طباعة"),
        ("ar", "36 مشاركة"),
        ("ar", "3 تعليقات"),
        ("ar", "لا توجد تعليقات"),
        ("ar", "الوسوم: التعاونيات تارودانت"),
        ("ar", "أخبارأخبار سريعةجهات المملكة"),
        ("ar", "الرئيسية » جهات » تارودانت: تعاونية نسائية"),
        ("ar", "الأربعاء 13 غشت 2025 - 10:15"),
        ("ar", "نشر في: ١٢ أيلول ٢٠٢٥"),
        ("ar", "اليوم: الثلاثاء 1 دجنبر 2026"),
        ("ar", "© 2025 سوس بلوس"),
        ("ar", "الرشيدية24: متابعة"),
        ("ar", "عزيزي الزائر، لقد دخلت الموقع كزائر. ننصحك بالتسجيل في الموقع أو الدخول باسمك."),  # DLE
        ("ar", "المشاهدات: 1 204 التعليقات (3) +14"),
        ("ar", "03/12/2026 - 17:30 قراءات: 512"),
        ("fr", "Partager :"),
        ("fr", "Accueil > Économie > Agadir"),
        ("fr", "Publié le 1er décembre 2024 à 10h15 / Mis à jour le 2 décembre 2024 à 08h00"),
        ("fr", "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site."),
        ("fr", "© 2025 Souss Hebdo. Tous droits réservés."),
        ("fr", "Étiquettes : pêche, coopératives"),
        ("en", "Share this:"),
    ],
)
def test_noise_lines_are_dropped_where_they_stand(lang: str, line: str) -> None:
    paragraph = PARAGRAPH_FR if lang == "fr" else PARAGRAPH_AR
    assert strip_boilerplate(f"{line}\n{paragraph}\n{line}\n{paragraph} …", lang) == f"{paragraph}\n{paragraph} …"


@pytest.mark.parametrize(
    "line",
    [
        "المشاريع ذات الصلة بمجال الإقتصاد الاجتماعي",
        "وأضاف في تدوينة فيسبوكية « ولم يتوقف الدعم »",
        "برنامج التنمية الجهوية 2022/2027",
        "وأشار إلى أن المعرض سيقام يوم 13 غشت 2025 بساحة المسيرة بمشاركة ستين تعاونية.",
        "Le marché solidaire ouvre le 3 août 2025 à Agadir avec soixante coopératives.",
        "Par Youssef El Idrissi le 02/10/26 à 08h45",
        "Publié le 02/10/26 à 08h45",
        "Faire un don de sang à Agadir devient plus simple grâce à une application.",
        "اقتصاد التضامن",
        "| Province | Projets financés | Montant (MDH) | Portés par des coopératives |",
        "|---|---|---|---|",
        "| Azilal | 48 | 29 |",
        # a subheading of a story about joining a cooperative, not an association's call ("Devenez bénévole")
        "Devenir membre d'une coopérative : ce que prévoit la loi 112-12",
        "Devenir adhérent, mode d'emploi",
        # "joined us" (the same letters as the call "join us", unvowelled) opening a sentence of the story
        "انضم إلينا هذا العام ثلاثون شابا من دواوير الإقليم",
        "انضموا إلينا منذ سنتين وهم اليوم أعضاء في المكتب",
    ],
)
def test_story_lines_that_look_like_furniture_are_kept(line: str) -> None:
    lang = detect_language(line + " " + PARAGRAPH_AR) if "ال" in line else "fr"
    assert line in strip_boilerplate(f"{PARAGRAPH_AR}\n{line}\n{PARAGRAPH_AR}.", lang)


def test_per_source_lines_are_dropped_wherever_they_stand_in_any_spelling() -> None:
    text = f"أكادير 24\nالمصداقية والدقة في الخبر\n{PARAGRAPH_AR}\nالمصداقيه والدقه في الخبر\n{PARAGRAPH_AR}."
    assert strip_boilerplate(text, "ar", ["أكادير 24", "المصداقية والدقة في الخبر"]) == (
        f"{PARAGRAPH_AR}\n{PARAGRAPH_AR}."
    )


# ---- the rule file ----------------------------------------------------------------------------------


def test_the_shipped_rule_file_is_package_data_and_loads() -> None:
    assert RULES_FILE.parent == PACKAGE_DIR and RULES_FILE.name == "boilerplate.toml"
    rules = load_rule_file()
    assert {"any", "ar", "fr", "en"} <= set(rules.sections)
    assert all(rules.sections[lang].get("end") for lang in ("any", "ar", "fr"))


def write_rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "boilerplate.toml"
    path.write_text(
        "min_body_chars = 200\nmax_end_line_chars = 120\ndrop_repeated_lines = true\n" + body, encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[ar]\nend = ['اترك (رد']\n", "[ar] end: 'اترك (رد': not a regular expression"),
        ("[ar]\nnoise = ['(?P<x>a)']\n", "[ar] noise: '(?P<x>a)': named groups are not allowed"),
        ("[ar]\nfooter = ['a']\n", "[ar] footer: unknown key"),
        ("[es]\nend = ['a']\n", "es: unknown key"),
        ("[fr]\nend = 'laisser'\n", "[fr] end: expected a list of non-empty strings"),
        ("[fr]\nend = ['']\n", "[fr] end: expected a list of non-empty strings"),
    ],
)
def test_a_broken_rule_file_is_refused_with_its_place(tmp_path: Path, body: str, message: str) -> None:
    path = write_rules(tmp_path, body)
    with pytest.raises(ConfigError) as error:
        load_rule_file(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_a_missing_or_wrong_setting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.toml"
    path.write_text("min_body_chars = 200\n[ar]\nend = ['a']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="max_end_line_chars: missing"):
        load_rule_file(path)
    path.write_text("min_body_chars = -1\nmax_end_line_chars = 1\ndrop_repeated_lines = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_body_chars: expected a non-negative integer"):
        load_rule_file(path)


def test_rules_from_another_file_apply_with_their_placeholders(tmp_path: Path) -> None:
    path = write_rules(tmp_path, "[ar]\nend = ['نهاية المقال']\nnoise = ['تاريخ: {date}']\nmenu_words = ['رياضة']\n")
    rules = load_rule_file(path).rules(["ar"])
    text = f"رياضة\nتاريخ: 13 غشت 2025\n{PARAGRAPH_AR}\nنهاية المقال\nتعليق"
    assert strip_boilerplate(text, "ar", rules=rules) == PARAGRAPH_AR
