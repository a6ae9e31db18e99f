"""bench/count_classifier.py: the instruction count of cachegrind's summary is read, and a machine without
valgrind gets one line saying what to install, never a traceback (counting itself takes minutes: not run here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.count_classifier import instructions
from tests.conftest import REPO


def test_the_summary_line_is_read() -> None:
    report = "==4242== Collected : 4295870622\n==4242== \n==4242== I   refs:      4,295,870,622\n"
    assert instructions(report) == 4_295_870_622


def test_without_valgrind_one_line(tmp_path: Path) -> None:
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text((REPO / "bench" / "written.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n")
    bare = tmp_path / "bin"  # a PATH holding no valgrind
    bare.mkdir()
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "count_classifier.py"), str(corpus)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": str(bare)},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.endswith("valgrind is not installed (apt-get install valgrind): nothing counted")
