"""What reading the settings looked at on disk, so that settings kept from an earlier read are trusted only
while every one of those things is still as it was (config/kept.py).

`load_settings` reads the config file and the sources file, and looks at more than their bytes: whether a
`seeds` folder is beside the config, whether the sources file, the seeds folder or the CA file it names
exist, where a relative path leads (a symbolic link), which digest catalogs are installed. Each of those
goes through a function here, which does what the standard library does and, while `recording()`, notes
the answer: a fact. Checking the facts later (`still_hold`) asks each question again. A new check written
in settings.py through these functions is covered without anything else to change; one written around
them would not be, hence the rule: settings.py looks at the disk only through this module.

Standard library only: reading kept settings must not load what validating them needs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

# One fact: (what was asked, of which path, [pattern]) and the answer, as JSON keeps them.
Fact = tuple[list[str], str | bool | list[str] | None]

_noted: ContextVar[dict[tuple[str, ...], str | bool | list[str] | None] | None] = ContextVar("_noted", default=None)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _note(question: tuple[str, ...], answer: str | bool | list[str] | None) -> None:
    noted = _noted.get()
    if noted is not None:
        noted[question] = answer


def read_bytes(path: Path) -> bytes:
    """`path.read_bytes()`, its content's SHA-256 noted (None when it cannot be read: the error is raised)."""
    try:
        data = path.read_bytes()
    except OSError:
        _note(("bytes", str(path)), None)
        raise
    _note(("bytes", str(path)), _digest(data))
    return data


def is_file(path: Path) -> bool:
    """`path.is_file()`, noted."""
    found = path.is_file()
    _note(("is_file", str(path)), found)
    return found


def is_dir(path: Path) -> bool:
    """`path.is_dir()`, noted."""
    found = path.is_dir()
    _note(("is_dir", str(path)), found)
    return found


def resolve(path: Path) -> Path:
    """`path.resolve()`, noted: a link re-pointed leads elsewhere with the same config."""
    found = path.resolve()
    _note(("resolve", str(path)), str(found))
    return found


def glob(folder: Path, pattern: str) -> list[Path]:
    """`folder.glob(pattern)`, sorted, noted: a catalog installed or taken away changes the languages."""
    found = sorted(folder.glob(pattern))
    _note(("glob", str(folder), pattern), [str(path) for path in found])
    return found


def _answer(question: list[str]) -> str | bool | list[str] | None:
    """The answer to `question` now, as the function that first asked it would note it."""
    kind, path = question[0], Path(question[1])
    if kind == "bytes":
        try:
            return _digest(path.read_bytes())
        except OSError:
            return None
    if kind == "is_file":
        return path.is_file()
    if kind == "is_dir":
        return path.is_dir()
    if kind == "resolve":
        return str(path.resolve())
    if kind == "glob":
        return [str(found) for found in sorted(path.glob(question[2]))]
    raise ValueError(f"not a question asked here: {kind}")


@contextmanager
def recording() -> Iterator[list[Fact]]:
    """Every fact noted in the block, in a list filled when the block ends (without an error)."""
    noted: dict[tuple[str, ...], str | bool | list[str] | None] = {}
    token = _noted.set(noted)
    facts: list[Fact] = []
    try:
        yield facts
    finally:
        _noted.reset(token)
    facts.extend((list(question), answer) for question, answer in noted.items())


def still_hold(facts: object) -> bool:
    """Whether every fact (as `recording` gave them, read back from JSON) has the same answer now; False for
    anything that is not a list of facts (a damaged file)."""
    if not isinstance(facts, list):
        return False
    for fact in facts:
        if not (isinstance(fact, list) and len(fact) == 2 and isinstance(fact[0], list) and len(fact[0]) >= 2):
            return False
        if not all(isinstance(part, str) for part in fact[0]):
            return False
        try:
            if _answer(fact[0]) != fact[1]:
                return False
        except (ValueError, IndexError, OSError):
            return False
    return True
