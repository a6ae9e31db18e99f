"""`rasd classify`: JSON lines in, JSON lines out, in input order; a bad line is reported, not fatal."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from rasd.classify import load_classifier
from rasd.config import Settings, telling


def classify_lines(settings: Settings, lines: Iterable[str], output: IO[str]) -> list[str]:
    """Classify each `{id, title, text[, url, lang]}` line; returns one message per skipped line (a `Told`:
    the command says it in the reader's language)."""
    classifier = load_classifier(seeds_dir=Path(settings.classifier.seeds_dir), threshold=settings.classifier.threshold)
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:  # the JSON parser's words ("Expecting value: …") stay as they are
            errors.append(telling.gettext("input line %(number)d: %(error)s", number=number, error=str(error)))
            continue
        if not isinstance(item, dict) or "id" not in item or "text" not in item:
            needs = telling.gettext("needs at least id and text")
            errors.append(telling.gettext("input line %(number)d: %(error)s", number=number, error=needs))
            continue
        result = classifier.classify(str(item.get("title") or ""), str(item["text"]), item.get("lang"))
        record = {
            "id": item["id"],
            "sse": result.sse,
            "score": round(result.score, 4),
            "regions": result.regions,
            "reasons": result.reasons,
        }
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
    return errors
