"""Which saved pages of tests/ a change to extract/ gives another article: title, date, author, lang or text.

    python bench/pages_changed.py --save /tmp/before.json       # on the code before the change
    python bench/pages_changed.py --against /tmp/before.json    # after it: the pages whose output moved

Every `*.html` under tests/pages (its folders' expectations.toml give a page's address and fetch time) goes
through `extract_article` as `rasd extract PAGE` gives it. A change meant for one kind of page should list
that kind's pages only; the others printed are what it changed unasked. Prints the page count and, with
--against, each changed page with the fields that moved (the text's first differing line).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import extract_article  # noqa: E402

FETCHED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # as bench_unseen_pages.py and the tests give a saved page


def _cases() -> dict[Path, tuple[str, datetime]]:
    """Every saved page with the address and fetch time its folder's expectations give (its file:// else)."""
    found: dict[Path, tuple[str, datetime]] = {}
    for path in sorted((ROOT / "tests" / "pages").rglob("*.html")):
        found[path] = (path.resolve().as_uri(), FETCHED)
    for spec in sorted((ROOT / "tests" / "pages").rglob("expectations.toml")):
        for page in tomllib.loads(spec.read_text(encoding="utf-8")).get("pages", []):
            path = spec.parent / page["file"]
            fetched = datetime.fromisoformat(page["fetched_at"]) if "fetched_at" in page else FETCHED
            found[path] = (page.get("url") or path.resolve().as_uri(), fetched)
    return found


def outputs() -> dict[str, dict[str, str | None]]:
    result: dict[str, dict[str, str | None]] = {}
    for path, (url, fetched) in _cases().items():
        article = extract_article(path.read_bytes(), url, fetched)
        name = str(path.relative_to(ROOT))
        if article is None:
            result[name] = {"none": "no article"}
        else:
            found = article.as_json()
            result[name] = {key: found[key] for key in ("title", "date", "author", "lang", "text")}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--against", type=Path)
    args = parser.parse_args()
    now = outputs()
    if args.save:
        args.save.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(now)} pages saved")
        return
    before = json.loads(args.against.read_text(encoding="utf-8"))
    changed = 0
    for name in sorted(set(before) | set(now)):
        old, new = before.get(name, {}), now.get(name, {})
        if old == new:
            continue
        changed += 1
        fields = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
        print(f"{name}: {', '.join(fields)}")
        for key in fields:
            before_text, now_text = old.get(key) or "", new.get(key) or ""
            if key == "text" and before_text and now_text:
                lines = [
                    (a, b) for a, b in zip(before_text.splitlines(), now_text.splitlines(), strict=False) if a != b
                ]
                counts = (f"{len(before_text.splitlines())} lines", f"{len(now_text.splitlines())} lines")
                shown = lines[0] if lines else counts
                print(f"    text: {shown[0][:100]!r} -> {shown[1][:100]!r}")
            else:
                print(f"    {key}: {str(old.get(key))[:100]!r} -> {str(new.get(key))[:100]!r}")
    print(f"{len(now)} pages, {changed} changed")


if __name__ == "__main__":
    main()
