"""Classifier speed: articles per second on one core over the dev corpus (read in place).

    python bench/bench_classifier.py [CORPUS_DIR_OR_JSONL ...] [--rounds N]

Corpus as for ``bench/eval_classifier.py`` (arguments, ``$RASD_CORPUS``, ``../shared/corpus``). The first
round is reported apart: it fills the word-analysis cache, as the first minutes of a crawl would; later
rounds are the steady state for articles seen before; the last line times articles the cache has not
seen, after warming it on the other half of the corpus (closest to a running crawler). Prints figures;
never fails on timing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.eval_classifier import corpus_files, read_rows  # noqa: E402
from rasd.classify import load_classifier  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    if not files:
        print("corpus not found (give a path, set RASD_CORPUS, or put it in ../shared/corpus): skipped")
        return 0
    items = [(str(r.get("title") or ""), str(r.get("text") or ""), r.get("lang")) for r in read_rows(files)]
    chars = sum(len(t) + len(x) for t, x, _ in items) / len(items)

    started = time.perf_counter()
    classifier = load_classifier(seeds_dir=REPO / "seeds")
    print(f"load_classifier: {time.perf_counter() - started:.3f} s ({len(classifier.seeds)} seeds)")
    print(f"{len(items)} articles, {chars:.0f} characters on average")

    rates = []
    for round_number in range(1, args.rounds + 1):
        started = time.process_time()
        for title, text, lang in items:
            classifier.classify(title, text, lang)
        elapsed = time.process_time() - started
        rate = len(items) / elapsed
        rates.append(rate)
        label = "cold cache" if round_number == 1 else "warm"
        print(f"round {round_number} ({label}): {rate:,.0f} articles/s (CPU time, one core)")
    steady = sorted(rates[1:] or rates)[len(rates[1:] or rates) // 2]
    print(f"steady state, articles seen before (median of warm rounds): {steady:,.0f} articles/s/core")

    # Unseen articles with a lived-in cache: warm a fresh classifier on every other article, time the rest
    # (their words are partly new, as for each new day's news).
    fresh = load_classifier(seeds_dir=REPO / "seeds")
    for title, text, lang in items[::2]:
        fresh.classify(title, text, lang)
    unseen = items[1::2]
    started = time.process_time()
    for title, text, lang in unseen:
        fresh.classify(title, text, lang)
    rate = len(unseen) / (time.process_time() - started)
    print(f"unseen articles, cache warmed on the other half: {rate:,.0f} articles/s/core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
