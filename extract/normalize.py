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
_LETTER_FOLDS: dict[str, str] = {
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
# Letters are counted in the text's UTF-8 bytes, where each is told by its first byte: U+0600–U+06FF (the
# Arabic block) begin with 0xD8–0xDB, U+00C0–U+00FF (À–ÿ, × and ÷ among them, as the ranges were counted
# before) with 0xC3, and ASCII letters are themselves. ``bytes.count`` and ``bytes.translate`` run in C
# without making a string a word, as the regular expressions' ``findall`` did (~10× the time).
_ARABIC_LEADS = (b"\xd8", b"\xd9", b"\xda", b"\xdb")
_NOT_ASCII_LETTERS = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A))


def _latin_accent_table() -> dict[int, str]:
    """Each accented Latin letter (U+00C0–U+024F) → its letters without marks, built once at import."""
    table = {}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFD", chr(code))
        base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if base != chr(code):
            table[code] = base
    return table


_LATIN_ACCENTS = _latin_accent_table()


def fold_latin_accents(text: str) -> str:
    """Remove accents from Latin letters ("économie" → "economie"); Arabic letters are left alone.

    A translation table rather than NFD per call: this runs on every article the classifier sees."""
    return _LATIN_ACCENTED.sub(_fold_accent, text)


# Folding by regex substitution: the scan runs in C and the Python callback runs only on the few
# characters that change (str.translate with a dict calls back into Python for every character).
_FOLDABLE = re.compile("[" + re.escape("".join(_LETTER_FOLDS)) + "]")
_LATIN_ACCENTED = re.compile("[\u00c0-\u024f]")


def _fold_letter(match: re.Match[str]) -> str:
    return _LETTER_FOLDS[match.group()]


def _fold_accent(match: re.Match[str]) -> str:
    return _LATIN_ACCENTS.get(ord(match.group()), match.group())


def normalize_arabic(text: str) -> str:
    """Fold Arabic spelling variants: hamza/alef forms, ta marbuta, alef maqsura, harakat, tatweel."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_DIACRITICS.sub("", text).replace(_TATWEEL, "")
    return _FOLDABLE.sub(_fold_letter, text)


def normalize_for_matching(text: str) -> str:
    """The one form both sides of every comparison are put in: folded, lower-case, single-spaced."""
    text = normalize_arabic(text)
    text = fold_latin_accents(text).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(text.split())


_FRENCH_WORDS = (" le ", " la ", " les ", " des ", " du ", " et ", " à ", " une ", " est ", " pour ")
_ENGLISH_WORDS = (" the ", " and ", " of ", " is ", " to ", " in ", " with ", " for ")
# Spanish shares "la", "de", "en" with French: its own words keep it from being taken for French.
_SPANISH_WORDS = (" el ", " los ", " las ", " y ", " del ", " con ", " una ", " por ", " que ")
# German shares "in" with English and "die"/"des" are rare elsewhere: its own words keep it from being
# taken for English or French (it is "und", as any language Rasd does not read).
_GERMAN_WORDS = (" der ", " die ", " das ", " und ", " den ", " mit ", " von ", " ist ", " ein ", " eine ", " auf ")

# Dutch shares "in", "is" and "of" with English: its own words keep it from being taken for English.
_DUTCH_WORDS = (" het ", " een ", " van ", " zijn ", " niet ", " ook ", " wordt ", " voor ", " dat ")
# Persian is written in Arabic letters: its own (pe, che, zhe, gaf; its yeh and keheh, which Arabic
# keyboards never type) keep a Persian page from being read as Arabic ("und", a language Rasd does not
# read). Moroccan Arabic writes its g with ڭ (U+06AD) or ݣ, not these; a Persian text has one in ~10 letters.
_PERSIAN_LETTERS = tuple(letter.encode() for letter in "\u067e\u0686\u0698\u06af\u06a9\u06cc")
_PERSIAN_SHARE = 0.03

LANGUAGE_SAMPLE_CHARS = 5_000  # an article's language shows in its first paragraphs
_FEW_WORDS = 20  # a title or a line: too few words to count function words' share
_FUNCTION_WORDS_SHARE = 0.03  # of the words: French or English ones, in a French or English text (~0.1)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate (a page's broken escape) is no letter


def _arabic_and_latin(encoded: bytes) -> tuple[int, int]:
    latin = len(encoded.translate(None, _NOT_ASCII_LETTERS)) + encoded.count(b"\xc3")
    return sum(map(encoded.count, _ARABIC_LEADS)), latin


def _persian(encoded: bytes) -> int:
    return sum(map(encoded.count, _PERSIAN_LETTERS))


def letter_counts(text: str) -> tuple[int, int, int]:
    """The Arabic (U+0600–U+06FF), Latin (A–Z, a–z, U+00C0–U+00FF) and Persian-only letters of ``text``, counted
    in its UTF-8 bytes as detect_language counts them (the Persian ones only for a text mostly in Arabic
    letters: ~0.25 ms of 5,000 characters spared for every other)."""
    encoded = _utf8(text)
    return (*_arabic_and_latin(encoded), _persian(encoded))


def detect_language(text: str) -> str:
    """'ar', 'fr', 'en' or 'und' (anything else, or too little text) from the share of Arabic and Latin
    letters and the commonest function words (enough for Moroccan news), over the first
    LANGUAGE_SAMPLE_CHARS characters."""
    text = text[:LANGUAGE_SAMPLE_CHARS]
    encoded = _utf8(text)
    arabic, latin = _arabic_and_latin(encoded)
    if arabic + latin < 20:
        return "und"
    if arabic >= latin:
        return "und" if _persian(encoded) > _PERSIAN_SHARE * arabic else "ar"
    lowered = " " + " ".join(text.lower().split()) + " "
    french, english, spanish, german, dutch = (
        sum(lowered.count(w) for w in words)
        for words in (_FRENCH_WORDS, _ENGLISH_WORDS, _SPANISH_WORDS, _GERMAN_WORDS, _DUTCH_WORDS)
    )
    # A language of Latin letters whose function words are none of these (Tamazight written in Latin letters,
    # whose particle "is" is English's): a French or English story has one such word in ten, one in a
    # hundred is chance (tests/pages/unseen14).
    words = lowered.count(" ")
    if words >= _FEW_WORDS and max(french, english) < _FUNCTION_WORDS_SHARE * words:
        return "und"
    if french > max(english, spanish, german, dutch):
        return "fr"
    if english > max(french, spanish, german, dutch):
        return "en"
    return "und"
