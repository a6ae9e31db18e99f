"""A video's page tells its story in a caption: a sentence or two under the player.

Rasd took less than `extract.body.MIN_TEXT_CHARS` for no article at all, and a short caption's page for
an empty one, so trafilatura's fallback extractors were asked for more and brought back the page's list of
other videos and its share buttons. A page that declares itself a video's (Open Graph `video.*`, or
JSON-LD whose only main thing is a `VideoObject`) and plays one has a shorter minimum: its caption.
"""

from __future__ import annotations

from lxml import html as lxml_html

from rasd.extract.dates import is_article_type, json_ld_objects, meta_content

MIN_CAPTION_CHARS = 40  # a sentence


def is_video_page(tree: lxml_html.HtmlElement) -> bool:
    """Whether the page is a video's: declared so (`og:type` video.*, a JSON-LD `VideoObject` and no
    article) and showing a player (`<video>`, an `<iframe>` or `og:video`)."""
    declared_video = any(content.strip().lower().startswith("video") for _, content in meta_content(tree, ["og:type"]))
    if not declared_video:
        objects = list(json_ld_objects(tree))
        declared_video = any(item.get("@type") == "VideoObject" for item in objects) and not any(
            is_article_type(item) for item in objects
        )
    player = bool(tree.xpath("//body//video | //body//iframe")) or any(meta_content(tree, ["og:video"]))
    return declared_video and player
