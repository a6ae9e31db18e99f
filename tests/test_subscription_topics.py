"""A subscription that keeps to some topics (`topics = ["cooperatives"]` in its [[subscriptions]] entry),
with regions and languages: `rasd digest` run as a user runs it, to an SMTP server on loopback (aiosmtpd),
over stories written for these tests and classified by the shipped classifier."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from rasd.classify import load_classifier
from rasd.config import Source
from rasd.extract import Article, content_hash
from rasd.storage import Store
from rasd.storage.database import MIGRATIONS_DIR, open_engine
from tests.conftest import REPO, run_rasd
from tests.test_alerts import Recorder, free_port, parts

SOURCES = [
    Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09"),
    Source(name="Oujda Live", url="https://oujda.example/", region="MA-02"),
    Source(name="Settat Actu", url="https://settat.example/", region="MA-06"),
]
# Written for these tests: (source, slug, language, title, text)
STORIES = [
    (
        "Tiznit Info",
        "argan",
        "fr",
        "Tiznit : une coopérative de femmes lance sa nouvelle huile d'argan",
        "À Tiznit, la coopérative féminine Tifawin, qui réunit quarante femmes de la commune, a inauguré son unité "
        "de pressage. Les membres de la coopérative vendront leur huile d'argan au salon régional d'Agadir.",
    ),
    (
        "Oujda Live",
        "couscous",
        "ar",
        "وجدة: تعاونية نسائية لإنتاج الكسكس تفتتح وحدة جديدة",
        "افتتحت تعاونية نسائية بمدينة وجدة وحدة جديدة لإنتاج الكسكس، وتضم التعاونية ثلاثين امرأة من المنطقة."
        " وأكدت رئيسة التعاونية أن المنتجات ستعرض في المعرض الجهوي للتعاونيات.",
    ),
    (
        "Settat Actu",
        "lait",
        "fr",
        "Settat : la coopérative laitière Al Baraka double sa collecte",
        "À Settat, la coopérative laitière Al Baraka, qui réunit deux cents éleveurs, a doublé sa collecte de lait"
        " cette année. Les coopérateurs ont élu un nouveau conseil d'administration de la coopérative.",
    ),
    (
        "Tiznit Info",
        "indh",
        "fr",
        "Tiznit : l'INDH finance vingt projets générateurs de revenus pour les jeunes",
        "L'Initiative nationale pour le développement humain a financé à Tiznit vingt projets générateurs de revenus"
        " portés par des jeunes de la province. Les porteurs de projets ont reçu leurs subventions hier.",
    ),
    (  # an association's income project that names a cooperative once, in passing: not a cooperatives story
        "Tiznit Info",
        "association",
        "fr",
        "Tiznit : l'association Tiwizi lance un projet d'élevage caprin générateur de revenus",
        "L'association Tiwizi pour le développement, à Tiznit, a lancé un projet générateur de revenus d'élevage"
        " caprin au profit de trente femmes de douars enclavés. Financé par l'Initiative nationale pour le"
        " développement humain, le projet prévoit la distribution de chèvres et une formation à l'élevage. Les"
        " bénéficiaires pourront à terme vendre le lait à la coopérative laitière voisine, explique le président"
        " de l'association.",
    ),
    (
        "Tiznit Info",
        "indh-ar",
        "ar",
        "تيزنيت: المبادرة الوطنية للتنمية البشرية تمول مشاريع مدرة للدخل",
        "مولت المبادرة الوطنية للتنمية البشرية بإقليم تيزنيت عشرين مشروعا مدرا للدخل لفائدة الشباب،"
        " وتسلم حاملو المشاريع الدعم أمس بمقر العمالة.",
    ),
]


def _store(tmp_path: Path) -> dict[str, int]:
    """The stories, stored with the shipped classifier's verdicts; their ids by slug."""
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(SOURCES)
    classifier = load_classifier(seeds_dir=REPO / "seeds")
    ids = {}
    when = datetime.now(UTC) - timedelta(hours=2)
    for source, slug, lang, title, text in STORIES:
        verdict = classifier.classify(title, text, lang)
        assert verdict.sse, (slug, verdict.reasons)
        url = f"https://{source.split()[0].lower()}.example/{slug}"
        article = Article(url, title, text, when, "meta", None, lang, None, content_hash(text))
        stored = store.save_article(source, url, article, verdict)
        assert stored is not None
        ids[slug] = stored
    store.close()
    return ids


def _config(tmp_path: Path, port: int, subscriptions: str) -> Path:
    config = tmp_path / "rasd.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "rasd.db"}"\n[classifier]\nseeds_dir = "{REPO / "seeds"}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\n{subscriptions}',
        encoding="utf-8",
    )
    return config


SUBSCRIPTIONS = """
[[subscriptions]]
name = "Coopératives du Souss et de l'Oriental"
email = "coops@example.ma"
regions = ["Souss-Massa", "MA-02"]
topics = ["Coopératives"]          # as a French reader writes it: any case, accents or not
frequency = "immediate"

[[subscriptions]]
name = "INDH, in French"
email = "indh@example.ma"
languages = ["fr"]
topics = ["indh"]
frequency = "immediate"

[[subscriptions]]
name = "Everything in French"
email = "fr@example.ma"
languages = ["fr"]
frequency = "immediate"
"""


def _titles(message: EmailMessage) -> set[str]:
    _, text = parts(message)
    return {title for *_, title, _ in STORIES if title in text}


def test_a_subscription_gets_only_its_topics_in_its_regions_and_languages(tmp_path: Path) -> None:
    recorder = Recorder()
    server = Controller(recorder, hostname="127.0.0.1", port=free_port())  # a mail server on loopback
    server.start()
    try:
        _digests_by_topic(tmp_path, recorder, server.port)
    finally:
        server.stop()


def _digests_by_topic(tmp_path: Path, recorder: Recorder, port: int) -> None:
    ids = _store(tmp_path)
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        stored = dict(db.execute("SELECT article_id, topics FROM classifications"))
        # the store says what each story is about, for the digest's query and for a reader's SQL
        assert stored[ids["argan"]].split()[0] == "cooperatives" and "cooperatives" not in stored[ids["indh"]]
        # the association's project names a cooperative once: it is about income projects, not cooperatives
        assert stored[ids["association"]].split() == ["indh", "fairs"], stored[ids["association"]]
    config = _config(tmp_path, port, SUBSCRIPTIONS)
    # a dry run first plans what the real run sends
    plan = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path)
    couscous = next(title for _, slug, _, title, _ in STORIES if slug == "couscous")
    assert plan.returncode == 0 and couscous in plan.stdout, plan.stdout + plan.stderr
    assert not recorder.received  # nothing sent by it
    result = run_rasd("--config", str(config), "digest", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    got = {to: _titles(message) for (_, (to,)), message in zip(recorder.envelopes, recorder.received, strict=True)}
    titles = {slug: title for _, slug, _, title, _ in STORIES}
    # cooperatives in Souss-Massa and the Oriental: not Settat's cooperative, not the INDH's projects, not the
    # association's project that names a cooperative once
    assert got["coops@example.ma"] == {titles["argan"], titles["couscous"]}, got
    # the INDH's stories in French only: not the Arabic one, not the cooperatives
    assert got["indh@example.ma"] == {titles["indh"], titles["association"]}, got
    # no topics: every French story
    assert got["fr@example.ma"] == {titles["argan"], titles["lait"], titles["indh"], titles["association"]}, got

    # nothing more for anyone: each story went once to each subscriber it was for
    again = run_rasd("--config", str(config), "digest", cwd=tmp_path)
    assert again.returncode == 0 and len(recorder.received) == 3, again.stdout


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "'cooperatve' is not a topic: did you mean cooperatives? The topics are cooperatives, indh"),
        ("fr", "'cooperatve' n’est pas un thème : vouliez-vous dire cooperatives ? Les thèmes sont cooperatives"),
    ],
)
def test_a_misspelt_topic_is_refused_with_the_closest_and_the_list(tmp_path: Path, language: str, said: str) -> None:
    config = _config(tmp_path, 25, '[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\ntopics = ["cooperatve"]\n')
    result = run_rasd("--config", str(config), "digest", "--dry-run", cwd=tmp_path, env={"RASD_LANG": language})
    assert result.returncode == 2, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert f"{config}, " in line and "subscriptions[0].topics" in line and said in line, line


def test_a_topic_is_taken_in_the_readers_arabic_or_french_words() -> None:
    """Regions take their Arabic and French names; topics too (review12: `topics = ["التعاونيات"]` was refused)."""
    from rasd.config.topics import topic_name

    assert topic_name("التعاونيات") == topic_name("Coopérative") == topic_name("coopératives") == "cooperatives"
    assert topic_name("Salons") == topic_name("المعارض") == "fairs"
    assert topic_name("الاقتصاد الاجتماعي والتضامني") == topic_name("ESS") == "sse"
    assert topic_name("microcrédit") == topic_name("القروض الصغرى") == "microfinance"
    assert topic_name("المبادرة الوطنية للتنمية البشرية") == "indh"
    assert topic_name("coop") is None


def test_the_migration_writes_every_sse_storys_topics_and_no_digest_fills_them(tmp_path: Path) -> None:
    """A store at revision 0019 holds NULL topics for stories classified before it (no evidence either), and
    0019's topics elsewhere: every topic one of the story's words belonged to. Opening it with this Rasd
    (migration 0020) writes each SSE story's topics, the ones it is about — from the stored evidence, or, for a
    story without, classified again by the lexicon — so a digest's topic filter is SQL alone, a dry run too."""
    ids = _store(tmp_path)
    config = Config()  # the store as Rasd at 0019 left it: the later revisions taken back as Alembic does
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = open_engine(f"sqlite:///{tmp_path / 'rasd.db'}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0019")
    engine.dispose()
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        # 0019's rule, from the evidence: the association's project was a cooperatives story
        old_rule = "UPDATE classifications SET topics = 'cooperatives indh fairs' WHERE article_id = ?"
        db.execute(old_rule, (ids["association"],))
        # classified before 0019: neither topics nor evidence
        db.execute("UPDATE classifications SET topics = NULL, evidence = NULL WHERE article_id = ?", (ids["couscous"],))
    Store(f"sqlite:///{tmp_path / 'rasd.db'}").close()  # any command upgrades the store
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        stored = dict(db.execute("SELECT article_id, topics FROM classifications"))
        (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == ScriptDirectory.from_config(config).get_current_head()
    assert stored[ids["association"]] == "indh fairs", stored
    assert stored[ids["couscous"]] is not None and stored[ids["couscous"]].split()[0] == "cooperatives", stored
    assert all(topics is not None for topics in stored.values()), stored


# Written for this test: a women's association's exhibition (no income of its members told), and an association whose
# women share what they sell (its income project)
ASSOCIATION = (
    "جمعية نسائية بتارودانت تنظم معرضا لمنتجات النساء القرويات",
    "نظمت جمعية نسائية بمدينة تارودانت معرضا لمنتجات النساء القرويات من الكسكس والزيوت والأعشاب، بمشاركة تعاونيات "
    "فلاحية من الإقليم. وأكدت رئيسة الجمعية أن المعرض يهدف إلى تسويق منتجات النساء، مشيرة إلى أن الجمعية النسائية "
    "تؤطر أزيد من مائة امرأة في ورشات الخياطة والطبخ.",
)
INCOME = (
    "Une association féminine de Taroudant distille l'eau de rose",
    "Les femmes de l'association féminine Tamount distillent l'eau de rose dans l'alambic du douar et la vendent aux "
    "touristes. Les femmes se partagent les revenus après chaque vente, une somme qui leur permet de vivre.",
)


def test_a_womens_association_is_an_sse_actor_not_an_indh_project_unless_its_income_is_told() -> None:
    """A story of a women's association ("جمعية نسائية") was counted under the INDH: the associations' kind had the
    INDH's topic wherever it was named. Without what its members earn (its `core_with` partner) its words are of the
    SSE's topic; beside it, an income project's. Neither the verdict nor the score moves."""
    from rasd.config import story_topics

    classifier = load_classifier()
    alone = classifier.classify(*ASSOCIATION, "ar")
    topics = story_topics((t.topic, t.count, t.points) for t in alone.evidence.terms)
    assert alone.sse and "INDH and income-generating projects" not in topics, topics
    assert "the social and solidarity economy and its programmes" in topics, topics
    earning = classifier.classify(*INCOME, "fr")
    kinds = {t.kind: t.topic for t in earning.evidence.terms}
    assert kinds["associations' development projects"] == "INDH and income-generating projects", kinds
