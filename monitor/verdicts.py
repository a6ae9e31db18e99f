"""Commands through which readers correct and steer the classifier: `rasd label`, `rasd evaluate`,
`rasd seeds try`.

Kept apart from `monitor/cli.py` (which only registers them) because they share one idea: a person's
judgement — a verdict on a stored story, a labelled file, a candidate reference story — measured against
what the classifier does, before and after. Stages are imported inside the commands, so registering
them loads nothing (`rasd status` starts light).
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rasd.monitor.errors import Refused
from rasd.monitor.options import ARTICLE_ID, READER_LANGUAGE, reader_language, region_code, terminal_language
from rasd.monitor.speech import Speech, decimal

if TYPE_CHECKING:
    from rasd.classify import Classifier, Reference
    from rasd.classify.evaluation import Report
    from rasd.config import Settings
    from rasd.monitor.cli import Context
    from rasd.storage import LabelledArticle, Store

DEFAULT_TRY_LIMIT = 5000


def _classifier(settings: Settings, references: list[Reference] | None = None) -> Classifier:
    from rasd.classify import load_classifier

    return load_classifier(
        seeds_dir=Path(settings.classifier.seeds_dir),
        threshold=settings.classifier.threshold,
        references=references or (),
    )


def reader_references(labelled: list[LabelledArticle]) -> list[Reference]:
    """The readers' verdicts as reference stories for the classifier's similarity part."""
    from rasd.classify import Reference

    return [
        Reference(f"article {item.label.article_id}", f"{item.title}\n{item.text}", item.label.sse) for item in labelled
    ]


def store_references(store: Store) -> list[Reference]:
    return reader_references(store.labelled_articles())


def _who(given: str | None) -> str:
    if given and given.strip():
        return given.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return os.environ.get("USER") or "unknown"


@click.command("label")
@click.argument("article_id", type=ARTICLE_ID)
@click.argument("verdict", metavar="sse|not-sse")  # also SSE, ess, non-ess, oui, non, نعم, لا (labelling.VERDICTS)
@click.option("--region", metavar="MA-xx", help="The region the story is about: its code (MA-01 … MA-12) or name.")
@click.option("--by", "labelled_by", envvar="RASD_USER", help="Who gives the verdict (default: $RASD_USER, login).")
@click.option(
    "--lang",
    "language",
    type=READER_LANGUAGE,
    help="The language of what it says (ar, fr, en). Default: the subscriptions' digest language when they "
    "share one, else the article's (Arabic or French).",
)
@click.pass_obj
def label_command(
    context: Context, article_id: int, verdict: str, region: str | None, labelled_by: str | None, language: str | None
) -> None:
    """Record a reader's verdict on a stored story (see `rasd search` / `rasd explain` for ids).

    A story marked not-sse never reaches a digest again; labelled stories become reference stories for
    the classifier (from the next crawl) and the regression set of `rasd evaluate`."""
    from zoneinfo import ZoneInfo

    from rasd.monitor.labelling import no_article, refusal, said_lines, verdict_sse
    from rasd.storage import UnknownArticle

    settings = context.settings()
    store = context.existing_store(writing=True)
    try:
        before = store.story(article_id)
        shown = language or reader_language(settings, before.lang if before else None)
        refused = refusal(verdict, region, shown)
        if refused is not None:
            click.echo(refused, err=True)
            sys.exit(2)
        code = region_code(region) if region is not None else None
        label = store.add_label(article_id, verdict_sse(verdict) is True, code, _who(labelled_by))
    except UnknownArticle:
        click.echo(no_article(article_id, shown), err=True)
        sys.exit(1)
    finally:
        store.close()
    for line in said_lines(label, before, shown, ZoneInfo(settings.timezone)):
        click.echo(line)


@click.command("evaluate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--no-store", is_flag=True, help="Only the files, not the readers' labels in the store.")
@click.pass_obj
def evaluate_command(context: Context, files: tuple[str, ...], no_store: bool) -> None:
    """Precision, recall and region accuracy of the classifier as configured, on the readers' labels in the
    store and on labelled JSONL files ({"id", "title", "text", "sse", "regions"}), with the misses listed.

    The readers' labels are not used as references here: each labelled story is judged by the lexicon,
    the gazetteer and the seeds alone, so the figures say what the configuration does on its own."""
    from rasd.classify.evaluation import Gold, evaluate, read_labelled_jsonl

    settings = context.settings()
    said = Speech(terminal_language(settings))
    classifier = _classifier(settings)
    if not no_store:
        try:
            store = context.existing_store()
        except Refused as refused:
            if not files:  # nothing else to measure: the one line saying why
                raise
            store = None
            click.echo(said(said.gettext("readers' labels in the store: none (%(why)s)"), why=said.told(str(refused))))
        labelled = []
        if store is not None:
            try:
                labelled = store.labelled_articles()
            finally:
                store.close()
        if labelled:
            golds = [
                Gold(
                    id=str(item.label.article_id),
                    title=item.title,
                    text=item.text,
                    sse=item.label.sse,
                    regions=(item.label.region,) if item.label.region else (),
                    lang=item.lang,
                    source_region=item.source_region,
                )
                for item in labelled
            ]
            for line in evaluation_lines(
                said.gettext("readers' labels in the store"), evaluate(classifier, golds), said
            ):
                click.echo(line)
        elif store is not None:
            click.echo(
                said.line(said.gettext("readers' labels in the store: none yet (rasd label ARTICLE_ID sse|not-sse)"))
            )
    for name in files:
        with open(name, encoding="utf-8", errors="replace") as handle:
            golds, problems = read_labelled_jsonl(handle, name)
        for problem in problems:
            click.echo(said(said.gettext("warning: %(line)s"), line=said.told(problem)), err=True)
        for line in evaluation_lines(name, evaluate(classifier, golds), said):
            click.echo(line)


def evaluation_lines(title: str, report: Report, said: Speech) -> list[str]:
    """`rasd evaluate`'s report of one set in the reader's language: the figures, then each miss with the
    classifier's first reasons (`rasd classify` writes them in English; here they are said in the reader's
    language, the story's words and figures as they are)."""

    def rate(value: float | None) -> str:
        return "—" if value is None else decimal(value, said.language, 3)

    stories = said.ngettext("%(num)d story", "%(num)d stories", report.stories) % {"num": report.stories}
    lines = [
        said(said.gettext("%(title)s: %(stories)s, %(sse)d SSE"), title=title, stories=stories, sse=report.sse),
        said.line(
            "  "
            + said(
                said.gettext("precision %(precision)s  recall %(recall)s  (%(found)s, %(false)s, %(missed)s)"),
                precision=rate(report.precision),
                recall=rate(report.recall),
                found=said.ngettext("%(num)d found", "%(num)d found", report.true_positives)
                % {"num": report.true_positives},
                false=said.ngettext("%(num)d false alarm", "%(num)d false alarms", report.false_positives)
                % {"num": report.false_positives},
                missed=said.ngettext("%(num)d missed", "%(num)d missed", report.false_negatives)
                % {"num": report.false_negatives},
            )
        ),
        said.line(
            "  "
            + said(
                said.gettext(
                    "region accuracy %(rate)s (%(right)d of %(graded)d SSE stories with a known region: first region "
                    "right)"
                ),
                rate=rate(report.region_accuracy),
                right=report.region_right,
                graded=report.region_graded,
            )
        ),
    ]
    kinds = {
        "missed": said.gettext("missed"),
        "false alarm": said.gettext("false alarm"),
        "region": said.gettext("region"),
    }
    for miss in report.misses:
        shown = miss.title[:70] or said.gettext("(no title)")
        if miss.kind == "region":
            what = said(
                said.gettext("region %(found)s instead of %(gold)s"),
                found=", ".join(miss.regions) or said.gettext("none"),
                gold=", ".join(miss.gold_regions),
            )
        else:
            what = said(said.gettext("score %(score)s"), score=decimal(miss.score, said.language, 2))
        line = said(
            said.gettext("%(kind)s: %(id)s %(title)s — %(what)s"),
            kind=kinds[miss.kind],
            id=miss.id,
            title=shown,
            what=what,
        )
        lines.append(said.line("  " + line))
        lines.extend(said.line("      " + said.told(reason)) for reason in miss.reasons[:4])
    return lines


@click.group("seeds")
def seeds_group() -> None:
    """Reference stories (seeds/*.txt): try one before it goes live."""


@seeds_group.command("try")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", default=DEFAULT_TRY_LIMIT, show_default=True, help="How many recent stored stories to try.")
@click.pass_obj
def seeds_try_command(context: Context, file: str, limit: int) -> None:
    """Which stored stories the reference story FILE would newly flag, were it added to seeds/.

    Every story is classified as configured today and again with FILE as one more seed; nothing is
    changed (adding a seed only raises scores, so no story is dropped)."""
    from rasd.classify import SeedProblem, load_classifier, read_seed_file
    from rasd.monitor.seed_files import problem_line

    settings = context.settings()
    candidate = read_seed_file(Path(file))
    if isinstance(candidate, SeedProblem):
        said = context.speech()
        click.echo(said(said.gettext("error: %(line)s"), line=problem_line(candidate, said)), err=True)
        sys.exit(2)
    store = context.existing_store()
    try:
        references = store_references(store)
        stories = store.stories_to_try(limit)
    finally:
        store.close()
    today = _classifier(settings, references)
    trial = load_classifier(
        seeds_dir=Path(settings.classifier.seeds_dir),
        threshold=settings.classifier.threshold,
        references=references,
        extra_seeds=[candidate],
    )
    said = context.speech()
    click.echo(said(said.gettext("%(file)s: %(title)s"), file=file, title=candidate.title))
    tried = said.ngettext(
        "tried on the %(num)d most recently stored story (%(seeds)s today)",
        "tried on the %(num)d most recently stored stories (%(seeds)s today)",
        len(stories),
    )
    seeds = said.ngettext("%(num)d reference story", "%(num)d reference stories", len(today.seeds))
    click.echo(said(tried, num=len(stories), seeds=seeds % {"num": len(today.seeds)}))
    newly = []
    for story in stories:
        before = today.classify(story.title, story.text, story.lang, story.source_region)
        if before.sse:
            continue
        after = trial.classify(story.title, story.text, story.lang, story.source_region)
        if after.sse:
            newly.append((story, before.score, after))
    if not newly:
        click.echo(said(said.gettext("it would flag no story that is not flagged today")))
        return
    flag = said.ngettext("it would newly flag %(num)d story:", "it would newly flag %(num)d stories:", len(newly))
    click.echo(said(flag, num=len(newly)))
    scored = said.gettext("score %(before)s → %(after)s (similarity to it %(cosine)s)")
    for story, score, after in newly:
        cosine = after.parts.get("seed_cosine", 0.0)
        click.echo(
            said.line(f"{story.article_id:>7}  {said.part(f'{story.when:%Y-%m-%d}')}  ")
            + said(said.gettext("%(source)s: %(title)s"), source=story.source, title=story.title[:80])
        )
        values = {"before": f"{score:.2f}", "after": f"{after.score:.2f}", "cosine": f"{cosine:.2f}"}
        click.echo(said.line("         " + said(scored, **values)))
