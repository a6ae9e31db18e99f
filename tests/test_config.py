"""A bad config line gives one readable line naming the file and key, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.config import ConfigError, load_settings
from tests.conftest import run_rasd


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_source_url_names_file_and_key(tmp_path: Path) -> None:
    config = _write(
        tmp_path / "rasd.toml",
        '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n[[sources]]\nname = "B"\nurl = "a.ma/news"\n',
    )
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{config}: sources[1].url: not a URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_errors_in_a_separate_sources_file_name_that_file(tmp_path: Path) -> None:
    _write(tmp_path / "sources.toml", '[[sources]]\nname = "A"\nurl = "https://a.ma/"\nregion = "MA-13"\n')
    config = _write(tmp_path / "rasd.toml", '[storage]\nurl = "sqlite:///x.db"\n')
    with pytest.raises(ConfigError, match=r"sources\.toml: sources\[0\]\.region: not an ISO 3166-2:MA region code"):
        load_settings(config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[storage\nurl = 1", "invalid TOML"),
        ("[crawler]\nconcurent_requests_per_domain = 2\n", "crawler.concurent_requests_per_domain: unknown key"),
        ('[[subscriptions]]\nname = "x"\nemail = "not-an-address"\n', "subscriptions[0].email"),
        ('[[subscriptions]]\nname = "x"\nemail = "a@b.ma"\nregions = ["Souss"]\n', "subscriptions[0].regions"),
        ('[smtp]\npassword = "hunter2"\n', "smtp.password: secrets are not read from files"),
        (
            '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n[[sources]]\nname = "A"\nurl = "https://b.ma/"\n',
            "duplicate source name",
        ),
        ('[[sources]]\nname = "Local"\nurl = "http://127.0.0.1:8000/"\n', "private or loopback address"),
        ('timezone = "Mars/Olympus"\n', "unknown time zone"),
        ("[crawler]\nworkers = 0\n", "crawler.workers"),
        # a key in the wrong section is told where it goes, not only that it is unknown
        ("timeout = 10\n[smtp]\nhost = 'relay.ma'\n", "rasd.toml: timeout: unknown key here: it belongs under [smtp]"),
        (  # a top-level key written after a [section] header is in that section for TOML
            '[crawler]\nworkers = 2\noutbox = "mail"\n',
            "crawler.outbox: unknown key here: it belongs at the top of the file (before any [section])",
        ),
        (
            '[[subscriptions]]\nname = "x"\nemail = "a@b.ma"\nport = 25\n',
            "subscriptions[0].port: unknown key here: it belongs under [smtp]",
        ),
        (
            '[crawler]\nurl = "x"\n',
            "crawler.url: unknown key here: it belongs under [storage] or in a [[sources]] entry",
        ),
    ],
)
def test_config_mistakes_are_reported_readably(tmp_path: Path, text: str, expected: str) -> None:
    config = _write(tmp_path / "rasd.toml", text)
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert expected in str(error.value)
    assert str(config) in str(error.value)


def test_a_config_saved_by_a_windows_editor_reads_as_written(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a byte-order mark and CRLF line ends: the file reads as it looks."""
    config = tmp_path / "rasd.toml"
    config.write_bytes(b"\xef\xbb\xbf" + b'[[sources]]\r\nname = "Tiznit Info"\r\nurl = "https://a.ma/"\r\n')
    assert [s.name for s in load_settings(config).sources] == ["Tiznit Info"]
    config.write_bytes('[[sources]]\nname = "Tiznit Info"\n'.encode("utf-16"))  # "Unicode" in Notepad
    with pytest.raises(ConfigError, match=r"rasd\.toml: not UTF-8 text \(save it as UTF-8\)$"):
        load_settings(config)
    with pytest.raises(ConfigError, match=r": a folder, not a file$"):
        load_settings(tmp_path)


def test_missing_sections_take_the_defaults(tmp_path: Path) -> None:
    config = _write(tmp_path / "rasd.toml", '[[sources]]\nname = "A"\nurl = "https://a.ma/"\n')
    settings = load_settings(config)
    assert settings.storage.url == f"sqlite:///{tmp_path / 'data' / 'rasd.db'}"
    assert settings.outbox == str(tmp_path / "outbox")
    assert [s.name for s in settings.sources] == ["A"]
    assert settings.crawler.allow_private_networks is False


def test_shipped_config_is_valid() -> None:
    settings = load_settings(Path(__file__).resolve().parent.parent / "config" / "rasd.toml")
    assert settings.sources, "config/sources.toml lists the sites"
    assert settings.subscriptions
