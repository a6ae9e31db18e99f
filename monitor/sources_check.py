"""`rasd sources list`: the configured sites, one line each, as a user checks them before a first crawl."""

from __future__ import annotations

from collections.abc import Iterator

from config import Settings


def source_lines(settings: Settings) -> Iterator[str]:
    """A header, one line per source (name, region, language, how it is read), and a count per region,
    so a gap in coverage shows at a glance."""
    yield f"{'source':<28} {'region':<6} {'lang':<5} {'read via':<10} homepage"
    regions: dict[str, int] = {}
    for source in settings.sources:
        via = "feed" if source.feeds else ("sitemap" if source.sitemaps else "discover")
        region = source.region or "-"
        regions[region] = regions.get(region, 0) + 1
        yield f"{source.name[:28]:<28} {region:<6} {source.lang or '?':<5} {via:<10} {source.url}"
    counts = ", ".join(f"{region} {count}" for region, count in sorted(regions.items()))
    yield f"{len(settings.sources)} sources ({counts}; - = national)"
