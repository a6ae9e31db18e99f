"""The `rasd` options a newcomer types wrong first: dates, regions, the config's path, --version. Each
refusal is one line saying what was wrong, what is expected and an example, alike for every command."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from rasd.monitor.labelling import refusal, verdict_sse
from rasd.monitor.options import closest_regions, region_code
from tests.conftest import REPO, run_rasd, write_config


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["search", "coopérative", "--since", "01/10/2025"],
            "--since: 01/10/2025 is not a day: use YYYY-MM-DD, e.g. 2025-10-01",
        ),
        (["export", "--until", "2025-13-01"], "--until: 2025-13-01 is not a day: use YYYY-MM-DD, e.g. 2025-10-01"),
        (["backfill", "--since", "yesterday"], "--since: yesterday is not a day: use YYYY-MM-DD, e.g. 2025-10-01"),
        (["report", "--month", "10-2025"], "--month: 10-2025 is not a month: use YYYY-MM, e.g. 2025-10"),
    ],
)
def test_a_date_option_says_what_to_type(tmp_path: Path, args: list[str], line: str) -> None:
    result = run_rasd(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert f"Error: {line}\n" in result.stderr
    assert "%Y" not in result.stderr


NOT_A_LANGUAGE = (
    "Error: --lang: de is not a language Rasd is translated into: use one of en (English), ar (Arabic), fr (French), "
    "e.g. --lang ar\n"
)


@pytest.mark.parametrize(
    "args", [["report", "--month", "2025-10"], ["explain", "1"], ["browse"], ["label", "1", "sse"]]
)
def test_every_command_that_speaks_to_a_reader_refuses_a_language_alike(tmp_path: Path, args: list[str]) -> None:
    """`--lang` of report, explain, browse and label: the same line, naming the value and the choices, before
    anything is read or written (here, no database is created)."""
    config = write_config(tmp_path, "")
    result = run_rasd("--config", str(config), *args, "--lang", "de", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.endswith(NOT_A_LANGUAGE), result.stderr
    assert not (tmp_path / "rasd.db").exists()
    accepted = run_rasd("--config", str(config), *args, "--lang", "AR", cwd=tmp_path)
    assert "--lang" not in accepted.stderr


def test_label_and_search_refuse_a_region_alike(tmp_path: Path) -> None:
    """The same words for `rasd label --region` as for `rasd search --region`, with the closest regions;
    `rasd label` says them in the reader's language (French here: no subscription, no such article)."""
    from rasd.storage import Store

    config = write_config(tmp_path, "")
    Store(f"sqlite:///{tmp_path / 'rasd.db'}").close()  # label refuses a missing store first (as explain)
    said = []
    for args in (["label", "3", "sse", "--region", "Sous", "--lang", "en"], ["search", "coop", "--region", "Sous"]):
        result = run_rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 2
        said.append(result.stderr.splitlines()[-1])
    assert said[0].removeprefix("error: ") == said[1].removeprefix("Error: ")
    assert said[1].startswith("Error: --region: Sous is not a region: did you mean MA-09 Souss-Massa · سوس ماسة?")
    french = run_rasd("--config", str(config), "label", "3", "sse", "--region", "Sous", cwd=tmp_path)
    assert french.returncode == 2
    assert french.stderr.startswith(
        "erreur : --region : Sous n’est pas une région : vouliez-vous dire MA-09 Souss-Massa · سوس ماسة ?"
    )
    listed = run_rasd("regions", cwd=tmp_path)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 12
    assert "MA-09  Souss-Massa" in listed.stdout and "سوس ماسة" in listed.stdout


@pytest.mark.parametrize("typed", ["سوص", "ماسا", "سوص ماسا", "Sous"])
def test_a_misspelt_region_in_arabic_gets_the_closest_too(typed: str) -> None:
    """An Arabic misspelling (ص for س, ا for ة at the end) is answered as a Latin one: words compared folded."""
    assert closest_regions(typed)[0] == "MA-09 Souss-Massa · سوس ماسة"


def test_search_answers_an_arabic_misspelling_of_a_region_with_both_names(tmp_path: Path) -> None:
    result = run_rasd("--config", str(write_config(tmp_path, "")), "search", "coop", "--region", "سوص", cwd=tmp_path)
    assert result.returncode == 2
    assert "--region: سوص is not a region: did you mean MA-09 Souss-Massa · سوس ماسة?" in result.stderr


def test_a_missing_config_says_where_its_path_came_from(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong" / "rasd.toml"
    from_env = run_rasd("status", cwd=tmp_path, env={"RASD_CONFIG": str(wrong)})
    assert from_env.returncode == 2
    assert from_env.stderr.strip() == f"rasd: config error: {wrong}: file not found (the path comes from $RASD_CONFIG)"
    from_option = run_rasd("--config", str(wrong), "status", cwd=tmp_path)
    assert from_option.returncode == 2
    assert from_option.stderr.strip() == f"rasd: config error: {wrong}: file not found (the path comes from --config)"


def test_a_relative_config_path_not_found_names_the_folder_it_was_looked_for_in(tmp_path: Path) -> None:
    """`export RASD_CONFIG=rasd/rasd.toml`, set in the home folder, then a command from another folder: "file
    not found" for a file that is there. The line names the folder it was looked for in and asks for a full path."""
    (tmp_path / "elsewhere").mkdir()
    result = run_rasd("status", cwd=tmp_path / "elsewhere", env={"RASD_CONFIG": "rasd/rasd.toml", "RASD_LANG": "fr"})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"rasd : erreur de configuration : rasd/rasd.toml : fichier introuvable dans {tmp_path / 'elsewhere'}, le "
        "dossier courant (le chemin vient de $RASD_CONFIG) : donnez son chemin complet, depuis / ou ~"
    )


def test_a_tilde_the_shell_left_in_the_config_path_is_the_home_folder(tmp_path: Path) -> None:
    """`RASD_CONFIG="~/rasd/rasd.toml"` (quoted, in a crontab or a systemd unit, no shell expands it) and
    `--config "~/…"` were "file not found"."""
    write_config(tmp_path / "home" / "rasd", '[[sources]]\nname = "Mine Only"\nurl = "https://mine.ma/"\n')
    for how in ({"RASD_CONFIG": "~/rasd/rasd.toml"}, {}):
        named = () if how else ("--config", "~/rasd/rasd.toml")
        result = run_rasd(*named, "sources", "list", cwd=tmp_path, env={"HOME": str(tmp_path / "home"), **how})
        assert result.returncode == 0, result.stderr
        assert "Mine Only" in result.stdout and "Hespress" not in result.stdout, result.stdout


# `rasd ARGS` for a user without a home folder: $HOME unset and no entry in the password database (a
# container run with an arbitrary uid), the database's answer replaced at its one named point.
WITHOUT_HOME = """
import pwd, sys


def no_entry(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")


pwd.getpwuid = no_entry
sys.argv = ["rasd", *sys.argv[1:]]
from rasd.monitor.start import main

main()
"""


def _without_home(tmp_path: Path, *args: str, language: str = "en") -> subprocess.CompletedProcess[str]:
    kept = {name: value for name, value in os.environ.items() if name not in {"HOME", "RASD_CONFIG"}}
    kept = {name: value for name, value in kept.items() if not name.startswith("XDG_")}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_HOME, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        env={**kept, "PYTHONPATH": str(REPO), "RASD_LANG": language},
        check=False,
    )


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "rasd: config error: no home folder: $HOME is not set and user "),
        ("fr", "rasd : erreur de configuration : pas de dossier personnel : $HOME n’est pas défini"),
    ],
)
def test_no_home_folder_is_one_line_and_a_named_config_needs_none(tmp_path: Path, language: str, line: str) -> None:
    """Path.home() raised RuntimeError: every command ended in its traceback, even with --config (the
    classifier's cache is in the home folder)."""
    alone = _without_home(tmp_path, "status", language=language)
    assert alone.returncode == 2 and alone.stderr.startswith(line), alone.stderr
    assert "XDG_DATA_HOME)" in alone.stderr and "--config" in alone.stderr, alone.stderr
    assert len(alone.stderr.splitlines()) == 1, alone.stderr
    config = write_config(tmp_path / "setup", "")
    given = tmp_path / "in.jsonl"
    given.write_text('{"id": "1", "title": "تعاونية", "text": "تعاونية نسائية بتيزنيت"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    named = _without_home(tmp_path, "--config", str(config), "classify", "--input", str(given), "--output", str(out))
    assert named.returncode == 0 and "Traceback" not in named.stderr, named.stderr
    assert '"id": "1"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["sources", "list"], ["status"], ["regions"]])
def test_the_config_may_follow_the_commands_name(tmp_path: Path, command: list[str]) -> None:
    """`rasd status --config FILE` reads FILE as `rasd --config FILE status` does (it was "No such option")."""
    config = write_config(tmp_path / "elsewhere", '[[sources]]\nname = "Tiznit Info"\nurl = "http://127.0.0.1:9/"\n')
    before = run_rasd("--config", str(config), *command, cwd=tmp_path)
    after = run_rasd(*command, "--config", str(config), cwd=tmp_path, env={"RASD_CONFIG": str(tmp_path / "none.toml")})
    assert (after.returncode, after.stdout, after.stderr) == (before.returncode, before.stdout, before.stderr)
    assert "No such option" not in after.stderr


def test_version(tmp_path: Path) -> None:
    result = run_rasd("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"rasd {version('rasd')}"


def test_each_commit_is_a_version_of_its_own() -> None:
    """Every build called itself 0.1.0, so `pip install rasd-….whl` of a newer build over an older one said
    "Requirement already satisfied" and left the old code running (a newcomer's upgrade). Installed from a git
    checkout, the version names how many commits it holds and which one (setuptools-scm)."""
    import re
    import subprocess

    installed = version("rasd")
    if re.fullmatch(r"\d+\.\d+\.\d+", installed):  # a release: HEAD is tagged vX.Y.Z
        tag = subprocess.run(["git", "describe", "--tags", "--exact-match"], cwd=REPO, capture_output=True, text=True)
        assert tag.stdout.strip().lstrip("v") == installed, (installed, tag.stdout)
        return
    assert re.fullmatch(r"\d+\.\d+\.\d+\.dev(\d+)\+g[0-9a-f]{7,}(\.d\d{8})?", installed), installed
    commits = int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=REPO, capture_output=True, text=True,
                                 check=True).stdout)  # fmt: skip
    assert 0 < int(re.findall(r"dev(\d+)", installed)[0]) <= commits, (installed, commits)


def test_a_crawl_where_every_source_fails_says_so_once(tmp_path: Path) -> None:
    """The job's log line ("crawl failed … error: no source could be fetched") is for the daemon's log
    and --log-json; a crawl run by hand says it once, after a line per failing source, and Scrapy's own
    per-request errors and tracebacks stay out of the terminal."""
    from tests.test_sources_check import refused_base, source

    base = refused_base()
    config = write_config(tmp_path, source("Refused", f"{base}/"))
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"warning: Refused: 1 failed fetch: connection refused (listing {base}/)",
        "error: no source could be fetched",
    ], result.stderr


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("سوس", "MA-09"),
        ("جهة سوس ماسة", "MA-09"),
        ("Souss", "MA-09"),
        ("région du Souss-Massa", "MA-09"),
        ("Oriental", "MA-02"),
        ("Région de l'Oriental", "MA-02"),
        ("جهة الشرق", "MA-02"),
        ("Béni Mellal", "MA-05"),
        ("ma-9", "MA-09"),
    ],
)
def test_a_region_is_accepted_by_its_names_folded_with_or_without_region(spelling: str, code: str) -> None:
    """Names as readers write them: a word of a region's name that names no other, with or without
    "جهة" or "région de" before it; a word two regions share ("Oued") stays a question."""
    assert region_code(spelling) == code
    assert region_code("Oued") is None
    assert closest_regions("Oued") == [
        "MA-10 Guelmim-Oued Noun · كلميم واد نون",
        "MA-12 Dakhla-Oued Ed-Dahab · الداخلة وادي الذهب",
    ]


def test_a_misspelt_source_gets_the_closest_names(tmp_path: Path) -> None:
    """`--source Echo` names no source; the sources it may mean are said, as for --region."""
    entries = "".join(
        f'[[sources]]\nname = "{name}"\nurl = "https://{n}.example/"\nregion = "MA-03"\n\n'
        for n, name in enumerate(["Echo du Sais", "Fes Presse", "Sefrou Info"])
    )
    config = write_config(tmp_path, entries)
    result = run_rasd("--config", str(config), "sources", "check", "--source", "Echo", cwd=tmp_path)
    assert result.returncode == 2
    # the reader's typing mistake, not the config file's: said as the command's error
    assert result.stderr.strip() == (
        "error: no source in the config is named 'Echo': did you mean 'Echo du Sais'? (rasd sources list)"
    ), result.stderr
    french = run_rasd("--config", str(config), "crawl", "--source", "Echo", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.returncode == 2 and french.stderr.startswith("erreur : aucune source de la configuration ne s"), (
        french.stderr
    )
    assert "erreur de configuration" not in french.stderr


@pytest.mark.parametrize(
    ("typed", "sse"),
    [("sse", True), ("SSE", True), ("ESS", True), ("نعم", True), ("not-sse", False), ("Not SSE", False),
     ("non-ess", False), ("NON_ESS", False), ("لا", False), ("Oui", True), ("non", False), ("maybe", None),
     ("hors ESS", False), ("hors-ess", False),
     ("", None)],
)  # fmt: skip
def test_a_verdict_is_read_in_any_case_in_english_french_or_arabic(typed: str, sse: bool | None) -> None:
    """`rasd label 1 SSE` was refused: a verdict is read in any case, as "ess"/"non-ess" and French or Arabic
    yes/no (`rasd label 1 oui` was refused while `نعم` was taken)."""
    assert verdict_sse(typed) is sse
    assert (refusal(typed, None, "fr") is None) is (sse is not None)


# after "no article N", where the numbers are: a newcomer's `rasd explain 999` said only that it was not there
FR_WHERE = " : les numéros sont ceux qui commencent la ligne de chaque article dans `rasd search`"
AR_WHERE = ": الأرقام هي التي يبدأ بها سطر كل خبر في \u200e`rasd search`\u200e\u200f"


def test_explain_of_an_unknown_article_says_so_in_the_readers_language(tmp_path: Path) -> None:
    """`rasd explain 999` spoke English while explain speaks Arabic or French (French here: no subscription)."""
    from rasd.storage import Store

    config = write_config(tmp_path, "")
    Store(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    french = run_rasd("--config", str(config), "explain", "999", cwd=tmp_path)
    assert (french.returncode, french.stderr) == (1, f"erreur : aucun article ne porte le numéro 999{FR_WHERE}\n")
    arabic = run_rasd("--config", str(config), "explain", "999", "--lang", "ar", cwd=tmp_path)
    assert (arabic.returncode, arabic.stderr) == (
        1,
        f"\u200fخطأ: لا يوجد مقال رقمه 999{AR_WHERE}\n",
    )  # RLM: an Arabic line


@pytest.mark.parametrize("command", [("explain", "abc"), ("label", "l2", "sse")])
def test_an_article_id_that_is_not_a_number_says_where_the_numbers_are(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """`rasd explain abc` was click's "Valeur non valable pour 'ARTICLE_ID' : 'abc' n'est pas un nombre valable
    (integer)." under two lines of usage: English jargon, and no word of where an article's number is found."""
    config = write_config(tmp_path, "")
    french = run_rasd("--config", str(config), *command, cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.returncode == 2
    assert french.stderr == (
        f"erreur : {command[1]} n’est pas un numéro d’article : utilisez le numéro qui commence la ligne de chaque "
        "article dans `rasd search`, par exemple 12\n"
    )
    english = run_rasd("--config", str(config), *command, cwd=tmp_path)
    assert f"{command[1]} is not an article number: use the number that begins each story's line" in english.stderr
    assert "integer" not in english.stderr + french.stderr


def test_a_crawl_whose_loopback_sites_are_down_says_they_are_not_running(tmp_path: Path) -> None:
    """The demo's config with the demo web stopped: nothing listens on 127.x, which no firewall explains."""
    from tests.test_sources_check import refused_base, source

    base = refused_base()
    config = write_config(tmp_path, "".join(source(f"Site {n}", f"{base}/{n}/") for n in range(4)))
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "warning: 4 of 4 sources refused the connection on this machine (127.x): their site is not running "
        "(the demo web's: start it with `rasd demo --serve`); `rasd status` lists each source"
    ), result.stderr
    assert "firewall" not in result.stderr
