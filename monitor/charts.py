"""Charts of SSE stories per week — by region and by source — as SVG (pygal), and the page that shows them,
for `rasd report --month` and `rasd browse`'s /-/charts page.

pygal draws server-side SVG with no JavaScript needed to see it (its tooltip script is left out: the page
must work offline and on a mail client), so the same picture goes into a file, a browser or a digest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from jinja2 import Environment

from rasd.config import REGION_NAMES

Rows = Sequence[tuple[str, str, int]]  # (week, label, stories)
Story = tuple[int, str, str, str, str]  # (id, published, source, title, url)

PAGE = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: system-ui, "Noto Naskh Arabic", sans-serif; margin: 2em auto; max-width: 64em; color: #222; }
figure { margin: 2em 0; } figcaption { font-weight: 600; margin-bottom: .5em; }
table { border-collapse: collapse; margin: 1em 0; } td, th { padding: .2em .8em; border-bottom: 1px solid #ddd; }
td.n { text-align: right; } .rtl { direction: rtl; unicode-bidi: isolate; }
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ summary }}</p>
{% for chart in charts %}<figure><figcaption>{{ chart.caption }}</figcaption>{{ chart.svg | safe }}
<table><tr><th>{{ chart.label }}</th><th>stories</th></tr>
{% for label, total in chart.totals %}<tr><td>{{ label }}</td><td class="n">{{ total }}</td></tr>{% endfor %}
</table></figure>{% endfor %}
{% if stories %}<h2>Stories</h2><table>
{% for id, when, source, title, url in stories %}<tr><td>{{ when }}</td><td>{{ source }}</td>
<td><a href="{{ url }}" dir="auto">{{ title }}</a></td></tr>{% endfor %}
</table>{% endif %}
<p>Times are UTC; a week is shown by its Monday, and a week that crosses the edge of the period counts only
its days inside it (its label says which); a story syndicated by several sites counts once.</p>
</body></html>"""
)


def region_label(code: str) -> str:
    if not code:
        return "no region named"
    french, _arabic = REGION_NAMES.get(code, (code, code))
    return f"{code} {french}"


def clipped_weeks(rows: Rows, start: date, end: date) -> list[tuple[str, str, int]]:
    """Rows whose week crosses the edge of [start, end) relabelled with the days of it that were counted
    ("2025-09-29 (10-01 to 10-05 only)"): a month's chart must not let its first bar pass for a whole week."""

    def label(week: str) -> str:
        monday = date.fromisoformat(week)
        first, last = max(monday, start), min(monday + timedelta(days=6), end - timedelta(days=1))
        return (
            week
            if (first, last) == (monday, monday + timedelta(days=6))
            else f"{week} ({first:%m-%d} to {last:%m-%d} only)"
        )

    return [(label(week), name, n) for week, name, n in rows]


def stacked_weeks(rows: Rows, title: str, label: Callable[[str], str] = str) -> str:
    """A stacked bar chart: one bar per week, one colour per label."""
    import pygal

    weeks = sorted({week for week, _, _ in rows})
    labels = sorted({name for _, name, _ in rows})
    counts = {(week, name): n for week, name, n in rows}
    chart = pygal.StackedBar(
        js=[],
        disable_xml_declaration=True,
        width=900,
        height=380,
        title=title,
        x_label_rotation=30,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        print_values=False,
        no_data_text="no SSE story in these weeks",
        show_y_guides=True,
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


def page(title: str, start: date, end: date, by_region: Rows, by_source: Rows, stories: Sequence[Story] = ()) -> str:
    """The HTML page: the two charts, their totals, and (for a report) the stories themselves."""
    charts = [
        {
            "caption": "SSE stories per week, by region",
            "svg": stacked_weeks(by_region, "SSE stories per week, by region", region_label),
            "label": "region",
            "totals": totals(by_region, region_label),
        },
        {
            "caption": "SSE stories per week, by source",
            "svg": stacked_weeks(by_source, "SSE stories per week, by source"),
            "label": "source",
            "totals": totals(by_source),
        },
    ]
    count = len(stories) if stories else sum(n for _, _, n in by_source)
    last = end - timedelta(days=1)
    summary = f"{count} SSE stories from {start.isoformat()} to {last.isoformat()}, by week."
    return PAGE.render(title=title, summary=summary, charts=charts, stories=stories)
