"""End-to-end crawl benchmark: a cold cycle over a generated web, bare extraction, a no-news cycle.

    .venv/bin/python bench/bench_crawl.py [--sites 20] [--pages 2000] [--keep]
    .venv/bin/python bench/bench_crawl.py --sites 4 --pages 50      # a quick run

Needs only the project's own dependencies (`make demo` installs them); memory is read from /proc (Linux).

Serves the generated web of bench/crawlweb.py (WordPress-like Arabic and French sites on 127.0.0.100+: RSS,
Atom, sitemap-only and listing-only, two in windows-1256, 40–100 KB pages), writes a config for it (SQLite
and outbox in a temporary folder, loopback allowed, no politeness delay, no SMTP) and runs `rasd crawl`
twice in a subprocess, as cron would:
- cold cycle: wall time, articles stored, pages per second end to end, CPU seconds per page (the `rasd`
  process and its worker processes, from getrusage(RUSAGE_CHILDREN)), peak memory (RSS of the process tree
  sampled every 0.1 s: the peak of the sum, and of the main process alone);
- bare extraction: `trafilatura.extract` alone, in this one process, over the same article pages — with
  the project's options and with trafilatura's defaults — and the project's `extract_article`;
- second cycle with nothing new: requests made (from the `fetches` table), how many were article pages,
  its wall time.
Then one PASS/MISS line per target of issue 3. Prints figures and exits 0 even when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

import rasd.extract.body  # noqa: E402
from bench.bench_daemon_memory import descendants  # noqa: E402
from bench.crawlweb import CrawlWeb  # noqa: E402
from rasd.crawler import canonicalize_url  # noqa: E402
from rasd.extract import extract_article  # noqa: E402

MEMORY_TARGET_MB = 300


@dataclass
class Run:
    """One `rasd crawl` subprocess, measured from outside."""

    wall: float
    cpu: float  # user + system seconds of rasd and its workers
    peak_tree_mb: float  # peak of the summed RSS of the process tree
    peak_tree_pss_mb: float  # the same in PSS (shared pages divided among the processes sharing them)
    peak_main_mb: float
    high_water_mb: list[float]  # each process's own peak RSS (VmHWM), the main process first
    processes: int  # most processes seen at once
    main_cpu: float  # of the main process alone (the reactor: Scrapy, storage), last seen in /proc
    sampler_cpu: float  # what the memory sampling cost this process
    output: str


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far, from /proc/PID/stat (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS now, peak RSS so far) of one process, from /proc/PID/status; zeros once it is gone."""
    values = {"VmRSS:": 0.0, "VmHWM:": 0.0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.split(maxsplit=1)[0] in values:
                values[line.split()[0]] = int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError, IndexError):
        pass
    return values["VmRSS:"], values["VmHWM:"]


def pss_mb(pid: int) -> float:
    """Proportional set size: what the process tree really occupies, shared library pages counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def run_crawl(config: Path, cwd: Path) -> Run:
    """`rasd --config CONFIG crawl`, with the process tree's memory sampled every 0.1 s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    own_peaks: dict[int, float] = {}  # each process's own high-water mark (VmHWM), spikes between samples too
    peaks = {"tree": 0.0, "pss": 0.0, "main": 0.0, "processes": 0.0, "main_cpu": 0.0, "sampler_cpu": 0.0}

    def sample() -> None:
        rounds = 0
        while process.poll() is None:
            pids = [process.pid, *descendants(process.pid)]
            readings = [memory_mb(pid) for pid in pids]
            sizes = [now for now, _ in readings]
            for pid, (_, high) in zip(pids, readings, strict=True):
                own_peaks[pid] = max(own_peaks.get(pid, 0.0), high)
            peaks["tree"] = max(peaks["tree"], sum(sizes))
            if rounds % 10 == 0:  # smaps_rollup walks the page tables: once a second is enough
                peaks["pss"] = max(peaks["pss"], sum(map(pss_mb, pids)))
            peaks["main"] = max(peaks["main"], sizes[0])
            peaks["processes"] = max(peaks["processes"], len(pids))
            peaks["main_cpu"] = max(peaks["main_cpu"], cpu_seconds(process.pid))
            rounds += 1
            time.sleep(0.1)
        peaks["sampler_cpu"] = time.thread_time()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.monotonic() - started
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(
        wall,
        cpu,
        peaks["tree"],
        peaks["pss"],
        peaks["main"],
        list(own_peaks.values()),
        int(peaks["processes"]),
        peaks["main_cpu"],
        peaks["sampler_cpu"],
        output,
    )


@dataclass
class Fetches:
    """The requests a cycle recorded in the `fetches` table."""

    total: int
    kinds: dict[str, int]
    article_pages: int  # requests for an article's URL, whatever the crawler took it for
    last_id: int

    def by_kind(self) -> str:
        return ", ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items()))


def fetches_after(database: Path, after_id: int, articles: set[str]) -> Fetches:
    """Requests recorded after fetch `after_id`; `articles` are the canonical URLs of the web's articles."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT id, kind, url FROM fetches WHERE id > ?", (after_id,)).fetchall()
    kinds: dict[str, int] = {}
    for _, kind, _ in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    pages = sum(canonicalize_url(url) in articles for _, _, url in rows)
    return Fetches(len(rows), kinds, pages, max((row[0] for row in rows), default=after_id))


def stored_articles(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])


def write_config(folder: Path, web: CrawlWeb, per_source: int) -> Path:
    """The benchmark's config: everything in `folder`, loopback allowed, no delay, no SMTP (outbox)."""
    config = folder / "rasd.toml"
    config.write_text(
        f'outbox = "{folder / "outbox"}"\n'
        f'[storage]\nurl = "sqlite:///{folder / "rasd.db"}"\n'
        "[crawler]\nallow_private_networks = true\ndownload_delay = 0.0\nautothrottle = false\n"
        f"max_pages_per_source = {per_source}\n"
        f'[classifier]\nseeds_dir = "{REPO / "seeds"}"\n\n' + web.sources_toml(),
        encoding="utf-8",
    )
    return config


def time_pages(label: str, pages: list[tuple[str, bytes]], function: object) -> float:
    """Pages per second of `function(url, body)` over `pages`, in this one process."""
    started = time.process_time()
    wall_started = time.perf_counter()
    for url, body in pages:
        function(url, body)  # type: ignore[operator]
    cpu, wall = time.process_time() - started, time.perf_counter() - wall_started
    rate = len(pages) / wall
    print(
        f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU → {rate:.1f} pages/s "
        f"({1000 * cpu / len(pages):.1f} ms CPU/page)"
    )
    return rate


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=2000, help="article pages in all, shared among the sites")
    parser.add_argument("--first-host", type=int, default=100, help="site i serves on 127.0.0.(FIRST_HOST + i)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, config)")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
    folder = Path(tempfile.mkdtemp(prefix="rasd-bench-crawl-"))
    rendering = time.perf_counter()
    with CrawlWeb(sites=args.sites, pages=args.pages, first_host=args.first_host) as web:
        pages = web.article_pages()
        article_urls = {canonicalize_url(url) for url, _ in pages}
        sizes = sorted(len(body) for _, body in pages)
        kinds = sorted({site.kind for site in web.sites})
        print(
            f"web: {len(web.sites)} sites ({', '.join(f'{k} {sum(s.kind == k for s in web.sites)}' for k in kinds)}; "
            f"ar {sum(s.lang == 'ar' for s in web.sites)}, fr {sum(s.lang == 'fr' for s in web.sites)}; "
            f"windows-1256 {sum(s.charset == 'windows-1256' for s in web.sites)}), {len(pages)} article pages, "
            f"{sizes[0] // 1024}–{sizes[-1] // 1024} KB (median {sizes[len(sizes) // 2] // 1024} KB, "
            f"{sum(sizes) / 1e6:.0f} MB in all); rendered in {time.perf_counter() - rendering:.1f} s"
        )
        per_source = max(site.articles for site in web.sites) + 50
        config = write_config(folder, web, per_source)
        database = folder / "rasd.db"
        print(f"config: {config} (max_pages_per_source = {per_source}, download_delay = 0, autothrottle off)")

        server_cpu = time.process_time()
        cold = run_crawl(config, folder)
        server_cpu = time.process_time() - server_cpu
        stored = stored_articles(database)
        first = fetches_after(database, 0, article_urls)
        print("\ncold cycle (rasd crawl, subprocess):")
        print(f"  rasd said: {cold.output.strip().splitlines()[-1] if cold.output.strip() else '(nothing)'}")
        for line in cold.output.strip().splitlines()[:-1][:5]:
            print(f"  rasd: {line}")
        print(f"  requests: {first.total} ({first.by_kind()})")
        print(f"  articles stored: {stored} of {len(pages)}")
        end_to_end = stored / cold.wall
        print(f"  wall time: {cold.wall:.1f} s (process start to exit) → {end_to_end:.1f} pages/s end to end")
        print(
            f"  CPU: {cold.cpu:.1f} s (rasd + workers; main process {cold.main_cpu:.1f} s, the rest "
            f"{cold.cpu - cold.main_cpu:.1f} s) → {cold.cpu / max(stored, 1) * 1000:.1f} ms CPU per page, "
            f"{cold.cpu / cold.wall:.2f} cores busy on average"
        )
        print(
            f"  this process meanwhile: web server {server_cpu - cold.sampler_cpu:.1f} s CPU, memory sampling "
            f"{cold.sampler_cpu:.1f} s"
        )
        print(
            f"  peak memory: {cold.peak_tree_mb:.0f} MB summed RSS of {cold.processes} processes "
            f"(PSS {cold.peak_tree_pss_mb:.0f} MB); main process {cold.peak_main_mb:.0f} MB; each process's "
            f"own peak (VmHWM), main first: {', '.join(f'{mb:.0f}' for mb in cold.high_water_mb)} MB"
        )

        second = run_crawl(config, folder)
        again = fetches_after(database, first.last_id, article_urls)
        print("\nsecond cycle, nothing new:")
        print(f"  rasd said: {second.output.strip().splitlines()[-1] if second.output.strip() else '(nothing)'}")
        print(f"  requests: {again.total} ({again.by_kind()})")
        print(f"  article pages downloaded: {again.article_pages} (requests for an article's URL, whatever their kind)")
        print(f"  wall time: {second.wall:.1f} s; CPU {second.cpu:.1f} s; peak memory {second.peak_tree_mb:.0f} MB")

    options = dict(rasd.extract.body.PRECISION_OPTIONS)  # the project's own choice, read where it is made
    print(f"\nbare extraction, one process, same {len(pages)} pages:")
    bare = time_pages(
        f"trafilatura.extract with the project's options {options}",
        pages,
        lambda url, body: trafilatura.extract(body, url=url, **options),
    )
    default = time_pages(
        "trafilatura.extract with trafilatura's defaults", pages, lambda url, body: trafilatura.extract(body, url=url)
    )
    fetched_at = datetime.now(UTC)
    whole = time_pages(
        "extract.extract_article (the project's whole extraction step)",
        pages,
        lambda url, body: extract_article(body, url, fetched_at),
    )
    print(
        f"  ratio end-to-end / bare: {end_to_end / bare:.2f} (project options), {end_to_end / default:.2f} (defaults); "
        f"end-to-end / extract_article in one process: {end_to_end / whole:.2f}"
    )
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    print("\ntargets:")
    print(
        f"  {verdict(end_to_end >= bare)} throughput ≥ bare single-process extraction: "
        f"{end_to_end:.1f} pages/s end to end vs {bare:.1f} pages/s bare (ratio {end_to_end / bare:.2f})"
    )
    print(
        f"  {verdict(again.article_pages == 0)} no article page on the no-news cycle: "
        f"{again.article_pages} article pages of {again.total} requests"
    )
    print(
        f"  {verdict(cold.peak_tree_mb < MEMORY_TARGET_MB)} peak memory < {MEMORY_TARGET_MB} MB: "
        f"{cold.peak_tree_mb:.0f} MB (process tree, summed RSS), main process {cold.peak_main_mb:.0f} MB"
    )
    if stored < len(pages):
        print(f"  note: the cold cycle stored {stored} of {len(pages)} articles")
    if args.keep:
        print(f"kept: {folder}")
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
