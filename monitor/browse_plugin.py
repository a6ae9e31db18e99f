"""Datasette plugin for `rasd browse`: Datasette's search box and the `search` canned query fold the
query as `rasd search` does (storage.query_language), so `تعاونية` finds `تعاونيه` and `ESS` only the word.

Datasette writes a table's `?_search=` as `MATCH escape_fts(:search)`, `escape_fts` being an SQL function
it registers on every connection; registered after it (trylast), ours takes its place. `rasd_match(q)` is
the same for canned queries. A query that cannot be searched (`NOT fes` alone) matches nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from rasd.storage import MOMENTS, local_bounds, local_weeks, readable_url
from rasd.storage.query_language import SearchError, fts_query

# A pattern no indexed text holds (the index never contains control characters): "no match".
NOTHING = '{title text} : "\x01\x01\x01"'


def folded_match(query: str | None) -> str:
    """The FTS5 expression for a user's query over the folded columns of `articles_fts`."""
    try:
        return fts_query(query or "")
    except SearchError:
        return NOTHING


def reader_language(datasette: Any) -> str:
    """The language `rasd browse --lang` chose (metadata plugins.rasd.language)."""
    return str((datasette.plugin_config("rasd") or {}).get("language", "fr"))


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    """Datasette's pages (our copies of its templates in browse_templates/) in the reader's language: the
    page's `lang` and `dir`, the tables' and columns' names (`rasd_table`, `rasd_column` filters), and the
    headings of those templates through our catalogs (Jinja2's i18n extension, as the digest's)."""
    from datasette.filters import Filters

    from rasd.alerts.i18n import direction, translations
    from rasd.monitor.browse_names import (
        COLUMN_NAMES,
        ERROR_WORDS,
        FACET_KINDS,
        LOOKUP_WORDS,
        TABLE_NAMES,
        described,
        latin_kept,
        namer,
    )

    language = reader_language(datasette)
    catalog = translations(language)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(catalog, newstyle=True)
    kept = latin_kept(language)
    tables, columns = namer(TABLE_NAMES, catalog, kept), namer(COLUMN_NAMES, catalog, kept)
    words, kinds = namer(LOOKUP_WORDS, catalog, kept), namer(FACET_KINDS, catalog, kept)
    errors = namer(ERROR_WORDS, catalog, kept)
    # Datasette's filter operators by key: their words (in the reader's language) and whether they take no value
    operators = {key: (words.get(key, shown), no_value) for key, shown, no_value in Filters([]).lookups()}

    def column(name: str) -> str:
        return columns.get(name, name)

    def table_described(filters: Any, search: str, sort: str | None, sort_desc: str | None, html: bool = True) -> str:
        """A table page's filters, search and order in the reader's words (browse_names.described)."""
        return described(catalog, operators, column, filters.selections(), search, (sort, sort_desc), html)

    env.filters["rasd_table"] = lambda name: tables.get(name, name)
    env.filters["rasd_column"] = column
    env.filters["rasd_operator"] = lambda key: operators.get(key, (key, False))[0]
    env.filters["rasd_facet_kind"] = lambda kind: kinds.get(kind, kind)
    env.filters["rasd_error"] = lambda message: errors.get(str(message), message)
    env.globals.update(rasd_language=language, rasd_direction=direction(language), rasd_described=table_described)


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, datasette: Any) -> None:
    from rasd.alerts.charts import region_label

    language = reader_language(datasette)
    conn.create_function("escape_fts", 1, folded_match, deterministic=True)
    conn.create_function("rasd_match", 1, folded_match, deterministic=True)
    conn.create_function("rasd_region_name", 1, lambda code: region_label(code or "", language), deterministic=True)


CHART_WEEKS = 26


async def charts(datasette: Any, request: Any) -> Response:
    """/-/charts: SSE stories per week by region and by source, every week from the first with a story to the
    last, within the last CHART_WEEKS weeks (`?weeks=N` for another span), the weeks and days the reader's (the
    config's `timezone`, which `rasd browse` hands over)."""
    from rasd.alerts.charts import page, span_title

    database = datasette.get_database()
    newest = (await database.execute("SELECT MAX(week) FROM sse_story_regions")).first()[0]
    try:
        weeks = max(1, min(520, int(request.args.get("weeks", CHART_WEEKS))))
    except ValueError:
        weeks = CHART_WEEKS
    end = date.fromisoformat(newest) + timedelta(days=7) if newest else date.today()
    start = end - timedelta(weeks=weeks)
    named = str((datasette.plugin_config("rasd") or {}).get("timezone", "UTC"))
    zone = ZoneInfo(named)  # the reader's days (the config's `timezone`), as the report and the digests date them
    rows = await database.execute(MOMENTS, local_bounds(start, end, zone))
    by_region, by_source = local_weeks(rows, zone)
    if by_region:  # the span starts with the first week that has a story
        start = max(start, date.fromisoformat(min(str(row[0]) for row in by_region)))
    language = reader_language(datasette)
    html = page(span_title(start, end, language), start, end, by_region, by_source, language, zone=named)
    return Response.html(html)


# Datasette marks each cell with its column's class. The atom_* columns feed datasette-atom (the query's
# .atom address) and only crowd the page a reader sees; titles and texts take their own direction (Arabic
# right to left) and room to be read, a story's reasons room too (squeezed, they made each row a screen
# high); a description in Arabic is aligned right. Datasette's own sheet lays its pages out left to right
# (text-align: left, borders and bullets' room on the left): its sides made logical, so that a page with
# dir="rtl" (rasd browse in Arabic) mirrors; SQL and addresses stay left to right (an Arabic page moved a
# statement's final ";" to its start, and cut an address's start off).
STYLE = """
th[class^="col-atom_"], td[class^="col-atom_"] { display: none; }
td.col-title, td.col-atom_title, td.col-text { unicode-bidi: plaintext; text-align: start; min-width: 22em; }
div[dir="rtl"] { text-align: right; }
.metadata-description, h1 { unicode-bidi: plaintext; text-align: start; }
body { text-align: start; }
.page-header { padding-left: 0; border-left: none; padding-inline-start: 10px; border-inline-start: 10px solid; }
ul.bullets, ul.tight-bullets, .facet-info ul { padding-left: 0; padding-inline-start: 1.25rem; }
pre, textarea, .CodeMirror, code { direction: ltr; text-align: left; unicode-bidi: isolate; }
td.col-url, td.col-canonical_url, td.col-reasons, td.col-parts { direction: ltr; text-align: left; }
td.col-reasons, td.col-parts { min-width: 24em; }
td.col-regions bdi { white-space: nowrap; }
[dir="rtl"] header .crumbs { float: right; }
[dir="rtl"] details.nav-menu > summary { float: left; }
"""


async def style(datasette: Any, request: Any) -> Response:
    return Response(STYLE, content_type="text/css; charset=utf-8")


ADDRESSES = {"url", "canonical_url"}


VERDICTS = {"sse", "reader_sse", "classifier_sse"}


# Columns holding a story's regions as the store keeps them, a JSON list of codes ('["MA-02", "MA-09"]').
REGION_LISTS = {"regions"}


def _regions_named(value: str, language: str) -> Markup | None:
    """A JSON list of region codes as a reader names them ("MA-02 الشرق، MA-09 سوس ماسة"), each isolated
    (an Arabic name beside a code), the stored list in the tooltip; None for anything else."""
    try:
        codes = json.loads(value)
    except ValueError:
        return None
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        return None
    from rasd.alerts.charts import region_label
    from rasd.alerts.i18n import translations

    gettext = translations(language).gettext
    labels = [region_label(code, language) for code in codes] or [gettext("no region named")]
    comma = "، " if language == "ar" else ", "
    shown = Markup(comma).join(Markup("<bdi>%s</bdi>") % label for label in labels)
    return Markup('<span title="%s">%s</span>') % (value, shown)


# A time as the store writes it in SQLite ("2025-09-29 10:20:00.000000"): shown to the minute.
STORED_TIME = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d(?:\.\d+)?")
SCORES = {"score"}


@hookimpl
def render_cell(value: Any, column: str, datasette: Any) -> Markup | None:
    """An address as a browser's bar shows it: its Arabic slug readable (`storage.readable_url`), not
    "%D8%AA%D8%B9…"; the link still opens the stored address. A verdict (1 or 0) in the reader's words ("ESS",
    "hors ESS"); a story's regions by code and name ("MA-09 سوس ماسة", not '["MA-09"]', which a reader of the
    latest stories took for a program's); a score to two places as the reader writes numbers ("0,75", not
    0.747789827922382); a stored time to the minute ("2025-09-29 10:20", not "…10:20:00.000000"). Each value,
    its filters and exports stay as stored (the cell's tooltip shows it)."""
    if column in VERDICTS and value in (0, 1):
        from rasd.alerts.i18n import translations

        gettext = translations(reader_language(datasette)).gettext
        return Markup(f'<span title="{value}">{escape(gettext("SSE") if value else gettext("not SSE"))}</span>')
    if column in REGION_LISTS and isinstance(value, str) and value.startswith("["):
        return _regions_named(value, reader_language(datasette))
    if column in SCORES and isinstance(value, float):
        from rasd.alerts.i18n import decimal

        return Markup(f'<span title="{value}">{escape(decimal(value, reader_language(datasette)))}</span>')
    if isinstance(value, str) and (time := STORED_TIME.fullmatch(value)) is not None:
        return Markup(f'<span title="{escape(value)}">{escape(time[1])}</span>')
    if column not in ADDRESSES or not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return None
    return Markup(f'<a href="{escape(value)}" rel="noreferrer" dir="ltr">{escape(readable_url(value))}</a>')


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/-/rasd.css"]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/charts$", charts), (r"^/-/rasd\.css$", style)]
