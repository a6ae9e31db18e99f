"""The reader's language: gettext catalogs (``alerts/locale/<lang>/LC_MESSAGES/rasd.po``, compiled to
``.mo``), Babel for dates and plural rules, one Jinja2 environment per language with the i18n extension.

Why catalogs and not Python dictionaries: translators work on ``.po`` files with the usual tools, plural
forms follow each language's rules (Arabic has six), and adding a language is adding a catalog — the
code lists no language. A catalog's ``Language`` header (``ar_MA``, ``fr_MA``) is the Babel locale its
dates are written in (Moroccan month names: "دجنبر", Latin digits), and that locale's script direction
lays the digest out right-to-left or left-to-right.

Messages are English (the msgids); English readers get them untranslated. Region names and topics are
messages too (msgctxt "region" with the French official name, msgctxt "topic" with the lexicon's topic),
so a catalog that lacks one shows the French name or the English topic rather than nothing.
"""

from __future__ import annotations

import unicodedata
from contextlib import suppress
from datetime import date, datetime
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from rasd.config import user_cache_dir

if TYPE_CHECKING:  # the templates are the digest's: a command's lines need only the catalogs
    from jinja2 import BytecodeCache, Environment
    from jinja2.bccache import Bucket

DOMAIN = "rasd"
FSI, PDI = "\u2068", "\u2069"
LRM, RLM = "\u200e", "\u200f"
SOURCE_LANGUAGE = "en"  # the msgids


def locale_dir() -> Path:
    return Path(str(files("rasd.alerts") / "locale"))


def languages() -> list[str]:
    """Digest languages: English (the messages as written) and one per compiled catalog."""
    found = sorted(p.parent.parent.name for p in locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return [SOURCE_LANGUAGE, *found]


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of ``language`` (``NullTranslations`` for English)."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    path = locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


@cache
def locale(language: str) -> Locale:
    """The Babel locale a catalog is written for (its ``Language`` header), for dates and direction."""
    declared = translations(language).info().get("language", "") or language
    return Locale.parse(declared.replace("-", "_"))


def direction(language: str) -> str:
    """``rtl`` or ``ltr``: the script direction of the language's locale."""
    return "rtl" if locale(language).character_order == "right-to-left" else "ltr"


def direction_mark(language: str) -> str:
    """RIGHT-TO-LEFT MARK or LEFT-TO-RIGHT MARK: put first on a line of plain text, it makes the line's
    direction the reader's, for clients that take it from the line's first strong letter (push bodies)."""
    return RLM if direction(language) == "rtl" else LRM


def isolate(text: object, language: str) -> str:
    """A fragment of text set apart for the bidi algorithm (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE:
    its own direction inside, and no reordering of the words around it) when it needs it: when it holds a
    letter written in the other direction than the reader's line (an Arabic place in a French line, a Latin
    site name in an Arabic one). A fragment in the reader's own direction, or of digits and punctuation
    only, is laid out as the line around it either way, and is left bare: a mail client that shows the
    marks (some plain-text viewers do) would show them around every French word of a French digest."""
    shown = str(text)
    other = {"L"} if direction(language) == "rtl" else {"R", "AL"}
    if any(unicodedata.bidirectional(char) in other for char in shown):
        return f"{FSI}{shown}{PDI}"
    return shown


@cache
def environment(language: str, isolating: bool = True) -> Environment:
    """The templates with ``_``/``gettext``/``ngettext``/``pgettext`` bound to ``language``'s catalog.

    ``isolating=False`` for a terminal (`rasd explain`): its `iso` filter adds nothing, since a terminal
    applies no bidi algorithm and shows FSI/PDI as stray marks or boxes; a mail client renders them."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("rasd.alerts", "templates"),
        autoescape=select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_kept_templates(),
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["iso"] = partial(isolate, language=language) if isolating else str
    # A plain-text story line whose title holds the other direction's letters starts with the reader's mark:
    # an Arabic digest's list keeps its bullets at the right when a title is French (that line went left to
    # right, bullet at the left, among Arabic ones); a French title in a French digest stays bare.
    env.globals["line_mark"] = direction_mark(language) if isolating else ""
    return env


def _kept_templates() -> BytecodeCache | None:
    """The templates compiled once and kept in the user's cache folder (`templates/`): compiling the "why"
    cost `rasd explain` 0.06 G instructions a run. Jinja2's own cache, keyed on the template's path and
    source and on Jinja2's and Python's versions; every environment here compiles alike (their filters and
    catalogs are looked up when a template runs). A folder that cannot be made or written: none kept."""
    from jinja2 import FileSystemBytecodeCache

    class Kept(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Bucket) -> None:
            with suppress(OSError):  # not kept this time: compiled again next time, as without the cache
                super().dump_bytecode(bucket)

    folder = user_cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Kept(str(folder))


def when(moment: datetime, language: str) -> str:
    """A local (aware) time in the reader's words: "1 décembre 2026, 07:00", "1 دجنبر 2026، 07:00" (the
    pattern is a message, so each catalog punctuates it its own way)."""
    # Translators: a CLDR date-time pattern (https://cldr.unicode.org/translation/date-time/date-time-patterns)
    pattern = translations(language).gettext("d MMMM y, HH:mm")
    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale(language))


def long_day(day: date, language: str) -> str:
    """A day in running text, in the reader's words (not an ISO date, which an Arabic line would also
    reorder): "9 novembre 2025", "1 أكتوبر 2025"; French writes the first of a month "1er octobre 2025"."""
    chosen = locale(language)
    if chosen.language == "fr" and day.day == 1:
        return format_date(day, str(chosen.date_formats["long"].pattern).replace("d", "d'er'", 1), locale=chosen)
    return format_date(day, "long", locale=chosen)


def day_of_month(day: date, language: str) -> str:
    """A day without its year, in the reader's words: "1er octobre", "5 أكتوبر", "October 5" — never "10-05",
    which a chart's Arabic label also laid out reversed ("05-10")."""
    chosen = locale(language)
    pattern = "d'er' MMMM" if chosen.language == "fr" and day.day == 1 else "d MMMM"
    if chosen.language == "en":
        pattern = "MMMM d"
    return format_date(day, pattern, locale=chosen)


def decimal(value: float, language: str, signed: bool = False) -> str:
    """A score or points to the hundredth as the reader writes numbers: "0.74", "0,74" (French, Arabic of
    Morocco); ``signed``: "+0,20", "-0,05"."""
    return format_decimal(value, "+0.00;-0.00" if signed else "0.00", locale=locale(language))


def day(moment: datetime, language: str) -> str:
    """A day with its weekday, in the reader's words: "mardi 1 décembre 2026", "الثلاثاء، 1 دجنبر 2026"."""
    return format_date(moment.date(), "full", locale=locale(language))
