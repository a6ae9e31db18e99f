"""trafilatura's settings for Rasd, chosen by measurement: speed and quality on Arabic and French news pages.

    python bench/bench_extract.py [--repeat N]

Pages: the fixture pages of tests/pages/ (Jannah, JNews, Newspaper, Sahifa, Elementor, GeneratePress,
Astra and hand-made layouts, one windows-1256 page with a lying charset, with the snippets each must and
must not keep in tests/pages/expectations.toml) and every article page of the demo web (monitor/demoweb,
rendered to bytes without a server), whose ground truth is the story itself: its paragraphs must be kept;
the masthead, slogan, comments, related and most-read titles and the theme's labels must not.

For each option set, called as extract.article calls it (`trafilatura.load_html` then `bare_extraction`
with `with_metadata=False`), and for trafilatura's plain defaults (`trafilatura.extract(page)`, which
appends reader comments to the text), it prints:
- `pages/s`: pages per CPU second, one process (`time.process_time`, so other load on the machine
  counts little): the number of pages over the sum of each page's fastest of `--repeat` extractions;
- `recall`: the mean share, per page, of must-keep snippets in the text;
- `precision`: the mean share, per page, of must-not-keep snippets absent from the text;
- `leaked`: lines of furniture in the text over all pages (demo pages: lines that are not part of the
  story; fixture pages: lines holding a must-not-keep snippet);
- `lost`: pages whose article text came out shorter than extract.MIN_TEXT_CHARS;
each before and after extract.strip_boilerplate (the rules of config/boilerplate.toml and the page's
per-source lines). Last, what the rules cost and, when ../shared/corpus is there (read in place, never
copied), how many lines of real article text they would wrongly drop.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import MIN_TEXT_CHARS, detect_language, normalize_for_matching, strip_boilerplate  # noqa: E402
from rasd.extract.body import PRECISION_OPTIONS, body_text  # noqa: E402
from rasd.extract.layout import unlayout_tables  # noqa: E402
from rasd.monitor.demoweb.content import load_content  # noqa: E402
from rasd.monitor.demoweb.render import CHROME  # noqa: E402
from rasd.monitor.demoweb.server import SiteApp  # noqa: E402

PAGES = ROOT / "tests" / "pages"
# ../shared/corpus from the main checkout; from a worktree (/work/wt/NAME) it is two levels up
CORPUS = next((p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), ROOT)

OPTION_SETS: dict[str, dict[str, Any]] = {
    "bare defaults": {},
    "fast": {"fast": True},
    "favor_precision": {"favor_precision": True},
    "favor_precision+fast": {"favor_precision": True, "fast": True},
    "favor_recall": {"favor_recall": True},
    "favor_recall+fast": {"favor_recall": True, "fast": True},
    "no comments": {"include_comments": False},
    "no comments+fast": {"include_comments": False, "fast": True},
    "no comments+precision": {"include_comments": False, "favor_precision": True},
    "no comments+precision+no tables": {"include_comments": False, "favor_precision": True, "include_tables": False},
    "no comments+precision+fast": {"include_comments": False, "favor_precision": True, "fast": True},
    "no comments+precision+fast+no tables": {
        "include_comments": False,
        "favor_precision": True,
        "fast": True,
        "include_tables": False,
    },
}


@dataclass(frozen=True)
class Case:
    name: str
    lang: str
    url: str
    page: bytes
    keep: tuple[str, ...]  # snippets the text must hold
    drop: tuple[str, ...]  # snippets it must not
    story: tuple[str, ...] | None  # the story's own lines (title, paragraphs) when known
    boilerplate: tuple[str, ...] = ()


def fixture_cases() -> list[Case]:
    data = tomllib.loads((PAGES / "expectations.toml").read_text(encoding="utf-8"))
    return [
        Case(
            name=entry["file"],
            lang=entry["lang"],
            url=entry["url"],
            page=(PAGES / entry["file"]).read_bytes(),
            keep=tuple(entry["must_contain"]),
            drop=tuple(entry["must_not_contain"]),
            story=None,
            boilerplate=tuple(entry.get("boilerplate", ())),
        )
        for entry in data["pages"]
    ]


def demo_cases() -> list[Case]:
    specs, articles = load_content()
    cases = []
    for spec in specs:
        own = [a for a in articles if a.site == spec.name]
        app = SiteApp(spec, f"http://127.0.0.10/{spec.name.replace(' ', '-').lower()}/", own)
        chrome = CHROME[spec.lang]
        labels = [chrome[k] for k in ("leave_reply", "email_notes", "required", "most_read", "rights", "newsletter")]
        for article in own:
            story = (article.title, *article.paragraphs)
            body = normalize_for_matching(" ".join(story))
            others = [a.title for a in own if a.id != article.id]
            comments = [c.text for c in article.comments] + [c.author for c in article.comments]
            furniture = [spec.masthead, spec.slogan, spec.about, *labels, *others, *comments, "Back to top button"]
            drop = tuple(s for s in furniture if normalize_for_matching(s) not in body)  # never the story's words
            paragraphs = article.paragraphs
            keep = (paragraphs[0][:80], paragraphs[len(paragraphs) // 2][:80], paragraphs[-1][-80:])
            reply = app.respond(article.path, {})
            cases.append(
                Case(
                    f"demo:{spec.name}:{article.id}",
                    article.lang,
                    app.renderer.url(article),
                    reply.body,
                    keep,
                    drop,
                    story,
                )
            )
    return cases


def leaked_lines(case: Case, text: str) -> int:
    lines = [line for line in text.splitlines() if line.strip()]
    if case.story is not None:
        story = normalize_for_matching("\n".join(case.story))
        return sum(1 for line in lines if normalize_for_matching(line) not in story)
    return sum(1 for line in lines if any(snippet in line for snippet in case.drop))


@dataclass
class Quality:
    recall: list[float]
    precision: list[float]
    leaked: int = 0
    lost: int = 0

    def add(self, case: Case, text: str) -> None:
        self.recall.append(sum(s in text for s in case.keep) / len(case.keep))
        self.precision.append(sum(s not in text for s in case.drop) / len(case.drop) if case.drop else 1.0)
        self.leaked += leaked_lines(case, text)
        self.lost += len(text) < MIN_TEXT_CHARS

    def row(self) -> str:
        return (
            f"{statistics.mean(self.recall):6.3f} {statistics.mean(self.precision):6.3f}"
            f" {self.leaked:4d} {self.lost:4d}"
        )


def bare(options: dict[str, Any]) -> Callable[[Case], str]:
    def run(case: Case) -> str:
        tree = trafilatura.load_html(case.page)
        document = trafilatura.bare_extraction(tree, url=case.url, with_metadata=False, **options)
        return str(document.text or "") if document is not None and not isinstance(document, dict) else ""

    return run


def rasd_body(case: Case) -> str:
    """What extract_article extracts before its rules: layout tables read as <div>s (extract.layout),
    then the precision pass with the recall pass's paragraphs inside the article (extract.body)."""
    tree = trafilatura.load_html(case.page)
    if tree is None:
        return ""
    unlayout_tables(tree)
    return body_text(tree, case.url)


def plain_defaults(case: Case) -> str:
    return trafilatura.extract(case.page, url=case.url) or ""


def timed(runs: dict[str, Callable[[Case], str]], cases: list[Case], repeat: int) -> dict[str, float]:
    """Pages per CPU second of each run: the number of pages over the sum of each page's fastest of
    `repeat` extractions (a page's minimum is its cost without the moments another process got in the
    way), the option sets taking turns within each round."""
    fastest = {name: [float("inf")] * len(cases) for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            for index, case in enumerate(cases):
                start = time.process_time()
                run(case)
                fastest[name][index] = min(fastest[name][index], time.process_time() - start)
    return {name: len(cases) / sum(times) for name, times in fastest.items()}


def quality(run: Callable[[Case], str], cases: list[Case]) -> tuple[Quality, Quality]:
    raw, stripped = Quality([], []), Quality([], [])
    for case in cases:
        text = run(case)
        raw.add(case, text)
        stripped.add(case, strip_boilerplate(text, detect_language(text), case.boilerplate))
    return raw, stripped


def corpus_lines() -> Iterable[tuple[str, str]]:
    for name in ("dev.jsonl", "dev-web.jsonl"):
        path = CORPUS / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not str(row["id"]).startswith("seed-"):  # the seeds carry their boilerplate on purpose
                yield str(row["id"]), str(row["text"])


def rules_report(groups: dict[str, list[Case]]) -> None:
    texts = [t for cases in groups.values() for t in (bare(PRECISION_OPTIONS)(c) for c in cases)]
    start = time.process_time()
    rounds = 20
    for _ in range(rounds):
        for text in texts:
            strip_boilerplate(text, detect_language(text))
    per_page = (time.process_time() - start) / (rounds * len(texts)) * 1000
    print(f"\nstrip_boilerplate: {per_page:.3f} ms CPU a page (mean over {len(texts)} pages × {rounds})")
    total = dropped = 0
    examples = []
    for ident, text in corpus_lines():
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        kept = set(strip_boilerplate(text, detect_language(text)).splitlines())
        gone = [line for line in lines if line not in kept]
        total += len(lines)
        dropped += len(gone)
        examples += [f"  {ident}: {line[:100]}" for line in gone[:2]]
    if total:
        print(f"real article lines the rules drop (../shared/corpus, read in place): {dropped} of {total}")
        print("\n".join(examples[:10]))
    else:
        print("../shared/corpus not found: the over-stripping check on real text was skipped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10, help="timed extractions of each page per option set")
    args = parser.parse_args()
    fixtures, demo = fixture_cases(), demo_cases()
    runs = {"trafilatura.extract() defaults": plain_defaults, "rasd": rasd_body} | {
        name: bare(o) for name, o in OPTION_SETS.items()
    }
    for run in runs.values():  # warm-up: imports, caches
        run(fixtures[0])
    rates = timed(runs, fixtures + demo, args.repeat)
    print(
        f"{len(fixtures)} fixture pages (tests/pages) + {len(demo)} demo web article pages; trafilatura "
        f"{trafilatura.__version__}; pages/s: CPU time of one process over all {len(fixtures) + len(demo)} pages,"
        f" each page's fastest of {args.repeat}"
    )
    print(f"extract.body.PRECISION_OPTIONS now: {PRECISION_OPTIONS}; 'rasd' is extract.layout + extract.body\n")
    figures = f"{'recall':>6s} {'prec.':>6s} {'leak':>4s} {'lost':>4s}"
    print(
        f"{'':38s} {'':>8s} | {'fixtures, trafilatura alone':^23s} | {'demo, trafilatura alone':^23s}"
        f" | {'fixtures, after rules':^23s} | {'demo, after rules':^23s}"
    )
    print(f"{'options':38s} {'pages/s':>8s} | {figures} | {figures} | {figures} | {figures}")
    print("-" * 150)
    for name, run in runs.items():
        (fixture_raw, fixture_rules), (demo_raw, demo_rules) = quality(run, fixtures), quality(run, demo)
        row = " | ".join(q.row() for q in (fixture_raw, demo_raw, fixture_rules, demo_rules))
        print(f"{name:38s} {rates[name]:8.1f} | {row}")
    rules_report({"fixtures": fixtures, "demo": demo})


if __name__ == "__main__":
    main()
