"""Records (one dict per article) written as JSON lines or CSV, for `rasd search` and `rasd export`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any


def _cell(value: Any) -> Any:
    """A CSV cell: a list joined with ` | ` (names and reasons hold spaces), a `{source, url}` as `source url`."""
    if isinstance(value, list):
        return " | ".join(" ".join(map(str, item.values())) if isinstance(item, dict) else str(item) for item in value)
    return value


def write_records(records: Iterable[dict[str, Any]], output: str, sink: IO[str], fields: Sequence[str]) -> int:
    """Write `records` to `sink` as `jsonl` or `csv` (with a header of `fields`); how many were written."""
    written = 0
    writer = csv.DictWriter(sink, fields, lineterminator="\n", extrasaction="ignore") if output == "csv" else None
    if writer is not None:
        writer.writeheader()
    for record in records:
        if writer is not None:
            writer.writerow({key: _cell(value) for key, value in record.items()})
        else:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written
