"""Store growth: does storing an article, `rasd status`, search and housekeeping cost the same at 100,000 and
1,000,000 stored articles as at 10,000 (issue 16)?

    .venv/bin/python bench/bench_store_growth.py                       # 10k and 100k on SQLite
    .venv/bin/python bench/bench_store_growth.py --sizes 2000,10000    # a quick run
    .venv/bin/python bench/bench_store_growth.py --postgres            # on a throwaway server (tests/postgres.py)
    .venv/bin/python bench/bench_store_growth.py --url postgresql://…  # an empty PostgreSQL database
    … --sizes 10000,100000,1000000 --cache /somewhere/prints           # the fingerprints kept for the next run
    … --sizes 10000,1000000 --rounds 5 --dir /somewhere/stores         # a store a size, measured in turn
    … --sizes 10000,1000000 --rounds 3 --url postgresql+psycopg://…/s{size}   # a database a size, kept

With `--rounds`, each size has a store of its own (kept in `--dir` and grown from what it holds by the next
run), filled first; then `--sample` articles are stored into each in turn, `--rounds` times, and each round's
ratio of the largest size's cost to the smallest's is printed with their median, so that the machine's load
changes hit every size alike. Such a fill reuses drafted blocks (`reused_before`, `Writer.reused`): every
article older than the near-duplicate window and two days at the fill's end repeats, shifted, one of the
first four blocks drafted (its title, text, source, fingerprint and band rows, and whether and what it
copies), with its own index, url, date and content hash; the last 16 days and the samples are drafted and
fingerprinted afresh. The lookups measured read only the window's band rows, all fresh; the search index holds
a real text for every article. At 50,000, a store of reused blocks and one written all fresh gave the same
store cost, band rows read, copies grouped, search matches and file sizes (docs/performance.md).

Generated articles arrive at a monitor's pace: `--per-day` (3,000: a hundred sites) spread over 100 sources,
10% of them a rewritten copy, by another source, of an article of the three days before. Dates advance with
the store, as they do when a store grows over months; the near-duplicate window therefore holds the same
number of articles at every size (filling 1M articles over a fixed two years would instead make the window
itself 100 times denser).

The bulk of the store is filled in bulk (`bulk_fill`), 5,000 articles a transaction, with what
`Store.save_articles` writes, built by its own functions: the article, classification and region rows
(`article_values`, …), the fingerprint and its 85 band rows (`fingerprint_values`; the bands written by the
driver, by COPY on PostgreSQL), the search index (`index_for_search`), and the grouping of the copies: the
store's own `group` decides which article is the story's original and moves the copies, with its lookup of
candidates answered from what the generator knows (`Grouping`) — every 101st article is also looked up by the
store's own lookup and the answers compared; the progress lines print how many differ — and, after each
transaction, the band rows of the articles stored more than the horizon before (`Store.prune_bands`, step after
step, as the cycles would have). The band rows of the articles that the prune would delete before the fill ends
are not written at all (`Banded`: from a prune step's boundary at least a day before the horizon of the fill's
last article), so the band rows at each measured size are those of a store that wrote them all; the lookup is
then checked only on articles whose window holds band rows. Each article is stored at its date: the storing time
the horizon is counted from is the generator's, not the machine's, in the fill and in the measured batches.
On SQLite the indexes stay live throughout; PostgreSQL's fill writes every table by COPY (`copy_chunk`),
the indexes it does not read and the foreign keys of its tables dropped and made again at its end (`Deferred`): a
5,000-article store so filled and one stored through `save_articles` (`--fill save --fill-only`) compare with 0
differences (bench/compare_stores.py, docs/performance.md). The fill's SQLite connection runs without fsync and
with a 4 GB page cache,
PostgreSQL's fill transactions without waiting for the WAL flush, and PostgreSQL is ANALYZEd after each fill (as
autovacuum keeps a slowly grown store). Fingerprints — the expensive part of making an article — are made by
`--workers` processes and kept in `--cache` with the drafted texts and the generator's state after each block
(checked against the first article's fingerprint made again), so a second run (the other database) neither
drafts nor fingerprints them, and a run started beside one making the cache ahead reads its blocks. What is
measured at each size is not filled in bulk: `--sample` new articles stored through `Store.save_articles` in
batches of 16, on the store's own connection, as a cycle stores them.

Text: word runs (4–12 words) drawn from the Arabic development corpus (../shared/corpus/dev.jsonl, read in
place, never copied into the repository), so that character shingles of unrelated stories overlap as much
as real news does (common words, phrases); the bench measures that and prints it beside the corpus's own
figures. A copy drops a paragraph, changes its lead and adds a site's intro and outro.

At each size it prints, for `--sample` new articles stored in batches of 16 (as the cycle stores them):
- store CPU and wall ms per article (fingerprints are made beforehand, as the extraction worker does), and
  on PostgreSQL the server's CPU beside it (the processes serving the store's database: its backends and an
  autovacuum worker of it);
- the band rows held (the articles' whose rows are within the horizon) and the CPU of one step of the
  cycle's prune, a day after the sample, per article pruned (none is due before 60 days of articles; on
  PostgreSQL the server's CPU included);
- band rows read per article by the near-duplicate lookup, bounded by the window's days (today) and, for
  comparison, without that bound (what the lookup read before migration 0010), and the candidates fetched;
- bytes written per article: SQLite's to disk (/proc/self/io, the WAL and checkpoints included) and the
  WAL's size; PostgreSQL's WAL (its position before and after);
- recall on the sample's copies (grouped with their original) and unrelated articles wrongly grouped;
- wall seconds of `rasd status`'s query (`Store.source_health`), of `Store.search`, and of housekeeping
  (`prune_fetches` + `optimize`).
Figures depend on the machine and its load: run it several times and compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import pickle
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import event, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from rasd.classify import Classification  # noqa: E402
from rasd.config import Source  # noqa: E402
from rasd.extract import FINGERPRINT_BANDS, FINGERPRINT_SCHEME, Article, content_hash, normalize_for_matching  # noqa: E402
from rasd.extract.fingerprint import Fingerprint, fingerprint_of_matching  # noqa: E402
from rasd.storage import NewArticle, Store, duplicates  # noqa: E402
from rasd.storage.articles import article_values, classification_values, region_values  # noqa: E402
from rasd.storage.base import table  # noqa: E402
from rasd.storage.duplicates import (  # noqa: E402
    BAND_HORIZON,
    BAND_PRUNE_STEP,
    DUPLICATE_WINDOW,
    ONE_DAY,
    Placed,
    band_parameters,
    band_rows,
    fingerprint_values,
    group,
    insert_bands,
)
from rasd.storage.models import (  # noqa: E402
    ArticleBandRow,
    ArticleFingerprintRow,
    ArticleRegionRow,
    ArticleRow,
    ClassificationRow,
)
from rasd.storage.search import index_for_search, search_rows, vocabulary_of, write_vocabulary  # noqa: E402
from rasd.storage.sources import source_ids  # noqa: E402

# ../shared beside the checkout (or beside the folder of worktrees)
CORPUS = next(
    (path for up in (REPO.parent, REPO.parent.parent) if (path := up / "shared" / "corpus" / "dev.jsonl").exists()),
    REPO.parent / "shared" / "corpus" / "dev.jsonl",
)
SOURCES = [f"Site {n:03d}" for n in range(100)]
START = datetime(2025, 1, 1)
SSE = Classification(sse=True, score=0.8, regions=["MA-09"], reasons=["matched: تعاونية"], parts={"lexicon": 0.8})
NOT_SSE = Classification(sse=False, score=0.1, regions=[], reasons=[], parts={"lexicon": 0.1})
INTROS = ["أفادت مصادر محلية أن", "علم الموقع من مصادر مطلعة أن", "في خبر أوردته وكالة المغرب العربي للأنباء،"]
BLOCK = 10_000  # articles drafted and fingerprinted at once (a file of the cache)
CHUNK = 5_000  # articles a transaction of the bulk fill
CHECK_EVERY = 101  # every 101st bulk-filled article is also looked up by the store's own lookup
OUTROS = ["تابعونا على صفحتنا لمزيد من الأخبار.", "للمزيد من التفاصيل زوروا موقعنا.", "المصدر: وكالات."]
TEMPLATES = (
    4  # blocks drafted first and reused, shifted, by the blocks a big fill needs no fresh texts for (`reused_before`)
)


@dataclass
class Generated:
    index: int
    source: str
    url: str
    title: str
    text: str
    when: datetime
    copy_of: int | None  # index of the article this one rewrites
    article: Article = field(init=False, repr=False)  # made with the block's fingerprints


Prints = tuple[str, str, str, bytes, tuple[str, ...], list[int]]


def fold_and_fingerprint(drafted: tuple[str, str]) -> Prints:
    """What the extraction worker makes of a title and text: both folded for matching, the content hash,
    the fingerprint (signature, figures) and its band hashes — the expensive part of making an article
    (~2 ms of CPU), hence the pool."""
    title, body = drafted
    folded_title, folded_text = normalize_for_matching(title), normalize_for_matching(body)
    fingerprint = fingerprint_of_matching(f"{folded_title}\n{folded_text}")
    figures = tuple(sorted(fingerprint.figures))
    return folded_title, folded_text, content_hash(body), fingerprint.signature, figures, fingerprint.band_hashes


def alive(claim: Path) -> bool:
    """Whether the process that wrote `claim` (its id) still runs; a claim without an id yet is young."""
    try:
        pid = int(claim.read_text() or 0)
    except (OSError, ValueError):
        return True  # gone meanwhile, or being written
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Writer:
    """Articles made of word runs from the corpus, at `per_day` a day, drafted and fingerprinted BLOCK at a
    time: by `pool` when given, or read from `cache` (a folder) where an earlier run of the same
    `per_day` left them, so that the SQLite and the PostgreSQL runs fingerprint the million only once."""

    def __init__(
        self, per_day: int, seed: int = 16, pool: Pool | None = None, cache: Path | None = None, reuse_before: int = 0
    ) -> None:
        self.rnd = random.Random(seed)
        self.per_day, self.seed, self.pool, self.cache = per_day, seed, pool, cache
        self.reuse_before = reuse_before  # blocks before it, past the first TEMPLATES, reuse those (`reused_before`)
        self.templates: list[list[Generated]] = []
        rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.docs = [row["text"].split() for row in rows if len(row["text"]) > 400]
        self.count = 0
        self.recent: deque[Generated] = deque(maxlen=3 * per_day)  # what a copy may rewrite: 3 days
        self.first: list[Generated] = []  # for `realism`
        self.ready: deque[Generated] = deque()

    def words(self, count: int) -> list[str]:
        out: list[str] = []
        draw, docs = self.rnd.random, self.docs  # random() rather than choice and randint: 3× faster
        while len(out) < count:
            doc = docs[int(draw() * len(docs))]
            start = int(draw() * max(1, len(doc) - 12))
            out.extend(doc[start : start + 4 + int(draw() * 9)])
        return out[:count]

    def paragraphs(self) -> list[str]:
        return [" ".join(self.words(self.rnd.randint(35, 80))) + "." for _ in range(self.rnd.randint(2, 5))]

    def next(self) -> Generated:
        if not self.ready:
            self.block()
        return self.ready.popleft()

    def block(self) -> None:
        """The next BLOCK articles: drafted and fingerprinted, or read from the cache with their drafts (a
        cached block holds the drafts and the generator's state after them, so a run that finds the blocks
        made does not draft them again: drafting is a third of what a bulk-filled article costs)."""
        if TEMPLATES * BLOCK <= self.count < self.reuse_before:
            self.ready.extend(self.reused())
            return
        after_reuse = f"-after{self.reuse_before}" if self.reuse_before and self.count >= self.reuse_before else ""
        path = (
            self.cache
            / f"{FINGERPRINT_SCHEME}-{self.per_day}-{self.seed}{after_reuse}-{self.count // BLOCK:05d}.pickle"
            if self.cache
            else None
        )
        cached = self.cached(path) if path is not None else None
        if cached is not None and "drafts" in cached:
            drafts = [Generated(*fields) for fields in cached["drafts"]]
            self.rnd.setstate(cached["state"])
            self.count += len(drafts)
            for draft in drafts:
                self.remember(draft)
            prints = cached["prints"]
            assert prints[0] == fold_and_fingerprint((drafts[0].title, drafts[0].text)), "made by other code"
        else:
            drafts = [self.draft() for _ in range(BLOCK)]
            prints = self.prints(drafts, cached)
            if path is not None:
                fields = [(g.index, g.source, g.url, g.title, g.text, g.when, g.copy_of) for g in drafts]
                texts = hashlib.sha256(repr([(g.title, g.text) for g in drafts]).encode()).hexdigest()
                block = {"texts": texts, "prints": prints, "drafts": fields, "state": self.rnd.getstate()}
                partial = path.with_suffix(".partial")
                partial.write_bytes(pickle.dumps(block))
                partial.rename(path)
                path.with_suffix(".making").unlink(missing_ok=True)
        for g, (folded_title, folded_text, hashed, signature, figures, bands) in zip(drafts, prints, strict=True):
            fingerprint = Fingerprint(signature, frozenset(figures))
            fingerprint.__dict__["band_hashes"] = bands  # its cached_property, made by the pool
            g.article = Article(
                g.url, g.title, g.text, g.when, "meta", None, "ar", None, hashed, fingerprint=fingerprint,
                matching_title=folded_title, matching_text=folded_text,
            )  # fmt: skip
        if self.reuse_before and len(self.templates) < TEMPLATES:
            self.templates.append(drafts)
        self.ready.extend(drafts)

    def reused(self) -> list[Generated]:
        """The next block made of template block `(count // BLOCK) % TEMPLATES` shifted to the writer's count:
        the same titles, texts, sources, fingerprints and copies (a copy's `copy_of` shifted alike, so it
        rewrites the shifted original of the block before or its own, as in the template), with their own
        index, url, date and content hash (the text's hash and the index hashed together: the store groups
        any two articles of the same hash as one story, and these are distinct articles). Only for articles
        older than the near-duplicate window when the fill ends (`reused_before`): their fingerprints and band
        rows are stored but never read by the lookups measured; their search entries are those of real texts,
        so the search index is a million articles' (the corpus's words in the same proportions)."""
        template = self.templates[(self.count // BLOCK) % TEMPLATES]
        shift = self.count - template[0].index
        made: list[Generated] = []
        for old in template:
            index = old.index + shift
            when = START + timedelta(days=index / self.per_day)
            url = f"https://{old.source.lower().replace(' ', '')}.example/{index}"
            copy_of = None if old.copy_of is None else old.copy_of + shift
            g = Generated(index, old.source, url, old.title, old.text, when, copy_of)
            hashed = hashlib.sha256(f"{old.article.content_hash}:{index}".encode()).hexdigest()
            g.article = dataclasses.replace(old.article, url=url, date=when, content_hash=hashed)
            self.remember(g)
            made.append(g)
        self.count += len(made)
        return made

    @staticmethod
    def cached(path: Path) -> dict[str, Any] | None:
        """The cached block at `path`, or None after claiming it (its `.making` file, holding the claiming
        process's id): a block another run is making is waited for, not made twice — unless that run has
        ended without making it (stopped), when this one claims it."""
        making = path.with_suffix(".making")
        while not path.exists():
            try:
                with making.open("x") as claim:
                    claim.write(str(os.getpid()))
                return None
            except FileExistsError:
                if not alive(making):
                    making.unlink(missing_ok=True)
                    continue
                time.sleep(1)
        cached: dict[str, Any] = pickle.loads(path.read_bytes())
        return cached

    def prints(self, drafts: list[Generated], cached: dict[str, Any] | None) -> list[Prints]:
        """`fold_and_fingerprint` of each draft: from a cached block without drafts (checked against the
        drafts' texts and the first article's prints made again), or made by the pool."""
        texts = [(g.title, g.text) for g in drafts]
        if cached is not None:
            assert cached["texts"] == hashlib.sha256(repr(texts).encode()).hexdigest(), (
                "the fingerprints of other texts"
            )
            assert cached["prints"][0] == fold_and_fingerprint(texts[0]), "fingerprints made by other code"
            return list(cached["prints"])
        if self.pool:
            return self.pool.map(fold_and_fingerprint, texts, chunksize=250)
        return [*map(fold_and_fingerprint, texts)]

    def draft(self) -> Generated:
        index = self.count
        self.count += 1
        when = START + timedelta(days=index / self.per_day)
        source = self.rnd.choice(SOURCES)
        copy_of = None
        original = self.rnd.choice(self.recent) if index > 50 and self.rnd.random() < 0.1 else None
        if original is not None and original.copy_of is None and original.source != source:
            copy_of = original.index
            paragraphs = original.text.split("\n\n")
            if len(paragraphs) > 3:
                paragraphs.pop(self.rnd.randrange(1, len(paragraphs)))
            paragraphs[0] = f"{self.rnd.choice(INTROS)} " + " ".join(self.words(25)) + ". " + paragraphs[0]
            paragraphs.append(self.rnd.choice(OUTROS))
            title = original.title + " " + " ".join(self.words(2))
        else:
            paragraphs = self.paragraphs()
            title = " ".join(self.words(self.rnd.randint(6, 12)))
        body = "\n\n".join(paragraphs)
        url = f"https://{source.lower().replace(' ', '')}.example/{index}"
        made = Generated(index, source, url, title, body, when, copy_of)
        self.remember(made)
        return made

    def remember(self, made: Generated) -> None:
        self.recent.append(made)
        if len(self.first) < 300 and made.copy_of is None:
            self.first.append(made)


def reused_before(size: int, per_day: int) -> int:
    """Where a fill to `size` articles (`Writer(reuse_before=…)`) starts drafting and fingerprinting every block
    again: the block before which no article is within DUPLICATE_WINDOW and two days of the fill's last one.
    The near-duplicate lookup reads band rows of that window only (the index's `day` bounds it): the older
    articles' band rows, held until BAND_HORIZON, are never read, and only their number shapes the index, so
    they may repeat the templates' hashes. 0 — nothing reused — for a fill of less than ~95,000 articles.
    Filling a million then drafts and fingerprints ~90,000 articles (the templates, the last 16 days), not a
    million."""
    last = (size - 1) / per_day
    first_fresh = int((last - (DUPLICATE_WINDOW + 2 * ONE_DAY) / ONE_DAY) * per_day)
    start = first_fresh // BLOCK * BLOCK
    return start if start > TEMPLATES * BLOCK else 0


def realism(writer: Writer, pairs: int = 400) -> str:
    """Estimated Jaccard of unrelated pairs and their chance of sharing a band: generated vs corpus."""
    from rasd.extract import fingerprint_of

    rnd = random.Random(1)
    generated = [g.article.fingerprint for g in writer.first]
    corpus = [fingerprint_of("", " ".join(doc)) for doc in writer.docs[:300]]

    def figures(prints: list) -> str:
        sims, shared = [], 0
        for _ in range(pairs):
            a, b = rnd.sample(prints, 2)
            sims.append(a.similarity(b))
            shared += bool(set(enumerate(a.band_hashes)) & set(enumerate(b.band_hashes)))
        sims.sort()
        mean, p99 = sum(sims) / len(sims), sims[int(len(sims) * 0.99)]
        return f"Jaccard mean {mean:.3f}, p99 {p99:.3f}; share a band {shared / pairs:.1%}"

    return f"unrelated pairs — generated: {figures(generated)} | corpus: {figures(corpus)}"


def disk_writes() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def written_bytes(store: Store) -> int:
    """Bytes written so far: this process's disk writes (SQLite: the WAL and checkpoints), or the WAL
    PostgreSQL's server has written (its position: every backend's, autovacuum's included)."""
    if store.is_sqlite:
        return disk_writes()
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")).scalar() or 0)


def server_cpu(store: Store, own: bool = False) -> float:
    """CPU seconds of PostgreSQL's server so far (its postmaster's processes: backends, autovacuum, WAL and
    checkpoints), 0 on SQLite, whose work is this process's own. `own`: only the processes now serving the
    store's database (its connections' backends and an autovacuum worker of it): another database of the same
    server filled or searched meanwhile is left out, and so are backends that ended."""
    if store.is_sqlite:
        return 0.0
    with store.engine.connect() as connection:
        folder = Path(str(connection.execute(text("SHOW data_directory")).scalar()))
        serving = connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
        pids = {str(pid) for pid in serving.scalars()}
    if own:
        ticks = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    postmaster = (folder / "postmaster.pid").read_text().split()[0]
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if stat.parent.name == postmaster or fields[1] == postmaster:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        if stat.parent.name == postmaster:  # and its backends that have ended (a command's connections)
            ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def new_article(g: Generated) -> NewArticle:
    return NewArticle(g.source, g.url, g.article, SSE if g.index % 10 == 0 else NOT_SSE)


def save(store: Store, batch: list[Generated]) -> list[int | None]:
    """A batch stored as the cycle stores it, at the time the generator is at (the articles' storing time,
    which the band rows' horizon is counted from, is the generator's, not the machine's clock)."""
    with mock.patch("rasd.storage.articles.utcnow", return_value=batch[-1].when):
        return store.save_articles([new_article(g) for g in batch])


def fill_pragmas(connection: Any, _record: Any) -> None:
    """The fill's own settings, on its own connections only: no fsync, a 4 GB page cache (the band index of a
    million articles is ~3 GB; its random inserts then stay in memory)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA cache_size=-4000000")
    cursor.close()


def is_sse(g: Generated) -> bool:
    return g.index % 10 == 0


# A known original's source, its story's original and that one's source, and its fingerprint.
KNOWN = text(
    "SELECT a.source_id, COALESCE(a.duplicate_of, a.id), o.source_id, f.signature, f.figures FROM articles a"
    " JOIN article_fingerprints f ON f.article_id = a.id JOIN articles o ON o.id = COALESCE(a.duplicate_of, a.id)"
    " WHERE a.id = :id"
)


class Grouping:
    """Near-duplicate grouping of the bulk-filled articles, as `Store.save_articles` groups them: the store's
    own decision (storage.duplicates.group: which article becomes the story's original, the copies moved
    to it), with its candidate lookup — what makes storing cost more as the store grows — replaced by what
    the generator knows: a copy's candidates are the article it rewrites and the other copies of that article
    stored before it (a second rewrite may be nearer to the first rewrite than to the original: the lookup finds
    either), each taken when the two share a band, come from other sites and are the same story
    (`Fingerprint.same_stories`, the lookup's own verdict). Every CHECK_EVERY-th article is also looked up by the
    store's own lookup (`near_duplicate_originals`) at its turn, and a different answer counted (`differ`): the
    articles stored after it in the same transaction are left out of that comparison, as they were not stored
    yet when the cycle would store it."""

    def __init__(self) -> None:
        self.checked = self.differ = 0
        self.family: dict[int, list[int]] = {}  # an original's index → the ids of its copies stored so far

    def place(
        self, session: Session, made: list[Generated], stored: list[int], ids: dict[int, int], checked_from: datetime
    ) -> None:
        """Group the copies among `made` (stored as `stored`); the articles dated from `checked_from` on, whose
        window holds only articles with band rows, are the ones compared with the store's lookup."""
        sources = source_ids(session)
        copies: dict[int, list[int]] = {}
        for g, i in zip(made, stored, strict=True):
            if g.copy_of in ids:
                siblings = self.family.setdefault(g.copy_of, [])  # type: ignore[arg-type]
                copies[i] = [ids[g.copy_of], *siblings]  # type: ignore[index]
                siblings.append(i)

        def known(session: Session, row: Placed, fingerprint: Fingerprint) -> set[int]:
            kept = []
            for candidate in copies.get(row.id, []):
                source, story, story_source, signature, figures = session.execute(KNOWN, {"id": candidate}).one()
                other = Fingerprint(signature, frozenset(figures.split()))
                shared = any(a == b for a, b in zip(fingerprint.band_hashes, other.band_hashes, strict=True))
                if shared and row.source_id not in (source, story_source):
                    kept.append((story, signature, figures))
            if not kept:
                return set()
            verdicts = fingerprint.same_stories([(signature, figures) for _, signature, figures in kept])
            return {story for (story, _, _), same in zip(kept, verdicts, strict=True) if same}

        lookup = duplicates.near_duplicate_originals
        with mock.patch.object(duplicates, "near_duplicate_originals", known):
            for g, i in zip(made, stored, strict=True):
                fingerprint = g.article.fingerprint
                assert fingerprint is not None
                placed = Placed(i, sources[g.source], g.article.content_hash, g.when, is_sse(g))
                if g.index % CHECK_EVERY == 0 and g.when >= checked_from:
                    self.checked += 1
                    self.differ += {o for o in lookup(session, placed, fingerprint) if o < i} != known(
                        session, placed, fingerprint
                    )
                if i in copies:
                    group(session, placed, fingerprint)


class Banded:
    """From which article on a bulk fill of `count` articles writes band rows. The articles stored more than
    BAND_HORIZON before the fill's last one would have had theirs deleted by the end of the fill
    (`Store.prune_bands`, as the cycles would have): writing them only to delete them was a fifth of the
    fill's time. The boundary is a step of the prune's (BAND_PRUNE_STEP ids from the oldest article holding
    band rows when the fill starts) at least a day before the horizon, so the prune steps that follow, and
    the band rows left at the end of the fill, are those of a store that wrote them all."""

    def __init__(self, fill: Store, writer: Writer, count: int) -> None:
        self.first_index = writer.count - len(writer.ready)
        last = START + timedelta(days=(self.first_index + count - 1) / writer.per_day)
        days = (last - BAND_HORIZON - ONE_DAY - START) / ONE_DAY
        self.horizon_index = max(0, int(days * writer.per_day))  # the first article younger than that
        self.per_day, self.id = writer.per_day, 0
        self.checked_from = datetime.min  # the articles whose lookup can be checked: all, unless some lack rows
        with fill.session() as session:
            self.oldest = session.scalar(select(func.min(ArticleBandRow.article_id)))

    def first_id(self, offset: int) -> None:
        """Set the boundary, once the fill knows its ids (`offset`: an article's id less its index)."""
        if self.id:
            return
        oldest = self.oldest or self.first_index + offset
        steps = max(0, (self.horizon_index + offset - oldest) // BAND_PRUNE_STEP)
        self.id = oldest + steps * BAND_PRUNE_STEP
        if self.id > self.first_index + offset:  # some are left without: checked from a window after them
            after = START + timedelta(days=(self.id - offset) / self.per_day) + DUPLICATE_WINDOW
            self.checked_from = max(self.checked_from, after)


def bulk_fill(fill: Store, writer: Writer, count: int, ids: dict[int, int], grouping: Grouping) -> None:
    """Store `count` generated articles, fast, with the rows `Store.save_articles` would store: article,
    classification, regions, fingerprint and bands (built by the very functions it uses), the search
    entries (its own `search_rows`), and the grouping of copies (`Grouping`), CHUNK articles a
    transaction. `fill` is a Store of its own with `fill_pragmas`, so the measured store keeps the cycle's
    settings; PostgreSQL's fill transactions do not wait for the WAL flush at commit, write every table by COPY
    (`copy_chunk`) and build the indexes the fill does not read once, at its end (`Deferred`)."""
    started, cpu, done = time.perf_counter(), time.process_time(), 0
    banded = Banded(fill, writer, count)
    if writer.reuse_before:  # the lookup of an article whose window holds reused fingerprints is not compared
        fresh = START + timedelta(days=writer.reuse_before / writer.per_day) + DUPLICATE_WINDOW
        banded.checked_from = max(banded.checked_from, fresh)
    deferred = None if fill.is_sqlite else Deferred(fill)
    while done < count:
        made = [writer.next() for _ in range(min(CHUNK, count - done))]
        items = [new_article(g) for g in made]
        with fill.session() as session, session.begin():
            if deferred is not None:
                session.execute(text("SET LOCAL synchronous_commit = off"))
                stored = copy_chunk(session, made, items, ids, banded, deferred)
            else:
                stored = insert_chunk(session, made, items, ids, banded)
            grouping.place(session, made, stored, ids, checked_from=banded.checked_from)
            if deferred is None:
                index_for_search(session, True, [(i, g.article) for i, g in zip(stored, made, strict=True)])
        while fill.prune_bands(now=made[-1].when):
            pass  # as the cycles would have, one step each: every article stored before the horizon
        done += len(made)
        if done % 25_000 < CHUNK or done == count:
            print(
                f"  … {writer.count - len(writer.ready):,} stored, {done / (time.perf_counter() - started):,.0f}"
                f" articles/s since {writer.count - len(writer.ready) - done:,}"
                f" ({1000 * (time.process_time() - cpu) / done:.1f} ms CPU an article here, the fingerprints"
                f" made by the pool or read from the cache aside); grouping checked on"
                f" {grouping.checked:,} articles against the store's lookup, {grouping.differ} differ",
                flush=True,
            )
    if deferred is not None:
        rebuilt = time.perf_counter()
        deferred.restore()
        print(f"  indexes and foreign keys made again in {time.perf_counter() - rebuilt:.0f} s", flush=True)


def insert_chunk(
    session: Session, made: list[Generated], items: list[NewArticle], ids: dict[int, int], banded: Banded
) -> list[int]:
    """SQLite: a chunk's rows but the search index's, by executemany of the store's own statements' rows."""
    sources = source_ids(session)
    articles = table(ArticleRow)
    stored = list(
        session.execute(
            insert(articles).returning(articles.c.id, sort_by_parameter_order=True),
            [article_values(sources[item.source], item, g.when) for g, item in zip(made, items, strict=True)],
        ).scalars()
    )
    ids.update((g.index, i) for g, i in zip(made, stored, strict=True))
    banded.first_id(stored[0] - made[0].index)
    session.execute(
        insert(table(ClassificationRow)),
        [classification_values(i, item, g.when) for i, item, g in zip(stored, items, made, strict=True)],
    )
    regions = [row for i, item in zip(stored, items, strict=True) for row in region_values(i, item)]
    if regions:
        session.execute(insert(table(ArticleRegionRow)), regions)
    prints = [
        fingerprint_values(i, g.article.fingerprint, g.when)  # type: ignore[arg-type]
        for i, g in zip(stored, made, strict=True)
    ]
    session.execute(insert(table(ArticleFingerprintRow)), [signature for signature, _ in prints])
    insert_bands(session, [band for _, bands in prints for band in bands if band["article_id"] >= banded.id])
    return stored


def copy_rows(session: Session, name: str, rows: list[dict[str, Any]]) -> None:
    """Rows (dictionaries of one table's columns, as the store's own `…_values` functions build them) written
    by PostgreSQL's COPY."""
    if not rows:
        return
    columns = list(rows[0])
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    quoted = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def copy_chunk(
    session: Session,
    made: list[Generated],
    items: list[NewArticle],
    ids: dict[int, int],
    banded: Banded,
    deferred: Deferred,
) -> list[int]:
    """PostgreSQL: a chunk's rows, every table's by COPY — the rows `save_articles` writes, built by its own
    functions (`article_values`, `classification_values`, `region_values`, `fingerprint_values`, `search_rows`),
    the ids taken from the articles' own sequence in storing order; the vocabulary of the search index kept
    for the end of the fill (`Deferred.words`), where it is added as `write_index_rows` adds it."""
    sources = source_ids(session)
    stored = sorted(
        session.scalars(
            text("SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :n)"),
            {"n": len(made)},
        )
    )
    ids.update((g.index, i) for g, i in zip(made, stored, strict=True))
    banded.first_id(stored[0] - made[0].index)
    copy_rows(
        session,
        "articles",
        [
            {"id": i} | article_values(sources[item.source], item, g.when)
            for i, g, item in zip(stored, made, items, strict=True)
        ],
    )
    copy_rows(
        session,
        "classifications",
        [classification_values(i, item, g.when) for i, item, g in zip(stored, items, made, strict=True)],
    )
    copy_rows(
        session,
        "article_regions",
        [row for i, item in zip(stored, items, strict=True) for row in region_values(i, item)],
    )
    prints = [
        fingerprint_values(i, g.article.fingerprint, g.when)  # type: ignore[arg-type]
        for i, g in zip(stored, made, strict=True)
    ]
    copy_rows(session, "article_fingerprints", [signature for signature, _ in prints])
    insert_bands(session, [band for _, bands in prints for band in bands if band["article_id"] >= banded.id])
    rows = search_rows([(i, g.article) for i, g in zip(stored, made, strict=True)])
    copy_rows(session, "article_search", [{"article_id": row["id"], "body": row["body"]} for row in rows])
    deferred.words |= vocabulary_of(rows)
    return stored


# What the bulk fill itself reads while it fills (its grouping, the lookups it checks, the prune): kept live.
FILL_READS = {
    "articles_pkey",
    "ix_articles_content_hash",
    "ix_articles_duplicate_of",
    "article_fingerprints_pkey",
    "classifications_pkey",
    "article_bands_pkey",
    "ix_article_bands_lookup",
    "ix_digest_items_article",
}
FILLED = ("articles", "classifications", "article_regions", "article_fingerprints", "article_bands", "article_search")


class Deferred:
    """PostgreSQL's indexes the bulk fill does not read (FILL_READS) and the foreign keys of the tables it fills,
    dropped for the fill and made again at its end (`restore`: the same definitions, read from the catalog
    before; a foreign key added back checks every row at once), then the vocabulary of the search index added
    and the store ANALYZEd. The indexes then hold what they would have held, built in one pass each rather
    than by a million inserts (the search index's GIN the costliest)."""

    def __init__(self, fill: Store) -> None:
        self.fill, self.words = fill, set[str]()
        tables = {"tables": list(FILLED)}
        with fill.session() as session, session.begin():
            self.keys = session.execute(
                text(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE contype = 'f' AND conrelid::regclass::text = ANY(:tables) ORDER BY conname"
                ),
                tables,
            ).all()
            self.indexes = session.execute(
                text(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public'"
                    " AND i.tablename = ANY(:tables) AND i.indexname != ALL(:kept) AND NOT EXISTS"
                    " (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)"
                    " ORDER BY i.indexname"
                ),
                tables | {"kept": sorted(FILL_READS)},
            ).all()
            for table_name, name, _ in self.keys:
                session.execute(text(f'ALTER TABLE {table_name} DROP CONSTRAINT "{name}"'))
            for name, _ in self.indexes:
                session.execute(text(f'DROP INDEX "{name}"'))
        print(f"  deferred: {len(self.indexes)} indexes, {len(self.keys)} foreign keys", flush=True)

    def restore(self) -> None:
        with self.fill.session() as session, session.begin():
            session.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
            for _, definition in self.indexes:
                session.execute(text(definition))
            for table_name, name, definition in self.keys:
                session.execute(text(f'ALTER TABLE {table_name} ADD CONSTRAINT "{name}" {definition}'))
            write_vocabulary(session, self.words)


def saved_fill(fill: Store, writer: Writer, count: int, ids: dict[int, int]) -> None:
    """`count` articles stored as a cycle stores them: `save` in batches of 16, one step of the band rows' prune
    after each (what `bulk_fill` must match row for row: bench/compare_stores.py)."""
    done = 0
    while done < count:
        batch = [writer.next() for _ in range(min(16, count - done))]
        for g, stored in zip(batch, save(fill, batch), strict=True):
            if stored is not None:
                ids[g.index] = stored
        fill.prune_bands(now=batch[-1].when)
        done += len(batch)


def measure(store: Store, writer: Writer, sample: int, ids: dict[int, int]) -> dict[str, float]:
    made = [writer.next() for _ in range(sample)]
    cpu, wall, written = time.process_time(), time.perf_counter(), written_bytes(store)
    server = server_cpu(store, own=True)
    for start in range(0, sample, 16):
        batch = made[start : start + 16]
        for g, stored in zip(batch, save(store, batch), strict=True):
            if stored is not None:
                ids[g.index] = stored
    cpu, wall, server = time.process_time() - cpu, time.perf_counter() - wall, server_cpu(store, own=True) - server
    written = written_bytes(store) - written
    # The cycle's prune: one step, a day after the sample (the fill left less than a step past the horizon)
    pruning, before = time.process_time(), server_cpu(store)
    pruned = store.prune_bands(now=made[-1].when + timedelta(days=1))
    pruning = time.process_time() - pruning + server_cpu(store) - before  # PostgreSQL: the server's work too
    windowed = text(f"SELECT count(*) FROM ({band_rows()}) AS windowed")
    unbounded = text(
        "SELECT count(*) FROM article_bands WHERE "
        + " OR ".join(f"(band = {band} AND hash = :h{band})" for band in range(FINGERPRINT_BANDS))
    )
    candidates = text(
        f"SELECT count(DISTINCT b.article_id) FROM ({band_rows()}) b JOIN articles a ON a.id = b.article_id"
        " WHERE COALESCE(a.published_at, a.fetched_at) BETWEEN :earliest AND :latest"
    )
    rows_windowed = rows_unbounded = fetched = 0
    with store.engine.connect() as connection:
        for g in made[:100]:
            parameters = band_parameters(g.article.fingerprint, g.when)  # type: ignore[arg-type]
            rows_windowed += connection.execute(windowed, parameters).scalar() or 0
            rows_unbounded += connection.execute(unbounded, parameters).scalar() or 0
            window = {"earliest": g.when - DUPLICATE_WINDOW, "latest": g.when + DUPLICATE_WINDOW}
            fetched += connection.execute(candidates, parameters | window).scalar() or 0
    with store.session() as session:
        rows = session.execute(text("SELECT id, COALESCE(duplicate_of, id) FROM articles")).all()
        original: dict[int, int] = {article: story for article, story in rows}
    copies = [g for g in made if g.copy_of is not None and g.copy_of in ids]
    found = sum(original[ids[g.index]] == original[ids[g.copy_of]] for g in copies)  # type: ignore[index]
    wrongly = sum(original[ids[g.index]] != ids[g.index] for g in made if g.copy_of is None)
    wal = Path(f"{store.engine.url.database}-wal") if store.is_sqlite else None
    return {
        "cpu_ms": 1000 * cpu / sample,
        "prune_ms": 1000 * pruning / pruned if pruned else float("nan"),
        "pruned": pruned,
        "server_ms": 1000 * server / sample,
        "wall_ms": 1000 * wall / sample,
        "rows_read": rows_windowed / min(sample, 100),
        "rows_unbounded": rows_unbounded / min(sample, 100),
        "candidates": fetched / min(sample, 100),
        "kb_written": written / sample / 1024,
        "wal_mb": (wal.stat().st_size / 2**20) if wal and wal.exists() else 0.0,
        "recall": found / len(copies) if copies else float("nan"),
        "copies": len(copies),
        "wrongly": wrongly,
    }


def written_pages(store: Store, writer: Writer, ids: dict[int, int]) -> str:
    """Where the bytes written go: one more batch of 16 stored after a checkpoint that empties the WAL, the
    WAL's frames read back and each page named by the b-tree it belongs to (SQLite's dbstat table). The
    checkpoint later writes each of these pages once more into the database file."""
    import sqlite3
    import struct
    from collections import Counter

    with store.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    batch = [writer.next() for _ in range(16)]
    for g, article_id in zip(batch, save(store, batch), strict=True):
        if article_id is not None:
            ids[g.index] = article_id
    path = str(store.engine.url.database)
    wal = Path(f"{path}-wal").read_bytes()
    size = struct.unpack(">I", wal[8:12])[0]
    frames = {
        struct.unpack(">I", wal[32 + i * (24 + size) : 36 + i * (24 + size)])[0]
        for i in range((len(wal) - 32) // (24 + size))
    }
    with sqlite3.connect(path) as db:
        owners = Counter(name for name, page in db.execute("SELECT name, pageno FROM dbstat") if page in frames)
    parts = ", ".join(f"{name} {count}" for name, count in owners.most_common(5))
    per_article = len(frames) * size / 16 / 1024
    return f"a batch of 16 wrote {len(frames)} pages ({per_article:.0f} KB an article to the WAL): {parts}"


def sizes_of(store: Store) -> str:
    """The largest tables and indexes of an SQLite store, in MB (SQLite's dbstat table), and the file's size."""
    import sqlite3

    path = str(store.engine.url.database)
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE ORDER BY pgsize DESC LIMIT 9"
        ).fetchall()
    parts = ", ".join(f"{name} {size / 2**20:,.0f}" for name, size in rows)
    return f"file {Path(path).stat().st_size / 2**20:,.0f} MB; the largest, in MB: {parts}"


def timed(work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="stored articles at which to measure")
    parser.add_argument("--per-day", type=int, default=3000)
    parser.add_argument("--sample", type=int, default=400, help="articles stored and timed at each size")
    parser.add_argument(
        "--url",
        help="a database URL (default: an SQLite file in a temporary folder); with --rounds, {size} in it names each"
        " size's database (existing, kept: grown from what it holds by the next run)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--postgres", action="store_true", help="on a server of tests/postgres.py, started here")
    parser.add_argument("--workers", type=int, default=2, help="processes making the fingerprints")
    parser.add_argument("--page-size", type=int, help="SQLite: the new file's page size (default: SQLite's 4096)")
    parser.add_argument("--cache", type=Path, help="a folder for the fingerprints made, reused by the next run")
    parser.add_argument("--rounds", type=int, help="one store a size, filled apart, measured in turn this many times")
    parser.add_argument("--dir", type=Path, help="with --rounds on SQLite: the stores kept here (DIR/SIZE/rasd.db)")
    parser.add_argument(
        "--reuse-before",
        type=int,
        help="with --rounds: drafted blocks reused before this index (default: where a fill may)",
    )
    parser.add_argument(
        "--fill",
        choices=("bulk", "save"),
        default="bulk",
        help="with --rounds: fill each store in bulk (`bulk_fill`), or through `Store.save_articles` in batches of 16"
        " as a cycle stores them (slow: to compare the two with bench/compare_stores.py)",
    )
    parser.add_argument("--fill-only", action="store_true", help="with --rounds: fill the stores, measure nothing")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.rounds and args.url:
        if "{size}" not in args.url:
            parser.error("--rounds with --url: the URL names each size's database with {size}")
        run_apart(args, [args.url.replace("{size}", str(size)) for size in sizes])
    elif args.postgres:
        from tests.postgres import new_database, postgres_server

        with postgres_server() as admin:
            if args.rounds:
                run_apart(args, [new_database(admin) for _ in sizes])
            else:
                args.url = new_database(admin)
                run(args)
    elif args.rounds:
        folder = args.dir or Path(tempfile.mkdtemp(prefix="rasd-growth-"))
        for size in sizes:
            (folder / str(size)).mkdir(parents=True, exist_ok=True)
        run_apart(args, [f"sqlite:///{folder / str(size) / 'rasd.db'}" for size in sizes])
        print(f"the stores are kept: {folder}")
    else:
        run(args)


@dataclass
class Grown:
    """One store of `run_apart`: its size, the store measured, and its own writer and ids."""

    size: int
    store: Store
    writer: Writer
    ids: dict[int, int]
    cpu_ms: list[float] = field(default_factory=list)


def grown(url: str, size: int, args: argparse.Namespace, pool: Pool | None) -> Grown:
    """A store at `url` filled to `size` articles, grown from what it holds (the generator skipping as many:
    drafted and fingerprinted again unless `--cache` holds them) — reusing drafted blocks when grown from
    empty (`reused_before`)."""
    store, fill = Store(url), Store(url)
    if fill.is_sqlite:
        event.listen(fill.engine, "connect", fill_pragmas)
        fill.engine.dispose()
    store.sync_sources([Source(name=name, url=f"https://{name.lower().replace(' ', '')}.example/") for name in SOURCES])
    with store.session() as session:
        rows = session.execute(text("SELECT id, url FROM articles")).all()
    reuse = reused_before(size, args.per_day) if args.reuse_before is None else args.reuse_before
    writer = Writer(args.per_day, pool=pool, cache=args.cache, reuse_before=reuse)
    ids = {int(row_url.rsplit("/", 1)[1]): article for article, row_url in rows}
    for _ in range(len(rows)):
        writer.next()
    if len(rows) < size:
        started = time.perf_counter()
        print(f"filling {url}: {len(rows):,} → {size:,}, drafted blocks reused before {writer.reuse_before:,}")
        if args.fill == "save":
            saved_fill(fill, writer, size - len(rows), ids)
        else:
            bulk_fill(fill, writer, size - len(rows), ids, Grouping())
        with fill.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)" if fill.is_sqlite else "ANALYZE"))
        print(f"filled {size:,} in {time.perf_counter() - started:.0f} s", flush=True)
    fill.close()
    return Grown(size, store, writer, ids)


def run_apart(args: argparse.Namespace, urls: list[str]) -> None:
    """Each size in a store of its own, filled first (smallest first), then `--sample` articles stored into
    each in turn, `--rounds` times: a change of the machine's load hits every size alike, and the ratio of
    each round's largest to smallest is printed with their median (a store grows by rounds × sample)."""
    sizes = [int(size) for size in args.sizes.split(",")]
    pool = Pool(args.workers) if args.workers > 1 else None  # forked before any connection is opened
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    stores = [grown(url, size, args, pool) for url, size in zip(urls, sizes, strict=True)]
    if args.fill_only:
        return
    ratios: list[float] = []
    for round_ in range(1, args.rounds + 1):
        for entry in stores:
            figures = measure(entry.store, entry.writer, args.sample, entry.ids)
            entry.cpu_ms.append(figures["cpu_ms"])
            with entry.store.session() as session:
                count = session.scalar(text("SELECT count(*) FROM articles")) or 0
            print(
                f"round {round_} · {count:>9,} stored · store {figures['cpu_ms']:.1f} ms CPU"
                + ("" if entry.store.is_sqlite else f" (+ {figures['server_ms']:.1f} ms the server's)")
                + f" {figures['wall_ms']:.1f} ms wall an article · band rows read {figures['rows_read']:.0f}"
                f" · candidates {figures['candidates']:.1f} · {figures['kb_written']:.0f} KB written an article"
                f" · copies grouped {figures['recall']:.1%} of {figures['copies']}, unrelated grouped"
                f" {figures['wrongly']} · load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        ratios.append(stores[-1].cpu_ms[-1] / stores[0].cpu_ms[-1])
        print(f"round {round_}: {sizes[-1]:,} / {sizes[0]:,} = {ratios[-1]:.2f}×", flush=True)
    print(
        f"store CPU an article, {sizes[-1]:,} / {sizes[0]:,}: "
        + ", ".join(f"{ratio:.2f}" for ratio in ratios)
        + f" — median {statistics.median(ratios):.2f}×"
    )
    for entry in stores:
        status = timed(entry.store.source_health)
        search = timed(lambda: entry.store.search("تعاونية الفلاحين"))  # noqa: B023
        with entry.store.session() as session:
            copies, count = session.execute(text("SELECT count(duplicate_of), count(*) FROM articles")).one()
        hits = []  # what a store of reused blocks should match as often as one written all fresh
        for word in ("المغرب", "إيريك", "تعاونية"):
            found = entry.store.search(word)
            hits.append(f"{word} {found.total:,}{'+' if found.more else ''}")
        print(
            f"{entry.size:,}: status {status:.2f} s · search {search:.3f} s · {copies:,} of {count:,} articles"
            f" grouped as copies ({copies / count:.2%}) · matches: {', '.join(hits)}",
            flush=True,
        )
        if entry.store.is_sqlite:
            print("         " + sizes_of(entry.store), flush=True)
        entry.store.close()


def run(args: argparse.Namespace) -> None:
    sizes = [int(size) for size in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="rasd-growth-"))
    url = args.url or f"sqlite:///{folder / 'rasd.db'}"
    if args.page_size and not args.url:
        import sqlite3

        with sqlite3.connect(folder / "rasd.db") as created:  # set before the first table, kept for good
            created.execute(f"PRAGMA page_size={args.page_size:d}")
            created.execute("VACUUM")
    pool = Pool(args.workers) if args.workers > 1 else None  # forked before any connection is opened
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    store = Store(url)
    fill = Store(url)
    if fill.is_sqlite:
        event.listen(fill.engine, "connect", fill_pragmas)
        fill.engine.dispose()
    store.sync_sources([Source(name=name, url=f"https://{name.lower().replace(' ', '')}.example/") for name in SOURCES])
    writer = Writer(args.per_day, pool=pool, cache=args.cache)
    ids: dict[int, int] = {}
    grouping = Grouping()
    print(f"store: {url}; {args.per_day} articles a day over {len(SOURCES)} sources, 10% rewritten copies")
    stored = 0
    for size in sizes:
        fill_start = time.perf_counter()
        if size - args.sample > stored:
            bulk_fill(fill, writer, size - args.sample - stored, ids, grouping)
            stored = size - args.sample
        with fill.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # SQLite: the WAL emptied; PostgreSQL: statistics as autovacuum keeps them on a store grown slowly
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)" if fill.is_sqlite else "ANALYZE"))
        filled = time.perf_counter() - fill_start
        figures = measure(store, writer, args.sample, ids)
        stored += args.sample
        status = timed(store.source_health)
        search = timed(lambda: store.search("تعاونية الفلاحين"))
        housekeeping = timed(lambda: store.prune_fetches(90)) + timed(store.optimize)
        with store.session() as session:
            count = session.query(ArticleRow).count()
            held = session.scalar(text("SELECT count(*) FROM article_bands")) or 0
        print(
            f"{count:>8} stored (fill {filled:.0f} s)"
            f" · store {figures['cpu_ms']:.1f} ms CPU"
            + ("" if store.is_sqlite else f" (+ {figures['server_ms']:.1f} ms the server's)")
            + f" {figures['wall_ms']:.1f} ms"
            f" wall an article · band rows' prune {figures['prune_ms']:.1f} ms CPU an article pruned"
            f" ({figures['pruned']:,} in a step)"
            f" · band rows held {held:,} ({held / FINGERPRINT_BANDS:,.0f} articles')"
            f" · band rows read {figures['rows_read']:.0f} (unbounded by the window:"
            f" {figures['rows_unbounded']:.0f}) · candidates {figures['candidates']:.1f}"
            + (
                f" · {figures['kb_written']:.0f} KB written an article, WAL {figures['wal_mb']:.0f} MB"
                if store.is_sqlite
                else f" · {figures['kb_written']:.0f} KB of WAL an article"
            )
            + f" · copies grouped {figures['recall']:.1%} of {figures['copies']},"
            f" unrelated grouped {figures['wrongly']}"
            f" · status {status:.2f} s · search {search:.3f} s · housekeeping {housekeeping:.1f} s",
            flush=True,
        )
        if store.is_sqlite:
            print("         " + written_pages(store, writer, ids), flush=True)
            print("         " + sizes_of(store), flush=True)
            stored += 16
    print(realism(writer))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    store.close()
    fill.close()
    if args.keep:
        print(f"kept: {folder}")
    else:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
