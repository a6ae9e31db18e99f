"""`--help` and the usage line in the reader's language: the commands' docstrings and options' help are
messages of our catalogs (their English text, as click cleans it, is the msgid; tests/test_help_words.py
checks each is translated in every catalog), and so are click's headings ("Usage:", "Options").

The texts are swapped in only while a help page or a usage line is being made (`Speaking.get_help`,
`get_usage`), then put back: the command tree is shared by everything in the process (the tests run
many commands in one), and a help page in French must leave the next one English.

The language is the reader's (`$RASD_LANG`, else `language` in the config), found without validating the
config: `rasd --help` loads neither pydantic nor SQLAlchemy, and a config that cannot be read still lets
its reader ask for help (in English). In Arabic each line starts with RIGHT-TO-LEFT MARK and each Latin
piece (an option, a metavar, a path, a command) is closed in LEFT-TO-RIGHT MARKs, as `Speech` marks the
commands' lines: a bidi terminal showed "--config" as "config--" and laid a line out left to right when it
started with an option.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any

import click

from rasd.monitor.click_words import right_to_left, speaking
from rasd.monitor.options import LANGUAGE_VARIABLE, locale_language, system_language
from rasd.monitor.speech import LRM, RLM, words

# A Latin piece inside Arabic help: a quoted command (`rasd search`) or a JSON shape ({id, title}) whole, else a
# word holding a Latin letter (an option, a metavar, a path, MA-09) with its leading dashes, $, ~ and quotes; a
# sentence's closing punctuation left out.
_LATIN = re.compile(
    r"`[^`\n]+`|\{[^{}\n]*\}"
    r"|[-$~`'\"/]*[\w./]*[A-Za-z][^\s\u0600-\u06ff،؛]*?(?=[.,;:)\]]*(?:\s|$|[\u0600-\u06ff،؛]))"
)


def help_language(ctx: click.Context) -> str:
    """The language of a help page: $RASD_LANG, else the config's `language` (read as TOML only), else the
    system's (`LANG=fr_FR.UTF-8`), else English; English too when what they name has no catalog (the command
    itself says what is wrong)."""
    from rasd.config.paths import NoHome, find_config

    wanted = os.environ.get(LANGUAGE_VARIABLE, "").strip()
    if not wanted:
        root = ctx.find_root()  # --config is eager: read before `rasd --config FILE --help` shows the help
        named = root.params.get("config_path") or getattr(root.obj, "config_path", None)
        with suppress(OSError, ValueError, NoHome):  # TOMLDecodeError is a ValueError
            path = find_config(named)
            if path is not None:
                import tomllib  # only when there is a config to read

                from rasd.config import config_text

                wanted = str(tomllib.loads(config_text(path.read_bytes())).get("language", ""))
    language = locale_language(wanted) if wanted else (system_language() or "en")
    if language in ("", "en"):
        return "en"
    try:
        words(language)
    except OSError:  # no catalog: not a language Rasd speaks
        return "en"
    return language


def latin_marked(text: str) -> str:
    """Each Latin piece of an Arabic text closed in LRM, then RLM (see the module's note)."""
    return _LATIN.sub(lambda piece: f"{LRM}{piece[0]}{LRM}{RLM}", text)


def _said(text: str | None, language: str) -> str | None:
    if not text:
        return text
    translated = words(language).gettext(inspect.cleandoc(text))
    return latin_marked(translated) if right_to_left(language) else translated


class _Formatter(click.HelpFormatter):
    """click's layout with the headings' colon as the language puts it ("Options :"); in a right-to-left
    language, the first column (options, commands) and the usage line marked as Latin pieces, every line
    started with RLM."""

    language = "en"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if not right_to_left(self.language):
            return super().write_usage(prog, args, prefix)
        usage = words(self.language).gettext("Usage:")
        self.write(f"{' ' * self.current_indent}{usage} {LRM}{prog} {args}{LRM}\n")

    def write_heading(self, heading: str) -> None:
        colon = words(self.language).gettext("%(heading)s:") % {"heading": heading}
        self.write(f"{'':>{self.current_indent}}{colon}\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        if right_to_left(self.language):
            rows = [(f"{LRM}{first}{LRM}", second) for first, second in rows]
        super().write_dl(rows, col_max, col_spacing)

    def getvalue(self) -> str:
        text = super().getvalue()
        if not right_to_left(self.language):
            return text
        return "\n".join(RLM + line if line.strip() else line for line in text.split("\n"))


@contextmanager
def _translated(ctx: click.Context, language: str) -> Iterator[None]:
    """The help texts of the context's command, its parameters (--help too) and its subcommands in
    `language`, put back after."""
    kept: list[tuple[Any, str, Any]] = []
    command = ctx.command
    owners: list[Any] = [command, *command.params, command.get_help_option(ctx)]
    if isinstance(command, click.Group):
        owners += list(command.commands.values())
    for owner in filter(None, owners):
        for name in HELP_FIELDS:
            value = getattr(owner, name, None)
            if isinstance(value, str) and value:
                kept.append((owner, name, value))
                setattr(owner, name, _said(value, language))
    ranges: list[Any] = []
    for option in command.params:
        if isinstance(option, click.Option) and option.metavar in OWN_METAVARS:
            kept.append((option, "metavar", option.metavar))
            option.metavar = words(language).gettext(option.metavar)
        elif isinstance(option, click.Option) and option.metavar is None and not option.is_flag:
            kind = option.make_metavar(ctx)
            if kind in TYPE_METAVARS:
                kept.append((option, "metavar", None))
                option.metavar = words(language).gettext(kind)
        number = option.type
        if isinstance(number, click.IntRange | click.FloatRange) and not (number.min_open or number.max_open):
            ranges.append(number)
            number._describe_range = partial(_range_words, number, language)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for owner, name, value in kept:
            setattr(owner, name, value)
        for bounded in ranges:
            del bounded._describe_range


def _range_words(kind: click.IntRange | click.FloatRange, language: str) -> str:
    """The values an option takes, in words ("at least 1", "de 0 à 65535"), where click writes "x>=1" and
    "0<=x<=65535" in every language — a formula, to a reader who is no programmer."""
    said = words(language)
    if kind.max is None:
        return said.gettext("at least %(min)s") % {"min": kind.min}
    if kind.min is None:
        return said.gettext("at most %(max)s") % {"max": kind.max}
    return said.gettext("%(min)s to %(max)s") % {"min": kind.min, "max": kind.max}


class Speaking(click.Context):
    """A command's context whose help page and usage line are in the reader's language."""

    @contextmanager
    def _spoken(self) -> Iterator[None]:
        language = help_language(self)
        if language == "en":
            with speaking(language):  # click's headings: the config is not read for them
                yield
            return
        self.formatter_class = type("Formatter", (_Formatter,), {"language": language})
        with speaking(language), _translated(self, language):
            yield

    def get_help(self) -> str:
        with self._spoken():
            return super().get_help()

    def get_usage(self) -> str:
        with self._spoken():
            return super().get_usage()


HELP_FIELDS = ("help", "short_help", "epilog")
# The value an option takes as click names it from its type (`--source TEXT`, `--limit INTEGER RANGE`,
# `--output FILE`): English words in a French or Arabic help page, so they are messages of the catalogs too.
# Rasd's own types name theirs too (`--region REGION`, `--lang LANG`). An option's own metavar that is a format
# (`--since YYYY-MM-DD`, `--region MA-xx`) and the arguments' names (`QUERY`, which the texts and click's errors
# name) stay as written; one that is a word (`--wait SECONDS`) is said.
TYPE_METAVARS: tuple[str, ...] = ("TEXT", "INTEGER", "INTEGER RANGE", "FLOAT", "FLOAT RANGE", "FILE", "DIRECTORY")
TYPE_METAVARS += ("PATH", "REGION", "LANG")
OWN_METAVARS = ("SECONDS",)


def help_texts(command: click.Command) -> set[str]:
    """Every help text of `command`, its options and its subcommands, as msgids (`inspect.cleandoc`'s text,
    as `_said` looks them up)."""
    texts = {inspect.cleandoc(value) for name in HELP_FIELDS if (value := getattr(command, name, None))}
    texts |= {
        inspect.cleandoc(param.help) for param in command.params if isinstance(param, click.Option) and param.help
    }
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            texts |= help_texts(sub)
    return texts


def extract_help(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[Any, ...]]:
    """Babel's extractor for monitor/cli.py (alerts/babel.cfg): the file's messages as Python's, then every
    help text of the `rasd` command tree, so that `make catalogs` lists a new option's help with the others
    (a docstring or a `help=` cannot be marked for gettext)."""
    from babel.messages.extract import extract_python

    from rasd.monitor.cli import cli

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in sorted(help_texts(cli)):
        yield 0, None, text, ["the help of a command or an option (--help)"]
    for kind in (*TYPE_METAVARS, *OWN_METAVARS):
        yield 0, None, kind, ["the kind of value an option takes, in --help (`--source TEXT`): capitals"]


def speak_help(command: click.Command) -> None:
    """Every context of `command` and of its subcommands a `Speaking` one."""
    command.context_class = Speaking
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            speak_help(sub)


__all__ = ["Speaking", "extract_help", "help_language", "help_texts", "latin_marked", "speak_help"]
