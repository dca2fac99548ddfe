"""Health's parameters (metrics.md, account health), from the config's [health] table, the
command line (`--weight NAME=W`) or a call: component weights, good/bad bounds, band cut-offs,
the table's filters, and what the components borrow from engagement and revenue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csmetrics.core.errors import ConfigError
from csmetrics.core.readers import choice, mapping, names, number, text
from csmetrics.families.engagement.params import SETTINGS as ENGAGEMENT_SETTINGS
from csmetrics.families.engagement.params import EngagementParams
from csmetrics.families.engagement.params import params_from_config as engagement_params
from csmetrics.families.revenue.params import SETTINGS as REVENUE_SETTINGS
from csmetrics.families.revenue.params import RevenueParams
from csmetrics.families.revenue.params import needed_columns as revenue_needed
from csmetrics.families.revenue.params import params_from_config as revenue_params
from csmetrics.families.settings import Setting, Settings
from csmetrics.families.shared.active import INACTIVE_EVENTS

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
# the lowest scores of the green and yellow bands (below yellow is red), metrics.md's defaults
GREEN, YELLOW = 70.0, 40.0


@dataclass(frozen=True)
class HealthParams:
    """weights: component -> weight (equal by default); bounds: component -> (good, bad);
    green/yellow: the lowest scores of those bands (below yellow is red); band and owner
    filter the table (owner also the headlines); engagement: the active-event and feature
    definitions; revenue: the currency rules for MRR and overdue amounts."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 1.0))
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=lambda: dict(COMPONENTS))
    green: float = GREEN
    yellow: float = YELLOW
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
    if source in ("billing", "subscriptions"):
        # what revenue reads for MRR and unpaid invoices (no breakdown)
        return revenue_needed(source, params.revenue) - {"plan"}
    return {
        "events": {"timestamp", "user_id", "event", "account_id"},
        "tickets": {"ticket_id", "created_at", "solved_at", "resolution_minutes", "account_id"},
        "surveys": {"submitted_at", "score", "survey", "respondent_id", "account_id"},
        "accounts": {"account_id", "name", "segment", "owner", "seats"},
    }[source]


def _weights(value: Any, where: str) -> dict[str, float]:
    """{"billing": 2} (config, call) or `NAME=W` entries (the command line)."""
    if isinstance(value, str):
        value = [value]
    entries = value if isinstance(value, Mapping) else parse_weights(names(value, where))
    _known(entries, where)
    chosen = dict.fromkeys(COMPONENTS, 1.0)
    for name, given in entries.items():
        weight = number(given, f"{where} {name}")
        if weight < 0:
            raise ConfigError(f"{where} {name}: a weight cannot be negative, got {weight}")
        chosen[name] = weight
    return chosen


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


def _bounds(value: Any, where: str) -> dict[str, tuple[float, float]]:
    table = mapping(value, where)
    _known(table, where)
    bounds = dict(COMPONENTS)
    for name, entry in table.items():
        if not isinstance(entry, Mapping) or set(entry) - {"good", "bad"}:
            raise ConfigError(f"{where} {name}: expected {{ good = ..., bad = ... }}")
        good = number(entry.get("good", bounds[name][0]), f"{where} {name} good")
        bad = number(entry.get("bad", bounds[name][1]), f"{where} {name} bad")
        if good == bad:
            raise ConfigError(f"{where} {name}: good and bad must differ")
        bounds[name] = (good, bad)
    return bounds


def _bands(value: Any, where: str) -> tuple[float, float]:
    table = mapping(value, where)
    green = number(table.get("green", GREEN), f"{where} green")
    yellow = number(table.get("yellow", YELLOW), f"{where} yellow")
    if not 0 <= yellow <= green <= 100:
        raise ConfigError(f"{where}: expected 0 <= yellow <= green <= 100")
    return green, yellow


def _known(names: Iterable[str], option: str) -> None:
    unknown = sorted(set(names) - set(COMPONENTS))
    if unknown:
        raise ConfigError(
            f"{option}: unknown component {unknown[0]!r} (known: {', '.join(COMPONENTS)})"
        )


SETTINGS = Settings(
    "health",
    (
        Setting(
            "weights",
            _weights,
            dict.fromkeys(COMPONENTS, 1.0),
            "A component's weight, NAME=W: frequency, breadth, depth, trend, "
            "support, sentiment, billing.",
            flag="--weight",
            metavar="NAME=WEIGHT",
            repeatable=True,
            example="{ billing = 2 }",
        ),
        Setting(
            "bounds",
            _bounds,
            dict(COMPONENTS),
            "Per component, the raw values scored 100 and 0 ({ good = ..., bad = ... }).",
            example="{ frequency = { good = 12, bad = 1 } }",
        ),
        Setting(
            "bands",
            _bands,
            (GREEN, YELLOW),
            "The lowest scores of the green and yellow bands ({ green = 70, yellow = 40 }).",
            example="{ green = 70, yellow = 40 }",
        ),
        Setting(
            "band",
            choice(*BANDS),
            None,
            "Only accounts of this band: red, yellow, green.",
            flag="--band",
            example='"red"',
        ),
        Setting(
            "owner",
            text,
            None,
            "Only this owner's accounts (accounts source column owner).",
            flag="--owner",
            metavar="NAME",
            example='"Ana Ruiz"',
            values_of="accounts.owner",
        ),
        INACTIVE_EVENTS,
        ENGAGEMENT_SETTINGS["features"],
        REVENUE_SETTINGS["currency"],
        REVENUE_SETTINGS["fx_rates"],
    ),
)


def params_from_config(table: Mapping[str, Any], base: str = ".", **given: Any) -> HealthParams:
    """Parameters from the [health] table, overridden by the given values (None: not given)."""
    values = SETTINGS.resolve(table, given, base)
    green, yellow = values["bands"]
    borrowed = {"inactive_events", "features", "currency", "fx_rates"}
    engagement = {k: values[k] for k in ("inactive_events", "features")}
    revenue = {k: values[k] for k in ("currency", "fx_rates")}
    return HealthParams(
        **{k: v for k, v in values.items() if k not in {*borrowed, "bands"}},
        green=green,
        yellow=yellow,
        engagement=engagement_params({}, base, **engagement),
        revenue=revenue_params({}, base, **revenue),
    )
