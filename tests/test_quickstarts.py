"""The quickstarts (docs/quickstart.ar.md, docs/quickstart.fr.md) kept true: a reader copies their lines as they
are. A newcomer's trial found them naming `deploy/crontab`, a file that is `deploy/crontab.example`, and the
Arabic one without steps the French one had."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

QUICKSTARTS = [REPO / "docs" / "quickstart.ar.md", REPO / "docs" / "quickstart.fr.md"]


def _blocks(path: Path) -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)


def _commands(path: Path) -> list[str]:
    """The commands of the daily table (`| \\`rasd …\\` | …`), in order."""
    return re.findall(r"^\| `(rasd [^`]*)`", path.read_text(encoding="utf-8"), re.MULTILINE)


def _shape(command: str) -> list[str]:
    """A command's name and options, without the example's words (`تعاونية`, `cooperative`)."""
    name, *rest = command.split()[1:]
    return [name.replace("COMMANDE", "COMMAND"), *(word for word in rest if word.startswith("--"))]


@pytest.mark.parametrize("path", [REPO / "README.md", *QUICKSTARTS], ids=lambda path: path.name)
def test_every_deploy_file_named_exists(path: Path) -> None:
    named = set(re.findall(r"deploy/[\w.-]*\w", path.read_text(encoding="utf-8")))
    assert named and all((REPO / name).is_file() for name in named), named


@pytest.mark.parametrize("path", QUICKSTARTS, ids=lambda path: path.name)
def test_the_cron_lines_shown_are_those_of_the_crontab(path: Path) -> None:
    crontab = (REPO / "deploy" / "crontab.example").read_text(encoding="utf-8").splitlines()
    shown = [line for block in _blocks(path) for line in block.splitlines() if "/.venv/bin/rasd " in line]
    assert shown and all(line in crontab for line in shown), shown


def test_both_quickstarts_give_the_same_steps() -> None:
    arabic, french = QUICKSTARTS
    assert [_shape(command) for command in _commands(arabic)] == [_shape(command) for command in _commands(french)]

    # the code blocks, but for the folder each names for `rasd init` and a line's comment (never the
    # repository's own: a clone in ~/rasd has seeds/, and `rasd init ~/rasd` refused to write there)
    def kept(block: str) -> list[str]:
        return [
            re.sub(r"RASD_LANG=(ar|fr)", "RASD_LANG=…", line.split("#")[0].strip().replace("~/veille", "~/marsad"))
            for line in block.splitlines()
        ]

    assert [kept(block) for block in _blocks(arabic)] == [kept(block) for block in _blocks(french)]
    for word in ("rasd digest --check", "rasd demo --serve --port", "allow_private_networks", "RASD_SMTP_PASSWORD"):
        assert all(word in path.read_text(encoding="utf-8") for path in QUICKSTARTS), word


def test_every_command_in_the_tables_is_a_command() -> None:
    from rasd.monitor.cli import cli

    for command in _commands(QUICKSTARTS[0]):
        name = command.split()[1]
        assert name in cli.commands or name in ("COMMAND", "COMMANDE"), command


@pytest.mark.parametrize("path", QUICKSTARTS, ids=lambda path: path.name)
def test_the_setup_folder_is_not_where_the_readme_clones_the_repository(path: Path) -> None:
    """The README's clone is /home/you/rasd; `rasd init ~/rasd` there refuses ("seeds already exists")."""
    (folder,) = re.findall(r"^rasd init (\S+)", "\n".join(_blocks(path)), re.MULTILINE)
    assert folder not in ("~/rasd", "~/rasd/"), folder


@pytest.mark.parametrize("path", QUICKSTARTS, ids=lambda path: path.name)
def test_removing_rasd_deletes_every_folder_it_writes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A newcomer who tried Rasd and wants it gone found no word on it: the removal's lines name the setup's
    folder and every folder Rasd writes outside it (its data and cache folders, as Rasd finds them)."""
    from rasd.config.paths import user_cache_dir, user_data_dir

    monkeypatch.setenv("HOME", "/home/you")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    removed = {word for block in _blocks(path) for line in block.splitlines() if line.startswith("rm -r ")
               for word in line.split("#")[0].split()[2:]}  # fmt: skip
    (folder,) = re.findall(r"^rasd init (\S+)", "\n".join(_blocks(path)), re.MULTILINE)
    wanted = {folder, *(str(place()).replace("/home/you", "~") for place in (user_cache_dir, user_data_dir))}
    assert wanted <= removed, wanted - removed


@pytest.mark.parametrize("path", [*QUICKSTARTS, REPO / "deploy" / "crontab.example"], ids=lambda path: path.name)
def test_cron_is_told_where_the_smtp_login_goes(path: Path) -> None:
    """A journalist's digest worked at the prompt and was refused (530) from cron, which does not see the
    shell's `export`s: the crontab and the quickstarts say to set the login's variables in the crontab."""
    from rasd.config import SmtpSettings

    text = path.read_text(encoding="utf-8")
    assert all(f"{name}=" in text for name in (SmtpSettings().username_env, SmtpSettings().password_env))
    assert "530" in text


@pytest.mark.parametrize("path", QUICKSTARTS, ids=lambda path: path.name)
def test_the_one_site_trial_leaves_the_real_sources_in_place(path: Path, tmp_path: Path) -> None:
    """The trial on the demo web told a reader to put the demo site alone in `sources.toml`, then to "put
    sources.toml back as it was", with no word on keeping a copy: the 74 sites were gone (newcomer12's trial).
    The demo site now goes in a file of its own, named by `sources_file`: done as the page says in a folder
    `rasd init` wrote, the config reads that one site; the two lines set back, the shipped sites again."""
    from rasd.config import load_settings
    from rasd.monitor.setup import write_setup

    text = path.read_text(encoding="utf-8")
    folder = tmp_path / "setup"
    list(write_setup(folder, "fr"))
    shipped = [source.name for source in load_settings(str(folder / "rasd.toml")).sources]
    (trial,) = [block for block in _blocks(path) if "Souss Demo" in block]
    (named,) = set(re.findall(r"`~/(?:marsad|veille)/(\w+\.toml)`", text))
    (folder / named).write_text(trial, encoding="utf-8")
    config = folder / "rasd.toml"
    before = config.read_text(encoding="utf-8")
    trying = re.sub(r'^sources_file = "sources.toml"', f'sources_file = "{named}"', before, flags=re.MULTILINE)
    trying = re.sub(r"^allow_private_networks = false", "allow_private_networks = true", trying, flags=re.MULTILINE)
    assert f'`sources_file = "{named}"`' in text and "`allow_private_networks = true`" in text
    config.write_text(trying, encoding="utf-8")
    assert [source.name for source in load_settings(str(config)).sources] == ["Souss Demo"]
    assert '`sources_file = "sources.toml"`' in text and "`allow_private_networks = false`" in text
    config.write_text(before, encoding="utf-8")
    assert [source.name for source in load_settings(str(config)).sources] == shipped and len(shipped) > 50
    # the trial's folders removed without an error for the one never made (no digest was due: no outbox)
    (cleanup,) = set(re.findall(r"`(rm -r\S* ~/(?:marsad|veille)/data ~/(?:marsad|veille)/outbox)`", text))
    assert cleanup.startswith("rm -rf "), cleanup


@pytest.mark.parametrize("path", [*QUICKSTARTS, REPO / "deploy" / "crontab.example"], ids=lambda path: path.name)
def test_cron_is_told_to_mail_the_lines_as_utf8(path: Path) -> None:
    """cron labels its mails with the server's locale's character set, often ASCII: an official's Arabic lines
    arrived garbled. The crontab sets CONTENT_TYPE, and the quickstarts say so."""
    assert 'CONTENT_TYPE="text/plain; charset=utf-8"' in path.read_text(encoding="utf-8")
