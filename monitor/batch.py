"""`rasd classify`: JSON lines in, JSON lines out, in input order; a bad line is reported, not fatal."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from rasd.classify import load_classifier
from rasd.config import Settings, telling


def classify_lines(settings: Settings, lines: Iterable[str], output: IO[str]) -> list[str]:
    """Classify each `{id, title, text[, url, lang]}` line; returns one message per skipped line, a `Told`
    that the command says in the reader's language (it was English in a French or Arabic run)."""
    classifier = load_classifier(seeds_dir=Path(settings.classifier.seeds_dir), threshold=settings.classifier.threshold)
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            errors.append(telling.gettext("input line %(number)d: not JSON (%(detail)s)", number=number, detail=error))
            continue
        if not isinstance(item, dict) or "id" not in item or "text" not in item:
            errors.append(telling.gettext("input line %(number)d: needs at least id and text", number=number))
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
