"""Content fingerprints for syndicated stories: the same agency dispatch (MAP) republished, often lightly
rewritten, by several sites must be recognised as one story.

A fingerprint is a MinHash signature of the article's shingles, taken on `normalize_for_matching` text so
that hamza, ta marbuta, diacritics or Arabic-Indic digits do not make two copies look different, plus the
figures the article states. Two articles are the same story when

- their estimated Jaccard similarity is at least `SAME_STORY_JACCARD`, and
- their figures agree: a rewrite keeps the facts (685 projects, 83.38 million dirhams), while the next
  week's road-accident bulletin repeats the template with other numbers.

The parameters were chosen with `python bench/bench_dedup.py` (see its docstring and the README): text
similarity alone cannot tell a heavily rewritten dispatch (estimated Jaccard 0.34 on the corpus pair) from
a templated bulletin of another week (0.75); the figures tell these apart, not a site's follow-up that
quotes its earlier story, which is why storage groups only articles of different sites.

The MinHash itself is a few lines of NumPy rather than datasketch: importing datasketch pulls in SciPy,
60 MB more in the crawl's main process and in every worker (bench/bench_crawl.py), for one function.
Character shingles are hashed on the code points with array arithmetic, then permuted by `NUM_PERM`
multiply-add-shift hashes whose constants are derived from BLAKE2 digests of their index, so a signature
never depends on a library's random stream.

Storage finds candidates without comparing every pair: the signature is cut into `BANDS` bands of `ROWS`
values and each band is hashed; two articles sharing a band hash are candidates, then verified with
`same_story`.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rasd.extract.normalize import normalize_for_matching
from rasd.extract.stop_shingles import STOP_SHINGLES

NUM_PERM = 256
SHINGLE_CHARS = 4  # character 4-grams of the normalised text, spaces included (word edges count)
SAME_STORY_JACCARD = 0.25
FIGURES_AGREE = 0.5  # share of the smaller set of figures found in the other one

# Recall before precision when banding: a candidate costs one signature comparison, a missed copy a double
# entry in the digest. 85 bands of 3 values is the banding that minimises 0.2 × false positives + 0.8 ×
# false negatives around the threshold for 256 values (datasketch's MinHashLSH picks the same with these
# weights; bench/bench_dedup.py prints it): a pair at the threshold becomes a candidate with probability
# 0.85, at 0.34 (the corpus's rewritten pair) 0.97, unrelated news (0.10) 0.08.
LSH_WEIGHTS = (0.2, 0.8)  # (false positives, false negatives)
BANDS, ROWS = 85, 3
# Stored with each signature: a change of any of these re-fingerprints the stored articles.
SCHEME = f"minhash{NUM_PERM}-char{SHINGLE_CHARS}-polymas-b{BANDS}r{ROWS}-stop{len(STOP_SHINGLES)}"
# Numbers as written in news: 2024, 83,38, 29.45, 1.200.000 (after normalisation digits are ASCII).
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _hash_constants(count: int) -> tuple[np.ndarray, np.ndarray]:
    """(multipliers, increments) of `count` multiply-add-shift hashes: odd 64-bit multipliers, 64-bit
    increments, from BLAKE2 digests of the hash's index (fixed for ever, whatever NumPy's generators do)."""
    digests = [hashlib.blake2b(f"rasd-minhash-{i}".encode(), digest_size=16).digest() for i in range(count)]
    multipliers = np.array([int.from_bytes(d[:8], "little") | 1 for d in digests], dtype=np.uint64)
    increments = np.array([int.from_bytes(d[8:], "little") for d in digests], dtype=np.uint64)
    return multipliers[:, None], increments[:, None]


_CONSTANTS = {NUM_PERM: _hash_constants(NUM_PERM)}
_SHIFT = np.uint64(32)
_CHUNK = 512  # shingles hashed at once: a 256 × 512 matrix of uint64 is 1 MB
_CODE_MULTIPLIER = np.uint64(1_000_003)  # n-gram of code points c1…cn → (…(c1·M + c2)·M + …) mod 2^64
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads the polynomial's low bits before the multiply-shift hashes


@dataclass(frozen=True)
class Fingerprint:
    """What storage keeps to recognise the same story later: the signature (uint32 values, little-endian)
    and the figures stated in the text."""

    signature: bytes
    figures: frozenset[str]

    def values(self) -> np.ndarray:
        return np.frombuffer(self.signature, dtype="<u4")

    def similarity(self, other: Fingerprint) -> float:
        """The estimated Jaccard similarity of the two texts' shingle sets."""
        return float(self.similarities([other.signature])[0])

    def similarities(self, signatures: Sequence[bytes]) -> np.ndarray:
        """The estimated Jaccard similarity to each of `signatures` (of this scheme) in one array comparison:
        storage verifies a new article against a hundred candidates or more, and a comparison each cost
        more than the query that found them (bench/bench_crawl.py)."""
        others = np.frombuffer(b"".join(signatures), dtype="<u4").reshape(len(signatures), NUM_PERM)
        return np.count_nonzero(others == self.values(), axis=1) / NUM_PERM

    def figures_agree(self, figures: frozenset[str]) -> bool:
        """True unless both texts state figures and most of the smaller set is missing from the other."""
        smaller = min(len(self.figures), len(figures))
        return smaller == 0 or len(self.figures & figures) / smaller >= FIGURES_AGREE

    def same_story(self, other: Fingerprint) -> bool:
        return self.similarity(other) >= SAME_STORY_JACCARD and self.figures_agree(other.figures)

    def same_stories(self, candidates: Sequence[tuple[bytes, str]]) -> list[bool]:
        """`same_story` for each (signature, figures written space-separated, as storage keeps them)."""
        close = self.similarities([signature for signature, _ in candidates]) >= SAME_STORY_JACCARD
        return [
            bool(near) and self.figures_agree(frozenset(figures.split()))
            for near, (_, figures) in zip(close, candidates, strict=True)
        ]

    @cached_property
    def band_hashes(self) -> list[int]:
        """One signed 64-bit hash per LSH band (fits SQLite INTEGER and PostgreSQL BIGINT); made once:
        storage writes them and looks candidates up with them."""
        width = ROWS * 4
        return [
            int.from_bytes(
                hashlib.blake2b(self.signature[i * width : (i + 1) * width], digest_size=8).digest(),
                "little",
                signed=True,
            )
            for i in range(BANDS)
        ]


def char_shingle_hashes(folded: str, size: int = SHINGLE_CHARS) -> np.ndarray:
    """The distinct 64-bit hashes of the text's overlapping character n-grams, computed on the code points
    as arrays (a text shorter than `size` is its own single shingle): a Python set of substrings and a
    CRC per shingle cost 2 ms an article, more than all of the MinHash after them."""
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = max(1, len(codes) - size + 1)
    hashed = np.zeros(count, dtype=np.uint64)
    for offset in range(min(size, len(codes))):
        hashed = hashed * _CODE_MULTIPLIER + codes[offset : offset + count]
    return np.unique(hashed * _MIX)


def _stop_hashes() -> np.ndarray:
    """The hashes `char_shingle_hashes` gives the stop shingles, sorted."""
    shingles = sorted(shingle for shingle in STOP_SHINGLES if len(shingle) == SHINGLE_CHARS)
    codes = np.frombuffer("".join(shingles).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    codes = codes.reshape(len(shingles), SHINGLE_CHARS)
    hashed = np.zeros(len(shingles), dtype=np.uint64)
    for offset in range(SHINGLE_CHARS):
        hashed = hashed * _CODE_MULTIPLIER + codes[:, offset]
    return np.unique(hashed * _MIX)


_STOP_HASHES = _stop_hashes()


def signature_shingles(folded: str) -> np.ndarray:
    """The shingle hashes a signature is made of: the text's character shingles but the stop shingles,
    which most texts of the language contain (` ال`, `ية `, `tion`): with them, 5% of unrelated stories
    shared an LSH band, and each such candidate costs the store a signature read and a comparison
    (issue 16). A text made of stop shingles only keeps them all."""
    hashed = char_shingle_hashes(folded)
    kept = hashed[~np.isin(hashed, _STOP_HASHES, assume_unique=True)]
    return kept if len(kept) else hashed


def string_hashes(shingles: Iterable[str]) -> np.ndarray:
    """64-bit-wide hashes (CRC-32 values) of arbitrary shingles, e.g. word n-grams (bench/bench_dedup.py)."""
    return np.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64)


def minhash(hashed: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature (`num_perm` uint32 values) of a non-empty set of shingle hashes: for each hash
    function, the smallest value it gives any shingle. Function i of shingle hash x is the top 32 bits of
    a_i·x + b_i modulo 2^64 (NumPy's uint64 arithmetic wraps, which is that modulo).

    The top 32 bits of the smallest value are the smallest top 32 bits, so the shift is applied to the
    `num_perm` minima only; the products are made in one buffer, in place, in chunks that stay in the
    CPU's cache: 0.8 ms an article instead of 1.4 (bench/bench_crawl.py), the same signature."""
    if num_perm not in _CONSTANTS:
        _CONSTANTS[num_perm] = _hash_constants(num_perm)
    multipliers, increments = _CONSTANTS[num_perm]
    smallest = np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    buffer = np.empty((num_perm, min(_CHUNK, len(hashed))), dtype=np.uint64)
    for start in range(0, len(hashed), _CHUNK):
        chunk = hashed[start : start + _CHUNK]
        products = buffer[:, : len(chunk)]
        np.multiply(multipliers, chunk[None, :], out=products)
        products += increments
        np.minimum(smallest, products.min(axis=1), out=smallest)
    return (smallest >> _SHIFT).astype("<u4")


def figures(folded: str) -> frozenset[str]:
    return frozenset(_FIGURE.findall(folded))


def fingerprint_of(title: str, text: str) -> Fingerprint:
    """The fingerprint of an article: its title and text, normalised for matching."""
    return fingerprint_of_matching(normalize_for_matching(f"{title}\n{text}"))


def fingerprint_of_matching(folded: str) -> Fingerprint:
    """The fingerprint of text already normalised for matching (extraction normalises an article once,
    for its hash, its fingerprint and the search index)."""
    return Fingerprint(signature=minhash(signature_shingles(folded)).tobytes(), figures=figures(folded))
