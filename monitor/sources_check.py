"""`rasd sources list` and `rasd sources check`: the configured sites, as a user checks them before a crawl.

`list` reads the config only. `check` adds what the config's own validation cannot know: findings about
the list as a whole (two sources on one site, a feed on another host than its homepage — duplicate names
and region codes are refused by `config.load_settings` already, exit 2), and what each site answers today
(`crawler.discover_sources`): whether the configured feeds and sitemaps work, and which ones the homepage,
`/feed/` and robots.txt offer. One line per source, in the config's order, so two runs can be diffed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rasd.config import Settings, Source
from rasd.monitor.alike import alike_line, failed_alike
from rasd.monitor.speech import Speech, decimal

if TYPE_CHECKING:  # the crawler (Scrapy) is imported only by `check`, not by `list`
    from rasd.crawler import FeedCheck, SourceDiscovery, SourcePlan

NAME_WIDTH = 28


def source_lines(settings: Settings, language: str = "en") -> Iterator[str]:
    """A header, one line per source (name, region, language, how it is read), and a count per region,
    so a gap in coverage shows at a glance."""
    said = Speech(language)
    heads = [said.gettext("source"), said.gettext("region"), said.gettext("lang"), said.gettext("read via")]
    via_words = {"feed": said.gettext("feed"), "sitemap": said.gettext("sitemap"), "discover": said.gettext("discover")}
    # A source without `lang`: each article's language is detected ("?" read as "unknown" to a newcomer)
    detected = said.gettext("detected")
    regions: dict[str, int] = {}
    rows = []
    for source in settings.sources:
        via = "feed" if source.feeds else ("sitemap" if source.sitemaps else "discover")
        region = source.region or "-"
        regions[region] = regions.get(region, 0) + 1
        rows.append(([source.name, region, source.lang or detected, via_words[via]], source.url))
    # Each column as wide as its widest word in this language ("à découvrir", "langue"), the names up to
    # NAME_WIDTH: a translated heading or word is never cut.
    widths = [max(len(cell) for cell in column) for column in zip(heads, *(cells for cells, _ in rows), strict=False)]
    widths[0] = min(widths[0], NAME_WIDTH)
    yield said.line(
        " ".join(said.cell(head, width) for head, width in zip(heads, widths, strict=True))
        + " "
        + said.gettext("homepage")
    )
    for cells, url in rows:
        line = " ".join(said.cell(value, width) for value, width in zip(cells, widths, strict=True))
        yield said.line(line + " " + said.part(url))
    counts = ", ".join(f"{region} {count}" for region, count in sorted(regions.items()))
    total = len(settings.sources)
    counted = said.ngettext(
        "%(num)d source (%(counts)s; - = national)", "%(num)d sources (%(counts)s; - = national)", total
    )
    yield said(counted, num=total, counts=counts)


def list_findings(sources: list[Source], language: str = "en") -> dict[str, list[str]]:
    """Per source name, what looks wrong in the list itself. Not errors (a national paper may have a
    regional section under its own homepage; a feed may be served by a feed host), so the check reports
    them and the crawl goes on. "Same site" is the crawler's own rule (`www.` and `m.` ignored)."""
    from rasd.crawler import same_site

    said = Speech(language)
    same = said.gettext("same site as source %(other)s (%(host)s)")
    elsewhere = {
        "feed": said.gettext("feed %(url)s is on another host than the homepage (%(host)s)"),
        "sitemap": said.gettext("sitemap %(url)s is on another host than the homepage (%(host)s)"),
    }
    findings: dict[str, list[str]] = {source.name: [] for source in sources}
    for index, source in enumerate(sources):
        host = urlsplit(source.url).hostname
        for other in sources[index + 1 :]:
            if same_site(source.url, other.url):
                findings[source.name].append(said(same, other=repr(other.name), host=host))
                findings[other.name].append(said(same, other=repr(source.name), host=host))
        for kind, urls in (("feed", source.feeds), ("sitemap", source.sitemaps)):
            for url in urls:
                if not same_site(url, source.url):
                    findings[source.name].append(said(elsewhere[kind], url=url, host=host))
    return findings


def discovery_plans(sources: list[Source]) -> list[SourcePlan]:
    """What to ask each site: its homepage and configured feeds and sitemaps (not the ones the crawl
    remembered in the database: the check is about the config)."""
    from rasd.crawler import SourcePlan

    return [SourcePlan(s.name, s.url, tuple(s.feeds), tuple(s.sitemaps)) for s in sources]


def _describe(check: FeedCheck, said: Speech) -> str:
    """`feed URL (20 items, advertised)`, `sitemap URL (3 child sitemaps, the newest with 120 URLs,
    robots.txt)`, or `feed URL (configured): HTTP 404`, in the reader's language (the site's error as it is)."""
    origin = {
        "configured": said.gettext("configured"),
        "advertised": said.gettext("advertised"),
        "guessed": said.gettext("guessed"),
        "robots.txt": "robots.txt",
    }[check.origin]
    if check.kind == "feed":
        where = said(said.gettext("feed %(url)s"), url=check.url)
    else:
        where = said(said.gettext("sitemap %(url)s"), url=check.url)
    if check.landed:
        where = said(said.gettext("%(where)s → %(landed)s"), where=where, landed=check.landed)
    if check.error is not None:
        error = said.failure(check.error)
        return said(said.gettext("%(where)s (%(origin)s): %(error)s"), where=where, origin=origin, error=error)
    empty = "" if check.items else said.gettext(": empty")
    if check.kind == "feed":
        items = said.ngettext("%(num)d item", "%(num)d items", check.items) % {"num": check.items}
        return said(said.gettext("%(where)s (%(count)s, %(origin)s)"), where=where, count=items, origin=origin) + empty
    if not check.child_sitemaps:
        count = said.ngettext("%(num)d URL", "%(num)d URLs", check.items) % {"num": check.items}
        return said(said.gettext("%(where)s (%(count)s, %(origin)s)"), where=where, count=count, origin=origin) + empty
    children = said.ngettext("%(num)d child sitemap", "%(num)d child sitemaps", check.child_sitemaps) % {
        "num": check.child_sitemaps
    }
    if check.child_error is not None:
        message = said.gettext("%(where)s (%(count)s, %(origin)s): newest child sitemap: %(error)s")
        return said(message, where=where, count=children, origin=origin, error=said.failure(check.child_error))
    message = said.gettext("%(where)s (%(count)s, the newest with %(urls)s, %(origin)s)")
    first = said.ngettext("%(num)d URL", "%(num)d URLs", check.child_items or 0) % {"num": check.child_items or 0}
    return said(message, where=where, count=children, urls=first, origin=origin)


@dataclass
class SourcesCheck:
    """The outcome of `rasd sources check`: the sites' answers and the list's findings, as report lines
    and as TOML to paste."""

    discoveries: list[SourceDiscovery]
    findings: dict[str, list[str]]
    seconds: float
    language: str = "en"

    def status(self, found: SourceDiscovery) -> str:
        """`FAIL` when nothing of the site answered, `warn` when something needs the user's eye, `ok`."""
        if not found.reachable:
            return "FAIL"
        return "warn" if self._problems(found) else "ok"

    def _problems(self, found: SourceDiscovery) -> list[str]:
        said = Speech(self.language)
        problems = [said(said.gettext("config: %(finding)s"), finding=f) for f in self.findings.get(found.name, [])]
        if found.homepage_error is not None:
            problems.append(said(said.gettext("homepage: %(error)s"), error=said.failure(found.homepage_error)))
        if found.homepage_landed is not None and found.homepage_moved:  # the address to write, not only where it went
            moved = said.gettext("homepage moved for good to %(url)s: write %(setting)s in its entry")
            problems.append(said(moved, url=found.homepage_landed, setting=f'url = "{found.homepage_landed}"'))
        elif found.homepage_landed is not None:
            problems.append(said(said.gettext("homepage redirects to %(url)s"), url=found.homepage_landed))
        if found.reachable and found.robots_error is not None:
            problems.append(said(said.gettext("robots.txt: %(error)s"), error=said.failure(found.robots_error)))
        problems += [_describe(c, said) for c in found.ordered() if c.origin != "guessed" and not c.works]
        if found.reachable and not any(check.works for check in found.checks):
            if found.listing_links == 0:  # the crawl's listing pages would give it nothing either
                nothing = said.gettext(
                    "no working feed or sitemap, and the homepage links to no page the crawl takes for an article "
                    "or a section (its addresses carry no date, number or long name): the crawl will store "
                    "nothing of this site; write its feed's or sitemap's address in its entry, "
                    "%(feeds)s or %(sitemaps)s"
                )
                problems.append(said(nothing, feeds='feeds = ["…"]', sitemaps='sitemaps = ["…"]'))
            else:
                problems.append(said(said.gettext("no working feed or sitemap: the crawl will read listing pages")))
        return problems

    def line(self, found: SourceDiscovery, width: int = NAME_WIDTH) -> str:
        """One line: name, status, then the findings and every feed or sitemap that works."""
        said = Speech(self.language)
        details = self._problems(found)
        if found.reachable:
            details += [_describe(check, said) for check in found.ordered() if check.works]
            guesses = [c for c in found.checks if c.origin == "guessed" and not c.works]
            none_at = said.gettext("no feed advertised, none at %(path)s (%(error)s)")
            if not any(c.works for c in found.checks if c.origin == "guessed" and c.kind == "feed"):
                details += [
                    said(
                        none_at,
                        path=urlsplit(c.url).path,
                        error=said.failure(c.error) if c.error else said.gettext("no items"),
                    )
                    for c in guesses
                    if c.kind == "feed"
                ]
            tried = [urlsplit(c.url).path for c in guesses if c.kind == "sitemap"]
            if tried and not any(c.works for c in found.checks):  # what was tried, when nothing works
                none_there = said.gettext("no sitemap in robots.txt, none at %(paths)s")
                details.append(said(none_there, paths=", ".join(tried)))
            if found.advertised_unchecked:
                more = said.ngettext(
                    "%(num)d more feed advertised, not checked",
                    "%(num)d more feeds advertised, not checked",
                    found.advertised_unchecked,
                )
                details.append(said(more, num=found.advertised_unchecked))
        status = {"ok": said.gettext("ok"), "warn": said.gettext("warn"), "FAIL": said.gettext("FAIL")}
        widest = max(len(word) for word in status.values())
        cells = f"{said.cell(found.name, width)}  {said.cell(status[self.status(found)], widest)}  "
        return said.line(cells + " · ".join(details)).rstrip()

    def lines(self) -> Iterator[str]:
        width = min(NAME_WIDTH, max((len(found.name) for found in self.discoveries), default=0))
        for found in self.discoveries:
            yield self.line(found, width)

    @property
    def reachable(self) -> int:
        return sum(1 for found in self.discoveries if found.reachable)

    def alike_lines(self) -> list[str]:
        """When most sources could not be reached in the same way (the machine's network is down), the one
        line `rasd crawl` gives for it too (monitor/alike.py)."""
        causes = {found.name: {found.homepage_cause} for found in self.discoveries if found.homepage_cause}
        reached = {found.name for found in self.discoveries if found.reachable}
        total = len(self.discoveries)
        alike = failed_alike(causes, reached, total)
        return [alike_line(cause, len(names), total, self.language) for cause, names in alike.items()]

    def summary(self) -> str:
        said = Speech(self.language)
        statuses = [self.status(found) for found in self.discoveries]
        return said(
            said.gettext("checked %(sources)s in %(seconds)s: %(ok)d ok, %(warn)d with findings, %(fail)d unreachable"),
            sources=said.ngettext("%(num)d source", "%(num)d sources", len(statuses)) % {"num": len(statuses)},
            seconds=said.gettext("%(seconds)ss") % {"seconds": decimal(self.seconds, self.language)},
            ok=statuses.count("ok"),
            warn=statuses.count("warn"),
            fail=statuses.count("FAIL"),
        )

    def toml(self, sources: list[Source]) -> str:
        """`[[sources]]` entries (name, url, feeds, sitemaps) for the sources where the check found a
        working feed or sitemap the config does not list. Each lists what works today — configured and
        found — so a configured feed that failed is left out. Printed for the user to paste: the config
        file is theirs, with their comments, and is never rewritten."""
        import tomli_w

        configured = {source.name: source for source in sources}
        entries: list[dict[str, Any]] = []
        for found in self.discoveries:
            working = [check for check in found.ordered() if check.works]
            if not any(check.origin != "configured" for check in working):
                continue
            source = configured[found.name]
            entry: dict[str, Any] = {"name": source.name, "url": source.url}
            for key, kind, listed in (("feeds", "feed", source.feeds), ("sitemaps", "sitemap", source.sitemaps)):
                urls = [check.url for check in working if check.kind == kind]
                if urls or listed:
                    entry[key] = urls
            entries.append(entry)
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        head = f"# Feeds and sitemaps found by `rasd sources check` ({when}) that the config does not list.\n"
        if not entries:
            return head + "# Nothing to add.\n"
        head += "# Each entry lists what answered today; copy its feeds/sitemaps lines into the source's entry.\n\n"
        return head + tomli_w.dumps({"sources": entries})
