"""Do two versions of the classifier decide alike? Verdicts of every labelled row, saved, then compared exactly.

    python bench/check_verdicts.py --save /tmp/before.jsonl     # on the old code
    python bench/check_verdicts.py --compare /tmp/before.jsonl  # on the new code: exit 1 on any difference

Rows: the corpus as for ``bench/eval_classifier.py`` (arguments, ``$RASD_CORPUS``, ``../shared/corpus``) plus
the project's own rows (``PROJECT_ROWS`` of ``bench/eval_classifier.py``: ``bench/written*.jsonl`` and
``bench/holdout.jsonl``). Each is classified twice:
by the shipped classifier, and by one that also holds readers' verdicts (the written stories as references, so
the accepted/rejected comparisons run) with a source region given. What is compared is everything a caller
can see: sse, the score and every part (as ``repr``, so to the last bit), regions, reasons and evidence.
Speed-only changes to the classifier must leave the file identical; the saved file stays outside the
repository (it quotes the corpus).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.eval_classifier import PROJECT_ROWS, corpus_files, read_rows  # noqa: E402
from rasd.classify import Classification, Reference, load_classifier  # noqa: E402


def verdict(result: Classification) -> dict[str, object]:
    """Everything a caller sees of one decision, floats as repr (exact)."""
    return {
        "sse": result.sse,
        "score": repr(result.score),
        "regions": result.regions,
        "reasons": result.reasons,
        "parts": {name: repr(value) for name, value in result.parts.items()},
        # the matched words are a frozenset, whose order changes with each process's string hashing
        "evidence": repr(replace(result.evidence, words=frozenset())),
        "words": sorted(result.evidence.words),
    }


def verdicts(rows: list[dict]) -> list[dict[str, object]]:
    plain = load_classifier(seeds_dir=REPO / "seeds")
    written = read_rows([REPO / "bench" / "written.jsonl"])
    references = [
        Reference(f"ref-{row['id']}", f"{row.get('title') or ''}\n{row.get('text') or ''}", bool(row["sse"]))
        for row in written
    ]
    with_verdicts = load_classifier(seeds_dir=REPO / "seeds", references=references)
    found = []
    for row in rows:
        title, text, lang = str(row.get("title") or ""), str(row.get("text") or ""), row.get("lang")
        found.append({"id": row["id"], "pass": "plain", **verdict(plain.classify(title, text, lang))})
        decided = with_verdicts.classify(title, text, lang, source_region="MA-07")
        found.append({"id": row["id"], "pass": "references", **verdict(decided)})
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="*")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the verdicts to this file")
    action.add_argument("--compare", type=Path, help="compare with verdicts saved earlier")
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    if not files:
        print("corpus not found (give a path, set RASD_CORPUS, or put it in ../shared/corpus): project rows only")
    files += PROJECT_ROWS
    rows = [row for row in read_rows(files) if "sse" in row]
    found = verdicts(rows)
    if args.save:
        with args.save.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(v, ensure_ascii=False, sort_keys=True) + "\n" for v in found)
        print(f"{len(found)} verdicts ({len(rows)} rows × 2 classifiers) saved to {args.save}")
        return 0
    with args.compare.open(encoding="utf-8") as handle:
        saved = [json.loads(line) for line in handle if line.strip()]
    if len(saved) != len(found):
        print(f"{len(found)} verdicts now, {len(saved)} saved: not the same rows")
        return 1
    differ = [(old, new) for old, new in zip(saved, found, strict=True) if old != new]
    for old, new in differ[:20]:
        keys = [k for k in new if old.get(k) != new[k]]
        print(f"{new['id']} ({new['pass']}): {', '.join(keys)} differ")
    print(f"{len(found)} verdicts compared: {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
