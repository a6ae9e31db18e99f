"""Every command on a big store (issue 16): how long `rasd status`, `rasd search` (a common word, a rare word,
--sse, --region, --source, a month), `rasd explain`, `rasd label`, `rasd export` of a day, `rasd housekeeping`
and `rasd digest` with nothing due and with a day's stories due (`a_day_due`) take, end to end, as the store
grows to 10,000, 100,000 and (time allowing) 1,000,000 articles, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_commands.py --dir /tmp/rasd-commands                 # 10k and 100k, SQLite
    .venv/bin/python bench/bench_commands.py --dir /tmp/rasd-commands --sizes 10000,100000,1000000
    .venv/bin/python bench/bench_commands.py --dir /tmp/rasd-pg --postgres            # a throwaway server
    .venv/bin/python bench/bench_commands.py --dir /tmp/rasd-pg --url postgresql+psycopg://…  # a database kept
    .venv/bin/python bench/bench_commands.py --dir … --rasd ../main/.venv/bin/rasd --rasd .venv/bin/rasd

The store is filled as bench/bench_store_growth.py fills one (its `Writer` and `bulk_fill`: generated Arabic
text over 100 sources at 3,000 articles a day, 10 % rewritten copies, one in ten SSE in MA-09, with the rows
`Store.save_articles` writes, built by its own functions), with a config naming it, its 100 sources and one
daily subscription. The folder is kept: an SQLite store there is grown from where it stands by the next run
(the generated texts and their fingerprints are kept in `DIR/cache`, so a second run neither drafts nor
fingerprints them again); delete the folder when done. A PostgreSQL store lives as long as the run's server,
or, with `--url`, as long as that database (grown to the sizes, kept).

Each command is run as a user runs it (the console script, a new process, Python's bytecode kept in the
folder) once to warm up, then `--runs` times; the line gives the median wall seconds and what the command
said last (the number of matches). With several `--rasd` (an install of main, then this checkout's), their
runs alternate. An older install may not read a store that a newer one migrated: give the older first.
Figures depend on the machine and its load (printed): compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_startup import write_config  # noqa: E402
from bench.bench_store_growth import (  # noqa: E402
    SOURCES,
    START,
    Grouping,
    Writer,
    bulk_fill,
    fill_pragmas,
    reused_before,
    server_cpu,
)

RASD = Path(sys.executable).with_name("rasd")
COMMON, RARE = "المغرب", "إيريك"  # in ~27 % and ~0.4 % of the generated articles


def commands(newest: int, last_day: str, month_before: str, folder: Path) -> list[list[str]]:
    return [
        ["status"],
        ["search", COMMON],
        ["search", RARE],
        ["search", COMMON, "--sse"],
        ["search", RARE, "--sse"],
        ["search", COMMON, "--region", "MA-09"],
        ["search", COMMON, "--source", SOURCES[7]],
        ["search", RARE, "--source", SOURCES[7]],
        ["search", COMMON, "--since", month_before, "--until", last_day],
        ["explain", str(newest)],
        ["label", str(newest - 7), "sse", "--by", "bench"],
        ["export", "--since", last_day, "--until", last_day, "--output", str(folder / "export.csv")],
        ["housekeeping"],
        ["digest"],  # the first run (the warm-up) sends what is due; the timed runs find nothing due
    ]


def a_day_due(url: str, newest: int, run: int) -> int:
    """A day's stories made due for the daily subscription: the `run`-th slice of 3,000 of the newest articles
    (a day of them; others each run, since a digest claims what it sends) marked stored over the 24 hours
    that end 6 hours ago — the bench's articles are stored at their generated dates, long before any digest's
    backlog. The SSE stories among them (one in ten), less the copies, are what the digest then sends."""
    from sqlalchemy import bindparam, update

    from rasd.storage import Store, utcnow
    from rasd.storage.base import table
    from rasd.storage.models import ArticleRow

    store = Store(url)
    try:
        last, start = newest - 3000 * run, utcnow() - timedelta(hours=30)
        articles = table(ArticleRow)
        with store.session() as session, session.begin():
            session.connection().execute(
                update(articles).where(articles.c.id == bindparam("b_id")).values(fetched_at=bindparam("b_at")),
                [{"b_id": last - n, "b_at": start + timedelta(hours=24) * (3000 - n) / 3000} for n in range(3000)],
            )
        return last
    finally:
        store.close()


def grow(url: str, folder: Path, size: int, sources: list[Any]) -> int:
    """The store at `url` grown to `size` articles (from what it holds, the generator skipping as many), with
    the fill's own connection settings; the number stored."""
    from sqlalchemy import event, text

    from rasd.storage import Store

    fill = Store(url)
    try:
        if fill.is_sqlite:
            event.listen(fill.engine, "connect", fill_pragmas)
            fill.engine.dispose()
        fill.sync_sources(sources)
        with fill.session() as session:
            rows = session.execute(text("SELECT id, url FROM articles")).all()
        if len(rows) >= size:
            return len(rows)
        ids = {int(row_url.rsplit("/", 1)[1]): article for article, row_url in rows}
        (folder / "cache").mkdir(exist_ok=True)
        from multiprocessing.pool import Pool

        with Pool(2) as pool:
            # drafted blocks reused where a fill from empty may (bench_store_growth.reused_before): a million's
            # fill then drafts and fingerprints ~200,000 articles
            writer = Writer(
                3000, pool=pool, cache=folder / "cache", reuse_before=0 if rows else reused_before(size, 3000)
            )
            for _ in range(len(rows)):
                writer.next()
            started = time.perf_counter()
            bulk_fill(fill, writer, size - len(rows), ids, Grouping())
        with fill.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)" if fill.is_sqlite else "VACUUM ANALYZE"))
        print(f"filled {len(rows):,} → {size:,} in {time.perf_counter() - started:.0f} s", flush=True)
        return size
    finally:
        fill.close()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: list[str], env: dict[str, str], server: Any) -> tuple[float, float, float, str, int]:
    """Wall seconds, the command's CPU seconds (user + system), the database server's CPU seconds meanwhile
    (PostgreSQL's processes, its ended backends included; 0 on SQLite), the last line the command said, and
    its exit code. On a loaded machine the CPU seconds are the figures to read: the wall time is mostly
    waiting for a core."""
    served, cpu, start = server_seconds(server), children_cpu(), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    said = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
    return wall, cpu, server_seconds(server) - served, said, done.returncode


def server_seconds(server: Any) -> float:
    return 0.0 if server is None else server_cpu(server)


@contextmanager
def database(postgres: bool, folder: Path, url: str | None = None) -> Iterator[str]:
    if url is not None:
        yield url
        return
    if not postgres:
        yield f"sqlite:///{folder / 'rasd.db'}"
        return
    from tests.postgres import new_database, postgres_server

    with postgres_server() as admin:
        yield new_database(admin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True, help="the bench's folder: config, SQLite store, cache")
    parser.add_argument("--sizes", default="10000,100000", help="stored articles at which to time the commands")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway server of tests/postgres.py")
    parser.add_argument("--url", help="an existing database (PostgreSQL's, say), grown to the sizes and kept")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--rasd", type=Path, action="append", help="a rasd console script to run (repeatable)")
    parser.add_argument("--only", action="append", help="only commands starting with these words (repeatable)")
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    installs = [path.absolute() for path in options.rasd or [RASD]]
    with database(options.postgres, options.dir, options.url) as url:
        sources = write_config(options.dir, url)
        env = {**os.environ, "RASD_CONFIG": str(options.dir / "rasd.toml"), "RASD_USER": "bench"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(options.dir / "bytecode")
        env["XDG_CACHE_HOME"] = str(options.dir / "xdg-cache")
        from rasd.storage import Store

        for size in [int(size) for size in options.sizes.split(",")]:
            stored = grow(url, options.dir, size, sources)
            # PostgreSQL's server CPU is read through a store of the bench's own (SQLite's work is the command's)
            server = None if url.startswith("sqlite") else Store(url)
            last = START + timedelta(days=stored / 3000)
            day, before = f"{last:%Y-%m-%d}", f"{last - timedelta(days=30):%Y-%m-%d}"
            print(
                f"{stored:,} stored on {url.partition(':')[0]}; load average {os.getloadavg()[0]:.2f}; medians of"
                f" {options.runs} runs: wall s, the command's CPU s, the server's CPU s (PostgreSQL)",
                flush=True,
            )
            for command in commands(stored, day, before, options.dir):
                if options.only and not any(" ".join(command).startswith(only) for only in options.only):
                    continue
                runs: dict[Path, list[tuple[float, float, float, str, int]]] = {install: [] for install in installs}
                for install in installs:
                    run_once([str(install), *command], env, server)
                for _ in range(options.runs):
                    for install in installs:
                        runs[install].append(run_once([str(install), *command], env, server))
                for number, install in enumerate(installs, 1):
                    wall, cpu, served = (statistics.median(float(run[at]) for run in runs[install]) for at in range(3))
                    said, code = runs[install][-1][3:]
                    note = "" if code == 0 else f" (exit {code})"
                    label = f"rasd {number}" if len(installs) > 1 else ""
                    print(
                        f"  {' '.join(command):<44} {label} {wall:>7.2f} {cpu:>6.2f} {served:>6.2f}{note}  {said[:60]}",
                        flush=True,
                    )
            if not options.only or any(only.startswith("digest") for only in options.only):
                # one run: a daily subscription's slot gets one digest, later runs find it made
                a_day_due(url, stored, 1)
                wall, cpu, served, said, code = run_once([str(installs[0]), "digest"], env, server)
                note = "" if code == 0 else f" (exit {code})"
                label = "digest (a day's stories due, one run)"
                print(f"  {label:<44}  {wall:>7.2f} {cpu:>6.2f} {served:>6.2f}{note}  {said[:60]}", flush=True)
            if server is not None:
                server.close()
        print(f"load average {os.getloadavg()[0]:.2f} at the end; the folder is kept: {options.dir}")


if __name__ == "__main__":
    main()
