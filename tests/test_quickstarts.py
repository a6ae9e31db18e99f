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
