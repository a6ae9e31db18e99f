"""Instructions per article page, Rasd's crawl against trafilatura's CLI, counted by valgrind (cachegrind).

    .venv/bin/python bench/count_crawl.py [--sites 10] [--pages 250] [--no-peer] [--keep]

Timings on a shared, loaded machine move by a sixth from run to run; instruction counts do not (the same
binary, inputs and environment give the same count whatever else the machine does). Serves the generated web
of bench/crawlweb.py and runs, each under `valgrind --tool=cachegrind --cache-sim=no --trace-children=yes`:
- a cold `rasd crawl` on a fresh store (bench_crawl.py's config): every process of it counted, the main
  process and its extraction worker apart;
- trafilatura's CLI handed the same article URLs with metadata (bench_crawl.py's config file).
Prints each process's instructions, per article page, and the ratio of Rasd's sum to the CLI's. Start-up is
included in both, as it is in bench_crawl.py's CPU figures; at a few hundred pages it weighs more than at
2,000, so compare a checkout with another at the same size, not with bench_crawl.py's ratio.
`--compare CHECKOUT` counts another checkout's Rasd too (its own `.venv`) on the same web.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_crawl import TRAFILATURA_CONFIG, write_config  # noqa: E402
from bench.crawlweb import CrawlWeb  # noqa: E402

# The crawl gives its workers 5 s to leave once it is over, then kills them; under valgrind a worker takes
# longer, and a killed process writes no count. Every process of the counted crawl imports this first.
PATIENT_HOOK = """import rasd.monitor.work
rasd.monitor.work.WORKER_EXIT_SECONDS = 3000.0
"""
VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--branch-sim=no", "--trace-children=yes"]


def counted(command: list[str], folder: Path, env: dict[str, str]) -> list[tuple[str, int]]:
    """`command` under cachegrind: (command line, instructions) of each process it ran."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "cg.%p"
    subprocess.run(
        [*VALGRIND, f"--cachegrind-out-file={out}", f"--log-file={folder / 'vg.%p'}", *command],
        cwd=folder,
        env={**os.environ, "PYTHONHASHSEED": "0", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    processes = []
    for path in sorted(folder.glob("cg.*")):
        text = path.read_text(errors="replace")
        cmd = re.search(r"^cmd: (.*)$", text, re.M)
        summary = re.search(r"^summary: (\d+)", text, re.M)
        if summary:
            processes.append((cmd.group(1) if cmd else "?", int(summary.group(1))))
    return processes


def role(command: str) -> str:
    if "rasd.monitor" in command:
        return "main process"
    if "resource_tracker" in command:
        return "resource tracker"
    if "spawn_main" in command or "multiprocessing" in command:
        return "worker"
    return command[:60]


def report(label: str, processes: list[tuple[str, int]], pages: int) -> int:
    total = sum(n for _, n in processes)
    print(f"{label}: {total / 1e9:.2f} G instructions, {total / pages / 1e6:.2f} M a page")
    for command, n in processes:
        print(f"  {role(command)}: {n / 1e9:.2f} G, {n / pages / 1e6:.2f} M a page")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--first-host", type=int, default=100)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-rasd", action="store_true", help="count the peer only")
    parser.add_argument("--compare", type=Path, help="another Rasd checkout (with its .venv)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rasd-count-crawl-"))
    with CrawlWeb(sites=args.sites, pages=args.pages, first_host=args.first_host) as web:
        pages = len(web.article_pages())
        per_source = max(site.articles for site in web.sites) + 50
        print(f"web: {len(web.sites)} sites, {pages} article pages; folder {folder}")
        runs = [] if args.no_rasd else [("rasd", REPO)]
        runs += [("other", args.compare)] if args.compare else []
        totals = {}
        for who, checkout in runs:
            run = folder / who
            config = write_config(run, web, per_source)
            # valgrind slows every process 20-50×: a page must not time out while the worker is busy
            text = config.read_text().replace("[crawler]\n", "[crawler]\ndownload_timeout = 3000\n", 1)
            config.write_text(text)
            python = str(checkout / ".venv" / "bin" / "python")
            hook = run / "hook"
            hook.mkdir()
            (hook / "sitecustomize.py").write_text(PATIENT_HOOK)
            # Warm, as a cron's crawl is: the built classifier kept (classify/kept.py) in a cache folder of
            # this run's own, made by a command that builds it, not counted (a cold one costs ~0.9 G).
            cache = {"XDG_CACHE_HOME": str(run / "cache")}
            (run / "empty.jsonl").write_text("")
            warm = ["classify", "--input", str(run / "empty.jsonl"), "--output", str(run / "none.jsonl")]
            subprocess.run(
                [python, "-m", "rasd.monitor", "--config", str(config), *warm],
                env={**os.environ, **cache, "PYTHONPATH": str(checkout)},
                check=True,
            )
            processes = counted(
                [python, "-m", "rasd.monitor", "--config", str(config), "crawl"],
                run,
                {**cache, "PYTHONPATH": f"{hook}{os.pathsep}{checkout}"},
            )
            with sqlite3.connect(run / "rasd.db") as db:
                stored = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
            totals[who] = report(f"Rasd ({checkout}), {stored} of {pages} stored", processes, pages)
        if args.compare and not args.no_rasd:
            print(f"this checkout over the other: {totals['rasd'] / totals['other']:.3f}")
        if not args.no_peer:
            peer = folder / "peer"
            peer.mkdir()
            (peer / "urls.txt").write_text("".join(url + "\n" for url in web.article_urls()))
            (peer / "trafilatura.cfg").write_text(TRAFILATURA_CONFIG)
            command = [
                str(Path(sys.executable).with_name("trafilatura")),
                "-i",
                "urls.txt",
                "--with-metadata",
                "--json",
                "--config-file",
                "trafilatura.cfg",
                "-o",
                str(peer / "out"),
            ]
            written = 0
            processes = counted(command, peer, {})
            written = len(list((peer / "out").rglob("*.json")))
            cli = report(f"trafilatura's CLI, {written} of {pages} written", processes, pages)
            for who, total in totals.items():
                print(f"Rasd ({who}) over the CLI: {total / cli:.3f}")
    if not args.keep:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
