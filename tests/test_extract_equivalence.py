"""The worker's speed-ups give what the slower code gave (issue 16): the page tree of extract.parsing is
the one `trafilatura.load_html` builds, the passes of extract.body read a page without what trafilatura
deletes unread and find the same text, and the in-place MinHash is the textbook one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trafilatura
from lxml import etree

from rasd.extract.body import MIN_TEXT_CHARS, PRECISION_OPTIONS, RECALL_OPTIONS, RESCUE_OPTIONS, body_text, merged
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
    if len(precise) < MIN_TEXT_CHARS:
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
