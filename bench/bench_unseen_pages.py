"""Pages Rasd has never seen: `rasd extract` against bare trafilatura and htmldate, per kind of page.

    python bench/bench_unseen_pages.py [--pages tests/pages/unseen] [--show KIND]

The pages of tests/pages/unseen/ (expectations.toml says what each must and must not keep, and its
published day) imitate what other projects keep as test fixtures: WordPress, Drupal, Blogger, Medium,
Ghost, Next.js and Nuxt pages, 2005 table layouts, forums, live blogs, galleries, lists, interviews,
tables, quotes, AMP, print versions, press releases, cookie walls, paywalls, pages in windows-1252/1256
or Latin-1 with their charset late in the head, `<br><br>` paragraphs; dates only in the URL, in
`<time>`, meta, JSON-LD, in words, updated before published, relative; and (fifth pass) Moroccan and Mashriq
month names, French regional press, JSON-LD `@graph`s with related articles, microdata/RDFa, Open Graph dates
that disagree with the page's, related and comment `<time>`s, page 2 of a story, read-also boxes, `<article>`
sidebars, long-form sections, homepages, video pages, Russian and Chinese, XHTML, `<base href>`, `<noscript>`,
huge inline images, 200 paragraphs; and (sixth pass, written blind) UK, US, German, Dutch, Turkish, Persian,
Hebrew, Portuguese, Spanish and Italian news, 1998 `<font>` pages, a frameset, 2003 `<td>`/`<br>` layouts,
LiveJournal, Tumblr, Substack, Squarespace, Wix, Joomla, TYPO3, Hugo, Jekyll, Docusaurus, MediaWiki and
Discourse pages, bodies only in JSON-LD `articleBody`, stories split by ads and "most read" boxes, captions,
embedded tweets and Instagram posts, pull quotes, heading-only sections, tables of contents, RTL pages with LTR
fragments, "hace 3 días", 03/04/2019 on American, British and French pages, Hijri and Solar Hijri dates,
a date only in the footer (`date = ""`: the right answer is none), dateModified only, "By X and Y", a wire
story's "— Name, Reuters", Twitter handles, a lying `<html lang>`; and (seventh pass, written blind) Polish,
Japanese, Korean, Indonesian, Swedish, Greek and Russian news, Belgian, Swiss and Québec French, Algerian and
Moroccan WordPress/Drupal pages with a lying `lang`, bylines with titles ("Par notre correspondant à Agadir",
"بقلم:", "الرباط:"), agency-only credits, related stories as `<article>`s, comment threads longer than the
story, a podcast transcript, furniture in `<template>`, `<div>`s with `<br>`, product pages and soft 404s
(`story = false`), a homepage whose `og:type` is article, a login wall, a story ending in a two-item list, a
UTC `<time>` on the day before the visible one, "أمس" and "hier"; and (eighth pass, written blind) pages that hold
no story: date archives, search results, profiles, bot checks, redirects, section fronts, tag pages, consent
walls; and (ninth pass, written blind) saved pages: SingleFile's and a browser's "Save page as, complete"
(`<!-- saved from url=… -->`, `_files/` links, data: URIs, the save date in a comment), the Wayback Machine's
toolbar and rewritten links, Google's cache header, the AMP cache, Facebook Instant Articles (`<address>`
authors, no `<title>`), Arabic Blogger, vBulletin threads and PHP-Nuke portals, Moroccan commune,
regional-council and ministry news items and press releases (the module's name as `<h1>` or `<title>`), two
`<h1>`s, a 2024 story in table cells, lazy paragraphs in `data-*` attributes, Cloudflare's obfuscated
e-mail addresses, Word-pasted `<span dir=RTL>` paragraphs, tatweel and harakat in a headline, Tifinagh
month names, a Unix time only in a script, and times whose UTC day is not the page's (Morocco just after
midnight, US Central just before); and (tenth pass, branch pages12, in tests/pages/unseen12: run it with
--pages; the first 30 written blind) SPIP in French and Arabic, Joomla K2, 1C-Bitrix, DataLife Engine,
SharePoint, Liferay, Drupal 7's "ven, 11/06/2026",
Divi, WPBakery, Google Sites, Webflow, Shopify blogs, AMP web stories, WordPress's untranslated "décembre 4, 2026"
and "ديسمبر 9, 2026", two-digit years, ISO-8859-6 without a charset, windows-1256 named only by the XML declaration,
UTF-16, an `<article>` holding only the headline, a bilingual communiqué, a linked PDF as the article; and pages a
monitor meets when a source dies (parked domain, suspended account, directory listing, maintenance page, contact
page, attachment page, an empty application shell: `story = false`), then seven written after reading extract/: a
theme's next story printed under the first, text printed twice for phones and desktops, a council's decisions as a
list, a Telegram channel's page, Hijri and Gregorian dates together, an events calendar, a headline in a `<div>`;
and (eleventh pass, branch pages13, in tests/pages/unseen13, all 30 written blind) WordPress block themes, Arc XP,
Brightspot, tagDiv Cloud, Publisher, Zox News, Elementor sections, DotNetNuke, ASP.NET labels, Over-blog,
Canalblog, Jimdo, Weebly, Google Docs, Notion, HubSpot, Jetpack, accessibility toolbars, Tifinagh, EFE and MAP
datelines, briefs, captions longer than the story, Word's `<xml>`, a Next.js app-router flight; and an error
page, a server's default page and an RSS feed (`story = false`).

Measured per page, summed per kind:
  kept     the story's sentences (must_contain) found in the text
  leaked   furniture snippets (must_not_contain) found in the text
  date     the published day right (the calendar day in the zone the date is given in)
  title, author, lang   exactly the page's (author: on the pages that name one; lang: ISO 639-1)
A homepage of teasers (`story = false`) has no article: right is no text, no date, no title, no lang
(its teasers count as furniture leaked).
for
  rasd          `extract_article` page by page, as `rasd extract PAGE` (saved files without a URL get
                their file:// address, as the command gives them)
  rasd folder   the whole folder in one `rasd extract` run, with its furniture learning across pages
  traf          `trafilatura.extract(page, url, with_metadata=True, output_format="json")`, defaults
  traf recall   the same with `favor_recall=True`
  htmldate      `find_date(page, url, original_date=True)` (dates only)
and per page: the stories whose every sentence was kept, those with no furniture leaked, and the pages without a
story that got no text.
No timing: the figures are counts, the same on any machine.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extract import extract_article  # noqa: E402
from rasd.monitor.extracting import Page, extract_lines  # noqa: E402

FETCHED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # a saved page's fetch time, when the case gives none
RASD_LANGUAGES = ("ar", "fr", "en")  # the others are "und" (README); trafilatura names none unless told one


@dataclass(frozen=True)
class Case:
    file: Path
    kind: str
    url: str  # "" when the page is a saved file without its address
    fetched_at: datetime
    day: date | None
    title: str
    author: str  # "" when the page names none
    lang: str
    must: list[str]
    must_not: list[str]
    story: bool  # False: a page of teasers (a homepage), where the right answer is no article at all

    @property
    def address(self) -> str:
        return self.url or self.file.resolve().as_uri()


@dataclass(frozen=True)
class Result:
    text: str
    day: date | None
    title: str | None = None
    author: str | None = None
    lang: str | None = None


def load_cases(folder: Path) -> list[Case]:
    spec = tomllib.loads((folder / "expectations.toml").read_text(encoding="utf-8"))
    return [
        Case(
            file=folder / page["file"],
            kind=page["kind"],
            url=page["url"],
            fetched_at=datetime.fromisoformat(page["fetched_at"]) if "fetched_at" in page else FETCHED,
            day=date.fromisoformat(page["date"]) if page["date"] else None,
            title=page["title"],
            author=page["author"],
            lang=page["lang"],
            must=page["must_contain"],
            must_not=page["must_not_contain"],
            story=page.get("story", True),
        )
        for page in spec["pages"]
    ]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _authors(names: str) -> str:
    """Two authors as either tool writes them: trafilatura "A; B", Rasd "A, B"."""
    return _squeezed(names.replace(";", ","))


def _language(case: Case) -> str | None:
    """The lang a tool should give: none for a page without a story (no article, no language)."""
    if not case.story:
        return None
    return case.lang if case.lang in RASD_LANGUAGES else "und"


def rasd(case: Case) -> Result:
    article = extract_article(case.file.read_bytes(), case.address, case.fetched_at)
    if article is None:
        return Result("", None)
    day = article.date.date() if article.date else None
    return Result(article.text, day, article.title, article.author, article.lang)


def rasd_folder(cases: list[Case]) -> dict[Path, Result]:
    """All pages through one `rasd extract` run, as a folder of saved pages from many sites is."""
    pages = [Page(str(c.file), c.address, c.file.read_bytes(), c.fetched_at) for c in cases]
    output = io.StringIO()
    extract_lines(pages, output, report=lambda _: None)
    results = {}
    for case, line in zip(cases, output.getvalue().splitlines(), strict=True):
        record = json.loads(line)
        day = datetime.fromisoformat(record["date"]).date() if record.get("date") else None
        results[case.file] = Result(
            record.get("text") or "", day, record.get("title"), record.get("author"), record.get("lang")
        )
    return results


def _trafilatura(favor_recall: bool = False) -> Callable[[Case], Result]:
    import trafilatura

    def run(case: Case) -> Result:
        found = trafilatura.extract(
            case.file.read_bytes(),
            url=case.url or None,
            with_metadata=True,
            output_format="json",
            favor_recall=favor_recall,
        )
        if not found:
            return Result("", None)
        data = json.loads(found)
        day = date.fromisoformat(data["date"][:10]) if data.get("date") else None
        return Result(data.get("text") or "", day, data.get("title"), data.get("author"), data.get("language"))

    return run


def htmldate(case: Case) -> Result:
    from htmldate import find_date

    found = find_date(case.file.read_bytes(), url=case.url or None, original_date=True)
    return Result("", date.fromisoformat(found) if found else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=ROOT / "tests" / "pages" / "unseen")
    parser.add_argument("--show", help="print each page of this kind: what was lost, leaked, the dates")
    args = parser.parse_args()
    cases = load_cases(args.pages)
    runs: dict[str, Callable[[Case], Result]] = {
        "rasd": rasd,
        "traf": _trafilatura(),
        "traf recall": _trafilatura(favor_recall=True),
        "htmldate": htmldate,
    }
    results = {name: {case.file: run(case) for case in cases} for name, run in runs.items()}
    results["rasd folder"] = rasd_folder(cases)
    names = ["rasd", "rasd folder", "traf", "traf recall", "htmldate"]
    text_names = names[:4]
    # per kind and tool: kept, leaked, date right, title right, author right, lang right
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 6))
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # sentences, furniture, pages, authors
    for case in cases:
        size = sizes[case.kind]
        for i, value in enumerate((len(case.must), len(case.must_not), 1, int(bool(case.author)))):
            size[i] += value
        for name in names:
            result = results[name][case.file]
            text = _squeezed(result.text)
            score = (
                sum(_squeezed(s) in text for s in case.must),
                sum(_squeezed(s) in text for s in case.must_not),
                int(result.day == case.day),
                int(_squeezed(result.title or "") == _squeezed(case.title)),  # a Japanese title's ideographic space
                int(bool(case.author) and _authors(result.author or "") == _authors(case.author)),
                int(result.lang == _language(case)),
            )
            for total in (scores[case.kind][name], scores["all"][name]):
                for i, value in enumerate(score):
                    total[i] += value
            if args.show == case.kind:
                lost = [s[:50] for s in case.must if _squeezed(s) not in text]
                leaked = [s[:50] for s in case.must_not if _squeezed(s) in text]
                print(
                    f"{case.file.name} {name}: day {result.day} (want {case.day}) title {result.title!r}"
                    f" author {result.author!r} lang {result.lang} lost {lost} leaked {leaked}"
                )
    sizes["all"] = [sum(size[i] for size in sizes.values()) for i in range(4)]
    kinds = [*sorted(k for k in sizes if k != "all"), "all"]
    print("Text: sentences kept / furniture snippets leaked")
    print(f"{'kind':<16}{'pages':>6}" + "".join(f"{name:>18}" for name in text_names))
    for kind in kinds:
        s = sizes[kind]
        cells = "".join(f"{f'{scores[kind][n][0]}/{s[0]} {scores[kind][n][1]}/{s[1]}':>18}" for n in text_names)
        print(f"{kind:<16}{s[2]:>6}{cells}")
    print("\nMetadata: published day right / title right / author right (pages naming one) / lang right")
    print(f"{'kind':<16}{'pages':>6}" + "".join(f"{name:>20}" for name in names))
    for kind in kinds:
        s = sizes[kind]
        cells = ""
        for n in names:
            _, _, right, title, author, lang = scores[kind][n]
            if n == "htmldate":
                cells += f"{f'{right}/{s[2]}':>20}"
            else:
                shown_lang = lang if n.startswith("rasd") else "-"
                cells += f"{f'{right} {title} {author}/{s[3]} {shown_lang}':>20}"
        print(f"{kind:<16}{s[2]:>6}{cells}")
    print("\nPages: stories with every sentence kept / stories without furniture / pages without a story refused")
    stories = [case for case in cases if case.story]
    others = [case for case in cases if not case.story]
    for name in text_names:
        whole = sum(all(_squeezed(s) in _squeezed(results[name][c.file].text) for s in c.must) for c in stories)
        clean = sum(not any(_squeezed(s) in _squeezed(results[name][c.file].text) for s in c.must_not) for c in stories)
        refused = sum(not results[name][c.file].text.strip() for c in others)
        print(f"{name:<16}{f'{whole}/{len(stories)} {clean}/{len(stories)} {refused}/{len(others)}':>24}")


if __name__ == "__main__":
    main()
