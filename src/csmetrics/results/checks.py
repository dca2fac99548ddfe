"""`check`: thresholds from the config's [[checks]] (cli.md), evaluated on a Bundle.

Each check names a metric and any of `min`, `max` (fail), `warn_min`, `warn_max` (warn),
`max_increase_pct`, `max_decrease_pct` (fail, against the previous window), `max_deviation`
(fail: the value lies more than that many robust z units from its band's median, results/
bands.py); `by` makes it hold for every value of a breakdown; a null value, or a band that
cannot be drawn for want of history, fails unless `allow_missing`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from csmetrics.core.errors import ConfigError
from csmetrics.core.window import Window
from csmetrics.render.units import format_value
from csmetrics.results.bands import Band

Status = Literal["pass", "warn", "fail"]
LIMITS = (
    *("min", "max", "warn_min", "warn_max", "max_increase_pct", "max_decrease_pct"),
    "max_deviation",
)
KEYS = ("metric", *LIMITS, "by", "allow_missing", "name")


@dataclass(frozen=True)
class Check:
    metric: str
    limits: Mapping[str, float]
    by: str | None = None
    allow_missing: bool = False
    name: str | None = None

    @property
    def title(self) -> str:
        return self.name or self.metric

    @property
    def threshold(self) -> str:
        return ", ".join(f"{k} {v:g}" for k, v in self.limits.items())

    def threshold_text(self, unit: str = "", currency: str | None = None) -> str:
        """The limits as people read them: `min 25.0%`, `max 4 h`, `max_decrease_pct 10%`."""
        return ", ".join(_limit_text(k, v, unit, currency) for k, v in self.limits.items())


def _limit_text(key: str, value: float, unit: str, currency: str | None) -> str:
    if key.endswith("_pct"):
        return f"{key} {value:g}%"
    if key == "max_deviation":  # robust z units, whatever the metric's unit
        return f"{key} {value:g} z"
    return f"{key} {shown(value, unit, currency)}"


def shown(value: float | None, unit: str, currency: str | None) -> str:
    """A value with its unit (render/units.py); a plain number when the unit is not known."""
    if not unit:
        return "n/a" if value is None else f"{value:g}"
    return format_value(value, unit, currency)


@dataclass(frozen=True)
class Outcome:
    check: Check
    subject: str  # the metric, or "metric [by=value]"
    value: float | None
    previous: float | None
    status: Status
    reason: str
    unit: str = ""  # the metric's declared unit, for showing values
    currency: str | None = None  # the report's, for money
    window: Window | None = None  # the period checked
    previous_window: Window | None = None  # the period it was compared with

    @property
    def threshold(self) -> str:
        return self.check.threshold_text(self.unit, self.currency)

    def shown(self, value: float | None) -> str:
        return shown(value, self.unit, self.currency)


def parse_checks(
    entries: list[Any], known_ids: Sequence[str], where: str = "[[checks]]"
) -> list[Check]:
    """Checks from the config; an unknown key, a metric not in `known_ids` (the catalogue's;
    said with the closest ids) or a check without any limit is a config error."""
    checks = []
    for number, entry in enumerate(entries, start=1):
        place = f"{where} #{number}"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{place}: must be a table")
        unknown = sorted(set(entry) - set(KEYS))
        if unknown:
            raise ConfigError(f"{place}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
        metric = str(entry.get("metric", ""))
        if metric not in known_ids:
            close = difflib.get_close_matches(metric, known_ids, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ConfigError(f"{place}: unknown metric {metric!r}{hint}")
        limits = {k: entry[k] for k in LIMITS if k in entry}
        if not limits:
            raise ConfigError(f"{place}: {metric} has no threshold ({', '.join(LIMITS)})")
        for key, value in limits.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{place}: {key} must be a number, got {value!r}")
        if "max_deviation" in limits and entry.get("by"):
            raise ConfigError(
                f"{place}: max_deviation needs the metric's history, which a breakdown by "
                f"{entry['by']!r} has none of; give it without by"
            )
        checks.append(
            Check(
                metric,
                {k: float(v) for k, v in limits.items()},
                by=str(entry["by"]) if entry.get("by") else None,
                allow_missing=bool(entry.get("allow_missing", False)),
                name=str(entry["name"]) if entry.get("name") else None,
            )
        )
    return checks


def evaluate(
    check: Check,
    subject: str,
    value: float | None,
    previous: float | None,
    unit: str = "",
    currency: str | None = None,
    band: Band | None = None,
) -> Outcome:
    """Pass, warn or fail, with the reason in words (values with their `unit`); `band`: the
    metric's anomaly band, for max_deviation."""
    outcome = partial(Outcome, check, subject, value, previous, unit=unit, currency=currency)
    if value is None:
        if check.allow_missing:
            return outcome("pass", "no value (allowed)")
        return outcome("fail", "no value (null)")
    limits = check.limits

    def said(number: float) -> str:
        return shown(number, unit, currency)

    fails = []
    allowed = ""  # a band missing for want of history, with allow_missing
    if "max_deviation" in limits:
        unusual = _deviation(limits["max_deviation"], band, said)
        banded = band is not None and band.median is not None
        if unusual is not None and (banded or not check.allow_missing):
            fails.append(unusual)
        elif unusual is not None:
            allowed = f"; {unusual} (allowed)"
    if "min" in limits and value < limits["min"]:
        fails.append(f"{said(value)} < min {said(limits['min'])}")
    if "max" in limits and value > limits["max"]:
        fails.append(f"{said(value)} > max {said(limits['max'])}")
    for key, sign in (("max_increase_pct", 1), ("max_decrease_pct", -1)):
        if key not in limits:
            continue
        if previous in (None, 0):
            fails.append(f"no previous value to compare ({key})")
            continue
        change = (value - previous) / abs(previous) * 100
        if round(sign * change, 9) > limits[key]:  # 10.000000000000009% is 10%
            word = "rose" if sign > 0 else "fell"
            fails.append(f"{word} {abs(change):.1f}% (> {limits[key]:g}%) from {said(previous)}")
    if fails:
        return outcome("fail", "; ".join(fails))
    warns = []
    if "warn_min" in limits and value < limits["warn_min"]:
        warns.append(f"{said(value)} < warn_min {said(limits['warn_min'])}")
    if "warn_max" in limits and value > limits["warn_max"]:
        warns.append(f"{said(value)} > warn_max {said(limits['warn_max'])}")
    if warns:
        return outcome("warn", "; ".join(warns))
    return outcome("pass", f"within limits{allowed}")


def _deviation(limit: float, band: Band | None, said: Callable[[float], str]) -> str | None:
    """Why a value is too far from its band's median (or has no band), or None."""
    if band is None or band.median is None or band.scale is None:
        return band.reason if band is not None and band.reason else "no anomaly band"
    usual = f"usual {said(band.low or 0)} to {said(band.high or 0)}, median {said(band.median)}"
    if band.z is None:  # a constant history: any other value
        return f"{band.reason} ({usual})" if band.flagged else None
    if abs(band.z) > limit:
        return f"robust z {band.z:+.1f} beyond max_deviation {limit:g} ({usual})"
    return None


def exit_code(outcomes: list[Outcome]) -> int:
    """0 when no check failed (warnings allowed), 1 otherwise."""
    return 1 if any(o.status == "fail" for o in outcomes) else 0
