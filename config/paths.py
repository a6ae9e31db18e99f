"""Where Rasd's files are: the settings and data it ships, a user's config file and data folder. Plain
paths, importing nothing but the standard library, so that the lock files and `rasd init` find them without
loading the settings' validation (pydantic).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The reference stories shipped with Rasd: `seeds/` beside the stages (rasd/seeds in the wheel).
BUNDLED_SEEDS_DIR = PACKAGE_DIR.parent / "seeds"


def user_config_path() -> Path:
    """Where `rasd init` writes a user's setup by default and where Rasd looks when no config is named:
    `$XDG_CONFIG_HOME/rasd/rasd.toml` (`~/.config/rasd/rasd.toml`)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "rasd" / "rasd.toml"


def user_data_dir() -> Path:
    """Rasd's data folder when no config file is used (and for a PostgreSQL database's lock files):
    `$XDG_DATA_HOME/rasd` (`~/.local/share/rasd`). Never the working directory: a command run from another
    folder must read the same database."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "rasd"


def user_cache_dir() -> Path:
    """What Rasd keeps only to start faster (the built classifier), safe to delete at any time:
    `$XDG_CACHE_HOME/rasd` (`~/.cache/rasd`)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rasd"


def keep_file(path: Path, data: bytes) -> None:
    """`data` written to `path` in the cache folder, beside then renamed over: a reader never sees half a
    file, two writers never mix theirs. A folder that cannot be made or written is no error: what is kept
    there is only made again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}")
    except OSError:
        return
    try:
        with open(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(name, path)
    except OSError:
        with suppress(OSError):
            os.unlink(name)


def find_config(path: Path | str | None = None) -> Path | None:
    """The config file to read: `path` (--config), else $RASD_CONFIG, else the user's own
    (`user_config_path()`) if it exists; None means the built-in defaults."""
    if path is not None:
        return Path(path)
    if os.environ.get("RASD_CONFIG"):
        return Path(os.environ["RASD_CONFIG"])
    mine = user_config_path()
    return mine if mine.is_file() else None
