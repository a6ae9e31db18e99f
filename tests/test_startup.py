"""Commands start light (issue 16): each imports only what it uses. `rasd --help` and `--version` load
neither the store (SQLAlchemy) nor the settings' validation (pydantic); `rasd status`, `search` and `explain`
on an SQLite store at the newest schema read it without SQLAlchemy (storage/direct.py); `status` and `search`
import neither the crawl's libraries (Scrapy, Twisted), nor extraction's (trafilatura, lxml, NumPy,
dateparser), nor Alembic, nor the digest's templates; `label` and `digest` load no crawler; no command on an
SQLite store loads SQLAlchemy's PostgreSQL dialect; `explain` reads the classifier kept in the cache folder
(classify/kept.py) and with it skips what only building one needs (the boilerplate rules, lxml). Each cost a
share of the 1.4–1.9 s every command paid before it did anything. Checked by the modules a command loaded,
never by its time (bench/bench_startup.py measures that)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import rasd.classify as classify
from rasd.classify import Classification, Classifier, Reference
from rasd.config import BUNDLED_SEEDS_DIR, load_settings
from rasd.extract import Article, content_hash
from rasd.storage import Store
from tests.conftest import REPO, write_config

HEAVY = {"scrapy", "twisted", "alembic", "trafilatura", "lxml", "numpy", "dateparser", "justext", "courlan", "jinja2"}
# What a command that opens no store and reads no settings has no use for.
STORE_AND_SETTINGS = {"sqlalchemy", "pydantic", "pydantic_core", "asyncio", "babel", "jinja2", "numpy"}
# The settings' validation: a command reads the settings an earlier one validated and kept (config/kept.py).
SETTINGS = {"pydantic", "pydantic_core", "rasd.config.settings"}
# Only SQLite's dialect is needed for an SQLite store: PostgreSQL's imports all its drivers (~0.06 s).
POSTGRESQL = "sqlalchemy.dialects.postgresql"
# What only building a classifier needs (the seeds' furniture stripped): a kept one is read without them.
BUILDING = {"rasd.extract.boilerplate", "rasd.extract.dates", "lxml"}
# Runs the command as `rasd` does, then reports which modules the process had loaded.
PROBE = """
import atexit, json, sys
atexit.register(lambda: print("\\nLOADED " + json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["rasd", *sys.argv[1:]]
from rasd.monitor.start import main
main()
"""


def _rasd(*args: str, cwd: Path, hash_seed: str = "random") -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The command's result and the packages it loaded: the top-level names, and every module's full name."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": hash_seed},
        check=False,
    )
    marker = result.stderr.rindex("LOADED ")
    modules = json.loads(result.stderr[marker + len("LOADED ") :])
    return result, {name.split(".")[0] for name in modules} | set(modules)


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

    # The first command validates the settings (pydantic) and keeps them (config/kept.py); the next ones read
    # them back without pydantic and say the same.
    first, loaded = _rasd("--config", str(config), "status", cwd=tmp_path)
    assert "pydantic" in loaded
    for args, expected in [
        (("status",), "Tiznit Info"),
        (("search", "تعاونيه"), "تعاونية الأركان"),
    ]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
        assert loaded & HEAVY == set(), f"rasd {' '.join(args)} imported {sorted(loaded & HEAVY)}"
        assert POSTGRESQL not in loaded, f"rasd {' '.join(args)} imported {POSTGRESQL} for an SQLite store"
        # a store at the newest schema, read with sqlite3 (storage/direct.py): no SQLAlchemy, nor NumPy
        assert loaded & {"sqlalchemy", "numpy"} == set(), f"rasd {' '.join(args)} imported {sorted(loaded & HEAVY)}"
        assert loaded & SETTINGS == set(), f"rasd {' '.join(args)} validated kept settings: {sorted(loaded & SETTINGS)}"
        if args == ("status",):
            assert result.stdout == first.stdout  # read back, said as validated
    # `rasd explain` classifies the story again to say why in plain words (issue 14): it loads the classifier
    # (NumPy, the lexicon, the seeds), but still not the crawl's libraries nor Alembic. Run again (another
    # process, other string hashes), it reads the classifier the first run kept, without what building needs,
    # and says the same.
    said = []
    for hash_seed in ("1", "2"):
        result, loaded = _rasd("--config", str(config), "explain", str(article_id), cwd=tmp_path, hash_seed=hash_seed)
        assert result.returncode == 0, result.stderr
        assert "خبر عن الاقتصاد الاجتماعي والتضامني، النتيجة 0,80" in result.stdout  # an Arabic story: in Arabic
        assert loaded & {"scrapy", "twisted", "alembic", "sqlalchemy"} == set(), sorted(loaded & HEAVY)
        said.append(result.stdout)
    assert loaded & BUILDING == set(), f"a kept classifier, read back, imported {sorted(loaded & BUILDING)}"
    # nor the settings' validation (the lexicon's and the gazetteer's TOML are read without it), nor the
    # package metadata (Rasd's version was part of the kept classifier's key: its code's bytes are)
    assert loaded & (SETTINGS | {"importlib.metadata"}) == set(), sorted(loaded & (SETTINGS | {"importlib.metadata"}))
    assert said[0] == said[1]
    # `rasd label` speaks through the catalogs, `digest --dry-run` builds the digest (the classifier for its
    # "why"): neither loads the crawler, and label no classifier either.
    for args, expected, unused in [
        (("label", str(article_id), "sse"), f"المقال {article_id}", HEAVY | SETTINGS),  # in Arabic, as explain
        (("digest", "--dry-run"), "watcher@example.org", {"scrapy", "twisted", "alembic", "trafilatura"} | SETTINGS),
    ]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout, result.stdout
        assert loaded & unused == set(), f"rasd {' '.join(args)} imported {sorted(loaded & unused)}"
        assert POSTGRESQL not in loaded, f"rasd {' '.join(args)} imported {POSTGRESQL} for an SQLite store"


def _kept_files(cache: Path) -> list[Path]:
    return sorted((cache / "rasd").glob("classifier-*.pickle"))


def test_a_kept_classifier_is_read_back_and_built_again_when_what_it_was_built_from_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    lexicon, seeds = tmp_path / "lexicon.toml", tmp_path / "seeds"
    shutil.copy(classify.DEFAULT_LEXICON_PATH, lexicon)
    shutil.copytree(BUNDLED_SEEDS_DIR, seeds)
    story = ("Zorbatex s'installe à Tiznit", "La coopérative Zorbatex tisse des tapis à Tiznit avec vingt femmes.")

    def load() -> Classifier:
        return classify.load_classifier(lexicon_path=lexicon, seeds_dir=seeds)

    first = load()
    assert len(_kept_files(cache)) == 1
    # Read back, not built: building would read the lexicon.
    with monkeypatch.context() as building:
        building.setattr(classify, "load_lexicon", _not_built)
        again = load()
    assert again.classify(*story) == first.classify(*story)
    assert not any("zorbatex" in reason.casefold() for reason in first.classify(*story).reasons)

    # An edited lexicon: built again, with the new term.
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8") + '\n[[terms]]\nkind = "test"\nweight = 2.0\nfr = ["zorbatex"]\n',
        encoding="utf-8",
    )
    edited = load()
    # named as the story writes it ("Zorbatex"), not as the lexicon does
    assert any("zorbatex" in reason.casefold() for reason in edited.classify(*story).reasons)
    # A seed taken away: built again, without it.
    removed = sorted(seeds.glob("*.txt"))[0]
    removed.unlink()
    assert removed.stem in edited.seed_titles
    assert removed.stem not in load().seed_titles
    # The readers' verdicts are part of what it is built from (kept apart from the classifier without them).
    rejected = Reference("article 7", "Zorbatex\nLa coopérative Zorbatex tisse des tapis à Tiznit.", sse=False)
    assert len(classify.load_classifier(lexicon_path=lexicon, seeds_dir=seeds, references=[rejected]).rejected) == 1
    assert len(load().rejected) == 0
    assert len(_kept_files(cache)) == 2


def test_a_damaged_kept_classifier_is_built_again_and_a_cache_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    story = ("تعاونية الأركان بتيزنيت", "أطلقت تعاونية نسائية بتيزنيت مشروعا لتثمين زيت الأركان بدعم من الجهة.")
    right = classify.load_classifier().classify(*story)
    (kept,) = _kept_files(cache)
    whole = kept.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole[:32] + b"not a pickle", b"", b"\x80\x05garbage"):
        kept.write_bytes(damaged)
        assert classify.load_classifier().classify(*story) == right
        assert kept.read_bytes() == whole  # and kept again, whole
    # A cache folder that cannot be made (a file is in the way): built each time, as before the cache.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert classify.load_classifier().classify(*story) == right


def _not_built(*_args: object) -> None:
    raise AssertionError("the classifier was built again, not read back")


def test_a_crawls_main_process_loads_neither_the_seeds_reading_nor_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crawl's main process downloads, reads feeds and stores; its workers extract and classify. It names
    the seed files left out from the classifier its workers keep (classify/kept.py), so it loads neither the
    boilerplate rules nor the date patterns that strip the seeds, nor extraction's metadata and layout readers
    (extract/article.py imports them where it extracts), nor Scrapy's cookies middleware with tldextract
    (cookies are off). Each was paid by every crawl (~0.3 s of the main process's CPU with the stack walks of
    crawler/deprecated_names.py)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    classify.load_classifier(seeds_dir=REPO / "seeds")  # as the workers of an earlier crawl kept it
    with socket.socket() as probe:  # a site that refuses: the crawl is over at once
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = write_config(tmp_path, f'[[sources]]\nname = "Closed"\nurl = "{closed}/"\n')
    result, loaded = _rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert "no source could be fetched" in result.stderr, result.stderr
    assert "scrapy" in loaded and "rasd.extract.article" in loaded  # it crawled, and reads what workers return
    unused = {"rasd.extract.boilerplate", "rasd.extract.dates", "rasd.extract.metadata", "rasd.extract.layout"}
    unused |= {"scrapy.downloadermiddlewares.cookies", "tldextract"}
    assert loaded & unused == set(), f"rasd crawl's main process imported {sorted(loaded & unused)}"
