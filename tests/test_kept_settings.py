"""Settings kept between commands (config/kept.py, issue 16): a command reads back the settings an earlier
one validated, without pydantic, only while the files and folders they were read from are as they were;
otherwise it validates them again. Whatever the cache holds, a command sees what `load_settings` gives, and
a config with mistakes is said exactly as before."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import rasd.config.settings as settings_module
from rasd.config import ConfigError, Settings, kept_settings, load_settings

SOURCES = '[[sources]]\nname = "Tiznit Info"\nurl = "https://tiznit.example/"\ngroup = "souss"\n'
WRONG_SOURCE = '[[sources]]\nname = "Broken"\nurl = "not a url"\n'
REST = """timezone = "Africa/Casablanca"
[schedule]
group_every_minutes = { souss = 30.5 }
housekeeping_at = 04:15:00
[smtp]
host = "smtp.example.org"
port = 465
security = "ssl"
[[subscriptions]]
name = "Souss"
email = "watcher@example.org"
languages = ["ar"]
frequency = "weekly"
day = "friday"
time = 06:30:00
regions = ["MA-09"]
min_score = 0.5
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "rasd"


def _kept_file(cache: Path) -> Path:
    (found,) = cache.glob("settings-*.json")
    return found


def _not_validated(*_args: object, **_kwargs: object) -> Settings:
    raise AssertionError("the settings were validated again, not read back")


def _same(kept: Settings, validated: Settings) -> None:
    """Every field, section and source alike, and the properties commands use."""
    assert kept.model_dump() == validated.model_dump()
    assert kept.config_file == validated.config_file and kept.config_shown == validated.config_shown
    assert kept.sources_left_out == validated.sources_left_out
    assert [told.message for told in kept.sources_left_out] == [told.message for told in validated.sources_left_out]
    assert [type(s.time) for s in kept.subscriptions] == [type(s.time) for s in validated.subscriptions]


def _config(folder: Path, sources: str = SOURCES + WRONG_SOURCE, rest: str = REST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "rasd.toml"
    config.write_text(f'{rest}\n[storage]\nurl = "sqlite:///data/rasd.db"\n{sources}', encoding="utf-8")
    return config


def test_kept_settings_are_the_validated_ones_and_are_read_back_without_validating(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path / "setup")
    validated = load_settings(config)
    assert len(validated.sources_left_out) == 1  # the broken source: said by every command, from the cache too
    first = kept_settings(config)
    _same(first, validated)
    with monkeypatch.context() as patched:
        patched.setattr(settings_module, "load_settings", _not_validated)
        again = kept_settings(str(config), "--config")
    _same(again, validated)
    assert again == first
    assert again.subscriptions[0].language == "ar"  # a value a validator set: kept as set
    assert again.storage.url == f"sqlite:///{(tmp_path / 'setup' / 'data' / 'rasd.db').resolve()}"
    assert pickle.loads(pickle.dumps(again)) == again  # as the crawl hands settings to its workers
    with pytest.raises(AttributeError):
        again.storage.url = "sqlite:///elsewhere.db"  # type: ignore[misc]
    # The built-in defaults (no config file): kept too.
    defaults = kept_settings()
    _same(defaults, load_settings())
    assert defaults.config_shown == "built-in defaults, no config file"


def test_an_edited_file_or_a_seeds_folder_made_beside_the_config_is_validated_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "setup"
    config = _config(folder, sources="", rest='[crawler]\nsources_file = "sites.toml"\n')
    sites = folder / "sites.toml"
    sites.write_text(SOURCES, encoding="utf-8")
    assert [s.name for s in kept_settings(config).sources] == ["Tiznit Info"]
    # The sources file edited: the config's own bytes are the same.
    sites.write_text(SOURCES.replace("Tiznit Info", "Agadir 24"), encoding="utf-8")
    assert [s.name for s in kept_settings(config).sources] == ["Agadir 24"]
    assert kept_settings(config).classifier.seeds_dir == str(load_settings(config).classifier.seeds_dir)
    # A seeds folder made beside the config: it becomes the reference stories' folder.
    (folder / "seeds").mkdir()
    assert kept_settings(config).classifier.seeds_dir == str(folder / "seeds")
    # The config edited.
    config.write_text('timezone = "Europe/Paris"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert kept_settings(config).timezone == "Europe/Paris"
    # Each change was validated again, and the last one is the one kept: read back without validating.
    with monkeypatch.context() as patched:
        patched.setattr(settings_module, "load_settings", _not_validated)
        assert kept_settings(config).timezone == "Europe/Paris"
    assert len(list(cache.glob("settings-*.json"))) == 1  # one file a config, written over


def test_a_config_with_mistakes_is_never_kept_and_is_said_as_load_settings_says_it(tmp_path: Path, cache: Path) -> None:
    config = _config(tmp_path / "setup")
    kept_settings(config)
    config.write_text(config.read_text(encoding="utf-8").replace("port = 465", "port = 0"), encoding="utf-8")
    with pytest.raises(ConfigError) as validated:
        load_settings(config)
    for _ in range(2):
        with pytest.raises(ConfigError) as read:
            kept_settings(config)
        assert str(read.value) == str(validated.value) and "smtp.port" in str(read.value)
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match=r"file not found \(the path comes from \$RASD_CONFIG\)"):
        kept_settings(missing, "$RASD_CONFIG")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"",
        lambda data: b"\x00\xff not json",
        lambda data: json.dumps({"where": "elsewhere", "facts": [], "settings": None}).encode(),
        lambda data: data.replace(b'"model"', b'"mode1"'),
        lambda data: json.dumps({**json.loads(data), "facts": [[["eval", "/"], True]]}).encode(),
    ],
)
def test_a_damaged_kept_file_is_validated_over_without_a_word(tmp_path: Path, cache: Path, damage: Any) -> None:
    config = _config(tmp_path / "setup")
    right = kept_settings(config)
    whole = _kept_file(cache).read_bytes()
    _kept_file(cache).write_bytes(damage(whole))
    assert kept_settings(config) == right
    assert json.loads(_kept_file(cache).read_bytes()) == json.loads(whole)  # and kept again, whole


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    config = _config(tmp_path / "setup")
    _same(kept_settings(config), load_settings(config))
    _same(kept_settings(config), load_settings(config))


def test_what_the_settings_do_beyond_their_fields_kept_settings_do_alike(tmp_path: Path, cache: Path) -> None:
    """A method of a model (`source_named`, `no_source`) is there on the kept settings too, and answers alike:
    every public method and property Rasd's models define, checked by name, so that one added later fails
    here rather than in a command."""
    config = _config(tmp_path / "setup")
    validated, kept = load_settings(config), kept_settings(config)
    pairs = [(validated, kept), (validated.sources[0], kept.sources[0]), (validated.smtp, kept.smtp)]
    pairs += [(validated.subscriptions[0], kept.subscriptions[0]), (validated.schedule, kept.schedule)]
    for model, frozen in pairs:
        own = [kind for kind in type(model).__mro__ if kind.__module__.startswith("rasd.")]
        names = {name for kind in own for name in vars(kind) if not name.startswith(("_", "model_"))}  # pydantic's
        names = {name for name in names if callable(getattr(model, name)) or name not in type(model).model_fields}
        assert [name for name in names if not hasattr(frozen, name)] == [], type(model).__name__
    assert kept.source_named("Tiznit Info") == kept.sources[0]
    assert kept.no_source("tiznit") == validated.no_source("tiznit") and "Tiznit Info" in kept.no_source("tiznit")
    with pytest.raises(ConfigError, match="no source in the config is named 'Nowhere'"):
        kept.source_named("Nowhere")


def test_a_password_in_a_database_urls_query_is_refused_and_never_kept(tmp_path: Path, cache: Path) -> None:
    """libpq and SQLAlchemy read `?password=` as the login's password: refused like one before the host, so that
    neither the config nor the settings kept in the cache folder hold it."""
    folder = tmp_path / "setup"
    folder.mkdir()
    config = folder / "rasd.toml"
    config.write_text(f'[storage]\nurl = "postgresql://rasd@db.example/rasd?password=hunter2"\n{SOURCES}', "utf-8")
    with pytest.raises(ConfigError, match=r"storage\.url: a password in a URL is not read from files"):
        kept_settings(config)
    assert not list(cache.glob("settings-*.json"))
    config.write_text(f'[storage]\nurl = "postgresql://rasd@db.example/rasd?sslmode=require"\n{SOURCES}', "utf-8")
    assert kept_settings(config).storage.url.endswith("?sslmode=require")
