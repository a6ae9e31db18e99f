"""click's own messages — a missing argument, an unknown option, a bad value, how to get help — in the reader's
language, through our catalogs. Not `--help` (its texts are the commands' docstrings, in English: a translated
"Usage:" heading over them read worse than none), hence not the usage line an error repeats from it either.

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
from collections.abc import Callable
from functools import cache

from rasd.monitor.speech import LRM, RLM, right_to_left, words

# Where click asks for the messages a reader meets when a command line is wrong (the help's headings are in
# click.core and click.formatting: our catalogs leave them out).
CLICK_MODULES = ("click.exceptions", "click.parser", "click.core", "click.types")
# Placeholders whose values are the reader's own words or click's: not marked as a Latin value.
_WORDED = {"message"}
_PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")


def _marked(template: str, language: str) -> str:
    if not right_to_left(language) or template == "":
        return template

    def latin(match: re.Match[str]) -> str:
        return match[0] if match[1] in _WORDED else f"{LRM}{match[0]}{LRM}{RLM}"

    return RLM + _PLACEHOLDER.sub(latin, template)


@cache
def _ours(message: str) -> bool:
    """Whether our catalogs translate `message`. The help's headings ("Options") they leave out, and asking
    `language()` for those would read and validate the config for `rasd --help`, which loads nothing."""
    return any(words(language).gettext(message) != message for language in ("ar", "fr"))


def follow(language: Callable[[], str]) -> None:
    """From now on, click's messages in `language()` (English: as click writes them)."""

    def gettext(message: str) -> str:
        if not _ours(message):
            return message
        chosen = language()
        translated = words(chosen).gettext(message)
        return message if translated == message else _marked(translated, chosen)

    def ngettext(singular: str, plural: str, n: int) -> str:
        if not _ours(singular):
            return singular if n == 1 else plural
        chosen = language()
        translated = words(chosen).ngettext(singular, plural, n)
        return translated if translated in (singular, plural) else _marked(translated, chosen)

    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
