"""`--help` and the usage line speak the reader's language ($RASD_LANG, else `language` in the config) like
every other line: every command's and option's help is in both catalogs, an Arabic help page reads right to
left in a bidi terminal with its options whole, and asking for it still loads neither the store nor the
settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner

from rasd.monitor.cli import Context, cli
from rasd.monitor.help_words import OWN_METAVARS, TYPE_METAVARS, help_texts
from tests.bidi import MARKS, laid_out
from tests.conftest import REPO, run_rasd, write_config
from tests.test_startup import STORE_AND_SETTINGS, _rasd

CLICK_HELP_WORDS = {"Usage:", "Options", "Commands", "Show this message and exit.", "default: {default}", "required"}


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_help_text_is_translated(language: str) -> None:
    with (REPO / "alerts" / "locale" / language / "LC_MESSAGES" / "rasd.po").open("rb") as handle:
        translated = {m.id for m in read_po(handle) if isinstance(m.id, str) and m.string}
    wanted = help_texts(cli) | CLICK_HELP_WORDS | set(TYPE_METAVARS)
    assert wanted <= translated, sorted(wanted - translated)


def test_make_catalogs_lists_every_help_text() -> None:
    """`make catalogs` (babel.cfg's mapping over monitor/) extracts each command's and option's help, a new
    option's included, so that it reaches the .pot beside the other messages rather than staying English."""
    with (REPO / "alerts" / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options = parse_mapping_cfg(handle)
    extracted = {message for _, _, message, _, _ in extract_from_dir(str(REPO / "monitor"), method_map, options)}
    assert help_texts(cli) | set(TYPE_METAVARS) <= extracted, sorted(help_texts(cli) - extracted)
    assert "Log lines (one per job run) as JSON objects on stderr." in extracted  # an option's help, not marked


def test_help_is_french_for_a_french_reader_and_english_otherwise(tmp_path: Path) -> None:
    french = run_rasd("search", "--help", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.returncode == 0, french.stderr
    assert french.stdout.startswith("Utilisation : ") and " search [OPTIONS] [QUERY]\n" in french.stdout
    assert "\nOptions :\n" in french.stdout and "Chercher dans les articles enregistrés" in french.stdout
    assert "Afficher cette aide et quitter." in french.stdout and "Show" not in french.stdout

    wrong = run_rasd("search", "--bogus", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert wrong.stderr.startswith("Utilisation : "), wrong.stderr  # the usage line of an error too

    english = run_rasd("search", "--help", cwd=tmp_path, env={"RASD_LANG": "", "HOME": str(tmp_path)})
    assert english.stdout.startswith("Usage: ") and "Search stored articles" in english.stdout


def test_the_configs_language_reaches_the_help_of_the_group_and_of_a_command(tmp_path: Path) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text('language = "ar"\n')
    group = run_rasd("--help", cwd=tmp_path, env={"RASD_CONFIG": str(config), "RASD_LANG": ""})
    assert "الأوامر:" in group.stdout and "دورة رصد واحدة" in group.stdout, group.stdout
    command = run_rasd("--config", str(config), "crawl", "--help", cwd=tmp_path, env={"RASD_LANG": ""})
    assert "هذا المصدر فقط" in command.stdout, command.stdout


def test_an_arabic_help_page_reads_right_to_left_with_its_options_whole(tmp_path: Path) -> None:
    shown = run_rasd("search", "--help", cwd=tmp_path, env={"RASD_LANG": "ar"})
    lines = [line for line in shown.stdout.splitlines() if line.strip()]
    assert all(laid_out(line)[1] for line in lines)  # every line right to left, even those starting "--region"
    (region,) = [line for line in lines if "--region" in line and "جهة" in line]
    visual, _ = laid_out(region)
    # the option at the right, dashes first, its kind of value (جهة, drawn reversed here) read after it
    assert visual.rstrip().endswith("جهة"[::-1] + " --region"), visual
    assert "Souss-Massa" in "\n".join(laid_out(line)[0] for line in lines)
    (usage,) = [laid_out(line)[0] for line in lines if "[OPTIONS]" in line]
    assert "search [OPTIONS] [QUERY]" in usage, usage
    unmarked, right_to_left = laid_out(region.translate(MARKS))
    assert not right_to_left and not unmarked.rstrip().endswith("--region")  # what the marks are for

    label = run_rasd("label", "--help", cwd=tmp_path, env={"RASD_LANG": "ar"})
    visual = "\n".join(laid_out(line)[0] for line in label.stdout.splitlines())
    assert "`rasd search`" in visual and "`rasd explain`" in visual, visual  # a quoted command stays whole


def test_an_arabic_help_loads_neither_the_store_nor_the_settings(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[[sources]]\nname = "Tiznit Info"\nurl = "https://tiznit.example/"\n')
    config.write_text('language = "ar"\n' + config.read_text())
    for args, expected in [(("--help",), "الأوامر:"), (("status", "--help"), "لكل مصدر")]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0 and expected in result.stdout, result.stdout + result.stderr
        assert loaded & STORE_AND_SETTINGS == set(), sorted(loaded & STORE_AND_SETTINGS)


def test_a_help_page_in_french_leaves_the_next_one_english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("RASD_CONFIG", raising=False)
    runner = CliRunner()
    monkeypatch.setenv("RASD_LANG", "fr")
    assert "Chercher dans" in runner.invoke(cli, ["search", "--help"], obj=Context()).output
    monkeypatch.setenv("RASD_LANG", "")
    assert "Search stored articles" in runner.invoke(cli, ["search", "--help"], obj=Context()).output


def test_the_kind_of_value_an_option_takes_is_in_the_readers_language(tmp_path: Path) -> None:
    """A French or Arabic help page named what its options take in English, as click writes it from their type:
    `--source TEXT`, `--limit INTEGER RANGE`, `--output FILE`, `[required]`, and Rasd's own words (`--region
    REGION`, `--wait SECONDS`: newcomer12's trial). A format (`--since YYYY-MM-DD`) and the arguments' names
    (`QUERY`, named by the texts and click's errors) stay as written."""
    french = run_rasd("search", "--help", cwd=tmp_path, env={"RASD_LANG": "fr"}).stdout
    assert "--source TEXTE " in french and "--limit ENTIER " in french and "--region RÉGION " in french, french
    assert "--since YYYY-MM-DD " in french and "[QUERY]" in french
    assert "TEXT " not in french and "INTEGER" not in french
    arabic = run_rasd("classify", "--help", cwd=tmp_path, env={"RASD_LANG": "ar"}).stdout
    assert "--input ملف" in arabic and "إلزامي" in arabic and "FILE" not in arabic and "required" not in arabic
    english = run_rasd("search", "--help", cwd=tmp_path, env={"RASD_LANG": "en", "HOME": str(tmp_path)}).stdout
    assert "--source TEXT " in english and "--limit INTEGER RANGE " in english, english
    for command in ("crawl", "backfill", "export", "browse", "report", "demo", "label", "extract", "sources check"):
        shown = run_rasd(*command.split(), "--help", cwd=tmp_path, env={"RASD_LANG": "fr"}).stdout
        options = [line.split("  ")[1] for line in shown.splitlines() if line.startswith("  -")]  # "--port ENTIER"
        kinds = (*TYPE_METAVARS, *OWN_METAVARS)
        assert options and not any(kind in option.split()[1:] for option in options for kind in kinds), (
            command, options)


def test_the_values_an_option_takes_are_said_in_words_not_as_a_formula(tmp_path: Path) -> None:
    """click wrote each number's range as a formula in every language — `[x>=0]`, `[par défaut : 20; x>=1]`,
    `0<=x<=65535` — to readers who are no programmers (newcomer12's trial); English keeps click's own."""
    ranges = {
        "fr": ("[au moins 0]", "au moins 1]", "de 0 à 65535]"),
        "ar": ("[0 على الأقل]", "1 على الأقل]", "من 0 إلى 65535]"),
    }
    for language, (wait, limit, port) in ranges.items():
        helps = {command: run_rasd(command, "--help", cwd=tmp_path, env={"RASD_LANG": language}).stdout
                 for command in ("crawl", "search", "browse")}  # fmt: skip
        shown = {command: " ".join(text.translate(MARKS).split()) for command, text in helps.items()}
        assert wait in shown["crawl"] and limit in shown["search"] and port in shown["browse"], shown
        assert not any("x>=" in text or "<=x" in text for text in shown.values()), shown
    english = run_rasd("browse", "--help", cwd=tmp_path, env={"RASD_LANG": "en", "HOME": str(tmp_path)}).stdout
    assert "0<=x<=65535" in english, english
