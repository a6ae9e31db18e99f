"""The validated settings, kept between commands in the user's cache folder (issue 16: commands start fast).

Validating the settings means importing pydantic and building the settings' models (~0.6 G instructions,
~0.25 s on an idle machine): two thirds of what `rasd status` and `search` did before their first query,
for the same file read again and again. So the settings a command validated are written, as plain JSON,
to `user_cache_dir()/settings-WHERE.json` (WHERE: the config file's resolved path, or the data folder the
defaults use), under a key of the validating code (every module of this package, pydantic's and Python's
versions) and the home folder, with the facts reading them looked at on disk (config/consulted.py: the
content of the config and sources files, whether a seeds folder is beside the config, where a relative path
leads, the digest catalogs installed). The next command with the same config reads them back when every
fact still holds, without loading pydantic; otherwise (an edited file, a folder made or taken away, another
version of the code or of pydantic) it validates them again and keeps the new ones.

A config with mistakes is never kept: it is validated every time, and its errors are said exactly as
`load_settings` says them. A kept file that is missing, unreadable, damaged or written by other code is
validated over without a word; a cache folder that cannot be written is no error (the settings are then
validated each time, as before). Whether read back or just validated, the command gets the same kind of
object (`Frozen`), so that what it prints cannot depend on the cache.

There is one definition of the settings, config/settings.py: `Frozen` holds whatever fields and properties
the models have, read from the models themselves when they are kept, and knows none of them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from datetime import time as clock_time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rasd.config import consulted
from rasd.config.lookup import SourceLookup
from rasd.config.paths import NoHome, find_config, keep_file, user_cache_dir, user_data_dir
from rasd.config.told import Told

if TYPE_CHECKING:
    from rasd.config.settings import Settings

_PREFIX = "settings-"
_FORMAT = "1"  # of the JSON below: a change of it makes every kept file stale


class Frozen:
    """Validated settings read back (a section, a source, a subscription, or the whole): each field of the
    model and each property it had, as attributes; read-only, like the frozen models they were.
    `model_dump()` gives the fields as pydantic's does (the daemon compares a config read again with the one
    it started with that way)."""

    __slots__ = ("_fields", "_model", "_properties")
    _model: str
    _fields: dict[str, Any]
    _properties: dict[str, Any]

    def __init__(self, model: str, fields: dict[str, Any], properties: dict[str, Any]) -> None:
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_properties", properties)

    def __getattr__(self, name: str) -> Any:
        if name in Frozen.__slots__:  # not set yet (being copied): no lookup in what is not there
            raise AttributeError(name)
        if name in self._fields:
            return self._fields[name]
        if name in self._properties:
            return self._properties[name]
        raise AttributeError(f"{self._model!r} settings have no {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self._model} settings are read-only")

    def __reduce__(self) -> tuple[type[Frozen], tuple[str, dict[str, Any], dict[str, Any]]]:
        return type(self), (self._model, self._fields, self._properties)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frozen):
            return NotImplemented
        return (self._model, self._fields, self._properties) == (other._model, other._fields, other._properties)

    def __hash__(self) -> int:
        return hash((self._model, tuple(self._fields.values())))  # a list among them: unhashable, as pydantic's

    def __repr__(self) -> str:
        return f"{self._model}({', '.join(f'{name}={value!r}' for name, value in self._fields.items())})"

    def model_dump(self) -> dict[str, Any]:
        """The fields, sections and lists of them as dictionaries, as pydantic's `model_dump()` gives them."""
        return {name: _dumped(value) for name, value in self._fields.items()}


class _FrozenSettings(Frozen, SourceLookup):
    """The whole settings, with what `Settings` does beyond its fields (config/lookup.py)."""

    __slots__ = ()


# A model's behaviour beyond its fields, by the model's name: the plain classes its pydantic class mixes in.
_WITH_BEHAVIOUR: dict[str, type[Frozen]] = {"Settings": _FrozenSettings}


def _dumped(value: Any) -> Any:
    if isinstance(value, Frozen):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if isinstance(value, dict):
        return {name: _dumped(item) for name, item in value.items()}
    return value


def _properties(model: Any) -> list[str]:
    """The properties Rasd's models define (`config_file`, `config_shown`, …), not pydantic's own."""
    names: list[str] = []
    for kind in type(model).__mro__:
        if kind.__module__.startswith("rasd."):
            names += [name for name, member in vars(kind).items() if isinstance(member, property)]
    return names


def plain(value: Any) -> Any:
    """A validated value as JSON, each kind but JSON's own tagged (an object of one key) so that `thawed`
    gives back the same kind: a model (its fields and properties), a time, a `Told`, a tuple, a mapping;
    TypeError for any other kind."""
    if value is None or isinstance(value, bool | int | float) or type(value) is str:
        return value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, Told):
        return {"told": [value.message, plain(value.values), value.plural, value.number, plain(value.following)]}
    if isinstance(value, tuple):
        return {"tuple": [plain(item) for item in value]}
    if isinstance(value, dict):
        return {"dict": {str(name): plain(item) for name, item in value.items()}}
    if isinstance(value, clock_time):
        return {"time": value.isoformat()}
    if hasattr(type(value), "model_fields"):
        fields = {name: plain(getattr(value, name)) for name in type(value).model_fields}
        properties = {name: plain(getattr(value, name)) for name in _properties(value)}
        return {"model": [type(value).__name__, fields, properties]}
    raise TypeError(f"settings hold a {type(value).__name__}, which is not kept")


def thawed(value: Any) -> Any:
    """What `plain` was given, a model as a `Frozen`; ValueError (or KeyError, TypeError) for JSON that
    `plain` did not write."""
    if isinstance(value, list):
        return [thawed(item) for item in value]
    if not isinstance(value, dict):
        return value
    ((kind, inner),) = value.items()  # ValueError for any other number of keys
    if kind == "model":
        model, fields, properties = inner
        return _WITH_BEHAVIOUR.get(str(model), Frozen)(
            str(model),
            {name: thawed(item) for name, item in fields.items()},
            {name: thawed(item) for name, item in properties.items()},
        )
    if kind == "told":
        message, values, plural, number, following = inner
        return Told(message, thawed(values), plural, number, thawed(following))
    if kind == "tuple":
        return tuple(thawed(item) for item in inner)
    if kind == "dict":
        return {name: thawed(item) for name, item in inner.items()}
    if kind == "time":
        return clock_time.fromisoformat(inner)
    raise ValueError(f"not a kept value: {kind}")


def _where(config_path: Path | None) -> str:
    """What the settings are read from besides the facts: the config file's resolved path (none: the
    defaults, under `user_data_dir()`), the home folder (`~` in a path), the code validating them (every
    module of this package, pydantic's version, Python's) and this file's format. Rasd's own version is not
    asked (importlib.metadata alone costs a fifth of what is saved): the code's bytes say more."""
    digest = hashlib.sha256()
    pydantic = importlib.util.find_spec("pydantic")
    origin = Path(pydantic.origin).with_name("version.py") if pydantic is not None and pydantic.origin else None
    parts: list[str | bytes] = [
        _FORMAT,
        sys.version,
        str(config_path.resolve()) if config_path is not None else "",
        str(user_data_dir()),
        os.environ.get("HOME", ""),
        _content(origin) if origin is not None else b"",
    ]
    for module in sorted(Path(__file__).parent.glob("*.py")):
        parts += [module.name, _content(module)]
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)  # length first: no two inputs run together
    return digest.hexdigest()


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        return f"unreadable: {error}".encode()


def _read(path: Path, where: str) -> Frozen | None:
    """The settings kept in `path` for `where`, when every fact they were read with still holds."""
    try:
        kept = json.loads(path.read_bytes())
        if kept["where"] != where or not consulted.still_hold(kept["facts"]):
            return None
        found = thawed(kept["settings"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return found if isinstance(found, Frozen) else None


def kept_settings(path: Path | str | None = None, named_by: str | None = None) -> Settings:
    """The settings `load_settings(path, named_by)` gives, read back from the cache when they were kept
    from the same files as they are now, else validated (errors raised as `load_settings` raises them) and
    kept. Either way a `Frozen`, typed as the `Settings` it holds (see the module's note)."""
    config_path = find_config(path)
    try:
        where = _where(config_path)
        place = str(config_path.resolve()) if config_path is not None else str(user_data_dir())
        file = user_cache_dir() / f"{_PREFIX}{hashlib.sha256(place.encode()).hexdigest()[:16]}.json"  # one a config
    except NoHome:  # no home folder to keep them in: validated every time (the defaults' own NoHome says what to set)
        from rasd.config.settings import load_settings

        return load_settings(path, named_by)
    found = _read(file, where)
    if found is None:
        from rasd.config.settings import load_settings

        with consulted.recording() as facts:
            settings = load_settings(path, named_by)
        try:
            kept = {"where": where, "facts": facts, "settings": plain(settings)}
        except TypeError:  # a kind of value this module does not know: the settings as validated
            return settings
        keep_file(file, json.dumps(kept, ensure_ascii=False).encode())
        found = thawed(kept["settings"])
    return cast("Settings", found)
