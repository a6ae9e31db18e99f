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
import secrets
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

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


def region_names() -> dict[str, tuple[str, str]]:
    """Region code → (French name, Arabic name), from the gazetteer the classifier uses."""
    from rasd.classify import DEFAULT_REGIONS_PATH
    from rasd.classify.regions import load_gazetteer

    return dict(sorted(load_gazetteer(DEFAULT_REGIONS_PATH).names.items()))


async def label_view(datasette: Any, request: Any) -> Response:
    """GET: the story, the classifier's verdict, the readers' verdicts so far, and the form. POST: record."""
    if not enabled(datasette):
        return Response.text(
            "recording verdicts is off: rasd browse records them on 127.0.0.1, or when started with --labels, "
            "in a store it can write to\n",
            status=403,
        )
    article_id = int(request.url_vars["article_id"])
    story = await _story(datasette, article_id)
    if story is None:
        return Response.text(f"no article {article_id}\n", status=404)
    if request.method != "POST":
        return await _page(datasette, request, article_id, story)
    form = await request.post_vars()
    cookie = request.cookies.get("ds_csrftoken", "")
    if not cookie or not secrets.compare_digest(str(form.get("csrftoken", "")), cookie):
        return Response.text("refused: the form did not come from this page (reload it and try again)\n", status=403)
    verdict, region, who = form.get("verdict"), form.get("region") or None, str(form.get("by", "")).strip()
    problem = None
    if verdict not in ("sse", "not-sse"):
        problem = "choose SSE or not SSE"
    elif region is not None and region not in region_names():
        problem = f"{region}: not a region code (MA-01 … MA-12)"
    elif not who or len(who) > MAX_NAME:
        problem = f"say who gives the verdict (a name of at most {MAX_NAME} characters)"
    if problem is not None:
        return await _page(datasette, request, article_id, story, problem=problem, status=400)
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
    datasette: Any, request: Any, article_id: int, story: dict[str, Any], problem: str | None = None, status: int = 200
) -> Response:
    e = html.escape
    names = region_names()
    classifier = "not classified"
    if story["sse"] is not None:
        classifier = f"{'SSE' if story['sse'] else 'not SSE'} (score {story['score']:.2f}, regions {story['regions']})"
    said = "".join(
        f"<li>{'SSE' if v['sse'] else 'not SSE'}{', ' + e(v['region']) if v['region'] else ''} — "
        f"{e(v['labelled_by'])}, {e(str(v['labelled_at'])[:16])} UTC</li>"
        for v in story["history"]
    )
    recorded = request.args.get("recorded")
    notice = ""
    if recorded and story["history"]:
        newest = story["history"][-1]
        notice = (
            f'<p class="said" role="status">Recorded: {"SSE" if newest["sse"] else "not SSE"} — '
            f"{e(newest['labelled_by'])}. The next crawl uses it; "
            f"{'it stays in the digests.' if newest['sse'] else 'it will not appear in any digest.'}</p>"
        )
    if problem:
        notice = f'<p class="problem" role="alert">{e(problem)}</p>'
    options = '<option value="">— (no region / بدون جهة / sans région)</option>' + "".join(
        f'<option value="{code}">{code} {e(fr)} / {e(ar)}</option>' for code, (fr, ar) in names.items()
    )
    reader = e(_cookie_name(request))
    token = request.scope["csrftoken"]()
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Verdict on article {article_id}</title>
<style>{STYLE}</style></head><body>
<p><a href="/">Rasd</a> › verdict on article {article_id}</p>
<h1 dir="auto" lang="{e(story["lang"] or "")}">{e(story["title"] or "")}</h1>
<p>{e(story["source"])} — <a href="{e(story["url"])}" rel="noreferrer">{e(story["url"])}</a></p>
<p>Classifier: {e(classifier)}</p>
{notice}
<h2>Readers' verdicts</h2>
{f"<ol>{said}</ol>" if said else "<p>None yet.</p>"}
<form method="post" action="{ROUTE}{article_id}">
<input type="hidden" name="csrftoken" value="{e(token)}">
<fieldset><legend>Is this a social and solidarity economy story? / هل هذا خبر عن الاقتصاد الاجتماعي والتضامني؟ /
Économie sociale et solidaire ?</legend>
<label><input type="radio" name="verdict" value="sse" required> SSE / نعم / ESS</label>
<label><input type="radio" name="verdict" value="not-sse"> Not SSE / لا / Hors ESS</label></fieldset>
<p><label for="region">Region it is about / الجهة / Région</label>
<select id="region" name="region">{options}</select></p>
<p><label for="by">Your name / الاسم / Votre nom</label>
<input id="by" name="by" value="{reader}" maxlength="{MAX_NAME}" required dir="auto"></p>
<p><button type="submit">Record the verdict / تسجيل / Enregistrer</button></p>
</form></body></html>"""
    return Response.html(body, status=status)


def _cookie_name(request: Any) -> str:
    from urllib.parse import unquote

    return unquote(request.cookies.get(READER_COOKIE, ""))[:MAX_NAME]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/label/(?P<article_id>\d{1,18})$", label_view)]


@hookimpl
def render_cell(value: Any, column: str, datasette: Any) -> Markup | None:
    """The `label` column of the canned queries (present when verdicts are recorded): a link to the form."""
    if column != "label" or not isinstance(value, str) or not value.startswith(ROUTE) or not enabled(datasette):
        return None
    return Markup(f'<a href="{html.escape(value)}">give a verdict</a>')
