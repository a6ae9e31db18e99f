"""The worker's speed-ups give what the slower code gave (issue 16): the page tree of extract.parsing is
the one `trafilatura.load_html` builds, and the in-place MinHash is the textbook one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import trafilatura
from lxml import etree

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


def test_minhash_in_place_and_in_chunks_is_the_textbook_signature() -> None:
    text = " ".join(f"كلمة{n} mot{n * 7}" for n in range(2_000))  # ~6,000 distinct shingles: many chunks
    hashed = char_shingle_hashes(text)
    multipliers, increments = _CONSTANTS[NUM_PERM]
    textbook = ((multipliers * hashed[None, :] + increments) >> np.uint64(32)).min(axis=1).astype("<u4")
    assert len(hashed) > 5_000
    assert np.array_equal(minhash(hashed), textbook)
    short = char_shingle_hashes("ab")
    assert np.array_equal(minhash(short), ((multipliers * short[None, :] + increments) >> np.uint64(32)).min(axis=1))
