"""Settings and default data (sources, SSE lexicon, regions gazetteer), validated with readable errors."""

from rasd.config.settings import (
    PACKAGE_DIR,
    REGION_CODES,
    REGION_NAMES,
    ConfigError,
    CrawlerSettings,
    Settings,
    SmtpSettings,
    Source,
    Subscription,
    is_private_host,
    load_settings,
    read_toml,
)

__all__ = [
    "PACKAGE_DIR",
    "REGION_CODES",
    "REGION_NAMES",
    "ConfigError",
    "CrawlerSettings",
    "Settings",
    "SmtpSettings",
    "Source",
    "Subscription",
    "is_private_host",
    "load_settings",
    "read_toml",
]
