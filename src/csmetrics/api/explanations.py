"""`explain`: why a metric changed between the previous window and the window, split by segment
(metrics.md, "Why it changed")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Unpack

from csmetrics.api.run import WindowArgs
from csmetrics.core.errors import ConfigError
from csmetrics.core.window import WindowSpec, build_window, window_settings
from csmetrics.families.explaining import explain_metric, explainable, explainer_of
from csmetrics.ingest.config import Config
from csmetrics.ingest.inputs import Inputs
from csmetrics.results.explanation import Explanation


def explain(
    inputs: Inputs,
    metric: str,
    by: str | Sequence[str],
    *,
    compare_since: str | date | None = None,
    compare_until: str | date | None = None,
    settings: Mapping[str, Any] | None = None,
    **window: Unpack[WindowArgs],
) -> Explanation:
    """The change of `metric` (an id such as "engagement.stickiness") from the previous window
    to the window, split by the segments of `by` (a column of the metric's source or of the
    accounts; several columns make their combinations the segments).

    The previous window is the one of equal length before the window (the previous whole
    months for whole months), or `compare_since`/`compare_until`. `settings`: the family's
    settings as its keywords take them, over the config's. A ratio's contributions split into
    rate and mix effects that add up exactly to the change; an additive metric's segments
    contribute their own change; a quantile shows each segment's value and share.

    >>> import polars as pl, csmetrics as cm
    >>> tickets = pl.DataFrame({"ticket_id": ["1", "2", "3"], "channel": ["chat", "email", "email"],
    ...     "created_at": ["2026-09-10", "2026-10-10", "2026-10-11"]})
    >>> why = cm.explain(cm.load(tickets=tickets), "support.tickets_created_count", "channel",
    ...                  period="2026-10")
    >>> why.previous_value, why.value, why.segments["contribution"].to_list()  # email +2, chat -1
    (1.0, 2.0, [2.0, -1.0])
    """
    family, _ = explainer_of(metric)
    config = inputs.config or Config()
    words = window_settings(config.settings, window)
    params = family.params(config.family, config.base, settings, words)
    columns = [by] if isinstance(by, str) else list(by)
    compare = _compare(compare_since, compare_until, words)
    return explain_metric(metric, inputs, columns, build_window(**words), params, compare)


def _compare(
    since: str | date | None, until: str | date | None, words: Mapping[str, Any]
) -> WindowSpec | None:
    if since is None and until is None:
        return None
    if since is None or until is None:
        raise ConfigError("explain: give both --compare-since and --compare-until, or neither")
    calendar = {k: v for k, v in words.items() if k in ("timezone", "week_start", "grain")}
    return build_window(since=since, until=until, **calendar)


def explainable_metrics() -> dict[str, str]:
    """The metrics `explain` can split, each with how it decomposes (ratio, additive or
    quantile), in the families' order."""
    return {metric: explainer.kind for metric, (_, explainer) in explainable().items()}


def explain_metric_family(metric: str) -> str:
    """The name of the family a metric `explain` can split belongs to; an input error naming
    the closest explainable metrics otherwise (said before any source is read)."""
    family, _ = explainer_of(metric)
    return family.name
