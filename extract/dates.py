"""Publication dates: structured sources first, then the visible date, each with where it came from.

trafilatura's own guess falls back to a "© 2025" footer (a bare January 1st), reads "today" widgets and
comment dates, and does not know the Moroccan month names; so structured metadata wins, a visible date
in the article header comes next, and a bare January 1st from a guess is never trusted.

Time zones. A date is kept in the page's own time zone, so that its calendar day is the one the page
shows (storage converts to UTC): a timestamp that carries an offset (ISO 8601, RFC 822) keeps it; a date
written on a page with a time ("الأربعاء 13 غشت 2025 - 10:15", "le 3 août 2025 à 10h15", a meta tag's
"2020-08-25|00h23") is Moroccan local time (`Africa/Casablanca`: UTC+1, UTC+0 during Ramadan). A date
without a time has no instant: it is 00:00 UTC of that day. Relative words ("أمس", "hier", "منذ 3
ساعات") are resolved against the fetch time, and only in a short date line, never in running text.

When none of these readers finds a date, htmldate (a trafilatura dependency) gets the last word: it
knows more markup conventions of the wider web than Rasd's readers, which know Moroccan pages better;
its search through the text runs only on the page without its chrome (`htmldate_date`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree
from lxml import html as lxml_html

from rasd.extract.normalize import LANGUAGE_SAMPLE_CHARS, detect_language, fold_latin_accents, normalize_arabic

MOROCCO = ZoneInfo("Africa/Casablanca")


def _fold(text: str) -> str:
    """The form the patterns are written for: Arabic normalised (digits included), no Latin accents,
    lower case."""
    return fold_latin_accents(normalize_arabic(text)).lower()


def _folded_keys(words: dict[str, Any]) -> dict[str, Any]:
    """The same table keyed by folded words, so that it can be written with hamza and ta marbuta."""
    return {_fold(word): value for word, value in words.items()}


# Moroccan and Algerian (French-derived) and Mashriq (Syriac-derived) month names → month numbers. Tables keyed by
# words are compared after `_fold` (hamza and ta marbuta folded: أغسطس → اغسطس, آب → اب).
_ARABIC_MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "ماي": 5, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليوز": 7, "يوليو": 7, "يوليه": 7, "غشت": 8, "أغسطس": 8, "أغشت": 8, "شتنبر": 9,
    "سبتمبر": 9, "أكتوبر": 10, "نونبر": 11, "نوفمبر": 11, "دجنبر": 12, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "جوان": 6, "جويلية": 7, "أوت": 8,
}  # fmt: skip
_ARABIC_MONTHS = _folded_keys(_ARABIC_MONTHS)
# French months, compared without accents and in lower case; abbreviations as sites print them.
_FRENCH_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10,
    "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
_FRENCH_MONTHS = _folded_keys(_FRENCH_MONTHS)
_ENGLISH_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_ENGLISH_MONTHS = _folded_keys(_ENGLISH_MONTHS)
# German, Spanish, Italian, Portuguese, Dutch, Indonesian, Swedish, and (as a date writes them, in the
# genitive) Polish, Russian and Greek months ("29. Juni 2019", "29 de junio de 2019", "29 giugno 2019",
# "3 grudnia 2024", "15 сентября 2023 г.", "5 Μαρτίου 2024"): pages quoted by Moroccan sites and the pages
# Rasd is measured on use them; only names no French or English table already holds, so each word has one
# meaning.
_OTHER_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "okt": 10, "dez": 12, "mrz": 3,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    "januari": 1, "februari": 2, "maart": 3, "augustus": 8,
    "maret": 3, "mei": 5, "agustus": 8, "desember": 12, "augusti": 8, "maj": 5,
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
    "sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "ιανουαρίου": 1, "φεβρουαρίου": 2, "μαρτίου": 3, "απριλίου": 4, "μαΐου": 5, "ιουνίου": 6,
    "ιουλίου": 7, "αυγούστου": 8, "σεπτεμβρίου": 9, "οκτωβρίου": 10, "νοεμβρίου": 11, "δεκεμβρίου": 12,
}  # fmt: skip
_OTHER_MONTHS = _folded_keys(_OTHER_MONTHS)


def _alternation(words: dict[str, Any]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_AR_MONTH = f"(?:{_alternation(_ARABIC_MONTHS)})"
# "12 أيلول/سبتمبر 2025", "12 أيلول (سبتمبر) 2025": a second name in brackets or after a slash.
_ARABIC_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({_AR_MONTH})(?:\s*[/(]\s*{_AR_MONTH}\s*\)?)?\s*[,/]?\s*(\d{{4}})(?!\d)"
)
_FRENCH_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|ᵉʳ)?\s+({_alternation(_FRENCH_MONTHS)})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_ENGLISH_DATE = re.compile(
    rf"\b({_alternation(_ENGLISH_MONTHS)})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)"
    rf"|(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+({_alternation(_ENGLISH_MONTHS)})\.?,?\s+(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_OTHER_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+)?({_alternation(_OTHER_MONTHS)})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# Japanese and Chinese: "2026年12月3日", "2025年3月5日（水）".
_CJK_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"
)
# "10:15", "10h15", "10 h 15", "à 10h", "11:30 ص" (ص/م: morning/evening), "5:40 pm".
_TIME = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?::|h\b|h(?=\d)|\s+h\s*)\s*(\d{2})?(?::\d{2})?(?!\d)\s*(ص|م|am|pm)?", re.IGNORECASE
)
_TIME_WINDOW = 40  # a time belongs to a date when it follows it within this many characters
_WEEKDAYS = (
    "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
# The same forms as regular-expression sources, for rules written over folded text (extract.boilerplate's
# `{date}`, `{time}` and `{weekday}`); none has a named group.
WRITTEN_DATE = (
    "(?:"
    + "|".join(p.pattern for p in (_ARABIC_DATE, _FRENCH_DATE, _ENGLISH_DATE, _OTHER_DATE, _CJK_DATE, _NUMERIC_DATE))
    + ")"
)
WRITTEN_TIME = r"(?:\d{1,2}\s*(?::|h)\s*\d{2}(?:\s*(?:ص|م|am|pm))?)"
WEEKDAY = "(?:" + "|".join(sorted({_fold(day) for day in _WEEKDAYS}, key=len, reverse=True)) + ")"
_URL_DATE = re.compile(r"/(20\d{2})/(\d{1,2})/(\d{1,2})/")
# A weekday written just before a numeric date, full or as PHP's "D" prints it ("ven, 11/06/2026 - 16:02",
# Drupal 7's default in French; "Fri, 11/06/2026"): Monday is 0, as `datetime.weekday`.
_WEEKDAY_NUMBERS = _folded_keys(
    {
        **{day: n for n, day in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
        **{day: n for n, day in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"))},
        **{
            day: n
            for n, day in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
        },
        **{day: n for n, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
        **{day: n for n, day in enumerate(("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"))},
        "الاثنين": 0,
    }
)
_WORD_BEFORE = re.compile(r"(\w+)\.?,?\s*$")
_WEEKDAY_SPAN = 14  # characters before the date where its weekday stands ("mercredi, ")

# Relative dates, on text folded by `_fold` (Arabic normalised, Latin accents removed, lower case).
_DAYS_BACK = {
    "أول أمس": 2, "أول البارحة": 2, "أمس": 1, "البارحة": 1, "اليوم": 0,
    "avant-hier": 2, "avant hier": 2, "hier": 1, "aujourd'hui": 0, "yesterday": 1, "today": 0,
}  # fmt: skip
_DAYS_BACK = _folded_keys(_DAYS_BACK)
_RELATIVE_DAY = re.compile(rf"(?<!\w)({_alternation(_DAYS_BACK)})(?!\w)")
_NUMBER_WORDS = {
    "واحد": 1, "واحدة": 1, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5,
    "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمان": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "an": 1, "a": 1, "one": 1, "two": 2, "three": 3,
}  # fmt: skip
_NUMBER_WORDS = _folded_keys(_NUMBER_WORDS)
# unit word → (timedelta keyword, amount implied by the word alone: "ساعتين" is two hours, a dual)
_AR_UNITS = {
    "دقيقة": ("minutes", 1), "دقيقتين": ("minutes", 2), "دقيقتان": ("minutes", 2), "دقائق": ("minutes", 1),
    "ساعة": ("hours", 1), "ساعتين": ("hours", 2), "ساعتان": ("hours", 2), "ساعات": ("hours", 1),
    "يوم": ("days", 1), "يومين": ("days", 2), "يومان": ("days", 2), "أيام": ("days", 1),
    "أسبوع": ("weeks", 1), "أسبوعين": ("weeks", 2), "أسابيع": ("weeks", 1),
}  # fmt: skip
_AR_UNITS = _folded_keys(_AR_UNITS)
_LATIN_UNITS = {
    "minute": "minutes", "minutes": "minutes", "min": "minutes", "mn": "minutes",
    "heure": "hours", "heures": "hours", "h": "hours", "hour": "hours", "hours": "hours",
    "jour": "days", "jours": "days", "day": "days", "days": "days",
    "semaine": "weeks", "semaines": "weeks", "week": "weeks", "weeks": "weeks",
    "minuto": "minutes", "minutos": "minutes", "hora": "hours", "horas": "hours", "día": "days", "días": "days",
    "semana": "weeks", "semanas": "weeks",
}  # fmt: skip
_LATIN_UNITS = _folded_keys(_LATIN_UNITS)
_NUMBER = rf"(\d+|{_alternation(_NUMBER_WORDS)})"
_AGO_ARABIC = re.compile(rf"(?<!\w)(?:منذ|قبل)\s+(?:{_NUMBER}\s+)?({_alternation(_AR_UNITS)})(?!\w)")
_AGO_FRENCH = re.compile(rf"(?<!\w)il y a\s+{_NUMBER}\s+({_alternation(_LATIN_UNITS)})(?!\w)")
_AGO_ENGLISH = re.compile(rf"(?<!\w){_NUMBER}\s+({_alternation(_LATIN_UNITS)})\s+ago(?!\w)")
# Spanish, as northern Morocco's Spanish-language press writes it: "hace 3 días", "hace 2 horas".
_AGO_SPANISH = re.compile(rf"(?<!\w)hace\s+{_NUMBER}\s+({_alternation(_LATIN_UNITS)})(?!\w)")
# A date right after one of these is when the page was updated, not published.
# German, Spanish, Italian, Portuguese, Dutch: "Aktualisiert am", "Actualizado el", "Aggiornato il" …
_OTHER_UPDATE = r"aktualisiert|geandert|actualizad[oa]|modificad[oa]|aggiornat[oa]|atualizad[oa]|bijgewerkt"
_UPDATE_WORD = re.compile(
    r"تحديث|تعديل|mis a jour|mise a jour|(?<!\w)maj(?!\w)|modifie|actualise|updated?|modified|" + _OTHER_UPDATE
)
# The label may be followed by its connector: "Mis à jour le 27/11", "updated on", "آخر تحديث في".
_UPDATE_LABEL = re.compile(
    rf"(?:تحديث|تعديل|mis a jour|mise a jour|maj|modifie|actualise|updated?|modified|{_OTHER_UPDATE})"
    r"(?:\W+(?:le|du|on|at|am|el|il|em|op|في|بتاريخ|يوم))?\W*$"
)

_META_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date.published",
    "dcterms.issued",
    "dcterms.date",
    "pubdate",
    "publish-date",
    "publish_date",
    "publishdate",
    "published-date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "og:published_time",
    "article.published",
    "date",
)


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _aware(value: datetime) -> datetime:
    """`value` in the zone it states; a timestamp without one is taken as UTC (its day is kept)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# "2020-08-25|00h23", "2020-08-25 - 00h23": a CMS's local time in a meta tag (Moroccan time here).
_LOCAL_STAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s*[|,T-]?\s*(\d{1,2})\s*[h:]\s*(\d{2})")


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 or RFC 822 timestamp, aware, in the zone it states (UTC when it states none), or None."""
    value = value.strip()
    if not value:
        return None
    try:
        return _aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        pass
    if match := _LOCAL_STAMP.fullmatch(value):
        year, month, day, hour, minute = (int(part) for part in match.groups())
        if hour <= 23 and minute <= 59:
            return _moment(year, month, day, (hour, minute))
    # Imported on first use: RFC 822 and ISO cover feeds and meta tags, and dateparser with its language
    # data is memory the crawl's main process and most workers never need.
    import dateparser

    parsed = dateparser.parse(value, languages=["en", "fr", "ar"], settings={"RETURN_AS_TIMEZONE_AWARE": True})
    return _aware(parsed) if parsed else None


def _time_after(folded: str, end: int) -> tuple[int, int] | None:
    """The time written within a few characters after a date ("- 10:15", "à 10h15", "على الساعة 18:30")."""
    match = _TIME.search(folded, end, end + _TIME_WINDOW)
    if match is None or (match[2] is None and "h" not in match[0]):
        return None  # a bare number is not a time; "10h" is
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] in ("م", "pm") and hour < 12:
        hour += 12
    elif match[3] in ("ص", "am") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _moment(year: int, month: int, day: int, clock: tuple[int, int] | None) -> datetime | None:
    """A written date: with a time it is Moroccan local time; without, 00:00 UTC of that day."""
    try:
        if clock is None:
            return datetime(year, month, day, tzinfo=UTC)
        return datetime(year, month, day, clock[0], clock[1], tzinfo=MOROCCO)
    except ValueError:
        return None


def _local_day(reference: datetime, days_back: int, clock: tuple[int, int] | None) -> datetime:
    local = _to_utc(reference).astimezone(MOROCCO).date() - timedelta(days=days_back)
    moment = _moment(local.year, local.month, local.day, clock)
    assert moment is not None  # a real calendar day
    return moment


def _absolute_dates(folded: str, month_first: bool = False) -> Iterator[tuple[int, int, datetime]]:
    """(start, end, moment) of every calendar date written in `folded`; `month_first`: "03/04/2019" is
    March 4th, as an American page writes it (`_PageScan.month_first`), not April 3rd."""
    for match in _ARABIC_DATE.finditer(folded):
        day, month, year = int(match[1]), _ARABIC_MONTHS[match[2]], int(match[3])
        if (moment := _moment(year, month, day, _time_after(folded, match.end()))) is not None:
            yield match.start(), match.end(), moment
    for match in _FRENCH_DATE.finditer(folded):
        day, month, year = int(match[1]), _FRENCH_MONTHS[match[2]], int(match[3])
        if (moment := _moment(year, month, day, _time_after(folded, match.end()))) is not None:
            yield match.start(), match.end(), moment
    for match in _OTHER_DATE.finditer(folded):
        day, month, year = int(match[1]), _OTHER_MONTHS[match[2]], int(match[3])
        if (moment := _moment(year, month, day, _time_after(folded, match.end()))) is not None:
            yield match.start(), match.end(), moment
    for match in _ENGLISH_DATE.finditer(folded):
        if match[1]:
            month, day, year = _ENGLISH_MONTHS[match[1]], int(match[2]), int(match[3])
        else:
            day, month, year = int(match[4]), _ENGLISH_MONTHS[match[5]], int(match[6])
        if (moment := _moment(year, month, day, _time_after(folded, match.end()))) is not None:
            yield match.start(), match.end(), moment
    for match in _CJK_DATE.finditer(folded):
        if (moment := _moment(int(match[1]), int(match[2]), int(match[3]), None)) is not None:
            yield match.start(), match.end(), moment
    for match in _NUMERIC_DATE.finditer(folded):
        if match[1]:
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        else:
            day, month, year = int(match[4]), int(match[5]), int(match[6])
            american = month > 12 >= day or (month_first and day <= 12 and "/" in match[0])  # 08/13/2025
            if american or (  # "ven, 11/06/2026": Drupal 7's, on a Friday
                month <= 12 and day <= 12 and month != day and _weekday_says_month_first(folded, match, year)
            ):
                day, month = month, day
        if (moment := _moment(year, month, day, _time_after(folded, match.end()))) is not None:
            yield match.start(), match.end(), moment


def _weekday_says_month_first(folded: str, match: re.Match[str], year: int) -> bool:
    """Whether the weekday written before an ambiguous "11/06/2026" is the day of November 6th and not of
    June 11th: Drupal 7 prints "ven, 11/06/2026 - 16:02" (month first) on French sites whatever the
    locale, and the Friday says which."""
    word = _WORD_BEFORE.search(folded, max(0, match.start() - _WEEKDAY_SPAN), match.start())
    weekday = _WEEKDAY_NUMBERS.get(word[1]) if word else None
    if weekday is None:
        return False
    first, second = int(match[4]), int(match[5])
    try:
        return date(year, first, second).weekday() == weekday != date(year, second, first).weekday()
    except ValueError:
        return False


def _relative_dates(folded: str, reference: datetime) -> Iterator[tuple[int, int, datetime]]:
    """(start, end, moment) of "أمس", "hier à 16h45", "منذ ساعتين", "il y a 3 jours"… against `reference`."""
    now = _to_utc(reference).replace(second=0, microsecond=0)
    for match in _RELATIVE_DAY.finditer(folded):
        yield match.start(), match.end(), _local_day(now, _DAYS_BACK[match[1]], _time_after(folded, match.end()))
    for pattern in (_AGO_ARABIC, _AGO_FRENCH, _AGO_ENGLISH, _AGO_SPANISH):
        for match in pattern.finditer(folded):
            if pattern is _AGO_ARABIC:
                unit, implied = _AR_UNITS[match[2]]
            else:
                unit, implied = _LATIN_UNITS[match[2]], 1
            count = match[1]
            amount = (int(count) if count.isdigit() else _NUMBER_WORDS[count]) if count else implied
            if unit in ("days", "weeks"):
                days = amount * (7 if unit == "weeks" else 1)
                yield match.start(), match.end(), _local_day(now, days, None)
            else:
                yield match.start(), match.end(), now - timedelta(**{unit: amount})


def parse_visible_date(text: str, reference: datetime | None = None, month_first: bool = False) -> datetime | None:
    """A date as written on a page ("14 شتنبر 2025", "le 1er août 2025 à 10h15", "١٢ أيلول ٢٠٢٥",
    "13/08/2025", "أمس على الساعة 18:30", "منذ ساعتين"), as UTC, or None.

    The first date in the text wins, except one labelled as an update ("آخر تحديث", "Mis à jour") when
    another is there. Relative words are resolved against `reference` (the fetch time) and ignored
    without one. `month_first`: a numeric date is month/day/year (an American page's)."""
    folded = _fold(text)
    found = sorted(_absolute_dates(folded, month_first), key=lambda item: item[0])
    if reference is not None:
        taken = [(start, end) for start, end, _ in found]
        for start, end, moment in _relative_dates(folded, reference):
            if not any(s <= start < e for s, e in taken):
                found.append((start, end, moment))
        found.sort(key=lambda item: item[0])
    if not found:
        return None
    published = [item for item in found if not _UPDATE_LABEL.search(folded[max(0, item[0] - 25) : item[0]])]
    return (published or found)[0][2]


# ---- dates in the page's markup ---------------------------------------------------------------------


def _json_ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _json_ld_objects(value)
    elif isinstance(data, list):
        for item in data:
            yield from _json_ld_objects(item)


_CDATA = re.compile(r"^\s*(?://|/\*)?\s*<!\[CDATA\[(?:\s*\*/)?|(?://|/\*)?\s*\]\]>(?:\s*\*/)?\s*$")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _lenient_json(text: str) -> Any:
    """A JSON-LD script as browsers and search engines accept it: raw tabs and newlines inside strings,
    a CDATA wrapper, a trailing comma; None when it is still not JSON."""
    text = _CDATA.sub("", text).strip()
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)  # strict=False: control characters inside strings
        except ValueError:
            continue
    return None


def json_ld_objects(tree: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page — nested ones and `@graph` members included, in page order.
    Scripts are read as leniently as search engines read them (`_lenient_json`; a `<script>` without a
    type that holds an "@context"); those that are still not JSON are skipped."""
    return iter(_scan(tree).json_ld)


def _json_ld_dates(tree: lxml_html.HtmlElement) -> Iterator[str]:
    """`datePublished` anywhere — an article's first, then a web page's or another thing's (a video, an
    image) — then `dateCreated` of things that are not comments."""
    objects = list(json_ld_objects(tree))
    for item in sorted(objects, key=lambda item: not is_article_type(item)):  # stable: page order kept
        if isinstance(item.get("datePublished"), str):
            yield item["datePublished"]
    for item in objects:
        if isinstance(item.get("dateCreated"), str) and "Comment" not in str(item.get("@type", "")):
            yield item["dateCreated"]


def _squeezed(text: str) -> str:
    return " ".join(text.split()).casefold()


def json_ld_types(item: dict[str, Any]) -> list[str]:
    """A JSON-LD object's types: its `@type`, one or a list."""
    kinds = item.get("@type")
    return [kind for kind in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(kind, str)]


def is_article_type(item: dict[str, Any]) -> bool:
    """Whether a JSON-LD object is an article (NewsArticle, BlogPosting, ReportageNewsArticle…)."""
    return any(kind.endswith(("Article", "Posting")) for kind in json_ld_types(item))


_IN_COMMENTS = "ancestor-or-self::*[contains(@class,'comment') or contains(@id,'comment')]"
# A line that says when the post was published, whatever element holds it (folded, at its start); PHP-Nuke's
# Arabic portals' "أرسلت في الخميس 14 أبريل 2011 @ 10:22:31 بواسطة …" ("sent on").
_PUBLISHED_LABEL = re.compile(
    r"\W*(?:نشر|تاريخ النشر|بتاريخ|ارسلت|publie|mis en ligne|posted|published|veroffentlicht|publicad[oa]"
    r"|pubblicat[oa]|gepubliceerd)(?!\w)",
    re.IGNORECASE,
)
# Dates marked as the publication's: schema.org microdata (`itemprop="datePublished"` with a `datetime` or
# `content`), a `<time datetime>` classed as such (a class containing "publish" or "entry-date"), hAtom's
# `<abbr class="published" title="2019-06-29T10:00:00+02:00">`; and, as machine-readable dates in the markup,
# those and the post's `<time datetime>` (in an `<article>`): `_marked_dates`, each outside reader comments.
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")  # the white space XPath's normalize-space() collapses


def _is_publication_mark(element: lxml_html.HtmlElement) -> bool:
    classes = element.get("class")
    if element.get("itemprop") == "datePublished" and (
        element.get("datetime") is not None or element.get("content") is not None
    ):
        return True
    if classes is None:
        return False
    if element.tag == "time" and element.get("datetime") is not None and (
        "publish" in classes or "entry-date" in classes
    ):
        return True
    return element.get("title") is not None and " published " in f" {_XPATH_SPACE.sub(' ', classes)} "


def _in_comments(element: lxml_html.HtmlElement) -> bool:
    """Whether an ancestor's class or id contains "comment" (as written: XPath's `contains`)."""
    return any(
        "comment" in node.get("class", "") or "comment" in node.get("id", "")
        for node in element.iterancestors()
    )


def _marked_dates(tree: lxml_html.HtmlElement, publication_only: bool) -> Iterator[lxml_html.HtmlElement]:
    """The elements marked as the publication's date (`_is_publication_mark`), with, unless `publication_only`,
    the `<time datetime>`s inside an `<article>`; in page order, outside reader comments. Taken from the
    page's marked elements (`_PageScan.marked`, which holds every one of them) instead of a union of four XPaths
    over the whole page with an ancestor test each (~0.4 ms a page on the crawl benchmark's)."""
    for element, _ in _scan(tree).marked:
        if not (
            _is_publication_mark(element)
            or (
                not publication_only
                and element.tag == "time"
                and element.get("datetime") is not None
                and next(element.iterancestors("article"), None) is not None
            )
        ):
            continue
        if not _in_comments(element):
            yield element


# Someone else's post inside this one: an embedded tweet, Instagram or Facebook post, a quoted block.
_EMBEDDED = re.compile(r"tweet|twitter|instagram|facebook|embed|quote")


def _embedded(element: lxml_html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in ("blockquote", "iframe", "figure"):
            return True
        if _EMBEDDED.search(f"{node.get('class', '')} {node.get('id', '')}".lower()):
            return True
    return False


def _in_other_article(element: lxml_html.HtmlElement, tree: lxml_html.HtmlElement) -> bool:
    """Whether `element` belongs to an `<article>` that is not the post's own — a related post's or a
    listing's teaser (`_PageScan.post_articles`)."""
    own = next(element.iterancestors("article"), None)
    return own is not None and own not in _scan(tree).post_articles


def _marked_date(element: lxml_html.HtmlElement) -> datetime | None:
    """The date an element declares (`datetime`, `content` or hAtom's `title`), unless its own text
    shows another day ("<time datetime=2019-07-01>Publié le 29 juin 2019</time>"): what readers see
    was written by the newsroom, the attribute by a theme that may print another date there."""
    declared = parse_iso(element.get("datetime") or element.get("content") or element.get("title") or "")
    if declared is None:
        return None
    text = " ".join(" ".join(element.itertext()).split())[:_SHORT_LINE]
    if _UPDATE_WORD.search(_fold(text)):  # "Mis à jour le 30 juin": another date, rightly
        return declared
    shown = parse_visible_date(text)
    if shown is not None and shown.date() != declared.date():
        return shown
    return declared


Plausible = Callable[[datetime], bool]


def _any_date(_: datetime) -> bool:
    return True


# The web's first pages are of 1991: an earlier date is a CMS's zero ("1970-01-01T00:00:00", "0001-01-01")
# or a typo, never when a page was published.
FIRST_WEB_YEAR = 1991
_AHEAD = timedelta(days=1)  # a page's clock or zone ahead of the fetch's; beyond, an event's date or a typo


def plausible_before(fetched_at: datetime) -> Plausible:
    """Whether a date can be a page's publication, fetched at `fetched_at`: from 1991 to a day after the
    fetch. A date further ahead is an event's the story announces ("le salon se tiendra le 20 juin" in a
    `<time>` under the headline) or a year mistyped in a meta tag (2027 for 2025), and a date before the
    web a CMS's zero (JSON-LD `1970-01-01`): each was given as the story's date, ahead of the true one."""
    latest = _aware(fetched_at) + _AHEAD

    def plausible(moment: datetime) -> bool:
        return moment.year >= FIRST_WEB_YEAR and _aware(moment) <= latest

    return plausible


def structured_date(tree: lxml_html.HtmlElement, plausible: Plausible = _any_date) -> tuple[datetime, str] | None:
    """The publication date a page declares in JSON-LD, meta tags or `<time datetime>` — not a
    related post's, an embedded tweet's or a comment's, nor one `plausible` refuses."""
    for value in _json_ld_dates(tree):
        if (parsed := parse_iso(value)) and plausible(parsed):
            return parsed, "json-ld"
    for key, content in meta_content(tree, _META_DATE_KEYS):
        if (parsed := parse_iso(content)) and plausible(parsed):
            return parsed, f"meta:{key}"
    return marked_date(tree, plausible)


def marked_date(tree: lxml_html.HtmlElement, plausible: Plausible = _any_date) -> tuple[datetime, str] | None:
    """The post's date marked up in its body: microdata, its `<time datetime>`, hAtom."""
    if parsed := _first_marked(tree, plausible=plausible):
        return parsed, "time-element"
    for element in post_elements(tree, _TIME_ELEMENTS):  # old themes: no <article>, no class
        if _embedded(element) or _in_other_article(element, tree):
            continue
        if (parsed := _marked_date(element)) and plausible(parsed):
            return parsed, "time-element"
    return None


def _first_marked(
    tree: lxml_html.HtmlElement, publication_only: bool = False, plausible: Plausible = _any_date
) -> datetime | None:
    """The date of the first marked date (`_marked_dates`) that is the post's: not an embedded post's,
    another article's or the page's chrome."""
    for element in _marked_dates(tree, publication_only):
        if _embedded(element) or _in_other_article(element, tree) or is_chrome(element):
            continue
        if (parsed := _marked_date(element)) and plausible(parsed):
            return parsed
    return None


# Where a visible date is *not* the article's: reader comments, related and most-read lists, sidebars,
# widgets, footers, menus, tickers and the header's "today" widget. Matched against each class/id token;
# "widget" only at a token's start (WordPress's sidebar "widget widget_text"), as page builders wrap the
# post itself in "elementor-widget" containers; "footer" not in a name that says "not-footer" (Weebly's content).
_CHROME_TOKEN = re.compile(
    r"comment|related|^widget|sidebar|(?:^|[-_])side(?:[-_]|$)|(?<!post-)(?<!entry-)(?<!article-)(?<!not-)footer|today"
    r"|date-?now|breaking|ticker|menu"
    r"|(?:^|[-_])nav|popular|most-?read|(?:^|[-_])rel(?:[-_]|$)|crp_|yarpp|jp-related|check-also"
    r"|top[-_]?(?:bar|nav|row|header|date)|header[-_]?top|above-header|prev|next-post"
)


# A layout's class on the wrapper of the whole page, sidebar and story: "layout-right-sidebar" (BetterStudio's
# Publisher, common on Arab news sites), "has-sidebar", "with-sidebar", "no-sidebar": it names no chrome.
_LAYOUT_TOKEN = re.compile(r"^(?:layout|page-layout|has|with|no)-")


def _is_chrome_named(tokens: list[str]) -> bool:
    """Whether an element's class and id tokens name the page's chrome; Blogger's posts are in a
    `widget Blog`, the only widget that is not."""
    return any(_CHROME_TOKEN.search(token) and not _LAYOUT_TOKEN.match(token) for token in tokens) and not (
        "widget" in tokens and "blog" in tokens
    )


@dataclass(frozen=True)
class Named:
    """Elements whose class, id or itemprop contains one of `words` (any case), or whose tag is one of
    `tags`, or whose rel is `rel`, optionally only those with `attribute` — the date, byline and meta
    elements themes mark up."""

    words: tuple[str, ...]
    tags: tuple[str, ...] = ()
    rel: str | None = None
    attribute: str | None = None  # and only those carrying this attribute
    tokens: tuple[str, ...] = ()  # or whose class, id or itemprop is one of these whole (`by`, not `baby`)

    @cached_property
    def _named(self) -> re.Pattern[str] | None:
        """One search for the words anywhere and the tokens whole (between whitespace, as `str.split`
        cuts): a generator of `in` tests per word was most of a byline's search over a page's ~1,000 marked
        elements."""
        pieces = [*map(re.escape, self.words), *(rf"(?<!\S){re.escape(token)}(?!\S)" for token in self.tokens)]
        return re.compile("|".join(pieces)) if pieces else None

    def matches(self, element: lxml_html.HtmlElement, names: str) -> bool:
        """`names`: the element's class, id and itemprop, lower-cased (`_PageScan`)."""
        named = self._named
        return (
            (named is not None and named.search(names) is not None)
            or element.tag in self.tags
            or (self.rel is not None and element.get("rel") == self.rel)
        ) and (self.attribute is None or element.get(self.attribute) is not None)


_MIN_PROSE_CHARS = 200  # fewer in the page's <p>s: its paragraphs are elsewhere (`_PageScan.month_first`)
_WEEBLY_ASSETS = "editmysite."  # where a Weebly site's style sheets and scripts are served from (editmysite.com)


def _built_by_weebly(tree: lxml_html.HtmlElement) -> bool:
    """Whether the page's `<head>` loads Weebly's assets (`_PageScan.month_first`)."""
    head = tree.find("head")
    if head is None:
        return False
    return any(
        element.get("id") == "wsite-base-style" or _WEEBLY_ASSETS in (element.get("href") or element.get("src") or "")
        for element in head.iter("link", "script")
    )


class _PageScan:
    """What the title, date and byline readers take from a page, each part made on first use and once a
    page: the marked elements are looked through three to five times (an XPath over every element's
    lower-cased class and id cost 3 to 9 ms each time on pages without JSON-LD), the JSON-LD scripts and
    the meta tags three or four times (bench/bench_crawl.py)."""

    def __init__(self, tree: lxml_html.HtmlElement) -> None:
        self.tree = tree
        self.chrome: dict[lxml_html.HtmlElement, bool] = {}

    @cached_property
    def marked(self) -> list[tuple[lxml_html.HtmlElement, str]]:
        """Elements with a class, id, itemprop or rel, the <time> elements and the <h1>, in page order,
        with their class, id and itemprop lower-cased."""
        # one node set, in page order already (a union of three is sorted into page order again)
        nodes = self.tree.xpath("//*[@class or @id or @itemprop or @rel or self::time or self::h1]")
        return [(n, f"{n.get('class', '')} {n.get('id', '')} {n.get('itemprop', '')}".lower()) for n in nodes]

    @cached_property
    def first_title(self) -> int | None:
        """The index in `marked` of the post's `<h1>`: the first that is not the site's logo."""
        return next((i for i, (node, _) in enumerate(self.marked) if node.tag == "h1" and not is_logo(node)), None)

    @cached_property
    def post_articles(self) -> set[lxml_html.HtmlElement]:
        """The `<article>`s that are the post's: those around its title, else the first after its title
        (a theme that prints the title above the post's `<article>`), else, on a page without a title,
        the page's first; and those around it. Any other is a related post's or a teaser: on a page whose
        title is in no `<article>` and followed by none, all are (a rail of teasers before the story)."""
        heading = self.marked[self.first_title][0] if self.first_title is not None else None
        around = [a for a in heading.iterancestors("article")] if heading is not None else []
        if not around:
            first = (
                heading.xpath("(following::article)[1]") if heading is not None else self.tree.xpath("(//article)[1]")
            )
            around = [first[0], *first[0].iterancestors("article")] if first else []
        return set(around)

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        objects: list[dict[str, Any]] = []
        for script in self.tree.xpath("//script"):
            kind = (script.get("type") or "").strip().lower()
            text = script.text or ""
            is_json_ld = "ld+json" in kind or (not kind and '"@context"' in text[:400])
            if is_json_ld and (data := _lenient_json(text)) is not None:
                objects.extend(_json_ld_objects(data))
        return self._without_other_articles(objects)

    def _without_other_articles(self, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`objects` without the article nodes of other stories: a `@graph` that describes the related
        stories too (their headline, date and author, before the page's own) keeps only the page's own —
        the article whose headline is the page's `<h1>`, Open Graph title or the start of its `<title>`.
        When no article's headline is the page's, or only one article is declared, all are kept."""
        articles = [item for item in objects if is_article_type(item)]
        if len(articles) < 2:
            return objects
        shown = {_squeezed(content) for key, content in self.metas if key in ("og:title", "twitter:title")}
        if self.first_title is not None:
            shown.add(_squeezed(" ".join(self.marked[self.first_title][0].itertext())))
        titles = [_squeezed(" ".join(title.itertext())) for title in self.tree.xpath("//title")]

        def is_own(item: dict[str, Any]) -> bool:
            headline = item.get("headline") or item.get("name")
            if not isinstance(headline, str) or not (headline := _squeezed(headline)):
                return False
            return headline in shown or any(title.startswith(headline) for title in titles)

        others = [item for item in articles if not is_own(item)]
        if len(others) == len(articles):
            return objects
        dropped = {id(node) for item in others for node in _json_ld_objects(item)}
        return [item for item in objects if id(item) not in dropped]

    @cached_property
    def metas(self) -> list[tuple[str, str]]:
        """(property, name or itemprop lower-cased, content) of each `<meta>` with a content, in page order."""
        return [
            ((meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower(), meta.get("content", ""))
            for meta in self.tree.xpath("//meta[@content]")
        ]

    @cached_property
    def labelled_lines(self) -> list[str]:
        """Short lines of the page that open with a publication label ("نشر في: 14/03/2024 - 11:20 |
        بقلم: …", "Publié le …"), outside the chrome and comments, in page order: on pages without
        marked-up date or byline elements (old table layouts) they hold both."""
        lines = []
        for text in self.tree.xpath("//body//text()[normalize-space()]"):
            if not _PUBLISHED_LABEL.match(_fold(text[:40].lstrip())):
                continue
            parent = text.getparent()
            element = parent.getparent() if text.is_tail and parent is not None else parent
            if element is None or self.is_chrome(element) or element.xpath(_IN_COMMENTS):
                continue
            line = " ".join(" ".join(element.itertext()).split())
            lines.append(line if len(line) <= _SHORT_LINE else " ".join(text.split()))
        return lines

    @cached_property
    def month_first(self) -> bool:
        """Whether the page says it is American English (`<html lang="en-US">`, Open Graph's `en_US`):
        its "Posted on 03/04/2019" is March 4th, when its paragraphs are English too. WordPress installed
        in English keeps `lang="en-US"` (and Yoast `en_US`) whatever language its writers use: a Moroccan
        site's Arabic or French story dated "03/11/2025" there is 3 November. Every other page's numeric
        dates are day first. A page of Weebly (its assets on editmysite.com) whose `lang` is a bare "en" is
        American too: the builder prints a blog post's day as month/day/year ("12/1/2026") whatever the
        site's country, and names no region (tests/pages/unseen13, unseen14)."""
        lang = (self.tree.get("lang") or "").strip().lower().replace("_", "-")
        locale = next((content for key, content in self.metas if key == "og:locale"), "")
        if not (
            lang == "en-us"
            or (not lang and locale.strip().lower() == "en_us")
            or (lang in ("en", "") and _built_by_weebly(self.tree))
        ):
            return False
        prose: list[str] = []
        length = 0
        for paragraph in self.tree.iter("p"):
            prose.append(text := " ".join(paragraph.itertext()))
            if (length := length + len(text)) >= LANGUAGE_SAMPLE_CHARS:
                break
        if length < _MIN_PROSE_CHARS and (body := self.tree.find("body")) is not None:
            # paragraphs in <div>s with <br>s (Weebly's): the body's text, scripts aside
            prose = body.xpath(".//text()[not(ancestor::script or ancestor::style)]")
        return detect_language(" ".join(prose)[: 4 * LANGUAGE_SAMPLE_CHARS]) == "en"

    def is_chrome(self, element: lxml_html.HtmlElement) -> bool:
        if (known := self.chrome.get(element)) is None:
            known = self.chrome[element] = is_chrome(element)
        return known


# The page being extracted (`scanning`) and its scan.
_scanning: list[_PageScan] = []


@contextmanager
def scanning(tree: lxml_html.HtmlElement) -> Iterator[None]:
    """Within this block, the readers of `tree` (title, dates, byline, site name) share one scan of it;
    afterwards the scan and the tree are let go. The tree must not change inside the block."""
    _scanning.append(_PageScan(tree))
    try:
        yield
    finally:
        _scanning.pop()


def _scan(tree: lxml_html.HtmlElement) -> _PageScan:
    return _scanning[-1] if _scanning and _scanning[-1].tree is tree else _PageScan(tree)


def meta_content(tree: lxml_html.HtmlElement, keys: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(key, content) of the page's `<meta>` tags whose property, name or itemprop is one of `keys`."""
    wanted = {key.lower() for key in keys}
    return ((key, content) for key, content in _scan(tree).metas if key in wanted)


_TIME_ELEMENTS = Named((), tags=("time",), attribute="datetime")
# Elements that hold a post's date: by class, id or itemprop, or a `<time>`.
_DATE_HOLDER = Named(
    ("date", "time", "meta", "posted", "publish", "publication", "submitted", "byline", "info", "tarikh"),
    tags=("time",),
)
_LINES_UNDER_TITLE = 3
_SHORT_LINE = 100
_RELATIVE_LINE = 40  # an unmarked line under the title is a date line for "hier" only when this short
# "PLACE, 22 août 2024 – ", "Rabat, le 3 mars 2024 - ": a place, a comma, the date, a dash opening the story
_DATELINE = re.compile(r"^([^\W\d][^,.;:!?]{1,40},[^–—-]{4,40}?)\s[–—-]\s")
_HOLDER_CHARS = 300  # a date holder's date is near its start; beyond is a container's running text
_ARTICLE_HEADER = re.compile(r"entry|post|article|single|td-post-title")


# An <h1> that is the site's name or logo, not the post's title (old and blog themes put it in one).
_LOGO = re.compile(r"logo|brand|site-?(?:title|name)|blog-?(?:title|name)|masthead|header-?bar")


def is_logo(heading: lxml_html.HtmlElement) -> bool:
    """Whether an `<h1>` is the site's logo or name: in the page's chrome, marked as a logo or site
    title (on itself or a wrapper), an image with little text, or a link to the homepage."""
    if is_chrome(heading) or in_logo(heading):
        return True
    text = " ".join(" ".join(heading.itertext()).split())
    if heading.xpath(".//img") and len(text) < 40:
        return True
    links = heading.xpath(".//a/@href")
    return bool(links) and all(urlsplit(link.strip()).path in ("", "/") and "#" not in link for link in links)


def in_logo(element: lxml_html.HtmlElement) -> bool:
    """Whether an element is (in) the site's logo or name, as marked on it or a wrapper below the post."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "article", "main"):
            break
        if _LOGO.search(f"{node.get('class', '')} {node.get('id', '')}".lower()):
            return True
    return False


def post_heading(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The post's `<h1>`: the page's first that is not the logo (`is_logo`)."""
    scan = _scan(tree)
    return None if scan.first_title is None else scan.marked[scan.first_title][0]


def is_chrome(element: lxml_html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("body", "html"):  # layout classes ("right-sidebar", "has-sidebar") say nothing
            break
        if tag in ("aside", "nav", "footer"):
            return True
        if tag == "header" and not (
            _ARTICLE_HEADER.search(node.get("class", ""))
            or any(a.tag in ("article", "main") for a in node.iterancestors())
        ):
            return True
        tokens = f"{node.get('class', '')} {node.get('id', '')}".lower().split()
        if _is_chrome_named(tokens) and not (_names_a_footer_only(tokens) and _in_declared_article(node)):
            return True
    return False


def _names_a_footer_only(tokens: list[str]) -> bool:
    """Whether the only chrome an element's tokens name is a footer ("footer")."""
    return all("footer" in token for token in tokens if _CHROME_TOKEN.search(token))


def _in_declared_article(node: lxml_html.HtmlElement) -> bool:
    """Whether an element is inside the post's `<article>` or its schema.org Article: a "footer" there is the
    post's own, under its headline or text (TYPO3's news template prints the date and author in a
    `<div class="footer">` of its `<div itemtype="…/Article">`), not the page's."""
    return any(
        ancestor.tag == "article" or "article" in (ancestor.get("itemtype") or "").lower()
        for ancestor in node.iterancestors()
    )


def visible_date(
    tree: lxml_html.HtmlElement, reference: datetime | None = None, plausible: Plausible = _any_date
) -> datetime | None:
    """The publication date shown in the article's header, read from the date and meta elements of the
    post — not from the header's "today" widget, the sidebar, related posts or reader comments, nor one
    `plausible` refuses (an event's date boxed under the headline).

    Elements after the page's first `<h1>` (where themes print the post's date) are read first, in
    page order; those before it only when nothing after it holds a date."""
    month_first = _scan(tree).month_first
    for node in post_elements(tree, _DATE_HOLDER):
        text = " ".join(" ".join(node.itertext()).split())
        # "hier", "منذ ساعتين" count in a date line, not in a paragraph that mentions yesterday
        relative_to = reference if len(text) <= _SHORT_LINE else None
        if (moment := parse_visible_date(text[:_HOLDER_CHARS], relative_to, month_first)) and plausible(moment):
            return moment
    # No date element: a short line right under the title ("<p>الجمعة 17 أكتوبر 2025 - 11:05</p>"), the
    # `<h1>` or, on a page without one, the headline a theme prints in an `<h2>` or `<h3>` (Bootstrap's cards).
    heading = post_heading(tree)
    if (heading := _unmarked_headline(tree) if heading is None else heading) is not None:
        for sibling in list(heading.itersiblings())[:_LINES_UNDER_TITLE]:
            if is_chrome(sibling):
                continue
            text = " ".join(" ".join(sibling.itertext()).split())
            relative_to = reference if len(text) <= _RELATIVE_LINE else None  # "Hier, la coopérative a…"
            moment = parse_visible_date(text, relative_to, month_first) if len(text) <= _SHORT_LINE else None
            if moment is not None and plausible(moment):
                return moment
            # A dateline opening the story (press releases, agencies): "BRÉVAL, 22 août 2024 – La …"
            dateline = _DATELINE.match(text)
            if dateline and (moment := parse_visible_date(dateline[1], None, month_first)) and plausible(moment):
                return moment
    # No date element, no title element: a line anywhere that says "published on" (old table layouts).
    for line in labelled_lines(tree):
        if (moment := parse_visible_date(line, reference, month_first)) and plausible(moment):
            return moment
    return None


_HEADLINE_WORDS = 5  # more than a section's or a box's name ("الأكثر قراءة", "Autres actualités")


def _unmarked_headline(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """On a page without an `<h1>`, its first `<h2>` or `<h3>` of a headline's length outside the chrome
    that links nowhere (a teaser's heading links to its story)."""
    if _scan(tree).first_title is not None:
        return None
    for heading in tree.xpath("//body//*[self::h2 or self::h3]"):
        text = " ".join(heading.text_content().split())
        if len(text.split()) >= _HEADLINE_WORDS and not heading.xpath(".//a") and not _scan(tree).is_chrome(heading):
            return heading
    return None


def labelled_lines(tree: lxml_html.HtmlElement) -> list[str]:
    """The page's short lines that open with a publication label (`_PageScan.labelled_lines`)."""
    return _scan(tree).labelled_lines


def post_elements(tree: lxml_html.HtmlElement, wanted: Named) -> list[lxml_html.HtmlElement]:
    """The `wanted` elements outside the page's chrome and other posts' teasers: those after the post's
    `<h1>` (where themes print the post's date and byline) in page order, then those before it."""
    scan = _scan(tree)
    found = [
        (index, node)
        for index, (node, names) in enumerate(scan.marked)
        if wanted.matches(node, names) and not scan.is_chrome(node) and not _in_other_article(node, tree)
    ]
    title_at = scan.first_title
    if title_at is None or len(found) < 2:
        return [node for _, node in found]
    return [node for i, node in found if i > title_at] + [node for i, node in found if i < title_at]


def page_date(
    tree: lxml_html.HtmlElement,
    url: str,
    fetched_at: datetime,
    hint_date: str | None = None,
    hint_source: str | None = None,
) -> tuple[datetime | None, str | None]:
    """The publication date of a page and where it came from: JSON-LD, meta tags or `<time datetime>`;
    then the date a feed or sitemap announced (`hint_date`, as written there); then the date shown in
    the post's header (`visible_date`); then the permalink's /YYYY/MM/DD/; then a date line opening the
    story's text; then htmldate's guess; then a Unix time in an inline script's data — none that
    `plausible_before` the fetch refuses, a feed's or sitemap's included (a CMS's 1969-12-31). (None, None)
    when none holds one: a whole-page guess would take a related post's or a comment's date
    (tests/pages/ar_no_date.html)."""
    plausible = plausible_before(fetched_at)
    if found := structured_date(tree, plausible):
        return _earliest_claim(found, tree, url, plausible)
    announced = hint_date and (parse_iso(hint_date) or parse_visible_date(hint_date, fetched_at))
    if announced and plausible(announced):
        return announced, hint_source or "feed"
    if visible := visible_date(tree, fetched_at, plausible):
        return visible, "visible"
    if (from_url := url_date(url)) and plausible(from_url):
        return from_url, "url"
    # a short line opening the story's text, under the headline ("بقلم: سعيد أوحساين | الخميس 3 دجنبر 2026" as
    # its first paragraph); after the permalink's date, as reading the header costs a page more
    if header := [(moment, source) for moment, source in _header_date(tree) if moment and plausible(moment)]:
        return header[0]
    if (guessed := htmldate_date(tree, url, fetched_at)) and plausible(guessed[0]):
        return guessed
    if (stamped := script_timestamp(tree)) and plausible(stamped):
        return stamped, "script"
    return None, None


# A publication time a page gives only as a Unix time in a script's data, in seconds or milliseconds
# (`window.__ARTICLE__ = {"publishedAt": 1749729600000}`, an analytics layer's `"publish_date": 1749729600`):
# a site whose page prints no date and declares none in markup. The key names the publication, not an update.
_SCRIPT_TIMESTAMP = re.compile(
    r"[\"']?(?:date_?published|published_?(?:at|on|date|time)?|publish_?(?:date|time|at)|pub_?date"
    r"|first_?published(?:_?at)?)[\"']?\s*[:=]\s*[\"']?(\d{13}|\d{10})(?!\d)",
    re.I,
)
_INLINE_SCRIPTS = "//script[not(@src)][not(@type) or contains(@type, 'javascript')]/text()"


def script_timestamp(tree: lxml_html.HtmlElement) -> datetime | None:
    """The instant a page's inline script gives as its publication's Unix time (UTC), None when none does;
    read last, when no markup, feed, text or htmldate dates the page."""
    for text in tree.xpath(_INLINE_SCRIPTS):
        if found := _SCRIPT_TIMESTAMP.search(text):
            stamp = int(found[1])
            return datetime.fromtimestamp(stamp / 1000 if len(found[1]) == 13 else stamp, UTC)
    return None


_DAYS_EARLIER = 2  # a page's own earlier date for its story replaces the declared one from this many days


def _earliest_claim(
    declared: tuple[datetime, str], tree: lxml_html.HtmlElement, url: str, plausible: Plausible = _any_date
) -> tuple[datetime, str]:
    """The page's declared date (JSON-LD, meta tags), or the earlier day the page itself gives its story:
    its permalink's /YYYY/MM/DD/, a date marked as the publication's (`_is_publication_mark`), the date in its
    header (`_header_date`) — not a `<time>` of the story's text, a past event it mentions. A story is not published
    after the day it shows, and a declared date days later than these is a migration's or a republication's
    (a CMS that stamped every old story with the day it was moved: "Published 12 March 2019" on a page whose
    `article:published_time` is 2024-06-01)."""
    if declared[1] == "time-element":
        return declared
    shown = [(url_date(url), "url"), (_first_marked(tree, publication_only=True), "time-element"), *_header_date(tree)]
    limit = declared[0].date() - timedelta(days=_DAYS_EARLIER - 1)
    earlier = [(moment, source) for moment, source in shown if moment and moment.date() < limit and plausible(moment)]
    return min(earlier, key=lambda found: found[0].date()) if earlier else declared


def following(element: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The elements after `element` in page order, its own descendants apart: XPath's `following::*`, made
    as it is read. A post's header ends a few elements after its `<h1>` (9 on the crawl benchmark's pages),
    and the XPath built all ~400 of a page's following elements first (0.1 ms a page, bench/bench_crawl.py)."""
    for node in (element, *element.iterancestors()):
        for sibling in node.itersiblings(etree.Element):
            yield from sibling.iter(etree.Element)


def _header_date(tree: lxml_html.HtmlElement) -> list[tuple[datetime | None, str]]:
    """The date in the post's header, [] when it has none: in a date element or a short line after its
    `<h1>` and before its text's first paragraph (a `<p>` longer than a short line), with its source."""
    heading = post_heading(tree)
    if heading is None:
        return []
    header: list[lxml_html.HtmlElement] = []
    for node in following(heading):  # in page order, a container before what it holds
        if node.tag == "p" and len(" ".join(" ".join(node.itertext()).split())) > _SHORT_LINE:
            text_holders = set(node.iterancestors())  # the story's text: not its header
            header = [element for element in header if element not in text_holders]
            break
        header.append(node)
    for node in header:
        names = f"{node.get('class', '')} {node.get('id', '')} {node.get('itemprop', '')}".lower()
        if not (node.tag == "p" or _DATE_HOLDER.matches(node, names)):
            continue
        if is_chrome(node) or _in_other_article(node, tree) or _embedded(node):
            continue
        if node.get("datetime") or node.get("content"):
            if marked := _marked_date(node):
                return [(marked, "time-element")]
        elif moment := parse_visible_date(" ".join(" ".join(node.itertext()).split())[:_HOLDER_CHARS]):
            return [(moment, "visible")]
    return []


def htmldate_date(tree: lxml_html.HtmlElement, url: str, fetched_at: datetime) -> tuple[datetime, str] | None:
    """htmldate's date for a page Rasd's readers found none on (00:00 UTC of its day) and its source:
    `htmldate` from the markup conventions of many more CMSs than Rasd's readers know; else
    `htmldate:guess`, its search through the page's text, run on a copy without the page's chrome
    (comments, related and most-read lists, sidebars, footers, menus: where other posts' dates are) and
    never a bare January 1st (a "© 2025" footer). Never after the fetch."""
    from htmldate import find_date  # imported on first use, like trafilatura

    latest = _to_utc(fetched_at).strftime("%Y-%m-%d")
    options: dict[str, Any] = {"original_date": True, "outputformat": "%Y-%m-%d", "max_date": latest}
    # the site's footer's "Site last updated 14 January 2025" is no story's date (a post's own footer is)
    if found := find_date(_without_site_footer(tree), url=url, extensive_search=False, **options):
        return _day(found, "htmldate")
    guessed = find_date(_without_chrome(tree), extensive_search=True, **options)
    if guessed and not guessed.endswith("-01-01"):
        return _day(guessed, "htmldate:guess")
    return None


def _day(found: str, source: str) -> tuple[datetime, str] | None:
    try:
        return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC), source
    except ValueError:
        return None


_SITE_FOOTER = re.compile(r"^(?:site|page|global|main)?[-_]?footer$")
_POST = re.compile(r"article|post|entry|news")


def _without_site_footer(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The page without its site's footer: a `<footer>`, or an element named `footer`, outside any
    article or post (a post's own footer, a Tumblr or TYPO3 one, holds its date); the tree itself when
    it has none."""
    doomed = [index for index, node in enumerate(tree.iter()) if _is_site_footer(node)]
    if not doomed:
        return tree
    copy = deepcopy(tree)
    nodes = list(copy.iter())  # in the same order as the tree's
    for index in doomed:
        if (parent := nodes[index].getparent()) is not None:
            parent.remove(nodes[index])
    return copy


def _is_site_footer(node: lxml_html.HtmlElement) -> bool:
    if not isinstance(node.tag, str):
        return False
    named = f"{node.get('class', '')} {node.get('id', '')}".lower()
    if node.tag != "footer" and not ("footer" in named and any(_SITE_FOOTER.match(t) for t in named.split())):
        return False
    return not any(
        a.tag in ("article", "main") or _POST.search(f"{a.get('class', '')} {a.get('id', '')}".lower())
        for a in node.iterancestors()
    )


def _without_chrome(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the page without the elements `is_chrome` names, forms and other posts' `<article>`s."""
    copy = deepcopy(tree)
    doomed = []
    for node in copy.iter():
        if not isinstance(node.tag, str) or node.tag in ("html", "body", "head"):
            continue
        tokens = f"{node.get('class', '')} {node.get('id', '')}".lower().split()
        if node.tag in ("aside", "nav", "footer", "form") or _is_chrome_named(tokens):
            doomed.append(node)
    for node in doomed:
        if (parent := node.getparent()) is not None:
            parent.remove(node)
    return copy


def url_date(url: str) -> datetime | None:
    """WordPress permalinks often carry the date: /2025/10/14/slug/."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None
