"""The lines that tie a syndicated story to its other copies, as a reader sees them under a story: the other
sites that published it ("also on …: …"), or, for a copy, the story it copies ("the same story as no. …"),
the one the digest and `rasd search` list the sites under.

`rasd explain` (alerts/explain.py) and `rasd search`'s table (monitor/search.py) print them; each says them in
its reader's language and fills the values its own way (a terminal line of `rasd search` keeps each value in
order with bidi marks). Light on purpose: no Babel, Jinja2 or classifier, so `rasd search` loads none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasd.storage import StoredStory, readable_url


def _percent(message: str, values: dict[str, Any]) -> str:
    return message % values


def copies_lines(
    story: StoredStory,
    gettext: Callable[[str], str],
    fill: Callable[[str, dict[str, Any]], str] = _percent,
) -> list[str]:
    """One line per other site that published ``story`` (its name and readable address), then, for a copy,
    the story it copies and the command that explains it; ``gettext`` looks the messages up in the reader's
    catalog, ``fill`` puts the values in (``message % values`` by default)."""
    lines = [
        fill(gettext("also on %(source)s: %(url)s"), {"source": name, "url": readable_url(url)})
        for name, url in story.also_in
    ]
    if story.copy_of is not None:
        copied = gettext("the same story as no. %(number)s (%(command)s)")
        lines.append(fill(copied, {"number": str(story.copy_of), "command": f"rasd explain {story.copy_of}"}))
    return lines


__all__ = ["copies_lines"]
