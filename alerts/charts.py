"""Charts of SSE stories per week — by region and by source — as SVG (pygal), and the page that shows them,
for `rasd report --month` and `rasd browse`'s /-/charts page, in the reader's language.

pygal draws server-side SVG with no JavaScript needed to see it (its tooltip script is left out: the page
must work offline and on a mail client), so the same picture goes into a file, a browser or a digest.
The page's words are catalog messages (alerts/locale) like the digest's: an Arabic reader gets an Arabic
page laid out right to left, with Moroccan month names; the SVG itself stays left to right (time runs
left to right on its axis) with the region names in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from babel.dates import format_date

from rasd.alerts import i18n
from rasd.alerts.why import region_name

# pygal's default font is a monospace one, in which Arabic letters are drawn unjoined and hard to read.
STYLE_FONT = 'system-ui, "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif'

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


def stacked_weeks(
    rows: Rows, weeks: Sequence[str], title: str, language: str, label: Callable[[str], str] = str
) -> str:
    """A stacked bar chart: one bar per week of ``weeks`` (a week without stories is a bar 0 high), one
    colour per label."""
    import pygal
    from pygal.style import DefaultStyle

    labels = sorted({name for _, name, _ in rows})
    counts = {(week, name): n for week, name, n in rows}
    chart = pygal.StackedBar(
        js=[],
        disable_xml_declaration=True,
        width=900,
        height=380,
        title=title,
        x_label_rotation=30,
        # pygal cuts a long label to what it guesses fits ("2026-11-30 (12-01 to…"): a week's counted days, a
        # source's name, are read whole
        truncate_label=-1,
        truncate_legend=-1,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        print_values=False,
        no_data_text=i18n.translations(language).gettext("no SSE story in these weeks"),
        show_y_guides=True,
        style=DefaultStyle(font_family=STYLE_FONT),
    )
    chart.x_labels = weeks
    tallest = max((sum(n for (week, _), n in counts.items() if week == w) for w in weeks), default=0)
    step = max(1, -(-tallest // 8))  # whole stories on the axis, about eight lines
    if tallest:  # (pygal fails on axis labels for a chart without series)
        chart.y_labels = list(range(0, tallest + step, step))
    for name in labels:
        chart.add(label(name), [counts.get((week, name), 0) for week in weeks])
    return str(chart.render(is_unicode=True))


def totals(rows: Rows, label: Callable[[str], str] = str) -> list[tuple[str, int]]:
    summed: dict[str, int] = {}
    for _, name, n in rows:
        summed[name] = summed.get(name, 0) + n
    return [(label(name), n) for name, n in sorted(summed.items(), key=lambda item: (-item[1], item[0]))]


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
) -> str:
    """The HTML page: the two charts over every week of [start, end), their totals, and (for a report) the
    stories themselves; ``by_region`` and ``by_source`` are the counts as storage gives them."""
    messages = i18n.translations(language)
    weeks = week_labels(start, end, language)
    by_region = [(weeks[week], name, n) for week, name, n in by_region]
    by_source = [(weeks[week], name, n) for week, name, n in by_source]

    def region(code: str) -> str:
        return region_label(code, language)

    per_region = messages.gettext("SSE stories per week, by region")
    per_source = messages.gettext("SSE stories per week, by source")
    charts = [
        {
            "caption": per_region,
            "svg": stacked_weeks(by_region, list(weeks.values()), per_region, language, region),
            "label": messages.gettext("region"),
            "totals": totals(by_region, region),
        },
        {
            "caption": per_source,
            "svg": stacked_weeks(by_source, list(weeks.values()), per_source, language),
            "label": messages.gettext("source"),
            "totals": totals(by_source),
        },
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
    )
