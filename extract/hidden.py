"""A story's second half hidden behind "read more" is shown before extraction.

Some news themes print the whole story but fold its continuation into an element hidden by CSS
(`style="display:none"`, the `hidden` attribute, a `collapse`/`hidden` class) that a "اقرأ المزيد" /
"Lire la suite" button opens. trafilatura drops hidden elements on purpose (menus, pop-ups, modals), so
Rasd stored the story's first half: on a probe of 24 real development stories in such a page, 26 of 56
paragraphs kept. A hidden element is taken for the story's continuation only when it is where the story
is (paragraphs of prose come before it, at its level), holds paragraphs of prose itself that are not a copy
of those shown, and something offers to open it (a "read more" button beside it, or a control naming its
id); a hidden menu, pop-up, notice or phone copy of the story stays hidden.

A page built by a script in the reader's browser may print its story only inside `<noscript>`, for
readers (and robots) without scripts, and show an empty frame or "Chargement…" otherwise. trafilatura
drops every `<noscript>` (where sites say "enable JavaScript"), and the story with it: `reveal_noscript_story`
opens a `<noscript>` that holds paragraphs of prose when the page shows less prose outside it.

A 1990s–2000s site in frames saves as a `<frameset>` whose only text is its `<noframes>` page, for
browsers without frames: the HTML parser keeps that page as raw text, so nothing at all was read from it
(nor by bare trafilatura). `reveal_noframes_page` parses it as the page's body.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_PROSE = 60  # characters: a paragraph of a story, not a label or a button
# Candidates: the parents and grandparents of paragraphs that look hidden, by cheap tests refined in Python
# (`_is_hidden`). Searching every element of the page cost ~0.2 ms a page (tests/pages), this ~0.05 ms.
_LOOKS_HIDDEN = "@hidden or contains(@style, 'none') or contains(@class, 'collapse') or contains(@class, 'hidden')"
_HIDDEN = f"//p/parent::*[{_LOOKS_HIDDEN}] | //p/parent::*/parent::*[{_LOOKS_HIDDEN}]"
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_HIDING_CLASSES = re.compile(r"^(?:collapse|hidden)$")


# What a "read more" control says, folded to lower case: Arabic (several spellings), French, English.
_READ_MORE = re.compile(
    r"(?:اقرأ|إقرأ|اقرا|تابع|أكمل|اكمل|عرض)\s*(?:ال)?(?:مزيد|المزيد|القراءة|باقي|الخبر|المقال)"
    r"|المزيد|lire\s+(?:la\s+)?(?:suite|plus)|voir\s+plus|afficher\s+(?:la\s+)?suite|read\s+more|continue\s+reading"
)
_CONTROL = "//*[@aria-controls={id} or @data-target={ref} or @data-bs-target={ref} or @href={ref}]"
_LETTER = re.compile(r"[^\W\d_]")


def _says_read_more(control: lxml_html.HtmlElement, wordless_too: bool) -> bool:
    """Whether a control reads "read more" (or, when `wordless_too`, shows no word at all: "+", "▼", "…")."""
    text = " ".join(control.itertext()).strip()
    if len(text) >= 40:
        return False
    return bool(_READ_MORE.search(text.lower())) or (wordless_too and not _LETTER.search(text))


def _opened_by_reader(element: lxml_html.HtmlElement) -> bool:
    """Whether a "read more" control opens `element`: one naming its id (`aria-controls`, `data-target`,
    `href="#…"`) that says "read more" or shows no word, or a "read more" button or link right before or
    after it. A control naming it with other words ("S'inscrire", "Signaler une erreur") opens a pop-up."""
    name = element.get("id")
    if name and '"' not in name:
        controls = element.xpath(_CONTROL.format(id=f'"{name}"', ref=f'"#{name}"'))
        if any(_says_read_more(control, wordless_too=True) for control in controls):
            return True
    near = [element.getprevious(), element.getnext()]
    return any(node is not None and _says_read_more(node, wordless_too=False) for node in near)


def _is_hidden(element: lxml_html.HtmlElement) -> bool:
    classes = (element.get("class") or "").split()
    return (
        element.get("hidden") is not None
        or bool(_DISPLAY_NONE.search(element.get("style") or ""))
        or any(_HIDING_CLASSES.match(name) for name in classes)
    )


def _prose(paragraphs: list[lxml_html.HtmlElement]) -> list[str]:
    texts = (" ".join(" ".join(p.itertext()).split()) for p in paragraphs)
    return [text for text in texts if len(text) >= _PROSE]


def reveal_continuations(tree: lxml_html.HtmlElement) -> int:
    """Unhide, in place, every hidden element that continues a story's visible paragraphs; how many."""
    shown = 0
    for element in tree.xpath(_HIDDEN):
        if not _is_hidden(element):
            continue
        hidden = _prose(element.xpath(".//p"))
        before = _prose(element.xpath("preceding-sibling::p | preceding-sibling::*//p"))
        if not hidden or not before:
            continue  # no prose in it, or nothing of a story shown before it: a pop-up, a menu, a notice
        if set(hidden) & set(before):
            continue  # a second copy of what is shown (a theme's mobile version): hidden as it should be
        if not _opened_by_reader(element):
            continue  # hidden for another reason (a pop-up, a notice): nothing offers to show it
        for attribute in ("hidden", "style", "aria-hidden"):
            element.attrib.pop(attribute, None)
        classes = [name for name in (element.get("class") or "").split() if not _HIDING_CLASSES.match(name)]
        if classes:
            element.set("class", " ".join(classes))
        else:
            element.attrib.pop("class", None)
        shown += 1
    return shown


def reveal_noscript_story(tree: lxml_html.HtmlElement) -> int:
    """Open, in place, the `<noscript>`s that hold the page's story: paragraphs of prose, more of it than
    the page shows elsewhere and none a copy of what it shows; how many. "Please enable JavaScript" and a
    lazy-loaded image's `<noscript>` copy hold no paragraphs of prose and stay closed."""
    holders = tree.xpath("//body//noscript[.//p]")
    if not holders:
        return 0
    inside = {id(p) for holder in holders for p in holder.iter("p")}
    shown = _prose([p for p in tree.iter("p") if id(p) not in inside])
    opened = 0
    for holder in holders:
        hidden = _prose(holder.xpath(".//p"))
        if hidden and not set(hidden) & set(shown) and sum(map(len, hidden)) > sum(map(len, shown)):
            holder.drop_tag()
            opened += 1
    return opened


def reveal_noframes_page(tree: lxml_html.HtmlElement) -> bool:
    """Put, in place, a frameset page's `<noframes>` page (kept by the parser as raw markup) as its body;
    whether there was one. A page with a body of its own is left as it is."""
    if tree.find("frameset") is None or tree.find("body") is not None:
        return False
    holder = next((node for node in tree.iter("noframes") if (node.text or "").strip()), None)
    if holder is None:
        return False
    page = lxml_html.document_fromstring(holder.text)
    body = page.find("body")
    if body is None:
        return False
    for frameset in tree.findall("frameset"):
        tree.remove(frameset)
    tree.append(body)
    return True
