"""`rasd browse`: the store as a browsable archive, served by Datasette, read-only.

Datasette rather than pages of our own: it already gives researchers tables, filters, facets, SQL, JSON
and CSV exports and, with datasette-atom, a feed of any query returning `atom_*` columns; what is ours is
the description of the tables (metadata), the canned queries for the common questions, and the folded
search (monitor/browse_plugin.py). Datasette opens a database file with `mode=ro` for its reads and this
command asks it for no write, so browsing cannot change the store (and, WAL, never blocks a crawl). The
one exception is a reader's verdict, recorded through storage by its own route (monitor/browse_labels.py),
on loopback or when asked.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rasd.config.failures import N_  # marks a text for the catalogs; translated when the metadata is built
from rasd.monitor.errors import Refused
from rasd.monitor.speech import Speech
from rasd.storage import sqlite_file

# The verdict that counts: a reader's newest on the story (view story_verdicts), else the classifier's.
COUNTED_SSE = "COALESCE((SELECT v.sse FROM story_verdicts v WHERE v.story_id = COALESCE(a.duplicate_of, a.id)), c.sse)"
SSE_WHERE = "JOIN classifications c ON c.article_id = a.id JOIN sources s ON s.id = a.source_id"
MOMENT = "COALESCE(a.published_at, a.fetched_at)"
SHOWN_MOMENT = f"substr({MOMENT}, 1, 16)"  # to the minute: "2025-11-03 10:00", not "…10:00:00.000000"
# Columns datasette-atom turns into an Atom feed (`.atom` after the query's name).
ATOM = (
    f"a.url AS atom_id, a.title AS atom_title, a.url AS atom_link, s.name AS atom_author_name, "
    f"strftime('%Y-%m-%dT%H:%M:%SZ', {MOMENT}) AS atom_updated, substr(a.text, 1, 600) AS atom_content"
)

QUERIES: dict[str, dict[str, Any]] = {
    "sse_by_region_and_week": {
        "title": N_("SSE stories by region and week"),
        "description": N_(
            "How many SSE stories (syndicated copies counted once) each region had each week "
            "(week = its Monday; region empty when the story names none)."
        ),
        "sql": "SELECT week, region, rasd_region_name(region) AS region_name, COUNT(*) AS stories "
        "FROM sse_story_regions GROUP BY week, region ORDER BY week DESC, stories DESC",
    },
    "sse_by_source_and_week": {
        "title": N_("SSE stories by source and week"),
        "sql": "SELECT week, source, COUNT(DISTINCT story_id) AS stories FROM sse_story_regions "
        "GROUP BY week, source ORDER BY week DESC, stories DESC",
    },
    "latest_sse_stories": {
        "title": N_("Latest SSE stories"),
        "description": N_("The 100 newest SSE stories; add .atom to this page's address for a feed."),
        "sql": f"SELECT a.id, {SHOWN_MOMENT} AS published_utc, s.name AS source, a.lang, ROUND(c.score, 2) AS score, "
        "c.regions, a.title, "
        f"{ATOM} FROM articles a {SSE_WHERE} WHERE {COUNTED_SSE} AND a.duplicate_of IS NULL "
        f"ORDER BY {MOMENT} DESC LIMIT 100",
    },
    "search": {
        "title": N_("Search"),
        "description": N_(
            'Folded search as `rasd search` does it: OR, NOT, "phrases", word*; Arabic spelling '
            "variants, accents and case folded. Add .atom to the address for a feed of new matches."
        ),
        "sql": f"SELECT a.id, {SHOWN_MOMENT} AS published_utc, s.name AS source, a.lang, {COUNTED_SSE} AS sse, "
        "ROUND(c.score, 2) AS score, "
        "a.title, "
        f"{ATOM} FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid {SSE_WHERE} "
        f"WHERE articles_fts MATCH rasd_match(:q) ORDER BY {MOMENT} DESC LIMIT 200",
    },
    "readers_verdicts": {
        "title": N_("Readers' verdicts against the classifier"),
        "description": N_(
            "Each labelled story's current verdict (rasd label) beside the classifier's; disagreements first."
        ),
        "sql": "SELECT l.article_id, l.sse AS reader_sse, c.sse AS classifier_sse, ROUND(c.score, 2) AS score, "
        "l.region, "
        "c.regions, l.labelled_by, l.labelled_at, a.title FROM labels l "
        "JOIN articles a ON a.id = l.article_id LEFT JOIN classifications c ON c.article_id = l.article_id "
        "WHERE l.id IN (SELECT MAX(id) FROM labels GROUP BY article_id) "
        "ORDER BY (l.sse = c.sse), l.labelled_at DESC",
    },
    "syndicated_copies": {
        "title": N_("A story's syndicated copies"),
        "description": N_("Every site that carried the story of an article (give any copy's id)."),
        "sql": "SELECT article_id, source, is_original, published_at, title, url FROM story_sources "
        "WHERE story_id = (SELECT COALESCE(duplicate_of, id) FROM articles WHERE id = :article_id) "
        "ORDER BY is_original DESC, published_at",
    },
    "silent_sources": {
        "title": N_("Silent sources"),
        "description": N_(
            "Sources with no new article for 7 days (or never), with their last successful fetch: "
            "a site that answers but stopped publishing, or whose feed moved."
        ),
        "sql": "SELECT s.name, s.region, COUNT(a.id) AS articles, MAX(a.fetched_at) AS last_article_utc, "
        "(SELECT MAX(f.fetched_at) FROM fetches f WHERE f.source_id = s.id AND f.outcome IN ('ok', 'not_modified'))"
        " AS last_success_utc FROM sources s LEFT JOIN articles a ON a.source_id = s.id GROUP BY s.id "
        "HAVING MAX(a.fetched_at) IS NULL OR MAX(a.fetched_at) < datetime('now', '-7 days') "
        "ORDER BY last_article_utc",
    },
}

UTC = N_("(UTC)")
TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": N_("Every stored article, as extracted. Search box: folded, like `rasd search`."),
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "facets": ["lang", "source_id"],
        "columns": {
            "url": N_("The address the article was fetched from"),
            "canonical_url": N_("The address it is known by (one per article)"),
            "text": N_("The article's text as extracted (no menus, no comments)"),
            "published_at": N_("Publication time (UTC); empty when the page gave none"),
            "date_source": N_("Where the publication time was read (meta tag, JSON-LD, URL, visible date)"),
            "lang": N_("ar, fr, en or und"),
            "content_hash": N_("Hash of the folded text: equal texts, equal hashes"),
            "fetched_at": N_("When Rasd stored it (UTC)"),
            "duplicate_of": N_("The first copy of the same story (another site or URL); empty for a first copy"),
        },
    },
    "stories": {
        "description": N_(
            "Every article with its source, verdict and week (copies too: duplicate_of names the first)."
        ),
        "facets": ["source", "lang", "week", "sse"],
        "columns": {
            "published_at": N_("Publication time (UTC)"),
            "fetched_at": N_("When Rasd stored it (UTC)"),
            "week": N_("Monday of the week of publication (of fetching when undated)"),
            "sse": N_("1 when classified as a social and solidarity economy story"),
            "regions": N_("ISO 3166-2:MA codes, most prominent first (JSON list)"),
        },
    },
    "sse_story_regions": {
        "description": N_("One row per SSE story and region it is about (copies counted once): group by region."),
        "facets": ["region", "source", "lang", "week"],
        "columns": {
            "story_id": N_("The story's first copy (articles.id)"),
            "region": N_("ISO 3166-2:MA code (MA-01 … MA-12); empty when the story names no region"),
            "week": N_("Monday of the week of publication (of fetching when undated)"),
            "published_at": N_("Publication time (UTC)"),
        },
    },
    "sse_stories": {
        "description": N_("SSE stories, one per syndicated story (its first copy)."),
        "fts_table": "articles_fts",
        "fts_pk": "id",
        "facets": ["source", "lang"],
        "columns": {
            "published_at": N_("Publication time (UTC)"),
            "fetched_at": N_("When Rasd stored it (UTC)"),
            "regions": N_("ISO 3166-2:MA codes (JSON list); see sse_story_regions to group by region"),
        },
    },
    "story_sources": {"description": N_("Each article with the story it belongs to: the sites that carried a story.")},
    "classifications": {
        "description": N_("The classifier's verdict per article."),
        "facets": ["sse"],
        "columns": {
            "score": N_("0 to 1; SSE above the configured threshold"),
            "regions": N_("ISO 3166-2:MA codes (JSON list); article_regions has them as rows"),
            "reasons": N_("Why, in words (JSON list)"),
            "parts": N_("The score's components (JSON object)"),
            "classified_at": UTC,
        },
    },
    "article_regions": {"description": N_("The regions of each article, one row each (rank 0 = most prominent).")},
    "sources": {
        "description": N_("The news sites Rasd watches."),
        "columns": {"region": N_("ISO 3166-2:MA code of the site's region"), "created_at": UTC},
    },
    "fetches": {
        "description": N_("Every HTTP request and how it ended (kept for the configured number of days)."),
        "facets": ["kind", "outcome"],
        "columns": {"fetched_at": UTC, "items": N_("Entries a feed or sitemap announced")},
    },
    "feeds": {
        "hidden": True,
        "description": N_("Feeds and sitemaps with the validators of their next conditional request."),
        "columns": {"last_checked_at": UTC},
    },
    "source_health": {"description": N_("Per source: last success, last attempt, failed and total fetches (UTC).")},
    "digests": {
        "description": N_("Each email built for a subscriber, with its status and the message as sent."),
        "columns": {"created_at": UTC, "claimed_at": UTC, "sent_at": UTC},
    },
    "digest_items": {
        "description": N_("Which stories went into which digest (a story enters one per subscriber)."),
        "hidden": True,
    },
    "deliveries": {
        "description": N_("Every attempt to deliver a digest."),
        "columns": {"attempted_at": UTC},
        "hidden": True,
    },
    "labels": {
        "description": N_("Readers' verdicts (rasd label), never changed: the newest row of an article counts."),
        "facets": ["sse", "labelled_by"],
        "columns": {"region": N_("The region the reader says the story is about"), "labelled_at": UTC},
    },
    "article_aliases": {
        "description": N_("Other addresses under which a stored article was announced."),
        "hidden": True,
    },
    "article_fingerprints": {
        "description": N_("MinHash signatures that find rewritten copies of a story."),
        "hidden": True,
    },
    "article_bands": {
        "description": N_("LSH band hashes of the signatures (candidate copies share one)."),
        "hidden": True,
    },
    # The machinery of crawling and grouping, out of a reader's way (still listed under "hidden tables").
    "alembic_version": {"hidden": True},
    "digest_channels": {"hidden": True},
    "source_furniture": {"hidden": True},
    "articles_fts": {
        "description": N_(
            "The search index: the title and text folded, no copy of them kept. A query written by hand folds "
            "its words as the search box does: select rowid from articles_fts where articles_fts match "
            "rasd_match('your words')"
        ),
        "hidden": True,
    },
}


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def store_path(url: str) -> Path | None:
    """The SQLite file of a storage URL; None for another database (Datasette reads SQLite only) or an
    in-memory one. Whether it exists is `rasd browse`'s to check, as every command that reads the store does
    (`Context.existing_store`)."""
    path = sqlite_file(url)
    return None if path is None or path.name == ":memory:" else path


# Canned queries whose stories get a `label` column (a link to /-/label/ID) when verdicts are recorded.
LABELLED_QUERIES = {"latest_sse_stories": "a.id", "search": "a.id", "readers_verdicts": "l.article_id"}


def with_label_links(queries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The canned queries with a first `label` column: the address of the story's verdict form."""
    linked = {}
    for name, query in queries.items():
        column = LABELLED_QUERIES.get(name)
        if column is not None:
            query = {**query, "sql": query["sql"].replace("SELECT ", f"SELECT '/-/label/' || {column} AS label, ", 1)}
        linked[name] = query
    return linked


# The canned queries the home page links to, a reader's first questions first.
HOME_QUERIES = (
    "latest_sse_stories",
    "search",
    "sse_by_region_and_week",
    "sse_by_source_and_week",
    "syndicated_copies",
    "silent_sources",
    "readers_verdicts",
)


def translated(described: Any, gettext: Callable[[str], str], key: str | None = None) -> Any:
    """`described` (the tables' and queries' metadata) with its texts in the reader's language: titles,
    descriptions and column descriptions; SQL, facets and names stay as they are."""
    if isinstance(described, dict):
        return {
            name: gettext(value)
            if isinstance(value, str) and (name in TEXTS or key == "columns")
            else translated(value, gettext, name)
            for name, value in described.items()
        }
    return described


TEXTS = {"title", "description"}


def metadata(database: str, allow_sql: bool, language: str, labels: bool = False, zone: str = "UTC") -> dict[str, Any]:
    """Datasette's metadata in the reader's language: titles, descriptions, facets, canned queries;
    arbitrary SQL only if allowed; readers' verdicts recorded from the browser (/-/label/ID,
    monitor/browse_labels.py) only if `labels`. Datasette's own page furniture (buttons, headings) stays English: it has
    no catalogs of its own."""
    from rasd.alerts.i18n import direction, translations
    from rasd.monitor.browse_names import TABLE_NAMES, latin_kept, namer

    catalog, kept = translations(language), latin_kept(language)

    def gettext(message: str) -> str:
        return kept(catalog.gettext(message))

    tables = translated(TABLES, gettext)
    for name, title in namer(TABLE_NAMES, catalog, kept).items():  # a table's page is headed by the reader's word
        tables.setdefault(name, {})["title"] = title
    home = gettext(
        "Stories Rasd crawled and classified. Times are UTC. Searches fold Arabic spelling variants and French accents."
    )
    charts = gettext("Charts: SSE stories per week by region and by source")
    described: dict[str, Any] = {
        "title": gettext("Rasd — Moroccan regional news on the social and solidarity economy"),
        "description_html": f'<div dir="{direction(language)}"><p>{escape(home)}</p>'
        f'<p><a href="/-/charts">{escape(charts)}</a></p>'
        f"<p>{escape(gettext('The common questions:'))}</p><ul>"
        + "".join(
            f'<li><a href="/{quote(database)}/{name}">{escape(gettext(QUERIES[name]["title"]))}</a></li>'
            for name in HOME_QUERIES
        )
        + "</ul></div>",
        "databases": {
            database: {
                "tables": tables,
                # A question's page opens on its answer, its SQL folded away behind "(show)": an official who
                # asked for the latest stories was met by `SELECT '/-/label/' || a.id AS label, …` (newcomer13)
                "queries": {
                    name: {**query, "hide_sql": True}
                    for name, query in translated(with_label_links(QUERIES) if labels else QUERIES, gettext).items()
                },
            }
        },
        "plugins": {"rasd": {"language": language, "timezone": zone}, "rasd-labels": {"enabled": labels}},
    }
    if labels:
        verdicts = gettext(
            "Readers' verdicts: the label column of the latest stories, search and verdict queries opens a form "
            "that records yours (as rasd label does)."
        )
        described["description_html"] = described["description_html"].replace(
            "</div>", f"<p>{escape(verdicts)}</p></div>"
        )
    if not allow_sql:
        described["allow_sql"] = False
    return described


def datasette_for(
    path: Path,
    host: str = "127.0.0.1",
    allow_sql: bool | None = None,
    labels: bool | None = None,
    language: str = "fr",
    zone: str = "UTC",
) -> Any:
    """A Datasette over the store at `path`, described in `language`: arbitrary SQL and readers' verdicts
    from the browser allowed on loopback, elsewhere only when asked; its charts' days those of `zone` (the
    config's `timezone`)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from rasd.monitor import browse_labels, browse_plugin

    if not pm.is_registered(browse_plugin):
        pm.register(browse_plugin, name="rasd")
    # Datasette prints every error's traceback with its locals through rich when rich is importable (it is,
    # beside the test tools): some hundred lines in the terminal `rasd browse` runs in for each mistyped
    # address or row gone, a reader's mistake that its page (error.html) already answers. Without rich, a
    # fault of its own (5xx) is still printed (traceback.print_exc), a 4xx is not.
    import datasette.handle_exception

    datasette.handle_exception.rich = None
    if not pm.is_registered(browse_labels):
        pm.register(browse_labels, name="rasd-labels")
    if allow_sql is None:
        allow_sql = is_loopback(host)
    from rasd.storage import opens_immutable

    if labels is None:
        labels = is_loopback(host)
    immutable = opens_immutable(path)  # on a read-only mount: Datasette's mode=ro would need to create -shm
    return Datasette(
        files=[] if immutable else [str(path)],
        immutables=[str(path)] if immutable else [],
        metadata=metadata(
            path.stem, allow_sql, language, labels and not immutable, zone
        ),  # nowhere to record a verdict
        # A long cell (a story's text, a classification's reasons) cut to a few lines in a table, whole on its
        # row's page: Datasette's 2,048 characters made each SSE story a screen high.
        settings={"facet_time_limit_ms": 1000, "sql_time_limit_ms": 5000, "truncate_cells_html": 280},
        template_dir=str(Path(__file__).with_name("browse_templates")),  # Datasette's, in the reader's words
    )


def listening(host: str, port: int, said: Speech) -> socket.socket:
    """The socket `rasd browse` serves on, bound before it says "serving": a port taken (or an address
    this machine does not have) is one `Refused` line in the reader's language saying what to do, not
    uvicorn's ERROR after it."""
    try:
        return socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            in_use = said.gettext(
                "port %(port)d on %(host)s is in use (another `rasd browse`?): stop it, or choose another port "
                "with --port"
            )
            raise Refused(said(in_use, port=port, host=host)) from None
        cannot = said.gettext("cannot listen on %(host)s port %(port)d: %(problem)s: see --host and --port")
        raise Refused(said(cannot, host=host, port=port, problem=error.strerror or error)) from None


def serve(
    path: Path,
    bound: socket.socket,
    host: str,
    allow_sql: bool | None,
    labels: bool | None,
    language: str,
    zone: str = "UTC",
) -> None:
    """Serve on the `bound` socket until Ctrl-C or SIGTERM (uvicorn handles both)."""
    import uvicorn

    datasette = datasette_for(path, host, allow_sql, labels, language, zone)
    uvicorn.Server(uvicorn.Config(datasette.app(), log_level="warning")).run(sockets=[bound])
