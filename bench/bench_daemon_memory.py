"""Daemon memory over many crawl cycles in one process: does `rasd run` stay flat?

    python bench/bench_daemon_memory.py [--cycles N] [--new-per-cycle K]

Starts the demo web on 127.0.0.x and `rasd run` against it (crawl every 1.2 s), publishes K new stories
before each cycle so that every cycle fetches, extracts, classifies and stores real pages, and after each
crawl's log line reads the resident memory (VmRSS) of the daemon and of its worker processes from /proc.
Prints one row per cycle and the first-5 vs last-5 averages; never fails on the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rasd.monitor.demoweb import DemoWeb  # noqa: E402
from tests.conftest import write_config  # noqa: E402

SCHEDULE = "\n[schedule]\ncrawl_every_minutes = 0.02\ndigest_check_every_minutes = 0.05\n"


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def story(cycle: int, number: int) -> dict[str, object]:
    return {
        "title": f"تعاونية فلاحية رقم {cycle}-{number} تعرض منتجاتها في المعرض الجهوي للاقتصاد الاجتماعي والتضامني",
        "lang": "ar",
        "body": [
            f"شاركت التعاونية الفلاحية رقم {cycle}-{number} في المعرض الجهوي للاقتصاد الاجتماعي والتضامني بأكادير،"
            " حيث عرضت منتجات الأركان والعسل والكسكس التقليدي.",
            "وأكد رئيس التعاونية أن دعم المبادرة الوطنية للتنمية البشرية مكن من اقتناء معدات جديدة وتحسين جودة"
            " المنتجات المجالية وتسويقها في الأسواق الوطنية.",
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=25)
    parser.add_argument("--new-per-cycle", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, DemoWeb(first_host=70) as web:
        work = Path(folder)
        config = write_config(work, web.sources_toml(), SCHEDULE)
        daemon = subprocess.Popen(
            [sys.executable, "-m", "rasd.monitor", "--log-json", "--config", str(config), "run"],
            cwd=work,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert daemon.stderr is not None
        rows: list[tuple[float, float]] = []
        print(f"{'cycle':>5} {'pages':>5} {'new':>4} {'sec':>5} {'daemon MB':>9} {'workers MB':>10} {'total MB':>8}")
        started = time.monotonic()
        for line in daemon.stderr:
            entry = json.loads(line) if line.startswith("{") else {}
            if not str(entry.get("job", "")).startswith("crawl:"):
                continue
            main_mb = rss_mb(daemon.pid)
            workers_mb = sum(rss_mb(child) for child in descendants(daemon.pid))
            rows.append((main_mb, workers_mb))
            print(
                f"{len(rows):>5} {entry['pages']:>5} {entry['new_articles']:>4} {entry['seconds']:>5.1f} "
                f"{main_mb:>9.1f} {workers_mb:>10.1f} {main_mb + workers_mb:>8.1f}",
                flush=True,
            )
            if len(rows) >= args.cycles:
                break
            for number in range(args.new_per_cycle):
                web.add_story(web.sites[number % len(web.sites)].name, story(len(rows), number))
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    elapsed = time.monotonic() - started
    if len(rows) < 10:
        print(f"only {len(rows)} cycles ran (daemon exit {daemon.returncode})")
        return 1

    def average(part: list[tuple[float, float]]) -> str:
        main_mb = sum(r[0] for r in part) / len(part)
        workers_mb = sum(r[1] for r in part) / len(part)
        return f"daemon {main_mb:.1f} MB, workers {workers_mb:.1f} MB, total {main_mb + workers_mb:.1f} MB"

    print(f"{len(rows)} cycles in one daemon process, {elapsed:.0f} s; daemon exit code {daemon.returncode}")
    print(f"cycles 1-5 (after the first):  {average(rows[1:6])}")
    print(f"last 5 cycles:                 {average(rows[-5:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
