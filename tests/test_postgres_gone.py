"""PostgreSQL stopped while a crawl runs (`systemctl restart postgresql`, `pg_ctl stop -m fast`, the server's
machine rebooted): the crawl said "cannot open the database …: Connection refused. Is the server running,
and are its address, user, password and database name right? Nothing was changed" — after it had stored its
first articles, and about a server it had been using for minutes. It says the connection was lost during
the run and that what was stored is kept; the next crawl, once the server is back, stores the rest.

A PostgreSQL of the test's own (tests/postgres.py), since it is stopped and started again; the order of
events is driven: one site's article page trickles (tests/sites.py) until the test, having seen the other
site's articles in the database and stopped the server, lets it end."""

from __future__ import annotations

import glob
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from tests.conftest import REPO, write_config
from tests.postgres import _as_postgres_user, new_database, postgres_server
from tests.sites import Site, article, homepage, route, sources, stories


def _pg_ctl(data: str, *args: str) -> None:
    pg_ctl = str(Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]))
    subprocess.run(_as_postgres_user([pg_ctl, "-D", data, "-w", *args]), check=True, capture_output=True)


def _stored(url: str) -> set[str]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        try:
            return {url for (url,) in connection.execute("SELECT url FROM articles")}
        except psycopg.errors.UndefinedTable:  # the crawl has not made the schema yet
            return set()


def test_postgresql_stopped_during_a_crawl_is_said_as_a_lost_connection_and_the_next_crawl_stores_the_rest(
    sites: list[str], tmp_path: Path
) -> None:
    quick, held = sites[:2]
    stored_first = stories(quick, "quick", 2)
    later = stories(held, "held", 2)
    route(f"{quick}/", 200, homepage(None, stored_first))
    route(f"{held}/", 200, homepage(None, later))
    Site.trickling.add(later[0].removeprefix("http://"))  # until the test lets it end (Site.release)
    with postgres_server() as admin:
        url = new_database(admin)
        with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://")) as connection:
            (data,) = connection.execute("SHOW data_directory").fetchone() or ("",)
            (port,) = connection.execute("SHOW port").fetchone() or ("",)
        config = write_config(tmp_path, sources(("Quick", quick, ""), ("Held", held, "")))
        text = config.read_text().replace("download_timeout = 5", "download_timeout = 120")
        config.write_text(text.replace(f"sqlite:///{tmp_path / 'rasd.db'}", url))
        command = [sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl"]
        environment = {"PYTHONPATH": str(REPO), "RASD_LANG": "fr", "PATH": "/usr/bin:/bin"}
        crawl = subprocess.Popen(command, cwd=tmp_path, env=environment, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not set(stored_first) <= _stored(url):
                if crawl.poll() is not None or time.monotonic() > deadline:
                    crawl.kill()
                    raise AssertionError(f"{_stored(url)}: {crawl.communicate()[1]}")
                time.sleep(0.1)
            _pg_ctl(data, "-m", "fast", "stop")
            Site.release.set()  # the trickling page ends: the crawl goes on to store what it has
            _, said = crawl.communicate(timeout=120)
        finally:
            if crawl.poll() is None:
                crawl.kill()

        assert crawl.returncode == 1, said
        assert said.startswith("rasd : connexion perdue avec la base postgresql+psycopg://postgres@"), said
        assert "Ce qui était déjà enregistré est gardé" in said and "Rien n’a été modifié" not in said, said
        assert len(said.splitlines()) == 1, said

        folder = str(Path(data).parent)
        _pg_ctl(data, "-l", f"{folder}/server.log", "-o", f"-h 127.0.0.1 -p {port} -k {folder}", "start")
        Site.trickling.clear()
        route(later[0], 200, article("held قصة رقم 0"))
        again = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=180)

        assert again.returncode == 0, again.stderr
        assert _stored(url) == set(stored_first + later), again.stderr
