"""Near-duplicate detection: which shingles, how many permutations, which threshold.

    python bench/bench_dedup.py

For each candidate setting (character or word n-grams of the normalised title and text, num_perm) it prints:
- `true`: the estimated Jaccard of the corpus pair known to be one agency story rewritten by two sites
  (`web-varpresse-…` / `web-maroc24-…` in ../shared/corpus/dev-web.jsonl), and the lowest estimate over the
  rewritten versions in tests/dispatches.toml (new lead, paragraph dropped, site intro and outro);
- `other`: the highest estimate over all other pairs of the 628 corpus rows, and over the fixtures'
  same-topic unrelated stories;
- `T`: the highest threshold that still joins every true pair (the best this setting can do), and at that
  threshold the false positives over all corpus pairs found through MinHashLSH (candidates verified with the
  estimate), without and with the figures check of extract.fingerprint;
- `sig/s`: signatures per second (normalisation, shingling and MinHash of title + text).

The corpus is other people's writing: it is read in place and never copied; without it the bench says so and
measures the fixtures only.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import time
import tomllib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import normalize_for_matching  # noqa: E402
from rasd.extract.fingerprint import (  # noqa: E402
    BANDS,
    FIGURES_AGREE,
    LSH_WEIGHTS,
    NUM_PERM,
    ROWS,
    SAME_STORY_JACCARD,
    SHINGLE_CHARS,
    char_shingle_hashes,
    figures,
    fingerprint_of,
    minhash,
    signature_shingles,
    string_hashes,
)

# ../shared beside the checkout (or beside the folder of worktrees)
CORPUS = next(
    (path for up in (ROOT.parent, ROOT.parent.parent) if (path := up / "shared" / "corpus").exists()),
    ROOT.parent / "shared" / "corpus",
)
TRUE_PAIR = ("web-varpresse-kenitra-indh", "web-maroc24-kenitra-indh")
FIXTURES = ROOT / "tests" / "dispatches.toml"


def word_shingles(folded: str, size: int) -> np.ndarray:
    words = re.findall(r"\w+", folded)
    return string_hashes({" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))})


SHINGLINGS: dict[str, Callable[[str], np.ndarray]] = {
    **{f"char{n}": partial(char_shingle_hashes, size=n) for n in (3, 4, 5, 6)},
    f"char{SHINGLE_CHARS}-stop": signature_shingles,  # what extract.fingerprint signs: char4 but stop shingles
    **{f"word{n}": partial(word_shingles, size=n) for n in (1, 2, 3)},
}


def load_corpus() -> list[dict[str, str]]:
    rows = []
    for name in ("dev.jsonl", "dev-web.jsonl"):
        path = CORPUS / name
        if not path.exists():
            print(f"corpus not found at {path}: measuring the fixtures only")
            return []
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def load_fixtures() -> tuple[list[list[str]], list[tuple[int, str]]]:
    """Texts per dispatch (its versions) and, per dispatch, its unrelated same-topic story."""
    groups, unrelated = [], []
    for index, dispatch in enumerate(tomllib.loads(FIXTURES.read_text(encoding="utf-8"))["dispatches"]):
        groups.append([f"{v['title']}\n{v['text']}" for v in dispatch["versions"]])
        unrelated.append((index, f"{dispatch['unrelated']['title']}\n{dispatch['unrelated']['text']}"))
    return groups, unrelated


def main() -> None:
    corpus = load_corpus()
    groups, unrelated = load_fixtures()
    corpus_texts = [f"{row.get('title') or ''}\n{row['text']}" for row in corpus]
    ids = [row["id"] for row in corpus]
    true_pair = (ids.index(TRUE_PAIR[0]), ids.index(TRUE_PAIR[1])) if corpus else None
    folded_corpus = [normalize_for_matching(text) for text in corpus_texts]
    corpus_figures = [figures(text) for text in folded_corpus]
    print(
        f"{len(corpus)} corpus rows ({len(corpus) * (len(corpus) - 1) // 2} pairs), "
        f"{sum(map(len, groups))} fixture versions in {len(groups)} stories\n"
    )
    print(
        f"{'setting':<16} {'true corpus':>11} {'true fixt.':>10} {'other corpus':>12} {'other fixt.':>11} "
        f"{'T':>5} {'FP':>4} {'FP+fig':>6} {'cand/doc':>8} {'sig/s':>7}"
    )
    for (name, shingle), num_perm in itertools.product(SHINGLINGS.items(), (64, 128, 256)):
        started = time.perf_counter()
        sketches = [minhash(shingle(normalize_for_matching(text)), num_perm) for text in corpus_texts]
        per_second = len(corpus_texts) / (time.perf_counter() - started) if corpus_texts else 0.0

        def sketch(text: str, num_perm: int = num_perm, shingle: Callable[[str], np.ndarray] = shingle) -> np.ndarray:
            return minhash(shingle(normalize_for_matching(text)), num_perm)

        def estimate(a: np.ndarray, b: np.ndarray) -> float:
            return float(np.count_nonzero(a == b)) / len(a)

        fixture_sketches = [[sketch(text) for text in versions] for versions in groups]
        true_fixture = min(
            estimate(a, b) for versions in fixture_sketches for a, b in itertools.combinations(versions, 2)
        )
        other_fixture = max(
            estimate(sketch(text), version) for index, text in unrelated for version in fixture_sketches[index]
        )
        matrix = np.array(sketches) if sketches else np.zeros((0, num_perm))
        true_corpus, other_corpus, other_pair = 1.0, 0.0, ("", "")
        if true_pair:
            true_corpus = estimate(matrix[true_pair[0]], matrix[true_pair[1]])
            for i in range(len(matrix) - 1):
                similar = (matrix[i + 1 :] == matrix[i]).mean(axis=1)
                if true_pair[0] == i:
                    similar[true_pair[1] - i - 1] = 0.0
                j = int(similar.argmax())
                if similar[j] > other_corpus:
                    other_corpus, other_pair = float(similar[j]), (ids[i], ids[i + 1 + j])
        threshold = np.floor(min(true_corpus, true_fixture) * 100) / 100
        fp = fp_figures = candidates = 0
        if sketches:
            lsh = MinHashLSH(threshold=max(threshold, 0.05), num_perm=num_perm, weights=LSH_WEIGHTS)
            # datasketch's LSH over the project's own signatures (its MinHash accepts given hash values)
            wrapped = [MinHash(num_perm=num_perm, hashvalues=values, scheme="affine32") for values in sketches]
            for index, sketch_ in enumerate(wrapped):
                lsh.insert(index, sketch_)
            for i, sketch_ in enumerate(wrapped):
                found = [j for j in lsh.query(sketch_) if j > i]
                candidates += len(found)
                for j in found:
                    if (i, j) == true_pair or estimate(matrix[i], matrix[j]) < threshold:
                        continue
                    fp += 1
                    smaller = min(len(corpus_figures[i]), len(corpus_figures[j]))
                    agree = smaller == 0 or len(corpus_figures[i] & corpus_figures[j]) / smaller >= FIGURES_AGREE
                    fp_figures += agree
        chosen = " <- chosen" if name == f"char{SHINGLE_CHARS}-stop" and num_perm == NUM_PERM else ""
        print(
            f"{name + '/' + str(num_perm):<16} {true_corpus:>11.3f} {true_fixture:>10.3f} {other_corpus:>12.3f} "
            f"{other_fixture:>11.3f} {threshold:>5.2f} {fp:>4} {fp_figures:>6} "
            f"{candidates / max(1, len(sketches)):>8.1f} {per_second:>7.0f}{chosen}"
        )
        if chosen:
            chosen_pair = other_pair
    print(
        f"\nchosen: char{SHINGLE_CHARS} shingles but the stop shingles, num_perm={NUM_PERM},"
        " same story when the estimate is "
        f">= {SAME_STORY_JACCARD} and the figures agree (>= {FIGURES_AGREE} of the smaller set)"
    )
    print(f"LSH: {BANDS} bands of {ROWS}; chance that a pair becomes a candidate, by its Jaccard similarity:")
    print("  " + ", ".join(f"{j:.2f}: {1 - (1 - j**ROWS) ** BANDS:.2f}" for j in (0.1, 0.2, 0.28, 0.34, 0.5)))
    if corpus:
        print(f"highest other corpus pair for the chosen setting: {chosen_pair[0]} / {chosen_pair[1]}")
        prints = [fingerprint_of(row.get("title") or "", row["text"]) for row in corpus]
        pairs = [(i, j) for i, j in itertools.combinations(range(len(prints)), 2) if prints[i].same_story(prints[j])]
        print(f"corpus pairs whose fingerprints match ({len(pairs)}):")
        for i, j in pairs:
            sites = corpus[i]["source"] if corpus[i]["source"] == corpus[j]["source"] else "two sites"
            print(
                f"  {ids[i]} / {ids[j]}: estimate {prints[i].similarity(prints[j]):.2f}, {sites}, "
                f"shared figures {sorted(prints[i].figures & prints[j].figures)[:6]}"
            )
        across = sum(corpus[i]["source"] != corpus[j]["source"] for i, j in pairs)
        print(f"of which across two sites (what storage groups; one site's own articles are never grouped): {across}")


if __name__ == "__main__":
    main()
