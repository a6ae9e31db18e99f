"""The regions gazetteer (``config/regions.toml``) and how a story's place mentions become region codes.

A story is *about* the regions it keeps coming back to, especially in its title and lead: a wire story
from Tiznit that names four other regions once in a list is a Souss-Massa story. So every mention is
weighted by where it stands (the same position factor as SSE terms), summed per region, and a region is
kept only if it scores at least ``ratio`` times the leading one.

An Arabic name matches only with its article as written ("الجديدة" = El Jadida, "جديدة" = new; "بركان" =
Berkane, "البركان" = the volcano); clitics in front are free ("بالجديدة", "لتيزنيت").

Names that are also ordinary words ("الداخلة" the incoming, "الجديدة" the new, "العيون" the eyes, French
"sale") are listed as ``ambiguous``: they count only with a cue — a preposition glued to them ("بالداخلة"),
a place word before them ("إقليم الجديدة", "région de l'Oriental", "à Salé") — or when the same region is
also named unambiguously elsewhere in the story.

A place a story names without being about it counts ``away_factor`` of its weight: a wire's dateline
("الرباط (و م ع) -", "Casablanca, 14 mai (MAP) –"), a fair's host city ("au Salon de l'artisanat d'Agadir",
"المعرض الجهوي بطنجة"), the cities where the products are sold ("les épiceries de Casablanca"), a person's
origin ("ابنة مدينة فاس", "originaire de Casablanca"): ``[away]`` in regions.toml lists the words after
which (within ``away_window`` words) a place is such a place. Alone, it still gives the story its region.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.classify.matcher import Match, WordIds
from rasd.classify.text import RAW_TOKEN, article_flags, has_article, pattern_words
from rasd.config import ConfigError, read_toml
from rasd.extract.normalize import normalize_for_matching

REGION_CODES = tuple(f"MA-{n:02d}" for n in range(1, 13))
# A dateline: a few words at the very start of the body, an agency's name in brackets perhaps, then a dash
# or a colon ("الرباط (و م ع) - ", "RABAT, 14 mai (MAP) – ", "Agadir : ").
DATELINE = re.compile(r"\s*(\S[^\n.!?؟]{0,60}?)(?:\s+[-–—ـ]+|\s*:)\s")


@dataclass(frozen=True, slots=True)
class Place:
    """One spelling of a place: the label shown in reasons, the region(s) it lies in, how much it counts."""

    label: str
    codes: tuple[str, ...]
    weight: float
    ambiguous: bool
    articles: tuple[bool | None, ...] = ()  # per word: Arabic written with ال (True), without (False), Latin
    # A pre-2015 region's name: it straddles today's regions, so beside a place it only backs that place's
    # region ("Ouarzazate, dans l'ancienne région de Souss-Massa-Drâa" is Drâa-Tafilalet alone).
    old: bool = False
    # One of today's region's own names ("درعة تافيلالت", "Souss-Massa"): said with one of its places or in the title,
    # the region is one the story covers (see ``named_ratio``).
    region_name: bool = False


@dataclass(frozen=True)
class RegionSettings:
    """Selection rules, from ``[selection]``."""

    ratio: float = 0.5
    max_regions: int = 3
    region_name_weight: float = 1.5
    place_weight: float = 1.0
    actor_boost: float = 2.0  # a place within actor_window words after an SSE term ("coopératives de Zagora")
    actor_window: int = 3
    away_factor: float = 0.25  # a dateline, a fair's host city, a market, a person's origin (see ``[away]``)
    away_window: int = 4
    # A region named as one the story covers — its own name in the title, or beside one of its places, neither an
    # ``[away]`` mention — is kept at this share of the leading region's score (a programme's partner region)
    named_ratio: float = 0.2


@dataclass(frozen=True)
class CommuneSettings:
    """``[communes]``: whether the national list of communes is used, the words after which one of its
    names is a place (phrases, as written), and the names set aside (pattern words)."""

    enabled: bool
    cues: tuple[str, ...] = ()
    ignored: frozenset[tuple[str, ...]] = frozenset()


@dataclass(frozen=True)
class Gazetteer:
    """All spellings, keyed by their pattern words, plus the cue words that make an ambiguous name a place."""

    settings: RegionSettings
    places: dict[tuple[str, ...], Place]
    cues: frozenset[str]
    latin_cue_function_words: frozenset[str]
    names: dict[str, tuple[str, str]]  # code → (French name, Arabic name)
    # Products grown or made in one region only (argan oil, saffron, Damask roses): the region of a story
    # that names no Moroccan place at all ("les coopératives d'argan du sud du Maroc"), and only then.
    products: dict[tuple[str, ...], Place] = field(default_factory=dict)
    communes: CommuneSettings = field(default_factory=lambda: CommuneSettings(False))
    away: tuple[str, ...] = ()  # phrases after which a place is one the story is not about
    # Morocco and its people ("المغرب", "marocaines"): a story naming neither them nor a Moroccan place is set abroad
    morocco: tuple[str, ...] = ()
    # other countries, their people, their regions (``[abroad]``): named without a Moroccan actor, the story is abroad
    abroad: tuple[str, ...] = ()
    # Ambiguous names that a separate Arabic preposition before them confirms ("في الداخلة"): as ordinary words
    # they follow a noun ("المواد الداخلة في صناعته"), never "في" (``[cues] after_preposition``), and the
    # prepositions themselves, normalised like the text's words.
    after_preposition: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    # a weekly market's day opening a town's name ("Had Draa"): the place named right after it is not that place
    market_days: frozenset[str] = frozenset()


def _strings(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def load_gazetteer(path: Path) -> Gazetteer:
    """Parse and validate ``regions.toml``; a name listed under two regions counts half for each."""
    data = read_toml(path)
    unknown = set(data) - {"selection", "cues", "region", "communes", "away", "morocco", "abroad"}
    if unknown:
        raise ConfigError(f"{path}: {sorted(unknown)[0]}: unknown section")
    raw_selection = data.get("selection", {})
    if not isinstance(raw_selection, dict):
        raise ConfigError(f"{path}: [selection]: expected a table")
    defaults = RegionSettings()
    values: dict[str, Any] = {}
    for key, value in raw_selection.items():
        if key not in defaults.__dataclass_fields__:
            raise ConfigError(f"{path}: selection.{key}: unknown setting")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{path}: selection.{key}: expected a non-negative number")
        values[key] = int(value) if isinstance(getattr(defaults, key), int) else float(value)
    settings = RegionSettings(**values)

    raw_cues = data.get("cues", {})
    if not isinstance(raw_cues, dict):
        raise ConfigError(f"{path}: [cues]: expected a table")
    cue_words: set[str] = set()
    for lang in ("ar", "fr"):
        for phrase in _strings(f"{path}: cues.{lang}", raw_cues.get(lang, [])):
            cue_words.update(pattern_words(phrase))
    function_words = frozenset(
        w.lower() for w in _strings(f"{path}: cues.fr_function_words", raw_cues.get("fr_function_words", []))
    )

    regions = data.get("region")
    if not isinstance(regions, list):
        raise ConfigError(f"{path}: region: expected [[region]] tables")
    codes: dict[tuple[str, ...], list[str]] = defaultdict(list)
    labels: dict[tuple[str, ...], str] = {}
    articles: dict[tuple[str, ...], tuple[bool | None, ...]] = {}
    weights: dict[tuple[str, ...], float] = {}
    ambiguous: set[tuple[str, ...]] = set()
    old: set[tuple[str, ...]] = set()
    current: set[tuple[str, ...]] = set()  # every other name, which an old one must not overshadow
    region_names: set[tuple[str, ...]] = set()  # today's regions' own names
    names: dict[str, tuple[str, str]] = {}
    products: dict[tuple[str, ...], Place] = {}
    for index, region in enumerate(regions):
        where = f"{path}: region[{index}]"
        if not isinstance(region, dict):
            raise ConfigError(f"{where}: expected a table")
        unknown = set(region) - {"code", "name_fr", "name_ar", "names", "old_names", "places", "ambiguous", "products"}
        if unknown:
            raise ConfigError(f"{where}.{sorted(unknown)[0]}: unknown key")
        code = region.get("code")
        if code not in REGION_CODES:
            raise ConfigError(f"{where}.code: not an ISO 3166-2:MA region code (MA-01 … MA-12): {code!r}")
        if code in names:
            raise ConfigError(f"{where}.code: {code} is listed twice")
        names[code] = (str(region.get("name_fr", code)), str(region.get("name_ar", code)))
        for key, weight in (
            ("names", settings.region_name_weight),
            ("old_names", settings.region_name_weight),
            ("places", settings.place_weight),
            ("ambiguous", settings.place_weight),
        ):
            for spelling in _strings(f"{where}.{key}", region.get(key, [])):
                words = tuple(pattern_words(spelling))
                if not words:
                    raise ConfigError(f"{where}.{key}: {spelling!r} has no letters")
                if code not in codes[words]:
                    codes[words].append(code)
                labels.setdefault(words, spelling)
                articles[words] = either_article(articles.get(words), article_flags(spelling))
                weights[words] = max(weights.get(words, 0.0), weight)
                if key == "ambiguous":
                    ambiguous.add(words)
                if key == "names":
                    region_names.add(words)
                (old if key == "old_names" else current).add(words)
        for spelling in _strings(f"{where}.products", region.get("products", [])):
            words = tuple(pattern_words(spelling))
            if not words:
                raise ConfigError(f"{where}.products: {spelling!r} has no letters")
            first = products.get(words)
            if first is None:
                products[words] = Place(spelling, (code,), settings.place_weight, False, article_flags(spelling))
            elif code not in first.codes:
                products[words] = Place(first.label, (*first.codes, code), first.weight, False, first.articles)
    missing = [c for c in REGION_CODES if c not in names]
    if missing:
        raise ConfigError(f"{path}: region: no entry for {', '.join(missing)}")
    places = {
        words: Place(
            labels[words],
            tuple(found),
            weights[words],
            words in ambiguous,
            articles[words],
            words in old and words not in current,
            words in region_names,
        )
        for words, found in codes.items()
    }
    communes = _commune_settings(path, data.get("communes", {}))
    raw_away = data.get("away", {})
    if not isinstance(raw_away, dict):
        raise ConfigError(f"{path}: [away]: expected a table")
    away = tuple(phrase for lang in ("ar", "fr") for phrase in _strings(f"{path}: away.{lang}", raw_away.get(lang, [])))
    raw_morocco = data.get("morocco", {})
    if not isinstance(raw_morocco, dict):
        raise ConfigError(f"{path}: [morocco]: expected a table")
    morocco = tuple(
        phrase for lang in ("ar", "fr") for phrase in _strings(f"{path}: morocco.{lang}", raw_morocco.get(lang, []))
    )
    raw_abroad = data.get("abroad", {})
    if not isinstance(raw_abroad, dict):
        raise ConfigError(f"{path}: [abroad]: expected a table")
    abroad = tuple(
        phrase for lang in ("ar", "fr") for phrase in _strings(f"{path}: abroad.{lang}", raw_abroad.get(lang, []))
    )
    after_preposition = frozenset(_strings(f"{path}: cues.after_preposition", raw_cues.get("after_preposition", [])))
    listed_ambiguous = {place.label for place in places.values() if place.ambiguous}
    unlisted = sorted(after_preposition - listed_ambiguous)
    if unlisted:
        raise ConfigError(f"{path}: cues.after_preposition: {unlisted[0]!r} is not an ambiguous name of any region")
    listed_prepositions = _strings(f"{path}: cues.prepositions", raw_cues.get("prepositions", []))
    prepositions = frozenset(normalize_for_matching(word) for word in listed_prepositions)
    listed_days = _strings(f"{path}: cues.market_days", raw_cues.get("market_days", []))
    market_days = frozenset(normalize_for_matching(word) for word in listed_days)
    return Gazetteer(
        settings,
        places,
        frozenset(cue_words),
        function_words,
        names,
        products,
        communes,
        away,
        morocco,
        abroad,
        after_preposition,
        prepositions,
        market_days,
    )


def either_article(listed: tuple[bool | None, ...] | None, flags: tuple[bool | None, ...]) -> tuple[bool | None, ...]:
    """A name's article flags over every spelling of it listed: a word the gazetteer writes both with and
    without the article ("طنطان" and "الطنطان") matches either way (None); one spelling alone keeps its own."""
    if listed is None:
        return flags
    return tuple(a if a == b else None for a, b in zip(listed, flags, strict=True))


def dateline_tokens(text: str) -> int:
    """How many raw tokens a body's dateline holds ("الرباط (و م ع) -": 4), 0 without one."""
    found = DATELINE.match(text)
    if found is None:
        return 0
    return len(RAW_TOKEN.findall(found.group(1)))


def _commune_settings(path: Path, raw: Any) -> CommuneSettings:
    """``[communes]``: ``enabled`` (true), ``cues``, ``ignore`` (see ``classify.communes``)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [communes]: expected a table")
    unknown = set(raw) - {"enabled", "cues", "ignore"}
    if unknown:
        raise ConfigError(f"{path}: communes.{sorted(unknown)[0]}: unknown setting")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{path}: communes.enabled: expected true or false")
    cues = tuple(_strings(f"{path}: communes.cues", raw.get("cues", [])))
    ignored = frozenset(tuple(pattern_words(n)) for n in _strings(f"{path}: communes.ignore", raw.get("ignore", [])))
    return CommuneSettings(enabled and bool(cues), cues, ignored)


def articles_agree(place: Place, match: Match[Any], ids: Sequence[WordIds]) -> bool:
    """Each Arabic word of the name has the article in the text exactly when the name is written with it
    (``ids``: the readings of the stream's words, as the matcher found them)."""
    for offset, (wanted, word_id) in enumerate(zip(place.articles, match.phrase.words, strict=False)):
        if wanted is None:
            continue
        prefix = next((p for w, p in ids[match.start + offset] if w == word_id), "")
        if has_article(prefix) != wanted:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Mention:
    """One place match in a story, as the region scorer sees it."""

    place: Place
    factor: float  # position factor: title > lead > body, decaying towards the end
    confirmed: bool  # unambiguous, or an ambiguous name with a cue
    boost: float = 1.0  # actor_boost when the place follows an SSE term ("coopératives de Zagora")
    elsewhere: bool = False  # after an ``[away]`` word or the dateline: named, but not what the story is about
    titled: bool = False  # in the title
    venue: bool = False  # the city of the shop or sales space the title names first: the story's first region


def with_old_names(places: list[Match[Any]], old: list[Match[Any]]) -> list[Match[Any]]:
    """Today's places and the pre-2015 region names (matched apart), as one list in text order. An old name
    holds the names of today inside it ("Souss-Massa-Drâa": not Souss-Massa and Drâa as well) unless one of
    them runs past its edge: "Souss-Massa, Drâa-Tafilalet", "سوس ماسة ودرعة تافيلالت" list two regions of today
    (the comma and the "و" are not in the words), and the old name read across them is set aside."""
    if not old:
        return places
    kept = [
        name
        for name in old
        if not any(
            p.start < name.end and name.start < p.end and not name.start <= p.start < p.end <= name.end for p in places
        )
    ]
    if not kept:
        return places
    today = [p for p in places if not any(name.start <= p.start and p.end <= name.end for name in kept)]
    return sorted(today + kept, key=lambda m: m.start)


def choose_regions(
    mentions: Sequence[Mention], settings: RegionSettings
) -> tuple[list[str], dict[str, float], dict[str, Counter[str]]]:
    """Region codes the story is about (best first), their scores, and which names supported each."""
    scores: dict[str, float] = defaultdict(float)
    ranks: dict[str, float] = defaultdict(float)  # scores with the actor boost: they order the regions
    supported: dict[str, Counter[str]] = defaultdict(Counter)
    confirmed_codes = {code for m in mentions if m.confirmed for code in m.place.codes}
    # today's names and places that count; an old region's name then backs only their regions
    today = {code for m in mentions if not m.place.old and m.confirmed for code in m.place.codes}
    for mention in mentions:
        place = mention.place
        if not mention.confirmed and not any(code in confirmed_codes for code in place.codes):
            continue
        codes = [code for code in place.codes if code in today] if place.old and today else place.codes
        if not codes:
            continue
        share = place.weight * mention.factor / len(place.codes)
        for code in codes:
            scores[code] += share
            ranks[code] += share * mention.boost
            supported[code][place.label] += 1
    if not scores:
        return [], {}, {}
    # Which regions: those named nearly as much as the most named one. In which order: the boost puts the
    # cooperatives' own place before the fair's city or the dateline, without dropping either.
    top = max(scores.values())
    # A region the story names as one it covers (a programme's partner region, its second phase): its own name in
    # the title, or anywhere beside one of its places ("la région partenaire de Drâa-Tafilalet : 40 coopératives des
    # provinces d'Ouarzazate et de Zagora"), neither a visitor's, a buyer's or a fair's (``elsewhere``): the
    # delegation "de l'Oriental, venue d'Oujda" is not the Oriental's story.
    places = {code for m in mentions if not m.elsewhere and not m.place.region_name for code in m.place.codes}
    named = {
        code
        for m in mentions
        if m.place.region_name and m.confirmed
        for code in m.place.codes
        if (m.titled and not m.elsewhere) or code in places
    }
    # a shop's or a sales space's city named first in the title is where the story happens: kept, and first
    venue = {code for m in mentions if m.venue for code in m.place.codes}
    kept = [
        c for c in scores if c in venue or scores[c] >= (settings.named_ratio if c in named else settings.ratio) * top
    ]
    chosen = sorted(kept, key=lambda c: (c not in venue, -ranks[c], -scores[c], c))[: max(1, settings.max_regions)]
    return chosen, dict(scores), dict(supported)
