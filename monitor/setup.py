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
from rasd.monitor.speech import Speech


def write_setup(folder: Path, language: str = "en") -> Iterator[str]:
    """Copy the shipped settings, sources and seeds into `folder`; lines telling the user what comes next, in
    `language` (each command kept whole, left to right, for copying)."""
    said = Speech(language)
    folder = folder.expanduser().resolve()
    targets = [folder / "rasd.toml", folder / "sources.toml", folder / "seeds"]
    taken = [str(path) for path in targets if path.exists()]
    if taken:
        refused = said.gettext("%(paths)s already exists; nothing was written (choose another folder)")
        raise Refused(said(refused, paths=", ".join(taken)))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE_DIR / "rasd.toml", folder / "rasd.toml")
    shutil.copyfile(PACKAGE_DIR / "sources.toml", folder / "sources.toml")
    shutil.copytree(BUNDLED_SEEDS_DIR, folder / "seeds", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    seeds = len(list((folder / "seeds").glob("*.txt")))
    config, sources = folder / "rasd.toml", folder / "sources.toml"
    wrote = said.ngettext(
        "wrote %(config)s, %(sources)s and %(seeds)s (%(num)d reference story)",
        "wrote %(config)s, %(sources)s and %(seeds)s (%(num)d reference stories)",
        seeds,
    )
    yield said(wrote, config=config, sources=sources, seeds=f"{folder / 'seeds'}/", num=seeds)
    yield said(said.gettext("next:"))
    edit = said.gettext("edit %(config)s (subscriptions, [smtp]) and %(sources)s (the sites to watch)")
    yield said.line("  " + said(edit, config=config, sources=sources))
    steps = []
    if config != user_config_path():
        instead = said.gettext("or give --config %(config)s to every command")
        steps.append((f"export RASD_CONFIG={config}", said(instead, config=config)))
    database = said.gettext("one monitoring cycle; the database is %(path)s")
    outbox = said.gettext("the digests due, into %(path)s (a daily subscription's at its time)")
    steps += [
        ("rasd sources check", said.gettext("what each site publishes today")),
        ("rasd crawl", said(database, path=folder / "data" / "rasd.db")),
        ("rasd digest", said(outbox, path=folder / "outbox")),
        ("rasd demo", said.gettext("or first try everything on the offline demo web")),
    ]
    width = max(len(command) for command, _ in steps)
    for command, why in steps:
        yield said.line(f"  {said.cell(command, width)}   # {why}")
