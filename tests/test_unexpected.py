"""An error no command expects — a fault of Rasd's own, which the fault scripts find before the tests do —
is one line in the reader's language naming a file that keeps its traceback for a report, not the
traceback on the terminal (or in cron's mail) of a French or Arabic reader."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PLANTED_MAIN, run_planted, write_config

# `rasd status` with a fault planted in the part that reads the daemon's state
FAULTY_STATUS = (
    """
from rasd.monitor import logs

def failing(*args, **kwargs):
    raise KeyError("a fault of Rasd's")

logs.status_lines = failing
"""
    + PLANTED_MAIN
)


def test_an_unexpected_error_is_one_line_naming_the_file_that_keeps_its_traceback(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    (tmp_path / "rasd.db").touch()  # an empty file is an SQLite store without tables: status reads no source
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    for language, words in (("fr", "arrêté par une erreur inattendue (KeyError: "), ("ar", "أوقفه خطأ غير متوقع")):
        status = run_planted(
            FAULTY_STATUS, "--config", str(config), "status", cwd=tmp_path, env={**env, "RASD_LANG": language}
        )
        assert status.returncode == 1
        assert "Traceback" not in status.stderr and len(status.stderr.splitlines()) == 1, status.stderr
        assert words in status.stderr, status.stderr
    kept = sorted((tmp_path / "cache" / "rasd").glob("rasd-error-*.txt"))
    shown = status.stderr.translate({0x200E: None, 0x200F: None})  # the Arabic line's direction marks
    (named,) = [path for path in kept if str(path) in shown]
    assert len(kept) == 2, kept
    report = named.read_text(encoding="utf-8")
    assert "Traceback" in report and "KeyError" in report and "status" in report.splitlines()[0]
