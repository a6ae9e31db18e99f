"""Evaluate the classifier on the labelled development corpus, read in place (never copied into the repo).

    python bench/eval_classifier.py [CORPUS_DIR_OR_JSONL ...] [--threshold T] [--sweep] [--seed-loo]

Corpus: the arguments, else ``$RASD_CORPUS``, else ``../shared/corpus`` next to the repository, plus the
stories written for the project (``bench/written*.jsonl``: error kinds, hard ones, regions, and two pairs of
writers' ordinary days of news with hard cases, ``written_stream_ar/fr`` and ``written_stream2_ar/fr``; the fourth,
fifth, seventh, eighth, ninth, tenth, eleventh and twelfth passes' kinds, ``written_kinds4`` …
``written_kinds11``, and opinion14's, ``written_kinds14``) and the blind set (``bench/holdout.jsonl``); a directory
means every ``*.jsonl`` in it. ``bench/written_kinds10_heldout.jsonl``, ``bench/written_kinds11_heldout.jsonl`` and
``bench/written_kinds14_heldout.jsonl`` are left out on purpose: stories written for those passes and set aside, which
the second opinion was not fitted on (``python bench/eval_classifier.py bench/written_kinds11_heldout.jsonl``); no rule
was changed for the first two, while opinion14 read its set-aside stories' misses before writing its phrases (a fifth
of the pass, chosen by a hash of the id), so that set measures the model, not the rules. Prints precision, recall
and F1 for SSE, and region accuracy (SSE rows with gold regions: predicted first region in the gold set,
and exact set), per language and overall — once on every row, once without the ``seed-*`` rows (they are the stories in
``seeds/``, so their seed similarity is trivially high) — then the misclassified ids.
``--sweep`` prints F1 by threshold (seed rows left out) and the threshold it would choose; ``--cv K``
chooses it on K−1 folds (by id hash) and measures it on the fold left out, for each fold.
``--seed-loo`` scores each seed row with a classifier built without that seed (a fairer view of seeds).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rasd.classify import Classification, load_classifier  # noqa: E402
from rasd.classify.similarity import read_seeds  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


@dataclass
class Row:
    id: str
    lang: str
    sse: bool
    regions: list[str] | None
    result: Classification
    file: str = ""
    stream: bool = False  # an ordinary day's story (``note`` "stream: …"), counted for false alarms per 1,000


def held_out(row_id: str) -> bool:
    """The fixed held-out split: three rows in ten, chosen by a hash of the id (never by their content),
    so tuning looks at the other seven and the split stays the same as rows are added."""
    return int(hashlib.sha1(row_id.encode("utf-8")).hexdigest(), 16) % 10 < 3


PROJECT_ROWS = [
    REPO / "bench" / name
    for name in (
        "written.jsonl",
        "written_hard.jsonl",
        "holdout.jsonl",
        "written_regions.jsonl",
        "written_stream_ar.jsonl",
        "written_stream_fr.jsonl",
        "written_stream2_ar.jsonl",
        "written_stream2_fr.jsonl",
        "written_kinds4.jsonl",
        "written_kinds5.jsonl",
        "written_kinds6.jsonl",
        "written_kinds7.jsonl",
        "written_kinds8.jsonl",
        "written_kinds9.jsonl",
        "written_kinds10.jsonl",
        "written_kinds11.jsonl",
        "written_kinds14.jsonl",
    )
]


def corpus_files(arguments: list[str], project_rows: bool = False) -> list[Path]:
    """The JSONL files to read: arguments, $RASD_CORPUS, or the shared corpus; directories expanded. Without
    arguments and with `project_rows`, the project's own written and blind stories are read too."""
    sources = arguments or [os.environ.get("RASD_CORPUS", str(DEFAULT_CORPUS))]
    if not arguments and project_rows and Path(sources[0]).exists():
        sources += [str(path) for path in PROJECT_ROWS]
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.exists():
            files.append(path)
    return files


def read_rows(files: Iterable[Path]) -> list[dict]:
    rows: list[dict] = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    return rows


def prf(rows: list[Row], threshold: float | None = None) -> tuple[int, int, int, float, float, float]:
    def predicted(row: Row) -> bool:
        return row.result.sse if threshold is None else row.result.score >= threshold

    tp = sum(1 for r in rows if r.sse and predicted(r))
    fp = sum(1 for r in rows if not r.sse and predicted(r))
    fn = sum(1 for r in rows if r.sse and not predicted(r))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return tp, fp, fn, precision, recall, f1


def region_accuracy(rows: list[Row]) -> tuple[int, float, float]:
    graded = [r for r in rows if r.sse and r.regions]
    if not graded:
        return 0, float("nan"), float("nan")
    first = sum(1 for r in graded if r.result.regions and r.result.regions[0] in (r.regions or []))
    exact = sum(1 for r in graded if set(r.result.regions) == set(r.regions or []))
    return len(graded), first / len(graded), exact / len(graded)


def report(title: str, rows: list[Row]) -> None:
    print(f"\n== {title} ({len(rows)} rows)")
    print(
        f"{'subset':<10}{'rows':>6}{'SSE':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>8}{'R':>8}{'F1':>8}"
        f"{'reg.n':>7}{'first':>8}{'exact':>8}"
    )
    langs = sorted({r.lang for r in rows})
    for name, subset in [("overall", rows)] + [(lang, [r for r in rows if r.lang == lang]) for lang in langs]:
        tp, fp, fn, p, r, f1 = prf(subset)
        n, first, exact = region_accuracy(subset)
        positives = sum(1 for row in subset if row.sse)
        print(
            f"{name:<10}{len(subset):>6}{positives:>5}{tp:>5}{fp:>5}{fn:>5}{p:>8.3f}{r:>8.3f}{f1:>8.3f}"
            f"{n:>7}{first:>8.3f}{exact:>8.3f}"
        )
    stream = [r for r in rows if r.stream]
    if stream:
        alarms = sum(1 for r in stream if r.result.sse and not r.sse)
        quiet = sum(1 for r in stream if not r.sse)
        found = sum(1 for r in stream if r.sse and r.result.sse)
        print(
            f"stream rows {len(stream)}: SSE found {found} of {len(stream) - quiet}, false alarms {alarms} "
            f"({1000 * alarms / max(1, quiet):.1f} per 1,000 not-SSE stream stories)"
        )


def best_cut(rows: list[Row]) -> tuple[float, float, float, float, float] | None:
    """The threshold these rows support: best F1 with P >= R, at the middle of the score gap around the
    highest such cut. (threshold, F1, low, lower score, upper score), or None."""
    scores = sorted({round(r.result.score, 4) for r in rows})
    if not scores:
        return None
    cuts = [0.0] + [(a + b) / 2 for a, b in itertools.pairwise(scores)] + [scores[-1] + 0.01]
    best: list[float] = []
    top = -1.0
    for cut in cuts:
        _tp, _fp, _fn, p, r, f1 = prf(rows, cut)
        if p < r:
            continue
        if f1 > top + 1e-9:
            top, best = f1, [cut]
        elif abs(f1 - top) <= 1e-9:
            best.append(cut)
    if not best:
        return None
    high = best[-1]
    lower = max((s for s in scores if s < high), default=0.0)
    upper = min((s for s in scores if s >= high), default=1.0)
    return (lower + upper) / 2, top, best[0], lower, upper


def sweep(rows: list[Row]) -> None:
    """F1 by threshold on the non-seed rows, and the middle of the widest gap among the best thresholds."""
    print("\n== threshold sweep (seed rows left out)")
    for cut in [x / 20 for x in range(2, 17)]:
        _tp, fp, fn, p, r, f1 = prf(rows, cut)
        print(f"  threshold {cut:.2f}: P {p:.3f} R {r:.3f} F1 {f1:.3f} (FP {fp}, FN {fn})")
    found = best_cut(rows)
    if found:
        suggested, top, low, lower, upper = found
        print(
            f"  best F1 {top:.3f} with P >= R for thresholds from {low:.3f}; "
            f"scores around the cut: {lower:.3f} (highest below) and {upper:.3f} (lowest kept)"
        )
        print(f"  suggested threshold (middle of that gap): {suggested:.3f}")


def cross_validate(rows: list[Row], folds: int) -> None:
    """K-fold by id hash: the threshold is chosen on the other folds (best_cut) and measured on the fold
    left out, so the figures say how a threshold chosen on labelled data does on stories it did not see."""
    print(f"\n== {folds}-fold cross-validation of the threshold (seed rows left out)")
    pooled: list[tuple[Row, bool]] = []
    for fold in range(folds):

        def in_fold(row: Row, fold: int = fold) -> bool:
            return int(hashlib.sha1(row.id.encode("utf-8")).hexdigest(), 16) % folds == fold

        train = [r for r in rows if not in_fold(r)]
        test = [r for r in rows if in_fold(r)]
        found = best_cut(train)
        cut = found[0] if found else 0.5
        tp, fp, fn, p, r, _f1 = prf(test, cut)
        print(
            f"  fold {fold}: threshold {cut:.3f} chosen on {len(train)} rows; on {len(test)}: "
            f"P {p:.3f} R {r:.3f} (TP {tp}, FP {fp}, FN {fn})"
        )
        pooled.extend((row, row.result.score >= cut) for row in test)
    tp = sum(1 for row, flagged in pooled if row.sse and flagged)
    fp = sum(1 for row, flagged in pooled if not row.sse and flagged)
    fn = sum(1 for row, flagged in pooled if row.sse and not flagged)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"  pooled over the folds: P {precision:.3f} R {recall:.3f} (TP {tp}, FP {fp}, FN {fn})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*", help="corpus directory or JSONL files")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="K-fold cross-validation of the threshold")
    parser.add_argument("--seed-loo", action="store_true", help="score seed rows without their own seed")
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds")
    args = parser.parse_args()

    files = corpus_files(args.corpus, project_rows=True)
    if not files:
        print("corpus not found (give a path, set RASD_CORPUS, or put it in ../shared/corpus): skipped")
        return 0
    classifier = load_classifier(seeds_dir=args.seeds, threshold=args.threshold)
    print(
        f"corpus: {', '.join(str(f) for f in files)}; threshold {classifier.threshold}; "
        f"seeds: {len(classifier.seeds)} from {args.seeds}"
    )
    seed_names = [seed.name for seed in read_seeds(args.seeds)]

    rows: list[Row] = []
    for path in files:
        for item in read_rows([path]):
            title, text = str(item.get("title") or ""), str(item.get("text") or "")
            result = classifier.classify(title, text, item.get("lang"))
            if args.seed_loo and item["id"].startswith("seed-"):
                result = _without_own_seed(item, seed_names, args.seeds, args.threshold) or result
            lang = item.get("lang") or "und"
            stream = str(item.get("note") or "").startswith("stream")
            rows.append(Row(item["id"], lang, bool(item["sse"]), item.get("regions"), result, path.name, stream))

    report("all rows" + (" (seed rows leave-one-out)" if args.seed_loo else ""), rows)
    without = [r for r in rows if not r.id.startswith("seed-")]
    report("without seed-* rows", without)
    if len(files) > 1:
        for path in files:
            report(f"file {path.name}", [r for r in without if r.file == path.name])
    report("development split (without seed-* rows)", [r for r in without if not held_out(r.id)])
    report("held-out split (3 in 10 by id hash)", [r for r in without if held_out(r.id)])

    print("\n== misclassified (SSE)")
    for row in rows:
        if row.sse != row.result.sse:
            kind = "FN" if row.sse else "FP"
            print(f"  {kind} {row.id} score {row.result.score:.3f}: {'; '.join(row.result.reasons[1:5])}")
    print("\n== region misses (SSE rows with gold regions)")
    for row in rows:
        if row.sse and row.regions and set(row.result.regions) != set(row.regions):
            first = "first ok" if row.result.regions and row.result.regions[0] in row.regions else "first WRONG"
            print(f"  {row.id}: gold {row.regions} predicted {row.result.regions} ({first})")
    if args.sweep:
        sweep(without)
    if args.cv > 1:
        cross_validate(without, args.cv)
    return 0


def _without_own_seed(item: dict, names: list[str], seeds: Path, threshold: float | None) -> Classification | None:
    """Classify a seed row with every seed but its own (matched by file-name prefix "000_" ↔ "seed-000")."""
    number = item["id"].removeprefix("seed-")
    own = [n for n in names if n.startswith(number + "_")]
    if not own:
        return None
    with tempfile.TemporaryDirectory() as folder:
        for path in seeds.glob("*.txt"):
            if path.stem not in own:
                shutil.copy(path, folder)
        classifier = load_classifier(seeds_dir=Path(folder), threshold=threshold)
        return classifier.classify(str(item.get("title") or ""), str(item.get("text") or ""), item.get("lang"))


if __name__ == "__main__":
    raise SystemExit(main())
