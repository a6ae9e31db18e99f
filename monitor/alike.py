"""One line for many sources that failed the same way, shared by `rasd crawl` and `rasd sources check`.

When the machine's network is down (or a proxy refuses everything), every source fails alike, and a
screenful of lines alike hides the one thing to do: check the network. Both commands say it in the same
words, so that a user who met it once in one recognises it in the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from urllib.parse import urlsplit

from rasd.config import Source
from rasd.monitor.speech import Speech

MIN_ALIKE = 3  # sources failing alike before one line speaks for them all
LOCAL_REFUSAL = "connection refused on this machine"


def local_refusals(causes: Mapping[str, Set[str]], sources: Sequence[Source]) -> dict[str, set[str]]:
    """`causes` with a refused connection to a loopback source (the demo web's 127.0.0.10–13) named as
    such: nothing listens there, no firewall or proxy is to blame."""
    from rasd.monitor.browse import is_loopback

    local = {source.name for source in sources if is_loopback(urlsplit(source.url).hostname or "")}
    return {
        name: {LOCAL_REFUSAL if kind == "connection refused" and name in local else kind for kind in kinds}
        for name, kinds in causes.items()
    }


def failed_alike(causes: Mapping[str, Set[str]], ok: Set[str], total: int) -> dict[str, list[str]]:
    """Cause → the sources that got nothing (not in `ok`) and failed only with it, for a cause shared by
    most of the `total` sources (and at least MIN_ALIKE of them). `causes` are failure kinds in words,
    as `crawler.spider.failure_cause` names them ("DNS lookup failed", "timed out")."""
    by_cause: dict[str, list[str]] = {}
    for source, kinds in causes.items():
        if source not in ok and len(kinds) == 1:
            by_cause.setdefault(next(iter(kinds)), []).append(source)
    return {cause: names for cause, names in by_cause.items() if len(names) >= MIN_ALIKE and len(names) * 2 > total}


def alike_line(cause: str, n: int, total: int, language: str = "en") -> str:
    """`network unreachable? 74 of 74 sources failed with DNS errors (… check this machine's network …)`,
    in the reader's language (the daemon's log: English)."""
    said = Speech(language)
    if cause == "DNS lookup failed":
        hint = said.ngettext(
            "network unreachable? %(n)d of %(total)d source failed with DNS errors (no site name could be looked "
            "up: check this machine's network connection and DNS)",
            "network unreachable? %(n)d of %(total)d sources failed with DNS errors (no site name could be looked "
            "up: check this machine's network connection and DNS)",
            total,
        )
    elif cause == "connection refused":
        hint = said.ngettext(
            "%(n)d of %(total)d source refused the connection (a firewall or a proxy on this machine's network?)",
            "%(n)d of %(total)d sources refused the connection (a firewall or a proxy on this machine's network?)",
            total,
        )
    elif cause == "timed out":
        hint = said.ngettext(
            "network down or very slow? %(n)d of %(total)d source timed out",
            "network down or very slow? %(n)d of %(total)d sources timed out",
            total,
        )
    elif cause == LOCAL_REFUSAL:
        hint = said.ngettext(
            "%(n)d of %(total)d source refused the connection on this machine (127.x): their site is not running "
            "(the demo web's: start it with `rasd demo --serve`)",
            "%(n)d of %(total)d sources refused the connection on this machine (127.x): their site is not running "
            "(the demo web's: start it with `rasd demo --serve`)",
            total,
        )
    else:
        hint = said.ngettext(
            "%(n)d of %(total)d source failed in the same way: %(cause)s",
            "%(n)d of %(total)d sources failed in the same way: %(cause)s",
            total,
        )
    return said(hint, n=n, total=total, cause=said.failure(cause))
