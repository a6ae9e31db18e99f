"""Settings and default data (sources, SSE lexicon, regions gazetteer), validated with readable errors."""

from rasd.config.settings import (
    BUNDLED_SEEDS_DIR,
    PACKAGE_DIR,
    REGION_CODES,
    REGION_NAMES,
    ConfigError,
    CrawlerSettings,
    Settings,
    SmtpSettings,
    Source,
    Subscription,
    find_config,
    is_private_host,
    load_settings,
    read_toml,
    user_config_path,
    user_data_dir,
)

__all__ = [
    "BUNDLED_SEEDS_DIR",
    "PACKAGE_DIR",
    "REGION_CODES",
    "REGION_NAMES",
    "ConfigError",
    "CrawlerSettings",
    "Settings",
    "SmtpSettings",
    "Source",
    "Subscription",
    "find_config",
    "is_private_host",
    "load_settings",
    "read_toml",
    "user_config_path",
    "user_data_dir",
]
