"""Publication dates: structured sources first, then the visible date, each with where it came from.

trafilatura's own guess falls back to a "© 2025" footer (a bare January 1st), reads "today" widgets and
comment dates, and does not know the Moroccan month names; so structured metadata wins, a visible date
in the article header comes next, and a bare January 1st from a guess is never trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import dateparser
from lxml import html as lxml_html

from extract.normalize import normalize_arabic

# Moroccan (French-derived) and Mashriq (Syriac-derived) month names → the Gulf/Egyptian forms
# dateparser knows, compared after Arabic normalisation (hamza and ta marbuta folded).
_MONTH_SYNONYMS = {
    "يناير": "يناير",
    "فبراير": "فبراير",
    "مارس": "مارس",
    "ابريل": "ابريل",
    "ماي": "مايو",
    "مايو": "مايو",
    "يونيو": "يونيو",
    "يونيه": "يونيو",
    "يوليوز": "يوليو",
    "يوليو": "يوليو",
    "غشت": "اغسطس",
    "اغسطس": "اغسطس",
    "شتنبر": "سبتمبر",
    "سبتمبر": "سبتمبر",
    "اكتوبر": "اكتوبر",
    "نونبر": "نوفمبر",
    "نوفمبر": "نوفمبر",
    "دجنبر": "ديسمبر",
    "ديسمبر": "ديسمبر",
    "كانون الثاني": "يناير",
    "شباط": "فبراير",
    "اذار": "مارس",
    "نيسان": "ابريل",
    "ايار": "مايو",
    "حزيران": "يونيو",
    "تموز": "يوليو",
    "اب": "اغسطس",
    "ايلول": "سبتمبر",
    "تشرين الاول": "اكتوبر",
    "تشرين الثاني": "نوفمبر",
    "كانون الاول": "ديسمبر",
}
_MONTH_NUMBERS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6,
    "يوليو": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip
_FRENCH_MONTHS = {
    "janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "decembre": 12, "décembre": 12,
}  # fmt: skip
_ARABIC_MONTH_ALTERNATION = "|".join(sorted(_MONTH_SYNONYMS, key=len, reverse=True))
_ARABIC_DATE = re.compile(rf"(\d{{1,2}})\s*(?:من\s+)?({_ARABIC_MONTH_ALTERNATION})\s*,?\s*(\d{{4}})")
_FRENCH_DATE = re.compile(
    r"(\d{1,2})(?:er)?\s+(" + "|".join(_FRENCH_MONTHS) + r")\s+(\d{4})", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b|\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_URL_DATE = re.compile(r"/(20\d{2})/(\d{1,2})/(\d{1,2})/")
_RELATIVE = {"اليوم": 0, "امس": 1, "aujourd'hui": 0, "hier": 1}
_META_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "pubdate",
    "publish-date",
    "date",
)


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 or RFC 822 timestamp as aware UTC, or None."""
    value = value.strip()
    if not value:
        return None
    try:
        return _to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        pass
    parsed = dateparser.parse(value, languages=["en", "fr", "ar"], settings={"RETURN_AS_TIMEZONE_AWARE": True})
    return _to_utc(parsed) if parsed else None


def parse_visible_date(text: str, reference: datetime | None = None) -> datetime | None:
    """A date as written on a page ("14 شتنبر 2025", "le 3 août 2025 à 10:15", "أمس"), or None.

    Relative words are resolved against `reference` (the fetch time)."""
    folded = normalize_arabic(text)
    match = _ARABIC_DATE.search(folded)
    day = month = year = None
    if match:
        day, month, year = int(match[1]), _MONTH_NUMBERS[_MONTH_SYNONYMS[match[2]]], int(match[3])
    elif match := _FRENCH_DATE.search(text):
        day, month, year = int(match[1]), _FRENCH_MONTHS[match[2].lower()], int(match[3])
    elif match := _NUMERIC_DATE.search(text):
        if match[1]:
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        else:
            day, month, year = int(match[4]), int(match[5]), int(match[6])
    else:
        lowered = folded.lower()
        for word, days_back in _RELATIVE.items():
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered) and reference is not None:
                return _to_utc(reference).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
                    days=days_back
                )
        return None
    hour, minute = 0, 0
    if time_match := _TIME.search(folded[match.end() : match.end() + 40]):
        hour, minute = int(time_match[1]), int(time_match[2])
    try:
        return datetime(year, month, day, hour % 24, minute % 60, tzinfo=UTC)
    except ValueError:
        return None


def _json_ld_dates(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key in ("datePublished", "dateCreated"):
            if isinstance(data.get(key), str):
                yield data[key]
        for value in data.values():
            yield from _json_ld_dates(value)
    elif isinstance(data, list):
        for item in data:
            yield from _json_ld_dates(item)


def structured_date(tree: lxml_html.HtmlElement) -> tuple[datetime, str] | None:
    """The publication date a page declares in JSON-LD, meta tags or `<time datetime>`."""
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for value in _json_ld_dates(data):
            if parsed := parse_iso(value):
                return parsed, "json-ld"
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_DATE_KEYS and (parsed := parse_iso(meta.get("content", ""))):
            return parsed, f"meta:{key}"
    for value in tree.xpath("//article//time/@datetime | //time[contains(@class, 'publish')]/@datetime"):
        if parsed := parse_iso(value):
            return parsed, "time-element"
    return None


def url_date(url: str) -> datetime | None:
    """WordPress permalinks often carry the date: /2025/10/14/slug/."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None


def trusted_guess(value: str | None) -> datetime | None:
    """trafilatura's guessed date, unless it is the bare January 1st it derives from a copyright year."""
    if not value:
        return None
    parsed = parse_iso(value)
    if parsed is None or (parsed.month == 1 and parsed.day == 1):
        return None
    return parsed
