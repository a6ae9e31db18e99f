"""Shared fixtures: the demo web on loopback, a config file for it, and the `rasd` command as a subprocess.

Cycles run in a subprocess because Twisted's reactor cannot be restarted inside the test process; the
subprocess is the real command a user runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run_rasd(
    *args: str, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`rasd ARGS` in `cwd`, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "rasd.monitor", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        check=False,
    )


def write_config(path: Path, sources_toml: str, extra: str = "") -> Path:
    """A config for tests: a SQLite file and outbox under `path`, loopback allowed, no politeness delay."""
    path.mkdir(parents=True, exist_ok=True)
    config = path / "rasd.toml"
    config.write_text(
        f'outbox = "{path / "outbox"}"\n'
        f'[storage]\nurl = "sqlite:///{path / "rasd.db"}"\n'
        "[crawler]\nallow_private_networks = true\ndownload_delay = 0.0\nautothrottle = false\n"
        "download_timeout = 5\n"
        f'[classifier]\nseeds_dir = "{REPO / "seeds"}"\n'
        f"{extra}\n{sources_toml}\n",
        encoding="utf-8",
    )
    return config


SUBSCRIBER = """
[[subscriptions]]
name = "Everything"
email = "watcher@example.org"
frequency = "immediate"
"""


@pytest.fixture(autouse=True, scope="session")
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Rasd's per-user folders (its config in ~/.config/rasd, its data in ~/.local/share/rasd, its cache in
    ~/.cache/rasd) under a temporary folder for the whole session, subprocesses included: no test reads or
    writes the real home. The locale is C.UTF-8 and $RASD_LANG unset, whatever the tester's."""
    base = tmp_path_factory.mktemp("home")
    locale = ("LC_ALL", "LC_MESSAGES", "LANG", "RASD_LANG")  # a tester's own language changes nothing (rasd init
    names = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "RASD_CONFIG", *locale)  # follows LANG)
    saved = {name: os.environ.get(name) for name in names}
    os.environ["XDG_CONFIG_HOME"], os.environ["XDG_DATA_HOME"] = str(base / "config"), str(base / "data")
    os.environ["XDG_CACHE_HOME"] = str(base / "cache")
    for name in ("RASD_CONFIG", *locale):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new empty database, once as an SQLite file and once on PostgreSQL: both must behave the same."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'rasd.db'}"
    from tests.postgres import new_database

    return new_database(request.getfixturevalue("postgres_admin_url"))


@pytest.fixture
def demo_web() -> Iterator[object]:
    from rasd.monitor.demoweb import DemoWeb

    with DemoWeb(first_host=40) as web:
        yield web


from tests.sites import sites  # noqa: E402,F401  (the loopback news sites fixture, for every test module)
