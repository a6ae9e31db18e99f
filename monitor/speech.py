"""What the commands print in a terminal, in the reader's language: the digest's catalogs
(alerts/locale, `make catalogs`), read here with the standard library's gettext.

Not through `rasd.alerts.i18n`: importing it loads the digest's machinery (Jinja2, Babel, the
classifier's arrays), most of a second that `rasd status` or `rasd search` would pay before their first
line. The language itself is chosen by monitor/options.py (`terminal_language`, `reader_language`).

A terminal that lays out mixed-direction lines (VTE's GNOME Terminal, Konsole, mlterm: the Unicode bidi
algorithm, each line's direction from its first strong letter) reordered an Arabic line's path, date and
time, or Latin name: "/tmp/rasd.db" came out "tmp/rasd.db/", a date and a time swapped. `Speech` keeps them
in order with the oldest marks, LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK (Unicode 1.1), not the isolates the
digest uses (FSI…PDI, Unicode 6.3): a terminal without bidi shows a mark as nothing (zero width), where
isolates showed as boxes. An Arabic line starts with RLM, so it is right to left even when it starts with a
path or `rasd:`; a value of the other direction is closed in its own marks, then the line's
(`LRM /tmp/rasd.db LRM RLM`), so its neutrals stay with it and what follows takes the line's direction; a
value holding both directions (an address with an Arabic slug, an Arabic title with a Latin name in a
French line) is also embedded (LRE…PDF, RLE…PDF, Unicode 2.0), or its runs would be reordered.
English and French lines are left as they are but for an Arabic value in them. tests/test_cli_bidi.py lays
the lines out with FriBidi, the library those terminals use.
"""

from __future__ import annotations

import gettext
import importlib.util
import re
import unicodedata
from functools import cache
from pathlib import Path

from rasd.config import Told, failure_told, region_name_in

DOMAIN = "rasd"
LRM, RLM = "\u200e", "\u200f"
LRE, RLE, PDF = "\u202a", "\u202b", "\u202c"  # embeddings (Unicode 2.0): a URL with an Arabic slug stays one piece
_RIGHT_TO_LEFT = {"R", "AL"}
_FIXED = re.compile(r"%\((\w+)\)\.(\d)f")  # a float to N places in a message: %(score).2f
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")  # a command-line option named in a message: --config, -v


def _locale_dir() -> Path:
    spec = importlib.util.find_spec("rasd.alerts")  # found, not imported
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / "locale"


@cache
def words(language: str) -> gettext.NullTranslations:
    """The catalog of `language` (its gettext, ngettext); English, the messages as written, has none."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, _locale_dir(), [language])


def decimal(value: float, language: str, places: int | None = 1) -> str:
    """A duration, rate or score to `places` decimals (None: as short as it goes, "0.05", "10") as the reader
    writes numbers: "1.5" (English), "1,5" (French, Arabic of Morocco): the catalog's decimal separator,
    without loading Babel's locale data."""
    written = f"{value:g}" if places is None else f"{value:.{places}f}"
    return written if language == "en" else written.replace(".", words(language).pgettext("decimal separator", "."))


@cache
def right_to_left(language: str) -> bool:
    """Whether the catalog's locale (its Language header) writes right to left."""
    if language == "en":
        return False
    from babel import Locale

    declared = words(language).info().get("language", language)
    return bool(Locale.parse(declared.replace("-", "_")).character_order == "right-to-left")


def _directions(text: str) -> list[bool]:
    """The directions of the text's strong letters, in order, each once (True: right to left)."""
    seen: list[bool] = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RIGHT_TO_LEFT or kind == "L":
            if (kind != "L") not in seen:
                seen.append(kind != "L")
            if len(seen) == 2:
                break
    return seen


class Speech:
    """The lines of a command in one language: `said.gettext(…)` and `said.ngettext(…)` look messages up
    (and `make catalogs` finds them there), `said(message, name=value…)` fills one in and keeps it in order
    in a bidi terminal (see the module's note)."""

    def __init__(self, language: str, marked: bool = True) -> None:
        """`marked`: False for the text of a file's cell (an export's reasons), which a spreadsheet lays out
        with the bidi algorithm and a script compares: the same words and figures, no marks."""
        self.language = language
        catalog = words(language)
        self.gettext, self.ngettext, self.pgettext = catalog.gettext, catalog.ngettext, catalog.pgettext
        self.rtl = right_to_left(language)
        self.marked = marked

    def part(self, value: object) -> str:
        """A value inside a line: closed in its own direction's marks, then the line's, when its direction
        (its first strong letter; left to right for digits, dates and times) differs from the line's."""
        text = str(value)
        directions = _directions(text)
        own_rtl = bool(directions and directions[0])  # digits and punctuation only: left to right
        if own_rtl == self.rtl or not text or not self.marked:
            return text
        mark = RLM if own_rtl else LRM
        if len(directions) == 2:  # both: one embedded piece, or its two directions' runs would be reordered
            text = f"{RLE if own_rtl else LRE}{text}{PDF}"
        return f"{mark}{text}{mark}{RLM if self.rtl else LRM}"

    def cell(self, value: object, width: int, align: str = "<") -> str:
        """A table cell: `part` of the value (cut to `width`), padded to `width` by what shows (the marks
        take no room): after it ("<"), or before it (">")."""
        text = str(value)[:width]
        padding = " " * (width - len(text))
        return self.part(text) + padding if align == "<" else padding + self.part(text)

    def region(self, code: str) -> str:
        """A region as a line names it: its code, which `--region` takes, and its name in this language
        ("MA-09 Souss-Massa", "MA-09 سوس ماسة"): a reader knows the name, not the ISO code."""
        name = region_name_in(code, words(self.language))
        return code if name is None else f"{code} {name}"

    def line(self, text: str) -> str:
        """A line as printed: an Arabic one starts with RLM, whatever it starts with."""
        return RLM + text if self.rtl and self.marked else text

    def told(self, line: str) -> str:
        """A line another stage made for the user (a `config.Told`: `rasd digest`'s events, a refused search
        query, a config file's mistake, with their message, values and count kept) said in this language and
        marked as `__call__` marks, the lines under it too; any other line as it is. A value that is itself a
        `Told` is said so too: in an Arabic line it starts with RLM, so that `part` keeps it as it is."""
        if not isinstance(line, Told):
            return line
        plural, number = line.plural, line.number
        message = line.message
        if line.context is not None:
            looked = self.pgettext(line.context, message)
        elif plural is None or number is None:
            looked = self.gettext(message)
        else:
            looked = self.ngettext(message, plural, number)
        values = {name: self.told(value) if isinstance(value, str) else value for name, value in line.values.items()}
        looked = self._decimals(looked, values)
        return "\n".join([self(looked, **values), *(self.line("    " + self.told(more)) for more in line.following)])

    def _decimals(self, message: str, values: dict[str, object]) -> str:
        """`message` with each `%(name).2f` of a float written as the reader writes numbers ("0,75": the
        catalog's decimal separator), its value in `values` replaced by that text."""

        def written(match: re.Match[str]) -> str:
            value = values.get(match[1])
            if not isinstance(value, float):
                return match[0]
            values[match[1]] = decimal(value, self.language, int(match[2]))
            return f"%({match[1]})s"

        return _FIXED.sub(written, message)

    def failure(self, line: str) -> str:
        """A failure line Rasd wrote (a fetch's error, a source's last error: `config.failure_told`) said in this
        language, its details as given; any other line (a site's own words) as it is."""
        return self.told(failure_told(line))

    def fill(self, message: str, **values: object) -> str:
        """`message` (looked up already) with its values, each kept in order (`part`). Numbers stay numbers,
        for `%(num)d`. In a right-to-left line an option the message names ("بـ --config") is marked as a
        Latin value is: its leading dashes are neutral, and without the marks a terminal showed "config--"."""
        kept = {name: value if isinstance(value, int | float) else self.part(value) for name, value in values.items()}
        if self.rtl:
            message = _OPTION.sub(lambda option: self.part(option[0]), message)
        return message % kept if kept else message

    def __call__(self, message: str, **values: object) -> str:
        """`message` (looked up already) with its values (`fill`), as a line (`line`)."""
        return self.line(self.fill(message, **values))


__all__ = ["LRM", "RLM", "Speech", "decimal", "words"]
