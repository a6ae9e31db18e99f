"""`rasd extract` over many saved pages in one process: files and folders in, JSON lines out.

Researchers extract folders of saved pages; one process per page paid the start-up (Python, trafilatura,
dateparser: seconds) each time. Here every page goes through the same `extract_article` in one process,
one JSON object a line, in the order given (a folder's HTML files sorted by path, its sub-folders too). A
page that cannot be read or holds no article gives an object with its `error` (and one line on stderr),
and the run goes on. A saved page's fetch time is its file's modification time — what "hier" and
"منذ ساعتين" on it are read against — and its address is its `file://` URL unless one is given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ""}  # "": pages saved without a suffix


@dataclass(frozen=True)
class Page:
    """One page to extract: what the user named it, its address, its bytes (None with an `error`)."""

    name: str
    url: str
    body: bytes | None
    fetched_at: datetime
    error: str | None = None


def saved_files(paths: Iterable[str]) -> Iterator[Path]:
    """Each file named, and the HTML files of each folder named (recursively, sorted, hidden ones and
    a browser's "_files" folders of images and scripts left out)."""
    for name in paths:
        path = Path(name)
        if not path.is_dir():
            yield path
            continue
        for found in sorted(path.rglob("*")):
            parts = found.relative_to(path).parts
            if any(part.startswith(".") or part.endswith("_files") for part in parts):
                continue
            if found.is_file() and found.suffix.lower() in HTML_SUFFIXES:
                yield found


def read_saved(path: Path, url: str | None = None) -> Page:
    """A saved page, its fetch time the file's modification time; an unreadable file is a Page with an error."""
    try:
        body = path.read_bytes()
        fetched_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as error:
        return Page(str(path), url or "", None, datetime.now(UTC), error.strerror or str(error))
    return Page(str(path), url or path.resolve().as_uri(), body, fetched_at)


def extract_lines(pages: Iterable[Page], output: IO[str], report: Callable[[str], None]) -> tuple[int, int]:
    """Extract each page to one JSON line on `output` (`file` added; failures as {file, url, error});
    `report` gets one line per failure. Returns (pages extracted, pages in all)."""
    from rasd.extract import extract_article  # trafilatura and its dependencies: loaded once, here

    done = total = 0
    for page in pages:
        total += 1
        record: dict[str, Any] = {"file": page.name}
        error = page.error
        if error is None and page.body is not None:
            try:
                article = extract_article(page.body, page.url, page.fetched_at)
            except Exception as failure:  # a page that breaks a library must not stop the other pages
                article, error = None, f"{type(failure).__name__}: {failure}"
            if article is not None:
                record |= article.as_json()
                done += 1
            else:
                error = error or "no article text found"
        if error is not None:
            record |= {"url": page.url or None, "error": error}
            report(f"error: {page.name}: {error}")
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
    return done, total
