"""Does a small trained model, asked only about stories the rules score just under their threshold, find the
SSE stories the rules miss without new false alarms? (issue 19) Figures, not a test.

    python bench/eval_hybrid.py [--folds K] [--final]

Needs scikit-learn (``pip install scikit-learn``; not a dependency of Rasd). Material: everything
``bench/eval_classifier.py`` reads (``../shared/corpus/*.jsonl`` and ``bench/*.jsonl``). The odd ids of
``bench/written_stream2_ar.jsonl`` and ``_fr.jsonl`` (170 rows, 32 SSE) are held out: no model is trained,
nothing is chosen and nothing is printed on them, except once with ``--final``, as totals (never ids).

The hybrid: a story is SSE when the rules say so (score >= T), or when its rule score is in [T_low, T) and the
model's probability is >= p_high. Everything is chosen on the rest by K folds (by a hash of the id; the seed
rows are always trained on, never measured): each candidate model's out-of-fold probabilities, then per fold
the (model, T_low, p_high) chosen on the other folds' out-of-fold figures and measured on the fold left out;
the final choice is made the same way on all folds. The rule: fewest new false alarms, then most new SSE
found, then the candidate model's own out-of-fold F1, then the higher p_high, then the wider band (lower
T_low). (The first rule, fixed before any figure, preferred the narrower band and the model's recall on the
SSE rows scored >= T_low; the folds then showed the same new finds and no false alarm at every T_low, so it
chose the narrowest band by default: changed, before the held-out measure, to let the band reach as far as
the folds allow.) The rules were tuned on the rest, so their own figures there flatter them, and few of the
rest's SSE stories are left in the band for the model to find: the held-out half is the measure.

Cost: the model's size (pickled, and its features), its time for one unseen story, the share of stories in
the band (only those pay for it), the time to build it from the labelled rows, and, in a fresh process, the
CPU time and memory that importing scikit-learn adds to a worker that has imported ``rasd.classify``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.eval_classifier import corpus_files, read_rows  # noqa: E402
from rasd.classify import load_classifier  # noqa: E402

HELD_OUT_FILES = ("written_stream2_ar.jsonl", "written_stream2_fr.jsonl")
T_LOWS = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35)
P_HIGHS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class Row:
    id: str
    text: str  # title and body, as the model reads them
    sse: bool
    score: float  # the rules' score
    flagged: bool  # the rules' verdict
    first_region_ok: bool | None  # None: not an SSE row with gold regions
    stream: bool
    held_out: bool
    seed: bool
    own: bool  # a story the project may ship: written for it (bench/) or one of the seeds


def is_held_out(row_id: str, file_name: str) -> bool:
    return file_name in HELD_OUT_FILES and int(row_id[-1]) % 2 == 1


def fold_of(row_id: str, folds: int) -> int:
    return int(hashlib.sha1(row_id.encode("utf-8")).hexdigest(), 16) % folds


def read_material() -> tuple[list[Row], float]:
    classifier = load_classifier(seeds_dir=REPO / "seeds")
    rows: list[Row] = []
    for path in corpus_files([], project_rows=True):
        for item in read_rows([path]):
            title, text = str(item.get("title") or ""), str(item.get("text") or "")
            result = classifier.classify(title, text, item.get("lang"))
            gold = item.get("regions")
            first_ok = (bool(result.regions) and result.regions[0] in gold) if item["sse"] and gold else None
            rows.append(
                Row(
                    item["id"],
                    f"{title}\n{text}",
                    bool(item["sse"]),
                    result.score,
                    result.sse,
                    first_ok,
                    str(item.get("note") or "").startswith("stream"),
                    is_held_out(item["id"], path.name),
                    item["id"].startswith("seed-"),
                    path.parent == REPO / "bench" or item["id"].startswith("seed-"),
                )
            )
    return rows, classifier.threshold


# --- the candidate models (chosen before any figure was seen) ---------------------------------------------


def _char_features():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, max_features=200_000)


def _word_char_features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            ("char", _char_features()),
        ]
    )


def _logistic():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)


def _svm():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    return CalibratedClassifierCV(LinearSVC(C=1.0, class_weight="balanced"), method="sigmoid", cv=3)


FEATURES: dict[str, Callable] = {"char3-5": _char_features, "word1-2+char3-5": _word_char_features}
LEARNERS: dict[str, Callable] = {"logistic": _logistic, "svm-calibrated": _svm}


def fit(features: str, learner: str, rows: Sequence[Row]):
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(FEATURES[features](), LEARNERS[learner]())
    model.fit([r.text for r in rows], [r.sse for r in rows])
    return model


def out_of_fold(rows: list[Row], folds: int) -> dict[str, dict[str, float]]:
    """Each candidate's probability for each measured row of the rest, from a model not trained on its fold."""
    measured = [r for r in rows if not r.seed]
    probabilities: dict[str, dict[str, float]] = {}
    for features in FEATURES:
        for learner in LEARNERS:
            name = f"{features} {learner}"
            probabilities[name] = {}
            started = time.process_time()
            for fold in range(folds):
                train = [r for r in rows if r.seed or fold_of(r.id, folds) != fold]
                test = [r for r in measured if fold_of(r.id, folds) == fold]
                model = fit(features, learner, train)
                for row, p in zip(test, model.predict_proba([r.text for r in test])[:, 1], strict=True):
                    probabilities[name][row.id] = float(p)
            print(f"  {name}: {folds} folds fitted and scored in {time.process_time() - started:.1f} s CPU")
    return probabilities


# --- the hybrid's verdicts and the choice -----------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    model: str
    t_low: float
    p_high: float


def hybrid(row: Row, p: float, setting: Setting, threshold: float) -> bool:
    return row.flagged or (setting.t_low <= row.score < threshold and p >= setting.p_high)


def by_rules(row: Row) -> bool:
    return row.flagged


def by_hybrid(probs: dict[str, float], setting: Setting, threshold: float) -> Callable[[Row], bool]:
    return lambda row: hybrid(row, probs[row.id], setting, threshold)


def by_model(probs: dict[str, float]) -> Callable[[Row], bool]:
    return lambda row: probs[row.id] >= 0.5


def counts(rows: Sequence[Row], probs: dict[str, float], setting: Setting, threshold: float) -> tuple[int, int, int]:
    """New SSE found, new false alarms, and the model's hits among the SSE rows scored >= T_low."""
    new_tp = new_fp = near_hits = 0
    for row in rows:
        p = probs[row.id]
        newly = not row.flagged and hybrid(row, p, setting, threshold)
        new_tp += newly and row.sse
        new_fp += newly and not row.sse
        near_hits += row.sse and row.score >= setting.t_low and p >= setting.p_high
    return new_tp, new_fp, near_hits


def choose(rows: Sequence[Row], probabilities: dict[str, dict[str, float]], threshold: float) -> Setting:
    def rank(setting: Setting) -> tuple:
        probs = probabilities[setting.model]
        new_tp, new_fp, _ = counts(rows, probs, setting, threshold)
        return (-new_fp, new_tp, f1(rows, by_model(probs)), setting.p_high, -setting.t_low)

    settings = [Setting(m, t, p) for m in probabilities for t in T_LOWS for p in P_HIGHS]
    return max(settings, key=rank)


def f1(rows: Sequence[Row], verdict: Callable[[Row], bool]) -> float:
    tp = sum(1 for r in rows if r.sse and verdict(r))
    wrong = sum(1 for r in rows if r.sse != verdict(r))
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def prf(rows: Sequence[Row], verdict: Callable[[Row], bool]) -> str:
    tp = sum(1 for r in rows if r.sse and verdict(r))
    fp = sum(1 for r in rows if not r.sse and verdict(r))
    fn = sum(1 for r in rows if r.sse and not verdict(r))
    p = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"P {p:.3f} R {recall:.3f} (TP {tp}, FP {fp}, FN {fn})"


def stream_line(rows: Sequence[Row], verdict: Callable[[Row], bool]) -> str:
    stream = [r for r in rows if r.stream]
    sse = [r for r in stream if r.sse]
    alarms = sum(1 for r in stream if not r.sse and verdict(r))
    found = sum(1 for r in sse if verdict(r))
    return f"stream: SSE found {found} of {len(sse)}, false alarms {alarms} of {len(stream) - len(sse)}"


def region_line(rows: Sequence[Row]) -> str:
    graded = [r for r in rows if r.first_region_ok is not None]
    right = sum(1 for r in graded if r.first_region_ok)
    return f"first region {right}/{len(graded)} (the rules' regions: unchanged by design)"


# --- cost ------------------------------------------------------------------------------------------------

IMPORT_PROBE = """
import time
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
t = time.process_time(); import rasd.classify; base = time.process_time() - t
m0 = rss()
t = time.process_time()
import sklearn.feature_extraction.text, sklearn.linear_model, sklearn.pipeline
added = time.process_time() - t
print(f"{base:.3f} {added:.3f} {m0:.0f} {rss() - m0:.0f}")
"""


def cost(rows: list[Row], setting: Setting, threshold: float):
    """Print what the chosen model costs; return it, built on all the rest."""
    features, learner = setting.model.split(" ")
    rest = [r for r in rows if not r.held_out]
    started = time.process_time()
    model = fit(features, learner, rest)
    built = time.process_time() - started
    for step in model.named_steps.values():  # the vectorisers' list of dropped terms is not needed to score
        for part in getattr(step, "transformer_list", [("", step)]):
            if hasattr(part[1], "stop_words_"):
                part[1].stop_words_ = None
    size = len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    # one story at a time, as a worker would ask, on rows the model was not trained on (the held-out half's
    # texts are only timed here, never scored or printed)
    unseen = [r.text for r in rows if r.held_out]
    started = time.process_time()
    for text in unseen:
        model.predict_proba([text])
    per_story = (time.process_time() - started) / len(unseen)
    rules_started = time.process_time()
    classifier = load_classifier(seeds_dir=REPO / "seeds")
    for row in unseen:
        classifier.classify("", row, None)
    rules_per_story = (time.process_time() - rules_started) / len(unseen)
    measured = [r for r in rest if not r.seed]
    in_band = sum(1 for r in measured if setting.t_low <= r.score < threshold)
    stream = [r for r in measured if r.stream]
    stream_band = sum(1 for r in stream if setting.t_low <= r.score < threshold)
    share = stream_band / max(1, len(stream))
    print(f"\n== cost of {setting.model}")
    print(f"  built from {len(rest)} labelled rows in {built:.1f} s CPU; pickled {size / 1e6:.1f} MB")
    print(
        f"  one unseen story: {1000 * per_story:.2f} ms CPU for the model; the rules (fresh classifier, "
        f"cold word cache): {1000 * rules_per_story:.2f} ms"
    )
    print(
        f"  stories in the band [{setting.t_low}, {threshold}): {in_band} of {len(measured)} labelled rows, "
        f"{stream_band} of {len(stream)} ordinary stream stories ({100 * share:.1f} %)"
    )
    print(
        f"  added per stream story on average: {1000 * per_story * share:.3f} ms "
        f"({100 * per_story * share / rules_per_story:.1f} % of the rules' time)"
    )
    probe = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, check=True)
    base, added, rss, rss_added = probe.stdout.split()
    print(
        f"  a fresh process: import rasd.classify {base} s CPU ({rss} MB); scikit-learn adds {added} s CPU "
        f"and {rss_added} MB"
    )
    return model


def shippable(rest: list[Row], setting: Setting, threshold: float) -> None:
    """The shared corpus is other people's writing and cannot ship: a model Rasd builds itself would learn from
    the project's own stories, the seeds and its readers' verdicts. Trained on those alone, how does it do on
    the shared corpus's rows?"""
    own = [r for r in rest if r.own]
    shared = [r for r in rest if not r.own]
    features, learner = setting.model.split(" ")
    model = fit(features, learner, own)
    scored = model.predict_proba([r.text for r in shared])[:, 1]
    probs = {r.id: float(p) for r, p in zip(shared, scored, strict=True)}
    new_tp, new_fp, _ = counts(shared, probs, setting, threshold)
    print(
        f"\n== trained on the project's own stories and the seeds only ({len(own)} rows, {sum(r.sse for r in own)} SSE)"
    )
    print(
        f"  on the shared corpus ({len(shared)} rows, {sum(r.sse for r in shared)} SSE): model alone at p >= 0.5 "
        f"{prf(shared, by_model(probs))}; rules {prf(shared, by_rules)}; "
        f"hybrid new SSE {new_tp}, new false alarms {new_fp}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--final", action="store_true", help="the one measure on the held-out half")
    args = parser.parse_args()
    try:
        import sklearn
    except ImportError:
        print("scikit-learn is not installed (pip install scikit-learn): skipped")
        return 0
    if not corpus_files([]):
        print("corpus not found (set RASD_CORPUS, or put it in ../shared/corpus): skipped")
        return 0
    print(f"scikit-learn {sklearn.__version__}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows, threshold = read_material()
    rest = [r for r in rows if not r.held_out]
    measured = [r for r in rest if not r.seed]
    held = [r for r in rows if r.held_out]
    print(
        f"{len(rows)} rows: {len(measured)} measured in the folds ({sum(r.sse for r in measured)} SSE), "
        f"{len(rest) - len(measured)} seed rows trained on only, {len(held)} held out; threshold T {threshold}"
    )
    print(f"\n== out-of-fold probabilities ({args.folds} folds by id hash)")
    probabilities = out_of_fold(rows, args.folds)

    print("\n== each fold: the setting chosen on the other folds, measured on this one")
    pooled_tp = pooled_fp = 0
    for fold in range(args.folds):
        others = [r for r in measured if fold_of(r.id, args.folds) != fold]
        this = [r for r in measured if fold_of(r.id, args.folds) == fold]
        setting = choose(others, probabilities, threshold)
        probs = probabilities[setting.model]
        new_tp, new_fp, _ = counts(this, probs, setting, threshold)
        pooled_tp, pooled_fp = pooled_tp + new_tp, pooled_fp + new_fp
        print(
            f"  fold {fold} ({len(this)} rows, {sum(r.sse for r in this)} SSE): {setting.model}, "
            f"T_low {setting.t_low}, p_high {setting.p_high}: new SSE found {new_tp}, new false alarms {new_fp}; "
            f"rules {prf(this, by_rules)}; hybrid {prf(this, by_hybrid(probs, setting, threshold))}"
        )
    print(f"  pooled: new SSE found {pooled_tp}, new false alarms {pooled_fp}")

    print("\n== each candidate alone at p >= 0.5 (out of fold, no rules), and at its best setting")
    for name, probs in probabilities.items():
        alone = prf(measured, by_model(probs))
        best = choose(measured, {name: probs}, threshold)
        new_tp, new_fp, near_hits = counts(measured, probs, best, threshold)
        print(
            f"  {name}: alone {alone}; T_low {best.t_low}, p_high {best.p_high}: new SSE {new_tp}, "
            f"new false alarms {new_fp}, model's hits on SSE rows scored >= T_low {near_hits}"
        )

    setting = choose(measured, probabilities, threshold)
    probs = probabilities[setting.model]
    print(f"\n== chosen on all folds: {setting.model}, T_low {setting.t_low}, p_high {setting.p_high}")
    negatives = [r for r in measured if not r.sse]
    newly = [r for r in negatives if not r.flagged and hybrid(r, probs[r.id], setting, threshold)]
    print(
        f"  false-alarm cost: of the rest's {len(negatives)} non-SSE rows (out of fold) the hybrid newly flags "
        f"{len(newly)}{': ' + ', '.join(r.id for r in newly) if newly else ''}"
    )
    band = [r for r in negatives if setting.t_low <= r.score < threshold]
    print(
        f"  non-SSE rows in the band: {len(band)}; their highest probability "
        f"{max((probs[r.id] for r in band), default=0.0):.3f}"
    )
    missed = [r for r in measured if r.sse and not r.flagged]
    print(
        "  the rules' misses on the rest (out of fold): "
        + (", ".join(f"{r.id} score {r.score:.3f} p {probs[r.id]:.3f}" for r in missed) or "none")
    )
    print("  by T_low: new SSE / new false alarms at each p_high; the non-SSE rows in the band and their highest p")
    for t_low in T_LOWS:
        line = []
        for p_high in P_HIGHS:
            new_tp, new_fp, _ = counts(measured, probs, Setting(setting.model, t_low, p_high), threshold)
            line.append(f"p>={p_high}: +{new_tp}/{new_fp}")
        band = [r for r in negatives if t_low <= r.score < threshold]
        stream = [r for r in measured if r.stream]
        print(
            f"  T_low {t_low}: " + "; ".join(line) + f"; {len(band)} non-SSE in the band (highest p "
            f"{max((probs[r.id] for r in band), default=0.0):.3f}), "
            f"{sum(1 for r in stream if t_low <= r.score < threshold)} of {len(stream)} stream stories"
        )
    model = cost(rows, setting, threshold)
    shippable(rest, setting, threshold)

    if args.final:
        scored = model.predict_proba([r.text for r in held])[:, 1]
        final = {r.id: float(p) for r, p in zip(held, scored, strict=True)}
        print(f"\n== THE held-out half ({len(held)} rows, {sum(r.sse for r in held)} SSE; ids not shown)")
        for name, verdict in (("rules alone", by_rules), ("hybrid", by_hybrid(final, setting, threshold))):
            print(f"  {name}: {prf(held, verdict)}; {region_line(held)}; {stream_line(held, verdict)}")
        gained = sum(1 for r in held if r.sse and not r.flagged and hybrid(r, final[r.id], setting, threshold))
        alarms = sum(1 for r in held if not r.sse and not r.flagged and hybrid(r, final[r.id], setting, threshold))
        print(f"  the hybrid newly found {gained} SSE and newly flagged {alarms} non-SSE")
        misses = [r for r in held if r.sse and not r.flagged]
        in_band = sum(1 for r in misses if r.score >= setting.t_low)
        print(f"  the rules' {len(misses)} misses: {in_band} scored in the band, {len(misses) - in_band} below T_low")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
