"""bench/bench_startup.py --dir FOLDER names what the folder lacks in one line, never a traceback, and
leaves the folder as it was (sqlite3 would have created an empty rasd.db in it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize("files", [(), ("rasd.toml", "rasd.db")])
def test_a_folder_without_a_kept_store_is_one_line(tmp_path: Path, files: tuple[str, ...]) -> None:
    for name in files:
        (tmp_path / name).touch()
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_startup.py"), "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"bench_startup.py: error: --dir {tmp_path}: ")
    assert "--keep" in last
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(files)
