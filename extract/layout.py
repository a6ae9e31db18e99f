"""Layout tables are not data tables: the page grid of old sites becomes `<div>`s before extraction.

Old Moroccan regional sites (and their windows-1256 pages) lay the whole page out in `<table>`s: logo
and slogan in one row, menus and "most read" in side cells, the article with its related links and
readers' comments in the middle cell. trafilatura keeps tables as tables, so such a page came out as one
table, every cell of the page in one line. A table is taken for layout when its cells do what a data
table's never do: hold another table, paragraphs or blocks (`<p>`, `<div>`, headings, lists, forms,
`<br><br>`), long text, or only links (a list of headlines); or when it has a single column or a
single cell. A data table — rows of short cells, two or more columns, few links — is left alone (a
table of figures in an article is the article's). A layout cell that is a list of links (the side
column's menu or "most read" headlines) becomes a `<nav>`, which extraction leaves out as it leaves out
a modern page's. The tree is changed in place, tag names only.
"""

from __future__ import annotations

from lxml import html as lxml_html

_BLOCKS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "form", "iframe", "table", "blockquote"]
_LONG_CELL = 200  # characters: a data cell holds a figure, a name or a short phrase
_LINK_SHARE = 0.6  # a table whose text is mostly links is a list of headlines or a menu
_ROWS = "./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def is_layout_table(table: lxml_html.HtmlElement) -> bool:
    """Whether a `<table>` lays out a page (or part of one) rather than holding data."""
    rows = table.xpath(_ROWS)
    cells = [cell for row in rows for cell in row if cell.tag in ("td", "th")]
    if not cells:
        return False
    widths = sorted(sum(1 for cell in row if cell.tag in ("td", "th")) for row in rows)
    if widths[len(widths) // 2] < 2:  # one column (most rows): a stack of blocks, not a grid of values
        return True
    for cell in cells:
        if any(node.tag in _BLOCKS for node in cell.iterdescendants()):
            return True
        if len(cell.xpath(".//br")) >= 2 or len(_text(cell)) > _LONG_CELL:
            return True
    text = sum(len(_text(cell)) for cell in cells)
    links = sum(len(_text(link)) for link in table.xpath(".//a"))
    return text > 0 and links / text > _LINK_SHARE


def _is_link_list(cell: lxml_html.HtmlElement) -> bool:
    """Whether a layout cell is a menu or a list of headlines ("Les plus lus", the side column's links):
    several links that are most of its text, and no paragraph of its own."""
    links = cell.xpath(".//a")
    if len(links) < 2 or cell.xpath(".//p | .//table"):
        return False
    text = len(_text(cell))
    return text > 0 and sum(len(_text(link)) for link in links) / text > _LINK_SHARE


def unlayout_tables(tree: lxml_html.HtmlElement) -> int:
    """Turn every layout table of `tree` into `<div>`s (rows and cells too); the number turned."""
    turned = 0
    for table in tree.xpath("//table"):  # outer tables first: each is judged on its own cells
        if is_layout_table(table):
            for row in table.xpath(_ROWS):
                for cell in row:
                    if cell.tag in ("td", "th"):
                        cell.tag = "nav" if _is_link_list(cell) else "div"
                row.tag = "div"
            for part in table.xpath("./thead | ./tbody | ./tfoot"):
                part.tag = "div"
            table.tag = "div"
            turned += 1
    return turned
