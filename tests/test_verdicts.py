"""Readers correct the classifier: `rasd label` (who, when, history), a story marked not SSE never reaches
a digest again, labelled stories as references, `rasd evaluate` and `rasd seeds try`.

Every story here was written for these tests. Storage behaviour runs on SQLite and PostgreSQL; the
commands run as a user runs them, through the real `rasd` on a real SQLite file.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rasd.classify import Classifier, Reference, load_classifier
from rasd.config import Source
from rasd.extract import Article, content_hash
from rasd.storage import Store, UnknownArticle
from tests.bidi import MARKS
from tests.conftest import REPO, run_rasd, write_config
from tests.test_cli_options import AR_WHERE, FR_WHERE

SOURCES = [
    Source(name="Souss Presse", url="https://souss.example/", region="MA-09", lang="ar"),
    Source(name="Atlas Info", url="https://atlas.example/", region="MA-08", lang="fr"),
]

COOPERATIVE = (
    "تعاونية نسائية بتيزنيت توسع وحدة لإنتاج زيت الأركان",
    "وسعت تعاونية نسائية بجماعة الركادة بإقليم تيزنيت وحدتها لإنتاج زيت الأركان بعد حصولها على دعم في إطار "
    "برنامج تحسين الدخل. وتضم التعاونية أربعين امرأة من الدواوير المجاورة، وتقول رئيسة التعاونية إن المداخيل "
    "توزع شهريا على العضوات، وإن التعاونية تستعد للمشاركة في المعرض الجهوي للاقتصاد الاجتماعي والتضامني بأكادير.",
)
# A false alarm a reader corrects: a cooperative bank's results told in SSE words.
FALSE_ALARM = (
    "Une coopérative d'épargne de Ouarzazate annonce ses résultats",
    "La coopérative d'épargne et de crédit de Ouarzazate a réuni ses coopérateurs pour présenter ses résultats "
    "annuels. Les dépôts ont progressé de 8% et les prêts immobiliers de 5%, selon le directeur de la coopérative, "
    "qui a annoncé l'ouverture de deux agences à Zagora et Tinghir et un nouveau service de banque en ligne.",
)
# Borderline: one cooperative, told through its honey, late in a story about a festival.
BORDERLINE = (
    "Imilchil : le festival des fiançailles attire les visiteurs",
    "Le moussem d'Imilchil a attiré cette année des milliers de visiteurs venus assister aux cérémonies "
    "traditionnelles et aux spectacles de chants amazighs. Les hôtels et les gîtes de la région affichaient "
    "complet, et les commerçants se félicitent d'une saison exceptionnelle après deux années difficiles. "
    "Parmi les exposants, une coopérative d'apicultrices du haut Atlas proposait son miel de thym et de lavande, "
    "récolté dans les vallées autour du lac Tislit et vendu en petits pots de verre aux visiteurs du moussem.",
)
# A reference story a user considers adding to seeds/: the same kind of story, told at more length.
CANDIDATE_SEED = (
    "Haut Atlas : des apicultrices d'Imilchil vendent leur miel de thym au moussem\n\n"
    "Au moussem d'Imilchil, une coopérative d'apicultrices du haut Atlas a proposé son miel de thym et de "
    "lavande, récolté dans les vallées autour du lac Tislit et vendu en petits pots de verre aux visiteurs du "
    "moussem. Les apicultrices partagent les revenus de la vente entre les familles des vallées.\n"
)


def _article(title: str, text: str, lang: str, url: str) -> Article:
    return Article(
        url=url,
        title=title,
        text=text,
        date=datetime(2026, 11, 28, 8, 0, tzinfo=UTC),
        date_source="meta:article:published_time",
        author=None,
        lang=lang,
        site_name=None,
        content_hash=content_hash(text),
    )


def fill(store: Store, classifier: Classifier) -> dict[str, int]:
    """The three stories, classified by the shipped classifier and stored; their article ids by name."""
    store.sync_sources(SOURCES)
    ids = {}
    for name, (title, text), source, lang in [
        ("cooperative", COOPERATIVE, "Souss Presse", "ar"),
        ("false alarm", FALSE_ALARM, "Atlas Info", "fr"),
        ("borderline", BORDERLINE, "Atlas Info", "fr"),
    ]:
        url = f"https://{name.replace(' ', '-')}.example/story"
        region = next(s.region for s in SOURCES if s.name == source)
        verdict = classifier.classify(title, text, lang, region)
        article_id = store.save_article(source, url, _article(title, text, lang, url), verdict)
        assert article_id is not None
        ids[name] = article_id
    return ids


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    return load_classifier(seeds_dir=REPO / "seeds")


def test_the_stories_are_what_the_tests_say(classifier: Classifier) -> None:
    assert classifier.classify(*COOPERATIVE).sse
    assert classifier.classify(*FALSE_ALARM).sse  # the mistake readers correct
    borderline = classifier.classify(*BORDERLINE)
    assert not borderline.sse and borderline.score + classifier.lexicon.similarity.weight >= classifier.threshold


# ---- the store ----------------------------------------------------------------------------------------


def test_a_verdict_is_recorded_with_who_and_when_and_the_newest_counts(
    database_url: str, classifier: Classifier
) -> None:
    store = Store(database_url)
    try:
        ids = fill(store, classifier)
        first = store.add_label(ids["false alarm"], False, None, "amina")
        store.add_label(ids["cooperative"], True, "MA-09", "youssef")
        second = store.add_label(ids["false alarm"], True, "MA-08", "karim")
        history = store.label_history(ids["false alarm"])
        assert [(label.sse, label.labelled_by) for label in history] == [(False, "amina"), (True, "karim")]
        assert first.labelled_at <= second.labelled_at
        current = {item.label.article_id: item for item in store.labelled_articles()}
        assert set(current) == {ids["false alarm"], ids["cooperative"]}
        assert current[ids["false alarm"]].label.sse is True and current[ids["false alarm"]].label.region == "MA-08"
        assert current[ids["cooperative"]].source_region == "MA-09"
        assert current[ids["cooperative"]].title == COOPERATIVE[0]
        with pytest.raises(UnknownArticle):
            store.add_label(999_999, True, None, "amina")
    finally:
        store.close()


def test_a_story_marked_not_sse_never_reaches_a_digest_again(database_url: str, classifier: Classifier) -> None:
    store = Store(database_url)
    try:
        ids = fill(store, classifier)

        def waiting() -> set[int]:
            stories = store.undelivered_stories("everything", ["all"], ["ar", "fr"], 0.0)
            return {story.article_id for story in stories}

        assert {ids["cooperative"], ids["false alarm"]} <= waiting()
        store.add_label(ids["false alarm"], False, None, "amina")
        assert ids["false alarm"] not in waiting()
        assert ids["cooperative"] in waiting()
        store.add_label(ids["cooperative"], True, None, "amina")  # an SSE verdict changes nothing
        assert ids["cooperative"] in waiting()
        store.add_label(ids["false alarm"], True, None, "karim")  # the newest verdict counts
        assert ids["false alarm"] in waiting()

        # A copy of the cooperative story on another site, found and rejected there: the story goes.
        title, text = COOPERATIVE
        url = "https://copy.example/story"
        copy = store.save_article("Atlas Info", url, _article(title, text, "ar", url), classifier.classify(title, text))
        assert copy is not None and store.story(copy) is not None
        assert ids["cooperative"] in waiting() and copy not in waiting()  # the digest carries the first copy
        store.add_label(copy, False, None, "amina")
        assert ids["cooperative"] not in waiting()
    finally:
        store.close()


# ---- references for the classifier -------------------------------------------------------------------


def test_a_copy_of_a_story_a_reader_rejected_is_not_flagged_again() -> None:
    rejected = Reference("article 7", f"{FALSE_ALARM[0]}\n{FALSE_ALARM[1]}", sse=False)
    learnt = load_classifier(seeds_dir=REPO / "seeds", references=[rejected])
    rerun = learnt.classify(FALSE_ALARM[0] + " (mise à jour)", FALSE_ALARM[1])
    assert not rerun.sse
    assert any("article 7, marked not SSE by a reader" in reason for reason in rerun.reasons)
    assert rerun.parts["rejected_similarity"] < 0
    assert learnt.classify(*COOPERATIVE).sse  # other stories are left alone


def test_a_story_a_reader_marked_sse_lifts_a_similar_borderline_story(classifier: Classifier) -> None:
    accepted = Reference("article 9", CANDIDATE_SEED, sse=True)
    learnt = load_classifier(seeds_dir=REPO / "seeds", references=[accepted])
    result = learnt.classify(*BORDERLINE)
    assert result.sse and not classifier.classify(*BORDERLINE).sse
    assert any("(article 9)" in reason for reason in result.reasons)


# ---- the commands, as a user runs them ---------------------------------------------------------------


@pytest.fixture
def configured(tmp_path: Path, classifier: Classifier) -> tuple[Path, dict[str, int]]:
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    try:
        ids = fill(store, classifier)
    finally:
        store.close()
    return config, ids


ENGLISH = ("SSE story", "threshold", "Why this story", "About:", "Where:", "Key:", "reader", "verdict",
           "vocabulary", "part of the score", "resemblance", "set aside", "negative term")  # fmt: skip
FSI, PDI = "\u2068", "\u2069"


def test_rasd_label_records_the_verdict_and_says_what_changes(configured: tuple[Path, dict[str, int]]) -> None:
    """Everything `rasd label` says, its refusals too, is in one language: --lang, else (no subscription to
    follow) the article's, Arabic or French; ids, codes and names as they are, kept in order by the marks
    of the commands' lines (`Speech`: tests/test_cli_bidi.py lays them out), never the digest's isolates."""
    config, ids = configured
    cwd = config.parent
    done = run_rasd("--config", str(config), "label", str(ids["false alarm"]), "not-sse", "--by", "amina", cwd=cwd)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"article {ids['false alarm']} : hors ESS — par amina, le ") and "UTC" in lines[0]
    assert lines[1].startswith("  le classifieur l’avait signalé ESS (score ") and lines[1].endswith(") : corrigé")
    assert lines[2] == "  il n’apparaîtra plus dans aucun envoi"

    env = {"RASD_USER": "youssef"}
    done = run_rasd(
        "--config", str(config), "label", str(ids["cooperative"]), "sse", "--region", "ma-09", cwd=cwd, env=env
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.translate(MARKS).splitlines()
    said = f"المقال {ids['cooperative']}: الاقتصاد الاجتماعي والتضامني، جهة MA-09 سوس ماسة — حكم youssef، "
    assert lines[0].startswith(said), lines
    assert lines[1].startswith("  كان المصنِّف قد عدّه") and lines[1].endswith(": القارئ موافق")
    assert not any(word in done.stdout for word in ENGLISH) and FSI not in done.stdout, done.stdout

    unknown = run_rasd("--config", str(config), "label", "424242", "sse", cwd=cwd)
    assert (
        unknown.returncode == 1
        and unknown.stderr.strip() == f"erreur : aucun article ne porte le numéro 424242{FR_WHERE}"
    )
    unknown = run_rasd("--config", str(config), "label", "424242", "sse", "--lang", "ar", cwd=cwd)
    assert (
        unknown.returncode == 1
        and unknown.stderr.translate(MARKS).strip() == f"خطأ: لا يوجد مقال رقمه 424242{AR_WHERE.translate(MARKS)}"
    )
    bad = run_rasd("--config", str(config), "label", str(ids["cooperative"]), "sse", "--region", "MA-13", cwd=cwd)
    refused = bad.stderr.translate(MARKS)
    assert bad.returncode == 2 and refused.startswith("خطأ: --region: MA-13 ليست جهة: هل تقصد ") and bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1 and "Traceback" not in bad.stderr
    near = run_rasd("--config", str(config), "label", str(ids["borderline"]), "sse", "--region", "Sous", cwd=cwd)
    assert near.returncode == 2
    assert near.stderr.translate(MARKS).startswith(
        "erreur : --region : Sous n’est pas une région : vouliez-vous dire MA-09 Souss-Massa · سوس ماسة ?"
    )
    maybe = run_rasd("--config", str(config), "label", str(ids["borderline"]), "maybe", cwd=cwd)
    assert (
        maybe.returncode == 2
        and maybe.stderr.strip() == "erreur : maybe n’est pas un avis : indiquez ess ou non-ess (ou oui, non)"
    )
    english = run_rasd("--config", str(config), "label", "424242", "sse", "--lang", "en", cwd=cwd)
    assert (
        english.stderr.strip()
        == "error: no article 424242: the numbers are those that begin each story's line in `rasd search`"
    )

    explained = run_rasd("--config", str(config), "explain", str(ids["false alarm"]), cwd=cwd)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.splitlines()[4].startswith("Avis d’un lecteur : hors ESS — amina, ")

    store = Store(f"sqlite:///{config.parent / 'rasd.db'}")
    try:
        assert [label.labelled_by for label in store.label_history(ids["cooperative"])] == ["youssef"]
    finally:
        store.close()


def test_rasd_evaluate_on_the_store_labels_and_a_labelled_file(configured: tuple[Path, dict[str, int]]) -> None:
    config, ids = configured
    cwd = config.parent
    empty = run_rasd("--config", str(config), "evaluate", cwd=cwd)
    assert empty.returncode == 0 and "none yet" in empty.stdout
    for article, verdict, region in [("false alarm", "not-sse", None), ("cooperative", "sse", "MA-09")]:
        args = ["label", str(ids[article]), verdict, *(["--region", region] if region else [])]
        assert run_rasd("--config", str(config), *args, cwd=cwd).returncode == 0

    labelled = cwd / "labelled.jsonl"
    rows = [
        {"id": "ok", "title": COOPERATIVE[0], "text": COOPERATIVE[1], "sse": True, "regions": ["MA-09"]},
        {"id": "wrong-region", "title": COOPERATIVE[0], "text": COOPERATIVE[1], "sse": True, "regions": ["MA-01"]},
        {"id": "missed", "title": BORDERLINE[0], "text": BORDERLINE[1], "sse": True, "regions": None},
    ]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    labelled.write_text("\n".join([lines[0], "{broken", lines[1], '{"id": "x", "text": "t"}', lines[2]]), "utf-8")
    done = run_rasd("--config", str(config), "evaluate", str(labelled), cwd=cwd)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "readers' labels in the store: 2 stories, 1 SSE" in out
    assert "precision 0.500  recall 1.000  (1 found, 1 false alarm, 0 missed)" in out
    assert "region accuracy 1.000 (1 of 1" in out
    assert f"false alarm: {ids['false alarm']} {FALSE_ALARM[0]}" in out
    assert f"{labelled}: 3 stories, 3 SSE" in out
    assert "precision 1.000  recall 0.667  (2 found, 0 false alarms, 1 missed)" in out
    assert "region accuracy 0.500 (1 of 2" in out
    assert f"missed: missed {BORDERLINE[0]}" in out
    assert "region: wrong-region" in out and "instead of MA-01" in out
    assert f"{labelled}:2: not JSON" in done.stderr and f'{labelled}:4: "sse" must be true or false' in done.stderr

    arabic = run_rasd("--config", str(config), "evaluate", str(labelled), cwd=cwd, env={"RASD_LANG": "ar"})
    assert arabic.returncode == 0, arabic.stderr
    said = arabic.stdout.translate(MARKS)
    assert "أحكام القراء في القاعدة: مقالان، منها 1 عن الاقتصاد الاجتماعي والتضامني" in said, said
    assert "الدقة 0,500  الاستدعاء 1,000  (خبر واحد وُجد، إنذار خاطئ واحد، لا خبر فائت)" in said, said
    assert "precision" not in said and "false alarm" not in said
    # a miss's reasons too: the classifier's words in the reader's, the story's words and figures as they are
    assert "خارج الاقتصاد الاجتماعي والتضامني: النتيجة" in said, said
    assert re.search(r"العتبة \d,\d\d", said), said  # numbers as Morocco writes them, like the figures above
    assert "not SSE" not in said and "threshold" not in said and "matched:" not in said and "region MA" not in said
    french = run_rasd("--config", str(config), "evaluate", str(labelled), cwd=cwd, env={"RASD_LANG": "fr"})
    assert "précision 1,000  rappel 0,667  (2 trouvés, 0 fausse alerte, 1 manqué)" in french.stdout, french.stdout
    assert f"{labelled}:2 : pas du JSON" in french.stderr, french.stderr
    assert "hors ESS : score" in french.stdout and re.search(r"seuil \d,\d\d", french.stdout), french.stdout
    assert "not SSE" not in french.stdout and "threshold" not in french.stdout and "matched:" not in french.stdout
    assert "not SSE: score" in out and "threshold" in out  # English as `rasd classify` writes them


def test_a_negative_terms_kind_is_said_in_the_readers_words(classifier: Classifier) -> None:
    """`rasd evaluate` lists a miss's reasons: a negative term's kind is the lexicon's English, said as
    `rasd explain` says it (msgctxt "negative"); `rasd classify` keeps the English line."""
    from rasd.monitor.speech import Speech

    title = "المولودية الوجدية تفوز على ضيفها"
    text = "فاز فريق المولودية الوجدية على ضيفه بهدفين لصفر ضمن منافسات البطولة الوطنية الاحترافية بوجدة."
    (negative,) = [reason for reason in classifier.classify(title, text).reasons if reason.startswith("negative:")]
    assert negative == "negative: البطولة الوطنية ×1 (sports club)"
    assert Speech("fr").told(negative).translate(MARKS) == "négatif : البطولة الوطنية ×1 (club sportif)"
    assert Speech("ar").told(negative).translate(MARKS) == "سلبي: البطولة الوطنية ×1 (نادٍ رياضي)"


def test_rasd_seeds_try_lists_the_stories_a_new_seed_would_flag(configured: tuple[Path, dict[str, int]]) -> None:
    config, ids = configured
    cwd = config.parent
    candidate = cwd / "apicultrices.txt"
    candidate.write_text(CANDIDATE_SEED, encoding="utf-8")
    done = run_rasd("--config", str(config), "seeds", "try", str(candidate), cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert "tried on the 3 most recently stored stories (5 reference stories today)" in done.stdout
    assert "it would newly flag 1 story:" in done.stdout
    assert f"{ids['borderline']:>7}  2026-11-28  Atlas Info: {BORDERLINE[0]}" in done.stdout
    assert COOPERATIVE[0] not in done.stdout  # flagged already: not listed
    french = run_rasd("--config", str(config), "seeds", "try", str(candidate), cwd=cwd, env={"RASD_LANG": "fr"})
    assert "il ferait repérer 1 article de plus :" in french.stdout, french.stdout
    assert f"{ids['borderline']:>7}  2026-11-28  Atlas Info : {BORDERLINE[0]}" in french.stdout

    unrelated = cwd / "foot.txt"
    unrelated.write_text(
        "Le Raja bat le Wydad\n\nLe Raja a battu le Wydad deux buts à un au stade Mohammed V.\n", "utf-8"
    )
    done = run_rasd("--config", str(config), "seeds", "try", str(unrelated), cwd=cwd)
    assert done.returncode == 0 and "it would flag no story that is not flagged today" in done.stdout
    blank = cwd / "blank.txt"
    blank.write_text("\n\n", encoding="utf-8")
    done = run_rasd("--config", str(config), "seeds", "try", str(blank), cwd=cwd)
    assert done.returncode == 2 and f"{blank}: empty" in done.stderr


def test_rasd_browse_shows_the_verdicts_beside_the_classifier(tmp_path: Path, classifier: Classifier) -> None:
    import asyncio

    from rasd.monitor.browse import datasette_for

    db = tmp_path / "rasd.db"
    store = Store(f"sqlite:///{db}")
    try:
        ids = fill(store, classifier)
        store.add_label(ids["cooperative"], True, "MA-09", "youssef")
        store.add_label(ids["false alarm"], True, None, "amina")
        store.add_label(ids["false alarm"], False, None, "amina")
    finally:
        store.close()
    datasette = datasette_for(db)
    response = asyncio.run(datasette.client.get("/rasd/readers_verdicts.json?_shape=array"))
    assert response.status_code == 200, response.text
    rows = response.json()
    assert [(row["article_id"], row["reader_sse"], row["classifier_sse"]) for row in rows] == [
        (ids["false alarm"], 0, 1),  # the disagreement first, its newest verdict only
        (ids["cooperative"], 1, 1),
    ]
    assert rows[1]["region"] == "MA-09" and rows[1]["labelled_by"] == "youssef"


def test_explain_says_first_that_readers_kept_the_story_out_of_digests_in_one_language(
    configured: tuple[Path, dict[str, int]], classifier: Classifier
) -> None:
    """The verdict is given on another site's copy of the story (as found by `rasd search`): `rasd explain`
    of the story shows it, who and when, and that no digest carries it — every line in the reader's
    language (with no subscription to follow, the article's: French; --lang ar), without the bidi marks a
    terminal shows as stray characters."""
    config, ids = configured
    cwd = config.parent
    store = Store(f"sqlite:///{cwd / 'rasd.db'}")
    try:
        url = "https://copy.example/the-same-story"
        verdict = classifier.classify(*FALSE_ALARM, "fr", "MA-09")
        copy = store.save_article("Souss Presse", url, _article(*FALSE_ALARM, "fr", url), verdict)
    finally:
        store.close()
    assert copy is not None and copy != ids["false alarm"]
    done = run_rasd("--config", str(config), "label", str(copy), "not-sse", "--by", "amina", cwd=cwd)
    assert done.returncode == 0, done.stderr

    french = run_rasd("--config", str(config), "explain", str(ids["false alarm"]), cwd=cwd)
    assert french.returncode == 0, french.stderr
    lines = french.stdout.splitlines()
    assert lines[3] == "aussi sur Souss Presse : https://copy.example/the-same-story"  # its copy, on another site
    assert lines[4].startswith("Classifieur : article ESS, score ")
    # in the digests' time zone, as the publication two lines above (it was UTC beside a Moroccan time)
    assert lines[5].startswith("Avis d’un lecteur : hors ESS — amina, ") and "UTC" not in lines[5], lines[5]
    assert re.fullmatch(r"Avis d’un lecteur : hors ESS — amina, \d+ \w+ \d{4} à \d\d:\d\d", lines[5]), lines[5]
    assert lines[6] == "Écarté de tous les envois : un lecteur l’a jugé hors ESS."
    assert "Pourquoi cet article :" in french.stdout and "Légende : " in french.stdout
    assert not any(word in french.stdout for word in ENGLISH), french.stdout

    arabic = run_rasd("--config", str(config), "explain", str(ids["false alarm"]), "--lang", "ar", cwd=cwd)
    assert arabic.returncode == 0, arabic.stderr
    lines = arabic.stdout.splitlines()
    assert lines[5].startswith("حكم قارئ: خارج الاقتصاد الاجتماعي والتضامني — amina، ")
    assert lines[6] == "مستبعد من كل النشرات: حكم قارئ بأنه خارج الاقتصاد الاجتماعي والتضامني."
    assert "لماذا هذا الخبر:" in arabic.stdout and "جزء النتيجة" in arabic.stdout
    assert not any(word in arabic.stdout for word in ENGLISH), arabic.stdout
    assert FSI not in arabic.stdout + french.stdout and PDI not in arabic.stdout + french.stdout

    # no --lang: the subscriptions' digest language when they share one, whatever the article's
    subscribed = cwd / "arabic.toml"
    reader = '[[subscriptions]]\nname = "Souss"\nemail = "souss@example.ma"\nlanguage = "ar"\n'
    subscribed.write_text(config.read_text(encoding="utf-8") + reader, encoding="utf-8")
    followed = run_rasd("--config", str(subscribed), "explain", str(ids["false alarm"]), cwd=cwd)
    assert followed.returncode == 0, followed.stderr
    assert followed.stdout == arabic.stdout


def test_rasd_label_without_a_database_says_so_and_creates_none(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    result = run_rasd("--config", str(config), "label", "1", "sse", cwd=tmp_path)
    assert result.returncode == 1
    # the words of status, search and explain (Context.existing_store)
    assert result.stderr.startswith(f"rasd: no database at {tmp_path / 'rasd.db'} (settings: "), result.stderr
    assert "run `rasd crawl` first" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "rasd.db").exists()


def test_rasd_evaluate_and_seeds_try_without_a_database_say_so_in_one_line(tmp_path: Path) -> None:
    """On a new machine, before any crawl: one line saying what to do (it was a SchemaBehind traceback);
    with a labelled file, `evaluate` still measures the file."""
    config = write_config(tmp_path, "")
    seed = tmp_path / "seed.txt"
    seed.write_text(CANDIDATE_SEED, encoding="utf-8")
    for args in (("evaluate",), ("seeds", "try", str(seed))):
        result = run_rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.startswith(f"rasd: no database at {tmp_path / 'rasd.db'} (settings: "), result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert not (tmp_path / "rasd.db").exists()
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(json.dumps({"id": "a", "title": "", "text": COOPERATIVE[1], "sse": True}) + "\n", "utf-8")
    result = run_rasd("--config", str(config), "evaluate", str(labelled), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("readers' labels in the store: none (no database at "), result.stdout
    assert str(labelled) in result.stdout and "Traceback" not in result.stderr
