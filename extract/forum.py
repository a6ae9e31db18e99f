"""A forum thread's story is its opening post.

A vBulletin thread (the forum software of most Arabic portals of 2005–2015, "منتديات …") prints each
post as a table: the poster's name, rank, "تاريخ التسجيل: Mar 2008" and "المشاركات: 1,204" beside the
message, a signature under it, then the replies ("مشكور أخي على نقل الخبر"), each the same. Read as an
article page, all of it was the story. The message of every post is in a `post_message_<id>` element (vB 3
and 4): the first is the story, and its poster (`bigusername`, vB 4's `username`) its author, as on a
phpBB or Discourse thread. Looked for in the tree only when the page's bytes name such an element.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

_MESSAGES = "//*[starts-with(@id, 'post_message_')]"
_MESSAGES_MARK = b"post_message_"
_POST = "ancestor::*[starts-with(@id, 'post') and not(starts-with(@id, 'post_message_'))][1]"
_POSTER = ".//a[contains(@class, 'username')]"


@dataclass(frozen=True)
class OpeningPost:
    """A thread's first post: its message element, which becomes the page's body once the metadata is read
    (`keep_only`), and its poster's name, the story's author when the page names no other."""

    message: lxml_html.HtmlElement
    poster: str | None


def opening_post(tree: lxml_html.HtmlElement, page: bytes) -> OpeningPost | None:
    """The thread's first message and its poster; None on a page that is no vBulletin thread. `page`: the
    tree's bytes."""
    if _MESSAGES_MARK not in page:
        return None
    messages = tree.xpath(_MESSAGES)
    if not messages:
        return None
    first = messages[0]
    posts = first.xpath(_POST)
    names = posts[0].xpath(_POSTER) if posts else []
    poster = " ".join(names[0].text_content().split()) if names else None
    return OpeningPost(first, poster or None)


def keep_only(tree: lxml_html.HtmlElement, message: lxml_html.HtmlElement) -> None:
    """Make, in place, the page's body the message alone (after the metadata, which read the whole page)."""
    body, parent = tree.find("body"), message.getparent()
    if body is None or parent is None:
        return
    parent.remove(message)
    message.tail = None
    for child in list(body):
        body.remove(child)
    body.text = None
    body.append(message)
