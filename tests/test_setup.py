"""A user's own setup: `rasd init`, paths taken from the config file's folder (never the working
directory), read-only commands that never create a database, and a demo sealed off from real use."""

from __future__ import annotations

import email
import json
import os
import shlex
import socket
import subprocess
import tomllib
from email import policy
from pathlib import Path
from typing import Any

import pytest

from rasd.config import ConfigError, load_settings
from tests.conftest import REPO, run_rasd

SEED_LIKE_STORY = {
    "id": "souss",
    "title": "تعاونية نسائية لإنتاج زيت الأركان بتزنيت تفتتح وحدة جديدة بدعم من المبادرة الوطنية للتنمية البشرية",
    "text": (
        "افتتحت تعاونية نسائية لإنتاج زيت الأركان بإقليم تزنيت وحدة جديدة للتثمين والتلفيف، بدعم من المبادرة "
        "الوطنية للتنمية البشرية في إطار برنامج تحسين الدخل والإدماج الاقتصادي للشباب والنساء، بحضور ممثلي "
        "الاقتصاد الاجتماعي والتضامني بجهة سوس ماسة."
    ),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.10", 0))
        return int(probe.getsockname()[1])


def test_relative_paths_come_from_the_config_folder_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "setup"
    (folder / "mine").mkdir(parents=True)
    (folder / "mine" / "story.txt").write_text("تعاونية", encoding="utf-8")
    (folder / "sites.toml").write_text('[[sources]]\nname = "A"\nurl = "https://a.ma/"\n', encoding="utf-8")
    config = folder / "rasd.toml"
    config.write_text(
        'outbox = "mail"\n[storage]\nurl = "sqlite:///db/rasd.db"\n'
        '[crawler]\nsources_file = "sites.toml"\n[classifier]\nseeds_dir = "mine"\n',
        encoding="utf-8",
    )
    seen = []
    for where in (folder, tmp_path, Path("/")):
        monkeypatch.chdir(where)
        settings = load_settings(config.relative_to(tmp_path) if where == tmp_path else config)
        seen.append((settings.storage.url, settings.outbox, settings.classifier.seeds_dir, settings.sources[0].name))
    assert seen[0] == seen[1] == seen[2]
    assert seen[0] == (f"sqlite:///{folder / 'db' / 'rasd.db'}", str(folder / "mail"), str(folder / "mine"), "A")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('[crawler]\nsources_file = "sourcez.toml"\n', "crawler.sources_file"),
        ('[classifier]\nseeds_dir = "seedz"\n', "classifier.seeds_dir"),
        ('[smtp]\nca_file = "relay-ca.pem"\n', "smtp.ca_file"),
    ],
)
def test_a_missing_file_named_in_the_config_is_an_error_naming_the_key(tmp_path: Path, line: str, key: str) -> None:
    """A misspelled sources_file used to fall back silently to the 74 bundled sites."""
    config = tmp_path / "rasd.toml"
    config.write_text(line, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert str(config) in str(error.value) and key in str(error.value)


def test_the_same_story_scores_the_same_from_any_folder(tmp_path: Path) -> None:
    """seeds_dir was read against the working directory: 0.97 from the repository, 0.75 from /tmp."""
    run_rasd("init", str(tmp_path / "setup"), cwd=tmp_path)
    config = tmp_path / "setup" / "rasd.toml"
    (tmp_path / "in.jsonl").write_text(json.dumps(SEED_LIKE_STORY, ensure_ascii=False) + "\n", encoding="utf-8")
    results: list[dict[str, Any]] = []
    for where in (REPO, tmp_path, tmp_path / "setup"):
        out = tmp_path / f"out-{len(results)}.jsonl"
        done = run_rasd(
            "--config", str(config), "classify", "--input", str(tmp_path / "in.jsonl"), "--output", str(out), cwd=where
        )
        assert done.returncode == 0, done.stderr
        results.append(json.loads(out.read_text(encoding="utf-8")))
    assert results[0] == results[1] == results[2]
    assert any("seed" in reason for reason in results[0]["reasons"]), results[0]


@pytest.mark.parametrize("command", [["status"], ["search", "تعاونية"], ["explain", "1"], ["export"]])
def test_read_only_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text('[storage]\nurl = "sqlite:///data/rasd.db"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_rasd("--config", str(config), *command, cwd=elsewhere)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"rasd: no database at {tmp_path / 'data' / 'rasd.db'} (settings: {config}): run `rasd crawl` first, "
        "or name another config with --config"
    ]
    assert not (tmp_path / "data").exists() and not any(elsewhere.iterdir())


def test_after_an_upgrade_a_store_where_an_older_rasd_put_it_is_pointed_at(tmp_path: Path) -> None:
    """Before 2026-12-02 `sqlite:///data/rasd.db` was taken from the folder a command ran in. Upgraded, `rasd
    status` run from that folder said only "no database … run `rasd crawl` first", and that crawl would start an
    empty store beside the config, its subscribers sent every story again. It now names the store it found."""
    from rasd.storage import Store

    veille = tmp_path / "veille"
    veille.mkdir()
    config = veille / "rasd.toml"
    config.write_text('[storage]\nurl = "sqlite:///data/rasd.db"\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    Store(f"sqlite:///{tmp_path / 'data' / 'rasd.db'}").close()  # where the older Rasd, run from tmp_path, put it
    done = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"rasd: no database at {veille / 'data' / 'rasd.db'} (settings: {config}), but one at "
                           f"{tmp_path / 'data' / 'rasd.db'}: a Rasd of before 2026-12-02"), line  # fmt: skip
    french = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert f"mais il y en a une à {tmp_path / 'data' / 'rasd.db'}" in french.stderr, french.stderr
    assert not (veille / "data").exists()
    elsewhere = run_rasd("--config", str(config), "status", cwd=veille)  # the store is not where it runs now
    assert "but one at" not in elsewhere.stderr and "run `rasd crawl` first" in elsewhere.stderr


def test_without_a_config_the_data_lives_in_the_user_folder_not_the_working_directory(tmp_path: Path) -> None:
    done = run_rasd("status", cwd=tmp_path)
    assert done.returncode == 1
    assert f"{os.environ['XDG_DATA_HOME']}/rasd/data/rasd.db" in done.stderr
    # "built-in defaults, no config file" was English in a French or Arabic reader's line
    french = run_rasd("status", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert "(réglages : valeurs par défaut intégrées, aucun fichier de configuration)" in french.stderr
    arabic = run_rasd("status", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert "الإعدادات المدمجة، دون ملف إعدادات" in arabic.stderr and "built-in" not in arabic.stderr
    assert "built-in defaults" in done.stderr
    assert not any(tmp_path.iterdir())


def test_init_then_the_demo_from_another_folder_keeps_to_its_own_folder(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    written = run_rasd("init", str(folder), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert (folder / "rasd.toml").is_file() and (folder / "sources.toml").is_file()
    assert len(list((folder / "seeds").glob("*.txt"))) >= 5
    again = run_rasd("init", str(folder), cwd=tmp_path)
    assert again.returncode == 1 and "already exists; nothing was written" in again.stderr

    config = folder / "rasd.toml"
    port = str(free_port())
    bare = {"PATH": "/usr/bin:/bin"}  # no `rasd` on PATH, as after a first `make demo`
    demo = run_rasd("--config", str(config), "demo", "--port", port, cwd=Path("/"), env=bare)
    assert demo.returncode == 0, demo.stderr
    assert f"database: {folder / 'demo' / 'rasd.db'}" in demo.stdout
    # its closing line is a command that works as printed, from any folder
    (look,) = [line for line in demo.stdout.splitlines() if line.startswith("look around: ")]
    command = shlex.split(look.removeprefix("look around: ").split("   (")[0])
    looked = subprocess.run(command, cwd=tmp_path, env={**os.environ, **bare}, capture_output=True, text=True)
    assert looked.returncode == 0 and "Tiznit Info" in looked.stdout, (command, looked.stderr)
    digests = [line.removeprefix("digest: ") for line in demo.stdout.splitlines() if line.startswith("digest: ")]
    assert sorted(digests) == sorted(str(path) for path in (folder / "demo" / "outbox").glob("*.eml"))
    subjects = sorted(
        email.message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]
        for path in (folder / "demo" / "outbox").glob("*.eml")
    )
    # One reader of each language: the demo shows both digests.
    assert len(subjects) == 2 and subjects[0].startswith("Rasd : ") and subjects[1].startswith("رصد: "), subjects
    # The user's own database and outbox are untouched: the demo's sites never reach real use.
    assert not (folder / "data").exists() and not (folder / "outbox").exists()
    status = run_rasd("--config", str(folder / "demo" / "rasd.toml"), "status", cwd=Path("/"))
    assert status.returncode == 0 and "Tiznit Info" in status.stdout
    rerun = run_rasd("--config", str(config), "demo", "--port", port, cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert "nouveaux articles enregistrés : 0" in rerun.stdout, rerun.stdout  # in the reader's language
    assert "\nbulletin : rien de nouveau à envoyer (" in rerun.stdout and "\npour explorer : " in rerun.stdout
    # Another port gives every story another URL: the demo starts afresh instead of storing them twice.
    moved = run_rasd("--config", str(config), "demo", "--port", str(free_port()), cwd=tmp_path)
    assert "earlier data" in moved.stdout and "new articles stored: 18 (total 18)" in moved.stdout, moved.stdout


def test_a_taken_demo_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.10", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = run_rasd("demo", "--dir", str(tmp_path / "demo"), "--port", str(port), cwd=tmp_path)
        arabic = run_rasd(
            "demo", "--dir", str(tmp_path / "demo"), "--port", str(port), cwd=tmp_path, env={"RASD_LANG": "ar"}
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"rasd: the demo web's port {port} on 127.0.0.10–13 is in use (another `rasd demo --serve`?); "
        "stop it, or choose another port with --port"
    ]
    (line,) = arabic.stderr.strip().splitlines()
    assert "مشغول" in line and f"{port}" in line and "--port" in line, arabic.stderr


def test_rasd_config_in_the_environment_is_found(tmp_path: Path) -> None:
    run_rasd("init", str(tmp_path / "x"), cwd=tmp_path)
    listed = run_rasd("sources", "list", cwd=Path("/"), env={"RASD_CONFIG": str(tmp_path / "x" / "rasd.toml")})
    assert listed.returncode == 0, listed.stderr
    (tmp_path / "x" / "sources.toml").write_text('[[sources]]\nname = "Only Me"\nurl = "https://me.ma/"\n')
    listed = run_rasd("sources", "list", cwd=Path("/"), env={"RASD_CONFIG": str(tmp_path / "x" / "rasd.toml")})
    assert "Only Me" in listed.stdout and "Hespress" not in listed.stdout


def test_init_tells_what_comes_next_in_the_readers_language(tmp_path: Path) -> None:
    french = run_rasd("init", str(tmp_path / "fr"), cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.returncode == 0, french.stderr
    first, then, *steps = french.stdout.splitlines()
    assert first.startswith(f"écrit {tmp_path / 'fr' / 'rasd.toml'}, ") and then == "ensuite :", french.stdout
    assert any(step.startswith("  rasd digest ") and "# les bulletins dus, dans " in step for step in steps), steps
    again = run_rasd("init", str(tmp_path / "fr"), cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert again.returncode == 1 and "لم يُكتب شيء" in again.stderr, again.stderr


def test_init_names_the_subscription_and_chooses_the_language_of_the_reader(tmp_path: Path) -> None:
    for language, name in (("ar", "كل الجهات، يوميا"), ("fr", "Toutes les régions, chaque jour")):
        written = run_rasd("init", str(tmp_path / language), cwd=tmp_path, env={"RASD_LANG": language})
        assert written.returncode == 0, written.stderr
        settings = load_settings(tmp_path / language / "rasd.toml")
        (subscription,) = settings.subscriptions
        assert (subscription.name, subscription.language, settings.language) == (name, language, language)
    # the name is the digest's subject: a newcomer who set regions to Souss-Massa kept "Toutes les régions,
    # chaque jour" in every subject; the line says so beside it, in the reader's language
    (named,) = [line for line in (tmp_path / "fr" / "rasd.toml").read_text().splitlines() if line.startswith("name")]
    assert named.startswith('name = "Toutes les régions, chaque jour" # dans l’objet de chaque bulletin'), named
    english = run_rasd("init", str(tmp_path / "en"), cwd=tmp_path, env={"RASD_LANG": "en"})
    assert english.returncode == 0, english.stderr
    assert (tmp_path / "en" / "rasd.toml").read_text(encoding="utf-8") == (REPO / "config" / "rasd.toml").read_text(
        encoding="utf-8"
    )


def test_init_writes_sources_toml_with_its_notes_in_the_readers_language(tmp_path: Path) -> None:
    """An Arabic official opening the sources.toml `rasd init` wrote, to put in the three sites they follow,
    read its notes in English — among them that most entries were never checked online (newcomer6's trial).
    They are in the reader's language, and the file still loads as the shipped one."""
    from rasd.config import PACKAGE_DIR

    for language, words in (("ar", "دون التحقق منها على الإنترنت"), ("fr", "SANS vérification en ligne")):
        folder = tmp_path / language
        result = run_rasd("init", str(folder), cwd=tmp_path, env={"RASD_LANG": language})
        assert result.returncode == 0, result.stderr
        written = (folder / "sources.toml").read_text(encoding="utf-8")
        notes = " ".join(line.removeprefix("# ") for line in written.splitlines())  # wrapped at 105 columns
        assert words in notes and "NOT checked online" not in notes
        assert tomllib.loads(written) == tomllib.loads((PACKAGE_DIR / "sources.toml").read_text(encoding="utf-8"))


def test_the_export_line_init_prints_works_when_pasted_for_a_folder_with_a_space(tmp_path: Path) -> None:
    """`rasd init "~/my rasd"` printed `export RASD_CONFIG=/home/x/my rasd/rasd.toml`: pasted, the shell set
    RASD_CONFIG to `/home/x/my` and complained of `rasd/rasd.toml`. The path is quoted for the shell."""
    folder = tmp_path / "my rasd"
    written = run_rasd("init", str(folder), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    (line,) = [line.split("   #")[0].strip() for line in written.stdout.splitlines() if "export RASD_CONFIG=" in line]
    pasted = subprocess.run(
        ["sh", "-c", f'{line} && printf %s "$RASD_CONFIG"'], capture_output=True, text=True, check=True
    )
    assert pasted.stdout == str(folder / "rasd.toml"), line
    listed = run_rasd("sources", "list", cwd=Path("/"), env={"RASD_CONFIG": pasted.stdout})
    assert listed.returncode == 0, listed.stderr


def test_init_into_a_folder_it_cannot_make_says_what_to_do(tmp_path: Path) -> None:
    """deploy/rasd.service's `sudo -u rasd rasd init /var/lib/rasd`, with /var/lib root's: the reader got "stopped
    by an unexpected error … a fault of Rasd's" and a traceback to report. It is one line, in their language,
    with what to do (here a path through a file, which no user, root neither, can make)."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    folder = tmp_path / "a-file" / "rasd"
    refused = run_rasd("init", str(folder), cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert refused.returncode == 1, refused.stderr
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"rasd : impossible d’écrire dans {folder} (") and "install -d -o " in line, line
    assert "a fault of Rasd" not in refused.stderr and "erreur inattendue" not in refused.stderr
    unit = (REPO / "deploy" / "rasd.service").read_text(encoding="utf-8")
    assert "useradd --system --create-home --home-dir /var/lib/rasd rasd" in unit


@pytest.mark.parametrize(
    ("locale", "language", "said"),
    [("ar_MA.UTF-8", "ar", "كُتب"), ("fr_FR.UTF-8", "fr", "écrit"), ("de_DE.UTF-8", None, "wrote")],
)
def test_init_follows_the_systems_language_when_the_reader_chose_none(
    tmp_path: Path, locale: str, language: str | None, said: str
) -> None:
    """An official whose system speaks Arabic (LANG=ar_MA.UTF-8) ran `rasd init` without $RASD_LANG and got
    English comments and English commands ever after. Init follows the system's language when Rasd speaks
    it; another one keeps English."""
    folder = tmp_path / "setup"
    written = run_rasd("init", str(folder), cwd=tmp_path, env={"LANG": locale})
    assert written.returncode == 0, written.stderr
    assert written.stdout.lstrip("\u200f").startswith(said), written.stdout
    assert (load_settings(folder / "rasd.toml").language or None) == language
    chosen = run_rasd("init", str(tmp_path / "chosen"), cwd=tmp_path, env={"LANG": locale, "RASD_LANG": "en"})
    assert not load_settings(tmp_path / "chosen" / "rasd.toml").language, chosen.stderr


def test_an_emptied_sources_file_says_where_the_sites_go(tmp_path: Path) -> None:
    """A newcomer who emptied sources.toml to start with their own site, and had not added it yet: `rasd sources
    check` said "no sources configured", `rasd crawl` crawled 0 sources without a word of why."""
    run_rasd("init", str(tmp_path / "mine"), cwd=tmp_path)
    (tmp_path / "mine" / "sources.toml").write_text("# my sites\n", encoding="utf-8")
    env = {"RASD_CONFIG": str(tmp_path / "mine" / "rasd.toml")}
    told = "no sources configured: add a [[sources]] entry (its name and url) to sources.toml, beside rasd.toml"
    check = run_rasd("sources", "check", cwd=tmp_path, env=env)
    assert (check.returncode, check.stderr) == (1, f"error: {told}\n")
    crawl = run_rasd("crawl", cwd=tmp_path, env=env)
    assert crawl.returncode == 0 and f"warning: {told}\n" in crawl.stderr, crawl.stderr


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_regions_example_init_writes_is_a_list_rasd_takes(tmp_path: Path, language: str) -> None:
    """rasd.toml said a subscription's regions were "ISO 3166-2:MA codes", and an Arabic official, who knows
    the regions by name, did not know `["سوس ماسة"]` was taken too (newcomer12's trial). The comment's example,
    in the reader's words, pasted as the subscription's regions, is a list Rasd reads."""
    from rasd.monitor.setup import write_setup

    list(write_setup(tmp_path, language))
    config = tmp_path / "rasd.toml"
    text = config.read_text(encoding="utf-8")
    (line,) = [line for line in text.splitlines() if line.startswith('regions = ["all"]')]
    example = line[line.index("[", line.index("#")) : line.index("]", line.index("#")) + 1]
    assert ("كلميم واد نون" in example) == (language == "ar"), example
    config.write_text(text.replace(line, f"regions = {example}"), encoding="utf-8")
    assert load_settings(str(config)).subscriptions[0].regions == ["MA-09", "MA-10"]


def test_demo_in_a_folder_it_cannot_make_says_so_in_one_line_before_starting_its_web(tmp_path: Path) -> None:
    """`rasd demo` with a home it cannot write (its default folder, ~/.local/share/rasd/demo) or `--dir`
    through a file: it started the demo web, printed its address, then ended with "stopped by an unexpected
    error (OSError: [Errno 30] Read-only file system: '…/.local'), a fault of Rasd's" (faults13 sweep)."""
    (tmp_path / ".local").write_text("", encoding="utf-8")  # the home's data folder cannot be made
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "RASD_CONFIG": "", "RASD_LANG": "fr"}
    for args, folder in (
        ([], tmp_path / ".local" / "share" / "rasd" / "demo"),
        (["--dir", str(tmp_path / ".local" / "demo")], tmp_path / ".local" / "demo"),
    ):
        refused = run_rasd("demo", *args, cwd=tmp_path, env=env)
        assert refused.returncode == 1, refused.stderr
        assert refused.stdout == "", refused.stdout  # the demo web never started
        assert refused.stderr == (
            f"rasd : impossible d’écrire dans le dossier de la démo {folder} : un fichier se trouve là où il faut "
            "un dossier ; nommez-en un autre avec --dir\n"
        )
