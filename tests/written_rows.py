"""The stories written for the project (``bench/written*.jsonl``) by id, and the classifier the rules passes' tests
score them with: the shipped lexicon and gazetteer without seeds, so a case passes on the rules alone (the second
opinion was trained on these stories)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd.classify import Classifier, load_classifier

BENCH = Path(__file__).parent.parent / "bench"


def written_rows(name: str) -> dict[str, dict[str, Any]]:
    """The rows of ``bench/NAME`` by id."""
    with (BENCH / name).open(encoding="utf-8") as lines:
        return {row["id"]: row for row in map(json.loads, lines)}


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """The shipped lexicon and gazetteer, with no seeds: scores come from the lexicon alone."""
    return load_classifier(seeds_dir=tmp_path_factory.mktemp("no-seeds"))
