"""A terminal or locale that is not UTF-8 (fr_FR.ISO-8859-1, PYTHONIOENCODING=latin-1): the first Arabic
name a command printed ended it with UnicodeEncodeError ("a fault of Rasd's"), half its output written."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_rasd
from tests.test_cli_working import on_a_terminal


def test_a_pipe_under_a_latin1_locale_gets_the_arabic_names_in_utf8(tmp_path: Path) -> None:
    done = run_rasd("regions", cwd=tmp_path, env={"PYTHONIOENCODING": "latin-1"})

    assert done.returncode == 0, done.stderr
    assert "MA-09  Souss-Massa" in done.stdout and "سوس ماسة" in done.stdout
    assert len(done.stdout.splitlines()) == 12


def test_a_latin1_terminal_shows_what_it_can_and_the_command_finishes(tmp_path: Path) -> None:
    code, lines = on_a_terminal("regions", cwd=tmp_path, env={"PYTHONIOENCODING": "latin-1"}, encoding="latin-1")

    assert code == 0, lines
    assert "MA-03  Fès-Meknès                   ??? ?????" in lines  # its French letters, a ? for each Arabic one
    assert len(lines) == 12
