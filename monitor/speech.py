"""What the commands print in a terminal, in the reader's language: the digest's catalogs
(alerts/locale, `make catalogs`), read here with the standard library's gettext.

Not through `rasd.alerts.i18n`: importing it loads the digest's machinery (Jinja2, Babel, the
classifier's arrays), most of a second that `rasd status` or `rasd search` would pay before their first
line. The language itself is chosen by monitor/options.py (`terminal_language`, `reader_language`).
"""

from __future__ import annotations

import gettext
import importlib.util
from functools import cache
from pathlib import Path

DOMAIN = "rasd"


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


def decimal(value: float, language: str) -> str:
    """A duration or rate to the tenth as the reader writes numbers: "1.5" (English), "1,5" (French,
    Arabic of Morocco), by the catalog's locale (its Language header, as the digest's dates)."""
    if language == "en":
        return f"{value:.1f}"  # without loading Babel's locale data, the commands' usual case
    from babel.numbers import format_decimal

    declared = words(language).info().get("language", language)
    return format_decimal(value, "0.0", locale=declared.replace("-", "_"))


__all__ = ["decimal", "words"]
