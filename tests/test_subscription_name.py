"""`rasd digest --check` on a subscription still named as `rasd init` named it ("All regions, daily", in the
reader's language) whose regions or frequency the reader changed: the official who chose Souss-Massa and
"immediate" sent digests whose subject and footer said "كل الجهات، يوميا" — all regions, daily (newcomer13's
trial). The real `rasd init` writes the config, as a reader's first hour does."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_rasd


def _setup(tmp_path: Path, language: str) -> Path:
    made = run_rasd("init", str(tmp_path / "veille"), cwd=tmp_path, env={"RASD_LANG": language})
    assert made.returncode == 0, made.stderr
    return tmp_path / "veille" / "rasd.toml"


def test_the_check_says_when_the_shipped_name_no_longer_says_what_is_sent(tmp_path: Path) -> None:
    config = _setup(tmp_path, "ar")
    untouched = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path)
    assert untouched.returncode == 0 and "rasd init" not in untouched.stderr, untouched.stderr
    text = config.read_text(encoding="utf-8")
    assert 'name = "كل الجهات، يوميا"' in text
    config.write_text(text.replace('regions = ["all"]', 'regions = ["سوس ماسة"]', 1), encoding="utf-8")
    arabic = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path)
    assert arabic.returncode == 0, arabic.stderr
    assert "الاشتراك 'كل الجهات، يوميا' يحمل الاسم الذي أعطاه إياه rasd init" in arabic.stderr, arabic.stderr
    french = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path, env={"RASD_LANG": "fr"})
    assert "garde le nom que rasd init lui a donné" in french.stderr, french.stderr
    renamed = text.replace('name = "كل الجهات، يوميا"', 'name = "سوس ماسة، فورًا"', 1)
    config.write_text(renamed.replace('frequency = "daily"', 'frequency = "immediate"', 1), encoding="utf-8")
    named = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path)
    assert named.returncode == 0 and "rasd init" not in named.stderr, named.stderr


def test_a_french_setup_made_immediate_is_told_too(tmp_path: Path) -> None:
    config = _setup(tmp_path, "fr")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('frequency = "daily"', 'frequency = "immediate"', 1), encoding="utf-8")
    result = run_rasd("--config", str(config), "digest", "--check", cwd=tmp_path)
    assert "garde le nom que rasd init lui a donné" in result.stderr, result.stderr
