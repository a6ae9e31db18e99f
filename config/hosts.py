"""A site's name as a person types it: `تعاونية.ma`, `échos-région.ma`, not the ASCII form (`xn--mgbeb4d6clp.ma`)
the network uses and the crawler's requests, Twisted's and the resolver's messages carry. Only for what a
reader is shown (failure lines, `rasd status`, digests, search): requests keep the ASCII form.

A name is shown in Unicode label by label, and only a label whose letters are all of one script, Arabic or
Latin (digits and hyphens aside): a label mixing scripts (a Cyrillic `а` among Latin letters, the spoofing
browsers guard against) keeps its ASCII form, as a browser's address bar does.
"""

from __future__ import annotations

import re
import unicodedata

_SCRIPTS = ("ARABIC", "LATIN")
# A host name in a line of text with at least one punycode label (`xn--…`), as a word of its own.
_ACE_HOST = re.compile(r"(?<![\w.-])(?:[a-z0-9-]+\.)*xn--[a-z0-9-]+(?:\.[a-z0-9-]+)*(?![\w-])", re.IGNORECASE)


def _one_script(label: str) -> bool:
    scripts = {
        unicodedata.name(character, "").split(" ", 1)[0]
        for character in label
        if character.isalpha()
    }
    return len(scripts) == 1 and scripts <= set(_SCRIPTS)


def _label_shown(label: str) -> str:
    if not label.lower().startswith("xn--"):
        return label
    try:
        decoded = label.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return label
    return decoded if decoded.isprintable() and _one_script(decoded) else label


def shown_host(host: str) -> str:
    """`host` as a person types it: each punycode label of one script (Arabic, Latin) in Unicode."""
    return ".".join(_label_shown(label) for label in host.split("."))


def shown_hosts(text: str) -> str:
    """`text` (a failure line, an address) with each host name in it as a person types it (`shown_host`)."""
    if "xn--" not in text.lower():
        return text
    return _ACE_HOST.sub(lambda found: shown_host(found.group()), text)
