"""Classifier cost in instructions a story (valgrind's cachegrind): the figure a loaded machine does not change.

    python bench/count_classifier.py [CORPUS_DIR_OR_JSONL ...] [--seen]

Timings on the shared machine move by a third with its load (``bench/bench_classifier.py`` prints them, read
as ratios within alternating pairs); instruction counts do not, so every pass of the README's "Classifier
speed" compares them. This is that count, the same way each time:

- *unseen* (the default, issue 19's case): a classifier warmed on the corpus's even half classifies the odd
  half; *seen before* (``--seen``): the whole corpus a second time, every word cached;
- each counted under cachegrind twice, once with the story work to count and once without it (the warm-up
  only), and the difference divided by the stories counted: start-up, imports and the warm-up drop out;
- ``PYTHONHASHSEED=0`` (string hashes, and with them dict probing, the same in every run) and
  ``OPENBLAS_NUM_THREADS=1`` (idle BLAS threads add a few million instructions that vary from run to run);
- the kept classifier (``classify/kept.py``) is built before, outside valgrind, so both runs read it, and
  the second opinion's model is read before the warm-up: it is read on first use, by whichever story first
  scores in its band, and a change that moved that story between the halves would charge ~720 M
  instructions of reading to the stories counted (the sixth pass's correction).

Two runs of the corpus under valgrind: minutes on a loaded 2-core machine; run it under ``nice``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_classifier import NO_CORPUS, Item, stories  # noqa: E402
from bench.eval_classifier import corpus_files  # noqa: E402

# cachegrind's summary line on stderr: "==123==  I   refs:      4,295,870,622"
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(report: str) -> int:
    """The instruction count of cachegrind's summary (its stderr)."""
    found = _REFS.search(report)
    if found is None:
        raise ValueError("no 'I refs' line in valgrind's output")
    return int(found.group(1).replace(",", ""))


def halves(items: list[Item], seen: bool) -> tuple[list[Item], list[Item]]:
    """(the warm-up, the stories counted)."""
    return (items, items) if seen else (items[::2], items[1::2])


def inner(items: list[Item], phase: str, seen: bool) -> None:
    """One run of the classifier as counted: ``prime`` builds the kept classifier; ``warm`` the warm-up
    only; ``full`` the warm-up and the stories counted."""
    from rasd.classify import load_classifier, second_opinion

    classifier = load_classifier(seeds_dir=REPO / "seeds")
    if phase == "prime":
        return
    second_opinion.shipped()
    warm, counted = halves(items, seen)
    for title, text, lang in warm:
        classifier.classify(title, text, lang)
    if phase == "full":
        for title, text, lang in counted:
            classifier.classify(title, text, lang)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*")
    parser.add_argument("--seen", action="store_true", help="count the corpus classified a second time")
    parser.add_argument("--inner", choices=("prime", "warm", "full"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    items = stories(args.corpus)
    if not items:
        print(NO_CORPUS)
        return 0
    if args.inner:
        inner(items, args.inner, args.seen)
        return 0
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        parser.error("valgrind is not installed (apt-get install valgrind): nothing counted")
    files = map(str, corpus_files(args.corpus))
    command = [sys.executable, str(Path(__file__).resolve()), *files, *(["--seen"] if args.seen else [])]
    environment = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run([*command, "--inner", "prime"], env=environment, check=True)
    counts = {}
    cachegrind = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    for phase in ("warm", "full"):
        counted = subprocess.run(
            [*cachegrind, *command, "--inner", phase],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        counts[phase] = instructions(counted.stderr)
    number = len(halves(items, args.seen)[1])
    kind = "seen before" if args.seen else "unseen (warmed on the even half, counting the odd)"
    print(f"warm-up only {counts['warm']:,}, with the stories counted {counts['full']:,} instructions")
    print(f"{kind}: {(counts['full'] - counts['warm']) // number:,} instructions a story ({number} stories)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
