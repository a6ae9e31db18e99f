"""What `rasd label` says, in the reader's language (the digests' catalogs, as `rasd explain`): the verdict
recorded, what the classifier had said, what changes, and why a verdict was refused.

The lines are for a terminal: said through `monitor.speech.Speech`, as `rasd status` is, so that a bidi
terminal keeps an Arabic line's Latin values (a region code, a reader's name, a score, --region) whole and
in order (marks only, which a terminal without bidi shows as nothing).
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from rasd.alerts import i18n
from rasd.alerts.charts import region_label
from rasd.monitor.options import closest_regions, region_code
from rasd.monitor.speech import Speech
from rasd.storage import Label, StoredStory

# A verdict as a reader may type it, in any case, with a hyphen or a space: English, French (ESS), and
# French or Arabic yes or no (is it an SSE story?); "hors ESS" as Rasd's French lines say it (`rasd label`,
# `explain`: "article 3 : hors ESS"), which a French reader then typed and was refused.
VERDICTS = {
    **{"sse": True, "ess": True, "oui": True, "نعم": True},
    **{"not sse": False, "non sse": False, "non ess": False, "hors ess": False, "non": False, "لا": False},
}


def verdict_sse(verdict: str) -> bool | None:
    """Whether a typed verdict says SSE (`sse`, `SSE`, `ess`, `oui`, `نعم`) or not (`not-sse`, `non-ess`, `non`, `لا`);
    None when it is neither."""
    return VERDICTS.get(" ".join(verdict.casefold().replace("-", " ").replace("_", " ").split()))


def said_lines(label: Label, before: StoredStory | None, language: str, zone: tzinfo = UTC) -> list[str]:
    """The verdict as recorded (who, when: in `zone`, the config's `timezone`), then what the classifier had
    said and whether the reader agrees, and, for not SSE, that no digest carries the story any more."""
    said = Speech(language)
    verdict = said.gettext("SSE") if label.sse else said.gettext("not SSE")
    if label.region:
        regional = said.gettext("%(verdict)s, region %(region)s")
        verdict = said.fill(regional, verdict=verdict, region=region_label(label.region, language))
    at = label.labelled_at if label.labelled_at.tzinfo else label.labelled_at.replace(tzinfo=UTC)
    recorded = said.gettext("article %(id)s: %(verdict)s — by %(who)s, %(when)s")
    when = i18n.when(at.astimezone(zone), language)
    lines = [said(recorded, id=label.article_id, verdict=verdict, who=label.labelled_by, when=when)]
    if before is not None:
        if before.sse:
            had = said.gettext("the classifier had it flagged SSE (score %(score)s): %(outcome)s")
        else:
            had = said.gettext("the classifier had it not flagged (score %(score)s): %(outcome)s")
        outcome = said.gettext("the reader agrees") if before.sse == label.sse else said.gettext("corrected")
        lines.append(said.line("  " + said.fill(had, score=i18n.decimal(before.score, language), outcome=outcome)))
    if not label.sse:
        lines.append(said.line("  " + said.gettext("it will not appear in any digest from now on")))
    return lines


def no_article(article_id: int, language: str) -> str:
    said = Speech(language)
    no_such = said.gettext(
        "error: no article %(id)s: the numbers are those that begin each story's line in %(command)s"
    )
    return said(no_such, id=article_id, command="`rasd search`")


def refusal(verdict: str, region: str | None, language: str) -> str | None:
    """Why a verdict cannot be recorded as typed (not sse or not-sse, a region that names none), or None."""
    if verdict_sse(verdict) is None:
        said = Speech(language)
        return said(said.gettext("error: %(value)s is not a verdict: use sse or not-sse"), value=verdict)
    if region is not None and region_code(region) is None:
        return region_refusal(region, language)
    return None


def region_refusal(value: str, language: str) -> str:
    """A --region that names no region, with the closest regions when some are close (`Sous`), each by its
    code and both its names (as `rasd search --region` says them)."""
    said = Speech(language)
    close = closest_regions(value)
    if close:
        message = said.gettext(
            "error: --region: %(value)s is not a region: did you mean %(close)s? Use a code (MA-01 … MA-12) or a "
            "French or Arabic name, e.g. MA-09 or Souss-Massa; `rasd regions` lists them all"
        )
    else:
        message = said.gettext(
            "error: --region: %(value)s is not a region: use a code (MA-01 … MA-12) or a French or Arabic name, "
            "e.g. MA-09 or Souss-Massa; `rasd regions` lists them all"
        )
    return said(message, value=value, close=said.gettext(", ").join(said.part(region) for region in close))
