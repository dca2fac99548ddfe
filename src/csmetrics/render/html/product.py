"""Charts of the product families' tables: engagement, retention and onboarding."""

from __future__ import annotations

import polars as pl

from csmetrics.render.html.charts import (
    DAY_AXIS,
    Builder,
    Chart,
    bars,
    chart,
    distribution,
    lines,
    span,
)

USERS = {"dau": "DAU", "wau7": "WAU (7 days)", "mau30": "MAU (30 days)"}


def activity(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    over = span(frame, "bucket")
    return [
        chart(
            frame,
            id="engagement-active-users",
            title="Daily, weekly and monthly active users",
            alt=f"Lines of DAU, WAU (7 days) and MAU (30 days) per bucket, {over}.",
            table="activity",
            columns={"bucket": "bucket", **USERS},
            spec=lines(list(USERS.values()), "users"),
        ),
        chart(
            frame,
            id="engagement-stickiness",
            title="Stickiness (DAU / MAU)",
            alt=f"Line of stickiness, DAU divided by MAU, per bucket, {over}.",
            table="activity",
            columns={"bucket": "bucket", "stickiness": "stickiness"},
            spec=lines(["stickiness"], "DAU / MAU", ".0%", points=frame.height),
        ),
    ]


def feature_adoption(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    return [
        chart(
            frame,
            id="engagement-feature-adoption",
            title="Feature adoption",
            alt="Bars of the share of active users who used each feature: "
            + "; ".join(
                f"{f} {s:.0%}"
                for f, s in frame.select("feature", "user_share").rows()
                if s is not None
            ),
            table="feature_adoption",
            columns={"feature": "feature", "user_share": "share of active users"},
            spec=bars("feature", "share of active users", "share of active users", ".0%"),
        )
    ]


LABELLED_CELLS = 200  # a larger heatmap is read by its colours and its table (labels cost time)


def cohorts(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    """Cohorts down, offsets across; a cell not yet observable (no users) is left blank."""
    observed = pl.col("users").is_not_null()
    rate = {"field": "rate", "type": "quantitative"}
    labels = {
        "mark": {"type": "text", "fontSize": 8},
        "encoding": {
            "text": {**rate, "format": ".0%"},
            "color": {
                "condition": {"test": "datum.rate > 0.55", "value": "white"},
                "value": "black",
            },
        },
    }
    spec = {
        "height": {"step": 16},
        "encoding": {
            "x": {
                "field": "offset",
                "type": "ordinal",
                "title": "periods after the cohort",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "cohort",
                "type": "ordinal",
                "title": None,
                "timeUnit": DAY_AXIS["timeUnit"],
            },
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        **rate,
                        "title": "retained",
                        "scale": {"scheme": "blues", "domain": [0, 1]},
                        "legend": {"format": ".0%"},
                    }
                },
            },
            *([labels] if frame.filter(observed).height <= LABELLED_CELLS else []),
        ],
    }
    return [
        chart(
            frame,
            id="retention-cohorts",
            title="Retention by cohort",
            alt=f"Heatmap of the share of each cohort active N periods later, cohorts "
            f"{span(frame, 'cohort')}; a blank cell is not yet observable.",
            table="cohorts",
            columns={"cohort": "cohort", "offset": "offset", "rate": "rate", "size": "size"},
            spec=spec,
            where=observed,
        )
    ]


LIFECYCLE = {
    "new": "new",
    "returning": "returning",
    "resurrecting": "resurrecting",
    "dormant": "dormant",
}


def lifecycle(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    """Stacked bars per bucket: new, returning and resurrecting up, dormant (negative) down."""
    names = list(LIFECYCLE.values())
    spec = {
        "transform": [{"fold": names, "as": ["group", "users"]}],
        "mark": "bar",
        "encoding": {
            "x": {
                "field": "bucket",
                "type": "ordinal",
                "timeUnit": DAY_AXIS["timeUnit"],
                "title": None,
                "axis": {"labelAngle": 0, "format": "%b %d"},
            },
            "y": {"field": "users", "type": "quantitative", "title": "users"},
            "color": {"field": "group", "type": "nominal", "sort": names, "title": None},
            "order": {"field": "group", "sort": "ascending"},
        },
    }
    return [
        chart(
            frame,
            id="retention-lifecycle",
            title="Lifecycle: new, returning, resurrecting and dormant users",
            alt=f"Stacked bars per bucket {span(frame, 'bucket')}: new, returning and "
            "resurrecting users above zero, dormant users below.",
            table="lifecycle",
            columns={"bucket": "bucket", **LIFECYCLE},
            spec=spec,
        )
    ]


def activation(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    spec = bars("cohort", "activation rate", "activated / decided signups", ".0%")
    spec["encoding"]["y"]["timeUnit"] = DAY_AXIS["timeUnit"]
    spec["encoding"]["y"]["type"] = "ordinal"
    return [
        chart(
            frame,
            id="onboarding-activation",
            title="Activation rate by signup cohort",
            alt=f"Bars of the activation rate of each signup cohort {span(frame, 'cohort')}.",
            table="activation_by_cohort",
            columns={
                "cohort": "cohort",
                "activation_rate": "activation rate",
                "signups": "signups",
            },
            spec=spec,
        )
    ]


def funnel(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    steps = frame["step"].to_list()
    return [
        chart(
            frame,
            id="onboarding-funnel",
            title="Onboarding funnel",
            alt=f"Bars of the users who reached each of {len(steps)} funnel steps: "
            + ", ".join(str(step) for step in steps)
            + ".",
            table="funnel",
            columns={
                "step": "step",
                "users": "users",
                "conversion_from_start": "from the start",
            },
            spec=bars("step", "users", "users"),
        )
    ]


def time_to_value(frame: pl.DataFrame, currency: str | None) -> list[Chart]:
    return [
        distribution(
            frame,
            id="onboarding-time-to-value",
            title="Time to value",
            table="time_to_value_distribution",
            counted="signups",
            what="signups that reached value, by hours from signup,",
        )
    ]


PRODUCT: dict[str, Builder] = {
    "engagement.activity": activity,
    "engagement.feature_adoption": feature_adoption,
    "retention.cohorts": cohorts,
    "retention.lifecycle": lifecycle,
    "onboarding.activation_by_cohort": activation,
    "onboarding.funnel": funnel,
    "onboarding.time_to_value_distribution": time_to_value,
}
