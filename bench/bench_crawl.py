"""End-to-end crawl benchmark: Rasd and trafilatura's own CLI on the same generated web, in the same run.

    .venv/bin/python bench/bench_crawl.py [--sites 20] [--pages 2000] [--runs 3] [--keep]
    .venv/bin/python bench/bench_crawl.py --sites 4 --pages 50 --runs 1 --no-bare   # a quick run
    .venv/bin/python bench/bench_crawl.py --pages 8000 --runs 1 --no-peer --no-bare  # memory as the web grows
    .venv/bin/python bench/bench_crawl.py --profile /tmp/prof --runs 1 --no-peer     # where Rasd's CPU goes
    .venv/bin/python bench/bench_crawl.py --compare ../main --runs 4 --no-bare       # this checkout against another

Needs only the project's own dependencies (`make demo` installs them); memory is read from /proc (Linux).

Serves the generated web of bench/crawlweb.py (WordPress-like Arabic and French sites on 127.0.0.100+: RSS,
Atom, sitemap-only and listing-only, two in windows-1256, 40–100 KB pages) and, `--runs` times, alternating
which goes first:
- Rasd: a cold `rasd crawl` in a subprocess, as cron would run it, on a fresh store (config, SQLite and
  outbox in a temporary folder, loopback allowed, no politeness delay, no SMTP): it finds the articles
  itself (feeds, sitemaps, listings), downloads, extracts, classifies, groups near-duplicates and stores;
- the peer: trafilatura's own command line handed the list of article URLs, with metadata, JSON files
  written to a folder (its config file turns its SSRF protection off for loopback and its per-host sleep
  to 0, as Rasd's delay is 0): it downloads and extracts only.
For each: requests counted at the server (robots.txt apart), wall time, CPU per article page (user +
system of the process and its workers, from getrusage(RUSAGE_CHILDREN); Rasd's split into its main process,
the Scrapy reactor and storage, and its extraction workers), peak memory (RSS of the process tree sampled
every 0.1 s: the peak of the sum, and of the main process alone); then Rasd's CPU per page over the peer's,
each run and all together. After the runs:
- a second Rasd cycle with nothing new: requests at the server and in the `fetches` table, and how many
  were for article pages;
- bare extraction (`--no-bare` leaves it out): `trafilatura.extract` alone, in this one process, over the
  same article pages — with the project's options and with trafilatura's defaults — and `extract_article`.
`--compare CHECKOUT` runs another checkout's Rasd (its own `.venv`, e.g. main in a worktree) in every run
as well, in turn first, on the same web: its figures, its ratio to the peer, and this checkout's CPU per
page over its own. Then one PASS/MISS line per target (issues 3 and 16). Prints figures and exits 0 even
when a target is missed. `--profile DIR` runs every Python process of the Rasd crawl under cProfile (a
sitecustomize hook on PYTHONPATH), writes DIR/<pid>.prof and prints each process's heaviest functions:
profiling adds its own cost, so its CPU figures are not the crawl's.
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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
CPU_RATIO_TARGET = 0.8  # Rasd's CPU per page over trafilatura's CLI (issue 16)
TRAFILATURA_CONFIG = """[DEFAULT]
DOWNLOAD_TIMEOUT = 30
MAX_FILE_SIZE = 20000000
MIN_FILE_SIZE = 10
SLEEP_TIME = 0
USER_AGENTS =
COOKIE =
MAX_REDIRECTS = 2
SSRF_PROTECTION = off
INSECURE_SSL_FALLBACK = on
MIN_EXTRACTED_SIZE = 250
MIN_OUTPUT_SIZE = 1
MIN_OUTPUT_COMM_SIZE = 1
MAX_TREE_SIZE =
EXTRACTION_TIMEOUT = 30
MIN_DUPLCHECK_SIZE = 100
MAX_REPETITIONS = 2
EXTENSIVE_DATE_SEARCH = on
EXTERNAL_URLS = off
"""  # trafilatura 2.3's settings.cfg with two changes: SLEEP_TIME 5.0 → 0, SSRF_PROTECTION on → off
# CPU time, not wall time: a crawl's processes spend most of their wall time waiting for one another.
PROFILE_HOOK = """import atexit, cProfile, os, time
_profile = cProfile.Profile(time.process_time)
_profile.enable()
atexit.register(lambda: (_profile.disable(), _profile.dump_stats(
    os.path.join(os.environ["RASD_BENCH_PROFILE"], f"{os.getpid()}.prof"))))
"""


@dataclass
class Run:
    """One measured subprocess (and its children), seen from outside."""

    wall: float
    cpu: float  # user + system seconds of the process and its children
    peak_tree_mb: float  # peak of the summed RSS of the process tree
    peak_tree_pss_mb: float  # the same in PSS (shared pages divided among the processes sharing them)
    peak_main_mb: float
    high_water_mb: list[float]  # each process's own peak RSS (VmHWM), the main process first
    processes: int  # most processes seen at once
    children_cpu: float  # of the processes below the main one, last seen in /proc (they are idle at the end)
    sampler_cpu: float  # what the memory sampling cost this process
    output: str

    @property
    def main_cpu(self) -> float:
        """The main process's own CPU: all of it but its children's (which are idle when it finishes)."""
        return self.cpu - self.children_cpu


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


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None, repo: Path = REPO) -> Run:
    """`command` in a subprocess (`repo` on its PYTHONPATH), with the process tree's memory and CPU sampled
    every 0.1 s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(repo), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    own_peaks: dict[int, float] = {}  # each process's own high-water mark (VmHWM), spikes between samples too
    children_cpu: dict[int, float] = {}
    peaks = {"tree": 0.0, "pss": 0.0, "main": 0.0, "processes": 0.0, "sampler_cpu": 0.0}

    def sample() -> None:
        rounds = 0
        while process.poll() is None:
            children = descendants(process.pid)
            pids = [process.pid, *children]
            readings = [memory_mb(pid) for pid in pids]
            sizes = [now for now, _ in readings]
            for pid, (_, high) in zip(pids, readings, strict=True):
                own_peaks[pid] = max(own_peaks.get(pid, 0.0), high)
            for pid in children:
                children_cpu[pid] = max(children_cpu.get(pid, 0.0), cpu_seconds(pid))
            peaks["tree"] = max(peaks["tree"], sum(sizes))
            if rounds % 10 == 0:  # smaps_rollup walks the page tables: once a second is enough
                peaks["pss"] = max(peaks["pss"], sum(map(pss_mb, pids)))
            peaks["main"] = max(peaks["main"], sizes[0])
            peaks["processes"] = max(peaks["processes"], len(pids))
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
        sum(children_cpu.values()),
        peaks["sampler_cpu"],
        output,
    )


def run_rasd(config: Path, cwd: Path, profile: Path | None = None, checkout: Path | None = None) -> Run:
    """`rasd --config CONFIG crawl`, as cron runs it; under cProfile, every process of it, with `profile`;
    another checkout's, with its own interpreter, with `checkout`."""
    if checkout is not None:
        python = str(checkout / ".venv" / "bin" / "python")
        return run_measured([python, "-m", "rasd.monitor", "--config", str(config), "crawl"], cwd, repo=checkout)
    env = {}
    if profile is not None:
        hook = profile / "hook"
        hook.mkdir(parents=True, exist_ok=True)
        (hook / "sitecustomize.py").write_text(PROFILE_HOOK)
        env = {"PYTHONPATH": f"{hook}{os.pathsep}{REPO}", "RASD_BENCH_PROFILE": str(profile)}
    return run_measured([sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl"], cwd, env)


def run_trafilatura(urls: Path, config: Path, output: Path) -> Run:
    """trafilatura's own CLI on a URL list, with metadata, one JSON file per page into `output`."""
    command = [str(Path(sys.executable).with_name("trafilatura")), "-i", str(urls), "--with-metadata", "--json"]
    command += ["--config-file", str(config), "-o", str(output)]
    return run_measured(command, output.parent)


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
    """The benchmark's config: everything in `folder`, loopback allowed, no delay, no time budget, no SMTP
    (outbox)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "rasd.toml"
    config.write_text(
        f'outbox = "{folder / "outbox"}"\n'
        f'[storage]\nurl = "sqlite:///{folder / "rasd.db"}"\n'
        "[crawler]\nallow_private_networks = true\ndownload_delay = 0.0\nautothrottle = false\n"
        # a loaded machine must not cut the cold cycle short (the default gives a site 240 s)
        f"max_pages_per_source = {per_source}\nsource_time_budget = 3600\n"
        f'[classifier]\nseeds_dir = "{REPO / "seeds"}"\n\n' + web.sources_toml(),
        encoding="utf-8",
    )
    return config


def time_pages(label: str, pages: list[tuple[str, bytes]], function: Callable[[str, bytes], object]) -> float:
    """Pages per second of `function(url, body)` over `pages`, in this one process."""
    started = time.process_time()
    wall_started = time.perf_counter()
    for url, body in pages:
        function(url, body)
    cpu, wall = time.process_time() - started, time.perf_counter() - wall_started
    rate = len(pages) / wall
    print(
        f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU → {rate:.1f} pages/s "
        f"({1000 * cpu / len(pages):.1f} ms CPU/page)"
    )
    return rate


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def requests_line(counted: dict[str, int]) -> str:
    return f"{sum(counted.values())} at the server ({counted.get('robots', 0)} for robots.txt)"


def memory_line(run: Run) -> str:
    return (
        f"{run.peak_tree_mb:.0f} MB summed RSS of {run.processes} process(es) (PSS {run.peak_tree_pss_mb:.0f} MB); "
        f"main process {run.peak_main_mb:.0f} MB; each process's own peak (VmHWM), main first: "
        f"{', '.join(f'{mb:.0f}' for mb in run.high_water_mb)} MB"
    )


def print_profiles(folder: Path, top: int = 30) -> None:
    """Each profiled process's heaviest functions by own time, and by time including callees."""
    for path in sorted(folder.glob("*.prof"), key=lambda p: p.stat().st_size, reverse=True):
        stats = pstats.Stats(str(path))
        total = getattr(stats, "total_tt", 0.0)
        print(f"\nprofile {path.name}: {total:.1f} s profiled")
        for order in ("tottime", "cumulative"):
            print(f"  by {order}:")
            stats.sort_stats(order)
            for func in stats.fcn_list[:top]:  # type: ignore[attr-defined]
                _, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
                name = f"{Path(func[0]).name}:{func[1]}({func[2]})"
                print(f"    {tt:7.2f} {ct:7.2f} {nc:8d}  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=2000, help="article pages in all, shared among the sites")
    parser.add_argument("--runs", type=int, default=3, help="Rasd and the peer, alternately, this many times each")
    parser.add_argument("--first-host", type=int, default=100, help="site i serves on 127.0.0.(FIRST_HOST + i)")
    parser.add_argument("--no-peer", action="store_true", help="leave trafilatura's CLI out")
    parser.add_argument("--no-bare", action="store_true", help="leave the bare in-process extraction out")
    parser.add_argument("--profile", type=Path, help="profile Rasd's processes into this folder (cProfile)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, configs)")
    parser.add_argument("--compare", type=Path, help="another Rasd checkout (with its .venv) run beside this one")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC; trafilatura {trafilatura.__version__}")
    folder = Path(tempfile.mkdtemp(prefix="rasd-bench-crawl-"))
    rendering = time.perf_counter()
    ratios: list[float] = []
    rasd_runs: list[tuple[Run, int, dict[str, int]]] = []
    other_runs: list[tuple[Run, int, dict[str, int]]] = []  # --compare's
    against: list[float] = []  # this checkout's CPU per page over the other's, each run
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
        print(
            f"rasd: config max_pages_per_source = {per_source}, download_delay = 0, autothrottle off, "
            "source_time_budget = 3600"
        )
        urls = folder / "urls.txt"
        urls.write_text("".join(url + "\n" for url in web.article_urls()))
        peer_config = folder / "trafilatura.cfg"
        peer_config.write_text(TRAFILATURA_CONFIG)
        peer_command = f"trafilatura -i {urls.name} --with-metadata --json --config-file {peer_config.name} -o DIR"
        if not args.no_peer:
            print(f"peer: {peer_command} (SLEEP_TIME = 0, SSRF_PROTECTION = off)")

        database = folder / "run1" / "rasd.db"
        for number in range(1, args.runs + 1):
            whose = ["rasd", "other", "peer"] if args.compare else ["rasd", "peer"]
            order = whose[(number - 1) % len(whose) :] + whose[: (number - 1) % len(whose)]
            figures: dict[str, float] = {}
            for who in order:
                if who == "peer" and args.no_peer:
                    continue
                web.requests(reset=True)
                server_cpu = time.process_time()
                if who in ("rasd", "other"):
                    run_folder = folder / f"{'run' if who == 'rasd' else 'other'}{number}"
                    config = write_config(run_folder, web, per_source)
                    if who == "rasd":
                        run = run_rasd(config, run_folder, args.profile if number == 1 else None)
                    else:
                        run = run_rasd(config, run_folder, checkout=args.compare)
                    server_cpu = time.process_time() - server_cpu - run.sampler_cpu
                    counted = web.requests()
                    stored = stored_articles(run_folder / "rasd.db")
                    (rasd_runs if who == "rasd" else other_runs).append((run, stored, counted))
                    figures[who] = run.cpu / max(stored, 1)
                    said = run.output.strip().splitlines()
                    checkout = "" if who == "rasd" else f" of {args.compare}"
                    print(f"\nrun {number}, Rasd{checkout} (cold `rasd crawl`, fresh store):")
                    print(f"  rasd said: {said[-1] if said else '(nothing)'}")
                    for line in said[:-1][:5]:
                        print(f"  rasd: {line}")
                    print(f"  requests: {requests_line(counted)}; articles stored: {stored} of {len(pages)}")
                    print(
                        f"  wall {run.wall:.1f} s ({stored / run.wall:.1f} pages/s); CPU {run.cpu:.1f} s → "
                        f"{1000 * run.cpu / max(stored, 1):.1f} ms per page (main process "
                        f"{1000 * run.main_cpu / max(stored, 1):.1f}, workers "
                        f"{1000 * run.children_cpu / max(stored, 1):.1f}), {run.cpu / run.wall:.2f} cores busy"
                    )
                else:
                    output = folder / f"peer{number}"
                    run = run_trafilatura(urls, peer_config, output)
                    server_cpu = time.process_time() - server_cpu - run.sampler_cpu
                    counted = web.requests()
                    written = len(list(output.rglob("*.json"))) if output.exists() else 0
                    figures["peer"] = run.cpu / len(pages)
                    print(f"\nrun {number}, trafilatura's CLI ({len(pages)} URLs handed to it):")
                    if run.output.strip():
                        print(f"  it said: {run.output.strip().splitlines()[-1][:200]}")
                    print(f"  requests: {requests_line(counted)}; JSON documents written: {written} of {len(pages)}")
                    print(
                        f"  wall {run.wall:.1f} s ({len(pages) / run.wall:.1f} pages/s); CPU {run.cpu:.1f} s → "
                        f"{1000 * run.cpu / len(pages):.1f} ms per page, {run.cpu / run.wall:.2f} cores busy"
                    )
                print(f"  peak memory: {memory_line(run)}")
                print(f"  this process meanwhile: web server {server_cpu:.1f} s CPU, sampling {run.sampler_cpu:.1f} s")
            if "peer" in figures:
                ratios.append(figures["rasd"] / figures["peer"])
                print(
                    f"  → run {number}: Rasd {1000 * figures['rasd']:.1f} ms/page, trafilatura CLI "
                    f"{1000 * figures['peer']:.1f} ms/page: ratio {ratios[-1]:.2f}"
                )
            if "other" in figures:
                against.append(figures["rasd"] / figures["other"])
                peer = figures.get("peer")
                other_ratio = f", its ratio to the CLI {figures['other'] / peer:.2f}" if peer else ""
                print(
                    f"  → run {number}: the other checkout {1000 * figures['other']:.1f} ms/page{other_ratio}; "
                    f"this one over it {against[-1]:.2f}"
                )

        first = fetches_after(database, 0, article_urls)
        web.requests(reset=True)
        second = run_rasd(folder / "run1" / "rasd.toml", folder / "run1")
        counted = web.requests()
        again = fetches_after(database, first.last_id, article_urls)
        print("\nsecond cycle on run 1's store, nothing new:")
        print(f"  rasd said: {second.output.strip().splitlines()[-1] if second.output.strip() else '(nothing)'}")
        print(f"  requests: {requests_line(counted)}; in the fetches table {again.total} ({again.by_kind()})")
        print(f"  article pages downloaded: {again.article_pages} (requests for an article's URL, whatever their kind)")
        print(f"  wall time: {second.wall:.1f} s; CPU {second.cpu:.1f} s; peak memory {second.peak_tree_mb:.0f} MB")

    cold, stored, _ = rasd_runs[0]
    end_to_end = stored / cold.wall
    bare = None
    if not args.no_bare:
        options = dict(rasd.extract.body.PRECISION_OPTIONS)  # the project's own choice, read where it is made
        print(f"\nbare extraction, one process, same {len(pages)} pages:")
        bare = time_pages(
            f"trafilatura.extract with the project's options {options}",
            pages,
            lambda url, body: trafilatura.extract(body, url=url, **options),
        )
        default = time_pages(
            "trafilatura.extract with trafilatura's defaults",
            pages,
            lambda url, body: trafilatura.extract(body, url=url),
        )
        fetched_at = datetime.now(UTC)
        whole = time_pages(
            "extract.extract_article (the project's whole extraction step)",
            pages,
            lambda url, body: extract_article(body, url, fetched_at),
        )
        print(
            f"  ratio end-to-end (run 1) / bare: {end_to_end / bare:.2f} (project options), "
            f"{end_to_end / default:.2f} (defaults); end-to-end / extract_article in one process: "
            f"{end_to_end / whole:.2f}"
        )
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    print("\ntargets:")
    if ratios:
        print(
            f"  {verdict(max(ratios) <= CPU_RATIO_TARGET)} CPU per page ≤ {CPU_RATIO_TARGET}× trafilatura's CLI: "
            f"ratios {', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})"
        )
    if bare is not None:
        print(
            f"  {verdict(end_to_end >= bare)} throughput ≥ bare single-process extraction: "
            f"{end_to_end:.1f} pages/s end to end vs {bare:.1f} pages/s bare (ratio {end_to_end / bare:.2f})"
        )
    print(
        f"  {verdict(again.article_pages == 0)} no article page on the no-news cycle: "
        f"{again.article_pages} article pages of {sum(counted.values())} requests"
    )
    peak = max(run.peak_tree_mb for run, _, _ in rasd_runs)
    print(
        f"  {verdict(peak < MEMORY_TARGET_MB)} peak memory < {MEMORY_TARGET_MB} MB: {peak:.0f} MB "
        f"(process tree, summed RSS, highest of the runs), main process "
        f"{max(run.peak_main_mb for run, _, _ in rasd_runs):.0f} MB"
    )
    if against:
        print(
            f"  this checkout's CPU per page over {args.compare}'s: {', '.join(f'{r:.2f}' for r in against)} "
            f"(median {statistics.median(against):.2f}); its main process's peak "
            f"{', '.join(f'{run.peak_main_mb:.0f}' for run, _, _ in rasd_runs)} MB against "
            f"{', '.join(f'{run.peak_main_mb:.0f}' for run, _, _ in other_runs)} MB"
        )
    for number, (_, stored, _) in enumerate(rasd_runs, 1):
        if stored < len(pages):
            print(f"  note: Rasd's run {number} stored {stored} of {len(pages)} articles")
    if args.profile is not None:
        print_profiles(args.profile)
    if args.keep:
        print(f"kept: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
