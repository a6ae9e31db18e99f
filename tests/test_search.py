"""Search as researchers use it: the same folded matches from `rasd search`, from the `sqlite3` shell
(the real binary) and on PostgreSQL; OR, NOT, phrases, prefixes, whole Latin words, short words, filters,
counts, and JSON lines / CSV output with readable Arabic URLs."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from rasd.classify import Classification
from rasd.config import Source
from rasd.extract import Article, content_hash
from rasd.storage import SearchError, SearchFilters, Store
from rasd.storage.database import MIGRATIONS_DIR
from tests.conftest import run_rasd, write_config

SOURCES = [
    Source(name="Tiznit Info", url="https://tiznit.example/", region="MA-09"),
    Source(name="Fes Presse", url="https://fes.example/", region="MA-03"),
]
ARABIC_SLUG = "https://tiznit.example/%D8%AA%D8%B9%D8%A7%D9%88%D9%86%D9%8A%D8%A9-%D9%86%D8%B3%D8%A7%D8%A6%D9%8A%D8%A9/"
# Written for these tests: each story differs in script, spelling, place, region, date and verdict.
STORIES = [
    # slug, source, title, text, lang, day, sse, regions
    (
        ARABIC_SLUG,
        "Tiznit Info",
        "تعاونية نسائية بتيزنيت",
        "أطلقت التعاونية النسائية مشروعاً جديداً لتثمين زيت الأركان بدعم من المبادرة الوطنية للتنمية البشرية.",
        "ar",
        3,
        True,
        ["MA-09"],
    ),
    (
        "https://tiznit.example/coop-ه/",
        "Tiznit Info",
        "خبر عن تعاونيه",  # ة written as ه, as some sites do
        "قدمت تعاونيه فلاحية منتوجاتها في معرض جهوي بمدينة تيزنيت وسط إقبال الزوار.",
        "ar",
        5,
        True,
        ["MA-09"],
    ),
    (
        "https://fes.example/sefrou-cooperative/",
        "Fes Presse",
        "Sefrou : une COOPÉRATIVE de femmes ouvre un atelier",
        "La coopérative Al Amal de Sefrou, soutenue par l'ESS régionale, ouvre un atelier de couture.",
        "fr",
        10,
        True,
        ["MA-03"],
    ),
    (
        "https://fes.example/meknes-business/",
        "Fes Presse",
        "Meknès : le business express des cafés",
        "Les cafés de Meknès misent sur un service express pour la clientèle d'affaires du centre-ville.",
        "fr",
        20,
        False,
        ["MA-03"],
    ),
    (
        "https://fes.example/fes-economie/",
        "Fes Presse",
        "Fès : l'économie sociale et solidaire en débat",
        "Un forum à Fès a réuni des coopératives autour de l'économie sociale et solidaire et de son financement.",
        "fr",
        25,
        True,
        ["MA-03"],
    ),
]


def _fill(store: Store) -> dict[str, int]:
    store.sync_sources(SOURCES)
    ids = {}
    for url, source, title, body, lang, day, sse, regions in STORIES:
        article = Article(
            url=url,
            title=title,
            text=body,
            date=datetime(2025, 9, day, 9, tzinfo=UTC),
            date_source="meta",
            author=None,
            lang=lang,
            site_name=None,
            content_hash=content_hash(body),
        )
        verdict = Classification(sse=sse, score=0.8 if sse else 0.1, regions=regions, reasons=[], parts={})
        article_id = store.save_article(source, url, article, verdict)
        assert article_id is not None
        ids[title] = article_id
    return ids


@pytest.fixture
def store(database_url: str) -> Store:
    store = Store(database_url)
    _fill(store)
    return store


def _titles(store: Store, query: str, **filters: object) -> list[str]:
    return [story.title for story in store.search(query, filters=SearchFilters(**filters))]  # type: ignore[arg-type]


def test_folded_query_language(store: Store) -> None:
    coop_ar, coop_h, sefrou, meknes, fes = (story[2] for story in STORIES)
    assert _titles(store, "تعاونية") == [coop_h, coop_ar]  # ة and ه are one letter to search
    assert _titles(store, "اطلقت") == [coop_ar]  # hamza folded
    assert _titles(store, "coopérative") == [fes, sefrou]  # accents and case folded; its plural too
    assert _titles(store, '"coopérative"') == [sefrou]  # quoted: as written
    assert _titles(store, "cooperative*") == [fes, sefrou]  # a prefix
    assert _titles(store, "sefrou OR meknes") == [meknes, sefrou]
    assert _titles(store, "fes OR meknes NOT cafes") == [fes]
    assert _titles(store, "meknes OR fes -forum") == [meknes]
    assert _titles(store, '"economie sociale"') == [fes]
    assert _titles(store, '"sociale economie"') == []
    assert _titles(store, "ESS") == [sefrou]  # the word, not the inside of business, express or Meknès
    assert _titles(store, "al amal") == [sefrou]  # a two-letter word, as a whole word
    assert _titles(store, "الوطنية (زيت OR معرض)") == [coop_ar]
    # ل + ال is written لل: the text has "للتنمية البشرية", a reader types "التنمية البشرية"
    assert _titles(store, "التنمية البشرية") == [coop_ar]
    assert _titles(store, '"التنمية البشرية"') == [coop_ar]
    assert _titles(store, '"البشرية التنمية"') == []


# Written for this test: singular and plural, with and without the Arabic article and clitics.
INFLECTED = [
    ("تعاونيات الصويرة", "اجتمعت تعاونيات الصويرة في معرض للمنتوجات المحلية.", "ar"),
    ("جمعية بتارودانت", "نظمت جمعية محلية بتارودانت يوما تكوينيا لفائدة النساء.", "ar"),
    ("وبالجمعيات النسائية", "احتفت وبالجمعيات النسائية مدينة أزيلال في لقاء جهوي.", "ar"),
    ("Les associations de Taza", "Les associations de Taza préparent le salon régional.", "fr"),
    ("Une association à Nador", "Une association de Nador forme des jeunes aux métiers du bois.", "fr"),
    ("Réseau social et solidaire", "Le réseau régional réunit les acteurs sociaux de l'Oriental.", "fr"),
    ("La Cour des comptes à Agadir", "La Cour des comptes publie son rapport sur la commune d'Agadir.", "fr"),
]


def test_singular_and_plural_find_each_other_in_french_and_arabic(database_url: str) -> None:
    """A reader types one form and means the others: association finds associations, تعاونية finds
    تعاونيات, جمعيات finds جمعية and وبالجمعيات, social finds sociaux — on SQLite and PostgreSQL alike."""
    store = Store(database_url)
    store.sync_sources(SOURCES)
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    for day, (title, body, lang) in enumerate(INFLECTED, start=1):
        url = f"https://tiznit.example/{day}/"
        article = Article(
            url, title, body, datetime(2025, 9, day, tzinfo=UTC), "meta", None, lang, None, content_hash(body)
        )
        assert store.save_article("Tiznit Info", url, article, verdict) is not None
    essaouira, taroudant, azilal, taza, nador, reseau, cour = (title for title, _, _ in INFLECTED)
    try:
        assert _titles(store, "تعاونية") == [essaouira]
        assert _titles(store, "التعاونية") == [essaouira]
        assert _titles(store, "جمعيات") == [azilal, taroudant]
        assert _titles(store, "الجمعية") == [azilal, taroudant]
        assert _titles(store, "association") == [nador, taza]
        assert _titles(store, "Associations") == [nador, taza]
        assert _titles(store, "social") == [reseau]  # sociaux
        assert _titles(store, "réseaux") == [reseau]
        assert _titles(store, '"associations"') == [taza]  # quoted: as written
        assert _titles(store, "associations de taza") == [taza]
        # a French word that ends in -s in the singular is not a plural: "cours" is not "cour"
        assert _titles(store, "cours") == [] and _titles(store, "cour") == [cour]
    finally:
        store.close()


def test_counts_and_filters(store: Store) -> None:
    found = store.search("fes OR sefrou OR تيزنيت", limit=2)
    assert found.total == 4 and len(found) == 2
    assert [story.published_at.day for story in found if story.published_at] == [25, 10]
    coop_ar, coop_h, sefrou, _, fes = (story[2] for story in STORIES)
    everything = "تيزنيت OR cafes OR cooperative*"
    assert _titles(store, everything, region="MA-09") == [coop_h, coop_ar]
    assert _titles(store, everything, source="Fes Presse", sse=True) == [fes, sefrou]
    assert len(_titles(store, everything, sse=False)) == 1
    assert _titles(store, everything, lang="ar", since=datetime(2025, 9, 4)) == [coop_h]
    assert _titles(store, everything, until=datetime(2025, 9, 4)) == [coop_ar]


def test_no_words_lists_the_newest_articles_the_filters_keep(store: Store) -> None:
    """`rasd search --sse`: a reader who wants the newest SSE stories names no word."""
    coop_ar, coop_h, sefrou, meknes, fes = (story[2] for story in STORIES)
    assert _titles(store, "") == [fes, meknes, sefrou, coop_h, coop_ar]
    assert _titles(store, "   ", sse=True) == [fes, sefrou, coop_h, coop_ar]
    assert _titles(store, "", region="MA-09", until=datetime(2025, 9, 4)) == [coop_ar]
    newest = store.search("", limit=2, filters=SearchFilters(sse=True))
    assert newest.total == 4 and not newest.more and len(newest) == 2


def test_queries_that_cannot_run_say_why(store: Store) -> None:
    for query, reason in [('" "', "nothing to search for"), ("NOT fes", "say what to look for"), ("c*", "too short")]:
        with pytest.raises(SearchError, match=reason):
            store.search(query)
    for odd in ('"unbalanced', "NEAR(", "a AND", "تعاونيات)", "(fes", "OR OR fes", '" "', "fes:*^"):
        try:  # a result or a readable SearchError, never a database error
            store.search(odd)
        except SearchError as error:
            assert "nothing to search for" in str(error)


def test_sqlite3_shell_finds_the_folded_words_a_user_types(tmp_path: Path) -> None:
    """The real `sqlite3` shell, no function of ours loaded: the index holds the folded title and text only
    (migration 0018), so a word typed folded — no hamza, ة as ه, no accents; any case — finds every spelling."""
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    ids = _fill(store)
    store.close()

    def shell(match: str) -> set[int]:
        sql = f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH '{match}';"
        out = subprocess.run(["sqlite3", str(tmp_path / "rasd.db"), sql], capture_output=True, text=True, check=True)
        return {int(line) for line in out.stdout.split()}

    sefrou, fes = ids["Sefrou : une COOPÉRATIVE de femmes ouvre un atelier"], ids[STORIES[4][2]]
    assert shell("cooperative") == {sefrou, fes}  # "coopératives" too: the shell matches substrings
    assert shell("MEKNES") == {ids["Meknès : le business express des cafés"]}
    assert shell("تعاونيه") == {ids["تعاونية نسائية بتيزنيت"], ids["خبر عن تعاونيه"]}
    assert shell("اطلقت") == {ids["تعاونية نسائية بتيزنيت"]}  # written أطلقت


def test_an_older_store_is_reindexed_on_open(tmp_path: Path) -> None:
    """A store at revision 0004 (folded text without word edges, no `original`) opens with every article
    searchable the new way."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(
            text(
                "INSERT INTO sources (id, name, url, created_at) VALUES (1, 'Fes Presse', 'https://fes.example/', "
                "'2025-09-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO articles (id, source_id, url, canonical_url, title, text, lang, content_hash, fetched_at)"
                " VALUES (7, 1, 'https://fes.example/a', 'https://fes.example/a', 'Forum ESS', "
                "'Économie sociale à Fès', 'fr', 'h', '2025-09-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO classifications (article_id, sse, score, regions, reasons, parts, classified_at)"
                " VALUES (7, 1, 0.9, '[]', '[]', '{}', '2025-09-01 00:00:00')"
            )
        )
        connection.execute(text("INSERT INTO articles_fts (rowid, title, text) VALUES (7, 'forum ess', 'x')"))
    engine.dispose()
    store = Store(url)
    assert [story.article_id for story in store.search("economie")] == [7]
    assert [story.article_id for story in store.search("ESS")] == [7]
    raw = sqlite3.connect(tmp_path / "old.db")
    assert raw.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ECONOMIE'").fetchall() == [(7,)]


def test_rasd_search_formats_counts_and_hints(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()

    def rasd(*args: str) -> subprocess.CompletedProcess[str]:
        result = run_rasd("--config", str(config), "search", *args, cwd=tmp_path)
        assert "Traceback" not in result.stderr
        return result

    table = rasd("تعاونية", "--region", "سوس ماسة", "--limit", "1")
    assert table.returncode == 0, table.stderr
    assert "2 articles match; the 1 newest shown" in table.stdout
    assert "خبر عن تعاونيه" in table.stdout

    lines = rasd("تعاونية", "--format", "jsonl", "--until", "2025-09-03")
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [record["url"] for record in records] == ["https://tiznit.example/تعاونية-نسائية/"]
    assert records[0]["regions"] == ["MA-09"] and records[0]["published_at"] == "2025-09-03T09:00:00Z"
    assert "1 article matches" in lines.stderr

    # no query: the newest stories the options keep, as a reader asks for "the newest SSE stories"
    newest = rasd("--sse", "--limit", "2")
    assert newest.returncode == 0 and "Missing argument" not in newest.stderr, newest.stderr
    assert "4 articles match; the 2 newest shown (--limit for more)" in newest.stdout
    assert "l'économie sociale et solidaire en débat" in newest.stdout.splitlines()[0]

    table_url = rasd("اطلقت", "--sse")
    assert "https://tiznit.example/تعاونية-نسائية/" in table_url.stdout and "%D8" not in table_url.stdout

    rows = list(csv.DictReader(io.StringIO(rasd("cooperative*", "--format", "csv", "--lang", "fr").stdout)))
    assert [row["source"] for row in rows] == ["Fes Presse", "Fes Presse"] and rows[0]["sse"] == "True"

    short = rasd("el")
    assert short.returncode == 0 and "no match" in short.stdout and "whole words" in short.stdout
    bad = rasd("NOT fes")
    assert bad.returncode == 2 and "error: NOT only leaves words out" in bad.stderr
    region = rasd("fes", "--region", "Atlantis")
    assert region.returncode == 2 and "--region" in region.stderr


def test_rasd_search_refuses_a_language_or_region_no_article_can_have(tmp_path: Path) -> None:
    """`--lang arabic` used to print "no match" (exit 0) as if nothing had been written; `--lang AR` is the
    reader's way to type ar; a misspelt region is answered with the closest names."""
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()

    upper = run_rasd("--config", str(config), "search", "تعاونية", "--lang", "AR", cwd=tmp_path)
    assert upper.returncode == 0, upper.stderr
    assert "2 articles match" in upper.stdout
    for wrong in ("arabic", "ara"):
        refused = run_rasd("--config", str(config), "search", "تعاونية", "--lang", wrong, cwd=tmp_path)
        assert refused.returncode == 2 and "no match" not in refused.stdout
        assert f"--lang: {wrong} is not an article language: use one of ar, fr, en, und" in refused.stderr
    region = run_rasd("--config", str(config), "search", "coop", "--region", "Sous", cwd=tmp_path)
    assert region.returncode == 2
    assert "--region: Sous is not a region: did you mean MA-09 Souss-Massa · سوس ماسة?" in region.stderr
    assert "`rasd regions` lists them all" in region.stderr
    # a word of one region's name is that region (e35d3c0): سوس is Souss-Massa, not a misspelling
    assert run_rasd("--config", str(config), "search", "coop", "--region", "سوس", cwd=tmp_path).returncode == 0


def test_words_that_match_nothing_say_how_many_articles_the_options_keep(tmp_path: Path) -> None:
    """An Arabic official's `rasd search تعاونية --region الشرق` said "no match" beside French stories of
    cooperatives in that region (newcomer12's trial): a word is found only as written, in its language. When
    the options alone keep articles, the line says how many, how to list them and why the words missed."""
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()
    kept = len([story for story in STORIES if "MA-03" in story[7]])
    assert kept > 1
    english = run_rasd("--config", str(config), "search", "تعاونية", "--region", "MA-03", cwd=tmp_path)
    assert english.returncode == 0, english.stderr
    assert english.stdout.strip() == (
        f"no match: none of the {kept} articles these options keep holds these words (rasd search without words "
        "lists them); a word is found only in its own language"
    ), english.stdout
    arabic = run_rasd("--config", str(config), "search", "تعاونية", "--region", "فاس مكناس", cwd=tmp_path,
                      env={"RASD_LANG": "ar"})  # fmt: skip
    assert f"لا نتيجة: لا يحوي أيٌّ من المقالات الـ{kept} التي تبقيها هذه الخيارات" in arabic.stdout, arabic.stdout
    lines = run_rasd("--config", str(config), "search", "zzzz", "--region", "MA-03", "--format", "jsonl", cwd=tmp_path)
    assert lines.stdout == "" and "none of the" in lines.stderr and "these options keep" in lines.stderr
    # no option at all: nothing narrowed the search, so no count of what "these options keep" (review12)
    plain = run_rasd("--config", str(config), "search", "zzzz", cwd=tmp_path)
    assert plain.stdout.strip() == "no match", plain.stdout
    # nothing the options keep at all: "no match", as before
    empty = run_rasd("--config", str(config), "search", "zzzz", "--region", "MA-12", cwd=tmp_path)
    assert empty.stdout.strip() == "no match", empty.stdout
