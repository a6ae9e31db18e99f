"""A bad config line gives one readable line naming the file and key, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.config import ConfigError, load_settings
from tests.conftest import run_rasd


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_source_url_names_file_and_key(tmp_path: Path) -> None:
    """One bad entry among good ones: one line naming it; the others are used (tests/test_failures_said.py
    crawls them)."""
    config = _write(
        tmp_path / "rasd.toml",
        '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n[[sources]]\nname = "B"\nurl = "a.ma/news"\n',
    )
    result = run_rasd("--config", str(config), "sources", "list", cwd=tmp_path)
    assert result.returncode == 0
    assert f"{config}, line 6: sources[1].url: not a URL" in result.stderr
    assert "it starts with http:// or https://, e.g. 'https://a.ma/news'" in result.stderr  # what to write
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert [s.name for s in load_settings(config).sources] == ["A"]


def test_errors_in_a_separate_sources_file_name_that_file(tmp_path: Path) -> None:
    _write(tmp_path / "sources.toml", '[[sources]]\nname = "A"\nurl = "https://a.ma/"\nregion = "MA-13"\n')
    config = _write(tmp_path / "rasd.toml", '[storage]\nurl = "sqlite:///x.db"\n')
    expected = r"sources\.toml, line 4: sources\[0\]\.region: 'MA-13' is not a region: .*`rasd regions` lists them all"
    with pytest.raises(ConfigError, match=expected):
        load_settings(config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[storage\nurl = 1", "line 1: not valid TOML at column 9"),
        ("[crawler]\nconcurent_requests_per_domain = 2\n", "crawler.concurent_requests_per_domain: unknown key"),
        ('[[subscriptions]]\nname = "x"\nemail = "not-an-address"\n', "subscriptions[0].email"),
        (
            '[[subscriptions]]\nname = "x"\nemail = "a@b.ma"\nregions = ["Mars"]\n',
            "subscriptions[0].regions: 'Mars' is not a region",
        ),
        ('[smtp]\npassword = "hunter2"\n', "smtp.password: secrets are not read from files"),
        ('[[sources]]\nname = "Local"\nurl = "http://127.0.0.1:8000/"\n', "private or loopback address"),
        ('timezone = "Mars/Olympus"\n', "unknown time zone"),
        ("[crawler]\nworkers = 0\n", "crawler.workers"),
        # a key in the wrong section is told where it goes, not only that it is unknown
        (
            "timeout = 10\n[smtp]\nhost = 'relay.ma'\n",
            "rasd.toml, line 1: timeout: unknown key here: it belongs under [smtp]",
        ),
        (  # a top-level key written after a [section] header is in that section for TOML
            '[crawler]\nworkers = 2\noutbox = "mail"\n',
            "crawler.outbox: unknown key here: it belongs at the top of the file (before any [section])",
        ),
        (
            '[[subscriptions]]\nname = "x"\nemail = "a@b.ma"\nport = 25\n',
            "subscriptions[0].port: unknown key here: it belongs under [smtp]",
        ),
        (
            '[crawler]\nurl = "x"\n',
            "crawler.url: unknown key here: it belongs under [storage] or in a [[sources]] entry",
        ),
        (  # `[subscriptions.x]` is a table in the latest [[subscriptions]] entry: its line, not the entry's
            '[[subscriptions]]\nname = "a"\nemail = "a@b.ma"\n[[subscriptions]]\nname = "b"\nemail = "b@b.ma"\n'
            '\n[subscriptions.filter]\nregions = ["MA-09"]\n',
            "rasd.toml, line 8: subscriptions[1].filter: unknown key",
        ),
    ],
)
def test_config_mistakes_are_reported_readably(tmp_path: Path, text: str, expected: str) -> None:
    config = _write(tmp_path / "rasd.toml", text)
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert expected in str(error.value)
    assert str(config) in str(error.value)


def test_a_config_saved_by_a_windows_editor_reads_as_written(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a byte-order mark and CRLF line ends, and "Unicode" as UTF-16 with its mark:
    the file reads as it looks (faults12: UTF-16 was "line 1: not UTF-8 text", however right it looked)."""
    config = tmp_path / "rasd.toml"
    config.write_bytes(b"\xef\xbb\xbf" + b'[[sources]]\r\nname = "Tiznit Info"\r\nurl = "https://a.ma/"\r\n')
    assert [s.name for s in load_settings(config).sources] == ["Tiznit Info"]
    config.write_bytes('[[sources]]\r\nname = "Tiznit Info"\r\nurl = "https://a.ma/"\r\n'.encode("utf-16"))
    assert [s.name for s in load_settings(config).sources] == ["Tiznit Info"]
    config.write_bytes(b"[[sources]]\nname = \"Tiznit \xc9cho\"\n")  # windows-1252, no mark: not UTF-8
    with pytest.raises(ConfigError, match=r"rasd\.toml, line 2: not UTF-8 text \(save it as UTF-8\)$"):
        load_settings(config)
    with pytest.raises(ConfigError, match=r": a folder, not a file$"):
        load_settings(tmp_path)


def test_missing_sections_take_the_defaults(tmp_path: Path) -> None:
    config = _write(tmp_path / "rasd.toml", '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n')
    settings = load_settings(config)
    assert settings.storage.url == f"sqlite:///{tmp_path / 'data' / 'rasd.db'}"
    assert settings.outbox == str(tmp_path / "outbox")
    assert [s.name for s in settings.sources] == ["A"]
    assert settings.crawler.allow_private_networks is False


def test_shipped_config_is_valid() -> None:
    settings = load_settings(Path(__file__).resolve().parent.parent / "config" / "rasd.toml")
    assert settings.sources, "config/sources.toml lists the sites"
    assert settings.subscriptions


BROKEN = {  # a config as a newcomer breaks it, and what each language says: the file, the line, the key, what to write
    "typo": (
        "[crawler]\nmax_pages_per_sourc = 50\n",
        "line 2: crawler.max_pages_per_sourc: unknown key: did you mean max_pages_per_source?",
        "ligne 2 : crawler.max_pages_per_sourc : clé inconnue : vouliez-vous dire max_pages_per_source ?",
        "السطر 2: crawler.max_pages_per_sourc: مفتاح غير معروف: هل تقصد max_pages_per_source؟",
    ),
    "a source's key lengthened": (  # `language` is a key at the top of rasd.toml: that hint sent the reader there
        '[[sources]]\nname = "A"\nurl = "https://a.ma/"\nlanguage = "ar"\n',
        "line 4: sources[0].language: unknown key: did you mean lang?",
        "ligne 4 : sources[0].language : clé inconnue : vouliez-vous dire lang ?",
        "السطر 4: sources[0].language: مفتاح غير معروف: هل تقصد lang؟",
    ),
    "string for a number": (
        '[crawler]\nworkers = 2\nmax_pages_per_source = "lots"\n',
        'line 3: crawler.max_pages_per_source: expected a whole number, not "lots"',
        'ligne 3 : crawler.max_pages_per_source : attendu : un nombre entier, pas "lots"',
        'السطر 3: crawler.max_pages_per_source: المتوقع: عدد صحيح، لا "lots"',
    ),
    "bad hour": (
        '[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\ntime = "25:00"\n',
        "line 4: subscriptions[0].time: not a time of day: write it without quotes",
        "ligne 4 : subscriptions[0].time : pas une heure : écrivez-la sans guillemets",
        "السطر 4: subscriptions[0].time: ليس وقتا من اليوم: اكتبه بدون علامتي تنصيص",
    ),
    "hour as a number": (  # taken as 7 seconds after midnight: the daily digest went out at 00:00:07
        '[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\ntime = 7\n',
        "line 4: subscriptions[0].time: not a time of day: write it without quotes, from 00:00:00 to 23:59:59 (e.g. "
        "07:00:00), not 7",
        "ligne 4 : subscriptions[0].time : pas une heure : écrivez-la sans guillemets, de 00:00:00 à 23:59:59 (par "
        "exemple 07:00:00), pas 7",
        "السطر 4: subscriptions[0].time: ليس وقتا من اليوم",
    ),
    "housekeeping hour as a number": (
        "[schedule]\nhousekeeping_at = 3.5\n",
        "line 2: schedule.housekeeping_at: not a time of day",
        "ligne 2 : schedule.housekeeping_at : pas une heure",
        "السطر 2: schedule.housekeeping_at: ليس وقتا من اليوم",
    ),
    "hour not TOML": (
        '[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\ntime = 7h\n',
        "line 4: not valid TOML at column 9 (text needs quotes, a time is written 07:00:00",
        "ligne 4 : TOML invalide à la colonne 9 (le texte se met entre guillemets, une heure s’écrit 07:00:00",
        "السطر 4: صيغة TOML غير صحيحة في العمود 9 (النص بين علامتي تنصيص، والوقت يُكتب 07:00:00",
    ),
    "missing key": (
        '[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\n[[subscriptions]]\nname = "y"\n',
        "line 4: subscriptions[1].email: missing: this key is required",
        "ligne 4 : subscriptions[1].email : manquante : cette clé est obligatoire",
        "السطر 4: subscriptions[1].email: ناقص: هذا المفتاح إلزامي",
    ),
    "bad choice": (
        '[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\nfrequency = "hourly"\n',
        'line 4: subscriptions[0].frequency: expected one of immediate | daily | weekly, not "hourly"',
        'ligne 4 : subscriptions[0].frequency : attendu : l’un de immediate | daily | weekly, pas "hourly"',
        'السطر 4: subscriptions[0].frequency: المتوقع: إحدى القيم immediate | daily | weekly، لا "hourly"',
    ),
    "bad address": (
        '[[subscriptions]]\nname = "x"\nemail = "x.example.ma"\n',
        "line 3: subscriptions[0].email: not an email address (expected name@example.org)",
        "ligne 3 : subscriptions[0].email : pas une adresse électronique",
        "السطر 3: subscriptions[0].email: ليس عنوان بريد إلكتروني",
    ),
    "out of bounds": (
        "[smtp]\nport = 99999\n",
        "line 2: smtp.port: must be at most 65535, not 99999",
        "ligne 2 : smtp.port : doit valoir au plus 65535, pas 99999",
        "السطر 2: smtp.port: يجب ألا يزيد عن 65535، لا 99999",
    ),
    "bad URL": (
        '[[sources]]\nname = "A"\nurl = "ftp://a.ma/"\n',
        "line 3: sources[0].url: not a URL (expected http:// or https://)",
        "ligne 3 : sources[0].url : pas une adresse web",
        "السطر 3: sources[0].url: ليس عنوان ويب",
    ),
    # tomllib's "Cannot declare ('crawler',) twice" and "Cannot overwrite a value", under a hint for quotes
    "section twice": (
        "[crawler]\nworkers = 2\n\n[ crawler ]  # added later\nautothrottle = false\n",
        "line 4: [crawler] is written twice (first on line 1): put its keys under one",
        "ligne 4 : la section [crawler] est écrite deux fois (la première à la ligne 1) : regroupez ses clés",
        "السطر 4: القسم [crawler] مكتوب مرتين (أول مرة في السطر 1): اجمع مفاتيحه تحت واحد",
    ),
    "key twice": (
        '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n[[sources]]\nname = "B"\nurl = "https://b.ma/"\nname = "C"\n',
        "line 7: name is given twice (first on line 5): keep one",
        "ligne 7 : la clé name est donnée deux fois (la première à la ligne 5) : gardez-en une",
        "السطر 7: المفتاح name مذكور مرتين (أول مرة في السطر 5): احتفظ بواحد",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_config_is_one_line_in_the_readers_language(tmp_path: Path, case: str) -> None:
    """Not pydantic's English ("Input should be a valid integer", "Field required"): each kind of mistake
    in the reader's words, with the file, the line, the key and what was expected."""
    text, *expected = BROKEN[case]
    config = _write(tmp_path / "rasd.toml", text)
    for language, said in zip(("en", "fr", "ar"), expected, strict=True):
        result = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": language})
        assert result.returncode == 2
        (line,) = result.stderr.splitlines()
        shown = line.translate({ord(mark): None for mark in "\u200e\u200f\u202a\u202b\u202c"})  # bidi marks
        assert f"{config}" in shown and said in shown, shown
        assert not any(english in shown for english in ("Input should", "Field required", "Extra inputs")), shown


def test_every_mistake_of_a_config_file_is_said_at_once(tmp_path: Path) -> None:
    """Two mistakes in two sections: both said, the second under the first, so that a user fixes the file in
    one go (only the first was said: a second round of `rasd status` found the next one)."""
    text = '[crawler]\nworkers = "two"\n[[subscriptions]]\nname = "x"\nemail = "x@example.ma"\nfrequency = "hourly"\n'
    config = _write(tmp_path / "rasd.toml", text)
    result = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert result.returncode == 2
    first, second = result.stderr.splitlines()
    assert 'ligne 2 : crawler.workers : attendu : un nombre entier, pas "two"' in first, result.stderr
    assert second.startswith("    ") and "ligne 6 : subscriptions[0].frequency : attendu : l’un de" in second


def test_the_daemons_line_on_a_config_broken_twice_stays_one_line(tmp_path: Path) -> None:
    """The daemon's log says a config that no longer reads in one line: its first mistake (a command says
    them all)."""
    from rasd.monitor.config_watch import ConfigWatch

    config = _write(tmp_path / "rasd.toml", 'language = "fr"\n')
    watch = ConfigWatch(load_settings(config))
    config.write_text('language = "fr"\n[crawler]\nworkers = "two"\nmax_pages_per_source = "lots"\n')
    said = watch.check()
    assert said is not None and "\n" not in said, said
    assert said.count("crawler.") == 1 and "ne se lit plus" in said, said


def test_the_daemon_names_a_source_entry_broken_while_it_runs(tmp_path: Path) -> None:
    """A [[sources]] entry broken while the daemon runs is named with its line in the daemon's log (a restart
    would leave that source out), not only "the config changed"."""
    from rasd.monitor.config_watch import ConfigWatch

    config = _write(tmp_path / "rasd.toml", 'language = "fr"\n')
    sources = tmp_path / "sources.toml"
    good = '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n\n[[sources]]\nname = "B"\nurl = "https://b.ma/"\n'
    sources.write_text(good, encoding="utf-8")
    watch = ConfigWatch(load_settings(config))
    sources.write_text(good.replace("https://b.ma/", "b.ma"), encoding="utf-8")
    said = watch.check()
    assert said is not None and "\n" not in said, said
    assert "ligne 7" in said and "sources[1].url" in said and "au prochain démarrage" in said, said


def test_a_region_written_by_name_in_the_config_is_its_code_as_on_the_command_line(tmp_path: Path) -> None:
    """`region = "Souss-Massa"` in sources.toml, `regions = ["Oriental"]` in a subscription: refused as "not
    an ISO 3166-2:MA region code", while `--region Souss-Massa` is taken. The config takes the same names."""
    _write(
        tmp_path / "sources.toml",
        '[[sources]]\nname = "A"\nurl = "https://a.ma/"\nregion = "Souss-Massa"\n'
        '[[sources]]\nname = "B"\nurl = "https://b.ma/"\nregion = "جهة الشرق"\n',
    )
    config = _write(
        tmp_path / "rasd.toml",
        '[[subscriptions]]\nname = "Me"\nemail = "me@example.org"\nregions = ["Oriental", "سوس ماسة", "MA-01"]\n',
    )
    settings = load_settings(config)
    assert [source.region for source in settings.sources] == ["MA-09", "MA-02"]
    assert settings.subscriptions[0].regions == ["MA-02", "MA-09", "MA-01"]


def _refused_line(tmp_path: Path, rasd_toml: str, language: str, *command: str) -> str:
    """The one line a command (`status` unless named) says, exiting 2, about the rasd.toml written, in `language`."""
    config = _write(tmp_path / "rasd.toml", rasd_toml)
    result = run_rasd("--config", str(config), *(command or ("status",)), cwd=tmp_path, env={"RASD_LANG": language})
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    return line


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "'Sous' is not a region: did you mean MA-09 Souss-Massa · سوس ماسة? Write its code"),
        ("fr", "'Sous' n’est pas une région : vouliez-vous dire MA-09 Souss-Massa · سوس ماسة ? Écrivez son code"),
        ("ar", "ليست جهة: هل تقصد"),
    ],
)
def test_a_misspelt_region_in_the_config_gets_the_closest_and_rasd_regions(
    tmp_path: Path, language: str, said: str
) -> None:
    _write(tmp_path / "sources.toml", '[[sources]]\nname = "A"\nurl = "https://a.ma/"\nregion = "Sous"\n')
    line = _refused_line(tmp_path, "", language, "sources", "list")
    assert "sources[0].region" in line and said in line and "rasd regions" in line, line


@pytest.mark.parametrize(
    ("host", "language", "said"),
    [
        ("127.0.0.1:2525", "en", """'127.0.0.1:2525' holds the port: write host = "127.0.0.1" and port = 2525"""),
        (
            "smtp://relay.ma",
            "fr",
            """'smtp://relay.ma' est une adresse : écrivez le nom du serveur seul, host = "relay.ma\"""",
        ),
        (
            "smtps://relay.ma:465/",
            "ar",
            "\u200e'smtps://relay.ma:465/'\u200e\u200f يحمل المنفذ: اكتب \u200ehost = \"relay.ma\"\u200e",
        ),
    ],
)
def test_a_port_or_scheme_written_in_the_smtp_host_says_where_the_port_goes(
    tmp_path: Path, host: str, language: str, said: str
) -> None:
    """`host = "127.0.0.1:2525"` was taken, and `rasd digest --check` then failed on `smtp://127.0.0.1:2525:587`:
    "unknown server name", without a word about the port. The config says where it goes, in the reader's language."""
    line = _refused_line(tmp_path, f'[smtp]\nhost = "{host}"\n', language, "digest", "--check")
    assert "smtp.host" in line and said in line, line
    assert (
        load_settings(_write(tmp_path / "ok.toml", '[smtp]\nhost = "relay.ma"\nport = 2525\n')).smtp.host == "relay.ma"
    )


@pytest.mark.parametrize(
    ("text", "language", "said"),
    [
        (  # a quote left open: "not valid TOML at column 101 (…): Illegal character '\n'", tomllib's English
            'timezone = "Africa/Casablanca"\noutbox = "outbox          # digests\n',
            "fr",
            'rasd.toml, ligne 2 : le guillemet fermant d’un texte manque sur cette ligne : fermez-le par " (avant',
        ),
        ('outbox = "outbox', "ar", "علامة التنصيص التي تغلق نصًّا مفقودة: ينتهي الملف داخله"),
        ('outbox = "outbox', "en", "rasd.toml: a text's closing quote is missing: the file ends inside it; close it"),
        (  # two slashes, `data` read as a host: SQLAlchemy's traceback at the first command that opened the store
            '[storage]\nurl = "sqlite://data/rasd.db"\n',
            "fr",
            "storage.url : un fichier SQLite s’écrit avec trois barres obliques avant son chemin : 'sqlite:///data/rasd.db'",
        ),
        (
            '[storage]\nurl = "data/rasd.db"\n',
            "en",
            "storage.url: an SQLite file is written with three slashes before its path: 'sqlite:///data/rasd.db' (a",
        ),
        ('[storage]\nurl = "sqlite://data/rasd.db"\n', "ar", "يُكتب ملف SQLite بثلاث شرطات مائلة قبل مساره"),
    ],
)
def test_a_mistyped_line_is_told_what_to_write_in_the_readers_language(
    tmp_path: Path, text: str, language: str, said: str
) -> None:
    line = _refused_line(tmp_path, text, language)
    assert said in line and "Illegal" not in line and "Unterminated" not in line, line


@pytest.mark.parametrize(
    ("sources", "said"),
    [
        (
            '# my sites\n\n[[source]]\nname = "A"\nurl = "https://a.ma/"\n',
            "line 3: source: unknown key: did you mean [[sources]]?",
        ),
        (
            'download_delay = 2\n[[sources]]\nname = "A"\nurl = "https://a.ma/"\n',
            "line 1: download_delay: unknown key here: this file holds only [[sources]] entries; settings go in "
            "rasd.toml",
        ),
    ],
)
def test_a_key_other_than_sources_in_sources_toml_is_refused(tmp_path: Path, sources: str, said: str) -> None:
    """`[[source]]` in sources.toml, one letter short: the file's sites were ignored without a word, and
    `rasd sources list` said there were none. Anything but [[sources]] is refused, naming its line."""
    _write(tmp_path / "sources.toml", sources)
    line = _refused_line(tmp_path, "", "en", "sources", "list")
    assert line == f"rasd: config error: {tmp_path / 'sources.toml'}, {said}", line


def test_the_daemon_names_the_settings_that_changed_and_wait_for_a_restart(tmp_path: Path) -> None:
    """A reader who changed `timezone`, the commands' `language` or a digest's hour while the daemon ran read "the
    config changed" and took it for a reload: the line names each setting as the file writes it, so that what
    waits for a restart is plain. An edit that changes nothing (a comment) is not said."""
    from rasd.monitor.config_watch import ConfigWatch

    subscription = '[[subscriptions]]\nname = "Hebdo"\nemail = "me@example.org"\ntime = 07:00:00\n'
    good = 'language = "fr"\ntimezone = "Africa/Casablanca"\n' + subscription
    config = _write(tmp_path / "rasd.toml", good)
    watch = ConfigWatch(load_settings(config))
    config.write_text("# a comment\n" + good, encoding="utf-8")
    assert watch.check() is None
    config.write_text(
        good.replace("Africa/Casablanca", "Europe/Paris").replace('"fr"', '"ar"').replace("07:00", "08:00"),
        encoding="utf-8",
    )
    said = watch.check()
    assert said is not None and "\n" not in said, said
    assert 'a changé (timezone, language, subscriptions "Hebdo".time) ; ' in said and "redémarrez" in said, said
