"""The state file beside the database (`rasd.db.state.json`: the daemon, its next runs, each job's last run),
written by another version of Rasd or edited by hand: `rasd status` and `rasd crawl` read what they can, leave
out the rest and say so in one line in the reader's language. A section of another shape, or a run holding
keys this version does not know, ended both commands with a traceback. Real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_rasd, write_config
from tests.sites import closed_port, sources


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    """A store made by a cycle whose one source does not answer, and its state file."""
    config = write_config(tmp_path, sources(("Dead", closed_port(), "")))
    run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    return config, tmp_path / "rasd.db.state.json"


def test_a_state_file_of_another_shape_is_left_out_in_one_line_and_written_again(tmp_path: Path) -> None:
    config, state = _setup(tmp_path)
    crawl = json.loads(state.read_text(encoding="utf-8"))["last_runs"]["crawl"]
    other_version = {
        "daemon": "running",  # a section of another shape
        "next_runs": {"digest": 3},
        "last_runs": {
            "crawl": crawl | {"worker": 2, "phase": "store"},  # keys this version does not know: read without them
            "digest": ["sent", 3],
            "housekeeping": {
                "job": "housekeeping",
                "status": "ok",
                "finished_at": "2026-12-01T03:00:00+00:00",
                "reason": {"message": "%(what)s", "values": [1]},
                "error": "disk checked",
            },
        },
    }
    state.write_text(json.dumps(other_version), encoding="utf-8")

    status = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert status.returncode == 0, status.stderr
    assert "Traceback" not in status.stderr, status.stderr
    said = status.stdout
    assert f"{state} : daemon, next_runs.digest, last_runs.digest illisible (écrit par une autre version" in said, said
    assert said.count("illisible") == 1, said
    assert "collecte : échoué · sources 1" in said, said  # the crawl's run, its unknown keys aside
    assert "entretien : réussi · 0,0 s · disk checked" in said, said  # a reason it cannot say: the English line

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert crawl.returncode == 1 and "Traceback" not in crawl.stderr, crawl.stderr  # nothing fetched, recorded
    again = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert again.returncode == 0 and "تعذرت قراءة" not in again.stdout, again.stdout  # written back as it reads
    assert set(json.loads(state.read_text(encoding="utf-8"))["last_runs"]) == {"crawl", "housekeeping"}


def test_a_state_file_that_is_not_json_is_one_line_and_replaced_by_the_next_run(tmp_path: Path) -> None:
    config, state = _setup(tmp_path)
    state.write_text('["not", "a state"]', encoding="utf-8")

    status = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "ar"})

    assert status.returncode == 0 and "Traceback" not in status.stderr, status.stderr
    assert "تعذرت قراءة" in status.stdout and "ليس ملف حالة رصد؟" in status.stdout, status.stdout
    run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert "crawl" in json.loads(state.read_text(encoding="utf-8"))["last_runs"]


def test_a_folder_in_the_state_files_place_is_one_line_naming_it(tmp_path: Path) -> None:
    """Replacing the state file by its new version failed on a folder of its name with IsADirectoryError's
    traceback, after the crawl had stored its articles."""
    config, state = _setup(tmp_path)
    state.unlink()
    state.mkdir()

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path, env={"RASD_LANG": "fr"})

    assert "Traceback" not in crawl.stderr, crawl.stderr
    assert f"impossible d’écrire {state} : un dossier porte ce nom. Déplacez ce dossier, puis relancez" in crawl.stderr
    status = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert status.returncode == 0 and f"{state} illisible" in status.stdout, status.stdout
