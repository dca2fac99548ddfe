"""How `explain` splits voice's survey metrics by segment (families/explainer.py): the units are
the window's answers, one per respondent and survey (responses.latest_answers, as the headline),
with the same cut-offs. NPS is a ratio whose numerator is +100 per promoter and -100 per
detractor over the NPS answers; a mean score is the scores' sum over the answers."""

from __future__ import annotations

import polars as pl

from csmetrics.families.base import Frames, RunContext
from csmetrics.families.explainer import Explainer, Segments
from csmetrics.families.shared.surveys import DETRACTOR_MAX, EASY_MIN, PROMOTER_MIN
from csmetrics.families.voice.params import VoiceParams
from csmetrics.families.voice.responses import latest_answers

SCORE = pl.col("score")


def answers(
    frames: Frames, ctx: RunContext, params: VoiceParams, segments: Segments
) -> pl.LazyFrame:
    """The window's latest answers to every survey, with their segment columns."""
    return segments.attach(latest_answers(frames["surveys"], ctx.window))


def _of(survey: str, value: pl.Expr) -> pl.Expr:
    """`value` on the answers to `survey`, 0 on the others (which then weigh nothing)."""
    return pl.when(pl.col("survey") == survey).then(value.cast(pl.Float64)).otherwise(0.0)


def _ratio(survey: str, numerator: pl.Expr) -> Explainer[VoiceParams]:
    unit = f"{survey.upper()} answers"
    measures = (_of(survey, numerator), _of(survey, pl.lit(1.0)))
    return Explainer("ratio", "surveys", unit, answers, measures, weight=f"share of the {unit}")


# +100 for a promoter, -100 for a detractor, 0 for a passive: their mean is the NPS
PROMOTER_POINTS = (
    pl.when(SCORE >= PROMOTER_MIN)
    .then(100.0)
    .when(SCORE <= DETRACTOR_MAX)
    .then(-100.0)
    .otherwise(0.0)
)
EXPLAINERS: dict[str, Explainer[VoiceParams]] = {
    "voice.nps": _ratio("nps", PROMOTER_POINTS),
    "voice.nps_responses_count": Explainer(
        "additive", "surveys", "NPS answers", answers, (_of("nps", pl.lit(1.0)),)
    ),
    "voice.ces_mean": _ratio("ces", SCORE),
    "voice.ces_easy_share": _ratio("ces", SCORE >= EASY_MIN),
}
