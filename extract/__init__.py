"""Extraction: HTML bytes → clean article text and metadata; Arabic/French normalisation for matching.

The names are loaded on first use (PEP 562): `rasd search` needs only the normaliser, the store only the
fingerprint, and neither should pay for lxml, NumPy and the date parser at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rasd.extract.article import MIN_TEXT_CHARS, Article, content_hash, extract_article
    from rasd.extract.boilerplate import strip_boilerplate
    from rasd.extract.dates import parse_iso, parse_visible_date
    from rasd.extract.fingerprint import BANDS as FINGERPRINT_BANDS
    from rasd.extract.fingerprint import SCHEME as FINGERPRINT_SCHEME
    from rasd.extract.fingerprint import Fingerprint, fingerprint_of
    from rasd.extract.normalize import detect_language, fold_latin_accents, normalize_arabic, normalize_for_matching

# public name → (module, name in it)
_EXPORTS = {
    "FINGERPRINT_BANDS": ("fingerprint", "BANDS"),
    "FINGERPRINT_SCHEME": ("fingerprint", "SCHEME"),
    "MIN_TEXT_CHARS": ("article", "MIN_TEXT_CHARS"),
    "Article": ("article", "Article"),
    "Fingerprint": ("fingerprint", "Fingerprint"),
    "content_hash": ("article", "content_hash"),
    "detect_language": ("normalize", "detect_language"),
    "extract_article": ("article", "extract_article"),
    "fingerprint_of": ("fingerprint", "fingerprint_of"),
    "fold_latin_accents": ("normalize", "fold_latin_accents"),
    "normalize_arabic": ("normalize", "normalize_arabic"),
    "normalize_for_matching": ("normalize", "normalize_for_matching"),
    "parse_iso": ("dates", "parse_iso"),
    "parse_visible_date": ("dates", "parse_visible_date"),
    "strip_boilerplate": ("boilerplate", "strip_boilerplate"),
}

__all__ = [
    "FINGERPRINT_BANDS",
    "FINGERPRINT_SCHEME",
    "MIN_TEXT_CHARS",
    "Article",
    "Fingerprint",
    "content_hash",
    "detect_language",
    "extract_article",
    "fingerprint_of",
    "fold_latin_accents",
    "normalize_arabic",
    "normalize_for_matching",
    "parse_iso",
    "parse_visible_date",
    "strip_boilerplate",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value  # looked up once
    return value
