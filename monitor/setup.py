"""`rasd init DIR`: a user's own setup, written from the files Rasd ships, to edit.

The folder gets `rasd.toml` (the commented settings), `sources.toml` (the bundled Moroccan sites) and
`seeds/` (the reference stories). Every relative path in `rasd.toml` is taken from that folder, so the
database (`data/rasd.db`) and the outbox land there too, whatever folder a command is run from. An existing
file is never overwritten: the user's edits are worth more than a fresh copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from rasd.config import BUNDLED_SEEDS_DIR, PACKAGE_DIR, user_config_path
from rasd.monitor.errors import Refused


def write_setup(folder: Path) -> Iterator[str]:
    """Copy the shipped settings, sources and seeds into `folder`; lines telling the user what comes next."""
    folder = folder.expanduser().resolve()
    targets = [folder / "rasd.toml", folder / "sources.toml", folder / "seeds"]
    taken = [str(path) for path in targets if path.exists()]
    if taken:
        raise Refused(f"{', '.join(taken)} already exists; nothing was written (choose another folder)")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE_DIR / "rasd.toml", folder / "rasd.toml")
    shutil.copyfile(PACKAGE_DIR / "sources.toml", folder / "sources.toml")
    shutil.copytree(BUNDLED_SEEDS_DIR, folder / "seeds", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    seeds = len(list((folder / "seeds").glob("*.txt")))
    config = folder / "rasd.toml"
    yield f"wrote {config}, {folder / 'sources.toml'} and {folder / 'seeds'}/ ({seeds} reference stories)"
    yield "next:"
    yield f"  edit {config} (subscriptions, [smtp]) and {folder / 'sources.toml'} (the sites to watch)"
    if config != user_config_path():
        yield f"  export RASD_CONFIG={config}   # or give --config {config} to every command"
    yield "  rasd sources check             # what each site publishes today"
    yield f"  rasd crawl                     # one monitoring cycle; the database is {folder / 'data' / 'rasd.db'}"
    yield "  rasd demo                      # or first try everything on the offline demo web"
