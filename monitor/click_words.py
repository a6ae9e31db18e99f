"""click's own messages — a missing argument, an unknown option, a bad value, how to get help — in the reader's
language, through our catalogs; the help's headings ("Usage:", "Options") too, in the help page's language
(`speaking`, set by help_words.Speaking while it makes a help page or a usage line).

click (8.x) marks them for gettext and looks them up with the standard library's `gettext` and `ngettext`,
imported by name into each of its modules: gettext's global domain, whose language comes only from the
environment ($LANGUAGE, $LC_ALL …), never from rasd.toml. `follow` points those names in click's modules at
our catalog of the language the command speaks, asked for each message as it is made, so the language can be
the config's, read meanwhile. Their translations sit in alerts/locale with ours (click's own spelling as
msgid, tests/test_click_words.py checks each is translated). In Arabic the line is marked as `Speech` marks
ours: RLM first, each Latin value (an option, a file name) closed in LRM so it keeps its order.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from rasd.monitor.speech import LRM, RLM, words

# Where click asks for the messages a reader meets when a command line is wrong or asks for help.
CLICK_MODULES = ("click.exceptions", "click.parser", "click.core", "click.types", "click.formatting")
# Placeholders whose values are the reader's own words or click's: not marked as a Latin value.
_WORDED = {"message"}
_PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")


@cache
def right_to_left(language: str) -> bool:
    """Whether click's lines and the help read right to left: the direction of the first letter of its word for
    "Options". Not Babel's locale data (`speech.right_to_left`), which `rasd --help` would load for this
    (0.04 s)."""
    heading = words(language).gettext("Options")
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in heading[:1])


def _marked(template: str, language: str) -> str:
    if not right_to_left(language) or template == "":
        return template

    def latin(match: re.Match[str]) -> str:
        return match[0] if match[1] in _WORDED else f"{LRM}{match[0]}{LRM}{RLM}"

    return RLM + _PLACEHOLDER.sub(latin, template)


@cache
def _ours(message: str) -> bool:
    """Whether our catalogs translate `message`: asking `language()` for another (a programmer's error)
    would read and validate the config for nothing."""
    return any(words(language).gettext(message) != message for language in ("ar", "fr"))


_SPEAKING: list[str] = []  # the language of the help page or usage line being made (help_words.Speaking)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """While a help page or a usage line is made, click's headings in `language`, chosen without reading
    the config (`rasd --help` validates nothing)."""
    _SPEAKING.append(language)
    try:
        yield
    finally:
        _SPEAKING.pop()


def follow(language: Callable[[], str]) -> None:
    """From now on, click's messages in `language()` (English: as click writes them)."""

    def chosen_now() -> str:
        return _SPEAKING[-1] if _SPEAKING else language()

    def gettext(message: str) -> str:
        if not _ours(message):
            return message
        chosen = chosen_now()
        translated = words(chosen).gettext(message)
        return message if translated == message else _marked(translated, chosen)

    def ngettext(singular: str, plural: str, n: int) -> str:
        if not _ours(singular):
            return singular if n == 1 else plural
        chosen = chosen_now()
        translated = words(chosen).ngettext(singular, plural, n)
        return translated if translated in (singular, plural) else _marked(translated, chosen)

    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
