"""Explainable SSE scoring and region tagging of Moroccan news stories.

    classifier = load_classifier()
    result = classifier.classify(title, text, lang="ar", source_region="MA-09")
    result.sse, result.score, result.regions, result.reasons, result.parts
    result.evidence  # the same facts as data (matched terms by topic, places, the resembling seed's title)

The lexicon (``config/lexicon.toml``), the gazetteer (``config/regions.toml``) and the reference stories
(``seeds/*.txt``) are read when the classifier is built, so editing them and restarting (or building a new
classifier) is all a change of vocabulary, places or seeds needs. The built classifier is kept in the
user's cache folder under a key of every file it was built from (``classify/kept.py``): a command that
classifies a few stories (``rasd explain``) reads it back instead of building it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import rasd.config as config
from rasd.classify.evidence import Evidence, PlaceMatch, TermMatch, matched_spans, word_key
from rasd.classify.kept import kept_classifier, kept_seed_problems
from rasd.classify.lexicon import SimilaritySettings, load_lexicon, read_threshold
from rasd.classify.regions import load_gazetteer
from rasd.classify.scoring import Classification, Classifier
from rasd.classify.second_opinion import P_HIGH
from rasd.classify.similarity import Reference, Seed, SeedProblem, read_seed_file, read_seed_folder

CONFIG_DIR = Path(config.__file__).resolve().parent
DEFAULT_LEXICON_PATH = CONFIG_DIR / "lexicon.toml"
DEFAULT_REGIONS_PATH = CONFIG_DIR / "regions.toml"

if TYPE_CHECKING:
    # The threshold chosen on labelled data, as written in the shipped lexicon (one source of truth); read
    # on first use (``__getattr__``), not by every command that imports the classifier.
    DEFAULT_THRESHOLD: float


def __getattr__(name: str) -> float:
    if name != "DEFAULT_THRESHOLD":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = read_threshold(DEFAULT_LEXICON_PATH)
    return value


def default_seeds_dir() -> Path:
    """Rasd's own reference stories. A user's come through ``[classifier] seeds_dir`` (by default ``seeds/``
    beside the config file), never from the working directory: the same story must score the same wherever
    the command is run."""
    return config.BUNDLED_SEEDS_DIR


def load_classifier(
    lexicon_path: Path | None = None,
    regions_path: Path | None = None,
    seeds_dir: Path | None = None,
    threshold: float | None = None,
    references: Sequence[Reference] = (),
    extra_seeds: Sequence[Seed] = (),
) -> Classifier:
    """Build a classifier from the lexicon, the gazetteer and the seeds (re-read on every call).

    ``threshold`` None means the one written in the lexicon (``[classifier] threshold``). ``references``
    are the stories readers labelled (``rasd label``), read from the store by the caller; ``extra_seeds``
    are compared like the seeds of the folder (``rasd seeds try`` tries one before it goes live).
    Raises ``config.ConfigError`` with a one-line message naming the file and key when a file is wrong.
    Taken from the cache (``classify/kept.py``) when nothing it is built from changed; a classifier with
    ``extra_seeds`` (a trial) is always built, and not kept.
    """
    lexicon_file = Path(lexicon_path) if lexicon_path else DEFAULT_LEXICON_PATH
    regions_file = Path(regions_path) if regions_path else DEFAULT_REGIONS_PATH
    directory = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()

    def build() -> tuple[Classifier, list[SeedProblem]]:
        lexicon = load_lexicon(lexicon_file)
        gazetteer = load_gazetteer(regions_file)
        chosen = lexicon.scoring.threshold if threshold is None else float(threshold)
        seeds, problems = read_seed_folder(directory)
        return Classifier(lexicon, gazetteer, seeds + list(extra_seeds), chosen, directory, references), problems

    if extra_seeds:
        return build()[0]
    return kept_classifier(build, lexicon_file, regions_file, directory, threshold, references)


def similarity_settings(lexicon_path: Path | None = None) -> SimilaritySettings:
    """The lexicon's ``[similarity]`` (its floor and ceiling say when a reference story weighs), read without
    building a classifier: a digest telling stored evidence needs nothing more of it."""
    return load_lexicon(Path(lexicon_path) if lexicon_path else DEFAULT_LEXICON_PATH).similarity


def seed_problems(seeds_dir: Path) -> list[SeedProblem]:
    """The files of ``seeds_dir`` left out of the reference stories (`read_seed_folder`): as kept with the
    classifier built from the folder as it is now (``classify/kept.py``), else read."""
    kept = kept_seed_problems(DEFAULT_LEXICON_PATH, DEFAULT_REGIONS_PATH, seeds_dir)
    return kept if kept is not None else read_seed_folder(seeds_dir)[1]


__all__ = [
    "DEFAULT_THRESHOLD",
    "P_HIGH",
    "Classification",
    "Classifier",
    "Evidence",
    "PlaceMatch",
    "Reference",
    "Seed",
    "SeedProblem",
    "SimilaritySettings",
    "TermMatch",
    "load_classifier",
    "matched_spans",
    "read_seed_file",
    "read_seed_folder",
    "seed_problems",
    "similarity_settings",
    "word_key",
]
