"""Rasd's settings: one TOML file (default `config/rasd.toml`), validated before anything runs.

A user edits these files by hand, so every mistake must come back as one readable line that names the
file and the key (`config/sources.toml: sources[3].url: not a URL`), never as a traceback. Sections left
out take the defaults, so a config holding only `[[sources]]` works.
"""

from __future__ import annotations

import difflib
import importlib.util
import ipaddress
import json
import re
from datetime import time as clock_time
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rasd.config import consulted
from rasd.config.errors import ConfigError
from rasd.config.files import config_text, in_file, locale_language, read_toml
from rasd.config.lookup import SourceLookup
from rasd.config.paths import BUNDLED_SEEDS_DIR, PACKAGE_DIR, find_config, user_data_dir
from rasd.config.regions import closest_regions, region_code
from rasd.config.told import Told, telling
from rasd.config.topics import TOPICS, closest_topics, topic_name


def _not_a_number(value: Any) -> Any:
    """`time = 7` read as 7 seconds after midnight (pydantic takes a number as seconds): a reader who meant
    7 o'clock had the daily digest at 00:00:07. A number is refused as any other value that is not a time."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("time_parsing", "a number is not a time of day")
    return value


# A time of day in the config, written 07:00:00 (a TOML time; "07:00" too), never a number.
ClockTime = Annotated[clock_time, BeforeValidator(_not_a_number)]

_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api_?key", re.IGNORECASE)


def digest_languages() -> list[str]:
    """The digest's languages: English (its messages as written) and each compiled catalog in
    alerts/locale. Found without importing rasd.alerts (which would load the classifier): reading a
    config stays light for `rasd status` and `search`."""
    spec = importlib.util.find_spec("rasd.alerts")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    pattern = "locale/*/LC_MESSAGES/rasd.mo"
    found = {mo.parent.parent.name for folder in folders for mo in consulted.glob(Path(folder), pattern)}
    return ["en", *sorted(found)]


def _catalog_language(value: str) -> str:
    """A language Rasd speaks (a catalog in alerts/locale, or "en"), or "" (left out); written as a locale's
    name too (`FR`, `fr_FR.UTF-8`, `ar-MA`), as $RASD_LANG and --lang take it."""
    value = locale_language(value) if value.strip() else value
    available = digest_languages()
    if value and value not in available:
        raise ValueError(
            telling.gettext(
                "no digest catalog for %(value)s (available: %(available)s)",
                value=repr(value),
                available=", ".join(available),
            )
        )
    return value


def _topic_name(value: str) -> str:
    """A topic a subscription keeps to, by its name (`topic_name`: any case, accents or not); anything else
    refused with the closest names and the whole list."""
    if (name := topic_name(value)) is not None:
        return name
    close = closest_topics(value)
    if close:
        raise ValueError(
            telling.gettext(
                "%(value)s is not a topic: did you mean %(close)s? The topics are %(topics)s",
                value=repr(value),
                close=" | ".join(close),
                topics=", ".join(TOPICS),
            )
        )
    raise ValueError(
        telling.gettext(
            "%(value)s is not a topic: the topics are %(topics)s", value=repr(value), topics=", ".join(TOPICS)
        )
    )


def _region_code(value: str) -> str:
    """A region as its code: given as one (MA-09), or by its French or Arabic name as `--region` takes it
    ("Souss-Massa", "سوس ماسة", "Oriental"); anything else refused with the closest regions and where the
    list is (`rasd regions`), as `--region` refuses it."""
    code = region_code(value)
    if code is not None:
        return code
    close = closest_regions(value)
    if close:
        raise ValueError(
            telling.gettext(
                "%(value)s is not a region: did you mean %(close)s? Write its code (MA-01 … MA-12) or its French "
                "or Arabic name; `rasd regions` lists them all",
                value=repr(value),
                close=" | ".join(close),
            )
        )
    raise ValueError(
        telling.gettext(
            "%(value)s is not a region: write its code (MA-01 … MA-12) or its French or Arabic name; "
            "`rasd regions` lists them all",
            value=repr(value),
        )
    )


class _Refused(ValueError):
    """A validator's refusal: what is wrong (a `Told`, said in the reader's language) and, when it is about
    one item of the value validated (a source of the list), where below it."""

    def __init__(self, told: Told, at: tuple[int | str, ...] = ()) -> None:
        super().__init__(told)
        self.told, self.at = told, at


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        if re.fullmatch(r"[\w-]+(\.[\w-]+)+(:\d+)?(/\S*)?", value):  # a site's address without its scheme, as copied
            raise ValueError(
                telling.gettext(
                    "not a URL: it starts with http:// or https://, e.g. %(url)s", url=repr(f"https://{value}")
                )
            )
        raise ValueError(telling.gettext("not a URL (expected http:// or https://)"))
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
        return _region_code(value) if value is not None else None


class StorageSettings(_Strict):
    url: str = "sqlite:///data/rasd.db"

    @field_validator("url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        """SQLite or PostgreSQL (the two the store is built and tested for): anything else said here, not as
        a missing driver's traceback when the store is first opened."""
        scheme = url.partition("://")[0].partition("+")[0].lower()
        two_slashes = re.fullmatch(r"(sqlite(?:\+\w+)?)://([^/].*)", url, re.IGNORECASE)
        if two_slashes is not None or ("://" not in url and url.lower().endswith((".db", ".sqlite", ".sqlite3"))):
            # `sqlite://data/rasd.db` (its path read as a host: SQLAlchemy's traceback) or a bare file's path
            written = f"{two_slashes[1]}:///{two_slashes[2]}" if two_slashes is not None else f"sqlite:///{url}"
            raise ValueError(
                telling.gettext(
                    "an SQLite file is written with three slashes before its path: %(url)s (a relative path is "
                    "taken from this file's folder)",
                    url=repr(written),
                )
            )
        if scheme not in ("sqlite", "postgresql"):
            raise ValueError(
                telling.gettext(
                    "expected sqlite:///PATH or postgresql://USER@HOST/DATABASE (postgres:// is spelled postgresql://)"
                )
                if scheme == "postgres"
                else telling.gettext("expected sqlite:///PATH or postgresql://USER@HOST/DATABASE")
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


# A mail server written as an address: `relay.example.org:25`, `smtp://relay`, `smtps://[::1]:465/`.
_SERVER_WRITTEN = re.compile(
    r"(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<host>[^:/\s\[\]]+|\[[0-9a-f:.]+\])(?::(?P<port>\d+))?/?", re.IGNORECASE
)


class SmtpSettings(_Strict):
    host: str = ""  # empty: digests go to the outbox folder as .eml files
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["plain", "starttls", "ssl"] = "starttls"
    username_env: str = "RASD_SMTP_USER"
    password_env: str = "RASD_SMTP_PASSWORD"
    timeout: Annotated[float, Field(gt=0)] = 30.0
    sender: str = "Rasd <rasd@localhost>"
    ca_file: str | None = None  # extra CA certificates (PEM) for a relay with a private CA; system CAs otherwise

    @field_validator("host")
    @classmethod
    def _server_name_alone(cls, value: str) -> str:
        """`host = "smtp.example.org:25"` or `"smtp://relay"`: refused when read, saying where the port goes,
        not later as "unknown server name" of `smtp.example.org:25:587` by `rasd digest`."""
        written = _SERVER_WRITTEN.fullmatch(value.strip())
        if written is None or not (written["scheme"] or written["port"]):
            return value
        # each setting one value: kept whole, left to right, in an Arabic line
        host, port = f'host = "{written["host"].strip("[]")}"', f"port = {written['port']}"
        if written["port"]:
            told = telling.gettext(
                "%(value)s holds the port: write %(host)s and %(port)s", value=repr(value), host=host, port=port
            )
        else:
            told = telling.gettext(
                "%(value)s is an address: write the server's name alone, %(host)s", value=repr(value), host=host
            )
        raise ValueError(told)


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", value):
        raise ValueError(telling.gettext("not an email address (expected name@example.org)"))
    return value


def _push_address(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", value):
        raise ValueError(
            telling.gettext("not a notification address (expected SERVICE://…, e.g. ntfy://ntfy.sh/topic)")
        )
    return value


class Subscription(_Strict):
    """Who gets which stories, and how often.

    `immediate`: every `rasd digest` run (the daemon checks every `digest_check_every_minutes`) sends the
    stories stored since the last one whose score is at least `min_score` (set it high for "only the
    strongest stories, now"). `daily`: at `time`; `weekly`: on `day` at `time` (both in the settings'
    timezone), with the stories stored until that moment. The name identifies the subscription in the
    database (which stories it has had); renamed, it leaves out what its address had under the old name
    (alerts.digests.earlier_names). Beyond `max_stories`, the rest wait
    in the store and lead the next digest.
    """

    name: Annotated[str, Field(min_length=1)]
    email: Annotated[str, AfterValidator(_email)]
    regions: list[str] = ["all"]
    languages: list[Literal["ar", "fr", "en", "und"]] = ["ar", "fr"]
    # Only the stories about these topics (config/topics.py: cooperatives, indh, fairs, sse, microfinance): a
    # story whose SSE words include one of them. Left out: every topic.
    topics: list[str] = []
    min_score: float | None = None  # None: every SSE story (the classifier's threshold decided it)
    frequency: Literal["immediate", "daily", "weekly"] = "daily"
    time: ClockTime = clock_time(7, 0)
    day: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] = "monday"
    max_stories: Annotated[int, Field(ge=1, le=500)] = 30
    # The digest's language (its headings, labels, dates, the "why"): a catalog in alerts/locale ("ar",
    # "fr") or "en". Left out: Arabic for a subscription that reads only Arabic stories, else French.
    language: str = ""
    # More channels for the same digest, each delivered (and retried) on its own: an Atom feed
    # (`<feeds>/<name>.atom`) and push notifications by Apprise URL (tgram://, slack://, matrix://,
    # ntfy://, json:// …); write secrets as ${ENV_VAR}, read from the environment when sending.
    atom: bool = False
    notify: list[Annotated[str, AfterValidator(_push_address)]] = []

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
        return [value if value == "all" else _region_code(value) for value in values]

    @field_validator("topics")
    @classmethod
    def _topics(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(map(_topic_name, values)))


class ScheduleSettings(_Strict):
    """The daemon's timetable (`rasd run`). Intervals are minutes and may be fractional (0.05 = 3 s)."""

    crawl_every_minutes: Annotated[float, Field(gt=0)] = 60.0
    # Per source group (`group` in [[sources]]): its own crawl interval; groups not named here use the above.
    group_every_minutes: dict[str, Annotated[float, Field(gt=0)]] = {}
    digest_check_every_minutes: Annotated[float, Field(gt=0)] = 5.0
    housekeeping_at: ClockTime = clock_time(3, 30)
    keep_fetches_days: Annotated[int, Field(ge=1)] = 90
    # On SIGTERM/SIGINT, how long the job in flight may take to finish before it is abandoned.
    stop_timeout_seconds: Annotated[float, Field(ge=0)] = 30.0


class Settings(_Strict, SourceLookup):
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
    # One line per [[sources]] entry `load_settings` left out (its file, line, key and what to fix).
    _sources_left_out: tuple[Told, ...] = PrivateAttr(default=())

    @property
    def config_file(self) -> str | None:
        return self._config_file

    @property
    def sources_left_out(self) -> tuple[Told, ...]:
        """The [[sources]] entries that are wrong, one line each: the others are monitored without them."""
        return self._sources_left_out

    @property
    def config_shown(self) -> str:
        """How messages name where the settings came from."""
        return self._config_file or telling.gettext("built-in defaults, no config file")

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
            raise ValueError(
                telling.gettext("unknown time zone %(value)s (e.g. Africa/Casablanca)", value=repr(value))
            ) from None
        return value


def _refuse_secrets(path: Path, data: Any, where: str = "") -> None:
    """Passwords belong in the environment, never in a file that ends up in a repository or a backup."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{key}" if where else str(key)
            if _SECRET_KEY.search(str(key)) and not str(key).endswith("_env"):
                told = telling.gettext(
                    "secrets are not read from files; put it in an environment variable and name the variable "
                    "with `%(key)s_env`",
                    key=str(key),
                )
                raise ConfigError(in_file(path, told, here))
            _refuse_secrets(path, value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _refuse_secrets(path, value, f"{where}[{index}]")
    elif isinstance(data, str) and "://" in data and _url_password(data):
        told = telling.gettext(
            "a password in a URL is not read from files; leave it out and give it through the environment (for "
            "PostgreSQL, PGPASSWORD or ~/.pgpass)"
        )
        raise ConfigError(in_file(path, told, where))


def _url_password(value: str) -> bool:
    """A password in the URL's user part or in its query (`postgresql://rasd@db/rasd?password=…`: libpq and
    SQLAlchemy take it there too, and the settings kept in the cache folder would hold a copy of it)."""
    try:
        parts = urlsplit(value)
        return bool(parts.password) or any(_SECRET_KEY.search(key) for key, _ in parse_qsl(parts.query))
    except ValueError:  # not a URL after all
        return False


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")


def line_of(path: Path, loc: tuple[int | str, ...]) -> int | None:
    """The line of `path` where the key at `loc` is written (`("subscriptions", 0, "time")`), or where the
    entry or section it belongs in starts (a missing key); None when the file does not show it (a dotted
    key, an inline table)."""
    try:
        lines = config_text(consulted.read_bytes(path)).splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    current: tuple[int | str, ...] = ()
    latest: dict[tuple[int | str, ...], int] = {}  # each array of tables (`[[subscriptions]]`): its last index
    best, best_length = None, 0
    for number, text in enumerate(lines, 1):
        if header := _HEADER.match(text):
            current = ()
            *parents, last = header[2].split(".")
            for part in parents:  # `[subscriptions.x]` is a table in the latest [[subscriptions]] entry
                current = (*current, part)
                if current in latest:
                    current = (*current, latest[current])
            current = (*current, last)
            if header[1] == "[[":
                latest[current] = latest.get(current, -1) + 1
                current = (*current, latest[current])
            path_here = current
        elif key := _KEY.match(text):
            path_here = (*current, key[1])
        else:
            continue
        if loc[: len(path_here)] == path_here and len(path_here) > best_length:
            best, best_length = number, len(path_here)
    return best


def _sections() -> dict[str, tuple[str, type[BaseModel]]]:
    """Where keys go in rasd.toml: "" (the top of the file) and each section, with its model."""
    found: dict[str, tuple[str, type[BaseModel]]] = {"": ("", Settings)}
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        model = (get_args(annotation) or (annotation,))[0]  # list[Subscription] → Subscription
        if isinstance(model, type) and issubclass(model, BaseModel):
            found[name] = ("[[]]" if get_args(annotation) else "[]", model)
    return found


def _home(name: str, kind: str) -> Told:
    if not name:
        return telling.gettext("at the top of the file (before any [section])")
    if kind == "[[]]":
        return telling.gettext("in a [[%(section)s]] entry", section=name)
    return telling.gettext("under [%(section)s]", section=name)


def _same_stem(key: str, name: str) -> bool:
    """Whether one key starts with the other, at least four letters long (`lang`, `language`)."""
    shorter, longer = sorted((key.lower(), name.lower()), key=len)
    return shorter != longer and len(shorter) >= 4 and longer.startswith(shorter)


def _unknown_key(loc: tuple[int | str, ...]) -> Told:
    """An unknown key: its own section's key that it lengthens or shortens (`language` in a source, whose key
    is `lang`: "it belongs at the top of the file", said of sources.toml, sent its reader to the wrong file),
    else where it belongs when another section has it (`timeout` at the top instead of under [smtp]), else the
    closest key of its own section (a typo), else a word to check the spelling."""
    key, here = str(loc[-1]), str(loc[0]) if len(loc) > 1 else ""
    own = _sections().get(here, ("", Settings))[1] if len(loc) <= 3 else None
    stems = [name for name in (own.model_fields if own is not None else ()) if _same_stem(key, name)]
    if stems:
        return telling.gettext("unknown key: did you mean %(key)s?", key=stems[0])
    homes = [
        _home(name, kind) for name, (kind, model) in _sections().items() if name != here and key in model.model_fields
    ]
    if homes:
        where = homes[0]
        for other in homes[1:]:
            where = telling.gettext("%(first)s or %(second)s", first=where, second=other)
        return telling.gettext("unknown key here: it belongs %(where)s", where=where)
    close = difflib.get_close_matches(key, list(own.model_fields), n=1, cutoff=0.75) if own is not None else []
    if close:
        return telling.gettext("unknown key: did you mean %(key)s?", key=close[0])
    return telling.gettext("unknown key (check the spelling)")


def _given(value: Any) -> str:
    """A value as the user wrote it in TOML: text in quotes, true/false, a number, a time."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dict):
        shown = "{…}"
    elif isinstance(value, list):
        shown = "[" + ", ".join(_given(item) for item in value) + "]"
    else:
        shown = str(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _expected(kind: str) -> Told | None:
    """What a value of the wrong type should have been, for pydantic's type errors."""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return telling.gettext("a whole number")
    if kind in ("float_type", "float_parsing"):
        return telling.gettext("a number")
    if kind in ("bool_type", "bool_parsing"):
        return telling.gettext("true or false")
    if kind == "string_type":
        return telling.gettext("text in quotes")
    if kind == "list_type":
        return telling.gettext("a list in [brackets]")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return telling.gettext("a section or a {table}")
    return None


def _out_of_bounds(kind: str, context: dict[str, Any], given: str) -> Told | None:
    """A number beyond its field's bound, with the bound."""
    if kind == "greater_than":
        return telling.gettext("must be more than %(limit)s, not %(given)s", limit=str(context["gt"]), given=given)
    if kind == "greater_than_equal":
        return telling.gettext("must be at least %(limit)s, not %(given)s", limit=str(context["ge"]), given=given)
    if kind == "less_than":
        return telling.gettext("must be less than %(limit)s, not %(given)s", limit=str(context["lt"]), given=given)
    if kind == "less_than_equal":
        return telling.gettext("must be at most %(limit)s, not %(given)s", limit=str(context["le"]), given=given)
    return None


def _problem(error: Any, loc: tuple[int | str, ...]) -> Told:
    """What is wrong with one value, in words a reader of the config file knows (pydantic's own English
    words only for a kind of error not foreseen here)."""
    kind, given, context = error["type"], _given(error.get("input")), error.get("ctx") or {}
    refused = context.get("error")
    if kind == "value_error" and isinstance(refused, ValueError) and isinstance(refused.args[0], Told):
        return refused.args[0]
    if kind == "missing":
        return telling.gettext("missing: this key is required")
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if (expected := _expected(kind)) is not None:
        return telling.gettext("expected %(expected)s, not %(given)s", expected=expected, given=given)
    if (bounded := _out_of_bounds(kind, context, given)) is not None:
        return bounded
    if kind == "literal_error":
        choices = " | ".join(re.findall(r"'([^']*)'", str(context.get("expected", ""))))
        return telling.gettext("expected one of %(choices)s, not %(given)s", choices=choices, given=given)
    if kind.startswith("time"):
        return telling.gettext(
            "not a time of day: write it without quotes, from 00:00:00 to 23:59:59 (e.g. 07:00:00), not %(given)s",
            given=given,
        )
    if kind == "string_too_short":
        return telling.gettext("must not be empty")
    return telling.gettext("not accepted: %(detail)s", detail=str(error["msg"]).removeprefix("Value error, "))


def _describe(error: ValidationError, origin: dict[str, Path], within: tuple[int | str, ...] = ()) -> Told:
    """Every mistake of the file, the first as the line and the others under it (one a key: pydantic may
    report one key several times, once per type it could have been), so that a user fixes them in one go;
    `within`: where the value validated is in the file (`("sources", 3)`)."""
    said: dict[tuple[int | str, ...], Told] = {}
    for each in error.errors():
        loc = within + tuple(p for p in each["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
        refused = (each.get("ctx") or {}).get("error")
        if isinstance(refused, _Refused):
            loc += refused.at
        if loc in said:
            continue
        path = origin.get(str(loc[0]) if loc else "", origin[""])
        line = line_of(path, loc) if loc and consulted.is_file(path) else None
        said[loc] = in_file(path, _problem(each, loc), _location(loc), line)
    first, *others = said.values()
    return Told(first.message, first.values, following=tuple(others)) if others else first


def _private_address(source: Source, index: int, crawler: CrawlerSettings, path: Path) -> Told | None:
    """What to say of a source whose address is private or loopback when the crawler may not reach it."""
    if crawler.allow_private_networks:
        return None
    allowed = {host.strip("[]").lower() for host in crawler.allow_hosts}
    urls = [("url", source.url)] + [(f"feeds[{i}]", u) for i, u in enumerate(source.feeds)]
    urls += [(f"sitemaps[{i}]", u) for i, u in enumerate(source.sitemaps)]
    for key, url in urls:
        host = urlsplit(url).hostname or ""
        if is_private_host(host) and host.lower() not in allowed:
            told = telling.gettext(
                "%(host)s is a private or loopback address; set [crawler] allow_private_networks = true (or "
                "list it in allow_hosts) to crawl it",
                host=host,
            )
            return in_file(path, told, f"sources[{index}].{key}")
    return None


def _sources_apart(entries: list[Any], path: Path) -> tuple[list[tuple[int, Any]], list[Told]]:
    """The [[sources]] entries that validate each on its own (with their index in the file), and one line for
    each that does not — a bad entry leaves the other sites monitored, as a bad page leaves the cycle going."""
    kept: list[tuple[int, Any]] = []
    wrong: list[Told] = []
    names: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            source = Source.model_validate(entry)
        except ValidationError as error:
            wrong.append(_describe(error, {"": path}, ("sources", index)))
            continue
        if source.name in names:
            told = telling.gettext("duplicate source name %(name)s", name=repr(source.name))
            wrong.append(in_file(path, told, f"sources[{index}].name", line_of(path, ("sources", index, "name"))))
            continue
        names.add(source.name)
        kept.append((index, entry))
    return kept, wrong


def _left_out(told: Told) -> Told:
    return telling.gettext("%(error)s: this source is left out until it is fixed; the others are monitored", error=told)


def _under(base: Path, value: str) -> str:
    """`value` as an absolute path: a relative one is taken from `base` (the config file's folder)."""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else consulted.resolve(base / path))


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
        if config_path is not None and not consulted.is_dir(seeds):
            told = telling.gettext(
                "%(value)s: no such folder (%(path)s)", value=repr(settings.classifier.seeds_dir), path=str(seeds)
            )
            raise ConfigError(
                in_file(config_path, told, "classifier.seeds_dir", line_of(config_path, ("classifier", "seeds_dir")))
            )
    else:
        seeds = base / "seeds" if consulted.is_dir(base / "seeds") else BUNDLED_SEEDS_DIR
    ca_file = settings.smtp.ca_file
    if ca_file is not None and "ca_file" in smtp:
        ca_file = _under(base, ca_file)
        if config_path is not None and not consulted.is_file(Path(ca_file)):
            told = telling.gettext(
                "%(value)s: no such file (%(path)s)", value=repr(settings.smtp.ca_file), path=ca_file
            )
            raise ConfigError(in_file(config_path, told, "smtp.ca_file", line_of(config_path, ("smtp", "ca_file"))))
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


def _refuse_other_keys(path: Path, data: dict[str, Any]) -> None:
    """A sources file holds `[[sources]]` entries only: `[[source]]` (a letter short) or a setting was ignored,
    and the sites in it were never monitored, without a word."""
    for key in data:
        if key == "sources":
            continue
        if difflib.get_close_matches(key.lower(), ["sources"], n=1, cutoff=0.75):
            told = telling.gettext("unknown key: did you mean %(key)s?", key="[[sources]]")
        else:
            told = telling.gettext(
                "unknown key here: this file holds only [[sources]] entries; settings go in rasd.toml"
            )
        where = (key, 0) if isinstance(data[key], list) else (key,)  # `[[source]]`: its first entry's header
        raise ConfigError(in_file(path, told, key, line_of(path, where)))


def load_settings(path: Path | str | None = None, named_by: str | None = None) -> Settings:
    """Read and validate the config named by `path`, $RASD_CONFIG or the user's own (see `find_config`);
    without one, the built-in defaults with data in `user_data_dir()`. Relative paths in the file are
    taken from its folder, whatever the working directory. A file that is not there is an error saying
    where its path came from (`named_by`: `--config`, `$RASD_CONFIG`), the first place a user looks."""
    config_path = find_config(path)
    if config_path is not None and not config_path.exists():
        named_by = named_by or ("--config" if path is not None else "$RASD_CONFIG")
        told = telling.gettext("file not found (the path comes from %(origin)s)", origin=named_by)
        if not config_path.is_absolute():  # taken from the working folder, which cron's or another shell's is not
            told = telling.gettext(
                "file not found in %(folder)s, the current folder (the path comes from %(origin)s): give its full "
                "path, from / or ~",
                folder=str(Path.cwd()),
                origin=named_by,
            )
        raise ConfigError(in_file(config_path, told))
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
            if named is not None and not consulted.is_file(beside):
                told = telling.gettext("%(value)s: no such file (%(path)s)", value=repr(named), path=str(beside))
                line = line_of(config_path, ("crawler", "sources_file"))
                raise ConfigError(in_file(config_path, told, "crawler.sources_file", line))
            if consulted.is_file(beside):
                sources_path = beside
        sources_data = read_toml(sources_path)
        _refuse_secrets(sources_path, sources_data)
        _refuse_other_keys(sources_path, sources_data)
        data["sources"] = sources_data.get("sources", [])
        origin["sources"] = sources_path
    sources_path = origin.get("sources", shown)
    kept: list[tuple[int, Any]] = []
    wrong: list[Told] = []
    if isinstance(data.get("sources"), list):  # else not a list of entries: the whole file's mistake, below
        kept, wrong = _sources_apart(data["sources"], sources_path)
        data["sources"] = [entry for _, entry in kept]
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, origin)) from None
    private = [
        _private_address(source, index, settings.crawler, sources_path)
        for source, (index, _) in zip(settings.sources, kept, strict=True)
    ]
    wrong += [told for told in private if told is not None]
    usable = [source for source, told in zip(settings.sources, private, strict=True) if told is None]
    if wrong and not usable:  # nothing left to monitor: the config cannot be used
        first, *others = wrong
        raise ConfigError(Told(first.message, first.values, following=tuple(others)) if others else first)
    settings = settings.model_copy(update={"sources": usable})
    resolved = _resolve_paths(settings, data, config_path)
    resolved._sources_left_out = tuple(_left_out(told) for told in wrong)
    return resolved
