"""One log line per job run, human or JSON, and the small state file `rasd status` reads.

The state file (`rasd.db.state.json`, next to the database; see monitor/lock.py for PostgreSQL) holds
the daemon's pid and start time, the next run time of each job and the figures of each job's last run,
whether the daemon or a cron `rasd crawl`/`rasd digest` ran it. It is a file rather than a table so that
`rasd status` can read it while the database is busy, and it is replaced atomically (write, then rename),
so a `kill -9` leaves the previous version or the new one, never half a file. Whether the daemon is running
is not taken from it (a killed daemon cannot say it stopped) but from its lock.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rasd.config import Told, telling
from rasd.monitor.lock import RunLock, database_files
from rasd.monitor.speech import Speech, decimal
from rasd.storage.unwritable import unwritable_file

if TYPE_CHECKING:
    from rasd.alerts import DigestReport
    from rasd.monitor.cycle import CycleSummary

log = logging.getLogger("rasd.jobs")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def local_time(moment: object, zone: tzinfo) -> str | None:
    """A moment as `rasd status` shows it, in the config's time zone (the digests' time): "2026-12-04 20:48".
    Given as the state file and the locks keep it (ISO 8601 with its offset) or as the store does (naive
    UTC); a text that is no time, as it is; None for none."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        written = moment
        try:
            moment = datetime.fromisoformat(written)
        except ValueError:
            return written
    if not isinstance(moment, datetime):
        return str(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def zone_line(zone: tzinfo, said: Speech) -> str:
    """The one line saying in which time zone `rasd status` gives its times."""
    return said(said.gettext("times in %(zone)s (the digests' time zone: `timezone` in rasd.toml)"), zone=str(zone))


@dataclass
class JobRun:
    """A job run: what ran, how it ended, its figures (sources, pages, new articles, …) and duration."""

    job: str  # crawl:GROUP | digest | housekeeping
    status: str = "ok"  # ok | failed | skipped | abandoned | stopped (cut short by a signal, what it did kept)
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    finished_at: str = field(default_factory=now_iso)
    error: str | None = None  # English, as the log has it
    # The error as the reader reads it in `rasd status`: a `Told`'s parts (message, values, …), kept in the state
    # file beside the English line, so that a run the daemon recorded is said in the language of whoever asks.
    reason: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.error, Told):
            self.reason = self.reason or told_parts(self.error)
            self.error = str(self.error)

    def reason_words(self, said: Speech) -> str | None:
        """The error in the reader's language: its `reason` said, else the English line as it is."""
        if self.reason is not None:
            with contextlib.suppress(TypeError, KeyError, ValueError, AttributeError):  # parts another version wrote
                return said.told(Told(**self.reason))
        return said.part(self.error) if self.error else None

    def line(self) -> str:
        """`crawl:default ok sources=4 pages=16 new_articles=16 sse_stories=8 errors=0 seconds=3.1`"""
        parts = [self.job, self.status] + [f"{key}={value}" for key, value in self.figures.items()]
        parts.append(f"seconds={self.seconds:.1f}")
        return " ".join(parts) + (f" error: {self.error}" if self.error else "")


def told_parts(told: Told) -> dict[str, Any]:
    """What a `Told` is made of, as the state file keeps it (JSON)."""
    parts = {"message": told.message, "values": told.values, "plural": told.plural, "number": told.number}
    return parts | {"context": told.context}


def log_job(run: JobRun) -> None:
    log.log(logging.INFO if run.status == "ok" else logging.WARNING, run.line(), extra={"job_run": asdict(run)})


class _Zone:
    """The zone of the log's times: the config's `timezone` once `rasd run` has read it (`zone_logs`), so
    that a line's time is the reader's, as the digests and `rasd status` say it; UTC before."""

    zone: tzinfo = UTC


def zone_logs(zone: tzinfo) -> None:
    """Log times from now on in `zone` (the daemon's log: the machine's clock is often UTC, its readers not)."""
    _Zone.zone = zone


class _ZonedFormatter(logging.Formatter):
    """`%(asctime)s` in the config's zone (`_Zone`), as "2026-12-05 00:13:20,123", whatever the machine's TZ."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return f"{datetime.fromtimestamp(record.created, _Zone.zone):%Y-%m-%d %H:%M:%S},{int(record.msecs):03d}"


class _JsonFormatter(logging.Formatter):
    """One JSON object per line: a job run's fields as they are, other messages as `message`; the time in
    ISO 8601 with its offset, in the config's zone ("2026-12-05T00:13:20+01:00")."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, _Zone.zone).isoformat(timespec="seconds"),
            "level": record.levelname,
        }
        run = getattr(record, "job_run", None)
        if run is not None:  # flat: {"time", "level", "job", "status", "sources", "pages", …, "seconds"}
            entry.update({key: value for key, value in run.items() if key != "figures"})
            entry.update(run["figures"])
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(as_json: bool) -> None:
    """Rasd's own lines at INFO; Scrapy's and APScheduler's chatter only when it is a warning."""
    handler = logging.StreamHandler()
    handler.setFormatter(_JsonFormatter() if as_json else _ZonedFormatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for noisy in ("scrapy", "apscheduler", "twisted", "alembic", "py.warnings", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # One request's failure (Scrapy's "Gave up retrying <GET …>", "Error downloading <GET …>") is an ERROR
    # line each: offline, dozens a minute. The crawl job's line says what failed, `rasd status` each source.
    for per_request in ("scrapy.downloadermiddlewares.retry", "scrapy.core.scraper"):
        logging.getLogger(per_request).setLevel(logging.CRITICAL)


class _ReadersFormatter(_ZonedFormatter):
    """The plain log of `rasd run` in the reader's language: a job's run in words (`run_words`, as `rasd
    status` says it) rather than its key=value line, the other lines as the daemon worded them; in an
    Arabic line the time and level kept whole at its start (`Speech`)."""

    def __init__(self, language: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")
        self.said = Speech(language)

    def formatMessage(self, record: logging.LogRecord) -> str:
        run = getattr(record, "job_run", None)
        said = self.said
        message = run_words(JobRun(**run), said, when=False) if run is not None else record.message
        return said.line(f"{said.part(f'{record.asctime} {record.levelname}')} {message}")


def speak_logs(language: str) -> None:
    """`rasd run`'s plain log in the reader's `language`. English keeps the key=value job lines operators'
    tools read, and so does --log-json whatever the language (its JSON fields: `_JsonFormatter`)."""
    if language == "en":
        return
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, _JsonFormatter):
            handler.setFormatter(_ReadersFormatter(language))


class _OwnWarnings(logging.Filter):
    """Rasd's and its migrations' warnings, less the job line (the command prints its own summary)."""

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        return name != log.name and (name.split(".")[0] in ("rasd", "alembic"))


def configure_command_logging() -> None:
    """For a command run by hand (not `rasd run`, not --log-json): Rasd's own warnings as plain lines
    on stderr, as Python prints them without logging configured, but not Scrapy's and Twisted's per-request
    errors with tracebacks (the command prints one line per failing source, and `rasd status` lists each
    error), nor the job's log line, which says again what the command's summary says. Explicit, rather
    than left to Python's last-resort handler, which Scrapy's LogCount extension used to keep away by
    installing its counting handler."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.addFilter(_OwnWarnings())
    logging.getLogger().handlers[:] = [handler]


class StateFile:
    """`{"daemon": {...}, "next_runs": {job: iso}, "last_runs": {job: JobRun}}` next to the database."""

    def __init__(self, storage_url: str) -> None:
        prefix = database_files(storage_url)
        self.path = prefix.with_name(f"{prefix.name}.state.json")
        self.ignored: list[str] = []  # what `read` left out

    def read(self) -> dict[str, Any]:
        """The state as this version writes it; what it cannot read (a section of another shape, a run
        without its job, status or time: another version of Rasd wrote it, or a hand edit) is left out and
        named in `ignored` ("daemon", "last_runs.digest", or "" for the whole file). Keys it does not know
        are dropped; the next update writes the rest back."""
        self.ignored = []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            self.ignored.append("")
            return {}
        if not isinstance(data, dict):
            self.ignored.append("")
            return {}
        state: dict[str, Any] = {}
        daemon = data.get("daemon")
        if daemon is not None:
            if _shaped(daemon, {"pid": int, "started_at": str, "stopped_at": str}):
                state["daemon"] = daemon
            else:
                self.ignored.append("daemon")
        for section, read in (("next_runs", _next_run), ("last_runs", _last_run)):
            entries = data.get(section)
            if entries is None:
                continue
            if not isinstance(entries, dict):
                self.ignored.append(section)
                continue
            state[section] = {}
            for job, entry in entries.items():
                if (kept := read(job, entry)) is _UNREADABLE:
                    self.ignored.append(f"{section}.{job}")
                else:
                    state[section][job] = kept
        return state

    def update(self, **sections: Any) -> None:
        """Replace the given top-level sections (`last_runs` is merged per job) and write atomically."""
        data = self.read()
        for key, value in sections.items():
            if key == "last_runs":
                data.setdefault("last_runs", {}).update(value)
            else:
                data[key] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1)
            os.replace(temporary, self.path)
        except OSError as error:  # a full disk: no half-written .tmp left beside the database
            Path(temporary).unlink(missing_ok=True)
            raise unwritable_file(error, self.path) or error from None

    def record(self, run: JobRun) -> None:
        self.update(last_runs={run.job: asdict(run)})


_UNREADABLE = object()


def _shaped(section: object, fields: dict[str, type | tuple[type, ...]]) -> bool:
    """A dict whose known fields, when present and not null, have their type."""
    return isinstance(section, dict) and all(
        section.get(name) is None or isinstance(section[name], kind) for name, kind in fields.items()
    )


def _next_run(job: str, when: object) -> object:
    return when if when is None or isinstance(when, str) else _UNREADABLE


def _last_run(job: str, fields: object) -> object:
    """A job's last run as this version records it (`asdict(JobRun)`), or _UNREADABLE."""
    shape: dict[str, type | tuple[type, ...]] = {"figures": dict, "seconds": (int, float), "error": str, "reason": dict}
    if not isinstance(fields, dict) or not _shaped(fields, shape):
        return _UNREADABLE
    if not all(isinstance(fields.get(name), str) for name in ("job", "status", "finished_at")):
        return _UNREADABLE
    kept = {name: fields[name] for name in JobRun.__dataclass_fields__ if fields.get(name) is not None}
    return asdict(JobRun(**kept))


def state_unread_line(state: StateFile, said: Speech) -> str | None:
    """One line naming what of the state file `read` left out, or None."""
    if not state.ignored:
        return None
    if "" in state.ignored:
        return said(said.gettext("%(file)s could not be read (not Rasd's state file?): left out"), file=str(state.path))
    parts = ", ".join(state.ignored)
    unread = said.gettext("%(file)s: %(parts)s could not be read (written by another version of Rasd?): left out")
    return said(unread, file=str(state.path), parts=parts)


def record_run(storage_url: str, run: JobRun) -> None:
    """Log the run's line and keep it as the job's last run for `rasd status`."""
    log_job(run)
    StateFile(storage_url).record(run)


def crawl_run(job: str, summary: CycleSummary) -> JobRun:
    """A crawl's run: failed only when no source could be fetched (as `rasd crawl`'s exit code)."""
    figures = summary.as_dict()
    ok = not summary.sources or bool(summary.sources_ok)
    status = "stopped" if summary.stopped_by else "ok" if ok else "failed"
    error: str | None = None
    reason = None
    if summary.stopped_by:
        error = stopped_by(summary.stopped_by)
    elif not ok:  # the log keeps the lines saying why; `rasd status` the headline, its sources' table the rest
        failed = telling.gettext("no source could be fetched")
        error, reason = "; ".join([failed, *summary.alike_lines()]), told_parts(failed)
    return JobRun(
        job,
        status,
        {
            "sources": figures["sources"],
            "pages": figures["pages"],
            "new_articles": figures["new_articles"],
            "sse_stories": figures["sse_flagged"],
            "errors": figures["errors"],
        },
        summary.seconds,
        error=error,
        reason=reason,
    )


def stopped_by(signum: int) -> Told:
    """`stopped by SIGTERM before it finished`, as a run's error."""
    return telling.gettext("stopped by %(signal)s before it finished", signal=signal.Signals(signum).name)


def digest_run(report: DigestReport, seconds: float) -> JobRun:
    """A digest run: failed when a delivery failed (it stays pending and is retried at the next run);
    stopped when a stop request ended it early (what it did not send stays pending too)."""
    figures = {"sent": len(report.sent), "failed": len(report.failed), "skipped": len(report.skipped)}
    if report.stopped:
        return JobRun("digest", "stopped", figures, seconds, error=STOPPED)
    return JobRun("digest", "failed" if report.failed else "ok", figures, seconds)


STOPPED = telling.gettext("stopped before it finished")


def status_lines(storage_url: str, language: str = "en", zone: tzinfo = UTC) -> list[str]:
    """`rasd status`'s daemon section, in the reader's language: running or not (from its lock), next runs,
    each job's last run (its log line, as the operator's log has it); times in `zone` (`zone_line`)."""
    said = Speech(language)
    state_file = StateFile(storage_url)
    state = state_file.read()
    daemon = state.get("daemon") or {}
    holder = RunLock(storage_url, "daemon").running_holder()  # a daemon just killed is not running
    if holder is not None:
        lines = [
            said(
                said.gettext("daemon: running, pid %(pid)s, since %(since)s"),
                pid=holder.get("pid"),
                since=local_time(holder.get("since"), zone),
            )
        ]
        next_runs = sorted((state.get("next_runs") or {}).items())
        upcoming = [said.gettext("next %(job)s") % {"job": job_name(job, said)} for job, _ in next_runs]
        width = max(map(len, upcoming), default=0)  # the times in a column, however long a language's words
        for named, (_, when) in zip(upcoming, next_runs, strict=True):
            paused = said.gettext("paused")
            lines.append(said.line(f"  {named:<{max(width, 25)}} {said.part(local_time(when, zone) or paused)}"))
    elif daemon.get("started_at") and not daemon.get("stopped_at"):
        ended = said.gettext("daemon: not running (pid %(pid)s, started %(since)s, ended without a clean stop)")
        lines = [said(ended, pid=daemon.get("pid"), since=local_time(daemon["started_at"], zone))]
    elif daemon.get("stopped_at"):
        stopped = local_time(daemon["stopped_at"], zone)
        lines = [said(said.gettext("daemon: not running (stopped %(when)s)"), when=stopped)]
    else:
        lines = [said(said.gettext("daemon: never started on this database"))]
    crawl = RunLock(storage_url, "crawl").running_holder()  # never a killed crawl's pid (review12)
    if crawl is not None:
        now = said.gettext("crawling now: pid %(pid)s (%(command)s), since %(since)s")
        since = local_time(crawl.get("since"), zone)
        lines.append(said(now, pid=crawl.get("pid"), command=crawl.get("command"), since=since))
    last_runs = state.get("last_runs") or {}
    if last_runs:
        lines.append(said(said.gettext("last runs:")))
    for _, fields in sorted(last_runs.items()):
        lines.append(said.line("  " + run_words(JobRun(**fields), said, zone=zone)))
    if (unread := state_unread_line(state_file, said)) is not None:
        lines.append(unread)
    return lines


def job_name(job: str, said: Speech) -> str:
    """A job as the reader calls it: "collecte (national)" for `crawl:national`."""
    kind, _, group = job.partition(":")
    names = {
        "crawl": said.pgettext("job", "crawl"),
        "digest": said.pgettext("job", "digest"),
        "housekeeping": said.pgettext("job", "housekeeping"),
    }
    name = names.get(kind, kind)
    return f"{name} ({said.part(group)})" if group else name


def run_words(run: JobRun, said: Speech, when: bool = True, zone: tzinfo | None = None) -> str:
    """A job's last run in the reader's words, for `rasd status`: "2026-12-03 08:02  crawl (default): ok ·
    sources 4 · pages 18 · … · 2.9 s", the time in `zone` (said once above it), or without one, in UTC and
    saying so (`rasd housekeeping`'s line); without the time, `when=False`, in a log line that has its own. An
    English or JSON log keeps the job's own line (`JobRun.line`), which operators' tools read."""
    endings = {
        "ok": said.pgettext("run", "ok"),
        "failed": said.pgettext("run", "failed"),
        "skipped": said.pgettext("run", "skipped"),
        "abandoned": said.pgettext("run", "abandoned"),
        "stopped": said.pgettext("run", "stopped"),
    }
    figure_names = {
        "sources": said.pgettext("run figure", "sources"),
        "pages": said.pgettext("run figure", "pages"),
        "new_articles": said.pgettext("run figure", "new articles"),
        "sse_stories": said.pgettext("run figure", "SSE stories"),
        "errors": said.pgettext("run figure", "errors"),
        "sent": said.pgettext("run figure", "sent"),
        "failed": said.pgettext("run figure", "failed"),
        "skipped": said.pgettext("run figure", "skipped"),
        "pruned_fetches": said.pgettext("run figure", "old fetch records removed"),
    }
    finished = local_time(run.finished_at, zone or UTC) or run.finished_at
    if zone is None and finished != run.finished_at:
        finished += " UTC"
    ended = said.gettext("%(job)s: %(ending)s") % {
        "job": job_name(run.job, said),
        "ending": endings.get(run.status, run.status),
    }
    parts = [ended]
    parts += [f"{figure_names.get(key, key)} {said.part(value)}" for key, value in run.figures.items()]
    parts.append(said.gettext("%(seconds)ss") % {"seconds": said.part(decimal(run.seconds, said.language))})
    if (reason := run.reason_words(said)) is not None:
        parts.append(reason)
    return (f"{said.part(finished)}  " if when else "") + " · ".join(parts)
