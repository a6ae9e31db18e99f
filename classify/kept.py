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
  checkout is a new classifier even under the same version number), Python's and NumPy's versions (not
  Rasd's: its code's bytes say more, and importlib.metadata alone cost `rasd explain` 0.13 G instructions);
- the threshold asked for and the readers' reference stories (their names, texts and verdicts).

The seeds folder's files that are not reference stories (`SeedProblem`s: an empty file, a PDF, …) are kept
in the same file, ahead of the classifier and under a key of their own — the seed files' names and texts,
the shipped `.toml` files and the code and versions that read them — so that a crawl names them
(`seed_problems`) without reading and stripping every seed in its main process as well as in its workers.

A key that differs (an edited lexicon, a seed added, a new label) builds the classifier again and keeps
that one. A cache file that cannot be read or unpickled (truncated, corrupt, written by other code) is
built over without a word; a cache folder that cannot be written is no error either: the classifier is
then built each time, as before. Reading the key's files costs ~1 ms. The pickle is the cache's own file,
in the user's own folder: it is trusted as the user's config files are.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import cast, get_args

import numpy as np

import rasd.config as config
import rasd.extract as extract_package
from rasd.classify import second_opinion
from rasd.classify.scoring import Classifier
from rasd.classify.similarity import ProblemKind, Reference, SeedProblem, seed_folder_files

_PREFIX = "classifier-"
_KEY_BYTES = 32  # a SHA-256
_PROBLEMS_LENGTH = 4  # bytes of the problems' length, ahead of them
_KINDS = get_args(ProblemKind)


def _hashed(*parts: str | bytes) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)  # length first: no two inputs run together
    return digest.digest()


def seeds_key(seeds_dir: Path) -> bytes:
    """The SHA-256 of everything reading the seeds folder depends on: each of its files (a `.txt` one's
    text, any other's name only: it is left out whatever it holds), the shipped `.toml` files (the
    boilerplate rules strip the seeds), `rasd.classify`'s and `rasd.extract`'s source files, the versions."""
    shipped = sorted(Path(config.__file__).parent.glob("*.toml"))
    code = [Path(__file__).parent, Path(str(extract_package.__file__)).parent]  # rasd.classify, rasd.extract
    sources = sorted(path for folder in code for path in folder.glob("*.py"))
    parts: list[str | bytes] = [sys.version]
    for path in [*shipped, *sources]:
        parts += [str(path), _content(path)]
    for path in seed_folder_files(seeds_dir):
        parts += [str(path), _content(path) if path.suffix == ".txt" else b""]
    return _hashed(*parts)


def key(
    lexicon: Path, regions: Path, seeds_dir: Path, threshold: float | None, references: Sequence[Reference]
) -> bytes:
    """The SHA-256 of everything the classifier built from these would depend on (see the module's note)."""
    parts: list[str | bytes] = [seeds_key(seeds_dir), np.__version__, repr(threshold)]
    for path in (lexicon, regions, second_opinion.WEIGHTS_PATH):
        parts += [str(path), _content(path)]
    for reference in references:
        parts += [reference.name, reference.text, str(reference.sse)]
    return _hashed(*parts)


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:  # building will say what is wrong with it, in its own words
        return f"unreadable: {error}".encode()


def _cache_file(paths: Iterable[Path], labelled: bool) -> Path | None:
    """One file for the classifier of these files without the readers' verdicts (`rasd evaluate`, `classify`),
    one for it with them (the crawl, `explain`, `digest`, `seeds try`): each kept while the other is used.
    None when the user has no home folder to keep it in ($HOME unset, no passwd entry): built every time."""
    where = hashlib.sha256("\n".join(str(path.resolve()) for path in paths).encode()).hexdigest()[:16]
    try:
        folder = config.user_cache_dir()
    except config.NoHome:
        return None
    return folder / f"{_PREFIX}{where}{'-labelled' if labelled else ''}.pickle"


def kept_classifier(
    build: Callable[[], tuple[Classifier, list[SeedProblem]]],
    lexicon: Path,
    regions: Path,
    seeds_dir: Path,
    threshold: float | None,
    references: Sequence[Reference],
) -> Classifier:
    """The classifier `build` makes from these, taken from the cache when the key matches, else built and
    kept there with the seeds folder's problems `build` found (see the module's note)."""
    wanted = key(lexicon, regions, seeds_dir, threshold, references)
    path = _cache_file([lexicon, regions, seeds_dir], bool(references))
    found = None if path is None else _read(path, wanted)
    if found is not None:
        return found
    classifier, problems = build()
    if path is not None:
        _write(path, seeds_key(seeds_dir) + wanted + _problems_bytes(problems), classifier)
    return classifier


def kept_seed_problems(lexicon: Path, regions: Path, seeds_dir: Path) -> list[SeedProblem] | None:
    """The seeds folder's problems as kept with a classifier built from it as it is now (with or without
    the readers' verdicts), without reading the classifier; None when no kept file has them."""
    wanted = seeds_key(seeds_dir)
    for labelled in (True, False):
        if (path := _cache_file([lexicon, regions, seeds_dir], labelled)) is None:
            return None
        try:
            with path.open("rb") as handle:
                head = handle.read(2 * _KEY_BYTES + _PROBLEMS_LENGTH)
                if len(head) < len(wanted) + _KEY_BYTES + _PROBLEMS_LENGTH or head[:_KEY_BYTES] != wanted:
                    continue
                problems = _problems(handle.read(int.from_bytes(head[-_PROBLEMS_LENGTH:], "little")))
        except OSError:
            continue
        if problems is not None:
            return problems
    return None


def _problems_bytes(problems: list[SeedProblem]) -> bytes:
    data = json.dumps([[str(problem.path), problem.kind] for problem in problems]).encode()
    return len(data).to_bytes(_PROBLEMS_LENGTH, "little") + data


def _problems(data: bytes) -> list[SeedProblem] | None:
    """The problems written by `_problems_bytes`; None when `data` is not that (a damaged file)."""
    try:
        pairs = [(str(path), str(kind)) for path, kind in json.loads(data)]
    except (ValueError, TypeError):
        return None
    if any(kind not in _KINDS for _, kind in pairs):
        return None
    return [SeedProblem(Path(path), cast(ProblemKind, kind)) for path, kind in pairs]


def _read(path: Path, wanted: bytes) -> Classifier | None:
    """The classifier of the file written by `_write` when its key is `wanted`."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data[_KEY_BYTES : 2 * _KEY_BYTES] != wanted:
        return None
    start = 2 * _KEY_BYTES + _PROBLEMS_LENGTH
    start += int.from_bytes(data[2 * _KEY_BYTES : start], "little")
    try:
        found = pickle.loads(data[start:])  # the user's own cache file (see the module's note)
    except Exception:  # a damaged pickle can raise nearly anything: it is only built again
        return None
    return found if isinstance(found, Classifier) else None


def _write(path: Path, head: bytes, classifier: Classifier) -> None:
    """`head` (the seeds' key, the classifier's key, the seeds folder's problems) then the pickled classifier."""
    config.keep_file(path, head + pickle.dumps(classifier, protocol=pickle.HIGHEST_PROTOCOL))
