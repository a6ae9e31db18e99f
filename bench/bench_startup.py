"""Command start-up: how long `rasd --version`, `--help`, `status`, `search`, `explain`, `digest --dry-run`
and `label` take, end to end, on a store of realistic size (issue 16: "a command imports only what it uses").

    .venv/bin/python bench/bench_startup.py                      # fills a 10,000-article store first (~2 min)
    .venv/bin/python bench/bench_startup.py --keep               # … and keeps it (its folder is printed)
    .venv/bin/python bench/bench_startup.py --dir /tmp/rasd-startup-xxxx --runs 7    # that store again
    .venv/bin/python bench/bench_startup.py --rasd ../old/.venv/bin/rasd --rasd .venv/bin/rasd   # two installs
    .venv/bin/python bench/bench_startup.py --dir … --only search --only explain     # those commands only

The store is filled as bench/bench_store_growth.py fills one (generated Arabic text over 100 sources, 10% of
it rewritten copies), with a config naming it and one daily subscription (for `digest --dry-run`). Each
command is run once to warm up, then `--runs` times as `rasd` runs it (the console script, a new process each
time; Python's bytecode kept, in the bench's folder, as on a user's machine); the table
gives wall seconds (min, median, max) and the median CPU seconds (user + system) of the process, then, from
one more run under `python -X importtime`, the libraries that took the most of its imports (their modules'
own import times added up). `label` writes a verdict: it runs only on the bench's own store.

With several `--rasd` (say an install of an older commit, then this one), their runs alternate, so that a
change of the machine's load weighs on each alike; the last column is each one's median wall time over
the first's.

Figures depend on the machine and its load (printed): compare ratios and ranges, never one run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_store_growth import SOURCES, Grouping, Writer, bulk_fill, fill_pragmas  # noqa: E402

RASD = Path(sys.executable).with_name("rasd")  # this checkout's, by default
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)$")


def write_config(folder: Path, url: str) -> list[Any]:
    """`folder`/rasd.toml: the store at `url`, bench_store_growth's sources and one daily subscription; the
    sources."""
    from rasd.config import Source

    lines = [f'timezone = "Africa/Casablanca"\n\n[storage]\nurl = "{url}"\n']
    lines.append('[[subscriptions]]\nname = "bench"\nemail = "bench@example.org"\nfrequency = "daily"\n')
    sources = [Source(name=name, url=f"https://{name.lower().replace(' ', '')}.example/") for name in SOURCES]
    lines += [f'[[sources]]\nname = "{source.name}"\nurl = "{source.url}"\n' for source in sources]
    (folder / "rasd.toml").write_text("\n".join(lines), encoding="utf-8")
    return sources


def build(folder: Path, articles: int) -> None:
    """A config and a store of `articles` generated articles in `folder`."""
    from sqlalchemy import event

    from rasd.storage import Store

    sources = write_config(folder, "sqlite:///rasd.db")
    fill = Store(f"sqlite:///{folder / 'rasd.db'}")
    event.listen(fill.engine, "connect", fill_pragmas)
    fill.engine.dispose()
    fill.sync_sources(sources)
    bulk_fill(fill, Writer(3000), articles, {}, Grouping())
    fill.close()


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit code of one `rasd` process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, process.returncode


def heaviest_imports(args: list[str], env: dict[str, str], top: int = 4) -> str:
    """The libraries whose modules took the most import time in one run (`-X importtime`), in ms."""
    script = "import sys; from rasd.monitor.start import main; sys.argv[0] = 'rasd'; main()"
    python = Path(args[0]).with_name("python")  # the interpreter of that install
    result = subprocess.run(
        [str(python), "-X", "importtime", "-c", script, *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    by_library: Counter[str] = Counter()
    for line in result.stderr.splitlines():
        if match := IMPORT_LINE.match(line):
            by_library[match.group(3).split(".")[0]] += int(match.group(1))
    total = sum(by_library.values()) / 1000
    parts = ", ".join(f"{name} {micro / 1000:.0f}" for name, micro in by_library.most_common(top))
    return f"{total:.0f} ms: {parts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, help="a folder a --keep run left (its rasd.toml and rasd.db)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles in a new store")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command")
    parser.add_argument("--keep", action="store_true", help="keep the new store's folder")
    parser.add_argument("--rasd", type=Path, action="append", help="a rasd console script to run (repeatable)")
    parser.add_argument("--only", action="append", help="only this command, by its first word (repeatable)")
    options = parser.parse_args()
    if options.dir is not None:
        missing = [name for name in ("rasd.toml", "rasd.db") if not (options.dir / name).is_file()]
        if missing:
            parser.error(
                f"--dir {options.dir}: no {' or '.join(missing)} there; give the folder a --keep run printed "
                "(`kept: …`), or leave --dir out to fill a new store"
            )
    folder = options.dir or Path(tempfile.mkdtemp(prefix="rasd-startup-"))
    if options.dir is None:
        started = time.perf_counter()
        build(folder, options.articles)
        print(f"filled {folder} with {options.articles} articles in {time.perf_counter() - started:.0f} s")
    import sqlite3

    try:
        with sqlite3.connect(f"file:{folder / 'rasd.db'}?mode=ro", uri=True) as db:
            stored, newest = db.execute("SELECT count(*), max(id) FROM articles").fetchone()
    except sqlite3.Error as error:
        parser.error(f"--dir {folder}: rasd.db there is not a Rasd store ({error}); give a folder a --keep run left")
    if newest is None:
        parser.error(f"--dir {folder}: rasd.db there holds no article; give a folder a --keep run left")
    # Compiled bytecode kept, as on a user's machine (pip compiles an installed wheel; an editable install
    # writes its own on the first run): a shell with PYTHONDONTWRITEBYTECODE (this workplace's) would otherwise
    # time compiling Rasd's modules from source at every run. Kept in the bench's folder, filled by a warm-up.
    env = {**os.environ, "RASD_CONFIG": str(folder / "rasd.toml"), "RASD_USER": "bench"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    commands = [
        ["--version"],
        ["--help"],
        ["status"],
        ["search", "المغرب"],
        ["explain", str(newest)],
        ["digest", "--dry-run"],
        ["label", str(newest), "sse"],
    ]
    commands = [command for command in commands if options.only is None or command[0] in options.only]
    installs = [path.absolute() for path in options.rasd or [RASD]]
    print(f"{stored} stored articles; load average {os.getloadavg()[0]:.2f} at the start; {options.runs} runs each")
    for number, install in enumerate(installs, 1):
        print(f"rasd {number}: {install}")
    print(f"{'command':<22} {'':<6} {'wall s (min median max)':>24} {'CPU s':>6}  {'imports (one run, ms)':<58} ratio")
    for command in commands:
        runs: dict[Path, list[tuple[float, float, int]]] = {install: [] for install in installs}
        for install in installs:
            run_once([str(install), *command], env)  # the warm-up: bytecode written, files in the page cache
        for _ in range(options.runs):
            for install in installs:
                runs[install].append(run_once([str(install), *command], env))
        first = statistics.median(wall for wall, _, _ in runs[installs[0]])
        for number, install in enumerate(installs, 1):
            walls = sorted(wall for wall, _, _ in runs[install])
            failed = {code for _, _, code in runs[install] if code != 0}
            note = f"  (exit {sorted(failed)})" if failed else ""
            imports = heaviest_imports([str(install), *command], env)
            print(
                f"{' '.join(command):<22} rasd {number} {walls[0]:>8.2f} {statistics.median(walls):>7.2f}"
                f" {walls[-1]:>7.2f} {statistics.median(cpu for _, cpu, _ in runs[install]):>6.2f}  {imports:<58}"
                f" {statistics.median(walls) / first:.2f}{note}"
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if options.keep or options.dir is not None:
        print(f"kept: {folder}")
    else:
        shutil.rmtree(folder)  # the store, its config, and the bytecode folder the runs compiled into


if __name__ == "__main__":
    main()
