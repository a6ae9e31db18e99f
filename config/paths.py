"""Where Rasd's files are: the settings and data it ships, a user's config file and data folder. Plain
paths, importing nothing but the standard library (and config's own errors and `telling`, which import
nothing), so that the lock files and `rasd init` find them without loading the settings' validation.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from rasd.config.errors import ConfigError
from rasd.config.told import telling

PACKAGE_DIR = Path(__file__).resolve().parent
# The reference stories shipped with Rasd: `seeds/` beside the stages (rasd/seeds in the wheel).
BUNDLED_SEEDS_DIR = PACKAGE_DIR.parent / "seeds"


class NoHome(ConfigError):
    """No home folder to find the user's files in: $HOME is not set, and the user has no entry in the
    password database (a container run with an arbitrary uid, `env -i`). Path.home() raised RuntimeError,
    and every command that looked for the user's config, data or cache ended in its traceback."""

    def __init__(self, variable: str) -> None:
        super().__init__(
            telling.gettext(
                "no home folder: $HOME is not set and user %(uid)s has none; set HOME (or %(variable)s), or "
                "name a config file with --config",
                uid=str(os.getuid()),
                variable=variable,
            )
        )


def _base(variable: str, under_home: str) -> Path:
    """$`variable`, else `under_home` in the user's home folder; `NoHome` when there is neither."""
    if os.environ.get(variable):
        return Path(os.environ[variable])
    try:
        return Path.home() / under_home
    except RuntimeError:
        raise NoHome(variable) from None


def user_config_path() -> Path:
    """Where `rasd init` writes a user's setup by default and where Rasd looks when no config is named:
    `$XDG_CONFIG_HOME/rasd/rasd.toml` (`~/.config/rasd/rasd.toml`)."""
    return _base("XDG_CONFIG_HOME", ".config") / "rasd" / "rasd.toml"


def user_data_dir() -> Path:
    """Rasd's data folder when no config file is used (and for a PostgreSQL database's lock files):
    `$XDG_DATA_HOME/rasd` (`~/.local/share/rasd`). Never the working directory: a command run from another
    folder must read the same database."""
    return _base("XDG_DATA_HOME", ".local/share") / "rasd"


def user_cache_dir() -> Path:
    """What Rasd keeps only to start faster (the built classifier), safe to delete at any time:
    `$XDG_CACHE_HOME/rasd` (`~/.cache/rasd`)."""
    return _base("XDG_CACHE_HOME", ".cache") / "rasd"


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
    named = path if path is not None else os.environ.get("RASD_CONFIG") or None
    if named is not None:  # a `~` the shell left (quoted: --config "~/rasd/rasd.toml") is the home folder too
        with suppress(RuntimeError):  # no home folder: the path as written, reported as not found
            return Path(named).expanduser()
        return Path(named)
    try:
        mine = user_config_path()
    except NoHome:  # no home folder, so no config of the user's own there: the defaults (their data folder
        return None  # is in the home folder too: `user_data_dir` says what to set when it is needed)
    return mine if mine.is_file() else None
