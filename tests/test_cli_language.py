"""What the commands print to a reader, in the reader's language: the config's `language` (or $RASD_LANG)
makes `rasd status`, `search`, `report`, `crawl`, `sources check` and the errors speak Arabic or French,
with each language's plural forms; left out, they speak English as before."""

from __future__ import annotations

import codecs
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rasd.config import load_settings
from rasd.monitor.options import reader_language
from rasd.monitor.search import summary
from rasd.storage import Found, Store
from tests.bidi import MARKS
from tests.conftest import run_rasd, write_config
from tests.sites import RSS, homepage, route, rss, sources, stories
from tests.test_search import _fill


def _config(tmp_path: Path, language: str | None, sources_toml: str = "") -> Path:
    config = write_config(tmp_path, sources_toml)
    if language is not None:  # a top-level key: before the file's first section
        config.write_text(f'language = "{language}"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    return config


def _filled(tmp_path: Path, language: str | None) -> Path:
    config = _config(tmp_path, language)
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()
    return config


def test_status_search_and_report_speak_the_configured_language(tmp_path: Path) -> None:
    config = _filled(tmp_path, "ar")

    def rasd(*args: str, env: dict[str, str] | None = None) -> str:
        result = run_rasd("--config", str(config), *args, cwd=tmp_path, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        return result.stdout.translate(MARKS)  # the bidi marks: tests/test_cli_bidi.py

    status = rasd("status")
    assert "قاعدة البيانات: " in status and "آخر نجاح" in status and "أبدًا" in status
    assert "الخدمة: لم تُشغَّل قط على هذه القاعدة" in status  # not "لا تعمل", as if it had broken down
    assert "database:" not in status and "never" not in status
    found = rasd("search", "تعاونية", "--limit", "1")
    assert "مقالان مطابقان؛ يُعرض أحدثها (--limit للمزيد)" in found  # two: the dual, not "2 articles"
    # the SSE flag, the field's name as ESS is in French: "تضامني" alone ("solidary") left a reader asking what
    assert "  اقتصاد تضامني " in found.splitlines()[0]
    assert "لا نتيجة" in rasd("search", "el")
    report = rasd("report", "--month", "2025-09")
    assert report.strip().endswith("4 أخبار عن الاقتصاد الاجتماعي والتضامني في 2025-09"), report

    french = {"RASD_LANG": "fr"}  # one reader's own choice, over the config's
    in_french = rasd("search", "تعاونية", "--limit", "1", env=french)
    assert "2 articles trouvés ; le plus récent affiché" in in_french
    assert " ESS 0,80 " in in_french and "0.80" not in in_french  # the score as the reader writes numbers
    assert " 0,80 " in found and "0.80" not in found
    french_status = rasd("status", env=french)
    assert "dernier succès" in french_status
    # a daemon that never ran is not "stopped" beside "never started"
    assert "service : jamais démarré sur cette base" in french_status and "arrêté" not in french_status
    empty = rasd("report", "--month", "2025-01", env=french)
    assert "0 article ESS de 2025-01" in empty and "la base a des articles ESS de 2025-09 à 2025-09" in empty
    # --lang of report names the page's language, and its line's
    assert "4 articles ESS de 2025-09" in rasd("report", "--month", "2025-09", "--lang", "fr")


def test_left_out_the_commands_speak_english(tmp_path: Path) -> None:
    config = _filled(tmp_path, None)
    found = run_rasd("--config", str(config), "search", "تعاونية", cwd=tmp_path)
    assert "2 articles match" in found.stdout and " SSE 0.80 " in found.stdout
    one = run_rasd("--config", str(config), "search", "تعاونية", "--limit", "1", "--until", "2025-09-03", cwd=tmp_path)
    assert "1 article matches" in one.stdout


def test_left_out_the_commands_speak_the_systems_language(tmp_path: Path) -> None:
    """No `language` in rasd.toml, no $RASD_LANG: a French or Arabic system's locale (LANG, or LC_ALL over it)
    is the reader's language for every command, its help and its errors — a French official's `rasd status`
    and `rasd --help` spoke English before any setup said French; C (cron, systemd) stays English."""
    config = _filled(tmp_path, None)

    def rasd(*args: str, **env: str) -> str:
        result = run_rasd("--config", str(config), *args, cwd=tmp_path, env=env)
        return (result.stdout + result.stderr).translate(MARKS)

    french = rasd("status", LANG="fr_FR.UTF-8")
    assert "base de données : " in french and "dernier succès" in french and "database:" not in french
    assert "2 articles trouvés" in rasd("search", "تعاونية", LANG="fr_FR.UTF-8")
    assert "قاعدة البيانات: " in rasd("status", LANG="fr_FR.UTF-8", LC_ALL="ar_MA.UTF-8")
    assert rasd("--help", LANG="fr_FR.UTF-8").startswith("Utilisation : ")
    assert "n’est pas une région" in rasd("search", "x", "--region", "Atlantide", LANG="fr_FR.UTF-8")
    assert "database: " in rasd("status", LANG="C.UTF-8") and "database: " in rasd("status", LANG="de_DE.UTF-8")
    config.write_text('language = "ar"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert "قاعدة البيانات: " in rasd("status", LANG="fr_FR.UTF-8")  # the config's language wins over the system's


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ar",
            {
                1: "مقال واحد مطابق",
                2: "مقالان مطابقان",
                3: "3 مقالات مطابقة",
                11: "11 مقالًا مطابقًا",
                100: "100 مقال مطابق",
            },
        ),
        ("fr", {1: "1 article trouvé", 2: "2 articles trouvés", 100: "100 articles trouvés"}),
        ("en", {1: "1 article matches", 2: "2 articles match"}),
    ],
)
def test_counts_take_each_languages_plural_forms(language: str, expected: dict[int, str]) -> None:
    for total, line in expected.items():
        found = Found()
        found.total = total
        assert summary(found, 1000, language).translate(MARKS) == line


def test_a_crawl_and_a_sources_check_speak_french(sites: list[str], tmp_path: Path) -> None:
    base = sites[0]
    links = stories(base, "tiznit", 2)
    route(f"{base}/", 200, homepage(f"{base}/feed/", links))
    route(f"{base}/feed/", 200, rss(links), RSS)
    config = _config(tmp_path, "fr", sources(("Tiznit", base, 'feeds = ["' + base + '/feed/"]')))

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    line = crawl.stdout.strip().splitlines()[-1]
    assert line.startswith("collecte de 1 source (") and ": 2 nouveaux articles, " in line, line
    assert "articles ESS repérés" in line or "article ESS repéré" in line
    check = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "vérification de 1 source en " in check.stdout and ": 1 ok, 0 avec remarques, 0 en échec" in check.stdout
    assert f"Tiznit  ok      flux {base}/feed/ (2 entrées, configuré)" in check.stdout.splitlines(), check.stdout


def test_errors_speak_the_readers_language(tmp_path: Path) -> None:
    missing = run_rasd("--config", str(tmp_path / "none.toml"), "status", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert missing.returncode == 2
    assert missing.stderr.translate(MARKS).startswith("rasd: خطأ في الإعدادات: "), missing.stderr
    config = _config(tmp_path, "fr")
    nothing = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert nothing.returncode == 1 and "rasd : pas de base de données à " in nothing.stderr
    wrong = _config(tmp_path / "wrong", "xx")
    refused = run_rasd("--config", str(wrong), "status", cwd=tmp_path)
    assert refused.returncode == 2 and "language" in refused.stderr and "Traceback" not in refused.stderr
    typo = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "arabic"})
    assert typo.returncode == 2 and "$RASD_LANG: arabic is not a language" in typo.stderr
    assert "e.g. RASD_LANG=ar" in typo.stderr and "--lang" not in typo.stderr  # status has no --lang
    system = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "ar_MA.UTF-8"})
    assert system.returncode == 1 and system.stderr.translate(MARKS).startswith("rasd: "), system.stderr
    assert "لا توجد قاعدة بيانات في " in system.stderr.translate(MARKS)  # Arabic, as the locale says


def test_a_config_error_is_said_in_the_language_the_config_declares(tmp_path: Path) -> None:
    """A French reader's `rasd.toml` (language = "fr", as `rasd init` writes it for LANG=fr_FR) whose
    sources.toml has `[[source]]`: the refusal was in English, since the settings holding the language were
    the ones refused. The language is read from the main file alone; a main file that cannot be read at all
    leaves English."""
    config = write_config(tmp_path, "")
    config.write_text('language = "fr"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\nname = "x"\n', encoding="utf-8")
    refused = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("rasd : erreur de configuration : "), refused.stderr
    assert "Traceback" not in refused.stderr
    # the main file itself not TOML (`time = 07:00`, the mistake its hint is about): its language line still says
    # whom the error is for; a file without one, or with it below a [section], leaves English
    config.write_text('# my settings\nlanguage = "fr"   # French\n[[subscriptions]]\ntime = 07:00\n', encoding="utf-8")
    broken = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert broken.returncode == 2 and broken.stderr.startswith("rasd : erreur de configuration : "), broken.stderr
    assert "une heure s’écrit 07:00:00" in broken.stderr, broken.stderr
    config.write_text('outbox = "\n[smtp]\nlanguage = "fr"\n', encoding="utf-8")
    english = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert english.returncode == 2 and english.stderr.startswith("rasd: config error: "), english.stderr


def test_a_config_saved_in_windows_1256_is_refused_in_its_language_at_its_line(tmp_path: Path) -> None:
    """An Arabic reader's rasd.toml saved by an editor in Windows Arabic (windows-1256), with a source named
    in Arabic on line 6: "not UTF-8 text" came in English, naming no line, since the language line is in
    the file refused. It is read with the odd bytes replaced, and the line of the first is named."""
    config = tmp_path / "rasd.toml"
    lines = ['language = "ar"', "[crawler]", "allow_private_networks = true", "", "[[sources]]"]
    lines += ['name = "جريدة سوس"', 'url = "http://127.0.0.1:9/"']
    config.write_bytes("\n".join(lines).encode("windows-1256"))

    refused = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert refused.returncode == 2
    assert "rasd: خطأ في الإعدادات: " in refused.stderr.translate(MARKS)
    assert "السطر 6: ليس نصا بترميز UTF-8 (احفظه بترميز UTF-8)" in refused.stderr.translate(MARKS), refused.stderr


def test_a_query_with_nothing_to_search_for_is_refused_in_the_readers_language(tmp_path: Path) -> None:
    config = _filled(tmp_path, "fr")
    for query, language, expected in [
        ('"', "fr", "erreur : rien à chercher dans '\"' : donnez un mot"),
        ("-fes", "ar", "خطأ: NOT تستبعد كلمات فقط: اذكر أيضًا ما تبحث عنه"),
    ]:
        refused = run_rasd("--config", str(config), "search", "--", query, cwd=tmp_path, env={"RASD_LANG": language})
        said = refused.stderr.translate(MARKS)
        assert refused.returncode == 2 and said.count("\n") == 1 and expected in said, refused.stderr


def test_a_misspelt_region_is_refused_in_the_readers_language_in_one_line(tmp_path: Path) -> None:
    config = _config(tmp_path, "fr")
    refused = run_rasd("--config", str(config), "search", "coop", "--region", "Sous", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "erreur : --region : Sous n’est pas une région : vouliez-vous dire MA-09 Souss-Massa · سوس ماسة ? Indiquez "
        "un code (MA-01 … MA-12) ou un nom français ou arabe, par exemple MA-09 ou Souss-Massa ; `rasd regions` les "
        "liste toutes"
    ], refused.stderr


def test_the_configured_language_is_explains_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASD_LANG", raising=False)
    assert reader_language(load_settings(str(_config(tmp_path / "a", "ar"))), "fr") == "ar"
    assert reader_language(load_settings(str(_config(tmp_path / "none", None))), "fr") == "fr"
    monkeypatch.setenv("RASD_LANG", "en")
    assert reader_language(load_settings(str(_config(tmp_path / "b", "ar"))), "ar") == "en"


def test_a_crawls_warnings_speak_the_readers_language_but_the_sites_errors_stay_as_they_are() -> None:
    from rasd.monitor.cycle import CycleSummary

    offline = CycleSummary(sources=4, causes={name: {"DNS lookup failed"} for name in "abcd"})
    (line,) = offline.failure_lines(language="fr")
    assert line.startswith("réseau injoignable ? 4 sources sur 4 en échec DNS (") and "`rasd status` liste" in line
    (arabic,) = offline.failure_lines(language="ar")
    assert "الشبكة غير متاحة؟ فشل 4 من أصل 4 مصادر بأخطاء DNS" in arabic.translate(MARKS)
    assert offline.alike_lines() == [  # the daemon's log: English, as before
        "network unreachable? 4 of 4 sources failed with DNS errors (no site name could be looked up: check this "
        "machine's network connection and DNS)"
    ]
    one = CycleSummary(sources=1, failures={"Tiznit": ["HTTP 404 (feed https://t.example/feed/)"]})
    # the site's answer (HTTP 404) and the address as they are; Rasd's word for the kind of page translated
    assert one.failure_lines(language="fr") == [
        "Tiznit : 1 récupération en échec : HTTP 404 (flux https://t.example/feed/)"
    ]
    assert one.failure_lines(language="ar")[0].translate(MARKS) == (
        "Tiznit: محاولة جلب واحدة فاشلة: HTTP 404 (خلاصة https://t.example/feed/)"
    )


def test_status_says_why_a_source_looks_silent_in_the_readers_language() -> None:
    from rasd.monitor.cli import _silence_line
    from rasd.monitor.speech import Speech
    from rasd.storage import Silence

    busy, weekly, empty = Silence(quiet_days=4, articles_30d=100), Silence(quiet_days=40, articles_30d=4), Silence(2)
    assert (
        _silence_line(busy, Speech("en")) == "silent: no new article for 4 days (usually 3.3 a day) although it answers"
    )
    assert _silence_line(weekly, Speech("en")) == (
        "silent: no new article for 40 days (usually 4 in 30 days) although it answers"
    )
    assert _silence_line(busy, Speech("fr")) == (
        "silencieuse : aucun nouvel article depuis 4 jours (d’habitude 3,3 par jour) bien qu’elle réponde"
    )
    assert (
        _silence_line(weekly, Speech("ar")) == "صامت: لا مقال جديد منذ 40 يومًا (عادةً 4 مقالات في 30 يومًا) رغم أنه يجيب"
    )
    assert _silence_line(empty, Speech("ar")) == "أجابت خلاصته أو خريطة موقعه دون أي مدخل مرتين متتاليتين"


def test_a_held_lock_is_said_in_the_readers_language() -> None:
    from rasd.monitor.lock import LockHeld

    holder = {"pid": 12, "command": "rasd crawl", "since": "2026-12-02T10:00:00+00:00"}
    held = LockHeld("crawl", Path("/srv/rasd.db.crawl.lock"), holder, 5)
    assert str(held) == (  # English: as it always read
        "crawl lock /srv/rasd.db.crawl.lock is held by pid 12 (rasd crawl) since 2026-12-02T10:00:00+00:00 after "
        "waiting 5 s"
    )
    assert held.line("fr") == (
        "le verrou de collecte /srv/rasd.db.crawl.lock est tenu par pid 12 (rasd crawl) depuis "
        "2026-12-02T10:00:00+00:00 après 5 s d’attente"
    )
    assert held.line("ar").translate(MARKS) == (
        "قفل الجمع /srv/rasd.db.crawl.lock محجوز لدى pid 12 (rasd crawl) منذ 2026-12-02T10:00:00+00:00 بعد انتظار 5 ث"
    )
    assert str(LockHeld("daemon", Path("/d.lock"), {}, 0)) == "daemon lock /d.lock is held by another process"


def test_sources_list_speaks_the_readers_language_and_counts_one_source_as_one(tmp_path: Path) -> None:
    one = '[[sources]]\nname = "Tiznit"\nurl = "http://127.0.0.1:9/"\nregion = "MA-09"\n'
    english = run_rasd("--config", str(_config(tmp_path / "en", None, one)), "sources", "list", cwd=tmp_path)
    assert english.stdout.splitlines()[-1] == "1 source (MA-09 1; - = national)", english.stdout
    french = run_rasd("--config", str(_config(tmp_path / "fr", "fr", one)), "sources", "list", cwd=tmp_path)
    header, row, total = french.stdout.splitlines()
    assert header.startswith("source") and "lu par" in header and "page d’accueil" in header, header
    # a source without `lang` has each article's detected: "?" read as "unknown" (newcomer12's trial)
    assert row.split()[:4] == ["Tiznit", "MA-09", "détectée", "à"] and total == "1 source (MA-09 1 ; - = national)"
    assert " langue " in header and "à découvrir " in row, "a translated heading or word is never cut"
    assert header.index("page d’accueil") == row.index("http://"), "the columns line up"


def test_a_mistyped_day_or_language_is_refused_in_the_readers_language_in_one_line(tmp_path: Path) -> None:
    config = _config(tmp_path, "fr")
    day = run_rasd("--config", str(config), "search", "coop", "--since", "01/10/2025", cwd=tmp_path)
    assert day.returncode == 2 and day.stderr.splitlines() == [
        "erreur : --since : 01/10/2025 n’est pas un jour : écrivez AAAA-MM-JJ, par exemple 2025-10-01"
    ], day.stderr
    lang = run_rasd("--config", str(config), "search", "coop", "--lang", "arabic", cwd=tmp_path)
    assert lang.returncode == 2 and len(lang.stderr.splitlines()) == 1 and "langue d’article" in lang.stderr
    month = run_rasd("--config", str(config), "report", "--month", "2025/10", cwd=tmp_path, env={"RASD_LANG": "ar"})
    shown = month.stderr.translate(MARKS).strip()
    assert month.returncode == 2 and shown == "خطأ: --month: 2025/10 ليس شهرًا: اكتب YYYY-MM، مثل 2025-10", shown


@pytest.mark.parametrize(
    ("language", "expected", "left_out"),
    [
        ("fr", ["collecte (national) : arrêté", "nouveaux articles 7", "articles ESS 2", "3,5 s"], ["new_articles"]),
        ("ar", ["الجمع (national): توقف", "مقالات جديدة 7", "الأخطاء 1", "3,5 ث"], ["new_articles", "crawl"]),
        ("en", ["crawl (national): stopped", "new articles 7", "SSE stories 2", "3.5s"], ["new_articles="]),
    ],
)
def test_status_tells_each_jobs_last_run_in_the_readers_words(
    tmp_path: Path, language: str, expected: list[str], left_out: list[str]
) -> None:
    from rasd.monitor.logs import JobRun, record_run, status_lines

    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    figures = {"sources": 4, "pages": 9, "new_articles": 7, "sse_stories": 2, "errors": 1}
    record_run(url, JobRun("crawl:national", "stopped", figures, 3.5, "2026-12-03T07:02:36+00:00"))
    shown = "\n".join(status_lines(url, language, ZoneInfo("Africa/Casablanca"))).translate(MARKS)
    assert "2026-12-03 08:02 " in shown and "UTC" not in shown  # Casablanca's time, the zone said once by `rasd status`
    assert all(words in shown for words in expected), shown
    assert not any(words in shown for words in left_out), shown


def test_an_unknown_source_name_is_said_in_the_readers_language(tmp_path: Path) -> None:
    """`rasd sources furniture NAME` and `rasd search --source NAME` with a name the config does not have:
    the closest name suggested, in the reader's words (it was English whatever the language)."""
    one = '[[sources]]\nname = "Echo du Sais"\nurl = "http://127.0.0.1:9/"\nregion = "MA-03"\n'
    config = _config(tmp_path, "fr", one)
    Store(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    unknown = run_rasd("--config", str(config), "sources", "furniture", "Echo", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "erreur : aucune source de la configuration ne s’appelle 'Echo' : vouliez-vous dire 'Echo du Sais' ?" in (
        unknown.stderr
    ), unknown.stderr
    searched = run_rasd(
        "--config", str(config), "search", "--source", "Echos", "coopérative", cwd=tmp_path, env={"RASD_LANG": "ar"}
    )
    assert "تنبيه: لا يوجد في الإعدادات مصدر باسم" in searched.stderr.translate(MARKS), searched.stderr


def _saved(text: str, encoding: str) -> bytes:
    """`text` as an editor saves it in `encoding`: UTF-16 with its byte-order mark first, either order."""
    return (codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b"") + text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_config_saved_as_utf_16_is_read_as_written_and_its_mistakes_named_at_their_line(
    encoding: str, tmp_path: Path
) -> None:
    """Notepad's "Unicode" and Windows PowerShell's `>` save UTF-16 with a byte-order mark: every command
    said, in English to a French reader, "rasd.toml, line 1: not UTF-8 text (save it as UTF-8)". The mark
    says the encoding, as a UTF-8 one does (read already): the file is read as written, in its language,
    and a mistake in it is named at its line."""
    config = tmp_path / "rasd.toml"
    lines = ['language = "fr"', "[crawler]", "allow_private_networks = true", "", "[[sources]]"]
    lines += ['name = "جريدة سوس"', 'url = "http://127.0.0.1:9/"']
    config.write_bytes(_saved("\r\n".join(lines), encoding))  # "utf-16": a little-endian mark, as Notepad's

    listed = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)

    assert listed.returncode == 0, listed.stderr
    header = " ".join(listed.stdout.splitlines()[0].split())
    assert "جريدة سوس" in listed.stdout and "région langue lu par" in header, listed.stdout

    config.write_bytes(_saved("\r\n".join([*lines[:3], "timout = 5", *lines[4:]]), encoding))
    refused = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)

    assert refused.returncode == 2
    assert refused.stderr.startswith("rasd : erreur de configuration : "), refused.stderr
    assert "rasd.toml, ligne 4 : crawler.timout : clé inconnue" in refused.stderr, refused.stderr


@pytest.mark.parametrize("written", ["FR", "fr_FR.UTF-8", "fr-MA"])
def test_a_config_language_written_as_a_locale_is_taken_for_its_language(written: str, tmp_path: Path) -> None:
    """$RASD_LANG and --lang take a locale's name (`fr_FR.UTF-8`, `FR`); the config's `language` refused
    it, in English: "language: no digest catalog for 'fr_FR.UTF-8' (available: en, ar, fr)"."""
    config = _config(tmp_path, written, sources(("Souss", "http://127.0.0.1:9", "")))

    listed = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)

    assert listed.returncode == 0, listed.stderr
    assert "région langue lu par" in " ".join(listed.stdout.splitlines()[0].split()), listed.stdout
