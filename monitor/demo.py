"""`rasd demo`: one full offline cycle against the bundled demo web, then the digest to the outbox.

The demo is sealed off from real use: it has a folder of its own (database, outbox and the config it was
run with, `demo/` beside the user's config, or in Rasd's data folder without one), so its four fake sites
and nine stories never reach a real database or a real subscriber. The demo web serves on fixed loopback
addresses and port, so a second `rasd demo` sees the same URLs and stores nothing twice; a port that is
taken is one line naming it and the way out (`--port`).
"""

from __future__ import annotations

import errno
import shlex
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from rasd.alerts import run_digests
from rasd.config import find_config, load_settings, user_data_dir
from rasd.monitor.demoweb import DemoWeb
from rasd.monitor.errors import Refused
from rasd.monitor.session import one_cycle
from rasd.monitor.speech import Speech

DEMO_PORT = 8631


def default_demo_dir(config_path: str | None) -> Path:
    """`demo/` beside the user's config file, or in Rasd's data folder when there is none."""
    found = find_config(config_path)
    return (found.resolve().parent if found is not None else user_data_dir()) / "demo"


def write_demo_config(web: DemoWeb, folder: Path, language: str = "en") -> Path:
    """The demo's own config (`rasd.toml` in its folder): its database and outbox there, the demo sites as
    sources, one Arabic and one French reader of every region. A user can point any command at it
    (`rasd --config … status`, as the demo's last line says), in the `language` the demo spoke: a French
    reader's demo said its lines in French and the status it pointed to answered in English."""
    folder.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {"language": language} if language != "en" else {}
    config |= {
        "outbox": "outbox",
        "storage": {"url": "sqlite:///rasd.db"},
        "crawler": {"allow_private_networks": True, "download_delay": 0.0, "autothrottle": False},
        # One reader of each language, so that the demo shows both digests. A "demo" in Arabic is an عرض تجريبي:
        # عرض alone read "display: all regions" in the Arabic digest's subject.
        "subscriptions": [
            {
                "name": "عرض تجريبي: كل الجهات",
                "email": "demo-ar@example.org",
                "frequency": "immediate",
                "language": "ar",
            },
            {
                "name": "Démo : toutes les régions",
                "email": "demo-fr@example.org",
                "frequency": "immediate",
                "language": "fr",
            },
        ],
        "sources": [
            {"name": site.name, "url": site.url, "lang": site.lang, **({"region": site.region} if site.region else {})}
            for site in web.sites
        ],
    }
    path = folder / "rasd.toml"
    header = "# Written by `rasd demo` for the demo web on loopback; rewritten by every `rasd demo`.\n"
    path.write_text(header + tomli_w.dumps(config), encoding="utf-8")
    return path


def demo_web_moved(web: DemoWeb, folder: Path) -> bool:
    """Whether the folder's data was crawled from the demo web at other addresses (another --port) than
    it answers at now: every story would have a new URL and be stored, and sent, a second time."""
    config = folder / "rasd.toml"
    if not config.is_file():
        return False
    before = {source.get("url") for source in tomllib.loads(config.read_text(encoding="utf-8")).get("sources", [])}
    return before != {site.url for site in web.sites}


def clear_demo_data(folder: Path) -> None:
    """The demo's database, outbox and feeds removed (its config is rewritten by the cycle)."""
    for name in ("rasd.db", "rasd.db-wal", "rasd.db-shm", "rasd.db.state.json"):
        (folder / name).unlink(missing_ok=True)
    for kept in ("outbox", "feeds"):
        shutil.rmtree(folder / kept, ignore_errors=True)


def _command() -> str:
    """How to type `rasd` from any folder: the bare name when the one on PATH is this installation's, else
    the absolute path of this installation's `rasd` (`make demo` runs `.venv/bin/rasd`, a path that only
    works from the clone's folder), else this Python with `-m rasd.monitor`."""
    installed = Path(sys.executable).absolute().parent / "rasd"
    on_path = shutil.which("rasd")
    if on_path is not None and (not installed.is_file() or Path(on_path).resolve() == installed.resolve()):
        return "rasd"
    if installed.is_file():
        return shlex.quote(str(installed))
    return f"{shlex.quote(str(Path(sys.executable).absolute()))} -m rasd.monitor"


def demo_web(port: int, language: str = "en") -> DemoWeb:
    """The demo web, bound and serving on `port` of 127.0.0.10–13 (a context manager: leaving it stops
    the sites); a port in use is a `Refused` line naming it."""
    try:
        return DemoWeb(port=port).start()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            said = Speech(language)
            in_use = said.gettext(
                "the demo web's port %(port)d on 127.0.0.10–13 is in use (another `rasd demo --serve`?); "
                "stop it, or choose another port with --port"
            )
            raise Refused(said(in_use, port=port)) from None
        raise


def run_demo(web: DemoWeb, folder: Path, language: str = "en", serving: bool = False) -> Iterator[str]:
    """One cycle over the running demo web into `folder`, then the digest; lines for the user, in `language`.
    When the demo web has moved to another port, the folder's earlier data is cleared first (said before
    it is done) — unless `serving` (`rasd demo --serve`, run to give one's own config a site to crawl): then
    the data is kept and no cycle is run."""
    said = Speech(language)
    count = len(web.sites)
    sites = said.ngettext(
        "demo web: %(num)d site on loopback (%(urls)s)", "demo web: %(num)d sites on loopback (%(urls)s)", count
    )
    yield said(sites, num=count, urls=", ".join(site.url for site in web.sites))
    if demo_web_moved(web, folder):
        if serving:
            kept = said.gettext(
                "the demo's data in %(folder)s was crawled from the demo web on another port: kept as it is, no "
                "cycle run now (`rasd demo` without --serve crawls it afresh on this port, clearing that data)"
            )
            yield said(kept, folder=folder)
            return
        moved = said.gettext(
            "the demo web has moved to another port: clearing the demo's earlier data in %(folder)s, so that no "
            "story is stored twice"
        )
        yield said(moved, folder=folder)
        clear_demo_data(folder)
    config_path = write_demo_config(web, folder, language)
    settings = load_settings(config_path)
    summary = one_cycle(settings)
    for line in summary.failure_lines(language=language):
        yield said(said.gettext("warning: %(line)s"), line=line)
    from rasd.storage import Store

    store = Store(settings.storage.url)
    report = run_digests(store, settings)
    articles, flagged = store.count_articles()
    store.close()
    counts = said.gettext(
        "sources crawled: %(sources)d · new articles stored: %(new)d (total %(articles)d) · SSE stories flagged: "
        "%(flagged)d (total %(flagged_total)d)"
    )
    yield said(
        counts,
        sources=summary.sources,
        new=summary.new_articles,
        articles=articles,
        flagged=summary.sse_flagged,
        flagged_total=flagged,
    )
    yield said(said.gettext("database: %(path)s"), path=settings.storage.url.removeprefix("sqlite:///"))
    for line in report.failed:
        yield said(said.gettext("digest FAILED: %(line)s"), line=said.told(line))
    digests = [Path(line.rsplit("→ ", 1)[-1]) for line in report.sent]
    yield from (said(said.gettext("digest: %(path)s"), path=digest) for digest in digests)
    if not digests:
        yield said(said.gettext("digest: nothing new to send (every SSE story was already in an earlier digest)"))
    command = f"{_command()} --config {shlex.quote(str(config_path))} status"
    yield said(said.gettext("look around: %(command)s   (or search, explain ID)"), command=command)


__all__ = ["DEMO_PORT", "default_demo_dir", "demo_web", "run_demo", "write_demo_config"]
