"""The SSE lexicon (``config/lexicon.toml``): weighted terms, hard negatives and the scoring settings.

The file is edited by people who know the field, not the code, so it holds everything a domain change
needs (terms, weights, negatives, the threshold) and is validated with errors that name the file and the
key, e.g. ``config/lexicon.toml: terms[3].weight: expected a number``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.classify.text import pattern_words
from rasd.config import ConfigError, read_toml


@dataclass(frozen=True)
class TermGroup:
    """Terms of one kind sharing a weight (positive) or a penalty (negative)."""

    kind: str
    weight: float
    phrases: tuple[str, ...]
    negative: bool = False
    # What a reader is told the story is about when it matches (the digest's "why"); an English phrase
    # that the digest's gettext catalogs translate (msgctxt "topic"). Empty for negatives.
    topic: str = ""
    # A supporting group (INDH, products, microfinance, fairs …) is common outside the field too: it counts
    # fully only when the story also names the field itself (a core group), else ``support_factor`` of it.
    support: bool = False
    # An anchoring group (a cooperative's officers and members) shows what the story is about wherever it
    # stands: once is enough for the supporting groups to count fully, as a core term in the lead would.
    anchor: bool = False
    # Kinds of negative groups next to which this group only supports, as if ``support`` were set: the INDH's
    # income programme named in a story about the football field or the road it paid for.
    unless: tuple[str, ...] = ()
    # Kinds of positive groups that, matched in the same story, make this one anchor it (when no ``unless``
    # negative matched): the INDH's funding beside the livelihood it gave its beneficiaries is an income
    # project, either alone is ordinary news (the INDH's roads; a farmer's lost harvest).
    core_with: tuple[str, ...] = ()
    # Kinds of groups whose later mentions take this group's kind: a cooperative first named as a housing one
    # ("تعاونية سكنية") is the story's "التعاونية" from then on, its members and president too; first named as
    # a women's or producers' cooperative, the bare mentions after it stay what they are.
    governs: tuple[str, ...] = ()
    # Found with this many different phrases, the group anchors the story as ``anchor`` does: what the women
    # earn told three ways (a monthly wage, a stable income, the takings paying them) is what the story is about.
    anchor_distinct: int = 0
    # A group naming an SSE project of its own (a women's cooperative, an income project): in a clause that names
    # none of a ``local`` negative's works (a sentence's, cut at commas, ; and : too), that negative does not stop it
    # (a tour's women's cooperative, told apart from its roads). A bare "التعاونيات" beside a tour's works stays
    # stopped: the cooperatives attending, the road that will help them. A number N (``own_sentence = 2``) asks for N
    # sentences telling it: a bare "la coopérative" visited on a tour has sentences of its own (its unit, its
    # equipment, its output), while "la route facilitera la commercialisation des dattes des coopératives" is one.
    own_sentence: int = 0
    # Told apart only where it names one cooperative ("la coopérative Tifaout", "تعاونية الأمل"): the cooperatives of a
    # ceremony's exhibition, the road's future users or those offering snacks at a field's opening are many
    # ("les coopératives", "des coopératives", "التعاونيات"), and their products beside them tell no project.
    singular: bool = False
    # Counted every time it is named ("dont 120 projets générateurs de revenus", "64 مشروعا مدرا للدخل"), the group is
    # an item of a tally (an INDH anniversary's balance sheet): it only supports and anchors nothing.
    counted: bool = False
    # A negative group of news events (an accident, a trial, an arrest): it stops the groups naming it in
    # ``unless`` only when it frames the story, named in the title or in ``frame_repeats`` sentences; said once, late,
    # it is what befell a cooperative whose story is its production (it was robbed, it went to court).
    event: bool = False
    # A negative group of works listed in a tour (a road, drinking water, a pre-school): it stops the ``own_sentence``
    # groups naming it in ``unless`` only in the clauses where it is named; a women's cooperative or an income
    # project told in a clause of its own is the tour's SSE item, not one of its roads. A number N (``local = 2``) asks
    # for N sentences telling the project apart from it: an INDH anniversary's ceremony, at which a cooperative visited
    # in a clause is merely present, and one whose olive press, its cost and its members' oil get sentences is not.
    local: int = 0
    # A place where cooperatives sell (a shop, a showroom, a sales space): the city the title names before any SSE word
    # ("محل بالدار البيضاء لتسويق منتوجات تعاونيات سوس ماسة", "Casablanca : un showroom pour les coopératives de
    # l'Oriental") is where the story happens, its first region, before the regions its products come from.
    venue: bool = False
    # Its ``core_with`` partners must stand in one of its own sentences: words of doing something together ("en
    # commun", "groupement", "فيما بينهن") say a producers' group only where they are said of the product or its unit
    # ("ils vendent leur miel en commun"), not anywhere in a story that also names honey.
    core_in_sentence: bool = False
    # The topic the group's words are of when none of its ``core_with`` partners is found: a women's association
    # is one of the field's actors (the SSE's topic); beside what its members earn it is an income project, its
    # ``topic`` (INDH and income-generating projects). Empty: ``topic`` always.
    topic_alone: str = ""
    # A negative group of another country's cooperatives: a mention of one of these positive kinds with a place of
    # ``[abroad]`` right after it ("تعاونيات ألميريا", "coopératives d'Andalousie", "cooperatives in the province of
    # Huelva": the place, or a place word then the place) is this negative, whatever else the story names (Morocco,
    # where the seasonal workers come from). A Moroccan cooperative that exports to France names France further on.
    abroad: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoringSettings:
    """How matches become a score; the defaults are the shipped file's values, documented there."""

    threshold: float = 0.5
    title_boost: float = 2.0
    lead_boost: float = 1.5
    lead_tokens: int = 50
    tail_floor: float = 0.6
    isolated_factor: float = 0.5
    evidence_scale: float = 3.0
    lexicon_weight: float = 0.75
    support_factor: float = 0.25
    frame_repeats: int = 2


@dataclass(frozen=True)
class SimilaritySettings:
    """Seed similarity: character n-grams of the normalised text, cosine to the closest seed."""

    weight: float = 0.25
    ngram_min: int = 5
    ngram_max: int = 5
    floor: float = 0.10
    ceiling: float = 0.30


@dataclass(frozen=True)
class Lexicon:
    """Everything ``config/lexicon.toml`` holds."""

    scoring: ScoringSettings
    similarity: SimilaritySettings
    groups: tuple[TermGroup, ...] = field(default_factory=tuple)


def _number(where: str, value: Any, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{where}: must be at least {minimum}, got {value!r}")
    return float(value)


def _section(path: Path, data: dict[str, Any], name: str, defaults: Any) -> dict[str, Any]:
    """Read one settings table, refusing unknown keys (a typo must not silently keep the default)."""
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{name}]: expected a table")
    known = set(defaults.__dataclass_fields__)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: {name}.{key}: unknown setting (known: {', '.join(sorted(known))})")
        number = _number(f"{path}: {name}.{key}", value, 0.0)
        values[key] = int(number) if isinstance(getattr(defaults, key), int) else number
    return values


def _kinds(where: str, value: Any, which: str) -> tuple[str, ...]:
    """``unless`` or ``core_with``: a list of other groups' kinds (checked against them once all are read)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of {which} groups' kinds")
    return tuple(value)


def _groups(path: Path, data: dict[str, Any], table: str, negative: bool) -> list[TermGroup]:
    raw = data.get(table, [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: {table}: expected an array of tables ([[{table}]])")
    amount = "penalty" if negative else "weight"
    groups = []
    for index, item in enumerate(raw):
        where = f"{path}: {table}[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a table")
        positive_keys = {
            "support",
            "anchor",
            "unless",
            "core_with",
            "anchor_distinct",
            "own_sentence",
            "counted",
            "singular",
            "venue",
            "core_in_sentence",
            "topic_alone",
        }
        allowed = {"kind", amount, "ar", "fr", "note", "topic", "governs"} | (
            {"event", "local", "abroad"} if negative else positive_keys
        )
        unknown = set(item) - allowed
        if unknown:
            raise ConfigError(f"{where}.{sorted(unknown)[0]}: unknown key (expected {', '.join(sorted(allowed))})")
        support, anchor, event = item.get("support", False), item.get("anchor", False), item.get("event", False)
        local, counted, own = item.get("local", False), item.get("counted", False), item.get("own_sentence", False)
        singular, venue = item.get("singular", False), item.get("venue", False)
        in_sentence = item.get("core_in_sentence", False)
        flags = (
            ("support", support),
            ("anchor", anchor),
            ("event", event),
            ("local", local),
            ("counted", counted),
            ("own_sentence", own),
            ("singular", singular),
            ("venue", venue),
            ("core_in_sentence", in_sentence),
        )
        for key, flag in flags:
            counts = key in ("own_sentence", "local") and isinstance(flag, int) and flag > 0  # N sentences
            if not isinstance(flag, bool) and not counts:
                also = " or a number of sentences" if key in ("own_sentence", "local") else ""
                raise ConfigError(f"{where}.{key}: expected true or false{also}, got {flag!r}")
        if amount not in item:
            raise ConfigError(f"{where}.{amount}: missing")
        weight = _number(f"{where}.{amount}", item[amount], 0.0)
        phrases: list[str] = []
        for lang in ("ar", "fr"):
            values = item.get(lang, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise ConfigError(f"{where}.{lang}: expected a list of non-empty strings")
            phrases.extend(v.strip() for v in values)
        if not phrases:
            raise ConfigError(f"{where}: no phrases (give ar = [...] and/or fr = [...])")
        for phrase in phrases:
            if not pattern_words(phrase):
                raise ConfigError(f"{where}: {phrase!r} has no word left to match (only function words)")
        kind = str(item.get("kind", table))
        topic = "" if negative else str(item.get("topic", kind)).strip()
        unless = _kinds(f"{where}.unless", item.get("unless", []), "negative")
        core_with = _kinds(f"{where}.core_with", item.get("core_with", []), "positive")
        alone = str(item.get("topic_alone", "")).strip()
        if alone and not core_with:
            raise ConfigError(f"{where}.topic_alone: only with core_with (the topic without its partners)")
        governs = _kinds(f"{where}.governs", item.get("governs", []), "positive")
        abroad = _kinds(f"{where}.abroad", item.get("abroad", []), "positive")
        distinct = item.get("anchor_distinct", 0)
        if isinstance(distinct, bool) or not isinstance(distinct, int) or distinct < 0:
            raise ConfigError(f"{where}.anchor_distinct: expected a whole number of phrases, got {distinct!r}")
        groups.append(
            TermGroup(
                kind,
                weight,
                tuple(phrases),
                negative,
                topic,
                support,
                anchor,
                unless,
                core_with,
                governs,
                distinct,
                int(own),
                singular,
                counted,
                event,
                int(local),
                venue,
                in_sentence,
                alone,
                abroad,
            )
        )
    return groups


def load_lexicon(path: Path) -> Lexicon:
    """Parse and validate ``lexicon.toml``."""
    data = read_toml(path)
    unknown = set(data) - {"classifier", "similarity", "terms", "negatives"}
    if unknown:
        raise ConfigError(f"{path}: {sorted(unknown)[0]}: unknown section")
    scoring = ScoringSettings(**_section(path, data, "classifier", ScoringSettings()))
    similarity = SimilaritySettings(**_section(path, data, "similarity", SimilaritySettings()))
    if not 1 <= similarity.ngram_min <= similarity.ngram_max <= 12:
        raise ConfigError(f"{path}: similarity.ngram_min/ngram_max: need 1 <= ngram_min <= ngram_max <= 12")
    if similarity.ceiling <= similarity.floor:
        raise ConfigError(f"{path}: similarity.ceiling: must be greater than similarity.floor")
    if scoring.evidence_scale <= 0:
        raise ConfigError(f"{path}: classifier.evidence_scale: must be positive")
    groups = _groups(path, data, "terms", False) + _groups(path, data, "negatives", True)
    if not any(not g.negative and not g.support for g in groups):
        raise ConfigError(f"{path}: terms: the lexicon has no positive terms that are not support = true")
    negative_kinds = {g.kind for g in groups if g.negative}
    positive_kinds = {g.kind for g in groups if not g.negative}
    for group in groups:
        for kind in group.unless:
            if kind not in negative_kinds:
                raise ConfigError(f"{path}: terms: {group.kind}: unless: no negative group of kind {kind!r}")
        for kind in group.core_with:
            if kind not in positive_kinds:
                raise ConfigError(f"{path}: terms: {group.kind}: core_with: no positive group of kind {kind!r}")
        for kind in group.governs:
            if kind not in positive_kinds:
                raise ConfigError(f"{path}: {group.kind}: governs: no positive group of kind {kind!r}")
        if group.topic_alone and group.topic_alone not in {g.topic for g in groups if not g.negative}:
            raise ConfigError(f"{path}: terms: {group.kind}: topic_alone: no group has the topic {group.topic_alone!r}")
        for kind in group.abroad:
            if kind not in positive_kinds:
                raise ConfigError(f"{path}: {group.kind}: abroad: no positive group of kind {kind!r}")
    return Lexicon(scoring, similarity, tuple(groups))


def read_threshold(path: Path) -> float:
    """Just ``[classifier] threshold`` (for ``DEFAULT_THRESHOLD``), without building the whole lexicon."""
    return load_lexicon(path).scoring.threshold
