"""`rasd export`'s reasons in the reader's language: the classifier stores them as English lines (what
`rasd classify` and the browse views show), and a French or Arabic reader's CSV, JSON lines and workbook said
"matched: coopérative ×2", "region MA-09 via Tiznit ×1" in English where `rasd explain` speaks their language."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from rasd.classify import load_classifier
from rasd.config import Source
from rasd.config.reasons import reason_told
from rasd.extract import Article, content_hash
from rasd.monitor.speech import Speech
from rasd.storage import Store
from tests.conftest import run_rasd, write_config

# Written for this test: a cooperative in Tiznit, and a story that is not SSE news (a road), in French
STORIES = (
    (
        "https://souss.example/cooperative-argan/",
        "Tiznit : une coopérative féminine d’argan ouvre une unité de séchage",
        "La coopérative féminine Tifawin de Tiznit, membre de l’union des coopératives d’argan, a inauguré une "
        "unité de séchage financée par l’INDH. Les coopératrices vendront leur huile au salon régional de "
        "l’économie sociale et solidaire d’Agadir.",
    ),
    (
        "https://souss.example/route-tiznit/",
        "Les travaux de la route de Tiznit reprennent",
        "Les travaux d’élargissement de la route nationale reprennent lundi à Tiznit, a annoncé la direction "
        "provinciale de l’équipement. La circulation sera déviée pendant trois semaines.",
    ),
)


def _store(path: Path) -> list[list[str]]:
    """The stories classified by the shipped classifier and stored; their reasons as stored (English)."""
    classifier = load_classifier()
    store = Store(f"sqlite:///{path}")
    store.sync_sources([Source(name="Souss Presse", url="https://souss.example/", region="MA-09")])
    stored = []
    for url, title, text in STORIES:
        verdict = classifier.classify(title, text, "fr")
        article = Article(
            url, title, text, datetime(2025, 9, 4, 9, tzinfo=UTC), "meta", None, "fr", None, content_hash(text)
        )
        assert store.save_article("Souss Presse", url, article, verdict) is not None
        stored.append([str(reason) for reason in verdict.reasons])
    store.close()
    return stored


def test_every_reason_the_classifier_writes_is_read_back_as_its_message() -> None:
    """Each stored line is read back into the message it was made of: said in English, it is the line itself."""
    english = Speech("en", marked=False)
    for _, title, text in STORIES:
        for reason in load_classifier().classify(title, text, "fr").reasons:
            told = reason_told(str(reason))
            assert told is not str(reason) and type(told).__name__ == "Told", reason
            assert english.told(told) == str(reason)


def test_the_export_says_the_reasons_in_the_readers_language(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    stored = _store(tmp_path / "rasd.db")
    assert any(line.startswith("matched: ") for line in stored[0]), stored[0]
    assert any(line.startswith("region MA-09 via ") for line in stored[0]), stored[0]

    french = run_rasd("--config", str(config), "export", "--format", "jsonl", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert french.returncode == 0, french.stderr
    records = [json.loads(line) for line in french.stdout.splitlines()]
    said = [reason for record in records for reason in record["reasons"]]
    assert said and not [r for r in said if r.split(" ")[0] in ("matched:", "region", "SSE:", "not", "negative:")]
    assert any(r.startswith("région MA-09 ") for r in records[0]["reasons"]), records[0]["reasons"]
    verdict = records[0]["reasons"][0]
    assert "," in verdict and "." not in verdict.split("(")[0], verdict

    out = tmp_path / "x.csv"
    arabic = run_rasd("--config", str(config), "export", "--output", str(out), cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert arabic.returncode == 0, arabic.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    cells = rows[0]["reasons"].split(" | ")
    assert len(cells) == len(stored[0])
    assert not [c for c in cells if c.startswith(("matched", "region", "SSE", "not SSE"))], cells
    assert all(any("\u0600" <= char <= "\u06ff" for char in c) for c in cells), cells  # each an Arabic line
    assert not any(mark in rows[0]["reasons"] for mark in "\u200e\u200f\u202a\u202b\u202c")  # no terminal's marks

    # English (no language chosen) keeps the stored lines, for scripts
    plain = run_rasd("--config", str(config), "export", "--format", "jsonl", cwd=tmp_path, env={"RASD_LANG": "en"})
    assert [json.loads(line)["reasons"] for line in plain.stdout.splitlines()] == stored


def test_the_workbook_says_the_reasons_in_the_readers_language(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    config = write_config(tmp_path, "")
    stored = _store(tmp_path / "rasd.db")
    target = tmp_path / "x.xlsx"
    done = run_rasd(
        "--config",
        str(config),
        "export",
        "--format",
        "xlsx",
        "--output",
        str(target),
        cwd=tmp_path,
        env={"RASD_LANG": "fr"},
    )
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    column = next(n for n, name in enumerate(header) if name not in ("reasons",) and "raisons" in str(name).lower())
    cells = str(sheet[2][column].value).split(" | ")
    assert len(cells) == len(stored[0]) and cells != stored[0]
    assert any(c.startswith("région MA-09 ") for c in cells), cells
