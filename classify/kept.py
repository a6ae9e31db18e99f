"""The built classifier, kept between commands in the user's cache folder (issue 16: commands start fast).

Building a classifier reads and checks the lexicon and the gazetteer, strips the seeds' site furniture with
the boilerplate rules (dozens of regular expressions compiled, and the date patterns and lxml they import)
and indexes the seeds' n-grams: ~0.12 s of CPU, plus ~0.05 s of imports only building needs, paid by every
`rasd explain` and `digest` for the few stories they classify. So the built classifier is pickled to
`user_cache_dir()/classifier-WHERE[-labelled].pickle` (WHERE: the lexicon's, the gazetteer's and the seeds'
paths; `-labelled` with the readers' verdicts), under a key that changes with anything it was built from:

- the content of every file read: the lexicon, the gazetteer, every `.toml` shipped beside them (the
  boilerplate rules among them), the second opinion's weights (`classify/second_opinion.json.gz`: read
  apart, on first use, but its verdicts are the classifier's), each seed file's name and text;
- the classifier's and the normaliser's own source files (`rasd.classify`, `rasd.extract`: an edited
  checkout is a new classifier even under the same version number), Rasd's, Python's and NumPy's versions;
- the threshold asked for and the readers' reference stories (their names, texts and verdicts).

A key that differs (an edited lexicon, a seed added, a new label) builds the classifier again and keeps
that one. A cache file that cannot be read or unpickled (truncated, corrupt, written by other code) is
built over without a word; a cache folder that cannot be written is no error either: the classifier is
then built each time, as before. Reading the key's files costs ~1 ms. The pickle is the cache's own file,
in the user's own folder: it is trusted as the user's config files are.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from importlib import metadata
from pathlib import Path

import numpy as np

import rasd.config as config
import rasd.extract as extract_package
from rasd.classify import second_opinion
from rasd.classify.scoring import Classifier
from rasd.classify.similarity import Reference

_PREFIX = "classifier-"


def _version() -> str:
    try:
        return metadata.version("rasd")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def key(
    lexicon: Path, regions: Path, seeds_dir: Path, threshold: float | None, references: Sequence[Reference]
) -> bytes:
    """The SHA-256 of everything the classifier built from these would depend on (see the module's note)."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little") + data)  # length first: no two inputs run together

    add(_version(), sys.version, np.__version__, repr(threshold))
    shipped = sorted(Path(config.__file__).parent.glob("*.toml"))
    code = [Path(__file__).parent, Path(str(extract_package.__file__)).parent]  # rasd.classify, rasd.extract
    sources = sorted(path for folder in code for path in folder.glob("*.py"))
    seeds = sorted(seeds_dir.glob("*.txt")) if seeds_dir.is_dir() else []
    for path in [lexicon, regions, *shipped, *sources, second_opinion.WEIGHTS_PATH, *seeds]:
        add(str(path), _content(path))
    for reference in references:
        add(reference.name, reference.text, str(reference.sse))
    return digest.digest()


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:  # building will say what is wrong with it, in its own words
        return f"unreadable: {error}".encode()


def _cache_file(paths: Iterable[Path], labelled: bool) -> Path:
    """One file for the classifier of these files without the readers' verdicts (`rasd evaluate`, `classify`),
    one for it with them (the crawl, `explain`, `digest`, `seeds try`): each kept while the other is used."""
    where = hashlib.sha256("\n".join(str(path.resolve()) for path in paths).encode()).hexdigest()[:16]
    return config.user_cache_dir() / f"{_PREFIX}{where}{'-labelled' if labelled else ''}.pickle"


def kept_classifier(
    build: Callable[[], Classifier],
    lexicon: Path,
    regions: Path,
    seeds_dir: Path,
    threshold: float | None,
    references: Sequence[Reference],
) -> Classifier:
    """The classifier `build` makes from these, taken from the cache when the key matches, else built and
    kept there (see the module's note)."""
    wanted = key(lexicon, regions, seeds_dir, threshold, references)
    path = _cache_file([lexicon, regions, seeds_dir], bool(references))
    found = _read(path, wanted)
    if found is not None:
        return found
    classifier = build()
    _write(path, wanted, classifier)
    return classifier


def _read(path: Path, wanted: bytes) -> Classifier | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data[: len(wanted)] != wanted:
        return None
    try:
        found = pickle.loads(data[len(wanted) :])  # the user's own cache file (see the module's note)
    except Exception:  # a damaged pickle can raise nearly anything: it is only built again
        return None
    return found if isinstance(found, Classifier) else None


def _write(path: Path, wanted: bytes, classifier: Classifier) -> None:
    """Written beside, then renamed over: a reader never sees half a file, two writers never mix theirs."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{_PREFIX}")
    except OSError:
        return
    try:
        with open(descriptor, "wb") as handle:
            handle.write(wanted + pickle.dumps(classifier, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(name, path)
    except OSError:
        with suppress(OSError):
            os.unlink(name)
