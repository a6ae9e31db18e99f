"""One HTML page to one clean article: text, title, date (with its origin), author, language."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rasd.extract.body import MIN_TEXT_CHARS, body_text, too_short
from rasd.extract.furniture import remove_furniture
from rasd.extract.normalize import detect_language, normalize_for_matching

if TYPE_CHECKING:
    from rasd.extract.fingerprint import Fingerprint


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    text: str
    date: datetime | None
    date_source: str | None  # json-ld | meta:… | time-element | feed | sitemap | visible | url | htmldate | script
    author: str | None
    lang: str  # ar | fr | en | und
    site_name: str | None
    content_hash: str
    # For near-duplicate stories (extract.fingerprint); None when built without one (storage makes it).
    fingerprint: Fingerprint | None = None
    # Title and text as `normalize_for_matching` makes them, for the search index; None: storage makes
    # them. Extraction has them anyway (for the hash and the fingerprint), and normalising is CPU the
    # crawl's main process, which stores, has least of (bench/bench_crawl.py).
    matching_title: str | None = None
    matching_text: str | None = None
    # The source's learned furniture lines (folded) found on the page and removed (extract.furniture).
    furniture_hits: tuple[str, ...] = ()

    def as_json(self) -> dict[str, str | None]:
        """The `rasd extract --json` object (DESIGN.md's command-line contract)."""
        return {
            "url": self.url,
            "title": self.title,
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "author": self.author,
            "lang": self.lang,
            "site_name": self.site_name,
            "content_hash": self.content_hash,
        }


def content_hash(text: str) -> str:
    """Same text after normalisation → same hash, whatever the spelling variants."""
    return _hash_of_matching(normalize_for_matching(text))


def _hash_of_matching(folded: str) -> str:
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _without_title_line(lines: list[tuple[str, str]], *folded_titles: str | None) -> list[tuple[str, str]]:
    """The (line, folded line) pairs without those that are the title, folded (trafilatura keeps the <h1>;
    a live blog's came after its first update), or the section's name the title gave way to.

    Only a whole line goes: a lead that opens with the title's words ("Tiznit: une coopérative lance sa
    marque de couscous, a annoncé…") is the article's first paragraph, and cutting its opening words
    damaged one paragraph on every page of such a site."""
    dropped = {folded for folded in folded_titles if folded is not None}
    if not dropped:
        return lines
    return [(line, folded) for line, folded in lines if folded not in dropped]


def extract_article(
    page: bytes,
    url: str,
    fetched_at: datetime,
    *,
    hint_title: str | None = None,
    hint_date: str | None = None,
    hint_date_source: str | None = None,
    extra_boilerplate: Iterable[str] = (),
    learned_furniture: Mapping[str, str] | None = None,
) -> Article | None:
    """The article on `page` (raw bytes: trafilatura detects windows-1256 better than a lying header),
    or None when the page holds no article text. `hint_date` is the date a feed or sitemap announced,
    as written there (Arabic pubDates included). `learned_furniture` is the source's learned lines
    (folded line → kind, storage's `furniture_rules`), removed before the shipped rules run."""
    # Imported here, not with the module: the crawl's main process imports extract for normalisation and
    # fingerprints only, and `Article` to read what the workers return; trafilatura with its own dependencies
    # is 20 MB there (bench/bench_crawl.py), the date patterns, boilerplate rules and metadata readers ~30 ms
    # of CPU a crawl.
    from rasd.extract.archived import drop_archive_toolbars
    from rasd.extract.boilerplate import boilerplate_lines, drop_appended_stories, drop_inline_boxes
    from rasd.extract.dates import page_date, scanning
    from rasd.extract.declared import declared_body, fuller_text
    from rasd.extract.deferred import decode_cloudflare_emails, write_deferred_paragraphs
    from rasd.extract.fingerprint import fingerprint_of_matching
    from rasd.extract.forum import keep_only, opening_post
    from rasd.extract.gallery import captions_as_paragraphs
    from rasd.extract.hidden import reveal_continuations, reveal_noframes_page, reveal_noscript_story
    from rasd.extract.layout import unlayout_tables
    from rasd.extract.listing import is_listing, is_teaser, teaser_lines, unarticle_teasers
    from rasd.extract.metadata import is_byline_of, page_author, page_heading, site_name
    from rasd.extract.notarticle import not_an_article
    from rasd.extract.parsing import load_page
    from rasd.extract.scripted import application_author, application_body, application_state
    from rasd.extract.standfirst import join_standfirsts
    from rasd.extract.video import MIN_CAPTION_CHARS, is_video_page

    tree = load_page(page)  # decoded as trafilatura decodes (windows-1256 with a lying header)
    if tree is None:
        return None
    drop_archive_toolbars(tree, page)  # a page from the Wayback Machine: its toolbar is the archive's, not the site's
    decode_cloudflare_emails(tree, page)  # an address in the text, as the reader's browser shows it
    write_deferred_paragraphs(tree, page)  # a lazy theme's paragraphs below the fold, kept in data-* attributes
    reveal_noframes_page(tree)  # a site in frames saved as its frameset: its page for browsers without
    unlayout_tables(tree)  # an old site's page grid is read as <div>s, its data tables stay tables
    reveal_continuations(tree)  # a story's second half folded behind "read more" is the story's
    reveal_noscript_story(tree)  # a page a script builds may print its story only for readers without one
    captions_as_paragraphs(tree)  # a photo gallery tells its story in its captions
    drop_inline_boxes(tree)  # a "most read" box between two paragraphs does not end the story
    drop_appended_stories(tree, url)  # a theme's next story, printed under this one for the scroll
    join_standfirsts(tree)  # K2's intro block, SPIP's chapô: the opening of the body's block after them
    with scanning(tree):  # title, dates and byline read the same marked elements: found once
        if not_an_article(tree, url):  # a shop's product, a "not found", a listing, a bot check, a redirect
            return None
        teasers = teaser_lines(tree, url)  # a homepage's headlines and excerpts: other pages' stories
        site = site_name(tree)
        headline, section = page_heading(tree, site)
        title = (hint_title or headline or "").strip()
        date, date_source = page_date(tree, url, fetched_at, hint_date, hint_date_source)
        # a JavaScript application's state, kept now: scripts go with the slimming
        state = application_state(tree)
        thread = opening_post(tree, page)  # a forum thread: its opening post is the story, its poster the author
        author = page_author(tree) or application_author(state) or (thread.poster if thread else None)
        declared = declared_body(tree)
        minimum = MIN_CAPTION_CHARS if is_video_page(tree) else MIN_TEXT_CHARS  # a video's caption is its story
        unarticle_teasers(tree)  # a story in <div>s among cards that are each an <article>: the cards are not it
    if thread is not None:
        keep_only(tree, thread.message)
    # Read last, as the metadata and dates above need the whole page: trafilatura's passes read the tree
    # slimmed in place, without a copy.
    cleaned = remove_furniture(body_text(tree, url, in_place=True, minimum=minimum), learned_furniture or {})
    folded_title = normalize_for_matching(title) if title else None
    folded_section = normalize_for_matching(section) if section else None  # "Actualités" over the headline

    def article_lines(raw_text: str) -> list[tuple[str, str]]:
        lang = detect_language(raw_text)
        lines = _without_title_line(boilerplate_lines(raw_text, lang, extra_boilerplate), folded_title, folded_section)
        return [(line, folded) for line, folded in lines if not is_byline_of(line, author)]  # printed above

    lines = article_lines(cleaned.text)
    text = "\n".join(line for line, _ in lines)
    # The page showed only the story's opening, or nothing: its declared body. Only when it showed nothing, the
    # application's: its state may hold more stories than the page's (the next ones of an endless scroll).
    scripted = application_body(state) if declared is None and too_short(text) else None
    fuller = fuller_text(text, declared) if scripted is None else scripted
    if fuller is not text:
        lines = article_lines(remove_furniture(fuller, learned_furniture or {}).text)
        text = "\n".join(line for line, _ in lines)
    if is_listing([line for line, _ in lines], teasers):
        if not teasers.story:
            return None  # a homepage: its teasers are other pages' stories
        # else a story made of a list: its items, linking to the site's pages on them, are its text
    elif teasers.count:  # a story's cards of other stories, beside or under it
        lines = [(line, folded) for line, folded in lines if not is_teaser(line, teasers)]
        text = "\n".join(line for line, _ in lines)
    if too_short(text, minimum):
        return None
    shown_title = title or text.splitlines()[0][:200]
    matching_title = folded_title if folded_title is not None else normalize_for_matching(shown_title)
    matching_text = " ".join(folded for _, folded in lines if folded)  # normalize_for_matching(text), made once
    return Article(
        url=url,
        title=shown_title,
        text=text,
        date=date,
        date_source=date_source,
        author=author,
        lang=detect_language(title + "\n" + text),
        site_name=site,
        content_hash=_hash_of_matching(matching_text),
        # of the title as stored, as storage's re-fingerprinting makes it: fingerprint_of(title, text)
        fingerprint=fingerprint_of_matching(f"{matching_title} {matching_text}"),
        matching_title=matching_title,
        matching_text=matching_text,
        furniture_hits=cleaned.hits,
    )
