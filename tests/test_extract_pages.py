"""Realistic Arabic, French and English news pages (tests/pages/) through extract_article and `rasd extract`.

Each page is checked against tests/pages/expectations.toml: snippets of the article the text must keep,
snippets of the site's furniture it must not, and the title, date (with its source), author and language.
The date policy of extract.dates is also checked on every page on its own
(`test_extract_dates_finds_the_publication_date`).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import trafilatura

from rasd.extract import Article, extract_article
from rasd.extract.dates import page_date
from tests.conftest import run_rasd

PAGES = Path(__file__).parent / "pages"
FIELDS = ("title", "date", "date_source", "author", "lang")


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    fetched_at: datetime
    expected: dict[str, Any]
    must_contain: tuple[str, ...]
    must_not_contain: tuple[str, ...]
    boilerplate: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return PAGES / self.file

    @property
    def expected_date(self) -> datetime | None:
        return datetime.fromisoformat(self.expected["date"]) if self.expected["date"] else None


def _load_pages() -> list[Page]:
    data = tomllib.loads((PAGES / "expectations.toml").read_text(encoding="utf-8"))
    pages = []
    for entry in data["pages"]:
        pages.append(
            Page(
                file=entry["file"],
                url=entry["url"],
                fetched_at=datetime.fromisoformat(entry.get("fetched_at", data["fetched_at"])),
                expected={key: entry[key] for key in FIELDS},
                must_contain=tuple(entry["must_contain"]),
                must_not_contain=tuple(entry["must_not_contain"]),
                boilerplate=tuple(entry.get("boilerplate", ())),
            )
        )
    return pages


ALL_PAGES = _load_pages()


@cache
def extracted(file: str) -> Article:
    page = next(p for p in ALL_PAGES if p.file == file)
    article = extract_article(page.path.read_bytes(), page.url, page.fetched_at, extra_boilerplate=page.boilerplate)
    assert article is not None, f"{file}: no article extracted"
    return article


def test_the_page_set_covers_the_cases() -> None:
    assert len(ALL_PAGES) >= 10
    assert sorted(p.file for p in ALL_PAGES) == sorted(p.name for p in PAGES.glob("*.html"))
    langs = [p.expected["lang"] for p in ALL_PAGES]
    assert langs.count("ar") >= 6 and langs.count("fr") >= 2 and set(langs) - {"ar", "fr"}
    sources = {p.expected["date_source"] for p in ALL_PAGES}
    assert {"json-ld", "visible", "time-element", ""} <= sources
    assert any(source.startswith("meta:") for source in sources)


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.file)
def test_expectations_quote_the_page(page: Page) -> None:
    """The snippets to keep are really on the page (as trafilatura decodes it), so a typo cannot pass."""
    tree = trafilatura.load_html(page.path.read_bytes())
    assert tree is not None
    page_text = " ".join(" ".join(tree.itertext()).split())
    for snippet in page.must_contain:
        assert " ".join(snippet.split()) in page_text, snippet


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.file)
def test_text_keeps_the_article_and_drops_the_furniture(page: Page) -> None:
    text = extracted(page.file).text
    missing = [s for s in page.must_contain if s not in text]
    leaked = [s for s in page.must_not_contain if s in text]
    assert not missing, f"article text lost: {missing}\n---\n{text}"
    assert not leaked, f"furniture kept: {leaked}\n---\n{text}"


@pytest.mark.parametrize(
    ("page", "name"), [(p, f) for p in ALL_PAGES for f in FIELDS], ids=lambda v: v.file if isinstance(v, Page) else v
)
def test_metadata_field(page: Page, name: str) -> None:
    article = extracted(page.file)
    actual = getattr(article, name)
    expected: Any = page.expected_date if name == "date" else (page.expected[name] or None)
    assert actual == expected


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.file)
def test_extract_dates_finds_the_publication_date(page: Page) -> None:
    """extract.dates' policy on the page as trafilatura parses it: structured, then the post's visible
    date (not the header's "today" widget, the sidebar, related posts or comments), then the URL."""
    tree = trafilatura.load_html(page.path.read_bytes())
    assert tree is not None
    moment, source = page_date(tree, page.url, page.fetched_at)
    assert (moment, source or "") == (page.expected_date, page.expected["date_source"])


def test_windows_1256_page_is_really_windows_1256_and_says_utf8() -> None:
    raw = (PAGES / "ar_cp1256_lying_charset.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b'charset=utf-8"' in raw  # the lie
    assert "مجلس جهة درعة تافيلالت" in raw.decode("cp1256")


def test_per_source_lines_are_what_removes_a_sites_own_name() -> None:
    page = next(p for p in ALL_PAGES if p.file == "ar_flat_leaky.html")
    without = extract_article(page.path.read_bytes(), page.url, page.fetched_at)
    assert without is not None and "المصداقية والدقة في الخبر" in without.text
    assert "المصداقية والدقة في الخبر" not in extracted(page.file).text


# ---- the command line (DESIGN.md's contract: url, title, text, date ISO 8601 or null, author, lang) ----


@pytest.mark.parametrize("file", ["ar_jnews_jsonld.html", "ar_cp1256_lying_charset.html"])
def test_rasd_extract_json(file: str, tmp_path: Path) -> None:
    page = next(p for p in ALL_PAGES if p.file == file)
    result = run_rasd("extract", str(page.path), "--json", cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"url", "title", "text", "date", "author", "lang"} <= set(data)
    assert data["url"] == page.path.resolve().as_uri()
    assert data["lang"] == page.expected["lang"]
    assert data["date"] is None or datetime.fromisoformat(data["date"]).tzinfo is not None
    assert datetime.fromisoformat(data["date"]) == page.expected_date  # both pages declare theirs
    assert all(snippet in data["text"] for snippet in page.must_contain)
    assert not any(snippet in data["text"] for snippet in ("اترك رد", "لن يتم نشر", "قد يعجبك ايضا"))
    assert isinstance(data["title"], str) and data["title"]
    assert data["author"] is None or isinstance(data["author"], str)
