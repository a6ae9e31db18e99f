"""`rasd backfill` on a local web whose sitemaps hold two years of articles: only what is new since the
date is fetched (index lastmod, month archives, entry lastmod), robots.txt is obeyed, the page budget
holds per run, the next run resumes where the last one stopped, and so it does after a Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rasd.storage import Store
from tests.conftest import REPO, run_rasd, write_config

MONTHS = [(year, month) for year in (2024, 2025) for month in range(1, 13)]
PLACES = ["Sefrou", "Tiznit", "Ouarzazate", "Errachidia", "Taza", "Khénifra", "Guelmim", "Dakhla"]
TRADES = ["couscous", "huile d'argan", "safran", "miel", "tapis", "dattes", "fromage de chèvre", "poterie"]


def _article_path(year: int, month: int, day: int) -> str:
    return f"/{year}/{month:02d}/cooperative-{year}-{month:02d}-{day:02d}/"


def _article(path: str) -> bytes:
    year, month, day = (int(part) for part in path.rstrip("/").rsplit("-", 3)[1:])
    n = year * 12 + month + day
    place, trade = PLACES[n % len(PLACES)], TRADES[(n // 3) % len(TRADES)]
    title = f"{place} : une coopérative de {trade} ouvre ses portes le {day} {month}/{year}"
    paragraphs = [
        f"La coopérative féminine de {trade} de {place} a inauguré le {day:02d}/{month:02d}/{year} un nouvel atelier"
        f" financé par l'Initiative nationale pour le développement humain, qui emploie {n % 40 + 10} femmes.",
        f"Selon la présidente, les {n % 90 + 20} adhérentes vendront leur production de {trade} au salon régional"
        f" de l'économie sociale et solidaire, puis en ligne grâce à une plateforme soutenue par la province.",
        f"Le projet de {place} a coûté {n * 7 % 900 + 100} 000 dirhams ; il prévoit une formation à la gestion et"
        " un local de stockage partagé avec deux associations du douar voisin, selon le communiqué publié hier.",
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{year}-{month:02d}-{day:02d}T09:00:00+01:00">'
        f"</head><body><header><a href='/'>Accueil</a></header><article><h1>{title}</h1>{body}</article>"
        "<footer>© Presse locale</footer></body></html>"
    ).encode()


class LocalArchive:
    """A news site on 127.0.0.1 with a sitemap index of 24 monthly post sitemaps (2024 with lastmod,
    2025 without), two articles a month, and a disallowed /private/ article listed in August 2025."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        archive = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                archive.requests.append(self.path)
                found = archive.answer(self.path)
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", found[1] if found else "text/plain")
                self.end_headers()
                self.wfile.write(found[0] if found else b"not found")

            def log_message(self, *args: object) -> None:
                pass

        self.has_robots_txt = True  # False: /robots.txt answers 404, the sitemap index is found where Yoast puts it
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[bytes, str] | None:
        xml = "application/xml"
        if path == "/robots.txt" and self.has_robots_txt:
            return (
                f"User-agent: *\nDisallow: /private/\nSitemap: {self.base}/sitemap_index.xml\n".encode(),
                "text/plain",
            )
        if path == "/sitemap_index.xml":
            children = []
            for year, month in MONTHS:
                lastmod = f"<lastmod>{year}-{month:02d}-20T10:00:00+00:00</lastmod>" if year == 2024 else ""
                children.append(
                    f"<sitemap><loc>{self.base}/post-sitemap-{year}-{month:02d}.xml</loc>{lastmod}</sitemap>"
                )
            return _xml("sitemapindex", "".join(children)), xml
        if path.startswith("/post-sitemap-"):
            year, month = (int(part) for part in path[len("/post-sitemap-") : -len(".xml")].split("-"))
            urls = [(_article_path(year, month, day), f"{year}-{month:02d}-{day:02d}") for day in (5, 20)]
            if (year, month) == (2025, 8):
                urls.append(("/private/2025/08/secret-cooperative/", "2025-08-21"))
            entries = "".join(f"<url><loc>{self.base}{loc}</loc><lastmod>{day}</lastmod></url>" for loc, day in urls)
            return _xml("urlset", entries), xml
        if path.startswith(("/2024/", "/2025/")) or path.startswith("/private/"):
            return _article(path if not path.startswith("/private/") else _article_path(2025, 8, 21)), "text/html"
        if path == "/":
            return b"<html><body><a href='/2025/12/'>Archives</a></body></html>", "text/html"
        return None

    def __enter__(self) -> LocalArchive:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _xml(root: str, children: str) -> bytes:
    return (
        f'<?xml version="1.0"?><{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</{root}>'.encode()
    )


@pytest.fixture
def archive() -> Iterator[LocalArchive]:
    with LocalArchive() as web:
        yield web


def test_backfill_since_a_date_resumes_within_budget(archive: LocalArchive, tmp_path: Path) -> None:
    source = f'[[sources]]\nname = "Presse locale"\nurl = "{archive.base}/"\nregion = "MA-03"\n'
    config = write_config(tmp_path, source, extra="")
    text = config.read_text().replace("[crawler]\n", "[crawler]\nmax_pages_per_source = 8\n")
    config.write_text(text)
    since = date(2025, 6, 10)
    expected = {f"{archive.base}{_article_path(2025, 6, 20)}"} | {
        f"{archive.base}{_article_path(2025, month, day)}" for month in range(7, 13) for day in (5, 20)
    }

    first = run_rasd("--config", str(config), "backfill", "--since", "2025-06-10", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "backfill [" + "#" * 30 + "] 8/8 article pages" in first.stderr  # the progress bar, at its end
    assert "over the budget of 8 pages a run: run `rasd backfill --since 2025-06-10` again" in first.stdout

    second = run_rasd("--config", str(config), "backfill", "--since", "2025-06-10", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "over the budget" not in second.stdout

    store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
    stored = {story.url for story in store.search("cooperative", limit=100)}
    assert stored == expected, sorted(stored ^ expected)
    assert store.count_articles()[0] == len(expected)
    store.close()

    third = run_rasd("--config", str(config), "backfill", "--since", "2025-06-10", cwd=tmp_path)
    assert third.returncode == 0 and ": 0 new articles" in third.stdout, third.stdout + third.stderr

    fetched = set(archive.requests)
    assert not any(path.startswith("/private/") for path in fetched)  # robots.txt obeyed
    for year, month in MONTHS:
        sitemap = f"/post-sitemap-{year}-{month:02d}.xml"
        assert (sitemap in fetched) == ((year, month) >= (since.year, since.month)), sitemap
    articles = [path for path in fetched if path.startswith(("/2024/", "/2025/"))]
    assert sorted(archive.base + path for path in articles) == sorted(expected)  # nothing older, nothing twice
    assert len([p for p in archive.requests if p.startswith(("/2024/", "/2025/"))]) == len(expected)


def test_a_site_without_robots_txt_is_backfilled_from_its_usual_sitemap_without_a_robots_warning(
    archive: LocalArchive, tmp_path: Path
) -> None:
    """No robots.txt (404) allows everything (RFC 9309): the backfill finds the index at /sitemap_index.xml
    and says nothing about robots.txt having failed, nor about the usual places where there is no sitemap."""
    archive.has_robots_txt = False
    source = f'[[sources]]\nname = "Presse locale"\nurl = "{archive.base}/"\nregion = "MA-03"\n'
    config = write_config(tmp_path, source, extra="")

    result = run_rasd("--config", str(config), "backfill", "--since", "2025-12-01", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert ": 2 new articles" in result.stdout, result.stdout + result.stderr
    assert "robots" not in result.stderr, result.stderr
    assert "warning" not in result.stderr, result.stderr  # nor about /wp-sitemap.xml and /sitemap.xml: none there


def test_the_progress_bar_ends_full_when_a_planned_page_fails(archive: LocalArchive, tmp_path: Path) -> None:
    """Every listed page is planned, the robots.txt-refused one included: tried is done, so the bar ends at
    14/14 (it ended at 13/14, and the budget test above failed whenever the refused page fell in its 8)."""
    source = f'[[sources]]\nname = "Presse locale"\nurl = "{archive.base}/"\nregion = "MA-03"\n'
    config = write_config(tmp_path, source, extra="")
    done = run_rasd("--config", str(config), "backfill", "--since", "2025-06-10", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "backfill [" + "#" * 30 + "] 14/14 article pages" in done.stderr, done.stderr
    assert "Forbidden by robots.txt" in done.stdout + done.stderr


class GatedArchive(LocalArchive):
    """The archive, holding every article page after the first `serve` until the test releases them:
    the walk is interrupted at a known point, not at a time."""

    def __init__(self, serve: int) -> None:
        super().__init__()
        self.serve = serve
        self.served = 0
        self.reached = threading.Event()
        self.release = threading.Event()
        self.counting = threading.Lock()

    def answer(self, path: str) -> tuple[bytes, str] | None:
        if path.startswith(("/2024/", "/2025/")):
            with self.counting:
                self.served += 1
                held = self.served > self.serve
                if self.served == self.serve + 1:  # the first `serve` were answered whole
                    self.reached.set()
            if held:
                self.release.wait(BOUND)
        return super().answer(path)


BOUND = 60.0  # seconds: catches a hang, does not measure speed


def test_ctrl_c_mid_walk_stops_with_one_line_and_the_next_run_resumes(tmp_path: Path) -> None:
    """`rasd backfill` run as from a terminal (its own process group, which Ctrl-C signals whole), stopped
    once the site has answered 5 of the 48 article pages and holds the next: a readable line when it takes
    the signal and one with the outcome, no traceback, exit 130, what arrived stored; the next run fetches
    only what was not stored (requests counted at the server)."""
    archive = GatedArchive(serve=5)
    with archive:
        source = f'[[sources]]\nname = "Presse locale"\nurl = "{archive.base}/"\nregion = "MA-03"\n'
        config = write_config(tmp_path, source, extra="")
        walk = subprocess.Popen(
            [sys.executable, "-m", "rasd.monitor", "--config", str(config), "backfill", "--since", "2024-01-01"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            assert archive.reached.wait(BOUND), "the walk never asked for a sixth article page"
            os.killpg(walk.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
            archive.release.set()
            out, err = walk.communicate(timeout=BOUND)
        finally:
            archive.release.set()
            if walk.poll() is None:
                os.killpg(walk.pid, signal.SIGKILL)
                walk.wait()
        assert walk.returncode == 128 + signal.SIGINT, out + err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        lines = err.strip().splitlines()
        # said when the signal came, then the outcome, last
        assert [line for line in lines if "SIGINT" in line] == [
            "rasd: SIGINT: stopping; what has arrived is being stored (SIGINT again abandons it)",
            "rasd: stopped by SIGINT: what was fetched is stored; `rasd backfill --since 2024-01-01` resumes",
        ], err
        assert lines[-1].startswith("rasd: stopped by SIGINT"), err

        store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
        first = {story.url for story in store.search("cooperative", limit=100)}
        store.close()
        assert 5 <= len(first) < 48, len(first)  # the five answered before the stop at least, not the whole walk
        requested = len(archive.requests)

        again = run_rasd("--config", str(config), "backfill", "--since", "2024-01-01", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        second = [archive.base + path for path in archive.requests[requested:] if path.startswith(("/2024/", "/2025/"))]
        assert not set(second) & first, sorted(set(second) & first)  # nothing stored is fetched again
        store = Store(f"sqlite:///{tmp_path / 'rasd.db'}")
        stored = {story.url for story in store.search("cooperative", limit=100)}
        store.close()
        every = {archive.base + _article_path(year, month, day) for year, month in MONTHS for day in (5, 20)}
        assert stored == every and len(second) == len(every - first), (len(second), len(every - first))
