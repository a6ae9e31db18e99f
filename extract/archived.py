"""A page read from a web archive carries the archive's own furniture around the site's page.

The Wayback Machine (web.archive.org, and a page saved from it) inserts its toolbar at the top of the
page's `<body>`: the capture's address, "41 captures", the span of the captures, a calendar of months and
years, "COLLECTED BY Organization: Internet Archive" with a paragraph on how the archive crawls, and a
print-only line "The Wayback Machine - https://web.archive.org/web/…". Hidden until its script runs, it is
still text of the page: its "COLLECTED BY" paragraph was taken for the story's byline ("Organization:
Internet Archive The Internet Archive discovers…"). Its elements keep fixed ids on every capture since
2010; they are dropped before anything is read — looked for in the tree only when the page's bytes name them
(a search of the tree's every element cost ~0.5 % of an extraction, on pages that nearly never have one).
"""

from __future__ import annotations

from lxml import html as lxml_html

_WAYBACK_TOOLBAR = "//*[@id='wm-ipp-base' or @id='wm-ipp-print']"
_WAYBACK_MARK = b"wm-ipp"


def drop_archive_toolbars(tree: lxml_html.HtmlElement, page: bytes) -> None:
    """Drop, in place, the Wayback Machine's toolbar and its print line (the page's own text stays);
    `page`: the tree's bytes."""
    if _WAYBACK_MARK not in page:
        return
    for element in tree.xpath(_WAYBACK_TOOLBAR):
        element.drop_tree()
