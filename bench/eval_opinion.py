"""Where should the second opinion be asked, and what should it be trained on? (recall on unseen stories) Figures,
not a test.

    python bench/eval_opinion.py [--folds K] [--blind FILE.jsonl ...]

Needs scikit-learn (the ``test`` extra). Material: everything ``bench/eval_classifier.py`` reads (the shared corpus
and the project's own ``bench/*.jsonl``) plus the seeds (always trained on, never measured). Each row is classified
by the rules once, with the second opinion silenced, to learn its score, whether it matched any SSE term, any hard
negative, and whether the rules would ask the model at all (not abroad, no hard negative).

Cross-validation is grouped so that near-copies do not leak across folds: the project's rows by their file (a
writers' pass, a source), the shared corpus's rows by story (rows sharing a fifth of their word 5-grams are one
group, the two sites' copies of one agency story among them). Each candidate model's out-of-fold probability is
then combined with the rules under each gate (where the model is asked) and retaining probability, and measured on
every labelled row: precision, recall, new SSE found and new false alarms, on the shared corpus and on the
project's rows apart. ``--blind FILE`` measures each setting once more on files no model was trained on, with a
model fitted on all the training rows (ids of misses printed, never texts).

``--by-story`` groups the project's rows by story as well (opinion14: a pass of new kinds is then measured by models
that saw the pass's other stories, as the shipped model will).

Candidates: features "char" (TF-IDF of character 3-5-grams within words, the shipped model) and "word+char" (word
1-2-grams too); training "own" (the project's stories and the seeds: what Rasd ships today) or "all" (the shared
corpus too). Gates (``Gate``): the model asked in the band [T - 0.27, T) at p >= 0.6 (the shipped band), and under it
for a story that matched an SSE word at p >= 0.5 ... 0.8 or not at all, with hard negatives down to 0, -0.5 or -1.0
allowed. The shipped choice (``classify/second_opinion.py``: P_BELOW, NEGATIVE_FLOOR) is the gate with the fewest new
false alarms out of fold, then the most SSE found, then the wider one.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.eval_classifier import corpus_files, read_rows  # noqa: E402
from rasd.classify import load_classifier, scoring  # noqa: E402
from rasd.classify import second_opinion as opinion  # noqa: E402

P_HIGHS = (0.5, 0.6, 0.7, 0.8)


@dataclass
class Row:
    id: str
    file: str
    text: str
    sse: bool
    score: float
    flagged: bool
    terms: bool  # any SSE term matched
    negative: bool  # a hard negative matched
    negatives: float  # the rules' negatives part (0 or less)
    abroad: bool
    own: bool  # the project's own story or a seed
    seed: bool
    group: str = ""


def classify_rows(files: Sequence[Path]) -> tuple[list[Row], float]:
    """Each row classified by the rules alone (the model never consulted)."""
    classifier = load_classifier(seeds_dir=REPO / "seeds")
    asked: list[bool] = []

    def record(*_: object) -> float | None:
        asked.append(True)
        return None

    scoring.second_opinion.consulted = record  # type: ignore[assignment]
    rows: list[Row] = []
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    items = [("seeds", "\n" + p.read_text(encoding="utf-8"), True, "seed-" + p.stem, True) for p in seeds]
    for path in files:
        for item in read_rows([path]):
            text = f"{item.get('title') or ''}\n{item.get('text') or ''}"
            items.append((path.name, text, bool(item["sse"]), item["id"], path.parent == REPO / "bench"))
    for name, text, sse, row_id, own in items:
        title, _, body = text.partition("\n")
        asked.clear()
        result = classifier.classify(title, body, None)
        negative = result.parts.get("negatives", 0.0) < 0
        rows.append(
            Row(
                row_id,
                name,
                text,
                sse,
                result.score,
                result.score >= classifier.threshold,
                result.parts.get("terms", 0.0) > 0,
                negative,
                result.parts.get("negatives", 0.0),
                # not asked though its negatives allowed it and under the threshold: set abroad
                result.parts.get("negatives", 0.0) >= opinion.NEGATIVE_FLOOR
                and not asked
                and result.score < classifier.threshold,
                own,
                name == "seeds" or row_id.startswith("seed-"),
            )
        )
    return rows, classifier.threshold


def shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(" ".join(words[i : i + 5])) for i in range(max(0, len(words) - 4))}


def group_rows(rows: list[Row], by_story: bool = False) -> None:
    """Project rows grouped by file; corpus rows by story (a fifth of their word 5-grams shared). ``by_story``: the
    project's rows by story too, so that a writers' pass is spread over the folds and each of its stories is measured
    by a model that learnt from the others of its kind, never from itself or a near-copy."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [shingles(r.text) for r in rows]
    index: dict[int, list[int]] = {}
    for i, grams in enumerate(sets):
        for gram in grams:
            index.setdefault(gram, []).append(i)
    for i, grams in enumerate(sets):
        shared: dict[int, int] = {}
        for gram in grams:
            for j in index[gram]:
                if j < i:
                    shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            if n >= 0.2 * max(1, min(len(grams), len(sets[j]))):
                parent[find(i)] = find(j)
    for i, row in enumerate(rows):
        row.group = f"file:{row.file}" if row.own and not row.seed and not by_story else f"story:{rows[find(i)].id}"
    if by_story:
        return
    # a corpus story near-copied by a project row goes with that row's file
    by_root: dict[int, str] = {}
    for i, row in enumerate(rows):
        if row.own and not row.seed:
            by_root.setdefault(find(i), row.group)
    for i, row in enumerate(rows):
        if find(i) in by_root:
            row.group = by_root[find(i)]


def fold_of(group: str, folds: int) -> int:
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % folds


def features(name: str):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=50_000, dtype=np.float64
    )
    if name == "char":
        return char
    word = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=30_000, dtype=np.float64
    )
    return FeatureUnion([("word", word), ("char", char)])


def fit(name: str, rows: Sequence[Row]):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(features(name), LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000))
    model.fit([r.text for r in rows], [r.sse for r in rows])
    return model


@dataclass(frozen=True)
class Gate:
    """Where the model is asked and what retains: in the band [T - BAND, T) at ``band_p``; under it, for a story with
    an SSE word, at ``below_p`` (None: not asked there); hard negatives down to ``floor`` allowed (0: none)."""

    below_p: float | None
    floor: float
    band_p: float = opinion.P_HIGH

    def retains(self, row: Row, p: float, threshold: float) -> bool:
        if row.flagged:
            return True
        if row.abroad or row.negatives < self.floor or row.score >= threshold:
            return False
        if threshold - opinion.BAND <= row.score:
            return p >= self.band_p
        return self.below_p is not None and row.terms and p >= self.below_p

    def __str__(self) -> str:
        below = "not asked" if self.below_p is None else f"p>={self.below_p} with an SSE word"
        return f"band p>={self.band_p}, below {below}, negatives>={self.floor}"


SHIPPED_BEFORE = Gate(None, 0.0)
GATES = [SHIPPED_BEFORE] + [Gate(p, floor) for p in P_HIGHS for floor in (0.0, -0.5, -1.0)]


def tally(rows: Sequence[Row], verdict: Callable[[Row], bool]) -> tuple[int, int, int]:
    tp = sum(1 for r in rows if r.sse and verdict(r))
    fp = sum(1 for r in rows if not r.sse and verdict(r))
    fn = sum(1 for r in rows if r.sse and not verdict(r))
    return tp, fp, fn


def said(rows: Sequence[Row], verdict: Callable[[Row], bool]) -> str:
    tp, fp, fn = tally(rows, verdict)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"P {p:.3f} R {r:.3f} (TP {tp} FP {fp} FN {fn})"


def measure(rows: Sequence[Row], gate: Gate, probs: dict[str, float], threshold: float) -> str:
    return said(rows, lambda r: gate.retains(r, probs[r.id], threshold))


def out_of_fold(candidate: str, rows: list[Row], folds: int) -> dict[str, float]:
    """Each measured row's probability from a model not trained on its group's fold."""
    feats, trained = candidate.split()
    trainable = [r for r in rows if r.own or trained == "all"]
    probs: dict[str, float] = {}
    for fold in range(folds):
        train = [r for r in trainable if r.seed or fold_of(r.group, folds) != fold]
        test = [r for r in rows if not r.seed and fold_of(r.group, folds) == fold]
        model = fit(feats, train)
        for row, p in zip(test, model.predict_proba([r.text for r in test])[:, 1], strict=True):
            probs[row.id] = float(p)
    return probs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--blind", nargs="*", type=Path, default=[])
    parser.add_argument("--models", nargs="*", default=["char own", "char all", "word+char own", "word+char all"])
    parser.add_argument("--by-story", action="store_true", help="group the project's rows by story, not by file")
    args = parser.parse_args()
    started = time.process_time()
    rows, threshold = classify_rows(corpus_files([], project_rows=True))
    blind = [r for r in classify_rows(args.blind)[0] if not r.seed] if args.blind else []
    group_rows(rows, args.by_story)
    measured = [r for r in rows if not r.seed]
    print(
        f"{len(measured)} labelled rows ({sum(r.sse for r in measured)} SSE) in {len({r.group for r in measured})} "
        f"groups, {len(rows) - len(measured)} seeds; T {threshold}; read in {time.process_time() - started:.0f} s"
    )
    corpus, own = [r for r in measured if not r.own], [r for r in measured if r.own]
    print(f"rules alone: all {said(measured, lambda r: r.flagged)}; corpus {said(corpus, lambda r: r.flagged)}")
    feb = [r for r in measured if r.id.startswith("feb-")]
    for gate in (SHIPPED_BEFORE, Gate(0.7, -0.5)):
        asked = [r for r in feb if gate.retains(r, 1.0, threshold) and not r.flagged]
        print(f"  {gate}: asked for {len(asked)} of the corpus's {len(feb)} febrayer stories (an ordinary day's news)")
    files = sorted({r.file for r in blind})
    if blind:
        print(
            "blind, rules alone: "
            + "; ".join(f"{f} {said([r for r in blind if r.file == f], lambda r: r.flagged)}" for f in files)
        )
    for candidate in args.models:
        t0 = time.process_time()
        probs = out_of_fold(candidate, rows, args.folds)
        trainable = [r for r in rows if r.own or candidate.endswith("all")]
        final = fit(candidate.split()[0], trainable) if blind else None
        scored = final.predict_proba([r.text for r in blind])[:, 1] if final else []
        blind_probs = {r.id: float(p) for r, p in zip(blind, scored, strict=True)}
        print(f"\n== {candidate}: {args.folds} grouped folds in {time.process_time() - t0:.0f} s CPU")
        for gate in GATES:
            line = f"  {gate}: all {measure(measured, gate, probs, threshold)}"
            line += f"; corpus {measure(corpus, gate, probs, threshold)}; own {measure(own, gate, probs, threshold)}"
            for name in files:
                line += f"; {name} {measure([r for r in blind if r.file == name], gate, blind_probs, threshold)}"
            print(line)
        if blind:
            misses = [r for r in blind if r.sse and not r.flagged]
            print("  blind misses: " + ", ".join(f"{r.id} s {r.score:.2f} p {blind_probs[r.id]:.2f}" for r in misses))
        high = sorted((r for r in measured if not r.sse and not r.flagged and r.terms), key=lambda r: -probs[r.id])
        print("  out of fold, non-SSE under T with an SSE word, highest p: ")
        print("    " + ", ".join(f"{r.id} {probs[r.id]:.2f} (negatives {r.negatives:.1f})" for r in high[:6]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
