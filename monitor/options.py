"""The `rasd` command line's option types: a day, a month, an article language, a reader's language, a region.

One type per kind of value, shared by every option that takes it, so that a wrong value is refused alike
wherever it is typed, in one line saying what was wrong, what is expected and an example
(`--since: 01/10/2025 is not a day: use YYYY-MM-DD, e.g. 2025-10-01`), instead of click's strptime
formats or an empty result for a value no article can have.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rasd.config import REGION_NAMES, closest_region_codes, closest_regions, locale_language, region_code
from rasd.monitor.errors import Refused
from rasd.monitor.speech import Speech, words

if TYPE_CHECKING:
    from rasd.config import Settings

ARTICLE_LANGUAGES = ("ar", "fr", "en", "und")  # what extract.detect_language gives an article


class ValueRefused(click.BadParameter):
    """A bad option value, shown as `--since: <what was wrong>: <what is expected>` (click's own wording,
    "Invalid value for '--since':", does not say what to type). With a `line` (the refusal in the reader's
    language), that one line is all it shows: click's usage lines and "Error:" are English."""

    def __init__(
        self,
        message: str,
        ctx: click.Context | None = None,
        param: click.Parameter | None = None,
        line: str | None = None,
    ) -> None:
        super().__init__(message, ctx, param)
        self.line = line

    def show(self, file: Any = None) -> None:
        if self.line is None:
            super().show(file)
        else:
            click.echo(self.line, err=True)

    def format_message(self) -> str:
        hint = self.param_hint if self.param_hint is not None else _named(self.param)
        return f"{hint}: {self.message}" if hint else self.message


def _named(param: click.Parameter | None) -> str | None:
    """How a refusal names the option (`--since`) or argument it refuses."""
    if param is None:
        return None
    return param.opts[0] if param.param_type_name == "option" else param.human_readable_name


def _reader_speech(ctx: click.Context | None) -> Speech | None:
    """The running command's language for a refusal's one line; None in English (click's lines say it)."""
    language = _command_language(ctx)
    return None if language == "en" else Speech(language)


class DateValue(click.ParamType):
    """A day (YYYY-MM-DD) or a month (YYYY-MM) as a datetime at its start."""

    def __init__(self, what: str, pattern: str, shown: str, example: str) -> None:
        self.what, self.pattern, self.shown, self.example = what, pattern, shown, example
        self.name = shown

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.strptime(str(value).strip(), self.pattern)
        except ValueError:
            line, said = None, _reader_speech(ctx)
            if said is not None:
                day = said.gettext("error: %(option)s: %(value)s is not a day: use YYYY-MM-DD, e.g. 2025-10-01")
                month = said.gettext("error: %(option)s: %(value)s is not a month: use YYYY-MM, e.g. 2025-10")
                line = said(day if self.what == "day" else month, option=_named(param) or "", value=value)
            message = f"{value} is not a {self.what}: use {self.shown}, e.g. {self.example}"
            raise ValueRefused(message, ctx, param, line) from None


DAY = DateValue("day", "%Y-%m-%d", "YYYY-MM-DD", "2025-10-01")
MONTH = DateValue("month", "%Y-%m", "YYYY-MM", "2025-10")


class ArticleId(click.ParamType):
    """A stored article's number (`rasd explain 12`, `rasd label 12 sse`): anything else is refused saying
    where the numbers are, not click's "'abc' is not a valid integer." with "(integer)" in every language."""

    name = "ARTICLE_ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            line, said = None, _reader_speech(ctx)
            if said is not None:
                refused = said.gettext(
                    "error: %(value)s is not an article number: use the number that begins each story's line in "
                    "%(command)s, e.g. 12"
                )
                line = said(refused, value=value, command="`rasd search`")  # marked, as label's lines are
            message = (
                f"{value} is not an article number: use the number that begins each story's line in `rasd search`, "
                "e.g. 12"
            )
            raise ValueRefused(message, ctx, None, line) from None


ARTICLE_ID = ArticleId()


class ArticleLanguage(click.ParamType):
    """An article's language as `extract` records it (ar, fr, en, und), in any case: `arabic` or `AR-MA`
    would match no article and a search would say "no match" as if there were none."""

    name = "LANG"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        wanted = str(value).strip().lower()
        if wanted not in ARTICLE_LANGUAGES:
            line, said = None, _reader_speech(ctx)
            if said is not None:
                refused = said.gettext(
                    "error: %(option)s: %(value)s is not an article language: use one of ar, fr, en, und (und: "
                    "undetermined), e.g. --lang ar"
                )
                line = said(refused, option=_named(param) or "", value=value)
            raise ValueRefused(
                f"{value} is not an article language: use one of {', '.join(ARTICLE_LANGUAGES)} "
                "(und: undetermined), e.g. --lang ar",
                ctx,
                param,
                line,
            )
        return wanted


ARTICLE_LANGUAGE = ArticleLanguage()


class ReaderLanguage(click.ParamType):
    """The language a command speaks to its reader (`--lang` of explain, label, report, browse): a catalog
    in alerts/locale, or English (the messages as written), in any case."""

    name = "LANG"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """A locale's name as the system writes it (`fr_FR.UTF-8`, `ar-MA`) is taken for its language."""
        from babel import Locale

        from rasd.alerts.i18n import languages

        known = languages()
        language = locale_language(str(value))
        if language not in known:
            choices = ", ".join(f"{code} ({Locale.parse(code).get_display_name('en')})" for code in known)
            example = "--lang ar" if param is not None else f"{LANGUAGE_VARIABLE}=ar"  # None: the variable's
            raise ValueRefused(
                f"{value} is not a language Rasd is translated into: use one of {choices}, e.g. {example}", ctx, param
            )
        return language


READER_LANGUAGE = ReaderLanguage()


class OutputFile(click.Path):
    """A file the command writes (`--output`): its folder must exist and be writable, checked before any
    work is done. Refused, not a click error: one line (`rasd: --output: …`, exit 1) instead of a
    traceback once the work is done, or click's usage lines."""

    def __init__(self, allow_dash: bool) -> None:
        super().__init__(dir_okay=False, allow_dash=allow_dash)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        name = super().convert(value, param, ctx)
        if name == "-" and self.allow_dash:  # stdout
            return name
        folder = Path(os.fsdecode(name)).absolute().parent
        option = param.opts[0] if param is not None else "output"
        said = Speech(_command_language(ctx))
        if not folder.is_dir():
            missing = said.gettext(
                "%(option)s: the folder %(folder)s does not exist: create it, or name a file in another one"
            )
            raise Refused(said(missing, option=option, folder=folder))
        if not os.access(folder, os.W_OK | os.X_OK):
            closed = said.gettext("%(option)s: the folder %(folder)s is not writable: name a file in another one")
            raise Refused(said(closed, option=option, folder=folder))
        return name


OUTPUT_FILE = OutputFile(allow_dash=True)  # "-": stdout
HTML_FILE = OutputFile(allow_dash=False)


class Region(click.ParamType):
    """A region, given as its code or name; the value is its code (MA-01 … MA-12)."""

    name = "REGION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        code = region_code(str(value))
        if code is not None:
            return code
        close = closest_regions(str(value))
        maybe = f" did you mean {' or '.join(close)}?" if close else ""
        language = _command_language(ctx)
        line = None
        if language != "en":  # `rasd label --region` says it so: the same words in every command
            from rasd.monitor.labelling import region_refusal  # it imports this module

            line = region_refusal(str(value), language)
        raise ValueRefused(
            f"{value} is not a region:{maybe} Use a code (MA-01 … MA-12) or a French or Arabic name, e.g. MA-09 "
            "or Souss-Massa; `rasd regions` lists them all",
            ctx,
            param,
            line,
        )


REGION = Region()


def _command_language(ctx: click.Context | None) -> str:
    """The language of the running command (its Context's, monitor/cli.py), English without one."""
    language = getattr(ctx.find_root().obj if ctx is not None else None, "language", None)
    try:
        return str(language()) if language is not None else "en"
    except click.ClickException:  # $RASD_LANG refused: said once, by the command
        return "en"


LANGUAGE_VARIABLE = "RASD_LANG"  # one reader's own choice, over the config's `language`


def chosen_language(settings: Settings | None) -> str | None:
    """The language the reader chose for every command: $RASD_LANG (checked as --lang is), else the
    config's `language`; None when neither says."""
    wanted = os.environ.get(LANGUAGE_VARIABLE, "").strip()
    if wanted:
        try:
            return READER_LANGUAGE.convert(wanted, None, None)
        except ValueRefused as refused:
            refused.param_hint = f"${LANGUAGE_VARIABLE}"
            raise
    return (settings.language or None) if settings is not None else None


def system_language() -> str | None:
    """The language of the system's locale (`LC_ALL`, else `LC_MESSAGES`, else `LANG`, as gettext reads them:
    `ar_MA.UTF-8` → ar) when Rasd is translated into it, else None (C, POSIX, English, a language without a
    catalog). Every command follows it when the reader chose no language ($RASD_LANG, `language`): an
    official whose system speaks Arabic got English comments from `rasd init` (newcomer10's trial), and
    English `--help` and `rasd status` on a French system before any setup said a language. Cron and
    systemd start commands with no LANG (or C): English there, unless the config says a language."""
    wanted = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    language = locale_language(wanted)
    if language in ("", "en"):
        return None
    try:
        words(language)  # its catalog, read with gettext: no Babel loaded by every command
    except OSError:
        return None
    return language


def terminal_language(settings: Settings | None) -> str:
    """The language of what the commands print (status, search, crawl, sources check, their errors):
    the reader's choice (chosen_language), else the system's (system_language), else English."""
    return chosen_language(settings) or system_language() or "en"


def reader_language(settings: Settings, article_language: str | None = None) -> str:
    """The language of `rasd explain`, `label`, `report` and `browse` when --lang is not given: the reader's
    choice (chosen_language), else the system's (system_language), else the digests' when every subscription
    reads the same one (whoever runs Rasd for them), else the article's own if it is Arabic, else French —
    never English by default, and never a mixture."""
    chosen = chosen_language(settings) or system_language()
    if chosen is not None:
        return chosen
    digests = {subscription.language for subscription in settings.subscriptions}
    if len(digests) == 1:
        return digests.pop()
    return "ar" if article_language == "ar" else "fr"


def region_lines() -> list[str]:
    """`rasd regions`: each region's code, French and Arabic name, the spellings --region accepts."""
    return [f"{code}  {french:<28} {arabic}" for code, (french, arabic) in REGION_NAMES.items()]


__all__ = [
    "ARTICLE_ID",
    "ARTICLE_LANGUAGE",
    "DAY",
    "HTML_FILE",
    "LANGUAGE_VARIABLE",
    "MONTH",
    "OUTPUT_FILE",
    "READER_LANGUAGE",
    "REGION",
    "ValueRefused",
    "chosen_language",
    "closest_region_codes",
    "closest_regions",
    "locale_language",
    "reader_language",
    "region_code",
    "region_lines",
    "system_language",
    "terminal_language",
]
