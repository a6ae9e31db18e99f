"""Learn the stop shingles of extract/stop_shingles.py: the character 4-grams most news texts contain.

    .venv/bin/python bench/learn_stop_shingles.py           # says whether extract/stop_shingles.py is current
    .venv/bin/python bench/learn_stop_shingles.py --write   # rewrites it

Unrelated news stories share a band of their MinHash signatures far more often than chance would have it
(5% of unrelated pairs, bench/bench_store_growth.py) because their shingle sets overlap on what every text of
the language contains: ` ال`, `ية `, ` في `, `tion`, ` de `. These are counted here, per language, in
../shared/corpus/dev-web-2.jsonl — kept apart from what the benches measure on (dev.jsonl, dev-web.jsonl),
so that the benches judge the list on texts it was not learned from: a shingle found in at least `SHARE` of
one language's texts is a stop shingle. The list holds shingles (four characters of folded text), not text.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import normalize_for_matching  # noqa: E402
from rasd.extract.fingerprint import SHINGLE_CHARS  # noqa: E402

# ../shared beside the checkout (or beside the folder of worktrees)
SOURCE = next(
    (
        path
        for up in (ROOT.parent, ROOT.parent.parent)
        if (path := up / "shared" / "corpus" / "dev-web-2.jsonl").exists()
    ),
    ROOT.parent / "shared" / "corpus" / "dev-web-2.jsonl",
)
TARGET = ROOT / "extract" / "stop_shingles.py"
SHARE = 0.1


def _literal(shingle: str) -> str:
    """As ruff formats it: double quotes unless the shingle holds one."""
    return json.dumps(shingle, ensure_ascii=False) if '"' not in shingle else repr(shingle)


def main() -> None:
    if not SOURCE.exists():
        print(f"corpus not found at {SOURCE}: nothing to learn from")
        return
    texts: dict[str, list[str]] = defaultdict(list)
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts[row["lang"]].append(normalize_for_matching(f"{row.get('title') or ''}\n{row['text']}"))
    stop: set[str] = set()
    for lang, folded in sorted(texts.items()):
        counts = Counter(
            shingle
            for text in folded
            for shingle in {text[i : i + SHINGLE_CHARS] for i in range(len(text) - SHINGLE_CHARS + 1)}
        )
        found = {shingle for shingle, count in counts.items() if count >= SHARE * len(folded)}
        print(f"{lang}: {len(folded)} texts, {len(found)} shingles in at least {SHARE:.0%} of them")
        stop |= found
    body = "\n".join(f"        {_literal(shingle)}," for shingle in sorted(stop))
    written = (
        '"""Stop shingles: character 4-grams of folded text that most news texts of a language contain, left out\n'
        "of MinHash signatures so that unrelated stories rarely share an LSH band. Written by\n"
        'bench/learn_stop_shingles.py (see there how they were chosen); do not edit by hand."""\n\n'
        f"STOP_SHINGLES: frozenset[str] = frozenset(\n    (\n{body}\n    )\n)\n"
    )
    if "--write" in sys.argv:
        TARGET.write_text(written, encoding="utf-8")
        print(f"{len(stop)} stop shingles written to {TARGET.relative_to(ROOT)}")
    else:
        current = TARGET.exists() and TARGET.read_text(encoding="utf-8") == written
        print(f"{len(stop)} stop shingles; {TARGET.relative_to(ROOT)} is {'current' if current else 'NOT current'}")


if __name__ == "__main__":
    main()
