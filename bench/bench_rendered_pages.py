"""Real stories in page templates Rasd was never tuned on: title, day, body found and clean, language.

    python bench/bench_rendered_pages.py [--corpus ../shared/corpus] [--show]     # or $RASD_CORPUS

The stories of tests/pages/unseen* are written for the tests; these are real ones: the first 30 titled
stories of over 300 characters of the shared corpus's `dev-web*.jsonl` (15 Arabic, 15 French, by id), each
rendered through one of three templates of CMSs no saved page of tests/ imitates (written for branch pages14,
after its fixes): Umbraco (a day-first "12/11/2026" in a `<span class="date">`, related headlines in a list),
Concrete CMS (the day in words in a page-attribute block, a page list of three other stories with their
excerpts, a comment thread) and Adobe Experience Manager (each paragraph its own text component, a teaser
component between two, the published day only in a meta tag and an "updated" day shown). The furniture
around each story is the other stories' headlines and excerpts, so that a leak is real text too.

Measured per template: title exactly the story's, published day right, body found (every paragraph of the
story kept), body clean (no snippet of furniture kept), language right. The corpus is read in place and
never copied; without it the bench says so and stops.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import extract_article  # noqa: E402

STORIES = 30
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")  # fmt: skip
MOROCCAN_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر",
                   "دجنبر")  # fmt: skip
WORDS = {
    "fr": {"related": "Articles liés", "share": "Partager sur Facebook", "read": "À lire aussi",
           "updated": "Mis à jour le", "published": "Date de publication :", "comments": "Commentaires"},
    "ar": {"related": "مقالات ذات صلة", "share": "شارك على فيسبوك", "read": "اقرأ أيضا",
           "updated": "آخر تحديث", "published": "تاريخ النشر:", "comments": "التعليقات"},
}  # fmt: skip


@dataclass(frozen=True)
class Story:
    id: str
    lang: str
    title: str
    paragraphs: list[str]
    day: date


@dataclass(frozen=True)
class Rendered:
    page: bytes
    url: str
    furniture: list[str]  # snippets that must not be in the text


def load_stories(corpus: Path) -> list[Story]:
    rows = []
    for name in ("dev-web.jsonl", "dev-web-2.jsonl"):
        rows += [json.loads(line) for line in (corpus / name).read_text(encoding="utf-8").splitlines() if line]
    titled = sorted((r for r in rows if r.get("title") and len(r["text"]) > 300), key=lambda r: r["id"])
    chosen = [r for lang in ("ar", "fr") for r in [r for r in titled if r["lang"] == lang][: STORIES // 2]]
    stories = []
    for i, row in enumerate(chosen):
        paragraphs = [p.strip() for p in row["text"].split("\n") if p.strip()]
        stories.append(Story(row["id"], row["lang"], " ".join(row["title"].split()), paragraphs, date(2026, 11, 1 + i)))
    return stories


def _words_date(day: date, lang: str) -> str:
    months = FRENCH_MONTHS if lang == "fr" else MOROCCAN_MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _excerpt(story: Story) -> str:
    return story.paragraphs[0][:140].rsplit(" ", 1)[0]


def umbraco(story: Story, others: list[Story], n: int) -> Rendered:
    e, w = html.escape, WORDS[story.lang]
    related = "".join(f'<li><a href="/news/{n + 100 + i}/">{e(o.title)}</a></li>' for i, o in enumerate(others))
    body = "".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    page = f"""<!DOCTYPE html><html lang="{story.lang}"{' dir="rtl"' if story.lang == "ar" else ""}><head>
<meta charset="utf-8"><title>{e(story.title)} | Portail Régional</title>
<link rel="stylesheet" href="/css/umbraco-site.css?v=13"></head>
<body class="umb-page doc-type-newsArticle"><div class="container">
<header class="site-header"><a class="logo" href="/">Portail Régional</a><nav class="main-nav"><ul>
<li><a href="/">Accueil</a></li><li><a href="/news/">Actualités</a></li><li><a href="/contact/">Contact</a>
</li></ul></nav></header>
<main id="main-content"><div class="article-page"><h1 class="article-title">{e(story.title)}</h1>
<p class="article-meta"><span class="date">{story.day:%d/%m/%Y}</span> | <span class="category">Actualités</span></p>
<div class="rte">{body}</div>
<div class="share-links"><a href="#">{w["share"]}</a></div>
<div class="related-articles"><h3>{w["related"]}</h3><ul>{related}</ul></div></div></main>
<footer class="site-footer"><p>© 2026 Portail Régional de l'économie sociale — Umbraco</p></footer></div>
<script src="/scripts/site.min.js"></script></body></html>"""
    furniture = [o.title for o in others] + [w["share"], "© 2026 Portail Régional"]
    return Rendered(page.encode(), f"https://portail-regional.example/news/{n}/", furniture)


def concrete(story: Story, others: list[Story], n: int) -> Rendered:
    e, w = html.escape, WORDS[story.lang]
    listed = "".join(
        f'<div class="ccm-block-page-list-page-entry"><div class="ccm-block-page-list-title">'
        f'<a href="/blog/{n + 200 + i}">{e(o.title)}</a></div>'
        f'<div class="ccm-block-page-list-description">{e(_excerpt(o))}</div></div>'
        for i, o in enumerate(others)
    )
    body = "".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    page = f"""<!DOCTYPE html><html lang="{story.lang}"><head>
<meta http-equiv="content-type" content="text/html; charset=UTF-8">
<title>{e(story.title)} :: Réseau Tadamon</title><meta name="generator" content="Concrete CMS">
<script type="text/javascript">var CCM_DISPATCHER_FILENAME = "/index.php";var CCM_CID = {n};</script></head>
<body><div class="ccm-page ccm-page-id-{n} page-type-blog-entry page-template-blog-entry">
<header><div class="ccm-block-autonav"><ul class="nav"><li><a href="/">Accueil</a></li><li>
<a href="/blog">Blog</a></li></ul></div></header>
<main><div class="container"><div class="row"><div class="col-md-8">
<h1 class="ccm-block-page-title page-title">{e(story.title)}</h1>
<div class="ccm-block-page-attribute-display-wrapper">
<span class="ccm-block-page-attribute-display-label">{w["published"]}</span> {_words_date(story.day, story.lang)}</div>
<div class="ccm-block-content">{body}</div>
<div class="ccm-conversation-wrapper"><h4>{w["comments"]}</h4><div class="ccm-conversation-message">
<p>{e(_excerpt(others[0]))}</p></div></div>
</div><div class="col-md-4"><div class="ccm-block-page-list-wrapper"><div class="ccm-block-page-list-header">
<h5>{w["read"]}</h5></div>
<div class="ccm-block-page-list-pages">{listed}</div></div></div></div></div></main>
<footer><p>Réseau Tadamon — Construit avec Concrete CMS</p></footer></div></body></html>"""
    furniture = [o.title for o in others] + [_excerpt(o) for o in others] + ["Construit avec Concrete CMS"]
    return Rendered(page.encode(), f"https://reseau-tadamon.example/blog/{n}", furniture)


def aem(story: Story, others: list[Story], n: int) -> Rendered:
    e, w = html.escape, WORDS[story.lang]
    parts = [
        f'<div class="text aem-GridColumn"><div class="cmp-text"><p>{e(p)}</p></div></div>' for p in story.paragraphs
    ]
    teaser = (
        f'<div class="teaser aem-GridColumn"><div class="cmp-teaser">'
        f'<div class="cmp-teaser__pretitle">{w["read"]}</div>'
        f'<h3 class="cmp-teaser__title"><a class="cmp-teaser__title-link" href="/content/site/{n + 300}.html">'
        f"{e(others[0].title)}</a></h3></div></div>"
    )
    parts.insert(1, teaser)
    updated = story.day + timedelta(days=1)
    page = f"""<!DOCTYPE HTML><html lang="{story.lang}"><head><meta charset="UTF-8">
<title>{e(story.title)}</title><meta property="article:published_time" content="{story.day}T10:00:00+01:00">
<meta name="template" content="article-page">
<link rel="stylesheet" href="/etc.clientlibs/site/clientlibs/clientlib-site.lc-1a2b-lc.min.css"></head>
<body class="page basicpage" id="page-{n}"><div class="root container responsivegrid">
<div class="cmp-container"><div class="aem-Grid aem-Grid--12">
<div class="experiencefragment header aem-GridColumn"><div class="cmp-experiencefragment">
<nav class="cmp-navigation"><ul><li><a href="/">Accueil</a></li><li>
<a href="/content/site/news.html">Actualités</a></li></ul></nav></div></div>
<div class="title aem-GridColumn"><div class="cmp-title"><h1 class="cmp-title__text">{e(story.title)}</h1></div></div>
<div class="text aem-GridColumn"><div class="cmp-text">
<p class="cmp-text__updated">{w["updated"]} {updated:%d.%m.%Y}</p></div></div>
{"".join(parts)}
<div class="experiencefragment footer aem-GridColumn"><div class="cmp-experiencefragment">
<p>© 2026 Agence régionale — Tous droits réservés</p></div></div>
</div></div></div></body></html>"""
    return Rendered(
        page.encode(),
        f"https://agence-regionale.example/content/site/{n}.html",
        [others[0].title, "© 2026 Agence régionale"],
    )


TEMPLATES: dict[str, Callable[[Story, list[Story], int], Rendered]] = {
    "umbraco": umbraco,
    "concrete": concrete,
    "aem": aem,
}


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(os.environ.get("RASD_CORPUS") or ROOT.parent / "shared" / "corpus")  # as eval_classifier.py
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--show", action="store_true", help="print each page's misses")
    args = parser.parse_args()
    if not (args.corpus / "dev-web-2.jsonl").exists():
        print(f"no corpus at {args.corpus}: nothing to measure")
        return
    stories = load_stories(args.corpus)
    names = list(TEMPLATES)
    scores = {name: [0] * 6 for name in names}  # pages, title, day, found, clean, lang
    for i, story in enumerate(stories):
        name = names[i % len(names)]
        others = [stories[(i + k) % len(stories)] for k in (7, 11, 13)]
        others = [o for o in others if o.lang == story.lang] or others
        rendered = TEMPLATES[name](story, others, 1000 + i)
        fetched = datetime(story.day.year, story.day.month, story.day.day, 20, tzinfo=UTC) + timedelta(days=1)
        article = extract_article(rendered.page, rendered.url, fetched)
        text = _squeezed(article.text) if article else ""
        right = (
            article is not None and _squeezed(article.title) == story.title,
            article is not None and article.date is not None and article.date.date() == story.day,
            all(_squeezed(p) in text for p in story.paragraphs),
            article is not None and not any(_squeezed(s) in text for s in rendered.furniture),
            article is not None and article.lang == story.lang,
        )
        score = scores[name]
        score[0] += 1
        for k, ok in enumerate(right, 1):
            score[k] += ok
        if args.show and not all(right):
            missed = [
                field for field, ok in zip(("title", "day", "found", "clean", "lang"), right, strict=True) if not ok
            ]
            shown = (article.title, article.date) if article else (None, None)
            print(f"{name} {story.id}: {', '.join(missed)} (title {shown[0]!r}, day {shown[1]})")
    print(f"{'template':<10}{'pages':>6}{'title':>7}{'day':>6}{'found':>7}{'clean':>7}{'lang':>6}")
    for name in names:
        pages, *rest = scores[name]
        print(f"{name:<10}{pages:>6}" + "".join(f"{v:>{w}}" for v, w in zip(rest, (7, 6, 7, 7, 6), strict=True)))
    total = [sum(scores[n][k] for n in names) for k in range(6)]
    print(f"{'all':<10}{total[0]:>6}" + "".join(f"{v:>{w}}" for v, w in zip(total[1:], (7, 6, 7, 7, 6), strict=True)))


if __name__ == "__main__":
    main()
