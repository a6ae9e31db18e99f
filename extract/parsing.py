"""A page's bytes to the lxml tree every extraction step reads: decoded and repaired as trafilatura does,
parsed by a parser whose elements are made without calling back into Python.

`trafilatura.load_html` parses with `lxml.html`'s parser, whose element class lookup is a Python method
(it gives form fields their own classes): lxml calls it for every element a step touches, ~2,000 times a
page and once more for every copy trafilatura makes — 7% of a worker's CPU on the crawl benchmark
(bench/bench_crawl.py --profile). Here the same decoding, repair and parser options give a tree of the
same `HtmlElement`s through lxml's C-level default lookup. Nothing Rasd or trafilatura reads uses the
form classes. The decoding is trafilatura's own (its helpers), so a windows-1256 page behind a lying
header is read as before, with one preference: of the encodings its detector finds plausible, those of
Moroccan pages (Arabic and Western European) come first. A French page in windows-1252 behind a lying
header was read as windows-1250 when the detector ranked that first ("qu’ŕ", "męme": 2 of 14 real French
development stories in such a page lost their accents and the paragraphs' words).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import (
    DOCTYPE_TAG,
    detect_encoding,
    handle_compressed_file,
    is_dubious_html,
    repair_faulty_html,
)

# trafilatura.utils.HTML_PARSER's options, with the C-level lookup
_PARSER = lxml_html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


def _parsed(markup: str | bytes) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(markup, parser=_PARSER)
    except Exception:  # lxml's own errors on hopeless input: no tree, as trafilatura's loader answers
        return None


# Encodings Moroccan news pages are written in, as Python names them (what trafilatura's detector returns).
_MOROCCAN = ("cp1256", "iso8859_6", "cp1252", "iso8859_15", "latin_1", "utf_16")


def decoded(page: bytes) -> str:
    """The page as text: UTF-8 when it is, else the detector's most plausible encoding, Moroccan ones first
    (trafilatura's `decode_file` with that order); undecodable bytes replaced as a last resort."""
    return _decoded(page)[0]


def _decoded(page: bytes) -> tuple[str, bytes | None]:
    """`decoded(page)`, and the bytes it was decoded from when they are its UTF-8 (None otherwise)."""
    content = handle_compressed_file(page)
    try:
        return content.decode("utf-8"), content
    except UnicodeDecodeError:
        pass
    guesses = detect_encoding(content)
    for encoding in sorted(guesses, key=lambda name: name not in _MOROCCAN):  # stable: the detector's order kept
        try:
            return content.decode(encoding), None
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("utf-8", errors="replace"), None


# A numeric reference to a control character (`&#27;`, `&#x7;`; tab, line feed and carriage return aside),
# complete: `&#1575;` (ا) is not `&#1` followed by digits.
_CONTROL_REFERENCE = re.compile(
    r"&#(?:0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|127)(?![0-9])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F]));?"
)


# The characters trafilatura's repair deletes (its INVALID_XML_CHARS: C0 controls but tab, line feed and carriage
# return; U+FFFE, U+FFFF), looked for in the page's UTF-8 bytes: a control character is its own byte there,
# U+FFFE and U+FFFF three bytes no other character's encoding holds.
_CONTROL_BYTES = bytes(code for code in range(32) if code not in (9, 10, 13))
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())


def _needs_repair(text: str, markup: bytes, beginning: str) -> bool:
    """Whether `repair_faulty_html(text, beginning)` would change `text` (`markup`: its UTF-8 bytes). Its
    character filter is a regular expression over the whole page, ~0.5 ms on a 66 KB Arabic or French page
    (bench/check_articles.py's pages), for characters pages rarely hold: looked for in the bytes instead
    (`bytes.translate` and two substring searches, ~0.07 ms). Its two other repairs read the first line (an
    XHTML doctype; a page without a line break gets one appended) and the first four lines (`<html .../>`)."""
    if len(markup.translate(None, _CONTROL_BYTES)) != len(markup) or any(c in markup for c in _NONCHARACTERS):
        return True
    if "doctype" in beginning:
        end = text.find("\n")
        if end < 0 or DOCTYPE_TAG.sub("", first := text[:end], count=1) != first:
            return True
    return any("<html" in line and line.endswith("/>") for line in text[:4096].splitlines()[:4])


def load_page(page: bytes) -> lxml_html.HtmlElement | None:
    """The page's tree as `trafilatura.load_html(page)` makes it (None when it is not HTML at all).

    A reference to a control character becomes a space first: lxml puts the character itself in the tree
    (a raw control byte it drops), and trafilatura, which writes the tree as XML, then found no text at all:
    one `&#27;` pasted with a title from a word processor, and the whole story was lost (a hostile site's
    `&#27;[2J` too)."""
    text, utf8 = _decoded(page)
    if _CONTROL_REFERENCE.search(text):
        text, utf8 = _CONTROL_REFERENCE.sub(" ", text), None
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    markup = utf8 if utf8 is not None else text.encode("utf8", "surrogatepass")
    if _needs_repair(text, markup, beginning):
        text = repair_faulty_html(text, beginning)
        markup = text.encode("utf8", "surrogatepass")
    # trafilatura parses the text, and its UTF-8 bytes when lxml refuses the text (an encoding declaration)
    # or finds no element in it: the same tree as the bytes give at once (the parser's encoding is UTF-8),
    # without lxml's conversion of the text (tests/test_extract_equivalence.py).
    tree = _parsed(markup)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree
