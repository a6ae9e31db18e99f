"""Charts of SSE stories per week by region and by source: `rasd report --month` writes an HTML page whose
SVG pictures Chromium draws, and `rasd browse` shows the same charts at /-/charts."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

from sqlalchemy import text as sa_text

from rasd.classify import Classification
from rasd.extract import Article, content_hash
from rasd.monitor.browse import datasette_for
from rasd.storage import BY_SOURCE, Store, sse_months, stories_between, weekly_counts
from tests.conftest import run_rasd, write_config
from tests.test_alerts_chromium import _chromium, _png_size_and_colours
from tests.test_search import SOURCES, STORIES, _fill

SSE_TITLES = [story[2] for story in STORIES if story[6]]


def _bars(page: str) -> int:
    """Bars' parts drawn (one per week and label with stories; a week without stories has none)."""
    return len(re.findall(r'<span style="width: [\d.]+%; background: #[0-9a-f]{6}" title="', page))


def _weeks(page: str) -> list[str]:
    """The weeks of each chart, in order: their labels, whole."""
    return re.findall(r'<span class="week"><bdi>([^<]*)</bdi></span>', page)


def test_monthly_report_draws_weeks_by_region_and_source(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()

    made = run_rasd("--config", str(config), "report", "--month", "2025-09", "--output", "september.html", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "september.html: 4 SSE stories" in made.stdout
    html = unescape((tmp_path / "september.html").read_text(encoding="utf-8"))
    assert html.count('<ol class="weeks">') == 2
    assert "MA-09 Souss-Massa" in html and "MA-03 Fès-Meknès" in html and "Fes Presse" in html
    assert all(title in html for title in SSE_TITLES) and STORIES[3][2] not in html  # not SSE
    # by region: MA-09 two stories in the week of 1 September, MA-03 one in each of two weeks; by source three
    assert _bars(html) == 3 + 3

    dom = _chromium(tmp_path, "--dump-dom", (tmp_path / "september.html").as_uri()).stdout
    assert dom.count('<ol class="weeks">') == 2 and "Articles ESS par semaine, par région" in dom  # French
    shot = tmp_path / "report.png"
    _chromium(tmp_path, "--window-size=1000,1400", f"--screenshot={shot}", (tmp_path / "september.html").as_uri())
    width, height, colours = _png_size_and_colours(shot)
    assert (width, height) == (1000, 1400) and colours > 20  # drawn, in colour, not a blank page

    empty = run_rasd("--config", str(config), "report", "--month", "2024-01", cwd=tmp_path)
    assert empty.returncode == 0 and "0 SSE stories" in empty.stdout
    # which months to ask for instead (the wrong year typed, say)
    assert "the store has SSE stories from 2025-09 to 2025-09 (rasd report --month 2025-09)" in empty.stdout
    assert "aucun article ESS ces semaines-là" in (tmp_path / "rasd-report-2024-01.html").read_text(encoding="utf-8")


def test_browse_shows_the_charts(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    _fill(store)
    store.close()
    datasette = datasette_for(tmp_path / "rasd.db")
    charts = asyncio.run(datasette.client.get("/-/charts"))
    assert charts.status_code == 200
    assert charts.text.count('<ol class="weeks">') == 2 and "MA-09 Souss-Massa" in charts.text
    assert _bars(charts.text) == 6
    home = asyncio.run(datasette.client.get("/"))
    assert 'href="/-/charts"' in home.text


# Written for this test: SSE stories on each side of the edges of October 2025 (a Wednesday, a Friday).
EDGES = [
    ("https://tiznit.example/coop-29-sept/", "2025-09-29", "تعاونية نسائية بتيزنيت توسع إنتاجها"),
    ("https://tiznit.example/coop-30-sept/", "2025-09-30T23:30", "Tiznit : la coopérative d'argan exporte"),
    ("https://tiznit.example/coop-1-oct/", "2025-10-01T00:10", "Une coopérative de Tafraout ouvre un atelier"),
    ("https://fes.example/coop-31-oct/", "2025-10-31T22:00", "Fès : les coopératives au salon régional"),
    ("https://fes.example/coop-1-nov/", "2025-11-01", "Sefrou : une coopérative de tissage recrute"),
    ("https://fes.example/coop-undated/", "", "Meknès : un pôle ESS pour les coopératives"),  # fetched 10-15
]


def _edges(url: str) -> Store:
    store = Store(url)
    store.sync_sources(SOURCES)
    for link, day, title in EDGES:
        when = datetime.fromisoformat(day).replace(tzinfo=UTC) if day else None
        text = f"{title}. Les membres de la coopérative présentent leurs produits aux visiteurs du salon."
        article = Article(link, title, text, when, "meta" if when else None, None, "fr", None, content_hash(text))
        verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
        assert store.save_article("Tiznit Info" if "tiznit" in link else "Fes Presse", link, article, verdict)
    with store.session() as session:  # the undated story was fetched in mid-October
        session.execute(sa_text("UPDATE articles SET fetched_at = :at WHERE published_at IS NULL"), {"at": FETCHED})
        session.commit()
    return store


FETCHED = datetime(2025, 10, 15, 8)


def test_a_month_counts_only_its_own_days(database_url: str) -> None:
    """A month's report is that month's stories: a story of 29 or 30 September (in the week of Monday
    29 September, which ends in October) or of 1 November is not one of October's, on SQLite and PostgreSQL."""
    store = _edges(database_url)
    start, end = date(2025, 10, 1), date(2025, 11, 1)
    try:
        stories = stories_between(store, start, end)
        by_source = weekly_counts(store, BY_SOURCE, start, end)
        span = sse_months(store)
    finally:
        store.close()
    assert span == ("2025-09", "2025-11")  # what an empty month's report points to
    assert sorted(title for _, _, _, title, _ in stories) == sorted(title for _, day, title in EDGES[2:4] + EDGES[5:])
    assert sorted(when for _, when, _, _, _ in stories) == ["2025-10-01", "2025-10-15", "2025-10-31"]
    assert by_source == [
        ("2025-09-29", "Tiznit Info", 1),
        ("2025-10-13", "Fes Presse", 1),
        ("2025-10-27", "Fes Presse", 1),
    ]


def test_browse_charts_every_week_from_the_first_with_a_story_to_the_last(tmp_path: Path) -> None:
    """Stories in the weeks of 29 September, 13 and 27 October: the weeks of 6 and 20 October are drawn
    (no bar), and the page starts with the first week that has a story, not 26 weeks before the last."""
    _edges(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    charts = asyncio.run(datasette_for(tmp_path / "rasd.db").client.get("/-/charts")).text
    weeks = ["2025-09-29", "2025-10-06", "2025-10-13", "2025-10-20", "2025-10-27"]
    assert _weeks(unescape(charts)) == weeks * 2
    assert "du 29 septembre 2025 au 2 novembre 2025" in unescape(charts)


def test_a_month_report_labels_the_weeks_across_its_edges(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    _edges(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    made = run_rasd("--config", str(config), "report", "--month", "2025-10", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    # the reader's days (Casablanca, UTC+1): 23:30 UTC on 30 September is 00:30 on 1 October, October's
    assert made.stdout.endswith("rasd-report-2025-10.html: 4 SSE stories of 2025-10\n"), made.stdout
    html = unescape((tmp_path / "rasd-report-2025-10.html").read_text(encoding="utf-8"))
    assert EDGES[1][2] in html and EDGES[2][2] in html and EDGES[3][2] in html and EDGES[5][2] in html
    assert not any(title in html for _, _, title in EDGES[:1] + EDGES[4:5])
    # the weeks across the month's edges say which of their days were counted
    assert "2025-09-29 (du 1er octobre au 5 octobre seulement)" in html
    assert "2025-10-27 (du 27 octobre au 31 octobre seulement)" in html
    # every week of the month on the time axis of both charts, those without a story too (10-06, 10-20)
    weeks = ["2025-09-29 (du 1er octobre au 5 octobre seulement)", "2025-10-06", "2025-10-13", "2025-10-20"]
    assert _weeks(html) == [*weeks, "2025-10-27 (du 27 octobre au 31 octobre seulement)"] * 2
    # French writes the first of a month as an ordinal
    assert "4 articles ESS du 1er octobre 2025 au 31 octobre 2025" in html
    assert "Rasd — articles ESS, octobre 2025" in html


def test_an_arabic_reader_gets_an_arabic_report_right_to_left(tmp_path: Path) -> None:
    """The report speaks the subscriptions' language: Arabic words, Moroccan month names, region names of
    the gazetteer, laid out right to left — and Chromium draws it so (the bars growing from the right)."""
    subscriber = '[[subscriptions]]\nname = "Tous"\nemail = "a@example.org"\nlanguage = "ar"\n'
    config = write_config(tmp_path, "", subscriber)
    _edges(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    made = run_rasd("--config", str(config), "report", "--month", "2025-10", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    html = unescape((tmp_path / "rasd-report-2025-10.html").read_text(encoding="utf-8"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>رصد — أخبار الاقتصاد الاجتماعي والتضامني، أكتوبر 2025</h1>" in html
    assert "MA-09 سوس ماسة" in html and "2025-09-29 (من 1 أكتوبر إلى 5 أكتوبر فقط)" in html
    assert "4 أخبار عن الاقتصاد الاجتماعي والتضامني من 1 أكتوبر 2025 إلى 31 أكتوبر 2025" in html
    assert "SSE stories" not in html and "articles ESS" not in html  # one language, no mixture
    french = run_rasd(
        "--config", str(config), "report", "--month", "2025-10", "--lang", "fr", "--output", "fr.html", cwd=tmp_path
    )
    assert french.returncode == 0 and "Rasd — articles ESS, octobre 2025" in (tmp_path / "fr.html").read_text("utf-8")
    refused = run_rasd("--config", str(config), "report", "--month", "2025-10", "--lang", "de", cwd=tmp_path)
    assert refused.returncode == 2
    assert "Error: --lang: de is not a language Rasd is translated into: use one of en (English), " in refused.stderr

    dom = _chromium(tmp_path, "--dump-dom", (tmp_path / "rasd-report-2025-10.html").as_uri()).stdout
    assert 'dir="rtl"' in dom and dom.count('<ol class="weeks">') == 2


def test_the_report_reads_on_a_phone_its_text_clear_of_the_screen_s_edges(tmp_path: Path) -> None:
    """An official opening the month's report (or `rasd browse`'s charts) on a phone (newcomer13's trial,
    Chromium at 390 px): the page declared no viewport, so a phone drew it 980 px wide and shrank it, and at
    390 px its text touched both edges of the screen and the story's day broke as "2026-" over "12-04". Laid
    out in Chromium at 390 px: each paragraph's Arabic ends at least 8 px from either edge and a day is one line."""
    subscriber = '[[subscriptions]]\nname = "Tous"\nemail = "a@example.org"\nlanguage = "ar"\n'
    config = write_config(tmp_path, "", subscriber)
    _edges(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    made = run_rasd("--config", str(config), "report", "--month", "2025-10", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    html = (tmp_path / "rasd-report-2025-10.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    measure = (
        "<script>const w = document.documentElement.clientWidth; const gaps = [...document.querySelectorAll('p, h1')]"
        ".map(e => e.getBoundingClientRect()).map(r => Math.min(r.left, w - r.right));"
        "const days = [...document.querySelectorAll('td.when bdi')].map(e => e.getClientRects().length);"
        "document.body.dataset.gap = Math.min(...gaps); document.body.dataset.days = days.length;"
        "document.body.dataset.lines = Math.max(...days);</script>"
    )
    (tmp_path / "measured.html").write_text(html.replace("</body>", measure + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, "--window-size=390,2000", "--dump-dom", (tmp_path / "measured.html").as_uri()).stdout
    found = dict(re.findall(r'data-(gap|days|lines)="([\d.]+)"', dom))
    assert float(found["gap"]) >= 8, found
    assert int(found["days"]) >= 1 and found["lines"] == "1", found  # each day on one line


def test_the_charts_read_on_a_phone_in_arabic_and_french(tmp_path: Path) -> None:
    """pygal drew each chart as a 900-pixel picture that a phone (Chromium at 390 px) shrank to a third: its week
    labels, rotated, lay over each other and its text was about 4 px high (newcomer13's trial). Laid out 390 px
    wide (in a frame: headless Chromium's window is 500 px at the least), every week's label and every legend line
    is text of at least 12 px, no two week labels overlap, each bar takes most of the width, and in Arabic the bars
    start at the right."""
    _edges(f"sqlite:///{tmp_path / 'rasd.db'}").close()
    measure = (
        "<iframe id=f src='r.html' width=390 height=3000></iframe><script>"
        "document.getElementById('f').onload = () => { const d = document.getElementById('f').contentDocument;"
        "const px = e => parseFloat(getComputedStyle(e).fontSize);"
        "const labels = [...d.querySelectorAll('.week, td bdi')];"
        "const weeks = [...d.querySelectorAll('.week')].map(e => e.getBoundingClientRect());"
        "const overlap = weeks.some((r, i) => weeks.some((q, j) => i < j && r.bottom > q.top && q.bottom > r.top"
        " && r.right > q.left && q.right > r.left));"
        "const bars = [...d.querySelectorAll('.bar')];"
        "const sides = bars.map(b => getComputedStyle(b).direction);"
        "Object.assign(document.body.dataset, {small: Math.min(...labels.map(px)), overlap: overlap ? 1 : 0,"
        " narrow: Math.min(...bars.map(b => b.getBoundingClientRect().width)), sides: [...new Set(sides)].join(''),"
        " weeks: weeks.length, wide: d.documentElement.clientWidth}); };</script>"
    )
    (tmp_path / "measured.html").write_text(f"<!doctype html><html><body>{measure}</body></html>", encoding="utf-8")
    for language in ("ar", "fr"):
        subscriber = f'[[subscriptions]]\nname = "Tous"\nemail = "a@example.org"\nlanguage = "{language}"\n'
        config = write_config(tmp_path, "", subscriber)
        made = run_rasd("--config", str(config), "report", "--month", "2025-10", "--output", "r.html", cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        dom = _chromium(
            tmp_path,
            "--allow-file-access-from-files",
            "--window-size=600,3000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (tmp_path / "measured.html").as_uri(),
        ).stdout
        found = dict(re.findall(r'data-(small|overlap|narrow|sides|weeks|wide)="([\w.]*)"', dom))
        assert found.get("wide") == "390" and found["weeks"] == "10", (language, found)
        assert float(found["small"]) >= 12 and found["overlap"] == "0", (language, found)
        assert float(found["narrow"]) >= 250, (language, found)  # a bar most of the 390 px
        assert found["sides"] == ("rtl" if language == "ar" else "ltr"), (language, found)  # where bars start


def test_a_month_is_the_readers_month_in_the_configs_time_zone(database_url: str) -> None:
    """`rasd report --month` cut the month and dated its stories in UTC, where the digests, `rasd search` and the
    export use the config's `timezone`: in Casablanca (UTC+1) a story published at 00:30 on 1 October (23:30 on 30
    September UTC) was September's, and one at 00:30 on Monday 6 October counted in the week before. On SQLite and
    PostgreSQL."""
    from zoneinfo import ZoneInfo

    from rasd.storage import local_counts

    zone = ZoneInfo("Africa/Casablanca")
    store = _edges(database_url)
    monday_night = "https://tiznit.example/coop-6-oct/"
    text = "Une coopérative de Tiznit ouvre une boutique. Les membres de la coopérative vendent leur huile."
    when = datetime(2025, 10, 5, 23, 30, tzinfo=UTC)  # 00:30 on Monday 6 October in Casablanca
    article = Article(monday_night, "Tiznit : boutique", text, when, "meta", None, "fr", None, content_hash(text))
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    assert store.save_article("Tiznit Info", monday_night, article, verdict)
    try:
        stories = stories_between(store, date(2025, 10, 1), date(2025, 11, 1), zone)
        by_region, by_source = local_counts(store, date(2025, 10, 1), date(2025, 11, 1), zone)
    finally:
        store.close()
    days = {url: day for _, day, _, _, url in stories}
    assert days[EDGES[1][0]] == "2025-10-01" and days[monday_night] == "2025-10-06", days
    assert EDGES[4][0] not in days  # 01:00 on 1 November in Casablanca
    assert ("2025-09-29", "MA-09", 2) in by_region and ("2025-10-06", "MA-09", 1) in by_region, by_region
    assert sum(n for _, _, n in by_source) == len(stories) == 5



def test_browse_charts_weeks_are_the_readers(tmp_path: Path) -> None:
    """`rasd browse`'s /-/charts grouped the stories by their UTC week: a story of 00:30 on Monday 6 October in
    Casablanca counted in the week before. With the config's `timezone` handed over, it is that Monday's week, and
    the page says whose days they are."""
    store = _edges(f"sqlite:///{tmp_path / 'rasd.db'}")
    link = "https://tiznit.example/coop-6-oct/"
    text = "Une coopérative de Tiznit ouvre une boutique. Les membres de la coopérative vendent leur huile."
    when = datetime(2025, 10, 5, 23, 30, tzinfo=UTC)  # 00:30 on Monday 6 October in Casablanca
    article = Article(link, "Tiznit : boutique", text, when, "meta", None, "fr", None, content_hash(text))
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=[], parts={})
    assert store.save_article("Tiznit Info", link, article, verdict)
    store.close()
    totals = r'<span class="week"><bdi>([^<]*)</bdi></span>.*?<span class="total">(\d+)</span>'
    for zone, monday_sixth in (("UTC", "0"), ("Africa/Casablanca", "1")):
        datasette = datasette_for(tmp_path / "rasd.db", zone=zone)
        charts = unescape(asyncio.run(datasette.client.get("/-/charts?weeks=60")).text)
        weeks = dict(re.findall(totals, charts))
        assert weeks["2025-10-06"] == monday_sixth, (zone, weeks)
    assert "Jours à l’heure de Africa/Casablanca" in charts
