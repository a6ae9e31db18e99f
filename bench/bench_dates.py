"""Publication dates: Rasd (extract_article) against bare htmldate and trafilatura, on the same pages.

    python bench/bench_dates.py

Pages: the fixture pages of tests/pages/ (their dates in expectations.toml), and the stories of
../shared/corpus (read in place, never copied) rendered by templates written here, one per cause of a
wrong or missing date seen on pages of the wider web (issue 15) plus ordinary Moroccan and French
layouts. Each story gets a known date (seeded, some of them near midnight in the page's zone) and each
template a trap: a related post's or a tweet's date, today's date in the header, "hier" in the text,
JSON-LD that strict JSON rejects, a logo <h1>, a <time> whose attribute contradicts its text.

A date is right when its calendar day, in the zone the result is given in, is the page's day (what
htmldate returns: a day). Rasd's is `extract_article(...).date` (None when the page gives no article);
htmldate's `find_date(page, original_date=True)` with its defaults (extensive search); trafilatura's
`extract_metadata(page).date`. Printed: right / wrong / none per template and over all, and ms per page.
"""

from __future__ import annotations

import html
import json
import random
import sys
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import extract_article  # noqa: E402

PAGES = ROOT / "tests" / "pages"
# ../shared/corpus from the main checkout; from a worktree (/work/wt/NAME) it is two levels up
CORPUS = next((p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), ROOT)
FETCHED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
MOROCCO = ZoneInfo("Africa/Casablanca")
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]
FR_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
]  # fmt: skip
DE_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
    "Dezember",
]  # fmt: skip


@dataclass(frozen=True)
class Story:
    lang: str
    title: str
    paragraphs: list[str]
    moment: datetime  # Moroccan local time


@dataclass(frozen=True)
class Case:
    template: str
    url: str
    page: bytes
    day: date | None
    fetched: datetime = FETCHED


def written(moment: datetime, lang: str) -> str:
    if lang == "ar":
        return f"{moment.day} {AR_MONTHS[moment.month - 1]} {moment.year} - {moment:%H:%M}"
    return f"{moment.day} {FR_MONTHS[moment.month - 1]} {moment.year} à {moment:%Hh%M}"


def other_day(moment: datetime, days: int) -> datetime:
    return moment - timedelta(days=days)


def shell(story: Story, head: str, body: str) -> str:
    direction = "rtl" if story.lang == "ar" else "ltr"
    return (
        f'<!DOCTYPE html><html lang="{story.lang}" dir="{direction}"><head><meta charset="utf-8">'
        f"<title>{html.escape(story.title)} | Le Site</title>{head}</head><body>{body}</body></html>"
    )


def paragraphs(story: Story) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)


def jsonld(story: Story, when: str, extra: str = "", kind: str = "NewsArticle") -> str:
    headline = json.dumps(story.title, ensure_ascii=False)
    return (
        f'{{"@context": "https://schema.org", "@type": "{kind}", "headline": {headline},{extra}'
        f' "datePublished": "{when}"}}'
    )


def related(story: Story) -> str:
    old = other_day(story.moment, 40)
    return (
        "<section><h3>À lire aussi</h3>"
        f"<article><h4><a href='/x'>Autre titre</a></h4><time datetime='{old.isoformat()}'>{old:%d/%m/%Y}</time>"
        "</article></section>"
    )


def t_jsonld_tab(s: Story) -> str:
    lead = s.paragraphs[0][:60].replace(" ", "\t", 3).replace('"', "'")  # raw tabs inside a JSON string
    desc = f' "description": "{lead}",'
    script = f'<script type="application/ld+json">{jsonld(s, s.moment.isoformat(), desc)}</script>'
    return shell(s, script, f"<article><h1>{html.escape(s.title)}</h1>{paragraphs(s)}</article>{related(s)}")


def t_jsonld_cdata(s: Story) -> str:
    script = f'<script type="application/ld+json">//<![CDATA[\n{jsonld(s, s.moment.isoformat())}\n//]]></script>'
    return shell(s, script, f"<article><h1>{html.escape(s.title)}</h1>{paragraphs(s)}</article>{related(s)}")


def t_jsonld_notype(s: Story) -> str:
    script = f"<script>{jsonld(s, s.moment.isoformat())}</script>"
    return shell(s, script, f"<article><h1>{html.escape(s.title)}</h1>{paragraphs(s)}</article>{related(s)}")


def t_logo_h1(s: Story) -> str:
    today = FETCHED.astimezone(MOROCCO)
    return shell(
        s,
        "",
        f"<div id='top'><h1 class='logo'><a href='/'>Le Site</a></h1><div class='jour'>{written(today, s.lang)}"
        f"</div></div><div class='content'><h1>{html.escape(s.title)}</h1><div class='post-date'>"
        f"{written(s.moment, s.lang)}</div>{paragraphs(s)}</div>",
    )


def t_publication(s: Story) -> str:
    return shell(
        s,
        "",
        f"<div class='main'><div class='titre'><h1>{html.escape(s.title)}</h1></div><div><div class='publication'>"
        f"{written(s.moment, s.lang)}</div></div>{paragraphs(s)}</div>",
    )


def t_abbr(s: Story) -> str:
    return shell(
        s,
        "",
        f"<div class='hentry'><h1 class='entry-title'>{html.escape(s.title)}</h1><div class='x'><abbr class='published'"
        f" title='{s.moment.isoformat()}'>{s.moment:%d/%m}</abbr></div><div class='entry-content'>{paragraphs(s)}"
        "</div></div>",
    )


def t_related_time(s: Story) -> str:
    return shell(
        s,
        "",
        f"<main><article><h1>{html.escape(s.title)}</h1><p class='by'>{written(s.moment, s.lang)}</p>{paragraphs(s)}"
        f"</article>{related(s)}</main>",
    )


def t_tweet(s: Story) -> str:
    old = other_day(s.moment, 3)
    tweet = (
        f"<blockquote class='twitter-tweet'><p>Bravo !</p>— Ministère <a href='https://t.example/1'>"
        f"<time datetime='{old.isoformat()}'>{old:%B %d, %Y}</time></a></blockquote>"
    )
    return shell(
        s,
        "",
        f"<article><h1>{html.escape(s.title)}</h1><div class='post-meta'>{written(s.moment, s.lang)}</div>"
        f"{paragraphs(s)[:-4]}{tweet}</p></article>",
    )


def t_time_contradicted(s: Story) -> str:
    wrong = other_day(s.moment, 2)
    label = "نشر في" if s.lang == "ar" else "Publié le"
    return shell(
        s,
        "",
        f"<article><h1>{html.escape(s.title)}</h1><time datetime='{wrong.isoformat()}'>{label} "
        f"{written(s.moment, s.lang)}</time>{paragraphs(s)}</article>",
    )


def t_yesterday(s: Story) -> str:
    lead = "أمس، " if s.lang == "ar" else "Hier, "
    first = lead + s.paragraphs[0]
    rest = "".join(f"<p>{html.escape(p)}</p>" for p in s.paragraphs[1:])
    return shell(
        s, "", f"<div class='post'><h1>{html.escape(s.title)}</h1><p>{html.escape(first[:90])}</p>{rest}</div>"
    )


def t_dc_created(s: Story) -> str:
    meta = f'<meta name="dc.date.created" content="{s.moment:%Y-%m-%d|%Hh%M}">'
    return shell(s, meta, f"<div class='post'><h1>{html.escape(s.title)}</h1>{paragraphs(s)}</div>")


def t_german(s: Story) -> str:
    shown = f"Veröffentlicht am {s.moment.day}. {DE_MONTHS[s.moment.month - 1]} {s.moment.year}, {s.moment:%H:%M} Uhr"
    return shell(
        s, "", f"<div class='post'><h1>{html.escape(s.title)}</h1><p class='meta'>{shown}</p>{paragraphs(s)}</div>"
    )


def t_offset(s: Story) -> str:
    script = f'<script type="application/ld+json">{jsonld(s, s.moment.isoformat())}</script>'
    return shell(s, script, f"<article><h1>{html.escape(s.title)}</h1>{paragraphs(s)}</article>")


def t_parsely(s: Story) -> str:
    meta = f'<meta name="parsely-pub-date" content="{s.moment.isoformat()}">'
    return shell(s, meta, f"<div><h1>{html.escape(s.title)}</h1>{paragraphs(s)}</div>")


def t_moroccan_visible(s: Story) -> str:
    today = FETCHED.astimezone(MOROCCO)
    return shell(
        s,
        "",
        f"<header><div class='today'>{written(today, s.lang)}</div></header>"
        f"<div class='post'><h1>{html.escape(s.title)}</h1>"
        f"<div class='post-meta'><span>{written(s.moment, s.lang)}</span></div>{paragraphs(s)}</div>"
        f"<aside><ul><li>{written(other_day(s.moment, 5), s.lang)}</li></ul></aside>",
    )


TEMPLATES: dict[str, Callable[[Story], str]] = {
    name[2:]: template for name, template in globals().items() if name.startswith("t_") and callable(template)
}


def stories() -> list[Story]:
    rng = random.Random(15)
    found = []
    for name in ("dev-web-2.jsonl", "dev-web.jsonl", "dev.jsonl"):
        path = CORPUS / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            lines = [p.strip() for p in str(row["text"]).splitlines() if p.strip()]
            if str(row["id"]).startswith("seed-") or not lines:
                continue
            title = str(row.get("title") or lines[0][:90])
            start = datetime(2018, 1, 1, tzinfo=MOROCCO)
            moment = start + timedelta(days=rng.randrange(2900), minutes=rng.randrange(24 * 60))
            if rng.random() < 0.3:  # near midnight: a UTC conversion would change the day
                moment = moment.replace(hour=0, minute=rng.randrange(50))
            found.append(Story(str(row["lang"]), title, lines[:6], moment))
    return found


def cases() -> list[Case]:
    data = tomllib.loads((PAGES / "expectations.toml").read_text(encoding="utf-8"))
    found = []
    for entry in data["pages"]:
        truth = datetime.fromisoformat(entry["date"]).date() if entry["date"] else None
        fetched = datetime.fromisoformat(entry.get("fetched_at", data["fetched_at"]))
        found.append(Case("fixtures", entry["url"], (PAGES / entry["file"]).read_bytes(), truth, fetched))
    names = list(TEMPLATES)
    for index, story in enumerate(stories()):
        name = names[index % len(names)]
        url = f"https://site.example/article.php?id={index}"
        if name == "yesterday":  # the truth is in the permalink only
            url = f"https://site.example/{story.moment:%Y/%m/%d}/article-{index}/"
        found.append(Case(name, url, TEMPLATES[name](story).encode(), story.moment.date()))
    return found


def rasd(case: Case) -> date | None:
    article = extract_article(case.page, case.url, case.fetched)
    return article.date.date() if article and article.date else None


def bare_htmldate(case: Case) -> date | None:
    from htmldate import find_date

    found = find_date(case.page, url=case.url, original_date=True)
    return date.fromisoformat(found) if found else None


def bare_trafilatura(case: Case) -> date | None:
    import trafilatura

    metadata = trafilatura.extract_metadata(case.page, default_url=case.url)
    return date.fromisoformat(metadata.date) if metadata and metadata.date else None


def main() -> None:
    all_cases = cases()
    print(
        f"{len(all_cases)} pages: {Counter(c.template for c in all_cases)['fixtures']} fixtures, the rest from"
        f" ../shared/corpus through {len(TEMPLATES)} templates; fetched {FETCHED:%Y-%m-%d}"
    )
    readers = {"rasd": rasd, "htmldate": bare_htmldate, "trafilatura": bare_trafilatura}
    results: dict[str, dict[str, Counter[str]]] = {name: defaultdict(Counter) for name in readers}
    cost: dict[str, float] = {}
    for name, reader in readers.items():
        reader(all_cases[0])  # imports
        start = time.process_time()
        for case in all_cases:
            got = reader(case)
            verdict = "none" if got is None else ("right" if got == case.day else "wrong")
            if case.day is None:
                verdict = "right" if got is None else "wrong"
            results[name][case.template][verdict] += 1
            results[name]["ALL"][verdict] += 1
        cost[name] = (time.process_time() - start) / len(all_cases) * 1000
    groups = ["ALL", "fixtures", *TEMPLATES]
    print(f"\n{'pages':22s}" + "".join(f"{name:>24s}" for name in readers))
    print(f"{'':22s}" + "".join(f"{'right/wrong/none':>24s}" for _ in readers))
    for group in groups:
        row = f"{group:22s}"
        for name in readers:
            c = results[name][group]
            total = sum(c.values())
            row += f"{c['right']:>6d}/{c['wrong']:>4d}/{c['none']:>4d} ({c['right'] / total if total else 0:5.3f})"
        print(row)
    print(
        f"\n{'ms CPU a page':22s}"
        + "".join(f"{cost[name]:>24.1f}" for name in readers)
        + "   (rasd: the whole extraction, text included)"
    )


if __name__ == "__main__":
    main()
