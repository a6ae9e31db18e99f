"""Build the classifier's second opinion (issue 19): the trained model asked about stories the rules score just
under their threshold, exported to ``classify/second_opinion.json.gz`` for ``rasd.classify.second_opinion``.

    python bench/build_second_opinion.py [--check]

Needs scikit-learn (the ``test`` extra; never a runtime dependency: Rasd scores with the exported numbers).
The model is the one ``bench/eval_hybrid.py`` chose and measured: TF-IDF of character 3–5-grams within words
(``char_wb``, sublinear tf, l2 norm) and a logistic regression, fitted only on what the project may ship:
the stories written for it (``bench/*.jsonl``: ``PROJECT_ROWS``) and the bundled seeds (``seeds/*.txt``, all
SSE), never the shared corpus. The vocabulary is capped at ``MAX_FEATURES`` n-grams (the most frequent) to
keep the file small. Exported per n-gram: its idf (for the l2 norm) and its coefficient × idf (for the dot
product), with the intercept and the analyzer's settings, and what it was built from: ``trained_on``, a SHA-256 of
the training rows and the build's settings, and the scikit-learn version that fitted it. The build is
deterministic for one scikit-learn (lbfgs, fixed row order; floats written as ``repr``, gzip without a timestamp),
but another release may pick a slightly different vocabulary among n-grams of equal frequency (1.9.1 did), so
"up to date" means built from today's rows: ``--check`` exits 1 when the shipped file was trained on other rows
or settings, or differs from this build under the same scikit-learn.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.eval_classifier import PROJECT_ROWS, read_rows  # noqa: E402

OUTPUT = REPO / "classify" / "second_opinion.json.gz"
SEEDS = REPO / "seeds"
NGRAM_RANGE = (3, 5)
MAX_FEATURES = 50_000  # eval_hybrid.py's model had up to 200,000: the cap's figures are in docs/architecture.md
MIN_DF = 2
C = 10.0


def training_rows() -> list[tuple[str, bool]]:
    """(text, sse) of the project's own labelled stories, in a fixed order: the seeds, then ``PROJECT_ROWS``.
    The text is the title and the body on the next line, as the classifier passes them to the model."""
    rows = [("\n" + path.read_text(encoding="utf-8"), True) for path in sorted(SEEDS.glob("*.txt"))]
    for item in read_rows(PROJECT_ROWS):
        rows.append((f"{item.get('title') or ''}\n{item.get('text') or ''}", bool(item["sse"])))
    return rows


def fit(rows: list[tuple[str, bool]]) -> Any:
    """The scikit-learn pipeline, fitted (the test compares the exported scorer with it)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=NGRAM_RANGE,
            min_df=MIN_DF,
            sublinear_tf=True,
            max_features=MAX_FEATURES,
            dtype=np.float64,
        ),
        LogisticRegression(C=C, class_weight="balanced", max_iter=2000),
    )
    model.fit([text for text, _ in rows], [sse for _, sse in rows])
    return model


def trained_on(rows: list[tuple[str, bool]]) -> str:
    """A digest of what a fit depends on besides scikit-learn: the rows, in order, and the build's settings."""
    settings = {"ngram_range": list(NGRAM_RANGE), "min_df": MIN_DF, "C": C, "max_features": MAX_FEATURES}
    text = json.dumps([settings, rows], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exported(model: Any, rows: list[tuple[str, bool]]) -> bytes:
    """The numbers scoring needs, as gzipped JSON (n-grams sorted, no timestamp: the same model, the same bytes),
    with the digest of the rows it was fitted on and the scikit-learn that fitted it."""
    import sklearn

    vectorizer, regression = model.steps[0][1], model.steps[1][1]
    coefficients = regression.coef_[0]
    ngrams = sorted(vectorizer.vocabulary_)
    columns = [vectorizer.vocabulary_[gram] for gram in ngrams]
    document = {
        "analyzer": "char_wb",
        "lowercase": True,
        "ngram_range": list(NGRAM_RANGE),
        "sublinear_tf": True,
        "norm": "l2",
        "intercept": float(regression.intercept_[0]),
        "ngrams": ngrams,
        "idf": [float(vectorizer.idf_[c]) for c in columns],
        "weight": [float(coefficients[c] * vectorizer.idf_[c]) for c in columns],
        "trained_on": trained_on(rows),
        "scikit_learn": sklearn.__version__,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def shipped_document() -> dict[str, Any]:
    """The shipped file's JSON."""
    with gzip.open(OUTPUT, "rt", encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file is not what this builds")
    args = parser.parse_args()
    rows = training_rows()
    model = fit(rows)
    data = exported(model, rows)
    features = len(model.steps[0][1].vocabulary_)
    print(f"{len(rows)} rows ({sum(sse for _, sse in rows)} SSE); {features} n-grams; {len(data) / 1000:.0f} kB")
    if args.check:
        shipped = shipped_document() if OUTPUT.exists() else {}
        name = OUTPUT.relative_to(REPO)
        if shipped.get("trained_on") != trained_on(rows):
            print(f"{name}: trained on other stories or settings than today's: rebuild it")
            return 1
        same_fitter = shipped.get("scikit_learn") == json.loads(gzip.decompress(data))["scikit_learn"]
        if same_fitter and OUTPUT.read_bytes() != data:
            print(f"{name}: differs from this build under the same scikit-learn ({shipped['scikit_learn']})")
            return 1
        fitter = f" (fitted by scikit-learn {shipped.get('scikit_learn')}; not compared byte for byte)"
        fitter = "" if same_fitter else fitter
        print(f"{name}: up to date{fitter}")
        return 0
    OUTPUT.write_bytes(data)
    print(f"written {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
