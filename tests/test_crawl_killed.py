"""`rasd crawl` killed by SIGKILL mid-crawl (the out-of-memory killer, `kill -9` of its pid): nothing of
it can speak, and multiprocessing's resource tracker, left behind, wrote "resource_tracker: There appear to
be 5 leaked semaphore objects to clean up at shutdown" and a `warnings.warn` line — Python's words, in
English, the only lines of the run in cron's mail, about semaphores it cleans up itself. The next crawl
stores what the killed one did not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_rasd
from tests.gatedweb import GatedSite
from tests.test_stops import _config, _stored


def test_a_crawl_killed_mid_way_leaves_no_python_warning_and_the_next_one_stores_everything(tmp_path: Path) -> None:
    with GatedSite(host=63).serving() as site:
        config = _config(tmp_path, site)
        held = site.paths[0]
        site.hold(held)
        crawl = subprocess.Popen(
            [sys.executable, "-m", "rasd.monitor", "--config", str(config), "crawl"],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        site.wait_seen(held)  # the workers and their tracker are running: the crawl is fetching articles
        crawl.send_signal(signal.SIGKILL)
        out, err = crawl.communicate(timeout=60)  # the end of stderr: every process holding it has left

        assert crawl.returncode == -signal.SIGKILL
        assert (out, err) == ("", "")
        site.release()

        again = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert again.returncode == 0, again.stderr
    assert len(_stored(tmp_path / "rasd.db")) == len(site.paths)
