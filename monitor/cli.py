"""The `rasd` command line. Its commands and output formats are a contract (DESIGN.md): keep them stable.

Exit codes: 0 when the command ran (a cycle in which some sources failed still ran: they are reported);
1 when nothing could run; 2 for a bad config or bad arguments, with one readable line and no traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from rasd.config import ConfigError, NoSuchSource
from rasd.monitor.click_words import follow
from rasd.monitor.errors import Refused
from rasd.monitor.help_words import speak_help
from rasd.monitor.lock import LockHeld
from rasd.monitor.options import (
    ARTICLE_ID,
    ARTICLE_LANGUAGE,
    DAY,
    HTML_FILE,
    MONTH,
    OUTPUT_FILE,
    READER_LANGUAGE,
    REGION,
    chosen_language,
    reader_language,
    region_lines,
    system_language,
    terminal_language,
)
from rasd.monitor.signals import Interrupted, interrupt_on_sigterm, run_on_reactor
from rasd.monitor.speech import Speech, decimal
from rasd.monitor.start import stopped
from rasd.monitor.verdicts import evaluate_command, label_command, seeds_group
from rasd.monitor.written import output_refused, written_file
from rasd.storage.unwritable import Unwritable

if TYPE_CHECKING:
    from rasd.config import Settings, Subscription
    from rasd.monitor.cycle import CycleSummary
    from rasd.storage import Found, SearchFilters, Silence, Store

__all__ = ["Interrupted", "cli", "main", "run_on_reactor"]


class Context:
    def __init__(self, config_path: str | None = None, log_json: bool = False, named_by: str | None = None) -> None:
        self.config_path = config_path
        self.log_json = log_json
        self.named_by = named_by  # where config_path came from: --config or $RASD_CONFIG
        self._settings: Settings | None = None

    def settings(self) -> Settings:
        """The settings, read once for the command (its store, its lines and its errors all use them:
        reading them again cost another validation of every source); validated only when the files differ
        from those of the settings kept by an earlier command (config/kept.py)."""
        if self._settings is None:
            from rasd.config import kept_settings

            self._settings = kept_settings(self.config_path, self.named_by)
        return self._settings

    def language(self) -> str:
        """The language the command speaks (options.terminal_language); while the config cannot be read
        (the error being reported), $RASD_LANG's, else the `language` its main file declares, else the system's,
        else English."""
        try:
            settings: Settings | None = self.settings()
        except ConfigError:
            from rasd.config import declared_language

            return chosen_language(None) or declared_language(self.config_path) or system_language() or "en"
        return terminal_language(settings)

    def speech(self) -> Speech:
        """What the command prints, in its language."""
        return Speech(self.language())

    def said(self) -> Speech:
        """`speech` for the error lines of `main`: English when the language itself is refused ($RASD_LANG)."""
        try:
            return self.speech()
        except click.ClickException:
            return Speech("en")

    def existing_store(self, writing: bool = False) -> Store:
        """The store for a command that reads (or, `writing`, adds to) what crawls stored: it must exist
        already. Opening an SQLite URL creates the file, and a command run from the wrong folder or with the
        wrong config would then show an empty table as if nothing had been found, or label nothing."""
        from rasd.storage import SchemaBehind, Store, sqlite_file

        settings = self.settings()
        url = settings.storage.url
        if (path := sqlite_file(url)) is not None and not path.is_file():
            said = self.speech()
            shown = {"path": url.removeprefix("sqlite:///"), "settings": said.told(settings.config_shown)}
            if (before := _store_of_an_older_rasd(path, settings.config_file)) is not None:
                message = said.gettext(
                    "no database at %(path)s (settings: %(settings)s), but one at %(before)s: a Rasd of before "
                    "2026-12-02 took the config's relative paths from the folder it ran in, now they are taken from "
                    "the config's folder; move it there (with its outbox) before the next crawl, which would start "
                    "an empty store"
                )
                raise Refused(said(message, **shown, before=str(before)))
            message = said.gettext(
                "no database at %(path)s (settings: %(settings)s): run `rasd crawl` first, or name another config "
                "with --config"
            )
            raise Refused(said(message, **shown))
        if writing:
            return Store(url)
        try:
            return Store.for_reading(url)  # read-only when it cannot be written (a read-only mount)
        except SchemaBehind as error:
            raise Refused(error.args[0]) from None  # a Told: said in the reader's language


def _store_of_an_older_rasd(path: Path, config_file: str | None) -> Path | None:
    """The database a config's relative path named for a Rasd of before 2026-12-02, which took it from the
    working folder: found there, after an upgrade `rasd status` said "run `rasd crawl` first" and that crawl
    started an empty store beside the config (its subscribers sent every story again)."""
    if config_file is None:
        return None
    try:
        relative = path.relative_to(Path(config_file).parent)
    except ValueError:  # written as an absolute path elsewhere: it never depended on the working folder
        return None
    before = Path.cwd() / relative
    return before if before.is_file() and before.resolve() != path.resolve() else None


pass_context = click.make_pass_decorator(Context)


class ReaderGone(Exception):
    """Standard output's reader stopped reading (`rasd search x | head -1`): the command's work is done as far
    as anyone will read it."""


class _Commands(click.Group):
    """click turns a closed pipe into exit 1 (its own `except OSError` for EPIPE): `rasd search x | head -1`
    got its line and then a failure, where `grep x | head -1` is a success. Raised past click as ReaderGone,
    for `main` to end the command with 0, silently (faults14 sweep): from the command, or from `--help`."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError as error:
            raise ReaderGone() from error

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as error:
            raise ReaderGone() from error


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    envvar="RASD_CONFIG",
    type=click.Path(dir_okay=False),
    is_eager=True,  # known to --help (help_words), which is eager too
    help="Config file (default: $RASD_CONFIG, else ~/.config/rasd/rasd.toml if it exists, else built-in defaults).",
)
@click.option("--log-json", is_flag=True, help="Log lines (one per job run) as JSON objects on stderr.")
@click.version_option(package_name="rasd", message="rasd %(version)s", help="Show the installed version and exit.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, log_json: bool) -> None:
    """Rasd: watch Moroccan news sites for social and solidarity economy stories."""
    from click.core import ParameterSource

    from rasd.monitor.logs import configure_command_logging, configure_logging

    source = ctx.get_parameter_source("config_path")
    context = ctx.ensure_object(Context)  # main's, which says the errors in the command's language
    context.config_path, context.log_json = config_path, log_json
    context.named_by = "$RASD_CONFIG" if source is ParameterSource.ENVIRONMENT else "--config"
    if log_json or ctx.invoked_subcommand == "run":
        configure_logging(log_json)
    else:
        configure_command_logging()


# The days typed are the reader's, in the config's `timezone` (Africa/Casablanca by default), as the digests show
# them: from that day's local midnight (storage.local_midnight)
SINCE_HELP = "Published (or, undated, fetched) on or after this day (YYYY-MM-DD, your day: `timezone`)."
UNTIL_HELP = "Published (or fetched) on or before this day (YYYY-MM-DD, your day: `timezone`)."
BACKFILL_SINCE_HELP = "Fetch articles from this day on (YYYY-MM-DD, your day: `timezone`)."

WAIT_OPTION = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="If another run holds the lock, wait up to this long for it (default: exit 1 at once).",
)


QUIET_OPTION = click.option(
    "--quiet",
    is_flag=True,
    help="Print nothing when all went well, only warnings and errors (for cron, which mails whatever is printed).",
)


@cli.command("crawl")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@WAIT_OPTION
@QUIET_OPTION
@pass_context
def crawl_command(context: Context, sources: tuple[str, ...], wait: float, quiet: bool) -> None:
    """One monitoring cycle: fetch, extract, classify, store. Exit 1 when the daemon or another
    `rasd crawl` is crawling the same database (unless --wait)."""
    settings = context.settings()
    from rasd.monitor.config_watch import left_out_lines, no_sources_line
    from rasd.monitor.seed_files import seed_warnings
    from rasd.monitor.session import one_cycle

    language = terminal_language(settings)
    said = Speech(language)
    for line in [*left_out_lines(settings, language), *seed_warnings(Path(settings.classifier.seeds_dir), language)]:
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    count = len({settings.source_named(name).name for name in sources} or settings.sources)  # checked first
    if not count:  # the cycle runs (its summary says 0 sources), but nothing is watched: say what to do
        click.echo(said(said.gettext("warning: %(line)s"), line=said.told(no_sources_line())), err=True)
    working = said.ngettext("crawling %(num)d source…", "crawling %(num)d sources…", count)
    summary = one_cycle(settings, list(sources) or None, wait, lambda: _working(said(working, num=count)))
    failing = _failing_cycles(context, summary) if quiet else {}
    repeated = {name for name, cycles in failing.items() if cycles >= 2 and (cycles - 1) % QUIET_REMINDER_CYCLES}
    for line in summary.failure_lines(language=language, unsaid=repeated):
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    for name, cycles in sorted(failing.items()):
        if cycles >= 2 and name not in repeated:  # the day's reminder: how long it has been failing
            again = said.gettext(
                "%(source)s has failed %(num)d crawls in a row (said once a day while it fails; %(status)s lists it)"
            )
            line = said(again, source=name, num=cycles, status="rasd status")
            click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    _cycle_lines(
        language,
        said.gettext("crawled %(sources)s (%(requests)s, %(pages)s) in %(seconds)s: %(new)s, %(flagged)s"),
        said.gettext(
            "crawl stopped by %(signal)s after %(seconds)s, before it finished: %(reached)d of %(sources)s reached "
            "(%(requests)s, %(pages)s): %(new)s, %(flagged)s"
        ),
        summary,
        said.gettext("the next crawl fetches the rest"),
        quiet=quiet,
    )
    if summary.sources and not summary.sources_ok:
        click.echo(said(said.gettext("error: no source could be fetched")), err=True)
        sys.exit(1)


# `rasd crawl --quiet` (cron, every hour as deploy/crontab.example has it): a source that keeps failing is said at
# its first failed cycle, then once every this many (a day of hourly crawls), not in every mail of the day
QUIET_REMINDER_CYCLES = 24


def _failing_cycles(context: Context, summary: CycleSummary) -> dict[str, int]:
    """The sources whose cycle failed this time: source → its failed cycles in a row, this one included (as
    `rasd status` counts them). Under `--quiet` one that failed the cycle before too is not said again but
    once every QUIET_REMINDER_CYCLES: a site down for a week made 168 cron mails of the same line."""
    from rasd.storage import read_health

    failing = {source for source, outcome in summary.source_outcomes().items() if outcome is not None}
    if not failing:
        return {}
    healths = read_health(context.settings().storage.url)
    if healths is None:
        healths = context.existing_store().source_health()
    return {health.name: health.consecutive_failures for health in healths if health.name in failing}


def _working(line: str) -> None:
    """What a command is doing, before a wait that can be long (sites that do not answer, offline): one line
    on stderr, for a reader at a terminal only (cron mails every line, and needs none of this)."""
    if sys.stderr.isatty():
        click.echo(line, err=True)


def _cycle_lines(
    language: str,
    finished: str,
    stopped: str,
    cycle: CycleSummary,
    resume: str,
    more: list[str] | None = None,
    values: dict[str, str] | None = None,
    quiet: bool = False,
) -> None:
    """The summary line of a crawl or a backfill (`finished`, or `stopped` when a signal stopped it: how
    far it got, how many of its sources it reached — the others were never asked), then the `more` lines,
    and after a stop how to go on, with the exit code 128+N. One helper, so that a crawl and a backfill
    say it alike, in the reader's language. `values`: more fields of the two lines (a backfill's day).
    `quiet`: a finished cycle says nothing (cron mails every line: an hourly crawl, 24 mails a day); a stopped one
    still does."""
    said = Speech(language)
    counts: dict[str, object] = {
        "sources": said.ngettext("%(num)d source", "%(num)d sources", cycle.sources) % {"num": cycle.sources},
        "requests": said.ngettext("%(num)d request", "%(num)d requests", cycle.requests) % {"num": cycle.requests},
        "pages": said.ngettext("%(num)d article page", "%(num)d article pages", cycle.pages) % {"num": cycle.pages},
        "new": said.ngettext("%(num)d new article", "%(num)d new articles", cycle.new_articles)
        % {"num": cycle.new_articles},
        "flagged": said.ngettext("%(num)d SSE story flagged", "%(num)d SSE stories flagged", cycle.sse_flagged)
        % {"num": cycle.sse_flagged},
        "seconds": said.gettext("%(seconds)ss") % {"seconds": decimal(cycle.seconds, language)},
        "reached": cycle.reached,
        "signal": signal.Signals(cycle.stopped_by).name if cycle.stopped_by else "",
        **(values or {}),
    }
    if quiet and not cycle.stopped_by:
        return
    click.echo(said(stopped if cycle.stopped_by else finished, **counts))
    for line in more or ():
        click.echo(line)
    if not cycle.stopped_by:
        return
    line = said.gettext("rasd: stopped by %(signal)s: what was fetched is stored; %(resume)s")
    click.echo(said(line, signal=counts["signal"], resume=resume), err=True)
    sys.exit(128 + cycle.stopped_by)


@cli.command("backfill")
@click.option("--since", type=DAY, required=True, help=BACKFILL_SINCE_HELP)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@WAIT_OPTION
@pass_context
def backfill_command(context: Context, since: datetime, sources: tuple[str, ...], wait: float) -> None:
    """Fetch past articles from each site's sitemaps (post sitemaps and their lastmod, month archives),
    politely: robots.txt, delays and the per-source page budget of a crawl. Articles stored already are
    skipped, so run it again to continue after a stop or when the budget is reached."""
    from zoneinfo import ZoneInfo

    from rasd.monitor.backfill import one_backfill
    from rasd.monitor.config_watch import left_out_lines

    settings = context.settings()
    start = since.replace(tzinfo=ZoneInfo(settings.timezone))  # the reader's day: its start in their zone
    summary = one_backfill(settings, start, list(sources) or None, wait)
    cycle = summary.cycle
    language = terminal_language(settings)
    said = Speech(language)
    for line in [*left_out_lines(settings, language), *cycle.failure_lines(language=language)]:
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    again = f"rasd backfill --since {since:%Y-%m-%d}"
    budget = settings.crawler.max_pages_per_source
    left = [
        said(
            said.ngettext(
                "%(source)s: %(num)d more article over the budget of %(budget)d pages a run: run `%(again)s` again "
                "to continue",
                "%(source)s: %(num)d more articles over the budget of %(budget)d pages a run: run `%(again)s` again "
                "to continue",
                count,
            ),
            source=source,
            num=count,
            budget=budget,
            again=again,
        )
        for source, count in sorted(summary.left.items())
    ]
    _cycle_lines(
        language,
        said.gettext(
            "backfill since %(day)s: %(sources)s (%(requests)s, %(pages)s) in %(seconds)s: %(new)s, %(flagged)s"
        ),
        said.gettext(
            "backfill since %(day)s stopped by %(signal)s after %(seconds)s, before it finished: %(reached)d of "
            "%(sources)s reached (%(requests)s, %(pages)s): %(new)s, %(flagged)s"
        ),
        cycle,
        said(said.gettext("`%(again)s` resumes"), again=again),
        left,
        {"day": f"{since:%Y-%m-%d}"},
    )


@cli.command("digest")
@click.option("--dry-run", is_flag=True, help="Print what would be sent to whom; mark nothing delivered.")
@click.option("--check", is_flag=True, help="Try each delivery channel (connect, TLS, login); send nothing.")
@click.option(
    "--quiet", is_flag=True, help="Print nothing when no digest is due (for cron, which mails whatever is printed)."
)
@pass_context
def digest_command(context: Context, dry_run: bool, check: bool, quiet: bool) -> None:
    """Build and deliver the digests that are due (and retry failed ones). Exit 1 when a delivery failed
    (the digest is kept and retried by the next run), so that cron reports it. --check only tries each
    channel and prints one line for it (exit 1 when one fails)."""
    from rasd.monitor.session import one_digest

    said = context.speech()
    if check:
        from rasd.alerts.checks import check_channels

        results = check_channels(context.settings())
        for result in results:
            click.echo(said.told(result.line()))
        if (sender := _placeholder_sender(context.settings())) is not None:
            unchanged = said.gettext(
                "[smtp] sender is still %(sender)s: every digest tells its readers to write there to change or stop "
                "it, and many mail servers refuse it; set it to an address you read"
            )
            click.echo(said(said.gettext("warning: %(line)s"), line=said(unchanged, sender=sender)), err=True)
        for name in _misnamed_subscriptions(context.settings()):
            misnamed = said.gettext(
                "subscription %(name)s keeps the name rasd init gave it, but no longer sends all regions daily: its "
                "readers see that name in every digest's subject and footer; give it a name that says what it "
                "sends (renamed, it sends nothing its reader had)"
            )
            click.echo(said(said.gettext("warning: %(line)s"), line=said(misnamed, name=repr(name))), err=True)
        sys.exit(1 if any(result.problem for result in results) else 0)
    if dry_run:
        context.existing_store().close()  # a dry run writes nothing: not even a new, empty database
    try:
        report = one_digest(context.settings(), dry_run)
    except Interrupted as interrupted:  # stopped between two digests: the ones not sent stay pending
        if interrupted.result is None:
            raise
        for line in interrupted.result.event_lines():  # type: ignore[attr-defined]
            click.echo(said.told(line))  # what was sent; that the rest is kept is the one line below
        kept = said.gettext("rasd: stopped by %(signal)s: the digests not sent yet are kept for the next run")
        click.echo(said(kept, signal=signal.Signals(interrupted.signum).name), err=True)
        sys.exit(128 + interrupted.signum)
    # cron runs it every 5 minutes and mails any output: with --quiet, only digests sent or failed are said
    nothing = [] if quiet else [said(said.gettext("no digest due")), *_last_digest_lines(context, said)]
    for line in report.lines(quiet) or nothing:
        click.echo(said.told(line))
    if report.failed:
        sys.exit(1)


def _placeholder_sender(settings: Settings) -> str | None:
    """The `[smtp] sender` address when a mail server is set but the sender is still a local placeholder (the
    shipped `rasd@localhost`): a newcomer's check passed on a relay that took it, and their readers' digests
    said "to stop receiving it, write to rasd@localhost" (newcomer12's trial)."""
    from email.utils import parseaddr

    address = parseaddr(settings.smtp.sender)[1] or settings.smtp.sender
    domain = address.rpartition("@")[2].lower()
    if settings.smtp.host and (domain == "localhost" or domain.endswith((".localhost", ".local"))):
        return address
    return None


def _misnamed_subscriptions(settings: Settings) -> list[str]:
    """The subscriptions still named as `rasd init` names its one ("All regions, daily", in the reader's
    language) whose regions or frequency were changed since: the official who chose Souss-Massa and
    "immediate" sent digests headed "كل الجهات، يوميا" (newcomer13's trial)."""
    from rasd.alerts.i18n import translations

    shipped = "All regions, daily"
    names = {shipped, *(translations(language).gettext(shipped) for language in ("ar", "fr"))}
    return [
        subscription.name
        for subscription in settings.subscriptions
        if subscription.name in names and (subscription.regions != ["all"] or subscription.frequency != "daily")
    ]


def _last_digest_lines(context: Context, said: Speech) -> list[str]:
    """When no digest is due: each subscription's last digest, when it was made (in the digests' time zone)
    and where it is (its outbox file, or the server it was sent to), so "no digest due" is not taken for
    "nothing ever sent"."""
    from zoneinfo import ZoneInfo

    from rasd.alerts import earlier_names, waiting_stories
    from rasd.monitor.logs import local_time

    settings = context.settings()
    store = context.existing_store()
    try:
        made = store.last_digests()
        renamed = earlier_names(settings, made)
        waiting = {
            subscription.name: waiting_stories(store, subscription, had_as=renamed[subscription.name])
            for subscription in settings.subscriptions
            if subscription.frequency != "immediate"
        }
    finally:
        store.close()
    if not made and not settings.subscriptions:
        return [said.line("  " + said.gettext("no subscription in the config: add one under [[subscriptions]]"))]
    lines = []
    for digest in made:
        if digest.status != "sent" or not digest.delivered_to:
            where = said(said.gettext("not delivered yet (%(status)s; the next run retries it)"), status=digest.status)
        elif "://" in digest.delivered_to:
            where = said(said.gettext("sent to %(where)s"), where=digest.delivered_to)
        else:
            where = said(said.gettext("written to %(where)s"), where=digest.delivered_to)
        who = f"{digest.subscription} <{digest.recipient}>" if digest.recipient else digest.subscription
        last = said.gettext("last digest for %(who)s: made %(when)s (%(zone)s), %(where)s")
        when = local_time(digest.created_at, ZoneInfo(settings.timezone))  # as the digest's own subject says it
        lines.append(said.line("  " + said(last, who=who, when=when, zone=settings.timezone, where=where)))
    named = {digest.subscription for digest in made}
    for subscription in settings.subscriptions:
        if subscription.name not in named:
            lines.append(said.line("  " + _first_digest(subscription, settings.timezone, said)))
            for earlier in renamed[subscription.name]:
                goes_on = said.gettext(
                    "it goes on from “%(earlier)s”, its former name: the stories sent to %(email)s under that name "
                    "are not sent again"
                )
                lines.append(said.line("    " + said(goes_on, earlier=earlier, email=subscription.email)))
        elif subscription.frequency != "immediate":
            lines.append(said.line("  " + _next_digest(subscription, settings.timezone, said)))
        if subscription.name in waiting:
            lines.append(said.line("    " + _waiting_line(waiting[subscription.name], said)))
    return lines


def _waiting_line(count: int, said: Speech) -> str:
    """How many SSE stories wait for a daily or weekly subscription's next digest, under its line."""
    if not count:
        return said.gettext("no SSE story waits for it yet")
    waiting = said.ngettext("%(num)d SSE story waits for it so far", "%(num)d SSE stories wait for it so far", count)
    return said(waiting, num=count)


def _next_digest(subscription: Subscription, zone: str, said: Speech) -> str:
    """When a daily or weekly subscription that has had digests gets its next: after a change of its `time`
    the reader saw only its last digest's UTC time, and not when the new one would come."""
    who = f"{subscription.name} <{subscription.email}>"
    at = f"{subscription.time:%H:%M}"
    if subscription.frequency == "daily":
        daily = said.gettext("next digest for %(who)s: every day at %(time)s (%(zone)s)")
        return said(daily, who=who, time=at, zone=zone)
    message = said.gettext("next digest for %(who)s: every %(day)s at %(time)s (%(zone)s)")
    return said(message, who=who, day=_weekday(subscription, said), time=at, zone=zone)


def _weekday(subscription: Subscription, said: Speech) -> str:
    """A weekly subscription's day in the reader's language ("mardi", "الثلاثاء")."""
    from typing import get_args

    from babel.dates import get_day_names

    from rasd.config import Subscription
    from rasd.monitor.speech import words

    weekdays = get_args(Subscription.model_fields["day"].annotation)  # monday … sunday, Babel's 0 … 6
    locale = words(said.language).info().get("language", "en").replace("-", "_")
    return str(get_day_names("wide", locale=locale)[weekdays.index(subscription.day)])


def _first_digest(subscription: Subscription, zone: str, said: Speech) -> str:
    """When a subscription that has had no digest yet gets its first: a daily one waits for its time, which
    "no digest due" alone made look like nothing had been found."""
    who = f"{subscription.name} <{subscription.email}>"
    at = f"{subscription.time:%H:%M}"
    if subscription.frequency == "immediate":
        message = said.gettext("no digest yet for %(who)s: the next `rasd digest` after a crawl flags SSE stories")
        return said(message, who=who)
    if subscription.frequency == "daily":
        message = said.gettext(
            "no digest yet for %(who)s: it comes every day at %(time)s (%(zone)s), with the SSE stories stored by then"
        )
        return said(message, who=who, time=at, zone=zone)
    day = _weekday(subscription, said)
    message = said.gettext(
        "no digest yet for %(who)s: it comes every %(day)s at %(time)s (%(zone)s), with the SSE stories stored by then"
    )
    return said(message, who=who, day=day, time=at, zone=zone)


@cli.command("extract")
@click.argument("pages", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (url, title, text, date, author, lang).")
@click.option("--url", "page_url", help="The address of a saved page (one FILE): its permalink date, the url field.")
@click.option(
    "--no-learn", "no_learn", is_flag=True, help="Many pages: keep the lines a site's pages share, write each at once."
)
@pass_context
def extract_command(
    context: Context, pages: tuple[str, ...], as_json: bool, page_url: str | None, no_learn: bool
) -> None:
    """Extract pages (files, folders of saved pages, http(s) URLs) to clean text and metadata. One page:
    its text, or one JSON object with --json. Several, or a folder: one JSON object a line, in order, with
    its "file"; a page without article gives {"file", "url", "error"} and a line on stderr, and the run
    goes on (exit 1 at the end when any failed). Lines that recur across the pages of one site (its
    slogan, signature, comment notice) are learned from the batch and removed, unless --no-learn."""
    from rasd.config import telling
    from rasd.monitor.extracting import Page, extract_lines, read_saved, saved_files
    from rasd.storage import utcnow

    def is_url(name: str) -> bool:
        return name.startswith(("http://", "https://"))

    def fetched(name: str) -> Page:
        from rasd.config.failures import failure_told
        from rasd.crawler import fetch_failure, fetch_page

        crawler = context.settings().crawler
        try:
            url, body = fetch_page(name, crawler)
        except ValueError as error:  # refused by the network policy, too large
            return Page(name, name, None, utcnow(), str(error))
        except OSError as error:  # HTTP or network error, in the crawl's words and the reader's language
            return Page(name, name, None, utcnow(), failure_told(fetch_failure(error, crawler.download_timeout)))
        return Page(name, url, body, datetime.now(UTC))

    said = context.speech()
    batch = len(pages) > 1 or Path(pages[0]).is_dir()
    if page_url is not None and (batch or is_url(pages[0])):
        one = said.gettext("gives one saved page its address: name exactly one file")
        raise click.BadParameter(said.fill(one), param_hint="--url")
    if page_url is not None and not is_url(page_url):
        wrong = said.gettext("%(url)s: not a URL (expected http:// or https://)")
        raise click.BadParameter(said.fill(wrong, url=page_url), param_hint="--url")
    if batch:
        started = time.monotonic()

        def every_page() -> Iterator[Page]:
            for name in pages:
                if is_url(name):
                    yield fetched(name)
                    continue
                for path in saved_files([name]):
                    missing = telling.gettext("no such file")  # English in the JSON, the reader's on stderr
                    yield read_saved(path) if path.is_file() else Page(name, "", None, utcnow(), missing)

        done, total = extract_lines(
            every_page(), sys.stdout, lambda line: click.echo(said.told(line), err=True), not no_learn
        )
        seconds = time.monotonic() - started
        extracted = said.gettext("extracted %(done)d of %(total)d pages in %(seconds)s s (%(rate)s pages/s)")
        rate = decimal(total / seconds, said.language)
        took = decimal(seconds, said.language)
        click.echo(said(extracted, done=done, total=total, seconds=took, rate=rate), err=True)
        sys.exit(0 if done == total else 1)
    name = pages[0]
    if is_url(name):
        page = fetched(name)
    elif Path(name).is_file():
        page = read_saved(Path(name), page_url)
    else:
        raise click.BadParameter(said.fill(said.gettext("%(name)s: no such file"), name=name), param_hint="FILE_OR_URL")
    failed = said.gettext("error: %(name)s: %(error)s")
    if page.error is not None or page.body is None:
        click.echo(said(failed, name=name, error=said.told(page.error or "")), err=True)
        sys.exit(1)
    from rasd.extract import extract_article

    article = extract_article(page.body, page.url, page.fetched_at)
    if article is None:
        click.echo(said(failed, name=name, error=said.gettext("no article text found")), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(article.as_json(), ensure_ascii=False))
    else:
        day = article.date or said.gettext("date unknown")
        click.echo(f"{article.title}\n{day} · {article.lang}\n\n{article.text}")


@cli.command("classify")
@click.option("--input", "input_path", required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--output", "output_path", required=True, type=OUTPUT_FILE)
@pass_context
def classify_command(context: Context, input_path: str, output_path: str) -> None:
    """Classify JSON lines {id, title, text[, url, lang]} into {id, sse, score, regions, reasons}."""
    from rasd.monitor.batch import classify_lines
    from rasd.monitor.seed_files import seed_warnings

    settings = context.settings()
    said = Speech(terminal_language(settings))
    # the reference stories left out, as a crawl says them: the scores depend on them
    for line in seed_warnings(Path(settings.classifier.seeds_dir), said.language):
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    with (
        click.open_file(input_path, encoding="utf-8") as source,
        written_file(output_path, said) as sink,
    ):
        errors = classify_lines(settings, source, sink)
    said = context.speech()
    for line in errors:
        click.echo(said(said.gettext("warning: %(line)s"), line=said.told(line)), err=True)


@cli.command("search")
@click.argument("query", required=False, default="")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Show the newest N matches.")
@click.option("--region", type=REGION, help="Only stories about this region (MA-09, 9, Souss-Massa or سوس ماسة).")
@click.option("--since", type=DAY, help=SINCE_HELP)
@click.option("--until", type=DAY, help=UNTIL_HELP)
@click.option("--source", help="Only this source (its name in sources.toml).")
@click.option("--lang", type=ARTICLE_LANGUAGE, help="Only articles in this language (ar, fr, en, und).")
@click.option("--sse/--not-sse", default=None, help="Only stories flagged SSE (or only those not flagged).")
@click.option("--sse-only", is_flag=True, hidden=True, help="The older spelling of --sse.")
@click.option("--format", "output", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@pass_context
def search_command(
    context: Context,
    query: str,
    limit: int,
    region: str | None,
    since: datetime | None,
    until: datetime | None,
    source: str | None,
    lang: str | None,
    sse: bool | None,
    sse_only: bool,
    output: str,
) -> None:
    """Search stored articles, newest first. Arabic spelling variants, accents and case are folded;
    words are ANDed; OR, NOT (or -word), "a phrase", word* (words starting with it) and ( ) work.
    Latin words match whole words; Arabic words also inside words (والتعاونية for تعاونية).
    Without QUERY: the newest articles the options keep (rasd search --sse --region MA-09)."""
    from zoneinfo import ZoneInfo

    from rasd.monitor.records import write_records
    from rasd.monitor.search import FIELDS, record, summary, table_lines
    from rasd.storage import SearchError, SearchFilters, local_day_after, local_midnight, read_search

    settings = context.settings()
    zone = ZoneInfo(settings.timezone)  # the days typed, and the day column, are the reader's (review12)
    filters = SearchFilters(
        region=region,
        since=local_midnight(since, zone) if since else None,
        until=local_day_after(until, zone) if until else None,
        source=source,
        lang=lang,
        sse=True if sse_only else sse,
    )
    language = terminal_language(settings)
    said = Speech(language)
    if source is not None and source not in {known.name for known in settings.sources}:
        click.echo(said(said.gettext("warning: %(line)s"), line=said.told(settings.no_source(source))), err=True)
    try:
        # A store at the newest schema (SQLite, PostgreSQL) is read without loading the store's machinery (SQLAlchemy).
        found = read_search(settings.storage.url, query, filters, limit)
        if found is None:
            store = context.existing_store()
            try:
                found = store.search(query, limit, filters)
            finally:
                store.close()
        # Words that match nothing, with options: how many articles the options keep without them (one more
        # count). Without options the store's whole count would read as if options had narrowed it (review12).
        narrowed = filters != SearchFilters()
        kept = _search_without_words(context, filters) if found.total == 0 and query.strip() and narrowed else None
    except SearchError as error:
        click.echo(said(said.gettext("error: %(line)s"), line=said.told(error.told)), err=True)
        sys.exit(2)
    if output == "table":
        for line in table_lines(found, language, zone):
            click.echo(line)
        click.echo(summary(found, limit, language, kept))
        return
    write_records((record(story) for story in found), output, sys.stdout, FIELDS)
    click.echo(summary(found, limit, language, kept), err=True)


def _search_without_words(context: Context, filters: SearchFilters) -> Found:
    """The newest article the search options keep, and their count: what a search without words finds."""
    from rasd.storage import read_search

    url = context.settings().storage.url
    found = read_search(url, "", filters, 1)
    if found is None:
        store = context.existing_store()
        try:
            found = store.search("", 1, filters)
        finally:
            store.close()
    return found


@cli.command("browse")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--allow-sql/--no-sql",
    default=None,
    help="Let visitors run their own SQL (read-only). Default: yes on 127.0.0.1, no on any other address.",
)
@click.option(
    "--labels/--no-labels",
    default=None,
    help="Let visitors record their verdict on a story (as rasd label does) at /-/label/ID. "
    "Default: yes on 127.0.0.1, no on any other address.",
)
@click.option(
    "--lang",
    "language",
    type=READER_LANGUAGE,
    help="The language of the descriptions, region names and charts (ar, fr, en). Default: the subscriptions' "
    "digest language when they share one, else French.",
)
@pass_context
def browse_command(
    context: Context, host: str, port: int, allow_sql: bool | None, labels: bool | None, language: str | None
) -> None:
    """Browse the store in a web browser (Datasette, read-only): tables described, facets by region, source,
    language and week, canned queries (SSE stories by region and week, copies, silent sources, search),
    Atom feeds of queries."""
    from rasd.monitor.browse import is_loopback, listening, serve, store_path

    settings = context.settings()
    said = context.speech()
    path = store_path(settings.storage.url)
    if path is None:
        database = settings.storage.url.partition(":")[0]
        line = said.gettext("error: rasd browse serves an SQLite store (Datasette reads SQLite only), not %(database)s")
        click.echo(said(line, database=database), err=True)
        sys.exit(1)
    context.existing_store().close()  # brings an older store's schema (its views) up to date
    sql = allow_sql if allow_sql is not None else is_loopback(host)
    verdicts = labels if labels is not None else is_loopback(host)
    shown = f"[{host}]" if ":" in host else host
    bound = listening(host, port, said)
    serving = {
        (True, True): said.gettext(
            "serving %(path)s read-only at %(address)s (with SQL; readers' verdicts recorded at /-/label/ID; "
            "Ctrl-C stops)"
        ),
        (True, False): said.gettext(
            "serving %(path)s read-only at %(address)s (with SQL; no verdicts recorded; Ctrl-C stops)"
        ),
        (False, True): said.gettext(
            "serving %(path)s read-only at %(address)s (without SQL; readers' verdicts recorded at /-/label/ID; "
            "Ctrl-C stops)"
        ),
        (False, False): said.gettext(
            "serving %(path)s read-only at %(address)s (without SQL; no verdicts recorded; Ctrl-C stops)"
        ),
    }[(sql, verdicts)]
    click.echo(said(serving, path=path, address=f"http://{shown}:{bound.getsockname()[1]}/"))
    serve(path, bound, host, allow_sql, labels, language or reader_language(settings), settings.timezone)


@cli.command("report")
@click.option("--month", required=True, type=MONTH, help="The month (YYYY-MM).")
@click.option("--output", "path", type=HTML_FILE, help="HTML file (default: rasd-report-YYYY-MM.html).")
@click.option(
    "--lang",
    "language",
    type=READER_LANGUAGE,
    help="The page's language (ar, fr, en). Default: the subscriptions' digest language when they share one, "
    "else French.",
)
@pass_context
def report_command(context: Context, month: datetime, path: str | None, language: str | None) -> None:
    """A month's SSE stories as an HTML page: charts per week by region and by source, totals, the stories."""
    from zoneinfo import ZoneInfo

    from rasd.alerts.charts import month_title, page
    from rasd.storage import local_counts, sse_months, stories_between

    shown = language or reader_language(context.settings())
    zone = ZoneInfo(context.settings().timezone)  # the reader's month and days, as the digests and search date them
    start = month.date()
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    store = context.existing_store()
    try:
        by_region, by_source = local_counts(store, start, end, zone)
        stories = stories_between(store, start, end, zone)
        months = None if stories else sse_months(store)
    finally:
        store.close()
    target = Path(path or f"rasd-report-{start:%Y-%m}.html")
    html = page(month_title(start, shown), start, end, by_region, by_source, shown, stories, str(zone))
    said = Speech(language) if language else context.speech()  # --lang: the page's language, and this line's
    with written_file(str(target), said) as sink:  # whole, or not at all
        sink.write(html)
    made = said.ngettext(
        "%(path)s: %(num)d SSE story of %(month)s", "%(path)s: %(num)d SSE stories of %(month)s", len(stories)
    )
    click.echo(said(made, path=target.resolve(), num=len(stories), month=f"{start:%Y-%m}"))
    if not stories:  # the wrong month typed, or a store that has none yet: say which months have stories
        click.echo(
            said(
                said.gettext("the store has SSE stories from %(first)s to %(last)s (rasd report --month %(last)s)"),
                first=months[0],
                last=months[1],
            )
            if months
            else said(said.gettext("the store has no SSE stories yet (rasd crawl, or rasd demo to see one)"))
        )


@cli.command("export")
@click.option("--since", type=DAY, help=SINCE_HELP)
@click.option("--until", type=DAY, help=UNTIL_HELP)
@click.option(
    "--format",
    "output",
    type=click.Choice(["csv", "jsonl", "xlsx"]),
    default="csv",
    show_default=True,
    help="xlsx: an Excel workbook, for a spreadsheet (Arabic and accents shown right; default file rasd-export.xlsx).",
)
@click.option("--text", "with_text", is_flag=True, help="Include each article's text.")
@click.option("--output", "path", type=OUTPUT_FILE, default="-", help="File (default: stdout).")
@pass_context
def export_command(
    context: Context, since: datetime | None, until: datetime | None, output: str, with_text: bool, path: str
) -> None:
    """Every stored article as CSV or JSON lines for analysis: source, dates (UTC; in xlsx, your time zone),
    language, verdict, score, regions, reasons, and its syndicated story (story_id shared by the copies).
    The days of --since and --until are yours: they start at midnight in `timezone` (rasd.toml)."""
    from zoneinfo import ZoneInfo

    from rasd.monitor.records import reasons_said, write_records, write_workbook
    from rasd.storage import EXPORT_FIELDS, export_records, local_day_after, local_midnight

    zone = ZoneInfo(context.settings().timezone)  # the reader's days, as the digests and the workbook show them
    store = context.existing_store()
    fields = [*EXPORT_FIELDS, "text"] if with_text else list(EXPORT_FIELDS)
    since = local_midnight(since, zone) if since else None
    end = local_day_after(until, zone) if until else None
    said = context.speech()
    try:
        if output == "xlsx":  # a workbook is a file, never stdout
            target = Path("rasd-export.xlsx" if path == "-" else path).resolve()
            try:
                records = reasons_said(export_records(store, since, end, with_text), said.language)
                written = write_workbook(records, target, fields, said.language, zone)
            except OSError as error:  # a full disk: the workbook was written beside and removed
                raise output_refused(error, target, said) from None
            line = said.ngettext(
                "%(num)d article exported to %(path)s", "%(num)d articles exported to %(path)s", written
            )
            click.echo(said(line, num=written, path=target), err=True)
            return
        with written_file(path, said) as sink:
            records = reasons_said(export_records(store, since, end, with_text), said.language)
            written = write_records(records, output, sink, fields)
    finally:
        store.close()
    click.echo(
        said(said.ngettext("%(num)d article exported", "%(num)d articles exported", written), num=written), err=True
    )


@cli.command("explain")
@click.argument("article_id", type=ARTICLE_ID)
@click.option(
    "--lang",
    "language",
    type=READER_LANGUAGE,
    help="The language of every line (ar, fr, en). Default: the subscriptions' digest language when they "
    "share one, else the article's (Arabic or French).",
)
@pass_context
def explain_command(context: Context, article_id: int, language: str | None) -> None:
    """Why an article was (or was not) flagged: a reader's verdict on it, the digest's plain summary, then
    the score's parts, each in points of the final score, with a key; all in one language."""
    from zoneinfo import ZoneInfo

    from rasd.alerts.explain import explanation
    from rasd.classify import load_classifier
    from rasd.monitor.labelling import no_article
    from rasd.monitor.verdicts import reader_references
    from rasd.storage import read_explain

    settings = context.settings()
    # A store at the newest schema (SQLite, PostgreSQL) is read without loading the store's machinery (SQLAlchemy).
    read = read_explain(settings.storage.url, article_id) or context.existing_store().explained(article_id)
    if read.story is None:
        click.echo(no_article(article_id, language or reader_language(settings)), err=True)
        sys.exit(1)
    classifier = load_classifier(
        seeds_dir=Path(settings.classifier.seeds_dir),
        threshold=settings.classifier.threshold,
        references=reader_references(read.labelled),
    )
    shown = language or reader_language(settings, read.story.lang)
    for line in explanation(read.story, classifier, shown, read.history, ZoneInfo(settings.timezone)):
        click.echo(line)


@cli.command("regions")
def regions_command() -> None:
    """The twelve regions: code, French and Arabic name (any of them is a --region)."""
    for line in region_lines():
        click.echo(line)


@cli.command("status")
@pass_context
def status_command(context: Context) -> None:
    """Per source: last success, articles in the last 7 days, consecutive failed cycles; then the daemon
    (running or not, next run times) and the last run of each job, daemon's or cron's."""
    from zoneinfo import ZoneInfo

    from rasd.monitor.config_watch import left_out_lines
    from rasd.monitor.logs import local_time, status_lines, zone_line
    from rasd.storage import read_health, utcnow

    url = context.settings().storage.url
    # A store at the newest schema (SQLite, PostgreSQL) is read without loading the store's machinery (SQLAlchemy).
    healths = read_health(url)
    if healths is None:
        healths = context.existing_store().source_health()
    language = context.language()
    said = Speech(language)
    database = said.gettext("database: %(path)s (settings: %(settings)s)")
    click.echo(said(database, path=url.removeprefix("sqlite:///"), settings=said.told(context.settings().config_shown)))
    # every time below in the digests' zone, said once: the store's UTC, read as Moroccan time, was an hour off
    zone = ZoneInfo(context.settings().timezone)
    click.echo(zone_line(zone, said))
    click.echo("")
    widths = ((said.gettext("source"), 32), (said.gettext("last success"), 20))
    counts = ((said.gettext("7 days"), 6), (said.gettext("total"), 6), (said.gettext("failing"), 7))
    click.echo(said.line(" ".join([*(f"{h:<{w}}" for h, w in widths), *(f"{h:>{w}}" for h, w in counts)])))
    now = utcnow()
    settings = context.settings()
    monitored = {source.name for source in settings.sources}
    for health in healths:
        when = local_time(health.last_success, zone) or said.gettext("never")
        note = ""
        if health.name not in monitored:  # taken out of sources.toml (or renamed): its old failures are history
            note = "  ← " + said.part(_unmonitored_line(bool(settings.sources_left_out), said))
        elif health.consecutive_failures:
            note = "  ← " + said.part(said.failure(health.last_error) if health.last_error else said.gettext("failing"))
        elif silence := health.silence(now):
            note = "  ← " + said.part(_silence_line(silence, said))
        numbers = (health.articles_7d, health.articles_total, health.consecutive_failures)
        cells = [
            said.cell(health.name, 32),
            said.cell(when, 20),
            *(said.cell(n, w, ">") for n, (_, w) in zip(numbers, counts, strict=True)),
        ]
        click.echo(said.line(" ".join(cells) + note))
    for line in left_out_lines(settings, language):
        click.echo(said(said.gettext("not monitored: %(line)s"), line=line))
    click.echo("")
    for line in status_lines(url, language, zone):
        click.echo(line)


@cli.group("sources")
def sources_group() -> None:
    """The news sites Rasd watches (config/sources.toml)."""


def _unmonitored_line(entries_left_out: bool, said: Speech) -> str:
    """Why `rasd status` lists a source the crawl no longer reads: one taken out of sources.toml kept its row
    (and its articles) in the store, and with it the failures of its last cycles, which read as a site still
    watched and still failing. When some entries of sources.toml are left out as wrong, the lines under the
    table say which."""
    if entries_left_out:
        return said.gettext("not monitored: no usable entry of this name in the sources (see the lines below)")
    return said.gettext("no longer among the configured sources: not monitored; its articles stay in the store")


def _silence_line(silence: Silence, said: Speech) -> str:
    """Why `rasd status` flags a source that answers (storage.Silence), in the reader's words."""
    if silence.never_stored:
        return said.gettext("answers, but no article of it stored yet: rasd sources check says what it publishes")
    if silence.empty_answers:
        return said.ngettext(
            "its feed or sitemap answered with no entry %(num)d time in a row",
            "its feed or sitemap answered with no entry %(num)d times in a row",
            silence.empty_answers,
        ) % {"num": silence.empty_answers}
    if silence.per_day >= 1:
        pace = said.gettext("usually %(rate)s a day") % {"rate": decimal(silence.per_day, said.language)}
    else:
        pace = said.ngettext("usually %(num)d in 30 days", "usually %(num)d in 30 days", silence.articles_30d) % {
            "num": silence.articles_30d
        }
    days = said.ngettext("%(num)d day", "%(num)d days", silence.quiet_days) % {"num": silence.quiet_days}
    return said.gettext("silent: no new article for %(days)s (%(pace)s) although it answers") % {
        "days": days,
        "pace": pace,
    }


@sources_group.command("list")
@pass_context
def sources_list_command(context: Context) -> None:
    """One line per source: name, region, language, feed/sitemap/discovery, homepage; then counts per region."""
    from rasd.monitor.config_watch import left_out_lines, no_sources_line
    from rasd.monitor.sources_check import source_lines

    said = context.speech()
    if context.settings().sources:  # none (an emptied sources.toml): what to add, not "0 sources ( ; - = national)"
        for line in source_lines(context.settings(), context.language()):
            click.echo(line)
    for line in left_out_lines(context.settings(), said.language):
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    if not context.settings().sources:
        click.echo(said(said.gettext("warning: %(line)s"), line=said.told(no_sources_line())), err=True)


@sources_group.command("check")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option(
    "--toml", "as_toml", is_flag=True, help="Print [[sources]] lines for feeds/sitemaps found but not configured."
)
@pass_context
def sources_check_command(context: Context, sources: tuple[str, ...], as_toml: bool) -> None:
    """Check the list and ask each site (homepage, configured feeds and sitemaps, advertised feeds, /feed/,
    robots.txt sitemaps); one line per source, then a summary. With --toml, the report goes to stderr and
    stdout holds only TOML. Exit 0 when the check ran, 1 when no source could be reached."""
    import time

    from rasd.crawler import discover_sources
    from rasd.monitor.config_watch import left_out_lines, no_sources_line
    from rasd.monitor.sources_check import SourcesCheck, discovery_plans, list_findings

    settings = context.settings()
    language = terminal_language(settings)
    said = Speech(language)
    for line in left_out_lines(settings, language):
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    chosen = [settings.source_named(name) for name in dict.fromkeys(sources)] or list(settings.sources)
    if not chosen:
        click.echo(said(said.gettext("error: %(line)s"), line=said.told(no_sources_line())), err=True)
        sys.exit(1)
    working = said.ngettext(
        "checking %(num)d source: its homepage, feeds, sitemaps and robots.txt…",
        "checking %(num)d sources: their homepages, feeds, sitemaps and robots.txt…",
        len(chosen),
    )
    _working(said(working, num=len(chosen)))
    started = time.monotonic()
    found = run_on_reactor(lambda: discover_sources(discovery_plans(chosen), settings.crawler))
    findings = list_findings(list(settings.sources), language)
    check = SourcesCheck(found, findings, time.monotonic() - started, language)
    for line in [*check.lines(), check.summary()]:
        click.echo(line, err=as_toml)
    if as_toml:
        click.echo(check.toml(chosen), nl=False)
    for line in check.alike_lines():
        click.echo(said(said.gettext("warning: %(line)s"), line=line), err=True)
    if not check.reachable:
        click.echo(said(said.gettext("error: no source could be reached")), err=True)
        sys.exit(1)


@sources_group.command("furniture")
@click.argument("name")
@click.option("--learn", is_flag=True, help="Re-learn it from the source's latest stored articles first.")
@pass_context
def sources_furniture_command(context: Context, name: str, learn: bool) -> None:
    """The lines Rasd learned are NAME's own furniture (its slogan, signature, "related" heading, comment
    notice…), found in many of its stored articles and removed when its pages are extracted; re-learned
    at each crawl. One line each: kind (noise: dropped wherever it stands; end: the article ends there),
    in how many of the articles read, when a page last carried it, the line."""
    settings = context.settings()
    said = context.speech()
    if name not in {known.name for known in settings.sources}:
        click.echo(said(said.gettext("error: %(line)s"), line=said.told(settings.no_source(name))), err=True)
        sys.exit(2)
    store = context.existing_store(writing=True)
    try:
        if learn:
            store.sync_sources([settings.source_named(name)])
            store.learn_furniture([name])
        lines = store.source_furniture(name)
    finally:
        store.close()
    if not lines:
        none = said.gettext("%(name)s: no furniture learned yet (the rules of config/boilerplate.toml apply)")
        click.echo(said(none, name=name))
        return
    from zoneinfo import ZoneInfo

    from rasd.monitor.logs import local_time
    from rasd.storage import local_day

    zone = ZoneInfo(settings.timezone)  # the reader's time and days, as `rasd status` says them
    learned = said.ngettext(
        "%(name)s: %(num)d line learned %(when)s (%(zone)s)", "%(name)s: %(num)d lines learned %(when)s (%(zone)s)",
        len(lines),
    )
    click.echo(said(learned, name=name, num=len(lines), when=local_time(lines[0].learned_at, zone), zone=str(zone)))
    seen_word = said.gettext("seen")
    for line in lines:
        seen = local_day(line.last_seen_at, zone) if line.last_seen_at else "-"
        counts = f"{line.articles:>3}/{line.sample:<3}"
        cells = [said.cell(line.kind, 5), said.part(counts), seen_word, said.cell(seen, 10), said.part(line.example)]
        click.echo(said.line(" ".join(cells)))


@cli.command("housekeeping")
@WAIT_OPTION
@QUIET_OPTION
@pass_context
def housekeeping_command(context: Context, wait: float, quiet: bool) -> None:
    """Daily upkeep for cron (the daemon runs it itself): prune old fetch records, optimise, VACUUM."""
    from rasd.monitor.logs import run_words
    from rasd.monitor.session import one_housekeeping

    run = one_housekeeping(context.settings(), wait)
    if quiet and run.status == "ok":
        return
    said = context.speech()
    click.echo(said.line(run_words(run, said)))


@cli.command("run")
@WAIT_OPTION
@pass_context
def run_command(context: Context, wait: float) -> None:
    """The daemon: crawl and send digests on their schedules until SIGTERM or SIGINT. One per database:
    exit 1 when another daemon holds its lock (unless --wait)."""
    from rasd.monitor.daemon import run_daemon

    language = "en" if context.log_json else context.speech().language  # JSON lines are for tools
    run_daemon(context.settings(), wait, language)


@cli.command("demo")
@click.option("--serve", is_flag=True, help="Keep the demo web running after the cycle (Ctrl-C to stop).")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The demo's own folder: its config, database and outbox (default: demo/ beside your config, or in "
    "Rasd's data folder). Never your own database or outbox.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="The demo web's port (default 8631).")
@pass_context
def demo_command(context: Context, serve: bool, folder: Path | None, port: int | None) -> None:
    """One full offline cycle against the bundled demo web on 127.0.0.x, in a folder of its own; the digest
    goes to that folder's outbox."""
    import time

    from rasd.monitor.demo import DEMO_PORT, default_demo_dir, demo_web, run_demo

    # The sites are stopped by leaving this block, however it is left: a Ctrl-C while a line is printed used
    # to leave the demo web to a generator finalised at interpreter exit, where stopping its threads hung.
    said = Speech(_first_contact_language(context))  # the reader's, else the system's; not the demo config's
    target = folder or default_demo_dir(context.config_path)
    try:  # before the demo web starts: a read-only home (or --dir through a file) ended the run as a fault of Rasd's
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from rasd.config import folder_fault

        refused = said.gettext("cannot write the demo's folder %(folder)s: %(detail)s; name another with --dir")
        raise Refused(said(refused, folder=target, detail=said.told(folder_fault(error)))) from None
    with demo_web(port or DEMO_PORT, said.language) as web:
        for line in run_demo(web, target, said.language, serve):
            click.echo(line)
        if serve:
            try:  # from the line on: a signal as soon as it is read must find this block
                click.echo(said(said.gettext("serving the demo web; Ctrl-C to stop")))
                while True:
                    time.sleep(3600)
            except (KeyboardInterrupt, Interrupted):  # how it is stopped: the demo had finished already
                click.echo(said(said.gettext("the demo web stopped")))


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@pass_context
def init_command(context: Context, folder: Path | None) -> None:
    """Write a working setup to edit into FOLDER (default ~/.config/rasd): rasd.toml, sources.toml (the
    bundled sites) and seeds/ (the reference stories). Every path in it is relative to FOLDER. Nothing is
    overwritten."""
    from rasd.config import user_config_path
    from rasd.monitor.setup import write_setup

    # Its language, and the one it writes into rasd.toml (see _first_contact_language)
    for line in write_setup(folder or user_config_path().parent, _first_contact_language(context)):
        click.echo(line)


def _first_contact_language(context: Context) -> str:
    """The language of `rasd init` and `rasd demo` (`make demo`), run before any setup may exist: the
    commands' own (terminal_language), with a config that cannot be read taken as none — init writes one."""
    try:
        settings: Settings | None = context.settings()
    except ConfigError:
        settings = None
    return terminal_language(settings)


for command in (label_command, evaluate_command, seeds_group):  # readers correct the classifier
    cli.add_command(command)


def _config_named_after(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        context = ctx.ensure_object(Context)
        context.config_path, context.named_by = value, "--config"


def accept_config_after_the_name(group: click.Group) -> None:
    """`rasd status --config FILE` as `rasd --config FILE status`: people put it after the command's name,
    and were told "No such option". Hidden from each command's help (the group's --help shows it once)."""
    for command in group.commands.values():
        named = click.Option(
            ["--config"], type=click.Path(dir_okay=False), hidden=True, expose_value=False, callback=_config_named_after
        )
        command.params.append(named)
        if isinstance(command, click.Group):
            accept_config_after_the_name(command)


accept_config_after_the_name(cli)
speak_help(cli)  # --help and the usage line in the reader's language


def _stopped_line(context: Context, signum: int) -> str:
    """`rasd: stopped by SIGINT before it finished`, in the command's language."""
    said = context.said()
    return said(said.gettext("rasd: stopped by %(signal)s before it finished"), signal=signal.Signals(signum).name)


def main() -> None:
    interrupt_on_sigterm()
    context = Context()  # the group fills it in: the config, hence the language of the errors below
    follow(lambda: context.said().language)  # click's own errors (a missing argument) in that language too
    try:
        cli.main(standalone_mode=False, obj=context)
        sys.stdout.flush()  # what is still buffered fails here, not in the interpreter's exit ("Exception ignored")
    except (ReaderGone, BrokenPipeError):
        _reader_gone()
    except NoSuchSource as error:  # a name mistyped on the command line: the config is as it should be
        said = context.said()
        click.echo(said(said.gettext("error: %(line)s"), line=said.told(error.args[0])), err=True)
        sys.exit(2)
    except ConfigError as error:
        said = context.said()
        click.echo(said(said.gettext("rasd: config error: %(error)s"), error=said.told(error.args[0])), err=True)
        sys.exit(2)
    except LockHeld as error:
        said = context.said()
        click.echo(said(said.gettext("rasd: %(error)s; not started"), error=error.line(said.language)), err=True)
        sys.exit(1)
    except (Refused, Unwritable) as error:  # Unwritable: a full disk, a read-only database: the file, what to do
        said = context.said()
        click.echo(said(said.gettext("rasd: %(error)s"), error=said.told(error.args[0])), err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except Interrupted as interrupted:
        stopped(interrupted.signum, _stopped_line(context, interrupted.signum))
    except click.exceptions.Abort as abort:  # click's word for a KeyboardInterrupt in a command
        if isinstance(abort.__cause__, KeyboardInterrupt):
            stopped(signal.SIGINT, _stopped_line(context, signal.SIGINT))
        sys.exit(130)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except Exception as error:  # a fault of Rasd's own: one line, the traceback kept in a file for a report
        _unexpected(context, error)


def _reader_gone() -> NoReturn:
    """Exit 0 with nothing more written: standard output's reader has what it wanted (`| head -1`). The
    stream is pointed at /dev/null first, so that the interpreter's last flush has nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    sys.exit(0)


def _unexpected(context: Context, error: Exception) -> None:
    """An error no command expects (a fault of Rasd's) as one line in the reader's language naming the file
    that keeps its traceback, in the cache folder (or the system's temporary one); exit 1, as Python's own."""
    import tempfile
    import traceback

    from rasd.config.paths import user_cache_dir

    written = "".join(traceback.format_exception(error))
    kept: Path | None = None
    for folder in (user_cache_dir, lambda: Path(tempfile.gettempdir())):
        try:
            where = folder()
            where.mkdir(parents=True, exist_ok=True)
            kept = where / f"rasd-error-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}.txt"
            kept.write_text(" ".join(sys.argv) + "\n\n" + written, encoding="utf-8")
            break
        except Exception:  # no home, a full or read-only disk: the next place, else stderr
            kept = None
    try:
        said = context.said()
    except Exception:  # the config that names the language may be what failed
        said = Speech("en")
    if kept is None:
        click.echo(written, err=True)
    line = said.gettext(
        "rasd: stopped by an unexpected error (%(error)s), a fault of Rasd's: please report it with %(file)s, "
        "which holds its details"
    )
    detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]  # one line, whatever the library wrote
    click.echo(said(line, error=detail, file=str(kept) if kept else "-"), err=True)
    sys.exit(1)
