"""Finding a source of the settings by its name (`rasd crawl --source`, `sources check NAME`): behaviour of
the settings beyond their fields, in a plain class that the validated `Settings` and the settings read back
from the cache (config/kept.py, without pydantic) both inherit, so that either answers alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rasd.config.errors import NoSuchSource
from rasd.config.told import Told, telling

if TYPE_CHECKING:
    from rasd.config.settings import Source


class SourceLookup:
    """`source_named` and `no_source`, over the `sources` of the class it is mixed into."""

    if TYPE_CHECKING:  # a field of the class it is mixed into, not of this one (pydantic would see it)
        sources: Sequence[Source]

    def source_named(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise NoSuchSource(self.no_source(name))

    def no_source(self, name: str) -> Told:
        """What to say of a source name the config does not have: the closest names when some are close
        (`Echo` → "Echo du Sais"), then where they are listed; said in the reader's language by the command."""
        names = {source.name.casefold(): source.name for source in self.sources}
        wanted = " ".join(name.casefold().split())
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
        if len(wanted) >= 3:  # a name's first words, or a word of it
            close += [folded for folded in names if wanted in folded.split() or folded.startswith(wanted)]
        suggested = [repr(names[folded]) for folded in dict.fromkeys(close)][:3]
        if suggested:
            return telling.gettext(
                "no source in the config is named %(name)s: did you mean %(close)s? (rasd sources list)",
                name=repr(name),
                close=" / ".join(suggested),
            )
        return telling.gettext("no source in the config is named %(name)s (rasd sources list)", name=repr(name))
