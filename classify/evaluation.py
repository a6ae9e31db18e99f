"""How well the classifier agrees with labelled stories: precision, recall, region accuracy, and the misses.

``rasd evaluate`` runs it on the readers' verdicts in the store (``rasd label``) and on labelled JSONL files
(the development corpus's format: ``{"id", "title", "text", "sse", "regions"[, "lang"]}``), so a change
to the lexicon, the gazetteer or the seeds is measured against what readers said before it goes live.

Region accuracy counts the SSE stories whose gold region is known: right when the classifier's first
region is one of the gold regions (a story about two regions may list either first).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from rasd.classify.regions import REGION_CODES
from rasd.classify.scoring import Classifier
from rasd.config import Told, telling


@dataclass(frozen=True)
class Gold:
    """One labelled story."""

    id: str
    title: str
    text: str
    sse: bool
    regions: tuple[str, ...] = ()  # the regions it is about; () when not known
    lang: str | None = None
    source_region: str | None = None


@dataclass(frozen=True)
class Miss:
    """A story the classifier got wrong: ``kind`` is "missed", "false alarm" or "region"."""

    id: str
    kind: str
    title: str
    score: float
    gold_regions: tuple[str, ...]
    regions: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass
class Report:
    """Counts and rates over one set of labelled stories."""

    stories: int = 0
    sse: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    region_graded: int = 0
    region_right: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.sse if self.sse else None

    @property
    def region_accuracy(self) -> float | None:
        return self.region_right / self.region_graded if self.region_graded else None


def evaluate(classifier: Classifier, stories: Iterable[Gold]) -> Report:
    """Classify every story and compare with its label."""
    report = Report()
    for gold in stories:
        result = classifier.classify(gold.title, gold.text, gold.lang, gold.source_region)
        report.stories += 1
        report.sse += gold.sse
        kind = ""
        if gold.sse and result.sse:
            report.true_positives += 1
        elif gold.sse:
            report.false_negatives += 1
            kind = "missed"
        elif result.sse:
            report.false_positives += 1
            kind = "false alarm"
        if gold.sse and gold.regions:
            report.region_graded += 1
            if result.regions and result.regions[0] in gold.regions:
                report.region_right += 1
            elif not kind:
                kind = "region"
        if kind:
            miss = Miss(
                gold.id,
                kind,
                gold.title,
                result.score,
                gold.regions,
                tuple(result.regions),
                tuple(result.reasons),
            )
            report.misses.append(miss)
    return report


def read_labelled_jsonl(lines: Iterable[str], name: str) -> tuple[list[Gold], list[Told]]:
    """Labelled stories from JSONL lines, and one readable line for each line that cannot be used (a
    `config.Told`: the command says it in the reader's language)."""
    stories: list[Gold] = []
    problems: list[Told] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(telling.gettext("%(where)s: not JSON (%(error)s), skipped", where=where, error=error.msg))
            continue
        if not isinstance(item, dict):
            problems.append(telling.gettext("%(where)s: expected an object, skipped", where=where))
            continue
        if not isinstance(item.get("sse"), bool):
            problems.append(telling.gettext('%(where)s: "sse" must be true or false, skipped', where=where))
            continue
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            problems.append(telling.gettext('%(where)s: no "text", skipped', where=where))
            continue
        regions = item.get("regions") or []
        if not isinstance(regions, list) or any(code not in REGION_CODES for code in regions):
            regions_wrong = '%(where)s: "regions" must be a list of MA-01 … MA-12 codes; regions not graded'
            problems.append(telling.gettext(regions_wrong, where=where))
            regions = []
        stories.append(
            Gold(
                id=str(item.get("id") or where),
                title=str(item.get("title") or ""),
                text=item["text"],
                sse=item["sse"],
                regions=tuple(regions),
                lang=item.get("lang") if isinstance(item.get("lang"), str) else None,
                source_region=None,
            )
        )
    return stories, problems
