"""rasd.toml broken while the daemon runs: at its next job the daemon says so, once, in the reader's language,
and goes on with the settings it started with; an edit that reads is said too (a restart puts it in use). The
daemon's crawl job is driven cycle by cycle (tests/daemon_driver.py), never by its timers."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import write_config
from tests.test_daemon_verdicts import Driven


def _closed_site() -> str:
    with socket.socket() as probe:  # a port nothing listens on: each crawl is over at once
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_a_config_broken_while_the_daemon_runs_is_said_at_the_next_job(tmp_path: Path) -> None:
    config = write_config(tmp_path, f'[[sources]]\nname = "Closed"\nurl = "{_closed_site()}/"\n')
    good = 'language = "fr"\n' + config.read_text()
    config.write_text(good)
    driven = Driven(config)
    try:
        (first,) = driven.crawl()
        config.write_text(good + "\n[crawler\n")  # a bracket left open: no longer TOML
        (second,) = driven.crawl()  # still crawls, with the settings it has
        (third,) = driven.crawl()  # the same broken file: not said again
        config.write_text(good.replace("download_timeout = 5", "download_timeout = 7"))
        (fourth,) = driven.crawl()
    finally:
        errors = driven.stop()
    assert first["job"] == second["job"] == third["job"] == fourth["job"] == "crawl:default", errors
    broken = [line for line in errors.splitlines() if "ne se lit plus" in line]
    assert len(broken) == 1 and str(config) in broken[0] and "paramètres" in broken[0], errors
    changed = [line for line in errors.splitlines() if "a changé" in line]
    assert len(changed) == 1 and "redémarrez" in changed[0], errors
    assert errors.index(broken[0]) < errors.index(changed[0])
