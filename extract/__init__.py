"""Extraction: HTML bytes → clean article text and metadata; Arabic/French normalisation for matching."""

from rasd.extract.article import MIN_TEXT_CHARS, Article, content_hash, extract_article
from rasd.extract.boilerplate import strip_boilerplate
from rasd.extract.dates import parse_iso, parse_visible_date
from rasd.extract.fingerprint import BANDS as FINGERPRINT_BANDS
from rasd.extract.fingerprint import SCHEME as FINGERPRINT_SCHEME
from rasd.extract.fingerprint import Fingerprint, fingerprint_of
from rasd.extract.normalize import detect_language, fold_latin_accents, normalize_arabic, normalize_for_matching

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
