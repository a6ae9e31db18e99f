"""Classifier speed: articles per second on one core over the dev corpus (read in place).

    python bench/bench_classifier.py [CORPUS_DIR_OR_JSONL ...] [--rounds N] [--unseen-runs K]

Corpus as for ``bench/eval_classifier.py`` (arguments, ``$RASD_CORPUS``, ``../shared/corpus``). Times are CPU
time of this process (``time.process_time``), so other work on the machine slows them only through shared
caches and clocks; the load average is printed before and after, and every figure is printed, not only the
median.

Seen before: the whole corpus classified ``--rounds`` times by one classifier. The first round is reported
apart: it fills the word-analysis cache, as the first minutes of a crawl would; the median of the later
rounds is the steady state for articles whose every word is cached.

Unseen (issue 19's target, closest to a running crawler): a fresh classifier is warmed on one half of the
corpus (every other article) and then times the other half, whose words are partly new, as each new day's
news is; then the same with the halves swapped. That pair is repeated ``--unseen-runs`` times, each with a
new classifier, and each figure is printed with their median and range. Never fails on timing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.eval_classifier import corpus_files, read_rows  # noqa: E402
from rasd.classify import Classifier, load_classifier  # noqa: E402

Item = tuple[str, str, str | None]
NO_CORPUS = "corpus not found (give a path, set RASD_CORPUS, or put it in ../shared/corpus): skipped"


def stories(arguments: list[str]) -> list[Item]:
    """The corpus's stories (as for ``bench/eval_classifier.py``) as (title, text, lang); [] when none is found."""
    rows = read_rows(corpus_files(arguments))
    return [(str(r.get("title") or ""), str(r.get("text") or ""), r.get("lang")) for r in rows]


def rate(classifier: Classifier, items: list[Item]) -> float:
    """Articles per CPU second for classifying ``items`` once."""
    started = time.process_time()
    for title, text, lang in items:
        classifier.classify(title, text, lang)
    return len(items) / (time.process_time() - started)


def load() -> str:
    return "load average " + " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over the whole corpus (seen before)")
    parser.add_argument("--unseen-runs", type=int, default=5, help="pairs of unseen halves, each pair both ways")
    args = parser.parse_args()
    items = stories(args.corpus)
    if not items:
        print(NO_CORPUS)
        return 0
    chars = sum(len(t) + len(x) for t, x, _ in items) / len(items)
    print(f"{load()} (start)")

    started = time.perf_counter()
    classifier = load_classifier(seeds_dir=REPO / "seeds")
    print(f"load_classifier: {time.perf_counter() - started:.3f} s ({len(classifier.seeds)} seeds)")
    print(f"{len(items)} articles, {chars:.0f} characters on average")

    rates = []
    for round_number in range(1, args.rounds + 1):
        rates.append(rate(classifier, items))
        label = "cold cache" if round_number == 1 else "warm"
        print(f"round {round_number} ({label}): {rates[-1]:,.0f} articles/s (CPU time, one core)")
    warm = rates[1:] or rates
    print(f"seen before (median of warm rounds): {statistics.median(warm):,.0f} articles/s/core")

    halves = {"even": items[::2], "odd": items[1::2]}
    unseen = []
    for run in range(1, args.unseen_runs + 1):
        for warmed, timed in (("even", "odd"), ("odd", "even")):
            fresh = load_classifier(seeds_dir=REPO / "seeds")
            for title, text, lang in halves[warmed]:
                fresh.classify(title, text, lang)
            unseen.append(rate(fresh, halves[timed]))
            print(
                f"unseen run {run}, warmed on the {warmed} half, timing the {timed} ({len(halves[timed])}): "
                f"{unseen[-1]:,.0f} articles/s/core"
            )
    print(
        f"unseen articles, cache warmed on the other half: median {statistics.median(unseen):,.0f} articles/s/core "
        f"(range {min(unseen):,.0f}–{max(unseen):,.0f}, {len(unseen)} timings)"
    )
    print(f"{load()} (end)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
