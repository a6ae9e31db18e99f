"""The classifier's reasons, each a message with its values: the classifier makes them (`Classification.reasons`,
`telling.gettext(REASON, …)`), the store keeps them as their English lines (classifications.reasons, a JSON
list of text: what `rasd classify`, the browse views and a script read), and `reason_told` reads one such line
back into what it was made of, so that `rasd export` says the reasons in the reader's language as `rasd
explain` does: the words of the story (a matched term, a place, a seed's name) as they are, the figures as the
reader writes numbers ("0,62"), a negative term's kind in the reader's words (the catalog's "negative" context).

Here, in config, which imports nothing heavy, beside the failures read back the same way (config/failures.py):
`rasd export` says them without loading the classifier. A line no message matches (one a Rasd of before wrote
in other words) is left as it is.
"""

from __future__ import annotations

from rasd.config.failures import N_
from rasd.config.told import Told, told_pattern

VERDICT_SSE = N_("SSE: score %(score).2f %(sign)s threshold %(threshold).2f")
VERDICT_NOT_SSE = N_("not SSE: score %(score).2f %(sign)s threshold %(threshold).2f")
SECOND_OPINION = N_("second opinion %(second).2f %(sign)s %(high).2f")
SEED_SIMILARITY = N_("seed similarity %(similarity).2f (%(seed)s)")
NEAR_REJECTED = N_("nearly the same text as %(name)s, marked not SSE by a reader (similarity %(similarity).2f)")
RESEMBLES_REJECTED = N_("resembles %(name)s, marked not SSE by a reader (similarity %(similarity).2f)")
MATCHED = N_("matched: %(label)s ×%(count)d")
NEGATIVE = N_("negative: %(label)s ×%(count)d (%(kind)s)")
ABROAD = N_("no Moroccan place, nor Morocco named: the SSE words count little")
SUPPORT_ONLY = N_("no cooperative or SSE term in the title, the lead or twice: %(listed)s count little")
SINGLE_LATE = N_("single late mention: counts less")
NOT_IN_LEAD = N_("no SSE term in the title or lead")
REGION_VIA = N_("region %(code)s via %(via)s")
REGION_FROM_SOURCE = N_("region %(code)s from the source (the text names no Moroccan place)")
REGION_FROM_PRODUCT = N_("region %(code)s from the product (%(label)s ×%(count)d): the text names no Moroccan place")
REASONS = (
    VERDICT_SSE,
    VERDICT_NOT_SSE,
    SECOND_OPINION,
    SEED_SIMILARITY,
    NEAR_REJECTED,
    RESEMBLES_REJECTED,
    MATCHED,
    NEGATIVE,
    ABROAD,
    SUPPORT_ONLY,
    SINGLE_LATE,
    NOT_IN_LEAD,
    REGION_VIA,
    REGION_FROM_SOURCE,
    REGION_FROM_PRODUCT,
)
# What a placeholder may hold, when not any text: a region's code, a comparison's sign
_HOLDS = {"code": r"MA-\d\d", "sign": "[<≥]"}


def reason_told(text: str) -> str:
    """A reason the classifier wrote (a stored classification's) as a `Told`, so that `Speech.told` says it in
    the reader's language; any other line as it is. A negative term's kind is a word of the catalog's "negative"
    context, said in the reader's words too."""
    for message in REASONS:
        if (match := told_pattern(message, _HOLDS).fullmatch(text)) is None:
            continue
        values: dict[str, object] = {
            name: float(value) if f"%({name})." in message else int(value) if f"%({name})d" in message else value
            for name, value in match.groupdict().items()
        }
        if "kind" in values:
            values["kind"] = Told(str(values["kind"]), {}, context="negative")
        return Told(message, values)
    return text
