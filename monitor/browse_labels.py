"""Readers' verdicts from the browser: `rasd browse` serves `/-/label/ARTICLE_ID`, a small form that records
what `rasd label` records (SSE or not, the region, who, when) through the same storage function.

Why a route of our own rather than a writable canned query: Datasette's writable queries run the SQL a
visitor's form fills in against the database connection, with nothing of `Store.add_label` (the article
must exist, the time is the server's UTC, the region a code); and a writable database would let every
other write through Datasette too. Datasette keeps reading the store read-only; only this route writes,
one row of `labels`, through storage.

Enabled on loopback (`rasd browse` on 127.0.0.1) or when asked (`--labels`); disabled, the route answers
403. A POST must carry Datasette's CSRF token *and* its cookie: asgi-csrf lets a POST without cookies
through (API clients), and a cross-site form would send none (the cookie is SameSite=Lax), so the check
that the form's token equals the cookie's is made here again.
"""

from __future__ import annotations

import asyncio
import html
import json
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from rasd.alerts.charts import region_label
from rasd.alerts.i18n import direction, translations, when
from rasd.config import REGION_NAMES
from rasd.monitor.browse_plugin import reader_language
from rasd.monitor.speech import decimal
from rasd.storage import readable_url

PLUGIN = "rasd-labels"
ROUTE = "/-/label/"
READER_COOKIE = "rasd_reader"
MAX_NAME = 100
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "fieldset{margin:1rem 0}label{margin-inline-end:1.5rem}.said{background:#eef6ee;padding:.5rem 1rem}"
    ".problem{background:#fbeaea;padding:.5rem 1rem}"
)


def enabled(datasette: Any) -> bool:
    config = datasette.plugin_config(PLUGIN) or {}
    return bool(config.get("enabled"))


def _(message: str) -> str:
    """Marks a message for extraction (`make catalogs`); it is translated where it is used."""
    return message


async def label_view(datasette: Any, request: Any) -> Response:
    """GET: the story, the classifier's verdict, the readers' verdicts so far, and the form. POST: record.
    Every text in the language `rasd browse` was started with (--lang), the page right to left in Arabic."""
    language = reader_language(datasette)
    gettext = translations(language).gettext
    if not enabled(datasette):
        off = _(
            "recording verdicts is off: rasd browse records them on 127.0.0.1, or when started with --labels, "
            "in a store it can write to"
        )
        return Response.text(gettext(off) + "\n", status=403)
    wanted = request.url_vars["article_id"]  # any text: Datasette's own 404 for a mistyped id printed a traceback
    article_id = int(wanted) if wanted.isdecimal() and len(wanted) <= 18 else None
    story = None if article_id is None else await _story(datasette, article_id)
    if article_id is None or story is None:
        return Response.text(gettext("no article %(id)s") % {"id": wanted} + "\n", status=404)
    if request.method != "POST":
        return await _page(request, article_id, story, language)
    form = await request.post_vars()
    cookie = request.cookies.get("ds_csrftoken", "")
    if not cookie or not secrets.compare_digest(str(form.get("csrftoken", "")), cookie):
        forged = _("refused: the form did not come from this page (reload it and try again)")
        return Response.text(gettext(forged) + "\n", status=403)
    verdict, region, who = form.get("verdict"), form.get("region") or None, str(form.get("by", "")).strip()
    problem = None
    if verdict not in ("sse", "not-sse"):
        problem = gettext("choose SSE or not SSE")
    elif region is not None and region not in REGION_NAMES:
        problem = gettext("%(value)s: not a region code (MA-01 … MA-12)") % {"value": region}
    elif not who or len(who) > MAX_NAME:
        problem = gettext("say who gives the verdict (a name of at most %(count)s characters)") % {"count": MAX_NAME}
    if problem is not None:
        return await _page(request, article_id, story, language, problem=problem, status=400)
    label = await asyncio.to_thread(_record, datasette, article_id, verdict == "sse", region, who)
    response = Response.redirect(f"{ROUTE}{article_id}?recorded={label.labelled_at:%Y-%m-%dT%H:%M:%S}")
    response.set_cookie(READER_COOKIE, quote(who), max_age=365 * 24 * 3600, samesite="lax")
    return response


def _record(datasette: Any, article_id: int, sse: bool, region: str | None, who: str) -> Any:
    """One row of `labels`, through storage (as `rasd label` does): who, and the server's UTC time."""
    from rasd.storage import Store

    store = Store(f"sqlite:///{datasette.get_database().path}")
    try:
        return store.add_label(article_id, sse, region, who)
    finally:
        store.close()


async def _story(datasette: Any, article_id: int) -> dict[str, Any] | None:
    database = datasette.get_database()
    found = await database.execute(
        "SELECT a.title, a.url, a.lang, s.name AS source, c.sse, c.score, c.regions FROM articles a "
        "JOIN sources s ON s.id = a.source_id LEFT JOIN classifications c ON c.article_id = a.id WHERE a.id = ?",
        [article_id],
    )
    row = found.first()
    if row is None:
        return None
    history = await database.execute(
        "SELECT sse, region, labelled_by, labelled_at FROM labels WHERE article_id = ? ORDER BY id", [article_id]
    )
    return {**dict(row), "history": [dict(verdict) for verdict in history.rows]}


async def _page(
    request: Any, article_id: int, story: dict[str, Any], language: str, problem: str | None = None, status: int = 200
) -> Response:
    e = html.escape
    gettext = translations(language).gettext

    def verdict(sse: Any) -> str:
        return e(gettext("SSE") if sse else gettext("not SSE"))

    def at(stored: Any) -> str:
        moment = datetime.fromisoformat(str(stored))
        return e(when(moment if moment.tzinfo else moment.replace(tzinfo=UTC), language))

    classifier = e(gettext("Classifier: not classified"))
    if story["sse"] is not None:
        regions = gettext(", ").join(json.loads(story["regions"] or "[]")) or "—"
        classifier = e(gettext("Classifier: %(verdict)s (score %(score)s, regions %(regions)s)")) % {
            "verdict": verdict(story["sse"]),
            "score": decimal(story["score"], language, places=2),  # 0,75 in French, as every other page says it
            "regions": f"<bdi>{e(regions)}</bdi>",
        }
    said = "".join(
        "<li>"
        + e(gettext("%(verdict)s — %(who)s, %(when)s UTC"))
        % {
            "verdict": e(gettext("%(verdict)s, region %(region)s"))
            % {"verdict": verdict(v["sse"]), "region": f"<bdi>{e(region_label(v['region'], language))}</bdi>"}
            if v["region"]
            else verdict(v["sse"]),
            "who": f"<bdi>{e(v['labelled_by'])}</bdi>",
            "when": at(v["labelled_at"]),
        }
        + "</li>"
        for v in story["history"]
    )
    notice = ""
    if request.args.get("recorded") and story["history"]:
        newest = story["history"][-1]
        if newest["sse"]:
            recorded = gettext("Recorded: %(verdict)s — %(who)s. The next crawl uses it; it stays in the digests.")
        else:
            recorded = gettext(
                "Recorded: %(verdict)s — %(who)s. The next crawl uses it; it will not appear in any digest."
            )
        shown = e(recorded) % {"verdict": verdict(newest["sse"]), "who": f"<bdi>{e(newest['labelled_by'])}</bdi>"}
        notice = f'<p class="said" role="status">{shown}</p>'
    if problem:
        notice = f'<p class="problem" role="alert">{e(problem)}</p>'
    nothing = e(gettext("— (no region)"))
    options = f'<option value="">{nothing}</option>' + "".join(
        f'<option value="{code}">{e(region_label(code, language))}</option>' for code in REGION_NAMES
    )
    reader = e(_cookie_name(request))
    token = request.scope["csrftoken"]()
    heading = e(gettext("Verdict on article %(id)s") % {"id": article_id})
    shown = readable_url(story["url"])
    texts = {
        name: e(gettext(message))
        for name, message in [
            ("verdicts", _("Readers' verdicts")),
            ("none", _("None yet.")),
            ("question", _("Is this a social and solidarity economy story?")),
            ("sse", _("SSE story")),
            ("not_sse", _("not an SSE story")),
            ("region", _("Region it is about")),
            ("name", _("Your name")),
            ("record", _("Record the verdict")),
        ]
    }
    body = f"""<!DOCTYPE html>
<html lang="{e(language)}" dir="{direction(language)}"><head><meta charset="utf-8"><title>{heading}</title>
<style>{STYLE}</style></head><body>
<p><a href="/">Rasd</a> › {heading}</p>
<h1 dir="auto" lang="{e(story["lang"] or "")}">{e(story["title"] or "")}</h1>
<p><bdi>{e(story["source"])}</bdi> — <a href="{e(story["url"])}" rel="noreferrer" dir="ltr">{e(shown)}</a></p>
<p>{classifier}</p>
{notice}
<h2>{texts["verdicts"]}</h2>
{f"<ol>{said}</ol>" if said else f"<p>{texts['none']}</p>"}
<form method="post" action="{ROUTE}{article_id}">
<input type="hidden" name="csrftoken" value="{e(token)}">
<fieldset><legend>{texts["question"]}</legend>
<label><input type="radio" name="verdict" value="sse" required> {texts["sse"]}</label>
<label><input type="radio" name="verdict" value="not-sse"> {texts["not_sse"]}</label></fieldset>
<p><label for="region">{texts["region"]}</label>
<select id="region" name="region">{options}</select></p>
<p><label for="by">{texts["name"]}</label>
<input id="by" name="by" value="{reader}" maxlength="{MAX_NAME}" required dir="auto"></p>
<p><button type="submit">{texts["record"]}</button></p>
</form></body></html>"""
    return Response.html(body, status=status)


def _cookie_name(request: Any) -> str:
    from urllib.parse import unquote

    return unquote(request.cookies.get(READER_COOKIE, ""))[:MAX_NAME]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/label/(?P<article_id>[^/]+)$", label_view)]


@hookimpl
def render_cell(value: Any, column: str, datasette: Any) -> Markup | None:
    """The `label` column of the canned queries (present when verdicts are recorded): a link to the form."""
    if column != "label" or not isinstance(value, str) or not value.startswith(ROUTE) or not enabled(datasette):
        return None
    link = translations(reader_language(datasette)).gettext("give a verdict")
    return Markup(f'<a href="{html.escape(value)}">{html.escape(link)}</a>')
