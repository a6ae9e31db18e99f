"""Similarity to the user's reference stories (``seeds/*.txt``): character n-grams, cosine, closest seed.

Why character n-grams of the *normalised* text: they survive Arabic clitics and spelling variants
("للاقتصاد" and "الاقتصاد" share most of their 5-grams) without a stemmer. Stopwords and article chains
are removed first (``classify.text.similarity_stems``), otherwise the n-grams of "في"، "من"، "ال" make every
Arabic story look alike. Counts are sublinear (1 + log tf); no IDF, because five seeds are no corpus to
estimate document frequencies from (measured on the dev corpus: 5-grams alone separate SSE from other
news best among 3–6-grams, and IDF over the seeds only hurt).

Speed: n-grams are hashed with vectorised arithmetic on the code points (numpy), so an article costs a
few array operations, not a Python loop over its characters; an article's weights are spread into a dense
vector over the seeds' own n-grams (``SeedIndex``) and each seed is scored against it with a gather and a
dot product.
NumPy only: SciPy's sparse matrices did the same for five seeds at the price of SciPy in every worker.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

DIMENSIONS = 1 << 20  # hashed n-gram space; collisions are negligible at a few thousand n-grams a story
_MULTIPLIER = 1_000_003
_SALT = 0x9E3779B97F4A7C15
_SHIFT = np.uint64(64 - (DIMENSIONS.bit_length() - 1))  # keeps the top bits: an index below DIMENSIONS
_MIN_WORDS_IN_FIRST_LINE = 5
_CODE_POINT = np.dtype("<u4")  # a dtype object, not a string NumPy would parse on every call


_M = np.uint64(_MULTIPLIER)
_SALT_U64 = np.uint64(_SALT)
_LENGTHS = {n: np.uint64(n) for n in range(1, 13)}  # ngram_min … ngram_max lie in 1 … 12 (lexicon.py checks)
# 1 + log(count) by count (index 0 unused): nearly every n-gram of an article occurs once or twice. The same
# float64 log loop as np.log of the counts themselves, so the same bits; longer runs use np.log.
_LOG_WEIGHTS = np.concatenate(([0.0], 1.0 + np.log(np.arange(1, 1025, dtype=np.float64))))


def ngram_vector(text: str, ngram_min: int, ngram_max: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashed character n-grams of ``text``: sorted unique indices and L2-normalised sublinear weights.

    An n-gram's hash is (Σ code point × M^(n−1−j) + n) × salt mod 2^64, its top bits the index: computed for
    all n-grams at once by Horner's rule over shifted views of the code points, in place (2n + 1 whole-array
    operations; NumPy's integer matrix product, used before, is a plain loop, twice the instructions for the
    same values). Then sort and count runs (a hand-written unique). Written for few NumPy calls: each
    costs about a microsecond whatever its size, and this runs for every article."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=_CODE_POINT).astype(np.uint64)
    hashes = []
    for n in range(ngram_min, ngram_max + 1):
        count = len(codes) - n + 1
        if count <= 0:
            continue
        h = codes[:count].copy()
        for j in range(1, n):
            h *= _M
            h += codes[j : j + count]
        h += _LENGTHS[n]
        h *= _SALT_U64
        h >>= _SHIFT
        hashes.append(h.astype(np.uint32))  # below DIMENSIONS: sorted as 32-bit numbers, twice as fast
    if not hashes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    ordered = np.concatenate(hashes) if len(hashes) > 1 else hashes[0]
    ordered.sort()
    edges = np.empty(len(ordered) + 1, dtype=bool)  # where a run of equal n-grams starts, and the end
    edges[0] = edges[-1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=edges[1:-1])
    bounds = edges.nonzero()[0]
    starts = bounds[:-1]
    counts = bounds[1:] - starts
    weights = _LOG_WEIGHTS[counts] if np.maximum.reduce(counts) < len(_LOG_WEIGHTS) else 1.0 + np.log(counts)
    weights /= math.sqrt(weights.dot(weights))  # np.linalg.norm's own sum, without its wrapper
    return ordered[starts].astype(np.int64), weights


def seed_body(raw: str) -> str:
    """A seed file's story without the site furniture it was saved with.

    The project's boilerplate rules (comment forms, slogans, breadcrumbs) go first; then leading lines
    too short to be a title or a sentence (the site's name: "Atigmedia", "جريدة صفرو بريس"), and lines
    repeated verbatim (a title shown three times by the theme) are dropped.
    """
    # Imported here: the boilerplate rules (and the date patterns and lxml they import) serve building a
    # classifier only, which a kept one (classify/kept.py) skips.
    from rasd.extract import detect_language, strip_boilerplate

    lang = detect_language(raw)
    lines = [line.strip() for line in strip_boilerplate(raw, lang).splitlines() if line.strip()]
    while lines and len(lines[0].split()) < _MIN_WORDS_IN_FIRST_LINE:
        lines.pop(0)
    return "\n".join(dict.fromkeys(lines))


@dataclass(frozen=True)
class Seed:
    """A reference story: its name (the file's stem) and the text the classifier compares with."""

    name: str
    text: str

    @property
    def title(self) -> str:
        """What a reader knows the story by: its first line (the title, once site furniture is gone),
        cut at a word when it runs on."""
        first = self.text.partition("\n")[0].strip()
        return first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class Reference(Seed):
    """A stored story a reader labelled (``rasd label``): one marked SSE counts like a seed; one marked
    not SSE pulls the stories that resemble it down. ``text`` is the title, a newline, then the body."""

    sse: bool = True


ProblemKind = Literal["empty", "binary", "encoding", "no_text", "not_txt"]


@dataclass(frozen=True)
class SeedProblem:
    """A file in the seeds folder that is not a reference story, and why (monitor words it for readers):
    `empty`; `binary` (a NUL byte: a PDF, a Word document, an image saved there); `encoding` (not UTF-8);
    `no_text` (nothing left once the site furniture is removed); `not_txt` (only ``*.txt`` files are read)."""

    path: Path
    kind: ProblemKind


def read_seed_folder(directory: Path) -> tuple[list[Seed], list[SeedProblem]]:
    """Every ``*.txt`` in ``directory`` (sorted by name), boilerplate stripped, and the files left out (other
    names too, but hidden ones such as ``.gitkeep``); nothing if the folder does not exist."""
    seeds: list[Seed] = []
    problems: list[SeedProblem] = []
    for path in seed_folder_files(directory):
        read = read_seed_file(path) if path.suffix == ".txt" else SeedProblem(path, "not_txt")
        if isinstance(read, Seed):
            seeds.append(read)
        else:
            problems.append(read)
    return seeds, problems


def seed_folder_files(directory: Path) -> list[Path]:
    """The files `read_seed_folder` looks at: every file of ``directory`` but hidden ones (``.gitkeep``),
    sorted by name; none if the folder does not exist."""
    if not directory.is_dir():
        return []
    return [path for path in sorted(directory.iterdir()) if not path.name.startswith(".") and path.is_file()]


def read_seeds(directory: Path) -> list[Seed]:
    """The reference stories of ``directory`` (`read_seed_folder`), without the files left out."""
    return read_seed_folder(directory)[0]


def read_seed_file(path: Path) -> Seed | SeedProblem:
    """One reference story file, boilerplate stripped; what is wrong with it when it is not one."""
    raw = path.read_bytes()
    if not raw.strip():
        return SeedProblem(path, "empty")
    # Windows Notepad's "Unicode" is UTF-16 with a byte-order mark: its zero bytes read as a binary file
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\0" in raw and not utf16:
        return SeedProblem(path, "binary")
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        return SeedProblem(path, "encoding")
    body = seed_body(text)
    return Seed(path.stem, body) if body else SeedProblem(path, "no_text")


class SeedIndex:
    """The seeds' n-gram vectors; ``closest`` gives the best cosine and its seed.

    Each seed's n-grams are numbered by their place in the union of the seeds' n-grams (a lookup table
    over the hashed space, rebuilt rather than pickled), so an article is spread into a vector the size of
    that union — tens of kilobytes, in the CPU's cache — instead of a dense vector over the whole hashed
    space (8 MB, whose scatter and gathers evicted everything else the classifier touches). The products
    summed, and their order, are those of the full space: the cosines are the same to the last bit.
    """

    def __init__(self, named_texts: Iterable[tuple[str, str]], ngram_min: int, ngram_max: int) -> None:
        self.ngram_min = ngram_min
        self.ngram_max = ngram_max
        self.names: list[str] = []
        vectors: list[tuple[np.ndarray, np.ndarray]] = []
        for name, text in named_texts:
            index, weights = ngram_vector(text, ngram_min, ngram_max)
            if not len(index):
                continue
            vectors.append((index, weights))
            self.names.append(name)
        self._known = np.unique(np.concatenate([index for index, _ in vectors])) if vectors else np.zeros(0, np.int64)
        self._slot_of = self._slots(self._known)
        # Every seed's slots end to end: an article's weights are gathered for all seeds at once, then each
        # seed's dot product runs on its own contiguous part (the same values in the same order as before).
        slots = [self._slot_of[index] for index, _ in vectors]
        self._all_slots = np.concatenate(slots).astype(np.intp) if vectors else np.zeros(0, np.intp)  # no cast per use
        bounds = [0, *np.cumsum([len(index) for index, _ in vectors]).tolist()]
        parts = zip(bounds[:-1], bounds[1:], vectors, strict=True)
        self._parts = [(start, end, weights) for start, end, (_, weights) in parts]

    @staticmethod
    def _slots(known: np.ndarray) -> np.ndarray:
        """Hashed n-gram → its slot (1 … len(known)); 0 for the n-grams no seed has (a slot never read)."""
        dtype = np.uint16 if len(known) < np.iinfo(np.uint16).max else np.uint32
        slot_of = np.zeros(DIMENSIONS if len(known) else 0, dtype=dtype)
        slot_of[known] = np.arange(1, len(known) + 1, dtype=dtype)
        return slot_of

    def __len__(self) -> int:
        return len(self.names)

    def __getstate__(self) -> dict[str, object]:
        """Picklable (for process pools) without the lookup table: it is rebuilt from the known n-grams."""
        state = self.__dict__.copy()
        del state["_slot_of"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._slot_of = self._slots(self._known)

    def closest(self, text: str) -> tuple[float, str | None]:
        """Cosine similarity to the closest seed and that seed's name; (0.0, None) without seeds or text."""
        if not self._parts:
            return 0.0, None
        index, weights = ngram_vector(text, self.ngram_min, self.ngram_max)
        if not len(index):
            return 0.0, None
        article = np.zeros(len(self._known) + 1, dtype=np.float64)
        # ``take`` rather than fancy indexing: the same values, without setting up an index iterator
        article[self._slot_of.take(index)] = weights  # n-grams no seed has all land in slot 0, never read
        gathered = article.take(self._all_slots)
        similarities = [float(seed.dot(gathered[start:end])) for start, end, seed in self._parts]
        best = max(range(len(similarities)), key=similarities.__getitem__)  # the first of equals, as argmax
        return similarities[best], self.names[best]
