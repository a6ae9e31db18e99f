"""Lines for the user that another stage makes and the command saying them puts in the reader's language:
`rasd digest`'s events (alerts), why a search query is refused (storage), what is wrong in a config file
(config). Here, in config, which every stage may import, and importing nothing itself.

A `Told` is the line in English, as written (what the daemon's log and every `str` use see), keeping its
message, its values and its plural's number, so that `monitor.speech.Speech.told` can look the message up in
the reader's catalog and fill it in with bidi marks; a value that is itself a `Told` is said in the same
language. Made through `telling.gettext(…)` and `telling.ngettext(…)`, so that `make catalogs` extracts the
messages as it does `said.gettext(…)`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache


class Told(str):
    """An English line with what it was made of; `following`: more lines under it (a planned digest's
    stories), each indented by four spaces; `context`: the message's msgctxt (a lexicon's kind of negative
    term is a message in the context "negative")."""

    message: str
    plural: str | None
    number: int | None
    values: dict[str, object]
    following: tuple[str, ...]
    context: str | None

    def __new__(
        cls,
        message: str,
        values: dict[str, object],
        plural: str | None = None,
        number: int | None = None,
        following: tuple[str, ...] = (),
        context: str | None = None,
    ) -> Told:
        english = message if plural is None or number == 1 else plural
        line = english % values if values else english
        told = super().__new__(cls, "".join([line, *(f"\n    {more}" for more in following)]))
        told.message, told.plural, told.number, told.values, told.following = message, plural, number, values, following
        told.context = context
        return told

    def __reduce__(
        self,
    ) -> tuple[type[Told], tuple[str, dict[str, object], str | None, int | None, tuple[str, ...], str | None]]:
        """Pickled with what it was made of (settings handed to another process keep their lines)."""
        return Told, (self.message, self.values, self.plural, self.number, self.following, self.context)


class _Telling:
    @staticmethod
    def gettext(message: str, following: tuple[str, ...] = (), /, **values: object) -> Told:
        return Told(message, values, following=following)

    @staticmethod
    def pgettext(context: str, message: str) -> Told:
        """A word of a catalog's context, said as it is in English (a lexicon's kind: `("negative", kind)`)."""
        return Told(message, {}, context=context)

    @staticmethod
    def ngettext(singular: str, plural: str, number: int, **values: object) -> Told:
        return Told(singular, {"num": number, **values}, plural, number)


telling = _Telling()


_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)(s|d|\\\.\d+f)")  # in a message as re.escape writes it
_WRITTEN = {"d": r"-?\d+"}  # what %(name)d writes; %(name).2f: digits, a point, digits


def told_pattern(message: str, holds: Mapping[str, str] = {}) -> re.Pattern[str]:
    """`message` as a regular expression matching it filled in (a `Told`'s English line read back), each
    value a named group: `holds` says what a value may hold when not any text (an address: no space)."""
    return _pattern(message, tuple(sorted(holds.items())))


@cache
def _pattern(message: str, holds: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    held = dict(holds)

    def group(placeholder: re.Match[str]) -> str:
        name, kind = placeholder[1], placeholder[2]
        written = _WRITTEN.get(kind, r"-?\d+\.\d+" if kind.endswith("f") else ".+?")
        return f"(?P<{name}>{held.get(name, written)})"

    return re.compile(_PLACEHOLDER.sub(group, re.escape(message)), re.DOTALL)
