"""The same `Article` and classification from two checkouts, page by page: a worker's speed-up changes no
result.

    .venv/bin/python bench/check_articles.py record PAGES.pickle [--sites 20] [--pages 2000]
    CHECKOUT/.venv/bin/python bench/check_articles.py extract PAGES.pickle RESULTS.pickle
    .venv/bin/python bench/check_articles.py diff A.pickle B.pickle

`record` serves the crawl benchmark's generated web (bench/crawlweb.py), runs a cold `rasd crawl` on it and
keeps every task handed to the extraction worker — `process_page`'s arguments as the crawl made them: the
page's bytes, URL, fetch time, the feed's title and date hints, the source's boilerplate and furniture —
then adds every saved page under tests/ (no hints; a fixed fetch time and address). `extract` runs
`monitor.work.process_page` over those tasks in one process with the checkout's own code (run it with the
checkout's Python: its venv imports its own `rasd`), the classifier built as a crawl's worker builds it,
and writes what came back; `diff` prints each page whose result differs, field by field, and the count.
Every field of the `Article` is compared (the fingerprint's minima and shingle hashes included) and the
`Classification` whole. `extract` without RESULTS runs the same work writing nothing (`--first`, `--count`:
a slice of the tasks), for cachegrind or a profiler.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Imported first by every process of the recorded crawl: the worker appends each task to a file of its own.
RECORDING_HOOK = """import os, pickle
import rasd.monitor.work as _work
_process_page = _work.process_page
def process_page(*args, **kwargs):
    with open(os.path.join(os.environ["RASD_RECORD"], f"tasks.{os.getpid()}"), "ab") as _out:
        pickle.dump((args, kwargs), _out)
    return _process_page(*args, **kwargs)
process_page.__module__, process_page.__qualname__ = _work.__name__, "process_page"
_work.process_page = process_page
"""
FIXTURE_FETCHED = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


def fixture_tasks() -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    tasks: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for path in sorted((REPO / "tests").rglob("*.htm*")):
        if not path.is_file():
            continue
        page = {
            "source": "fixture",
            "canonical_url": path.name,
            "url": f"https://www.example.ma/{path.relative_to(REPO / 'tests').as_posix()}",
            "body": path.read_bytes(),
            "fetched_at": FIXTURE_FETCHED,
            "hint_title": None,
            "hint_date": None,
            "hint_date_origin": None,
        }
        tasks.append(((page, None, ()), {}))
    return tasks


def record(out: Path, sites: int, pages: int) -> int:
    from bench.bench_crawl import write_config
    from bench.crawlweb import CrawlWeb

    folder = Path(tempfile.mkdtemp(prefix="rasd-check-articles-"))
    hook = folder / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(RECORDING_HOOK)
    with CrawlWeb(sites=sites, pages=pages) as web:
        per_source = max(site.articles for site in web.sites) + 50
        config = write_config(folder / "run", web, per_source)
        env = {**os.environ, "RASD_RECORD": str(folder), "PYTHONPATH": str(hook)}
        subprocess.run([sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl"], env=env, check=True)
    tasks = []
    for path in sorted(folder.glob("tasks.*")):
        with path.open("rb") as recorded:
            while True:
                try:
                    tasks.append(pickle.load(recorded))
                except EOFError:
                    break
    crawled = len(tasks)
    tasks += fixture_tasks()
    with out.open("wb") as written:
        pickle.dump(tasks, written)
    print(f"{crawled} crawled pages and {len(tasks) - crawled} saved pages of tests/ in {out}")
    subprocess.run(["rm", "-rf", str(folder)], check=False)
    return 0


def plain(value: Any) -> Any:
    """A result as nested tuples and builtins, comparable across checkouts whatever their classes."""
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, plain(getattr(value, f.name))) for f in fields(value)))
    if isinstance(value, list | tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), plain(item)) for key, item in value.items()))
    if hasattr(value, "tolist"):  # NumPy arrays
        return ("array", str(getattr(value, "dtype", "")), plain(value.tolist()))
    if isinstance(value, frozenset | set):
        return tuple(sorted(plain(item) for item in value))
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return (type(value).__name__, plain(vars(value)))
    return value


def extract(tasks_file: Path, out: Path | None, first: int = 0, count: int | None = None) -> int:
    from rasd.classify import load_classifier
    from rasd.monitor import work

    with tasks_file.open("rb") as recorded:
        tasks = pickle.load(recorded)
    tasks = tasks[first : None if count is None else first + count]
    work._classifier = load_classifier(seeds_dir=REPO / "seeds")
    results = []
    for args, kwargs in tasks:
        processed = work.process_page(*args, **kwargs)
        if out is not None:
            results.append((args[0]["url"], plain(processed)))
    if out is not None:
        with out.open("wb") as written:
            pickle.dump(results, written)
        print(f"{len(results)} pages extracted into {out}")
    return 0


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    if type(a) is not type(b) or not isinstance(a, tuple) or len(a) != len(b):
        return [] if a == b else [f"{where}: {a!r:.200} != {b!r:.200}"]
    found = []
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        label = x[0] if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str) else str(index)
        found += differences(x, y, f"{where}.{label}")
    return found


def diff(first: Path, second: Path) -> int:
    with first.open("rb") as a, second.open("rb") as b:
        one, other = pickle.load(a), pickle.load(b)
    if len(one) != len(other):
        print(f"{len(one)} pages against {len(other)}")
        return 1
    differing = 0
    for (url, left), (_, right) in zip(one, other, strict=True):
        if left != right:
            differing += 1
            print(url)
            for line in differences(left, right)[:10]:
                print("  ", line)
    stored = sum(1 for _, result in one if dict(result[1]).get("article") is not None)
    print(f"{differing} differences over {len(one)} pages ({stored} with an article)")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("tasks", type=Path)
    recording.add_argument("--sites", type=int, default=20)
    recording.add_argument("--pages", type=int, default=2000)
    extracting = commands.add_parser("extract")
    extracting.add_argument("tasks", type=Path)
    extracting.add_argument("results", type=Path, nargs="?")
    extracting.add_argument("--first", type=int, default=0, help="skip this many tasks (the crawl's come first)")
    extracting.add_argument("--count", type=int, help="this many tasks only (0: start-up alone, for cachegrind)")
    comparing = commands.add_parser("diff")
    comparing.add_argument("first", type=Path)
    comparing.add_argument("second", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        return record(args.tasks, args.sites, args.pages)
    if args.command == "extract":
        return extract(args.tasks, args.results, args.first, args.count)
    return diff(args.first, args.second)


if __name__ == "__main__":
    raise SystemExit(main())
