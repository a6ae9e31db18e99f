"""Rasd's settings: one TOML file (default `config/rasd.toml`), validated before anything runs.

A user edits these files by hand, so every mistake must come back as one readable line that names the
file and the key (`config/sources.toml: sources[3].url: not a URL`), never as a traceback. Sections left
out take the defaults, so a config holding only `[[sources]]` works.
"""

from __future__ import annotations

import difflib
import importlib.util
import ipaddress
import re
import tomllib
from datetime import time as clock_time
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from rasd.config.errors import ConfigError
from rasd.config.paths import BUNDLED_SEEDS_DIR, PACKAGE_DIR, find_config, user_data_dir
from rasd.config.regions import REGION_CODES

_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api_?key", re.IGNORECASE)


def digest_languages() -> list[str]:
    """The digest's languages: English (its messages as written) and each compiled catalog in
    alerts/locale. Found without importing rasd.alerts (which would load the classifier): reading a
    config stays light for `rasd status` and `search`."""
    spec = importlib.util.find_spec("rasd.alerts")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    found = {mo.parent.parent.name for folder in folders for mo in Path(folder).glob("locale/*/LC_MESSAGES/rasd.mo")}
    return ["en", *sorted(found)]


def _catalog_language(value: str) -> str:
    """A language Rasd speaks (a catalog in alerts/locale, or "en"), or "" (left out)."""
    available = digest_languages()
    if value and value not in available:
        raise ValueError(f"no digest catalog for {value!r} (available: {', '.join(available)})")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not a URL (expected http:// or https://)")
    return value


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and other non-public literal addresses and `localhost`."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


class Source(_Strict):
    """One news site. Only `name` and `url` are required: feeds and sitemaps are discovered."""

    name: Annotated[str, Field(min_length=1)]
    url: str
    feeds: list[str] = []
    sitemaps: list[str] = []
    region: str | None = None
    lang: Literal["ar", "fr", "en", "mixed"] | None = None
    group: str = "default"
    boilerplate: list[str] = []  # extra lines this site adds around its articles, removed after extraction

    _url = field_validator("url")(_check_http_url)

    @field_validator("feeds", "sitemaps")
    @classmethod
    def _urls(cls, values: list[str]) -> list[str]:
        return [_check_http_url(v) for v in values]

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is not None and value not in REGION_CODES:
            raise ValueError(f"not an ISO 3166-2:MA region code (MA-01 … MA-12): {value!r}")
        return value


class StorageSettings(_Strict):
    url: str = "sqlite:///data/rasd.db"

    @field_validator("url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        """SQLite or PostgreSQL (the two the store is built and tested for): anything else said here, not as
        a missing driver's traceback when the store is first opened."""
        scheme = url.partition("://")[0].partition("+")[0].lower()
        if scheme not in ("sqlite", "postgresql"):
            raise ValueError(
                "expected sqlite:///PATH or postgresql://USER@HOST/DATABASE"
                + (" (postgres:// is spelled postgresql://)" if scheme == "postgres" else "")
            )
        return url


class CrawlerSettings(_Strict):
    allow_private_networks: bool = False
    # Hosts (names or literal addresses) exempt from the private-network refusal, e.g. an intranet news
    # site; every other host, including where these redirect or link to, is still checked.
    allow_hosts: list[str] = []
    user_agent: str = "Rasd/0.1 (SSE news monitor; +https://github.com/rasd-monitor/rasd)"
    obey_robots_txt: bool = True
    concurrent_requests_per_domain: Annotated[int, Field(ge=1, le=16)] = 2
    download_delay: Annotated[float, Field(ge=0)] = 0.5
    download_timeout: Annotated[float, Field(gt=0)] = 20.0
    # Seconds a site may take per cycle, from its first request; what is left is fetched next cycle. A
    # first crawl of a large site at the polite pace takes about 100 s (200 pages, 0.5 s apart).
    source_time_budget: Annotated[float, Field(gt=0)] = 240.0
    max_pages_per_source: Annotated[int, Field(ge=1)] = 200
    max_response_bytes: Annotated[int, Field(ge=10_000)] = 5_000_000
    autothrottle: bool = True
    sources_file: str = "sources.toml"  # relative to the config file's folder, like every path in it
    # Processes extracting and classifying pages; None: one per CPU but one (monitor.work.default_workers).
    workers: Annotated[int, Field(ge=1, le=64)] | None = None


class ClassifierSettings(_Strict):
    threshold: float | None = None  # None: the value chosen on labelled data, in config/lexicon.toml
    # Reference stories; by default `seeds/` beside the config file when there is one, else Rasd's own.
    seeds_dir: str = "seeds"


class SmtpSettings(_Strict):
    host: str = ""  # empty: digests go to the outbox folder as .eml files
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["plain", "starttls", "ssl"] = "starttls"
    username_env: str = "RASD_SMTP_USER"
    password_env: str = "RASD_SMTP_PASSWORD"
    timeout: Annotated[float, Field(gt=0)] = 30.0
    sender: str = "Rasd <rasd@localhost>"
    ca_file: str | None = None  # extra CA certificates (PEM) for a relay with a private CA; system CAs otherwise


class Subscription(_Strict):
    """Who gets which stories, and how often.

    `immediate`: every `rasd digest` run (the daemon checks every `digest_check_every_minutes`) sends the
    stories stored since the last one whose score is at least `min_score` (set it high for "only the
    strongest stories, now"). `daily`: at `time`; `weekly`: on `day` at `time` (both in the settings'
    timezone), with the stories stored until that moment. The name identifies the subscription in the
    database (which stories it has had): renaming it starts afresh. Beyond `max_stories`, the rest wait
    in the store and lead the next digest.
    """

    name: Annotated[str, Field(min_length=1)]
    email: Annotated[str, Field(pattern=r"^[^@\s<>]+@[^@\s<>]+$")]
    regions: list[str] = ["all"]
    languages: list[Literal["ar", "fr", "en", "und"]] = ["ar", "fr"]
    min_score: float | None = None  # None: the classifier's threshold
    frequency: Literal["immediate", "daily", "weekly"] = "daily"
    time: clock_time = clock_time(7, 0)
    day: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "monday"
    max_stories: Annotated[int, Field(ge=1, le=500)] = 30
    # The digest's language (its headings, labels, dates, the "why"): a catalog in alerts/locale ("ar",
    # "fr") or "en". Left out: Arabic for a subscription that reads only Arabic stories, else French.
    language: str = ""
    # More channels for the same digest, each delivered (and retried) on its own: an Atom feed
    # (`<feeds>/<name>.atom`) and push notifications by Apprise URL (tgram://, slack://, matrix://,
    # ntfy://, json:// …); write secrets as ${ENV_VAR}, read from the environment when sending.
    atom: bool = False
    notify: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9+.-]*://\S+$")]] = []

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return _catalog_language(value)

    @model_validator(mode="after")
    def _default_language(self) -> Subscription:
        if not self.language:
            object.__setattr__(self, "language", "ar" if set(self.languages) == {"ar"} else "fr")
        return self

    @field_validator("regions")
    @classmethod
    def _regions(cls, values: list[str]) -> list[str]:
        for value in values:
            if value != "all" and value not in REGION_CODES:
                raise ValueError(f"not a region code (MA-01 … MA-12) or 'all': {value!r}")
        return values


class ScheduleSettings(_Strict):
    """The daemon's timetable (`rasd run`). Intervals are minutes and may be fractional (0.05 = 3 s)."""

    crawl_every_minutes: Annotated[float, Field(gt=0)] = 60.0
    # Per source group (`group` in [[sources]]): its own crawl interval; groups not named here use the above.
    group_every_minutes: dict[str, Annotated[float, Field(gt=0)]] = {}
    digest_check_every_minutes: Annotated[float, Field(gt=0)] = 5.0
    housekeeping_at: clock_time = clock_time(3, 30)
    keep_fetches_days: Annotated[int, Field(ge=1)] = 90
    # On SIGTERM/SIGINT, how long the job in flight may take to finish before it is abandoned.
    stop_timeout_seconds: Annotated[float, Field(ge=0)] = 30.0


class Settings(_Strict):
    storage: StorageSettings = StorageSettings()
    crawler: CrawlerSettings = CrawlerSettings()
    classifier: ClassifierSettings = ClassifierSettings()
    outbox: str = "outbox"
    feeds: str = "feeds"  # the subscriptions' Atom feeds (`atom = true`), one file each
    timezone: str = "Africa/Casablanca"  # digest times in [[subscriptions]] are read in this zone
    # The language the commands speak in the terminal (status, search, crawl, report, explain, label, their
    # errors): "ar", "fr" or "en"; $RASD_LANG overrides it. Left out: English, but for explain, label, report
    # and browse, which speak the subscriptions' digest language (monitor/options.py, reader_language).
    language: str = ""
    smtp: SmtpSettings = SmtpSettings()
    subscriptions: list[Subscription] = []
    schedule: ScheduleSettings = ScheduleSettings()
    sources: list[Source] = []
    # The file these settings were read from (absolute), set by `load_settings`; None: built-in defaults.
    _config_file: str | None = PrivateAttr(default=None)

    @property
    def config_file(self) -> str | None:
        return self._config_file

    @property
    def config_shown(self) -> str:
        """How messages name where the settings came from."""
        return self._config_file or "built-in defaults, no config file"

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return _catalog_language(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Africa/Casablanca)") from None
        return value

    @model_validator(mode="after")
    def _unique_source_names(self) -> Settings:
        seen: set[str] = set()
        for index, source in enumerate(self.sources):
            if source.name in seen:
                raise ValueError(f"sources[{index}].name: duplicate source name {source.name!r}")
            seen.add(source.name)
        return self

    def source_named(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(self.no_source(name))

    def no_source(self, name: str) -> str:
        """What to say of a source name the config does not have: the closest names when some are close
        (`Echo` → "Echo du Sais"), then where they are listed."""
        names = {source.name.casefold(): source.name for source in self.sources}
        wanted = " ".join(name.casefold().split())
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
        if len(wanted) >= 3:  # a name's first words, or a word of it
            close += [folded for folded in names if wanted in folded.split() or folded.startswith(wanted)]
        suggested = [repr(names[folded]) for folded in dict.fromkeys(close)][:3]
        maybe = f": did you mean {' or '.join(suggested)}?" if suggested else ""
        return f"no source in the config is named {name!r}{maybe} (rasd sources list)"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, or a one-line ConfigError naming the file (and the line, for syntax errors).

    A byte-order mark at the start is skipped: Windows editors (Notepad) write one when saving UTF-8, TOML
    forbids it, and the reader would see only "invalid statement at line 1, column 1" in a file that looks
    right."""
    try:
        content = path.read_bytes()
        return tomllib.loads(content.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: a folder, not a file") from None
    except PermissionError:
        raise ConfigError(f"{path}: cannot be read (file permissions)") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text (save it as UTF-8)") from None


def _refuse_secrets(path: Path, data: Any, where: str = "") -> None:
    """Passwords belong in the environment, never in a file that ends up in a repository or a backup."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{key}" if where else str(key)
            if _SECRET_KEY.search(str(key)) and not str(key).endswith("_env"):
                raise ConfigError(
                    f"{path}: {here}: secrets are not read from files; put it in an environment variable "
                    f"and name the variable with `{key}_env`"
                )
            _refuse_secrets(path, value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _refuse_secrets(path, value, f"{where}[{index}]")
    elif isinstance(data, str) and "://" in data and _url_password(data):
        raise ConfigError(
            f"{path}: {where}: a password in a URL is not read from files; leave it out and give it through the "
            "environment (for PostgreSQL, PGPASSWORD or ~/.pgpass)"
        )


def _url_password(value: str) -> bool:
    try:
        return bool(urlsplit(value).password)
    except ValueError:  # not a URL after all
        return False


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _sections() -> dict[str, tuple[str, type[BaseModel]]]:
    """Where keys go in rasd.toml: "" (the top of the file) and each section, with its model."""
    found: dict[str, tuple[str, type[BaseModel]]] = {"": ("at the top of the file (before any [section])", Settings)}
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        model = (get_args(annotation) or (annotation,))[0]  # list[Subscription] → Subscription
        if isinstance(model, type) and issubclass(model, BaseModel):
            shown = f"in a [[{name}]] entry" if get_args(annotation) else f"under [{name}]"
            found[name] = (shown, model)
    return found


def _section_of(loc: tuple[int | str, ...]) -> str:
    return str(loc[0]) if loc else ""


def _sections_with(key: str, here: str) -> list[str]:
    """The sections that do have `key`, other than the one it was found in: a key put under the wrong
    section (`timeout` at the top instead of under [smtp]) is told where it goes, not only that it is
    unknown."""
    return [shown for name, (shown, model) in _sections().items() if name != here and key in model.model_fields]


def _describe(error: ValidationError, origin: dict[str, Path]) -> str:
    first = error.errors()[0]
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key (check the spelling)"
        if loc and (homes := _sections_with(str(loc[-1]), _section_of(loc[:-1]))):
            message = f"unknown key here: it belongs {' or '.join(homes)}"
    elif first["type"] == "missing":
        message = "required key is missing"
    path = origin.get(str(loc[0]) if loc else "", origin[""])
    where = _location(loc)
    if message.startswith("sources["):
        return f"{origin.get('sources', path)}: {message}"
    return f"{path}: {where}: {message}" if where else f"{path}: {message}"


def _check_private_sources(settings: Settings, path: Path) -> None:
    if settings.crawler.allow_private_networks:
        return
    allowed = {host.strip("[]").lower() for host in settings.crawler.allow_hosts}
    for index, source in enumerate(settings.sources):
        urls = [("url", source.url)] + [(f"feeds[{i}]", u) for i, u in enumerate(source.feeds)]
        urls += [(f"sitemaps[{i}]", u) for i, u in enumerate(source.sitemaps)]
        for key, url in urls:
            host = urlsplit(url).hostname or ""
            if is_private_host(host) and host.lower() not in allowed:
                raise ConfigError(
                    f"{path}: sources[{index}].{key}: {host} is a private or loopback address; "
                    "set [crawler] allow_private_networks = true (or list it in allow_hosts) to crawl it"
                )


def _under(base: Path, value: str) -> str:
    """`value` as an absolute path: a relative one is taken from `base` (the config file's folder)."""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def _sqlite_under(base: Path, url: str) -> str:
    """An SQLite URL whose file path is relative (`sqlite:///data/rasd.db`) made absolute from `base`."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return url
    database, _, query = url[len(prefix) :].partition("?")
    if not database or database == ":memory:" or database.startswith("/"):
        return url
    return prefix + _under(base, database) + (f"?{query}" if query else "")


def _resolve_paths(settings: Settings, data: dict[str, Any], config_path: Path | None) -> Settings:
    """Every relative path of the config taken from the config file's folder (from `user_data_dir()`
    without a config file), never from the working directory; a file or folder the config names
    explicitly must exist."""
    base = config_path.resolve().parent if config_path is not None else user_data_dir()
    classifier = data.get("classifier", {}) if isinstance(data.get("classifier"), dict) else {}
    smtp = data.get("smtp", {}) if isinstance(data.get("smtp"), dict) else {}
    if "seeds_dir" in classifier:
        seeds = Path(_under(base, settings.classifier.seeds_dir))
        if config_path is not None and not seeds.is_dir():
            raise ConfigError(
                f"{config_path}: classifier.seeds_dir = {settings.classifier.seeds_dir!r}: no such folder ({seeds})"
            )
    else:
        seeds = base / "seeds" if (base / "seeds").is_dir() else BUNDLED_SEEDS_DIR
    ca_file = settings.smtp.ca_file
    if ca_file is not None and "ca_file" in smtp:
        ca_file = _under(base, ca_file)
        if config_path is not None and not Path(ca_file).is_file():
            raise ConfigError(f"{config_path}: smtp.ca_file = {settings.smtp.ca_file!r}: no such file ({ca_file})")
    resolved = settings.model_copy(
        update={
            "storage": settings.storage.model_copy(update={"url": _sqlite_under(base, settings.storage.url)}),
            "outbox": _under(base, settings.outbox),
            "feeds": _under(base, settings.feeds),
            "classifier": settings.classifier.model_copy(update={"seeds_dir": str(seeds)}),
            "smtp": settings.smtp.model_copy(update={"ca_file": ca_file}),
        }
    )
    resolved._config_file = str(config_path.resolve()) if config_path is not None else None
    return resolved


def load_settings(path: Path | str | None = None, named_by: str | None = None) -> Settings:
    """Read and validate the config named by `path`, $RASD_CONFIG or the user's own (see `find_config`);
    without one, the built-in defaults with data in `user_data_dir()`. Relative paths in the file are
    taken from its folder, whatever the working directory. A file that is not there is an error saying
    where its path came from (`named_by`: `--config`, `$RASD_CONFIG`), the first place a user looks."""
    config_path = find_config(path)
    if config_path is not None and not config_path.exists():
        named_by = named_by or ("--config" if path is not None else "$RASD_CONFIG")
        raise ConfigError(f"{config_path}: file not found (the path comes from {named_by})")
    data: dict[str, Any] = read_toml(config_path) if config_path is not None else {}
    shown = config_path if config_path is not None else Path("(built-in defaults)")
    _refuse_secrets(shown, data)
    origin = {"": shown}
    if "sources" not in data:
        crawler = data.get("crawler", {}) if isinstance(data.get("crawler"), dict) else {}
        named = crawler.get("sources_file")
        sources_path = PACKAGE_DIR / "sources.toml"
        if config_path is not None:
            beside = Path(_under(config_path.resolve().parent, str(named or "sources.toml")))
            if named is not None and not beside.is_file():
                raise ConfigError(f"{config_path}: crawler.sources_file = {named!r}: no such file ({beside})")
            if beside.is_file():
                sources_path = beside
        sources_data = read_toml(sources_path)
        _refuse_secrets(sources_path, sources_data)
        data["sources"] = sources_data.get("sources", [])
        origin["sources"] = sources_path
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, origin)) from None
    _check_private_sources(settings, origin.get("sources", shown))
    return _resolve_paths(settings, data, config_path)
