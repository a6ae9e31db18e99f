"""Store growth: does storing an article, `rasd status`, search and housekeeping cost the same at 100,000
stored articles as at 10,000 (issue 16)?

    .venv/bin/python bench/bench_store_growth.py                       # 10k and 100k on SQLite, ~15 min
    .venv/bin/python bench/bench_store_growth.py --sizes 2000,10000    # a quick run
    .venv/bin/python bench/bench_store_growth.py --url postgresql://…  # an empty PostgreSQL database

Fills a store through `Store.save_articles` — the cycle's own path, in transactions of 500 articles to get
there sooner — with generated articles at a monitor's pace: `--per-day` (3,000: a hundred sites) spread over
100 sources, 10% of them a rewritten copy, by another source, of an article of the three days before. Dates
advance with the store, as they do when a store grows over months; the near-duplicate window therefore holds
the same number of articles at every size (filling 1M articles over a fixed two years would instead make
the window itself 100 times denser).

Text: word runs (4–12 words) drawn from the Arabic development corpus (../shared/corpus/dev.jsonl, read in
place, never copied into the repository), so that character shingles of unrelated stories overlap as much
as real news does (common words, phrases); the bench measures that and prints it beside the corpus's own
figures. A copy drops a paragraph, changes its lead and adds a site's intro and outro.

At each size it prints, for `--sample` new articles stored in batches of 16 (as the cycle stores them):
- store CPU and wall ms per article (fingerprints are made beforehand, as the extraction worker does);
- band rows read per article by the near-duplicate lookup, bounded by the window's days (today) and, for
  comparison, without that bound (what the lookup read before migration 0010), and the candidates fetched;
- bytes written to disk per article (/proc/self/io, the WAL and checkpoints included) and the WAL's size;
- recall on the sample's copies (grouped with their original) and unrelated articles wrongly grouped;
- wall seconds of `rasd status`'s query (`Store.source_health`), of `Store.search`, and of housekeeping
  (`prune_fetches` + `optimize`).
Figures depend on the machine and its load: run it several times and compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import event, insert, text  # noqa: E402

from rasd.classify import Classification  # noqa: E402
from rasd.config import Source  # noqa: E402
from rasd.extract import FINGERPRINT_BANDS, Article, content_hash, normalize_for_matching  # noqa: E402
from rasd.extract.fingerprint import fingerprint_of_matching  # noqa: E402
from rasd.storage import NewArticle, Store, utcnow  # noqa: E402
from rasd.storage.articles import article_values, classification_values, region_values  # noqa: E402
from rasd.storage.base import table  # noqa: E402
from rasd.storage.duplicates import DUPLICATE_WINDOW, band_parameters, band_terms, fingerprint_values  # noqa: E402
from rasd.storage.models import (  # noqa: E402
    ArticleBandRow,
    ArticleFingerprintRow,
    ArticleRegionRow,
    ArticleRow,
    ClassificationRow,
)
from rasd.storage.search import index_for_search  # noqa: E402
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
OUTROS = ["تابعونا على صفحتنا لمزيد من الأخبار.", "للمزيد من التفاصيل زوروا موقعنا.", "المصدر: وكالات."]


@dataclass
class Generated:
    index: int
    source: str
    url: str
    title: str
    text: str
    when: datetime
    copy_of: int | None  # index of the article this one rewrites
    article: Article = field(repr=False)


class Writer:
    """Articles made of word runs from the corpus, at `per_day` a day."""

    def __init__(self, per_day: int, seed: int = 16) -> None:
        self.rnd = random.Random(seed)
        self.per_day = per_day
        rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.docs = [row["text"].split() for row in rows if len(row["text"]) > 400]
        self.count = 0
        self.recent: deque[Generated] = deque(maxlen=3 * per_day)  # what a copy may rewrite: 3 days
        self.first: list[Generated] = []  # for `realism`

    def words(self, count: int) -> list[str]:
        out: list[str] = []
        while len(out) < count:
            doc = self.rnd.choice(self.docs)
            start = self.rnd.randrange(max(1, len(doc) - 12))
            out.extend(doc[start : start + self.rnd.randint(4, 12)])
        return out[:count]

    def paragraphs(self) -> list[str]:
        return [" ".join(self.words(self.rnd.randint(35, 80))) + "." for _ in range(self.rnd.randint(2, 5))]

    def next(self) -> Generated:
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
        folded_title, folded_text = normalize_for_matching(title), normalize_for_matching(body)
        article = Article(
            url, title, body, when, "meta", None, "ar", None, content_hash(body),
            fingerprint=fingerprint_of_matching(f"{folded_title}\n{folded_text}"),
            matching_title=folded_title, matching_text=folded_text,
        )  # fmt: skip
        made = Generated(index, source, url, title, body, when, copy_of, article)
        self.recent.append(made)
        if len(self.first) < 300 and copy_of is None:
            self.first.append(made)
        return made


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


def new_article(g: Generated) -> NewArticle:
    return NewArticle(g.source, g.url, g.article, SSE if g.index % 10 == 0 else NOT_SSE)


def save(store: Store, batch: list[Generated]) -> list[int | None]:
    return store.save_articles([new_article(g) for g in batch])


def fill_pragmas(connection: Any, _record: Any) -> None:
    """The fill's own settings, on its own connections only: no fsync, a 1 GB page cache."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA cache_size=-1000000")
    cursor.close()


def bulk_fill(fill: Store, writer: Writer, count: int, ids: dict[int, int], chunk: int = 5000) -> None:
    """Store `count` generated articles, fast, with exactly the rows the cycle would store.

    An original (90%) cannot be grouped with anything stored before it but by a false match, so its rows —
    article, classification, regions, fingerprint, bands, search entry, built by the very functions
    `Store.save_articles` uses — are inserted in bulk, thousands in a transaction. A copy (10%) goes through
    `Store.save_articles` itself, after the chunk's originals, so that the project's own lookup groups it
    with its original (or makes the original its copy, when only the copy is an SSE story). What differs
    from the cycle: an original the cycle would wrongly group with an unrelated story stays alone here
    (the measured samples count those: `unrelated grouped`), and a chunk's copies get ids after its
    originals. `fill` is a Store of its own with `fill_pragmas`, so the measured store keeps the cycle's."""
    while count > 0:
        made = [writer.next() for _ in range(min(chunk, count))]
        count -= len(made)
        originals = [g for g in made if g.copy_of is None]
        now = utcnow()
        with fill.session() as session, session.begin():
            sources = source_ids(session)
            items = [new_article(g) for g in originals]
            articles = table(ArticleRow)
            stored = (
                session.execute(
                    insert(articles).returning(articles.c.id, sort_by_parameter_order=True),
                    [article_values(sources[item.source], item, now) for item in items],
                )
                .scalars()
                .all()
            )
            session.execute(
                insert(table(ClassificationRow)),
                [classification_values(i, item, now) for i, item in zip(stored, items, strict=True)],
            )
            regions = [row for i, item in zip(stored, items, strict=True) for row in region_values(i, item)]
            if regions:
                session.execute(insert(table(ArticleRegionRow)), regions)
            prints = [
                fingerprint_values(i, g.article.fingerprint, g.when)  # type: ignore[arg-type]
                for i, g in zip(stored, originals, strict=True)
            ]
            session.execute(insert(table(ArticleFingerprintRow)), [signature for signature, _ in prints])
            session.execute(insert(table(ArticleBandRow)), [band for _, bands in prints for band in bands])
            index_for_search(session, fill.is_sqlite, [(i, g.article) for i, g in zip(stored, originals, strict=True)])
        ids.update((g.index, i) for g, i in zip(originals, stored, strict=True))
        copies = [g for g in made if g.copy_of is not None]
        for start in range(0, len(copies), 500):
            batch = copies[start : start + 500]
            for g, article_id in zip(batch, save(fill, batch), strict=True):
                if article_id is not None:
                    ids[g.index] = article_id


def measure(store: Store, writer: Writer, sample: int, ids: dict[int, int]) -> dict[str, float]:
    made = [writer.next() for _ in range(sample)]
    cpu, wall, written = time.process_time(), time.perf_counter(), disk_writes()
    for start in range(0, sample, 16):
        batch = made[start : start + 16]
        for g, stored in zip(batch, save(store, batch), strict=True):
            if stored is not None:
                ids[g.index] = stored
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    written = disk_writes() - written
    windowed = text(f"SELECT count(*) FROM article_bands WHERE {band_terms()}")
    unbounded = text(
        "SELECT count(*) FROM article_bands WHERE "
        + " OR ".join(f"(band = {band} AND hash = :h{band})" for band in range(FINGERPRINT_BANDS))
    )
    candidates = text(
        "SELECT count(DISTINCT b.article_id) FROM article_bands b JOIN articles a ON a.id = b.article_id"
        f" WHERE ({band_terms()}) AND COALESCE(a.published_at, a.fetched_at) BETWEEN :earliest AND :latest"
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


def timed(work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="stored articles at which to measure")
    parser.add_argument("--per-day", type=int, default=3000)
    parser.add_argument("--sample", type=int, default=400, help="articles stored and timed at each size")
    parser.add_argument("--url", help="a database URL (default: an SQLite file in a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--postgres", action="store_true", help="on a server of tests/postgres.py, started here")
    args = parser.parse_args()
    if args.postgres:
        from tests.postgres import new_database, postgres_server

        with postgres_server() as admin:
            args.url = new_database(admin)
            run(args)
    else:
        run(args)


def run(args: argparse.Namespace) -> None:
    sizes = [int(size) for size in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="rasd-growth-"))
    url = args.url or f"sqlite:///{folder / 'rasd.db'}"
    store = Store(url)
    fill = Store(url)
    if fill.is_sqlite:
        event.listen(fill.engine, "connect", fill_pragmas)
        fill.engine.dispose()
    store.sync_sources([Source(name=name, url=f"https://{name.lower().replace(' ', '')}.example/") for name in SOURCES])
    writer = Writer(args.per_day)
    ids: dict[int, int] = {}
    print(f"store: {url}; {args.per_day} articles a day over {len(SOURCES)} sources, 10% rewritten copies")
    stored = 0
    for size in sizes:
        fill_start = time.perf_counter()
        if size - args.sample > stored:
            bulk_fill(fill, writer, size - args.sample - stored, ids)
            stored = size - args.sample
        if fill.is_sqlite:
            with fill.engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        filled = time.perf_counter() - fill_start
        figures = measure(store, writer, args.sample, ids)
        stored += args.sample
        status = timed(store.source_health)
        search = timed(lambda: store.search("تعاونية الفلاحين"))
        housekeeping = timed(lambda: store.prune_fetches(90)) + timed(store.optimize)
        with store.session() as session:
            count = session.query(ArticleRow).count()
        print(
            f"{count:>8} stored (fill {filled:.0f} s)"
            f" · store {figures['cpu_ms']:.1f} ms CPU {figures['wall_ms']:.1f} ms"
            f" wall an article · band rows read {figures['rows_read']:.0f} (unbounded by the window:"
            f" {figures['rows_unbounded']:.0f}) · candidates {figures['candidates']:.1f}"
            f" · {figures['kb_written']:.0f} KB written an article, WAL {figures['wal_mb']:.0f} MB"
            f" · copies grouped {figures['recall']:.1%} of {figures['copies']}, unrelated grouped {figures['wrongly']}"
            f" · status {status:.2f} s · search {search:.3f} s · housekeeping {housekeeping:.1f} s",
            flush=True,
        )
        if store.is_sqlite:
            print("         " + written_pages(store, writer, ids), flush=True)
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
