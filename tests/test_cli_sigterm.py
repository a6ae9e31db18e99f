"""SIGTERM in the first seconds of `rasd`, while it imports its stages, ends as Ctrl-C there does: one line,
exit 143, where the process used to vanish without a word (-15). The test holds the start-up in an import
(a `click` standing in for the real one waits on stdin after saying so) and sends the signal then."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

HELD_IMPORT = """import sys
print("importing", flush=True)
sys.stdin.readline()  # held here until the test has sent its signal
raise SystemExit("the test's stand-in for click was let through")
"""


def test_sigterm_while_rasd_starts_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "click.py").write_text(HELD_IMPORT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "rasd.monitor", "status"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}"},
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "importing\n"  # start-up is in its imports, before cli's handlers
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, (process.returncode, err)
    assert err == "rasd: stopped by SIGTERM before it finished\n"
