"""Commands start light (issue 16): each imports only what it uses. `rasd --help` and `--version` load
neither the store (SQLAlchemy) nor the settings' validation (pydantic); `rasd status` and `search` on a
migrated store import neither the crawl's libraries (Scrapy, Twisted), nor extraction's (trafilatura, lxml,
NumPy, dateparser), nor Alembic, nor the digest's templates; `label` and `digest` load no crawler. Each
cost a share of the 1.4–1.9 s every command paid before it did anything. Checked by the modules a command
loaded, never by its time (bench/bench_startup.py measures that)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rasd.classify import Classification
from rasd.config import load_settings
from rasd.extract import Article, content_hash
from rasd.storage import Store
from tests.conftest import REPO, write_config

HEAVY = {"scrapy", "twisted", "alembic", "trafilatura", "lxml", "numpy", "dateparser", "justext", "courlan", "jinja2"}
# What a command that opens no store and reads no settings has no use for.
STORE_AND_SETTINGS = {"sqlalchemy", "pydantic", "pydantic_core", "asyncio", "babel", "jinja2", "numpy"}
# Runs the command as `rasd` does, then reports which top-level packages the process had loaded.
PROBE = """
import atexit, json, sys
loaded = lambda: sorted({m.split(".")[0] for m in sys.modules})
atexit.register(lambda: print("\\nLOADED " + json.dumps(loaded()), file=sys.stderr))
sys.argv = ["rasd", *sys.argv[1:]]
from rasd.monitor.start import main
main()
"""


def _rasd(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    marker = result.stderr.rindex("LOADED ")
    return result, set(json.loads(result.stderr[marker + len("LOADED ") :]))


def test_help_and_version_load_neither_the_store_nor_the_settings(tmp_path: Path) -> None:
    config = write_config(tmp_path, '[[sources]]\nname = "Tiznit Info"\nurl = "https://tiznit.example/"\n')
    for args, expected in [
        (("--version",), "rasd "),
        (("--help",), "Commands:"),
        (("status", "--help"), "Per source"),
        (("label", "--help"), "verdict"),
        (("regions",), "MA-09"),
    ]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
        unused = loaded & STORE_AND_SETTINGS
        assert unused == set(), f"rasd {' '.join(args)} imported {sorted(unused)}"


def test_status_search_and_explain_import_only_what_they_use(tmp_path: Path) -> None:
    subscriber = '[[subscriptions]]\nname = "Souss"\nemail = "watcher@example.org"\nfrequency = "immediate"\n'
    subscriber += 'languages = ["ar"]\n'  # reads Arabic: `explain` speaks Arabic as well
    config = write_config(tmp_path, '[[sources]]\nname = "Tiznit Info"\nurl = "https://tiznit.example/"\n', subscriber)
    store = Store(load_settings(str(config)).storage.url)  # created and migrated here, as `rasd crawl` would
    store.sync_sources(load_settings(str(config)).sources)
    text = "أطلقت تعاونية نسائية بتيزنيت مشروعا لتثمين زيت الأركان بدعم من المبادرة الوطنية للتنمية البشرية."
    url = "https://tiznit.example/1"
    article = Article(url, "تعاونية الأركان", text, None, None, None, "ar", None, content_hash(text))
    verdict = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=["matched: تعاونية"], parts={"x": 0.8})
    article_id = store.save_article("Tiznit Info", article.url, article, verdict)
    store.close()

    for args, expected in [
        (("status",), "Tiznit Info"),
        (("search", "تعاونيه"), "تعاونية الأركان"),
    ]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
        assert loaded & HEAVY == set(), f"rasd {' '.join(args)} imported {sorted(loaded & HEAVY)}"
    # `rasd explain` classifies the story again to say why in plain words (issue 14): it loads the classifier
    # (NumPy, the lexicon, the seeds), but still not the crawl's libraries nor Alembic.
    result, loaded = _rasd("--config", str(config), "explain", str(article_id), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "خبر عن الاقتصاد الاجتماعي والتضامني، النتيجة 0,80" in result.stdout  # an Arabic story: in Arabic
    assert loaded & {"scrapy", "twisted", "alembic"} == set(), sorted(loaded & HEAVY)
    # `rasd label` speaks through the catalogs, `digest --dry-run` builds the digest (the classifier for its
    # "why"): neither loads the crawler, and label no classifier either.
    for args, expected, unused in [
        (("label", str(article_id), "sse"), f"المقال {article_id}", HEAVY),  # in Arabic, as explain
        (("digest", "--dry-run"), "watcher@example.org", {"scrapy", "twisted", "alembic", "trafilatura"}),
    ]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout, result.stdout
        assert loaded & unused == set(), f"rasd {' '.join(args)} imported {sorted(loaded & unused)}"
