"""`rasd explain`: the digest's plain-words "why" first, then the score taken apart on one scale.

Every row of the table is in points of the final score (the number compared with the threshold), and the
rows add up to it. The lexicon's evidence saturates (``lexicon_weight × (1 − e^(−evidence/scale))``), so a
part's points are what it adds to the score given the rows above it: vocabulary, then its placement, then
the single-late-mention discount, then the negatives. A negative phrase with penalty 0 (a ministry's title)
is listed apart, as setting words aside, never as a row that cost something.

Every line is in one language, the reader's (the digest's catalogs: a reader who gets Arabic digests asks
in Arabic), evidence and the readers' verdicts included: a story a reader marked not SSE says so first,
with who and when, and that no digest carries it. A story the classifier did not flag is headed as not
retained, and says what it lacked: any SSE vocabulary, or the points below the threshold. A story scored just
under the threshold also says what the trained second opinion gave it and whether that retained it. The lines
are for a terminal, which applies no bidi algorithm and shows isolation marks as stray characters, so nothing
is wrapped in FSI/PDI here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, tzinfo

from babel.numbers import format_percent

from rasd.alerts import i18n
from rasd.alerts.copies import copies_lines
from rasd.alerts.why import as_told, explain, region_name
from rasd.classify import P_HIGH, Classifier, Evidence, second_opinion
from rasd.storage import Label, StoredStory, readable_url


def _(message: str) -> str:
    """Marks a message for extraction (`make catalogs`); it is translated where it is used."""
    return message


_ROWS = (
    ("terms", _("SSE vocabulary")),
    ("position", _("placement (title, lead)")),
    ("isolation", _("single late mention")),
    ("negatives", _("negative terms")),
)  # then resemblance to a reference story, and to a story readers rejected (rasd label)


def explanation(
    story: StoredStory,
    classifier: Classifier,
    language: str = i18n.SOURCE_LANGUAGE,
    history: Sequence[Label] = (),
    zone: tzinfo = UTC,
) -> list[str]:
    """The lines `rasd explain` prints for a stored story, in ``language``; ``history``: the readers'
    verdicts on it, oldest first (the newest one counts); times in ``zone``, the digests'."""
    catalog = i18n.translations(language)
    gettext: Callable[[str], str] = catalog.gettext
    result = classifier.classify(story.title, story.text, story.lang)
    evidence = as_told(result.evidence, classifier.lexicon.similarity)
    parts = story.parts if "terms" in story.parts else result.parts
    threshold = classifier.threshold
    verdict = gettext("SSE story") if story.sse else gettext("not an SSE story")
    if not story.sse and story.score >= threshold:  # above the threshold, yet a near copy of a rejected story
        verdict = gettext("not an SSE story (nearly the same text as a story a reader marked not SSE)")
    sign = "≥" if story.score >= threshold else "<"
    scored = gettext("Classifier: %(verdict)s, score %(score)s %(sign)s threshold %(threshold)s") % {
        "verdict": verdict,
        "score": i18n.decimal(story.score, language),
        "sign": sign,
        "threshold": i18n.decimal(threshold, language),
    }
    template = i18n.environment(language, isolating=False).get_template("why.txt.j2")
    told = replace(explain(evidence, story.regions, language), narrowly=False)  # said above, with its figure
    why = template.render(story={"why": told}, missed=not story.sse)
    lines = [story.title, readable_url(story.url), *_at_a_glance(story, zone, language)]
    lines += [scored, *_second_opinion(result.evidence, f"{story.title}\n{story.text}", language)]
    lines += [*verdict_lines(history, language, zone), ""]
    lines += [line for line in why.rstrip("\n").splitlines() if line.strip()]
    if story.score < threshold and not result.evidence.retained_narrowly:
        lines.append("  - " + _missing(evidence, threshold - story.score, threshold, language))
    table, cost = _score_table(story, classifier, parts, result.evidence.seed_cosine, language)
    lines += ["", *table]
    costly = [n for n in evidence.negatives if n.points < 0]
    aside = [n for n in evidence.negatives if n.points == 0]
    separator = gettext(", ")
    if costly and not cost:  # they took nothing away: no row in the table, and said so in one plain line
        named = separator.join(f"{n.label} ×{n.count} ({catalog.pgettext('negative', n.kind)})" for n in costly)
        nothing = (
            gettext("negative terms, taking nothing away (the story had no SSE points to lose): %(names)s")
            if not evidence.terms
            else gettext("negative terms, taking away less than %(hundredth)s here: %(names)s")
        )
        lines.append(nothing % {"names": named, "hundredth": i18n.decimal(0.01, language)})
    for negative in costly if cost else ():
        lines.append(
            gettext("negative term: %(term)s ×%(count)d (%(kind)s)")
            % {"term": negative.label, "count": negative.count, "kind": catalog.pgettext("negative", negative.kind)}
        )
    if aside:
        named = separator.join(f"{n.label} ({catalog.pgettext('negative', n.kind)})" for n in aside)
        lines.append(
            gettext("set aside, adding nothing (SSE words inside a name that is not SSE news): %(names)s")
            % {"names": named}
        )
    return lines


def _at_a_glance(story: StoredStory, zone: tzinfo, language: str) -> list[str]:
    """What a news reader looks for before the verdict, as the digest shows it: the source, when it was
    published (or found) and its regions; then the other sites that published the same story, or, for such a
    copy, the story it copies (the one the digest and `rasd search` list the sites under)."""
    gettext = i18n.translations(language).gettext
    moment = (story.published_at or story.fetched_at).replace(tzinfo=UTC).astimezone(zone)
    when = i18n.when(moment, language)
    if story.published_at is None:
        when = gettext("found %(date)s") % {"date": when}
    regions = gettext(", ").join(region_name(code, language) for code in story.regions)
    # a line starting with a Latin source name reads left to right in a bidi terminal: an Arabic one is marked
    mark = i18n.RLM if i18n.direction(language) == "rtl" else ""
    lines = [mark + " · ".join([story.source, when, *([regions] if regions else [])])]
    return lines + copies_lines(story, gettext)


def _second_opinion(evidence: Evidence, text: str, language: str) -> list[str]:
    """The trained model's word on a story under the threshold (none when it was not asked): its probability
    against the bar it had to reach (higher further below the threshold), then the words that pushed it towards SSE."""
    probability = evidence.second_opinion
    if probability is None:
        return []
    gettext = i18n.translations(language).gettext
    high = P_HIGH if evidence.second_opinion_high is None else evidence.second_opinion_high
    values = {"p": i18n.decimal(probability, language), "p_high": i18n.decimal(high, language)}
    just_under = high == P_HIGH
    if probability >= high:
        said = (
            gettext(
                "Just under the threshold, but a model trained on the project's labelled stories gives "
                "%(p)s (≥ %(p_high)s): retained"
            )
            if just_under
            else gettext(
                "Under the threshold, but a model trained on the project's labelled stories gives %(p)s (≥ %(p_high)s, "
                "the higher bar for a story further below the threshold): retained"
            )
        )
    else:
        said = (
            gettext(
                "Just under the threshold; a model trained on the project's labelled stories gives %(p)s "
                "(< %(p_high)s): not retained"
            )
            if just_under
            else gettext(
                "Under the threshold; a model trained on the project's labelled stories gives %(p)s (< %(p_high)s, "
                "the higher bar for a story further below the threshold): not retained"
            )
        )
    lines = [said % values]
    strongest = second_opinion.shipped().strongest(text)
    if strongest:
        words = gettext(", ").join(
            f"{word} ({i18n.decimal(points, language, signed=True)})" for word, points in strongest
        )
        pushed = (
            gettext("the words that pushed the model most towards SSE: %(words)s")
            if probability >= high
            else gettext("the words that pushed the model towards SSE, not enough to retain it: %(words)s")
        )  # said apart: under a "not retained", a bare list of words read like reasons to keep the story
        lines.append("  " + pushed % {"words": words})
    return lines


def _missing(evidence: Evidence, short_by: float, threshold: float, language: str) -> str:
    """What a story below the threshold lacked: any SSE vocabulary at all, else the points it was short by."""
    gettext = i18n.translations(language).gettext
    if not evidence.terms:
        return gettext("Missing: SSE vocabulary (no word or phrase of the lexicon in the title or the text)")
    return gettext(
        "Missing: %(points)s to reach the threshold %(threshold)s (too few SSE words, or too late in the text)"
    ) % {
        "points": i18n.decimal(short_by, language),
        "threshold": i18n.decimal(threshold, language),
    }


def _score_table(
    story: StoredStory,
    classifier: Classifier,
    parts: dict[str, float],
    cosine: float,
    language: str,
) -> tuple[list[str], float]:
    """The score's parts, one row each in points of the final score, the key under them; and what the
    negative terms cost as shown (a part of the lexicon's that rounds to nothing gets no row)."""
    gettext = i18n.translations(language).gettext
    scoring = classifier.lexicon.scoring

    def saturated(evidence_sum: float) -> float:
        return scoring.lexicon_weight * (1.0 - math.exp(-max(0.0, evidence_sum) / scoring.evidence_scale))

    raw: list[tuple[str, float, str]] = []  # (label, points, what follows the number)
    names: list[str] = []  # each row's part
    running = 0.0
    for name, label in _ROWS:
        value = parts.get(name, 0.0)
        points = saturated(running + value) - saturated(running)
        running += value
        if value or name == "terms":
            raw.append((gettext(label), points, ""))
            names.append(name)
    alike = " " + gettext("(%(percent)s alike)") % {"percent": format_percent(cosine, locale=i18n.locale(language))}
    raw.append((gettext("resemblance to a reference"), parts.get("similarity", 0.0), alike if cosine else ""))
    if parts.get("rejected_similarity"):
        raw.append((gettext("like a story readers reject"), parts["rejected_similarity"], ""))
    cents = _cents_adding_up(raw)
    cost = next((points for name, (_, points, _) in zip(names, cents, strict=False) if name == "negatives"), 0.0)
    # the vocabulary's row and the resemblance's always; a later part of the lexicon's only when it moved the score
    shown = [row for index, row in enumerate(cents) if index == 0 or index >= len(names) or row[1]]
    rows = [(label, f"{i18n.decimal(points, language, signed=True):>7}{after}") for label, points, after in shown]
    rows.append((gettext("= score"), f"{i18n.decimal(story.score, language):>7}"))
    width = max(26, *(len(label) for label, _ in rows))
    part, points_heading = gettext("part of the score"), gettext("points")
    header = f"{part:<{width + 2}} {points_heading:>7}"
    key = gettext(
        "Key: points of the final score (0–1), adding up to it; vocabulary saturates (ten mentions ≈ five), so "
        "each row counts after the rows above it; resemblance adds up to %(weight)s for a story like a reference "
        "story."
    ) % {"weight": i18n.decimal(classifier.lexicon.similarity.weight, language)}
    return [header, *(f"  {label:<{width}} {points}" for label, points in rows), key], cost


def _cents_adding_up(rows: list[tuple[str, float, str]]) -> list[tuple[str, float, str]]:
    """The rows' points rounded so that the hundredths shown add up to the rounded total (each row the step
    between rounded running totals), as a reader checks the table: +0.74 +0.00 +0.20 never above "= 0.95"."""
    shown, running, before = [], 0.0, 0.0
    for label, points, after in rows:
        running += points
        step = round(running, 2) - before
        before += step
        shown.append((label, step, after))
    return shown


def verdict_lines(history: Sequence[Label], language: str, zone: tzinfo = UTC) -> list[str]:
    """The readers' verdicts on a story, oldest first, with who and when (in `zone`, as the story's date
    above them: a verdict given at 00:30 in Casablanca was dated the day before in UTC); when the newest says not SSE,
    a line saying that no digest carries it (storage.labels.rejected_articles)."""
    catalog = i18n.translations(language)
    lines = []
    for label in history:
        said = catalog.gettext("SSE") if label.sse else catalog.gettext("not SSE")
        if label.region:
            said = catalog.gettext("%(verdict)s, region %(region)s") % {
                "verdict": said,
                "region": region_name(label.region, language),
            }
        at = label.labelled_at if label.labelled_at.tzinfo else label.labelled_at.replace(tzinfo=UTC)
        lines.append(
            catalog.gettext("Reader's verdict: %(verdict)s — %(who)s, %(when)s")
            % {"verdict": said, "who": label.labelled_by, "when": i18n.when(at.astimezone(zone), language)}
        )
    if history and not history[-1].sse:
        lines.append(catalog.gettext("Kept out of every digest: a reader marked it not SSE."))
    return lines
