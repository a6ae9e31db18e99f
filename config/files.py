"""Reading one of a user's TOML files (the config, the sources, the lexicon, the gazetteer, the boilerplate
rules) with one readable line for each way it can fail, and the shape of that line (`in_file`). Apart from
the settings' validation (pydantic), which the classifier's files do not need: `rasd explain` reads the
lexicon and the gazetteer of a kept classifier's key without loading it.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path
from typing import Any

from rasd.config import consulted
from rasd.config.errors import ConfigError
from rasd.config.told import Told, telling


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, or a one-line ConfigError naming the file (and the line, for syntax errors and
    for the first byte that is not UTF-8: an Arabic word typed in an editor saving windows-1256).

    A byte-order mark at the start says the encoding (`config_text`): Windows editors write one, and TOML
    forbids it."""
    data = b""
    try:
        data = consulted.read_bytes(path)
        text = config_text(data)
        return tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(in_file(path, telling.gettext("file not found"))) from None
    except IsADirectoryError:
        raise ConfigError(in_file(path, telling.gettext("a folder, not a file"))) from None
    except PermissionError:
        raise ConfigError(in_file(path, telling.gettext("cannot be read (file permissions)"))) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_error(path, str(error), text)) from None
    except UnicodeDecodeError as error:  # the line of its first such byte: where the reader looks
        line = data.removeprefix(codecs.BOM_UTF8).count(b"\n", 0, error.start) + 1
        raise ConfigError(in_file(path, telling.gettext("not UTF-8 text (save it as UTF-8)"), "", line)) from None


def config_text(data: bytes, errors: str = "strict") -> str:
    """A config file's bytes as text: UTF-8, or what a byte-order mark at the start says. Notepad writes a
    UTF-8 mark when saving UTF-8 (TOML forbids it: the reader saw only "invalid statement at line 1, column
    1" in a file that looks right), and saves "Unicode" as UTF-16 with its mark, as Windows PowerShell's `>`
    does: every command said "not UTF-8 text" at line 1 of a file that reads right in any editor. A mark
    leaves no doubt about the encoding, so it is read as written. UnicodeDecodeError when `errors` is
    "strict" and the bytes are not that encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors)  # the mark says the byte order, and is dropped
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors)


def locale_language(value: str) -> str:
    """A locale's name as the system writes it (`fr_FR.UTF-8`, `ar-MA`, `FR`) → its language (`fr`, `ar`)."""
    return re.split(r"[_.@-]", value.strip().lower(), maxsplit=1)[0]


def declared_language(path: Path | str | None) -> str | None:
    """The `language` a config file's top declares ("ar", "fr" or "en"), read alone: while another part of
    the settings is refused (a `[[source]]` in sources.toml, a key misspelt), the error is said in the
    language its reader chose, not in English. A file saved in another encoding than UTF-8 (Notepad's Arabic
    windows-1256) is read with its odd bytes replaced, for its ASCII `language` line: its one error (save it
    as UTF-8) came in English to a French reader. None when the file cannot be read or says none."""
    from rasd.config.paths import find_config

    try:
        found = find_config(path)
        if found is None:
            return None
        text = config_text(found.read_bytes(), errors="replace")
    except (ConfigError, OSError):
        return None
    try:
        language = tomllib.loads(text).get("language")
    except tomllib.TOMLDecodeError:  # not TOML (`time = 07:00`): its own `language = "fr"` line says whom it is for
        language = _language_line(text)
    language = locale_language(language) if isinstance(language, str) else None
    return language if language in ("ar", "fr", "en") else None


_LANGUAGE_LINE = re.compile(r"""\s*language\s*=\s*["']([A-Za-z]{2}(?:[_.@-][\w.@-]*)?)["']\s*(?:#.*)?""")


def _language_line(text: str) -> str | None:
    """The `language = "…"` line of a file TOML cannot read, above its first [section] (where `rasd init`
    writes it): a French reader's `time = 07:00` was told in English what a time looks like."""
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            return None
        if (declared := _LANGUAGE_LINE.fullmatch(line)) is not None:
            return declared[1]
    return None


def _toml_error(path: Path, error: str, text: str) -> Told:
    """A file that is not TOML: its line and column when tomllib gives them, what is usually wrong there, and
    tomllib's own (English) words; a table or a key written twice, with the line of the first."""
    at = re.search(r"\s*\(at line (\d+), column (\d+)\)$", error)
    if error.startswith(("Unterminated string", 'Expected "\'"')):  # a quote left open on the file's last line
        return in_file(
            path, telling.gettext("a text's closing quote is missing: the file ends inside it; close it with \"")
        )
    if at is None:
        return in_file(path, telling.gettext("invalid TOML: %(error)s", error=error))
    if error.startswith("Illegal character '\\n'"):  # the line ends inside a text: `outbox = "outbox  # comment`
        told = telling.gettext(
            "a text's closing quote is missing on this line: close it with \" (before any # comment)"
        )
        return in_file(path, told, "", int(at[1]))
    if (twice := _written_twice(error[: at.start()], text.splitlines(), int(at[1]))) is not None:
        return in_file(path, twice, "", int(at[1]))
    told = telling.gettext(
        'not valid TOML at column %(column)d (text needs quotes, a time is written 07:00:00, a list ["a", "b"]): '
        "%(error)s",
        column=int(at[2]),
        error=error[: at.start()],
    )
    return in_file(path, told, "", int(at[1]))


def _written_twice(error: str, lines: list[str], line: int) -> Told | None:
    """tomllib's "Cannot declare ('crawler',) twice" and "Cannot overwrite a value" (a key given twice in a
    table) in words, with the line where the table or key was first written; None for other errors."""
    written = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if error.startswith("Cannot declare ") and error.endswith(" twice") and written.startswith("["):
        header = re.sub(r"\s+", "", written.split("#", 1)[0])
        first = next((n for n in range(1, line) if re.sub(r"\s+", "", lines[n - 1].split("#", 1)[0]) == header), None)
        if first is not None:
            message = "%(table)s is written twice (first on line %(first)d): put its keys under one"
            return telling.gettext(message, table=header, first=first)
    if error == "Cannot overwrite a value" and "=" in written:
        key = written.split("=", 1)[0].strip()
        for n in range(line - 1, 0, -1):  # up to the table's header
            earlier = lines[n - 1].strip()
            if earlier.startswith("["):
                break
            if "=" in earlier and earlier.split("=", 1)[0].strip() == key:
                return telling.gettext("%(key)s is given twice (first on line %(first)d): keep one", key=key, first=n)
    return None


def in_file(path: Path, told: Told, key: str = "", line: int | None = None) -> Told:
    """A config mistake as one line: the file, the line when known, the key when there is one, what is wrong."""
    if line is not None and not key:
        return telling.gettext("%(file)s, line %(line)d: %(problem)s", file=str(path), line=line, problem=told)
    if line is not None:
        return telling.gettext(
            "%(file)s, line %(line)d: %(key)s: %(problem)s", file=str(path), line=line, key=key, problem=told
        )
    if key:
        return telling.gettext("%(file)s: %(key)s: %(problem)s", file=str(path), key=key, problem=told)
    return telling.gettext("%(file)s: %(problem)s", file=str(path), problem=told)
