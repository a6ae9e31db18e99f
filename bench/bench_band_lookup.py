"""The near-duplicate band lookup with and without `article_id` in its index (migration 0016), same run.

    .venv/bin/python bench/bench_band_lookup.py [--articles 100000] [--per-day 3000] [--lookups 300]

Builds an SQLite table shaped like `article_bands` (85 rows an article, days advancing at `--per-day`)
whose band hashes are drawn from a small space, so that a lookup matches about as many rows as a month of a
hundred sites' news does, then times the store's lookup statement (`storage.duplicates.band_rows`, the
newest article's window) on the index `(band, hash, day)` and on `(band, hash, day, article_id)`, three rounds
each, CPU milliseconds a lookup. The rows read are the same; what differs is the search of the table for
each row's `article_id`, which the covering index does not need. Prints figures; never fails on timing.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rasd.extract import FINGERPRINT_BANDS  # noqa: E402
from rasd.storage.duplicates import DUPLICATE_WINDOW, band_rows  # noqa: E402

FIRST_DAY = 20_000
HASH_SPACE = 2_500  # per band: a lookup in a window of ~40,000 articles matches ~1,400 band rows


def fill(db: sqlite3.Connection, articles: int, per_day: int, rnd: random.Random) -> None:
    db.execute(
        "CREATE TABLE article_bands (article_id INTEGER, band INTEGER, hash BIGINT, day INTEGER,"
        " PRIMARY KEY (article_id, band))"
    )
    for low in range(0, articles, 5_000):
        db.executemany(
            "INSERT INTO article_bands VALUES (?, ?, ?, ?)",
            [
                (article, band, rnd.randrange(HASH_SPACE), FIRST_DAY + article // per_day)
                for article in range(low, min(low + 5_000, articles))
                for band in range(FINGERPRINT_BANDS)
            ],
        )
    db.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--per-day", type=int, default=3_000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    rnd = random.Random(16)
    with tempfile.TemporaryDirectory(prefix="rasd-bands-") as folder:
        db = sqlite3.connect(Path(folder) / "bands.db")
        db.execute("PRAGMA journal_mode=WAL")
        started = time.perf_counter()
        fill(db, args.articles, args.per_day, rnd)
        print(f"{args.articles:,} articles, {args.articles * FINGERPRINT_BANDS:,} band rows"
              f" (filled in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        last = FIRST_DAY + args.articles // args.per_day
        window = DUPLICATE_WINDOW.days
        lookups = [
            {f"h{band}": rnd.randrange(HASH_SPACE) for band in range(FINGERPRINT_BANDS)}
            | {"first": last - window, "last": last + window}
            for _ in range(args.lookups)
        ]
        statement = f"SELECT DISTINCT article_id FROM ({band_rows()})"
        for columns in ("band, hash, day", "band, hash, day, article_id"):
            db.execute("DROP INDEX IF EXISTS ix_article_bands_lookup")
            db.execute(f"CREATE INDEX ix_article_bands_lookup ON article_bands ({columns})")
            plans = db.execute("EXPLAIN QUERY PLAN " + statement, lookups[0]).fetchall()
            plan = next(row[-1] for row in plans if "USING" in row[-1])
            rounds = []
            for _ in range(3):
                found, started = 0, time.process_time()
                for parameters in lookups:
                    found += len(db.execute(statement, parameters).fetchall())
                rounds.append(1000 * (time.process_time() - started) / len(lookups))
            print(f"index ({columns}): " + ", ".join(f"{ms:.2f}" for ms in rounds)
                  + f" ms CPU a lookup, {found / len(lookups):.0f} articles found; plan: {plan}")  # fmt: skip
        db.close()


if __name__ == "__main__":
    main()
