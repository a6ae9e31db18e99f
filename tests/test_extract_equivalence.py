"""The worker's speed-ups give what the slower code gave (issue 16): the page tree of extract.parsing is
the one `trafilatura.load_html` builds, the passes of extract.body read a page without what trafilatura
deletes unread and find the same text, and the in-place MinHash is the textbook one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trafilatura
from lxml import etree

from rasd.extract import content_hash, extract_article, fingerprint_of, normalize_for_matching
from rasd.extract.body import PRECISION_OPTIONS, RECALL_OPTIONS, RESCUE_OPTIONS, body_text, merged, too_short
from rasd.extract.fingerprint import _CONSTANTS, NUM_PERM, char_shingle_hashes, minhash
from rasd.extract.parsing import load_page

PAGES = sorted((Path(__file__).parent / "pages").glob("*.html"))


def _same_tree(page: bytes) -> None:
    ours, theirs = load_page(page), trafilatura.load_html(page)
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode")
    assert [element.tag for element in ours.iter()] == [element.tag for element in theirs.iter()]


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_a_saved_page_is_parsed_as_trafilatura_parses_it(path: Path) -> None:
    _same_tree(path.read_bytes())


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"plain text, not a page",
        b'{"json": "not html"}',
        b"<p>a fragment</p>",
        "<html><head><meta charset='windows-1256'></head><body><p>تعاونية</p></body></html>".encode("cp1256"),
        b'<?xml version="1.0" encoding="utf-8"?><html><body><p>declared</p></body></html>',
        b"<!DOCTYPE html><html/>\n<body><p>self-closed html</p></body>",
        b"<html><body><form><input name=q><select><option>a</option></select><textarea>t</textarea></form></body>",
        b"<html><body><p>control \x01\x02 characters</p></body></html>",
        # what trafilatura's repair changes, each alone: load_page runs the repair only for such pages
        "<html><body><p>noncharacters \ufffe and \uffff, accents é</p></body></html>".encode(),
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"/>\n'
        b"<html><body><p>an XHTML doctype closed as an element</p></body></html>",
        b"<!DOCTYPE html><html><body><p>one line, no line break</p></body></html>",
        b'<!DOCTYPE html>\n<html lang="fr"/>\n<head><title>t</title></head><body><p>html self-closed</p></body>',
        b"\n\n\n\n<html/>\n<body><p>self-closed html on the fifth line</p></body>",
        "\ufeff<!DOCTYPE html>\n<html><body><p>byte order mark, ß</p></body></html>".encode(),
        '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>déclaré</p></body></html>'.encode(),
    ],
)
def test_odd_input_is_parsed_or_refused_as_trafilatura_does(page: bytes) -> None:
    _same_tree(page)


def test_the_elements_need_no_python_lookup_and_keep_html_methods() -> None:
    """What makes the tree cheaper: its elements are lxml.html's HtmlElement (text_content() and the rest
    of what trafilatura calls) made by lxml's C lookup, not lxml.html's Python one."""
    tree = load_page(b"<html><body><form><input name=q></form><p>Texte <b>gras</b></p></body></html>")
    assert tree is not None
    assert {type(element).__name__ for element in tree.iter()} == {"HtmlElement"}
    assert tree.find(".//p").text_content() == "Texte gras"


# A theme's page: what trafilatura deletes unread (head scripts and styles, a mega menu, a search form's
# fields, a footer, an inline SVG) around the story, and the elements the rules must still see.
THEME_PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Tiznit : la coopérative Nour</title>
<style>.tie-1{color:red}</style><script>var tieOptions = {"a": 1};</script>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tiznit"}</script></head>
<body><nav class="mega-menu"><ul>MENU</ul></nav>
<header><form role="search"><input name="s"><button>Chercher</button></form></header>
<div class="infinite-scroll"><nav><h1>Tiznit : la coopérative Nour</h1></nav></div>
<article class="post"><div class="entry-content">
<p>La coopérative Nour de Tiznit a présenté son huile d'argan au salon régional de l'économie sociale.</p>
<figure><table><tr><td>Production</td><td>1 200 litres</td></tr></table></figure>
<p>Sa présidente souligne que le soutien de l'INDH a permis d'acquérir une presse moderne.
<svg><path d="M0 0"/></svg>Les ventes en ligne ont doublé depuis janvier.</p>
<aside class="quote"><p>« Nous voulons vendre au Maroc comme à l'étranger », dit-elle.</p></aside>
<p>Le salon réunit plus de quarante coopératives et associations venues de toute la région.</p>
</div></article>
<footer id="footer"><div class="copyright">© Bench</div></footer>
<noscript>Activez JavaScript</noscript><script>window.tieLazy = 1;</script></body></html>"""


def _both_passes_on_the_whole_page(tree: etree._Element, url: str) -> str:
    """extract.body's text as it was made before its passes read a slimmed copy."""

    def text(options: dict[str, Any]) -> str:
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
        if document is None:
            return ""
        return str((document if isinstance(document, dict) else document.as_dict())["text"] or "")

    precise = text(PRECISION_OPTIONS)
    if too_short(precise):
        rescued = text(RESCUE_OPTIONS)
        return rescued if len(rescued) > len(precise) else precise
    return merged(precise, text(RECALL_OPTIONS))


@pytest.mark.parametrize("page", [*PAGES, THEME_PAGE], ids=lambda page: getattr(page, "name", "theme page"))
def test_the_passes_find_on_the_slimmed_page_what_they_found_on_the_whole(page: Path | str) -> None:
    tree = load_page(page.read_bytes() if isinstance(page, Path) else page.encode())
    assert tree is not None
    before = etree.tostring(tree)
    assert body_text(tree, "https://example.ma/a") == _both_passes_on_the_whole_page(tree, "https://example.ma/a")
    assert etree.tostring(tree) == before  # the caller's tree is left whole for the metadata and dates


def _demo_web_pages() -> list[tuple[str, bytes]]:
    from rasd.monitor.demoweb.content import load_content
    from rasd.monitor.demoweb.server import SiteApp

    specs, articles = load_content()
    pages = []
    for number, spec in enumerate(specs):
        own = [article for article in articles if article.site == spec.name]
        app = SiteApp(spec, f"http://127.0.0.{10 + number}/", own)
        pages += [(app.renderer.url(article), app.respond(article.path, {}).body) for article in own]
    return pages


def test_the_demo_web_s_articles_get_the_text_both_passes_found() -> None:
    pages = _demo_web_pages()
    assert len(pages) >= 18
    for url, page in pages:
        tree = load_page(page)
        assert tree is not None
        assert body_text(tree, url) == _both_passes_on_the_whole_page(tree, url), url


def _passes(monkeypatch: pytest.MonkeyPatch, page: str) -> list[str]:
    """The passes extract.body runs on a page, by their focus."""
    focuses: list[str] = []
    real = trafilatura.bare_extraction

    def counted(*args: Any, **kwargs: Any) -> Any:
        focuses.append(kwargs["options"].focus)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", counted)
    tree = load_page(page.encode())
    assert tree is not None
    body_text(tree, "https://souss.example/a/1")
    return focuses


STORY = [
    "La coopérative Tifawin d'Agadir a ouvert une boutique pour vendre le couscous de ses quarante adhérentes.",
    "Les femmes de la coopérative roulent le couscous à la main, comme leurs mères, et le vendent au kilo.",
    "La boutique a reçu le soutien de l'Initiative nationale pour le développement humain cette année.",
]


def test_the_recall_pass_runs_only_when_the_precision_pass_left_something_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paragraphs only, around them a menu, related headlines and a footer: the precision pass keeps the
    article whole and is the only pass. A quote in a page builder's <div> between two paragraphs, which the
    precision pass drops, brings the recall pass back."""
    story = "".join(f"<p>{line}</p>" for line in STORY)
    page = (
        "<html><head><meta charset='utf-8'></head><body><nav><a href='/'>Accueil</a> <a href='/r'>Région</a></nav>"
        "<article><h1>Agadir : la boutique de Tifawin</h1>{}</article><div class='related'><p>Lire aussi</p>"
        "<p><a href='/b'>Inezgane : le souk solidaire fête ses dix ans</a></p></div>"
        "<footer>Tous droits réservés</footer></body></html>"
    )
    assert _passes(monkeypatch, page.format(story)) == ["precision"]
    quote = "<div class='wp-block'>« Nous vendons déjà à Casablanca et à Marrakech », dit la présidente.</div>"
    assert _passes(monkeypatch, page.format(story.replace("</p>", f"</p>{quote}", 1))) == ["precision", "recall"]


def test_the_slimmed_page_keeps_what_trafilatura_rules_read() -> None:
    from rasd.extract.body import _slimmed

    tree = load_page(THEME_PAGE.encode())
    assert tree is not None
    slim = _slimmed(tree)
    tags = {element.tag for element in slim.iter()}
    assert not tags & {"style", "svg", "noscript", "input", "button", "footer"}
    assert [script.get("type") for script in slim.iter("script")] == ["application/ld+json"]  # forum test
    assert slim.find(".//nav/h1") is not None  # an infinite-scroll block holding the <h1> is kept
    assert slim.find(".//nav[@class='mega-menu']") is None
    assert slim.find(".//form") is not None and slim.find(".//figure/table") is not None
    assert slim.find(".//aside/p") is not None  # its paragraph may be restored by the recall pass
    assert "Les ventes en ligne ont doublé" in etree.tostring(slim, encoding="unicode")  # the <svg>'s tail


def test_minhash_in_place_and_in_chunks_is_the_textbook_signature() -> None:
    text = " ".join(f"كلمة{n} mot{n * 7}" for n in range(2_000))  # ~6,000 distinct shingles: many chunks
    hashed = char_shingle_hashes(text)
    multipliers, increments = _CONSTANTS[NUM_PERM]
    textbook = ((multipliers * hashed[None, :] + increments) >> np.uint64(32)).min(axis=1).astype("<u4")
    assert len(hashed) > 5_000
    assert np.array_equal(minhash(hashed), textbook)
    short = char_shingle_hashes("ab")
    assert np.array_equal(minhash(short), ((multipliers * short[None, :] + increments) >> np.uint64(32)).min(axis=1))


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_matching_text_folded_line_by_line_is_the_text_folded_whole(page: Path) -> None:
    """extract_article folds each line once, for the furniture rules, and joins the folded lines into the
    normalised text, hash and fingerprint, rather than folding the text again (~0.2 ms a page)."""
    article = extract_article(page.read_bytes(), "https://example.ma/a", datetime(2026, 12, 1, tzinfo=UTC))
    if article is None:
        return
    assert article.matching_text == normalize_for_matching(article.text)
    assert article.matching_title == normalize_for_matching(article.title)
    assert article.content_hash == content_hash(article.text)
    assert article.fingerprint == fingerprint_of(article.title, article.text)


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_the_elements_after_one_are_xpath_s_following_axis(path: Path) -> None:
    """The post's header is read from the elements after its `<h1>` as they come (extract.dates.following):
    the same elements, in the same order, as `following::*`, from any element of a saved page."""
    from rasd.extract.dates import following

    tree = load_page(path.read_bytes())
    assert tree is not None
    for element in tree.iter(etree.Element):
        assert list(following(element)) == element.xpath("following::*")


_TEXT_PAGES = sorted((Path(__file__).parent / "pages").rglob("*.html"))


def _letters_by_character(text: str) -> tuple[int, int, int]:
    """The Arabic, Latin and Persian letters of a text, counted a character at a time by code point: what
    detect_language means to count, written without its bytes."""
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text if "A" <= ch <= "Z" or "a" <= ch <= "z" or "\u00c0" <= ch <= "\u00ff")
    return arabic, latin, sum(1 for ch in text if ch in "\u067e\u0686\u0698\u06af\u06a9\u06cc")


def test_the_letters_counted_in_bytes_are_the_letters_of_each_range() -> None:
    """detect_language counts letters in the text's UTF-8 bytes (extract.normalize.letter_counts): the counts of
    a character at a time, on every saved page's text, on every character of the ranges' edges (the Arabic block
    and its neighbours, Latin-1 and what follows it, presentation forms, astral characters) and on a lone
    surrogate."""
    from rasd.extract.normalize import letter_counts

    texts = [
        "".join(chr(code) for code in range(start, end))
        for start, end in ((0, 0x800), (0x5F0, 0x710), (0x7FF, 0x1000), (0xFB50, 0xFF00), (0x1F600, 0x1F650))
    ]
    texts += ["Coopérative × ÷ Ÿ œ \ud800 تعاونية پچژگکی ڭ", "ﻻ ﷲ ٠١٢ ـ ً"]
    for page in _TEXT_PAGES:
        texts.append(" ".join(etree.fromstring(page.read_bytes(), etree.HTMLParser()).itertext()))
    for text in texts:
        assert letter_counts(text) == _letters_by_character(text), text[:80]
