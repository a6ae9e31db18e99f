"""click's own errors (a missing argument, an unknown option, a bad value) follow `language` in rasd.toml and
$RASD_LANG like Rasd's own lines, Arabic marked for a bidi terminal; every message click makes for a wrong
command line is in both catalogs."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from rasd.monitor.click_words import CLICK_MODULES
from rasd.monitor.speech import LRM, RLM
from tests.conftest import REPO, run_rasd

CLICK = Path(click.__file__).parent
# click's messages for a wrong command line (the rest of click.core is help text and programmers' errors)
WRONG_LINE = {"exceptions.py", "parser.py"}
ALSO = {
    "Missing command.",
    "Got unexpected extra argument ({args})",
    "{value!r} is not a valid {number_type}.",
    "{value} is not in the range {range}.",
    "{value!r} is not {choice}.",
    "{name} {filename!r} does not exist.",
}


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_message_of_a_wrong_command_line_is_translated(language: str) -> None:
    with (REPO / "alerts" / "locale" / language / "LC_MESSAGES" / "rasd.po").open("rb") as handle:
        translated = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id and m.string}
    wanted = set(ALSO)
    for module in CLICK_MODULES:
        path = CLICK / (module.removeprefix("click.") + ".py")
        if path.name in WRONG_LINE:
            wanted |= {m[0] if isinstance(m, tuple) else m for _, m, _, _ in extract_from_file("python", str(path))}
    assert wanted <= translated, sorted(wanted - translated)


def test_a_missing_argument_and_a_bad_option_are_said_in_the_readers_language(tmp_path: Path) -> None:
    config = tmp_path / "rasd.toml"
    config.write_text('language = "fr"\n')
    french = run_rasd("--config", str(config), "explain", cwd=tmp_path)
    assert french.returncode == 2
    assert "Erreur : Argument manquant 'ARTICLE_ID'." in french.stderr and "pour l’aide" in french.stderr

    arabic = run_rasd("search", "تعاونية", "--bogus", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert arabic.returncode == 2
    (error,) = [line for line in arabic.stderr.splitlines() if "--bogus" in line]
    assert error.startswith(RLM + "خطأ: ") and f"{LRM}'--bogus'{LRM}{RLM}" in error, error

    english = run_rasd("search", "x", "--limit", "abc", cwd=tmp_path, env={"RASD_LANG": "en"})
    assert "Error: Invalid value for '--limit': 'abc' is not a valid integer range." in english.stderr
