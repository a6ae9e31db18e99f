"""A reader that stops reading (`rasd search x | head -1`): the command ends with 0 and writes nothing more,
as `grep x | head -1` does. It exited 1 (click's own handling of a closed pipe), which a script with
`set -o pipefail` took for a failure (faults14 sweep).

The pipe's reading end is closed before Rasd starts, so every command meets the closed pipe at its first
write, whatever the machine's speed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_config
from tests.test_browse import _store


@pytest.mark.parametrize(
    "command",
    [
        ["search", ""],
        ["export"],
        ["export", "--format", "jsonl"],
        ["status"],
        ["explain", "1"],
        ["regions"],
        ["--help"],
    ],
)
def test_a_closed_pipe_ends_the_command_with_success_and_no_word(tmp_path: Path, command: list[str]) -> None:
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    read, write = os.pipe()
    os.close(read)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "rasd.monitor", "--config", str(config), *command],
            cwd=tmp_path,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=180,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=False,
        )
    finally:
        os.close(write)
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr and "Broken pipe" not in process.stderr, process.stderr
    assert "unexpected error" not in process.stderr, process.stderr
