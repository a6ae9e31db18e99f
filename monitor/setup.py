"""`rasd init DIR`: a user's own setup, written from the files Rasd ships, to edit.

The folder gets `rasd.toml` (the commented settings), `sources.toml` (the bundled Moroccan sites) and
`seeds/` (the reference stories). Every relative path in `rasd.toml` is taken from that folder, so the
database (`data/rasd.db`) and the outbox land there too, whatever folder a command is run from. An existing
file is never overwritten: the user's edits are worth more than a fresh copy.
"""

from __future__ import annotations

import getpass
import json
import re
import shlex
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rasd.config import BUNDLED_SEEDS_DIR, PACKAGE_DIR, user_config_path
from rasd.monitor.errors import Refused
from rasd.monitor.speech import Speech

_SUBSCRIPTION = 'name = "All regions, daily"'
# A comment of rasd.toml: what comes before it (a setting, maybe commented out, and the spaces that align the
# comments), then its words — said in the reader's language by `rasd init`, found by `make catalogs`.
_COMMENT = re.compile(r"(?P<code>(?:#\s*)?[\w.]+\s*=.*\s|)# (?P<words>.+)")
# The lines that choose a language: the subscription's digest, and the commands' (commented out as shipped).
_LANGUAGE_LINES = ('language = "fr"', '# language = "ar"')


def _renamed(line: str, named: str) -> str:
    """The subscription's `name = …` line with the reader's name, its comment kept in its column."""
    comment = line.find("# ", len(_SUBSCRIPTION))
    if comment < 0:
        return named + "\n"
    return f"{named.ljust(comment - 1)} {line[comment:]}"


def _settings_for(said: Speech) -> str:
    """The shipped rasd.toml for this reader: the subscription named in their language and, for an Arabic or
    French reader, its digest and the commands in that language (English: the file as shipped but the name)."""
    template = (PACKAGE_DIR / "rasd.toml").read_text(encoding="utf-8")
    name = json.dumps(said.gettext("All regions, daily"), ensure_ascii=False)  # a TOML basic string
    lines = [
        _renamed(line, f"name = {name}") if line.startswith(_SUBSCRIPTION) else line
        for line in template.splitlines(keepends=True)
    ]
    if said.language != "en":
        chosen = f'language = "{said.language}"'
        for index, line in enumerate(lines):
            shipped = next((start for start in _LANGUAGE_LINES if line.startswith(start + " ")), None)
            if shipped is not None:
                lines[index] = chosen.ljust(len(shipped)) + line[len(shipped) :]
            if comment := _COMMENT.fullmatch(lines[index].rstrip("\n")):
                lines[index] = f"{comment['code']}# {said.gettext(comment['words'])}\n"
    return "".join(lines)


def _comment_blocks(text: str) -> Iterator[tuple[int, int, str]]:
    """The prose comments of the shipped sources.toml: (first line, end line, their words joined) of each run
    of `# ` lines, but the rules (`# ---`) and the region headings (`# MA-09 Souss-Massa`, names as they are)."""
    lines = text.splitlines()
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end].startswith("# ") and not lines[end].startswith("# ---"):
            end += 1
        if end > start:
            words = " ".join(line[2:].strip() for line in lines[start:end])
            if not re.match(r"MA-\d\d ", words):
                yield start, end, words
            start = end
        else:
            start += 1


def _sources_for(said: Speech) -> str:
    """The shipped sources.toml with its prose comments in the reader's language (an Arabic official editing it
    to add the three sites they follow read English notes, among them that most entries were never checked
    online), wrapped as the file's own are."""
    template = (PACKAGE_DIR / "sources.toml").read_text(encoding="utf-8")
    if said.language == "en":
        return template
    lines = template.splitlines()
    for start, end, words in reversed(list(_comment_blocks(template))):
        said_words = textwrap.wrap(said.gettext(words), 105, break_long_words=False, break_on_hyphens=False)
        lines[start:end] = [f"# {line}" for line in said_words]
    return "\n".join(lines) + "\n"


def extract_source_comments(
    file: IO[bytes], keywords: object, comment_tags: object, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """The prose comments of the shipped sources.toml as messages, for `make catalogs` (alerts/babel.cfg)."""
    for start, _, words in _comment_blocks(file.read().decode("utf-8")):
        yield start + 1, "gettext", words, []


def extract_comments(
    file: IO[bytes], keywords: object, comment_tags: object, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """The comments of the shipped rasd.toml as messages, for `make catalogs` (alerts/babel.cfg names this
    function as a Babel extractor)."""
    for number, line in enumerate(file.read().decode("utf-8").splitlines(), 1):
        if comment := _COMMENT.fullmatch(line):
            yield number, "gettext", comment["words"], []


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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "rasd.toml").write_text(_settings_for(said), encoding="utf-8")
        (folder / "sources.toml").write_text(_sources_for(said), encoding="utf-8")
        shutil.copytree(BUNDLED_SEEDS_DIR, folder / "seeds", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    except OSError as error:  # deploy/rasd.service's `sudo -u rasd rasd init /var/lib/rasd` where /var/lib is root's
        refused = said.gettext(
            "cannot write %(folder)s (%(error)s): choose a folder you can write, or have it made yours first "
            "(as root: install -d -o %(user)s %(folder)s)"
        )
        from rasd.config import folder_fault  # the reader's words for the usual causes, not the OS's English

        shown = said.told(folder_fault(error))
        raise Refused(said(refused, folder=folder, error=shown, user=getpass.getuser())) from None
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
        shell = shlex.quote(str(config))  # a folder with a space ("my rasd") is one word for the shell
        steps.append((f"export RASD_CONFIG={shell}", said(instead, config=shell)))
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
