"""`rasd extract` over many saved pages in one process: files and folders in, JSON lines out.

Researchers extract folders of saved pages; one process per page paid the start-up (Python, trafilatura,
dateparser: seconds) each time. Here every page goes through the same `extract_article` in one process,
one JSON object a line, in the order given (a folder's HTML files sorted by path, its sub-folders too). A
page that cannot be read or holds no article gives an object with its `error` (and one line on stderr),
and the run goes on. A saved page's fetch time is its file's modification time — what "hier" and
"منذ ساعتين" on it are read against — and its address is its `file://` URL unless one is given.

Many pages of one site carry that site's own furniture — its slogan, a signature, a comment notice —
which the shipped rules do not know; the crawl learns it from the stored articles of each source
(extract.furniture), and a batch learns it the same way from its own pages: the pages are grouped by site
(the name the page declares, else its host, else its folder), each group's recurring lines are learned
and removed, and then the lines are written. `learn=False` writes each page as soon as it is extracted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rasd.config import telling

if TYPE_CHECKING:
    from rasd.extract import Article

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


def _site(page: Page, article: Article) -> str:
    """Which site a page is from, for learning its furniture: its declared name, host or folder."""
    if article.site_name:
        return f"name:{article.site_name.strip().lower()}"
    parts = urlsplit(page.url)
    if parts.scheme in ("http", "https") and parts.hostname:
        return f"host:{parts.hostname.removeprefix('www.')}"
    return f"folder:{Path(page.name).parent}"


def _without_site_furniture(results: list[tuple[Page, Article | None, str | None]]) -> list[Article | None]:
    """Each article without the lines that recur across the pages of its site (extract.furniture)."""
    from rasd.extract import content_hash
    from rasd.extract.furniture import as_rules, learn_furniture, remove_furniture

    sites: dict[str, list[int]] = defaultdict(list)
    for index, (page, article, _) in enumerate(results):
        if article is not None:
            sites[_site(page, article)].append(index)
    cleaned: list[Article | None] = [article for _, article, _ in results]
    for indexes in sites.values():
        texts = [article.text for i in indexes if (article := cleaned[i]) is not None]
        rules = as_rules(learn_furniture(texts))
        if not rules:
            continue
        for i in indexes:
            article = cleaned[i]
            assert article is not None
            text = remove_furniture(article.text, rules).text
            if text != article.text:
                cleaned[i] = replace(article, text=text, content_hash=content_hash(text))
    return cleaned


def _extracted(page: Page) -> tuple[Article | None, str | None]:
    from rasd.extract import extract_article  # trafilatura and its dependencies: loaded once, here

    if page.error is not None or page.body is None:
        return None, page.error or telling.gettext("no such file")
    try:
        article = extract_article(page.body, page.url, page.fetched_at)
    except Exception as failure:  # a page that breaks a library must not stop the other pages
        return None, f"{type(failure).__name__}: {failure}"
    return (article, None) if article is not None else (None, telling.gettext("no article text found"))


def _record(page: Page, article: Article | None, error: str | None) -> str:
    record: dict[str, Any] = {"file": page.name}
    if article is not None:
        record |= article.as_json()
    else:
        record |= {"url": page.url or None, "error": error}
    return json.dumps(record, ensure_ascii=False) + "\n"


def extract_lines(
    pages: Iterable[Page], output: IO[str], report: Callable[[str], None], learn: bool = True
) -> tuple[int, int]:
    """Extract each page to one JSON line on `output` (`file` added; failures as {file, url, error}),
    with the furniture its site's pages share removed when `learn`; `report` gets one line per failure (a
    `Told`: the command says it in the reader's language; the JSON's "error" stays English, for scripts).
    Returns (pages extracted, pages in all)."""
    results: list[tuple[Page, Article | None, str | None]] = []
    for page in pages:
        article, error = _extracted(page)
        if error is not None:
            report(telling.gettext("error: %(name)s: %(error)s", name=page.name, error=error))
        if learn:
            results.append((page, article, error))
        else:
            output.write(_record(page, article, error))
            results.append((page, None, error))  # counted only
    if learn:
        for (page, _, error), article in zip(results, _without_site_furniture(results), strict=True):
            output.write(_record(page, article, error))
    return sum(error is None for _, _, error in results), len(results)
