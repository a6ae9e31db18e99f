"""Arabic and French text normalisation for matching.

News sites spell the same word many ways: with or without hamza (أ/إ/آ/ا), with ة or ه at the end,
ى or ي, with harakat, with tatweel stretching a headline, with Arabic-Indic digits. Every stage that
*matches* text (classifier, near-duplicate detection, full-text search) normalises both sides with
`normalize_for_matching` so that a lexicon entry written once matches all of them. The text shown to
people is never normalised.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ی": "ي",
        "ڭ": "ك",
        "گ": "ك",
        "ڤ": "ف",
        "پ": "ب",
        # Arabic-Indic and Eastern Arabic-Indic digits
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        # typographic quotes and dashes
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "،": ",",
        "؛": ";",
        "؟": "?",
        "\u200c": "",
        "\u200d": "",
        "\u200e": "",
        "\u200f": "",
        "\xa0": " ",
    }
)
_WHITESPACE = re.compile(r"\s+")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-zÀ-ÿ]")


def fold_latin_accents(text: str) -> str:
    """Remove accents from Latin letters ("économie" → "economie"); Arabic letters are left alone."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not (unicodedata.combining(ch) and ch < "\u0600"))


def normalize_arabic(text: str) -> str:
    """Fold Arabic spelling variants: hamza/alef forms, ta marbuta, alef maqsura, harakat, tatweel."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_DIACRITICS.sub("", text).replace(_TATWEEL, "")
    return text.translate(_LETTER_FOLDS)


def normalize_for_matching(text: str) -> str:
    """The one form both sides of every comparison are put in: folded, lower-case, single-spaced."""
    text = normalize_arabic(text)
    text = fold_latin_accents(text).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return _WHITESPACE.sub(" ", text).strip()


def detect_language(text: str) -> str:
    """'ar', 'fr' or 'und' from the share of Arabic and Latin letters (enough for Moroccan news)."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic + latin < 20:
        return "und"
    if arabic >= latin:
        return "ar"
    lowered = f" {text.lower()} "
    french_markers = sum(lowered.count(w) for w in (" le ", " la ", " les ", " des ", " du ", " et ", " à "))
    english_markers = sum(lowered.count(w) for w in (" the ", " and ", " of ", " is "))
    return "fr" if french_markers >= english_markers else "und"
