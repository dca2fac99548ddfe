"""Health's parameters (metrics.md, account health), from the config's [health] table, the
command line (`--weight NAME=W`) or a call: component weights, good/bad bounds, band cut-offs,
the table's filters, and what the components borrow from engagement and revenue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csmetrics.errors import ConfigError
from csmetrics.families.engagement.params import EngagementParams
from csmetrics.families.engagement.params import params_from_config as engagement_params
from csmetrics.families.revenue.params import RevenueParams
from csmetrics.families.revenue.params import needed_columns as revenue_needed
from csmetrics.families.revenue.params import params_from_config as revenue_params
from csmetrics.families.settings import choice, merged_settings

# component -> (good, bad): the raw values scored 100 and 0 (metrics.md defaults)
COMPONENTS: dict[str, tuple[float, float]] = {
    "frequency": (12.0, 1.0),
    "breadth": (0.8, 0.1),
    "depth": (0.5, 0.05),
    "trend": (1.1, 0.5),
    "support": (0.1, 1.0),
    "sentiment": (9.0, 5.0),
    "billing": (0.0, 1.0),
}
BANDS = ("red", "yellow", "green")
KNOWN_KEYS = (
    "weights",
    "bounds",
    "bands",
    "band",
    "owner",
    "inactive_events",
    "features",
    "currency",
    "fx_rates",
)


@dataclass(frozen=True)
class HealthParams:
    """weights: component -> weight (equal by default); bounds: component -> (good, bad);
    green/yellow: the lowest scores of those bands (below yellow is red); band and owner
    filter the table (owner also the headlines); engagement: the active-event and feature
    definitions; revenue: the currency rules for MRR and overdue amounts."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 1.0))
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=lambda: dict(COMPONENTS))
    green: float = 70.0
    yellow: float = 40.0
    band: str | None = None
    owner: str | None = None
    engagement: EngagementParams = field(default_factory=EngagementParams)
    revenue: RevenueParams = field(default_factory=RevenueParams)


def parameters(params: HealthParams) -> dict[str, Any]:
    return {
        "weights": dict(params.weights),
        "bounds": {k: {"good": g, "bad": b} for k, (g, b) in params.bounds.items()},
        "bands": {"green": params.green, "yellow": params.yellow},
        "band": params.band,
        "owner": params.owner,
        "inactive_events": list(params.engagement.inactive_events),
    }


def needed_columns(source: str, params: HealthParams) -> set[str]:
    if source == "billing":
        # what revenue reads for MRR and unpaid invoices (no breakdown)
        return revenue_needed("billing", params.revenue) - {"plan"}
    return {
        "events": {"timestamp", "user_id", "event", "account_id"},
        "tickets": {"ticket_id", "created_at", "solved_at", "resolution_minutes", "account_id"},
        "surveys": {"submitted_at", "score", "survey", "respondent_id", "account_id"},
        "accounts": {"account_id", "name", "segment", "owner", "seats"},
    }[source]


def parse_weights(entries: Iterable[str]) -> dict[str, float]:
    """`NAME=W` entries of `--weight` as a mapping."""
    out: dict[str, float] = {}
    for entry in entries:
        name, _, value = entry.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ConfigError(
                f"--weight: expected NAME=WEIGHT (e.g. billing=2), got {entry!r}"
            ) from None
    return out


def _known(names: Iterable[str], option: str) -> None:
    unknown = sorted(set(names) - set(COMPONENTS))
    if unknown:
        raise ConfigError(
            f"{option}: unknown component {unknown[0]!r} (known: {', '.join(COMPONENTS)})"
        )


def _number(value: Any, option: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{option}: expected a number, got {value!r}") from None


def params_from_config(
    table: Mapping[str, Any],
    base: str = ".",
    *,
    weights: Mapping[str, float] | Iterable[str] | None = None,
    band: str | None = None,
    owner: str | None = None,
    inactive_events: Iterable[str] | None = None,
) -> HealthParams:
    """Parameters from the [health] table, overridden by the given ones that are set."""
    merged = merged_settings("health", table, {"band": band, "owner": owner}, KNOWN_KEYS)
    chosen = dict.fromkeys(COMPONENTS, 1.0)
    from_table = merged.get("weights", {})
    if not isinstance(from_table, Mapping):
        raise ConfigError("[health] weights: expected a table such as { billing = 2 }")
    given = weights if isinstance(weights, Mapping) else parse_weights(weights or ())
    for option, entries in (("[health] weights", from_table), ("--weight", given)):
        _known(entries, option)
        for name, value in entries.items():
            weight = _number(value, f"{option} {name}")
            if weight < 0:
                raise ConfigError(f"{option} {name}: a weight cannot be negative, got {weight}")
            chosen[name] = weight
    bounds = dict(COMPONENTS)
    table_bounds = merged.get("bounds", {})
    _known(table_bounds, "[health] bounds")
    for name, entry in table_bounds.items():
        if not isinstance(entry, Mapping) or set(entry) - {"good", "bad"}:
            raise ConfigError(f"[health] bounds {name}: expected {{ good = ..., bad = ... }}")
        good = _number(entry.get("good", bounds[name][0]), f"[health] bounds {name} good")
        bad = _number(entry.get("bad", bounds[name][1]), f"[health] bounds {name} bad")
        if good == bad:
            raise ConfigError(f"[health] bounds {name}: good and bad must differ")
        bounds[name] = (good, bad)
    cut = merged.get("bands", {})
    green = _number(cut.get("green", 70), "[health] bands green")
    yellow = _number(cut.get("yellow", 40), "[health] bands yellow")
    if not 0 <= yellow <= green <= 100:
        raise ConfigError("[health] bands: expected 0 <= yellow <= green <= 100")
    chosen_band = choice(merged["band"], BANDS, "--band") if merged.get("band") else None
    engagement_table: dict[str, Any] = {
        k: merged[k] for k in ("inactive_events", "features") if k in merged
    }
    revenue_table: dict[str, Any] = {k: merged[k] for k in ("currency", "fx_rates") if k in merged}
    return HealthParams(
        weights=chosen,
        bounds=bounds,
        green=green,
        yellow=yellow,
        band=chosen_band,
        owner=str(merged["owner"]) if merged.get("owner") else None,
        engagement=engagement_params(
            engagement_table, inactive_events=list(inactive_events) if inactive_events else None
        ),
        revenue=revenue_params(revenue_table, base),
    )
