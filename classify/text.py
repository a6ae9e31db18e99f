"""Words for matching: raw text → normalised words, with the readings Arabic clitics allow.

Arabic glues conjunctions, prepositions and the article to the word: "وللتعاونيات" is و + لل + تعاونيات,
"بالناظور" is ب + ال + ناظور. A lexicon entry is written once in its dictionary form, so each word of the
text is read every way its first letters can be a clitic ("و…", "ب…", "بال…", "لل…", …) and any reading
may match. Letters that only *look* like a clitic ("فاس", "بركان") keep their bare reading too, and a word
is only ever compared whole (never as a substring), so "فاس" does not fire inside "الفاسي".

French function words (le, de, l', d', à, et, …) are dropped from the word stream, on both the lexicon and
the text side, so "produits du terroir" and "produits de terroir" are the same entry.

Speed: normalising the whole text costs more than everything else together, so each *raw* token is
normalised once (``extract.normalize.normalize_for_matching``, the project's one normaliser) and the
result cached; news vocabulary is Zipfian, so nearly every token is a cache hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rasd.extract.normalize import normalize_for_matching

# A raw token: word characters plus the marks normalisation deletes (harakat, tatweel, Latin combining
# accents, zero-width joiners), so a vowelled Arabic word is not cut in two before it is normalised.
_TOKEN_CHARACTERS = r"\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u0300-\u036f\u200c\u200d"
RAW_TOKEN = re.compile(f"[{_TOKEN_CHARACTERS}]+")
# n raw tokens and what stands before each, in one match; possessive, so a token is never cut in two to make
# up the count where fewer are left
_SKIPS = tuple(
    (n, re.compile(f"(?:[^{_TOKEN_CHARACTERS}]*+[{_TOKEN_CHARACTERS}]++){{{n}}}")) for n in (512, 64, 8, 1)
)


def raw_tokens(text: str) -> list[str]:
    """``RAW_TOKEN.findall(text)``, cheaper: a token never spans white space, and a white-space chunk of
    letters only (85 % of a story's) is one token as it stands, so the regular expression — which allocates
    its stack anew for every token it finds — runs only on the other chunks (punctuation, digits, harakat)."""
    tokens: list[str] = []
    findall = RAW_TOKEN.findall
    for chunk in text.split():
        if chunk.isalpha():
            tokens.append(chunk)
        else:
            tokens += findall(chunk)
    return tokens


def token_spans(text: str, indexes: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Where raw tokens ``indexes`` of ``text`` stand (numbered from 0 as ``RAW_TOKEN.finditer`` finds them;
    an index past the last token is left out). The tokens before them are passed over 512, 64, 8 at a time,
    one match each, not one match object a token: a story's phrase at its end costs a few matches."""
    spans: dict[int, tuple[int, int]] = {}
    position = passed = 0  # the token numbered ``passed`` is the first at or after ``position``
    for index in sorted(indexes):
        ahead = index - passed
        for count, skip in _SKIPS:
            while ahead >= count:
                found = skip.match(text, position)
                if found is None:  # fewer tokens left
                    return spans
                position = found.end()
                ahead -= count
        token = RAW_TOKEN.search(text, position)
        if token is None:
            return spans
        spans[index] = token.span()
        position, passed = token.end(), index + 1
    return spans


# After normalisation: runs of letters, or runs of digits ("الرشيدية24" → "الرشيديه", "24").
WORD = re.compile(r"[^\W\d_]+|\d+")

ARTICLE = "ال"


def _arabic_prefixes() -> tuple[str, ...]:
    """Every clitic chain Arabic writes before a noun: (و|ف)? (ب|ل|ك)? (ال)?, with ل + ال written "لل"."""
    found: set[str] = set()
    for conjunction in ("", "و", "ف"):
        for preposition in ("", "ب", "ل", "ك"):
            for article in ("", ARTICLE):
                chain = conjunction + ("لل" if preposition == "ل" and article else preposition + article)
                if chain:
                    found.add(chain)
    return tuple(sorted(found, key=len))


ARABIC_PREFIXES = _arabic_prefixes()
# Chains that end in the article: only these are removed from *lexicon* words, whose authors write the
# dictionary form ("الرشيدية", "للتنمية"); a bare first letter there is part of the word ("فاس", "بركان").
_ARTICLE_CHAINS = tuple(sorted((p for p in ARABIC_PREFIXES if p.endswith(ARTICLE) or p.endswith("لل")), key=len))


def _by_first_letter(chains: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Chains grouped by their first letter, so a word is only tried against chains it can start with."""
    grouped: dict[str, list[str]] = {}
    for chain in chains:
        grouped.setdefault(chain[0], []).append(chain)
    return {letter: tuple(found) for letter, found in grouped.items()}


_PREFIXES_BY_LETTER = _by_first_letter(ARABIC_PREFIXES)

# Dropped from the word stream: they carry no meaning for matching and vary between spellings of a name.
FRENCH_FUNCTION_WORDS = frozenset(
    {"l", "d", "de", "du", "des", "la", "le", "les", "a", "au", "aux", "en", "et", "un", "une", "s", "qu"}
)
ARABIC_FUNCTION_WORDS = frozenset({"و"})
SKIP_WORDS = FRENCH_FUNCTION_WORDS | ARABIC_FUNCTION_WORDS

# Left out of the similarity text: frequent in every story, so they only add noise to n-gram overlap.
_ARABIC_STOPWORDS = (
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "أن",
    "ان",
    "إن",
    "التي",
    "الذي",
    "الذين",
    "اللذين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هؤلاء",
    "كما",
    "مع",
    "بين",
    "وقد",
    "قد",
    "لا",
    "ما",
    "لم",
    "لن",
    "كل",
    "أو",
    "او",
    "ثم",
    "حيث",
    "عبر",
    "خلال",
    "بعد",
    "قبل",
    "منذ",
    "وفي",
    "ومن",
    "وعلى",
    "وإلى",
    "كان",
    "كانت",
    "يكون",
    "تكون",
    "تم",
    "هو",
    "هي",
    "هم",
    "أنه",
    "انه",
    "أي",
    "ايضا",
    "أيضا",
    "وذلك",
    "حول",
    "لدى",
    "عند",
    "غير",
    "بعض",
    "وهو",
    "وهي",
    "التى",
    "فيما",
    "إذا",
    "اذا",
    "كذلك",
    "وكذا",
    "ضمن",
    "إطار",
    "اطار",
)
_FRENCH_STOPWORDS = (
    "pour",
    "par",
    "sur",
    "dans",
    "est",
    "sont",
    "qui",
    "que",
    "ce",
    "cette",
    "ces",
    "il",
    "elle",
    "ils",
    "elles",
    "ont",
    "a",
    "été",
    "avec",
    "plus",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "aussi",
    "ainsi",
    "entre",
)
SIMILARITY_STOPWORDS = frozenset(normalize_for_matching(w) for w in _ARABIC_STOPWORDS + _FRENCH_STOPWORDS)


def is_arabic(word: str) -> bool:
    """True for a word written in Arabic letters (the first letter decides; words are never mixed)."""
    return "\u0600" <= word[0] <= "\u06ff"


def _strip_plural(word: str) -> str:
    """French/Latin plural folding on the lexicon side ("coopératives" → "cooperative"); "ess" stays."""
    if len(word) > 4 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def readings(word: str) -> tuple[tuple[str, str], ...]:
    """(clitic prefix, stem) readings of one normalised word; the bare word comes first.

    "وبالتعاونيه" → ("", "وبالتعاونيه"), ("و", "بالتعاونيه"), ("وب", "التعاونيه"), ("وبال", "تعاونيه").
    A stem must keep two letters, so "وب" is never read as و + "ب".
    """
    chains = _PREFIXES_BY_LETTER.get(word[0])  # only Arabic letters start a chain
    if chains is not None:
        longest = len(word) - 2
        return (
            ("", word),
            *[(chain, word[len(chain) :]) for chain in chains if len(chain) <= longest and word.startswith(chain)],
        )
    if is_arabic(word):
        return (("", word),)
    folded = _strip_plural(word)
    return (("", word),) if folded == word else (("", word), ("", folded))


def spellings(stem: str) -> tuple[str, ...]:
    """Every text word some ``readings`` of which has the stem ``stem``, and a few more: the stem bare, after
    each clitic chain, and with a plural s/x. A word outside these never reads as ``stem``, and a word that
    starts with none of them has no reading that starts with ``stem``."""
    return (stem, stem + "s", stem + "x", *(chain + stem for chain in ARABIC_PREFIXES))


def pattern_words(phrase: str) -> list[str]:
    """A lexicon or gazetteer phrase as the words the matcher compares with ``readings`` of the text.

    Normalised like the text; French function words dropped; an Arabic article chain removed
    ("للتنمية" → "تنميه", "الرشيدية" → "رشيديه"); French plurals folded. A trailing "*" marks a word
    that matches any word starting with it ("تعاوني*" matches تعاونية، التعاونيات، تعاونيتين).
    """
    words: list[str] = []
    for raw in phrase.split():
        wildcard = raw.endswith("*")
        normalised = normalize_for_matching(raw.rstrip("*"))
        parts = WORD.findall(normalised)
        for index, part in enumerate(parts):
            if part in SKIP_WORDS:
                continue
            stem = part
            if is_arabic(part):
                for chain in reversed(_ARTICLE_CHAINS):
                    if part.startswith(chain) and len(part) - len(chain) >= 2:
                        stem = part[len(chain) :]
                        break
            elif not (wildcard and index == len(parts) - 1):
                stem = _strip_plural(part)
            words.append(stem + "*" if wildcard and index == len(parts) - 1 else stem)
    return words


def article_flags(phrase: str) -> tuple[bool | None, ...]:
    """For each of ``pattern_words(phrase)``: was the Arabic word written with the article (None: Latin).

    The gazetteer uses it because an Arabic place name keeps its article or its lack of one: "الجديدة" is
    El Jadida but "جديدة" is only "new"; "بركان" is Berkane but "البركان" is "the volcano".
    """
    flags: list[bool | None] = []
    for raw in phrase.split():
        for part in WORD.findall(normalize_for_matching(raw.rstrip("*"))):
            if part in SKIP_WORDS:
                continue
            if not is_arabic(part):
                flags.append(None)
                continue
            flags.append(any(part.startswith(c) and len(part) - len(c) >= 2 for c in _ARTICLE_CHAINS))
    return tuple(flags)


def has_article(prefix: str) -> bool:
    """Whether a clitic prefix found by ``readings`` includes the article ("ال", "بال", "لل", "وال" …)."""
    return prefix.endswith((ARTICLE, "لل"))


# An article chain opening a word and leaving three letters or more, in words joined by NUL (never in a word),
# with a NUL put before the first word too: the expression starts with a literal, so the regex engine skips from
# one NUL to the next at C speed instead of trying every position. Longest first: "وال" before "و…" would be tried.
_ARTICLE_OPENING = re.compile("\x00(?:" + "|".join(sorted(_ARTICLE_CHAINS, key=len, reverse=True)) + ")(?=[^\x00]{3})")


def similarity_stems(words: list[str]) -> list[str]:
    """Each normalised word as the similarity text holds it: without an article chain, "" for stopwords and
    numbers. One regular-expression pass over all the words (a story's new words come together), not a
    call per word."""
    if not words:
        return []
    stripped = _ARTICLE_OPENING.sub("\x00", "\x00" + "\x00".join(words))[1:].split("\x00")
    stopwords = SIMILARITY_STOPWORDS
    return ["" if word in stopwords or word.isdigit() else stem for word, stem in zip(words, stripped, strict=True)]


def split_normalised(raw_token: str) -> list[str]:
    """One raw token → its normalised words (usually one; "الرشيدية24" gives two, "ـــ" none)."""
    return WORD.findall(normalize_for_matching(raw_token))


_SEPARATOR = "\x00"  # survives normalisation unchanged, never inside a raw token, never combines (NFKC starter)


def split_normalised_many(raw_tokens: list[str]) -> list[list[str]]:
    """``split_normalised`` of many tokens with a single call of the normaliser (its per-call cost is
    what dominates for short strings); identical results, since normalisation is character-local."""
    pieces = normalize_for_matching(_SEPARATOR.join(raw_tokens)).split(_SEPARATOR)
    if len(pieces) != len(raw_tokens):  # cannot happen with the current normaliser; stay correct anyway
        return [split_normalised(raw) for raw in raw_tokens]
    # a piece of letters only (most) is one word: what WORD.findall would give, without the regex call
    return [[piece] if piece.isalpha() else WORD.findall(piece) for piece in pieces]


# A line of related headlines left in a story's text by extraction ("اقرأ أيضا: …", "Lire aussi : …", ">> Voir aussi
# …"): another story's title, which must count for nothing in this one's score and regions. A bare marker line takes
# the headline on the line after it with it. Matched on the raw text (hamza, tanwin and accents as sites write them),
# at each line's start: a ``re.MULTILINE`` substitution over the whole text tried every position (20 µs a story, 3 %
# of an unseen story's classification), the lines matched one by one cost a third of that.
RELATED_LINE = re.compile(
    r"[^\w\n]*(?:"
    r"(?:[إأا]قر[أا](?:وا)?|طالع(?:وا)?|شاهد(?:وا)?)\s+(?:[أا]يض(?:اً|ًا|ا)|كذلك)"
    r"|(?:[àa]\s+)?(?:lire|voir|lisez)\s+(?:aussi|[ée]galement)"
    r"|read\s+(?:also|more)"
    r")(?:\W*$|\b)",
    re.IGNORECASE,
)


def without_related_lines(text: str) -> str:
    """``text`` without its related-headline lines (``RELATED_LINE``), and the headline after a bare marker."""
    match = RELATED_LINE.match
    kept: list[str] = []
    headline_next = cut = False
    for line in text.split("\n"):
        if headline_next:
            headline_next = False
            continue
        found = match(line)
        if found is None:
            kept.append(line)
            continue
        cut = True
        headline_next = found.end() == len(line)  # the marker alone: its headline is the next line
    return "\n".join(kept) if cut else text
