"""Whether the config the daemon started with still reads: a daemon keeps the settings it started with, and
a rasd.toml or sources.toml broken while it runs was found only at the next start, which then refused to
run. `ConfigWatch.check`, before each job, reads the files again when one of them changed (its size or
modification time) and says, once per change, in the reader's language, that they no longer read (the
error) and that the daemon goes on with the settings it has — or, when they read, that a [[sources]] entry is
now wrong (a restart would leave that source out), or which settings changed (`timezone`, `language`, a
subscription's `time`, as written in the file) and that a restart is what puts them in use. Nothing is
reloaded live: the schedule, the store, the workers, the log's time zone and language come from the settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rasd.config import ConfigError, Told, telling
from rasd.monitor.options import terminal_language
from rasd.monitor.speech import Speech

if TYPE_CHECKING:
    from rasd.config import Settings

Stamp = tuple[tuple[str, int, int] | None, ...]


def _stamp(files: list[Path]) -> Stamp:
    stamps: list[tuple[str, int, int] | None] = []
    for path in files:
        try:
            found = path.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((str(path), found.st_mtime_ns, found.st_size))
    return tuple(stamps)


def no_sources_line() -> Told:
    """A config watching no site (sources.toml emptied, or only entries left out): what to do about it. It was
    "no sources configured" in `rasd sources check`, and nothing at all in `rasd crawl`, which crawled 0 sources."""
    return telling.gettext(
        "no sources configured: add a [[sources]] entry (its name and url) to sources.toml, beside rasd.toml"
    )


def left_out_lines(settings: Settings, language: str) -> list[str]:
    """One line per [[sources]] entry the config gets wrong (`Settings.sources_left_out`: its file, line, key
    and what to fix, and that the other sources are monitored), in the reader's language."""
    said = Speech(language)
    return [said.told(told) for told in settings.sources_left_out]


NAMED = 4  # settings named in the daemon's line; more are counted ("…")


def changed_settings(before: Any, after: Any, where: str = "") -> list[str]:
    """The settings that differ, as the config file writes them: `timezone`, `crawler.workers`, a subscription's
    `subscriptions "Hebdo".time` (a list's entries by their name), a whole list when its entries have none."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            name
            for key in dict.fromkeys([*before, *after])
            if before.get(key) != after.get(key)
            for name in changed_settings(before.get(key), after.get(key), f"{where}.{key}" if where else str(key))
        ]
    named = isinstance(before, list) and isinstance(after, list)
    named = named and all(isinstance(item, dict) and "name" in item for item in [*before, *after])
    if named:
        old, new = ({item["name"]: item for item in items} for items in (before, after))
        if len(old) == len(before) and len(new) == len(after):  # names unique: entries compared by name
            return [
                found
                for name in dict.fromkeys([*old, *new])
                if old.get(name) != new.get(name)
                for found in (
                    changed_settings(old[name], new[name], f'{where} "{name}"')
                    if name in old and name in new
                    else [f'{where} "{name}"']
                )
            ]
    return [where]


class ConfigWatch:
    """The config file (none: the built-in defaults, nothing to watch) and the sources file beside it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.files: list[Path] = []
        if settings.config_file is not None:
            config = Path(settings.config_file)
            self.files = [config, config.parent / settings.crawler.sources_file]
        self.seen = _stamp(self.files)

    def check(self) -> str | None:
        """One line when the files changed since the last check, in the language of the settings in use."""
        stamp = _stamp(self.files)
        if stamp == self.seen:
            return None
        self.seen = stamp
        said = Speech(terminal_language(self.settings))
        from rasd.config import load_settings  # the settings' validation: not for `rasd status`'s left_out_lines

        try:
            changed = load_settings(self.files[0])
        except ConfigError as error:
            message = said.gettext(
                "the config no longer reads: %(error)s; the daemon goes on with the settings it started with (fix it "
                "before it restarts: it would not start)"
            )
            mistake = error.args[0]
            if isinstance(mistake, Told) and mistake.following:  # the log's one line: the first (a command says all)
                mistake = Told(mistake.message, mistake.values, mistake.plural, mistake.number)
            return said(message, error=said.told(mistake))
        wrong = [told for told in changed.sources_left_out if told not in self.settings.sources_left_out]
        if wrong:  # a [[sources]] entry broken while it runs: a restart would leave that source out
            message = said.gettext(
                "the config %(file)s changed; at the next start: %(error)s (until then the daemon goes on with the "
                "settings it started with)"
            )
            return said(message, file=self.files[0], error=said.told(wrong[0]))
        names = changed_settings(self.settings.model_dump(), changed.model_dump())
        if not names:
            return None
        # which ones: a reader who changed the time zone or a digest's hour took the silence after it for a reload
        shown = ", ".join(names[:NAMED]) + (", …" if len(names) > NAMED else "")
        message = said.gettext(
            "the config %(file)s changed (%(settings)s); the daemon goes on with the settings it started with: "
            "restart it to use the new ones"
        )
        return said(message, file=self.files[0], settings=shown)
