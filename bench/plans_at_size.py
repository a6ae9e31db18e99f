"""Is every statement of the commands answered through an index on a big PostgreSQL store (issue 16)? The
statements `rasd status`, `search` (a common and a rare word, with and without --sse, --region, --source, no
words), `explain`, housekeeping and the band rows' prune send on the store at URL (bench_store_growth.py's, say,
kept with --rounds and a URL naming each size), recorded with their parameters and EXPLAINed with the checker of
tests/test_query_plans_postgres.py (`recorder`, `explained`, `_scans`): a plan reading a growing table whole
is printed; the count of statements and of such plans is printed for each command.

    .venv/bin/python bench/plans_at_size.py postgresql+psycopg://…/s1000000 [--words المغرب,إيريك --source 'Site 007']
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import event, func, select  # noqa: E402

from rasd.storage import SearchFilters, Store  # noqa: E402
from rasd.storage.models import ArticleRow  # noqa: E402
from tests.test_query_plans_postgres import Sent, _scans, explained, recorder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--words", default="المغرب,إيريك", help="a common and a rare word")
    parser.add_argument("--source", default="Site 007")
    args = parser.parse_args()
    store = Store(args.url)
    with store.session() as session:
        newest = session.scalar(select(func.max(ArticleRow.id))) or 0
    common, rare = args.words.split(",")

    def housekeeping() -> None:
        store.prune_fetches(90)
        store.optimize()

    works: list[tuple[str, Any]] = [
        ("status", lambda: store.source_health()),
        ("explain", lambda: (store.story(newest), store.explained(newest))),
        ("housekeeping", housekeeping),
        ("prune-bands", lambda: store.prune_bands(now=datetime_far())),
        ("search (no words) --sse", lambda: store.search("", filters=SearchFilters(sse=True))),
    ]
    for word in (common, rare):
        for said, filters in (
            ("", SearchFilters()),
            (" --sse", SearchFilters(sse=True)),
            (" --region MA-09", SearchFilters(region="MA-09")),
            (f" --source '{args.source}'", SearchFilters(source=args.source)),
        ):
            works.append(
                (f"search {word}{said}", lambda word=word, filters=filters: store.search(word, filters=filters))
            )
    for name, work in works:
        sent: Sent = []
        record = recorder(sent)
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            work()
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
        plans = explained(store.engine, sent)
        scans = _scans(plans)
        print(f"{name:<40} {len(plans):>3} statements, {len(scans)} reading a growing table whole", flush=True)
        for scan in scans:
            print("    " + scan.replace("\n", "\n    "))
    store.close()


def datetime_far() -> Any:
    """A prune's `now` at which no step is due yet on a store whose newest article is dated now or earlier: the
    first article holding band rows is read, then nothing deleted (the dates are the generator's, 2025-2026)."""
    from datetime import datetime

    return datetime(2000, 1, 1)


if __name__ == "__main__":
    main()
