"""The band index at its bounded size: what inserting an article's band rows and pruning them cost.

    .venv/bin/python bench/bench_band_prune.py [--articles 180000] [--steps 16,1000,4000] [--caches 2000,65536]

Builds an SQLite `article_bands` with the store's own schema (`Store` creates it; its primary key and
`ix_article_bands_lookup`) holding `--articles` articles' rows — 180,000: what the band rows' horizon
(`storage.duplicates.BAND_HORIZON`, 60 days) keeps at a hundred sites' 3,000 articles a day, whatever the size
of the store — with random band hashes, so each row lands on a random leaf of the lookup index as a real one
does. Then, for each step size and page cache (KB, `PRAGMA cache_size` of the connection), alternating, as a
store at its steady state does: a step of new articles inserted 16 a transaction (the cycle's batches), then
the oldest step's rows deleted in one transaction by the statement `Store.prune_bands` sends (a range of
article ids). Prints CPU milliseconds an article of each; never fails on timing. Only the band rows: the
rest of storing an article is bench/bench_store_growth.py's.
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
from rasd.storage import Store  # noqa: E402

INSERT = "INSERT INTO article_bands (article_id, band, hash, day) VALUES (?, ?, ?, ?)"
PER_DAY = 3_000


def rows(first: int, count: int, rnd: random.Random) -> list[tuple[int, int, int, int]]:
    """The band rows of articles `first`… (ids from 1, days advancing at PER_DAY)."""
    return [
        (article, band, rnd.getrandbits(64) - 2**63, 20_000 + article // PER_DAY)
        for article in range(first, first + count)
        for band in range(FINGERPRINT_BANDS)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=180_000)
    parser.add_argument("--steps", default="16,1000,4000", help="articles inserted, then pruned, a step")
    parser.add_argument("--caches", default="2000,65536", help="page caches (KB) to compare")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rnd = random.Random(16)
    with tempfile.TemporaryDirectory(prefix="rasd-prune-") as folder:
        path = Path(folder) / "bands.db"
        Store(f"sqlite:///{path}").close()  # the store's schema
        db = sqlite3.connect(path)  # foreign keys off: band rows without their articles
        db.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        db.execute("PRAGMA cache_size=-1000000")  # the fill only
        for low in range(1, args.articles + 1, 10_000):
            db.executemany(INSERT, rows(low, min(10_000, args.articles + 1 - low), rnd))
            db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"{args.articles:,} articles' band rows ({args.articles * FINGERPRINT_BANDS:,}),"
              f" filled in {time.perf_counter() - started:.0f} s")  # fmt: skip
        oldest, newest = 1, args.articles
        for _ in range(args.rounds):
            for step in (int(s) for s in args.steps.split(",")):
                for cache in (int(c) for c in args.caches.split(",")):
                    db.execute(f"PRAGMA cache_size=-{cache:d}")
                    inserting = time.process_time()
                    for first in range(newest + 1, newest + step + 1, 16):
                        db.executemany(INSERT, rows(first, min(16, newest + step + 1 - first), rnd))
                        db.commit()
                    inserting = time.process_time() - inserting
                    newest += step
                    pruning = time.process_time()
                    db.execute(
                        "DELETE FROM article_bands WHERE article_id >= ? AND article_id <= ?",
                        (oldest, oldest + step - 1),
                    )
                    db.commit()
                    pruning = time.process_time() - pruning
                    oldest += step
                    print(f"step {step:,}, cache {cache:,} KB: insert {1000 * inserting / step:.2f} ms CPU an"
                          f" article (16 a transaction), prune {1000 * pruning / step:.2f} ms", flush=True)  # fmt: skip
        db.close()


if __name__ == "__main__":
    main()
