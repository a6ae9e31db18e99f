"""The README read in order: a newcomer who types its commands one after the other gets no "command not
found" — `rasd` is put on PATH before the first shell block that runs it."""

from __future__ import annotations

import re

from tests.conftest import REPO


def test_rasd_is_on_path_before_a_shell_block_first_runs_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```sh\n(.*?)```", readme, re.S) for line in block.splitlines()]
    first_run = next(n for n, line in enumerate(lines) if re.match(r"(\$ )?rasd ", line))
    assert any(line.startswith("source .venv/bin/activate") for line in lines[:first_run]), lines[first_run]
