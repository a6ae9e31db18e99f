"""A command that may wait long (sites not answering, a machine offline) first says what it is doing, in
one line on the terminal: `rasd crawl` and `rasd sources check` used to say nothing for a minute. The line
is for a reader at a terminal; a pipe (cron, which mails every line) does not get it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_rasd, write_config
from tests.test_sources_check import refused_base, source


def on_a_terminal(
    *args: str, cwd: Path, env: dict[str, str] | None = None, encoding: str = "utf-8"
) -> tuple[int, list[str]]:
    """`rasd ARGS` with stdout and stderr on one pseudo-terminal: its lines in the order written (read in the
    terminal's `encoding`)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasd.monitor", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: every writer closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return process.wait(timeout=180), out.decode(encoding).replace("\r\n", "\n").splitlines()


@pytest.mark.parametrize(
    ("command", "first", "last"),
    [
        (["crawl"], "crawling 1 source…", "error: no source could be fetched"),
        (
            ["sources", "check"],
            "checking 1 source: its homepage, feeds, sitemaps and robots.txt…",
            "error: no source could be reached",
        ),
    ],
)
def test_a_long_wait_is_announced_first_on_a_terminal_only(
    tmp_path: Path, command: list[str], first: str, last: str
) -> None:
    config = write_config(tmp_path, source("Offline", f"{refused_base()}/"))
    code, lines = on_a_terminal("--config", str(config), *command, cwd=tmp_path)
    assert code == 1 and lines[0] == first and lines[-1] == last, lines
    piped = run_rasd("--config", str(config), *command, cwd=tmp_path)
    assert piped.returncode == 1 and first not in piped.stderr + piped.stdout
