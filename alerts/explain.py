"""`rasd explain`: the digest's plain-words "why" first, then the score taken apart on one scale.

Every row of the table is in points of the final score (the number compared with the threshold), and the
rows add up to it. The lexicon's evidence saturates (``lexicon_weight × (1 − e^(−evidence/scale))``), so a
part's points are what it adds to the score given the rows above it: vocabulary, then its placement, then
the single-late-mention discount, then the negatives. A negative phrase with penalty 0 (a ministry's title)
is listed apart, as setting words aside, never as a row that cost something.
"""

from __future__ import annotations

import math

from rasd.alerts import i18n
from rasd.alerts.i18n import isolate
from rasd.alerts.why import explain
from rasd.classify import Classifier
from rasd.storage import StoredStory

_ROWS = (
    ("terms", "SSE vocabulary"),
    ("position", "placement (title, lead)"),
    ("isolation", "single late mention"),
    ("negatives", "negative terms"),
)  # then resemblance to a reference story, and to a story readers rejected (rasd label)
KEY = (
    "Key: points of the final score (0–1), adding up to it; vocabulary saturates (ten mentions ≈ five), so each "
    "row counts after the rows above it; resemblance adds up to {weight:.2f} for a story like a reference story."
)


def explanation(story: StoredStory, classifier: Classifier, language: str = i18n.SOURCE_LANGUAGE) -> list[str]:
    """The lines `rasd explain` prints for a stored story."""
    result = classifier.classify(story.title, story.text, story.lang)
    evidence = result.evidence
    parts = story.parts if "terms" in story.parts else result.parts
    threshold = classifier.threshold
    verdict = "SSE story" if story.sse else "not an SSE story"
    sign = "≥" if story.score >= threshold else "<"
    if not story.sse and story.score >= threshold:  # above the threshold, yet a near copy of a rejected story
        verdict = "not an SSE story (nearly the same text as a story a reader marked not SSE)"
    template = i18n.environment(language).get_template("why.txt.j2")
    why = template.render(story={"why": explain(evidence, story.regions, language)}).rstrip("\n")
    lines = [
        story.title,
        story.url,
        f"{verdict}: score {story.score:.2f} {sign} threshold {threshold:.2f}",
        "",
        *(line for line in why.splitlines() if line.strip()),
        "",
        f"{'part of the score':<28} {'points':>7}",
    ]
    scoring = classifier.lexicon.scoring

    def saturated(evidence_sum: float) -> float:
        return scoring.lexicon_weight * (1.0 - math.exp(-max(0.0, evidence_sum) / scoring.evidence_scale))

    running = 0.0
    for name, label in _ROWS:
        value = parts.get(name, 0.0)
        points = saturated(running + value) - saturated(running)
        running += value
        if value or name == "terms":
            lines.append(f"  {label:<26} {points:+7.2f}")
    similarity = parts.get("similarity", 0.0)
    seed = f" (cosine {evidence.seed_cosine:.2f})" if evidence.seed else ""
    lines.append(f"  {'resemblance to a reference':<26} {similarity:+7.2f}{seed}")
    if parts.get("rejected_similarity"):
        lines.append(f"  {'like a story readers reject':<26} {parts['rejected_similarity']:+7.2f}")
    lines.append(f"  {'= score':<26} {story.score:7.2f}")
    lines.append(KEY.format(weight=classifier.lexicon.similarity.weight))
    costly = [n for n in evidence.negatives if n.points < 0]
    aside = [n for n in evidence.negatives if n.points == 0]
    for negative in costly:
        lines.append(f"negative term: {isolate(negative.label)} ×{negative.count} ({negative.kind})")
    if aside:
        named = ", ".join(f"{isolate(n.label)} ({n.kind})" for n in aside)
        lines.append(f"set aside, adding nothing (SSE words inside a name that is not SSE news): {named}")
    return lines
