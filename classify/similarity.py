"""Similarity to the user's reference stories (``seeds/*.txt``): character n-grams, cosine, closest seed.

Why character n-grams of the *normalised* text: they survive Arabic clitics and spelling variants
("للاقتصاد" and "الاقتصاد" share most of their 5-grams) without a stemmer. Stopwords and article chains
are removed first (``classify.text.similarity_stem``), otherwise the n-grams of "في"، "من"، "ال" make every
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

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rasd.extract import strip_boilerplate
from rasd.extract.normalize import detect_language

DIMENSIONS = 1 << 20  # hashed n-gram space; collisions are negligible at a few thousand n-grams a story
_MULTIPLIER = np.uint64(1_000_003)
_SALT = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - (DIMENSIONS.bit_length() - 1))  # keeps the top bits: an index below DIMENSIONS
_MIN_WORDS_IN_FIRST_LINE = 5


def ngram_vector(text: str, ngram_min: int, ngram_max: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashed character n-grams of ``text``: sorted unique indices and L2-normalised sublinear weights.

    In-place arithmetic and a hand-written unique (sort, then run starts): each NumPy call costs about a
    microsecond whatever its size, and this runs for every article."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    hashes = []
    for n in range(ngram_min, ngram_max + 1):
        count = len(codes) - n + 1
        if count <= 0:
            continue
        h = codes[:count].copy()
        for offset in range(1, n):
            h *= _MULTIPLIER
            h += codes[offset : offset + count]
        h += np.uint64(n)
        h *= _SALT
        h >>= _SHIFT
        hashes.append(h)
    if not hashes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    ordered = np.concatenate(hashes) if len(hashes) > 1 else hashes[0]
    ordered.sort()
    edges = np.empty(len(ordered) + 1, dtype=bool)  # where a run of equal n-grams starts, and the end
    edges[0] = edges[-1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=edges[1:-1])
    bounds = np.flatnonzero(edges)
    starts = bounds[:-1]
    weights = 1.0 + np.log(bounds[1:] - starts)
    weights /= np.linalg.norm(weights)
    return ordered[starts].astype(np.int64), weights


def seed_body(raw: str) -> str:
    """A seed file's story without the site furniture it was saved with.

    The project's boilerplate rules (comment forms, slogans, breadcrumbs) go first; then leading lines
    too short to be a title or a sentence (the site's name: "Atigmedia", "جريدة صفرو بريس"), and lines
    repeated verbatim (a title shown three times by the theme) are dropped.
    """
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


def read_seeds(directory: Path) -> list[Seed]:
    """Every ``*.txt`` in ``directory`` (sorted by name), boilerplate stripped; none if it does not exist."""
    if not directory.is_dir():
        return []
    return [seed for seed in map(read_seed_file, sorted(directory.glob("*.txt"))) if seed is not None]


def read_seed_file(path: Path) -> Seed | None:
    """One reference story file, boilerplate stripped; None when nothing is left of it."""
    body = seed_body(path.read_text(encoding="utf-8", errors="replace"))
    return Seed(path.stem, body) if body else None


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
        self._vectors = [(self._slot_of[index], weights) for index, weights in vectors]

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
        if not self._vectors:
            return 0.0, None
        index, weights = ngram_vector(text, self.ngram_min, self.ngram_max)
        if not len(index):
            return 0.0, None
        article = np.zeros(len(self._known) + 1, dtype=np.float64)
        article[self._slot_of[index]] = weights  # n-grams no seed has all land in slot 0, never read
        similarities = [float(np.dot(weights_, article[slots])) for slots, weights_ in self._vectors]
        best = int(np.argmax(similarities))
        return similarities[best], self.names[best]
