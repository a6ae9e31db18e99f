"""Charts of SSE stories per week — by region and by source — as HTML bars, and the page that shows them,
for `rasd report --month` and `rasd browse`'s /-/charts page, in the reader's language.

Each week is a line: its label, a bar whose coloured parts are the regions (or sources) in the legend's colours,
and the week's count; no JavaScript and no picture, so the page works offline, in a mail client, and on a
phone, where pygal's 900-pixel SVG shrank to unreadable 4-pixel labels laid over each other. The page's words
are catalog messages (alerts/locale) like the digest's: an Arabic reader gets an Arabic page laid out right to
left, its bars growing from the right, with Moroccan month names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date

from rasd.alerts import i18n
from rasd.alerts.why import region_name

Rows = Sequence[tuple[str, str, int]]  # (week, label, stories)
Story = tuple[int, str, str, str, str]  # (id, published, source, title, url)


def region_label(code: str, language: str) -> str:
    """ "MA-09 Souss-Massa", "MA-09 سوس ماسة": the code keeps the chart readable across languages."""
    if not code:
        return i18n.translations(language).gettext("no region named")
    return f"{code} {region_name(code, language)}"


def week_labels(start: date, end: date, language: str) -> dict[str, str]:
    """Every week holding a day of [start, end), by its Monday (YYYY-MM-DD, as the counts name it), with its
    label on the time axis: the Monday, or for a week crossing the edge the days of it that were counted
    ("2025-09-29 (October 1 to October 5 only)", "(من 1 أكتوبر إلى 5 أكتوبر فقط)"; "10-01" read as a programmer's
    date, and reversed in an Arabic label): a month's chart must not let its first bar pass for a whole week.
    Weeks without a story are there too: a chart's time axis skips no week."""
    gettext = i18n.translations(language).gettext
    first_monday = start - timedelta(days=start.weekday())
    labels = {}
    for monday in (first_monday + timedelta(weeks=n) for n in range(((end - first_monday).days + 6) // 7)):
        first, last = max(monday, start), min(monday + timedelta(days=6), end - timedelta(days=1))
        whole = (first, last) == (monday, monday + timedelta(days=6))
        labels[monday.isoformat()] = (
            monday.isoformat()
            if whole
            else gettext("%(week)s (%(first)s to %(last)s only)")
            % {
                "week": monday.isoformat(),
                "first": i18n.day_of_month(first, language),
                "last": i18n.day_of_month(last, language),
            }
        )
    return labels


# One colour per label, in the order the legend lists them (a bar's parts, strongest label first): distinct on a
# phone's screen and in grey print; a thirteenth label takes the first colour again, its name beside it in the list.
COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
)


def week_bars(rows: Rows, weeks: Sequence[str], language: str, label: Callable[[str], str] = str) -> dict[str, Any]:
    """A stacked bar per week of ``weeks`` (a week without stories is an empty bar): the HTML lists that the
    report's template lays out, each bar's parts one colour per label (``legend``: label, colour, total),
    the weeks' labels as words the page wraps, never squeezed under the bars. pygal's SVG drew a 900 pixel
    picture that a phone shrank to a third: its labels overlapped and its text was 4 pixels high; here the
    text is the page's, the bars as wide as the screen, and an Arabic page draws them right to left."""
    summed: dict[str, int] = {}
    for _, name, n in rows:
        summed[name] = summed.get(name, 0) + n
    order = sorted(summed, key=lambda name: (-summed[name], name))
    colour = {name: COLOURS[k % len(COLOURS)] for k, name in enumerate(order)}
    counts = {(week, name): n for week, name, n in rows}
    per_week = {week: sum(counts.get((week, name), 0) for name in order) for week in weeks}
    tallest = max(per_week.values(), default=0)
    bars = []
    for week in weeks:
        parts = [
            {
                "label": label(name),
                "n": counts[(week, name)],
                "colour": colour[name],
                "width": f"{100 * counts[(week, name)] / tallest:.2f}",
            }
            for name in order
            if counts.get((week, name))
        ]
        bars.append({"week": week, "total": per_week[week], "parts": parts})
    return {
        "bars": bars if tallest else [],
        "legend": [(label(name), colour[name], summed[name]) for name in order],
        "empty": i18n.translations(language).gettext("no SSE story in these weeks"),
    }


def month_title(month: date, language: str) -> str:
    """The report's title: "Rasd — SSE stories, October 2025" / "رصد — … أكتوبر 2025"."""
    named = format_date(month, "LLLL y", locale=i18n.locale(language))
    return i18n.translations(language).gettext("Rasd — SSE stories, %(month)s") % {"month": named}


def span_title(start: date, end: date, language: str) -> str:
    """The charts page's title: the weeks it covers, ``end`` excluded."""
    return i18n.translations(language).gettext("SSE stories per week, %(start)s to %(end)s") % {
        "start": i18n.long_day(start, language),
        "end": i18n.long_day(end - timedelta(days=1), language),
    }


def page(
    title: str,
    start: date,
    end: date,
    by_region: Rows,
    by_source: Rows,
    language: str,
    stories: Sequence[Story] = (),
    zone: str = "UTC",
) -> str:
    """The HTML page: the two charts over every week of [start, end), their totals, and (for a report) the
    stories themselves; ``by_region`` and ``by_source`` are the counts as storage gives them, their days those of
    ``zone`` (the config's `timezone` for a report; UTC for `rasd browse`'s page, which says so)."""
    messages = i18n.translations(language)
    weeks = week_labels(start, end, language)
    by_region = [(weeks[week], name, n) for week, name, n in by_region]
    by_source = [(weeks[week], name, n) for week, name, n in by_source]
    shown = list(weeks.values())

    def region(code: str) -> str:
        return region_label(code, language)

    per_region = messages.gettext("SSE stories per week, by region")
    per_source = messages.gettext("SSE stories per week, by source")
    charts = [
        {"caption": per_region, "label": messages.gettext("region"), **week_bars(by_region, shown, language, region)},
        {"caption": per_source, "label": messages.gettext("source"), **week_bars(by_source, shown, language)},
    ]
    count = len(stories) if stories else sum(n for _, _, n in by_source)
    summary = messages.ngettext(
        "%(count)d SSE story from %(start)s to %(end)s, by week.",
        "%(count)d SSE stories from %(start)s to %(end)s, by week.",
        count,
    ) % {
        "count": count,
        "start": i18n.long_day(start, language),
        "end": i18n.long_day(end - timedelta(days=1), language),
    }
    template = i18n.environment(language).get_template("report.html.j2")
    return template.render(
        language=language,
        direction=i18n.direction(language),
        title=title,
        summary=summary,
        charts=charts,
        stories=stories,
        zone=zone,
    )
